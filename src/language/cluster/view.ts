// The cluster snapshot, indexed once per snapshot for what completion, hover and the checks ask: nodes by
// datacenter, pools, classes, driver health, every attribute and meta key the nodes report with the values
// seen, host volumes. Built lazily and kept with the snapshot object (a WeakMap), so a keystroke costs a
// lookup, never a pass over the nodes; after a delta (nomad/clusterSnapshotDelta) it is carried over and
// changed by the changed nodes' contribution only (viewAfter). Pure.
import type { ClusterSnapshot, SnapshotNode } from '../../shared/clusterSnapshot';

export interface Tally {
  nodes: number;
  values: Map<string, number>;
}

export interface ClusterView {
  snapshot: ClusterSnapshot;
  nodes: readonly SnapshotNode[];
  datacenters: Map<string, SnapshotNode[]>;
  pools: Map<string, number>;
  classes: Map<string, number>;
  /** driver -> nodes where it is healthy, detected */
  drivers: Map<string, { healthy: number; detected: number; reported: number }>;
  /** `attr.kernel.name`, `meta.rack`, `node.class` … -> nodes reporting it and its values */
  targets: Map<string, Tally>;
  hostVolumes: Map<string, number>;
}

const views = new WeakMap<ClusterSnapshot, ClusterView>();

export function viewOf(snapshot: ClusterSnapshot): ClusterView {
  const had = views.get(snapshot);
  if (had) return had;
  const nodes = snapshot.nodes ?? [];
  const v: ClusterView = {
    snapshot,
    nodes,
    datacenters: new Map(),
    pools: new Map(),
    classes: new Map(),
    drivers: new Map(),
    targets: new Map(),
    hostVolumes: new Map(),
  };
  for (const n of nodes) contribute(v, n, +1);
  for (const p of snapshot.nodePools ?? []) if (!v.pools.has(p)) v.pools.set(p, 0);
  views.set(snapshot, v);
  return v;
}

/**
 * The view of `next`, made from the view of `prev` by taking away the contribution of the nodes that left
 * or changed (`gone`) and adding that of the new and changed ones (`came`): the same maps, counts and
 * values as viewOf(next) builds from scratch, at the cost of the changed nodes only. `prev`'s view is
 * taken over (it must not be used again). `next.nodes` is the list after the change.
 */
export function viewAfter(
  prev: ClusterSnapshot,
  next: ClusterSnapshot,
  gone: readonly SnapshotNode[],
  came: readonly SnapshotNode[],
): ClusterView {
  const v = views.get(prev);
  if (!v || !prev.nodes || !next.nodes) return viewOf(next);
  views.delete(prev);
  for (const n of gone) contribute(v, n, -1);
  for (const n of came) contribute(v, n, +1);
  v.snapshot = next;
  v.nodes = next.nodes;
  for (const [p, k] of v.pools) if (k === 0) v.pools.delete(p);
  for (const p of next.nodePools ?? []) if (!v.pools.has(p)) v.pools.set(p, 0);
  views.set(next, v);
  return v;
}

function tally(m: Map<string, Tally>, key: string, value: string, by: 1 | -1): void {
  let t = m.get(key);
  if (!t) {
    t = { nodes: 0, values: new Map() };
    m.set(key, t);
  }
  t.nodes += by;
  if (t.nodes <= 0) {
    m.delete(key);
    return;
  }
  const k = (t.values.get(value) ?? 0) + by;
  if (k > 0) t.values.set(value, k);
  else t.values.delete(value);
}

function bump(m: Map<string, number>, k: string, by: 1 | -1): void {
  const c = (m.get(k) ?? 0) + by;
  if (c > 0) m.set(k, c);
  else m.delete(k);
}

/** Adds (+1) or takes away (-1) what one node contributes to the view. */
function contribute(v: ClusterView, n: SnapshotNode, by: 1 | -1): void {
  const dc = v.datacenters.get(n.datacenter);
  if (by > 0) {
    if (dc) dc.push(n);
    else v.datacenters.set(n.datacenter, [n]);
  } else if (dc) {
    const i = dc.indexOf(n);
    if (i >= 0) dc.splice(i, 1);
    if (!dc.length) v.datacenters.delete(n.datacenter);
  }
  bump(v.pools, n.nodePool, by);
  if (n.nodeClass) bump(v.classes, n.nodeClass, by);
  for (const [d, info] of Object.entries(n.drivers)) {
    const t = v.drivers.get(d) ?? { healthy: 0, detected: 0, reported: 0 };
    if (info.healthy) t.healthy += by;
    if (info.detected) t.detected += by;
    t.reported += by;
    if (t.reported > 0) v.drivers.set(d, t);
    else v.drivers.delete(d);
  }
  for (const [k, val] of Object.entries(n.attributes ?? {})) tally(v.targets, `attr.${k}`, val, by);
  for (const [k, val] of Object.entries(n.meta ?? {})) tally(v.targets, `meta.${k}`, val, by);
  tally(v.targets, 'node.datacenter', n.datacenter, by);
  tally(v.targets, 'node.pool', n.nodePool, by);
  tally(v.targets, 'node.class', n.nodeClass, by);
  tally(v.targets, 'node.unique.name', n.name, by);
  tally(v.targets, 'node.unique.id', n.id, by);
  for (const hv of Object.keys(n.hostVolumes)) bump(v.hostVolumes, hv, by);
}

/** "cluster dev, read 12 s ago": the label of every finding from the cluster. */
export function freshness(snapshot: ClusterSnapshot, now: number): string {
  const s = Math.max(0, Math.round((now - snapshot.readAt) / 1000));
  const age = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `cluster ${snapshot.cluster}, read ${age} ago`;
}

/** Nomad's datacenter patterns (1.6: `*` matches any run of characters). */
export function dcMatches(pattern: string, dc: string): boolean {
  if (!pattern.includes('*')) return pattern === dc;
  const parts = pattern.split('*');
  if (!dc.startsWith(parts[0]!) || !dc.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  for (const mid of parts.slice(1, -1)) {
    const i = dc.indexOf(mid, at);
    if (i < 0) return false;
    at = i + mid.length;
  }
  return at <= dc.length - parts[parts.length - 1]!.length;
}

/** A node the scheduler may place on: ready, eligible, not draining. */
export const schedulable = (n: SnapshotNode): boolean => n.status === 'ready' && n.eligible && !n.drain;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
