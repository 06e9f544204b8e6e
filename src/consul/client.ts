// A small Consul client: the catalog and health endpoints the Services view needs, and links into
// the Consul UI. Same transport and error types as the Nomad client; the token goes in
// X-Consul-Token.

import type { ConsulConnection } from '../nomad/config';
import { segment, uiLink } from '../nomad/uiLinks';
import { HttpTransport, headerValue, type FileReader } from '../nomad/transport';

export interface ConsulClientOptions {
  connection: ConsulConnection;
  /** Overrides connection.token (e.g. read from CONSUL_HTTP_TOKEN_FILE). */
  token?: string;
  timeoutMs?: number;
  files?: FileReader;
}

export interface ConsulQueryOptions {
  dc?: string;
  /** Blocking query index (X-Consul-Index). */
  index?: number;
  /** Wait in ms. */
  wait?: number;
  signal?: AbortSignal;
}

export interface ConsulResult<T> {
  body: T;
  index: number;
}

/** One entry of /v1/health/service/:name. */
export interface ConsulServiceEntry {
  Node: { ID: string; Node: string; Address: string; Datacenter: string; [k: string]: unknown };
  Service: {
    ID: string;
    Service: string;
    Tags: string[] | null;
    Address: string;
    Port: number;
    Meta: Record<string, string> | null;
    [k: string]: unknown;
  };
  Checks: {
    CheckID: string;
    Name: string;
    Status: 'passing' | 'warning' | 'critical' | string;
    Output: string;
    ServiceName: string;
    [k: string]: unknown;
  }[];
}

export interface ConsulAgentSelf {
  Config: { Datacenter: string; NodeName: string; Version?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export class ConsulClient {
  private readonly http: HttpTransport;

  constructor(opts: ConsulClientOptions) {
    const token = opts.token ?? opts.connection.token;
    const headers: Record<string, string> = { 'user-agent': 'nomad-vscode' };
    if (token) headers['x-consul-token'] = token;
    this.http = new HttpTransport({
      service: 'Consul',
      address: opts.connection.address,
      tls: opts.connection.tls,
      headers,
      secrets: [token],
      timeoutMs: opts.timeoutMs ?? 15_000,
      ...(opts.files ? { files: opts.files } : {}),
    });
  }

  get address(): string {
    return this.http.address;
  }

  private async get<T>(
    path: string,
    o: ConsulQueryOptions,
    extra: Record<string, string | boolean | undefined> = {},
  ): Promise<ConsulResult<T>> {
    const query: Record<string, string | number | boolean | undefined> = { dc: o.dc, ...extra };
    let timeoutMs = 15_000;
    if (o.index && o.index > 0) {
      const wait = o.wait ?? 5 * 60_000;
      query['index'] = o.index;
      query['wait'] = `${Math.round(wait)}ms`;
      timeoutMs += wait + Math.ceil(wait / 16);
    }
    const r = await this.http.json<T>({
      method: 'GET',
      path,
      query,
      timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { body: r.body, index: Number(headerValue(r.headers, 'x-consul-index') ?? '0') || 0 };
  }

  /** Service name → tags. */
  catalogServices(o: ConsulQueryOptions = {}): Promise<ConsulResult<Record<string, string[]>>> {
    return this.get('/v1/catalog/services', o);
  }

  /** Instances of a service with their checks; `passing` keeps only healthy ones. */
  healthService(
    name: string,
    o: ConsulQueryOptions & { passing?: boolean } = {},
  ): Promise<ConsulResult<ConsulServiceEntry[]>> {
    return this.get(`/v1/health/service/${encodeURIComponent(name)}`, o, { passing: o.passing ? true : undefined });
  }

  agentSelf(o: ConsulQueryOptions = {}): Promise<ConsulResult<ConsulAgentSelf>> {
    return this.get('/v1/agent/self', o);
  }

  /** The datacenter of the agent we talk to. */
  async datacenter(o: ConsulQueryOptions = {}): Promise<string> {
    return (await this.agentSelf(o)).body.Config.Datacenter;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** The Consul UI page listing a service's instances (undefined when a name cannot be one path segment:
 *  see nomad/uiLinks.ts). */
export function consulUiUrl(address: string, dc: string, service: string): string | undefined {
  return uiLink(address, ['ui', segment(dc), 'services', segment(service), 'instances']);
}

/** Worst check status of an instance: critical > warning > passing. */
export function instanceHealth(entry: ConsulServiceEntry): 'passing' | 'warning' | 'critical' {
  let worst: 'passing' | 'warning' | 'critical' = 'passing';
  for (const c of entry.Checks ?? []) {
    if (c.Status === 'critical') return 'critical';
    if (c.Status === 'warning') worst = 'warning';
  }
  return worst;
}
