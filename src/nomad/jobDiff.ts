// Differences between two versions of a job, as lines a person reads: `+ path = value`,
// `- path = value`, `~ path: old => new`. Works on the job JSON Nomad returns from
// /v1/job/:id/versions; bookkeeping fields (indexes, times, status, version) are left out.
// Pure: no `vscode` import. Values are made visible by the caller's renderer (visible()).
import { visible } from './display';

const IGNORED = new Set([
  'Version',
  'ModifyIndex',
  'CreateIndex',
  'JobModifyIndex',
  'SubmitTime',
  'Stable',
  'Status',
  'StatusDescription',
  'Dispatched',
]);

type Flat = Map<string, string>;

/** Keyed arrays (TaskGroups, Tasks, Services…) are addressed by Name/Label, so a reorder is no change. */
function keyOf(item: unknown, i: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const k of ['Name', 'Label', 'ID']) if (typeof o[k] === 'string' && o[k]) return `[${o[k] as string}]`;
  }
  return `[${i}]`;
}

function flatten(v: unknown, path: string, out: Flat, depth = 0): void {
  if (depth > 40) {
    out.set(path, '…');
    return;
  }
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    if (!v.length) return;
    if (v.every(x => x === null || typeof x !== 'object')) {
      out.set(path, JSON.stringify(v));
      return;
    }
    v.forEach((x, i) => flatten(x, `${path}${keyOf(x, i)}`, out, depth + 1));
    return;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (depth === 0 && IGNORED.has(k)) continue;
      flatten(x, path ? `${path}.${k}` : k, out, depth + 1);
    }
    return;
  }
  out.set(path, typeof v === 'string' ? JSON.stringify(v) : String(v));
}

export interface DiffLine {
  op: '+' | '-' | '~';
  path: string;
  from?: string;
  to?: string;
}

/** What changes from `from` to `to` (both job objects). Sorted by path. */
export function diffJobs(from: unknown, to: unknown): DiffLine[] {
  const a: Flat = new Map(),
    b: Flat = new Map();
  flatten(from, '', a);
  flatten(to, '', b);
  const out: DiffLine[] = [];
  for (const [p, v] of a) {
    const w = b.get(p);
    if (w === undefined) out.push({ op: '-', path: p, from: v });
    else if (w !== v) out.push({ op: '~', path: p, from: v, to: w });
  }
  for (const [p, w] of b) if (!a.has(p)) out.push({ op: '+', path: p, to: w });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

export function renderDiff(lines: readonly DiffLine[]): string {
  if (!lines.length) return '  (no difference)\n';
  return (
    lines
      .map(l =>
        l.op === '~'
          ? `~ ${visible(l.path)}: ${visible(clip(l.from!))} => ${visible(clip(l.to!))}`
          : `${l.op} ${visible(l.path)} = ${visible(clip((l.op === '+' ? l.to : l.from)!))}`,
      )
      .join('\n') + '\n'
  );
}
