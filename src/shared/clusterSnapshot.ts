/**
 * What the language server knows of the connected cluster: a compact snapshot the extension reads
 * (src/nomad/clusterFacts/). The extension sends it whole once (`nomad/clusterSnapshot`: at connect, after
 * a server restart, and whenever the server asks with `nomad/clusterSnapshotResync`), then only what
 * changed (`nomad/clusterSnapshotDelta`: nodes added, changed or removed by id; the other parts replaced
 * when they change). Every message carries the next number of one sequence, so the server sees a lost or
 * reordered delta and asks for the whole again. `null` when it is not connected or may read nothing. Every string in it comes from the cluster and is
 * untrusted (it reaches the screen only through src/untrusted/shown.ts).
 *
 * A part the token may not read (403) is absent (`undefined`), not empty: the checks say nothing about
 * what they cannot see. Variables carry their item KEYS only, never a value.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

export interface SnapshotDriver {
  detected: boolean;
  healthy: boolean;
}

export interface SnapshotResources {
  /** CPU the node offers jobs, MHz (its total less what the node reserves) */
  cpuMHz: number;
  /** memory the node offers jobs, MB */
  memoryMB: number;
  /** disk the node offers jobs, MB */
  diskMB: number;
}

export interface SnapshotNode {
  id: string;
  name: string;
  datacenter: string;
  nodePool: string;
  nodeClass: string;
  /** ready, down, initializing, disconnected */
  status: string;
  /** scheduling eligibility */
  eligible: boolean;
  drain: boolean;
  drivers: Record<string, SnapshotDriver>;
  /** the node's attributes (`${attr.…}`); undefined when only the node list could be read */
  attributes?: Record<string, string>;
  /** the node's meta (`${meta.…}`) */
  meta?: Record<string, string>;
  /** host volume names the node offers, with whether they are read-only */
  hostVolumes: Record<string, { readOnly: boolean }>;
  /** undefined when the cluster did not say */
  resources?: SnapshotResources;
}

export interface SnapshotCsiVolume {
  id: string;
  namespace: string;
  plugin: string;
}

export interface SnapshotVariable {
  namespace: string;
  path: string;
  /** the item keys (never the values); undefined when the items could not be read */
  keys?: string[];
}

export interface SnapshotService {
  namespace: string;
  name: string;
}

export interface ClusterSnapshot {
  /** how the cluster is named to the user (the profile's name, else its address) */
  cluster: string;
  /** when the snapshot's data was last confirmed current, ms since the epoch */
  readAt: number;
  region?: string;
  /** the namespace a job without `namespace` goes to (the connection's; default "default") */
  defaultNamespace?: string;
  /** undefined: the token may not list nodes */
  nodes?: SnapshotNode[];
  nodePools?: string[];
  namespaces?: string[];
  csiVolumes?: SnapshotCsiVolume[];
  variables?: SnapshotVariable[];
  services?: SnapshotService[];
}

/** The parts of a snapshot other than its nodes, which a delta replaces whole when they change. */
export const SNAPSHOT_PARTS = [
  'cluster',
  'region',
  'defaultNamespace',
  'nodePools',
  'namespaces',
  'csiVolumes',
  'variables',
  'services',
] as const;
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

/** `nomad/clusterSnapshot`: the whole snapshot (null: none), number `seq` of the sequence. */
export interface ClusterSnapshotFull {
  seq: number;
  snapshot: ClusterSnapshot | null;
}

/**
 * `nomad/clusterSnapshotDelta`: what changed since message `seq - 1` (a full snapshot or a delta). Applied
 * to the state numbered `seq - 1` it gives the sender's state exactly (nodes in the same order).
 */
export interface ClusterSnapshotDelta {
  seq: number;
  readAt: number;
  /** nodes added or changed (whole), by id: a known id is replaced in place, a new one appended */
  upsert?: SnapshotNode[];
  /** ids of the nodes that left */
  remove?: string[];
  /** parts replaced whole (each one that changed), `nodes` only when the node list became readable */
  set?: Partial<Pick<ClusterSnapshot, SnapshotPart | 'nodes'>>;
  /** parts absent now (e.g. the token may no longer read them) */
  drop?: Array<SnapshotPart | 'nodes'>;
}

/** `nomad/clusterSnapshotResync`: the server holds state `have` (-1: none usable) and wants the whole. */
export interface ClusterSnapshotResyncParams {
  have: number;
  reason: 'gap' | 'malformed';
}

/** Extension → server: the whole snapshot (or null: none — not connected, refused). */
export const ClusterSnapshotNotification = new NotificationType<ClusterSnapshotFull>('nomad/clusterSnapshot');
/** Extension → server: what changed since the previous message. */
export const ClusterSnapshotDeltaNotification = new NotificationType<ClusterSnapshotDelta>(
  'nomad/clusterSnapshotDelta',
);
/** Server → extension: a delta did not follow what the server holds (or could not be read): send the whole. */
export const ClusterSnapshotResyncNotification = new NotificationType<ClusterSnapshotResyncParams>(
  'nomad/clusterSnapshotResync',
);

export type ClusterSnapshotMessage =
  { kind: 'full'; message: ClusterSnapshotFull } | { kind: 'delta'; message: ClusterSnapshotDelta };

const sameJson = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed from `prev` to `next`, or undefined when a delta cannot say it exactly (the nodes' order
 * would come out different: then the whole is sent). A node counts as changed when it is another object
 * (the reader replaces a node's object only when the node changed) and its content differs.
 */
export function snapshotDelta(
  prev: ClusterSnapshot,
  next: ClusterSnapshot,
  seq: number,
): ClusterSnapshotDelta | undefined {
  const d: ClusterSnapshotDelta = { seq, readAt: next.readAt };
  const set: NonNullable<ClusterSnapshotDelta['set']> = {};
  const drop: NonNullable<ClusterSnapshotDelta['drop']> = [];
  for (const k of SNAPSHOT_PARTS) {
    if (next[k] === undefined) {
      if (prev[k] !== undefined) drop.push(k);
    } else if (!sameJson(prev[k], next[k])) (set as Record<string, unknown>)[k] = next[k];
  }
  if (!next.nodes) {
    if (prev.nodes) drop.push('nodes');
  } else if (!prev.nodes) set.nodes = next.nodes;
  else {
    const before = new Map(prev.nodes.map(n => [n.id, n]));
    const nextIds = new Set<string>();
    const upsert: SnapshotNode[] = [];
    const appended: string[] = [];
    for (const n of next.nodes) {
      if (nextIds.has(n.id)) return undefined; // the same id twice: only the whole says that
      nextIds.add(n.id);
      const had = before.get(n.id);
      if (!had) {
        upsert.push(n);
        appended.push(n.id);
      } else if (had !== n && !sameJson(had, n)) upsert.push(n);
    }
    const remove = prev.nodes.filter(n => !nextIds.has(n.id)).map(n => n.id);
    // the receiver's order: the kept nodes where they were, the new ones at the end
    let i = 0;
    for (const n of prev.nodes) if (nextIds.has(n.id) && next.nodes[i++]!.id !== n.id) return undefined;
    for (const id of appended) if (next.nodes[i++]!.id !== id) return undefined;
    if (upsert.length) d.upsert = upsert;
    if (remove.length) d.remove = remove;
  }
  if (Object.keys(set).length) d.set = set;
  if (drop.length) d.drop = drop;
  return d;
}

/**
 * The sender's side: turns each snapshot into the message that carries it (the whole the first time, after
 * null, when asked, or when a delta cannot say it; else a delta) and numbers them. Pure.
 */
export class ClusterSnapshotStream {
  private seq = 0;
  private last: ClusterSnapshot | null | undefined;

  /** The snapshot last handed to `next` (undefined: none yet). */
  get current(): ClusterSnapshot | null | undefined {
    return this.last;
  }

  /** The message for snapshot `s`; undefined when nothing changed. */
  next(s: ClusterSnapshot | null): ClusterSnapshotMessage | undefined {
    const prev = this.last;
    if (prev === s && prev !== undefined) return undefined;
    if (prev === undefined || prev === null || s === null) return this.full(s);
    const d = snapshotDelta(prev, s, this.seq + 1);
    if (!d) return this.full(s);
    this.last = s;
    if (!d.upsert && !d.remove && !d.set && !d.drop && d.readAt === prev.readAt) return undefined;
    this.seq = d.seq;
    return { kind: 'delta', message: d };
  }

  /** The whole of `s` (default: the current snapshot) as the next message: at connect, restart or resync. */
  full(s: ClusterSnapshot | null = this.last ?? null): ClusterSnapshotMessage {
    this.last = s;
    this.seq++;
    return { kind: 'full', message: { seq: this.seq, snapshot: s } };
  }
}
