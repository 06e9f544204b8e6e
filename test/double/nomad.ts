// The Nomad double: a stateful HTTP server on 127.0.0.1 that behaves like a `nomad agent -dev` for what
// the extension uses. Responses are shaped after test/fixtures/nomad/captured/. Test-only code.
//
//   const nomad = await NomadDouble.start({ acl: true });   // nomad.addr, nomad.token
//   ...
//   await nomad.stop();                                     // kills every task process
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { canonicalizeJob, durationNs } from './canonicalize';
import { annotate, DesiredUpdates, groupNeedsReplacement, jobDiff } from './diff';
import { streamLogs, logIndexes } from './logs';
import { AllocRunner, nowNs, iso } from './runner';
import { fallbackParseJob, ParseJob } from './parse';
import type { ConsulDouble } from './consul';
import type { DockerEngine } from './docker';
import { handleExecUpgrade, execTaskInfo } from './exec';
import { VarsDouble } from './vars';
import { AclDouble, type Identity } from './acl';
import { NodeStateDouble } from './nodes';
import { at, realClock, type Clock, type Deadline } from './clock';

export type { ParseJob } from './parse';

export interface NomadDoubleOptions {
  /** HCL → Job JSON (the project's decoder); defaults to a fallback that takes JSON jobs and the fixture jobs */
  parseJob?: ParseJob;
  /** ACL mode: every request needs `token` (X-Nomad-Token); wrong/missing → 403 */
  acl?: boolean;
  /** ms between `{}` heartbeats of the log stream (Nomad: 1 s) */
  logHeartbeatMs?: number;
  /** ms between `{}` heartbeats of the event stream (Nomad: 10 s) */
  eventHeartbeatMs?: number;
  /** override every service check's interval (ms) */
  checkIntervalMs?: number;
  /** cap on restart delays (ms); the job's restart.delay is used when smaller */
  restartDelayMs?: number;
  /** where alloc dirs go (default: a new temp dir, removed on stop) */
  dataDir?: string;
  /** a Consul double that `provider = "consul"` services are registered into */
  consul?: ConsulDouble;
  /** a Docker engine (scripts/docker.cjs) that `driver = "docker"` tasks run in; without it they are not placed */
  docker?: DockerEngine;
  /** the engine's version, shown as the node's driver.docker.version (DockerEngine.version().Version) */
  dockerVersion?: string;
  /** extra namespaces besides "default" */
  namespaces?: string[];
  port?: number;
  /** the client nodes by name (default: one node named after this machine). Each has its own ID and
   *  address (node-02 is 127.0.0.2, as in the tutorial's cluster); a group's allocations spread over them. */
  nodes?: string[];
  /** time source for timed transitions (deadlines, min healthy time, restarts); tests pass a ManualClock */
  clock?: Clock;
  /** what each node (by name) reports beside the defaults (dc1, pool default, 4000 MHz, 8 GiB, 50 GiB) */
  nodeFacts?: Record<string, Partial<DoubleNodeFacts>>;
  /** CSI volumes the cluster lists (the double runs no plugin): GET /v1/volumes?type=csi */
  csiVolumes?: Array<{ id: string; namespace?: string; plugin: string }>;
}

/** A client node of the double. */
interface DoubleNode {
  ID: string;
  Name: string;
  Address: string;
  status: 'ready' | 'down';
  state: NodeStateDouble;
  CreateIndex: number;
  ModifyIndex: number;
  facts: DoubleNodeFacts;
}

/** What a client node of the double reports beside its name (its agent configuration and fingerprint, as a
 *  1.6.5 client would: datacenter, node_pool, node_class, meta, host_volume blocks, driver health, resources). */
export interface DoubleNodeFacts {
  datacenter: string;
  nodePool: string;
  nodeClass: string;
  meta: Record<string, string>;
  /** host_volume blocks: name -> read_only */
  hostVolumes: Record<string, boolean>;
  /** drivers besides mock_driver/raw_exec/exec (and docker with a Docker engine): name -> healthy; false: detected, unhealthy */
  drivers: Record<string, boolean>;
  /** attributes added to the fingerprint (or overriding it) */
  attributes: Record<string, string>;
  /** NodeResources: CPU shares (MHz), memory MB, disk MB; and what the node reserves */
  cpuMHz: number;
  memoryMB: number;
  diskMB: number;
  reserved: { cpuMHz: number; memoryMB: number; diskMB: number };
}

const DEFAULT_FACTS: DoubleNodeFacts = {
  datacenter: 'dc1',
  nodePool: 'default',
  nodeClass: '',
  meta: {},
  hostVolumes: {},
  drivers: {},
  attributes: {},
  cpuMHz: 4000,
  memoryMB: 8192,
  diskMB: 51200,
  reserved: { cpuMHz: 0, memoryMB: 0, diskMB: 0 },
};

/** The tutorial's names keep its loopback plan (node-02 → 127.0.0.2); other names get 127.0.0.<n>. */
function nodeAddress(name: string, i: number): string {
  const m = /^node-0*(\d{1,3})$/.exec(name);
  const n = m ? Number(m[1]) : i + 1;
  return `127.0.0.${n >= 1 && n <= 254 ? n : i + 1}`;
}

interface Waiter {
  tables: string[];
  after: number;
  wake: () => void;
}
interface EventRec {
  Topic: string;
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[] | null;
  Index: number;
  Payload: unknown;
}

const VERSION = '1.6.5';

class HttpError extends Error {
  constructor(
    readonly status: number,
    msg: string,
  ) {
    super(msg);
  }
}

export class NomadDouble {
  addr = '';
  token?: string;
  private server!: http.Server;
  /** HTTP requests received so far (the tree benchmark counts what an idle editor sends) */
  requests = 0;
  private index = 1;
  private tables: Record<string, number> = {};
  private waiters = new Set<Waiter>();
  private jobs = new Map<string, any>(); // ns/id -> current job
  private versions = new Map<string, any[]>(); // ns/id -> versions (oldest first)
  private submissions = new Map<string, any>(); // ns/id@version
  private scaleEvents = new Map<string, Record<string, any[]>>();
  private evals = new Map<string, any>();
  private allocs = new Map<string, any>();
  private runners = new Map<string, AllocRunner>();
  private deployments = new Map<string, any>();
  private services = new Map<string, any>(); // registration id -> registration
  private events: EventRec[] = [];
  private eventSubs = new Set<(e: EventRec[]) => void>();
  private timers = new Set<Deadline>();
  private sockets = new Set<net.Socket>();
  private usedPorts = new Set<number>();
  private nextPort = 20000 + Math.floor(Math.random() * 8000);
  private dataDir: string;
  private ownDataDir: boolean;
  private parseJob: ParseJob;
  private bootstrapped: boolean;
  /** the client nodes (the first is nodeId / nodeName) */
  private nodeList: DoubleNode[];
  /** the first node's ID and name (the only node unless `nodes` is given) */
  get nodeId(): string {
    return this.nodeList[0]!.ID;
  }
  get nodeName(): string {
    return this.nodeList[0]!.Name;
  }
  private drainTimer: NodeJS.Timeout | undefined;
  private namespaces: string[];
  private vars = new VarsDouble();
  /** ACL policies and client tokens (test/double/acl.ts); the management token is `token` */
  readonly acl = new AclDouble(() => this.token);
  private closing = false;

  private constructor(readonly opts: NomadDoubleOptions) {
    this.ownDataDir = !opts.dataDir;
    this.dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-double-'));
    this.parseJob = opts.parseJob ?? fallbackParseJob;
    this.bootstrapped = false;
    if (opts.acl) {
      this.token = randomUUID();
      this.bootstrapped = true;
    }
    this.namespaces = ['default', ...(opts.namespaces ?? [])];
    const names = opts.nodes?.length ? opts.nodes : [os.hostname()];
    this.nodeList = names.map((Name, i) => ({
      ID: randomUUID(),
      Name,
      Address: nodeAddress(Name, i),
      status: 'ready',
      state: new NodeStateDouble(),
      CreateIndex: 1,
      ModifyIndex: 1,
      facts: { ...DEFAULT_FACTS, ...opts.nodeFacts?.[Name] },
    }));
    for (const n of this.nodeList)
      n.state.event('Node registered', 'Cluster', 0, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
    for (const t of [
      'jobs',
      'job_version',
      'job_submission',
      'job_summary',
      'evals',
      'allocs',
      'deployment',
      'services',
      'scaling_event',
      'namespaces',
      'nodes',
      'node_pools',
      'csi_volumes',
      'acl_token',
    ])
      this.tables[t] = 1;
  }

  static async start(opts: NomadDoubleOptions = {}): Promise<NomadDouble> {
    const d = new NomadDouble(opts);
    d.server = http.createServer((req, res) => {
      d.requests++;
      d.handle(req, res).catch(e => d.fail(res, e));
    });
    d.server.on('connection', s => {
      d.sockets.add(s);
      s.on('close', () => d.sockets.delete(s));
    });
    // the exec websocket (test/double/exec.ts)
    d.server.on('upgrade', (req, sock) => {
      if (
        !handleExecUpgrade(req, sock, {
          authorized: tok => !d.opts.acl || tok === d.token,
          task: (id, task) => execTaskInfo(d.allocs.get(id), d.runners.get(id), task),
        })
      )
        sock.destroy();
    });
    await new Promise<void>(r => d.server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
    d.addr = `http://127.0.0.1:${(d.server.address() as net.AddressInfo).port}`;
    return d;
  }

  /** Stops the server and kills every task process. */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.drainTimer) clearInterval(this.drainTimer);
    for (const t of this.timers) t.cancel();
    for (const r of this.runners.values()) r.killNow();
    await Promise.all([...this.runners.values()].map(r => r.settled()));
    for (const w of this.waiters) w.wake();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(r => this.server.close(() => r()));
    if (this.ownDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- indexes, blocking, events

  private write(...tables: string[]): number {
    const i = ++this.index;
    for (const t of tables) this.tables[t] = i;
    for (const w of [...this.waiters]) if (w.tables.some(t => (this.tables[t] ?? 0) > w.after)) w.wake();
    return i;
  }
  private tableIndex(tables: string[]) {
    return Math.max(1, ...tables.map(t => this.tables[t] ?? 0));
  }

  private async block(url: URL, tables: string[]): Promise<void> {
    const idx = Number(url.searchParams.get('index') ?? 0);
    if (!idx || this.tableIndex(tables) > idx) return;
    const waitMs = Math.min(durationNs(url.searchParams.get('wait') ?? '5m') / 1e6 || 300_000, 600_000);
    await new Promise<void>(resolve => {
      const w: Waiter = {
        tables,
        after: idx,
        wake: () => {
          clearTimeout(t);
          this.waiters.delete(w);
          resolve();
        },
      };
      const t = setTimeout(() => w.wake(), waitMs);
      this.waiters.add(w);
    });
  }

  private publish(recs: Array<Omit<EventRec, 'Index'>>) {
    const evs = recs.map(r => ({ ...r, Index: this.index }));
    this.events.push(...evs);
    if (this.events.length > 2000) this.events.splice(0, this.events.length - 2000);
    for (const s of this.eventSubs) s(evs);
  }

  /** Runs fn after ms (never early: see clock.ts), unless the double is stopping. */
  private after(ms: number, fn: () => void): Deadline {
    const due = this.clock.now() + ms;
    return this.atTime(() => due, fn);
  }
  /** Internal follow-up work a few ms later (reconciling, re-registering): real time, not the clock. */
  private soon(ms: number, fn: () => void): Deadline {
    const due = realClock.now() + ms;
    return this.atTime(() => due, fn, realClock);
  }
  /** Runs fn once `clock` reaches due() (re-read at each firing, so a moved deadline is followed), unless
   *  the double is stopping; stop() cancels what is still pending. */
  private atTime(due: () => number, fn: () => void, clock: Clock = this.clock): Deadline {
    const t: Deadline = at(clock, due, () => {
      this.timers.delete(t);
      if (!this.closing) fn();
    });
    if (!t.done) this.timers.add(t);
    return t;
  }
  private get clock(): Clock {
    return this.opts.clock ?? realClock;
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private fail(res: http.ServerResponse, e: unknown) {
    const status = e instanceof HttpError ? e.status : 500;
    const msg = e instanceof Error ? e.message : String(e);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(msg);
  }

  private json(res: http.ServerResponse, body: unknown, index?: number) {
    const text = JSON.stringify(body);
    const h: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    };
    if (index !== undefined) {
      h['X-Nomad-Index'] = index;
      h['X-Nomad-KnownLeader'] = 'true';
      h['X-Nomad-LastContact'] = '0';
    }
    res.writeHead(200, h);
    res.end(text);
  }

  private async body(req: http.IncomingMessage): Promise<any> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, `invalid character '${text.trim()[0] ?? ''}' looking for beginning of value`);
    }
  }

  /** ACL mode: who the request is (undefined when ACLs are off or the path needs no token). A client
   *  token passes here for the variable and ACL endpoints, which check it themselves. */
  private authorize(req: http.IncomingMessage, url: URL, method: string, ns: string): Identity | undefined {
    if (!this.opts.acl) return undefined;
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (
      p === '/v1/status/leader' ||
      p === '/v1/acl/bootstrap' ||
      p === '/v1/agent/health' ||
      p === '/v1/status/peers' ||
      p === '/v1/regions'
    )
      return undefined;
    const tok = (req.headers['x-nomad-token'] as string | undefined) ?? bearer(req.headers.authorization);
    const id = this.acl.resolve(tok);
    if (!id && p === '/v1/acl/token/self') {
      // what a 1.6.5 agent answers for a token it cannot look up (captured; see test/contract/variablesAcl.test.ts)
      if (!tok) throw new HttpError(500, 'acl token lookup failed: missing secret id');
      if (tok.length !== 36)
        throw new HttpError(500, 'acl token lookup failed: index error: UUID must be 36 characters');
      throw new HttpError(404, 'ACL token not found');
    }
    if (!id && tok && p === '/v1/agent/self') {
      // the agent looks the token up itself here, and says so (captured from 1.6.5, as above)
      if (tok.length !== 36)
        throw new HttpError(
          500,
          'failed to resolve ACL token: acl token lookup failed: index error: UUID must be 36 characters',
        );
      throw new HttpError(403, 'ACL token not found');
    }
    if (!id) throw new HttpError(403, 'Permission denied');
    if (id.management || p === '/v1/vars' || p.startsWith('/v1/var/') || p.startsWith('/v1/acl/')) return id;
    if (!this.acl.allowRequest(id, method, p, ns)) throw new HttpError(403, 'Permission denied');
    return id;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Nomad's router (Go's ServeMux, Go 1.21 rules) decodes the path, cleans it (`//`, `.`, `..`) and
    // answers a path that changed with a 301 to the cleaned one: an ID holding `//` cannot be addressed
    const moved = goCleanRedirect(req.url ?? '/');
    if (moved) {
      res.writeHead(301, { location: moved, 'content-type': 'text/html; charset=utf-8' });
      res.end(`<a href="${moved}">Moved Permanently</a>.\n\n`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const m = (req.method ?? 'GET').toUpperCase();
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const ns = url.searchParams.get('namespace') || 'default';
    const who = this.authorize(req, url, m, ns);
    let r: RegExpExecArray | null;

    if (p === '/v1/status/leader') return this.json(res, '127.0.0.1:4647');
    if (p === '/v1/status/peers') return this.json(res, ['127.0.0.1:4647']);
    if (p === '/v1/regions') return this.json(res, ['global']);
    if (p === '/v1/agent/self') return this.json(res, this.agentSelf());
    if (p === '/v1/agent/health')
      return this.json(res, { client: { message: 'ok', ok: true }, server: { message: 'ok', ok: true } });
    if (p === '/v1/namespaces') {
      await this.block(url, ['namespaces']);
      return this.json(
        res,
        this.namespaces
          .filter(n => !who || this.acl.namespaceVisible(who, n))
          .map(n => ({
            Capabilities: null,
            CreateIndex: 1,
            Description: n === 'default' ? 'Default shared namespace' : '',
            Meta: null,
            ModifyIndex: 1,
            Name: n,
            NodePoolConfiguration: null,
            Quota: '',
          })),
        this.tableIndex(['namespaces']),
      );
    }
    if (p === '/v1/nodes') {
      // a blocking query, as Nomad's node list is (a node down, back, drained or made eligible moves its index)
      await this.block(url, ['nodes']);
      const resources = url.searchParams.get('resources') === 'true';
      return this.json(
        res,
        this.nodeList.map(n => this.nodeStub(n, resources)),
        this.tableIndex(['nodes']),
      );
    }
    if (p === '/v1/node/pools') {
      await this.block(url, ['node_pools', 'nodes']);
      // 1.6.5: the built-in "all" and "default", and every pool a client registered into (created then)
      const names = [...new Set(['all', 'default', ...this.nodeList.map(n => n.facts.nodePool)])].sort();
      return this.json(
        res,
        names.map(Name => ({
          Name,
          Description:
            Name === 'all'
              ? 'Node pool with all nodes in the cluster.'
              : Name === 'default'
                ? 'Default node pool.'
                : '',
          Meta: null,
          SchedulerConfiguration: null,
          CreateIndex: 1,
          ModifyIndex: 1,
        })),
        this.tableIndex(['node_pools', 'nodes']),
      );
    }
    if (p === '/v1/volumes') {
      await this.block(url, ['csi_volumes']);
      if (url.searchParams.get('type') !== 'csi') return this.json(res, [], this.tableIndex(['csi_volumes']));
      return this.json(
        res,
        (this.opts.csiVolumes ?? [])
          .filter(v => ns === '*' || (v.namespace ?? 'default') === ns)
          .map(v => ({
            ID: v.id,
            Namespace: v.namespace ?? 'default',
            Name: v.id,
            ExternalID: v.id,
            Topologies: null,
            AccessMode: '',
            AttachmentMode: '',
            CurrentReaders: 0,
            CurrentWriters: 0,
            Schedulable: true,
            PluginID: v.plugin,
            Provider: '',
            ControllerRequired: false,
            ControllersHealthy: 0,
            ControllersExpected: 0,
            NodesHealthy: 0,
            NodesExpected: 0,
            ResourceExhausted: null,
            CreateIndex: 1,
            ModifyIndex: 1,
          })),
        this.tableIndex(['csi_volumes']),
      );
    }
    if (p === '/v1/client/metadata') return this.nodeMeta(req, res, url, m);
    // ---- node drain / eligibility / allocations (test/double/nodes.ts)
    if ((r = /^\/v1\/node\/([^/]+)\/(drain|eligibility|allocations)$/.exec(p))) {
      const id = decodeURIComponent(r[1]!);
      // an unknown ID is refused by nodes.ts (it is no node's)
      const n = this.nodeList.find(x => x.ID === id) ?? this.nodeList[0]!;
      const host = {
        nodeId: n.ID,
        allocStubs: () => [...this.allocs.values()].map(a => this.allocStub(a)),
        write: () => this.write('nodes'),
        current: () => this.tableIndex(['nodes', 'allocs']),
        published: (type: string) => this.publishNode(n, type),
        changed: () => this.nodesChanged(),
        json: (res2: http.ServerResponse, b: unknown, i?: number) => this.json(res2, b, i),
        body: (q: http.IncomingMessage) => this.body(q),
        error: (status: number, msg: string) => new HttpError(status, msg),
      };
      if (await n.state.handle(host, req, res, p, m)) return;
    }
    if ((r = /^\/v1\/node\/([^/]+)$/.exec(p))) {
      const n = this.nodeList.find(x => x.ID === r![1]);
      if (!n) throw new HttpError(404, 'node not found');
      await this.block(url, ['nodes']);
      const stub = this.nodeStub(n, true);
      return this.json(
        res,
        {
          ...stub,
          Attributes: this.attributes(n),
          Meta: { ...n.facts.meta },
          HostVolumes: stub.HostVolumes,
          HTTPAddr: this.opts.nodes?.length ? `${n.Address}:4646` : this.addr.replace(/^https?:\/\//, ''),
          Events: n.state.events.map(e => ({ ...e })),
        },
        this.tableIndex(['nodes']),
      );
    }
    if (who && p.startsWith('/v1/acl/') && p !== '/v1/acl/bootstrap') {
      const host = {
        write: () => this.write('acl_token'),
        current: () => this.tableIndex(['acl_token']),
        json: (r2: http.ServerResponse, b: unknown, i?: number) => this.json(r2, b, i),
        body: (q: http.IncomingMessage) => this.body(q),
        error: (status: number, msg: string) => new HttpError(status, msg),
      };
      if (await this.acl.handle(host, req, res, p, m, who)) return;
    }
    if (p === '/v1/acl/bootstrap' && (m === 'POST' || m === 'PUT')) {
      if (this.bootstrapped)
        throw new HttpError(400, `ACL bootstrap already done (reset index: ${this.tableIndex(['acl_token'])})`);
      this.bootstrapped = true;
      this.token = randomUUID();
      const i = this.write('acl_token');
      return this.json(
        res,
        {
          AccessorID: randomUUID(),
          SecretID: this.token,
          Name: 'Bootstrap Token',
          Type: 'management',
          Policies: null,
          Roles: null,
          Global: true,
          CreateTime: iso(),
          ExpirationTime: null,
          ExpirationTTL: 0,
          CreateIndex: i,
          ModifyIndex: i,
        },
        i,
      );
    }

    // ---- jobs
    if (p === '/v1/jobs') {
      if (m === 'GET') {
        await this.block(url, ['jobs', 'job_summary']);
        const prefix = url.searchParams.get('prefix') ?? '';
        const meta = url.searchParams.get('meta') === 'true';
        const list = [...this.jobs.values()]
          .filter(j => (ns === '*' || j.Namespace === ns) && j.ID.startsWith(prefix))
          .sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : a.Namespace < b.Namespace ? -1 : 1))
          .map(j => this.jobStub(j, meta));
        return this.json(res, list, this.tableIndex(['jobs', 'job_summary']));
      }
      if (m === 'POST' || m === 'PUT') return this.json(res, ...this.register(await this.body(req), ns));
      throw new HttpError(405, 'Invalid method');
    }
    if (p === '/v1/jobs/parse') {
      if (m !== 'POST' && m !== 'PUT') throw new HttpError(405, 'Invalid method');
      const b = await this.body(req);
      if (!b.JobHCL) throw new HttpError(400, 'Job spec is empty');
      const out = await this.parseJob(b.JobHCL, b.Variables ?? '');
      if ('error' in out) throw new HttpError(400, `Failed to parse job: ${out.error}`);
      return this.json(res, b.Canonicalize ? canonicalizeApi(out.job) : out.job);
    }
    if (p === '/v1/validate/job') {
      const b = await this.body(req);
      if (!b.Job) throw new HttpError(400, 'Job must be specified');
      const errs = validate(canonicalizeJob(b.Job));
      return this.json(res, {
        DriverConfigValidated: true,
        Error: errs.length ? multiError(errs) : '',
        ValidationErrors: errs.length ? errs : null,
        Warnings: '',
      });
    }
    if (
      (r =
        /^\/v1\/job\/(.+?)(\/(plan|allocations|evaluations|deployments|deployment|versions|revert|scale|summary|dispatch|periodic\/force|submission|stable|evaluate))?$/.exec(
          p,
        ))
    ) {
      const id = decodeURIComponent(r[1]);
      const sub = r[3] ?? '';
      return this.jobEndpoint(req, res, url, m, ns, id, sub);
    }

    // ---- allocations, evaluations, deployments
    if (p === '/v1/allocations') {
      await this.block(url, ['allocs']);
      const prefix = url.searchParams.get('prefix') ?? '';
      return this.json(
        res,
        [...this.allocs.values()]
          .filter(a => (ns === '*' || a.Namespace === ns) && a.ID.startsWith(prefix))
          .map(a => this.allocStub(a)),
        this.tableIndex(['allocs']),
      );
    }
    if ((r = /^\/v1\/allocation\/([^/]+)(\/stop)?$/.exec(p))) {
      const a = this.findAlloc(r[1]);
      if (r[2]) {
        const i = this.stopAlloc(a, 'alloc was stopped by user');
        const ev = this.createEval(this.jobs.get(key(a.Namespace, a.JobID)) ?? a.Job, 'alloc-stop');
        this.soon(10, () => this.reconcile(key(a.Namespace, a.JobID)));
        return this.json(res, { EvalID: ev.ID, Index: i }, i);
      }
      await this.block(url, ['allocs']);
      return this.json(res, this.allocFull(a), this.tableIndex(['allocs']));
    }
    if ((r = /^\/v1\/client\/allocation\/([^/]+)\/(restart|checks|stats)$/.exec(p))) {
      const a = this.findAlloc(r[1]);
      const runner = this.runners.get(a.ID);
      if (r[2] === 'checks')
        return this.json(
          res,
          Object.fromEntries(
            [...(runner?.checks.values() ?? [])].map(c => [
              c.ID,
              {
                AllocID: a.ID,
                Check: c.Name,
                Group: `${a.JobID}.${a.TaskGroup}[${allocIndex(a)}]`,
                ID: c.ID,
                Mode: 'healthiness',
                Output: c.Output,
                Service: c.Service,
                Status: c.Status === 'passing' ? 'success' : c.Status === 'critical' ? 'failure' : 'pending',
                StatusCode: 0,
                Task: c.Task,
                Timestamp: c.Timestamp,
              },
            ]),
          ),
        );
      if (r[2] === 'stats')
        return this.json(res, { ResourceUsage: { CpuStats: {}, MemoryStats: {} }, Tasks: {}, Timestamp: nowNs() });
      if (a.DesiredStatus !== 'run' || !runner || !runner.isRunning())
        throw new HttpError(500, 'restart of an alloc that should not run');
      const b = await this.body(req);
      runner.restart(b.TaskName || b.Task || undefined);
      return this.json(res, {});
    }
    if ((r = /^\/v1\/client\/fs\/(logs|ls|cat|stat)\/([^/]+)$/.exec(p))) return this.fsEndpoint(res, url, r[1], r[2]);
    if (p === '/v1/evaluations') {
      await this.block(url, ['evals']);
      return this.json(
        res,
        [...this.evals.values()].filter(e => ns === '*' || e.Namespace === ns),
        this.tableIndex(['evals']),
      );
    }
    if ((r = /^\/v1\/evaluation\/([^/]+)(\/allocations)?$/.exec(p))) {
      const e = this.evals.get(r[1]);
      if (!e) throw new HttpError(404, 'eval not found');
      await this.block(url, ['evals']);
      if (r[2])
        return this.json(
          res,
          [...this.allocs.values()].filter(a => a.EvalID === e.ID).map(a => this.allocStub(a)),
          this.tableIndex(['allocs']),
        );
      return this.json(res, e, this.tableIndex(['evals']));
    }
    if (p === '/v1/deployments') {
      await this.block(url, ['deployment']);
      return this.json(
        res,
        [...this.deployments.values()]
          .filter(d => ns === '*' || d.Namespace === ns)
          .sort((a, b) => b.CreateIndex - a.CreateIndex),
        this.tableIndex(['deployment']),
      );
    }
    if ((r = /^\/v1\/deployment\/(promote|fail|allocations|pause)\/([^/]+)$/.exec(p)))
      return this.deploymentAction(req, res, r[1], r[2]);
    if ((r = /^\/v1\/deployment\/([^/]+)$/.exec(p))) {
      const d = this.deployments.get(r[1]);
      if (!d) throw new HttpError(404, 'deployment not found');
      await this.block(url, ['deployment']);
      return this.json(res, d, this.tableIndex(['deployment']));
    }

    // ---- services
    if (p === '/v1/services') {
      await this.block(url, ['services']);
      const byNs = new Map<string, Map<string, Set<string>>>();
      for (const s of this.services.values()) {
        if (ns !== '*' && s.Namespace !== ns) continue;
        const m2 = byNs.get(s.Namespace) ?? new Map();
        byNs.set(s.Namespace, m2);
        const tags = m2.get(s.ServiceName) ?? new Set();
        m2.set(s.ServiceName, tags);
        for (const t of s.Tags ?? []) tags.add(t);
      }
      const out = [...byNs.entries()].map(([n, svcs]) => ({
        Namespace: n,
        Services: [...svcs.entries()].sort().map(([name, tags]) => ({ ServiceName: name, Tags: [...tags].sort() })),
      }));
      return this.json(res, out, this.tableIndex(['services']));
    }
    if ((r = /^\/v1\/service\/([^/]+)$/.exec(p))) {
      await this.block(url, ['services']);
      const name = decodeURIComponent(r[1]);
      return this.json(
        res,
        [...this.services.values()]
          .filter(s => s.ServiceName === name && (ns === '*' || s.Namespace === ns))
          .sort((a, b) => a.CreateIndex - b.CreateIndex),
        this.tableIndex(['services']),
      );
    }

    // ---- variables (test/double/vars.ts)
    if (p === '/v1/vars' || p.startsWith('/v1/var/')) {
      const host = {
        write: () => this.write('variables'),
        current: () => this.tableIndex(['variables']),
        namespaces: () => this.namespaces,
        json: (r: http.ServerResponse, b: unknown, i?: number, status = 200) => {
          r.writeHead(status, { 'Content-Type': 'application/json', 'X-Nomad-Index': String(i ?? this.index) });
          r.end(JSON.stringify(b));
        },
        body: (q: http.IncomingMessage) => this.body(q),
        error: (status: number, msg: string) => new HttpError(status, msg),
        block: (u: URL) => this.block(u, ['variables']),
        may: (vns: string, vpath: string, cap: 'list' | 'read' | 'write' | 'destroy') =>
          !who || this.acl.allowVariable(who, vns, vpath, cap),
      };
      if (await this.vars.handle(host, req, res, url, m, ns)) return;
    }

    // ---- events
    if (p === '/v1/event/stream') return this.eventStream(req, res, url, ns);

    throw new HttpError(404, `Invalid URL path: ${p}`);
  }

  // ---------------------------------------------------------------- job endpoints

  private async jobEndpoint(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    m: string,
    ns: string,
    id: string,
    sub: string,
  ) {
    const k = key(ns, id);
    const job = this.jobs.get(k);
    const need = (msg = 'job not found') => {
      if (!job) throw new HttpError(404, msg);
      return job;
    };
    switch (sub) {
      case '': {
        if (m === 'GET') {
          need();
          await this.block(url, ['jobs']);
          return this.json(res, this.jobOut(this.jobs.get(k) ?? job), this.tableIndex(['jobs']));
        }
        if (m === 'DELETE') return this.json(res, ...this.deregister(ns, id, url.searchParams.get('purge') === 'true'));
        if (m === 'POST' || m === 'PUT') return this.json(res, ...this.register(await this.body(req), ns));
        throw new HttpError(405, 'Invalid method');
      }
      case 'plan': {
        const b = await this.body(req);
        if (!b.Job) throw new HttpError(400, 'Job must be specified');
        if (b.Job.ID !== id) throw new HttpError(400, 'Job ID does not match');
        return this.json(res, this.plan(b.Job, ns, b.Diff !== false), this.index);
      }
      case 'summary':
        need();
        await this.block(url, ['job_summary']);
        return this.json(res, this.summary(job), this.tableIndex(['job_summary']));
      case 'allocations': {
        await this.block(url, ['allocs']);
        const all = url.searchParams.get('all') === 'true';
        return this.json(
          res,
          [...this.allocs.values()]
            .filter(a => a.Namespace === ns && a.JobID === id && (all || !a._purged))
            .map(a => this.allocStub(a)),
          this.tableIndex(['allocs']),
        );
      }
      case 'evaluations':
        await this.block(url, ['evals']);
        return this.json(
          res,
          [...this.evals.values()]
            .filter(e => e.Namespace === ns && e.JobID === id)
            .sort((a, b) => b.CreateIndex - a.CreateIndex),
          this.tableIndex(['evals']),
        );
      case 'deployments':
        await this.block(url, ['deployment']);
        return this.json(res, this.jobDeployments(ns, id), this.tableIndex(['deployment']));
      case 'deployment':
        await this.block(url, ['deployment']);
        return this.json(res, this.jobDeployments(ns, id)[0] ?? null, this.tableIndex(['deployment']));
      case 'versions': {
        const vs = this.versions.get(k);
        if (!vs || !job) throw new HttpError(404, 'job versions not found');
        await this.block(url, ['job_version']);
        const list = [...vs].reverse().map(v => this.jobOut(v));
        const diffs =
          url.searchParams.get('diffs') === 'true'
            ? list.slice(0, -1).map((v, i) => jobDiff(list[i + 1], v, false))
            : null;
        return this.json(
          res,
          {
            Diffs: diffs,
            Index: this.tableIndex(['job_version']),
            KnownLeader: true,
            LastContact: 0,
            NextToken: '',
            Versions: list,
          },
          this.tableIndex(['job_version']),
        );
      }
      case 'submission': {
        const v = Number(url.searchParams.get('version') ?? job?.Version ?? 0);
        const s = this.submissions.get(`${k}@${v}`);
        if (!s) throw new HttpError(404, 'job source not found');
        return this.json(res, s, this.tableIndex(['job_submission']));
      }
      case 'revert': {
        need();
        const b = await this.body(req);
        const cur = this.jobs.get(k)!;
        if (
          b.EnforcePriorVersion !== undefined &&
          b.EnforcePriorVersion !== null &&
          b.EnforcePriorVersion !== cur.Version
        ) {
          throw new HttpError(
            500,
            `Current job has version ${cur.Version}; enforcing version ${b.EnforcePriorVersion}`,
          );
        }
        if (b.JobVersion === cur.Version) throw new HttpError(500, "can't revert to current version");
        const target = this.versions.get(k)!.find(v => v.Version === b.JobVersion);
        if (!target) throw new HttpError(500, `job ${id} at version ${b.JobVersion} not found`);
        return this.json(res, ...this.register({ Job: stripState(target) }, ns, 'job-register'));
      }
      case 'stable': {
        need();
        const b = await this.body(req);
        const v = this.versions.get(k)!.find(x => x.Version === b.JobVersion);
        if (!v) throw new HttpError(500, 'job version not found');
        v.Stable = !!b.Stable;
        const i = this.write('job_version', 'jobs');
        return this.json(res, { Index: i }, i);
      }
      case 'scale': {
        if (m === 'GET') {
          need();
          await this.block(url, ['jobs', 'allocs', 'scaling_event']);
          return this.json(res, this.scaleStatus(job), this.tableIndex(['jobs', 'scaling_event']));
        }
        need();
        const b = await this.body(req);
        const groupName = b.Target?.Group;
        const active = this.activeDeployment(this.jobs.get(k)!);
        if (active && typeof b.Count === 'number')
          throw new HttpError(400, 'job scaling blocked due to active deployment');
        const j = structuredClone(stripState(this.jobs.get(k)!));
        const g = j.TaskGroups.find((x: any) => x.Name === groupName);
        if (!g) throw new HttpError(400, `job does not contain task group ${JSON.stringify(groupName)}`);
        const prev = g.Count;
        let out: [any, number] | undefined;
        if (typeof b.Count === 'number') {
          g.Count = b.Count;
          out = this.register({ Job: j }, ns, 'job-scaling');
        }
        const i = this.write('scaling_event');
        const evs = this.scaleEvents.get(k) ?? {};
        this.scaleEvents.set(k, evs);
        (evs[groupName] ??= []).unshift({
          Count: b.Count ?? null,
          CreateIndex: i,
          Error: !!b.Error,
          EvalID: out?.[0].EvalID ?? null,
          Message: b.Message ?? '',
          Meta: b.Meta ?? null,
          PreviousCount: prev,
          Time: nowNs(),
        });
        const r0 = out?.[0] ?? { EvalCreateIndex: 0, EvalID: '', JobModifyIndex: this.jobs.get(k)!.JobModifyIndex };
        return this.json(res, { ...r0, Index: i, KnownLeader: true, LastContact: 0, NextToken: '', Warnings: '' }, i);
      }
      case 'dispatch': {
        need();
        const b = await this.body(req);
        const parent = this.jobs.get(k)!;
        if (!parent.ParameterizedJob) throw new HttpError(500, `Specified job "${id}" is not a parameterized job`);
        for (const req2 of parent.ParameterizedJob.MetaRequired ?? []) {
          if (!(b.Meta ?? {})[req2]) throw new HttpError(500, `Dispatch did not provide required meta keys: [${req2}]`);
        }
        const child = structuredClone(stripState(parent));
        child.ID = `${id}/dispatch-${Math.floor(Date.now() / 1000)}-${randomUUID().slice(0, 8)}`;
        child.Name = child.ID;
        child.ParentID = id;
        child.ParameterizedJob = null;
        child.Dispatched = true;
        child.Meta = { ...(parent.Meta ?? {}), ...(b.Meta ?? {}) };
        child.Payload = b.Payload ?? null;
        const [out, i] = this.register({ Job: child }, ns, 'job-register');
        return this.json(
          res,
          {
            DispatchedJobID: child.ID,
            EvalCreateIndex: out.EvalCreateIndex,
            EvalID: out.EvalID,
            Index: i,
            JobCreateIndex: i,
            KnownLeader: false,
            LastContact: 0,
            NextToken: '',
          },
          i,
        );
      }
      case 'periodic/force': {
        need();
        const parent = this.jobs.get(k)!;
        if (!parent.Periodic) throw new HttpError(500, "can't force run non-periodic job");
        const child = structuredClone(stripState(parent));
        child.ID = `${id}/periodic-${Math.floor(Date.now() / 1000)}`;
        child.Name = child.ID;
        child.ParentID = id;
        child.Periodic = null;
        const [out, i] = this.register({ Job: child }, ns, 'periodic-job');
        return this.json(
          res,
          {
            EvalCreateIndex: out.EvalCreateIndex,
            EvalID: out.EvalID,
            Index: i,
            KnownLeader: false,
            LastContact: 0,
            NextToken: '',
          },
          i,
        );
      }
      case 'evaluate': {
        need();
        const e = this.createEval(this.jobs.get(k)!, 'job-eval');
        this.soon(10, () => this.reconcile(k));
        return this.json(
          res,
          { EvalCreateIndex: e.CreateIndex, EvalID: e.ID, Index: e.CreateIndex, JobModifyIndex: job.JobModifyIndex },
          e.CreateIndex,
        );
      }
    }
    throw new HttpError(404, 'not found');
  }

  /** POST /v1/jobs: EnforceIndex semantics and error texts as captured (register-conflict*.json). */
  private register(b: any, ns: string, trigger = 'job-register'): [any, number] {
    if (!b || !b.Job) throw new HttpError(400, 'Job must be specified');
    const input = b.Job;
    if (input.Namespace && ns === 'default') ns = input.Namespace;
    input.Namespace = ns;
    if (!this.namespaces.includes(ns))
      throw new HttpError(
        500,
        multiError([`job ${JSON.stringify(input.ID)} is in nonexistent namespace ${JSON.stringify(ns)}`]),
      );
    const job = canonicalizeJob(input);
    const errs = validate(job);
    if (errs.length) throw new HttpError(500, multiError(errs));
    const k = key(ns, job.ID);
    const existing = this.jobs.get(k);
    if (b.EnforceIndex) {
      const want = Number(b.JobModifyIndex ?? 0);
      if (want === 0 && existing) throw new HttpError(500, `Enforcing job modify index ${want}: job already exists`);
      if (want !== 0 && !existing) throw new HttpError(500, `Enforcing job modify index ${want}: job does not exist`);
      if (existing && want !== existing.JobModifyIndex)
        throw new HttpError(
          500,
          `Enforcing job modify index ${want}: job exists with conflicting job modify index: ${existing.JobModifyIndex}`,
        );
    }
    const i = this.write('jobs', 'job_version', 'job_summary', 'evals', 'job_submission');
    const changed = !existing || !sameSpec(existing, job);
    const stored = {
      ...job,
      Version: existing ? (changed ? existing.Version + 1 : existing.Version) : 0,
      Stable: false,
      Status: 'pending',
      StatusDescription: '',
      SubmitTime: nowNs(),
      CreateIndex: existing?.CreateIndex ?? i,
      ModifyIndex: i,
      JobModifyIndex: changed || !existing ? i : existing.JobModifyIndex,
    };
    this.jobs.set(k, stored);
    const vs = this.versions.get(k) ?? [];
    if (changed) {
      vs.push(structuredClone(stored));
      if (vs.length > 6) vs.shift();
    } else vs[vs.length - 1] = structuredClone(stored);
    this.versions.set(k, vs);
    if (b.Submission) {
      this.submissions.set(`${k}@${stored.Version}`, {
        Format: b.Submission.Format ?? 'hcl2',
        JobID: job.ID,
        JobModifyIndex: stored.JobModifyIndex,
        Namespace: ns,
        Source: b.Submission.Source ?? '',
        VariableFlags: b.Submission.VariableFlags ?? null,
        Variables: b.Submission.Variables ?? '',
        Version: stored.Version,
      });
    } else if (existing && changed) {
      // Nomad 1.6.5 (the state store's upsert): a new version registered without a submission gets the
      // submission of the version the request's job names (its Version field: the one it was read at)
      const carried = this.submissions.get(`${k}@${Number(input.Version ?? 0)}`);
      if (carried)
        this.submissions.set(`${k}@${stored.Version}`, {
          ...carried,
          JobModifyIndex: stored.JobModifyIndex,
          Version: stored.Version,
        });
    }
    this.publish([
      {
        Topic: 'Job',
        Type: 'JobRegistered',
        Key: job.ID,
        Namespace: ns,
        FilterKeys: null,
        Payload: { Job: this.jobOut(stored) },
      },
    ]);
    const periodicOrParam = !!(job.Periodic || job.ParameterizedJob);
    let evalId = '',
      evalIndex = 0;
    if (!periodicOrParam) {
      const e = this.createEval(stored, trigger, i);
      evalId = e.ID;
      evalIndex = e.CreateIndex;
      this.soon(5, () => this.reconcile(k, e));
    }
    const warnings = warningsFor(job);
    return [
      {
        EvalCreateIndex: evalIndex,
        EvalID: evalId,
        Index: i,
        JobModifyIndex: stored.JobModifyIndex,
        KnownLeader: false,
        LastContact: 0,
        NextToken: '',
        Warnings: warnings,
      },
      i,
    ];
  }

  private deregister(ns: string, id: string, purge: boolean): [any, number] {
    const k = key(ns, id);
    const job = this.jobs.get(k);
    if (!job)
      return [
        {
          EvalCreateIndex: 0,
          EvalID: '',
          Index: 0,
          JobModifyIndex: 0,
          KnownLeader: false,
          LastContact: 0,
          NextToken: '',
          VolumeEvalID: '',
          VolumeEvalIndex: 0,
        },
        this.index,
      ];
    const i = this.write('jobs', 'job_version', 'job_summary', 'evals');
    // the evaluation's event is typed after the request (JobDeregistered), as Nomad's are
    const e = this.createEval(job, 'job-deregister', i, 'JobDeregistered');
    if (purge) {
      // Nomad publishes no event for a deleted job (nomad/state/events.go): the evaluation is the only sign
      this.jobs.delete(k);
      this.versions.delete(k);
      for (const s of [...this.submissions.keys()]) if (s.startsWith(`${k}@`)) this.submissions.delete(s);
    } else {
      const stopped = {
        ...job,
        Stop: true,
        Version: job.Version + 1,
        ModifyIndex: i,
        JobModifyIndex: i,
        SubmitTime: nowNs(),
        Stable: false,
      };
      this.jobs.set(k, stopped);
      this.versions.get(k)!.push(structuredClone(stopped));
      this.publish([
        {
          Topic: 'Job',
          Type: 'JobDeregistered',
          Key: id,
          Namespace: ns,
          FilterKeys: null,
          Payload: { Job: this.jobOut(stopped) },
        },
      ]);
    }
    for (const a of this.allocs.values()) {
      if (a.Namespace === ns && a.JobID === id && a.DesiredStatus === 'run')
        this.stopAlloc(a, 'alloc not needed due to job update');
    }
    for (const d of this.deployments.values()) {
      if (d.Namespace === ns && d.JobID === id && d.Status === 'running') {
        d.Status = 'cancelled';
        d.StatusDescription = 'Cancelled because job is stopped';
        d.ModifyIndex = this.write('deployment');
      }
    }
    this.completeEval(e);
    return [
      {
        EvalCreateIndex: e.CreateIndex,
        EvalID: e.ID,
        Index: i,
        JobModifyIndex: i,
        KnownLeader: false,
        LastContact: 0,
        NextToken: '',
        VolumeEvalID: '',
        VolumeEvalIndex: 0,
      },
      i,
    ];
  }

  // ---------------------------------------------------------------- the scheduler

  private createEval(job: any, trigger: string, at?: number, eventType = 'EvaluationUpdated'): any {
    const i = at ?? this.write('evals');
    const e = {
      ID: randomUUID(),
      Namespace: job.Namespace,
      Priority: job.Priority,
      Type: job.Type,
      TriggeredBy: trigger,
      JobID: job.ID,
      JobModifyIndex: job.JobModifyIndex,
      NodeID: '',
      NodeModifyIndex: 0,
      DeploymentID: '',
      Status: 'pending',
      StatusDescription: '',
      Wait: 0,
      WaitUntil: null,
      NextEval: '',
      PreviousEval: '',
      BlockedEval: '',
      RelatedEvals: null,
      FailedTGAllocs: null,
      ClassEligibility: null,
      QuotaLimitReached: '',
      EscapedComputedClass: false,
      AnnotatePlan: false,
      QueuedAllocations: null,
      LeaderACL: '',
      SnapshotIndex: 0,
      CreateIndex: i,
      ModifyIndex: i,
      CreateTime: nowNs(),
      ModifyTime: nowNs(),
    };
    this.evals.set(e.ID, e);
    this.publish([
      {
        Topic: 'Evaluation',
        Type: eventType,
        Key: e.ID,
        Namespace: e.Namespace,
        FilterKeys: [job.ID, ''],
        Payload: { Evaluation: e },
      },
    ]);
    return e;
  }

  private completeEval(e: any, failed?: Record<string, any>, queued?: Record<string, number>) {
    e.Status = 'complete';
    e.FailedTGAllocs = failed && Object.keys(failed).length ? failed : null;
    e.QueuedAllocations = queued ?? {};
    e.ModifyIndex = this.write('evals');
    e.ModifyTime = nowNs();
    this.publish([
      {
        Topic: 'Evaluation',
        Type: 'EvaluationUpdated',
        Key: e.ID,
        Namespace: e.Namespace,
        FilterKeys: [e.JobID, ''],
        Payload: { Evaluation: e },
      },
    ]);
  }

  /** What the scheduler would do to go from the current state to `job` (used by plan and by reconcile). */
  private computeUpdates(job: any, forPlan: boolean) {
    const k = key(job.Namespace, job.ID);
    // failed allocations are not rescheduled by the double: they keep their slot until a new version replaces them
    const live = [...this.allocs.values()].filter(
      a =>
        a.Namespace === job.Namespace &&
        a.JobID === job.ID &&
        a.DesiredStatus === 'run' &&
        (!terminal(a) || a.ClientStatus === 'failed'),
    );
    const desired: Record<string, DesiredUpdates> = {};
    const failed: Record<string, any> = {};
    const actions: Array<{
      kind: 'place' | 'stop' | 'inplace' | 'destructive' | 'canary' | 'migrate';
      group: any;
      alloc?: any;
      index?: number;
    }> = [];
    const current = this.jobs.get(k);
    const groups: any[] = job.Stop ? [] : job.TaskGroups;
    const batch = job.Type === 'batch' || job.Type === 'sysbatch';
    for (const g of groups) {
      const u: DesiredUpdates = {
        Canary: 0,
        DestructiveUpdate: 0,
        Ignore: 0,
        InPlaceUpdate: 0,
        Migrate: 0,
        Place: 0,
        Preemptions: 0,
        Stop: 0,
      };
      desired[g.Name] = u;
      // Nomad leaves the canaries of the running deployment alone until they are promoted; then they take the
      // places of the allocations they replace (which are stopped), instead of new ones being placed
      const active = this.activeDeployment(job);
      const canaryIds = new Set<string>(
        active && active.JobVersion === job.Version ? (active.TaskGroups?.[g.Name]?.PlacedCanaries ?? []) : [],
      );
      const byIndex = (a: any, b: any) =>
        allocIndex(a) - allocIndex(b) ||
        Number(a.ClientStatus === 'failed') - Number(b.ClientStatus === 'failed') ||
        a.CreateIndex - b.CreateIndex;
      const ours = live.filter(a => a.TaskGroup === g.Name);
      const canariesNow = ours.filter(a => canaryIds.has(a.ID)).sort(byIndex);
      const mine = active?.TaskGroups?.[g.Name]?.Promoted
        ? [...canariesNow, ...ours.filter(a => !canaryIds.has(a.ID)).sort(byIndex)]
        : ours.filter(a => !canaryIds.has(a.ID)).sort(byIndex);
      // batch allocations that finished successfully count as done
      const done = batch
        ? [...this.allocs.values()].filter(
            a =>
              a.Namespace === job.Namespace &&
              a.JobID === job.ID &&
              a.TaskGroup === g.Name &&
              a.ClientStatus === 'complete' &&
              a.JobVersion === (current?.Version ?? -1),
          )
        : [];
      const want = Math.max(0, g.Count - done.length);
      const keep = mine.slice(0, want);
      const extra = mine.slice(want);
      for (const a of extra) {
        u.Stop++;
        actions.push({ kind: 'stop', group: g, alloc: a });
      }
      const destructive: any[] = [];
      for (const a of keep) {
        // marked by the drainer and still on the draining node: stopped where a replacement fits elsewhere
        if (this.migrating(a)) {
          u.Migrate++;
          actions.push({ kind: 'migrate', group: g, alloc: a });
          continue;
        }
        if (sameSpec(a.Job, job) && a.Job.Version === job.Version) {
          u.Ignore++;
          continue;
        }
        if (groupNeedsReplacement(a.Job, job, g.Name) || a.ClientStatus === 'failed' || this.infeasible(job, g))
          destructive.push(a);
        // (the same spec at another version — a revert to the version running — is an in-place update in Nomad too)
        else {
          u.InPlaceUpdate++;
          actions.push({ kind: 'inplace', group: g, alloc: a });
        }
      }
      const update = g.Update;
      const canary =
        job.Type === 'service' && update && update.Canary > 0 && destructive.length > 0 ? update.Canary : 0;
      const dep = this.activeDeployment(job);
      const promoted = dep?.TaskGroups?.[g.Name]?.Promoted;
      if (canary && !promoted) {
        const placedCanaries = (dep?.TaskGroups?.[g.Name]?.PlacedCanaries ?? []).length;
        const n = Math.max(0, canary - placedCanaries);
        u.Canary = n;
        u.Ignore += destructive.length;
        // a canary takes the name of an allocation it will replace (Nomad's NextCanaries), e.g. g[0] for a count of 1
        const taken = new Set(canariesNow.map(allocIndex));
        const names = destructive.map(allocIndex).filter(i => !taken.has(i));
        for (let c = 0; c < n; c++)
          actions.push({ kind: 'canary', group: g, ...(names[c] !== undefined ? { index: names[c] } : {}) });
      } else {
        const limit =
          job.Type === 'service' && update && update.MaxParallel > 0 ? update.MaxParallel : destructive.length;
        const unhealthyInFlight = forPlan ? 0 : this.inFlight(job, g.Name);
        const n = Math.max(0, Math.min(destructive.length, limit - unhealthyInFlight));
        destructive.forEach((a, idx) => {
          if (idx < n) {
            u.DestructiveUpdate++;
            actions.push({ kind: 'destructive', group: g, alloc: a });
          } else u.Ignore++;
        });
      }
      const used = new Set(keep.map(allocIndex));
      let next = 0;
      for (let c = keep.length; c < want; c++) {
        while (used.has(next)) next++;
        used.add(next);
        u.Place++;
        actions.push({ kind: 'place', group: g, index: next });
      }
      const needs = u.Place + u.DestructiveUpdate + u.Canary + u.Migrate;
      if (needs > 0) {
        const why = this.infeasible(job, g);
        if (why) {
          failed[g.Name] = { ...why, CoalescedFailures: needs - 1 };
          // (a migration's stop is not backed out: Nomad's reconciler stops the allocation whether or not
          // its replacement finds a node, scheduler/reconcile.go computeMigrations)
          for (const a of actions)
            if (
              a.group === g &&
              (a.kind === 'place' || a.kind === 'destructive' || a.kind === 'canary' || a.kind === 'migrate')
            )
              (a as any).blocked = true;
        }
      }
    }
    // groups that were removed from the job (or the job stopped)
    for (const a of live) {
      if (!groups.some(g => g.Name === a.TaskGroup)) {
        const u = (desired[a.TaskGroup] ??= {
          Canary: 0,
          DestructiveUpdate: 0,
          Ignore: 0,
          InPlaceUpdate: 0,
          Migrate: 0,
          Place: 0,
          Preemptions: 0,
          Stop: 0,
        });
        u.Stop++;
        actions.push({ kind: 'stop', group: { Name: a.TaskGroup }, alloc: a });
      }
    }
    return { desired, failed, actions };
  }

  private plan(input: any, ns: string, wantDiff: boolean) {
    input.Namespace = input.Namespace || ns;
    const job = canonicalizeJob(input);
    const k = key(job.Namespace, job.ID);
    const cur = this.jobs.get(k);
    const cmp = { ...job, Version: cur ? (sameSpec(cur, job) ? cur.Version : cur.Version + 1) : 0 };
    const { desired, failed } = this.computeUpdates(cmp, true);
    const diff = jobDiff(cur ? this.jobOut(cur) : undefined, { ...job }, true);
    annotate(diff, desired);
    const hasFailed = Object.keys(failed).length > 0;
    return {
      Annotations: { DesiredTGUpdates: desired, PreemptedAllocs: null },
      CreatedEvals: hasFailed
        ? [
            {
              ID: randomUUID(),
              Namespace: job.Namespace,
              JobID: job.ID,
              Status: 'blocked',
              StatusDescription: 'created to place remaining allocations',
              TriggeredBy: 'queued-allocs',
              Type: job.Type,
              Priority: job.Priority,
              FailedTGAllocs: failed,
              JobModifyIndex: (cur?.JobModifyIndex ?? 0) + 1,
              CreateTime: nowNs(),
              ModifyTime: nowNs(),
            },
          ]
        : null,
      Diff: wantDiff ? diff : null,
      FailedTGAllocs: hasFailed ? failed : null,
      Index: cur?.JobModifyIndex ?? 0,
      JobModifyIndex: cur?.JobModifyIndex ?? 0,
      NextPeriodicLaunch: null,
      Warnings: warningsFor(job),
    };
  }

  private infeasible(job: any, g: any): any | undefined {
    const attrs = this.attributes();
    // Nomad counts the nodes a placement may use: ready, not draining, eligible (structs.Node.Ready)
    const ready = this.candidates().length;
    const base = {
      AllocationTime: 1000,
      ClassExhausted: null,
      ClassFiltered: null,
      ConstraintFiltered: null,
      DimensionExhausted: null,
      NodesAvailable: { dc1: ready },
      NodesEvaluated: ready,
      NodesExhausted: 0,
      NodesFiltered: 0,
      NodesInPool: this.nodeList.length,
      QuotaExhausted: null,
      ResourcesExhausted: null,
      ScoreMetaData: null,
      Scores: null,
    };
    if (
      !job.Datacenters.some(
        (dc: string) =>
          dc === '*' ||
          dc === 'dc1' ||
          (dc.includes('*') && new RegExp('^' + dc.replace(/\*/g, '.*') + '$').test('dc1')),
      )
    ) {
      return { ...base, NodesAvailable: {}, NodesEvaluated: 0, NodesInPool: 0 };
    }
    // an ineligible (or draining) node is not a candidate: Nomad counts no available node in its datacenter
    if (!this.candidates().length) return { ...base, NodesAvailable: { dc1: 0 }, NodesEvaluated: 0 };
    const constraints = [
      ...(job.Constraints ?? []),
      ...(g.Constraints ?? []),
      ...g.Tasks.flatMap((t: any) => t.Constraints ?? []),
    ];
    for (const c of constraints) {
      if (!constraintHolds(c, attrs)) {
        // Nomad reports job/group constraints it can fold into the node class this way
        return { ...base, ConstraintFiltered: { 'computed class ineligible': 1 }, NodesFiltered: 1, NodesEvaluated: 1 };
      }
    }
    for (const t of g.Tasks) {
      if (!['raw_exec', 'exec', 'mock_driver', ...(this.opts.docker ? ['docker'] : [])].includes(t.Driver))
        return { ...base, ConstraintFiltered: { 'missing drivers': 1 }, NodesFiltered: 1 };
    }
    const mem = g.Tasks.reduce((s: number, t: any) => s + (t.Resources?.MemoryMB ?? 0), 0);
    const totalMb = Math.floor(os.totalmem() / 1024 / 1024);
    if (mem > totalMb - this.usedMemory()) {
      const exhausted: Record<string, any> = {};
      for (const t of g.Tasks)
        exhausted[t.Name] = {
          CPU: 0,
          Cores: 0,
          DiskMB: 0,
          IOPS: 0,
          MemoryMB: t.Resources?.MemoryMB ?? 0,
          MemoryMaxMB: 0,
        };
      return { ...base, DimensionExhausted: { memory: 1 }, NodesExhausted: 1, ResourcesExhausted: exhausted };
    }
    return undefined;
  }

  private usedMemory() {
    let m = 0;
    for (const a of this.allocs.values())
      if (a.DesiredStatus === 'run' && !terminal(a)) {
        const g = a.Job.TaskGroups.find((x: any) => x.Name === a.TaskGroup);
        for (const t of g?.Tasks ?? []) m += t.Resources?.MemoryMB ?? 0;
      }
    return m;
  }

  /** Brings allocations in line with the current job (after a register, a stop, a health change, …). */
  private reconcile(k: string, ev?: any) {
    if (this.closing) return;
    const job = this.jobs.get(k);
    if (!job) {
      if (ev) this.completeEval(ev);
      return;
    }
    const { failed, actions, desired } = this.computeUpdates(job, false);
    let dep = this.activeDeployment(job);
    const needsDeployment =
      job.Type === 'service' &&
      !job.Stop &&
      Object.values(desired).some(u => u.Place + u.DestructiveUpdate + u.Canary + u.InPlaceUpdate > 0) &&
      job.TaskGroups.some((g: any) => g.Update && g.Update.MaxParallel > 0);
    const latest = this.jobDeployments(job.Namespace, job.ID)[0];
    if (
      needsDeployment &&
      (!dep || dep.JobVersion !== job.Version) &&
      !(latest && latest.JobVersion === job.Version && latest.JobModifyIndex === job.JobModifyIndex)
    ) {
      if (dep && dep.Status === 'running') {
        dep.Status = 'cancelled';
        dep.StatusDescription = 'Cancelled due to newer version of job';
        dep.ModifyIndex = this.write('deployment');
      }
      // canaries only for the groups that replace allocations (Nomad: an in-place update takes none)
      dep = this.createDeployment(
        job,
        new Set(actions.filter(a => a.kind === 'canary').map(a => String(a.group.Name))),
      );
    }
    for (const a of actions) {
      if ((a as any).blocked) {
        if (a.kind === 'migrate') this.stopAlloc(a.alloc, 'alloc is being migrated');
        continue;
      }
      if (a.kind === 'stop') this.stopAlloc(a.alloc, 'alloc not needed due to job update');
      else if (a.kind === 'inplace') {
        a.alloc.Job = structuredClone(job);
        a.alloc.JobVersion = job.Version;
        // Nomad: an allocation updated in place into a new deployment starts its health over (DeploymentStatus nil)
        if (dep && a.alloc.DeploymentID !== dep.ID) {
          a.alloc.DeploymentStatus = null;
          a.alloc._deadline = false;
          this.healthTimers.get(a.alloc.ID)?.cancel();
          this.healthTimers.delete(a.alloc.ID);
        }
        a.alloc.DeploymentID = dep?.ID ?? a.alloc.DeploymentID;
        // its services are registered again as the new version has them (a new check starts critical)
        const runner = this.runners.get(a.alloc.ID);
        const group = a.alloc.Job.TaskGroups.find((x: any) => x.Name === a.group.Name) ?? a.group;
        if (
          runner &&
          JSON.stringify(runner.services().map(x => x.service)) !==
            JSON.stringify([...(group.Services ?? []), ...group.Tasks.flatMap((t: any) => t.Services ?? [])])
        ) {
          this.deregisterServices(a.alloc);
          runner.updateServices(group);
          if (a.alloc.ClientStatus === 'running') this.registerServices(a.alloc, runner);
        }
        a.alloc.ModifyIndex = this.write('allocs');
        a.alloc.AllocModifyIndex = a.alloc.ModifyIndex;
        a.alloc.ModifyTime = nowNs();
        if (dep) {
          const tg = dep.TaskGroups[a.group.Name];
          if (tg) tg.PlacedAllocs++;
          this.trackHealth(a.alloc, dep);
        }
      } else if (a.kind === 'destructive') {
        this.stopAlloc(a.alloc, 'alloc is being updated due to job update');
        this.placeAlloc(job, a.group, allocIndex(a.alloc), ev, dep, false, a.alloc.ID);
      } else if (a.kind === 'migrate') {
        this.stopAlloc(a.alloc, 'alloc is being migrated');
        this.placeAlloc(job, a.group, allocIndex(a.alloc), ev, dep, false, a.alloc.ID);
      } else if (a.kind === 'canary') {
        const used = new Set(
          [...this.allocs.values()].filter(x => x.JobID === job.ID && x.TaskGroup === a.group.Name).map(allocIndex),
        );
        let idx = 0;
        while (used.has(idx)) idx++;
        this.placeAlloc(job, a.group, a.index ?? idx, ev, dep, true);
      } else {
        // the replacement of a lost allocation names it as its previous one (and it names the replacement)
        const lost = [...this.allocs.values()]
          .filter(
            x =>
              x.Namespace === job.Namespace &&
              x.JobID === job.ID &&
              x.TaskGroup === a.group.Name &&
              allocIndex(x) === a.index &&
              x.ClientStatus === 'lost' &&
              !x.NextAllocation,
          )
          .sort((x, y) => y.CreateIndex - x.CreateIndex)[0];
        this.placeAlloc(job, a.group, a.index!, ev, dep, false, lost?.ID);
      }
    }
    if (ev) {
      const queued: Record<string, number> = {};
      for (const g of job.TaskGroups)
        queued[g.Name] = failed[g.Name] ? desired[g.Name].Place + desired[g.Name].DestructiveUpdate : 0;
      if (dep) ev.DeploymentID = dep.ID;
      this.completeEval(ev, failed, queued);
    }
    if (dep) this.checkDeployment(dep);
    this.refreshJobStatus(k);
  }

  private inFlight(job: any, group: string): number {
    const dep = this.activeDeployment(job);
    if (!dep) return 0;
    return [...this.allocs.values()].filter(
      a =>
        a.DeploymentID === dep.ID &&
        a.TaskGroup === group &&
        a.DesiredStatus === 'run' &&
        !terminal(a) &&
        a.DeploymentStatus?.Healthy !== true,
    ).length;
  }

  private activeDeployment(job: any): any | undefined {
    return this.jobDeployments(job.Namespace, job.ID).find(d => d.Status === 'running' || d.Status === 'paused');
  }

  private jobDeployments(ns: string, id: string): any[] {
    return [...this.deployments.values()]
      .filter(d => d.Namespace === ns && d.JobID === id)
      .sort((a, b) => b.CreateIndex - a.CreateIndex);
  }

  private createDeployment(job: any, canaryGroups: Set<string>): any {
    const i = this.write('deployment');
    const tgs: Record<string, any> = {};
    for (const g of job.TaskGroups) {
      if (!g.Update) continue;
      tgs[g.Name] = {
        AutoPromote: g.Update.AutoPromote,
        AutoRevert: g.Update.AutoRevert,
        DesiredCanaries: g.Update.Canary && canaryGroups.has(g.Name) ? g.Update.Canary : 0,
        DesiredTotal: g.Count,
        HealthyAllocs: 0,
        PlacedAllocs: 0,
        PlacedCanaries: null,
        ProgressDeadline: g.Update.ProgressDeadline,
        Promoted: false,
        RequireProgressBy: null,
        UnhealthyAllocs: 0,
      };
    }
    const d = {
      CreateIndex: i,
      EvalPriority: job.Priority,
      ID: randomUUID(),
      IsMultiregion: false,
      JobCreateIndex: job.CreateIndex,
      JobID: job.ID,
      JobModifyIndex: job.JobModifyIndex,
      JobSpecModifyIndex: job.JobModifyIndex,
      JobVersion: job.Version,
      ModifyIndex: i,
      Namespace: job.Namespace,
      Status: 'running',
      StatusDescription: 'Deployment is running',
      TaskGroups: tgs,
    };
    this.deployments.set(d.ID, d);
    this.publish([
      {
        Topic: 'Deployment',
        Type: 'DeploymentStatusUpdate',
        Key: d.ID,
        Namespace: d.Namespace,
        FilterKeys: [job.ID],
        Payload: { Deployment: d },
      },
    ]);
    for (const [name, tg] of Object.entries(tgs)) {
      if (tg.ProgressDeadline > 0) {
        tg.RequireProgressBy = new Date(this.clock.now() + tg.ProgressDeadline / 1e6).toISOString();
        // RequireProgressBy moves later with each healthy allocation: the deadline follows it.
        this.atTime(
          () => new Date(d.TaskGroups[name].RequireProgressBy).getTime(),
          () => {
            if (d.Status !== 'running') return;
            const t = d.TaskGroups[name];
            if (t.HealthyAllocs < t.DesiredTotal) this.failDeployment(d, 'Failed due to progress deadline');
          },
        );
      }
    }
    return d;
  }

  private placeAlloc(
    job: any,
    g: any,
    index: number,
    ev: any,
    dep: any | undefined,
    canary: boolean,
    previous?: string,
  ) {
    const node = this.pickNode(job, g);
    const i = this.write('allocs', 'job_summary');
    const id = randomUUID();
    const ports: Record<string, number> = {};
    const portList: any[] = [];
    const nets = [...(g.Networks ?? []), ...g.Tasks.flatMap((t: any) => t.Resources?.Networks ?? [])];
    for (const n of nets) {
      for (const p of n.ReservedPorts ?? []) {
        ports[p.Label] = p.Value;
        portList.push({ HostIP: '127.0.0.1', Label: p.Label, To: p.To ?? 0, Value: p.Value });
      }
      for (const p of n.DynamicPorts ?? []) {
        const v = this.allocPort();
        ports[p.Label] = v;
        portList.push({ HostIP: '127.0.0.1', Label: p.Label, To: p.To ?? 0, Value: v });
      }
    }
    const tasksRes: Record<string, any> = {};
    // a task-level network (the tutorial's, with mbits) is also reported on its task, as Nomad 1.6.5 does
    const taskNets = (t: any) =>
      (t.Resources?.Networks ?? []).map((n: any) => {
        const of = (list: any[] | null | undefined) =>
          list?.length
            ? list.map(p => ({ HostNetwork: 'default', Label: p.Label, To: p.To ?? 0, Value: ports[p.Label] }))
            : null;
        return {
          CIDR: '',
          DNS: null,
          Device: 'lo',
          DynamicPorts: of(n.DynamicPorts),
          IP: '127.0.0.1',
          MBits: n.MBits ?? 0,
          Mode: '',
          ReservedPorts: of(n.ReservedPorts),
        };
      });
    for (const t of g.Tasks)
      tasksRes[t.Name] = {
        Cpu: { CpuShares: t.Resources?.CPU ?? 100, ReservedCores: null },
        Devices: null,
        Memory: { MemoryMB: t.Resources?.MemoryMB ?? 300, MemoryMaxMB: t.Resources?.MemoryMaxMB ?? 0 },
        Networks: t.Resources?.Networks?.length ? taskNets(t) : null,
      };
    const a: any = {
      AllocModifyIndex: i,
      AllocatedResources: {
        Shared: {
          DiskMB: g.EphemeralDisk?.SizeMB ?? 300,
          Networks: g.Networks
            ? [
                {
                  ...g.Networks[0],
                  IP: '127.0.0.1',
                  DynamicPorts: portList.length
                    ? portList.map(p => ({ HostNetwork: 'default', Label: p.Label, To: p.To, Value: p.Value }))
                    : null,
                },
              ]
            : null,
          Ports: portList.length ? portList : null,
        },
        TaskLifecycles: Object.fromEntries(g.Tasks.map((t: any) => [t.Name, t.Lifecycle ?? null])),
        Tasks: tasksRes,
      },
      ClientDescription: '',
      ClientStatus: 'pending',
      CreateIndex: i,
      CreateTime: nowNs(),
      DeploymentID: dep?.ID ?? '',
      DeploymentStatus: canary
        ? { Canary: true, Healthy: null, ModifyIndex: 0, Timestamp: '0001-01-01T00:00:00Z' }
        : null,
      DesiredDescription: '',
      DesiredStatus: 'run',
      DesiredTransition: { ForceReschedule: null, Migrate: null, NoShutdownDelay: null, Reschedule: null },
      EvalID: ev?.ID ?? '',
      FollowupEvalID: '',
      ID: id,
      Job: structuredClone(job),
      JobID: job.ID,
      JobType: job.Type,
      JobVersion: job.Version,
      Metrics: {
        AllocationTime: 1000,
        NodesAvailable: { dc1: this.candidates().length },
        NodesEvaluated: this.candidates().length,
        NodesExhausted: 0,
        NodesFiltered: 0,
        NodesInPool: this.nodeList.length,
      },
      ModifyIndex: i,
      ModifyTime: nowNs(),
      Name: `${job.ID}.${g.Name}[${index}]`,
      Namespace: job.Namespace,
      NetworkStatus: null,
      NextAllocation: '',
      NodeID: node.ID,
      NodeName: node.Name,
      PreemptedAllocations: null,
      PreemptedByAllocation: '',
      PreviousAllocation: previous ?? '',
      RescheduleTracker: null,
      Resources: null,
      SharedResources: null,
      TaskGroup: g.Name,
      TaskResources: null,
      TaskStates: null,
      _ports: ports,
    };
    if (previous) {
      const prev = this.allocs.get(previous);
      if (prev) {
        prev.NextAllocation = id;
      }
    }
    this.allocs.set(id, a);
    if (dep) {
      const tg = dep.TaskGroups[g.Name];
      if (tg) {
        tg.PlacedAllocs++;
        if (canary) tg.PlacedCanaries = [...(tg.PlacedCanaries ?? []), id];
        dep.ModifyIndex = this.write('deployment');
      }
    }
    this.publish([
      {
        Topic: 'Allocation',
        Type: 'PlanResult',
        Key: id,
        Namespace: a.Namespace,
        FilterKeys: [job.ID, dep?.ID ?? ''],
        Payload: { Allocation: this.allocEvent(a) },
      },
    ]);
    this.startRunner(a, job, g, ports, index, dep);
  }

  private startRunner(a: any, job: any, g: any, ports: Record<string, number>, index: number, dep: any | undefined) {
    const allocDir = path.join(this.dataDir, 'alloc', a.ID);
    const env: Record<string, string> = {
      NOMAD_ALLOC_ID: a.ID,
      NOMAD_SHORT_ALLOC_ID: a.ID.slice(0, 8),
      NOMAD_ALLOC_NAME: a.Name,
      NOMAD_ALLOC_INDEX: String(index),
      NOMAD_JOB_ID: job.ID,
      NOMAD_JOB_NAME: job.Name,
      NOMAD_JOB_PARENT_ID: job.ParentID ?? '',
      NOMAD_GROUP_NAME: g.Name,
      NOMAD_NAMESPACE: job.Namespace,
      NOMAD_REGION: job.Region,
      NOMAD_DC: 'dc1',
      NOMAD_ALLOC_DIR: path.join(allocDir, 'alloc'),
      NOMAD_PARENT_CGROUP: '',
      NOMAD_ADDR: this.addr,
    };
    for (const [label, v] of Object.entries(ports)) {
      env[`NOMAD_PORT_${label}`] = String(v);
      env[`NOMAD_HOST_PORT_${label}`] = String(v);
      env[`NOMAD_IP_${label}`] = '127.0.0.1';
      env[`NOMAD_HOST_IP_${label}`] = '127.0.0.1';
      env[`NOMAD_ADDR_${label}`] = `127.0.0.1:${v}`;
      env[`NOMAD_HOST_ADDR_${label}`] = `127.0.0.1:${v}`;
      env[`NOMAD_ALLOC_PORT_${label}`] = String(v);
    }
    let registered = false;
    const runner = new AllocRunner(
      a,
      job,
      g,
      ports,
      {
        allocDir,
        restartDelayMs: this.opts.restartDelayMs ?? 1000,
        clock: this.clock,
        checkIntervalMs: this.opts.checkIntervalMs,
        env,
        docker: this.opts.docker,
      },
      {
        changed: () => {
          // a lost allocation's tasks run on where the server cannot see them: nothing is reported until its node is back
          if (this.closing || a._lost) return;
          a.TaskStates = structuredClone(runner.states);
          const prevStatus = a.ClientStatus;
          a.ClientStatus = clientStatus(runner, job);
          a.ClientDescription =
            a.ClientStatus === 'running'
              ? 'Tasks are running'
              : a.ClientStatus === 'failed'
                ? 'Failed tasks'
                : a.ClientStatus === 'complete'
                  ? 'All tasks have completed'
                  : 'No tasks have started';
          a.ModifyIndex = this.write('allocs', 'job_summary');
          a.ModifyTime = nowNs();
          if (a.ClientStatus === 'running' && !registered && a.DesiredStatus === 'run') {
            registered = true;
            this.registerServices(a, runner);
          }
          this.syncConsulHealth(a, runner);
          this.publish([
            {
              Topic: 'Allocation',
              Type: 'AllocationUpdated',
              Key: a.ID,
              Namespace: a.Namespace,
              FilterKeys: [a.JobID, a.DeploymentID],
              Payload: { Allocation: this.allocEvent(a) },
            },
          ]);
          if (prevStatus !== a.ClientStatus) this.refreshJobStatus(key(a.Namespace, a.JobID));
          const d = a.DeploymentID ? this.deployments.get(a.DeploymentID) : undefined;
          if (d) this.trackHealth(a, d);
        },
        finished: () => {
          if (this.closing || a._lost) return;
          this.deregisterServices(a);
          this.refreshJobStatus(key(a.Namespace, a.JobID));
          this.soon(10, () => this.reconcileAfterExit(a));
        },
      },
    );
    this.runners.set(a.ID, runner);
    runner.start();
    void dep;
  }

  /** A service job's alloc that failed for good is not rescheduled by the double unless the policy allows it (minimal). */
  private reconcileAfterExit(a: any) {
    const job = this.jobs.get(key(a.Namespace, a.JobID));
    if (!job || a.DesiredStatus !== 'run') return;
    if (a.ClientStatus === 'complete' && (job.Type === 'batch' || job.Type === 'sysbatch')) {
      this.refreshJobStatus(key(a.Namespace, a.JobID));
      return;
    }
    const g = job.TaskGroups.find((x: any) => x.Name === a.TaskGroup);
    const rp = g?.ReschedulePolicy;
    if (
      a.ClientStatus === 'failed' &&
      rp &&
      (rp.Unlimited || rp.Attempts > 0) &&
      !(a.DeploymentID && this.deployments.get(a.DeploymentID)?.Status !== 'running' && false)
    ) {
      // a reschedule would go here; the double leaves failed allocs failed when a deployment is watching them
      if (a.DeploymentID) return;
    }
  }

  private allocPort(): number {
    for (let tries = 0; tries < 5000; tries++) {
      const p = this.nextPort++;
      if (this.nextPort > 32000) this.nextPort = 20000;
      if (!this.usedPorts.has(p)) {
        this.usedPorts.add(p);
        return p;
      }
    }
    throw new Error('no free port');
  }

  private stopAlloc(a: any, why: string): number {
    a.DesiredStatus = 'stop';
    a.DesiredDescription = why;
    const i = this.write('allocs', 'job_summary');
    a.ModifyIndex = i;
    a.AllocModifyIndex = i;
    a.ModifyTime = nowNs();
    this.deregisterServices(a);
    const runner = this.runners.get(a.ID);
    this.publish([
      {
        Topic: 'Allocation',
        Type: 'AllocationUpdated',
        Key: a.ID,
        Namespace: a.Namespace,
        FilterKeys: [a.JobID, a.DeploymentID],
        Payload: { Allocation: this.allocEvent(a) },
      },
    ]);
    if (runner) {
      void runner.stop().then(() => {
        if (this.closing) return;
        a.TaskStates = structuredClone(runner.states);
        if (a.ClientStatus !== 'failed') a.ClientStatus = 'complete';
        a.ClientDescription = a.ClientStatus === 'failed' ? 'Failed tasks' : 'All tasks have completed';
        a.ModifyIndex = this.write('allocs', 'job_summary');
        a.ModifyTime = nowNs();
        for (const p of Object.values(a._ports as Record<string, number>)) this.usedPorts.delete(p);
        this.publish([
          {
            Topic: 'Allocation',
            Type: 'AllocationUpdated',
            Key: a.ID,
            Namespace: a.Namespace,
            FilterKeys: [a.JobID, a.DeploymentID],
            Payload: { Allocation: this.allocEvent(a) },
          },
        ]);
        this.refreshJobStatus(key(a.Namespace, a.JobID));
      });
    }
    return i;
  }

  private registerServices(a: any, runner: AllocRunner) {
    for (const { service, task } of runner.services()) {
      const port = a._ports[service.PortLabel] ?? 0;
      const idPart = task ? task : `group-${a.TaskGroup}`;
      const id = `_nomad-task-${a.ID}-${idPart}-${service.Name}-${service.PortLabel}`;
      if (service.Provider === 'nomad') {
        const i = this.write('services');
        const reg = {
          Address: '127.0.0.1',
          AllocID: a.ID,
          CreateIndex: i,
          Datacenter: 'dc1',
          ID: id,
          JobID: a.JobID,
          ModifyIndex: i,
          Namespace: a.Namespace,
          NodeID: a.NodeID,
          Port: port,
          ServiceName: service.Name,
          Tags: service.Tags ?? [],
        };
        this.services.set(id, reg);
        this.publish([
          {
            Topic: 'Service',
            Type: 'ServiceRegistration',
            Key: service.Name,
            Namespace: a.Namespace,
            FilterKeys: null,
            Payload: { Service: reg },
          },
        ]);
      } else if (this.opts.consul) {
        this.opts.consul.register({
          ID: id,
          Service: service.Name,
          Tags: service.Tags ?? [],
          Address: '127.0.0.1',
          Port: port,
          Meta: { 'external-source': 'nomad', ...(service.Meta ?? {}) },
          Checks: (service.Checks ?? []).map((c: any) => ({
            CheckID: `_nomad-check-${a.ID.slice(0, 8)}-${c.Name}`.replace(/\s+/g, '-'),
            Name: c.Name,
            Status: 'critical',
            Output: '',
          })),
        });
      }
    }
  }

  private syncConsulHealth(a: any, runner: AllocRunner) {
    if (!this.opts.consul) return;
    for (const { service, task } of runner.services()) {
      if (service.Provider === 'nomad') continue;
      const idPart = task ? task : `group-${a.TaskGroup}`;
      const id = `_nomad-task-${a.ID}-${idPart}-${service.Name}-${service.PortLabel}`;
      for (const c of runner.checks.values()) {
        if (c.Service !== service.Name) continue;
        this.opts.consul.setCheck(
          id,
          `_nomad-check-${a.ID.slice(0, 8)}-${c.Name}`.replace(/\s+/g, '-'),
          c.Status === 'passing' ? 'passing' : 'critical',
          c.Output,
        );
      }
    }
  }

  /** `consul: false`: Nomad's own catalog only (a node that goes down: the server deletes its Nomad services;
   *  what its client registered in Consul stays there until the client is back and removes it). */
  private deregisterServices(a: any, { consul = true } = {}) {
    let changed = false;
    for (const [id, s] of this.services)
      if (s.AllocID === a.ID) {
        this.services.delete(id);
        changed = true;
        this.publish([
          {
            Topic: 'Service',
            Type: 'ServiceDeregistration',
            Key: s.ServiceName,
            Namespace: s.Namespace,
            FilterKeys: null,
            Payload: { Service: s },
          },
        ]);
      }
    if (changed) this.write('services');
    if (consul) this.opts.consul?.deregisterPrefix(`_nomad-task-${a.ID}-`);
  }

  // ---------------------------------------------------------------- deployments

  private healthTimers = new Map<string, Deadline>();

  private trackHealth(a: any, d: any) {
    if (d.Status !== 'running' || a.DesiredStatus !== 'run') return;
    if (a.DeploymentStatus && a.DeploymentStatus.Healthy !== null && a.DeploymentStatus.Healthy !== undefined) return;
    const g = this.jobs.get(key(a.Namespace, a.JobID))?.TaskGroups.find((x: any) => x.Name === a.TaskGroup);
    const u = g?.Update;
    if (!u) return;
    const runner = this.runners.get(a.ID);
    if (!runner) return;
    const setHealth = (healthy: boolean) => {
      this.healthTimers.get(a.ID)?.cancel();
      this.healthTimers.delete(a.ID);
      const i = this.write('allocs', 'deployment');
      a.DeploymentStatus = { Canary: !!a.DeploymentStatus?.Canary, Healthy: healthy, ModifyIndex: i, Timestamp: iso() };
      a.ModifyIndex = i;
      const tg = d.TaskGroups[a.TaskGroup];
      if (tg) {
        if (healthy) tg.HealthyAllocs++;
        else tg.UnhealthyAllocs++;
      }
      if (healthy && tg && tg.ProgressDeadline > 0)
        tg.RequireProgressBy = new Date(this.clock.now() + tg.ProgressDeadline / 1e6).toISOString();
      d.ModifyIndex = i;
      this.publish([
        {
          Topic: 'Allocation',
          Type: 'AllocationUpdated',
          Key: a.ID,
          Namespace: a.Namespace,
          FilterKeys: [a.JobID, d.ID],
          Payload: { Allocation: this.allocEvent(a) },
        },
      ]);
      this.checkDeployment(d);
    };
    if (runner.anyTaskFailed() || a.ClientStatus === 'failed') {
      setHealth(false);
      // Nomad's health watcher notes it on every task (seen after a bad image tag's Not Restarting)
      runner.noteAll('Alloc Unhealthy', 'Unhealthy because of failed task');
      return;
    }
    if (u.HealthCheck === 'manual') return;
    const ok = runner.allTasksRunning() && (u.HealthCheck !== 'checks' || runner.allChecksPassing());
    if (!a._deadline) {
      a._deadline = true;
      this.after(u.HealthyDeadline / 1e6, () => {
        if (a.DeploymentStatus?.Healthy == null && a.DesiredStatus === 'run' && d.Status === 'running')
          setHealth(false);
      });
    }
    if (ok && !this.healthTimers.has(a.ID)) {
      this.healthTimers.set(
        a.ID,
        this.after(Math.max(0, u.MinHealthyTime / 1e6), () => {
          this.healthTimers.delete(a.ID);
          const still =
            runner.allTasksRunning() &&
            (u.HealthCheck !== 'checks' || runner.allChecksPassing()) &&
            !runner.anyTaskFailed();
          if (still && a.DesiredStatus === 'run') setHealth(true);
          else this.trackHealth(a, d);
        }),
      );
    } else if (!ok && this.healthTimers.has(a.ID)) {
      this.healthTimers.get(a.ID)!.cancel();
      this.healthTimers.delete(a.ID);
    }
  }

  private checkDeployment(d: any) {
    if (d.Status !== 'running') return;
    const tgs = Object.values(d.TaskGroups) as any[];
    // As the agent does (1.6.5, captured): an unhealthy allocation fails the deployment at once only when its
    // group cannot be rescheduled or has no progress deadline; otherwise Nomad keeps replacing it and the
    // deployment fails when the progress deadline passes ("Failed due to progress deadline").
    const version = this.versions.get(key(d.Namespace, d.JobID))?.find(x => x.Version === d.JobVersion);
    const failNow = Object.entries(d.TaskGroups as Record<string, any>).some(([name, t]) => {
      if (t.UnhealthyAllocs <= 0) return false;
      const rp = version?.TaskGroups?.find((g: any) => g.Name === name)?.ReschedulePolicy;
      const canReschedule = !!rp && (rp.Unlimited || (rp.Attempts ?? 0) > 0);
      return !(canReschedule && t.ProgressDeadline > 0);
    });
    if (failNow) {
      this.failDeployment(d, 'Failed due to unhealthy allocations');
      return;
    }
    const needPromotion = tgs.some(t => t.DesiredCanaries > 0 && !t.Promoted);
    if (needPromotion) {
      const canariesHealthy = tgs.every(
        t =>
          t.DesiredCanaries === 0 ||
          (t.PlacedCanaries ?? []).filter((id: string) => this.allocs.get(id)?.DeploymentStatus?.Healthy).length >=
            t.DesiredCanaries,
      );
      if (canariesHealthy) {
        if (tgs.every(t => t.DesiredCanaries === 0 || t.AutoPromote)) {
          this.promote(d);
          return;
        }
        if (d.StatusDescription !== 'Deployment is running but requires manual promotion') {
          d.StatusDescription = 'Deployment is running but requires manual promotion';
          d.ModifyIndex = this.write('deployment');
        }
      }
      return;
    }
    if (tgs.every(t => t.HealthyAllocs >= t.DesiredTotal)) {
      d.Status = 'successful';
      d.StatusDescription = 'Deployment completed successfully';
      d.ModifyIndex = this.write('deployment', 'job_version', 'jobs');
      const k = key(d.Namespace, d.JobID);
      const v = this.versions.get(k)?.find(x => x.Version === d.JobVersion);
      if (v) v.Stable = true;
      const j = this.jobs.get(k);
      if (j && j.Version === d.JobVersion) j.Stable = true;
      this.publish([
        {
          Topic: 'Deployment',
          Type: 'DeploymentStatusUpdate',
          Key: d.ID,
          Namespace: d.Namespace,
          FilterKeys: [d.JobID],
          Payload: { Deployment: d },
        },
      ]);
      return;
    }
    // rolling update: more allocs may be replaced now
    this.soon(5, () => this.reconcile(key(d.Namespace, d.JobID)));
  }

  private failDeployment(d: any, why: string) {
    const k = key(d.Namespace, d.JobID);
    const autoRevert = Object.values(d.TaskGroups).some((t: any) => t.AutoRevert);
    const stable = autoRevert
      ? [...(this.versions.get(k) ?? [])].reverse().find(v => v.Stable && v.Version < d.JobVersion)
      : undefined;
    d.Status = 'failed';
    d.StatusDescription = stable ? `${why} - rolling back to job version ${stable.Version}` : why;
    d.ModifyIndex = this.write('deployment');
    this.publish([
      {
        Topic: 'Deployment',
        Type: 'DeploymentStatusUpdate',
        Key: d.ID,
        Namespace: d.Namespace,
        FilterKeys: [d.JobID],
        Payload: { Deployment: d },
      },
    ]);
    if (stable)
      this.soon(5, () => {
        try {
          this.register({ Job: stripState(stable) }, d.Namespace, 'rollback');
        } catch {
          /* job gone */
        }
      });
  }

  private promote(d: any) {
    for (const t of Object.values(d.TaskGroups) as any[]) if (t.DesiredCanaries > 0) t.Promoted = true;
    d.StatusDescription = 'Deployment is running';
    d.ModifyIndex = this.write('deployment');
    this.soon(5, () => this.reconcile(key(d.Namespace, d.JobID)));
  }

  private async deploymentAction(req: http.IncomingMessage, res: http.ServerResponse, action: string, id: string) {
    const d = this.deployments.get(id);
    if (!d) throw new HttpError(404, 'deployment not found');
    if (action === 'allocations')
      return this.json(
        res,
        [...this.allocs.values()].filter(a => a.DeploymentID === id).map(a => this.allocStub(a)),
        this.tableIndex(['allocs']),
      );
    await this.body(req);
    if (d.Status !== 'running' && d.Status !== 'paused')
      throw new HttpError(500, `can't ${action} terminal deployment`);
    if (action === 'promote') {
      const has = Object.values(d.TaskGroups).some((t: any) => t.DesiredCanaries > 0);
      if (!has) throw new HttpError(500, 'No canaries to promote');
      this.promote(d);
    } else if (action === 'fail') this.failDeployment(d, 'Deployment marked as failed');
    else if (action === 'pause') {
      d.Status = 'paused';
      d.StatusDescription = 'Deployment is paused';
      d.ModifyIndex = this.write('deployment');
    }
    const e = this.createEval(
      this.jobs.get(key(d.Namespace, d.JobID)) ?? {
        Namespace: d.Namespace,
        ID: d.JobID,
        Priority: 50,
        Type: 'service',
        JobModifyIndex: 0,
      },
      'deployment-watcher',
    );
    this.completeEval(e);
    return this.json(
      res,
      {
        DeploymentModifyIndex: d.ModifyIndex,
        EvalCreateIndex: e.CreateIndex,
        EvalID: e.ID,
        Index: d.ModifyIndex,
        KnownLeader: false,
        LastContact: 0,
        NextToken: '',
        RevertedJobVersion: null,
      },
      d.ModifyIndex,
    );
  }

  // ---------------------------------------------------------------- logs and files

  private async fsEndpoint(res: http.ServerResponse, url: URL, kind: string, allocId: string) {
    const a = this.allocs.get(allocId);
    if (!a) throw new HttpError(404, `Unknown allocation "${allocId}"`);
    const dir = path.join(this.dataDir, 'alloc', a.ID);
    if (kind === 'ls') {
      const rel = (url.searchParams.get('path') ?? '/').replace(/^\/+/, '');
      const full = path.join(dir, rel);
      if (!full.startsWith(dir) || !fs.existsSync(full))
        throw new HttpError(500, `stat ${full}: no such file or directory`);
      return this.json(
        res,
        fs
          .readdirSync(full)
          .sort()
          .map(n => {
            const st = fs.statSync(path.join(full, n));
            return {
              FileMode: st.isDirectory() ? 'drwxr-xr-x' : '-rw-r--r--',
              IsDir: st.isDirectory(),
              ModTime: st.mtime.toISOString(),
              Name: n,
              Size: st.size,
            };
          }),
      );
    }
    if (kind === 'cat') {
      const rel = (url.searchParams.get('path') ?? '').replace(/^\/+/, '');
      const full = path.join(dir, rel);
      if (!full.startsWith(dir) || !fs.existsSync(full))
        throw new HttpError(500, `stat ${full}: no such file or directory`);
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(fs.readFileSync(full));
      return;
    }
    if (kind === 'stat') throw new HttpError(404, 'not implemented by the double');
    const task = url.searchParams.get('task') ?? '';
    const type = url.searchParams.get('type') ?? '';
    const origin = url.searchParams.get('origin') || 'start';
    if (!task) throw new HttpError(400, 'must provide task name');
    if (type !== 'stdout' && type !== 'stderr') throw new HttpError(400, 'must provide log type (stdout/stderr)');
    if (origin !== 'start' && origin !== 'end') throw new HttpError(400, 'origin must be start or end');
    const st = a.TaskStates?.[task];
    if (!a.Job.TaskGroups.find((g: any) => g.Name === a.TaskGroup)?.Tasks.some((t: any) => t.Name === task))
      throw new HttpError(400, `unknown task name "${task}"`);
    if (!st || !st.StartedAt) throw new HttpError(404, `task "${task}" not started yet. No logs available`);
    const logDir = path.join(dir, 'alloc', 'logs');
    if (!logIndexes(logDir, `${task}.${type}`).length)
      throw new HttpError(404, `log entry for task "${task}" and log type "${type}" not found`);
    const plain = url.searchParams.get('plain') === 'true';
    res.writeHead(200, { 'Content-Type': plain ? 'text/plain; charset=utf-8' : 'application/json' });
    res.flushHeaders();
    await streamLogs(res, {
      dir: logDir,
      task,
      type,
      follow: url.searchParams.get('follow') === 'true',
      plain,
      origin,
      offset: Number(url.searchParams.get('offset') ?? 0),
      heartbeatMs: this.opts.logHeartbeatMs ?? 1000,
    });
  }

  // ---------------------------------------------------------------- event stream

  private async eventStream(req: http.IncomingMessage, res: http.ServerResponse, url: URL, ns: string) {
    const topics = url.searchParams.getAll('topic');
    const filters: Array<{ topic: string; key: string }> = (topics.length ? topics : ['*']).map(t => {
      const [topic, k] = t.split(':');
      return { topic, key: k ?? '*' };
    });
    const known = new Set([
      '*',
      'Job',
      'Allocation',
      'Deployment',
      'Evaluation',
      'Node',
      'Service',
      'NodePool',
      'ACLToken',
      'ACLPolicy',
      'ACLRole',
      'Operator',
    ]);
    for (const f of filters) if (!known.has(f.topic)) throw new HttpError(400, `Invalid topic value: ${f.topic}`);
    const from = Number(url.searchParams.get('index') ?? 0);
    const match = (e: EventRec) =>
      (ns === '*' || e.Namespace === ns || e.Namespace === '') &&
      filters.some(
        f =>
          (f.topic === '*' || f.topic === e.Topic) &&
          (f.key === '*' || f.key === e.Key || (e.FilterKeys ?? []).includes(f.key)),
      );
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    let closed = false;
    const send = (evs: EventRec[]) => {
      if (closed) return;
      const mine = evs.filter(match);
      const byIndex = new Map<number, EventRec[]>();
      for (const e of mine) (byIndex.get(e.Index) ?? byIndex.set(e.Index, []).get(e.Index)!).push(e);
      for (const [i, list] of byIndex) res.write(JSON.stringify({ Events: list, Index: i }) + '\n');
    };
    if (from > 0) send(this.events.filter(e => e.Index >= from));
    this.eventSubs.add(send);
    const hb = setInterval(() => {
      if (!closed) res.write('{}\n');
    }, this.opts.eventHeartbeatMs ?? 10_000);
    await new Promise<void>(r => {
      res.on('close', () => r());
      req.on('close', () => r());
    });
    closed = true;
    clearInterval(hb);
    this.eventSubs.delete(send);
  }

  // ---------------------------------------------------------------- shapes

  private findAlloc(id: string): any {
    const a = this.allocs.get(id);
    if (a) return a;
    if (id.length !== 36) throw new HttpError(500, 'alloc lookup failed: index error: UUID must be 36 characters');
    throw new HttpError(404, 'alloc not found');
  }

  private refreshJobStatus(k: string) {
    const j = this.jobs.get(k);
    if (!j) return;
    const allocs = [...this.allocs.values()].filter(a => key(a.Namespace, a.JobID) === k);
    let status: string;
    if (j.Periodic || j.ParameterizedJob) status = j.Stop ? 'dead' : 'running';
    else if (allocs.some(a => !terminal(a) && (a.ClientStatus === 'running' || a.ClientStatus === 'pending')))
      status = 'running';
    else if (j.Stop || (allocs.length > 0 && allocs.every(terminal))) status = 'dead';
    else status = 'pending';
    if (status !== j.Status) {
      j.Status = status;
      j.ModifyIndex = this.write('jobs');
      this.publish([
        {
          Topic: 'Job',
          Type: 'JobStatusUpdated',
          Key: j.ID,
          Namespace: j.Namespace,
          FilterKeys: null,
          Payload: { Job: this.jobOut(j) },
        },
      ]);
    }
  }

  private jobOut(j: any) {
    const { ...out } = j;
    return out;
  }

  private summary(j: any) {
    const s: Record<string, any> = {};
    for (const g of j.TaskGroups)
      s[g.Name] = { Complete: 0, Failed: 0, Lost: 0, Queued: 0, Running: 0, Starting: 0, Unknown: 0 };
    for (const a of this.allocs.values()) {
      if (a.Namespace !== j.Namespace || a.JobID !== j.ID) continue;
      const t = (s[a.TaskGroup] ??= {
        Complete: 0,
        Failed: 0,
        Lost: 0,
        Queued: 0,
        Running: 0,
        Starting: 0,
        Unknown: 0,
      });
      if (a.ClientStatus === 'running') t.Running++;
      else if (a.ClientStatus === 'pending') t.Starting++;
      else if (a.ClientStatus === 'complete') t.Complete++;
      else if (a.ClientStatus === 'failed') t.Failed++;
      else if (a.ClientStatus === 'lost') t.Lost++;
    }
    const children = { Dead: 0, Pending: 0, Running: 0 };
    for (const c of this.jobs.values())
      if (c.ParentID === j.ID && c.Namespace === j.Namespace) {
        if (c.Status === 'dead') children.Dead++;
        else if (c.Status === 'running') children.Running++;
        else children.Pending++;
      }
    return {
      Children: children,
      CreateIndex: j.CreateIndex,
      JobID: j.ID,
      ModifyIndex: this.tableIndex(['job_summary']),
      Namespace: j.Namespace,
      Summary: s,
    };
  }

  private jobStub(j: any, meta: boolean) {
    const stub: any = {
      CreateIndex: j.CreateIndex,
      Datacenters: j.Datacenters,
      ID: j.ID,
      JobModifyIndex: j.JobModifyIndex,
      JobSummary: this.summary(j),
      ModifyIndex: j.ModifyIndex,
      Multiregion: null,
      Name: j.Name,
      Namespace: j.Namespace,
      NodePool: j.NodePool,
      ParameterizedJob: !!j.ParameterizedJob,
      ParentID: j.ParentID,
      Periodic: !!j.Periodic,
      Priority: j.Priority,
      Status: j.Status,
      StatusDescription: j.StatusDescription,
      Stop: j.Stop,
      SubmitTime: j.SubmitTime,
      Type: j.Type,
    };
    if (meta) stub.Meta = j.Meta;
    return stub;
  }

  /** An allocation as GET /v1/allocation/:id answers it: Nomad's Allocation struct has no JobVersion (only
   *  list stubs carry it; the full allocation states its version through Job.Version). */
  private allocFull(a: any) {
    const { _ports, _deadline, _purged, _lost, JobVersion: _version, ...out } = a;
    void _ports;
    void _deadline;
    void _purged;
    void _lost;
    void _version;
    return out;
  }

  /** An allocation as Nomad publishes it on the event stream: without its job (events.go sets Job to nil),
   *  so without a job version either (only list stubs carry JobVersion). */
  private allocEvent(a: any) {
    const { Job: _job, ...out } = this.allocFull(a);
    void _job;
    return out;
  }

  private allocStub(a: any) {
    return {
      AllocatedResources: null,
      ClientDescription: a.ClientDescription,
      ClientStatus: a.ClientStatus,
      CreateIndex: a.CreateIndex,
      CreateTime: a.CreateTime,
      DeploymentStatus: a.DeploymentStatus,
      DesiredDescription: a.DesiredDescription,
      DesiredStatus: a.DesiredStatus,
      DesiredTransition: a.DesiredTransition,
      EvalID: a.EvalID,
      FollowupEvalID: a.FollowupEvalID,
      ID: a.ID,
      JobID: a.JobID,
      JobType: a.JobType,
      JobVersion: a.JobVersion,
      ModifyIndex: a.ModifyIndex,
      ModifyTime: a.ModifyTime,
      Name: a.Name,
      Namespace: a.Namespace,
      NextAllocation: a.NextAllocation,
      NodeID: a.NodeID,
      NodeName: a.NodeName,
      PreemptedAllocations: null,
      PreemptedByAllocation: '',
      RescheduleTracker: a.RescheduleTracker,
      TaskGroup: a.TaskGroup,
      TaskStates: a.TaskStates,
    };
  }

  private scaleStatus(j: any) {
    const evs = this.scaleEvents.get(key(j.Namespace, j.ID)) ?? {};
    const tgs: Record<string, any> = {};
    for (const g of j.TaskGroups) {
      const allocs = [...this.allocs.values()].filter(
        a => a.Namespace === j.Namespace && a.JobID === j.ID && a.TaskGroup === g.Name && a.DesiredStatus === 'run',
      );
      tgs[g.Name] = {
        Desired: g.Count,
        Events: evs[g.Name] ?? null,
        Healthy: allocs.filter(a => a.DeploymentStatus?.Healthy === true).length,
        Placed: allocs.length,
        Running: allocs.filter(a => a.ClientStatus === 'running').length,
        Unhealthy: allocs.filter(a => a.DeploymentStatus?.Healthy === false).length,
      };
    }
    return {
      JobCreateIndex: j.CreateIndex,
      JobID: j.ID,
      JobModifyIndex: j.JobModifyIndex,
      JobStopped: j.Stop,
      Namespace: j.Namespace,
      TaskGroups: tgs,
    };
  }

  // ---------------------------------------------------------------- nodes

  private publishNode(n: DoubleNode, type: string) {
    this.publish([
      { Topic: 'Node', Type: type, Key: n.ID, Namespace: '', FilterKeys: null, Payload: { Node: this.nodeStub(n) } },
    ]);
  }

  private node(name: string): DoubleNode {
    const n = this.nodeList.find(x => x.Name === name || x.ID === name);
    if (!n) throw new Error(`the double has no node ${name} (it has ${this.nodeList.map(x => x.Name).join(', ')})`);
    return n;
  }

  /** Where a new allocation may go: ready, eligible (not draining) nodes. */
  private candidates(): DoubleNode[] {
    return this.nodeList.filter(n => n.status === 'ready' && n.state.eligible() && !n.state.draining());
  }

  /** Nomad's job anti-affinity, as it plays out here: the candidate with the fewest live allocations of
   *  the same job and group, then the fewest live allocations, then the first. (Never called for a group
   *  infeasible() refused: there is a candidate.) */
  private pickNode(job: any, g: any): DoubleNode {
    const live = [...this.allocs.values()].filter(a => a.DesiredStatus === 'run' && !terminal(a));
    const score = (n: DoubleNode) => [
      live.filter(
        a => a.NodeID === n.ID && a.Namespace === job.Namespace && a.JobID === job.ID && a.TaskGroup === g.Name,
      ).length,
      live.filter(a => a.NodeID === n.ID).length,
    ];
    const c = this.candidates();
    let best = c[0] ?? this.nodeList[0]!;
    for (const n of c.slice(1)) {
      const [x1, y1] = score(n),
        [x0, y0] = score(best);
      if (x1! < x0! || (x1 === x0 && y1! < y0!)) best = n;
    }
    return best;
  }

  /** Marked for migration by a drain, and its node is still draining. */
  private migrating(a: any): boolean {
    return a.DesiredTransition?.Migrate === true && !!this.nodeList.find(n => n.ID === a.NodeID)?.state.draining();
  }

  /** A node's drain or eligibility changed, or it came back: the drainer runs, and every job is
   *  reconciled (a placement that found no node may fit now). */
  private nodesChanged() {
    if (this.closing) return;
    this.runDrainer();
    for (const [k, job] of this.jobs)
      if (!job.Periodic && !job.ParameterizedJob && !job.Stop) this.soon(5, () => this.reconcile(k));
    if (this.nodeList.some(n => n.state.draining()) && !this.drainTimer) {
      this.drainTimer = setInterval(() => this.runDrainer(), 100);
      this.drainTimer.unref?.();
    }
  }

  /** Nomad's drainer, per draining node: of each job's group on it, as many allocations are marked for
   *  migration (DesiredTransition.Migrate) as the group's migrate max_parallel allows while the rest stay
   *  healthy (all at once past the force deadline); the scheduler then stops and replaces them. When
   *  nothing meant to run is left on the node, the drain is complete. */
  private runDrainer() {
    if (this.closing) return;
    let active = false;
    for (const n of this.nodeList) {
      const s = n.state.strategy();
      if (!s) continue;
      const onNode = [...this.allocs.values()].filter(
        a =>
          a.NodeID === n.ID &&
          a.DesiredStatus === 'run' &&
          !terminal(a) &&
          !(s.IgnoreSystemJobs && a.JobType === 'system'),
      );
      if (!onNode.length) {
        n.state.complete();
        n.state.event('Node drain complete', 'Drain', this.write('nodes'));
        this.publishNode(n, 'NodeDrain');
        continue;
      }
      active = true;
      const force = s.Deadline < 0 || (s.Deadline > 0 && Date.now() >= Date.parse(s.ForceDeadline));
      const groups = new Map<string, any[]>();
      for (const a of onNode) {
        if (a.DesiredTransition?.Migrate) continue;
        const k = `${key(a.Namespace, a.JobID)}\u0000${a.TaskGroup}`;
        groups.set(k, [...(groups.get(k) ?? []), a]);
      }
      const touched = new Set<string>();
      for (const drainable of groups.values()) {
        const a0 = drainable[0]!;
        let take = drainable.length;
        if (!force) {
          const job = this.jobs.get(key(a0.Namespace, a0.JobID)) ?? a0.Job;
          const g = job.TaskGroups.find((x: any) => x.Name === a0.TaskGroup) ?? {};
          // healthy from a migration's standpoint: running with its deployment health set (or no deployment)
          const healthy = [...this.allocs.values()].filter(
            a =>
              a.Namespace === a0.Namespace &&
              a.JobID === a0.JobID &&
              a.TaskGroup === a0.TaskGroup &&
              a.DesiredStatus === 'run' &&
              !terminal(a) &&
              (a.DeploymentStatus?.Healthy != null || (!a.DeploymentID && a.ClientStatus === 'running')),
          ).length;
          take = Math.min(drainable.length, healthy - ((g.Count ?? 1) - (g.Migrate?.MaxParallel ?? 1)));
        }
        for (const a of drainable.slice(0, Math.max(0, take))) {
          a.DesiredTransition = { ...a.DesiredTransition, Migrate: true };
          const i = this.write('allocs');
          a.ModifyIndex = i;
          a.ModifyTime = nowNs();
          this.publish([
            {
              Topic: 'Allocation',
              Type: 'AllocationUpdateDesiredStatus',
              Key: a.ID,
              Namespace: a.Namespace,
              FilterKeys: [a.JobID, a.DeploymentID],
              Payload: { Allocation: this.allocEvent(a) },
            },
          ]);
          touched.add(key(a.Namespace, a.JobID));
        }
      }
      for (const k of touched) {
        const job = this.jobs.get(k);
        if (job) {
          const e = this.createEval(job, 'node-drain');
          this.soon(5, () => this.reconcile(k, e));
        }
      }
    }
    if (!active && this.drainTimer) {
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
    }
  }

  /** Test hook: the node stops answering, as a client whose agent died does once its heartbeat TTL has
   *  passed on a real cluster. It is `down`; its allocations are `lost` (DesiredStatus stop, ClientStatus
   *  lost) and replaced on a ready node, whatever the group's reschedule policy (Nomad replaces lost
   *  allocations). Their tasks keep running out of sight until the node is back, and what they registered in
   *  Consul stays there (no client is left to remove it; Nomad 1.6.5's server deletes only its own catalog's
   *  services of the node). */
  nodeDown(name: string): void {
    const n = this.node(name);
    if (n.status === 'down') return;
    n.status = 'down';
    n.state.event('Node heartbeat missed', 'Cluster', this.write('nodes'));
    this.publishNode(n, 'NodeStreamEvent');
    const touched = new Set<string>();
    for (const a of this.allocs.values()) {
      if (a.NodeID !== n.ID || a.DesiredStatus !== 'run' || terminal(a)) continue;
      a._lost = true;
      a.DesiredStatus = 'stop';
      a.DesiredDescription = 'alloc is lost since its node is down';
      a.ClientStatus = 'lost';
      const i = this.write('allocs', 'job_summary');
      a.ModifyIndex = i;
      a.AllocModifyIndex = i;
      a.ModifyTime = nowNs();
      this.deregisterServices(a, { consul: false });
      this.publish([
        {
          Topic: 'Allocation',
          Type: 'PlanResult',
          Key: a.ID,
          Namespace: a.Namespace,
          FilterKeys: [a.JobID, a.DeploymentID],
          Payload: { Allocation: this.allocEvent(a) },
        },
      ]);
      touched.add(key(a.Namespace, a.JobID));
    }
    for (const k of touched) {
      this.refreshJobStatus(k);
      const job = this.jobs.get(k);
      if (job) {
        const e = this.createEval(job, 'node-update');
        this.soon(5, () => this.reconcile(k, e));
      }
    }
  }

  /** Test hook: what a node reports changes (its agent restarted with another configuration, a driver's
   *  health moved): the node's ModifyIndex moves, blocking queries on nodes wake, a NodeRegistration event. */
  setNodeFacts(name: string, facts: Partial<DoubleNodeFacts>): void {
    const n = this.node(name);
    n.facts = { ...n.facts, ...facts };
    n.ModifyIndex = this.write('nodes');
    this.publishNode(n, 'NodeRegistration');
  }

  /** GET/POST /v1/client/metadata (Nomad 1.5+ dynamic node metadata): `node_id` names the node (default: the
   *  first); a POST's Meta sets keys, a null value removes one. Answers {Meta, Dynamic, Static}. */
  private async nodeMeta(req: http.IncomingMessage, res: http.ServerResponse, url: URL, m: string): Promise<void> {
    const id = url.searchParams.get('node_id');
    const n = id ? this.nodeList.find(x => x.ID === id) : this.nodeList[0];
    if (!n) throw new HttpError(400, 'Unknown node');
    const dyn = n as DoubleNode & { dynamicMeta?: Record<string, string | null> };
    dyn.dynamicMeta ??= {};
    if (m === 'POST' || m === 'PUT') {
      const b = await this.body(req);
      const meta = (b?.Meta ?? {}) as Record<string, string | null>;
      for (const [k, v] of Object.entries(meta)) dyn.dynamicMeta[k] = v;
      const merged = { ...n.facts.meta, ...meta };
      n.facts = {
        ...n.facts,
        meta: Object.fromEntries(
          Object.entries(merged)
            .filter((e): e is [string, string] => e[1] !== null)
            .map(([k, v]) => [k, String(v)]),
        ),
      };
      n.ModifyIndex = this.write('nodes');
      this.publishNode(n, 'NodeRegistration');
    } else if (m !== 'GET') throw new HttpError(405, 'Invalid method');
    return this.json(res, { Meta: { ...n.facts.meta }, Dynamic: { ...dyn.dynamicMeta }, Static: {} });
  }

  /** Test hook: the node's agent is back. It is ready again; the lost allocations it still ran are
   *  stopped there (ClientStatus complete, as the client reports them once the server has stopped them). */
  nodeUp(name: string): void {
    const n = this.node(name);
    if (n.status === 'ready') return;
    n.status = 'ready';
    n.state.event('Node reregistered by heartbeat', 'Cluster', this.write('nodes'));
    this.publishNode(n, 'NodeStreamEvent');
    for (const a of this.allocs.values()) {
      if (a.NodeID !== n.ID || !a._lost) continue;
      const runner = this.runners.get(a.ID);
      const reap = () => {
        if (this.closing) return;
        if (runner) a.TaskStates = structuredClone(runner.states);
        delete a._lost;
        this.deregisterServices(a);
        a.ClientStatus = 'complete';
        a.ClientDescription = 'All tasks have completed';
        a.ModifyIndex = this.write('allocs', 'job_summary');
        a.ModifyTime = nowNs();
        for (const p of Object.values((a._ports ?? {}) as Record<string, number>)) this.usedPorts.delete(p);
        this.publish([
          {
            Topic: 'Allocation',
            Type: 'AllocationUpdated',
            Key: a.ID,
            Namespace: a.Namespace,
            FilterKeys: [a.JobID, a.DeploymentID],
            Payload: { Allocation: this.allocEvent(a) },
          },
        ]);
        this.refreshJobStatus(key(a.Namespace, a.JobID));
      };
      if (runner) void runner.stop().then(reap);
      else reap();
    }
    this.nodesChanged();
  }

  private attributes(n: DoubleNode = this.nodeList[0]!): Record<string, string> {
    const a: Record<string, string> = {
      'kernel.name': process.platform,
      'os.name': process.platform === 'linux' ? 'linux' : process.platform,
      'cpu.arch': process.arch === 'x64' ? 'amd64' : process.arch,
      'nomad.version': VERSION,
      'nomad.service_discovery': 'true',
      'nomad.advertise.address': `${n.Address}:4646`,
      'driver.raw_exec': '1',
      'driver.exec': '1',
      'driver.mock': 'true',
      // every client of the tutorial's cluster runs on this machine and fingerprints its loopback interface
      // (network_interface = "lo"): the hostname and the network address are this machine's, as 1.6.5 reports
      'unique.hostname': os.hostname(),
      'unique.network.ip-address': '127.0.0.1',
    };
    if (this.opts.consul) {
      a['consul.version'] = '1.16.0';
      a['consul.datacenter'] = 'dc1';
    }
    if (this.opts.docker) {
      a['driver.docker'] = '1';
      a['driver.docker.version'] = this.opts.dockerVersion ?? '';
      a['driver.docker.os_type'] = 'linux';
    }
    for (const [d, healthy] of Object.entries(n.facts.drivers)) if (healthy) a[`driver.${d}`] = '1';
    Object.assign(a, n.facts.attributes);
    return a;
  }

  private nodeStub(n: DoubleNode = this.nodeList[0]!, resources = false) {
    const f = n.facts;
    const extra = Object.fromEntries(
      Object.entries(f.drivers).map(([d, healthy]) => [
        d,
        {
          Attributes: healthy ? { [`driver.${d}`]: 'true' } : {},
          Detected: true,
          HealthDescription: healthy ? 'Healthy' : 'Unhealthy',
          Healthy: healthy,
          UpdateTime: iso(),
        },
      ]),
    );
    return {
      Address: n.Address,
      CreateIndex: n.CreateIndex,
      Datacenter: f.datacenter,
      Drain: false,
      Drivers: {
        mock_driver: {
          Attributes: { 'driver.mock': 'true' },
          Detected: true,
          HealthDescription: 'Healthy',
          Healthy: true,
          UpdateTime: iso(),
        },
        raw_exec: {
          Attributes: { 'driver.raw_exec': 'true' },
          Detected: true,
          HealthDescription: 'Healthy',
          Healthy: true,
          UpdateTime: iso(),
        },
        exec: {
          Attributes: { 'driver.exec': 'true' },
          Detected: true,
          HealthDescription: 'Healthy',
          Healthy: true,
          UpdateTime: iso(),
        },
        ...(this.opts.docker
          ? {
              docker: {
                Attributes: {
                  driver: 'docker',
                  'driver.docker': 'true',
                  'driver.docker.version': this.opts.dockerVersion ?? '',
                  'driver.docker.os_type': 'linux',
                },
                Detected: true,
                HealthDescription: 'Healthy',
                Healthy: true,
                UpdateTime: iso(),
              },
            }
          : {}),
        ...extra,
      },
      HostVolumes: Object.fromEntries(
        Object.entries(f.hostVolumes).map(([Name, ReadOnly]) => [Name, { Name, Path: `/srv/${Name}`, ReadOnly }]),
      ),
      ID: n.ID,
      LastDrain: null,
      ModifyIndex: n.ModifyIndex,
      Name: n.Name,
      NodeClass: f.nodeClass,
      NodePool: f.nodePool,
      // the list carries resources only with ?resources=true (structs.NodeStubFields), the node always
      ...(resources
        ? {
            NodeResources: {
              Cpu: { CpuShares: f.cpuMHz, TotalCpuCores: 4, ReservableCpuCores: [0, 1, 2, 3] },
              Memory: { MemoryMB: f.memoryMB },
              Disk: { DiskMB: f.diskMB },
              Networks: null,
              NodeNetworks: null,
              Devices: null,
              MinDynamicPort: 20000,
              MaxDynamicPort: 32000,
            },
            ReservedResources: {
              Cpu: { CpuShares: f.reserved.cpuMHz, ReservedCpuCores: null },
              Memory: { MemoryMB: f.reserved.memoryMB },
              Disk: { DiskMB: f.reserved.diskMB },
              Networks: { ReservedHostPorts: '' },
            },
          }
        : {}),
      SchedulingEligibility: 'eligible',
      Status: n.status,
      StatusDescription: '',
      Version: VERSION,
      ...n.state.fields(),
    };
  }

  private agentSelf() {
    return {
      config: {
        Version: { Revision: 'double', Version: VERSION, VersionMetadata: '', VersionPrerelease: '' },
        Region: 'global',
        Datacenter: 'dc1',
        NodeName: this.nodeName,
        ACL: { Enabled: !!this.opts.acl },
      },
      member: {
        Addr: '127.0.0.1',
        DelegateCur: 4,
        DelegateMax: 5,
        DelegateMin: 2,
        Name: `${this.nodeName}.global`,
        Port: 4648,
        ProtocolCur: 2,
        ProtocolMax: 5,
        ProtocolMin: 1,
        Status: 'alive',
        Tags: { region: 'global', dc: 'dc1', role: 'nomad', build: VERSION, bootstrap: '1' },
      },
      stats: {},
    };
  }
}

// ---------------------------------------------------------------- helpers

const key = (ns: string, id: string) => `${ns}/${id}`;
const bearer = (h?: string) => (h && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '') : undefined);
const allocIndex = (a: any) => Number(/\[(\d+)\]$/.exec(a.Name)?.[1] ?? 0);
const terminal = (a: any) => a.ClientStatus === 'complete' || a.ClientStatus === 'failed' || a.ClientStatus === 'lost';

function clientStatus(r: AllocRunner, job: any): string {
  const states = Object.values(r.states);
  if (states.every(s => s.State === 'dead')) return states.some(s => s.Failed) ? 'failed' : 'complete';
  if (states.some(s => s.State === 'running')) return 'running';
  void job;
  return 'pending';
}

const STATE_FIELDS = [
  'Version',
  'Stable',
  'Status',
  'StatusDescription',
  'SubmitTime',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
];
function stripState(j: any) {
  const o = structuredClone(j);
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- server-side state fields must be absent, not undefined
  for (const f of STATE_FIELDS) delete o[f];
  return o;
}
function sameSpec(a: any, b: any) {
  const x = stripState(a),
    y = stripState(b);
  return JSON.stringify(sortDeep(x)) === JSON.stringify(sortDeep(y));
}
function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, sortDeep(v[k])]),
    );
  return v;
}

/** Where Go's ServeMux redirects a request path (decoded, then cleaned as path.Clean does, a trailing
 *  slash kept), or undefined when the cleaned path is the same. */
export function goCleanRedirect(rawUrl: string): string | undefined {
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  let p: string;
  try {
    p = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (p === '') p = '/';
  if (!p.startsWith('/')) p = `/${p}`;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      out.pop();
      continue;
    }
    out.push(part);
  }
  let clean = `/${out.join('/')}`;
  if (p.endsWith('/') && clean !== '/') clean += '/';
  if (clean === p) return undefined;
  return (
    clean
      .split('/')
      .map(s => encodeURIComponent(s))
      .join('/') + (q < 0 ? '' : rawUrl.slice(q))
  );
}

/** What /v1/jobs/parse returns with Canonicalize true: the API's defaults (not the server's). */
function canonicalizeApi(job: any) {
  const j = canonicalizeJob(job);
  if (!job.NodePool) j.NodePool = '';
  return j;
}

function multiError(errs: string[]) {
  return `${errs.length} error${errs.length > 1 ? 's' : ''} occurred:\n${errs.map(e => `\t* ${e}`).join('\n')}\n\n`;
}

const CONSTRAINT_OPERANDS = new Set([
  '=',
  '==',
  'is',
  '!=',
  'not',
  '<',
  '<=',
  '>',
  '>=',
  'distinct_hosts',
  'distinct_property',
  'regexp',
  'version',
  'semver',
  'set_contains',
  'set_contains_all',
  'set_contains_any',
  'is_set',
  'is_not_set',
]);

function validate(j: any): string[] {
  const errs: string[] = [];
  if (!j.ID) errs.push('Missing job ID');
  else if (/\s/.test(j.ID)) errs.push('Job ID contains a space');
  if (!['service', 'batch', 'system', 'sysbatch'].includes(j.Type))
    errs.push(`Invalid job type: ${JSON.stringify(j.Type)}`);
  if (!j.TaskGroups || !j.TaskGroups.length) errs.push('Missing job task groups');
  const constraintErrors = (cs: any[] | null | undefined, out: string[]) =>
    (cs ?? []).forEach((c: any, i: number) => {
      if (!CONSTRAINT_OPERANDS.has(c.Operand ?? '='))
        out.push(
          `Constraint ${i + 1} validation failed: ${multiError([`Unknown constraint type ${JSON.stringify(c.Operand)}`])}`,
        );
    });
  const jobCs: string[] = [];
  constraintErrors(j.Constraints, jobCs);
  errs.push(...jobCs);
  for (const g of j.TaskGroups ?? []) {
    const ge: string[] = [];
    if (g.Count < 0) ge.push("Task group count can't be negative");
    if (!g.Tasks?.length) ge.push('Missing tasks for task group');
    constraintErrors(g.Constraints, ge);
    for (const t of g.Tasks ?? []) {
      const te: string[] = [];
      if (!t.Driver) te.push('Missing task driver');
      // the agent nests resource errors two multierrors deep (as captured from Nomad 1.6.5)
      const re: string[] = [];
      if (t.Resources && typeof t.Resources.CPU === 'number' && t.Resources.CPU < 1 && !t.Resources.Cores)
        re.push(`minimum CPU value is 1; got ${t.Resources.CPU}`);
      if (t.Resources && typeof t.Resources.MemoryMB === 'number' && t.Resources.MemoryMB < 10)
        re.push(`minimum MemoryMB value is 10; got ${t.Resources.MemoryMB}`);
      if (re.length) te.push(multiError([multiError(re)]));
      constraintErrors(t.Constraints, te);
      if (te.length) ge.push(`Task ${t.Name} validation failed: ${multiError(te)}`);
    }
    if (ge.length) errs.push(`Task group ${g.Name} validation failed: ${multiError(ge)}`);
  }
  return errs;
}

function warningsFor(j: any): string {
  const w: string[] = [];
  for (const g of j.TaskGroups ?? []) {
    const tw: string[] = [];
    for (const t of g.Tasks ?? [])
      if (t.Resources?.Networks?.length)
        tw.push(
          `Task "${t.Name}": task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.`,
        );
    if (tw.length) w.push(`Group "${g.Name}" has warnings: 1 error occurred:\n\t* ${multiError(tw)}`);
  }
  // Nomad merges the warnings as helper.MergeMultierrorWarnings formats them: "1 warning:" (or "N warnings:"),
  // then each one trimmed on a line of its own after "* " (not the "N error(s) occurred:" of an error)
  return w.length
    ? `${w.length === 1 ? '1 warning' : `${w.length} warnings`}:\n${w.map(x => `\n* ${x.trim()}`).join('')}`
    : '';
}

function constraintHolds(c: any, attrs: Record<string, string>): boolean {
  const resolve = (s: string | undefined) => {
    if (!s) return undefined;
    const m = /^\$\{(attr|node|meta)\.(.+)\}$/.exec(s);
    if (!m) return s;
    if (m[1] === 'attr') return attrs[m[2]];
    if (m[1] === 'node')
      return (
        { datacenter: 'dc1', class: '', 'unique.name': attrs['unique.hostname'], pool: 'default' } as Record<
          string,
          string
        >
      )[m[2]];
    return undefined;
  };
  const l = resolve(c.LTarget),
    r = resolve(c.RTarget);
  switch (c.Operand) {
    case '=':
    case '==':
    case 'is':
      return l !== undefined && l === r;
    case '!=':
    case 'not':
      return l !== r;
    case 'regexp':
      return l !== undefined && new RegExp(r ?? '').test(l);
    case 'is_set':
      return l !== undefined;
    case 'is_not_set':
      return l === undefined;
    case 'semver':
    case 'version':
      return l !== undefined && semverOk(l, r ?? '');
    case 'set_contains':
    case 'set_contains_all':
      return (
        l !== undefined &&
        (r ?? '').split(',').every(x =>
          l
            .split(',')
            .map(s => s.trim())
            .includes(x.trim()),
        )
      );
    case 'set_contains_any':
      return (
        l !== undefined &&
        (r ?? '').split(',').some(x =>
          l
            .split(',')
            .map(s => s.trim())
            .includes(x.trim()),
        )
      );
    default:
      return true; // distinct_hosts, distinct_property, … hold on a one-node cluster
  }
}

function semverOk(v: string, spec: string): boolean {
  const num = (s: string) =>
    s
      .replace(/^v/, '')
      .split(/[.-]/)
      .slice(0, 3)
      .map(x => Number(x) || 0);
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  return spec.split(',').every(part => {
    const m = /^\s*(>=|<=|>|<|=|!=|~>)?\s*(\S+)\s*$/.exec(part);
    if (!m) return true;
    const c = cmp(num(v), num(m[2]));
    switch (m[1] ?? '=') {
      case '>=':
        return c >= 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '<':
        return c < 0;
      case '!=':
        return c !== 0;
      case '~>':
        return c >= 0;
      default:
        return c === 0;
    }
  });
}

export { durationNs };
