// Diagnostics of resource quota specifications (`nomad quota apply <file>`; quotas need Nomad
// Enterprise, the file format is public). Facts from Nomad command/quota_apply.go at v1.6.5 and later
// tags: the HCL1 decoder refuses unknown names at every level, a `limit` may hold one `region_limit`
// (and that one `storage`), device limits take one label, storage sizes are whole MiB or sizes such as
// "1GiB". The releases that read each name are in ./specs.ts (the newest release's names are accepted
// here). Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { firstItemRange, type HclFile } from '../hcl';
import { childNames, childrenOf, KindChecker, KindCodes, KindContext, scalarText, type KindProfile } from './check';
import { quotaSpecSchema } from './schemas';
import { byteSizeProblem } from './volume';

export const quotaProfile: KindProfile = {
  what: 'quota specification',
  strictUnknown: () => true,
  truncatesFractions: true,
  refusedRepeats: new Set(['QuotaSpec.limit.region_limit', 'QuotaSpec.limit.region_limit.storage']),
  deprecations: new Map([
    [
      'QuotaSpec.limit.variables_limit',
      {
        severity: 'info' as const,
        since: '1.10',
        message:
          'Since Nomad 1.10 the size of Variables is limited by `region_limit { storage { variables = … } }`; `variables_limit` still works but is deprecated.',
      },
    ],
  ]),
  checkValue(ctx, schema, name, expr) {
    if (!schema.id.endsWith('.storage') || (name !== 'variables' && name !== 'host_volumes')) return;
    const s = scalarText(expr);
    if (!s) {
      if (expr.kind === 'Tuple' || expr.kind === 'Object') {
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.typeMismatch,
          `${name}: expected a number of MiB or a size such as "1GiB".`,
        );
      }
      return;
    }
    if (s.kind === 'number' && !Number.isInteger(Number(s.text))) {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.typeMismatch,
        `${name}: expected a whole number of MiB or a size such as "1GiB", found ${s.text}.`,
      );
    } else if (s.kind === 'bool') {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.typeMismatch,
        `${name}: expected a number of MiB or a size such as "1GiB", found ${s.text}.`,
      );
    } else if (s.kind === 'string') {
      const p = s.text.trim() === '' ? `"" is not a size such as "1GiB"` : byteSizeProblem(s.text);
      if (p) ctx.report(expr.range, DiagnosticSeverity.Error, KindCodes.invalidValue, `${name}: ${p}.`);
    }
  },
};

/** Schema checks of a quota specification. */
export function checkQuotaFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  const children = childrenOf(file.body.items);
  new KindChecker(ctx, quotaProfile).checkChildren(children, quotaSpecSchema());
  if (!childNames(children).has('name')) {
    const at = firstItemRange(file);
    ctx.report(at, DiagnosticSeverity.Error, KindCodes.missingKey, 'A quota specification needs a `name`.');
  }
  return ctx;
}
