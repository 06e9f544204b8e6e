/**
 * The plan-diff view model: turns a `/v1/job/:id/plan` response into rows the webview renders the way
 * `nomad plan` and the Nomad UI present them (markers `+`, `-`, `+/-`; group update counts; task
 * annotations; `old => new`; scheduler dry-run). Pure: no `vscode`, no DOM. Each row carries a `path`
 * the extension maps back to a range in the job file.
 */
import type {
  AllocationMetric,
  DiffType,
  FieldDiff,
  JobPlanResponse,
  ObjectDiff,
  TaskDiff,
  TaskGroupDiff,
} from '../types';

export type Marker = '+' | '-' | '+/-' | '';

/** Where a row lives in the job: group and task names, then nested object and field names. */
export type DiffPathSegment =
  | { kind: 'group'; name: string }
  | { kind: 'task'; name: string }
  | { kind: 'object'; name: string }
  | { kind: 'field'; name: string };

export interface LineDiff {
  op: '+' | '-' | ' ';
  text: string;
}

export interface PlanRow {
  id: string;
  kind: 'job' | 'group' | 'task' | 'object' | 'field';
  marker: Marker;
  type: DiffType;
  /** what the row is about: `Job: "web"`, `Task Group: "api"`, `Config`, `image` */
  label: string;
  /** `(1 create/destroy update)`, `(forces create/destroy update)` … */
  note?: string;
  old?: string;
  new?: string;
  /** durations (nanoseconds in Nomad's API) as a person reads them: `15s`, `1m30s` */
  oldHuman?: string;
  newHuman?: string;
  /** for long or multi-line values (templates): a line-by-line diff */
  lines?: LineDiff[];
  annotations: string[];
  path: DiffPathSegment[];
  children: PlanRow[];
}

export interface FailedGroup {
  group: string;
  lines: string[];
}

export interface PlanViewModel {
  jobId: string;
  /** what the plan does to the job as a whole */
  change: 'new' | 'update' | 'none' | 'delete';
  root: PlanRow | undefined;
  /** per task group: update kind → count, in the CLI's order */
  groupUpdates: { group: string; updates: { kind: string; count: number }[] }[];
  allPlaced: boolean;
  failed: FailedGroup[];
  warnings: string[];
  nextPeriodicLaunch?: string;
  jobModifyIndex: number;
  /** the CLI line that submits this same file with the same check */
  cliLine: string;
}

const markerOf = (t: DiffType): Marker => (t === 'Added' ? '+' : t === 'Deleted' ? '-' : t === 'Edited' ? '+/-' : '');

/** The CLI's order for update kinds; unknown kinds follow alphabetically. */
const UPDATE_ORDER = ['create', 'destroy', 'migrate', 'in-place update', 'create/destroy update', 'canary', 'ignore'];

export function sortUpdates(updates: Record<string, number> | null | undefined): { kind: string; count: number }[] {
  const entries = Object.entries(updates ?? {}).filter(([, n]) => n > 0);
  const rank = (k: string) => {
    const i = UPDATE_ORDER.indexOf(k);
    return i < 0 ? UPDATE_ORDER.length : i;
  };
  return entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([kind, count]) => ({ kind, count }));
}

/** A value is shown as a line diff when either side spans lines or is long. */
const LONG_VALUE = 120;
const isLong = (s: string | undefined) => !!s && (s.includes('\n') || s.length > LONG_VALUE);

/** Line diff by longest common subsequence (values are small: templates, scripts). */
export function lineDiff(oldText: string, newText: string): LineDiff[] {
  const a = oldText.split('\n'),
    b = newText.split('\n');
  const n = a.length,
    m = b.length;
  if (n * m > 4_000_000)
    return [...a.map(text => ({ op: '-' as const, text })), ...b.map(text => ({ op: '+' as const, text }))];
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: LineDiff[] = [];
  let i = 0,
    j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** Row ids are stable within one view model: a counter owned by each build. */
type IdGen = () => string;

/** Fields of Nomad's job API that hold durations in nanoseconds. */
export const DURATION_FIELDS: ReadonlySet<string> = new Set([
  'KillTimeout',
  'ShutdownDelay',
  'Delay',
  'Interval',
  'MaxDelay',
  'MinHealthyTime',
  'HealthyDeadline',
  'ProgressDeadline',
  'Stagger',
  'Timeout',
  'Grace',
  'StopAfterClientDisconnect',
  'MaxClientDisconnect',
  'LostAfter',
  'Splay',
  'ChangeSplay',
]);

const UNITS: [number, string][] = [
  [3600e9, 'h'],
  [60e9, 'm'],
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** Nanoseconds as Go prints a duration, compactly: 15000000000 → `15s`, 90e9 → `1m30s`, 0 → `0s`. */
export function humanDuration(nanos: number): string {
  if (!Number.isFinite(nanos)) return '';
  if (nanos === 0) return '0s';
  let n = Math.abs(nanos);
  const out: string[] = [];
  if (n < 1e9) {
    const [size, unit] = UNITS.find(([u]) => n >= u) ?? [1, 'ns'];
    return `${nanos < 0 ? '-' : ''}${+(n / size).toFixed(3)}${unit}`;
  }
  for (const [size, unit] of UNITS.slice(0, 3)) {
    const q = Math.floor(n / size);
    if (q) {
      out.push(`${q}${unit}`);
      n -= q * size;
    }
  }
  if (n >= 1e6) out.push(`${Math.round(n / 1e6)}ms`);
  return `${nanos < 0 ? '-' : ''}${out.join('')}`;
}

/** The humanised value of a known duration field, or undefined. */
function durationOf(name: string, value: string | undefined): string | undefined {
  if (value === undefined || !DURATION_FIELDS.has(name) || !/^-?\d+$/.test(value)) return undefined;
  return humanDuration(Number(value));
}

function fieldRow(nextId: IdGen, f: FieldDiff, path: DiffPathSegment[]): PlanRow {
  const row: PlanRow = {
    id: nextId(),
    kind: 'field',
    marker: markerOf(f.Type),
    type: f.Type,
    label: f.Name,
    annotations: f.Annotations ?? [],
    path: [...path, { kind: 'field', name: f.Name }],
    children: [],
  };
  if (f.Type === 'Added') row.new = f.New;
  else if (f.Type === 'Deleted') row.old = f.Old;
  else {
    row.old = f.Old;
    row.new = f.New;
  }
  const oldHuman = durationOf(f.Name, row.old),
    newHuman = durationOf(f.Name, row.new);
  if (oldHuman !== undefined) row.oldHuman = oldHuman;
  if (newHuman !== undefined) row.newHuman = newHuman;
  if (f.Type === 'Edited' && (isLong(f.Old) || isLong(f.New))) row.lines = lineDiff(f.Old, f.New);
  if (row.annotations.length) row.note = `(${row.annotations.join(', ')})`;
  return row;
}

function objectRow(nextId: IdGen, o: ObjectDiff, path: DiffPathSegment[]): PlanRow {
  const p: DiffPathSegment[] = [...path, { kind: 'object', name: o.Name }];
  return {
    id: nextId(),
    kind: 'object',
    marker: markerOf(o.Type),
    type: o.Type,
    label: o.Name,
    annotations: [],
    path: p,
    children: [
      ...(o.Fields ?? []).map(f => fieldRow(nextId, f, p)),
      ...(o.Objects ?? []).map(c => objectRow(nextId, c, p)),
    ],
  };
}

function taskRow(nextId: IdGen, t: TaskDiff, path: DiffPathSegment[]): PlanRow {
  const p: DiffPathSegment[] = [...path, { kind: 'task', name: t.Name }];
  const annotations = t.Annotations ?? [];
  return {
    id: nextId(),
    kind: 'task',
    marker: markerOf(t.Type),
    type: t.Type,
    label: `Task: "${t.Name}"`,
    note: annotations.length ? `(${annotations.join(', ')})` : undefined,
    annotations,
    path: p,
    children: [
      ...(t.Fields ?? []).map(f => fieldRow(nextId, f, p)),
      ...(t.Objects ?? []).map(o => objectRow(nextId, o, p)),
    ],
  };
}

function groupRow(nextId: IdGen, g: TaskGroupDiff): PlanRow {
  const p: DiffPathSegment[] = [{ kind: 'group', name: g.Name }];
  const updates = sortUpdates(g.Updates);
  return {
    id: nextId(),
    kind: 'group',
    marker: markerOf(g.Type),
    type: g.Type,
    label: `Task Group: "${g.Name}"`,
    note: updates.length ? `(${updates.map(u => `${u.count} ${u.kind}`).join(', ')})` : undefined,
    annotations: [],
    path: p,
    children: [
      ...(g.Fields ?? []).map(f => fieldRow(nextId, f, p)),
      ...(g.Objects ?? []).map(o => objectRow(nextId, o, p)),
      ...(g.Tasks ?? []).map(t => taskRow(nextId, t, p)),
    ],
  };
}

/** Scheduler metrics of a group that could not be placed, in the CLI's words and order. */
export function describeFailure(m: AllocationMetric): string[] {
  const lines: string[] = [];
  if (m.CoalescedFailures > 0)
    lines.push(
      `${m.CoalescedFailures + 1} allocations could not be placed (${m.CoalescedFailures} similar failures coalesced)`,
    );
  if (m.NodesEvaluated === 0) lines.push('No nodes were eligible for evaluation');
  const available = Object.entries(m.NodesAvailable ?? {});
  for (const [dc, n] of available) if (n === 0) lines.push(`No nodes are available in datacenter "${dc}"`);
  lines.push(`Nodes evaluated: ${m.NodesEvaluated}, filtered: ${m.NodesFiltered}, exhausted: ${m.NodesExhausted}`);
  for (const [cls, n] of Object.entries(m.ClassFiltered ?? {}))
    lines.push(`Class "${cls}" filtered ${n} node${n === 1 ? '' : 's'}`);
  for (const [c, n] of Object.entries(m.ConstraintFiltered ?? {}))
    lines.push(`Constraint "${c}" filtered ${n} node${n === 1 ? '' : 's'}`);
  for (const [cls, n] of Object.entries(m.ClassExhausted ?? {}))
    lines.push(`Class "${cls}" exhausted on ${n} node${n === 1 ? '' : 's'}`);
  for (const [d, n] of Object.entries(m.DimensionExhausted ?? {}))
    lines.push(`Dimension "${d}" exhausted on ${n} node${n === 1 ? '' : 's'}`);
  for (const q of m.QuotaExhausted ?? []) lines.push(`Quota limit hit "${q}"`);
  return lines;
}

/** Drops unchanged rows (Type "None") unless `showUnchanged`; keeps a parent when a child changed. */
export function visibleRows(rows: readonly PlanRow[], showUnchanged: boolean): PlanRow[] {
  const out: PlanRow[] = [];
  for (const r of rows) {
    const children = visibleRows(r.children, showUnchanged);
    if (showUnchanged || r.type !== 'None' || children.length) out.push({ ...r, children });
  }
  return out;
}

/** Does this row or anything under it change? */
export const rowChanges = (r: PlanRow): boolean => r.type !== 'None' || r.children.some(rowChanges);

const ZERO_TIME = /^0001-01-01/;

/** A word for a POSIX shell: left bare when it holds only safe characters, else single-quoted. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `nomad job run` line that submits the same file the same way: the check index, every
 *  -var-file and -var the extension used, in that order, then the file. */
export function cliRunLine(
  jobModifyIndex: number,
  fileName: string,
  varFiles: readonly string[] = [],
  vars: readonly (readonly [string, string])[] = [],
): string {
  const words = ['nomad', 'job', 'run', '-check-index', String(jobModifyIndex)];
  for (const f of varFiles) words.push(shellQuote(`-var-file=${f}`));
  for (const [name, value] of vars) words.push('-var', shellQuote(`${name}=${value}`));
  words.push(shellQuote(fileName));
  return words.join(' ');
}

/** Keys of the job API that the rows show elsewhere, or that say nothing to a reader. */
const CONTEXT_SKIP = new Set([
  'TaskGroups',
  'Tasks',
  'ID',
  'Status',
  'StatusDescription',
  'Stable',
  'Version',
  'SubmitTime',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'Stop',
  'Dispatched',
  'DispatchIdempotencyToken',
  'ParentID',
  'VaultToken',
  'ConsulToken',
  'NomadTokenID',
]);
/** Maps Nomad's diff shows as `Name[key]` fields. */
const MAP_FIELDS = new Set(['Meta', 'Env']);

const isEmpty = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
const scalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Adds rows of type None for what the submitted job sets and the diff does not mention, so "Show
 *  unchanged fields" shows the whole job on an update too (Nomad's diff only carries unchanged fields
 *  inside changed objects). */
function addUnchanged(nextId: IdGen, row: PlanRow, obj: Record<string, unknown>, path: DiffPathSegment[]): void {
  const fields = new Set(row.children.filter(c => c.kind === 'field').map(c => c.label));
  const objects = new Set(row.children.filter(c => c.kind === 'object').map(c => c.label));
  const none = (label: string, value: string): PlanRow => {
    const r: PlanRow = {
      id: nextId(),
      kind: 'field',
      marker: '',
      type: 'None',
      label,
      old: value,
      new: value,
      annotations: [],
      path: [...path, { kind: 'field', name: label }],
      children: [],
    };
    const h = durationOf(label, value);
    if (h !== undefined) {
      r.oldHuman = h;
      r.newHuman = h;
    }
    return r;
  };
  for (const [k, v] of Object.entries(obj)) {
    if (CONTEXT_SKIP.has(k) || isEmpty(v)) continue;
    if (scalar(v)) {
      if (!fields.has(k)) row.children.push(none(k, String(v)));
      continue;
    }
    if (MAP_FIELDS.has(k) && typeof v === 'object' && !Array.isArray(v)) {
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>))
        if (!fields.has(`${k}[${mk}]`) && scalar(mv)) row.children.push(none(`${k}[${mk}]`, String(mv)));
      continue;
    }
    if (Array.isArray(v) && v.every(scalar)) {
      if (!fields.has(k) && !objects.has(k)) row.children.push(none(k, v.join(', ')));
      continue;
    }
    if (objects.has(k)) continue;
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
      const p: DiffPathSegment[] = [...path, { kind: 'object', name: k }];
      const child: PlanRow = {
        id: nextId(),
        kind: 'object',
        marker: '',
        type: 'None',
        label: k,
        annotations: [],
        path: p,
        children: [],
      };
      addUnchanged(nextId, child, item as Record<string, unknown>, p);
      if (child.children.length) row.children.push(child);
    }
  }
}

function addUnchangedJob(nextId: IdGen, root: PlanRow, job: Record<string, unknown>): void {
  addUnchanged(nextId, root, job, []);
  for (const g of (job.TaskGroups as Record<string, unknown>[] | undefined) ?? []) {
    const gName = String(g.Name ?? '');
    const gPath: DiffPathSegment[] = [{ kind: 'group', name: gName }];
    let gRow = root.children.find(c => c.kind === 'group' && c.path[0]?.kind === 'group' && c.path[0].name === gName);
    if (!gRow) {
      gRow = {
        id: nextId(),
        kind: 'group',
        marker: '',
        type: 'None',
        label: `Task Group: "${gName}"`,
        annotations: [],
        path: gPath,
        children: [],
      };
      root.children.push(gRow);
    }
    addUnchanged(nextId, gRow, g, gPath);
    for (const t of (g.Tasks as Record<string, unknown>[] | undefined) ?? []) {
      const tName = String(t.Name ?? '');
      const tPath: DiffPathSegment[] = [...gPath, { kind: 'task', name: tName }];
      let tRow = gRow.children.find(c => c.kind === 'task' && c.path[1]?.name === tName);
      if (!tRow) {
        tRow = {
          id: nextId(),
          kind: 'task',
          marker: '',
          type: 'None',
          label: `Task: "${tName}"`,
          annotations: [],
          path: tPath,
          children: [],
        };
        gRow.children.push(tRow);
      }
      addUnchanged(nextId, tRow, t, tPath);
    }
  }
}

export interface PlanContext {
  /** -var-file paths the submission used (relative to the job file's folder) */
  varFiles?: readonly string[];
  /** -var values the submission used */
  vars?: readonly (readonly [string, string])[];
  /** the job as submitted (parsed by the cluster): unchanged fields come from it */
  job?: Record<string, unknown> | object;
}

export function buildPlanViewModel(
  jobId: string,
  plan: JobPlanResponse,
  fileName = 'job.nomad.hcl',
  context: PlanContext = {},
): PlanViewModel {
  const d = plan.Diff;
  let seq = 0;
  const nextId: IdGen = () => `r${++seq}`;
  let root: PlanRow | undefined;
  if (d) {
    root = {
      id: nextId(),
      kind: 'job',
      marker: markerOf(d.Type),
      type: d.Type,
      label: `Job: "${d.ID || jobId}"`,
      annotations: [],
      path: [],
      children: [
        ...(d.Fields ?? []).map(f => fieldRow(nextId, f, [])),
        ...(d.Objects ?? []).map(o => objectRow(nextId, o, [])),
        ...(d.TaskGroups ?? []).map(g => groupRow(nextId, g)),
      ],
    };
    // a new or deleted job's diff already lists every field; an update's lists only what changed
    if (context.job && (d.Type === 'Edited' || d.Type === 'None'))
      addUnchangedJob(nextId, root, context.job as Record<string, unknown>);
  }
  const change: PlanViewModel['change'] =
    !d || d.Type === 'None' ? 'none' : d.Type === 'Added' ? 'new' : d.Type === 'Deleted' ? 'delete' : 'update';
  const failed = Object.entries(plan.FailedTGAllocs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, m]) => ({ group, lines: describeFailure(m) }));
  const groupUpdates = Object.entries(plan.Annotations?.DesiredTGUpdates ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, u]) => ({
      group,
      updates: sortUpdates({
        create: u.Place,
        destroy: u.Stop,
        migrate: u.Migrate,
        'in-place update': u.InPlaceUpdate,
        'create/destroy update': u.DestructiveUpdate,
        canary: u.Canary,
        ignore: u.Ignore,
      }),
    }));
  // Nomad nests warnings in multierror text ("1 warning:\n\n* Group … has warnings: 1 error occurred:\n\t* …"):
  // keep the leaf messages only
  const warnings = (plan.Warnings ?? '')
    .split('\n')
    .map(s => s.trim().replace(/^\*\s*/, ''))
    .filter(s => s && !/(^|:\s*)\d+ (errors? occurred|warnings?(?: occurred)?):?$/.test(s));
  const next =
    plan.NextPeriodicLaunch && !ZERO_TIME.test(plan.NextPeriodicLaunch) ? plan.NextPeriodicLaunch : undefined;
  return {
    jobId,
    change,
    root,
    groupUpdates,
    allPlaced: failed.length === 0,
    failed,
    warnings,
    nextPeriodicLaunch: next,
    jobModifyIndex: plan.JobModifyIndex,
    cliLine: cliRunLine(plan.JobModifyIndex, fileName, context.varFiles, context.vars),
  };
}

/** The plan as `nomad plan` prints it (for the clipboard and for tests against the CLI's output). */
export function planAsText(vm: PlanViewModel, showUnchanged = false): string {
  const out: string[] = [];
  const walk = (r: PlanRow, depth: number) => {
    const pad = '  '.repeat(depth);
    const m = r.marker ? `${r.marker} ` : '  ';
    if (r.kind === 'field') {
      const v =
        r.type === 'Added'
          ? JSON.stringify(r.new)
          : r.type === 'Deleted'
            ? JSON.stringify(r.old)
            : r.type === 'Edited'
              ? `${JSON.stringify(r.old)} => ${JSON.stringify(r.new)}`
              : JSON.stringify(r.new ?? r.old ?? '');
      out.push(`${pad}${m}${r.label}: ${v}${r.note ? ` ${r.note}` : ''}`);
    } else if (r.kind === 'object') {
      out.push(`${pad}${m}${r.label} {`);
      for (const c of r.children) walk(c, depth + 1);
      out.push(`${pad}  }`);
    } else {
      out.push(`${pad}${m}${r.label}${r.note ? ` ${r.note}` : ''}`);
      for (const c of r.children) walk(c, depth + (r.kind === 'job' ? 0 : 1));
    }
  };
  if (vm.root) for (const r of visibleRows([vm.root], showUnchanged)) walk(r, 0);
  out.push('', 'Scheduler dry-run:');
  if (vm.allPlaced) out.push('- All tasks successfully allocated.');
  for (const f of vm.failed) {
    out.push(`- WARNING: Failed to place all allocations.`, `  Task Group "${f.group}":`);
    for (const l of f.lines) out.push(`    * ${l}`);
  }
  for (const w of vm.warnings) out.push(`Job Warnings: ${w}`);
  if (vm.nextPeriodicLaunch) out.push(`- If submitted now, next periodic launch would be at ${vm.nextPeriodicLaunch}.`);
  out.push('', `Job Modify Index: ${vm.jobModifyIndex}`, vm.cliLine);
  return out.join('\n');
}
