// Parser benchmark: our HCL2 parser against web-tree-sitter (tree-sitter-hcl grammar) and
// @cdktf/hcl2json, measured in one run on the same inputs. Prints a table; asserts nothing.
//
//   node esbuild.mjs --tests && node out/bench/parser/run.js [--quick]
//
// Inputs: the valid corpus (../shared/corpus/valid relative to the repo root), a ~1 MiB job built
// by concatenating the corpus' job groups (renamed) into one job, and the corpus files of 3-8 KiB.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, type Block, type HclFile } from '../../src/language/hcl';
import { checkFile } from '../../src/language/check';
import { rootSchema } from '../../src/language/schema';
import { completeAt } from '../../src/language/features/completion';
import { hoverAt } from '../../src/language/features/hover';
import { documentSymbols, foldingRanges } from '../../src/language/features/symbols';
import { semanticTokens } from '../../src/language/features/semanticTokens';
import { formatDocument } from '../../src/language/features/format';

// ---------------------------------------------------------------------------------------------
// HOOK (schema diagnostics): another engineer plugs the jobspec checker in here, e.g.
//   import { checkJob } from '../../src/language/jobspec/check';
//   const checkJob: CheckJob | undefined = (file) => checkJob(file);
// When set, the table gets "ours parse+check" rows measured on the same inputs.
type CheckJob = (file: HclFile) => unknown;
const checkJob: CheckJob | undefined = file => checkFile(file);
// ---------------------------------------------------------------------------------------------

const root = path.resolve(__dirname, '..', '..', '..');
const corpusDir = path.resolve(root, '..', 'shared', 'corpus', 'valid');
const quick = process.argv.includes('--quick');
const hcl2jsonFailures = new Set<string>();

interface Subject {
  name: string;
  parse(text: string): unknown;
  async: boolean;
}

function loadCorpus(): { name: string; text: string }[] {
  if (!fs.existsSync(corpusDir)) {
    console.error(`corpus not found at ${corpusDir}`);
    process.exit(1);
  }
  return fs
    .readdirSync(corpusDir)
    .sort()
    .map(name => ({ name, text: fs.readFileSync(path.join(corpusDir, name), 'utf8') }));
}

/** one job holding every corpus group (labels made unique), repeated until ~1 MiB */
function buildBigJob(files: { name: string; text: string }[]): string {
  const groups: string[] = [];
  for (const f of files) {
    const file = parse(f.text);
    if (file.errors.length > 0 || file.syntax !== 'hcl') continue;
    for (const item of file.body.items) {
      if (item.kind !== 'Block' || item.type !== 'job') continue;
      for (const g of item.body.items) {
        if (g.kind === 'Block' && g.type === 'group' && g.labels.length === 1) groups.push(sliceGroup(f.text, g));
      }
    }
  }
  const out: string[] = ['job "big" {\n  datacenters = ["dc1"]\n\n'];
  let size = out[0].length;
  let n = 0;
  while (size < 1024 * 1024 && groups.length > 0) {
    const g = groups[n % groups.length].replace(/^group\s+"[^"]*"/, `group "g${n}"`);
    out.push('  ', g, '\n\n');
    size += g.length + 4;
    n++;
  }
  out.push('}\n');
  return out.join('');
}

function sliceGroup(text: string, g: Block): string {
  return text.slice(g.range.start, g.range.end);
}

async function time(subject: Subject, texts: string[], minMs: number): Promise<number> {
  // returns ms per pass over `texts` (mean over as many passes as fit in minMs, at least 2)
  const pass = async (): Promise<void> => {
    if (subject.async) for (const t of texts) await subject.parse(t);
    else for (const t of texts) subject.parse(t);
  };
  await pass(); // warm-up
  let passes = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    await pass();
    passes++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs || passes < 2);
  return elapsed / passes;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const files = loadCorpus();
  const hclFiles = files.filter(f => parse(f.text).syntax === 'hcl');
  const corpusTexts = hclFiles.map(f => f.text);
  const corpusBytes = corpusTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const big = buildBigJob(hclFiles);
  const bigBytes = Buffer.byteLength(big);
  const typical = hclFiles.filter(f => f.text.length >= 3 * 1024 && f.text.length <= 8 * 1024).map(f => f.text);

  const subjects: Subject[] = [{ name: 'ours', parse: (t: string) => parse(t), async: false }];
  if (checkJob) {
    const check = checkJob;
    subjects.push({ name: 'ours parse+check', parse: (t: string) => check(parse(t)), async: false });
  }

  // web-tree-sitter
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const TS = require('web-tree-sitter') as typeof import('web-tree-sitter');
    await TS.Parser.init();
    const lang = await TS.Language.load(
      path.join(root, 'node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'),
    );
    const p = new TS.Parser();
    p.setLanguage(lang);
    subjects.push({
      name: 'tree-sitter-hcl',
      parse: (t: string) => {
        const tree = p.parse(t);
        tree?.delete();
      },
      async: false,
    });
  } catch (e) {
    console.error('web-tree-sitter unavailable:', (e as Error).message);
  }

  // @cdktf/hcl2json (Go HCL compiled to wasm; async API)
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const h2j = require('@cdktf/hcl2json') as typeof import('@cdktf/hcl2json');
    await h2j.parse('warm.hcl', 'a = 1\n');
    // it rejects some valid inputs (e.g. repeated labelled blocks when converting to JSON): count them
    subjects.push({
      name: '@cdktf/hcl2json',
      parse: (t: string) =>
        h2j.parse('job.hcl', t).catch(() => {
          hcl2jsonFailures.add(t);
        }),
      async: true,
    });
  } catch (e) {
    console.error('@cdktf/hcl2json unavailable:', (e as Error).message);
  }

  const budget = quick ? 150 : 1000;
  console.log(
    `corpus: ${corpusTexts.length} files, ${(corpusBytes / 1024).toFixed(0)} KiB; big job: ${(bigBytes / 1024).toFixed(0)} KiB; ` +
      `typical (3-8 KiB): ${typical.length} files${checkJob ? '' : '; schema check hook: not set'}`,
  );
  const rows: { name: string; mbs: number; bigMs: number; typMs: number }[] = [];
  for (const s of subjects) {
    const corpusMs = await time(s, corpusTexts, budget);
    const bigMs = await time(s, [big], budget);
    const perFile: number[] = [];
    for (const t of typical) perFile.push(await time(s, [t], quick ? 5 : 25));
    rows.push({ name: s.name, mbs: corpusBytes / 1e6 / (corpusMs / 1000), bigMs, typMs: median(perFile) });
  }

  if (hcl2jsonFailures.size > 0) {
    console.log(
      `note: @cdktf/hcl2json threw on ${hcl2jsonFailures.size} input(s)${hcl2jsonFailures.has(big) ? ' including the 1 MiB job' : ''} (timed until the error)`,
    );
  }
  const ours = rows[0];
  const pad = (v: string, n: number): string => v.padStart(n);
  console.log(
    `${'parser'.padEnd(18)}${pad('MB/s corpus', 13)}${pad('ms 1MiB job', 13)}${pad('ms typical', 12)}${pad('ours/them MB/s', 16)}${pad('them/ours 1MiB', 16)}${pad('them/ours typ', 15)}`,
  );
  for (const r of rows) {
    const ratio =
      r === ours
        ? ['-', '-', '-']
        : [
            (ours.mbs / r.mbs).toFixed(1) + 'x',
            (r.bigMs / ours.bigMs).toFixed(1) + 'x',
            (r.typMs / ours.typMs).toFixed(1) + 'x',
          ];
    console.log(
      `${r.name.padEnd(18)}${pad(r.mbs.toFixed(1), 13)}${pad(r.bigMs.toFixed(2), 13)}${pad(r.typMs.toFixed(3), 12)}${pad(ratio[0], 16)}${pad(ratio[1], 16)}${pad(ratio[2], 15)}`,
    );
  }
  editorFeatures(big);
}

/**
 * Editor features on the 1 MiB job, on the cached parse as the language server uses it: completion and
 * hover at 200 random positions (median, p95, max; goal < 10 ms), then one-shot whole-file features.
 */
function editorFeatures(big: string): void {
  const file = parse(big);
  const schema = rootSchema();
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const positions = Array.from({ length: quick ? 50 : 200 }, () => Math.floor(random() * big.length));
  const measure = (fn: (offset: number) => unknown): number[] => {
    for (const p of positions.slice(0, 10)) fn(p); // warm-up
    return positions.map(p => {
      const t0 = performance.now();
      fn(p);
      return performance.now() - t0;
    });
  };
  const pct = (xs: number[], q: number): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))];
  };
  const once = (fn: () => unknown): number => {
    fn();
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  console.log(
    `\neditor features on the ${(Buffer.byteLength(big) / 1024).toFixed(0)} KiB job (cached parse), ${positions.length} random positions; goal < 10 ms`,
  );
  console.log(`${'feature'.padEnd(18)}${'median ms'.padStart(11)}${'p95 ms'.padStart(10)}${'max ms'.padStart(10)}`);
  for (const [name, fn] of [
    ['completion', (o: number) => completeAt(file, o, schema)],
    ['hover', (o: number) => hoverAt(file, o, schema)],
  ] as const) {
    const xs = measure(fn);
    console.log(
      `${name.padEnd(18)}${pct(xs, 0.5).toFixed(3).padStart(11)}${pct(xs, 0.95).toFixed(3).padStart(10)}${pct(xs, 1).toFixed(3).padStart(10)}`,
    );
  }
  console.log(
    `whole file (ms): symbols ${once(() => documentSymbols(file)).toFixed(1)}, folding ${once(() => foldingRanges(file)).toFixed(1)}, ` +
      `semantic tokens ${once(() => semanticTokens(file, schema)).toFixed(1)}, format (incl. re-parse check) ${once(() => formatDocument(big, file)).toFixed(1)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
