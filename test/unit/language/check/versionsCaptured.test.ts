// The verdicts a real Nomad 1.6.5 gave on jobs with fields newer than it (captured by versionsAgent.test.ts
// with CAPTURE_VERSIONS=1 into test/fixtures/nomad/versions/), checked without an agent: for every case
// Nomad refused the job where and how the case says, and we report an error naming the release that added
// the field on the line Nomad names; the same job without the field Nomad accepted, and we say nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../../../src/language';
import { root } from '../../support';
import { CASES } from './versionCases';

interface Captured {
  nomad: string;
  cases: { what: string; refused: { at: string; line?: number; error: string }; withoutAccepted: boolean }[];
}

test('captured Nomad 1.6.5 verdicts on newer fields: refused where Nomad says, with our error naming the release; accepted without them', () => {
  const file = path.join(root, 'test', 'fixtures', 'nomad', 'versions', 'verdicts-1.6.5.json');
  const captured = JSON.parse(fs.readFileSync(file, 'utf8')) as Captured;
  assert.equal(captured.nomad, '1.6.5');
  const target = { version: '1.6.5', source: 'cluster' as const };
  for (const c of CASES) {
    const v = captured.cases.find(x => x.what === c.what);
    assert.ok(
      v,
      `${c.what}: captured (re-run versionsAgent.test.ts with NOMAD_BIN and CAPTURE_VERSIONS=1 after adding a case)`,
    );
    assert.equal(v.refused.at, c.at, c.what);
    assert.match(v.refused.error, c.nomad, c.what);
    const ours = analyzeText(c.job, { targetVersion: target }).diagnostics.filter(d => d.severity === 1);
    const naming = ours.filter(d => d.message.includes(`needs Nomad ${c.since} or later; this cluster runs 1.6.5.`));
    assert.ok(naming.length > 0, `${c.what}: ${ours.map(d => d.message).join(' | ') || 'no error from us'}`);
    if (v.refused.line !== undefined)
      assert.ok(
        naming.some(d => d.range.start.line + 1 === v.refused.line),
        `${c.what}: Nomad names line ${v.refused.line}`,
      );
    assert.equal(v.withoutAccepted, true, `${c.what}: Nomad accepted the job without the field`);
    assert.deepEqual(
      analyzeText(c.without, { targetVersion: target })
        .diagnostics.filter(d => d.severity === 1)
        .map(d => d.message),
      [],
      c.what,
    );
  }
});
