// Completion and hover in variables files: the names declared by the job files that use the file,
// with their type, description and default. Pure: no `vscode` import.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Hover,
} from 'vscode-languageserver-types';
import { toLspRange, type HclFile } from '../hcl';
import type { DeclaredVariable, VarsContext } from './vars';
import { codeSpan, joinMarkdown, markdownLines, markdownText, md, type SafeMarkdown } from '../../untrusted/shown';

/** A declared variable's documentation: everything in it comes from job files (hostile Markdown), so it
 *  is escaped text or sits in code spans it cannot leave. */
function docOf(name: string, decls: DeclaredVariable[]): SafeMarkdown {
  const d = decls[0]!;
  const lines: SafeMarkdown[] = [
    md`**variable ${markdownText(JSON.stringify(name))}**${d.typeText ? md` — ${codeSpan(d.typeText)}` : md``}`,
  ];
  if (d.description) lines.push(md``, markdownLines(d.description));
  if (d.defaultText !== undefined)
    lines.push(
      md``,
      md`Default: ${codeSpan(d.defaultText.length > 80 ? `${d.defaultText.slice(0, 77)}…` : d.defaultText)}`,
    );
  const files = [...new Set(decls.map(x => decodeName(x.source)))];
  lines.push(md``, md`Declared in ${markdownText(files.join(', '))}`);
  return joinMarkdown(lines, '\n');
}

function decodeName(source: string): string {
  const base = source.replace(/^.*[\\/]/, '');
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/** A value skeleton for a declared type, as snippet text. */
function valueSnippet(d: DeclaredVariable): string {
  switch (d.type?.k) {
    case 'number':
      return '${1:0}';
    case 'bool':
      return '${1|true,false|}';
    case 'list':
    case 'set':
    case 'tuple':
      return '[${1}]';
    case 'map':
    case 'object':
      return '{\n\t${1}\n}';
    default:
      return '"${1}"';
  }
}

/** Names to set at the start of a line of a variables file (those not set yet first). */
export function completeVarsFile(file: HclFile, offset: number, context: VarsContext | undefined): CompletionList {
  if (!context || context.variables.size === 0) return { isIncomplete: false, items: [] };
  const text = file.text;
  let ls = offset;
  while (ls > 0 && text[ls - 1] !== '\n' && text[ls - 1] !== '\r') ls--;
  const before = text.slice(ls, offset);
  const m = /^\s*([A-Za-z_][\w-]*)?$/.exec(before);
  if (!m) return { isIncomplete: false, items: [] };
  let end = offset;
  while (end < text.length && /[\w-]/.test(text[end]!)) end++;
  const start = offset - (m[1]?.length ?? 0);
  const range = toLspRange(file, { start, end });
  const set = new Set(
    file.body.items.filter(i => i.kind === 'Attribute').map(i => (i.kind === 'Attribute' ? i.name : '')),
  );
  const items: CompletionItem[] = [];
  for (const [name, decls] of context.variables) {
    const d = decls[0]!;
    const already = set.has(name) && name !== m[1];
    items.push({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: d.typeText ?? 'variable',
      documentation: { kind: MarkupKind.Markdown, value: docOf(name, decls) },
      sortText: `${already ? '1' : '0'}${name}`,
      textEdit: { range, newText: `${name} = ${valueSnippet(d)}` },
      insertTextFormat: InsertTextFormat.Snippet,
    });
  }
  return { isIncomplete: false, items };
}

/** Hover on a name of a variables file: its declaration. */
export function hoverVarsFile(file: HclFile, offset: number, context: VarsContext | undefined): Hover | undefined {
  if (!context) return undefined;
  for (const item of file.body.items) {
    if (item.kind !== 'Attribute' || offset < item.nameRange.start || offset > item.nameRange.end) continue;
    const decls = context.variables.get(item.name);
    if (!decls) return undefined;
    return {
      contents: { kind: MarkupKind.Markdown, value: docOf(item.name, decls) },
      range: toLspRange(file, item.nameRange),
    };
  }
  return undefined;
}
