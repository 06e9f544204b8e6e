// Typed errors for the Nomad and Consul clients, and what the user can do about each one.

export type NomadErrorKind =
  | 'unauthorized'      // 401/403, "Permission denied", "ACL token not found"
  | 'notFound'          // 404
  | 'conflict'          // check-index (EnforceIndex) conflicts
  | 'badRequest'        // 400 and other 4xx: the request itself is wrong; Nomad's text is kept
  | 'connectionRefused' // nothing listens at the address
  | 'timeout'           // no answer in time
  | 'tls'               // certificate or handshake problems
  | 'network'           // DNS failures, resets, sockets closed mid-way
  | 'server'            // 5xx
  | 'cancelled'         // the caller aborted
  | 'protocol';         // the answer could not be understood (bad JSON, oversized frame)

/** What a UI can offer next to an error. */
export enum ErrorAction {
  SetToken = 'setToken',
  Retry = 'retry',
  OpenSettings = 'openSettings',
  Replan = 'replan',
  ShowOutput = 'showOutput',
}

export interface NomadErrorInit {
  kind: NomadErrorKind;
  message: string;
  service?: 'Nomad' | 'Consul';
  status?: number;
  /** The server's own error text, verbatim (with any secret removed). */
  serverMessage?: string;
  method?: string;
  /** Path only, without the query string. */
  path?: string;
  /** For check-index conflicts: the index the request expected and the one the cluster has. */
  expectedIndex?: number;
  actualIndex?: number;
  cause?: unknown;
}

export class NomadError extends Error {
  readonly kind: NomadErrorKind;
  readonly service: 'Nomad' | 'Consul';
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly expectedIndex: number | undefined;
  readonly actualIndex: number | undefined;

  constructor(init: NomadErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'NomadError';
    this.kind = init.kind;
    this.service = init.service ?? 'Nomad';
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.method = init.method;
    this.path = init.path;
    this.expectedIndex = init.expectedIndex;
    this.actualIndex = init.actualIndex;
  }

  /** Worth trying the same request again later (network trouble, timeouts, 5xx). */
  get retryable(): boolean {
    return this.kind === 'connectionRefused' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server';
  }
}

export function isNomadError(e: unknown): e is NomadError {
  return e instanceof NomadError;
}

/** Suggested actions for an error, most useful first. Pure. */
export function errorActions(err: unknown): ErrorAction[] {
  if (!isNomadError(err)) return [ErrorAction.ShowOutput];
  switch (err.kind) {
    case 'unauthorized': return [ErrorAction.SetToken, ErrorAction.OpenSettings];
    case 'connectionRefused': return [ErrorAction.Retry, ErrorAction.OpenSettings];
    case 'tls': return [ErrorAction.OpenSettings, ErrorAction.ShowOutput];
    case 'timeout': case 'network': case 'server': return [ErrorAction.Retry, ErrorAction.ShowOutput];
    case 'conflict': return [ErrorAction.Replan];
    case 'notFound': case 'badRequest': case 'protocol': return [ErrorAction.ShowOutput];
    case 'cancelled': return [];
  }
}

/** Replace every occurrence of each secret in `text`. Secrets shorter than 4 characters are ignored. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('<redacted>');
  }
  return out;
}

const ENFORCE_RE = /Enforcing job modify index (\d+): job exists with conflicting job modify index: (\d+)/;
const ENFORCE_ANY = /Enforcing job modify index (\d+)/;

/** Is a 3xx the router's own path cleaning (a 301 to the same server, for a request path with "//",
 *  "." or ".." parts once decoded)? Anything else (another host, a 302/307/308) is a plain redirect. */
function isPathCleaning(status: number, path: string, location: string | undefined): boolean {
  if (status !== 301) return false;
  if (location && (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//'))) return false;
  let decoded = path.split('?')[0] ?? path;
  try { decoded = decodeURIComponent(decoded); } catch { /* as it is */ }
  return /\/\/|\/\.\.?(\/|$)/.test(decoded);
}

/** Classify a non-2xx HTTP answer. `body` is the server's text (Nomad answers errors as plain text). */
export function httpError(status: number, body: string, ctx: { service: 'Nomad' | 'Consul'; method: string; path: string; secrets: readonly (string | undefined)[]; location?: string }): NomadError {
  const text = redact(body.trim(), ctx.secrets).slice(0, 4096);
  const base = { service: ctx.service, status, serverMessage: text, method: ctx.method, path: ctx.path };
  const where = `${ctx.method} ${ctx.path}`;
  const enforce = ENFORCE_RE.exec(text);
  if (enforce) {
    return new NomadError({ ...base, kind: 'conflict', message: text, expectedIndex: Number(enforce[1]), actualIndex: Number(enforce[2]) });
  }
  if (ENFORCE_ANY.test(text)) {
    return new NomadError({ ...base, kind: 'conflict', message: text, expectedIndex: Number(ENFORCE_ANY.exec(text)![1]) });
  }
  if (status === 401 || status === 403 || /Permission denied|ACL token not found|ACL not found/i.test(text)) {
    const hint = /ACL token not found/i.test(text) ? 'the ACL token is not known to this cluster' : 'permission denied for this token';
    return new NomadError({ ...base, kind: 'unauthorized', message: `${ctx.service} refused the request (${status}): ${hint}${text && !/^(Forbidden|Unauthorized)$/i.test(text) ? ` — ${text}` : ''}` });
  }
  if (status >= 300 && status < 400) {
    // never followed: the request (and its token) go only to the configured address
    const to = ctx.location ? ` to ${redact(ctx.location, ctx.secrets)}` : '';
    if (isPathCleaning(status, ctx.path, ctx.location)) {
      // Nomad's router answers a path it would rewrite ("//", "." or ".." parts, once decoded) with a
      // 301 to the cleaned path on the same server; the request was not carried out
      return new NomadError({ ...base, kind: 'badRequest', message: `${ctx.service} did not carry out ${where}: it answered with a redirect (${status})${to}, as its router does for a path with "//", "." or ".." parts. An ID with such characters cannot be addressed through the HTTP API.` });
    }
    return new NomadError({ ...base, kind: 'badRequest', message: `${ctx.service} did not carry out ${where}: it answered with a redirect (${status})${to}. Redirects are refused, never followed (requests and the token go only to the configured address): if the server moved, set its new address.` });
  }
  if (status === 404) return new NomadError({ ...base, kind: 'notFound', message: text || `Not found: ${where}` });
  if (status === 409) return new NomadError({ ...base, kind: 'conflict', message: text || `Conflict: ${where}` });
  if (status >= 400 && status < 500) return new NomadError({ ...base, kind: 'badRequest', message: text || `Bad request (${status}): ${where}` });
  return new NomadError({ ...base, kind: 'server', message: `${ctx.service} server error (${status})${text ? `: ${text}` : ''}` });
}

const TLS_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is signed by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the server certificate is signed by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is signed by an unknown CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is signed by an unknown CA (self-signed certificate in chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed (unknown CA)',
  ERR_TLS_CERT_ALTNAME_INVALID: "hostname mismatch: the server certificate does not name this host (set the TLS server name?)",
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not yet valid',
  CERT_REVOKED: 'the server certificate was revoked',
  CERT_SIGNATURE_FAILURE: 'the server certificate signature is invalid',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: the server does not speak TLS here (http vs https?)',
  EPROTO: 'TLS handshake failed (http vs https, or the server requires a client certificate)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate (mTLS)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server rejected the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server does not trust the client certificate (unknown CA)',
};

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_CONNECT') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  const top = (e as { code?: unknown } | null)?.code;
  return typeof top === 'string' ? top : undefined;
}

/** Classify a failure that happened before (or instead of) an HTTP answer. */
export function transportError(e: unknown, ctx: { service: 'Nomad' | 'Consul'; address: string; method: string; path: string; secrets: readonly (string | undefined)[]; timedOut: boolean; cancelled: boolean; timeoutMs?: number }): NomadError {
  const base = { service: ctx.service, method: ctx.method, path: ctx.path, cause: e };
  const raw = redact(e instanceof Error ? e.message : String(e), ctx.secrets);
  if (ctx.cancelled) return new NomadError({ ...base, kind: 'cancelled', message: 'Request cancelled' });
  const code = errorCode(e);
  if (ctx.timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    const after = ctx.timeoutMs !== undefined ? ` after ${(ctx.timeoutMs / 1000).toFixed(1)} s` : '';
    return new NomadError({ ...base, kind: 'timeout', message: `${ctx.service} at ${ctx.address} did not answer${after} (${ctx.method} ${ctx.path})` });
  }
  if (code === 'ECONNREFUSED') {
    return new NomadError({ ...base, kind: 'connectionRefused', message: `Connection refused. Is ${ctx.service} running at ${ctx.address}?` });
  }
  if (code && (TLS_CODES[code] || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT'))) {
    const plain = TLS_CODES[code] ?? `TLS error ${code}`;
    return new NomadError({ ...base, kind: 'tls', message: `TLS connection to ${ctx.address} failed: ${plain}` });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NomadError({ ...base, kind: 'network', message: `Cannot resolve the host of ${ctx.address} (${code})` });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new NomadError({ ...base, kind: 'network', message: `Connection to ${ctx.service} at ${ctx.address} failed: ${raw}` });
  }
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new NomadError({ ...base, kind: 'tls', message: `Cannot read a TLS file: ${raw}` });
  }
  return new NomadError({ ...base, kind: 'network', message: `Request to ${ctx.service} at ${ctx.address} failed: ${raw}` });
}
