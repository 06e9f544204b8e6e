#!/usr/bin/env node
// `npm test`: every test layer, in order, then one closing line `N passed, N failed`.
//   node test/run-all.mjs [layer...]     layers: lint unit grammar contract parity extension e2e
// On a fresh clone it installs what it needs first: `npm ci` when node_modules is missing or does not match
// package-lock.json, and the real-VS Code tools (Node 24, code-server, Debian chromium) into a cache outside the
// repository. It builds dist/ and out/ only when an input is newer than the last build (--rebuild: always).
// Exit code is non-zero when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const { stripAnsi } = createRequire(import.meta.url)('./harness/ansi.cjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const ALL = ['lint', 'unit', 'grammar', 'contract', 'extension', 'e2e'];
// parity (a real Nomad's verdicts vs ours, test/parity): run by default only when a Nomad binary is given
if (process.env.NOMAD_BIN) ALL.splice(ALL.indexOf('contract') + 1, 0, 'parity');
const wanted = process.argv.slice(2).filter(a => !a.startsWith('-'));
const layers = wanted.length ? wanted : ALL;
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const suiteStart = Date.now();
const summary = [];
let layerStart = Date.now();
function record(layer, passed, failed, skipped = 0, note = '') {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  const secs = Math.round((Date.now() - layerStart) / 1000);
  summary.push(
    `${layer.padEnd(10)} ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}  [${secs} s]${note ? `  (${note})` : ''}`,
  );
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, ...(opts.env || {}) },
    cwd: opts.cwd || root,
    timeout: opts.timeout,
  });
  return r.status ?? 1;
}
function files(dir, re) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out.sort();
}

// --- bootstrap -------------------------------------------------------------------------------------
/**
 * Why node_modules does not match package-lock.json ('' when it does): npm keeps what it installed in
 * node_modules/.package-lock.json; every package installed must be the locked version, and every package the
 * lock requires (not optional: those of other platforms are skipped) must be installed. Contents are compared,
 * not dates: a fresh checkout gives the lock a new date without changing it.
 */
function installMismatch() {
  const lockFile = path.join(root, 'package-lock.json');
  const installedFile = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installedFile)) return 'node_modules is not installed';
  /** @type {{ packages?: Record<string, { version?: string, optional?: boolean, link?: boolean }> }} */
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  /** @type {typeof lock} */
  const installed = JSON.parse(fs.readFileSync(installedFile, 'utf8'));
  const want = lock.packages ?? {},
    have = installed.packages ?? {};
  for (const [name, p] of Object.entries(want)) {
    if (name === '') continue;
    const h = have[name];
    if (!h) {
      if (!p.optional) return `${name} is not installed`;
      continue;
    }
    if (h.version !== p.version) return `${name} is ${h.version}, the lock says ${p.version}`;
  }
  for (const name of Object.keys(have)) if (!(name in want)) return `${name} is installed but not in the lock`;
  return '';
}
const mismatch = installMismatch();
if (mismatch) {
  console.log(`[test] installing dependencies (npm ci: ${mismatch})`);
  if (run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

/** The newest modification time under the inputs (files and folders: a deleted file changes its folder's). */
function newestInput(inputs) {
  let newest = 0;
  const visit = p => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) if (e !== 'node_modules') visit(path.join(p, e));
  };
  for (const i of inputs) visit(path.join(root, i));
  return newest;
}
const rebuild = process.argv.includes('--rebuild');
// each build: its inputs, and a stamp written when it succeeded (dist/ is emptied by the build, so its stamp goes with it)
const builds = [
  {
    what: 'dist/ (node esbuild.mjs)',
    args: ['esbuild.mjs'],
    stamp: 'dist/.built',
    inputs: ['src', 'package.json', 'esbuild.mjs', 'tsconfig.base.json', 'node_modules/.package-lock.json'],
  },
  {
    what: 'out/ (node esbuild.mjs --tests)',
    args: ['esbuild.mjs', '--tests'],
    stamp: 'out/.built',
    inputs: ['src', 'test', 'bench', 'package.json', 'esbuild.mjs', 'node_modules/.package-lock.json'],
  },
];
for (const b of builds) {
  const stamp = path.join(root, b.stamp);
  if (!rebuild && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs > newestInput(b.inputs)) {
    console.log(`[test] ${b.what} is up to date`);
    continue;
  }
  console.log(`[test] building ${b.what}`);
  const started = Date.now();
  if (run('node', b.args) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  // stamped with the time the build started: an input saved during the build is newer than the stamp
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, started / 1000, started / 1000);
}

// --- node --test layers -------------------------------------------------------------------------------
function nodeTest(layer, dir, extraArgs = [], env = {}) {
  const tests = files(path.join(root, 'out', 'test', dir), /\.test\.js$/);
  if (!tests.length) {
    record(layer, 0, 0, 0, 'no tests yet');
    return;
  }
  const tap = path.join(resultsDir, `${layer}.tap`);
  const summaryFile = path.join(resultsDir, `${layer}.summary.json`);
  fs.rmSync(summaryFile, { force: true });
  // one line per file on the console (test/harness/reporter.mjs), the full TAP in test-results/
  run(
    'node',
    [
      '--test',
      ...extraArgs,
      '--test-reporter=./test/harness/reporter.mjs',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...tests,
    ],
    { env: { ...env, TEST_SUMMARY_FILE: summaryFile, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  if (!fs.existsSync(summaryFile)) {
    // a runner that died before writing its summary is a failure, not a silent pass
    const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const num = k => {
      const m = new RegExp(`^# ${k} (\\d+)`, 'm').exec(text);
      return m ? +m[1] : 0;
    };
    record(layer, num('pass'), num('fail') + num('cancelled') + 1, num('skipped'), 'runner did not finish');
    return;
  }
  const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const why = Object.entries(s.skipReasons || {})
    .map(([r, n]) => `${n} skipped: ${r}`)
    .join('; ');
  record(layer, s.pass, s.fail, s.skip + s.todo, why);
}

// lint in the background: tsc, then eslint, exit codes written after their output
let lint;
function startLint() {
  const log = path.join(resultsDir, 'lint.log');
  const fd = fs.openSync(log, 'w');
  const child = spawn('bash', ['-c', 'npm run --silent typecheck; echo "@@tsc $?"; npx eslint .; echo "@@eslint $?"'], {
    cwd: root,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  lint = { log, child, start: Date.now() };
}
function finishLint() {
  if (!lint) return;
  const done = () => /@@eslint \d+/.test(fs.readFileSync(lint.log, 'utf8'));
  while (!done()) {
    if (lint.child.exitCode !== null && !done()) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  const text = fs.readFileSync(lint.log, 'utf8');
  const code = k => {
    const m = new RegExp(`@@${k} (\\d+)`).exec(text);
    return m ? +m[1] : 1;
  };
  const out = text.replace(/^@@(tsc|eslint) \d+\n?/gm, '').trim();
  console.log(`\n[test] ===== lint (ran beside unit and grammar) =====${out ? `\n${out}` : ''}`);
  const tsc = code('tsc'),
    eslint = code('eslint');
  const saved = layerStart;
  layerStart = lint.start;
  record(
    'lint',
    Number(tsc === 0) + Number(eslint === 0),
    Number(tsc !== 0) + Number(eslint !== 0),
    0,
    'tsc (every tsconfig), eslint',
  );
  layerStart = saved;
  lint = undefined;
}

for (const layer of layers) {
  if (lint && !['unit', 'grammar'].includes(layer)) finishLint();
  console.log(`\n[test] ===== ${layer} =====`);
  layerStart = Date.now();
  if (layer === 'lint') {
    // tsc and eslint use one core; the unit and grammar layers that follow use the other: lint runs beside
    // them and reports when they are done (its output is printed then)
    if (layers.includes('unit')) {
      startLint();
      console.log('[test] tsc and eslint run beside the next layers');
      continue;
    }
    const tsc = run('npm', ['run', '--silent', 'typecheck']);
    const eslint = run('npx', ['eslint', '.']);
    record(
      'lint',
      Number(tsc === 0) + Number(eslint === 0),
      Number(tsc !== 0) + Number(eslint !== 0),
      0,
      'tsc (every tsconfig), eslint',
    );
  } else if (layer === 'unit') {
    nodeTest('unit', 'unit');
  } else if (layer === 'parity') {
    nodeTest('parity', 'parity', ['--test-concurrency=1']);
  } else if (layer === 'contract') {
    nodeTest('contract', 'contract', ['--test-concurrency=1']);
  } else if (layer === 'grammar') {
    const gfiles = files(path.join(root, 'test', 'grammar'), /\.(nomad|hcl)$/);
    if (!gfiles.length) {
      record('grammar', 0, 0, 0, 'no tests yet');
      continue;
    }
    let passed = 0,
      failed = 0;
    for (const f of gfiles) {
      const r = spawnSync(
        'npx',
        ['vscode-tmgrammar-test', '-g', 'syntaxes/nomad.tmLanguage.json', path.relative(root, f)],
        { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      );
      if (r.status === 0) passed++;
      else failed++;
      console.log(`  ${r.status === 0 ? '✓' : '✗'} ${path.relative(root, f)}`);
      if (r.status !== 0) console.log(stripAnsi(`${r.stdout}${r.stderr}`));
    }
    record('grammar', passed, failed, 0, 'one per file of scope assertions');
  } else if (layer === 'extension' || layer === 'e2e') {
    const tools = path.join(process.env.NOMAD_VSCODE_TOOLS || path.join(os.homedir(), '.cache', 'nomad-vscode-tools'));
    if (run('bash', ['scripts/install-tools.sh']) !== 0) {
      record(layer, 0, 1, 0, `tool install failed (cache ${tools})`);
      continue;
    }
    const resultsFile = path.join(resultsDir, `${layer}.json`);
    fs.rmSync(resultsFile, { force: true });
    const script = layer === 'extension' ? 'test/extension/run.mjs' : 'test/e2e/run.mjs';
    if (!fs.existsSync(script)) {
      record(layer, 0, 0, 0, 'no tests yet');
      continue;
    }
    const code = run('node', [script], { env: { TEST_RESULTS_FILE: resultsFile }, timeout: 40 * 60 * 1000 });
    if (fs.existsSync(resultsFile)) {
      const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      record(
        layer,
        r.passes,
        r.failures + (code !== 0 && r.failures === 0 ? 1 : 0),
        r.pending || 0,
        code !== 0 && r.failures === 0 ? `runner exit ${code}` : '',
      );
    } else record(layer, 0, 1, 0, `no results (runner exit ${code})`);
  } else {
    console.log(`[test] unknown layer ${layer}`);
    record(layer, 0, 1);
  }
}

finishLint();
console.log(`\n[test] summary (${Math.round((Date.now() - suiteStart) / 1000)} s in all)`);
for (const s of summary) console.log('  ' + s);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
