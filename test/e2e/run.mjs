#!/usr/bin/env node
// End-to-end layer: the packaged .vsix installed into a real code-server, driven by Debian chromium through
// playwright-core. Each scenario in scenarios/*.mjs gets a fresh code-server + browser; screenshots go to
// test-results/screenshots/<scenario>/ (the folder is printed). Results: TEST_RESULTS_FILE (json).
//   node test/e2e/run.mjs [scenario-name-substring[,another…]]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { startCodeServer, installVsix, launchChromium, keepLog, OFFLINE_ENV } = require('../harness/lib.js');
const { progress } = await import('./ui.mjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shotsRoot = path.join(root, 'test-results', 'screenshots');
const filter = process.argv[2];

function ensureVsix() {
  const vsix = path.join(root, 'dist', 'nomad-vscode.vsix');
  console.log('[e2e] packaging the extension (npm run package)');
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  console.log(`[e2e] ${vsix}: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
  return vsix;
}

const results = [];
const scenarioFiles = fs.readdirSync(path.join(root, 'test', 'e2e', 'scenarios')).filter(f => f.endsWith('.mjs')).sort()
  .filter(f => !filter || filter.split(',').some(x => f.includes(x)));
if (!scenarioFiles.length) { console.log(`[e2e] no scenario matches "${filter}"`); process.exit(1); }
console.log(`[e2e] screenshots: ${shotsRoot}`);
const vsix = ensureVsix();

for (const file of scenarioFiles) {
  const mod = await import(pathToFileURL(path.join(root, 'test', 'e2e', 'scenarios', file)).href);
  const name = file.replace(/\.mjs$/, '');
  const shots = path.join(shotsRoot, name);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  let n = 0;
  const t0 = Date.now();
  const ctx = { root, shots, log: (...a) => console.log(`[e2e:${name}]`, ...a) };
  let cs, browser, cleanup;
  // say what the scenario is waiting for at least every 30 s, so a long wait is never silent
  progress.what = 'starting';
  const heartbeat = setInterval(() => ctx.log(`… ${Math.round((Date.now() - t0) / 1000)} s, waiting for: ${progress.what}`), 30_000);
  try {
    if (mod.setup) { ctx.log('setting up'); cleanup = await mod.setup(ctx); }
    const workspace = ctx.workspace || path.join(root, 'test', 'extension', 'workspace');
    cs = await startCodeServer({ workspace, tag: `e2e-${name}`, settings: { ...(mod.settings || {}), ...(ctx.settings || {}) },
      env: { ...OFFLINE_ENV, ...(ctx.env || {}) }, beforeStart: dirs => { installVsix(vsix, dirs); } });
    browser = await launchChromium({ colorScheme: mod.colorScheme });
    ctx.offLoopback = browser.offLoopback;
    const page = browser.context.pages()[0] || await browser.context.newPage();
    page.on('pageerror', e => ctx.log('[page error]', e.message));
    ctx.page = page;
    ctx.shot = async label => { const f = path.join(shots, `${String(++n).padStart(2, '0')}-${label}.png`); await page.screenshot({ path: f }); return f; };
    await page.goto(`${cs.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await mod.run(ctx);
    if (browser.offLoopback.length) throw new Error(`requests beyond loopback: ${[...new Set(browser.offLoopback)].slice(0, 10).join(', ')}`);
    results.push({ title: name, state: 'passed', ms: Date.now() - t0 });
    ctx.log(`passed in ${Date.now() - t0} ms`);
  } catch (e) {
    if (ctx.page) await ctx.page.screenshot({ path: path.join(shots, '99-failure.png') }).catch(() => {});
    results.push({ title: name, state: 'failed', ms: Date.now() - t0, error: String(e?.stack || e) });
    ctx.log(`FAILED: ${e?.stack || e}`);
    if (cs) ctx.log(`code-server log kept: ${keepLog(cs.logFile, `e2e-${name}-code-server.log`)}`);
  } finally {
    clearInterval(heartbeat);
    if (browser) await browser.close().catch(() => {});
    if (cs) await cs.stop();
    if (cleanup) await cleanup();
  }
}

const passes = results.filter(r => r.state === 'passed').length;
const failures = results.length - passes;
if (process.env.TEST_RESULTS_FILE) fs.writeFileSync(process.env.TEST_RESULTS_FILE, JSON.stringify({ passes, failures, pending: 0, tests: results }, null, 2));
console.log(`[e2e] ${passes} passed, ${failures} failed; screenshots in ${shotsRoot}`);
process.exit(failures ? 1 : 0);
