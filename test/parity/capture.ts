// Captures Nomad's answers for every job file of a corpus as fixtures (one JSON file per job file):
// /v1/jobs/parse, /v1/validate/job and `nomad fmt`, from a real agent.
//
//   NOMAD_BIN=/path/to/nomad node out/test/parity/capture.js [corpus-root] [fixture-dir]
//
// Defaults: ../shared/corpus and test/fixtures/nomad/parity. The fixtures are Nomad's facts; the job
// files themselves stay where they are (the corpus is not copied). Run from the repository root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startParityAgent } from './agent';
import { askAgent, corpusFiles, fixtureName, nomadFmt, sha256 } from './nomad';

async function main(): Promise<void> {
  const bin = process.env.NOMAD_BIN;
  if (!bin) throw new Error('set NOMAD_BIN to a Nomad binary');
  const root = path.resolve(process.argv[2] ?? path.join('..', 'shared', 'corpus'));
  const outDir = path.resolve(process.argv[3] ?? path.join('test', 'fixtures', 'nomad', 'parity'));
  fs.mkdirSync(outDir, { recursive: true });
  const version = /Nomad v(\S+)/.exec(execFileSync(bin, ['version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  const agent = await startParityAgent(bin);
  let n = 0;
  try {
    for (const rel of corpusFiles(root)) {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const v = await askAgent(agent.addr, rel, text);
      const formatted = nomadFmt(bin, text);
      v.fmt = formatted === null ? null : sha256(formatted);
      fs.writeFileSync(path.join(outDir, fixtureName(rel)), `${JSON.stringify(v)}\n`);
      n++;
      if (n % 50 === 0) process.stderr.write(`${n} files\n`);
    }
  } finally {
    await agent.stop();
  }
  fs.writeFileSync(path.join(outDir, 'VERSION'), `${version}\n`);
  console.log(`captured ${n} verdicts from Nomad ${version} into ${outDir}`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
