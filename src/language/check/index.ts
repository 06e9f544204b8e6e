// Diagnostics of a job file beyond syntax. Pure: no `vscode` import. "Validation" means four different
// things in this project; each has its own file, named for what it is:
//   ./schemaCheck.ts      the file against the schema of the target release: names, value types, labels,
//                         how many of a block, deprecations (the JobChecker walk)
//   ./versionCheck.ts     what the target release lacks that another release has, and the few rules that
//                         changed between releases without a change of the api structs (VersionGate)
//   ./validate.ts         Nomad's own `Validate` rules (nomad/structs), reimplemented on the file
//   ./registerRules.ts    more of what Nomad refuses at register time, each rule dated by ./ruleInventory.ts
//   ./clusterFindings.ts  not ours: the validation errors a cluster answered, parsed to place them
// and beside them the deployment-safety lints (./lints.ts), which Nomad accepts. Every check reports
// through ./report.ts.
//
//   checkFile(file, options?, kind?): Diagnostic[]    all of the above that apply; only for job files (the
//                                                    kind detected by ../kinds/detect.ts when not given)
import type { Diagnostic } from 'vscode-languageserver-types';
import type { HclFile } from '../hcl';
import { collectScope, JobChecker } from './schemaCheck';
import { lintJob } from './lints';
import { validateJobs } from './validate';
import { checkRegisterRules } from './registerRules';
import { defaultTarget, VersionGate } from './versionCheck';
import { DEFAULT_LINTS, type CheckOptions } from './types';
import { detectFileKind, type FileKind } from '../kinds/detect';

export * from './types';
export { parseGoDuration } from './duration';
export { typeProblem } from './dialect';

/** Schema diagnostics, deprecations and lints of a job file; nothing for other kinds of files. */
export function checkFile(
  file: HclFile,
  options: CheckOptions = {},
  kind: FileKind = detectFileKind(file),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (kind !== 'job' || file.syntax !== 'hcl') return out;
  const checker = new JobChecker(
    file,
    out,
    collectScope(file),
    new VersionGate(options.targetVersion ?? defaultTarget()),
  );
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
