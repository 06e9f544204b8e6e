// Resolving where to connect: VS Code settings first, then the environment variables the Nomad and
// Consul CLIs read, then the CLIs' defaults. Pure: the caller passes the settings and the
// environment in; nothing here reads files or process state.

/** TLS options shared by the Nomad and Consul connections. Paths, never key material. */
export interface TlsOptions {
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsServerName?: string;
  /** Turns certificate verification off. Off by default; never on by accident. */
  skipVerify: boolean;
}

/**
 * A named cluster the user can switch to. Tokens are deliberately absent: they live in the
 * editor's secret storage and are handed to the client separately.
 */
export interface ClusterProfile {
  name: string;
  address: string;
  namespace?: string;
  region?: string;
  tls: TlsOptions;
}

/** What a user can put in settings for one cluster (all optional; empty strings mean unset). */
export interface NomadSettings {
  name?: string;
  address?: string;
  namespace?: string;
  region?: string;
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsServerName?: string;
  skipVerify?: boolean;
  /** "user:pass" for HTTP basic auth in front of Nomad. */
  httpAuth?: string;
  consul?: ConsulSettings;
}

export interface ConsulSettings {
  address?: string;
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsServerName?: string;
  skipVerify?: boolean;
  tokenFile?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Where a resolved value came from. */
export type ValueSource =
  { kind: 'setting'; key: string } | { kind: 'env'; name: string } | { kind: 'default' } | { kind: 'unset' };

export interface ConsulConnection {
  /** Always with a scheme: http://127.0.0.1:8500 unless CONSUL_HTTP_SSL or an https address. */
  address: string;
  tls: TlsOptions;
  /** From CONSUL_HTTP_TOKEN. A token file, when given, is read by `readConsulToken`. */
  token?: string;
  tokenFile?: string;
}

export interface ResolvedConnection {
  profile: ClusterProfile;
  /** NOMAD_TOKEN, the fallback when secret storage holds no token for this cluster. */
  envToken?: string;
  /** Basic auth credentials "user:pass" (a secret: never shown). */
  httpAuth?: string;
  consul: ConsulConnection;
  /** Field path (e.g. `address`, `tls.caCert`, `consul.address`) → where its value came from. */
  sources: Record<string, ValueSource>;
}

export const DEFAULT_NOMAD_ADDR = 'http://127.0.0.1:4646';
export const DEFAULT_CONSUL_ADDR = '127.0.0.1:8500';

/** Go's strconv.ParseBool, which the CLIs use for their boolean variables. */
export function parseGoBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  switch (value.trim()) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

class Resolver {
  readonly sources: Record<string, ValueSource> = {};
  constructor(private readonly env: Env) {}

  str(
    field: string,
    settingKey: string,
    setting: string | undefined,
    envName: string | undefined,
    fallback?: string,
  ): string | undefined {
    const s = nonEmpty(setting);
    if (s !== undefined) {
      this.sources[field] = { kind: 'setting', key: settingKey };
      return s;
    }
    const e = envName ? nonEmpty(this.env[envName]) : undefined;
    if (e !== undefined) {
      this.sources[field] = { kind: 'env', name: envName! };
      return e;
    }
    if (fallback !== undefined) {
      this.sources[field] = { kind: 'default' };
      return fallback;
    }
    this.sources[field] = { kind: 'unset' };
    return undefined;
  }

  bool(field: string, settingKey: string, setting: boolean | undefined, envName: string, fallback: boolean): boolean {
    if (setting !== undefined && setting !== fallback) {
      this.sources[field] = { kind: 'setting', key: settingKey };
      return setting;
    }
    const e = parseGoBool(nonEmpty(this.env[envName]));
    if (e !== undefined) {
      this.sources[field] = { kind: 'env', name: envName };
      return e;
    }
    if (setting !== undefined) {
      this.sources[field] = { kind: 'setting', key: settingKey };
      return setting;
    }
    this.sources[field] = { kind: 'default' };
    return fallback;
  }
}

/** Add http:// or https:// to a scheme-less address (Consul allows "127.0.0.1:8500"). */
export function withScheme(address: string, https: boolean): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return address.replace(/\/+$/, '');
  return `${https ? 'https' : 'http'}://${address.replace(/\/+$/, '')}`;
}

/**
 * Resolve the connection for one cluster. A setting wins over its environment variable; an empty
 * setting counts as unset. Booleans: a setting that differs from the default wins; otherwise the
 * environment variable decides (so `skipVerify: false` in settings cannot hide NOMAD_SKIP_VERIFY
 * by accident, and `true` always wins).
 */
export function resolveConnection(settings: NomadSettings, env: Env): ResolvedConnection {
  const r = new Resolver(env);
  const address = r.str('address', 'nomad.address', settings.address, 'NOMAD_ADDR', DEFAULT_NOMAD_ADDR)!;
  const namespace = r.str('namespace', 'nomad.namespace', settings.namespace, 'NOMAD_NAMESPACE');
  const region = r.str('region', 'nomad.region', settings.region, 'NOMAD_REGION');
  const tls: TlsOptions = {
    caCert: r.str('tls.caCert', 'nomad.tls.caCert', settings.caCert, 'NOMAD_CACERT'),
    caPath: r.str('tls.caPath', 'nomad.tls.caPath', settings.caPath, 'NOMAD_CAPATH'),
    clientCert: r.str('tls.clientCert', 'nomad.tls.clientCert', settings.clientCert, 'NOMAD_CLIENT_CERT'),
    clientKey: r.str('tls.clientKey', 'nomad.tls.clientKey', settings.clientKey, 'NOMAD_CLIENT_KEY'),
    tlsServerName: r.str('tls.tlsServerName', 'nomad.tls.serverName', settings.tlsServerName, 'NOMAD_TLS_SERVER_NAME'),
    skipVerify: r.bool('tls.skipVerify', 'nomad.tls.skipVerify', settings.skipVerify, 'NOMAD_SKIP_VERIFY', false),
  };
  const httpAuth = r.str('httpAuth', 'nomad.httpAuth', settings.httpAuth, 'NOMAD_HTTP_AUTH');
  const envToken = nonEmpty(env['NOMAD_TOKEN']);
  r.sources['token'] = envToken !== undefined ? { kind: 'env', name: 'NOMAD_TOKEN' } : { kind: 'unset' };

  const c = settings.consul ?? {};
  const rawConsul = r.str(
    'consul.address',
    'nomad.consul.address',
    c.address,
    'CONSUL_HTTP_ADDR',
    DEFAULT_CONSUL_ADDR,
  )!;
  const consulSsl = parseGoBool(nonEmpty(env['CONSUL_HTTP_SSL'])) ?? false;
  const consulTls: TlsOptions = {
    caCert: r.str('consul.tls.caCert', 'nomad.consul.caCert', c.caCert, 'CONSUL_CACERT'),
    caPath: r.str('consul.tls.caPath', 'nomad.consul.caPath', c.caPath, 'CONSUL_CAPATH'),
    clientCert: r.str('consul.tls.clientCert', 'nomad.consul.clientCert', c.clientCert, 'CONSUL_CLIENT_CERT'),
    clientKey: r.str('consul.tls.clientKey', 'nomad.consul.clientKey', c.clientKey, 'CONSUL_CLIENT_KEY'),
    tlsServerName: r.str(
      'consul.tls.tlsServerName',
      'nomad.consul.tlsServerName',
      c.tlsServerName,
      'CONSUL_TLS_SERVER_NAME',
    ),
    skipVerify: false,
  };
  // CONSUL_HTTP_SSL_VERIFY=false turns verification off (the variable is "verify", not "skip").
  if (c.skipVerify === true) {
    consulTls.skipVerify = true;
    r.sources['consul.tls.skipVerify'] = { kind: 'setting', key: 'nomad.consul.skipVerify' };
  } else {
    const verify = parseGoBool(nonEmpty(env['CONSUL_HTTP_SSL_VERIFY']));
    consulTls.skipVerify = verify === false;
    r.sources['consul.tls.skipVerify'] =
      verify !== undefined ? { kind: 'env', name: 'CONSUL_HTTP_SSL_VERIFY' } : { kind: 'default' };
  }
  const consulToken = nonEmpty(env['CONSUL_HTTP_TOKEN']);
  r.sources['consul.token'] =
    consulToken !== undefined ? { kind: 'env', name: 'CONSUL_HTTP_TOKEN' } : { kind: 'unset' };
  const tokenFile = r.str('consul.tokenFile', 'nomad.consul.tokenFile', c.tokenFile, 'CONSUL_HTTP_TOKEN_FILE');

  const consul: ConsulConnection = { address: withScheme(rawConsul, consulSsl), tls: consulTls };
  if (consulToken !== undefined) consul.token = consulToken;
  if (tokenFile !== undefined) consul.tokenFile = tokenFile;

  const profile: ClusterProfile = {
    name: nonEmpty(settings.name) ?? 'default',
    address: address.replace(/\/+$/, ''),
    tls,
  };
  if (namespace !== undefined) profile.namespace = namespace;
  if (region !== undefined) profile.region = region;
  const out: ResolvedConnection = { profile, consul, sources: r.sources };
  if (envToken !== undefined) out.envToken = envToken;
  if (httpAuth !== undefined) out.httpAuth = httpAuth;
  return out;
}

/** Read the Consul token from CONSUL_HTTP_TOKEN_FILE when no token variable is set. */
export function readConsulToken(consul: ConsulConnection, readFile: (path: string) => string): string | undefined {
  if (consul.token) return consul.token;
  if (!consul.tokenFile) return undefined;
  const t = readFile(consul.tokenFile).trim();
  return t === '' ? undefined : t;
}

const SECRET_FIELDS = new Set(['token', 'httpAuth', 'consul.token']);

/** One row per field for a "where did this come from" view. Secrets are shown as set/unset only. */
export interface SourceRow {
  field: string;
  value: string;
  source: string;
}

export function describeSource(resolved: ResolvedConnection): SourceRow[] {
  const values: Record<string, string | boolean | undefined> = {
    address: resolved.profile.address,
    namespace: resolved.profile.namespace,
    region: resolved.profile.region,
    'tls.caCert': resolved.profile.tls.caCert,
    'tls.caPath': resolved.profile.tls.caPath,
    'tls.clientCert': resolved.profile.tls.clientCert,
    'tls.clientKey': resolved.profile.tls.clientKey,
    'tls.tlsServerName': resolved.profile.tls.tlsServerName,
    'tls.skipVerify': resolved.profile.tls.skipVerify,
    httpAuth: resolved.httpAuth,
    token: resolved.envToken,
    'consul.address': resolved.consul.address,
    'consul.token': resolved.consul.token,
    'consul.tokenFile': resolved.consul.tokenFile,
    'consul.tls.caCert': resolved.consul.tls.caCert,
    'consul.tls.caPath': resolved.consul.tls.caPath,
    'consul.tls.clientCert': resolved.consul.tls.clientCert,
    'consul.tls.clientKey': resolved.consul.tls.clientKey,
    'consul.tls.tlsServerName': resolved.consul.tls.tlsServerName,
    'consul.tls.skipVerify': resolved.consul.tls.skipVerify,
  };
  return Object.keys(values).map(field => {
    const v = values[field];
    const value = v === undefined ? '(not set)' : SECRET_FIELDS.has(field) ? '(set)' : String(v);
    return { field, value, source: sourceText(resolved.sources[field] ?? { kind: 'unset' }) };
  });
}

export function sourceText(s: ValueSource): string {
  switch (s.kind) {
    case 'setting':
      return `setting ${s.key}`;
    case 'env':
      return `environment variable ${s.name}`;
    case 'default':
      return 'default';
    case 'unset':
      return 'not set';
  }
}
