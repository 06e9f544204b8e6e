// Diagnostics of node pool specifications (`nomad node pool apply <file>`). Facts from Nomad
// command/node_pool_apply.go (HCL2 decoding of one `node_pool "<name>"` block into api.NodePool: unknown
// names, repeats and the `meta = { … }` form are refused), nomad/structs/node_pool.go (the name rule,
// at most 256 characters of description, the built-in pools `all` and `default` cannot be changed) and
// node_pool_oss.go (the Community Edition refuses any `scheduler_config`). Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { firstItemRange, type HclFile } from '../hcl';
import type { BlockSchema } from '../schema';
import { HCL2_WEAK } from '../check/dialect';
import { childrenOf, KindChecker, KindCodes, KindContext, scalarText, type Entry, type KindProfile } from './check';
import { nodePoolSpecSchema } from './schemas';

/** Nomad's rule for node pool names. */
export const NODE_POOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const MAX_DESCRIPTION = 256;
const BUILT_IN: ReadonlySet<string> = new Set(['all', 'default']);

export const nodePoolProfile: KindProfile = {
  what: 'node pool specification',
  dialect: HCL2_WEAK,
  strictUnknown: () => true,
  strictEnums: new Set(['NodePoolSpec.node_pool.scheduler_config.scheduler_algorithm']),
  checkValue(ctx, schema, name, expr) {
    if (schema.id === 'NodePoolSpec.node_pool' && name === 'description') {
      const s = scalarText(expr);
      if (s && s.kind === 'string' && [...s.text].length > MAX_DESCRIPTION) {
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `description: Nomad accepts at most ${MAX_DESCRIPTION} characters; this one has ${[...s.text].length}.`,
        );
      }
    }
  },
  checkEntry(ctx: KindContext, schema: BlockSchema, entry: Entry) {
    if (schema.id === 'NodePoolSpec.node_pool' && entry.labels.length === 1) {
      const l = entry.labels[0]!;
      if (!NODE_POOL_NAME.test(l.value)) {
        ctx.report(
          l.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `"${l.value}" is not a valid node pool name: use 1 to 128 letters, digits, "-" and "_".`,
        );
      } else if (BUILT_IN.has(l.value)) {
        ctx.report(
          l.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `"${l.value}" is a built-in node pool: Nomad refuses to change it. Choose another name.`,
        );
      }
    }
    if (schema.id === 'NodePoolSpec.node_pool.scheduler_config' && !entry.objectForm) {
      ctx.report(
        entry.nameRange,
        DiagnosticSeverity.Information,
        KindCodes.enterpriseOnly,
        '`scheduler_config` needs Nomad Enterprise: a Community Edition server refuses the whole node pool.',
      );
    }
  },
};

/** Schema checks of a node pool specification. */
export function checkNodePoolFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  const children = childrenOf(file.body.items);
  new KindChecker(ctx, nodePoolProfile).checkChildren(children, nodePoolSpecSchema());
  if (!children.some(c => c.kind === 'entry' && c.entry.name === 'node_pool')) {
    const at = firstItemRange(file);
    ctx.report(
      at,
      DiagnosticSeverity.Error,
      KindCodes.missingKey,
      'A node pool specification needs a `node_pool "<name>" { … }` block.',
    );
  }
  return ctx;
}
