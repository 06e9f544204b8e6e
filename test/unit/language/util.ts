// Helpers of the language tests: the repository root, marked-up inputs, short diagnostic views.
import path from 'node:path';
import fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../../src/language';
import { applyTextEdits, quickFix } from '../../../src/language/codeActions';
import type { FixData } from '../../../src/language/diagnostics';

/** out/test/unit/language -> repository root */
export const root = path.resolve(__dirname, '..', '..', '..', '..');
export const corpusDir = path.resolve(root, '..', 'shared', 'corpus');

export function read(rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** `line:col-line:col code` (1-based lines and columns), for compact exact-range assertions. */
export function short(d: Diagnostic): string {
  const r = d.range;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${String(d.code)}`;
}

export function diags(text: string, options?: AnalysisOptions): Diagnostic[] {
  return analyzeText(text, options).diagnostics;
}

export function codes(text: string, options?: AnalysisOptions): string[] {
  return diags(text, options).map(d => String(d.code));
}

/** Applies the quick fix of the first diagnostic with `code`. */
export function fix(text: string, code: string, options?: AnalysisOptions): string {
  const d = diags(text, options).find(x => x.code === code);
  if (!d) throw new Error(`no ${code} diagnostic`);
  const f = quickFix(text, d.data as FixData);
  if (!f) throw new Error(`no fix for ${code}`);
  return applyTextEdits(text, f.edits);
}

export function errors(text: string): Diagnostic[] {
  return diags(text).filter(d => d.severity === 1);
}
