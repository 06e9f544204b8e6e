# The extension-host "truth" tests plan and run this job: variables from a file and a prompt (the CLI
# line must carry both), a deployment the tests watch to its end.
variable "greeting" {
  type = string
}

variable "delay" {
  type    = string
  default = "1"
}

job "ext-truth-greeter" {
  datacenters = ["dc1"]

  group "greeter" {
    update {
      max_parallel      = 1
      health_check      = "task_states"
      min_healthy_time  = "1s"
      healthy_deadline  = "1m"
      progress_deadline = "2m"
      auto_revert       = false
    }

    task "greeter" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", "while true; do echo \"$GREETING\"; sleep ${var.delay}; done"]
      }

      env {
        GREETING = var.greeting
      }

      resources {
        cpu    = 20
        memory = 32
      }
    }
  }
}
