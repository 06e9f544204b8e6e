// The schema root of each non-job file kind (what completion, hover and the checks walk from).
// Pure: no `vscode` import.
import type { HclFile } from '../hcl';
import { aclPolicySchema, agentSchema, volumeSpecSchema, type AttributeSchema, type BlockSchema } from '../schema';
import { namespaceSpec } from '../schema/agent';
import type { VersionRange } from '../schema/types';
import type { FileKind } from './detect';
import { nodePoolSpec, quotaSpec, variableSpec, type KindBlockSpec } from './specs';

function copyVersions(from: VersionRange, to: VersionRange): void {
  if (from.since !== undefined) to.since = from.since;
  if (from.until !== undefined) to.until = from.until;
  if (from.deprecatedSince !== undefined) to.deprecatedSince = from.deprecatedSince;
}

/** Builds a schema from a hand-written spec (for specs the schema module does not serve itself). */
export function schemaFromSpec(id: string, name: string, spec: KindBlockSpec): BlockSchema {
  let attrs: Map<string, AttributeSchema> | undefined;
  let blocks: Map<string, BlockSchema> | undefined;
  const schema: BlockSchema = {
    id, name, description: spec.description, labels: spec.labels ?? [], multiple: spec.multiple === true,
    attrSyntax: spec.attrSyntax === true, open: spec.open === true || spec.freeform === 'any', driverConfig: false, requiredAttributes: [],
    get attributes(): ReadonlyMap<string, AttributeSchema> {
      if (!attrs) {
        attrs = new Map();
        for (const [an, as] of Object.entries(spec.attributes ?? {})) {
          const a: AttributeSchema = { name: an, type: as.type, description: as.description, required: as.required === true };
          if (as.enum) a.enum = as.enum;
          if (as.enumOpen) a.enumOpen = true;
          if (as.default !== undefined) a.default = as.default;
          copyVersions(as, a);
          attrs.set(an, a);
        }
      }
      return attrs;
    },
    get blocks(): ReadonlyMap<string, BlockSchema> {
      if (!blocks) {
        blocks = new Map();
        for (const [bn, bs] of Object.entries(spec.blocks ?? {})) blocks.set(bn, schemaFromSpec(`${id}.${bn}`, bn, bs));
      }
      return blocks;
    },
  };
  if (spec.freeform) schema.freeform = spec.freeform;
  copyVersions(spec, schema);
  return schema;
}

let namespaceRoot: BlockSchema | undefined;
export function namespaceSpecSchema(): BlockSchema {
  return (namespaceRoot ??= schemaFromSpec('NamespaceSpec', '', namespaceSpec));
}

let nodePoolRoot: BlockSchema | undefined;
let quotaRoot: BlockSchema | undefined;
let variableRoot: BlockSchema | undefined;
/** `nomad node pool apply` files. */
export function nodePoolSpecSchema(): BlockSchema {
  return (nodePoolRoot ??= schemaFromSpec('NodePoolSpec', '', nodePoolSpec));
}
/** `nomad quota apply` files. */
export function quotaSpecSchema(): BlockSchema {
  return (quotaRoot ??= schemaFromSpec('QuotaSpec', '', quotaSpec));
}
/** `nomad var put @file` files. */
export function variableSpecSchema(): BlockSchema {
  return (variableRoot ??= schemaFromSpec('VariableSpec', '', variableSpec));
}

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
    case 'agent': return agentSchema();
    case 'volume': return volumeSpecSchema(file ? volumeTypeOf(file) : 'csi');
    case 'acl': return aclPolicySchema();
    case 'namespace': return namespaceSpecSchema();
    case 'nodepool': return file?.syntax === 'json' ? undefined : nodePoolSpecSchema();
    case 'quota': return file?.syntax === 'json' ? undefined : quotaSpecSchema();
    case 'variable': return file?.syntax === 'json' ? undefined : variableSpecSchema();
    default: return undefined;
  }
}
