# SYNTAX TEST "source.nomad" "a complete service job: blocks, labels, attributes, literals"
job "api" {
# <--- entity.name.type.nomad.block
#   ^^^^^ string.quoted.double.nomad
#    ^^^ entity.name.label.nomad
#         ^ punctuation.section.block.begin.nomad
  datacenters = ["dc1", "dc2"]
# ^^^^^^^^^^^ variable.other.readwrite.nomad
#             ^ keyword.operator.assignment.nomad
#               ^ punctuation.section.brackets.begin.nomad
#                ^^^^^ string.quoted.double.nomad
#                     ^ punctuation.separator.comma.nomad
  type        = "service"

  group "web" {
# ^^^^^ meta.block.nomad meta.block.nomad entity.name.type.nomad.block
#        ^^^ entity.name.label.nomad
    count = 3
#           ^ constant.numeric.integer.nomad

    network {
      port "http" { to = 8080 }
#     ^^^^ entity.name.type.nomad.block
#           ^^^^ entity.name.label.nomad
#                   ^^ variable.other.readwrite.nomad
#                        ^^^^ constant.numeric.integer.nomad
#                             ^ punctuation.section.block.end.nomad
    }

    update {
      max_parallel      = 1
      health_check      = "checks"
      min_healthy_time  = "10s"
      auto_revert       = true
#                         ^^^^ constant.language.nomad
      canary            = 0
    }

    task "server" {
      driver = "docker"
#     ^^^^^^ variable.other.readwrite.nomad
#              ^ punctuation.definition.string.begin.nomad
#                     ^ punctuation.definition.string.end.nomad

      config {
        image = "nginx:1.25"
        ports = ["http"]
      }

      resources {
        cpu    = 200
        memory = 256
      }

      service {
        name     = "api-web"
        port     = "http"
        provider = "nomad"

        check {
#       ^^^^^ entity.name.type.nomad.block
          type     = "http"
          path     = "/health"
          interval = "10s"
          timeout  = "2s"
        }
      }

      my_plugin_block "a" "b" {
#     ^^^^^^^^^^^^^^^ entity.name.type.nomad - entity.name.type.nomad.block
#                      ^ entity.name.label.nomad
#                          ^ entity.name.label.nomad
        enabled = false
#                 ^^^^^ constant.language.nomad
      }
    }
  }
}
# <- punctuation.section.block.end.nomad
