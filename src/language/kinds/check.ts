// A schema checker for the files other than job files (agent configuration, volume specifications, ACL
// policies, namespace, node pool and quota specifications, Variable specifications). How Nomad decodes
// names and values is the profile's dialect (../check/dialect.ts: HCL1 unless said; node pools are
// HCL2_WEAK); on top of it:
//   - unknown names are refused only where Nomad's decoder reports them (the profile says where), and
//     are otherwise silently ignored by Nomad: a warning then.
// Pure: no `vscode` import.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { toLspRange, type Expression, type HclFile, type Range } from '../hcl';
import { attribute, suggest, type AttributeSchema, type BlockSchema } from '../schema';
import { HCL1, hcl1TypeProblem, scalarText, shownValue, type Dialect } from '../check/dialect';
import { report } from '../check/report';
import type { DiagnosticCode, FixData } from '../check/types';
import { memberName, ReleaseGate, type TargetVersion } from '../schema/versions';
import type { VersionRange } from '../schema/types';

export { hcl1TypeProblem, scalarText } from '../check/dialect';

/** Diagnostic codes of these checks (stable; quick fixes key on `data.fix`). */
export const KindCodes = {
  unknownKey: 'unknown-key',
  ignoredKey: 'ignored-key',
  typeMismatch: 'type-mismatch',
  invalidDuration: 'invalid-duration',
  invalidValue: 'invalid-value',
  labelCount: 'label-count',
  repeatedBlock: 'repeated-block',
  repeatedKey: 'repeated-key',
  deprecated: 'deprecated',
  missingKey: 'missing-key',
  blockAsAttribute: 'block-as-attribute',
  attributeAsBlock: 'attribute-as-block',
  enterpriseOnly: 'enterprise-only',
  needsNewerNomad: 'needs-newer-nomad',
  removedFromNomad: 'removed-from-nomad',
  // variables files
  undeclaredVariable: 'undeclared-variable',
  variableType: 'variable-type',
  blockInVarsFile: 'block-in-vars-file',
} as const;

/** A block or an argument holding an object, seen the same way (HCL1 decoding). */
export interface Entry {
  name: string;
  nameRange: Range;
  labels: { value: string; range: Range }[];
  /** the children: block body items or object items */
  children: Child[];
  /** written as `name = { … }` */
  objectForm: boolean;
  /** range of the whole item */
  range: Range;
  /** the object expression, for the `name = { … }` form */
  expr?: Expression;
}

export type Child =
  { kind: 'entry'; entry: Entry } | { kind: 'value'; name: string; nameRange: Range; expr: Expression };

/** What differs between the file kinds. */
export interface KindProfile {
  /** e.g. "agent configuration", used in messages */
  what: string;
  /** Does Nomad refuse unknown names inside this block (else it ignores them)? */
  strictUnknown(schema: BlockSchema): boolean;
  /** `${schema.id}.${name}` of numeric fields that are floats (a quoted number is refused there) */
  floats?: ReadonlySet<string>;
  /** `${schema.id}.${name}` of enumerations Nomad enforces (others are advisory) */
  strictEnums?: ReadonlySet<string>;
  /** `${schema.id}.${name}` of enumerations compared without case */
  caseInsensitiveEnums?: ReadonlySet<string>;
  /** Enumerations the profile checks itself in checkValue (the generic enum check skips them). */
  ownEnums?(schema: BlockSchema, name: string): boolean;
  /** `${schema.id}.${name}` → deprecation */
  deprecations?: ReadonlyMap<
    string,
    { message: string; replacement?: string; severity?: 'warning' | 'info'; since?: string }
  >;
  /** Extra checks of a value (after the type check passed). */
  checkValue?(ctx: KindContext, schema: BlockSchema, name: string, expr: Expression, nameRange: Range): void;
  /** Extra checks of a block entry (after its children are checked). */
  checkEntry?(ctx: KindContext, schema: BlockSchema, entry: Entry, parent: BlockSchema): void;
  /** How Nomad decodes the file (../check/dialect.ts); HCL1 unless said. */
  dialect?: Dialect;
  /** Whole-number fields take a fraction and drop it (mapstructure's weak decoding): a warning, not an error. */
  truncatesFractions?: boolean;
  /** Schema ids of blocks of which Nomad refuses a second one (instead of merging them). */
  refusedRepeats?: ReadonlySet<string>;
  /**
   * The schema a labelled block is checked against when its label chooses one (`plugin "docker"` takes
   * the docker driver's config); undefined keeps `schema`.
   */
  labelledSchema?(schema: BlockSchema, label: string): BlockSchema | undefined;
}

export class KindContext {
  readonly out: Diagnostic[] = [];
  /** the target version in full ("1.8.2"), when one is known; members name releases as "1.8" (= 1.8.0) or in full */
  readonly minor: string | undefined;
  /** what the target release has (the version gate every file kind uses) */
  readonly gate: ReleaseGate;
  constructor(
    readonly file: HclFile,
    readonly target?: TargetVersion,
  ) {
    this.gate = new ReleaseGate(target);
    this.minor = this.gate.full;
  }

  /** Is the target older than release `minor` (false when no target is known)? */
  before(minor: string): boolean {
    return this.gate.before(minor);
  }

  /** One finding, recorded as every check records it (../check/report.ts); `code` is one of KindCodes. */
  report(range: Range, severity: DiagnosticSeverity, code: string, message: string, data?: FixData): void {
    report(this, range, severity, code as DiagnosticCode, message, data);
  }

  line(offset: number): number {
    return toLspRange(this.file, { start: offset, end: offset }).start.line + 1;
  }
}

// ---- the syntax tree seen as entries ----------------------------------------------------------------

function objectChildren(e: Expression): Child[] {
  if (e.kind !== 'Object') return [];
  const out: Child[] = [];
  for (const it of e.items) {
    if (it.keyName === undefined) continue;
    out.push(childOf(it.keyName, it.key.range, it.value));
  }
  return out;
}

function childOf(name: string, nameRange: Range, expr: Expression): Child {
  if (expr.kind === 'Object') {
    return {
      kind: 'entry',
      entry: {
        name,
        nameRange,
        labels: [],
        children: objectChildren(expr),
        objectForm: true,
        range: { start: nameRange.start, end: expr.range.end },
        expr,
      },
    };
  }
  return { kind: 'value', name, nameRange, expr };
}

/** The top level (or a block body) of a file as entries. */
export function childrenOf(items: HclFile['body']['items']): Child[] {
  const out: Child[] = [];
  for (const item of items) {
    if (item.kind === 'Attribute') out.push(childOf(item.name, item.nameRange, item.expr));
    else {
      out.push({
        kind: 'entry',
        entry: {
          name: item.type,
          nameRange: item.typeRange,
          labels: item.labels.map(l => ({ value: l.value, range: l.range })),
          children: childrenOf(item.body.items),
          objectForm: false,
          range: item.range,
        },
      });
    }
  }
  return out;
}

// ---- the walk ------------------------------------------------------------------------------------------

export class KindChecker {
  private readonly dialect: Dialect;
  constructor(
    private readonly ctx: KindContext,
    private readonly profile: KindProfile,
  ) {
    this.dialect = profile.dialect ?? HCL1;
  }

  checkChildren(children: Child[], schema: BlockSchema): void {
    const seenValues = new Map<string, Range>();
    const seenBlocks = new Map<string, Range>();
    for (const c of children) {
      if (c.kind === 'value') this.checkValue(c, schema, seenValues);
      else this.checkEntry(c.entry, schema, seenBlocks);
    }
  }

  private deprecation(schema: BlockSchema, name: string, range: Range): void {
    const dep = this.profile.deprecations?.get(`${schema.id}.${name}`);
    if (!dep || (dep.since !== undefined && this.ctx.before(dep.since))) return;
    this.ctx.report(
      range,
      dep.severity === 'info' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning,
      KindCodes.deprecated,
      dep.message,
      dep.replacement
        ? { fix: 'rename', at: range.start, end: range.end, replacement: dep.replacement, deprecation: true }
        : undefined,
    );
  }

  /** A member newer than the target version (only for members that carry a `since`); true when reported. */
  private tooNew(member: VersionRange, name: string, range: Range, schema: BlockSchema): boolean {
    if (!this.ctx.gate.tooOld(member) || !this.ctx.target) return false;
    this.ctx.report(
      range,
      DiagnosticSeverity.Error,
      KindCodes.needsNewerNomad,
      `${this.ctx.gate.needs(memberName(name, schema), member.since!)}.`,
    );
    return true;
  }

  /** A member that the target version no longer has (only for members that carry an `until`); true when reported. */
  private removed(member: VersionRange, name: string, range: Range, schema: BlockSchema): boolean {
    if (!this.ctx.gate.tooNew(member) || !this.ctx.target) return false;
    // a target that is only the newest release we know (no cluster, no setting) is a guess: a warning then
    const strict = this.profile.strictUnknown(schema) && this.ctx.target.source !== 'default';
    this.ctx.report(
      range,
      strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      KindCodes.removedFromNomad,
      `${this.ctx.gate.removedIn(memberName(name, schema), member.until!)}, ${this.profile.strictUnknown(schema) ? 'which refuses it' : 'which ignores it'}.`,
    );
    return true;
  }

  private unknown(name: string, range: Range, schema: BlockSchema): void {
    // "did you mean" proposes only what the target release has
    const has = (m: VersionRange): boolean => this.ctx.gate.has(m);
    const candidates = [
      ...[...schema.attributes.values()].filter(has).map(a => a.name),
      ...[...schema.blocks].filter(([, b]) => has(b)).map(([n]) => n),
    ];
    const near = suggest(name, candidates);
    const where = schema.name
      ? `in \`${schema.name}\``
      : `at the top level of ${this.profile.what === 'agent configuration' ? 'an' : 'a'} ${this.profile.what}`;
    const strict = this.profile.strictUnknown(schema);
    const hint = near ? ` Did you mean \`${near}\`?` : '';
    const message = strict
      ? `Unknown key \`${name}\` ${where}: Nomad refuses it.${hint}`
      : `Unknown key \`${name}\` ${where}: Nomad ignores it.${hint}`;
    this.ctx.report(
      range,
      strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      strict ? KindCodes.unknownKey : KindCodes.ignoredKey,
      message,
      near ? { fix: 'rename', at: range.start, end: range.end, replacement: near } : undefined,
    );
  }

  private checkValue(c: Extract<Child, { kind: 'value' }>, schema: BlockSchema, seen: Map<string, Range>): void {
    if (schema.open && !schema.freeform) return;
    const key = c.name;
    const attr = this.dialect.lookup(schema.attributes, key);
    if (!attr) {
      const block = this.dialect.lookup(schema.blocks, key);
      if (block) {
        if ((block.freeform || block.open) && this.dialect.objectIsBlock) return; // `meta = …` with a non-object value: nothing to say
        this.ctx.report(
          c.nameRange,
          DiagnosticSeverity.Error,
          KindCodes.blockAsAttribute,
          `\`${key}\` is a block: write \`${key} { … }\`${this.dialect.objectIsBlock ? ` (or \`${key} = { … }\`)` : ''}, not ${shownValue(c.expr)}.`,
        );
        return;
      }
      if (schema.freeform) {
        const a = attribute(schema, key);
        if (a) this.typeCheck(c.expr, a, schema, key, c.nameRange);
        return;
      }
      if (this.profile.deprecations?.has(`${schema.id}.${key}`)) {
        this.deprecation(schema, key, c.nameRange);
        return;
      }
      this.unknown(key, c.nameRange, schema);
      return;
    }
    const prev = seen.get(attr.name);
    if (prev && this.dialect.refusesRepeats) {
      this.ctx.report(
        c.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.repeatedKey,
        `\`${key}\` is already set on line ${this.ctx.line(prev.start)}; Nomad refuses an argument set twice.`,
      );
    } else if (prev) {
      this.ctx.report(
        c.nameRange,
        DiagnosticSeverity.Warning,
        KindCodes.repeatedKey,
        `\`${key}\` is already set on line ${this.ctx.line(prev.start)}; Nomad keeps the last value${attr.type.startsWith('list(') ? ' (lists are joined)' : ''}.`,
      );
    } else seen.set(attr.name, c.nameRange);
    // what the target release lacks is an error for it; only then does a newer release's deprecation matter
    if (!this.tooNew(attr, attr.name, c.nameRange, schema) && !this.removed(attr, attr.name, c.nameRange, schema))
      this.deprecation(schema, attr.name, c.nameRange);
    this.typeCheck(c.expr, attr, schema, attr.name, c.nameRange);
  }

  private typeCheck(
    expr: Expression,
    attr: AttributeSchema,
    schema: BlockSchema,
    name: string,
    nameRange: Range,
  ): void {
    const path = `${schema.id}.${name}`;
    const p = hcl1TypeProblem(expr, attr.type, this.profile.floats?.has(path) === true);
    const s = scalarText(expr);
    if (p && this.profile.truncatesFractions && attr.type === 'number' && s?.kind === 'number') {
      this.ctx.report(
        expr.range,
        DiagnosticSeverity.Warning,
        p.code,
        `${name}: Nomad keeps only the whole part of ${s.text} (${Math.trunc(Number(s.text))}).`,
      );
      return;
    }
    if (p) {
      this.ctx.report(expr.range, DiagnosticSeverity.Error, p.code, `${name}: ${p.message}.`);
      return;
    }
    if (
      attr.enum &&
      !attr.enumOpen &&
      s &&
      s.kind === 'string' &&
      s.text !== '' &&
      this.profile.ownEnums?.(schema, name) !== true
    ) {
      const fold = this.profile.caseInsensitiveEnums?.has(path) === true;
      const ok = fold ? attr.enum.some(v => v.toLowerCase() === s.text.toLowerCase()) : attr.enum.includes(s.text);
      if (!ok) {
        const near = suggest(s.text, attr.enum);
        const strict = this.profile.strictEnums?.has(path) === true;
        this.ctx.report(
          expr.range,
          strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
          KindCodes.invalidValue,
          `"${s.text}" is not a valid ${name}; use one of ${attr.enum.map(v => `"${v}"`).join(', ')}.${near ? ` Did you mean "${near}"?` : ''}`,
          near
            ? { fix: 'rename', at: expr.range.start, end: expr.range.end, replacement: JSON.stringify(near) }
            : undefined,
        );
        return;
      }
    }
    this.profile.checkValue?.(this.ctx, schema, name, expr, nameRange);
  }

  private checkEntry(entry: Entry, schema: BlockSchema, seen: Map<string, Range>): void {
    if (schema.open && !schema.freeform) return;
    const child = this.dialect.lookup(schema.blocks, entry.name);
    if (!child) {
      const attr = this.dialect.lookup(schema.attributes, entry.name);
      if (attr && entry.objectForm) {
        // an argument that holds an object: a map-typed argument, or a type problem
        if (entry.expr) this.typeCheck(entry.expr, attr, schema, attr.name, entry.nameRange);
        return;
      }
      if (attr || schema.freeform) {
        if (schema.freeform && (schema.freeform === 'any' || schema.freeform.startsWith('map('))) return;
        this.ctx.report(
          entry.nameRange,
          DiagnosticSeverity.Error,
          KindCodes.attributeAsBlock,
          `\`${entry.name}\` is an argument, not a block: write \`${entry.name} = …\`.`,
        );
        return;
      }
      if (this.profile.deprecations?.has(`${schema.id}.${entry.name}`)) {
        this.deprecation(schema, entry.name, entry.nameRange);
        return;
      }
      this.unknown(entry.name, entry.nameRange, schema);
      return;
    }
    // labels: `plugin "docker" { … }`; the object form nests the label as a key: `plugin = { docker = { … } }`
    const want = child.labels.length;
    if (!this.dialect.objectIsBlock && entry.objectForm) {
      this.ctx.report(
        entry.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.blockAsAttribute,
        `\`${entry.name}\` is a block here: write \`${entry.name} ${child.labels.map(l => `"<${l}>" `).join('')}{ … }\` without \`=\`.`,
      );
      return;
    }
    if (want === 0 && entry.labels.length > 0 && !child.open && !child.freeform && this.dialect.objectIsBlock) {
      // HCL1 reads `client "meta" { … }` as `client { meta { … } }`: the labels are nested keys
      const [first, ...rest] = entry.labels;
      const inner: Entry = {
        name: first!.value,
        nameRange: first!.range,
        labels: rest,
        children: entry.children,
        objectForm: false,
        range: entry.range,
      };
      entry = { ...entry, labels: [], children: [{ kind: 'entry', entry: inner }] };
    }
    if (entry.objectForm && want > 0 && entry.labels.length === 0) {
      for (const c of entry.children) {
        if (c.kind === 'entry')
          this.checkLabelled(
            { ...c.entry, name: entry.name, labels: [{ value: c.entry.name, range: c.entry.nameRange }] },
            child,
            schema,
          );
      }
      return;
    }
    if (entry.labels.length !== want && !child.open) {
      const range =
        entry.labels.length > want
          ? { start: entry.labels[want]!.range.start, end: entry.labels[entry.labels.length - 1]!.range.end }
          : entry.nameRange;
      this.ctx.report(
        range,
        DiagnosticSeverity.Error,
        KindCodes.labelCount,
        want === 0
          ? `\`${entry.name}\` takes no label.`
          : `\`${entry.name}\` needs ${want === 1 ? 'a label' : `${want} labels`}: ${entry.name} ${child.labels.map(l => `"<${l}>"`).join(' ')} { … }.`,
      );
    }
    if (!child.multiple) {
      const prev = seen.get(child.name);
      if (prev && (this.dialect.refusesRepeats || this.profile.refusedRepeats?.has(child.id))) {
        this.ctx.report(
          entry.nameRange,
          DiagnosticSeverity.Error,
          KindCodes.repeatedBlock,
          `\`${entry.name}\` is already defined on line ${this.ctx.line(prev.start)}; Nomad refuses a second one.`,
        );
      } else if (prev) {
        this.ctx.report(
          entry.nameRange,
          DiagnosticSeverity.Warning,
          KindCodes.repeatedBlock,
          `\`${entry.name}\` is already defined on line ${this.ctx.line(prev.start)}; Nomad merges the two (later values win). Keep one.`,
        );
      } else seen.set(child.name, entry.nameRange);
    }
    if (
      !this.tooNew(child, child.name, entry.nameRange, schema) &&
      !this.removed(child, child.name, entry.nameRange, schema)
    )
      this.deprecation(schema, child.name, entry.nameRange);
    this.checkLabelled(entry, child, schema);
  }

  private checkLabelled(entry: Entry, child: BlockSchema, parent: BlockSchema): void {
    const label = entry.labels[0]?.value;
    if (label !== undefined && this.profile.labelledSchema) child = this.profile.labelledSchema(child, label) ?? child;
    if (child.freeform && !child.open) {
      // key/value blocks (meta, options …): every value must fit the free-form type
      for (const c of entry.children) {
        if (c.kind === 'value') {
          const p = hcl1TypeProblem(c.expr, child.freeform);
          if (p) this.ctx.report(c.expr.range, DiagnosticSeverity.Error, p.code, `${c.name}: ${p.message}.`);
          else this.profile.checkValue?.(this.ctx, child, c.name, c.expr, c.nameRange);
        } else if (child.freeform !== 'any') {
          this.ctx.report(
            c.entry.nameRange,
            DiagnosticSeverity.Error,
            KindCodes.typeMismatch,
            `${c.entry.name}: expected a ${child.freeform}, found ${c.entry.objectForm ? 'an object' : 'a block'}.`,
          );
        }
      }
    } else {
      this.checkChildren(entry.children, child);
    }
    this.profile.checkEntry?.(this.ctx, child, entry, parent);
  }
}

/** The names present among children (block names and argument names). */
export function childNames(children: Child[]): Set<string> {
  const s = new Set<string>();
  for (const c of children) s.add(c.kind === 'value' ? c.name : c.entry.name);
  return s;
}
