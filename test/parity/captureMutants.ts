// Captures a real Nomad's verdicts on the mutants of test/parity/mutants.ts into
// test/fixtures/nomad/mutants/verdicts.json, and prints the per-rule comparison with ours.
//
//   NOMAD_BIN=/path/to/nomad node out/test/parity/captureMutants.js [corpus-root]
//
// Run from the repository root (default corpus: ../shared/corpus). The fixture holds Nomad's facts
// (accepted or not, its reason, the mutant's sha256); the mutants themselves are made again from the
// corpus and the rule cases whenever they are needed.
import { execFileSync } from 'node:child_process';
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

async function main(): Promise<void> {
  const bin = process.env.NOMAD_BIN;
  if (!bin) throw new Error('set NOMAD_BIN to a Nomad binary');
  const root = path.resolve(process.argv[2] ?? path.join('..', 'shared', 'corpus'));
  const out = path.resolve('test', 'fixtures', 'nomad', 'mutants', 'verdicts.json');
  const version = /Nomad v(\S+)/.exec(execFileSync(bin, ['version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  const mutants = makeMutants(root, acceptedCorpusFiles(path.resolve('test', 'fixtures', 'nomad', 'parity')));
  const agent = await startParityAgent(bin);
  const verdicts: MutantVerdict[] = [];
  try {
    for (const m of mutants) {
      verdicts.push(verdictOf(m, await askAgent(agent.addr, m.file, m.text)));
      if (verdicts.length % 200 === 0) process.stderr.write(`${verdicts.length} of ${mutants.length}\n`);
    }
  } finally {
    await agent.stop();
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ version, verdicts }, null, 0).replace(/\},\{/g, '},\n{')}\n`);
  console.log(describeMutants(compareMutants(mutants, verdicts)));
  console.log(`captured ${verdicts.length} verdicts from Nomad ${version} into ${out}`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
