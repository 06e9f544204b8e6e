// A small Consul double: the catalog and health endpoints the extension reads. The Nomad double registers
// `provider = "consul"` services into it, with passing/critical health from the real checks it runs.
import * as http from 'node:http';
import * as net from 'node:net';

export interface ConsulCheck { CheckID: string; Name: string; Status: 'passing' | 'warning' | 'critical'; Output: string }
export interface ConsulService { ID: string; Service: string; Tags: string[]; Address: string; Port: number; Meta: Record<string, string>; Checks: ConsulCheck[] }

export class ConsulDouble {
  addr = '';
  private server!: http.Server;
  private index = 1;
  private services = new Map<string, ConsulService & { CreateIndex: number; ModifyIndex: number }>();
  private waiters = new Set<() => void>();
  private sockets = new Set<net.Socket>();
  readonly node = 'nomad-double-node';

  static async start(port = 0): Promise<ConsulDouble> {
    const c = new ConsulDouble();
    c.server = http.createServer((req, res) => { c.handle(req, res).catch((e: unknown) => { res.writeHead(500); res.end(String(e)); }); });
    c.server.on('connection', s => { c.sockets.add(s); s.on('close', () => c.sockets.delete(s)); });
    await new Promise<void>(r => c.server.listen(port, '127.0.0.1', () => r()));
    c.addr = `http://127.0.0.1:${(c.server.address() as net.AddressInfo).port}`;
    return c;
  }

  async stop() {
    for (const w of this.waiters) w();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(r => this.server.close(() => r()));
  }

  private bump() { this.index++; for (const w of [...this.waiters]) w(); }

  register(s: ConsulService) { this.services.set(s.ID, { ...s, CreateIndex: this.index + 1, ModifyIndex: this.index + 1 }); this.bump(); }
  deregisterPrefix(prefix: string) {
    let changed = false;
    for (const id of [...this.services.keys()]) if (id.startsWith(prefix)) { this.services.delete(id); changed = true; }
    if (changed) this.bump();
  }
  setCheck(serviceId: string, checkId: string, status: ConsulCheck['Status'], output: string) {
    const s = this.services.get(serviceId);
    const c = s?.Checks.find(x => x.CheckID === checkId);
    if (!s || !c || (c.Status === status && c.Output === output)) return;
    c.Status = status; c.Output = output; s.ModifyIndex = this.index + 1; this.bump();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const want = Number(url.searchParams.get('index') ?? 0);
    if (want && want >= this.index) {
      const waitMs = Math.min(parseWait(url.searchParams.get('wait')) ?? 300_000, 600_000);
      await new Promise<void>(r => { const t = setTimeout(done, waitMs); const w = done; function done() { clearTimeout(t); r(); } this.waiters.add(w); }).finally(() => undefined);
      this.waiters.clear();
    }
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Consul-Index': String(this.index), 'X-Consul-KnownLeader': 'true' });
      res.end(JSON.stringify(body));
    };
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (p === '/v1/agent/self') return send({ Config: { Datacenter: 'dc1', NodeName: this.node, Version: '1.16.0' }, Member: { Name: this.node, Addr: '127.0.0.1' } });
    if (p === '/v1/status/leader') return send('127.0.0.1:8300');
    if (p === '/v1/catalog/services') {
      const out: Record<string, string[]> = { consul: [] };
      for (const s of this.services.values()) out[s.Service] = [...new Set([...(out[s.Service] ?? []), ...s.Tags])];
      return send(out);
    }
    if ((m = /^\/v1\/catalog\/service\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      return send([...this.services.values()].filter(s => s.Service === name).map(s => ({
        ID: 'd0c4e1b2-0000-4000-8000-000000000001', Node: this.node, Address: '127.0.0.1', Datacenter: 'dc1',
        ServiceID: s.ID, ServiceName: s.Service, ServiceTags: s.Tags, ServiceAddress: s.Address, ServicePort: s.Port, ServiceMeta: s.Meta,
        CreateIndex: s.CreateIndex, ModifyIndex: s.ModifyIndex,
      })));
    }
    if ((m = /^\/v1\/health\/service\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      const passing = url.searchParams.has('passing');
      return send([...this.services.values()].filter(s => s.Service === name)
        .filter(s => !passing || s.Checks.every(c => c.Status === 'passing'))
        .map(s => ({
          Node: { Node: this.node, Address: '127.0.0.1', Datacenter: 'dc1' },
          Service: { ID: s.ID, Service: s.Service, Tags: s.Tags, Address: s.Address, Port: s.Port, Meta: s.Meta },
          Checks: [
            { Node: this.node, CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Output: 'Agent alive and reachable', ServiceID: '', ServiceName: '' },
            ...s.Checks.map(c => ({ Node: this.node, CheckID: c.CheckID, Name: c.Name, Status: c.Status, Output: c.Output, ServiceID: s.ID, ServiceName: s.Service })),
          ],
        })));
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`Invalid URL path: ${p}`);
  }
}

function parseWait(s: string | null): number | undefined {
  if (!s) return undefined;
  const m = /^(\d+)(ms|s|m)?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
}
