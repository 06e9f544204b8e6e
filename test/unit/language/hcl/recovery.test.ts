import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, positionAt, type Body } from '../../../../src/language/hcl';
import { textAt, attr, block } from '../../support';

function names(body: Body): string[] {
  return body.items.map(i =>
    i.kind === 'Attribute' ? i.name : `${i.type}${i.labels.map(l => ' ' + l.value).join('')}`,
  );
}

test('missing closing brace: reported at the unclosed block, later blocks keep their place', () => {
  const text = [
    'job "a" {',
    '  group "g" {',
    '    task "t" {',
    '      driver = "docker"',
    '  }',
    '  group "h" {',
    '    count = 1',
    '  }',
    '}',
    '',
  ].join('\n');
  const f = parse(text);
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['missing-close-brace'],
  );
  assert.deepEqual(positionAt(f, f.errors[0].range.start), { line: 2, character: 13 });
  const job = block(f.body, 'job');
  assert.deepEqual(names(job.body), ['group g', 'group h']);
  const h = block(job.body, 'group', 'h');
  assert.equal(textAt(f, attr(h.body, 'count').range), 'count = 1');
  assert.ok(job.closeBrace);
});

test('missing closing brace at the end of the file', () => {
  const f = parse('job "a" {\n  group "g" {\n    count = 1\n}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['missing-close-brace'],
  );
  assert.equal(attr(block(block(f.body, 'job').body, 'group').body, 'count').expr.kind, 'Literal');
});

test('unterminated string: error at the string, next line parsed', () => {
  const f = parse('a = "oops\nb = 2\nc {\n  d = "ok"\n}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['unterminated-string'],
  );
  assert.equal(textAt(f, f.errors[0].range), '"oops');
  assert.deepEqual(names(f.body), ['a', 'b', 'c']);
  assert.equal(attr(block(f.body, 'c').body, 'd').expr.kind, 'Template');
});

test('stray tokens and broken expressions resynchronise at the next line', () => {
  const f = parse('a = 1 +\nb = ]\n) c = 3\nd = 4\n= 5\ne = f(\ng = [1, 2\ni = 9\nh = { x = 1\n');
  assert.ok(f.errors.length >= 5);
  const n = names(f.body);
  for (const want of ['a', 'b', 'd', 'e', 'g', 'h', 'i']) assert.ok(n.includes(want), `${want} in ${n.join(',')}`);
  assert.equal(textAt(f, attr(f.body, 'i').range), 'i = 9');
  assert.equal(textAt(f, attr(f.body, 'd').range), 'd = 4');
  for (const e of f.errors)
    assert.ok(e.range.start >= 0 && e.range.end <= f.text.length && e.range.start <= e.range.end);
});

test('unclosed list: error at "[" and the following attributes survive', () => {
  const f = parse('task "t" {\n  args = ["a", "b"\n  env = "x"\n}\nnext {}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['unclosed-bracket'],
  );
  assert.equal(textAt(f, f.errors[0].range), '[');
  const t = block(f.body, 't' === 't' ? 'task' : '');
  assert.deepEqual(names(t.body), ['args', 'env']);
  assert.deepEqual(names(f.body), ['task t', 'next']);
});

test('unclosed object followed by a block', () => {
  const f = parse('task "t" {\n  config = {\n    image = "x"\n\n  service "s" {\n  }\n}\n');
  assert.equal(f.errors[0].code, 'unclosed-brace');
  assert.deepEqual(names(block(f.body, 'task').body), ['config', 'service s']);
});

test('a block written inside an object value gets a helpful message', () => {
  const f = parse('config = {\n  port_map {\n    http = 80\n  }\n}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['expected-equals'],
  );
  assert.match(f.errors[0].message, /port_map = \{/);
});

test('incomplete item while typing is kept as an attribute (for completion)', () => {
  const f = parse('job "a" {\n  dri\n  count = 1\n}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['expected-equals'],
  );
  assert.deepEqual(names(block(f.body, 'job').body), ['dri', 'count']);
});

test('stray closing brace at top level', () => {
  const f = parse('a = 1\n}\nb = 2\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['stray-close-brace'],
  );
  assert.deepEqual(names(f.body), ['a', 'b']);
});

test('invalid characters are reported and skipped', () => {
  const f = parse("a = 'x'\nb = 1;\nc = 2\n");
  assert.ok(f.errors.some(e => e.code === 'invalid-character'));
  assert.deepEqual(names(f.body).slice(-1), ['c']);
});

test('unterminated heredoc and block comment do not throw', () => {
  for (const t of [
    'a = <<EOT\nxx\n',
    'a = 1 /* open',
    'a = "${',
    'a = "%{ if x }',
    'a = [for',
    'a = {for k in',
    'x "',
    'x = <<',
    '<<EOT',
  ]) {
    const f = parse(t);
    assert.ok(f.errors.length > 0, t);
  }
});

test('HCL1 syntax gets specific messages', () => {
  const f = parse(
    'job "a" {\n  "region" = "x"\n  count = 1,\n  a = 1 b = 2\n  meta = { k = "v" }\n  config = {\n    x = 1\n  }\n}\n',
  );
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['hcl1-quoted-key', 'hcl1-comma', 'hcl1-same-line'],
  );
  assert.match(f.errors[0].message, /region = \.\.\./);
  assert.equal(textAt(f, f.errors[0].range), '"region"');
  assert.equal(textAt(f, f.errors[1].range), ',');
  assert.equal(textAt(f, f.errors[2].range), 'b');
  assert.deepEqual(names(block(f.body, 'job').body), ['region', 'count', 'a', 'b', 'meta', 'config']);
});

test('one-line block with two arguments', () => {
  const f = parse('check { a = 1 b = 2 }\nnext = 1\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['hcl1-same-line'],
  );
  assert.deepEqual(names(block(f.body, 'check').body), ['a', 'b']);
  assert.deepEqual(names(f.body), ['check', 'next']);
});

test('deep nesting does not overflow the stack', () => {
  const deep = 'a = ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + '\n';
  assert.ok(parse(deep).errors.some(e => e.code === 'too-deep'));
  const blocks = 'b {\n'.repeat(5000);
  assert.ok(parse(blocks).errors.length > 0);
  const arr = 'a = ' + '['.repeat(20000);
  assert.ok(parse(arr).errors.length > 0);
});
