// Build script.
//   node esbuild.mjs               bundles dist/extension.js, dist/server.js and the webview bundles
//   node esbuild.mjs --production  the same, minified, no sourcemaps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       transpiles src/, test/, bench/ file by file into out/ (for node --test
//                                  and the extension-host suite); types are checked by `tsc --noEmit`.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(p, out);
    } else out.push(p);
  }
  return out;
}

async function buildTests() {
  const files = ['src', 'test', 'bench'].flatMap(d => walk(d));
  const ts = files.filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await esbuild.build({
    entryPoints: ts,
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // data files next to the code that reads them (schemas, fixtures are read from test/ directly)
  for (const f of files.filter(f => f.endsWith('.json') && f.startsWith('src'))) {
    const dest = path.join('out', f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(f, dest);
  }
  // what a moved or deleted source left behind: a stale compiled test would still run (and be counted)
  const sources = new Set(files);
  for (const d of ['src', 'test', 'bench']) {
    for (const o of walk(path.join('out', d))) {
      const rel = path.relative('out', o);
      const stale = o.endsWith('.js')
        ? !sources.has(rel.replace(/\.js$/, '.ts'))
        : o.endsWith('.json') && rel.startsWith('src') && !sources.has(rel);
      if (stale) fs.rmSync(o);
    }
  }
}

/** @type {import('esbuild').BuildOptions} */
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
/** @type {(import('esbuild').BuildOptions & { outfile: string })[]} */
const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/nomad/logs/worker.ts'],
    outfile: 'dist/logsWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];
for (const wv of walk('src/webview').filter(f => /[\\/]main\.ts$/.test(f))) {
  const name = path.basename(path.dirname(wv));
  targets.push({
    ...common,
    entryPoints: [wv],
    outfile: `dist/webview/${name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (args.has('--tests')) {
  await buildTests();
} else if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('[esbuild] watching');
} else {
  fs.rmSync('dist', { recursive: true, force: true });
  await Promise.all(targets.map(t => esbuild.build(t)));
  const sizes = targets.map(t => `${t.outfile} ${(fs.statSync(t.outfile).size / 1024).toFixed(0)} KiB`);
  console.log('[esbuild] ' + sizes.join(', '));
}
