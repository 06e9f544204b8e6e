// The mutation test against a live Nomad (NOMAD_BIN): every mutant of test/parity/mutants.ts asked again,
// Nomad's verdict compared with the captured fixture (test/fixtures/nomad/mutants/verdicts.json) and with
// ours. Skipped without NOMAD_BIN or the shared corpus. The per-rule table is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startParityAgent } from './agent';
import {
  acceptedCorpusFiles,
  compareMutants,
  describeMutants,
  makeMutants,
  verdictOf,
  type MutantVerdict,
} from './mutants';
import { askAgent } from './nomad';

const root = path.resolve(__dirname, '..', '..', '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const fixture = path.join(root, 'test', 'fixtures', 'nomad', 'mutants', 'verdicts.json');
const bin = process.env.NOMAD_BIN;

test(
  'mutants judged by a real Nomad agent',
  {
    skip: !bin ? 'NOMAD_BIN is not set' : !fs.existsSync(corpus) ? `no corpus at ${corpus}` : false,
    timeout: 20 * 60_000,
  },
  async () => {
    const mutants = makeMutants(corpus, acceptedCorpusFiles(path.join(root, 'test', 'fixtures', 'nomad', 'parity')));
    const captured = new Map(
      (JSON.parse(fs.readFileSync(fixture, 'utf8')) as { verdicts: MutantVerdict[] }).verdicts.map(v => [v.id, v]),
    );
    const agent = await startParityAgent(bin!);
    const live: MutantVerdict[] = [];
    const drift: string[] = [];
    try {
      for (const m of mutants) {
        const v = verdictOf(m, await askAgent(agent.addr, m.file, m.text));
        live.push(v);
        const c = captured.get(m.id);
        if (!c || c.sha256 !== v.sha256 || c.accepted !== v.accepted)
          drift.push(
            `${m.id}: the fixture says ${c ? (c.accepted ? 'accepted' : 'refused') : 'nothing'}, the agent ${v.accepted ? 'accepts' : 'refuses'}`,
          );
      }
    } finally {
      await agent.stop();
    }
    const r = compareMutants(mutants, live);
    console.log(`[mutants] against the live agent\n${describeMutants(r)}`);
    assert.deepEqual(drift, [], 'fixtures differ from the agent: run test/parity/captureMutants.ts');
    assert.ok(r.atLine >= 0.98 * r.refused, `${r.atLine} of ${r.refused}`);
    assert.equal(r.falseErrors, 0);
  },
);
