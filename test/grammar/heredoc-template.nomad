# SYNTAX TEST "source.nomad" "heredoc templates: <<EOH and an indented <<-EOT end marker"
job "web" {
  group "app" {
    task "nginx" {
      template {
        data = <<EOH
#              ^^ keyword.operator.heredoc.nomad
#                ^^^ keyword.control.heredoc.marker.nomad
server {
# <------ string.unquoted.heredoc.nomad
  listen ${NOMAD_PORT_http};
# ^^^^^^ string.unquoted.heredoc.nomad
#        ^^ meta.interpolation.nomad punctuation.section.interpolation.begin.nomad
#          ^^^^^^^^^^^^^^^ variable.other.constant.runtime.nomad
#                         ^ punctuation.section.interpolation.end.nomad
  # a hash inside a heredoc is text, not a comment
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.heredoc.nomad - comment
  set $$upstream {{ env "NOMAD_UPSTREAM_ADDR_db" }};
#     ^^ string.unquoted.heredoc.nomad
#                ^^ meta.embedded.template.nomad punctuation.section.embedded.begin.nomad
#                                                ^^ punctuation.section.embedded.end.nomad
  root $${literal};
#      ^^^ constant.character.escape.template.nomad
}
EOH
# <--- keyword.control.heredoc.marker.nomad
        destination = "local/nginx.conf"
#       ^^^^^^^^^^^ variable.other.readwrite.nomad - string
        change_mode = "signal"
      }

      template {
        destination = "local/app.env"
        env         = true
        data        = <<-EOT
          APP_PORT=${NOMAD_PORT_http}
#         ^^^^^^^^^ string.unquoted.heredoc.nomad
#                  ^^ punctuation.section.interpolation.begin.nomad
          EOT is not the end marker when followed by text
#         ^^^ string.unquoted.heredoc.nomad - keyword.control.heredoc.marker.nomad
          EOT
#         ^^^ meta.heredoc.nomad keyword.control.heredoc.marker.nomad
      }
#     ^ punctuation.section.block.end.nomad - string
    }
  }
}
