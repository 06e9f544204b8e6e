// Seeded mutations of corpus files through analyzeText (parse + diagnostics), the decoder and the
// quick fixes: nothing throws, nothing hangs (each input is bounded in size; the test has a deadline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../../src/language';
import { decodeJob } from '../../../src/language/decode/decoder';
import { quickFix } from '../../../src/language/features/codeActions';
import type { FixData } from '../../../src/language/check';
import { corpusDir, read, mulberry32 as prng } from '../support';

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  '${',
  '%{',
  '=',
  '\n',
  '#',
  '/*',
  '<<EOF\n',
  'job',
  'group "x" {',
  'task',
  'var.',
  'local.',
  'dynamic',
  'port_map {',
  'network {',
  '..."',
  '\\',
  ',',
  ':',
  '?',
  '-1',
  '1e999',
];

function mutate(text: string, rnd: () => number): string {
  let s = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const r = rnd();
    if (r < 0.35) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 20));
    else if (r < 0.75) s = s.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)]! + s.slice(at);
    else if (r < 0.9) {
      const b = Math.floor(rnd() * s.length);
      s = s.slice(0, at) + s.slice(b, b + 40) + s.slice(at);
    } else s = s.slice(0, at);
  }
  return s;
}

test('fuzz: mutated job files never throw or hang', { timeout: 120_000 }, () => {
  const dir = path.join(corpusDir, 'valid');
  const sources = [
    read('test/fixtures/jobs/seed-microservice-job-01.nomad'),
    read('test/fixtures/nomad/parse/rich.nomad'),
  ];
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).sort()) {
      const t = fs.readFileSync(path.join(dir, f), 'utf8');
      if (t.length < 6000) sources.push(t);
    }
  }
  const rnd = prng(0x5eed);
  const ITERATIONS = 3000;
  for (let i = 0; i < ITERATIONS; i++) {
    const src = sources[Math.floor(rnd() * sources.length)]!;
    const text = mutate(src, rnd);
    try {
      const a = analyzeText(text);
      decodeJob(a.file, { variables: { x: 1 } });
      if (i % 10 === 0) {
        const d = a.diagnostics.find(x => x.data);
        if (d) quickFix(text, d.data as FixData);
      }
    } catch (e) {
      assert.fail(
        `iteration ${i} threw on input:\n${JSON.stringify(text)}\n${e instanceof Error ? e.stack : String(e)}`,
      );
    }
  }
});
