/**
 * Facade of the pure language layer, used by the language server (and usable by any other host).
 * Parses a document once and derives everything (diagnostics now; symbols, completion … later) from
 * that one syntax tree.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { parse, toLspRange, type HclFile } from './hcl';

export interface Analysis {
  file: HclFile;
  diagnostics: Diagnostic[];
}

export function analyzeText(text: string): Analysis {
  const file = parse(text);
  const diagnostics: Diagnostic[] = file.errors.map(e => ({
    range: toLspRange(file, e.range),
    severity: e.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: e.code,
    source: 'nomad',
    message: e.message,
  }));
  return { file, diagnostics };
}
