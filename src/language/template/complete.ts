// Completion inside a template's data: the functions and keywords of the template language (with our
// one-line descriptions) where a function name goes; from the cluster snapshot, the Variable paths in the
// string of nomadVar / nomadVarExists / nomadVarList, the service names in nomadService's, and the item
// KEYS of the Variable a `{{ with nomadVar "…" }}` block reads after a `.`. Pure.
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { toLspRange, type HclFile } from '../hcl';
import type { ClusterSnapshot } from '../../shared/clusterSnapshot';
import { bundledMarkdown, plain, plainText } from '../../untrusted/shown';
import { jobFacts } from '../cluster/job';
import { FUNCTIONS, KEYWORDS } from './functions';
import { templatesOf, variableQuery } from './cluster';
import type { TplAction, TemplateScan } from './scan';

const VAR_FUNCS = new Set(['nomadVar', 'nomadVarExists', 'nomadVarList', 'nomadVarListSafe']);

/** The scanned template and action at `offset`, if the offset is inside an action's delimiters. */
function actionAt(file: HclFile, offset: number): { scan: TemplateScan; action: TplAction } | undefined {
  const job = jobFacts(file);
  if (!job) return undefined;
  for (const { scan } of templatesOf(file, job)) {
    if (offset < scan.start || offset > scan.end) continue;
    const action = scan.actions.find(a => !a.comment && offset >= a.innerStart && offset <= a.innerEnd);
    if (action) return { scan, action };
  }
  return undefined;
}

/** Is the position inside a template's data at all (the caller then offers nothing of HCL's there)? */
export function inTemplateAction(file: HclFile, offset: number): boolean {
  return actionAt(file, offset) !== undefined;
}

/** The path of the innermost open `{{ with nomadVar "…" }}` before `offset`. */
function withVariable(scan: TemplateScan, offset: number): string | undefined {
  const stack: Array<string | undefined> = [];
  for (const a of scan.actions) {
    if (a.start >= offset) break;
    const first = a.tokens[0];
    if (!first || first.kind !== 'ident') continue;
    if (first.text === 'end') {
      stack.pop();
      continue;
    }
    if (!['if', 'range', 'with', 'define', 'block'].includes(first.text)) continue;
    const t = a.tokens;
    const call =
      first.text === 'with' && t[1]?.kind === 'ident' && t[1].text === 'nomadVar' && t[2]?.kind === 'string'
        ? t[2].value
        : undefined;
    stack.push(call !== undefined ? variableQuery(call)?.path : undefined);
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i] !== undefined) return stack[i];
  return undefined;
}

export function templateCompletions(
  file: HclFile,
  offset: number,
  snapshot: ClusterSnapshot | null | undefined,
): CompletionItem[] | undefined {
  const at = actionAt(file, offset);
  if (!at) return undefined;
  const { scan, action } = at;
  const text = file.text;
  const job = jobFacts(file);
  const ns = job?.namespace?.value ?? snapshot?.defaultNamespace ?? 'default';
  // inside a string token?
  const str = action.tokens.find(t => t.kind === 'string' && offset > t.start && offset < t.end);
  if (str) {
    const i = action.tokens.indexOf(str);
    const fn = action.tokens[i - 1];
    if (!fn || fn.kind !== 'ident' || !snapshot) return [];
    const startOfValue = str.start + 1;
    // the string's raw text in the file (a quoted HCL string escapes the quotes: \" … \")
    const raw = text.slice(str.start, str.end);
    const open = raw.startsWith('\\"') ? 2 : 1;
    const range = toLspRange(file, { start: str.start + open, end: str.end - open });
    void startOfValue;
    const from = plainText(`cluster ${snapshot.cluster}`);
    if (VAR_FUNCS.has(fn.text) && snapshot.variables) {
      return snapshot.variables
        .filter(v => v.namespace === ns)
        .map(v => ({
          label: plainText(v.path),
          kind: CompletionItemKind.Value,
          detail: plain`Variable${v.keys ? plain` with ${v.keys.length} key${v.keys.length === 1 ? '' : 's'}` : plain``} (${from})`,
          textEdit: { range, newText: v.path },
        }));
    }
    if (fn.text === 'nomadService' && snapshot.services) {
      return [...new Set(snapshot.services.filter(s => s.namespace === ns).map(s => s.name))].map(name => ({
        label: plainText(name),
        kind: CompletionItemKind.Value,
        detail: plain`Nomad service (${from})`,
        textEdit: { range, newText: name },
      }));
    }
    return [];
  }
  // the word (or `.field`) being typed
  let s = offset;
  while (s > action.innerStart && /[\w.]/.test(text[s - 1]!)) s--;
  const word = text.slice(s, offset);
  const range = toLspRange(file, { start: s, end: offset });
  if (word.startsWith('.')) {
    const path = withVariable(scan, action.start);
    const v = path && snapshot?.variables?.find(x => x.path === path && x.namespace === ns);
    if (!v || !v.keys) return [];
    return v.keys.map(k => ({
      label: plainText(`.${k}`),
      kind: CompletionItemKind.Field,
      detail: plain`item of ${path}`,
      textEdit: { range, newText: `.${k}` },
    }));
  }
  const items: CompletionItem[] = [];
  for (const [k, doc] of Object.entries(KEYWORDS))
    items.push({
      label: k,
      kind: CompletionItemKind.Keyword,
      documentation: { kind: MarkupKind.Markdown, value: bundledMarkdown(doc) },
      textEdit: { range, newText: k },
    });
  for (const f of FUNCTIONS) {
    items.push({
      label: f.name,
      kind: CompletionItemKind.Function,
      detail: `${f.name} ${f.args}`.trim(),
      documentation: {
        kind: MarkupKind.Markdown,
        value: bundledMarkdown(f.denied ? `${f.doc} Denied by a Nomad client's default function_denylist.` : f.doc),
      },
      textEdit: { range, newText: f.name },
      ...(f.denied ? { sortText: `~${f.name}` } : {}),
    });
  }
  return items;
}
