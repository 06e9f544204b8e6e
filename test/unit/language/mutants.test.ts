// The mutation test of issue 24 against the captured verdicts of a real Nomad 1.6.5
// (test/fixtures/nomad/mutants/verdicts.json, written by test/parity/captureMutants.ts): one mistake per
// rule case in copies of the corpus files Nomad accepts (test/parity/mutants.ts). Goals: at least 98 %
// of the mutants Nomad refuses get an error on the mistake's line, no error on a mutant Nomad accepts.
// The per-rule table is printed. Skipped without the shared corpus; a mutant whose text changed since
// the capture (a corpus file or a rule case changed) fails the test: capture again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  acceptedCorpusFiles,
  compareMutants,
  describeMutants,
  makeMutants,
  type MutantVerdict,
} from '../../parity/mutants';
import { corpusDir, root } from '../support';

const fixture = path.join(root, 'test', 'fixtures', 'nomad', 'mutants', 'verdicts.json');
const parityFixtures = path.join(root, 'test', 'fixtures', 'nomad', 'parity');

test('mutants of the corpus: our errors where a real Nomad 1.6.5 refuses, none where it accepts', t => {
  if (!fs.existsSync(corpusDir)) {
    t.skip(`needs ${corpusDir}`);
    return;
  }
  const captured = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { version: string; verdicts: MutantVerdict[] };
  assert.equal(captured.version, '1.6.5');
  const mutants = makeMutants(corpusDir, acceptedCorpusFiles(parityFixtures));
  const r = compareMutants(mutants, captured.verdicts);
  t.diagnostic(describeMutants(r));
  assert.deepEqual(r.stale, [], 'mutants changed since the capture: run test/parity/captureMutants.ts with NOMAD_BIN');
  assert.ok(r.mutants >= 1000, `${r.mutants} mutants`);
  assert.ok(r.refused >= 600 && r.accepted >= 300, `${r.refused} refused, ${r.accepted} accepted`);
  assert.ok(r.atLine >= 0.98 * r.refused, `${r.atLine} of ${r.refused} on the mistake's line`);
  assert.equal(r.falseErrors, 0);
  // every rule that has a case made mutants Nomad refuses, and we catch most of each
  for (const f of r.rules)
    if (f.refused > 0) assert.ok(f.atLine >= f.refused - 1, `${f.rule}: ${f.atLine} of ${f.refused}`);
});
