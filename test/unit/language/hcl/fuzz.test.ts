// Mutation fuzzing over the corpus: the parser must return (never throw, never hang) and report
// errors whose ranges lie inside the document. Bounded by count, never by time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { nodeAt, parse, walk, type Node } from '../../../../src/language/hcl';
import { corpusSubdir, mulberry32 as prng } from '../../support';

const SNIPPETS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  '${',
  '%{',
  '~}',
  '<<EOT\n',
  '<<-X\n',
  'EOT\n',
  '\n',
  '\r\n',
  ',',
  '=',
  ':',
  '...',
  '.',
  '*',
  '/*',
  '*/',
  '#',
  '//',
  '\\',
  '\\u',
  'for ',
  ' in ',
  ' if ',
  '=>',
  '?',
  '&&',
  '||',
  '!',
  '-',
  '😀',
  '\uFEFF',
  '\t',
  "'",
  '%{ endif }',
  '%{ else }',
];

function mutate(text: string, rnd: () => number): string {
  const n = text.length;
  const pos = (): number => Math.floor(rnd() * (n + 1));
  const ops = 1 + Math.floor(rnd() * 4);
  let t = text;
  for (let k = 0; k < ops; k++) {
    const len = t.length;
    const a = Math.floor(rnd() * (len + 1));
    const span = Math.floor(rnd() * Math.min(200, len + 1));
    switch (Math.floor(rnd() * 7)) {
      case 0:
        t = t.slice(0, a) + t.slice(a + span);
        break; // delete
      case 1:
        t = t.slice(0, a) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + t.slice(a);
        break; // insert token
      case 2: {
        const b = pos() % (len + 1);
        t = t.slice(0, a) + t.slice(b, b + span) + t.slice(a);
        break;
      } // duplicate
      case 3: {
        // swap two chunks
        const b = Math.floor(rnd() * (len + 1));
        const [x, y] = a < b ? [a, b] : [b, a];
        const c1 = t.slice(x, x + span);
        const c2 = t.slice(y, y + span);
        if (x + span <= y) t = t.slice(0, x) + c2 + t.slice(x + span, y) + c1 + t.slice(y + span);
        break;
      }
      case 4: {
        // random code units, including lone surrogates
        let s = '';
        for (let i = 0; i < 1 + (span % 8); i++)
          s += String.fromCharCode(Math.floor(rnd() * (rnd() < 0.8 ? 128 : 0x10000)));
        t = t.slice(0, a) + s + t.slice(a);
        break;
      }
      case 5:
        t = t.slice(0, a);
        break; // truncate
      default:
        t = t.slice(0, a) + t.charAt(a).toUpperCase() + t.slice(a + 1);
    }
  }
  return t;
}

const dir = corpusSubdir('valid');

test(
  'fuzz: mutated corpus files never throw and report in-range errors',
  { skip: dir ? false : 'corpus ../shared/corpus/valid not found' },
  () => {
    const files = fs
      .readdirSync(dir!)
      .sort()
      .map(f => fs.readFileSync(path.join(dir!, f), 'utf8'));
    const rnd = prng(0x5eed);
    const ITERATIONS = 3000;
    let withErrors = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const src = files[Math.floor(rnd() * files.length)];
      const text = mutate(src, rnd);
      let f;
      try {
        f = parse(text);
      } catch (e) {
        assert.fail(`iteration ${i}: parse threw ${(e as Error).stack}\n--- input ---\n${text.slice(0, 2000)}`);
      }
      if (f.errors.length > 0) withErrors++;
      for (const e of f.errors) {
        assert.ok(
          e.range.start >= 0 && e.range.start <= e.range.end && e.range.end <= text.length,
          `iteration ${i}: error range ${JSON.stringify(e)}`,
        );
        assert.equal(typeof e.code, 'string');
      }
      // every node range is well-formed and inside the text; children inside parents
      if (i % 10 === 0) {
        walk(f, {
          enter: (n: Node, parent: Node | undefined) => {
            if (!('range' in n)) return;
            assert.ok(
              n.range.start >= 0 && n.range.start <= n.range.end && n.range.end <= text.length,
              `iteration ${i}: ${n.kind} range`,
            );
            if (parent && 'range' in parent) {
              assert.ok(
                n.range.start >= parent.range.start && n.range.end <= parent.range.end,
                `iteration ${i}: ${n.kind} inside ${parent.kind}`,
              );
            }
          },
        });
        nodeAt(f, Math.floor(rnd() * (text.length + 1)));
      }
    }
    assert.ok(withErrors > ITERATIONS / 2, 'mutations mostly produce errors');
  },
);

test('fuzz: random token soup', () => {
  const rnd = prng(42);
  for (let i = 0; i < 1500; i++) {
    let text = '';
    const n = Math.floor(rnd() * 60);
    for (let k = 0; k < n; k++)
      text += SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + (rnd() < 0.3 ? ' a ' : '') + (rnd() < 0.2 ? 'b = ' : '');
    const f = parse(text);
    for (const e of f.errors)
      assert.ok(e.range.start >= 0 && e.range.end <= text.length && e.range.start <= e.range.end, text);
  }
});
