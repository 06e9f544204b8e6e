// Semantic tokens for what a TextMate grammar cannot know: whether `var.x` / `local.x` are declared,
// whether a function exists, the declarations themselves, deprecated names, and inside driver
// `config` bodies (and other free-form schemas) which names are nested blocks and which are arguments.
// Pure: no `vscode` import. Encoding: the LSP relative 5-integer form, sorted, one line per token.
import { forEachChild, lineOf, type Body, type HclFile, type Node, type Range } from '../hcl';
import { functionSchema, type BlockSchema } from '../schema';
import { childSchema, declarations, referenceOf } from './context';

export const SEMANTIC_TOKEN_TYPES = ['variable', 'property', 'type', 'function', 'keyword'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = [
  'declaration',
  'readonly',
  'deprecated',
  'defaultLibrary',
  'unresolved',
] as const;

export const semanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

type TokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
type Modifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

const TYPE_INDEX = new Map<string, number>(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]));
const MOD_BIT = new Map<string, number>(SEMANTIC_TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

export interface SemanticToken {
  range: Range;
  type: TokenType;
  modifiers: Modifier[];
}

/** The tokens of a file, in source order (for tests and for encoding). */
export function semanticTokenList(file: HclFile, root: BlockSchema | undefined): SemanticToken[] {
  const out: SemanticToken[] = [];
  const decls = declarations(file);
  const push = (range: Range, type: TokenType, ...modifiers: Modifier[]): void => {
    if (range.end > range.start) out.push({ range, type, modifiers });
  };

  const expr = (n: Node): void => {
    const ref = referenceOf(n);
    if (ref) {
      const known = ref.kind === 'var' ? decls.variables.has(ref.name) : decls.locals.has(ref.name);
      push(ref.range, 'variable', 'readonly', ...(known ? [] : ['unresolved' as const]));
    } else if (n.kind === 'FunctionCall') {
      push(
        n.nameRange,
        'function',
        ...(functionSchema(n.name) ? ['defaultLibrary' as const] : ['unresolved' as const]),
      );
    }
    forEachChild(n, expr);
  };

  const body = (b: Body, schema: BlockSchema | undefined, inDriver: boolean, depth: number): void => {
    for (const item of b.items) {
      if (item.kind === 'Attribute') {
        if (schema?.id === 'Locals' || schema?.id === 'Variables')
          push(item.nameRange, 'variable', 'declaration', 'readonly');
        else {
          const a = schema?.attributes.get(item.name);
          if (a?.deprecation) push(item.nameRange, 'property', 'deprecated');
          else if (inDriver)
            push(
              item.nameRange,
              'property',
              ...(schema && !schema.open && !schema.freeform && !a && !schema.blocks.has(item.name)
                ? ['unresolved' as const]
                : []),
            );
        }
        expr(item.expr);
        continue;
      }
      const child = depth < 64 ? childSchema(schema, b, item) : undefined;
      const driver = inDriver || (child?.id.startsWith('driver:') ?? false);
      if (item.type === 'variable' && item.labels[0] && schema?.id === 'File') {
        const l = item.labels[0].range;
        push(item.labels[0].quoted ? { start: l.start + 1, end: l.end - 1 } : l, 'variable', 'declaration', 'readonly');
      }
      if (child?.deprecation) push(item.typeRange, 'type', 'deprecated');
      else if (inDriver) push(item.typeRange, 'type');
      body(item.body, child, driver, depth + 1);
    }
  };
  body(file.body, root, false, 0);
  out.sort((a, b) => a.range.start - b.range.start);
  return out;
}

/** Full-document semantic tokens in the LSP integer encoding. */
export function semanticTokens(file: HclFile, root: BlockSchema | undefined): { data: number[] } {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of semanticTokenList(file, root)) {
    const line = lineOf(file.lineStarts, t.range.start);
    const char = t.range.start - file.lineStarts[line]!;
    const endLine = lineOf(file.lineStarts, t.range.end);
    const len = endLine === line ? t.range.end - t.range.start : file.lineStarts[line + 1]! - 1 - t.range.start;
    if (len <= 0) continue;
    let mods = 0;
    for (const m of t.modifiers) mods |= MOD_BIT.get(m)!;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, len, TYPE_INDEX.get(t.type)!, mods);
    prevLine = line;
    prevChar = char;
  }
  return { data };
}
