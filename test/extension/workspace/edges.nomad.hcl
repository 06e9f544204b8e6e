# A raw_exec job the plan-says-what-is-true tests (planNow.test.ts) plan, edit and run (runs on the real agent and on the double).
job "ext-edges" {
  datacenters = ["dc1"]

  group "edges" {
    update {
      max_parallel     = 1
      health_check     = "task_states"
      min_healthy_time = "1s"
      healthy_deadline = "1m"
      progress_deadline = "2m"
      auto_revert      = true
    }

    task "edges" {
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
