// The parity layer (`npm test -- parity`): a real Nomad agent (NOMAD_BIN) parses and validates every
// job file of ../shared/corpus (and of the folders in PARITY_EXTRA, separated by the path delimiter),
// and our language server's verdicts, decoder and formatter are compared with its answers, live. It
// also checks that the committed fixtures (test/fixtures/nomad/parity) still say what the agent says.
// Skipped without NOMAD_BIN. Figures are printed; the goals of issue 18 are asserted on the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startParityAgent } from './agent';
import { compare, describe, figures, jsonDiff, CAPTURED_TARGET, type Comparison } from './compare';
import { accepted, askAgent, corpusFiles, fixtureName, nomadFmt, sha256, type Verdict } from './nomad';

const root = path.resolve(__dirname, '..', '..', '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const fixtures = path.join(root, 'test', 'fixtures', 'nomad', 'parity');
const bin = process.env.NOMAD_BIN;
const extra = (process.env.PARITY_EXTRA ?? '').split(path.delimiter).filter(Boolean);

async function run(
  addr: string,
  dir: string,
  checkFixtures: boolean,
): Promise<{ all: Comparison[]; skipped: number; drift: string[] }> {
  const all: Comparison[] = [];
  const drift: string[] = [];
  let skipped = 0;
  for (const rel of corpusFiles(dir)) {
    const text = fs.readFileSync(path.join(dir, rel), 'utf8');
    const v = await askAgent(addr, rel, text);
    const formatted = nomadFmt(bin!, text);
    v.fmt = formatted === null ? null : sha256(formatted);
    if (checkFixtures) {
      const fx = path.join(fixtures, fixtureName(rel));
      if (!fs.existsSync(fx)) drift.push(`${rel}: no fixture`);
      else {
        const captured = JSON.parse(fs.readFileSync(fx, 'utf8')) as Verdict;
        // the verdict, the Job (key order aside: Nomad's JSON of maps is not always in the same order) and fmt
        const key = (a: Verdict): string =>
          JSON.stringify([a.sha256, a.skipped ?? null, a.parse?.status, accepted(a), a.fmt]);
        if (key(captured) !== key(v) || jsonDiff(captured.parse?.job ?? null, v.parse?.job ?? null).length > 0)
          drift.push(`${rel}: the fixture differs from the agent's answer`);
      }
    }
    if (v.skipped) {
      skipped++;
      continue;
    }
    all.push(compare(v, text, { targetVersion: CAPTURED_TARGET }));
  }
  return { all, skipped, drift };
}

test(
  'parity with a real Nomad agent',
  {
    skip: !bin ? 'NOMAD_BIN is not set' : !fs.existsSync(corpus) ? `no corpus at ${corpus}` : false,
    timeout: 30 * 60_000,
  },
  async t => {
    const agent = await startParityAgent(bin!);
    try {
      const c = await run(agent.addr, corpus, true);
      const f = figures(c.all, c.skipped);
      console.log(`[parity] shared corpus\n${describe(f)}`);
      for (const dir of extra) {
        const e = await run(agent.addr, dir, false);
        console.log(`[parity] ${dir}\n${describe(figures(e.all, e.skipped))}`);
      }
      await t.test('fixtures still say what the agent says', () => assert.deepEqual(c.drift, []));
      await t.test('no error on a file Nomad accepts', () =>
        assert.deepEqual(
          f.falseErrors.map(x => x.file),
          [],
        ),
      );
      await t.test('at least 95 % of the refusals caught', () =>
        assert.ok(f.caught >= 0.95 * f.refused, `${f.caught} of ${f.refused}`),
      );
      await t.test('decoder equal on at least 99 % of the parsed files', () =>
        assert.ok(f.decoderEqual >= 0.99 * f.decoded, `${f.decoderEqual} of ${f.decoded}`),
      );
      await t.test('formatting byte-identical to nomad fmt', () => assert.deepEqual(f.fmtUnequal, []));
    } finally {
      await agent.stop();
    }
  },
);
