// The schema check of job files: the syntax tree of a job file against the schema (src/language/schema). One pass
// over the tree; every lookup is a Map. Ranges point at the name of the offending attribute / block
// (or its label), never at a whole block.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import {
  firstItemRange,
  forEachChild,
  toLspRange,
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type HclFile,
  type Node,
  type Range,
} from '../hcl';
import {
  attribute,
  childBlock,
  deprecationFor,
  driverConfigSchema,
  rootSchema,
  suggest,
  type AttributeSchema,
  type AttrType,
  type BlockSchema,
  type Deprecation,
} from '../schema';
import { HCL2, typeProblem } from './dialect';
import { deprecationCode, report, type Reporter } from './report';
import { Codes, type FixData, type FixId } from './types';
import type { VersionGate } from './versionCheck';

// ---- deprecations ----------------------------------------------------------------------------------

const FIXES: ReadonlySet<string> = new Set<FixId>([
  'remove-attribute',
  'docker-port-map-to-network',
  'port-map-to-network-to',
  'move-network-to-group',
  'disconnect-lost-after',
  'disconnect-stop-on-client-after',
  'disconnect-replace',
  'logs-enabled-to-disabled',
]);

function severityOf(dep: Deprecation): DiagnosticSeverity {
  return dep.severity === 'error'
    ? DiagnosticSeverity.Error
    : dep.severity === 'info'
      ? DiagnosticSeverity.Information
      : DiagnosticSeverity.Warning;
}

function reportDeprecation(r: Reporter, dep: Deprecation, nameRange: Range, item: Attribute | Block): void {
  const code = deprecationCode(dep);
  const data: FixData | undefined = FIXES.has(dep.fix)
    ? { fix: dep.fix as FixId, at: nameRange.start, deprecation: true }
    : undefined;
  report(r, nameRange, severityOf(dep), code, fillExample(dep.message, item, r.file.text), data);
}

/** What a finding's item says, for the examples in its message (see src/language/schema/deprecations.ts). */
function exampleValues(item: Attribute | Block, text: string): Record<string, string> {
  const src = (e: Expression): string => text.slice(e.range.start, e.range.end);
  const out: Record<string, string> = {};
  if (item.kind === 'Attribute') {
    const e = item.expr.kind === 'Parens' ? item.expr.expr : item.expr;
    if (e.kind === 'Literal' || (e.kind === 'Template' && e.literal !== undefined)) out['value'] = src(e);
    if (e.kind === 'Literal' && typeof e.value === 'boolean') out['not'] = String(!e.value);
  }
  // port_map: its first entry (a block body, an object, or a list of objects)
  const first = (e: Expression): [string, Expression] | undefined => {
    if (e.kind === 'Object') {
      const it = e.items.find(i => i.keyName !== undefined);
      return it ? [it.keyName!, it.value] : undefined;
    }
    if (e.kind === 'Tuple') {
      for (const x of e.items) {
        const f = first(x);
        if (f) return f;
      }
    }
    return undefined;
  };
  const entry =
    item.kind === 'Block'
      ? ((a): [string, Expression] | undefined => (a ? [a.name, a.expr] : undefined))(
          item.body.items.find((i): i is Attribute => i.kind === 'Attribute'),
        )
      : first(item.expr);
  if (
    entry &&
    /^[A-Za-z0-9_-]+$/.test(entry[0]) &&
    (entry[1].kind === 'Literal' || (entry[1].kind === 'Template' && entry[1].literal !== undefined))
  ) {
    out['label'] = entry[0];
    out['to'] = src(entry[1]).replace(/^"(\d+)"$/, '$1');
  }
  return out;
}

/** `{name=fallback}` in a message → the item's own value of `name`, else the fallback. */
export function fillExample(message: string, item: Attribute | Block, text: string): string {
  if (!message.includes('{')) return message;
  const values = exampleValues(item, text);
  return message.replace(
    /\{(value|not|label|to)=([^{}]*)\}/g,
    (_m, name: string, fallback: string) => values[name] ?? fallback,
  );
}

// ---- the walk ----------------------------------------------------------------------------------------

/** Attributes the generated schema marks required but Nomad (gohcl pointer fields) does not require. */
const NOT_REQUIRED: ReadonlySet<string> = new Set([
  'WaitConfig.min',
  'WaitConfig.max',
  'ChangeScript.fail_on_error',
  'TaskLifecycle.hook',
]);

/**
 * The attributes a body of this schema must set: those required in this position, then those the schema
 * marks required (less NOT_REQUIRED). Worked out once per schema: checking a body used to walk its
 * schema's whole attribute Map, whose iterator garbage was a large part of what the checker allocated on
 * a big file.
 */
const requiredCache = new WeakMap<BlockSchema, readonly string[]>();
function requiredOf(schema: BlockSchema): readonly string[] {
  let names = requiredCache.get(schema);
  if (!names) {
    const list: string[] = [...schema.requiredAttributes];
    for (const attr of schema.attributes.values()) {
      if (attr.required && !NOT_REQUIRED.has(`${schema.id}.${attr.name}`) && !list.includes(attr.name))
        list.push(attr.name);
    }
    names = list;
    requiredCache.set(schema, names);
  }
  return names;
}

/**
 * Enumerations Nomad enforces when it parses or validates a job (a value outside them is an error);
 * other enumerations of the schema are advisory (warning), since Consul or drivers may accept more.
 */
const STRICT_ENUMS: ReadonlySet<string> = new Set([
  'Job.type',
  'UpdateStrategy.health_check',
  'MigrateStrategy.health_check',
  'RestartPolicy.mode',
  'Service.provider',
  'Service.address_mode',
  'ServiceCheck.address_mode',
  'TaskLifecycle.hook',
  'Template.change_mode',
  'Vault.change_mode',
  'TaskArtifact.mode',
  'ParameterizedJobConfig.payload',
  'ServiceCheck.type',
  'Service.on_update',
  'ServiceCheck.on_update',
  'Constraint.operator', // Nomad refuses an unknown constraint operator (Constraint.Validate)
  // (not VolumeRequest.type: Nomad's api conversion drops a volume of another type, and says nothing;
  // not ReschedulePolicy.delay_function: a disabled policy is not looked at, see registerRules.ts)
]);

/** Sibling blocks whose labels must be unique: parent schema id → block names. */
const UNIQUE_LABELS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['File', new Set(['variable'])],
  ['Job', new Set(['group', 'task'])],
  ['TaskGroup', new Set(['task', 'volume'])],
  ['NetworkResource', new Set(['port', 'reserved_ports'])],
  ['Task', new Set(['scaling', 'action'])],
]);

interface Scope {
  vars: ReadonlySet<string>;
  locals: ReadonlySet<string>;
}

/**
 * A string-keyed table for the names seen in one body: a linear scan while it is small (nearly every
 * body), a Map once it grows past SMALL. Tables are reused from body to body (see Frame), so checking a
 * body allocates nothing in the common case: per-body Maps were half of the checker's garbage on a
 * large file.
 */
export class NameTable<V> {
  private static readonly SMALL = 12;
  private readonly keys: string[] = [];
  private readonly vals: V[] = [];
  private n = 0;
  private map: Map<string, V> | undefined;

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return this.vals[i];
    return undefined;
  }

  has(key: string): boolean {
    if (this.map) return this.map.has(key);
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return true;
    return false;
  }

  set(key: string, value: V): void {
    if (this.map) {
      this.map.set(key, value);
      return;
    }
    for (let i = 0; i < this.n; i++)
      if (this.keys[i] === key) {
        this.vals[i] = value;
        return;
      }
    if (this.n === NameTable.SMALL) {
      this.map = new Map<string, V>();
      for (let i = 0; i < this.n; i++) this.map.set(this.keys[i]!, this.vals[i]!);
      this.map.set(key, value);
      return;
    }
    this.keys[this.n] = key;
    this.vals[this.n++] = value;
  }

  /** empties the table, keeping its storage (it lives as long as one JobChecker, i.e. one check) */
  reset(): void {
    this.n = 0;
    this.map = undefined;
  }
}

/**
 * The labelled blocks seen in one body whose labels must be unique: compared label by label while the
 * table is small, by a `<type>\0<labels>` key in a Map once it grows (a job's groups). Building that key
 * for every task and port of a file made the checker's largest share of garbage.
 */
export class LabelTable {
  private static readonly SMALL = 12;
  private readonly blocks: Block[] = [];
  private n = 0;
  private map: Map<string, Range> | undefined;

  private static key(block: Block): string {
    const labels = block.labels;
    let key = block.type;
    for (let i = 0; i < labels.length; i++) key += `\u0000${labels[i]!.value}`;
    return key;
  }

  private static same(a: Block, b: Block): boolean {
    if (a.type !== b.type) return false;
    const la = a.labels;
    const lb = b.labels;
    if (la.length !== lb.length) return false;
    for (let i = 0; i < la.length; i++) if (la[i]!.value !== lb[i]!.value) return false;
    return true;
  }

  /**
   * The range of the first label of an earlier block of the same type and labels; when there is none,
   * `block` (which has at least one label) is added and undefined answered.
   */
  firstOrAdd(block: Block): Range | undefined {
    if (this.map) {
      const key = LabelTable.key(block);
      const prev = this.map.get(key);
      if (prev === undefined) this.map.set(key, block.labels[0]!.range);
      return prev;
    }
    for (let i = 0; i < this.n; i++) {
      const b = this.blocks[i]!;
      if (LabelTable.same(b, block)) return b.labels[0]!.range;
    }
    if (this.n === LabelTable.SMALL) {
      this.map = new Map<string, Range>();
      for (let i = 0; i < this.n; i++) this.map.set(LabelTable.key(this.blocks[i]!), this.blocks[i]!.labels[0]!.range);
      this.map.set(LabelTable.key(block), block.labels[0]!.range);
      return undefined;
    }
    this.blocks[this.n++] = block;
    return undefined;
  }

  /** empties the table (see NameTable.reset) */
  reset(): void {
    this.n = 0;
    this.map = undefined;
  }
}

/** The tables of one body being checked; one per nesting depth, reused. */
interface Frame {
  attrs: NameTable<Attribute>;
  /** blocks (and attribute-syntax blocks) that may appear once: where the first one is */
  single: NameTable<Range>;
  /** blocks whose labels must be unique: the first one's label */
  labels: LabelTable;
  /** names of the attributes and blocks present */
  present: NameTable<true>;
}

export class JobChecker {
  private readonly r: Reporter;
  /** job files are HCL2 (./dialect.ts) */
  private readonly dialect = HCL2;

  constructor(
    file: HclFile,
    out: Diagnostic[],
    private readonly scope: Scope,
    private readonly versions?: VersionGate,
  ) {
    this.r = { file, out };
  }

  checkFile(): void {
    const file = this.r.file;
    const root = rootSchema(this.versions?.version);
    this.checkBody(file.body, root, undefined);
    this.versions?.checkRules(this.r, file);
    let jobs = 0;
    for (const item of file.body.items) if (item.kind === 'Block' && item.type === 'job') jobs++;
    if (jobs === 0) {
      report(
        this.r,
        firstItemRange(file),
        DiagnosticSeverity.Error,
        Codes.missingJob,
        'This file has no job block: a job file needs exactly one `job "<name>" { … }`.',
      );
    }
  }

  private readonly frames: Frame[] = [];
  private depth = 0;
  private readonly refsOf = (child: Node): void => this.checkRefs(child);

  private frame(): Frame {
    let f = this.frames[this.depth];
    if (!f) {
      f = { attrs: new NameTable(), single: new NameTable(), labels: new LabelTable(), present: new NameTable() };
      this.frames[this.depth] = f;
    } else {
      f.attrs.reset();
      f.single.reset();
      f.labels.reset();
      f.present.reset();
    }
    return f;
  }

  private checkBody(body: Body, schema: BlockSchema, owner: Block | undefined): void {
    const f = this.frame();
    this.depth++;
    const { attrs: seenAttrs, single: seenSingle, labels: seenLabels, present } = f;
    let driver: string | undefined;
    const items = body.items;
    if (schema.id === 'Task') {
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        if (item.kind === 'Attribute' && item.name === 'driver') {
          const e = item.expr;
          if ((e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined) driver = e.literal;
          else driver = '';
        }
      }
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Attribute') {
        present.set(item.name, true);
        const prev = seenAttrs.get(item.name);
        if (prev && this.dialect.refusesRepeats && schema.id !== 'Open') {
          report(
            this.r,
            item.nameRange,
            DiagnosticSeverity.Error,
            Codes.duplicateAttribute,
            `\`${item.name}\` is already set on line ${this.line(prev.nameRange.start)}; an argument may be set only once in a block.`,
          );
        } else seenAttrs.set(item.name, item);
        this.checkAttribute(item, schema, seenSingle);
      } else {
        this.checkBlock(item, schema, driver, seenSingle, seenLabels, present);
      }
    }
    this.checkRequired(body, schema, owner, present, driver);
    this.depth--;
  }

  private line(offset: number): number {
    return toLspRange(this.r.file, { start: offset, end: offset }).start.line + 1;
  }

  private checkAttribute(item: Attribute, schema: BlockSchema, seenSingle: NameTable<Range>): void {
    this.checkRefs(item.expr);
    if (schema.open && !schema.freeform) return;
    const attr = this.dialect.lookup(schema.attributes, item.name);
    if (attr) {
      this.checkValue(item, attr, schema);
      return;
    }
    const block = this.dialect.lookup(schema.blocks, item.name);
    if (block) {
      if (block.attrSyntax) {
        const prev = seenSingle.get(item.name);
        if (prev && !block.multiple) this.duplicate(item.name, item.nameRange, prev);
        else seenSingle.set(item.name, item.nameRange);
        if (block.freeform && block.freeform !== 'any') {
          const p = typeProblem(item.expr, `map(${block.freeform})` as AttrType);
          if (p) report(this.r, p.range, DiagnosticSeverity.Error, p.code, p.message);
        }
        return;
      }
      report(
        this.r,
        item.nameRange,
        DiagnosticSeverity.Error,
        Codes.blockAsAttribute,
        `\`${item.name}\` is a block here, not an argument: write \`${item.name} ${block.labels.map(l => `"<${l}>" `).join('')}{ … }\` without "=".`,
      );
      return;
    }
    // the target release lacks the name: the version gate speaks first (a name another release has is an
    // error for this target, even when newer releases call it deprecated), then a removal we know of
    if (this.versions?.unknown(this.r, item.name, item.nameRange, schema)) return;
    const dep = deprecationFor(schema.id, item.name);
    if (dep) {
      reportDeprecation(this.r, dep, item.nameRange, item);
      return;
    }
    if (schema.freeform) {
      const a = attribute(schema, item.name);
      if (a) this.checkValue(item, a, schema);
      return;
    }
    this.unknown(item.name, item.nameRange, schema, 'argument');
  }

  private checkValue(item: Attribute, attr: AttributeSchema, schema: BlockSchema): void {
    if (attr.deprecation) {
      reportDeprecation(this.r, attr.deprecation, item.nameRange, item);
    }
    const p = typeProblem(item.expr, attr.type);
    if (p) {
      report(this.r, p.range, DiagnosticSeverity.Error, p.code, `${item.name}: ${p.message}`);
      return;
    }
    const e = item.expr;
    const value = e.kind === 'Template' || e.kind === 'Heredoc' ? e.literal : undefined;
    if (value === undefined) return;
    if (schema.id === 'ScalingPolicy' && item.name === 'type' && this.inGroupScaling) {
      if (value !== 'horizontal') {
        report(
          this.r,
          e.range,
          DiagnosticSeverity.Error,
          Codes.invalidValue,
          `A group scaling policy is horizontal; "${value}" is for task scaling blocks (scaling "cpu" / "mem").`,
        );
      }
      return;
    }
    if (attr.enum && !attr.enumOpen && !attr.enum.includes(value)) {
      const near = suggest(value, attr.enum);
      const sev = STRICT_ENUMS.has(`${schema.id}.${item.name}`) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
      report(
        this.r,
        e.range,
        sev,
        Codes.invalidValue,
        `"${value}" is not a valid ${item.name}; use one of ${attr.enum
          .filter(x => x !== '')
          .map(x => `"${x}"`)
          .join(', ')}.${near ? ` Did you mean "${near}"?` : ''}`,
        near ? { fix: 'rename', at: e.range.start, end: e.range.end, replacement: JSON.stringify(near) } : undefined,
      );
    }
  }

  private inGroupScaling = false;

  private checkBlock(
    block: Block,
    schema: BlockSchema,
    driver: string | undefined,
    seenSingle: NameTable<Range>,
    seenLabels: LabelTable,
    present: NameTable<true>,
  ): void {
    if (block.type === 'dynamic' && !schema.blocks.has('dynamic') && !(schema.open && !schema.freeform)) {
      this.checkDynamic(block, schema, driver, present);
      return;
    }
    present.set(block.type, true);
    if (schema.open && !schema.freeform) {
      this.walkOpen(block.body);
      return;
    }
    let child = childBlock(schema, block.type);
    if (!child) {
      if (schema.attributes.has(block.type) || schema.freeform) {
        report(
          this.r,
          block.typeRange,
          DiagnosticSeverity.Error,
          Codes.attributeAsBlock,
          `\`${block.type}\` is an argument here, not a block: write \`${block.type} = …\`.`,
        );
        this.walkOpen(block.body);
        return;
      }
      this.unknown(block.type, block.typeRange, schema, 'block');
      this.walkOpen(block.body);
      return;
    }
    // labels (free-form bodies such as driver configs and scaling policies take any labels)
    const want = child.labels.length;
    const got = block.labels.length;
    const anyLabels = child.open || schema.open || schema.id.startsWith('driver:');
    if (got !== want && !anyLabels) {
      if (got > want) {
        const extra = block.labels.slice(want);
        const range = { start: extra[0]!.range.start, end: extra[extra.length - 1]!.range.end };
        report(
          this.r,
          range,
          DiagnosticSeverity.Error,
          Codes.labelCount,
          want === 0
            ? `A \`${block.type}\` block takes no label; remove ${got === 1 ? 'it' : 'them'}.`
            : `A \`${block.type}\` block takes ${want} label${want === 1 ? '' : 's'} (${child.labels.join(', ')}), not ${got}.`,
        );
      } else {
        report(
          this.r,
          block.typeRange,
          DiagnosticSeverity.Error,
          Codes.labelCount,
          `A \`${block.type}\` block needs ${want === 1 ? 'a label' : `${want} labels`}: ${block.type} ${child.labels.map(l => `"<${l}>"`).join(' ')} { … }.`,
        );
      }
    } else if (want > 0 && !anyLabels) {
      const labels = block.labels;
      for (let i = 0; i < labels.length; i++) {
        const l = labels[i]!;
        // every Nomad accepts a port labelled "": a warning only
        if (l.value === '')
          report(
            this.r,
            l.range,
            block.type === 'port' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            Codes.emptyLabel,
            `The ${block.type} ${child.labels[0] ?? 'label'} must not be empty.`,
          );
      }
      if (UNIQUE_LABELS.get(schema.id)?.has(block.type)) {
        const prev = seenLabels.firstOrAdd(block);
        if (prev) {
          report(
            this.r,
            labels[0]!.range,
            DiagnosticSeverity.Error,
            Codes.duplicateLabel,
            `Another ${block.type} named "${labels[0]!.value}" is defined on line ${this.line(prev.start)}; names must be unique.`,
          );
        }
      }
    }
    // multiplicity
    if (!child.multiple) {
      const prev = seenSingle.get(block.type);
      if (prev) {
        if (!this.versions?.second(this.r, block.type, block.typeRange, schema, this.line(prev.start)))
          this.duplicate(block.type, block.typeRange, prev);
      } else seenSingle.set(block.type, block.typeRange);
    }
    if (child.deprecation) reportDeprecation(this.r, child.deprecation, block.typeRange, block);
    if (child.driverConfig) child = driverConfigSchema(driver ?? '');
    const wasScaling = this.inGroupScaling;
    this.inGroupScaling = schema.id === 'TaskGroup' && block.type === 'scaling';
    if (schema.id === 'Task' && block.type === 'scaling' && block.labels.length === 1) {
      const v = block.labels[0]!.value.toLowerCase();
      if (v !== 'cpu' && v !== 'mem') {
        report(
          this.r,
          block.labels[0]!.range,
          DiagnosticSeverity.Error,
          Codes.invalidValue,
          `A task scaling block is named "cpu" or "mem", not "${block.labels[0]!.value}".`,
        );
      }
    }
    this.checkBody(block.body, child, block);
    this.inGroupScaling = wasScaling;
  }

  private checkDynamic(block: Block, schema: BlockSchema, driver: string | undefined, present: NameTable<true>): void {
    const name = block.labels[0]?.value;
    if (block.labels.length !== 1 || name === undefined) {
      report(
        this.r,
        block.typeRange,
        DiagnosticSeverity.Error,
        Codes.labelCount,
        'A `dynamic` block needs one label: the type of the blocks it generates.',
      );
      this.walkOpen(block.body);
      return;
    }
    present.set(name, true);
    let child = childBlock(schema, name);
    if (!child) {
      this.unknown(name, block.labels[0]!.range, schema, 'block');
      this.walkOpen(block.body);
      return;
    }
    if (child.driverConfig) child = driverConfigSchema(driver ?? '');
    let hasForEach = false;
    for (const item of block.body.items) {
      if (item.kind === 'Attribute') {
        this.checkRefs(item.expr);
        if (item.name === 'for_each') hasForEach = true;
        else if (item.name !== 'iterator' && item.name !== 'labels')
          this.unknown(item.name, item.nameRange, DYNAMIC_SCHEMA, 'argument');
      } else if (item.type === 'content') {
        this.checkBody(item.body, child, item);
      } else {
        this.unknown(item.type, item.typeRange, DYNAMIC_SCHEMA, 'block');
      }
    }
    if (!hasForEach)
      report(
        this.r,
        block.typeRange,
        DiagnosticSeverity.Error,
        Codes.missingAttribute,
        'A `dynamic` block needs `for_each`.',
      );
  }

  private checkRequired(
    body: Body,
    schema: BlockSchema,
    owner: Block | undefined,
    present: NameTable<true>,
    driver: string | undefined,
  ): void {
    if (!owner) return;
    // a job without a group, a group without a task, a task without a driver: errors of ./validate.ts
    void body;
    void driver;
    for (const name of requiredOf(schema)) {
      if (!present.has(name))
        report(
          this.r,
          owner.typeRange,
          DiagnosticSeverity.Error,
          Codes.missingAttribute,
          `\`${owner.type}\` needs \`${name}\`.`,
        );
    }
  }

  private duplicate(name: string, range: Range, prev: Range): void {
    report(
      this.r,
      range,
      DiagnosticSeverity.Error,
      Codes.duplicateBlock,
      `Only one \`${name}\` is allowed here; another is defined on line ${this.line(prev.start)}.`,
    );
  }

  private unknown(name: string, range: Range, schema: BlockSchema, what: 'argument' | 'block'): void {
    if (this.versions?.unknown(this.r, name, range, schema)) return;
    const candidates: string[] = [...schema.attributes.keys(), ...schema.blocks.keys()];
    const near = suggest(name, candidates);
    const where = schema.name ? ` in \`${schema.name}\`` : ' at the top level';
    report(
      this.r,
      range,
      DiagnosticSeverity.Error,
      what === 'argument' ? Codes.unknownAttribute : Codes.unknownBlock,
      `Unknown ${what} \`${name}\`${where}.${near ? ` Did you mean \`${near}\`?` : ''}`,
      near ? { fix: 'rename', at: range.start, end: range.end, replacement: near } : undefined,
    );
  }

  /** Inside a body we have no schema for: only variable references are checked. */
  private walkOpen(body: Body): void {
    const items = body.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Attribute') this.checkRefs(item.expr);
      else this.walkOpen(item.body);
    }
  }

  /** Flags `var.x` / `local.x` that no variable block / locals attribute declares. */
  checkRefs(expr: Node): void {
    // leaves and plain strings (most values) hold no reference
    if (
      expr.kind === 'Literal' ||
      ((expr.kind === 'Template' || expr.kind === 'Heredoc') && expr.literal !== undefined)
    )
      return;
    if (expr.kind === 'ScopeTraversal') {
      if (expr.root === 'var' || expr.root === 'local') {
        const step = expr.steps[0];
        let name: string | undefined;
        let range: Range | undefined;
        if (step?.kind === 'TraverseAttr') {
          name = step.name;
          range = step.range;
        } else if (step?.kind === 'TraverseIndex' && step.key.kind === 'Template' && step.key.literal !== undefined) {
          name = step.key.literal;
          range = step.range;
        }
        if (name !== undefined && range) {
          const isVar = expr.root === 'var';
          const known = isVar ? this.scope.vars : this.scope.locals;
          if (!known.has(name)) {
            const near = suggest(name, known);
            report(
              this.r,
              { start: expr.rootRange.start, end: range.end },
              DiagnosticSeverity.Error,
              isVar ? Codes.undeclaredVariable : Codes.undeclaredLocal,
              isVar
                ? `No variable "${name}" is declared in this file: add \`variable "${name}" { … }\`.${near ? ` Did you mean var.${near}?` : ''}`
                : `No local "${name}" is defined in this file: add it to a \`locals { … }\` block.${near ? ` Did you mean local.${near}?` : ''}`,
              near
                ? { fix: 'rename', at: expr.rootRange.start, end: range.end, replacement: `${expr.root}.${near}` }
                : undefined,
            );
          }
        }
      }
    }
    forEachChild(expr, this.refsOf);
  }
}

const DYNAMIC_SCHEMA: BlockSchema = {
  id: 'Dynamic',
  name: 'dynamic',
  description: '',
  labels: ['type'],
  multiple: true,
  attrSyntax: false,
  open: false,
  driverConfig: false,
  requiredAttributes: [],
  attributes: new Map<string, AttributeSchema>([
    ['for_each', { name: 'for_each', type: 'any', description: '', required: true }],
    ['iterator', { name: 'iterator', type: 'any', description: '', required: false }],
    ['labels', { name: 'labels', type: 'list(string)', description: '', required: false }],
  ]),
  blocks: new Map(),
};

/** Names of the input variables and locals declared in a file. */
export function collectScope(file: HclFile): Scope {
  const vars = new Set<string>();
  const locals = new Set<string>();
  for (const item of file.body.items) {
    if (item.kind !== 'Block') continue;
    if (item.type === 'variable' && item.labels.length > 0) vars.add(item.labels[0]!.value);
    else if (item.type === 'variables')
      for (const a of item.body.items) {
        if (a.kind === 'Attribute') vars.add(a.name);
      }
    else if (item.type === 'locals')
      for (const a of item.body.items) {
        if (a.kind === 'Attribute') locals.add(a.name);
      }
  }
  return { vars, locals };
}
