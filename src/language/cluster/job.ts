// What a job file asks of the cluster, read from the syntax tree with the ranges to report on: the job's
// datacenters, node pool and namespace; per group its constraints (job + group + task), host and CSI
// volumes, ephemeral disk; per task its driver, resources and templates. Only literal values are taken:
// an expression (`var.dc`, `${…}`) is unknown here, and what is unknown is never judged. Pure.
import type { Attribute, Block, Body, Expression, HclFile, Range } from '../hcl';
import { staticValue } from '../hcl';
import { delimitersOf } from '../template/scan';

export interface Literal<T> {
  value: T;
  range: Range;
}

export interface JobConstraint {
  attribute?: string;
  operator: string;
  value?: string;
  /** the block's `constraint` keyword range, else the attribute */
  range: Range;
  /** `affinity` blocks are preferences: never a reason a job cannot be placed */
  affinity: boolean;
  /** where it was written: job, group or task */
  level: 'job' | 'group' | 'task';
}

export interface JobTemplate {
  /** the `data` attribute's expression (a string or a heredoc) */
  data: Expression;
  range: Range;
  /** its delimiters; undefined when one is an expression (the data is then not read) */
  delims: { left: string; right: string } | undefined;
}

export interface JobTask {
  name: string;
  range: Range;
  driver?: Literal<string>;
  cpu?: Literal<number>;
  memory?: Literal<number>;
  constraints: JobConstraint[];
  templates: JobTemplate[];
}

export interface JobVolume {
  name: string;
  type: 'host' | 'csi' | string;
  source?: Literal<string>;
}

export interface JobGroup {
  name: string;
  range: Range;
  constraints: JobConstraint[];
  tasks: JobTask[];
  volumes: JobVolume[];
  disk?: Literal<number>;
  /** how many allocations the group asks for: its `count` (Nomad's default 1, or the scaling block's min);
   *  undefined when that is not a literal or comes from a scaling block */
  count?: number;
}

export interface JobFacts {
  id: string;
  range: Range;
  /** undefined: not written (Nomad's default is ["*"]) or not a literal */
  datacenters?: Literal<string[]>;
  datacentersUnknown: boolean;
  nodePool?: Literal<string>;
  nodePoolUnknown: boolean;
  namespace?: Literal<string>;
  namespaceUnknown: boolean;
  /** the job's type (Nomad's default "service"); undefined when it is not a literal */
  type?: string;
  constraints: JobConstraint[];
  groups: JobGroup[];
}

const blocks = (b: Body, type: string): Block[] =>
  b.items.filter((i): i is Block => i.kind === 'Block' && i.type === type);
const attr = (b: Body, name: string): Attribute | undefined =>
  b.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === name);

function str(b: Body, name: string): Literal<string> | undefined {
  const a = attr(b, name);
  if (!a) return undefined;
  const v = staticValue(a.expr);
  return typeof v === 'string' ? { value: v, range: a.expr.range } : undefined;
}

function int(b: Body, name: string): Literal<number> | undefined {
  const a = attr(b, name);
  if (!a) return undefined;
  const v = staticValue(a.expr);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined ? { value: n, range: a.expr.range } : undefined;
}

const written = (b: Body, name: string): boolean => attr(b, name) !== undefined;

const RUNTIME_ROOTS = new Set(['attr', 'node', 'meta']);

/** A string as Nomad keeps it: HCL leaves `${attr.…}`, `${node.…}` and `${meta.…}` for the scheduler, so
 *  "${attr.kernel.name}" is that text. undefined for any other expression. */
export function runtimeString(text: string, e: Expression): string | undefined {
  const v = staticValue(e);
  if (typeof v === 'string') return v;
  if (e.kind !== 'Template') return undefined;
  let out = '';
  for (const p of e.parts) {
    if (p.kind === 'TemplateLiteral') out += p.value;
    else if (p.kind === 'TemplateInterpolation' && p.expr.kind === 'ScopeTraversal' && RUNTIME_ROOTS.has(p.expr.root))
      out += `\${${text.slice(p.expr.range.start, p.expr.range.end)}}`;
    else return undefined;
  }
  return out;
}

/** Nomad's HCL shorthands: `distinct_hosts = true` and `operator = "distinct_property"` are constraints too. */
function constraintsOf(b: Body, level: JobConstraint['level'], text: string): JobConstraint[] {
  const out: JobConstraint[] = [];
  for (const kind of ['constraint', 'affinity'] as const) {
    for (const c of blocks(b, kind)) {
      const at = (n: string): string | undefined | null => {
        const a = attr(c.body, n);
        if (!a) return undefined;
        const v = staticValue(a.expr);
        if (typeof v === 'number' || typeof v === 'boolean') return String(v);
        return runtimeString(text, a.expr) ?? null;
      };
      const attribute = at('attribute'),
        value = at('value'),
        operator = at('operator');
      // an expression we cannot read: say nothing of this constraint
      if (attribute === null || value === null || operator === null) continue;
      let op = operator ?? '=';
      // constraint { distinct_hosts = true } / { version = ">= 1" } / { regexp = "…" } … : the shorthands
      let v = value;
      // Nomad's decoder (jobspec2) applies them in this order, the last one written winning: version, semver,
      // regexp, set_contains put the operator and the value; distinct_hosts = <bool> the operator and the
      // value ("true"/"false"); distinct_property = "<property>" the operator and the attribute (the value
      // stays the allowed count)
      let property: string | undefined;
      for (const short of ['version', 'semver', 'regexp', 'set_contains', 'distinct_hosts', 'distinct_property']) {
        const s = at(short);
        if (s === null) {
          op = '';
          break;
        }
        if (s !== undefined) {
          op = short;
          if (short === 'distinct_property') property = s;
          else v = s;
        }
      }
      // `is_set = true`, `set_contains_any = "…"`, `set_contains_all = "…"` are declared by Nomad's decoder but
      // not folded into the operator: not judged
      if (!op || ['is_set', 'is_not_set', 'set_contains_any', 'set_contains_all'].some(n => at(n) !== undefined))
        continue;
      const lhs = property ?? attribute;
      out.push({
        ...(lhs !== undefined ? { attribute: lhs } : {}),
        operator: op,
        ...(v !== undefined ? { value: v } : {}),
        range: c.typeRange,
        affinity: kind === 'affinity',
        level,
      });
    }
  }
  return out;
}

function taskOf(t: Block, text: string): JobTask {
  const res = blocks(t.body, 'resources')[0];
  const driver = str(t.body, 'driver');
  const cpu = res ? int(res.body, 'cpu') : undefined;
  const memory = res ? int(res.body, 'memory') : undefined;
  return {
    name: t.labels[0]?.value ?? '',
    range: t.labels[0]?.range ?? t.typeRange,
    ...(driver ? { driver } : {}),
    ...(cpu ? { cpu } : {}),
    ...(memory ? { memory } : {}),
    constraints: constraintsOf(t.body, 'task', text),
    templates: blocks(t.body, 'template').flatMap(tp => {
      const d = attr(tp.body, 'data');
      return d ? [{ data: d.expr, range: d.range, delims: delimitersOf(n => attr(tp.body, n)?.expr) }] : [];
    }),
  };
}

function groupOf(g: Block, text: string): JobGroup {
  const disk = blocks(g.body, 'ephemeral_disk')[0];
  const size = disk ? int(disk.body, 'size') : undefined;
  return {
    name: g.labels[0]?.value ?? '',
    range: g.labels[0]?.range ?? g.typeRange,
    constraints: constraintsOf(g.body, 'group', text),
    tasks: blocks(g.body, 'task').map(t => taskOf(t, text)),
    volumes: blocks(g.body, 'volume').map(v => {
      const source = str(v.body, 'source');
      return {
        name: v.labels[0]?.value ?? '',
        type: str(v.body, 'type')?.value ?? 'host',
        ...(source ? { source } : {}),
      };
    }),
    ...(size ? { disk: size } : {}),
    ...countOf(g.body),
  };
}

/** The group's count as Nomad's API fills it in: written, else 1 unless a scaling block gives its min. */
function countOf(b: Body): { count?: number } {
  if (written(b, 'count')) {
    const n = int(b, 'count');
    return n ? { count: n.value } : {};
  }
  return blocks(b, 'scaling').length ? {} : { count: 1 };
}

/** The job of a file (its first `job` block), or undefined. */
export function jobFacts(file: HclFile): JobFacts | undefined {
  const job = blocks(file.body, 'job')[0];
  if (!job) return undefined;
  const b = job.body;
  const dcAttr = attr(b, 'datacenters');
  const dcValue = dcAttr ? staticValue(dcAttr.expr) : undefined;
  const datacenters =
    dcAttr && Array.isArray(dcValue) && dcValue.every(x => typeof x === 'string')
      ? { value: dcValue as string[], range: dcAttr.expr.range }
      : undefined;
  const nodePool = str(b, 'node_pool');
  const namespace = str(b, 'namespace');
  const type = written(b, 'type') ? str(b, 'type')?.value : 'service';
  return {
    id: job.labels[0]?.value ?? '',
    range: job.labels[0]?.range ?? job.typeRange,
    ...(datacenters ? { datacenters } : {}),
    datacentersUnknown: !!dcAttr && !datacenters,
    ...(nodePool ? { nodePool } : {}),
    nodePoolUnknown: written(b, 'node_pool') && !nodePool,
    ...(namespace ? { namespace } : {}),
    namespaceUnknown: written(b, 'namespace') && !namespace,
    ...(type !== undefined ? { type } : {}),
    constraints: constraintsOf(b, 'job', file.text),
    groups: blocks(b, 'group').map(g => groupOf(g, file.text)),
  };
}
