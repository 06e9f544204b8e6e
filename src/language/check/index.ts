// Diagnostics of Nomad HCL files beyond syntax: the jobspec schema checks (./jobspec.ts), deprecations
// (with quick-fix data) and the deployment-safety lints (./lints.ts). Pure: no `vscode` import.
//
//   checkFile(file, options?, kind?): Diagnostic[]    schema checks + lints; only for job files (the kind
//                                                    detected by ../kinds/detect.ts when not given)
import type { Diagnostic } from 'vscode-languageserver-types';
import type { HclFile } from '../hcl';
import { collectScope, JobChecker } from './jobspec';
import { lintJob } from './lints';
import { validateJobs } from './validate';
import { checkRegisterRules } from './registerRules';
import { defaultTarget, VersionGate } from './versions';
import { DEFAULT_LINTS, type CheckOptions } from './types';
import { detectFileKind, type FileKind } from '../kinds/detect';

export * from './types';
export { parseGoDuration } from './duration';
export { typeProblem } from './jobspec';

/** Schema diagnostics, deprecations and lints of a job file; nothing for other kinds of files. */
export function checkFile(file: HclFile, options: CheckOptions = {}, kind: FileKind = detectFileKind(file)): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (kind !== 'job' || file.syntax !== 'hcl') return out;
  const checker = new JobChecker(file, out, collectScope(file), new VersionGate(options.targetVersion ?? defaultTarget()));
  checker.checkFile();
  const target = (options.targetVersion ?? defaultTarget()).version;
  validateJobs({ file, out }, file.body.items, target);
  checkRegisterRules({ file, out }, file.body.items, target);
  const lints = { ...DEFAULT_LINTS, ...(options.lints ?? {}) };
  const reporter = { file, out };
  for (const item of file.body.items) {
    if (item.kind === 'Block' && item.type === 'job') lintJob(reporter, item, lints);
  }
  return out;
}
