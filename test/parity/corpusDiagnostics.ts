// The diagnostics of every file of the shared corpus and of the repository's own job and agent fixtures,
// at the default target and at the oldest and newest releases the schema knows, as one stable listing:
// `node out/test/parity/corpusDiagnostics.js [out.txt]` prints its SHA-256 (and writes the listing).
// A refactor of the language layer must leave this listing byte-identical (compare before and after).
// Needs the shared corpus beside the repository; the fixtures alone are listed without it.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { analyzeText, type AnalysisOptions } from '../../src/language';
import { corpusDir, root } from '../unit/support';

function files(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (/\.(nomad|hcl)$/.test(e.name)) out.push(p);
  }
  return out;
}

const TARGETS: (string | undefined)[] = [undefined, '1.6.5', '2.0.5'];
const all = [
  ...files(corpusDir).map(f => ({ label: 'corpus/' + path.relative(corpusDir, f), f })),
  ...files(path.join(root, 'test', 'fixtures')).map(f => ({ label: path.relative(root, f), f })),
  ...files(path.join(root, 'examples')).map(f => ({ label: path.relative(root, f), f })),
];
const lines: string[] = [];
for (const { label, f } of all) {
  const text = fs.readFileSync(f, 'utf8');
  for (const t of TARGETS) {
    const options: AnalysisOptions = {
      fileName: label,
      ...(t ? { targetVersion: { version: t, source: 'setting' as const } } : {}),
    };
    const a = analyzeText(text, options);
    lines.push(`${label} @${t ?? 'default'} kind=${a.kind} ${JSON.stringify(a.diagnostics)}`);
  }
}
const listing = lines.join('\n') + '\n';
const out = process.argv[2];
if (out) fs.writeFileSync(out, listing);
console.log(
  `${all.length} files × ${TARGETS.length} targets, ${crypto.createHash('sha256').update(listing).digest('hex')}`,
);
