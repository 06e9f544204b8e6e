// The cluster snapshot, indexed once per snapshot for what completion, hover and the checks ask: nodes by
// datacenter, pools, classes, driver health, every attribute and meta key the nodes report with the values
// seen, host volumes. Built lazily and kept with the snapshot object (a WeakMap), so a keystroke costs a
// lookup, never a pass over the nodes. Pure.
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
  drivers: Map<string, { healthy: number; detected: number }>;
  /** `attr.kernel.name`, `meta.rack`, `node.class` … -> nodes reporting it and its values */
  targets: Map<string, Tally>;
  hostVolumes: Map<string, number>;
}

const views = new WeakMap<ClusterSnapshot, ClusterView>();

function tally(m: Map<string, Tally>, key: string, value: string): void {
  let t = m.get(key);
  if (!t) {
    t = { nodes: 0, values: new Map() };
    m.set(key, t);
  }
  t.nodes++;
  t.values.set(value, (t.values.get(value) ?? 0) + 1);
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

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
  for (const n of nodes) {
    const dc = v.datacenters.get(n.datacenter);
    if (dc) dc.push(n);
    else v.datacenters.set(n.datacenter, [n]);
    bump(v.pools, n.nodePool);
    if (n.nodeClass) bump(v.classes, n.nodeClass);
    for (const [d, info] of Object.entries(n.drivers)) {
      const t = v.drivers.get(d) ?? { healthy: 0, detected: 0 };
      if (info.healthy) t.healthy++;
      if (info.detected) t.detected++;
      v.drivers.set(d, t);
    }
    for (const [k, val] of Object.entries(n.attributes ?? {})) tally(v.targets, `attr.${k}`, val);
    for (const [k, val] of Object.entries(n.meta ?? {})) tally(v.targets, `meta.${k}`, val);
    tally(v.targets, 'node.datacenter', n.datacenter);
    tally(v.targets, 'node.pool', n.nodePool);
    tally(v.targets, 'node.class', n.nodeClass);
    tally(v.targets, 'node.unique.name', n.name);
    tally(v.targets, 'node.unique.id', n.id);
    for (const hv of Object.keys(n.hostVolumes)) bump(v.hostVolumes, hv);
  }
  for (const p of snapshot.nodePools ?? []) if (!v.pools.has(p)) v.pools.set(p, 0);
  views.set(snapshot, v);
  return v;
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
