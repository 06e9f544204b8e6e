// A structural diff of two (canonical) Job JSON objects, shaped like the one Nomad's plan endpoint
// returns: Type "Added" | "Deleted" | "Edited" | "None", field names as Nomad prints them
// ("Env[GREETING]", "args[0]", "Meta[owner]"), objects named "Config", "Resources", "Service", …
// Our own implementation of the behaviour seen in the captures (test/fixtures/nomad/captured/plan-*.json).
export type DiffType = 'Added' | 'Deleted' | 'Edited' | 'None';
export interface FieldDiff {
  Annotations: string[] | null;
  Name: string;
  New: string;
  Old: string;
  Type: DiffType;
}
export interface ObjectDiff {
  Fields: FieldDiff[] | null;
  Name: string;
  Objects: ObjectDiff[] | null;
  Type: DiffType;
}
export interface TaskDiff {
  Annotations: string[] | null;
  Fields: FieldDiff[] | null;
  Name: string;
  Objects: ObjectDiff[] | null;
  Type: DiffType;
}
export interface TaskGroupDiff {
  Fields: FieldDiff[] | null;
  Name: string;
  Objects: ObjectDiff[] | null;
  Tasks: TaskDiff[] | null;
  Type: DiffType;
  Updates: Record<string, number> | null;
}
export interface JobDiff {
  Fields: FieldDiff[] | null;
  ID: string;
  Objects: ObjectDiff[] | null;
  TaskGroups: TaskGroupDiff[] | null;
  Type: DiffType;
}

type Flat = Record<string, string>;
const MAPS = new Set(['Meta', 'Env']);

const str = (v: unknown) =>
  typeof v === 'boolean' ? String(v) : typeof v === 'number' ? String(Math.trunc(v) === v ? v : v) : String(v);

/** The primitive fields of one object (nested objects and lists left out; Meta/Env flattened as Meta[k]). */
function prim(o: any, filter: string[] = []): Flat | undefined {
  if (o === null || o === undefined) return undefined;
  const out: Flat = {};
  for (const [k, v] of Object.entries(o)) {
    if (filter.includes(k)) continue;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') {
      if (MAPS.has(k) && !Array.isArray(v))
        for (const [mk, mv] of Object.entries(v as object)) out[`${k}[${mk}]`] = str(mv);
      continue;
    }
    out[k] = str(v);
  }
  return out;
}

/** Everything, recursively: `args[0]`, `port_map[0][http]` (task Config). */
function deep(v: any, prefix = '', out: Flat = {}): Flat {
  if (v === null || v === undefined) {
    out[prefix] = 'nil';
    return out;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => deep(x, `${prefix}[${i}]`, out));
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) deep(x, prefix ? `${prefix}[${k}]` : k, out);
    return out;
  }
  out[prefix] = str(v);
  return out;
}

function fieldDiff(old: string, nu: string, name: string, contextual: boolean): FieldDiff | undefined {
  if (old === nu) return contextual ? { Annotations: null, Name: name, New: nu, Old: old, Type: 'None' } : undefined;
  if (old === '') return { Annotations: null, Name: name, New: nu, Old: '', Type: 'Added' };
  if (nu === '') return { Annotations: null, Name: name, New: '', Old: old, Type: 'Deleted' };
  return { Annotations: null, Name: name, New: nu, Old: old, Type: 'Edited' };
}

const byField = (a: FieldDiff, b: FieldDiff) =>
  a.Name !== b.Name
    ? a.Name < b.Name
      ? -1
      : 1
    : a.Old !== b.Old
      ? a.Old < b.Old
        ? -1
        : 1
      : a.New < b.New
        ? -1
        : a.New > b.New
          ? 1
          : 0;
const TYPE_ORDER: Record<DiffType, number> = { Added: 0, Deleted: 1, Edited: 2, None: 3 };
const byObject = (a: ObjectDiff, b: ObjectDiff) =>
  a.Name !== b.Name
    ? a.Name < b.Name
      ? -1
      : 1
    : a.Type !== b.Type
      ? TYPE_ORDER[a.Type] - TYPE_ORDER[b.Type]
      : (a.Fields?.length ?? 0) - (b.Fields?.length ?? 0);

function fieldDiffs(old: Flat | undefined, nu: Flat | undefined, contextual: boolean): FieldDiff[] {
  const o = old ?? {},
    n = nu ?? {};
  const out: FieldDiff[] = [];
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    const d = fieldDiff(o[k] ?? '', n[k] ?? '', k, contextual);
    if (d) out.push(d);
  }
  return out.sort(byField);
}

const orNull = <T>(a: T[]) => (a.length ? a : null);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const empty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

function typeOf(fields: FieldDiff[]): DiffType | undefined {
  let added = false,
    deleted = false;
  for (const f of fields) {
    if (f.Type === 'Edited') return 'Edited';
    if (f.Type === 'Added') added = true;
    if (f.Type === 'Deleted') deleted = true;
  }
  return added && deleted ? 'Edited' : added ? 'Added' : deleted ? 'Deleted' : undefined;
}

/** A diff of the primitive fields of two objects (RestartPolicy, Update, LogConfig, Constraint, …). */
function primitiveObjectDiff(
  old: any,
  nu: any,
  filter: string[] | undefined,
  name: string,
  contextual: boolean,
): ObjectDiff | undefined {
  const fields = fieldDiffs(prim(old, filter), prim(nu, filter), contextual);
  const t = typeOf(fields);
  if (!t) return undefined;
  return { Fields: orNull(fields), Name: name, Objects: null, Type: t };
}

function primitiveObjectSetDiff(
  old: any[] | null,
  nu: any[] | null,
  filter: string[] | undefined,
  name: string,
  contextual: boolean,
): ObjectDiff[] {
  const key = (o: any) => JSON.stringify(prim(o, filter));
  const om = new Map((old ?? []).map(o => [key(o), o]));
  const nm = new Map((nu ?? []).map(o => [key(o), o]));
  const out: ObjectDiff[] = [];
  for (const [k, o] of om) {
    const d = primitiveObjectDiff(o, nm.get(k), filter, name, contextual);
    if (d) out.push(d);
  }
  for (const [k, n] of nm)
    if (!om.has(k)) {
      const d = primitiveObjectDiff(undefined, n, filter, name, contextual);
      if (d) out.push(d);
    }
  return out.sort(byObject);
}

function stringSetDiff(
  old: string[] | null,
  nu: string[] | null,
  name: string,
  contextual: boolean,
): ObjectDiff | undefined {
  const o = new Set(old ?? []),
    n = new Set(nu ?? []);
  if (same([...o].sort(), [...n].sort()) && !contextual) return undefined;
  const fields: FieldDiff[] = [];
  let added = false,
    removed = false;
  for (const k of o) {
    if (!n.has(k)) {
      fields.push(fieldDiff(k, '', name, contextual)!);
      removed = true;
    } else if (contextual) fields.push(fieldDiff(k, k, name, contextual)!);
  }
  for (const k of n)
    if (!o.has(k)) {
      fields.push(fieldDiff('', k, name, contextual)!);
      added = true;
    }
  fields.sort(byField);
  const t: DiffType | undefined =
    added && removed ? 'Edited' : added ? 'Added' : removed ? 'Deleted' : fields.length ? 'None' : undefined;
  if (!t) return undefined;
  return { Fields: orNull(fields), Name: name, Objects: null, Type: t };
}

/** Objects with their own nested diffs: old/new may be undefined (Added/Deleted). */
function nested(
  old: any,
  nu: any,
  name: string,
  filter: string[] | undefined,
  contextual: boolean,
  children: (o: any, n: any) => ObjectDiff[],
): ObjectDiff | undefined {
  if (same(old, nu)) return undefined;
  const t: DiffType = old == null ? 'Added' : nu == null ? 'Deleted' : 'Edited';
  const fields = fieldDiffs(prim(old, filter), prim(nu, filter), contextual);
  const objects = children(old ?? {}, nu ?? {});
  return { Fields: orNull(fields), Name: name, Objects: orNull(objects), Type: t };
}

function portDiffs(old: any[] | null, nu: any[] | null, dynamic: boolean, contextual: boolean): ObjectDiff[] {
  const name = dynamic ? 'Dynamic Port' : 'Static Port';
  const filter = dynamic ? ['Value'] : [];
  const om = new Map((old ?? []).map(p => [p.Label, p])),
    nm = new Map((nu ?? []).map(p => [p.Label, p]));
  const out: ObjectDiff[] = [];
  for (const [l, p] of om) {
    const d = primitiveObjectDiff(p, nm.get(l), filter, name, contextual);
    if (d) out.push(d);
  }
  for (const [l, p] of nm)
    if (!om.has(l)) {
      const d = primitiveObjectDiff(undefined, p, filter, name, contextual);
      if (d) out.push(d);
    }
  return out;
}

function networkDiffs(old: any[] | null, nu: any[] | null, contextual: boolean): ObjectDiff[] {
  const key = (n: any) => JSON.stringify(n);
  const om = new Map((old ?? []).map(n => [key(n), n])),
    nm = new Map((nu ?? []).map(n => [key(n), n]));
  const out: ObjectDiff[] = [];
  const one = (o: any, n: any) =>
    nested(o, n, 'Network', ['Device', 'CIDR', 'IP'], contextual, (a, b) => [
      ...portDiffs(a.ReservedPorts, b.ReservedPorts, false, contextual),
      ...portDiffs(a.DynamicPorts, b.DynamicPorts, true, contextual),
    ]);
  for (const [k, o] of om)
    if (!nm.has(k)) {
      const d = one(o, undefined);
      if (d) out.push(d);
    }
  for (const [k, n] of nm)
    if (!om.has(k)) {
      const d = one(undefined, n);
      if (d) out.push(d);
    }
  return out.sort(byObject);
}

function checkDiffs(old: any[] | null, nu: any[] | null, contextual: boolean): ObjectDiff[] {
  const om = new Map((old ?? []).map(c => [c.Name, c])),
    nm = new Map((nu ?? []).map(c => [c.Name, c]));
  const out: ObjectDiff[] = [];
  const one = (o: any, n: any) => nested(o, n, 'Check', undefined, contextual, () => []);
  for (const [k, o] of om) {
    const d = one(o, nm.get(k));
    if (d) out.push(d);
  }
  for (const [k, n] of nm)
    if (!om.has(k)) {
      const d = one(undefined, n);
      if (d) out.push(d);
    }
  return out.sort(byObject);
}

function serviceDiffs(old: any[] | null, nu: any[] | null): ObjectDiff[] {
  // services are compared contextually (unchanged fields are listed as "None"), as Nomad does
  const one = (o: any, n: any) =>
    nested(o, n, 'Service', undefined, true, (a, b) => {
      const objs: ObjectDiff[] = [];
      const ct = stringSetDiff(a.CanaryTags, b.CanaryTags, 'CanaryTags', true);
      if (ct && !(empty(a.CanaryTags) && empty(b.CanaryTags))) objs.push(ct);
      const tg = stringSetDiff(a.Tags, b.Tags, 'Tags', true);
      if (tg) objs.push(tg);
      objs.push(...checkDiffs(a.Checks, b.Checks, true));
      return objs;
    });
  const o = old ?? [],
    n = nu ?? [];
  if (o.length === 1 && n.length === 1) {
    const d = one(o[0], n[0]);
    return d ? [d] : [];
  }
  const out: ObjectDiff[] = [];
  const used = new Set<number>();
  o.forEach((s, i) => {
    let j = n.findIndex((x, k) => !used.has(k) && x.Name === s.Name && x.PortLabel === s.PortLabel);
    if (j < 0) j = n.findIndex((x, k) => !used.has(k) && x.Name === s.Name);
    if (j < 0 && i < n.length && !used.has(i)) j = -1;
    if (j < 0) {
      const d = one(s, undefined);
      if (d) out.push(d);
      return;
    }
    used.add(j);
    const d = one(s, n[j]);
    if (d) out.push(d);
  });
  n.forEach((s, k) => {
    if (!used.has(k)) {
      const d = one(undefined, s);
      if (d) out.push(d);
    }
  });
  return out.sort(byObject);
}

function configDiff(old: any, nu: any, contextual: boolean): ObjectDiff | undefined {
  if (same(old, nu)) return undefined;
  const t: DiffType =
    empty(old) || Object.keys(old ?? {}).length === 0
      ? 'Added'
      : Object.keys(nu ?? {}).length === 0
        ? 'Deleted'
        : 'Edited';
  return {
    Fields: orNull(fieldDiffs(old ? deep(old) : {}, nu ? deep(nu) : {}, contextual)),
    Name: 'Config',
    Objects: null,
    Type: t,
  };
}

function resourcesDiff(old: any, nu: any, contextual: boolean): ObjectDiff | undefined {
  return nested(old, nu, 'Resources', undefined, contextual, (a, b) =>
    networkDiffs(a.Networks, b.Networks, contextual),
  );
}

export function taskDiff(old: any, nu: any, contextual = false): TaskDiff {
  const filter = ['Name', 'Config'];
  const type: DiffType = old == null ? 'Added' : nu == null ? 'Deleted' : same(old, nu) ? 'None' : 'Edited';
  const o = old ?? {},
    n = nu ?? {};
  const fields = fieldDiffs(old ? prim(o, filter) : undefined, nu ? prim(n, filter) : undefined, false);
  const objects: ObjectDiff[] = [
    ...primitiveObjectSetDiff(o.Constraints, n.Constraints, ['str'], 'Constraint', contextual),
    ...primitiveObjectSetDiff(o.Affinities, n.Affinities, ['str'], 'Affinity', contextual),
  ];
  const push = (d: ObjectDiff | undefined) => {
    if (d) objects.push(d);
  };
  push(configDiff(o.Config, n.Config, contextual));
  push(resourcesDiff(o.Resources, n.Resources, contextual));
  push(primitiveObjectDiff(o.LogConfig, n.LogConfig, ['Enabled'], 'LogConfig', contextual));
  push(primitiveObjectDiff(o.DispatchPayload, n.DispatchPayload, undefined, 'DispatchPayload', contextual));
  objects.push(...primitiveObjectSetDiff(o.Artifacts, n.Artifacts, undefined, 'Artifact', contextual));
  objects.push(...serviceDiffs(o.Services, n.Services));
  push(primitiveObjectDiff(o.Vault, n.Vault, undefined, 'Vault', contextual));
  objects.push(...primitiveObjectSetDiff(o.Templates, n.Templates, undefined, 'Template', contextual));
  return { Annotations: null, Fields: orNull(fields), Name: (nu ?? old).Name, Objects: orNull(objects), Type: type };
}

export function taskGroupDiff(old: any, nu: any, contextual = false): TaskGroupDiff {
  const type: DiffType = old == null ? 'Added' : nu == null ? 'Deleted' : same(old, nu) ? 'None' : 'Edited';
  const o = old ?? {},
    n = nu ?? {};
  const of = old ? prim(o, ['Name']) : undefined,
    nf = nu ? prim(n, ['Name']) : undefined;
  if (of && nf)
    for (const k of ['ShutdownDelay', 'StopAfterClientDisconnect', 'MaxClientDisconnect']) {
      of[k] = o[k] == null ? '' : String(o[k]);
      nf[k] = n[k] == null ? '' : String(n[k]);
    }
  const fields = fieldDiffs(of, nf, false);
  const objects: ObjectDiff[] = [
    ...primitiveObjectSetDiff(o.Constraints, n.Constraints, ['str'], 'Constraint', contextual),
    ...primitiveObjectSetDiff(o.Affinities, n.Affinities, ['str'], 'Affinity', contextual),
  ];
  const push = (d: ObjectDiff | undefined) => {
    if (d) objects.push(d);
  };
  push(primitiveObjectDiff(o.RestartPolicy, n.RestartPolicy, undefined, 'RestartPolicy', contextual));
  push(primitiveObjectDiff(o.ReschedulePolicy, n.ReschedulePolicy, undefined, 'ReschedulePolicy', contextual));
  push(primitiveObjectDiff(o.EphemeralDisk, n.EphemeralDisk, undefined, 'EphemeralDisk', contextual));
  push(primitiveObjectDiff(o.Consul, n.Consul, undefined, 'Consul', contextual));
  push(primitiveObjectDiff(o.Update, n.Update, ['Stagger'], 'Update', contextual));
  objects.push(...networkDiffs(o.Networks, n.Networks, true));
  objects.push(...serviceDiffs(o.Services, n.Services));
  const tasks = new Map<string, [any, any]>();
  for (const t of o.Tasks ?? []) tasks.set(t.Name, [t, undefined]);
  for (const t of n.Tasks ?? []) tasks.set(t.Name, [tasks.get(t.Name)?.[0], t]);
  const taskDiffs = [...tasks.values()]
    .map(([a, b]) => taskDiff(a, b, contextual))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return {
    Fields: orNull(fields),
    Name: (nu ?? old).Name,
    Objects: orNull(objects),
    Tasks: orNull(taskDiffs),
    Type: type,
    Updates: null,
  };
}

const JOB_FILTER = [
  'ID',
  'Status',
  'StatusDescription',
  'Version',
  'Stable',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'Update',
  'SubmitTime',
  'NomadTokenID',
  'VaultToken',
];

export function jobDiff(old: any, nu: any, contextual = false): JobDiff {
  const o = old ?? {},
    n = nu ?? {};
  const fields = fieldDiffs(old ? prim(o, JOB_FILTER) : undefined, nu ? prim(n, JOB_FILTER) : undefined, false);
  const objects: ObjectDiff[] = [];
  const dc = stringSetDiff(o.Datacenters, n.Datacenters, 'Datacenters', contextual);
  if (dc && dc.Type !== 'None') objects.push(dc);
  objects.push(...primitiveObjectSetDiff(o.Constraints, n.Constraints, ['str'], 'Constraint', contextual));
  objects.push(...primitiveObjectSetDiff(o.Affinities, n.Affinities, ['str'], 'Affinity', contextual));
  const groups = new Map<string, [any, any]>();
  for (const g of o.TaskGroups ?? []) groups.set(g.Name, [g, undefined]);
  for (const g of n.TaskGroups ?? []) groups.set(g.Name, [groups.get(g.Name)?.[0], g]);
  const tgs = [...groups.values()]
    .map(([a, b]) => taskGroupDiff(a, b, contextual))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  const per = nested(o.Periodic, n.Periodic, 'Periodic', undefined, contextual, (a, b) => {
    const s = stringSetDiff(a.Specs, b.Specs, 'Specs', contextual);
    return s && s.Type !== 'None' ? [s] : [];
  });
  if (per) objects.push(per);
  const pj = nested(o.ParameterizedJob, n.ParameterizedJob, 'ParameterizedJob', undefined, contextual, (a, b) =>
    [
      stringSetDiff(a.MetaRequired, b.MetaRequired, 'MetaRequired', contextual),
      stringSetDiff(a.MetaOptional, b.MetaOptional, 'MetaOptional', contextual),
    ].filter((x): x is ObjectDiff => !!x && x.Type !== 'None'),
  );
  if (pj) objects.push(pj);
  let type: DiffType = !old ? 'Added' : !nu ? 'Deleted' : 'None';
  if (
    type === 'None' &&
    (fields.some(f => f.Type !== 'None') || objects.some(x => x.Type !== 'None') || tgs.some(t => t.Type !== 'None'))
  )
    type = 'Edited';
  return { Fields: orNull(fields), ID: (nu ?? old).ID, Objects: orNull(objects), TaskGroups: orNull(tgs), Type: type };
}

// ---- the scheduler's view: does a change need new allocations? (create/destroy vs in-place)

/** True when allocations of group `name` must be replaced to go from job `a` to job `b`. */
export function groupNeedsReplacement(a: any, b: any, name: string): boolean {
  const ga = a.TaskGroups?.find((g: any) => g.Name === name),
    gb = b.TaskGroups?.find((g: any) => g.Name === name);
  if (!ga || !gb) return true;
  if ((ga.Tasks ?? []).length !== (gb.Tasks ?? []).length) return true;
  if (!same(ga.EphemeralDisk, gb.EphemeralDisk)) return true;
  if (!same(stripValues(ga.Networks), stripValues(gb.Networks))) return true;
  if (!same(ga.Volumes, gb.Volumes)) return true;
  for (const ta of ga.Tasks ?? []) {
    const tb = (gb.Tasks ?? []).find((t: any) => t.Name === ta.Name);
    if (!tb) return true;
    for (const k of [
      'Driver',
      'User',
      'Config',
      'Env',
      'Artifacts',
      'Vault',
      'Templates',
      'VolumeMounts',
      'Identity',
    ]) {
      if (!same(emptyToNull(ta[k]), emptyToNull(tb[k]))) return true;
    }
    const meta = (j: any, g: any, t: any) => ({ ...(j.Meta ?? {}), ...(g.Meta ?? {}), ...(t.Meta ?? {}) });
    if (!same(sortKeys(meta(a, ga, ta)), sortKeys(meta(b, gb, tb)))) return true;
    const ra = ta.Resources ?? {},
      rb = tb.Resources ?? {};
    for (const k of ['CPU', 'Cores', 'MemoryMB', 'MemoryMaxMB', 'Devices'])
      if (!same(ra[k] ?? null, rb[k] ?? null)) return true;
    if (!same(stripValues(ra.Networks), stripValues(rb.Networks))) return true;
    if ((ta.LogConfig?.Disabled ?? false) !== (tb.LogConfig?.Disabled ?? false)) return true;
  }
  return false;
}

function stripValues(nets: any[] | null | undefined) {
  return (nets ?? []).map(n => ({ ...n, DynamicPorts: (n.DynamicPorts ?? []).map((p: any) => ({ ...p, Value: 0 })) }));
}
const emptyToNull = (v: any) =>
  v == null || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)
    ? null
    : v;
const sortKeys = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

// ---- annotations, as `nomad plan` prints them

export interface DesiredUpdates {
  Canary: number;
  DestructiveUpdate: number;
  Ignore: number;
  InPlaceUpdate: number;
  Migrate: number;
  Place: number;
  Preemptions: number;
  Stop: number;
}

export function annotate(diff: JobDiff, desired: Record<string, DesiredUpdates>): void {
  for (const tg of diff.TaskGroups ?? []) {
    const u = desired[tg.Name];
    if (u) {
      const up: Record<string, number> = {};
      if (u.Ignore) up['ignore'] = u.Ignore;
      if (u.Place) up['create'] = u.Place;
      if (u.Migrate) up['migrate'] = u.Migrate;
      if (u.Stop) up['destroy'] = u.Stop;
      if (u.Canary) up['canary'] = u.Canary;
      if (u.InPlaceUpdate) up['in-place update'] = u.InPlaceUpdate;
      if (u.DestructiveUpdate) up['create/destroy update'] = u.DestructiveUpdate;
      tg.Updates = up;
    }
    const count = tg.Fields?.find(f => f.Name === 'Count');
    if (count) {
      const o = Number(count.Old || 0),
        n = Number(count.New || 0);
      if (o < n) count.Annotations = [...(count.Annotations ?? []), 'forces create'];
      else if (n < o) count.Annotations = [...(count.Annotations ?? []), 'forces destroy'];
    }
    for (const t of tg.Tasks ?? []) {
      if (t.Type === 'None') continue;
      if ((tg.Type === 'Added' || tg.Type === 'Deleted') && (t.Type === 'Added' || t.Type === 'Deleted')) {
        t.Annotations = [t.Type === 'Added' ? 'forces create' : 'forces destroy'];
        continue;
      }
      let destructive = (t.Fields ?? []).some(f => f.Name !== 'KillTimeout');
      if (!destructive) {
        for (const o of t.Objects ?? []) {
          if (o.Name === 'Service' || o.Name === 'Constraint') continue;
          if (o.Name === 'LogConfig') {
            if ((o.Fields ?? []).some(f => f.Name === 'Disabled')) {
              destructive = true;
              break;
            }
            continue;
          }
          destructive = true;
          break;
        }
      }
      t.Annotations = [destructive ? 'forces create/destroy update' : 'forces in-place update'];
    }
  }
}
