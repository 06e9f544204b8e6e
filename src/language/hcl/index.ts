// HCL2 parser for Nomad job files — public API. Pure TypeScript, no dependencies, never throws.
//
//   parse(text): HclFile              native HCL2, or JSON syntax when the text starts with `{`
//                                     (after a BOM, whitespace and comments); `file.syntax` tells which
//   parseNative(text): HclFile        force native syntax
//   parseJSON(text): HclFile          force JSON syntax (members of the top object become attributes)
//   positionAt(file, offset): Position         offset -> LSP position (zero-based line, UTF-16 character)
//   offsetAt(file, position): number           LSP position -> offset
//   toLspRange(file, range): LspRange          node range -> LSP range
//   nodeAt(file, offsetOrPosition): Node[]     path from the file to the innermost node at a position
//   walk(node, { enter?, leave? })             depth-first visitor; enter returning false skips children
//   forEachChild(node, cb)                     direct children in source order
//   literalString(expr): string | undefined    value of a literal string (quoted or heredoc), cheap
//   staticValue(expr)                          literal value of constants, literal strings, tuples and
//                                              objects built of those; undefined when not constant
//
// Tree (see ./ast.ts for every field):
//   HclFile  { body: Body; comments: Comment[]; errors: ParseError[]; syntax; lineStarts; text }
//   Body     { items: (Attribute | Block)[] }
//   Attribute{ name; nameRange; equals?; expr: Expression }
//   Block    { type; typeRange; labels: { value; range; quoted }[]; body; openBrace?; closeBrace? }
//   Expression = Literal | Template | Heredoc | Tuple | Object | FunctionCall | ScopeTraversal | Index
//              | GetAttr | Splat | For | Conditional | Binary | Unary | Parens | Invalid
//   Template / Heredoc { parts: (TemplateLiteral | TemplateInterpolation | TemplateIf | TemplateFor)[];
//                        literal?: string — set when the template is a plain string }
//   ScopeTraversal { root; steps: (TraverseAttr | TraverseIndex | TraverseSplat)[] } — any variable
//     reference with its `.a`, `[i]`, `[*]`, `.*`, `.0` chain; Index / GetAttr / Splat only wrap
//     other expressions (`f(x)[0]`, `(a).b`).
//   Object items: { key: Expression; keyName?: string (bare identifier / literal string / number);
//     separator: '=' | ':'; value }. A bare key is a ScopeTraversal without steps, but it names a key.
//   `-5` is folded into Literal(-5).
//
// Ranges are `{ start, end }` string offsets (JS indices = UTF-16 code units), half-open. Every node,
// error and comment has one. LSP positions come from `file.lineStarts` through positionAt /
// toLspRange (cheap: a binary search), rather than being stored on every node.
//
// Errors: { code (stable, see ErrorCode in ./ast.ts), message, range, severity }. Recovery is per
// line / item / closing brace, so one mistake does not hide the rest of the file. HCL1-only syntax
// (quoted argument names, commas between arguments, several arguments on one line) gets `hcl1-*`
// codes with a message telling how to write it in HCL2.
import type { Expression, HclFile, Range } from './ast';
import { parseJSON } from './json';
import { parseNative } from './parser';

export * from './ast';
export { parseNative } from './parser';
export { parseJSON } from './json';
export { computeLineStarts, lineOf, offsetAt, positionAt, toLspRange } from './positions';
export { forEachChild, nodeAt, walk } from './walk';
export type { Visitor } from './walk';

/** Where a finding about a whole file goes: the name of its first item (a block's type, an argument's
 *  name), or the start of an empty file. */
export function firstItemRange(file: HclFile): Range {
  const first = file.body.items[0];
  return first ? (first.kind === 'Block' ? first.typeRange : first.nameRange) : { start: 0, end: 0 };
}

/** Parses a job file: JSON syntax when the first significant character is `{`, else native HCL2. */
export function parse(text: string): HclFile {
  return looksLikeJson(text) ? parseJSON(text) : parseNative(text);
}

function looksLikeJson(s: string): boolean {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 35 || (c === 47 && s.charCodeAt(i + 1) === 47)) {
      const e = s.indexOf('\n', i);
      if (e < 0) return false;
      i = e + 1;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const e = s.indexOf('*/', i + 2);
      if (e < 0) return false;
      i = e + 2;
      continue;
    }
    return c === 123;
  }
  return false;
}

/** The value of a literal string expression (quoted template or heredoc without interpolation). */
export function literalString(expr: Expression): string | undefined {
  return expr.kind === 'Template' || expr.kind === 'Heredoc' ? expr.literal : undefined;
}

export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue };

/** The constant value of an expression built only of literals, tuples and objects with static keys. */
export function staticValue(expr: Expression): StaticValue | undefined {
  switch (expr.kind) {
    case 'Literal':
      return expr.value;
    case 'Template':
    case 'Heredoc':
      return expr.literal;
    case 'Parens':
      return staticValue(expr.expr);
    case 'Tuple': {
      const out: StaticValue[] = [];
      for (const e of expr.items) {
        const v = staticValue(e);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'Object': {
      const out: { [key: string]: StaticValue } = {};
      for (const i of expr.items) {
        const v = staticValue(i.value);
        if (i.keyName === undefined || v === undefined) return undefined;
        out[i.keyName] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}
