// Our verdicts, decoder and formatter against what a real Nomad answered for every shared-corpus job
// file (captured with test/parity/capture.ts into test/fixtures/nomad/parity, see its README). No agent
// needed: the fixtures are Nomad's answers. The corpus files are read from ../shared/corpus (skipped
// with a message when absent); a fixture whose file changed since the capture is reported, not used.
//
// Goals (issue 18), with the analysis targeting the captured version: no error on a file Nomad
// accepts; at least 95 % of the files Nomad refuses get an error; the decoder's Job JSON equals
// /v1/jobs/parse on at least 99 % of the files Nomad parses; formatting byte-identical to `nomad fmt`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { compare, describe, figures, CAPTURED_TARGET, type Comparison } from '../../parity/compare';
import { sha256, type Verdict } from '../../parity/nomad';
import { corpusDir, root } from '../support';

const fixtureDir = path.join(root, 'test', 'fixtures', 'nomad', 'parity');
// our own small job files, one per rule (accepted and refused variants), with Nomad's verdicts on them
const rulesDir = path.join(root, 'test', 'fixtures', 'nomad', 'rules');
const rulesFixtureDir = path.join(root, 'test', 'fixtures', 'nomad', 'rules-verdicts');

function load(
  corpus = corpusDir,
  fixtures = fixtureDir,
): { comparisons: Comparison[]; skipped: number; stale: string[] } | undefined {
  if (!fs.existsSync(corpus) || !fs.existsSync(fixtures)) return undefined;
  const comparisons: Comparison[] = [];
  const stale: string[] = [];
  let skipped = 0;
  for (const name of fs
    .readdirSync(fixtures)
    .filter(f => f.endsWith('.json'))
    .sort()) {
    const v = JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8')) as Verdict;
    const file = path.join(corpus, v.file);
    if (!fs.existsSync(file)) {
      stale.push(`${v.file}: gone`);
      continue;
    }
    const text = fs.readFileSync(file, 'utf8');
    if (sha256(text) !== v.sha256) {
      stale.push(`${v.file}: changed since the capture`);
      continue;
    }
    if (v.skipped) {
      skipped++;
      continue;
    }
    comparisons.push(compare(v, text, { targetVersion: CAPTURED_TARGET }));
  }
  return { comparisons, skipped, stale };
}

const loaded = load();
const f = loaded ? figures(loaded.comparisons, loaded.skipped) : undefined;

test('parity with Nomad: the captured verdicts cover the corpus', t => {
  if (!loaded || !f) {
    t.skip(`needs ${corpusDir} and ${fixtureDir}`);
    return;
  }
  t.diagnostic(describe(f, false));
  assert.deepEqual(loaded.stale, [], 'fixtures out of date: re-run test/parity/capture.ts');
  assert.ok(f.files > 300, `${f.files} captured files`);
});

test('parity with Nomad: no error on a file Nomad accepts', t => {
  if (!f) {
    t.skip('no fixtures');
    return;
  }
  assert.deepEqual(
    f.falseErrors.map(c => `${c.file}: ${c.errors.map(e => `${e.range.start.line + 1}: ${e.message}`).join(' | ')}`),
    [],
  );
});

test('parity with Nomad: at least 95 % of the files Nomad refuses get an error', t => {
  if (!f) {
    t.skip('no fixtures');
    return;
  }
  const missed = f.missed.map(c => `${c.file}: ${c.reason.slice(0, 200)}`);
  assert.ok(f.caught >= 0.95 * f.refused, `caught ${f.caught} of ${f.refused}; missed:\n${missed.join('\n')}`);
});

test('parity with Nomad: the decoder equals /v1/jobs/parse on at least 99 % of the parsed files', t => {
  if (!f) {
    t.skip('no fixtures');
    return;
  }
  const unequal = f.decoderUnequal.map(c => `${c.file}: ${c.decoderDiff!.slice(0, 3).join('; ')}`);
  assert.ok(f.decoderEqual >= 0.99 * f.decoded, `equal on ${f.decoderEqual} of ${f.decoded}:\n${unequal.join('\n')}`);
});

test('parity with Nomad: formatting is byte-identical to nomad fmt on every formattable file', t => {
  if (!f) {
    t.skip('no fixtures');
    return;
  }
  assert.ok(f.formattable > 300);
  assert.deepEqual(f.fmtUnequal, []);
});

test('parity with Nomad, rule by rule: an error exactly where Nomad refuses (our own cases)', () => {
  const rules = load(rulesDir, rulesFixtureDir);
  assert.ok(rules, `${rulesFixtureDir} present`);
  assert.deepEqual(rules.stale, [], 'rule cases changed since the capture: re-run test/parity/capture.ts on them');
  const wrong = rules.comparisons
    .filter(c => c.refused !== c.errors.length > 0)
    .map(
      c =>
        `${c.file}: Nomad ${c.refused ? `refuses (${c.reason.slice(0, 160)})` : 'accepts'}, we report ${c.errors.length ? c.errors.map(e => e.message).join(' | ') : 'nothing'}`,
    );
  assert.deepEqual(wrong, []);
  const r = figures(rules.comparisons, rules.skipped);
  assert.ok(r.refused >= 40 && r.accepted >= 10, `${r.refused} refused and ${r.accepted} accepted cases`);
  assert.deepEqual(
    r.decoderUnequal.map(c => `${c.file}: ${c.decoderDiff!.slice(0, 3).join('; ')}`),
    [],
  );
  assert.deepEqual(r.fmtUnequal, []);
});
