// Why a cluster refused the ACL token. Nomad 1.6.5 answers most refusals with the same 403
// "Permission denied": for a token whose policy lacks the capability, for a token it does not know
// (deleted, expired, made for another cluster), for no token at all and for a string that is not a
// secret ID. /v1/acl/token/self tells them apart: 200 for a token it knows, 404 "ACL token not found"
// for an unknown one, 500 "acl token lookup failed: missing secret id" for none and 500 "…: UUID must
// be 36 characters" for a malformed one (captured; test/contract/variablesAcl.test.ts).
import { isNomadError } from './errors';
import type { NomadClient } from './client';

export type TokenRefusal = 'policy' | 'unknown-token' | 'no-token' | 'malformed-token';

/** After a 403: the token's policy, or a token the cluster does not take (see above). Anything the
 *  lookup cannot tell (it failed on the network, an agent answering otherwise) counts as the policy. */
export async function whyRefused(client: NomadClient): Promise<TokenRefusal> {
  try {
    await client.get<unknown>('/v1/acl/token/self', { timeoutMs: 10_000 });
    return 'policy';
  } catch (e) {
    if (!isNomadError(e)) return 'policy';
    const text = e.serverMessage || '';
    if (e.status === 404) return 'unknown-token';
    if (e.status === 500 && /missing secret id/i.test(text)) return 'no-token';
    if (e.status === 500 && /UUID must be 36 characters|lookup failed/i.test(text)) return 'malformed-token';
    return 'policy';
  }
}

/**
 * What the user reads when the cluster refused `what` (a phrase such as `list jobs in namespace
 * "default"`), and what to do about it. `capability` names what the policy lacks, when known.
 */
export function refusalMessage(because: TokenRefusal, what: string, capability?: string): string {
  switch (because) {
    case 'unknown-token':
      return `The cluster does not know this ACL token (deleted, expired, or made for another cluster), so it may not ${what}. Set another token.`;
    case 'no-token':
      return `No ACL token is set, and the cluster's anonymous policy does not let you ${what}${capability ? ` (it lacks the "${capability}" capability)` : ''}. Set an ACL token.`;
    case 'malformed-token':
      return `The ACL token set for this cluster is not a secret ID (36 characters), so it may not ${what}. Set the token's secret ID.`;
    case 'policy':
      return `The ACL token may not ${what}: its policy lacks ${capability ? `the "${capability}" capability` : 'the capability'} there. Set another token${/namespace/.test(what) ? ' or switch namespace' : ''}.`;
  }
}
