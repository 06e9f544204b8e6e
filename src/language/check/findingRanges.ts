/**
 * Where a cluster validation finding belongs in the job file: the named group and task blocks, the
 * N-th constraint (or other object) inside them, and an attribute the message names when there is one.
 * Pure; best effort, falling back to the innermost block header found.
 */
import type { Block, Body, HclFile, Range } from '../hcl';
import type { ValidationFinding } from './clusterFindings';

const blocks = (body: Body, type: string): Block[] =>
  body.items.filter((i): i is Block => i.kind === 'Block' && i.type === type);

/** API field names that show up in messages → their HCL attribute (and the block they live in). */
const FIELD_HINTS: { re: RegExp; block?: string; attr: string }[] = [
  { re: /\bMemoryMB\b|\bmemory\b/i, block: 'resources', attr: 'memory' },
  { re: /\bMemoryMaxMB\b/i, block: 'resources', attr: 'memory_max' },
  { re: /\bCPU\b/, block: 'resources', attr: 'cpu' },
  { re: /\bcores?\b/i, block: 'resources', attr: 'cores' },
  { re: /constraint type|operator/i, attr: 'operator' },
  { re: /\bcount\b/i, attr: 'count' },
  { re: /\bdriver\b/i, attr: 'driver' },
  { re: /\bdatacenters?\b/i, attr: 'datacenters' },
  { re: /\bpriority\b/i, attr: 'priority' },
  { re: /\bport\b/i, attr: 'port' },
  { re: /\bimage\b/i, block: 'config', attr: 'image' },
  { re: /\bcommand\b/i, block: 'config', attr: 'command' },
];

export function rangeForFinding(file: HclFile, f: ValidationFinding): Range | undefined {
  const job = blocks(file.body, 'job')[0];
  if (!job) return undefined;
  let body = job.body;
  let best: Range = job.labels[0]?.range ?? job.typeRange;
  if (f.group) {
    const g = blocks(body, 'group').find(b => b.labels[0]?.value === f.group);
    if (g) {
      body = g.body;
      best = g.labels[0]?.range ?? g.typeRange;
    }
  }
  if (f.task) {
    const t = blocks(body, 'task').find(b => b.labels[0]?.value === f.task);
    if (t) {
      body = t.body;
      best = t.labels[0]?.range ?? t.typeRange;
    }
  }
  if (f.object) {
    const list = blocks(body, f.object.kind.toLowerCase());
    const o =
      f.object.index !== undefined
        ? list[f.object.index - 1]
        : f.object.name
          ? (list.find(b => b.labels[0]?.value === f.object!.name) ?? list[0])
          : list[0];
    if (o) {
      body = o.body;
      best = o.typeRange;
    }
  }
  for (const h of FIELD_HINTS) {
    if (!h.re.test(f.message)) continue;
    const inBody = (b: Body) => b.items.find(i => i.kind === 'Attribute' && i.name === h.attr);
    const direct = inBody(body);
    if (direct) return direct.range;
    if (h.block)
      for (const sub of blocks(body, h.block)) {
        const a = inBody(sub.body);
        if (a) return a.range;
      }
  }
  return best;
}
