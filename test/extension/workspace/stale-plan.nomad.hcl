# A job the "run exactly the plan you saw" extension-host test plans, then makes stale (the node becomes
# ineligible) before Run. It is never registered.
job "ext-stale-plan" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", "exec sleep 3600"]
      }

      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
