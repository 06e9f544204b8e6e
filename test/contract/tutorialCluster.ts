// The tutorial's cluster, as its Part 1 draws it, from a real Nomad binary (NOMAD_BIN): node-01 runs the
// server (and Consul: the project's Consul double on 127.0.0.1:8500), node-02 and node-03 run clients.
// Each agent keeps Nomad's default ports (4646-4648) on its own loopback address — 127.0.0.1, .2, .3 all
// reach this machine — and is started from the agent files in examples/cluster/, unchanged, with a second
// config file for what a run needs: its temp data folder, the Docker engine, and optionally mutual TLS
// (certificates made by `nomad tls ca create` / `nomad tls cert create` into a temp folder) and ACLs
// (bootstrapped; the management token is returned). Everything is stopped and removed by stop().
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { call, sleep, type TlsMaterial } from './http';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'cluster');

export interface TutorialNode {
  name: 'node-01' | 'node-02' | 'node-03';
  /** the loopback address the agent binds */
  ip: string;
  /** its HTTP API (https with tls) */
  addr: string;
  running(): boolean;
  /** SIGKILL: the node dies as a machine would (its tasks stay; the server marks the node down) */
  kill(): Promise<void>;
  /** start it again with the same state folder */
  start(): Promise<void>;
}

export interface TutorialClusterOptions {
  tls?: boolean;
  acl?: boolean;
  /** a Docker engine (`unix:///…/docker.sock`) both clients use */
  docker?: string;
  /** Consul's HTTP address the agents register with (default: none is started; the example's 127.0.0.1:8500) */
  consul?: string;
  /** per node, the Consul agent of its own it registers with instead (node-02 → 127.0.0.2:8500): Nomad wants a
   *  local agent on every client (two clients on one agent remove each other's services) */
  consulAgents?: Partial<Record<'node-01' | 'node-02' | 'node-03', string>>;
  /** per node, one more agent config file of its own (given the node's temp folder, for paths such as a host
   *  volume's): what makes one client differ from the other (node_class, meta, datacenter, host volumes,
   *  reserved resources …). The examples' files stay as they are */
  extraConfig?: Partial<Record<'node-01' | 'node-02' | 'node-03', (dir: string) => string>>;
  log?: (line: string) => void;
}

export interface TutorialCluster {
  /** node-01's HTTP API: where the CLI, the tests and the extension talk to the cluster */
  addr: string;
  nodes: TutorialNode[];
  /** with tls: the files a user names in nomad.tls.* (the CLI's certificate as the client certificate) */
  tls?: {
    caCert: string;
    clientCert: string;
    clientKey: string;
    serverName: string;
    material: TlsMaterial;
    dir: string;
  };
  /** with acl: the bootstrap (management) token */
  token?: string;
  version: string;
  stop(): Promise<void>;
}

const NODES = [
  { name: 'node-01', ip: '127.0.0.1', file: 'node-01.server.hcl', server: true },
  { name: 'node-02', ip: '127.0.0.2', file: 'node-02.client.hcl', server: false },
  { name: 'node-03', ip: '127.0.0.3', file: 'node-03.client.hcl', server: false },
] as const;
const PORTS = [4646, 4647, 4648];

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** The certificates of a small production cluster, as the Nomad CLI makes them. */
function makeCertificates(bin: string, dir: string): void {
  const run = (...args: string[]) => execFileSync(bin, args, { cwd: dir, stdio: 'pipe' });
  run('tls', 'ca', 'create');
  // the server's certificate names server.global.nomad (verify_server_hostname), localhost and 127.0.0.1
  run('tls', 'cert', 'create', '-server', '-region', 'global');
  // the clients' HTTP APIs listen on 127.0.0.2 and 127.0.0.3
  run('tls', 'cert', 'create', '-client', '-additional-ipaddress', '127.0.0.2', '-additional-ipaddress', '127.0.0.3');
  run('tls', 'cert', 'create', '-cli');
}

function runConfig(
  dir: string,
  node: (typeof NODES)[number],
  opts: TutorialClusterOptions,
  certs: string | undefined,
): string {
  const lines: string[] = [];
  const q = (s: string) => JSON.stringify(s);
  if (!node.server) {
    // every client keeps its task folders in the run's temp folder
    lines.push(
      `client {\n  alloc_dir = ${q(path.join(dir, 'alloc'))}\n  state_dir = ${q(path.join(dir, 'client'))}\n}`,
    );
    if (opts.docker)
      lines.push(
        `plugin "docker" {\n  config {\n    endpoint = ${q(opts.docker)}\n    gc {\n      image = false\n    }\n  }\n}`,
      );
  }
  const consul = opts.consulAgents?.[node.name] ?? opts.consul;
  if (consul) lines.push(`consul {\n  address = ${q(consul.replace(/^https?:\/\//, ''))}\n}`);
  else lines.push('consul {\n  server_auto_join = false\n  client_auto_join = false\n  auto_advertise = false\n}');
  if (certs) {
    const role = node.server ? 'server' : 'client';
    lines.push(
      [
        'tls {',
        '  http = true',
        '  rpc  = true',
        `  ca_file   = ${q(path.join(certs, 'nomad-agent-ca.pem'))}`,
        `  cert_file = ${q(path.join(certs, `global-${role}-nomad.pem`))}`,
        `  key_file  = ${q(path.join(certs, `global-${role}-nomad-key.pem`))}`,
        '  verify_server_hostname = true',
        '  verify_https_client    = true',
        '}',
      ].join('\n'),
    );
  }
  if (opts.acl) lines.push('acl {\n  enabled = true\n}');
  return lines.join('\n') + '\n';
}

/** Kill every process that runs from `root` (its command line or working folder is inside it): the
 *  executors and tasks a stopped or killed client leaves behind. Linux (/proc); elsewhere nothing. */
function killLeftovers(root: string): void {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter(p => /^\d+$/.test(p));
  } catch {
    return;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let hit = false;
    try {
      hit = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
    } catch {
      /* gone */
    }
    if (!hit) {
      try {
        hit = fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(root);
      } catch {
        /* gone or not ours */
      }
    }
    if (hit) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

export async function startTutorialCluster(bin: string, opts: TutorialClusterOptions = {}): Promise<TutorialCluster> {
  const log = opts.log ?? (() => undefined);
  for (const n of NODES)
    for (const p of PORTS) {
      if (!(await portFree(n.ip, p)))
        throw new Error(
          `the tutorial's cluster needs ${n.ip}:${p} (${n.name}), which is in use: stop what listens there`,
        );
    }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-tutorial-cluster-'));
  const certs = opts.tls ? path.join(root, 'certs') : undefined;
  if (certs) {
    fs.mkdirSync(certs);
    makeCertificates(bin, certs);
  }
  const material: TlsMaterial | undefined = certs
    ? {
        ca: fs.readFileSync(path.join(certs, 'nomad-agent-ca.pem'), 'utf8'),
        cert: fs.readFileSync(path.join(certs, 'global-cli-nomad.pem'), 'utf8'),
        key: fs.readFileSync(path.join(certs, 'global-cli-nomad-key.pem'), 'utf8'),
        servername: 'server.global.nomad',
      }
    : undefined;
  const scheme = certs ? 'https' : 'http';
  const procs = new Map<string, ChildProcess>();

  const startNode = (n: (typeof NODES)[number]): void => {
    const dir = path.join(root, n.name);
    fs.mkdirSync(dir, { recursive: true });
    const extra = path.join(dir, 'run.hcl');
    fs.writeFileSync(extra, runConfig(dir, n, opts, certs));
    const own = opts.extraConfig?.[n.name];
    const ownFile = path.join(dir, 'own.hcl');
    if (own) fs.writeFileSync(ownFile, own(dir));
    const out = fs.openSync(path.join(dir, 'agent.log'), 'a');
    const proc = spawn(
      bin,
      [
        'agent',
        '-config',
        path.join(EXAMPLES, n.file),
        '-config',
        extra,
        ...(own ? ['-config', ownFile] : []),
        '-data-dir',
        path.join(dir, 'data'),
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    procs.set(n.name, proc);
    proc.once('exit', () => {
      if (procs.get(n.name) === proc) procs.delete(n.name);
    });
  };
  const stopNode = async (name: string, signal: NodeJS.Signals): Promise<void> => {
    const proc = procs.get(name);
    if (!proc || proc.exitCode !== null) return;
    const gone = new Promise<void>(r => proc.once('exit', () => r()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  };
  const stop = async (): Promise<void> => {
    // A client agent that stops leaves its tasks running (they outlive agent restarts): stop every job
    // first and wait for its allocations to end, then the clients, then the server; whatever still runs
    // from this cluster's folders after that (an executor, a task of a killed node) is killed.
    await stopJobs().catch(() => undefined);
    await Promise.all(NODES.filter(n => !n.server).map(n => stopNode(n.name, 'SIGINT')));
    await stopNode('node-01', 'SIGINT');
    killLeftovers(root);
    try {
      fs.rmSync(root, { recursive: true, force: true });
    } catch {
      /* a task may still hold a file */
    }
  };

  const addr = `${scheme}://127.0.0.1:4646`;
  let token: string | undefined;
  const stopJobs = async (): Promise<void> => {
    if (!procs.has('node-01')) return;
    const q = (p: string, method = 'GET') => call(addr, method, p, { timeoutMs: 5000, tls: material, token });
    const jobs = await q('/v1/jobs?namespace=*');
    for (const j of Array.isArray(jobs.json) ? jobs.json : [])
      await q(`/v1/job/${encodeURIComponent(j.ID)}?purge=true&namespace=${encodeURIComponent(j.Namespace)}`, 'DELETE');
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const allocs = await q('/v1/allocations?namespace=*');
      if (
        !Array.isArray(allocs.json) ||
        !allocs.json.some((a: any) => a.ClientStatus === 'running' || a.ClientStatus === 'pending')
      )
        return;
      await sleep(300);
    }
  };
  try {
    for (const n of NODES) startNode(n);
    const deadline = Date.now() + 120_000;
    const get = (p: string) => call(addr, 'GET', p, { timeoutMs: 3000, tls: material, token });
    // a leader, then (with ACLs) a bootstrap token, then two ready clients
    for (;;) {
      if (Date.now() > deadline)
        throw new Error(`the tutorial's cluster did not come up in 120 s; see the agents' logs in ${root}`);
      for (const n of NODES)
        if (!procs.has(n.name))
          throw new Error(
            `${n.name}'s agent exited at start: ${fs.readFileSync(path.join(root, n.name, 'agent.log'), 'utf8').slice(-2000)}`,
          );
      try {
        const leader = await get('/v1/status/leader');
        if (leader.status === 200 && typeof leader.json === 'string' && leader.json !== '') {
          if (opts.acl && !token) {
            const boot = await call(addr, 'POST', '/v1/acl/bootstrap', { timeoutMs: 5000, tls: material, body: {} });
            if (boot.status === 200) token = boot.json.SecretID;
          }
          const nodes = await get('/v1/nodes');
          if (
            nodes.status === 200 &&
            Array.isArray(nodes.json) &&
            nodes.json.filter((x: any) => x.Status === 'ready').length === 2
          )
            break;
        }
      } catch {
        /* not up yet */
      }
      await sleep(300);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const version = execFileSync(bin, ['version'], { encoding: 'utf8' })
    .split('\n')[0]!
    .replace(/^Nomad v?/, '');
  log(
    `tutorial cluster: Nomad ${version}, server node-01 at ${addr}, clients node-02 and node-03${certs ? ', mTLS' : ''}${opts.acl ? ', ACLs' : ''}`,
  );

  const nodes: TutorialNode[] = NODES.map(n => ({
    name: n.name,
    ip: n.ip,
    addr: `${scheme}://${n.ip}:4646`,
    running: () => procs.has(n.name),
    kill: () => stopNode(n.name, 'SIGKILL'),
    start: async () => {
      if (!procs.has(n.name)) startNode(n);
    },
  }));
  return {
    addr,
    nodes,
    token,
    version,
    stop,
    ...(certs && material
      ? {
          tls: {
            caCert: path.join(certs, 'nomad-agent-ca.pem'),
            clientCert: path.join(certs, 'global-cli-nomad.pem'),
            clientKey: path.join(certs, 'global-cli-nomad-key.pem'),
            serverName: 'server.global.nomad',
            material,
            dir: certs,
          },
        }
      : {}),
  };
}
