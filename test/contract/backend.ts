// Which Nomad the contract suite talks to:
//   NOMAD_ADDR=http://127.0.0.1:4646  a running agent (NOMAD_TOKEN if it has ACLs)
//   NOMAD_BIN=/path/to/nomad          a dev agent started for the run on free ports, stopped after
//   neither                           the project's Nomad double (test/double/)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NomadDouble, type ParseJob } from '../double/nomad';
import { ConsulDouble } from '../double/consul';
import { DockerEngine } from '../double/docker';
import { decoderParseJob } from '../double/decoderParse';
import { startAgent } from './agent';
import { Api } from './http';

export interface Backend {
  addr: string;
  token?: string;
  kind: 'real' | 'double';
  api: Api;
  stop(): Promise<void>;
}

export async function startBackend(opts: { parseJob?: ParseJob } = {}): Promise<Backend> {
  if (process.env.NOMAD_ADDR) {
    const addr = process.env.NOMAD_ADDR.replace(/\/+$/, '');
    const token = process.env.NOMAD_TOKEN;
    return { addr, token, kind: 'real', api: new Api(addr, token), stop: async () => {} };
  }
  if (process.env.NOMAD_BIN) {
    const agent = await startAgent(process.env.NOMAD_BIN);
    return { addr: agent.addr, kind: 'real', api: new Api(agent.addr), stop: () => agent.stop() };
  }
  // the double parses HCL with the project's own decoder (the same code the extension maps plan rows with)
  const d = await NomadDouble.start({
    checkIntervalMs: 500,
    restartDelayMs: 500,
    parseJob: opts.parseJob ?? decoderParseJob,
  });
  return { addr: d.addr, kind: 'double', api: new Api(d.addr), stop: () => d.stop() };
}

/** A job ID unique to this run, so a shared agent (NOMAD_ADDR) is not disturbed. */
export function uniqueId(base: string): string {
  return `${base}-${process.pid.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

// ---- Docker + Consul: the tutorial's own job on a real engine -------------------------------------------

export interface DockerBackend extends Backend {
  /** the Consul the agent (or the double) registers services into */
  consul: ConsulDouble;
  /** the private engine both backends run containers in */
  engine: DockerEngine;
  host: string;
}

/** scripts/docker.cjs from the repository (the tests run from out/test/contract). */
function dockerScript(): { start(o?: object): Promise<any> } {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts', 'docker.cjs'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('scripts/docker.cjs not found above ' + __dirname);
    dir = up;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(dir, 'scripts', 'docker.cjs'));
}

/**
 * The private Docker engine (started once per process, stopped at exit), a Consul double, and a Nomad that
 * runs docker tasks in that engine: a real agent from NOMAD_BIN (docker plugin + consul block pointed at
 * them) or the Nomad double with its docker driver. Resolves { skip } with the reason when there is no
 * Docker (no root, no engine) or the agent is one started elsewhere (NOMAD_ADDR).
 */
export async function startDockerBackend(
  opts: { parseJob?: ParseJob } = {},
): Promise<DockerBackend | { skip: string }> {
  if (process.env.NOMAD_ADDR)
    return {
      skip: 'NOMAD_ADDR is an agent started elsewhere: it does not run containers in the private Docker engine',
    };
  const e = await dockerScript().start({ log: () => {} });
  if (!e.available) return { skip: String(e.reason) };
  const engine = DockerEngine.fromHost(e.host);
  const consul = await ConsulDouble.start();
  if (process.env.NOMAD_BIN) {
    const agent = await startAgent(process.env.NOMAD_BIN, { docker: e.host, consul: consul.addr });
    return {
      addr: agent.addr,
      kind: 'real',
      api: new Api(agent.addr),
      consul,
      engine,
      host: e.host,
      stop: async () => {
        await agent.stop();
        await consul.stop();
      },
    };
  }
  const version = String((await engine.version())?.Version ?? '');
  const d = await NomadDouble.start({
    checkIntervalMs: 500,
    restartDelayMs: 500,
    parseJob: opts.parseJob ?? decoderParseJob,
    consul,
    docker: engine,
    dockerVersion: version,
  });
  return {
    addr: d.addr,
    kind: 'double',
    api: new Api(d.addr),
    consul,
    engine,
    host: e.host,
    stop: async () => {
      await d.stop();
      await consul.stop();
    },
  };
}

/** The tutorial's job file as the repository has it (examples/microservice-job-01.nomad), found from
 *  this file's folder upwards, so it works from out/ too. */
export function tutorialJob(): string {
  const rel = path.join('examples', 'microservice-job-01.nomad');
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, rel))) return fs.readFileSync(path.join(dir, rel), 'utf8');
    if (path.dirname(dir) === dir) throw new Error(`${rel} not found above ${__dirname}`);
  }
}
