#!/usr/bin/env node
// End-to-end layer: the packaged .vsix installed into a real code-server, driven by Debian chromium through
// playwright-core. Each scenario in scenarios/*.mjs gets a fresh window (browser context, folder, extension host)
// of a shared code-server (see runLane); screenshots go to test-results/screenshots/<scenario>/ (the folder is printed). Results: TEST_RESULTS_FILE (json).
//   node test/e2e/run.mjs [scenario-name-substring[,another…]]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const {
  startCodeServer,
  installVsix,
  launchBrowser,
  switchableForwarder,
  groupProcesses,
  writeSettings,
  tempDir,
  keepLog,
  OFFLINE_ENV,
} = require('../harness/lib.js');
const { progress, laneProgress } = await import('./ui.mjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shotsRoot = path.join(root, 'test-results', 'screenshots');
const filter = process.argv[2];

// The README's pictures: the details page shows a picture only from an absolute https URL, and this machine
// reaches no public host. The e2e package links them (NOMAD_VSCODE_IMAGES_URL, see scripts/package.mjs) to a
// loopback https server that serves the repository's media/ folder with a certificate made for the run, as
// a public repository would once there is one; the browser contexts accept that certificate.
async function imageServer() {
  const https = await import('node:https');
  const dir = tempDir('e2e-cert-');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.log(
      `[e2e] no certificate for the README's pictures (openssl: ${r.stderr || r.error}); their links stay relative`,
    );
    return undefined;
  }
  const media = path.join(root, 'media');
  const server = https.createServer(
    { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
    (req, res) => {
      const rel = decodeURIComponent(new URL(req.url, 'https://x').pathname).replace(/^\/media\//, '');
      const file = path.join(media, rel);
      if (!/^[\w/.-]+\.png$/.test(rel) || rel.includes('..') || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(fs.readFileSync(file));
    },
  );
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    url: `https://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

function ensureVsix(imagesUrl) {
  // its own copy, so dist/nomad-vscode.vsix never carries the run's loopback links
  const vsix = path.join(tempDir('e2e-vsix-'), 'nomad-vscode.vsix');
  console.log(`[e2e] packaging the extension (npm run package${imagesUrl ? `, pictures linked to ${imagesUrl}` : ''})`);
  const r = spawnSync('npm', ['run', 'package', '--silent', '--', '--out', vsix], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...(imagesUrl ? { NOMAD_VSCODE_IMAGES_URL: imagesUrl } : {}) },
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  console.log(`[e2e] ${vsix}: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
  return vsix;
}

const scenarioFiles = fs
  .readdirSync(path.join(root, 'test', 'e2e', 'scenarios'))
  .filter(f => f.endsWith('.mjs'))
  .sort()
  .filter(f => !filter || filter.split(',').some(x => f.includes(x)));
if (!scenarioFiles.length) {
  console.log(`[e2e] no scenario matches "${filter}"`);
  process.exit(1);
}
console.log(`[e2e] screenshots: ${shotsRoot}`);
const images = await imageServer();
const vsix = ensureVsix(images?.url);

// A lane is one code-server and one chromium serving its scenarios one after another (starting them took
// 10–19 s a scenario). Each scenario gets a fresh browser context (its own storage and colour scheme) and a
// new window on its own folder, hence its own extension host; its user settings are written before the
// window opens. The cluster a scenario starts is reached through loopback forwarders that NOMAD_ADDR and
// CONSUL_HTTP_ADDR of the lane's server point at, switched to the scenario's addresses (no target:
// connections are refused, as when no agent runs).
// A scenario that spends most of its time waiting for the cluster (the tour: deployments, health, rollback)
// runs in a lane of its own beside the others (OWN_LANE, or `export const lane = 'own'` in the scenario).
// E2E_LANES=1 runs everything in one lane.
async function runLane(name, files) {
  const results = [];
  const say = (...a) => console.log(`[e2e:${name}]`, ...a);
  const t00 = Date.now();
  const forward = { NOMAD_ADDR: await switchableForwarder(), CONSUL_HTTP_ADDR: await switchableForwarder() };
  let userDataDir, cs, chromium;
  try {
    cs = await startCodeServer({
      workspace: tempDir('e2e-empty-'),
      tag: `e2e-${name}`,
      extraArgs: ['--reconnection-grace-time', '2'],
      env: { ...OFFLINE_ENV, NOMAD_ADDR: forward.NOMAD_ADDR.addr, CONSUL_HTTP_ADDR: forward.CONSUL_HTTP_ADDR.addr },
      beforeStart: dirs => {
        userDataDir = dirs.userDataDir;
        installVsix(vsix, dirs);
      },
    });
    chromium = await launchBrowser();
  } catch (e) {
    say(`FAILED to start: ${e?.stack || e}`);
    for (const f of files)
      results.push({
        title: f.replace(/\.mjs$/, ''),
        state: 'failed',
        ms: 0,
        error: `lane ${name} did not start: ${e}`,
      });
    return results;
  }
  say(`code-server and chromium up in ${((Date.now() - t00) / 1000).toFixed(1)} s`);
  const extensionHosts = () => groupProcesses(cs.proc.pid, 'extensionHost');
  async function closeWindow(browser) {
    if (!browser) return;
    await browser.close().catch(() => {});
    // the window's extension host ends after the reconnection grace time: wait, so it cannot talk to the
    // next scenario's cluster
    const t = Date.now();
    while (extensionHosts().length && Date.now() - t < 20000) await new Promise(r => setTimeout(r, 250));
  }

  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(root, 'test', 'e2e', 'scenarios', file)).href);
    const name = file.replace(/\.mjs$/, '');
    const shots = path.join(shotsRoot, name);
    fs.rmSync(shots, { recursive: true, force: true });
    fs.mkdirSync(shots, { recursive: true });
    let n = 0;
    const t0 = Date.now();
    const ctx = { root, shots, log: (...a) => console.log(`[e2e:${name}]`, ...a) };
    let browser, cleanup;
    const logStart = fs.statSync(cs.logFile).size;
    // say what the scenario is waiting for at least every 30 s, so a long wait is never silent
    progress.what = 'setting up';
    const heartbeat = setInterval(
      () => ctx.log(`… ${Math.round((Date.now() - t0) / 1000)} s, waiting for: ${progress.what}`),
      30_000,
    );
    try {
      if (mod.setup) {
        ctx.log('setting up');
        cleanup = await mod.setup(ctx);
      }
      progress.what = 'the workbench to start';
      const env = ctx.env || {};
      for (const k of Object.keys(env))
        if (!forward[k])
          throw new Error(`scenario env ${k}: only ${Object.keys(forward).join(', ')} reach the shared code-server`);
      for (const [k, f] of Object.entries(forward)) f.setTarget(env[k]);
      writeSettings(userDataDir, { ...(mod.settings || {}), ...(ctx.settings || {}) });
      const workspace = ctx.workspace || path.join(root, 'test', 'extension', 'workspace');
      browser = await chromium.newContext({ colorScheme: mod.colorScheme, ignoreHTTPSErrors: !!images });
      ctx.offLoopback = browser.offLoopback;
      const page = await browser.context.newPage();
      page.on('pageerror', e => ctx.log('[page error]', e.message));
      ctx.page = page;
      ctx.shot = async label => {
        const f = path.join(shots, `${String(++n).padStart(2, '0')}-${label}.png`);
        await page.screenshot({ path: f });
        return f;
      };
      const tGo = Date.now();
      await page.goto(`${cs.url}?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      ctx.log(
        `set up in ${((tGo - t0) / 1000).toFixed(1)} s; workbench in ${((Date.now() - tGo) / 1000).toFixed(1)} s`,
      );
      progress.what = 'the scenario';
      await mod.run(ctx);
      if (browser.offLoopback.length)
        throw new Error(`requests beyond loopback: ${[...new Set(browser.offLoopback)].slice(0, 10).join(', ')}`);
      results.push({ title: name, state: 'passed', ms: Date.now() - t0 });
      ctx.log(`passed in ${Date.now() - t0} ms`);
    } catch (e) {
      if (ctx.page) await ctx.page.screenshot({ path: path.join(shots, '99-failure.png') }).catch(() => {});
      results.push({ title: name, state: 'failed', ms: Date.now() - t0, error: String(e?.stack || e) });
      ctx.log(`FAILED: ${e?.stack || e}`);
      // the part of the lane's server log written during this scenario
      const part = path.join(path.dirname(cs.logFile), `${name}.log`);
      try {
        fs.writeFileSync(part, fs.readFileSync(cs.logFile).subarray(logStart));
      } catch {
        /* no log */
      }
      ctx.log(`code-server log kept: ${keepLog(part, `e2e-${name}-code-server.log`)}`);
    } finally {
      clearInterval(heartbeat);
      await closeWindow(browser);
      for (const f of Object.values(forward)) f.setTarget(undefined);
      if (cleanup) await cleanup().catch(e => ctx.log(`cleanup: ${e}`));
    }
  }
  await chromium.close().catch(() => {});
  await cs.stop();
  for (const f of Object.values(forward)) await f.close();
  return results;
}

const OWN_LANE = ['02-tour'];
const lanes = new Map();
for (const f of scenarioFiles) {
  const mod = await import(pathToFileURL(path.join(root, 'test', 'e2e', 'scenarios', f)).href);
  const own = mod.lane === 'own' || OWN_LANE.some(x => f.startsWith(x));
  const lane = process.env.E2E_LANES === '1' || !own ? 'main' : f.replace(/\.mjs$/, '').replace(/^\d+-/, '');
  lanes.set(lane, [...(lanes.get(lane) || []), f]);
}
if (lanes.size > 1)
  console.log(`[e2e] ${lanes.size} lanes at once: ${[...lanes].map(([l, fs]) => `${l} (${fs.length})`).join(', ')}`);
const laneResults = await Promise.all(
  [...lanes].map(([l, files]) => laneProgress.run({ what: '' }, () => runLane(`lane-${l}`, files))),
);
await images?.close();
const results = laneResults.flat().sort((a, b) => a.title.localeCompare(b.title));
const passes = results.filter(r => r.state === 'passed').length;
const failures = results.length - passes;
if (process.env.TEST_RESULTS_FILE)
  fs.writeFileSync(
    process.env.TEST_RESULTS_FILE,
    JSON.stringify({ passes, failures, pending: 0, tests: results }, null, 2),
  );
console.log(`[e2e] ${passes} passed, ${failures} failed; screenshots in ${shotsRoot}`);
process.exit(failures ? 1 : 0);
