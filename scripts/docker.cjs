#!/usr/bin/env node
// A private Docker engine for the demo and the tests, with the tutorial's image in it.
//
//   const docker = require('./scripts/docker.cjs');
//   const engine = await docker.start();       // { available: true, host: 'unix:///tmp/…/docker.sock', … }
//                                                // or { available: false, reason } (callers keep raw_exec)
//   …                                           // Nomad: plugin "docker" { config { endpoint = engine.host } }
//   await docker.stop();                        // also done at exit, Ctrl+C included
//
//   node scripts/docker.cjs run      start, print DOCKER_HOST=…, stop on Ctrl+C
//   node scripts/docker.cjs start    start in the background (state in $TMPDIR/nomad-vscode-docker.json)
//   node scripts/docker.cjs stop     stop the background one
//   node scripts/docker.cjs status   print the background one's DOCKER_HOST, or why there is none
//
// What start() does:
// - installs Debian's docker.io and docker-registry when dockerd is absent (apt-get; as root, else sudo -n);
// - starts dockerd with its own socket, --data-root, --exec-root and pidfile in a new temp folder,
//   `--iptables=false --ip 127.0.0.1 --ip-forward=false` (published ports bind loopback through the
//   userland proxy; no firewall rule or sysctl is touched), on a bridge of its own (two engines on one
//   machine do not share docker0), overlay2 and vfs where overlay is refused;
// - starts a local registry (TLS on a loopback port, its own throwaway CA) and points the engine's
//   docker.io traffic at it: dockerd gets HTTPS_PROXY = a small CONNECT proxy that sends
//   registry-1.docker.io:443 to the registry, and SSL_CERT_FILE = the system CAs plus ours. So
//   `eridemnet/microservice-example:<missing tag>` fails the way Docker Hub fails it, `manifest unknown`.
//   (A --registry-mirror alone does not do it: after the mirror's 404 dockerd tries Docker Hub itself
//   and the error becomes a DNS failure.)
// - builds eridemnet/microservice-example:1.0.0 and :1.0.1 FROM scratch (scripts/images/) and pushes them.
// NOMAD_VSCODE_DOCKER_HOST=unix:///path/docker.sock reuses a running engine instead (not stopped by us).
'use strict';
const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const STATE = path.join(os.tmpdir(), 'nomad-vscode-docker.json');
const PATH_EXTRA = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ENV_PATH = `${process.env.PATH || ''}:${PATH_EXTRA}`;

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let sudoOk;
function canRoot() {
  if (isRoot) return true;
  if (sudoOk === undefined) sudoOk = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return sudoOk;
}
/** argv run as root: as is when we are root, through `sudo -n` otherwise. */
function rootArgv(argv) {
  return isRoot ? argv : ['sudo', '-n', ...argv];
}
function runRoot(argv, opts = {}) {
  const a = rootArgv(argv);
  return spawnSync(a[0], a.slice(1), { encoding: 'utf8', env: { ...process.env, PATH: ENV_PATH }, ...opts });
}
function which(cmd) {
  for (const dir of ENV_PATH.split(':')) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
/** A process that exists and is not a zombie (a child we have not reaped yet counts as gone). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = /** @type {import('node:net').AddressInfo} */ (s.address()).port;
      s.close(() => resolve(p));
    });
  });
}

/** GET over the engine's unix socket; resolves { status, body } or rejects. */
function engineGet(socket, p, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: socket, path: p, timeout: timeoutMs }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
async function pingable(socket) {
  try {
    return (await engineGet(socket, '/_ping')).status === 200;
  } catch {
    return false;
  }
}

/** The Docker CLI that matches Debian's dockerd (the one beside it), else any on PATH. */
function dockerCli() {
  return fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : which('docker');
}
function cliRunner(host) {
  const cli = dockerCli();
  return args =>
    spawnSync(cli, ['-H', host, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: {
        ...process.env,
        PATH: ENV_PATH,
        DOCKER_BUILDKIT: '0',
        DOCKER_CONFIG: path.join(os.tmpdir(), 'nomad-vscode-docker-cli'),
      },
    });
}

// --- install ------------------------------------------------------------------------------------------
function ensureInstalled(log) {
  const missing = [];
  if (!which('dockerd')) missing.push('docker.io');
  if (!which('docker-registry')) missing.push('docker-registry');
  if (!missing.length) return null;
  if (!canRoot()) return `no Docker: ${missing.join(', ')} not installed and no root (nor sudo -n) to install it`;
  if (!which('apt-get')) return `no Docker: ${missing.join(', ')} not installed and no apt-get`;
  log(`installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH: ENV_PATH };
  const upd = runRoot(['apt-get', 'update', '-q'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const inst = runRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (!which('dockerd'))
    return `no Docker: apt-get install docker.io failed: ${(inst.stderr || upd.stderr || '').trim().slice(-500)}`;
  if (!which('docker-registry'))
    log('docker-registry could not be installed: a missing tag will not fail with "manifest unknown"');
  return null;
}

// --- the registry and its CONNECT proxy -------------------------------------------------------------
function makeTls(dir) {
  const d = path.join(dir, 'tls');
  fs.mkdirSync(d, { recursive: true });
  const ssl = (...a) => {
    const r = spawnSync('openssl', a, { cwd: d, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${a[0]}: ${(r.stderr || '').trim().slice(-300)}`);
  };
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '7',
    '-subj',
    '/CN=nomad-vscode throwaway registry CA',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'registry.key',
    '-out',
    'registry.csr',
    '-subj',
    '/CN=registry-1.docker.io',
  );
  fs.writeFileSync(
    path.join(d, 'ext.cnf'),
    'subjectAltName=DNS:registry-1.docker.io,DNS:index.docker.io,IP:127.0.0.1\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'registry.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'registry.crt',
    '-days',
    '7',
    '-extfile',
    'ext.cnf',
  );
  let system = '';
  for (const f of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt']) {
    if (fs.existsSync(f)) {
      system = fs.readFileSync(f, 'utf8');
      break;
    }
  }
  fs.writeFileSync(path.join(d, 'bundle.crt'), system + '\n' + fs.readFileSync(path.join(d, 'ca.crt'), 'utf8'));
  return { cert: path.join(d, 'registry.crt'), key: path.join(d, 'registry.key'), bundle: path.join(d, 'bundle.crt') };
}

/** `node docker.cjs proxy <port> <registryPort>`: CONNECT to Docker Hub's registry goes to ours, nothing else goes anywhere. */
function runProxy(port, target) {
  const server = http.createServer((req, res) => {
    res.writeHead(403);
    res.end('only CONNECT to registry-1.docker.io\n');
  });
  server.on('connect', (req, sock, head) => {
    const host = String(req.url || '').toLowerCase();
    if (host !== 'registry-1.docker.io:443' && host !== 'index.docker.io:443') {
      sock.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const up = net.connect(target, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  server.listen(port, '127.0.0.1');
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(0));
}

// --- bridge ---------------------------------------------------------------------------------------------
/** A bridge of this engine's own with a free 10.213.x.0/24, or null (then dockerd makes docker0). */
function makeBridge(tag) {
  if (!which('ip')) return null;
  const used = spawnSync('ip', ['-4', 'addr'], { encoding: 'utf8' }).stdout || '';
  const name = `nvd${tag}`;
  for (let i = 0; i < 64; i++) {
    const x = 1 + crypto.randomInt(250);
    if (used.includes(`10.213.${x}.`)) continue;
    if (runRoot(['ip', 'link', 'add', 'name', name, 'type', 'bridge']).status !== 0) return null;
    if (
      runRoot(['ip', 'addr', 'add', `10.213.${x}.1/24`, 'dev', name]).status !== 0 ||
      runRoot(['ip', 'link', 'set', name, 'up']).status !== 0
    ) {
      runRoot(['ip', 'link', 'del', name]);
      return null;
    }
    return name;
  }
  return null;
}

// --- engine lifecycle -------------------------------------------------------------------------------
/** Stops what `state` lists and removes its folder; synchronous so that it can run in an exit hook. */
function stopState(state) {
  const kill = (pid, sig, asRoot) => {
    if (!pid || !alive(pid)) return;
    if (asRoot) runRoot(['kill', `-${sig.slice(3)}`, String(pid)]);
    else {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  const waitGone = (pid, ms) => {
    const end = Date.now() + ms;
    while (pid && alive(pid) && Date.now() < end) sleepSync(100);
    return !pid || !alive(pid);
  };
  // dockerd first: it stops its containers (shutdown-timeout) and its containerd, then unmounts
  kill(state.dockerdPid, 'SIGTERM', !isRoot);
  if (!waitGone(state.dockerdPid, 25_000)) {
    kill(state.dockerdPid, 'SIGKILL', !isRoot);
    waitGone(state.dockerdPid, 5000);
  }
  for (const pid of [state.registryPid, state.proxyPid]) kill(pid, 'SIGTERM', false);
  for (const pid of [state.registryPid, state.proxyPid]) if (!waitGone(pid, 3000)) kill(pid, 'SIGKILL', false);
  if (state.bridge) runRoot(['ip', 'link', 'del', state.bridge], { stdio: 'ignore' });
  if (state.dockerdPid && alive(state.dockerdPid)) return; // never pull the folder from under a live engine
  if (state.dir && fs.existsSync(state.dir)) {
    // whatever dockerd left mounted under the folder (a killed engine leaves overlays and shm mounts)
    let mounts = [];
    try {
      mounts = fs
        .readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map(l => l.split(' ')[1])
        .filter(m => m && m.startsWith(state.dir + '/'));
    } catch {
      /* no /proc */
    }
    for (const m of mounts.sort((a, b) => b.length - a.length)) runRoot(['umount', '-l', m], { stdio: 'ignore' });
    if (isRoot) fs.rmSync(state.dir, { recursive: true, force: true });
    else runRoot(['rm', '-rf', state.dir], { stdio: 'ignore' });
  }
}

async function waitEngine(socket, proc, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    if (await pingable(socket)) return true;
    await new Promise(r => setTimeout(r, 150));
  }
  return false;
}

function tail(file, n = 1500) {
  try {
    const t = fs.readFileSync(file, 'utf8');
    return t.slice(-n).trim();
  } catch {
    return '';
  }
}

/**
 * Starts a private engine (or reuses NOMAD_VSCODE_DOCKER_HOST) and builds the tutorial's images in it.
 * opts: { install = true, images = true, detached = false, log = console.error-ish }
 * Resolves { available: true, host, socket, dir, storageDriver, registry, images, owned, startMs, stop }
 * or { available: false, reason }.
 */
async function startEngine(opts = {}) {
  const log = opts.log || (m => process.stderr.write(`[docker] ${m}\n`));
  const t0 = Date.now();
  const reuse = process.env.NOMAD_VSCODE_DOCKER_HOST;
  if (reuse) {
    const socket = reuse.replace(/^unix:\/\//, '');
    if (!(await pingable(socket)))
      return { available: false, reason: `NOMAD_VSCODE_DOCKER_HOST=${reuse} does not answer` };
    const images =
      opts.images === false
        ? []
        : require('./images/build.cjs').buildMicroservice(cliRunner(`unix://${socket}`), { log, push: false });
    return {
      available: true,
      host: `unix://${socket}`,
      socket,
      dir: null,
      storageDriver: null,
      registry: null,
      images,
      owned: false,
      startMs: Date.now() - t0,
      stop: async () => {},
    };
  }
  if (process.platform !== 'linux')
    return { available: false, reason: `no Docker: the private engine needs Linux (this is ${process.platform})` };
  const why =
    opts.install === false ? (which('dockerd') ? null : 'no Docker: dockerd is not installed') : ensureInstalled(log);
  if (why) return { available: false, reason: why };
  if (!canRoot()) return { available: false, reason: 'no Docker: dockerd needs root (or sudo -n)' };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-docker-'));
  fs.chmodSync(dir, 0o755);
  const tag = crypto.randomBytes(4).toString('hex');
  const state = {
    dir,
    socket: path.join(dir, 'docker.sock'),
    dockerdPid: 0,
    registryPid: 0,
    proxyPid: 0,
    bridge: null,
    owner: process.pid,
  };
  const detached = !!opts.detached;
  const spawnLogged = (argv, logName, env) => {
    const fd = fs.openSync(path.join(dir, logName), 'a');
    const p = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, PATH: ENV_PATH, ...env },
      detached: true,
    });
    fs.closeSync(fd);
    p.unref();
    return p;
  };
  try {
    // registry + proxy (optional: without them a missing tag fails with a DNS error instead)
    let proxyEnv = {};
    let registry = null;
    if (which('docker-registry') && which('openssl')) {
      try {
        const tls = makeTls(dir);
        const [regPort, proxyPort] = [await freePort(), await freePort()];
        fs.mkdirSync(path.join(dir, 'registry'));
        fs.writeFileSync(
          path.join(dir, 'registry.yml'),
          [
            'version: 0.1',
            'log:',
            '  level: warn',
            'storage:',
            '  filesystem:',
            `    rootdirectory: ${path.join(dir, 'registry')}`,
            'http:',
            `  addr: 127.0.0.1:${regPort}`,
            '  tls:',
            `    certificate: ${tls.cert}`,
            `    key: ${tls.key}`,
            '',
          ].join('\n'),
        );
        const reg = spawnLogged([which('docker-registry'), 'serve', path.join(dir, 'registry.yml')], 'registry.log');
        state.registryPid = reg.pid;
        const proxy = spawnLogged(
          [process.execPath, __filename, 'proxy', String(proxyPort), String(regPort)],
          'proxy.log',
        );
        state.proxyPid = proxy.pid;
        const proxyUrl = `http://127.0.0.1:${proxyPort}`;
        proxyEnv = {
          HTTPS_PROXY: proxyUrl,
          https_proxy: proxyUrl,
          HTTP_PROXY: proxyUrl,
          http_proxy: proxyUrl,
          NO_PROXY: '',
          no_proxy: '',
          SSL_CERT_FILE: tls.bundle,
        };
        registry = `https://127.0.0.1:${regPort}`;
      } catch (e) {
        log(`local registry not started (${e.message}); a missing tag will not fail with "manifest unknown"`);
      }
    } else {
      log('docker-registry or openssl missing: a missing tag will not fail with "manifest unknown"');
    }
    state.bridge = makeBridge(tag);

    let storageDriver = null;
    for (const driver of ['overlay2', 'vfs']) {
      const argv = rootArgv([
        which('dockerd'),
        '--host',
        `unix://${state.socket}`,
        '--data-root',
        path.join(dir, 'data'),
        '--exec-root',
        path.join(dir, 'exec'),
        '--pidfile',
        path.join(dir, 'docker.pid'),
        '--iptables=false',
        '--ip-forward=false',
        '--ip',
        '127.0.0.1',
        '--storage-driver',
        driver,
        '--shutdown-timeout',
        '5',
        ...(state.bridge ? ['--bridge', state.bridge] : []),
        ...(isRoot ? [] : ['--group', String(process.getgid())]),
      ]);
      if (!isRoot) argv.splice(2, 0, ...Object.entries(proxyEnv).map(([k, v]) => `${k}=${v}`)); // sudo -n K=V… dockerd
      const proc = spawnLogged(argv, `dockerd-${driver}.log`, proxyEnv);
      state.dockerdPid = proc.pid;
      if (await waitEngine(state.socket, proc, 60_000)) {
        storageDriver = driver;
        break;
      }
      log(`dockerd with ${driver} did not start: ${tail(path.join(dir, `dockerd-${driver}.log`), 400)}`);
      stopState({ dockerdPid: state.dockerdPid });
      state.dockerdPid = 0;
      for (const sub of ['data', 'exec']) runRoot(['rm', '-rf', path.join(dir, sub)], { stdio: 'ignore' });
    }
    if (!storageDriver) throw new Error(`dockerd did not start (overlay2 nor vfs); logs in ${dir}`);
    // with sudo, the pid we spawned is sudo's; dockerd's own pid is in its pidfile
    if (!isRoot) {
      try {
        state.dockerdPid = Number(fs.readFileSync(path.join(dir, 'docker.pid'), 'utf8').trim()) || state.dockerdPid;
      } catch {
        /* keep sudo's */
      }
    }
    const host = `unix://${state.socket}`;
    const startMs = Date.now() - t0;
    log(
      `engine ready in ${(startMs / 1000).toFixed(1)} s (${storageDriver}${state.bridge ? `, bridge ${state.bridge}` : ''}) at ${host}`,
    );
    const images =
      opts.images === false
        ? []
        : require('./images/build.cjs').buildMicroservice(cliRunner(host), { log, push: !!registry });
    if (detached) fs.writeFileSync(STATE, JSON.stringify({ ...state, host, storageDriver, registry, images }, null, 2));
    let stopped = false;
    const stop = async () => {
      if (!stopped) {
        stopped = true;
        stopState(state);
      }
    };
    return {
      available: true,
      host,
      socket: state.socket,
      dir,
      storageDriver,
      registry,
      images,
      owned: true,
      startMs,
      stop,
      state,
    };
  } catch (e) {
    stopState(state);
    return { available: false, reason: `Docker engine failed to start: ${e.message}` };
  }
}

// --- one engine per process -------------------------------------------------------------------------
let current = null;
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  const cleanup = () => {
    const c = current;
    current = null;
    if (c && c.settled && c.settled.available && c.settled.owned) stopState(c.settled.state);
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      cleanup();
      // the only listener: do what the signal would have done
      if (process.listenerCount(sig) === 1) process.exit(128 + (os.constants.signals[sig] || 1));
    });
  }
}

/** How many callers of start() have not called stop() yet: the engine is shared by all of them (the e2e
 *  layer runs scenarios side by side in one process), so the last stop() stops it, not the first. */
let users = 0;

/** Starts the private engine once per process (later calls get the same one); stopped at exit. */
function start(opts = {}) {
  users++;
  if (!current) {
    hookExit();
    const entry = { promise: null, settled: null };
    entry.promise = startEngine(opts).then(r => {
      entry.settled = r;
      return r;
    });
    current = entry;
  }
  return current.promise;
}

/** Stops the engine this process started once its last user stops (no-op when none, or when it was reused). */
async function stop() {
  if (users > 0) users--;
  if (users > 0) return;
  const c = current;
  current = null;
  if (!c) return;
  const r = await c.promise;
  if (r.available) await r.stop();
}

/** Docker CLI bound to an engine's host, for callers that want `docker ps` and the like. */
function docker(host) {
  return cliRunner(host);
}

module.exports = { start, stop, startEngine, docker, engineGet, STATE };

// --- CLI ---------------------------------------------------------------------------------------------
if (require.main === module) {
  const [cmd, ...rest] = process.argv.slice(2);
  const readState = () => {
    try {
      return JSON.parse(fs.readFileSync(STATE, 'utf8'));
    } catch {
      return null;
    }
  };
  (async () => {
    if (cmd === 'proxy') {
      runProxy(Number(rest[0]), Number(rest[1]));
      return;
    }
    if (cmd === 'run') {
      const e = await start();
      if (!e.available) {
        console.log(e.reason);
        process.exit(2);
      }
      console.log(`DOCKER_HOST=${e.host}\n${e.images.join('\n')}\nCtrl+C stops the engine and removes ${e.dir}`);
      setInterval(() => {}, 1 << 30);
      return;
    }
    if (cmd === 'start') {
      const s = readState();
      if (s && alive(s.dockerdPid) && (await pingable(s.socket))) {
        console.log(`DOCKER_HOST=${s.host}`);
        return;
      }
      const e = await startEngine({ detached: true });
      if (!e.available) {
        console.log(e.reason);
        process.exit(2);
      }
      console.log(`DOCKER_HOST=${e.host}`);
      return;
    }
    if (cmd === 'stop') {
      const s = readState();
      if (s) {
        stopState(s);
        fs.rmSync(STATE, { force: true });
        console.log(`stopped ${s.host}`);
      } else console.log('no engine started with `start`');
      return;
    }
    if (cmd === 'status') {
      const s = readState();
      if (s && alive(s.dockerdPid) && (await pingable(s.socket))) console.log(`DOCKER_HOST=${s.host}`);
      else {
        console.log('no engine running (start one with: node scripts/docker.cjs start)');
        process.exit(1);
      }
      return;
    }
    console.log('usage: node scripts/docker.cjs run|start|stop|status');
    process.exit(2);
  })().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
