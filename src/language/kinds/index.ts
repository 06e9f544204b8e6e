// Nomad's other files: agent configuration, volume, namespace, node pool, quota and Variable
// specifications, ACL policies and variables files. Detection from content, per-kind diagnostics, and the schema each kind is written
// against (for completion and hover). Pure: no `vscode` import.
//
//   detectFileKind(file, fileName?): FileKind           see ./detect.ts
//   checkKind(file, kind, { vars? }): Diagnostic[]      diagnostics of a non-job file (none for job/unknown)
//   schemaForKind(kind, file?): BlockSchema | undefined  agent / volume / acl / namespace / nodepool /
//                                                        quota / variable schema roots
//   collectDeclarations / makeVarsContext              the variables of job files, for variables files
import type { Diagnostic } from 'vscode-languageserver-types';
import type { HclFile } from '../hcl';
import type { TargetVersion } from '../schema/versions';
import { checkAclFile } from './acl';
import { checkAgentFile } from './agent';
import { KindContext } from './check';
import type { FileKind } from './detect';
import { checkNodePoolFile } from './nodepool';
import { checkQuotaFile } from './quota';
import { checkVariableFile } from './variable';
import { checkVarsFile, type VarsContext } from './vars';
import { checkNamespaceFile, checkVolumeFile } from './volume';

export { detectFileKind, kindFromFileName, FILE_KINDS, FILE_KIND_LABELS, HCL1_KINDS, type FileKind } from './detect';
export { KindCodes, hcl1TypeProblem } from './check';
export {
  schemaForKind,
  namespaceSpecSchema,
  nodePoolSpecSchema,
  quotaSpecSchema,
  variableSpecSchema,
  schemaFromSpec,
  volumeTypeOf,
} from './schemas';
export { variablePathProblem } from './variable';
export { builtinPluginNames, pluginConfigSchema, pluginSchemaFor } from '../schema/plugins';
export {
  collectDeclarations,
  makeVarsContext,
  typeFromExpression,
  typeToString,
  valueTypeProblem,
  type DeclaredVariable,
  type VarsContext,
  type VarType,
} from './vars';

export interface KindCheckOptions {
  /** declarations visible to a variables file (from the job files that use it) */
  vars?: VarsContext;
  /** the Nomad version to check against; absent: the newest release (node pool, quota files) */
  targetVersion?: TargetVersion;
}

/** Diagnostics of a file of a non-job kind; [] for `job` (see ../check) and `unknown`. */
export function checkKind(file: HclFile, kind: FileKind, options: KindCheckOptions = {}): Diagnostic[] {
  if (file.syntax !== 'hcl' && kind !== 'vars') return [];
  const ctx = new KindContext(file, options.targetVersion);
  switch (kind) {
    case 'agent':
      checkAgentFile(file, ctx);
      break;
    case 'acl':
      checkAclFile(file, ctx);
      break;
    case 'volume':
      checkVolumeFile(file, ctx);
      break;
    case 'namespace':
      checkNamespaceFile(file, ctx);
      break;
    case 'nodepool':
      checkNodePoolFile(file, ctx);
      break;
    case 'quota':
      checkQuotaFile(file, ctx);
      break;
    case 'variable':
      checkVariableFile(file, ctx);
      break;
    case 'vars':
      checkVarsFile(file, options.vars, ctx);
      break;
    default:
      break;
  }
  return ctx.out;
}
