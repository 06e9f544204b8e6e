// Decoder: syntax tree of a job file -> the Job JSON of Nomad's /v1/jobs/parse (Canonicalize false),
// i.e. the api structs with nulls for unset pointer fields, durations in nanoseconds, task `config` as
// a plain map whose nested blocks are lists of maps (as jobspec2 does). Evaluates input variables
// (defaults + supplied values), locals and a cheap subset of the HCL2 functions; references Nomad
// resolves at run time (`${NOMAD_PORT_http}`, `${attr.x}`, `${node.unique.name}`) stay literal text.
// Every field keeps the source range it came from (`sourceMap`), for jumping from a plan diff row.
//
//   decodeJob(file, { variables? }): { job, sourceMap, errors }
//   rangeForDiffPath(file, decoded, path): Range | undefined
import type { Attribute, Block, Body, Expression, HclFile, Range, TemplatePart } from '../hcl';
import { generatedSchema, type GeneratedBlockRef } from '../schema';
import { parseGoDuration } from '../check/duration';
import { API_DEFAULTS, OMIT_EMPTY } from './defaults';
import { FUNCTIONS, str } from './functions';
import { fullVersion, inRelease, valueInRelease } from '../schema/versions';

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
type JsonObject = { [key: string]: Value };

export interface DecodeOptions {
  /** values of input variables (as -var / a var file would give them) */
  variables?: Record<string, Value>;
  /**
   * the Nomad version whose /v1/jobs/parse to reproduce ("1.6.5"): which fields exist and under which
   * names. Default DECODER_DEFAULT_VERSION, the release whose empty-block values API_DEFAULTS hold.
   */
  targetVersion?: string;
}

export interface DecodedJob {
  /** the Job object, or null when the file has no job block */
  job: JsonObject | null;
  /** source range of each decoded field, keyed by its path (`TaskGroups[0].Tasks[1].Config.image`) */
  sourceMap: Map<string, Range>;
  /** what could not be evaluated (unknown functions, undeclared variables …), for information */
  errors: string[];
}

const UNKNOWN = Symbol('unknown');
type Val = Value | typeof UNKNOWN;

const schema = generatedSchema();

// ---- evaluation ------------------------------------------------------------------------------------

class Evaluator {
  vars: JsonObject = {};
  locals: JsonObject = {};
  errors: string[] = [];
  private depth = 0;

  constructor(private readonly text: string) {}

  eval(e: Expression, scope?: Map<string, Value>): Val {
    if (++this.depth > 200) {
      this.depth--;
      return UNKNOWN;
    }
    try {
      return this.evalInner(e, scope);
    } finally {
      this.depth--;
    }
  }

  private evalInner(e: Expression, scope?: Map<string, Value>): Val {
    switch (e.kind) {
      case 'Literal':
        return e.value;
      case 'Template':
      case 'Heredoc':
        return e.literal !== undefined ? e.literal : this.template(e.parts, scope);
      case 'Parens':
        return this.eval(e.expr, scope);
      case 'Tuple': {
        const out: Value[] = [];
        for (const i of e.items) {
          const v = this.eval(i, scope);
          if (v === UNKNOWN) return UNKNOWN;
          out.push(v);
        }
        return out;
      }
      case 'Object': {
        const out: JsonObject = {};
        for (const i of e.items) {
          let k: Val = i.keyName ?? UNKNOWN;
          if (i.keyName === undefined || i.key.kind === 'Parens') k = this.eval(i.key, scope);
          const v = this.eval(i.value, scope);
          if (k === UNKNOWN || v === UNKNOWN || k === null || typeof k === 'object') return UNKNOWN;
          out[String(k)] = v;
        }
        return out;
      }
      case 'ScopeTraversal': {
        let cur: Val;
        if (scope?.has(e.root)) cur = scope.get(e.root)!;
        else if (e.root === 'var') cur = this.vars;
        else if (e.root === 'local') cur = this.locals;
        else return `\${${this.text.slice(e.range.start, e.range.end)}}`; // resolved by Nomad at run time
        for (const s of e.steps) {
          if (cur === UNKNOWN) return UNKNOWN;
          if (s.kind === 'TraverseAttr') cur = this.get(cur, s.name);
          else if (s.kind === 'TraverseIndex') {
            const k = this.eval(s.key, scope);
            cur = k === UNKNOWN ? UNKNOWN : this.get(cur, k);
          } else return UNKNOWN;
        }
        if (cur === UNKNOWN) this.errors.push(`cannot evaluate ${this.text.slice(e.range.start, e.range.end)}`);
        return cur;
      }
      case 'Index': {
        const c = this.eval(e.collection, scope);
        const k = this.eval(e.key, scope);
        return c === UNKNOWN || k === UNKNOWN ? UNKNOWN : this.get(c, k);
      }
      case 'GetAttr': {
        const c = this.eval(e.source, scope);
        return c === UNKNOWN ? UNKNOWN : this.get(c, e.name);
      }
      case 'Conditional': {
        const c = this.eval(e.cond, scope);
        if (c === UNKNOWN) return UNKNOWN;
        return truthy(c) ? this.eval(e.trueExpr, scope) : this.eval(e.falseExpr, scope);
      }
      case 'Unary': {
        const v = this.eval(e.operand, scope);
        if (v === UNKNOWN) return UNKNOWN;
        return e.op === '!' ? !truthy(v) : -Number(v);
      }
      case 'Binary':
        return this.binary(e.op, this.eval(e.left, scope), this.eval(e.right, scope));
      case 'FunctionCall': {
        const args: Value[] = [];
        for (const a of e.args) {
          const v = this.eval(a, scope);
          if (v === UNKNOWN) return UNKNOWN;
          args.push(v);
        }
        if (e.expandFinal && Array.isArray(args[args.length - 1])) args.push(...(args.pop() as Value[]));
        const f = FUNCTIONS.get(e.name);
        if (!f) {
          this.errors.push(`function ${e.name} is not evaluated`);
          return UNKNOWN;
        }
        try {
          const r = f(args);
          return r === undefined ? UNKNOWN : r;
        } catch {
          return UNKNOWN;
        }
      }
      case 'For': {
        const coll = this.eval(e.collection, scope);
        if (coll === UNKNOWN || coll === null || typeof coll !== 'object') return UNKNOWN;
        const entries: [Value, Value][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
        const outList: Value[] = [];
        const outObj: JsonObject = {};
        for (const [k, v] of entries) {
          const s = new Map(scope ?? []);
          if (e.keyVar) s.set(e.keyVar.name, k);
          s.set(e.valueVar.name, v);
          if (e.cond) {
            const c = this.eval(e.cond, s);
            if (c === UNKNOWN) return UNKNOWN;
            if (!truthy(c)) continue;
          }
          const val = this.eval(e.valueExpr, s);
          if (val === UNKNOWN) return UNKNOWN;
          if (e.isObject && e.keyExpr) {
            const key = this.eval(e.keyExpr, s);
            if (key === UNKNOWN) return UNKNOWN;
            outObj[String(key)] = val;
          } else outList.push(val);
        }
        return e.isObject ? outObj : outList;
      }
      default:
        return UNKNOWN;
    }
  }

  private template(parts: TemplatePart[], scope?: Map<string, Value>): Val {
    let s = '';
    for (const p of parts) {
      if (p.kind === 'TemplateLiteral') s += p.value;
      else if (p.kind === 'TemplateInterpolation') {
        const v = this.eval(p.expr, scope);
        if (v === UNKNOWN || (v !== null && typeof v === 'object')) return UNKNOWN;
        s += v === null ? '' : String(v);
      } else if (p.kind === 'TemplateIf') {
        const c = this.eval(p.cond, scope);
        if (c === UNKNOWN) return UNKNOWN;
        const r = truthy(c) ? this.template(p.then, scope) : p.else ? this.template(p.else, scope) : '';
        if (r === UNKNOWN) return UNKNOWN;
        s += String(r);
      } else {
        const coll = this.eval(p.collection, scope);
        if (coll === UNKNOWN || coll === null || typeof coll !== 'object') return UNKNOWN;
        const entries: [Value, Value][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
        for (const [k, v] of entries) {
          const sc = new Map(scope ?? []);
          if (p.keyVar) sc.set(p.keyVar.name, k);
          sc.set(p.valueVar.name, v);
          const r = this.template(p.body, sc);
          if (r === UNKNOWN) return UNKNOWN;
          s += String(r);
        }
      }
    }
    return s;
  }

  private get(c: Val, k: Value | string): Val {
    if (c === UNKNOWN || c === null || typeof c !== 'object') return UNKNOWN;
    if (Array.isArray(c)) {
      const i = Number(k);
      return Number.isInteger(i) && i >= 0 && i < c.length ? c[i]! : UNKNOWN;
    }
    const key = String(k);
    return Object.prototype.hasOwnProperty.call(c, key) ? c[key]! : UNKNOWN;
  }

  private binary(op: string, a: Val, b: Val): Val {
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    switch (op) {
      case '+':
        return Number(a) + Number(b);
      case '-':
        return Number(a) - Number(b);
      case '*':
        return Number(a) * Number(b);
      case '/':
        return Number(a) / Number(b);
      case '%':
        return Number(a) % Number(b);
      case '<':
        return Number(a) < Number(b);
      case '>':
        return Number(a) > Number(b);
      case '<=':
        return Number(a) <= Number(b);
      case '>=':
        return Number(a) >= Number(b);
      case '==':
        return JSON.stringify(a) === JSON.stringify(b);
      case '!=':
        return JSON.stringify(a) !== JSON.stringify(b);
      case '&&':
        return truthy(a) && truthy(b);
      case '||':
        return truthy(a) || truthy(b);
      default:
        return UNKNOWN;
    }
  }
}

function truthy(v: Value): boolean {
  return v === true || v === 'true';
}

// ---- decoding ------------------------------------------------------------------------------------------

interface TypeRef {
  attrs: Map<string, { apiField?: string; type: string; alias?: string }>;
  blocks: Map<string, GeneratedBlockRef>;
  labels: { name: string; apiField?: string }[];
  freeform?: string;
  driverConfig?: boolean;
}

/** The release whose /v1/jobs/parse the decoder reproduces when none is asked for (API_DEFAULTS are its). */
export const DECODER_DEFAULT_VERSION = '1.6.5';

/** The full release ("2.0.3") whose members the decoder knows: since / until name full releases. */
function minorOf(version: string | undefined): string {
  return fullVersion(version, DECODER_DEFAULT_VERSION)!;
}

const typeCache = new Map<string, TypeRef>();
/** A type of the generated schema as it was in release `minor`: its members then, under their names then. */
function typeRef(id: string, minor: string): TypeRef | undefined {
  const key = `${minor}|${id}`;
  let t = typeCache.get(key);
  if (t) return t;
  const g = schema.types[id];
  if (!g) return undefined;
  const attrs = new Map<string, { apiField?: string; type: string; alias?: string }>();
  for (const a of g.attributes) {
    if (!inRelease(a, minor)) continue;
    const apiField = valueInRelease(a.changes, 'apiField', minor, a.apiField);
    attrs.set(a.name, {
      ...a,
      ...(apiField !== undefined ? { apiField } : {}),
      type: valueInRelease(a.changes, 'type', minor, a.type),
    });
  }
  const blocks = new Map<string, GeneratedBlockRef>();
  for (const b of g.blocks) {
    if (!inRelease(b, minor)) continue;
    blocks.set(b.name, {
      ...b,
      type: valueInRelease(b.changes, 'type', minor, b.type),
      multiple: valueInRelease(b.changes, 'multiple', minor, b.multiple),
      ...(b.apiField !== undefined ? { apiField: valueInRelease(b.changes, 'apiField', minor, b.apiField) } : {}),
    });
  }
  t = {
    attrs,
    blocks,
    labels: g.labels ?? [],
    ...(g.freeform ? { freeform: g.freeform } : {}),
    ...(g.driverConfig ? { driverConfig: true } : {}),
  };
  typeCache.set(key, t);
  return t;
}

/** Blocks with a label that Nomad's api keeps in a map by that label (the rest are lists). */
const MAP_BY_LABEL: ReadonlySet<string> = new Set([
  'TaskGroup.Volumes',
  'ConsulGatewayProxy.EnvoyGatewayBindAddresses',
]);

function clone(o: Record<string, unknown> | undefined): JsonObject {
  return o ? (JSON.parse(JSON.stringify(o)) as JsonObject) : {};
}

class Decoder {
  readonly sourceMap = new Map<string, Range>();

  constructor(
    private readonly ev: Evaluator,
    readonly minor: string,
  ) {}

  type(id: string): TypeRef | undefined {
    return typeRef(id, this.minor);
  }

  /** iterator variables of the `dynamic` blocks being expanded */
  private scope: Map<string, Value> | undefined;

  private value(e: Expression): Val {
    return this.ev.eval(e, this.scope);
  }

  /**
   * The blocks a `dynamic "<type>"` block stands for, as HCL expands them: one per element of
   * `for_each`, its iterator (`<type>` or `iterator`) holding `key` and `value`, labels from `labels`.
   * Undefined when `for_each` cannot be evaluated. `run` is called with the iterator in scope.
   */
  private expandDynamic(item: Block, run: (b: Block) => void): void {
    const type = item.labels[0]?.value;
    if (type === undefined) return;
    let forEach: Expression | undefined;
    let iterator = type;
    let labelsExpr: Expression | undefined;
    let content: Block | undefined;
    for (const i of item.body.items) {
      if (i.kind === 'Attribute') {
        if (i.name === 'for_each') forEach = i.expr;
        else if (i.name === 'labels') labelsExpr = i.expr;
        else if (i.name === 'iterator' && i.expr.kind === 'ScopeTraversal' && i.expr.steps.length === 0)
          iterator = i.expr.root;
      } else if (i.type === 'content') content = i;
    }
    if (!forEach || !content) return;
    const coll = this.value(forEach);
    if (coll === UNKNOWN || coll === null || typeof coll !== 'object') return;
    const entries: [Value, Value][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
    const outer = this.scope;
    for (const [key, value] of entries) {
      this.scope = new Map(outer ?? []);
      this.scope.set(iterator, { key, value });
      let labels: Block['labels'] = [];
      if (labelsExpr) {
        const l = this.value(labelsExpr);
        if (!Array.isArray(l)) continue;
        labels = l.map(x => ({ kind: 'BlockLabel', value: str(x), range: item.labels[0]!.range, quoted: true }));
      }
      run({
        ...content,
        kind: 'Block',
        type,
        labels,
        body: content.body,
        range: item.range,
        typeRange: item.labels[0]!.range,
      } as Block);
    }
    this.scope = outer;
  }

  /** Converts an evaluated value to an attribute type (cty conversion rules, durations to ns). */
  private convert(v: Value, type: string): Val {
    if (v === null) return null;
    switch (type) {
      case 'string':
        return typeof v === 'object' ? UNKNOWN : String(v);
      case 'number': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        return Number.isNaN(n) ? UNKNOWN : n;
      }
      case 'bool':
        return v === true || v === 'true' ? true : v === false || v === 'false' ? false : UNKNOWN;
      case 'duration': {
        if (typeof v === 'number') return v;
        if (typeof v !== 'string') return UNKNOWN;
        const d = parseGoDuration(v);
        return d.ok ? d.ns : UNKNOWN;
      }
      default: {
        const m = /^(list|map)\((.*)\)$/.exec(type);
        if (!m) return v;
        if (m[1] === 'list') {
          if (!Array.isArray(v)) return UNKNOWN;
          const out: Value[] = [];
          for (const x of v) {
            const c = this.convert(x, m[2]!);
            if (c === UNKNOWN) return UNKNOWN;
            out.push(c);
          }
          return out;
        }
        if (typeof v !== 'object' || Array.isArray(v)) return UNKNOWN;
        const out: JsonObject = {};
        for (const [k, x] of Object.entries(v)) {
          const c = this.convert(x, m[2]!);
          if (c === UNKNOWN) return UNKNOWN;
          out[k] = c;
        }
        return out;
      }
    }
  }

  decodeBlock(
    block: Block | { body: Body; range: Range; labels: Block['labels'] },
    typeId: string,
    path: string,
  ): JsonObject {
    const t = this.type(typeId);
    const obj = clone(API_DEFAULTS[typeId]);
    this.sourceMap.set(path, block.range);
    if (!t) return obj;
    t.labels.forEach((l, i) => {
      const lab = block.labels[i];
      if (lab && l.apiField) {
        obj[l.apiField] = lab.value;
        this.sourceMap.set(`${path}.${l.apiField}`, lab.range);
      }
    });
    let aliasOperand: { op: string; value: string; field: 'RTarget' | 'LTarget' } | undefined;
    for (const item of block.body.items) {
      if (item.kind === 'Attribute') {
        const a = t.attrs.get(item.name);
        if (a?.alias) {
          const v = this.value(item.expr);
          if (v === UNKNOWN || v === null) continue;
          if (item.name === 'distinct_hosts')
            aliasOperand = { op: 'distinct_hosts', value: String(v === true || v === 'true'), field: 'RTarget' };
          else if (item.name === 'distinct_property')
            aliasOperand = { op: 'distinct_property', value: String(v), field: 'LTarget' };
          else if (String(v) !== '') aliasOperand = { op: item.name, value: String(v), field: 'RTarget' };
          this.sourceMap.set(`${path}.Operand`, item.range);
          continue;
        }
        if (a?.apiField) {
          const v = this.value(item.expr);
          if (v === UNKNOWN) continue;
          const c = this.convert(v, a.type);
          if (c === UNKNOWN) continue;
          obj[a.apiField] = c;
          this.sourceMap.set(`${path}.${a.apiField}`, item.range);
          continue;
        }
        const b = t.blocks.get(item.name);
        if (b && b.apiField && (b.attrSyntax || b.type === 'StringMap')) {
          const v = this.value(item.expr);
          if (v === UNKNOWN || v === null || typeof v !== 'object' || Array.isArray(v)) continue;
          const m: JsonObject = {};
          for (const [k, x] of Object.entries(v)) m[k] = x === null ? null : String(x);
          obj[b.apiField] = m;
          this.mapRanges(`${path}.${b.apiField}`, item);
        }
        continue;
      }
      if (item.type === 'dynamic' && !t.blocks.has('dynamic')) {
        const b = t.blocks.get(item.labels[0]?.value ?? '');
        if (b && b.apiField && !b.apiField.includes('['))
          this.expandDynamic(item, x => this.child(obj, x, b, typeId, path));
        continue;
      }
      const b = t.blocks.get(item.type);
      if (!b || !b.apiField || b.apiField.includes('[')) continue;
      this.child(obj, item, b, typeId, path);
    }
    if (aliasOperand) {
      obj.Operand = aliasOperand.op;
      obj[aliasOperand.field] = aliasOperand.value;
    }
    return obj;
  }

  private mapRanges(path: string, item: Attribute | Block): void {
    this.sourceMap.set(path, item.range);
    if (item.kind === 'Block') {
      for (const a of item.body.items) if (a.kind === 'Attribute') this.sourceMap.set(`${path}.${a.name}`, a.range);
    } else if (item.expr.kind === 'Object') {
      for (const i of item.expr.items) if (i.keyName !== undefined) this.sourceMap.set(`${path}.${i.keyName}`, i.range);
    }
  }

  private child(obj: JsonObject, item: Block, b: GeneratedBlockRef, ownerId: string, path: string): void {
    const ct = this.type(b.type);
    let field = b.apiField!;
    if (field === 'DynamicPorts|ReservedPorts') field = 'DynamicPorts';
    // free-form maps: meta, env, options …
    if (ct?.freeform === 'string' || ct?.freeform === 'list(string)') {
      const m: JsonObject = (obj[field] as JsonObject | null) ?? {};
      for (const a of item.body.items) {
        if (a.kind !== 'Attribute') continue;
        const v = this.value(a.expr);
        if (v === UNKNOWN) continue;
        m[a.name] =
          ct.freeform === 'string'
            ? v === null
              ? null
              : str(v)
            : Array.isArray(v)
              ? v.map(x => (x === null ? null : str(x)))
              : v;
      }
      obj[field] = m;
      this.mapRanges(`${path}.${field}`, item);
      return;
    }
    if (ct?.freeform === 'any' || ct?.driverConfig) {
      obj[field] = this.anyBody(item.body, `${path}.${field}`);
      this.sourceMap.set(`${path}.${field}`, item.range);
      return;
    }
    if (b.multiple && b.labels.length > 0 && MAP_BY_LABEL.has(`${ownerId}.${field}`)) {
      const m: JsonObject = (obj[field] as JsonObject | null) ?? {};
      const key = item.labels[0]?.value ?? '';
      const v = this.decodeBlock(item, b.type, `${path}.${field}.${key}`);
      v.Name = key;
      m[key] = v;
      obj[field] = m;
      return;
    }
    if (b.multiple) {
      const list = (obj[field] as Value[] | null) ?? [];
      const p = `${path}.${field}[${list.length}]`;
      const v = this.decodeBlock(item, b.type, p);
      if (ownerId === 'Task' && item.type === 'scaling') {
        const l = (item.labels[0]?.value ?? '').toLowerCase();
        if (v.Type === null || v.Type === '' || v.Type === undefined)
          v.Type = l === 'mem' ? 'vertical_mem' : 'vertical_cpu';
      }
      list.push(v);
      obj[field] = list;
      return;
    }
    const v = this.decodeBlock(item, b.type, `${path}.${field}`);
    if (ownerId === 'TaskGroup' && item.type === 'scaling' && (v.Type === null || v.Type === '')) v.Type = 'horizontal';
    obj[field] = v;
  }

  /** A body with no schema (driver config, scaling policy): blocks become lists of maps, as jobspec2 does. */
  anyBody(body: Body, path: string): JsonObject {
    const out: JsonObject = {};
    const grouped = new Map<string, { block: Block; value?: JsonObject }[]>();
    for (const item of body.items) {
      if (item.kind === 'Attribute') {
        const v = this.value(item.expr);
        if (v === UNKNOWN) continue;
        out[item.name] =
          v !== null && typeof v === 'object' && !Array.isArray(v) && item.expr.kind === 'Object' ? [v] : v;
        this.sourceMap.set(`${path}.${item.name}`, item.range);
      } else {
        // a `dynamic` block here stays a block named "dynamic": Nomad 1.6.5 does not expand them in a
        // driver config (its /v1/jobs/parse returns them as they are written)
        let g = grouped.get(item.type);
        if (!g) grouped.set(item.type, (g = []));
        g.push({ block: item });
      }
    }
    for (const [type, entries] of grouped) {
      const blocks = entries.map(e => e.block);
      out[type] = entries.map((e, i) => {
        const b = e.block;
        let v: JsonObject = e.value ?? this.anyBody(b.body, `${path}.${type}[${i}]`);
        for (let li = b.labels.length - 1; li >= 0; li--) v = { [b.labels[li]!.value]: [v] };
        return v;
      });
      this.sourceMap.set(`${path}.${type}`, blocks[0]!.range);
    }
    return out;
  }
}

function evalVariables(file: HclFile, ev: Evaluator, supplied: Record<string, Value>): void {
  const locals: Attribute[] = [];
  for (const item of file.body.items) {
    if (item.kind !== 'Block') continue;
    if (item.type === 'variable' && item.labels.length > 0) {
      const name = item.labels[0]!.value;
      const def = item.body.items.find((a): a is Attribute => a.kind === 'Attribute' && a.name === 'default');
      if (Object.prototype.hasOwnProperty.call(supplied, name)) ev.vars[name] = supplied[name]!;
      else if (def) {
        const v = ev.eval(def.expr);
        if (v !== UNKNOWN) ev.vars[name] = v;
      }
    } else if (item.type === 'variables') {
      for (const a of item.body.items) {
        if (a.kind !== 'Attribute') continue;
        if (Object.prototype.hasOwnProperty.call(supplied, a.name)) ev.vars[a.name] = supplied[a.name]!;
        else {
          const v = ev.eval(a.expr);
          if (v !== UNKNOWN) ev.vars[a.name] = v;
        }
      }
    } else if (item.type === 'locals') {
      for (const a of item.body.items) if (a.kind === 'Attribute') locals.push(a);
    }
  }
  // locals may refer to each other in any order: evaluate until nothing more resolves
  let pending = locals;
  while (pending.length > 0) {
    const next: Attribute[] = [];
    for (const a of pending) {
      const v = ev.eval(a.expr);
      if (v === UNKNOWN) next.push(a);
      else ev.locals[a.name] = v;
    }
    if (next.length === pending.length) break;
    pending = next;
  }
}

/** Decodes the job of a file as /v1/jobs/parse (Canonicalize false) would return it. */
export function decodeJob(file: HclFile, options: DecodeOptions = {}): DecodedJob {
  const ev = new Evaluator(file.text);
  evalVariables(file, ev, options.variables ?? {});
  const dec = new Decoder(ev, minorOf(options.targetVersion));
  const jobBlock = file.body.items.find((i): i is Block => i.kind === 'Block' && i.type === 'job');
  if (!jobBlock) return { job: null, sourceMap: dec.sourceMap, errors: ev.errors };
  const job = dec.decodeBlock(jobBlock, 'Job', '');
  dec.sourceMap.delete('');
  dec.sourceMap.set('Job', jobBlock.range);
  const id = jobBlock.labels[0]?.value ?? '';
  if (job.ID === null) {
    job.ID = id;
    if (jobBlock.labels[0]) dec.sourceMap.set('.ID', jobBlock.labels[0].range);
  }
  if (job.Name === null) job.Name = id;
  const periodic = job.Periodic as JsonObject | null;
  if (periodic && (periodic.Spec != null || periodic.Specs != null)) periodic.SpecType = 'cron';

  // job-level tasks become groups of their own; job/group vault blocks flow into tasks without one
  let jobVault: JsonObject | null = null;
  const alone: JsonObject[] = [];
  const jt = typeRef('Job', dec.minor)!;
  for (const item of jobBlock.body.items) {
    if (item.kind !== 'Block') continue;
    if (item.type === 'vault') jobVault = normalizeVault(dec.decodeBlock(item, 'Vault', '.Vault'));
    if (item.type === 'task' && jt.blocks.has('task')) {
      const t = dec.decodeBlock(item, 'Task', `.Lone[${alone.length}].Tasks[0]`);
      alone.push({ ...clone(API_DEFAULTS.TaskGroup), Name: t.Name as string, Tasks: [t] });
    }
  }
  const groups = (job.TaskGroups as JsonObject[] | null) ?? [];
  if (alone.length > 0) {
    // the job's own groups come after the lone tasks' groups
    const shifted = new Map<string, Range>();
    for (const [k, v] of dec.sourceMap) {
      const m = /^\.TaskGroups\[(\d+)\](.*)$/.exec(k);
      const lone = /^\.Lone\[(\d+)\](.*)$/.exec(k);
      if (m) shifted.set(`.TaskGroups[${Number(m[1]) + alone.length}]${m[2]}`, v);
      else if (lone) shifted.set(`.TaskGroups[${lone[1]}]${lone[2]}`, v);
      else shifted.set(k, v);
    }
    dec.sourceMap.clear();
    for (const [k, v] of shifted) dec.sourceMap.set(k, v);
    job.TaskGroups = [...alone, ...groups];
  }
  const groupBlocks = jobBlock.body.items.filter((i): i is Block => i.kind === 'Block' && i.type === 'group');
  const allGroups = (job.TaskGroups as JsonObject[] | null) ?? [];
  allGroups.forEach((g, gi) => {
    const gb = gi >= alone.length ? groupBlocks[gi - alone.length] : undefined;
    let groupVault: JsonObject | null = null;
    if (gb)
      for (const item of gb.body.items)
        if (item.kind === 'Block' && item.type === 'vault')
          groupVault = normalizeVault(dec.decodeBlock(item, 'Vault', `.TaskGroups[${gi}].Vault`));
    normalizePorts(g.Networks as JsonObject[] | null);
    for (const t of (g.Tasks as JsonObject[] | null) ?? []) {
      const res = t.Resources as JsonObject | null;
      if (res) normalizePorts(res.Networks as JsonObject[] | null);
      for (const tpl of (t.Templates as JsonObject[] | null) ?? []) {
        const cs = tpl.ChangeScript as JsonObject | null;
        if (cs) {
          cs.Args ??= [];
          cs.Timeout ??= 5e9;
          cs.FailOnError ??= false;
        }
      }
      if (t.Vault) normalizeVault(t.Vault as JsonObject);
      t.Vault ??= groupVault ?? jobVault;
      if (t.CSIPluginConfig === null && OMIT_EMPTY.has('Task.CSIPluginConfig')) delete t.CSIPluginConfig;
    }
  });
  const map = new Map<string, Range>();
  for (const [k, v] of dec.sourceMap) map.set(k.startsWith('.') ? k.slice(1) : k, v);
  return { job, sourceMap: map, errors: ev.errors };
}

function normalizeVault(v: JsonObject): JsonObject {
  v.Env ??= true;
  v.DisableFile ??= false;
  v.ChangeMode ??= 'restart';
  return v;
}

/** jobspec2: ports with a static value move from DynamicPorts to ReservedPorts. */
function normalizePorts(networks: JsonObject[] | null): void {
  for (const n of networks ?? []) {
    const dyn = n.DynamicPorts as JsonObject[] | null;
    if (!dyn || dyn.length === 0) continue;
    const dynamic = dyn.filter(p => !((p.Value as number) > 0));
    const reserved = dyn.filter(p => (p.Value as number) > 0);
    n.DynamicPorts = dynamic.length ? dynamic : null;
    n.ReservedPorts = reserved.length ? reserved : null;
  }
}

// ---- plan diff rows -> source -------------------------------------------------------------------------

export interface DiffPathSegment {
  kind: 'group' | 'task' | 'object' | 'field';
  name: string;
}

/** Plan-diff object names -> the api field holding them (first element for lists). */
const OBJECT_FIELDS: Record<string, string> = {
  Config: 'Config',
  Resources: 'Resources',
  Service: 'Services[0]',
  Template: 'Templates[0]',
  Update: 'Update',
  RestartPolicy: 'RestartPolicy',
  ReschedulePolicy: 'ReschedulePolicy',
  LogConfig: 'LogConfig',
  Network: 'Networks[0]',
  Constraint: 'Constraints[0]',
  Affinity: 'Affinities[0]',
  Spread: 'Spreads[0]',
  Artifact: 'Artifacts[0]',
  Vault: 'Vault',
  EphemeralDisk: 'EphemeralDisk',
  Migrate: 'Migrate',
  Periodic: 'Periodic',
  Check: 'Checks[0]',
  Volume: 'Volumes',
  VolumeMount: 'VolumeMounts[0]',
  Lifecycle: 'Lifecycle',
  Scaling: 'Scaling',
  Meta: 'Meta',
  Env: 'Env',
  Consul: 'Consul',
  'Dynamic Port': 'DynamicPorts[0]',
  'Static Port': 'ReservedPorts[0]',
  Device: 'Devices[0]',
  Parameterized: 'ParameterizedJob',
  Multiregion: 'Multiregion',
  DispatchPayload: 'DispatchPayload',
};

/**
 * The source range for a plan-diff row: group and task names, object names (`Config`, `Service` …) and
 * field names as the plan prints them (`image`, `Count`, `Env[FOO]`, `Meta[x]`). Best effort: the
 * deepest part of the path found, else the enclosing block.
 */
export function rangeForDiffPath(
  file: HclFile,
  decoded: DecodedJob,
  path: readonly DiffPathSegment[],
): Range | undefined {
  void file;
  const job = decoded.job;
  if (!job) return undefined;
  let prefix = '';
  let best = decoded.sourceMap.get('Job');
  let groupObj: JsonObject | undefined;
  const tryKey = (k: string): boolean => {
    const r = decoded.sourceMap.get(k);
    if (r) {
      best = r;
      return true;
    }
    return false;
  };
  for (const seg of path) {
    if (seg.kind === 'group') {
      const groups = (job.TaskGroups as JsonObject[] | null) ?? [];
      const i = groups.findIndex(g => g.Name === seg.name);
      if (i < 0) break;
      groupObj = groups[i];
      prefix = `TaskGroups[${i}]`;
      tryKey(prefix);
    } else if (seg.kind === 'task') {
      const tasks = (groupObj?.Tasks as JsonObject[] | null) ?? [];
      const i = tasks.findIndex(t => t.Name === seg.name);
      if (i < 0) break;
      prefix = `${prefix}.Tasks[${i}]`;
      tryKey(prefix);
    } else if (seg.kind === 'object') {
      const f = OBJECT_FIELDS[seg.name] ?? seg.name;
      const key = prefix ? `${prefix}.${f}` : f;
      if (tryKey(key)) prefix = key;
      else if (tryKey(key.replace(/\[0\]$/, ''))) prefix = key.replace(/\[0\]$/, '');
      else if (prefix && !prefix.includes('.Tasks[') && tryKey(f))
        prefix = f; // group objects inherited from the job (Update …)
      else prefix = key;
    } else {
      const m = /^(\w+)\[(.*)\]$/.exec(seg.name);
      const candidates = m ? [`${m[1]}.${m[2]}`, m[1]!] : [seg.name, seg.name.replace(/^(\w+)\[\d+\]/, '$1')];
      for (const c of candidates) if (tryKey(prefix ? `${prefix}.${c}` : c)) break;
    }
  }
  return best;
}
