import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalString, parse, type TemplatePart } from '../../../../src/language/hcl';
import { textAt, attr, expr, narrow, parseOk } from '../../support';

function kinds(parts: TemplatePart[]): string[] {
  return parts.map(p => (p.kind === 'TemplateLiteral' ? JSON.stringify(p.value) : p.kind));
}

test('a plain string exposes its literal value', () => {
  const { file, e } = expr('"hello world"');
  const t = narrow(e, 'Template');
  assert.equal(t.literal, 'hello world');
  assert.equal(literalString(t), 'hello world');
  assert.equal(textAt(file, t.range), '"hello world"');
  assert.equal(textAt(file, t.parts[0].range), 'hello world');
  assert.equal(narrow(expr('""').e, 'Template').literal, '');
});

test('escapes', () => {
  const t = narrow(expr('"a\\nb\\tc\\"d\\\\e\\u00e9\\U0001F600\\r"').e, 'Template');
  assert.equal(t.literal, 'a\nb\tc"d\\eé😀\r');
  assert.equal(narrow(expr('"$${not} %%{nor} $ % 100%"').e, 'Template').literal, '${not} %{nor} $ % 100%');
  const bad = parse('x = "\\q"\ny = 1\n');
  assert.deepEqual(
    bad.errors.map(e => e.code),
    ['invalid-escape'],
  );
  assert.equal(bad.body.items.length, 2);
});

test('interpolations with ranges', () => {
  const { file, e } = expr('"http://${NOMAD_ADDR_http}/x/${var.p[0]}"');
  const t = narrow(e, 'Template');
  assert.equal(t.literal, undefined);
  assert.deepEqual(kinds(t.parts), ['"http://"', 'TemplateInterpolation', '"/x/"', 'TemplateInterpolation']);
  const i = t.parts[1];
  assert.equal(i.kind, 'TemplateInterpolation');
  assert.equal(textAt(file, i.range), '${NOMAD_ADDR_http}');
  assert.equal(textAt(file, i.expr.range), 'NOMAD_ADDR_http');
  assert.equal(textAt(file, t.parts[3].range), '${var.p[0]}');
  // nested quotes inside an interpolation
  const n = narrow(expr('"${lookup(m, "k", "d")}!"').e, 'Template');
  assert.deepEqual(kinds(n.parts), ['TemplateInterpolation', '"!"']);
});

test('if / else / endif and for / endfor directives', () => {
  const { file, e } = expr('"%{ if a }yes%{ else }no%{ endif }"');
  const t = narrow(e, 'Template');
  const d = t.parts[0];
  assert.equal(d.kind, 'TemplateIf');
  if (d.kind !== 'TemplateIf') return;
  assert.equal(textAt(file, d.cond.range), 'a');
  assert.deepEqual(kinds(d.then), ['"yes"']);
  assert.deepEqual(kinds(d.else!), ['"no"']);
  assert.equal(textAt(file, d.range), '%{ if a }yes%{ else }no%{ endif }');
  const f = narrow(expr('"%{ for k, v in m }${k}=${v};%{ endfor }"').e, 'Template').parts[0];
  assert.equal(f.kind, 'TemplateFor');
  if (f.kind !== 'TemplateFor') return;
  assert.equal(f.keyVar?.name, 'k');
  assert.equal(f.valueVar.name, 'v');
  assert.deepEqual(kinds(f.body), ['TemplateInterpolation', '"="', 'TemplateInterpolation', '";"']);
});

test('strip markers trim the neighbouring literals', () => {
  const t = narrow(expr('"a  ${~ x ~}  b"').e, 'Template');
  assert.deepEqual(kinds(t.parts), ['"a"', 'TemplateInterpolation', '"b"']);
  const i = t.parts[1];
  assert.ok(i.kind === 'TemplateInterpolation' && i.stripLeft && i.stripRight);
  const h = parseOk('x = <<EOT\n%{ for s in l ~}\n  ${s}\n%{ endfor ~}\nEOT\n');
  const f = narrow(attr(h.body, 'x').expr, 'Heredoc').parts[0];
  assert.ok(f.kind === 'TemplateFor');
  assert.deepEqual(kinds(f.body), ['TemplateInterpolation', '"\\n"']);
});

test('heredocs: plain and indented, value and ranges', () => {
  const text =
    'a = <<EOT\nline 1\n  line ${two}\nEOT\nb = <<-EOF\n    indented\n      more\n\n    end\n    EOF\nc = 3\n';
  const f = parseOk(text);
  const a = narrow(attr(f.body, 'a').expr, 'Heredoc');
  assert.equal(a.marker, 'EOT');
  assert.equal(a.flush, false);
  assert.deepEqual(kinds(a.parts), ['"line 1\\n  line "', 'TemplateInterpolation', '"\\n"']);
  assert.equal(textAt(f, a.range), '<<EOT\nline 1\n  line ${two}\nEOT');
  assert.equal(textAt(f, a.contentRange), 'line 1\n  line ${two}\n');
  const b = narrow(attr(f.body, 'b').expr, 'Heredoc');
  assert.equal(b.flush, true);
  assert.equal(b.literal, 'indented\n  more\n\nend\n');
  assert.equal(literalString(b), 'indented\n  more\n\nend\n');
  assert.equal(textAt(f, attr(f.body, 'c').range), 'c = 3');
});

test('heredoc with CRLF line endings and a trailing space after the marker', () => {
  const f = parseOk('a = <<EOH\r\nx\r\nEOH \r\nb = 1\r\n');
  assert.equal(narrow(attr(f.body, 'a').expr, 'Heredoc').literal, 'x\r\n');
  assert.equal(attr(f.body, 'b').expr.kind, 'Literal');
});

test('template errors: unclosed interpolation, unknown directive, unclosed if', () => {
  const f = parse('a = "x ${y"\nb = "%{ if c }t"\nd = "%{ bogus }"\ne = 1\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['unclosed-interpolation', 'unclosed-directive', 'invalid-directive'],
  );
  assert.equal(attr(f.body, 'e').expr.kind, 'Literal');
});
