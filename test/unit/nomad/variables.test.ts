// Variables: the document formats (round trips, errors that never carry values), path rules, API paths.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatItems, parseItems, validateVariablePath, variableApiPath, VariableAccessDenied } from '../../../src/nomad/variables';
import { mulberry32 } from '../support';

const tricky: Record<string, string> = {
  user: 'admin', 'with space': 'a "quoted" \\ value', multi: 'line1\nline2\n', tmpl: '${not} %{template}', empty: '',
  unicode: 'ünïcødé 日本 🚀', ctl: '\u0001\u007f\t', 'dash-key': 'x',
};

describe('variable documents', () => {
  for (const format of ['hcl', 'json'] as const) {
    it(`${format}: formats and reads back the same items`, () => {
      const text = formatItems(tricky, format, format === 'hcl' ? 'a header\nsecond line' : undefined);
      const r = parseItems(text, format);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.deepEqual(r.items, tricky);
    });
    it(`${format}: random items survive a round trip`, () => {
      const rnd = mulberry32(17);
      const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '\n', '$', '{', '%', '}', 'é', '🚀', '\t', '#', '=', '/'];
      for (let n = 0; n < 200; n++) {
        const items: Record<string, string> = {};
        const count = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < count; k++) {
          let key = '', val = '';
          for (let c = 0; c < 1 + Math.floor(rnd() * 6); c++) key += alphabet[Math.floor(rnd() * alphabet.length)];
          for (let c = 0; c < Math.floor(rnd() * 12); c++) val += alphabet[Math.floor(rnd() * alphabet.length)];
          items[key] = val;
        }
        const r = parseItems(formatItems(items, format), format);
        assert.ok(r.ok, r.ok ? '' : r.error);
        assert.deepEqual(r.items, items);
      }
    });
  }

  it('hcl: reads heredocs, comments and quoted keys', () => {
    const r = parseItems('# c\n// c\n"a b" = "1" # trailing\ncert = <<EOT\nA\n  B\nEOT\nindented = <<-EOT\n    x\n      y\n    EOT\n', 'hcl');
    assert.ok(r.ok);
    assert.deepEqual(r.items, { 'a b': '1', cert: 'A\n  B\n', indented: 'x\n  y\n' });
  });

  it('errors name the line and key, never the value', () => {
    const secret = 'hunter2-SECRET';
    const cases = [`a = "${secret}`, `a = ${secret}`, `a = "${secret}" extra`, `a = "x"\na = "${secret}"`, `a = "\${${secret}}"`, `= "${secret}"`, `a "${secret}"`];
    for (const c of cases) {
      const r = parseItems(c, 'hcl');
      assert.equal(r.ok, false, c);
      assert.ok(!r.ok && !r.error.includes(secret), r.ok ? '' : r.error);
      assert.ok(!r.ok && /line \d/.test(r.error), r.ok ? '' : r.error);
    }
    for (const c of [`{"a": "${secret}"`, `{"a": 1, "b": "${secret}"}`, `["${secret}"]`]) {
      const r = parseItems(c, 'json');
      assert.equal(r.ok, false, c);
      assert.ok(!r.ok && !r.error.includes(secret), r.ok ? '' : r.error);
    }
  });
});

describe('variable paths', () => {
  it('follow Nomad 1.6.5 rules', () => {
    for (const ok of ['a', 'app/db', 'nomad/jobs', 'nomad/jobs/web/g/t', 'nomad/job-templates/x', 'a-b_c~d']) assert.equal(validateVariablePath(ok), undefined, ok);
    for (const bad of ['', 'a.b', 'a b', 'nomad', 'nomad/other', 'nomad/job-templates', 'nomad/job-templates/a/b', '/a', 'a/', 'a//b', 'x'.repeat(129)]) assert.ok(validateVariablePath(bad), bad);
  });
  it('escape each part and keep the separators', () => {
    assert.equal(variableApiPath('app/db'), '/v1/var/app/db');
    assert.equal(variableApiPath('a?b/..'), '/v1/var/a%3Fb/%2E%2E');
  });
  it('a 403 says which path and capability', () => {
    const e = new VariableAccessDenied('prod', 'app/db', 'write');
    assert.match(e.message, /"app\/db"/);
    assert.match(e.message, /"write" capability/);
    assert.match(e.message, /"prod"/);
    assert.match(new VariableAccessDenied('default', 'x', 'destroy').message, /may not delete .*"destroy"/);
  });
});
