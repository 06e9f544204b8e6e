// Diagnostics of Nomad Variable specifications (`nomad var put @<file>`). Facts from Nomad
// command/var_put.go (HCL1 decoding; only path, namespace, items and the four index/time fields; the
// index and time fields must be whole numbers without quotes; item values become strings) and
// nomad/structs/variables.go (the path rule, the reserved "nomad/" paths, no "*" namespace, items
// required and at most 64 KiB together). Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { firstItemRange, type HclFile } from '../hcl';
import { childrenOf, KindChecker, KindCodes, KindContext, scalarText, type Child, type KindProfile } from './check';
import { variableSpecSchema } from './schemas';
import { variablePathProblem } from '../../shared/variablePath';

export { variablePathProblem } from '../../shared/variablePath';

/** Nomad's limit of the keys and values of one variable together, in bytes. */
const MAX_ITEMS_SIZE = 64 * 1024;
const WHOLE_NUMBERS: ReadonlySet<string> = new Set(['create_index', 'modify_index', 'create_time', 'modify_time']);

export const variableProfile: KindProfile = {
  what: 'variable specification',
  strictUnknown: schema => schema.id === 'VariableSpec',
  checkValue(ctx, schema, name, expr) {
    if (schema.id !== 'VariableSpec') return;
    const s = scalarText(expr);
    if (!s || s.kind === 'null') return;
    if (WHOLE_NUMBERS.has(name)) {
      if (s.kind !== 'number' || !Number.isInteger(Number(s.text))) {
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.typeMismatch,
          `${name}: Nomad takes only a whole number without quotes here.`,
        );
      }
      return;
    }
    if (name === 'path') {
      // the CLI trims spaces and slashes at both ends before it writes
      const p = variablePathProblem(s.text.trim().replace(/^\/+|\/+$/g, ''));
      if (p) ctx.report(expr.range, DiagnosticSeverity.Error, KindCodes.invalidValue, `path: ${p}.`);
    } else if (name === 'namespace' && s.text === '*') {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        'namespace: a variable is written to one namespace, not "*".',
      );
    }
  },
};

const utf8 = new TextEncoder();

function itemsSize(children: Child[]): number {
  let n = 0;
  for (const c of children) {
    if (c.kind !== 'value') continue;
    const s = scalarText(c.expr);
    n += utf8.encode(c.name).length + (s ? utf8.encode(s.text).length : 0);
  }
  return n;
}

/** Schema checks of a variable specification. */
export function checkVariableFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  const children = childrenOf(file.body.items);
  new KindChecker(ctx, variableProfile).checkChildren(children, variableSpecSchema());
  const items = children.filter(
    (c): c is Extract<Child, { kind: 'entry' }> => c.kind === 'entry' && c.entry.name === 'items',
  );
  if (items.length === 0) {
    if (file.body.items.length === 0) return ctx; // a new, empty file: nothing to say yet
    ctx.report(
      firstItemRange(file),
      DiagnosticSeverity.Error,
      KindCodes.missingKey,
      'A variable specification needs an `items { key = "value" }` block: Nomad refuses a variable without items.',
    );
    return ctx;
  }
  const all = items.flatMap(i => i.entry.children);
  if (all.length === 0) {
    ctx.report(
      items[0]!.entry.nameRange,
      DiagnosticSeverity.Error,
      KindCodes.missingKey,
      '`items` is empty: Nomad refuses a variable without items.',
    );
  } else {
    const size = itemsSize(all);
    if (size > MAX_ITEMS_SIZE) {
      ctx.report(
        items[0]!.entry.nameRange,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        `The items take ${size} bytes together; Nomad accepts at most ${MAX_ITEMS_SIZE} (64 KiB).`,
      );
    }
  }
  return ctx;
}
