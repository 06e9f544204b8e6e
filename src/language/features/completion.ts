// Completion and signature help. Works on half-typed files: the parser recovers, the block path comes
// from the tree (extended by a text scan of braces when needed) and the expression context (in a
// string? inside which call?) from a forward scan of the text after the attribute's `=`.
// Pure: no `vscode` import; `root` is the schema of the file kind (rootSchema() for jobs).
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type SignatureHelp,
} from 'vscode-languageserver-types';
import { toLspRange, type Attribute, type Body, type HclFile, type Range } from '../hcl';
import {
  attribute,
  functions,
  functionSchema,
  knownDrivers,
  nodeAttributes,
  nodeVariables,
  runtimeEnvironment,
  type AttributeSchema,
  type BlockSchema,
  type RuntimeName,
} from '../schema';
import {
  attributeAt,
  blockPath,
  declarations,
  isPortReference,
  portsInScope,
  scanExpression,
  sourceOf,
  type Frame,
} from './context';
import { attributeDoc, blockDoc, functionDoc, functionSignature, runtimeDoc } from './hover';
import { bundledMarkdown, markdownLines } from '../../untrusted/shown';

export interface CompletionOptions {
  /** the character that triggered the request, if any */
  triggerCharacter?: string;
}

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

const NOMAD_PORT_VARS = /\bNOMAD_(PORT|ADDR|IP|HOST_PORT|HOST_IP|HOST_ADDR|ALLOC_PORT|ALLOC_IP|ALLOC_ADDR)_([\w-]*)$/;
const REF_RE = /(?:^|[^\w.])(var|local)\.([\w-]*)$/;

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function wordEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /[\w-]/.test(text[i]!)) i++;
  return i;
}

/** Completion at `offset` of a parsed file. Never throws on broken input. */
export function completeAt(
  file: HclFile,
  offset: number,
  root: BlockSchema | undefined,
  options: CompletionOptions = {},
): CompletionList {
  const text = file.text;
  const frames = blockPath(file, offset, root);
  const frame = frames[frames.length - 1]!;
  const ls = lineStartOf(text, offset);
  const before = text.slice(ls, offset);
  const trigger = options.triggerCharacter;

  // inside an attribute's value?
  const attr = attributeAt(frame.body, offset);
  let valueStart: number | undefined;
  if (attr && attr.equals && offset >= attr.equals.end) valueStart = attr.equals.end;
  else if (!attr || !attr.equals) {
    const m = /^\s*([A-Za-z_][\w-]*)\s*=(?!=)/.exec(before);
    if (m && (!attr || !attr.equals)) valueStart = ls + m[0].length;
  }
  if (valueStart !== undefined) {
    const name = attr && attr.equals ? attr.name : /^\s*([A-Za-z_][\w-]*)/.exec(before)![1]!;
    return valueCompletion(file, offset, frames, name, valueStart, trigger);
  }

  // a block header being typed (`group "` …): nothing to offer beyond the keyword itself
  const header = /^\s*([A-Za-z_][\w-]*)?$/.exec(before);
  if (!header) return EMPTY;
  // names are proposed on request or while typing a word, not on a typed quote, dot, = or space
  if (trigger === '"' || trigger === '=' || trigger === '.' || trigger === ' ') return EMPTY;
  const start = offset - (header[1]?.length ?? 0);
  const range: Range = { start, end: wordEnd(text, offset) };
  return { isIncomplete: false, items: nameCompletion(file, frame, range, attr) };
}

// ---- names -----------------------------------------------------------------------------------------

function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, m => `\\${m}`);
}

function choiceEscape(s: string): string {
  return s.replace(/[$}\\,|]/g, m => `\\${m}`);
}

function attributeSnippet(a: AttributeSchema, schema: BlockSchema): string {
  const enumVals =
    schema.id === 'Task' && a.name === 'driver'
      ? uniq([...(a.enum ?? []), ...knownDrivers()])
      : a.enum?.filter(v => v !== '');
  if (enumVals && enumVals.length > 0) return `${a.name} = "\${1|${enumVals.map(choiceEscape).join(',')}|}"`;
  switch (a.type) {
    case 'string':
      return `${a.name} = "${a.default !== undefined ? `\${1:${snippetEscape(a.default)}}` : '$1'}"`;
    case 'duration':
      return `${a.name} = "\${1:${snippetEscape(a.default ?? '30s')}}"`;
    case 'number':
      return `${a.name} = \${1:${snippetEscape(a.default ?? '0')}}`;
    case 'bool':
      return `${a.name} = \${1|${a.default === 'true' ? 'true,false' : 'false,true'}|}`;
    case 'list(string)':
      return `${a.name} = ["$1"]`;
    case 'list(number)':
    case 'list(any)':
    case 'list(map(string))':
    case 'list(map(number))':
      return `${a.name} = [$1]`;
    case 'map(string)':
    case 'map(number)':
    case 'map(any)':
    case 'object':
      return `${a.name} = {\n\t$1\n}`;
    default:
      return `${a.name} = $1`;
  }
}

function blockSnippet(b: BlockSchema, name: string): string {
  const labels = b.labels.map((l, i) => ` "\${${i + 1}:${snippetEscape(l)}}"`).join('');
  return `${name}${labels} {\n\t$0\n}`;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function nameCompletion(file: HclFile, frame: Frame, range: Range, typing: Attribute | undefined): CompletionItem[] {
  const schema = frame.schema;
  if (!schema || (schema.open && !schema.freeform)) return [];
  const lsp = toLspRange(file, range);
  const present = new Set<string>();
  for (const item of frame.body?.items ?? []) {
    if (item === typing) continue;
    if (item.kind === 'Attribute') {
      if (item.range.start <= range.start && range.end <= item.range.end) continue;
      present.add(item.name);
    } else if (!(item.typeRange.start <= range.start && range.start <= item.typeRange.end)) present.add(item.type);
  }
  const out: CompletionItem[] = [];
  for (const a of schema.attributes.values()) {
    if (present.has(a.name) || a.deprecation?.removed) continue;
    const item: CompletionItem = {
      label: a.name,
      kind: CompletionItemKind.Property,
      detail: a.type,
      documentation: { kind: MarkupKind.Markdown, value: attributeDoc(a, schema) },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: lsp, newText: attributeSnippet(a, schema) },
      sortText: `${a.deprecation ? 9 : a.required ? 0 : 1}${a.name}`,
      filterText: a.name,
    };
    if (a.deprecation) item.tags = [CompletionItemTag.Deprecated];
    out.push(item);
  }
  for (const [name, b] of schema.blocks) {
    if ((present.has(name) && !b.multiple) || b.deprecation?.removed) continue;
    const item: CompletionItem = {
      label: name,
      kind: CompletionItemKind.Module,
      detail: b.labels.length ? `block ${b.labels.map(l => `"${l}"`).join(' ')}` : 'block',
      documentation: { kind: MarkupKind.Markdown, value: blockDoc(b) },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: lsp, newText: blockSnippet(b, name) },
      sortText: `${b.deprecation ? 9 : 2}${name}`,
      filterText: name,
    };
    if (b.deprecation) item.tags = [CompletionItemTag.Deprecated];
    out.push(item);
  }
  // `dynamic` generates repeated nested blocks of job files
  if (
    schema.id !== 'File' &&
    schema.id !== 'Dynamic' &&
    !schema.id.startsWith('driver:') &&
    schema.blocks.size > 0 &&
    frame.type !== '' &&
    /^[A-Z]/.test(schema.id) &&
    !['Variable', 'Variables', 'Locals'].includes(schema.id)
  ) {
    out.push({
      label: 'dynamic',
      kind: CompletionItemKind.Keyword,
      detail: 'block "type"',
      documentation: {
        kind: MarkupKind.Markdown,
        value:
          'Generates one nested block per element of a collection: `dynamic "<type>" { for_each = … content { … } }`.',
      },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: lsp, newText: 'dynamic "${1:type}" {\n\tfor_each = ${2:[]}\n\tcontent {\n\t\t$0\n\t}\n}' },
      sortText: `8dynamic`,
      filterText: 'dynamic',
    });
  }
  return out;
}

// ---- values ----------------------------------------------------------------------------------------

function valueCompletion(
  file: HclFile,
  offset: number,
  frames: Frame[],
  name: string,
  valueStart: number,
  trigger: string | undefined,
): CompletionList {
  const text = file.text;
  const frame = frames[frames.length - 1]!;
  const schema = frame.schema;
  const attr: AttributeSchema | undefined =
    schema && !(schema.open && !schema.freeform) ? attribute(schema, name) : undefined;
  const state = scanExpression(text, valueStart, offset);
  const ls = lineStartOf(text, offset);
  const before = text.slice(Math.max(ls, valueStart), offset);
  const items: CompletionItem[] = [];

  // inside `${…}` of a job file: what Nomad fills in at run time (node., attr., meta., NOMAD_…)
  const runtime = NOMAD_PORT_VARS.test(before) ? undefined : runtimeCompletion(file, offset, frames, state);
  if (runtime?.exclusive) return { isIncomplete: false, items: runtime.items };
  if (runtime) items.push(...runtime.items);
  // `{` completes only right after `$`
  if (trigger === '{' && !runtime) return EMPTY;

  // var. / local.
  const ref = !state.inString ? REF_RE.exec(before) : undefined;
  if (ref) {
    const range = toLspRange(file, { start: offset - ref[2]!.length, end: wordEnd(text, offset) });
    return { isIncomplete: false, items: referenceItems(file, ref[1] as 'var' | 'local', range) };
  }
  if (trigger === '.') return EMPTY;

  // NOMAD_PORT_<label> and friends, in strings and heredocs (templates, env)
  const portVar = NOMAD_PORT_VARS.exec(before);
  if (portVar) {
    const range = toLspRange(file, { start: offset - portVar[2]!.length, end: wordEnd(text, offset) });
    for (const p of portsInScope(file, frames)) {
      items.push({
        label: p.label,
        kind: CompletionItemKind.Constant,
        detail: portDetail(p),
        textEdit: { range, newText: p.label },
        sortText: `0${p.label}`,
      });
    }
    return { isIncomplete: false, items };
  }

  const depth = state.stack.length;
  const top = state.stack[depth - 1];
  // the key position of a multi-line object (`env = {` … `KEY`): nothing sensible to propose
  if (
    !state.inString &&
    top &&
    'bracket' in top &&
    top.bracket === '{' &&
    /^\s*[\w-]*$/.test(before) &&
    /^\s*$/.test(text.slice(ls, Math.max(ls, valueStart)) + '')
  )
    return EMPTY;
  const directValue =
    depth === 0 || (depth === 1 && top && 'bracket' in top && top.bracket === '[' && attr?.type.startsWith('list'));
  const portRef = isPortReference(schema, name);

  if (state.inString) {
    const inInterpolation = state.stack.some(f => 'bracket' in f && f.bracket === '${');
    if (inInterpolation || !directValue) return EMPTY;
    const range = toLspRange(file, { start: state.stringStart, end: stringContentEnd(text, offset) });
    if (portRef) {
      for (const p of portsInScope(file, frames))
        items.push({
          label: p.label,
          kind: CompletionItemKind.Constant,
          detail: portDetail(p),
          textEdit: { range, newText: p.label },
        });
    } else if (attr) {
      for (const v of enumValues(attr, schema!, name)) items.push(enumItem(attr, v, { range, newText: v }));
    }
    return { isIncomplete: false, items };
  }
  if (trigger === '"') return EMPTY;

  // code: the word being typed
  const wm = /[A-Za-z_][\w-]*$/.exec(before);
  const word = wm ? wm[0] : '';
  const lead = text.charCodeAt(offset - word.length - 1) === 61 ? ' ' : '';
  if (trigger === ' ' && !/[=(,[]\s*$/.test(text.slice(valueStart - 1, offset))) return EMPTY;
  const range = toLspRange(file, { start: offset - word.length, end: wordEnd(text, offset) });
  if (directValue && attr) {
    if (portRef) {
      for (const p of portsInScope(file, frames))
        items.push({
          label: `"${p.label}"`,
          filterText: p.label,
          kind: CompletionItemKind.Constant,
          detail: portDetail(p),
          textEdit: { range, newText: `${lead}"${p.label}"` },
          sortText: `0${p.label}`,
        });
    }
    for (const v of enumValues(attr, schema!, name)) {
      const it = enumItem(attr, v, { range, newText: `${lead}"${v}"` });
      it.label = `"${v}"`;
      it.filterText = v;
      items.push(it);
    }
    if (attr.type === 'bool') {
      for (const v of ['true', 'false'])
        items.push({
          label: v,
          kind: CompletionItemKind.Value,
          textEdit: { range, newText: `${lead}${v}` },
          sortText: `0${v}`,
          ...(attr.default === v ? { detail: 'default' } : {}),
        });
    }
  }
  // expressions: variables, locals, functions
  const decls = declarations(file);
  if (decls.variables.size > 0) items.push(scopeItem('var', range, lead));
  if (decls.locals.size > 0) items.push(scopeItem('local', range, lead));
  for (const f of functions()) {
    items.push({
      label: f.name,
      kind: CompletionItemKind.Function,
      detail: functionSignature(f),
      documentation: { kind: MarkupKind.Markdown, value: functionDoc(f) },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: `${lead}${f.name}($1)` },
      command: { title: 'Signature help', command: 'editor.action.triggerParameterHints' },
      sortText: `5${f.name}`,
    });
  }
  return { isIncomplete: false, items };
}

// ---- `${…}`: names Nomad resolves at run time ---------------------------------------------------------

const DOTTED_WORD = /(?:^|[^\w.-])([A-Za-z_][\w-]*(?:\.[\w-]*)*)$/;

function dottedEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /[\w.-]/.test(text[i]!)) i++;
  return i;
}

/**
 * Completion of the runtime names inside the innermost `${` around `offset`, in job files only. After
 * `node.` / `attr.` / `meta.` the list is the whole answer (exclusive); at the start of a name the roots and
 * the NOMAD_ variables join the expression items (variables, locals, functions).
 */
function runtimeCompletion(
  file: HclFile,
  offset: number,
  frames: Frame[],
  state: ReturnType<typeof scanExpression>,
): { items: CompletionItem[]; exclusive: boolean } | undefined {
  if (state.inString || !frames[0]?.schema?.blocks.has('job')) return undefined;
  const interp = [...state.stack].reverse().find(f => 'bracket' in f && f.bracket === '${');
  if (!interp) return undefined;
  const text = file.text;
  const typed = text.slice(interp.open + 2, offset);
  const m = DOTTED_WORD.exec(typed);
  const word = m ? m[1]! : /[\w.-]$/.test(typed) ? undefined : '';
  if (word === undefined) return undefined;
  const end = dottedEnd(text, offset);
  const dot = word.indexOf('.');
  if (dot >= 0) {
    const root = word.slice(0, dot);
    if (root !== 'node' && root !== 'attr' && root !== 'meta') return undefined; // var. / local. / anything else: the expression items
    const range = toLspRange(file, { start: offset - (word.length - dot - 1), end });
    const names = root === 'node' ? nodeVariables : root === 'attr' ? expandDrivers(nodeAttributes) : [];
    return {
      exclusive: true,
      items: names.map(n => ({
        label: n.name,
        kind: CompletionItemKind.Constant,
        detail: root === 'node' ? 'node' : 'node attribute',
        documentation: {
          kind: MarkupKind.Markdown,
          value: runtimeDoc(`${root}.${n.name}`) ?? bundledMarkdown(n.description),
        },
        textEdit: { range, newText: n.name },
        filterText: n.name,
        sortText: `${n.name.startsWith('unique.platform') || n.name.startsWith('platform') ? 2 : 1}${n.name}`,
      })),
    };
  }
  const range = toLspRange(file, { start: offset - word.length, end });
  const items: CompletionItem[] = [];
  const roots: [string, string][] = [
    ['node', 'the client node: its ID, name, datacenter, class, pool'],
    ['attr', 'attributes the client fingerprinted'],
    ['meta', 'meta of the client node'],
  ];
  for (const [root, detail] of roots) {
    items.push({
      label: root,
      kind: CompletionItemKind.Module,
      detail,
      textEdit: { range, newText: `${root}.` },
      sortText: `2${root}`,
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    });
  }
  const ports = portsInScope(file, frames).map(p => p.label);
  for (const v of runtimeEnvironment) {
    const doc = { kind: MarkupKind.Markdown, value: runtimeDoc(v.name) ?? bundledMarkdown(v.description) };
    if (v.suffix === 'port label' && ports.length > 0) {
      for (const label of ports)
        items.push({
          label: `${v.name}${label}`,
          kind: CompletionItemKind.Variable,
          detail: 'runtime environment',
          documentation: doc,
          textEdit: { range, newText: `${v.name}${label}` },
          sortText: `4${v.name}${label}`,
        });
      continue;
    }
    const item: CompletionItem = {
      label: v.suffix ? `${v.name}<${v.suffix}>` : v.name,
      filterText: v.name,
      kind: CompletionItemKind.Variable,
      detail: 'runtime environment',
      documentation: doc,
      sortText: `4${v.name}`,
    };
    if (v.suffix) {
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.textEdit = { range, newText: `${v.name}\${1:${v.suffix.replace(/ /g, '_')}}` };
    } else item.textEdit = { range, newText: v.name };
    items.push(item);
  }
  return { items, exclusive: false };
}

/** `driver.` (a prefix) becomes one `driver.<name>` per known task driver. */
function expandDrivers(names: readonly RuntimeName[]): RuntimeName[] {
  const out: RuntimeName[] = [];
  for (const n of names) {
    if (n.suffix === 'driver name')
      for (const d of uniq(['docker', 'exec', 'raw_exec', 'java', 'qemu', ...knownDrivers()]))
        out.push({ name: `${n.name}${d}`, description: n.description });
    else out.push(n);
  }
  return out;
}

function stringContentEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13 || c === 92 || (c === 36 && text.charCodeAt(i + 1) === 123)) break;
    i++;
  }
  return i;
}

function portDetail(p: { static?: string; to?: string }): string {
  const bits = ['port'];
  if (p.static) bits.push(`static ${p.static}`);
  if (p.to) bits.push(`to ${p.to}`);
  return bits.join(', ');
}

function enumValues(attr: AttributeSchema, schema: BlockSchema, name: string): string[] {
  if (schema.id === 'Task' && name === 'driver') return uniq([...knownDrivers(), ...(attr.enum ?? [])]);
  return (attr.enum ?? []).filter(v => v !== '');
}

function enumItem(
  attr: AttributeSchema,
  v: string,
  edit: { range: ReturnType<typeof toLspRange>; newText: string },
): CompletionItem {
  const item: CompletionItem = {
    label: v,
    kind: CompletionItemKind.EnumMember,
    textEdit: edit,
    documentation: { kind: MarkupKind.Markdown, value: bundledMarkdown(attr.description) },
    sortText: `${attr.default === v ? 0 : 1}${v}`,
  };
  if (attr.default === v) item.detail = 'default';
  return item;
}

function scopeItem(kind: 'var' | 'local', range: ReturnType<typeof toLspRange>, lead: string): CompletionItem {
  return {
    label: kind,
    kind: CompletionItemKind.Keyword,
    detail: kind === 'var' ? 'input variables' : 'local values',
    textEdit: { range, newText: `${lead}${kind}.` },
    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    sortText: `3${kind}`,
  };
}

function referenceItems(file: HclFile, kind: 'var' | 'local', range: ReturnType<typeof toLspRange>): CompletionItem[] {
  const decls = declarations(file);
  const out: CompletionItem[] = [];
  if (kind === 'var') {
    for (const d of decls.variables.values()) {
      const bits: string[] = [];
      if (d.type) bits.push(sourceOf(file, d.type.range));
      if (d.default && d.default.range.end - d.default.range.start < 60)
        bits.push(`= ${sourceOf(file, d.default.range)}`);
      const item: CompletionItem = {
        label: d.name,
        kind: CompletionItemKind.Variable,
        textEdit: { range, newText: d.name },
        detail: bits.join(' ') || 'variable',
      };
      if (d.description) item.documentation = { kind: MarkupKind.Markdown, value: markdownLines(d.description) };
      out.push(item);
    }
  } else {
    for (const d of decls.locals.values()) {
      const src = sourceOf(file, d.attr.expr.range);
      out.push({
        label: d.name,
        kind: CompletionItemKind.Variable,
        textEdit: { range, newText: d.name },
        detail: src.length > 60 ? `${src.slice(0, 57)}…` : src,
      });
    }
  }
  return out;
}

// ---- signature help -----------------------------------------------------------------------------------

/** Signature help for the innermost function call around `offset`. */
export function signatureHelpAt(
  file: HclFile,
  offset: number,
  root: BlockSchema | undefined,
): SignatureHelp | undefined {
  const frames = blockPath(file, offset, root);
  const body: Body | undefined = frames[frames.length - 1]!.body;
  const attr = attributeAt(body, offset);
  let start: number | undefined;
  if (attr?.equals && offset >= attr.equals.end) start = attr.equals.end;
  else {
    const ls = lineStartOf(file.text, offset);
    const m = /^\s*[A-Za-z_][\w-]*\s*=/.exec(file.text.slice(ls, offset));
    if (m) start = ls + m[0].length;
  }
  if (start === undefined) return undefined;
  const state = scanExpression(file.text, start, offset);
  for (let i = state.stack.length - 1; i >= 0; i--) {
    const f = state.stack[i]!;
    if (!('name' in f)) {
      if (f.bracket === '${' && state.inString) return undefined;
      continue;
    }
    const fn = functionSchema(f.name);
    if (!fn) return undefined;
    const last = fn.params.length - 1;
    const active = fn.params[last]?.variadic ? Math.min(f.arg, last) : f.arg;
    const label = functionSignature(fn);
    let pos = fn.name.length + 1;
    const parameters = fn.params.map(p => {
      const s = `${p.variadic ? '...' : ''}${p.name}: ${p.type}`;
      const startAt = label.indexOf(s, pos);
      pos = startAt + s.length;
      return { label: [startAt, startAt + s.length] as [number, number] };
    });
    return {
      signatures: [
        {
          label,
          documentation: { kind: MarkupKind.Markdown, value: bundledMarkdown(fn.description) },
          parameters,
          activeParameter: active,
        },
      ],
      activeSignature: 0,
      activeParameter: active,
    };
  }
  return undefined;
}
