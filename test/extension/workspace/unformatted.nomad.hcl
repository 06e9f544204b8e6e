job "fmt" {
  datacenters = ["dc1"]
  group "g" {
    count = 1
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
        args = ["a"]
      }
    }
  }
}
