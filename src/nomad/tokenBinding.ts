// A stored ACL token belongs to the address it was saved for AND to how that server is verified (for
// https: the CA, the client certificate, the server name, skip-verify). A workspace can change
// `nomad.address` or `nomad.tls.*` (a folder's .vscode/settings.json): the token is then not sent until
// the user says so. Pure: no `vscode` import; the connection asks and stores.

import { DEFAULT_NOMAD_ADDR, type TlsOptions } from './config';

/** The parts of the TLS settings that decide which server is trusted. */
export type TlsIdentity = Partial<
  Pick<TlsOptions, 'caCert' | 'caPath' | 'clientCert' | 'clientKey' | 'tlsServerName' | 'skipVerify'>
>;

/**
 * The identity a token is bound to: `scheme://host:port`, and for https the TLS identity when it is
 * not the default one (so values saved before TLS counted, and plain https with the system's CAs,
 * keep their key). Undefined when the address is not an http(s) URL.
 */
export function endpointKey(address: string | undefined, tls?: TlsIdentity): string | undefined {
  const a = normalizeAddress(address);
  if (a === undefined || !a.startsWith('https:') || !tls) return a;
  const id = [
    tls.caCert ?? '',
    tls.caPath ?? '',
    tls.clientCert ?? '',
    tls.clientKey ?? '',
    tls.tlsServerName ?? '',
    tls.skipVerify ? 'skip-verify' : '',
  ];
  return id.every(x => x === '') ? a : `${a} tls${JSON.stringify(id)}`;
}

/** How an endpoint key reads in a prompt: the address, then what verifies it. */
export function describeEndpoint(key: string): string {
  const sp = key.indexOf(' tls[');
  if (sp < 0) return key;
  let id: string[] = [];
  try {
    id = JSON.parse(key.slice(sp + 4)) as string[];
  } catch {
    return key.slice(0, sp);
  }
  const [ca, caPath, cert, certKey, sni, skip] = id;
  const parts = [
    ca && `CA ${ca}`,
    caPath && `CA folder ${caPath}`,
    cert && `client certificate ${cert}`,
    certKey && `client key ${certKey}`,
    sni && `server name ${sni}`,
    skip && 'certificate verification OFF',
  ].filter(Boolean);
  return `${key.slice(0, sp)} (${parts.join(', ')})`;
}

/** `scheme://host:port`, lower-case, with the scheme's default port filled in; undefined when the
 *  address is not an http(s) URL (then nothing is sent to it without asking). */
export function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const raw = /^[a-z][a-z0-9+.-]*:\/\//i.test(address.trim()) ? address.trim() : `http://${address.trim()}`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password) return undefined;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
}

/** What secret storage holds for a cluster: the token and the addresses it may be sent to (the first
 *  is the one it was saved for; more are added when the user allows them). */
export interface StoredToken {
  token: string;
  addresses: string[];
}

const FORMAT = 1;

/** Reads a stored value. A value saved before tokens were tied to addresses (the bare token) comes
 *  back with no address: it is not sent anywhere before the user confirms one. */
export function decodeStoredToken(raw: string | undefined): StoredToken | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.startsWith('{')) {
    try {
      const v = JSON.parse(raw) as { v?: unknown; token?: unknown; addresses?: unknown };
      if (v.v === FORMAT && typeof v.token === 'string' && Array.isArray(v.addresses)) {
        return { token: v.token, addresses: v.addresses.filter((a): a is string => typeof a === 'string') };
      }
    } catch {
      /* a token that starts with "{": a legacy bare value */
    }
  }
  return { token: raw, addresses: [] };
}

export function encodeStoredToken(t: StoredToken): string {
  return JSON.stringify({ v: FORMAT, token: t.token, addresses: [...new Set(t.addresses)] });
}

/** A token bound to one address (and its TLS identity). */
export function bindToken(token: string, address: string, tls?: TlsIdentity): StoredToken {
  const a = endpointKey(address, tls);
  return { token, addresses: a ? [a] : [] };
}

/** The same token, now also allowed for `address` with that TLS identity. */
export function allowAddress(t: StoredToken, address: string, tls?: TlsIdentity): StoredToken {
  const a = endpointKey(address, tls);
  return a && !t.addresses.includes(a) ? { token: t.token, addresses: [...t.addresses, a] } : t;
}

/** May the token go to `address`, verified as `tls` says, without asking? */
export function mayAutoSend(t: StoredToken, address: string, tls?: TlsIdentity): boolean {
  const a = endpointKey(address, tls);
  return a !== undefined && t.addresses.includes(a);
}

/** Credentials from the environment (NOMAD_TOKEN, NOMAD_HTTP_AUTH) belong with the environment's
 *  address: NOMAD_ADDR, else the CLI's default. */
export function environmentAddress(env: Readonly<Record<string, string | undefined>>): string {
  const a = env['NOMAD_ADDR']?.trim();
  return a ? a : DEFAULT_NOMAD_ADDR;
}
