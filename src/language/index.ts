/**
 * Facade of the pure language layer, used by the language server (and usable by any other host).
 * Parses a document once and derives everything (diagnostics, symbols, completion …) from that one
 * syntax tree. The layer, folder by folder:
 *
 *   hcl/        the HCL parser: syntax tree, positions, walking, HCL's JSON form
 *   schema/     what Nomad accepts, per version: jobspec (generated), agent config, drivers, functions
 *   kinds/      what a file is (job, agent config, volume, ACL policy, variables …) and its own checks
 *   check/      diagnostics of job files: schema checks, Nomad's validation rules, versions, lints
 *   decode/     the Job JSON that /v1/jobs/parse returns, from the syntax tree
 *   features/   editor features: completion, hover, references, symbols, semantic tokens, formatting,
 *               quick fixes, and the cursor context they share
 *
 *   analyzeText(text, options?): Analysis     parse + syntax errors + jobspec checks + lints
 *   quickFix / fixAllDeprecations …           see ./features/codeActions.ts
 *   decodeJob(file, options?)                 see ./decode/decoder.ts (the /v1/jobs/parse Job JSON)
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { parse, toLspRange, type HclFile } from './hcl';
import { checkFile, type CheckOptions } from './check';
import { checkKind, detectFileKind, HCL1_KINDS, type FileKind, type VarsContext } from './kinds';
import { reparseDottedKeys } from './kinds/hcl1';

export type { CheckOptions, FixData, LintOptions } from './check';
export { Codes } from './check';
export type { FileKind, VarsContext } from './kinds';

/** What a file is, from its content (agent config, volume, ACL policy … see ./kinds/detect.ts). */
export function detectKind(file: HclFile, fileName?: string): FileKind {
  return detectFileKind(file, fileName);
}

export interface Analysis {
  file: HclFile;
  kind: FileKind;
  diagnostics: Diagnostic[];
}

export interface AnalysisOptions extends CheckOptions {
  /** the kind chosen by the user (`nomad/setFileKind`); detected from the content when absent */
  kind?: FileKind;
  /** file name or URI: a weak hint for detection (`x.vars.hcl`) */
  fileName?: string;
  /** declarations of the job files that use a variables file */
  vars?: VarsContext;
}

export function analyzeText(text: string, options: AnalysisOptions = {}): Analysis {
  return analyzeFile(parse(text), options);
}

/** analyzeText on an already parsed file (the language server reuses its per-version parse). */
export function analyzeFile(parsed: HclFile, options: AnalysisOptions = {}): Analysis {
  const kind = options.kind ?? detectFileKind(parsed, options.fileName);
  const file = HCL1_KINDS.has(kind) ? (reparseDottedKeys(parsed) ?? parsed) : parsed;
  // Nomad reads agent configs, volume/namespace specs and ACL policies with HCL1: its syntax is fine there
  const errors = HCL1_KINDS.has(kind) ? file.errors.filter(e => !e.code.startsWith('hcl1-')) : file.errors;
  const syntax: Diagnostic[] = errors.map(e => ({
    range: toLspRange(file, e.range),
    severity: e.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: e.code,
    source: 'nomad',
    message: e.message,
  }));
  const found =
    kind === 'job'
      ? checkFile(file, options, 'job')
      : checkKind(file, kind, { vars: options.vars, targetVersion: options.targetVersion });
  // the syntax errors first; the checks' own list as it is when there are none (most files)
  const diagnostics = syntax.length === 0 ? found : syntax;
  if (diagnostics !== found) for (let i = 0; i < found.length; i++) diagnostics.push(found[i]!);
  return { file, kind, diagnostics };
}
