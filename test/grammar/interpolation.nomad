# SYNTAX TEST "source.nomad" "string templates: interpolation, directives and escapes"
variable "servers" {
  type    = list(string)
#           ^^^^ support.type.nomad
#                ^^^^^^ support.type.primitive.nomad
  default = ["10.0.0.1", "10.0.0.2"]
}

job "proxy" {
  meta {
    owner = "team-${var.team}"
#           ^^^^^^ string.quoted.double.nomad - meta.interpolation
#                 ^^ meta.interpolation.nomad punctuation.section.interpolation.begin.nomad
#                   ^^^ variable.language.nomad
#                      ^ punctuation.accessor.nomad
#                       ^^^^ variable.other.member.nomad
#                           ^ punctuation.section.interpolation.end.nomad
#                            ^ punctuation.definition.string.end.nomad
    note  = "tab\there \"quoted\" \u00e9 and $${not_interpolated} and %%{not_a_directive}"
#               ^^ constant.character.escape.nomad
#                      ^^ constant.character.escape.nomad
#                                 ^^^^^^ constant.character.escape.nomad
#                                            ^^^ constant.character.escape.template.nomad
#                                               ^^^^^^^^^^^^^^^^^ string.quoted.double.nomad - meta.interpolation
#                                                                     ^^^ constant.character.escape.template.nomad
  }

  group "lb" {
    task "haproxy" {
      template {
        destination = "local/haproxy.cfg"
        data        = <<EOF
backend app
%{ for i, addr in var.servers ~}
# <-- punctuation.section.directive.begin.nomad
#  ^^^ keyword.control.directive.nomad
#      ^ variable.other.nomad
#       ^ punctuation.separator.comma.nomad
#              ^^ keyword.control.directive.nomad
#                 ^^^ variable.language.nomad
#                             ^^ punctuation.section.directive.end.nomad
  server s${i} ${addr}:8080 check
#         ^^ meta.interpolation.nomad
#           ^ variable.other.nomad
#                     ^^^^^ string.unquoted.heredoc.nomad - meta.interpolation
%{ endfor ~}
#  ^^^^^^ keyword.control.directive.nomad
%{ if length(var.servers) > 1 }
#  ^^ keyword.control.directive.nomad
#     ^^^^^^ support.function.builtin.nomad
#                         ^ keyword.operator.comparison.nomad
#                           ^ constant.numeric.integer.nomad
balance roundrobin
%{ else }
#  ^^^^ keyword.control.directive.nomad
balance first
%{ endif }
#  ^^^^^ keyword.control.directive.nomad
EOF
      }
    }
  }
}
