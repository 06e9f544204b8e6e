// Diagnostics of ACL policy documents (`nomad acl policy apply <name> <file>`). Facts from Nomad
// v1.6.5 acl/policy.go: the policy values each rule accepts, the capability names, the label patterns,
// and the HCL1 decoding that silently ignores unknown keys. Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Expression, HclFile } from '../hcl';
import { aclPolicySchema, suggest, type BlockSchema } from '../schema';
import { childrenOf, KindChecker, KindCodes, KindContext, scalarText, type Entry, type KindProfile } from './check';

/** Policy values Nomad accepts per rule (agent/node/operator/quota take "scale" too, though it grants nothing more). */
const POLICIES: Record<string, readonly string[]> = {
  namespace: ['deny', 'read', 'write', 'scale'],
  node_pool: ['deny', 'read', 'write', 'scale'],
  host_volume: ['deny', 'read', 'write', 'scale'],
  agent: ['deny', 'read', 'write', 'scale'],
  node: ['deny', 'read', 'write', 'scale'],
  operator: ['deny', 'read', 'write', 'scale'],
  quota: ['deny', 'read', 'write', 'scale'],
  plugin: ['deny', 'read', 'list'],
};

/** Rules without labels, whose `policy` must be set. */
const NEEDS_POLICY: ReadonlySet<string> = new Set(['agent', 'node', 'operator', 'quota', 'plugin']);

/** Label patterns Nomad enforces. */
const LABEL_PATTERNS: Record<string, RegExp> = {
  namespace: /^[a-zA-Z0-9*-]{1,128}$/,
  host_volume: /^[a-zA-Z0-9*-]{1,128}$/,
  node_pool: /^[a-zA-Z0-9_*-]{1,128}$/,
};

function capabilityNames(schema: BlockSchema): readonly string[] {
  return schema.attributes.get('capabilities')?.enum ?? [];
}

function ruleName(schema: BlockSchema): string {
  return schema.id.split('.')[1] ?? '';
}

export const aclProfile: KindProfile = {
  what: 'ACL policy',
  strictUnknown: () => false,
  ownEnums: (_schema: BlockSchema, name: string) => name === 'policy',
  checkValue(ctx: KindContext, schema: BlockSchema, name: string, expr: Expression): void {
    const rule = ruleName(schema);
    if (name === 'policy' && POLICIES[rule] && schema.id === `ACLPolicy.${rule}`) {
      const s = scalarText(expr);
      if (!s || s.kind === 'null') return;
      const allowed = POLICIES[rule]!;
      if (!allowed.includes(s.text)) {
        const near = suggest(s.text, allowed);
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `"${s.text}" is not a ${rule} policy; Nomad accepts ${allowed.map(v => `"${v}"`).join(', ')}.${near ? ` Did you mean "${near}"?` : ''}`,
          near
            ? { fix: 'rename', at: expr.range.start, end: expr.range.end, replacement: JSON.stringify(near) }
            : undefined,
        );
      }
      return;
    }
    if (name === 'capabilities' && expr.kind === 'Tuple') {
      const known = capabilityNames(schema);
      if (known.length === 0) return;
      for (const item of expr.items) {
        const s = scalarText(item);
        if (!s || s.kind !== 'string' || known.includes(s.text)) continue;
        const near = suggest(s.text, known);
        ctx.report(
          item.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `"${s.text}" is not a ${schema.name === 'path' ? 'variables path' : rule.replace('_', ' ')} capability.${near ? ` Did you mean "${near}"?` : ''}`,
          near
            ? { fix: 'rename', at: item.range.start, end: item.range.end, replacement: JSON.stringify(near) }
            : undefined,
        );
      }
    }
  },
  checkEntry(ctx: KindContext, schema: BlockSchema, entry: Entry): void {
    const rule = ruleName(schema);
    const top = schema.id === `ACLPolicy.${rule}`;
    if (top && LABEL_PATTERNS[rule] && entry.labels.length === 1) {
      const l = entry.labels[0]!;
      if (!LABEL_PATTERNS[rule]!.test(l.value)) {
        ctx.report(
          l.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `"${l.value}" is not a valid ${rule.replace('_', ' ')} name: use letters, digits, "-"${rule === 'node_pool' ? ', "_"' : ''} and "*" (at most 128).`,
        );
      }
    }
    if (
      top &&
      NEEDS_POLICY.has(rule) &&
      !entry.children.some(c => c.kind === 'value' && c.name.toLowerCase() === 'policy')
    ) {
      ctx.report(
        entry.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.missingKey,
        `The ${rule} rule needs a \`policy\` (${POLICIES[rule]!.filter(p => p !== 'scale')
          .map(p => `"${p}"`)
          .join(', ')}).`,
      );
    }
    if (
      schema.id === 'ACLPolicy.namespace.variables' &&
      !entry.children.some(c => c.kind === 'entry' && c.entry.name === 'path')
    ) {
      ctx.report(
        entry.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.missingKey,
        'A `variables` rule needs at least one `path "<glob>" { capabilities = [...] }`.',
      );
    }
  },
};

/** Schema checks of an ACL policy document. */
export function checkAclFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  new KindChecker(ctx, aclProfile).checkChildren(childrenOf(file.body.items), aclPolicySchema());
  return ctx;
}
