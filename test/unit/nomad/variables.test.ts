// Variables: the document formats (round trips, errors that never carry values), path rules, API paths.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatItems,
  itemEntries,
  newItems,
  parseItems,
  sameItems,
  setItem,
  validateVariablePath,
  variableApiPath,
  VariableAccessDenied,
  VariablesClient,
} from '../../../src/nomad/variables';
import { NomadClient } from '../../../src/nomad/client';
import { NomadError } from '../../../src/nomad/errors';
import { mulberry32, profile, startServer } from '../support';
import { HOSTILE_KEYS as HOSTILE, LONG_KEY } from '../../harness/hostile';

const tricky: Record<string, string> = {
  user: 'admin',
  'with space': 'a "quoted" \\ value',
  multi: 'line1\nline2\n',
  tmpl: '${not} %{template}',
  empty: '',
  unicode: 'ünïcødé 日本 🚀',
  ctl: '\u0001\u007f\t',
  'dash-key': 'x',
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
          let key = '',
            val = '';
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
    const r = parseItems(
      '# c\n// c\n"a b" = "1" # trailing\ncert = <<EOT\nA\n  B\nEOT\nindented = <<-EOT\n    x\n      y\n    EOT\n',
      'hcl',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.items, { 'a b': '1', cert: 'A\n  B\n', indented: 'x\n  y\n' });
  });

  it('errors name the line and key, never the value', () => {
    const secret = 'hunter2-SECRET';
    const cases = [
      `a = "${secret}`,
      `a = ${secret}`,
      `a = "${secret}" extra`,
      `a = "x"\na = "${secret}"`,
      `a = "\${${secret}}"`,
      `= "${secret}"`,
      `a "${secret}"`,
    ];
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
    for (const ok of ['a', 'app/db', 'nomad/jobs', 'nomad/jobs/web/g/t', 'nomad/job-templates/x', 'a-b_c~d'])
      assert.equal(validateVariablePath(ok), undefined, ok);
    for (const bad of [
      '',
      'a.b',
      'a b',
      'nomad',
      'nomad/other',
      'nomad/job-templates',
      'nomad/job-templates/a/b',
      '/a',
      'a/',
      'a//b',
      'x'.repeat(129),
    ])
      assert.ok(validateVariablePath(bad), bad);
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

// --- data kept as the cluster has it -----------------------------------------------------------------

const HOSTILE_KEYS = [...HOSTILE, LONG_KEY];

function items(pairs: [string, string][]): Record<string, string> {
  const o = newItems();
  for (const [k, v] of pairs) setItem(o, k, v);
  return o;
}

describe('any key survives the Variables document', () => {
  for (const format of ['hcl', 'json'] as const) {
    it(`${format}: __proto__, constructor, empty, 64 KiB, =, quotes, newlines… each round-trips beside another item`, () => {
      for (const key of HOSTILE_KEYS) {
        const before = items([
          [key, `value of ${key.slice(0, 20)}`],
          ['other', 'x'],
        ]);
        assert.equal(Object.keys(before).length, 2, `built with ${JSON.stringify(key.slice(0, 30))}`);
        const text = formatItems(before, format);
        const r = parseItems(text, format);
        assert.ok(r.ok, r.ok ? '' : r.error);
        assert.ok(
          Object.prototype.hasOwnProperty.call(r.items, key),
          `${format}: ${JSON.stringify(key.slice(0, 30))} kept as an own item`,
        );
        assert.ok(sameItems(r.items, before), `${format}: ${JSON.stringify(key.slice(0, 30))}`);
        assert.equal(Object.getPrototypeOf(r.items), Object.prototype, 'the prototype is untouched');
        // edit the other item and read again: the hostile one is still there
        const edited = parseItems(text.replace('"x"', '"y"'), format);
        assert.ok(
          edited.ok &&
            sameItems(
              edited.items,
              items([
                [key, `value of ${key.slice(0, 20)}`],
                ['other', 'y'],
              ]),
            ),
          `${format}: after an edit of another item`,
        );
      }
    });

    it(`${format}: all hostile keys at once, and hostile values`, () => {
      const all = items(HOSTILE_KEYS.map((k, i) => [k, HOSTILE_KEYS[(i + 1) % HOSTILE_KEYS.length]!.slice(0, 200)]));
      const r = parseItems(formatItems(all, format), format);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.ok(sameItems(r.items, all));
      assert.equal(itemEntries(r.items).length, HOSTILE_KEYS.length);
    });

    it(`${format}: line separators and invisible characters are written escaped, and read back as they were`, () => {
      const v = items([['k', 'a\u2028b\u2029c\u0085d\u200be\u200df\u202eg\ufeffh\u00adi\udb40\udc41j\ud800k']]);
      const text = formatItems(v, format);
      // nothing VS Code would call an unusual line terminator, nothing invisible, in the document itself
      assert.doesNotMatch(
        text,
        /[\u2028\u2029\u0085\u200b\u200d\u202e\ufeff\u00ad]|\udb40|[\ud800-\udbff](?![\udc00-\udfff])/,
      );
      assert.match(text, /\\u2028/);
      const r = parseItems(text, format);
      assert.ok(r.ok && sameItems(r.items, v), r.ok ? 'differs' : r.error);
    });
  }

  it('a plain assignment would have lost __proto__: the helpers never assign', () => {
    const plainObject: Record<string, string> = {};
    plainObject['__proto__'] = 'x';
    assert.equal(Object.keys(plainObject).length, 0, 'what the old code did: the item vanished');
    assert.deepEqual(Object.keys(items([['__proto__', 'x']])), ['__proto__']);
    assert.equal(sameItems(items([['toString', 'a']]), items([])), false);
    assert.equal(sameItems(items([]), items([['toString', 'a']])), false);
  });
});

describe('a Variables save whose answer was lost', () => {
  it('409 on the retried save, and the cluster holds exactly our items: our own write, not a change on the cluster', async () => {
    let stored = {
      Namespace: 'default',
      Path: 'app/x',
      CreateIndex: 5,
      ModifyIndex: 5,
      CreateTime: 1,
      ModifyTime: 1,
      Items: { a: '1' } as Record<string, string>,
    };
    const srv = await startServer((req, res, body) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'PUT') {
        const cas = Number(new URL(req.url ?? '', 'http://x').searchParams.get('cas'));
        if (cas !== stored.ModifyIndex) {
          res.statusCode = 409;
          res.end(JSON.stringify(stored));
          return;
        }
        stored = {
          ...stored,
          ModifyIndex: stored.ModifyIndex + 1,
          Items: (JSON.parse(body) as { Items: Record<string, string> }).Items,
        };
        res.end(JSON.stringify(stored));
        return;
      }
      res.setHeader('X-Nomad-Index', String(stored.ModifyIndex));
      res.end(JSON.stringify(stored));
    });
    const client = new NomadClient({ profile: profile(srv.url) });
    try {
      const vars = new VariablesClient(client);
      const mine = items([
        ['a', '2'],
        ['__proto__', 'p'],
      ]);
      const first = await vars.write('default', 'app/x', mine, 5);
      assert.ok(first.ok && !first.alreadyWritten);
      // the answer to that write was lost: the editor saves again with the index it opened
      const again = await vars.write('default', 'app/x', mine, 5);
      assert.ok(again.ok, 'not a conflict');
      assert.equal(again.ok && again.alreadyWritten, true);
      assert.equal(again.ok && again.variable.ModifyIndex, 6);
      assert.equal(
        srv.requests.filter(r => r.method === 'PUT').length,
        2,
        'and nothing was written twice (the second PUT was refused by cas)',
      );
      assert.equal(stored.ModifyIndex, 6);
      // someone else's change is still a conflict
      const theirs = await vars.write('default', 'app/x', items([['a', '3']]), 5);
      assert.equal(theirs.ok, false);
    } finally {
      await client.close();
      await srv.close();
    }
  });

  it('a network error after the write was applied: read back, recognised as done', async () => {
    let stored = {
      Namespace: 'default',
      Path: 'app/y',
      CreateIndex: 5,
      ModifyIndex: 5,
      CreateTime: 1,
      ModifyTime: 1,
      Items: { a: '1' } as Record<string, string>,
    };
    const srv = await startServer((req, res, body) => {
      if (req.method === 'PUT') {
        stored = { ...stored, ModifyIndex: 6, Items: (JSON.parse(body) as { Items: Record<string, string> }).Items };
        res.socket?.destroy(); // applied, but the answer never comes
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(stored));
    });
    const client = new NomadClient({ profile: profile(srv.url) });
    try {
      const r = await new VariablesClient(client).write('default', 'app/y', items([['a', '2']]), 5);
      assert.ok(r.ok && r.alreadyWritten, JSON.stringify(r));
    } catch (e) {
      assert.fail(`reported as a failure: ${e instanceof NomadError ? e.kind : ''} ${String(e)}`);
    } finally {
      await client.close();
      await srv.close();
    }
  });
});
