// Formatting in `nomad fmt`'s style: indentation, aligned `=` in runs, token spacing, block headers,
// comments and heredocs kept, trailing whitespace and line breaks as nomad fmt; idempotent; refuses broken files;
// range formatting; the LSP edits reproduce the formatted text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { applyTextEdits } from '../../../../src/language/features/codeActions';
import {
  formatDocument,
  formattingEdits,
  rangeFormattingEdits,
  syntaxShape,
} from '../../../../src/language/features/format';

function fmt(text: string): string {
  const r = formatDocument(text);
  if (r.text === undefined) throw new Error(`refused: ${r.refused}`);
  return r.text;
}

test('indentation, alignment runs, spacing and headers', () => {
  const input = [
    'job   "web"{',
    'datacenters=["dc1","dc2"]',
    '  type = "service"',
    '',
    '      priority    =   50 # high',
    '  all_at_once = false    // no',
    '',
    '  group "g" {',
    '  count=1',
    '  # a comment breaks the run',
    '  max_client_disconnect = "1h"',
    '    meta {',
    '  a="1"',
    '      long_key = "2"',
    '    }',
    '   task "t"   {',
    'driver="docker"',
    'config {',
    '  args = [',
    '"-c",',
    '      "echo ${ NOMAD_PORT_http }",',
    ']',
    'image = "x"',
    '}',
    'resources { cpu = 100 }',
    '  }',
    '  }',
    '}',
  ].join('\n');
  const expected = [
    'job "web" {',
    '  datacenters = ["dc1", "dc2"]',
    '  type        = "service"',
    '',
    '  priority    = 50    # high',
    '  all_at_once = false // no',
    '',
    '  group "g" {',
    '    count = 1',
    '    # a comment breaks the run',
    '    max_client_disconnect = "1h"',
    '    meta {',
    '      a        = "1"',
    '      long_key = "2"',
    '    }',
    '    task "t" {',
    '      driver = "docker"',
    '      config {',
    '        args = [',
    '          "-c",',
    '          "echo ${NOMAD_PORT_http}",',
    '        ]',
    '        image = "x"',
    '      }',
    '      resources { cpu = 100 }',
    '    }',
    '  }',
    '}',
  ].join('\n'); // no final newline: the input has none, and nomad fmt adds none
  assert.equal(fmt(input), expected);
});

test('expressions: calls, operators, unary minus, indexes, conditionals, for, objects', () => {
  const input =
    'locals {\n  a = upper( "x" )\n  b = 1+2*3\n  c = -1\n  d = var.list [ 0 ]\n  e = var.x ? "a":"b"\n  f = [ for s in var.l : upper(s) if s!="" ]\n  g = {a=1,b=2}\n  h = {}\n  i = !true\n  j = concat(var.a , var.b...)\n  k = 5 - -1\n}\n';
  const expected =
    'locals {\n  a = upper("x")\n  b = 1 + 2 * 3\n  c = -1\n  d = var.list[0]\n  e = var.x ? "a" : "b"\n  f = [for s in var.l : upper(s) if s != ""]\n  g = { a = 1, b = 2 }\n  h = {}\n  i = !true\n  j = concat(var.a, var.b...)\n  k = 5 - -1\n}\n';
  assert.equal(fmt(input), expected);
});

test('heredocs, strings and comments are kept exactly; multi-line values break the alignment', () => {
  const input = [
    'job "a" {',
    '  group "g" {',
    '    task "t" {',
    '      template {',
    '        data        = <<EOH',
    '   keep   this   ',
    '{{ range service "x" }}  {{ .Address }}{{ end }}',
    '  EOH',
    '        destination = "local/x"',
    '        env = true',
    '      }',
    '      /* a  block',
    '         comment   */',
    '      env {',
    '        A = "  spaced  ${ x }  "',
    '        LONGER = "\\"q\\""',
    '        OBJ = {',
    '          k = "v"',
    '        }',
    '        Z = "z"',
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');
  const out = fmt(input);
  // a heredoc attribute takes part in the alignment run (as in nomad fmt); its body is untouched
  assert.ok(
    out.includes(
      '        data        = <<EOH\n   keep   this   \n{{ range service "x" }}  {{ .Address }}{{ end }}\n  EOH\n',
    ),
    out,
  );
  assert.ok(out.includes('        destination = "local/x"\n        env         = true\n'), out);
  assert.ok(out.includes('      /* a  block\n         comment   */\n'));
  assert.ok(
    out.includes(
      '        A      = "  spaced  ${x}  "\n        LONGER = "\\"q\\""\n        OBJ = {\n          k = "v"\n        }\n        Z = "z"\n',
    ),
    out,
  );
});

test('idempotent, line breaks kept as nomad fmt keeps them, no trailing whitespace after code, CRLF kept', () => {
  // outputs checked against nomad fmt 1.6.5: comments keep their trailing spaces, blank lines at the end
  // stay, a missing final newline is not added, spaces at the very end of the file stay
  const once = fmt('job "a" {   \n  type = "batch"   # x   \n}\n\n\n\n');
  assert.equal(once, 'job "a" {\n  type = "batch" # x   \n}\n\n\n\n');
  assert.equal(fmt(once), once);
  assert.equal(fmt('job "a" {}'), 'job "a" {}');
  assert.equal(fmt('job "a" {\n}\n\t \n  '), 'job "a" {\n}\n\n  ');
  assert.equal(fmt('job "a" {\r\n    type="batch"\r\n}\r\n'), 'job "a" {\r\n  type = "batch"\r\n}\r\n');
  assert.equal(fmt(''), '');
});

test('refuses files with syntax errors and JSON files', () => {
  assert.equal(formatDocument('job "a" {\n  type = \n}\n').text, undefined);
  assert.equal(formatDocument('job "a" {\n  group "g" {\n}\n').text, undefined);
  assert.deepEqual(formattingEdits('job "a" {\n  type = \n}\n'), []);
  assert.equal(formatDocument('{"job": {}}').text, undefined);
});

test('LSP edits: minimal line edits reproduce the formatted text; range formatting touches only its lines', () => {
  const input = 'job "a" {\ntype="batch"\n  group "g" {\n  count=1\n  }\n}\n\n\n';
  const edits = formattingEdits(input);
  assert.equal(
    applyTextEdits(
      input,
      edits.map(e => e),
    ),
    fmt(input),
  );
  assert.ok(edits.length <= 4, JSON.stringify(edits));
  const partial = rangeFormattingEdits(input, 3, 3);
  assert.equal(partial.length, 1);
  assert.equal(applyTextEdits(input, partial), 'job "a" {\ntype="batch"\n  group "g" {\n    count = 1\n  }\n}\n\n\n');
  assert.deepEqual(formattingEdits(fmt(input)), [], 'nothing to do on formatted text');
});

test('the syntax shape ignores layout but not content', () => {
  const a = syntaxShape(parse('job "a" {\n  type = "batch"\n}\n'));
  assert.equal(syntaxShape(parse('job  "a"  {\n      type="batch"\n}')), a);
  assert.notEqual(syntaxShape(parse('job "a" {\n  type = "batch "\n}\n')), a);
});
