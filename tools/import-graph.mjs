#!/usr/bin/env node
// The import graph of src/: folder-to-folder edges (with how many imports each carries) and the
// cycles between files (strongly connected components of more than one file).
//   node tools/import-graph.mjs [--files]     --files also lists every file's imports
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
  }
})(src);

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base + '.ts', path.join(base, 'index.ts'), base])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return undefined;
}
const edges = new Map();
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const to = new Set();
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  )) {
    const r = resolve(f, m[1] ?? m[2]);
    if (r) to.add(r);
  }
  edges.set(f, to);
}
const rel = f => path.relative(src, f);
const folder = f => {
  const r = rel(f).split(path.sep);
  return r.length > 1 ? r[0] + (r.length > 2 ? '/' + r[1] : '') : '(root)';
};
const folderEdges = new Map();
for (const [f, to] of edges)
  for (const t of to) {
    const a = folder(f),
      b = folder(t);
    if (a === b) continue;
    const k = `${a} -> ${b}`;
    folderEdges.set(k, (folderEdges.get(k) ?? 0) + 1);
  }
// Tarjan's strongly connected components
let index = 0;
const idx = new Map(),
  low = new Map(),
  stack = [],
  on = new Set(),
  sccs = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) sccs.push(c.map(rel).sort());
  }
}
for (const f of files) if (!idx.has(f)) strong(f);
const importCount = [...edges.values()].reduce((n, s) => n + s.size, 0);
console.log(
  `${files.length} files, ${importCount} relative imports, ${folderEdges.size} folder edges, ${sccs.length} cycles`,
);
for (const [k, n] of [...folderEdges].sort()) console.log(`  ${k} (${n})`);
for (const c of sccs) console.log(`  cycle: ${c.join(' <-> ')}`);
if (process.argv.includes('--files'))
  for (const [f, to] of [...edges].sort()) console.log(`${rel(f)}: ${[...to].map(rel).join(', ')}`);
