import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseJSON, staticValue } from '../../../../src/language/hcl';
import { textAt, attr } from '../../support';

test('JSON job files are detected and parsed without errors', () => {
  const text =
    '// leading comment\n{\n  "Job": {\n    "ID": "web",\n    "Priority": 50,\n    "Datacenters": ["dc1", "dc2"],\n    "Meta": null,\n    "Stop": false,\n    "Ratio": -1.5e2\n  }\n}\n';
  const f = parse(text);
  assert.equal(f.syntax, 'json');
  assert.deepEqual(f.errors, []);
  assert.equal(f.comments.length, 1);
  const job = attr(f.body, 'Job');
  assert.equal(textAt(f, job.nameRange), '"Job"');
  assert.deepEqual(staticValue(job.expr), {
    ID: 'web',
    Priority: 50,
    Datacenters: ['dc1', 'dc2'],
    Meta: null,
    Stop: false,
    Ratio: -150,
  });
  assert.equal(job.expr.kind, 'Object');
  if (job.expr.kind !== 'Object') return;
  assert.equal(textAt(f, job.expr.items[0].range), '"ID": "web"');
  assert.equal(job.expr.items[0].keyName, 'ID');
});

test('JSON strings decode escapes', () => {
  const f = parseJSON('{"a": "x\\n\\u00e9\\"\\\\"}');
  assert.deepEqual(staticValue(attr(f.body, 'a').expr), 'x\né"\\');
});

test('broken JSON reports errors and does not throw', () => {
  for (const t of ['{', '{"a": }', '{"a" 1}', '{"a": [1, 2}', '{"a": "x', '{a: 1}', '{"a": 1} extra', '{"a": tru}']) {
    const f = parseJSON(t);
    assert.ok(f.errors.length > 0, t);
    for (const e of f.errors) assert.ok(e.range.start >= 0 && e.range.end <= t.length, t);
  }
});
