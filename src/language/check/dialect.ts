// How a file's decoder reads values and names against the schema: the one place where HCL2 (job files,
// node pool specifications) and HCL1 (agent configuration, volume specifications, ACL policies, namespace
// and quota specifications …) differ. A checker walks a file against the schema (src/language/schema)
// and asks its dialect what the decoder would make of a name or a value:
//   - keys: HCL2 matches a name exactly; HCL1 also finds it without case (mapstructure folds keys);
//   - blocks: HCL1 reads `name = { … }` as the block `name { … }`, and `client "meta" { … }` as
//     `client { meta { … } }` (labels are nested keys); HCL2 does neither;
//   - repeats: HCL2 refuses an argument or a single block set twice; HCL1 keeps the last argument and
//     merges the blocks;
//   - values: HCL2 converts strings to numbers and bools strictly (cty); HCL1 converts loosely (a
//     number field takes "3", a bool field "1"), and a float field refuses a quoted number.
// Pure: no `vscode` import.
import type { Expression, Range } from '../hcl';
import type { AttributeSchema, AttrType } from '../schema';
import { parseGoDuration } from './duration';
import { Codes, type DiagnosticCode } from './types';

/** What a decoder makes of names and values; see the top of this file. */
export interface Dialect {
  readonly name: 'hcl2' | 'hcl1';
  /** The member of `map` named `key` as the decoder finds it (exact, or also without case). */
  lookup<T>(map: ReadonlyMap<string, T>, key: string): T | undefined;
  /** `name = { … }` stands for the block `name { … }`, and a block's labels are nested keys. */
  readonly objectIsBlock: boolean;
  /** A second argument of a name, or a second single block, is refused (else: last wins / merged). */
  readonly refusesRepeats: boolean;
}

/** The member named exactly `key`. */
function exact<T>(map: ReadonlyMap<string, T>, key: string): T | undefined {
  return map.get(key);
}

/** The member named `key`, else one whose name equals it without case (HCL1's mapstructure decoding). */
function folded<T>(map: ReadonlyMap<string, T>, key: string): T | undefined {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const lower = key.toLowerCase();
  if (lower === key) return undefined;
  for (const [k, v] of map) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Job files: HCL2 throughout. */
export const HCL2: Dialect = { name: 'hcl2', lookup: exact, objectIsBlock: false, refusesRepeats: true };

/** Agent configuration, volume, ACL policy, namespace, quota and Variable specifications: HCL1. */
export const HCL1: Dialect = { name: 'hcl1', lookup: folded, objectIsBlock: true, refusesRepeats: false };

/**
 * Node pool specifications: Nomad parses them with HCL2 (blocks are blocks, a repeat is refused) and then
 * decodes the values weakly into its structs (keys without case, loose scalars), as the HCL1 kinds do.
 */
export const HCL2_WEAK: Dialect = { name: 'hcl2', lookup: folded, objectIsBlock: false, refusesRepeats: true };

// ---- values: HCL2 ------------------------------------------------------------------------------------

/** Why `expr` cannot be a value of `type`, or undefined when it can (or cannot be known statically). */
export function typeProblem(
  expr: Expression,
  type: AttrType,
): { message: string; range: Range; code: DiagnosticCode } | undefined {
  switch (expr.kind) {
    case 'Parens':
      return typeProblem(expr.expr, type);
    case 'Literal':
    case 'Template':
    case 'Heredoc':
    case 'Tuple':
    case 'Object':
      break;
    default:
      return undefined; // variables, function calls, conditionals …: not known before evaluation
  }
  if (
    type === 'any' ||
    type === 'object' ||
    (type === 'list(any)' && expr.kind === 'Tuple') ||
    (type === 'map(any)' && expr.kind === 'Object')
  )
    return undefined;
  const isString = expr.kind === 'Template' || expr.kind === 'Heredoc';
  if (isString && expr.literal === undefined) return undefined; // interpolated: its value is decided later
  const str = isString ? expr.literal : undefined;
  const lit = expr.kind === 'Literal' ? expr.value : undefined;
  switch (type) {
    case 'string':
      if (expr.kind === 'Tuple' || expr.kind === 'Object') return mismatch(expr, 'a string');
      return undefined;
    case 'number':
      if (str !== undefined) return NUMBER_RE.test(str.trim()) ? undefined : mismatch(expr, 'a number');
      if (expr.kind === 'Literal' && (typeof lit === 'number' || lit === null)) return undefined;
      return mismatch(expr, 'a number');
    case 'bool':
      if (str !== undefined) return str === 'true' || str === 'false' ? undefined : mismatch(expr, 'true or false');
      if (expr.kind === 'Literal' && (typeof lit === 'boolean' || lit === null)) return undefined;
      return mismatch(expr, 'true or false');
    case 'duration': {
      if (str !== undefined) {
        const d = parseGoDuration(str);
        return d.ok
          ? undefined
          : { message: `"${str}" is not a duration: it ${d.error}.`, range: expr.range, code: Codes.invalidDuration };
      }
      if (expr.kind === 'Literal' && (typeof lit === 'number' || lit === null)) return undefined;
      return mismatch(expr, 'a duration such as "30s"');
    }
    default:
      break;
  }
  const c = collectionType(type);
  if (!c) return undefined;
  const inner = c.inner;
  if (c.list) {
    if (expr.kind === 'Literal' && lit === null) return undefined;
    if (expr.kind !== 'Tuple') return mismatch(expr, `a list (${type})`);
    for (const item of expr.items) {
      const p = typeProblem(item, inner);
      if (p) return p;
    }
    return undefined;
  }
  if (expr.kind === 'Literal' && lit === null) return undefined;
  if (expr.kind !== 'Object') return mismatch(expr, `a map (${type})`);
  for (const item of expr.items) {
    const p = typeProblem(item.value, inner);
    if (p) return p;
  }
  return undefined;
}

function mismatch(expr: Expression, what: string): { message: string; range: Range; code: DiagnosticCode } {
  return { message: `Expected ${what}, found ${describeValue(expr)}.`, range: expr.range, code: Codes.typeMismatch };
}

const COLLECTION_TYPES = new Map<string, { list: boolean; inner: AttrType } | null>();

/** `list(T)` / `map(T)` split into its kind and T (memoised: the checker asks for every value) */
function collectionType(type: AttrType): { list: boolean; inner: AttrType } | null {
  let c = COLLECTION_TYPES.get(type);
  if (c === undefined) {
    const m = /^(list|map)\((.*)\)$/.exec(type);
    c = m ? { list: m[1] === 'list', inner: m[2] as AttrType } : null;
    COLLECTION_TYPES.set(type, c);
  }
  return c;
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function describeValue(expr: Expression): string {
  switch (expr.kind) {
    case 'Literal':
      return expr.value === null ? 'null' : typeof expr.value === 'string' ? `"${expr.value}"` : String(expr.value);
    case 'Template':
    case 'Heredoc':
      return expr.literal !== undefined ? `the string "${clip(expr.literal)}"` : 'a string';
    case 'Tuple':
      return 'a list';
    case 'Object':
      return 'an object';
    default:
      return 'an expression';
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

// ---- values: HCL1 ------------------------------------------------------------------------------------

/** The literal text of a scalar (string, number or bool), or undefined when it is not one. */
export function scalarText(e: Expression): { text: string; kind: 'string' | 'number' | 'bool' | 'null' } | undefined {
  if (e.kind === 'Parens') return scalarText(e.expr);
  if (e.kind === 'Template' || e.kind === 'Heredoc')
    return e.literal !== undefined ? { text: e.literal, kind: 'string' } : undefined;
  if (e.kind === 'Literal') {
    if (e.value === null) return { text: '', kind: 'null' };
    if (typeof e.value === 'string') return { text: e.value, kind: 'string' };
    return { text: String(e.value), kind: typeof e.value === 'number' ? 'number' : 'bool' };
  }
  return undefined;
}

/** Is the expression something whose value we cannot know (an interpolation, a reference …)? */
function dynamic(e: Expression): boolean {
  if (e.kind === 'Parens') return dynamic(e.expr);
  if (e.kind === 'Template' || e.kind === 'Heredoc') return e.literal === undefined;
  return !(e.kind === 'Literal' || e.kind === 'Tuple' || e.kind === 'Object');
}

/** A value as HCL1 messages show it: a clipped string in quotes, a number, "a list" … */
export function shownValue(e: Expression): string {
  const s = scalarText(e);
  if (s) return s.kind === 'string' ? `"${s.text.length > 40 ? `${s.text.slice(0, 37)}…` : s.text}"` : s.text || 'null';
  if (e.kind === 'Tuple') return 'a list';
  if (e.kind === 'Object') return 'an object';
  return 'an expression';
}

const INT_RE = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|[1-9][0-9]*|0[bB][01]+)$/;
const FLOAT_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Why Nomad's HCL1 decoder would refuse `expr` for a field of `type`, or undefined. `float` marks
 * float64 fields (a number in quotes is refused there, unlike integer fields).
 */
export function hcl1TypeProblem(
  expr: Expression,
  type: AttributeSchema['type'],
  float = false,
): { message: string; code: string } | undefined {
  if (dynamic(expr)) return undefined;
  const s = scalarText(expr);
  const isList = expr.kind === 'Tuple';
  const isObject = expr.kind === 'Object';
  const bad = (want: string): { message: string; code: string } => ({
    message: `expected ${want}, found ${shownValue(expr)}`,
    code: Codes.typeMismatch,
  });
  switch (type) {
    case 'any':
    case 'object':
    case 'map(any)':
    case 'list(any)':
      return undefined;
    case 'string':
      return isList || isObject ? bad('a string') : undefined;
    case 'duration': {
      if (isList || isObject) return bad('a duration such as "30s"');
      if (!s || s.kind === 'null' || s.text === '') return undefined;
      const d = parseGoDuration(s.text);
      if (d.ok) return undefined;
      return { message: `${shownValue(expr)} is not a duration: it ${d.error}`, code: Codes.invalidDuration };
    }
    case 'number': {
      if (!s) return bad('a number');
      if (s.kind === 'null') return undefined;
      if (float) return s.kind === 'number' ? undefined : bad('a number (not in quotes)');
      if (s.kind === 'number') return Number.isInteger(Number(s.text)) ? undefined : bad('a whole number');
      if (s.kind === 'string' && INT_RE.test(s.text.trim()) && s.text.trim() === s.text) return undefined;
      return bad(s.kind === 'string' && FLOAT_RE.test(s.text) ? 'a whole number' : 'a number');
    }
    case 'bool': {
      if (!s) return bad('true or false');
      if (s.kind === 'null' || s.kind === 'bool') return undefined;
      const t = s.text.toLowerCase();
      return t === 'true' || t === 'false' || t === '1' || t === '0' ? undefined : bad('true or false');
    }
    default:
      break;
  }
  if (type.startsWith('list(')) {
    if (s?.kind === 'null') return undefined;
    if (!isList) return bad('a list, e.g. ["a", "b"]');
    const inner = type.slice(5, -1) as AttributeSchema['type'];
    for (const item of expr.items) {
      const p = hcl1TypeProblem(item, inner);
      if (p) return p;
    }
    return undefined;
  }
  if (type.startsWith('map(')) {
    if (s?.kind === 'null') return undefined;
    if (!isObject) return bad('an object, e.g. { key = "value" }');
    const inner = type.slice(4, -1) as AttributeSchema['type'];
    for (const item of expr.items) {
      const p = hcl1TypeProblem(item.value, inner);
      if (p) return p;
    }
  }
  return undefined;
}
