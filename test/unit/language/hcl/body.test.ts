import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { textAt, attr, block, parseOk } from '../../support';

test('attributes and blocks with exact ranges', () => {
  const f = parseOk('job "web" {\n  datacenters = ["dc1"]\n  group app {\n    count = 2\n  }\n}\n');
  assert.equal(f.syntax, 'hcl');
  assert.equal(f.body.items.length, 1);
  const job = block(f.body, 'job');
  assert.equal(textAt(f, job.typeRange), 'job');
  assert.deepEqual(
    job.labels.map(l => [l.value, textAt(f, l.range), l.quoted]),
    [['web', '"web"', true]],
  );
  assert.equal(textAt(f, job.openBrace), '{');
  assert.equal(textAt(f, job.closeBrace), '}');
  assert.equal(job.closeBrace!.start, f.text.length - 2);
  assert.equal(textAt(f, job.range), f.text.slice(0, -1));
  const dc = attr(job.body, 'datacenters');
  assert.equal(textAt(f, dc.nameRange), 'datacenters');
  assert.equal(textAt(f, dc.equals), '=');
  assert.equal(textAt(f, dc.range), 'datacenters = ["dc1"]');
  assert.equal(textAt(f, dc.expr.range), '["dc1"]');
  const g = block(job.body, 'group');
  assert.deepEqual(
    g.labels.map(l => [l.value, textAt(f, l.range), l.quoted]),
    [['app', 'app', false]],
  );
  assert.equal(textAt(f, g.range), 'group app {\n    count = 2\n  }');
  assert.equal(textAt(f, attr(g.body, 'count').range), 'count = 2');
  // the body range is the inside of the braces
  assert.equal(textAt(f, g.body.range), '\n    count = 2\n  ');
});

test('one-line blocks', () => {
  const f = parseOk('network {\n  port "http" {}\n  port "db" { static = 5432 }\n}\ncheck { type = "http" }\n');
  const net = block(f.body, 'network');
  const http = block(net.body, 'port', 'http');
  assert.equal(http.body.items.length, 0);
  assert.equal(textAt(f, http.range), 'port "http" {}');
  const db = block(net.body, 'port', 'db');
  assert.equal(textAt(f, attr(db.body, 'static').range), 'static = 5432');
  assert.equal(textAt(f, db.range), 'port "db" { static = 5432 }');
  const check = block(f.body, 'check');
  assert.equal(attr(check.body, 'type').expr.kind, 'Template');
});

test('blocks with several labels, mixed quoted and bare', () => {
  const f = parseOk('a "x" y "z" {\n}\n');
  const b = block(f.body, 'a');
  assert.deepEqual(
    b.labels.map(l => [l.value, l.quoted]),
    [
      ['x', true],
      ['y', false],
      ['z', true],
    ],
  );
});

test('comments are collected with ranges and do not disturb items', () => {
  const text = '# hash\n// slashes\n/* block\n comment */ a = 1 # trailing\nb = 2 // more\n/**/\n';
  const f = parseOk(text);
  assert.deepEqual(
    f.comments.map(c => [c.style, c.text]),
    [
      ['#', '# hash'],
      ['//', '// slashes'],
      ['/*', '/* block\n comment */'],
      ['#', '# trailing'],
      ['//', '// more'],
      ['/*', '/**/'],
    ],
  );
  for (const c of f.comments) assert.equal(textAt(f, c.range), c.text);
  assert.deepEqual(
    f.body.items.map(i => (i.kind === 'Attribute' ? i.name : '')),
    ['a', 'b'],
  );
});

test('comment with CRLF excludes the carriage return', () => {
  const f = parseOk('a = 1 # c\r\nb = 2\r\n');
  assert.equal(f.comments[0].text, '# c');
  assert.equal(f.body.items.length, 2);
});

test('key = { ... } at body level is an object attribute, not an error', () => {
  const f = parseOk('config = {\n  image = "redis"\n  ports = ["db"]\n}\nmeta = {}\n');
  const c = attr(f.body, 'config');
  assert.equal(c.expr.kind, 'Object');
  assert.equal(attr(f.body, 'meta').expr.kind, 'Object');
});

test('empty and whitespace-only files', () => {
  for (const t of ['', '\n\n', '   ', '# only a comment', '\uFEFF']) {
    const f = parse(t);
    assert.deepEqual(f.errors, []);
    assert.equal(f.body.items.length, 0);
  }
});
