# A small service job used by the extension-host tests.
variable "image" {
  type    = string
  default = "nginx:1.27"
}

job "web" {
  datacenters = ["dc1"]
  type        = "service"

  group "frontend" {
    count = 2

    network {
      port "http" {
        to = 80
      }
    }

    task "server" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]
      }

      template {
        data        = <<-EOT
          upstream = "${NOMAD_ADDR_http}"
        EOT
        destination = "local/app.env"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
