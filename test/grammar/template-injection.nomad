# SYNTAX TEST "source.nomad" "the Go template inside a template block's data (the nomad.template injection)"
job "web" {
  group "app" {
    task "api" {
      template {
        data = <<EOT
{{ with nomadVar "nomad/jobs/web" }}PASSWORD={{ .password | toUpper }}{{ end }}
# <-- meta.embedded.template.nomad punctuation.section.embedded.begin.nomad
#  ^^^^ keyword.control.template.nomad
#       ^^^^^^^^ support.function.template.nomad
#                ^^^^^^^^^^^^^^^^ string.quoted.double.template.nomad
#                                               ^^^^^^^^^ variable.other.member.template.nomad
#                                                         ^ keyword.operator.pipe.template.nomad
#                                                           ^^^^^^^ support.function.template.nomad
#                                                                        ^^^ keyword.control.template.nomad
#                                   ^^^^^^^^^ string.unquoted.heredoc.nomad - meta.embedded.template.nomad
{{- range $i, $s := nomadService "db" -}} {{ $s.Address }} {{ bogus }} {{/* note */}}
# <--- punctuation.section.embedded.begin.nomad
#   ^^^^^ keyword.control.template.nomad
#         ^^ variable.other.template.nomad
#                   ^^^^^^^^^^^^ support.function.template.nomad
#                                                             ^^^^^ invalid.illegal.unknown-function.template.nomad
#                                                                      ^^^^^^^^^^^^^^ comment.block.template.nomad
plain text stays text ${NOMAD_PORT_http}
# <----- string.unquoted.heredoc.nomad - meta.embedded.template.nomad
#                     ^^ punctuation.section.interpolation.begin.nomad
EOT
        destination = "local/env"
      }
      template {
        data        = "KEY={{ env \"NOMAD_TASK_NAME\" }}"
#                          ^^ meta.embedded.template.nomad punctuation.section.embedded.begin.nomad
#                             ^^^ support.function.template.nomad
#                                 ^^^^^^^^^^^^^^^^^^^ string.quoted.double.template.nomad
        destination = "local/key"
      }
    }
  }
}
