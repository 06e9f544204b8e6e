# The tutorial's job, kept the way the tutorial wrote it (Nomad 0.5 era): a task-level network with
# mbits, a service without a check and no update block (and count as a string, which Nomad accepts and
# the language server leaves alone). The language server flags the first three; Nomad 1.6 still accepts
# them, so this file plans and runs as is.
#
# The tutorial ran a Docker image; here the task runs the example with raw_exec (no Docker needed).
# raw_exec has no port_map: the app reads the port Nomad gives it from NOMAD_PORT_http.
# (The tutorial's own job, with the docker driver, is microservice-job-01.nomad beside this file.)
# Pass the real folder when you run it:
#   nomad job run -var "app_dir=$PWD/examples/microservice" examples/microservice-job-01.raw_exec.nomad

variable "app_dir" {
  type        = string
  description = "Absolute path of the folder that holds index.js and package.json."
  default     = "/opt/microservice"
}

job "microservice-01" {
  type = "service"
  datacenters = ["dc1"]

  group "Microservices" {

    # Number of services we want to deploy
    # of this type
    count = "1"
    task "microservice-01" {
      driver = "raw_exec"

      config {
        command = "/usr/bin/env"
        args    = ["node", "${var.app_dir}/index.js"]
      }

      # The version this job deploys (the tutorial changed the image tag; here an env var plays that part)
      env {
        APP_VERSION = "1.0.0"
      }

      # Memory resources for this
      resources {
        memory = 256 # 256MB
        network {
          mbits = "10"
          port "http" {}
        }
      }

      # Act as service
      service {
        name = "microservice-01"
        tags = ["microservice-01", "microservice-example@1.0.0"]
        port = "http"
        # The tutorial registered into Consul. No Consul runs here, so the one change needed for
        # the job to place on a plain Nomad 1.6 agent: Nomad's own service catalog.
        provider = "nomad"
      }
    }
  }
}
