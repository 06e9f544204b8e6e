/**
 * Facade of the pure language layer, used by the language server (and usable by any other host).
 * Parses a document once and derives everything (diagnostics now; symbols, completion … later) from
 * that one syntax tree.
 *
 *   analyzeText(text, options?): Analysis     parse + syntax errors + jobspec checks + lints
 *   quickFix / fixAllDeprecations …           see ./codeActions.ts
 *   decodeJob(file, options?)                 see ./decoder.ts (the /v1/jobs/parse Job JSON)
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { parse, toLspRange, type HclFile } from './hcl';
import { checkFile, detectKind, type CheckOptions, type FileKind } from './diagnostics';

export type { CheckOptions, FileKind, FixData, LintOptions } from './diagnostics';
export { Codes, detectKind } from './diagnostics';

export interface Analysis {
  file: HclFile;
  kind: FileKind;
  diagnostics: Diagnostic[];
}

export type AnalysisOptions = CheckOptions;

export function analyzeText(text: string, options: AnalysisOptions = {}): Analysis {
  const file = parse(text);
  const diagnostics: Diagnostic[] = file.errors.map(e => ({
    range: toLspRange(file, e.range),
    severity: e.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: e.code,
    source: 'nomad',
    message: e.message,
  }));
  const kind = detectKind(file);
  for (const d of checkFile(file, options, kind)) diagnostics.push(d);
  return { file, kind, diagnostics };
}
