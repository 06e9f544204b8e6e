// The schema root of each non-job file kind (what completion, hover and the checks walk from).
// Pure: no `vscode` import.
import type { HclFile } from '../hcl';
import {
  aclPolicySchema,
  agentSchema,
  namespaceSpecSchema,
  nodePoolSpecSchema,
  quotaSpecSchema,
  variableSpecSchema,
  volumeSpecSchema,
  type BlockSchema,
} from '../schema';
import type { FileKind } from './detect';

export {
  namespaceSpecSchema,
  nodePoolSpecSchema,
  quotaSpecSchema,
  schemaFromSpec,
  variableSpecSchema,
} from '../schema';

/** `type = "host"` selects the dynamic host volume schema; anything else the CSI one. */
export function volumeTypeOf(file: HclFile): 'csi' | 'host' {
  for (const item of file.body.items) {
    if (item.kind === 'Attribute' && item.name === 'type') {
      const e = item.expr;
      if ((e.kind === 'Template' || e.kind === 'Heredoc') && e.literal === 'host') return 'host';
    }
  }
  return 'csi';
}

/**
 * The schema a file of `kind` is written against, or undefined for jobs (use rootSchema()),
 * variables files and unknown files. (JSON files of the node pool, quota and variable kinds use the
 * API's names, which these schemas do not describe: see checkKind.)
 */
export function schemaForKind(kind: FileKind, file?: HclFile): BlockSchema | undefined {
  switch (kind) {
    case 'agent':
      return agentSchema();
    case 'volume':
      return volumeSpecSchema(file ? volumeTypeOf(file) : 'csi');
    case 'acl':
      return aclPolicySchema();
    case 'namespace':
      return namespaceSpecSchema();
    case 'nodepool':
      return file?.syntax === 'json' ? undefined : nodePoolSpecSchema();
    case 'quota':
      return file?.syntax === 'json' ? undefined : quotaSpecSchema();
    case 'variable':
      return file?.syntax === 'json' ? undefined : variableSpecSchema();
    default:
      return undefined;
  }
}
