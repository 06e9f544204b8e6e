// The agent the parity suite asks: a dev agent (test/contract/agent.ts) with Vault switched on in the
// mode that needs no token, so a job with a `vault` block is judged on its own content rather than
// refused with "Vault not enabled". Namespaces and node pools a job names are created on demand
// (./nomad.ts). Nothing listens on the Vault address: validation does not call it.
import { startAgent, type RealAgent } from '../contract/agent';

export const PARITY_AGENT_CONFIG = [
  'vault {',
  '  enabled               = true',
  '  address               = "http://127.0.0.1:1"',
  '  allow_unauthenticated = true',
  '  token                 = "parity-not-a-real-token"',
  '}',
].join('\n');

export function startParityAgent(bin: string): Promise<RealAgent> {
  return startAgent(bin, { extraConfig: PARITY_AGENT_CONFIG });
}
