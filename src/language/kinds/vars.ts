// Variables files (`nomad job run -var-file=<file>`): top-level `name = value` arguments that set the
// input variables a job declares with `variable "<name>" { type = … }`. Checks each name against the
// declarations of the job files that use the file (given by the host, which reads the folder), and
// each value against the declared type with HCL2's conversion rules (a number converts to a string,
// "5" to a number, "true" to a bool). Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Expression, HclFile } from '../hcl';
import { suggest } from '../schema';
import { KindCodes, KindContext, scalarText } from './check';

export type VarType =
  | { k: 'any' | 'string' | 'number' | 'bool' }
  | { k: 'list' | 'set' | 'map'; elem: VarType }
  | { k: 'object'; attrs: Map<string, { type: VarType; optional: boolean }> }
  | { k: 'tuple'; elems: VarType[] };

export interface DeclaredVariable {
  name: string;
  /** the `type` as written (source text), when there is one */
  typeText?: string;
  type?: VarType;
  description?: string;
  /** source text of the default value */
  defaultText?: string;
  /** file that declares it (a path or URI, as the host gave it) */
  source: string;
}

/** The declarations visible to a variables file: from every job file that uses it. */
export interface VarsContext {
  /** job files that were read (empty: nothing is known, no name is flagged) */
  sources: string[];
  variables: Map<string, DeclaredVariable[]>;
}

const ANY: VarType = { k: 'any' };

/** The type constraint written in a `type = …` expression. Unknown shapes give `any`. */
export function typeFromExpression(e: Expression): VarType {
  if (e.kind === 'Parens') return typeFromExpression(e.expr);
  if (e.kind === 'ScopeTraversal' && e.steps.length === 0) {
    return e.root === 'string' || e.root === 'number' || e.root === 'bool' ? { k: e.root } : ANY;
  }
  if (e.kind !== 'FunctionCall') return ANY;
  const arg = e.args[0];
  switch (e.name) {
    case 'list':
    case 'set':
    case 'map':
      return { k: e.name, elem: arg ? typeFromExpression(arg) : ANY };
    case 'tuple':
      return arg?.kind === 'Tuple' ? { k: 'tuple', elems: arg.items.map(typeFromExpression) } : ANY;
    case 'object': {
      if (arg?.kind !== 'Object') return ANY;
      const attrs = new Map<string, { type: VarType; optional: boolean }>();
      for (const it of arg.items) {
        if (it.keyName === undefined) continue;
        const v = it.value;
        if (v.kind === 'FunctionCall' && v.name === 'optional')
          attrs.set(it.keyName, { type: v.args[0] ? typeFromExpression(v.args[0]) : ANY, optional: true });
        else attrs.set(it.keyName, { type: typeFromExpression(v), optional: false });
      }
      return { k: 'object', attrs };
    }
    default:
      return ANY;
  }
}

export function typeToString(t: VarType): string {
  switch (t.k) {
    case 'list':
    case 'set':
    case 'map':
      return `${t.k}(${typeToString(t.elem)})`;
    case 'tuple':
      return `tuple([${t.elems.map(typeToString).join(', ')}])`;
    case 'object':
      return `object({${[...t.attrs].map(([k, v]) => `${k} = ${v.optional ? `optional(${typeToString(v.type)})` : typeToString(v.type)}`).join(', ')}})`;
    default:
      return t.k;
  }
}

/** The `variable` blocks (and legacy `variables { … }` entries) of a job file. */
export function collectDeclarations(file: HclFile, source: string): DeclaredVariable[] {
  const out: DeclaredVariable[] = [];
  const text = file.text;
  for (const item of file.body.items) {
    if (item.kind !== 'Block') continue;
    if (item.type === 'variable' && item.labels.length === 1) {
      const d: DeclaredVariable = { name: item.labels[0]!.value, source };
      for (const a of item.body.items) {
        if (a.kind !== 'Attribute') continue;
        if (a.name === 'type') {
          d.type = typeFromExpression(a.expr);
          d.typeText = text.slice(a.expr.range.start, a.expr.range.end);
        } else if (a.name === 'description') {
          const s = scalarText(a.expr);
          if (s) d.description = s.text;
        } else if (a.name === 'default') d.defaultText = text.slice(a.expr.range.start, a.expr.range.end);
      }
      out.push(d);
    } else if (item.type === 'variables') {
      for (const a of item.body.items) {
        if (a.kind === 'Attribute')
          out.push({ name: a.name, source, defaultText: text.slice(a.expr.range.start, a.expr.range.end) });
      }
    }
  }
  return out;
}

/** Builds the context of a variables file from the declarations of several job files. */
export function makeVarsContext(files: { source: string; declarations: DeclaredVariable[] }[]): VarsContext {
  const variables = new Map<string, DeclaredVariable[]>();
  for (const f of files) {
    for (const d of f.declarations) {
      const list = variables.get(d.name);
      if (list) list.push(d);
      else variables.set(d.name, [d]);
    }
  }
  return { sources: files.map(f => f.source), variables };
}

/** Why a constant value does not convert to `t` (HCL2 conversion rules), or undefined. */
export function valueTypeProblem(e: Expression, t: VarType): string | undefined {
  if (e.kind === 'Parens') return valueTypeProblem(e.expr, t);
  if (t.k === 'any') return undefined;
  if (e.kind === 'Template' || e.kind === 'Heredoc') {
    if (e.literal === undefined) return undefined;
  } else if (e.kind !== 'Literal' && e.kind !== 'Tuple' && e.kind !== 'Object') {
    return undefined;
  }
  const s = scalarText(e);
  if (s?.kind === 'null') return undefined;
  const what = s
    ? s.kind === 'string'
      ? `the string "${s.text.length > 30 ? `${s.text.slice(0, 27)}…` : s.text}"`
      : s.text
    : e.kind === 'Tuple'
      ? 'a list'
      : 'an object';
  const want = typeToString(t);
  switch (t.k) {
    case 'string':
      return s ? undefined : `expected a string, found ${what}`;
    case 'number':
      if (s?.kind === 'number') return undefined;
      if (s?.kind === 'string' && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s.text.trim())) return undefined;
      return `expected a number, found ${what}`;
    case 'bool':
      if (s?.kind === 'bool' || (s?.kind === 'string' && (s.text === 'true' || s.text === 'false'))) return undefined;
      return `expected true or false, found ${what}`;
    case 'list':
    case 'set':
      if (e.kind !== 'Tuple') return `expected ${want}, found ${what}`;
      for (const item of e.items) {
        const p = valueTypeProblem(item, t.elem);
        if (p) return `in the list: ${p}`;
      }
      return undefined;
    case 'tuple':
      if (e.kind !== 'Tuple') return `expected ${want}, found ${what}`;
      if (e.items.length !== t.elems.length) return `expected ${t.elems.length} elements, found ${e.items.length}`;
      for (let i = 0; i < e.items.length; i++) {
        const p = valueTypeProblem(e.items[i]!, t.elems[i]!);
        if (p) return `element ${i}: ${p}`;
      }
      return undefined;
    case 'map':
      if (e.kind !== 'Object') return `expected ${want}, found ${what}`;
      for (const it of e.items) {
        const p = valueTypeProblem(it.value, t.elem);
        if (p) return `${it.keyName ?? 'a value'}: ${p}`;
      }
      return undefined;
    case 'object': {
      if (e.kind !== 'Object') return `expected an object, found ${what}`;
      const given = new Map(e.items.filter(i => i.keyName !== undefined).map(i => [i.keyName!, i.value]));
      for (const [k, a] of t.attrs) {
        const v = given.get(k);
        if (!v) {
          if (!a.optional) return `attribute "${k}" is required`;
          continue;
        }
        const p = valueTypeProblem(v, a.type);
        if (p) return `${k}: ${p}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function isConstant(e: Expression): boolean {
  switch (e.kind) {
    case 'Literal':
      return true;
    case 'Template':
    case 'Heredoc':
      return true; // interpolations of constants are allowed
    case 'Parens':
      return isConstant(e.expr);
    case 'Tuple':
      return e.items.every(isConstant);
    case 'Object':
      return e.items.every(i => isConstant(i.value));
    case 'Unary':
    case 'Binary':
    case 'Conditional':
      return true;
    default:
      return false;
  }
}

/** Diagnostics of a variables file; `context` undefined (or without sources) skips the name checks. */
export function checkVarsFile(file: HclFile, context?: VarsContext, ctx = new KindContext(file)): KindContext {
  const known = context && context.sources.length > 0 ? context : undefined;
  const seen = new Map<string, number>();
  for (const item of file.body.items) {
    if (item.kind === 'Block') {
      ctx.report(
        item.typeRange,
        DiagnosticSeverity.Error,
        KindCodes.blockInVarsFile,
        `A variables file holds only \`name = value\` arguments; \`${item.type}\` blocks belong in the job file.`,
      );
      continue;
    }
    const prev = seen.get(item.name);
    if (prev !== undefined) {
      ctx.report(
        item.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.repeatedKey,
        `\`${item.name}\` is already set on line ${ctx.line(prev)}.`,
      );
    } else seen.set(item.name, item.nameRange.start);
    if (!isConstant(item.expr)) {
      ctx.report(
        item.expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        'A variables file takes constant values only: no variable references or function calls.',
      );
      continue;
    }
    if (!known) continue;
    const decls = known.variables.get(item.name);
    if (!decls) {
      const near = suggest(item.name, known.variables.keys());
      const where =
        known.sources.length === 1
          ? `in ${baseName(known.sources[0]!)}`
          : `in the job files of this folder (${known.sources.map(baseName).join(', ')})`;
      ctx.report(
        item.nameRange,
        DiagnosticSeverity.Warning,
        KindCodes.undeclaredVariable,
        `No variable "${item.name}" is declared ${where}.${near ? ` Did you mean "${near}"?` : ''}`,
        near ? { fix: 'rename', at: item.nameRange.start, end: item.nameRange.end, replacement: near } : undefined,
      );
      continue;
    }
    const typed = decls.filter(d => d.type);
    if (typed.length === 0 || typed.length < decls.length) continue; // some job accepts any type
    const problems = typed.map(d => valueTypeProblem(item.expr, d.type!));
    if (problems.every(p => p !== undefined)) {
      const d = typed[0]!;
      ctx.report(
        item.expr.range,
        DiagnosticSeverity.Warning,
        KindCodes.variableType,
        `Variable "${item.name}" is declared as ${d.typeText ?? typeToString(d.type!)} in ${baseName(d.source)}: ${problems[0]}.`,
      );
    }
  }
  return ctx;
}

function baseName(p: string): string {
  const base = p.replace(/^.*[\\/]/, '');
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}
