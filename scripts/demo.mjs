#!/usr/bin/env node
// `npm run demo`: the product running. Installs what it needs (npm ci, the code-server tools), builds and
// packages the .vsix, starts a cluster — a real Nomad agent when NOMAD_BIN or `nomad` on PATH is there,
// else the project's Nomad double (it says which, here and in the editor's status bar) — registers
// nothing, opens a copy of examples/ (the microservice and the job files of the tutorial "Deploying
// Microservices Transparently in Clusters with Docker and Nomad", eridemnet, 2017) in code-server with
// the freshly packaged extension installed, and prints the URL. Ctrl+C stops everything it started.
// With a Docker engine at hand (scripts/docker.cjs: Debian's docker.io, installed when missing, as root or
// with sudo -n) the tutorial's own job (microservice-job-01.nomad, docker driver, a Consul service) runs
// as written: the private engine with the tutorial's image, a Consul double for the agent and the editor,
// and the agent's docker plugin (or the double's docker driver) on that engine. Without Docker it is the
// raw_exec variant of the job; the demo says which, and why.
//   env: DEMO_PORT (code-server port, default 8080), NOMAD_BIN, NOMAD_ADDR (use a running agent),
//        DEMO_DOCKER=0 (the raw_exec path even where Docker could run),
//        DEMO_CLUSTER=tutorial (with a Nomad binary: the tutorial's cluster — a server and two clients on
//        127.0.0.1-3, mutual TLS and ACLs — with the extension's nomad.tls.* settings and token set for it)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bold = s => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s); // no ANSI codes in logs
const step = m => console.log(`${bold('[demo]')} ${m}`);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[demo] ${cmd} ${args.join(' ')} failed`);
    process.exit(1);
  }
};
// a long step that prints little: says every 10 s that it still runs, and for how long
const ticking = (what, cmd, args) =>
  new Promise(resolve => {
    const t0 = Date.now();
    const timer = setInterval(() => step(`… still ${what} (${Math.round((Date.now() - t0) / 1000)} s)`), 10_000);
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('exit', code => {
      clearInterval(timer);
      if (code !== 0) {
        console.error(`[demo] ${cmd} ${args.join(' ')} failed`);
        process.exit(1);
      }
      resolve();
    });
  });
// a step whose own output is not the demo's (the packager lists every file it packs): kept, and shown
// only when the step fails
const quiet = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    console.error(`[demo] ${cmd} ${args.join(' ')} failed`);
    process.exit(1);
  }
};

const lock = path.join(root, 'package-lock.json'),
  stamp = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < fs.statSync(lock).mtimeMs) {
  step('installing dependencies (npm ci)');
  await ticking('installing dependencies', 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}
step('installing the editor tools (Node 24, code-server, chromium) if missing');
run('bash', ['scripts/install-tools.sh']);
step('building and packaging the extension');
run('node', ['esbuild.mjs', '--tests']);
quiet('npm', ['run', 'package', '--silent']);
const vsix = path.join(root, 'dist', 'nomad-vscode.vsix');
step(`packaged ${path.relative(root, vsix)} (${Math.round(fs.statSync(vsix).size / 1024)} KiB)`);

const { startCodeServer, installVsix } = require('../test/harness/lib.js');
const cleanups = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  step('stopping…');
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      /* already gone */
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// ---- the cluster and the workspace --------------------------------------------------------------------
const { startCluster, exampleWorkspace } = require('../test/harness/cluster.js');
step("starting the cluster (and the private Docker engine with the tutorial's image, when Docker can run here)");
const cluster = await startCluster({
  preferPathNomad: true,
  docker: process.env.DEMO_DOCKER !== '0',
  topology: process.env.DEMO_CLUSTER === 'tutorial' ? 'tutorial' : 'dev',
  log: m => step(`docker: ${m}`),
});
cleanups.push(() => cluster.stop());
if (cluster.kind === 'double')
  step("no Nomad binary found (NOMAD_BIN or `nomad` on PATH): using the project's Nomad double instead");
if (cluster.topologyReason) step(cluster.topologyReason);
// the tutorial's cluster speaks mutual TLS: the settings a user would set, and its bootstrap token (NOMAD_TOKEN,
// the fallback the extension reads when no token is in secret storage)
const tlsSettings = cluster.tls
  ? {
      'nomad.tls.caCert': cluster.tls.caCert,
      'nomad.tls.clientCert': cluster.tls.clientCert,
      'nomad.tls.clientKey': cluster.tls.clientKey,
      'nomad.tls.serverName': cluster.tls.serverName,
    }
  : {};
const addr = cluster.addr,
  kind = cluster.label;
if (cluster.consulAddr) process.env.CONSUL_HTTP_ADDR = cluster.consulAddr;
step(
  `cluster: ${kind} at ${addr}${cluster.consulAddr ? ` · Consul (the project's double) at ${cluster.consulAddr}` : ''}`,
);
const jobLine = cluster.docker
  ? `the tutorial's job as written: ${cluster.jobFile} (docker driver) on the private Docker engine ${cluster.engineHost}`
  : `${cluster.jobFile} (raw_exec: no Docker here — ${cluster.dockerReason})`;
step(`job to try: ${jobLine}`);
const { ws, cleanup } = exampleWorkspace({ openWalkthrough: true, docker: cluster.docker }); // the demo opens "Get started with Nomad"
cleanups.push(cleanup);

// ---- code-server with the packaged extension ---------------------------------------------------------
const port = Number(process.env.DEMO_PORT || 8080);
const cs = await startCodeServer({
  workspace: ws,
  tag: 'demo',
  port,
  env: {
    NOMAD_ADDR: addr,
    ...(cluster.consulAddr ? { CONSUL_HTTP_ADDR: cluster.consulAddr } : {}),
    ...(cluster.token ? { NOMAD_TOKEN: cluster.token } : {}),
  },
  settings: {
    'nomad.clusterName': `demo · ${cluster.kind === 'double' ? 'Nomad double' : kind}`,
    'workbench.colorTheme': 'Default Dark Modern',
    ...tlsSettings,
  },
  beforeStart: dirs => {
    installVsix(vsix, dirs);
  },
});
cleanups.push(() => cs.stop());
console.log(
  `\n  ${bold('Nomad for VS Code is running:')}  ${cs.url}?folder=${encodeURIComponent(ws)}\n  cluster: ${kind} at ${addr}\n  job: ${jobLine}\n  workspace: ${ws}\n  Ctrl+C stops everything.\n`,
);
await new Promise(() => undefined);
