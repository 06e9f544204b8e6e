# SYNTAX TEST "source.nomad" "nested driver config blocks and every comment style"
# a number-sign comment with "quotes" and { braces }
# <- comment.line.number-sign.nomad punctuation.definition.comment.nomad
#  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.nomad
// a double-slash comment
# <-- comment.line.double-slash.nomad punctuation.definition.comment.nomad
/* a block comment
# <-- comment.block.nomad punctuation.definition.comment.begin.nomad
   job "not-a-block" {
#  ^^^^^^^^^^^^^^^^^^^ comment.block.nomad - entity.name.type
*/
# <-- comment.block.nomad punctuation.definition.comment.end.nomad
job "batch-worker" {
  type = "batch" # trailing comment
#                ^ comment.line.number-sign.nomad
#                  ^^^^^^^^^^^^^^^^ comment.line.number-sign.nomad
  group "workers" {
    count = 2 // trailing double-slash
#             ^^ comment.line.double-slash.nomad
    task "worker" {
      driver = "docker" /* inline block */
#                       ^^^^^^^^^^^^^^^^^ comment.block.nomad
      config {
        image   = "busybox:1.36"
        command = "sh"
        args    = ["-c", "echo $${HOME} && sleep 30"]
#                              ^^^ constant.character.escape.template.nomad
        labels = {
#       ^^^^^^ variable.other.readwrite.nomad
#                ^ meta.braces.nomad punctuation.section.braces.begin.nomad
          "com.example.team" = "platform"
#         ^^^^^^^^^^^^^^^^^^ meta.mapping.key.nomad string.quoted.double.nomad
          tier               = "backend"
#         ^^^^ meta.mapping.key.nomad variable.other.readwrite.nomad
        }
        mount {
#       ^^^^^ meta.block.nomad entity.name.type.nomad
          type     = "bind"
          source   = "local/data"
          target   = "/data"
          readonly = false
#                    ^^^^^ constant.language.nomad
          bind_options {
#         ^^^^^^^^^^^^ entity.name.type.nomad
            propagation = "rshared"
#           ^^^^^^^^^^^ variable.other.readwrite.nomad
          }
        }
        logging {
          type = "journald"
          config {
#         ^^^^^^ entity.name.type.nomad.block
            tag = "worker-${NOMAD_ALLOC_INDEX}"
#                           ^^^^^^^^^^^^^^^^^ variable.other.constant.runtime.nomad
          }
        }
      }
      env {
#     ^^^ entity.name.type.nomad.block
        NOMAD_ADDR = "http://${attr.unique.network.ip-address}:4646"
#       ^^^^^^^^^^ variable.other.readwrite.nomad
#                              ^^^^ variable.language.nomad
#                                                  ^^^^^^^^^^ variable.other.member.nomad
      }
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }
    }
  }
}
