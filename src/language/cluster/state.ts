// The language server's copy of the cluster snapshot (nomad/clusterSnapshot): the last one the extension
// sent, or null. Held by the document analyzer; completion, hover and the checks read it. Pure.
import type { ClusterSnapshot } from '../../shared/clusterSnapshot';

export class ClusterSnapshotHolder {
  private current: ClusterSnapshot | null = null;
  private readonly listeners = new Set<() => void>();

  get snapshot(): ClusterSnapshot | null {
    return this.current;
  }

  /** A new snapshot (null: none); listeners run when it changed. A malformed payload counts as none. */
  set(s: unknown): void {
    const next = isSnapshot(s) ? s : null;
    if (next === this.current) return;
    this.current = next;
    for (const l of this.listeners) l();
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

function isSnapshot(s: unknown): s is ClusterSnapshot {
  if (!s || typeof s !== 'object') return false;
  const o = s as Partial<ClusterSnapshot>;
  return (
    typeof o.cluster === 'string' && typeof o.readAt === 'number' && (o.nodes === undefined || Array.isArray(o.nodes))
  );
}
