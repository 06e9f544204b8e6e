// The cluster model: what the token may see of the cluster, kept current with blocking queries, handed
// out as a ClusterSnapshot (src/shared/clusterSnapshot.ts). Pure: no `vscode` import.
//
// One BlockingWatcher per part (nodes, node pools, namespaces, CSI volumes, Variables, services): each asks
// again only when its index moved (or its wait ran out), so an idle cluster costs a handful of long polls
// and nothing else. When the node list moves, only the nodes whose ModifyIndex changed are read again
// (GET /v1/node/:id, for attributes and meta); a Variable is read again (for its item keys) only when its
// ModifyIndex changed. A node's object is replaced only when it is read again, so consecutive snapshots
// share the unchanged nodes (the delta to the server compares them by identity first). A part the token may not read (403) is left out of the snapshot, not an error;
// when no part can be read, or the cluster cannot be reached before the first answer, the snapshot is null.
import { systemClock, type Clock, type Random } from '../backoff';
import { BlockingWatcher } from '../watch';
import { isNomadError } from '../errors';
import { pathSegment } from '../display';
import type { QueryOptions, QueryResult } from '../client';
import type { Query } from '../transport';
import type { ClusterSnapshot, SnapshotNode, SnapshotVariable } from '../../shared/clusterSnapshot';
import { csiVolumesFrom, namesOf, nodeFrom, servicesFrom, variableKeysFrom, variableMetasFrom } from './read';

/** The part of NomadClient the model uses (a test may count or script it). */
export interface ModelClient {
  get<T>(path: string, o?: QueryOptions, extra?: Query): Promise<QueryResult<T>>;
}

export interface ClusterFactsOptions {
  client: ModelClient;
  /** the cluster's name as the user knows it (the label of every finding) */
  cluster: string;
  region?: string;
  random: Random;
  clock?: Clock;
  /** wait per blocking query, ms (default 5 minutes) */
  waitMs?: number;
  /** a new snapshot (or null: none) */
  onSnapshot: (snapshot: ClusterSnapshot | null) => void;
  onError?: (part: string, err: unknown) => void;
  /** requests for node details at once (default 8) */
  concurrency?: number;
}

type Part = 'nodes' | 'nodePools' | 'namespaces' | 'csiVolumes' | 'variables' | 'services';
const PARTS: readonly Part[] = ['nodes', 'nodePools', 'namespaces', 'csiVolumes', 'variables', 'services'];

type PartState = 'pending' | 'ok' | 'forbidden' | 'failed';

const forbidden = (e: unknown): boolean => isNomadError(e) && (e.kind === 'unauthorized' || e.status === 403);
/** 404 on an endpoint: an agent without it (e.g. node pools before 1.6): that part is absent too. */
const missing = (e: unknown): boolean => isNomadError(e) && e.kind === 'notFound';

export class ClusterFactsReader {
  private readonly clock: Clock;
  private readonly watchers: BlockingWatcher<unknown>[] = [];
  private readonly state = new Map<Part, PartState>(PARTS.map(p => [p, 'pending']));
  private readonly nodes = new Map<string, { modifyIndex: number; node: SnapshotNode }>();
  private readonly vars = new Map<string, { modifyIndex: number; v: SnapshotVariable }>();
  private nodePools: string[] | undefined;
  private namespaces: string[] | undefined;
  private csi: ClusterSnapshot['csiVolumes'];
  private services: ClusterSnapshot['services'];
  private readAt = 0;
  private disposed = false;
  private last: ClusterSnapshot | null | undefined;
  /** bumps on every change: a node read that finishes after a newer list does not overwrite it */
  private nodesGeneration = 0;
  private varsGeneration = 0;

  constructor(private readonly o: ClusterFactsOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** Starts every watcher; resolves once each part has answered (or failed) once. */
  start(): Promise<void> {
    const firsts: Promise<void>[] = [];
    for (const part of PARTS) {
      let settle!: () => void;
      firsts.push(
        new Promise<void>(r => {
          settle = r;
        }),
      );
      const w = new BlockingWatcher<unknown>(
        ({ index, wait, signal }) => this.fetch(part, index, wait, signal),
        body => {
          void this.apply(part, body).then(
            () => {
              this.state.set(part, 'ok');
              settle();
              this.emit();
            },
            e => {
              this.o.onError?.(part, e);
              settle();
            },
          );
        },
        {
          random: this.o.random,
          clock: this.clock,
          waitMs: this.o.waitMs ?? 5 * 60_000,
          // a 403 or a 404 is an answer about the token or the agent: that part is absent, and not asked again
          shouldRetry: e => !(forbidden(e) || missing(e)) && (!isNomadError(e) || e.retryable),
          onAnswer: () => {
            this.readAt = this.clock.now();
            // back after a failure with nothing new: what the model holds is current again
            if (this.state.get(part) === 'failed') {
              this.state.set(part, 'ok');
              this.emit();
            }
          },
          onError: (e, info) => {
            if (forbidden(e) || missing(e)) {
              this.state.set(part, 'forbidden');
              this.clear(part);
            } else {
              this.state.set(part, 'failed');
              this.o.onError?.(part, e);
            }
            settle();
            if (!info.willRetry || this.state.get(part) === 'failed') this.emit();
          },
        },
      );
      this.watchers.push(w);
      void w.start();
    }
    return Promise.all(firsts).then(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watchers) w.dispose();
  }

  /** The current snapshot (null: nothing can be read). */
  snapshot(): ClusterSnapshot | null {
    const ok = (p: Part) => this.state.get(p) === 'ok';
    if (!PARTS.some(ok)) return null;
    // the cluster cannot be reached now: the data may be stale in any way, so there is none
    if (PARTS.some(p => this.state.get(p) === 'failed')) return null;
    return {
      cluster: this.o.cluster,
      readAt: this.readAt,
      ...(this.o.region ? { region: this.o.region } : {}),
      ...(ok('nodes') ? { nodes: [...this.nodes.values()].map(n => n.node) } : {}),
      ...(ok('nodePools') && this.nodePools ? { nodePools: this.nodePools } : {}),
      ...(ok('namespaces') && this.namespaces ? { namespaces: this.namespaces } : {}),
      ...(ok('csiVolumes') && this.csi ? { csiVolumes: this.csi } : {}),
      ...(ok('variables') ? { variables: [...this.vars.values()].map(v => v.v) } : {}),
      ...(ok('services') && this.services ? { services: this.services } : {}),
    };
  }

  private emit(): void {
    if (this.disposed || PARTS.some(p => this.state.get(p) === 'pending')) return;
    const s = this.snapshot();
    if (s === null && this.last === null) return;
    this.last = s;
    this.o.onSnapshot(s);
  }

  private clear(part: Part): void {
    if (part === 'nodes') this.nodes.clear();
    if (part === 'variables') this.vars.clear();
  }

  private fetch(part: Part, index: number, wait: number, signal: AbortSignal): Promise<QueryResult<unknown>> {
    const q: QueryOptions = { index, wait, signal };
    const c = this.o.client;
    switch (part) {
      case 'nodes':
        return c.get('/v1/nodes', q, { resources: true });
      case 'nodePools':
        return c.get('/v1/node/pools', q);
      case 'namespaces':
        return c.get('/v1/namespaces', q);
      case 'csiVolumes':
        return c.get('/v1/volumes', { ...q, namespace: '*' }, { type: 'csi' });
      case 'variables':
        return c.get('/v1/vars', { ...q, namespace: '*' });
      case 'services':
        return c.get('/v1/services', { ...q, namespace: '*' });
    }
  }

  private async apply(part: Part, body: unknown): Promise<void> {
    switch (part) {
      case 'nodes':
        return this.applyNodes(body);
      case 'nodePools':
        this.nodePools = namesOf(body).sort();
        return;
      case 'namespaces':
        this.namespaces = namesOf(body).sort();
        return;
      case 'csiVolumes':
        this.csi = csiVolumesFrom(body);
        return;
      case 'variables':
        return this.applyVariables(body);
      case 'services':
        this.services = servicesFrom(body);
        return;
    }
  }

  /** Runs `fn` over `items`, `concurrency` at a time. */
  private async each<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
    let i = 0;
    const n = Math.max(1, this.o.concurrency ?? 8);
    await Promise.all(
      Array.from({ length: Math.min(n, items.length) }, async () => {
        while (i < items.length && !this.disposed) await fn(items[i++]!);
      }),
    );
  }

  private async applyNodes(body: unknown): Promise<void> {
    const gen = ++this.nodesGeneration;
    const stubs = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
    const seen = new Set<string>();
    const changed: Array<Record<string, unknown>> = [];
    for (const s of stubs) {
      const id = typeof s['ID'] === 'string' ? s['ID'] : '';
      if (!id) continue;
      seen.add(id);
      const mi = typeof s['ModifyIndex'] === 'number' ? s['ModifyIndex'] : -1;
      const had = this.nodes.get(id);
      if (!had || had.modifyIndex !== mi || had.node.attributes === undefined) changed.push(s);
    }
    for (const id of [...this.nodes.keys()]) if (!seen.has(id)) this.nodes.delete(id);
    await this.each(changed, async s => {
      const id = s['ID'] as string;
      let full: unknown;
      try {
        full = (await this.o.client.get(`/v1/node/${pathSegment(id)}`, {})).body;
      } catch (e) {
        // the list is readable but the node is not (node:read differs per endpoint only in theory), or the
        // node left between the list and its read: keep what the list says
        if (!forbidden(e) && !missing(e)) this.o.onError?.('nodes', e);
      }
      if (gen !== this.nodesGeneration && this.nodes.has(id)) return;
      const node = nodeFrom(s, full);
      if (node) this.nodes.set(id, { modifyIndex: typeof s['ModifyIndex'] === 'number' ? s['ModifyIndex'] : -1, node });
    });
  }

  private async applyVariables(body: unknown): Promise<void> {
    const gen = ++this.varsGeneration;
    const metas = variableMetasFrom(body);
    const keyOf = (ns: string, p: string) => `${ns}\u0000${p}`;
    const seen = new Set(metas.map(m => keyOf(m.namespace, m.path)));
    for (const k of [...this.vars.keys()]) if (!seen.has(k)) this.vars.delete(k);
    const changed = metas.filter(m => this.vars.get(keyOf(m.namespace, m.path))?.modifyIndex !== m.modifyIndex);
    await this.each(changed, async m => {
      let keys: string[] | undefined;
      try {
        const r = await this.o.client.get(`/v1/var/${m.path.split('/').map(pathSegment).join('/')}`, {
          namespace: m.namespace,
        });
        keys = variableKeysFrom(r.body);
      } catch (e) {
        // listed but not readable (list without read): the path is known, its keys are not
        if (!forbidden(e) && !missing(e)) this.o.onError?.('variables', e);
      }
      if (gen !== this.varsGeneration && this.vars.has(keyOf(m.namespace, m.path))) return;
      this.vars.set(keyOf(m.namespace, m.path), {
        modifyIndex: m.modifyIndex,
        v: { namespace: m.namespace, path: m.path, ...(keys ? { keys } : {}) },
      });
    });
  }
}
