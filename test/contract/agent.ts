// Starts a real Nomad agent in dev mode from a given binary (NOMAD_BIN) on free loopback ports with a
// temporary data dir, waits until it has a leader and a ready node, and stops it (and its tasks) after.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { call, sleep } from './http';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RealAgent {
  addr: string;
  dir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export interface AgentOptions {
  /** extra HCL appended to the generated config (e.g. `acl { enabled = true }`) */
  extraConfig?: string;
  /** how long to wait for a leader and a ready node (default 120 s) */
  readyTimeoutMs?: number;
  /** a Docker engine (scripts/docker.cjs, `unix:///…/docker.sock`): the docker plugin uses it, keeps images */
  docker?: string;
  /** a Consul HTTP address (`http://127.0.0.1:PORT`, e.g. the Consul double): the agent's `consul` block */
  consul?: string;
}

/** The agent config for a Docker engine and a Consul (empty strings when not given). */
export function dockerConsulConfig(opts: { docker?: string; consul?: string }): string {
  const out: string[] = [];
  if (opts.docker) {
    // gc.image = false: the images a rollback needs are not deleted when their task stops
    out.push(
      `plugin "docker" {\n  config {\n    endpoint = ${JSON.stringify(opts.docker)}\n    gc {\n      image = false\n    }\n  }\n}`,
    );
  }
  if (opts.consul) {
    out.push(
      `consul {\n  address = ${JSON.stringify(opts.consul.replace(/^https?:\/\//, ''))}\n  server_auto_join = false\n  client_auto_join = false\n}`,
    );
  }
  return out.join('\n');
}

export async function startAgent(bin: string, opts: AgentOptions = {}): Promise<RealAgent> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-contract-'));
  const [httpPort, rpcPort, serfPort] = [await freePort(), await freePort(), await freePort()];
  const cfg = path.join(dir, 'ports.hcl');
  fs.writeFileSync(
    cfg,
    [
      `data_dir = "${path.join(dir, 'data')}"`,
      `ports {\n  http = ${httpPort}\n  rpc  = ${rpcPort}\n  serf = ${serfPort}\n}`,
      `client {\n  alloc_dir = "${path.join(dir, 'alloc')}"\n  state_dir = "${path.join(dir, 'client')}"\n}`,
      dockerConsulConfig(opts),
      opts.extraConfig ?? '',
    ].join('\n') + '\n',
  );
  const log = fs.openSync(path.join(dir, 'agent.log'), 'a');
  const proc = spawn(bin, ['agent', '-dev', '-bind', '127.0.0.1', '-config', cfg], {
    stdio: ['ignore', log, log],
    detached: false,
  });
  fs.closeSync(log);
  const addr = `http://127.0.0.1:${httpPort}`;
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>(r => proc.once('exit', () => r()));
      proc.kill('SIGINT');
      const timer = setTimeout(() => {
        if (!exited) proc.kill('SIGKILL');
      }, 20_000);
      await gone;
      clearTimeout(timer);
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* tasks may still hold files */
    }
  };

  const end = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited) throw new Error(`nomad agent exited early; see ${path.join(dir, 'agent.log')}`);
    if (Date.now() > end) {
      await stop();
      throw new Error('nomad agent did not become ready in time');
    }
    try {
      const leader = await call(addr, 'GET', '/v1/status/leader', { timeoutMs: 2000 });
      if (leader.status === 200 && typeof leader.json === 'string' && leader.json !== '') {
        // with ACLs on, /v1/nodes needs a token; the leader alone is enough then
        const nodes = await call(addr, 'GET', '/v1/nodes', { timeoutMs: 2000 });
        if (nodes.status === 403) break;
        if (nodes.status === 200 && Array.isArray(nodes.json) && nodes.json.some((n: any) => n.Status === 'ready'))
          break;
      }
    } catch {
      /* not up yet */
    }
    await sleep(300);
  }
  return { addr, dir, proc, stop };
}
