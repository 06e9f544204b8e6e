// Typed errors for the Nomad and Consul clients, and what the user can do about each one.

export type NomadErrorKind =
  | 'unauthorized' // 401/403, "Permission denied", "ACL token not found"
  | 'notFound' // 404
  | 'conflict' // check-index (EnforceIndex) conflicts
  | 'badRequest' // 400 and other 4xx: the request itself is wrong; Nomad's text is kept
  | 'connectionRefused' // nothing listens at the address
  | 'timeout' // no answer in time
  | 'tls' // certificate or handshake problems
  | 'network' // DNS failures, resets, sockets closed mid-way
  | 'server' // 5xx
  | 'cancelled' // the caller aborted
  | 'protocol'; // the answer could not be understood (bad JSON, oversized frame)

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
    return (
      this.kind === 'connectionRefused' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server'
    );
  }
}

export function isNomadError(e: unknown): e is NomadError {
  return e instanceof NomadError;
}

/** Suggested actions for an error, most useful first. Pure. */
export function errorActions(err: unknown): ErrorAction[] {
  if (!isNomadError(err)) return [ErrorAction.ShowOutput];
  switch (err.kind) {
    case 'unauthorized':
      return [ErrorAction.SetToken, ErrorAction.OpenSettings];
    case 'connectionRefused':
      return [ErrorAction.Retry, ErrorAction.OpenSettings];
    case 'tls':
      return [ErrorAction.OpenSettings, ErrorAction.ShowOutput];
    case 'timeout':
    case 'network':
    case 'server':
      return [ErrorAction.Retry, ErrorAction.ShowOutput];
    case 'conflict':
      return [ErrorAction.Replan];
    case 'notFound':
    case 'badRequest':
    case 'protocol':
      return [ErrorAction.ShowOutput];
    case 'cancelled':
      return [];
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
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    /* as it is */
  }
  return /\/\/|\/\.\.?(\/|$)/.test(decoded);
}

/** Classify a non-2xx HTTP answer. `body` is the server's text (Nomad answers errors as plain text). */
export function httpError(
  status: number,
  body: string,
  ctx: {
    service: 'Nomad' | 'Consul';
    method: string;
    path: string;
    secrets: readonly (string | undefined)[];
    location?: string;
  },
): NomadError {
  const text = redact(body.trim(), ctx.secrets).slice(0, 4096);
  const base = { service: ctx.service, status, serverMessage: text, method: ctx.method, path: ctx.path };
  const where = `${ctx.method} ${ctx.path}`;
  const enforce = ENFORCE_RE.exec(text);
  if (enforce) {
    return new NomadError({
      ...base,
      kind: 'conflict',
      message: text,
      expectedIndex: Number(enforce[1]),
      actualIndex: Number(enforce[2]),
    });
  }
  if (ENFORCE_ANY.test(text)) {
    return new NomadError({
      ...base,
      kind: 'conflict',
      message: text,
      expectedIndex: Number(ENFORCE_ANY.exec(text)![1]),
    });
  }
  if (status === 401 || status === 403 || /Permission denied|ACL token not found|ACL not found/i.test(text)) {
    const hint = /ACL token not found/i.test(text)
      ? 'the ACL token is not known to this cluster'
      : 'permission denied for this token';
    return new NomadError({
      ...base,
      kind: 'unauthorized',
      message: `${ctx.service} refused the request (${status}): ${hint}${text && !/^(Forbidden|Unauthorized)$/i.test(text) ? ` — ${text}` : ''}`,
    });
  }
  if (status >= 300 && status < 400) {
    // never followed: the request (and its token) go only to the configured address
    const to = ctx.location ? ` to ${redact(ctx.location, ctx.secrets)}` : '';
    if (isPathCleaning(status, ctx.path, ctx.location)) {
      // Nomad's router answers a path it would rewrite ("//", "." or ".." parts, once decoded) with a
      // 301 to the cleaned path on the same server; the request was not carried out
      return new NomadError({
        ...base,
        kind: 'badRequest',
        message: `${ctx.service} did not carry out ${where}: it answered with a redirect (${status})${to}, as its router does for a path with "//", "." or ".." parts. An ID with such characters cannot be addressed through the HTTP API.`,
      });
    }
    return new NomadError({
      ...base,
      kind: 'badRequest',
      message: `${ctx.service} did not carry out ${where}: it answered with a redirect (${status})${to}. Redirects are refused, never followed (requests and the token go only to the configured address): if the server moved, set its new address.`,
    });
  }
  if (status === 400 && HTTP_TO_HTTPS.test(text)) {
    const setting = TLS_SETTINGS[ctx.service].address;
    return new NomadError({
      ...base,
      kind: 'tls',
      message: `${ctx.service} at this address serves HTTPS only: it refused a plain HTTP request. Start ${setting} with https:// (and set ${TLS_SETTINGS[ctx.service].ca} to its CA).`,
    });
  }
  if (status === 404) return new NomadError({ ...base, kind: 'notFound', message: text || `Not found: ${where}` });
  if (status === 409) return new NomadError({ ...base, kind: 'conflict', message: text || `Conflict: ${where}` });
  if (status >= 400 && status < 500)
    return new NomadError({ ...base, kind: 'badRequest', message: text || `Bad request (${status}): ${where}` });
  return new NomadError({
    ...base,
    kind: 'server',
    message: `${ctx.service} server error (${status})${text ? `: ${text}` : ''}`,
  });
}

/** The settings (and the environment variables the CLIs read) a TLS problem is fixed in, per service. */
const TLS_SETTINGS = {
  Nomad: {
    address: 'nomad.address',
    ca: 'nomad.tls.caCert (or nomad.tls.caPath; NOMAD_CACERT)',
    cert: 'nomad.tls.clientCert and nomad.tls.clientKey (NOMAD_CLIENT_CERT, NOMAD_CLIENT_KEY)',
    name: 'nomad.tls.serverName (NOMAD_TLS_SERVER_NAME)',
    skip: 'nomad.tls.skipVerify',
    certCmd: 'nomad tls cert create -cli',
  },
  Consul: {
    address: 'nomad.consul.address',
    ca: 'nomad.consul.caCert (or nomad.consul.caPath; CONSUL_CACERT)',
    cert: 'nomad.consul.clientCert and nomad.consul.clientKey (CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY)',
    name: 'nomad.consul.tlsServerName (CONSUL_TLS_SERVER_NAME)',
    skip: 'nomad.consul.skipVerify',
    certCmd: 'consul tls cert create -cli',
  },
} as const;
type TlsSettings = (typeof TLS_SETTINGS)[keyof typeof TLS_SETTINGS];

/** What went wrong in a TLS handshake, by Node's / OpenSSL's error code, and where the user fixes it. */
const UNKNOWN_CA = (s: TlsSettings) =>
  `the server's certificate is not signed by a CA this editor trusts. Set ${s.ca} to the cluster's CA certificate`;
const CLIENT_REFUSED = (s: TlsSettings) =>
  `the server refused the client certificate (signed by a CA it does not trust, expired, or not a client certificate). Set ${s.cert} to a certificate from the cluster's CA (\`${s.certCmd}\`)`;
const TLS_CAUSES: Record<string, (s: TlsSettings, host: string) => string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNKNOWN_CA,
  UNABLE_TO_GET_ISSUER_CERT: UNKNOWN_CA,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNKNOWN_CA,
  SELF_SIGNED_CERT_IN_CHAIN: s =>
    `the server's certificate chain ends in a CA this editor does not trust (self-signed certificate in chain). Set ${s.ca} to the cluster's CA certificate`,
  DEPTH_ZERO_SELF_SIGNED_CERT: s =>
    `the server's certificate is self-signed and not trusted. Set ${s.ca} to that certificate or to the CA that should sign it`,
  ERR_TLS_CERT_ALTNAME_INVALID: (s, host) =>
    `hostname mismatch: the server's certificate does not name ${host}. Set ${s.name} to a name the certificate carries (a Nomad server's is server.<region>.nomad, e.g. server.global.nomad)`,
  CERT_HAS_EXPIRED: s =>
    `the server's certificate has expired. Renew it on the cluster (${s.skip} would only hide this)`,
  CERT_NOT_YET_VALID: s =>
    `the server's certificate is not valid yet (check this machine's clock and the certificate's dates; ${s.skip} would only hide this)`,
  CERT_REVOKED: () => "the server's certificate was revoked",
  CERT_SIGNATURE_FAILURE: s => `the server's certificate signature is invalid. Check ${s.ca}`,
  ERR_SSL_WRONG_VERSION_NUMBER: s =>
    `nothing speaks TLS at this address (http vs https?). If the cluster serves plain HTTP, start ${s.address} with http://`,
  EPROTO: s =>
    `the TLS handshake failed (http vs https, or the server requires a client certificate). Check ${s.address} and ${s.cert}`,
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: s =>
    `the server requires a client certificate (mutual TLS) and none was sent. Set ${s.cert}`,
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: CLIENT_REFUSED,
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: CLIENT_REFUSED,
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: s =>
    `the server refused the client certificate: it has expired. Set ${s.cert} to a current certificate (\`${s.certCmd}\`)`,
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: CLIENT_REFUSED,
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: CLIENT_REFUSED,
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: s => `the client key does not belong to the client certificate. Check ${s.cert}`,
};

/** Nomad's and Consul's HTTPS listeners answer a plain HTTP request with this 400 text (Go's net/http). */
const HTTP_TO_HTTPS = /Client sent an HTTP request to an HTTPS server/i;

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

function hostOf(address: string): string {
  try {
    return new URL(address).hostname;
  } catch {
    return address;
  }
}

/** Classify a failure that happened before (or instead of) an HTTP answer. */
export function transportError(
  e: unknown,
  ctx: {
    service: 'Nomad' | 'Consul';
    address: string;
    method: string;
    path: string;
    secrets: readonly (string | undefined)[];
    timedOut: boolean;
    cancelled: boolean;
    timeoutMs?: number;
    clientCertificate?: boolean;
    serverName?: string;
  },
): NomadError {
  const base = { service: ctx.service, method: ctx.method, path: ctx.path, cause: e };
  const raw = redact(e instanceof Error ? e.message : String(e), ctx.secrets);
  if (ctx.cancelled) return new NomadError({ ...base, kind: 'cancelled', message: 'Request cancelled' });
  const code = errorCode(e);
  if (
    ctx.timedOut ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    const after = ctx.timeoutMs !== undefined ? ` after ${(ctx.timeoutMs / 1000).toFixed(1)} s` : '';
    return new NomadError({
      ...base,
      kind: 'timeout',
      message: `${ctx.service} at ${ctx.address} did not answer${after} (${ctx.method} ${ctx.path})`,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new NomadError({
      ...base,
      kind: 'connectionRefused',
      message: `Connection refused. Is ${ctx.service} running at ${ctx.address}?`,
    });
  }
  if (
    code &&
    (TLS_CAUSES[code] ||
      code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_TLS_') ||
      code.startsWith('ERR_OSSL_') ||
      code.includes('CERT'))
  ) {
    const settings = TLS_SETTINGS[ctx.service];
    const cause =
      TLS_CAUSES[code]?.(settings, ctx.serverName ?? hostOf(ctx.address)) ??
      `TLS error ${code}. Check ${settings.ca} and ${settings.cert}`;
    return new NomadError({ ...base, kind: 'tls', message: `TLS connection to ${ctx.address} failed: ${cause}.` });
  }
  if (
    ctx.clientCertificate === false &&
    /^https:/i.test(ctx.address) &&
    (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE')
  ) {
    // A server that requires a client certificate (verify_https_client) ends the handshake when none is
    // sent; under TLS 1.3 the client learns of it only as a closed socket on its first read, which looks
    // like any dropped connection. So it stays a (retryable) network error, and the text names the likely
    // cause and its setting.
    const settings = TLS_SETTINGS[ctx.service];
    return new NomadError({
      ...base,
      kind: 'network',
      message: `Connection to ${ctx.service} at ${ctx.address} failed: the server closed it (${raw}). No client certificate is set: a cluster with mutual TLS (verify_https_client) closes the connection this way when none is sent. Set ${settings.cert}.`,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NomadError({ ...base, kind: 'network', message: `Cannot resolve the host of ${ctx.address} (${code})` });
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return new NomadError({
      ...base,
      kind: 'network',
      message: `Connection to ${ctx.service} at ${ctx.address} failed: ${raw}`,
    });
  }
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new NomadError({ ...base, kind: 'tls', message: `Cannot read a TLS file: ${raw}` });
  }
  return new NomadError({
    ...base,
    kind: 'network',
    message: `Request to ${ctx.service} at ${ctx.address} failed: ${raw}`,
  });
}
