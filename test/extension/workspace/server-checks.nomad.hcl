job "v" {
  datacenters = ["dc1"]
  group "g" {
    constraint {
      attribute = "${attr.kernel.name}"
      operator  = "is_awesome"
      value     = "linux"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
      resources {
        memory = 5
      }
    }
  }
}
