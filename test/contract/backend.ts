// Which Nomad the contract suite talks to:
//   NOMAD_ADDR=http://127.0.0.1:4646  a running agent (NOMAD_TOKEN if it has ACLs)
//   NOMAD_BIN=/path/to/nomad          a dev agent started for the run on free ports, stopped after
//   neither                           the project's Nomad double (test/double/)
import { NomadDouble, type ParseJob } from '../double/nomad';
import { decoderParseJob } from '../double/decoderParse';
import { startAgent } from './agent';
import { Api } from './http';

export interface Backend { addr: string; token?: string; kind: 'real' | 'double'; api: Api; stop(): Promise<void> }

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
  const d = await NomadDouble.start({ checkIntervalMs: 500, restartDelayMs: 500, parseJob: opts.parseJob ?? decoderParseJob });
  return { addr: d.addr, kind: 'double', api: new Api(d.addr), stop: () => d.stop() };
}

/** A job ID unique to this run, so a shared agent (NOMAD_ADDR) is not disturbed. */
export function uniqueId(base: string): string {
  return `${base}-${process.pid.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
