job "microservice-01" {
  type = "service"
  datacenters = ["dc1"]

  group "Microservices" {

    # Number of services we want to deploy
    # of this type
    count = "1"
    task "microservice-01" {
      driver = "docker"

      config {
        # The image we want to use for deployment
        image = "eridemnet/microservice-example:1.0.0"

        # The port exposed from the container
        port_map {
          http = 3000
        }
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
      }
    }
  }
}
