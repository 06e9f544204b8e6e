# A raw_exec job the extension-host tests plan and run (runs on the real agent and on the double).
job "ext-plan-printer" {
  datacenters = ["dc1"]

  group "printer" {
    update {
      max_parallel     = 1
      health_check     = "task_states"
      min_healthy_time = "1s"
      healthy_deadline = "1m"
      progress_deadline = "2m"
      auto_revert      = true
    }

    task "printer" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", "i=1; while true; do echo \"printed $i\"; i=$((i+1)); sleep 1; done"]
      }

      env {
        GREETING = "hello"
      }

      resources {
        cpu    = 20
        memory = 32
      }
    }
  }
}
