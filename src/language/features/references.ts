// Go-to-definition, find-references, rename and reference-count code lenses for input variables
// (`var.x` ↔ `variable "x"` / an attribute of `variables`) and locals (`local.x` ↔ its attribute in a
// `locals` block). Pure: no `vscode` import; ranges are offsets, converted with toLspRange by callers.
import { toLspRange, type HclFile, type Range } from '../hcl';
import { declarations, references, type Reference } from './context';
import type { CodeLens, Position, TextEdit } from 'vscode-languageserver-types';

export interface VarSymbol {
  kind: 'var' | 'local';
  name: string;
}

function within(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** The declaration name range without the quotes of a label. */
function nameRangeOf(file: HclFile, r: Range): Range {
  return file.text.charCodeAt(r.start) === 34 ? { start: r.start + 1, end: Math.max(r.start + 1, r.end - 1) } : r;
}

/** The variable or local named at `offset`: a reference or a declaration. */
export function symbolAt(
  file: HclFile,
  offset: number,
): (VarSymbol & { range: Range; declaration: boolean }) | undefined {
  const decls = declarations(file);
  for (const d of decls.variables.values()) {
    if (within(d.nameRange, offset))
      return { kind: 'var', name: d.name, range: nameRangeOf(file, d.nameRange), declaration: true };
  }
  for (const d of decls.locals.values()) {
    if (within(d.nameRange, offset)) return { kind: 'local', name: d.name, range: d.nameRange, declaration: true };
  }
  for (const r of references(file)) {
    if (r.fullRange.start > offset) break;
    if (within(r.fullRange, offset)) return { kind: r.kind, name: r.name, range: r.range, declaration: false };
  }
  return undefined;
}

/** Where a symbol is declared (the name in the label / attribute). */
export function declarationRange(file: HclFile, s: VarSymbol): Range | undefined {
  const decls = declarations(file);
  const d = s.kind === 'var' ? decls.variables.get(s.name) : decls.locals.get(s.name);
  return d ? nameRangeOf(file, d.nameRange) : undefined;
}

/** Definition of the symbol at `offset`. */
export function definitionAt(file: HclFile, offset: number): Range | undefined {
  const s = symbolAt(file, offset);
  return s ? declarationRange(file, s) : undefined;
}

/** Every use of a symbol (name ranges), in source order. */
export function usesOf(file: HclFile, s: VarSymbol): Reference[] {
  return references(file).filter(r => r.kind === s.kind && r.name === s.name);
}

/** References of the symbol at `offset`; with `includeDeclaration`, the declaration first. */
export function referencesAt(file: HclFile, offset: number, includeDeclaration: boolean): Range[] {
  const s = symbolAt(file, offset);
  if (!s) return [];
  const out: Range[] = [];
  if (includeDeclaration) {
    const d = declarationRange(file, s);
    if (d) out.push(d);
  }
  for (const r of usesOf(file, s)) out.push(r.range);
  return out;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The range a rename at `offset` would change, or undefined when nothing there can be renamed. */
export function prepareRenameAt(file: HclFile, offset: number): { range: Range; placeholder: string } | undefined {
  const s = symbolAt(file, offset);
  if (!s || !declarationRange(file, s)) return undefined;
  return { range: s.range, placeholder: s.name };
}

/**
 * Edits renaming the symbol at `offset` to `newName` everywhere in the file. Throws an Error with a
 * user-facing message when the new name is not an identifier or is already taken.
 */
export function renameAt(file: HclFile, offset: number, newName: string): TextEdit[] {
  const s = symbolAt(file, offset);
  if (!s) return [];
  if (!IDENT.test(newName))
    throw new Error(`"${newName}" is not a valid name: use letters, digits, _ and -, starting with a letter or _.`);
  const decls = declarations(file);
  if ((s.kind === 'var' ? decls.variables : decls.locals).has(newName) && newName !== s.name) {
    throw new Error(`${s.kind === 'var' ? 'A variable' : 'A local'} named "${newName}" already exists.`);
  }
  const edits: TextEdit[] = [];
  const decl = declarationRange(file, s);
  if (decl) edits.push({ range: toLspRange(file, decl), newText: newName });
  for (const r of usesOf(file, s)) edits.push({ range: toLspRange(file, r.range), newText: newName });
  return edits;
}

/** The command a reference-count lens runs; the client converts the plain JSON arguments. */
export const SHOW_REFERENCES_COMMAND = 'nomad.showReferences';

/** Arguments of `nomad.showReferences`: [uri, position, locations] as plain LSP JSON. */
export type ShowReferencesArgs = [string, Position, { uri: string; range: ReturnType<typeof toLspRange> }[]];

/** "N references" lenses on each variable declaration and each local. */
export function referenceLenses(file: HclFile, uri: string): CodeLens[] {
  const decls = declarations(file);
  const counts = new Map<string, Reference[]>();
  for (const r of references(file)) {
    const k = `${r.kind}.${r.name}`;
    let l = counts.get(k);
    if (!l) counts.set(k, (l = []));
    l.push(r);
  }
  const out: CodeLens[] = [];
  const lens = (kind: 'var' | 'local', name: string, anchor: Range, at: Range): void => {
    const uses = counts.get(`${kind}.${name}`) ?? [];
    const n = uses.length;
    const range = toLspRange(file, anchor);
    const args: ShowReferencesArgs = [
      uri,
      toLspRange(file, at).start,
      uses.map(u => ({ uri, range: toLspRange(file, u.range) })),
    ];
    out.push({
      range,
      command: {
        title: n === 1 ? '1 reference' : `${n} references`,
        command: SHOW_REFERENCES_COMMAND,
        arguments: args,
      },
    });
  };
  for (const d of decls.variables.values())
    lens('var', d.name, d.block ? d.block.typeRange : d.nameRange, nameRangeOf(file, d.nameRange));
  for (const d of decls.locals.values()) lens('local', d.name, d.nameRange, d.nameRange);
  return out;
}
