// Helpers of the file-kind tests: the repository root, short diagnostic views.
import path from 'node:path';
import fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../../src/language';
import { repoRoot } from '../support';

export const root = repoRoot();

export function fixture(rel: string): string {
  return fs.readFileSync(path.join(root, 'test', 'fixtures', rel), 'utf8');
}

/** `line severity code` (1-based line; E/W/I/H) for compact assertions. */
export function short(d: Diagnostic): string {
  const sev = ['', 'E', 'W', 'I', 'H'][d.severity ?? 1];
  return `${d.range.start.line + 1} ${sev} ${String(d.code)}`;
}

export function diags(text: string, options?: AnalysisOptions): Diagnostic[] {
  return analyzeText(text, options).diagnostics;
}

export function errors(text: string, options?: AnalysisOptions): Diagnostic[] {
  return diags(text, options).filter(d => d.severity === 1);
}

export function shorts(text: string, options?: AnalysisOptions): string[] {
  return diags(text, options).map(short);
}
