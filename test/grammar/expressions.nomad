# SYNTAX TEST "source.nomad" "for-expressions, conditionals, functions, operators and literals"
locals {
# <------ entity.name.type.nomad.block
  ports     = [for p in var.ports : p * 2 if p != 0]
# ^^^^^ variable.other.readwrite.nomad
#              ^^^ keyword.control.for.nomad
#                  ^ variable.other.nomad
#                    ^^ keyword.control.in.nomad
#                                 ^ keyword.operator.conditional.nomad
#                                     ^ keyword.operator.arithmetic.nomad
#                                         ^^ keyword.control.conditional.nomad
#                                              ^^ keyword.operator.comparison.nomad
  by_name   = { for s in var.services : s.name => s... }
#               ^^^ keyword.control.for.nomad
#                                         ^^^^ variable.other.member.nomad
#                                              ^^ keyword.operator.arrow.nomad
#                                                  ^^^ keyword.operator.ellipsis.nomad
  replicas  = var.env == "prod" ? 3 : 1
#                     ^^ keyword.operator.comparison.nomad
#                               ^ keyword.operator.conditional.nomad
#                                   ^ keyword.operator.conditional.nomad
  enabled   = !var.disabled && (var.a || var.b)
#             ^ keyword.operator.logical.nomad
#                           ^^ keyword.operator.logical.nomad
#                              ^ punctuation.section.parens.begin.nomad
#                                     ^^ keyword.operator.logical.nomad
  image     = format("%s:%s", var.image, lower(var.tag))
#             ^^^^^^ meta.function-call.nomad support.function.builtin.nomad
#                   ^ punctuation.section.arguments.begin.nomad
#                                        ^^^^^ support.function.builtin.nomad
#                                                     ^ punctuation.section.arguments.end.nomad
  custom    = my_function(1)
#             ^^^^^^^^^^^ entity.name.function.nomad
  ratio     = 0.75
#             ^^^^ constant.numeric.float.nomad
  big       = 1e6
#             ^^^ constant.numeric.float.nomad
  precise   = 6.02E+23
#             ^^^^^^^^ constant.numeric.float.nomad
  negative  = -42
#             ^ keyword.operator.arithmetic.nomad
#              ^^ constant.numeric.integer.nomad
  nothing   = null
#             ^^^^ constant.language.nomad
  flags     = { debug = true, "log-level" = "info" }
#             ^ punctuation.section.braces.begin.nomad
#               ^^^^^ meta.mapping.key.nomad variable.other.readwrite.nomad
#                       ^^^^ constant.language.nomad
#                             ^^^^^^^^^^^ meta.mapping.key.nomad string.quoted.double.nomad
  first_ip  = local.addresses[0]
#             ^^^^^ variable.language.nomad
#                   ^^^^^^^^^ variable.other.member.nomad
#                            ^ punctuation.section.brackets.begin.nomad
  names     = var.services[*].name
#                          ^ keyword.operator.splat.nomad
  arch      = "${attr.cpu.arch}-${node.unique.id}"
#                ^^^^ variable.language.nomad
#                                 ^^^^ variable.language.nomad
  math      = (10 % 3) / 2.5 - 1 >= 0
#                 ^ keyword.operator.arithmetic.nomad
#                      ^ keyword.operator.arithmetic.nomad
#                                ^^ keyword.operator.comparison.nomad
}
