// A small Consul double: the catalog and health endpoints the extension reads, and the agent endpoints a
// real Nomad client uses (its `consul` block can point here):
//   GET /v1/agent/self                       fingerprint: a Consul version, so `${attr.consul.version}
//                                            semver >= 1.7.0` (the implicit constraint of a consul service) holds
//   GET /v1/agent/services, /v1/agent/checks what Nomad's sync loop and health watcher read
//   PUT /v1/agent/service/register, /v1/agent/service/deregister/:id
//   PUT /v1/agent/check/register, /v1/agent/check/deregister/:id, /v1/agent/check/update/:id (TTL)
// Like a Consul agent it runs the HTTP and TCP checks registered with it (Nomad's own, a service's
// `check` blocks) at their intervals. The Nomad double registers `provider = "consul"` services through
// register()/setCheck() instead. Every request is recorded in `requests` (method and path).
import * as http from 'node:http';
import * as net from 'node:net';

export interface ConsulCheck {
  CheckID: string;
  Name: string;
  Status: 'passing' | 'warning' | 'critical';
  Output: string;
  /** what the check does (agent-registered checks; the double runs http and tcp ones) */
  Type?: string;
  HTTP?: string;
  Method?: string;
  TCP?: string;
  IntervalMs?: number;
  TimeoutMs?: number;
  Notes?: string;
}
export interface ConsulService {
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  Port: number;
  Meta: Record<string, string>;
  Checks: ConsulCheck[];
}

export class ConsulDouble {
  addr = '';
  private server!: http.Server;
  private index = 1;
  private services = new Map<string, ConsulService & { CreateIndex: number; ModifyIndex: number }>();
  private waiters = new Set<() => void>();
  private sockets = new Set<net.Socket>();
  private checkTimers = new Map<string, NodeJS.Timeout>();
  /** agent-registered checks: id -> service id ('' for a node check) */
  private checkOwner = new Map<string, string>();
  /** node-level checks (no service) registered through the agent API */
  private nodeChecks = new Map<string, ConsulCheck>();
  /** every request received: `GET /v1/agent/self` … (what a real agent asked for) */
  readonly requests: string[] = [];
  /** requests the double could not answer (4xx/5xx): what a real agent asked for that is not modelled */
  readonly unanswered: string[] = [];
  /** the Consul agent's node: named for the Consul double, so the Services view never suggests the Nomad double is in use */
  readonly node = 'consul-double-agent';
  /** the version the fingerprint reads (Config.Version) */
  version = '1.16.0';

  static async start(port = 0): Promise<ConsulDouble> {
    const c = new ConsulDouble();
    c.server = http.createServer((req, res) => {
      c.handle(req, res).catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
    c.server.on('connection', s => {
      c.sockets.add(s);
      s.on('close', () => c.sockets.delete(s));
    });
    await new Promise<void>(r => c.server.listen(port, '127.0.0.1', () => r()));
    c.addr = `http://127.0.0.1:${(c.server.address() as net.AddressInfo).port}`;
    return c;
  }

  /**
   * A Consul client agent beside this one, on `host:port` (a node of the tutorial's cluster: 127.0.0.2:8500),
   * as every Nomad client wants one of its own. It shares this double's catalog (what the catalog and health
   * endpoints list is the union, as a Consul cluster's is) but its agent endpoints are its own: GET
   * /v1/agent/services and /v1/agent/checks list only what was registered through it, and it deregisters only
   * those (another agent's service is "Unknown service ID"). With one agent shared by two Nomad clients, each
   * client's sync removes the other's services as unknown to it (Nomad 1.6.5 removes Nomad-managed services
   * it does not know from its agent) — the reason a client has an agent of its own.
   */
  async agent(host: string, port = 8500): Promise<{ addr: string; stop(): Promise<void> }> {
    const upstream = new URL(this.addr);
    const own = new Set<string>();
    const sockets = new Set<net.Socket>();
    const forward = (
      req: http.IncomingMessage,
      body: Buffer,
    ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
      new Promise((resolve, reject) => {
        const r = http.request(
          {
            host: upstream.hostname,
            port: Number(upstream.port),
            path: req.url,
            method: req.method,
            headers: { ...req.headers, host: upstream.host },
          },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', c => chunks.push(c as Buffer));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
            );
            res.on('error', reject);
          },
        );
        r.on('error', reject);
        r.end(body);
      });
    const server = http.createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        const p = new URL(req.url ?? '/', 'http://x').pathname;
        let m: RegExpExecArray | null;
        if (req.method === 'PUT' && p === '/v1/agent/service/register') {
          try {
            const b = JSON.parse(body.toString('utf8') || '{}');
            if (b.Name) own.add(String(b.ID || b.Name));
          } catch {
            /* the agent answers the decode error */
          }
        } else if (req.method === 'PUT' && (m = /^\/v1\/agent\/service\/deregister\/(.+)$/.exec(p))) {
          const id = decodeURIComponent(m[1]!);
          if (!own.has(id)) {
            res.writeHead(404);
            res.end(`Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
            return;
          }
        }
        const r = await forward(req, body);
        if (req.method === 'PUT' && (m = /^\/v1\/agent\/service\/deregister\/(.+)$/.exec(p)) && r.status === 200)
          own.delete(decodeURIComponent(m[1]!));
        let out = r.body;
        if (req.method === 'GET' && r.status === 200 && (p === '/v1/agent/services' || p === '/v1/agent/checks')) {
          const all = JSON.parse(out.toString('utf8')) as Record<string, { ID?: string; ServiceID?: string }>;
          out = Buffer.from(
            JSON.stringify(
              Object.fromEntries(
                Object.entries(all).filter(([k, v]) =>
                  p === '/v1/agent/services' ? own.has(k) : !v.ServiceID || own.has(v.ServiceID),
                ),
              ),
            ),
          );
        }
        const headers = { ...r.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.writeHead(r.status, headers);
        res.end(out);
      })().catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
    server.on('connection', s => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return {
      addr: `http://${host}:${(server.address() as net.AddressInfo).port}`,
      stop: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>(r => server.close(() => r()));
      },
    };
  }

  async stop() {
    for (const t of this.checkTimers.values()) clearInterval(t);
    this.checkTimers.clear();
    for (const w of this.waiters) w();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(r => this.server.close(() => r()));
  }

  private bump() {
    this.index++;
    for (const w of [...this.waiters]) w();
  }

  register(s: ConsulService) {
    this.services.set(s.ID, { ...s, CreateIndex: this.index + 1, ModifyIndex: this.index + 1 });
    this.bump();
  }
  deregisterPrefix(prefix: string) {
    let changed = false;
    for (const id of [...this.services.keys()])
      if (id.startsWith(prefix)) {
        this.services.delete(id);
        changed = true;
      }
    if (changed) this.bump();
  }
  setCheck(serviceId: string, checkId: string, status: ConsulCheck['Status'], output: string) {
    const s = this.services.get(serviceId);
    const c = s?.Checks.find(x => x.CheckID === checkId);
    if (!s || !c || (c.Status === status && c.Output === output)) return;
    c.Status = status;
    c.Output = output;
    s.ModifyIndex = this.index + 1;
    this.bump();
  }

  /** A service as the catalog holds it, or undefined. */
  service(id: string): ConsulService | undefined {
    return this.services.get(id);
  }
  /** Every service instance registered under a name. */
  instances(name: string): ConsulService[] {
    return [...this.services.values()].filter(s => s.Service === name);
  }

  private findCheck(id: string): ConsulCheck | undefined {
    const owner = this.checkOwner.get(id);
    if (owner === '') return this.nodeChecks.get(id);
    if (owner !== undefined) return this.services.get(owner)?.Checks.find(c => c.CheckID === id);
    for (const s of this.services.values()) {
      const c = s.Checks.find(x => x.CheckID === id);
      if (c) return c;
    }
    return undefined;
  }

  private setStatus(c: ConsulCheck, status: ConsulCheck['Status'], output: string) {
    if (c.Status === status && c.Output === output) return;
    c.Status = status;
    c.Output = output;
    const owner = this.checkOwner.get(c.CheckID);
    const s = owner ? this.services.get(owner) : undefined;
    if (s) (s as any).ModifyIndex = this.index + 1;
    this.bump();
  }

  /** Registers a check from the agent API (Consul's AgentCheckRegistration / AgentServiceCheck) and runs it. */
  private addCheck(def: any, serviceId: string) {
    const id = String(def.CheckID || def.ID || def.Name);
    const type = def.HTTP
      ? 'http'
      : def.TCP
        ? 'tcp'
        : def.TTL
          ? 'ttl'
          : def.GRPC
            ? 'grpc'
            : def.Args || def.ScriptArgs
              ? 'script'
              : 'unknown';
    const initial = (
      ['passing', 'warning', 'critical'].includes(def.Status) ? def.Status : 'critical'
    ) as ConsulCheck['Status'];
    const c: ConsulCheck = {
      CheckID: id,
      Name: String(def.Name ?? id),
      Status: initial,
      Output: '',
      Type: type,
      Notes: def.Notes ?? '',
      HTTP: def.HTTP,
      Method: def.Method,
      TCP: def.TCP,
      IntervalMs: parseWait(def.Interval ?? null) ?? 10_000,
      TimeoutMs: parseWait(def.Timeout ?? null) ?? 10_000,
    };
    this.removeCheck(id, false);
    this.checkOwner.set(id, serviceId);
    const s = serviceId ? this.services.get(serviceId) : undefined;
    if (serviceId && !s) throw new HttpError(500, `ServiceID "${serviceId}" does not exist`);
    if (s) s.Checks.push(c);
    else this.nodeChecks.set(id, c);
    if (type === 'http' || type === 'tcp') {
      const run = () => {
        void runCheck(c).then(([st, out]) => {
          if (this.findCheck(id) === c) this.setStatus(c, st, out);
        });
      };
      setTimeout(run, 10).unref?.();
      this.checkTimers.set(id, setInterval(run, Math.max(100, c.IntervalMs!)));
    }
  }

  private removeCheck(id: string, bump = true) {
    const t = this.checkTimers.get(id);
    if (t) {
      clearInterval(t);
      this.checkTimers.delete(id);
    }
    const owner = this.checkOwner.get(id);
    this.checkOwner.delete(id);
    let changed = this.nodeChecks.delete(id);
    const s = owner ? this.services.get(owner) : undefined;
    if (s) {
      const n = s.Checks.length;
      s.Checks = s.Checks.filter(c => c.CheckID !== id);
      changed ||= s.Checks.length !== n;
    }
    if (changed && bump) this.bump();
  }

  private removeService(id: string) {
    const s = this.services.get(id);
    if (!s) return false;
    for (const c of s.Checks) this.removeCheck(c.CheckID, false);
    this.services.delete(id);
    this.bump();
    return true;
  }

  private agentCheck(c: ConsulCheck, s?: ConsulService) {
    return {
      Node: this.node,
      CheckID: c.CheckID,
      Name: c.Name,
      Status: c.Status,
      Notes: c.Notes ?? '',
      Output: c.Output,
      ServiceID: s?.ID ?? '',
      ServiceName: s?.Service ?? '',
      ServiceTags: s?.Tags ?? [],
      Type: c.Type ?? '',
      Interval: c.IntervalMs ? `${c.IntervalMs / 1000}s` : '',
      Timeout: c.TimeoutMs ? `${c.TimeoutMs / 1000}s` : '',
      ExposedPort: 0,
      Definition: {
        Interval: '0s',
        Timeout: '0s',
        DeregisterCriticalServiceAfter: '0s',
        HTTP: c.HTTP ?? '',
        Header: null,
        Method: c.Method ?? '',
        Body: '',
        TLSServerName: '',
        TLSSkipVerify: false,
        TCP: c.TCP ?? '',
      },
      CreateIndex: 0,
      ModifyIndex: 0,
    };
  }

  private async handleAgent(req: http.IncomingMessage, p: string, send: (b: unknown) => void): Promise<boolean> {
    let m: RegExpExecArray | null;
    const body = async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const t = Buffer.concat(chunks).toString('utf8');
      try {
        return t ? JSON.parse(t) : {};
      } catch {
        throw new HttpError(400, 'Request decode failed');
      }
    };
    if (p === '/v1/agent/services' && req.method === 'GET') {
      return (
        send(
          Object.fromEntries(
            [...this.services.values()].map(s => [
              s.ID,
              {
                Kind: '',
                ID: s.ID,
                Service: s.Service,
                Tags: s.Tags,
                Meta: s.Meta,
                Port: s.Port,
                Address: s.Address,
                TaggedAddresses: {},
                Weights: { Passing: 1, Warning: 1 },
                EnableTagOverride: false,
                Datacenter: 'dc1',
              },
            ]),
          ),
        ),
        true
      );
    }
    if (p === '/v1/agent/checks' && req.method === 'GET') {
      const out: Record<string, unknown> = {};
      for (const c of this.nodeChecks.values()) out[c.CheckID] = this.agentCheck(c);
      for (const s of this.services.values()) for (const c of s.Checks) out[c.CheckID] = this.agentCheck(c, s);
      return (send(out), true);
    }
    if (p === '/v1/agent/service/register' && req.method === 'PUT') {
      const b = await body();
      const id = String(b.ID || b.Name);
      if (!b.Name) throw new HttpError(400, 'Missing service name');
      const old = this.services.get(id);
      for (const c of old?.Checks ?? []) this.removeCheck(c.CheckID, false);
      this.services.set(id, {
        ID: id,
        Service: String(b.Name),
        Tags: b.Tags ?? [],
        Address: b.Address ?? '',
        Port: Number(b.Port ?? 0),
        Meta: b.Meta ?? {},
        Checks: [],
        CreateIndex: old?.CreateIndex ?? this.index + 1,
        ModifyIndex: this.index + 1,
      });
      const defs = [...(b.Check ? [b.Check] : []), ...(b.Checks ?? [])];
      defs.forEach((c: any, i: number) =>
        this.addCheck(
          {
            ...c,
            CheckID: c.CheckID || `service:${id}${defs.length > 1 ? `:${i + 1}` : ''}`,
            Name: c.Name || `Service '${b.Name}' check`,
          },
          id,
        ),
      );
      this.bump();
      return (send(null), true);
    }
    if ((m = /^\/v1\/agent\/service\/deregister\/(.+)$/.exec(p)) && req.method === 'PUT') {
      const id = decodeURIComponent(m[1]);
      if (!this.removeService(id))
        throw new HttpError(
          404,
          `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`,
        );
      return (send(null), true);
    }
    if (p === '/v1/agent/check/register' && req.method === 'PUT') {
      const b = await body();
      this.addCheck(b, b.ServiceID ? String(b.ServiceID) : '');
      this.bump();
      return (send(null), true);
    }
    if ((m = /^\/v1\/agent\/check\/deregister\/(.+)$/.exec(p)) && req.method === 'PUT') {
      const id = decodeURIComponent(m[1]);
      if (!this.checkOwner.has(id))
        throw new HttpError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
      this.removeCheck(id);
      return (send(null), true);
    }
    if ((m = /^\/v1\/agent\/check\/(update|pass|warn|fail)\/(.+)$/.exec(p)) && req.method === 'PUT') {
      const id = decodeURIComponent(m[2]);
      const c = this.findCheck(id);
      if (!c)
        throw new HttpError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
      const b = m[1] === 'update' ? await body() : {};
      const url = new URL(req.url ?? '/', 'http://x');
      const status =
        m[1] === 'update' ? String(b.Status) : m[1] === 'pass' ? 'passing' : m[1] === 'warn' ? 'warning' : 'critical';
      if (!['passing', 'warning', 'critical'].includes(status))
        throw new HttpError(400, `Invalid check status: "${status}"`);
      this.setStatus(
        c,
        status as ConsulCheck['Status'],
        String(m[1] === 'update' ? (b.Output ?? '') : (url.searchParams.get('note') ?? '')),
      );
      return (send(null), true);
    }
    return false;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (this.requests.length > 5000) this.requests.splice(0, 1000);
    const want = Number(url.searchParams.get('index') ?? 0);
    if (want && want >= this.index) {
      const waitMs = Math.min(parseWait(url.searchParams.get('wait')) ?? 300_000, 600_000);
      await new Promise<void>(r => {
        const t = setTimeout(done, waitMs);
        const w = done;
        function done() {
          clearTimeout(t);
          r();
        }
        this.waiters.add(w);
      }).finally(() => undefined);
      this.waiters.clear();
    }
    const send = (body: unknown) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'X-Consul-Index': String(this.index),
        'X-Consul-KnownLeader': 'true',
      });
      res.end(JSON.stringify(body));
    };
    const p = url.pathname;
    let m: RegExpExecArray | null;
    try {
      if (p.startsWith('/v1/agent/') && p !== '/v1/agent/self' && (await this.handleAgent(req, p, send))) return;
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      this.unanswered.push(`${req.method} ${p} ${e.status} ${e.message}`);
      res.writeHead(e.status, { 'Content-Type': 'text/plain' });
      res.end(e.message);
      return;
    }
    if (p === '/v1/agent/self') {
      return send({
        Config: {
          Datacenter: 'dc1',
          PrimaryDatacenter: 'dc1',
          NodeName: this.node,
          NodeID: 'd0c4e1b2-0000-4000-8000-000000000001',
          Revision: 'double',
          Server: true,
          Version: this.version,
          BuildDate: '2023-06-26T00:00:00Z',
        },
        DebugConfig: { ConnectEnabled: false, GRPCPort: -1, GRPCTLSPort: -1 },
        Member: {
          Name: this.node,
          Addr: '127.0.0.1',
          Port: 8301,
          Tags: { build: `${this.version}:double`, dc: 'dc1', role: 'consul', vsn: '2' },
          Status: 1,
        },
        Meta: {},
        Stats: {},
        xDS: { SupportedProxies: { envoy: [] } },
      });
    }
    if (p === '/v1/status/leader') return send('127.0.0.1:8300');
    if (p === '/v1/catalog/services') {
      const out: Record<string, string[]> = { consul: [] };
      for (const s of this.services.values()) out[s.Service] = [...new Set([...(out[s.Service] ?? []), ...s.Tags])];
      return send(out);
    }
    if ((m = /^\/v1\/catalog\/service\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      return send(
        [...this.services.values()]
          .filter(s => s.Service === name)
          .map(s => ({
            ID: 'd0c4e1b2-0000-4000-8000-000000000001',
            Node: this.node,
            Address: '127.0.0.1',
            Datacenter: 'dc1',
            ServiceID: s.ID,
            ServiceName: s.Service,
            ServiceTags: s.Tags,
            ServiceAddress: s.Address,
            ServicePort: s.Port,
            ServiceMeta: s.Meta,
            CreateIndex: s.CreateIndex,
            ModifyIndex: s.ModifyIndex,
          })),
      );
    }
    if ((m = /^\/v1\/health\/service\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      const passing = url.searchParams.has('passing');
      return send(
        [...this.services.values()]
          .filter(s => s.Service === name)
          .filter(s => !passing || s.Checks.every(c => c.Status === 'passing'))
          .map(s => ({
            Node: { Node: this.node, Address: '127.0.0.1', Datacenter: 'dc1' },
            Service: { ID: s.ID, Service: s.Service, Tags: s.Tags, Address: s.Address, Port: s.Port, Meta: s.Meta },
            Checks: [
              {
                Node: this.node,
                CheckID: 'serfHealth',
                Name: 'Serf Health Status',
                Status: 'passing',
                Output: 'Agent alive and reachable',
                ServiceID: '',
                ServiceName: '',
              },
              ...s.Checks.map(c => ({
                Node: this.node,
                CheckID: c.CheckID,
                Name: c.Name,
                Status: c.Status,
                Output: c.Output,
                ServiceID: s.ID,
                ServiceName: s.Service,
              })),
            ],
          })),
      );
    }
    this.unanswered.push(`${req.method} ${p} 404`);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`Invalid URL path: ${p}`);
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    msg: string,
  ) {
    super(msg);
  }
}

/** Runs an http or tcp check the way a Consul agent does: 2xx passing, 429 warning, anything else critical. */
function runCheck(c: ConsulCheck): Promise<[ConsulCheck['Status'], string]> {
  const timeout = c.TimeoutMs ?? 10_000;
  return new Promise(resolve => {
    if (c.Type === 'http' && c.HTTP) {
      let u: URL;
      try {
        u = new URL(c.HTTP);
      } catch {
        resolve(['critical', `invalid URL ${c.HTTP}`]);
        return;
      }
      const method = c.Method || 'GET';
      const req = http.request(u, { method, timeout }, res => {
        const chunks: Buffer[] = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const out = `HTTP ${method} ${c.HTTP}: ${code} ${res.statusMessage ?? ''} Output: ${Buffer.concat(chunks).toString('utf8').slice(0, 4096)}`;
          resolve([code >= 200 && code < 300 ? 'passing' : code === 429 ? 'warning' : 'critical', out]);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`Get "${c.HTTP}": context deadline exceeded`)));
      req.on('error', e => resolve(['critical', `Get "${c.HTTP}": ${e.message}`]));
      req.end();
      return;
    }
    if (c.Type === 'tcp' && c.TCP) {
      const i = c.TCP.lastIndexOf(':');
      const host = c.TCP.slice(0, i).replace(/^\[|\]$/g, ''),
        port = Number(c.TCP.slice(i + 1));
      const s = net.connect({ host, port, timeout }, () => {
        s.destroy();
        resolve(['passing', `TCP connect ${c.TCP}: Success`]);
      });
      s.on('timeout', () => {
        s.destroy();
        resolve(['critical', `dial tcp ${c.TCP}: i/o timeout`]);
      });
      s.on('error', e => resolve(['critical', `dial tcp ${c.TCP}: ${e.message}`]));
      return;
    }
    resolve(['critical', 'check type not run by the double']);
  });
}

/** `10s`, `500ms`, `1m30s` (Go durations, as Nomad sends them) or a bare number of seconds → ms. */
function parseWait(s: string | null): number | undefined {
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  let total = 0,
    rest = s;
  const re = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/;
  while (rest) {
    const m = re.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}
