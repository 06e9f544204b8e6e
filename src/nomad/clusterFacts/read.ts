// From Nomad's answers to the snapshot's parts (src/shared/clusterSnapshot.ts). Pure functions of JSON:
// every field is read defensively (a cluster answer is untrusted and may lack anything).
//
// Facts (Nomad 1.6.5, nomad/structs): GET /v1/nodes?resources=true answers NodeListStub with Drivers
// ({Detected, Healthy}), HostVolumes ({Name, Path, ReadOnly}), NodeResources ({Cpu: {CpuShares},
// Memory: {MemoryMB}, Disk: {DiskMB}}) and ReservedResources (same shape); Attributes and Meta only come
// with GET /v1/node/:id. A node offers jobs its resources less what it reserves.
import type {
  ClusterSnapshot,
  SnapshotCsiVolume,
  SnapshotDriver,
  SnapshotNode,
  SnapshotResources,
  SnapshotService,
  SnapshotVariable,
} from '../../shared/clusterSnapshot';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function strings(v: unknown): Record<string, string> {
  const o = obj(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) if (typeof x === 'string') out[k] = x;
  return out;
}

function drivers(v: unknown): Record<string, SnapshotDriver> {
  const out: Record<string, SnapshotDriver> = {};
  for (const [name, d] of Object.entries(obj(v) ?? {})) {
    const o = obj(d);
    if (o) out[name] = { detected: o['Detected'] === true, healthy: o['Healthy'] === true };
  }
  return out;
}

function resources(total: unknown, reserved: unknown): SnapshotResources | undefined {
  const t = obj(total);
  if (!t) return undefined;
  const r = obj(reserved) ?? {};
  const part = (o: Json, k: string, f: string) => num(obj(o[k])?.[f]);
  return {
    cpuMHz: Math.max(0, part(t, 'Cpu', 'CpuShares') - part(r, 'Cpu', 'CpuShares')),
    memoryMB: Math.max(0, part(t, 'Memory', 'MemoryMB') - part(r, 'Memory', 'MemoryMB')),
    diskMB: Math.max(0, part(t, 'Disk', 'DiskMB') - part(r, 'Disk', 'DiskMB')),
  };
}

/** A node from its list stub (with resources) and, when read, its full record (attributes, meta). */
export function nodeFrom(stub: unknown, full?: unknown): SnapshotNode | undefined {
  const s = obj(stub);
  if (!s || !str(s['ID'])) return undefined;
  const f = obj(full);
  const hostVolumes: Record<string, { readOnly: boolean }> = {};
  for (const [name, hv] of Object.entries(obj(f?.['HostVolumes'] ?? s['HostVolumes']) ?? {}))
    hostVolumes[name] = { readOnly: obj(hv)?.['ReadOnly'] === true };
  const res = resources(f?.['NodeResources'] ?? s['NodeResources'], f?.['ReservedResources'] ?? s['ReservedResources']);
  return {
    id: str(s['ID']),
    name: str(s['Name']),
    datacenter: str(s['Datacenter']),
    nodePool: str(s['NodePool']) || 'default',
    nodeClass: str(s['NodeClass']),
    status: str(s['Status']),
    eligible: str(s['SchedulingEligibility']) !== 'ineligible',
    drain: s['Drain'] === true,
    drivers: drivers(f?.['Drivers'] ?? s['Drivers']),
    hostVolumes,
    ...(f ? { attributes: strings(f['Attributes']), meta: strings(f['Meta']) } : {}),
    ...(res ? { resources: res } : {}),
  };
}

export const namesOf = (list: unknown, field = 'Name'): string[] =>
  arr(list)
    .map(x => str(obj(x)?.[field]))
    .filter(Boolean);

export function csiVolumesFrom(list: unknown): SnapshotCsiVolume[] {
  return arr(list)
    .map(obj)
    .filter((o): o is Json => !!o && !!str(o['ID']))
    .map(o => ({ id: str(o['ID']), namespace: str(o['Namespace']) || 'default', plugin: str(o['PluginID']) }));
}

/** GET /v1/services?namespace=*: `[{Namespace, Services: [{ServiceName, Tags}]}]`. */
export function servicesFrom(list: unknown): SnapshotService[] {
  const out: SnapshotService[] = [];
  for (const g of arr(list).map(obj)) {
    if (!g) continue;
    for (const s of arr(g['Services']).map(obj))
      if (s && str(s['ServiceName']))
        out.push({ namespace: str(g['Namespace']) || 'default', name: str(s['ServiceName']) });
  }
  return out;
}

/** The metadata of GET /v1/vars (no items). */
export function variableMetasFrom(list: unknown): Array<{ namespace: string; path: string; modifyIndex: number }> {
  return arr(list)
    .map(obj)
    .filter((o): o is Json => !!o && !!str(o['Path']))
    .map(o => ({
      namespace: str(o['Namespace']) || 'default',
      path: str(o['Path']),
      modifyIndex: num(o['ModifyIndex']),
    }));
}

/** The item KEYS of GET /v1/var/:path; the values are dropped here and go no further. */
export function variableKeysFrom(v: unknown): string[] {
  return Object.keys(obj(obj(v)?.['Items']) ?? {}).sort();
}

/** The whole snapshot as JSON text is the size the notification carries. */
export function snapshotBytes(s: ClusterSnapshot): number {
  return Buffer.byteLength(JSON.stringify(s));
}

export type { SnapshotVariable };
