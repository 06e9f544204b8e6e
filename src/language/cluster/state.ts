// The language server's copy of the cluster snapshot: the whole one the extension sent
// (nomad/clusterSnapshot) with every delta after it applied (nomad/clusterSnapshotDelta), or null. Held by
// the document analyzer; completion, hover and the checks read it. A delta that does not follow the
// state held (its number is not the next) or cannot be read leaves the state as it is and asks for the
// whole again (the `resync` callback); deltas are ignored until the whole comes. Pure.
import type {
  ClusterSnapshot,
  ClusterSnapshotDelta,
  ClusterSnapshotResyncParams,
  SnapshotNode,
} from '../../shared/clusterSnapshot';
import { SNAPSHOT_PARTS } from '../../shared/clusterSnapshot';
import { viewAfter } from './view';

export type DeltaOutcome = 'applied' | 'gap' | 'malformed' | 'waiting';

export class ClusterSnapshotHolder {
  private current: ClusterSnapshot | null = null;
  /** the number of the message the state is at; -1: none usable (a whole one is awaited) */
  private seq = -1;
  /** a resync was asked for and the whole has not come yet */
  private asked = false;
  private readonly listeners = new Set<() => void>();

  /** @param resync asks the sender for the whole snapshot (nomad/clusterSnapshotResync) */
  constructor(private readonly resync: (p: ClusterSnapshotResyncParams) => void = () => undefined) {}

  get snapshot(): ClusterSnapshot | null {
    return this.current;
  }

  /** The number of the last message applied (-1: none). */
  get sequence(): number {
    return this.seq;
  }

  /** A whole snapshot (null: none); listeners run when it changed. A malformed snapshot counts as none. */
  set(s: unknown, seq?: number): void {
    const next = isSnapshot(s) ? { ...s, ...(s.nodes ? { nodes: [...s.nodes] } : {}) } : null;
    this.seq = typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : -1;
    this.asked = false;
    this.replace(next);
  }

  /** nomad/clusterSnapshot: `{seq, snapshot}`. */
  setFull(m: unknown): void {
    const o = m && typeof m === 'object' ? (m as Record<string, unknown>) : {};
    this.set(o['snapshot'], typeof o['seq'] === 'number' ? o['seq'] : undefined);
  }

  /** nomad/clusterSnapshotDelta: applied when it follows the state held; else the whole is asked for. */
  applyDelta(m: unknown): DeltaOutcome {
    if (!isDelta(m)) return this.askWhole('malformed');
    if (this.seq < 0 || this.asked) {
      // nothing to apply it to yet (the whole was asked for): ask once, then wait for the whole
      if (!this.asked) return this.askWhole('gap');
      return 'waiting';
    }
    if (m.seq !== this.seq + 1) return this.askWhole('gap');
    const prev = this.current;
    if (!prev) {
      // null is only ever sent whole: a delta after it is out of step
      return this.askWhole('gap');
    }
    const next: ClusterSnapshot = { ...prev, readAt: m.readAt };
    for (const k of SNAPSHOT_PARTS) if (m.set && k in m.set) (next as unknown as Record<string, unknown>)[k] = m.set[k];
    for (const k of m.drop ?? []) Reflect.deleteProperty(next, k);
    const gone: SnapshotNode[] = [];
    const came: SnapshotNode[] = [];
    if (m.set?.nodes) next.nodes = [...m.set.nodes];
    else if (next.nodes && (m.upsert?.length || m.remove?.length)) {
      const nodes = [...next.nodes];
      const at = new Map(nodes.map((n, i) => [n.id, i]));
      if (m.remove?.length) {
        const out = new Set(m.remove);
        for (const id of out) {
          const i = at.get(id);
          if (i !== undefined) gone.push(nodes[i]!);
        }
        let w = 0;
        for (const n of nodes) if (!out.has(n.id)) nodes[w++] = n;
        nodes.length = w;
        at.clear();
        nodes.forEach((n, i) => at.set(n.id, i));
      }
      for (const n of m.upsert ?? []) {
        const i = at.get(n.id);
        if (i === undefined) {
          at.set(n.id, nodes.length);
          nodes.push(n);
        } else {
          gone.push(nodes[i]!);
          nodes[i] = n;
        }
        came.push(n);
      }
      next.nodes = nodes;
    }
    if (next.nodes && prev.nodes && !m.set?.nodes && !m.drop?.includes('nodes')) viewAfter(prev, next, gone, came);
    this.seq = m.seq;
    this.replace(next);
    return 'applied';
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private askWhole(reason: ClusterSnapshotResyncParams['reason']): DeltaOutcome {
    this.asked = true;
    this.resync({ have: this.seq, reason });
    return reason;
  }

  private replace(next: ClusterSnapshot | null): void {
    if (next === this.current) return;
    this.current = next;
    for (const l of this.listeners) l();
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStrings = (v: unknown): boolean => isObj(v) && Object.values(v).every(x => typeof x === 'string');
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every(x => typeof x === 'string');

/** Every field the checks, completion and hover read, of the type they read it as. */
export function isNode(n: unknown): n is SnapshotNode {
  if (!isObj(n)) return false;
  for (const k of ['id', 'name', 'datacenter', 'nodePool', 'nodeClass', 'status'] as const)
    if (typeof n[k] !== 'string') return false;
  if (typeof n['eligible'] !== 'boolean' || typeof n['drain'] !== 'boolean') return false;
  if (!isObj(n['drivers']) || !Object.values(n['drivers']).every(isObj)) return false;
  if (!isObj(n['hostVolumes']) || !Object.values(n['hostVolumes']).every(isObj)) return false;
  if (n['attributes'] !== undefined && !isStrings(n['attributes'])) return false;
  if (n['meta'] !== undefined && !isStrings(n['meta'])) return false;
  const r = n['resources'];
  if (r !== undefined && !(isObj(r) && ['cpuMHz', 'memoryMB', 'diskMB'].every(k => typeof r[k] === 'number')))
    return false;
  return true;
}

const isNodes = (v: unknown): boolean => Array.isArray(v) && v.every(isNode);

/** The parts other than nodes, each of the shape it is read as (arrays of objects with string fields). */
function partOk(k: string, v: unknown): boolean {
  switch (k) {
    case 'cluster':
      return typeof v === 'string';
    case 'region':
    case 'defaultNamespace':
      return v === undefined || typeof v === 'string';
    case 'nodePools':
    case 'namespaces':
      return v === undefined || isStringList(v);
    case 'csiVolumes':
    case 'variables':
    case 'services':
      return v === undefined || (Array.isArray(v) && v.every(isObj));
    default:
      return true;
  }
}

function isSnapshot(s: unknown): s is ClusterSnapshot {
  if (!isObj(s)) return false;
  if (typeof s['readAt'] !== 'number') return false;
  if (s['nodes'] !== undefined && !isNodes(s['nodes'])) return false;
  return SNAPSHOT_PARTS.every(k => partOk(k, s[k]));
}

function isDelta(m: unknown): m is ClusterSnapshotDelta {
  if (!isObj(m)) return false;
  if (typeof m['seq'] !== 'number' || !Number.isSafeInteger(m['seq']) || typeof m['readAt'] !== 'number') return false;
  if (m['upsert'] !== undefined && !isNodes(m['upsert'])) return false;
  if (m['remove'] !== undefined && !isStringList(m['remove'])) return false;
  const set = m['set'];
  if (set !== undefined) {
    if (!isObj(set)) return false;
    for (const [k, v] of Object.entries(set)) {
      if (k === 'nodes') {
        if (!isNodes(v)) return false;
      } else if (!(SNAPSHOT_PARTS as readonly string[]).includes(k) || v === undefined || !partOk(k, v)) return false;
    }
  }
  const drop = m['drop'];
  if (drop !== undefined) {
    if (!Array.isArray(drop)) return false;
    const droppable = (k: unknown) =>
      k === 'nodes' || (k !== 'cluster' && (SNAPSHOT_PARTS as readonly unknown[]).includes(k));
    if (!drop.every(droppable)) return false;
  }
  return true;
}
