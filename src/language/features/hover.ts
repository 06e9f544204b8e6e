// Hover: what the name or value under the cursor means, as Markdown. Blocks, attributes (type,
// default, allowed values, deprecation), enum values, task drivers, functions (signature), `var.x`
// (its declaration) and `local.x` (its expression). Pure: no `vscode` import.
import type { Hover } from 'vscode-languageserver-types';
import { withExampleFallbacks } from '../schema/deprecations';
import { MarkupKind } from 'vscode-languageserver-types';
import { nodeAt, toLspRange, type Attribute, type Block, type HclFile, type Node, type Range } from '../hcl';
import {
  attribute,
  driverConfigSchema,
  functionSchema,
  generatedSchema,
  schemaReleases,
  knownDrivers,
  runtimeName,
  type AttributeSchema,
  type BlockSchema,
  type FunctionSchema,
  type VersionRange,
} from '../schema';
import { blockPath, childSchema, declarations, referenceOf, sourceOf, type Frame } from './context';
import {
  bundledMarkdown,
  codeBlock,
  codeSpan,
  joinMarkdown,
  markdownLines,
  markdownText,
  md,
  type SafeMarkdown,
} from '../../untrusted/shown';

// ---- Markdown builders (shared with completion) --------------------------------------------------
// Everything read from the document (names, labels, descriptions, defaults, locals, values) is hostile
// Markdown: a cloned repository's job file, or one a cluster hands back ("Show Job Definition"). It goes
// in as escaped text (markdownText/markdownLines) or inside a code span or fence it cannot leave
// (codeSpan/codeBlock); only the schema's own descriptions are Markdown of ours (bundledMarkdown).

/** `name(p: type, …) → returns` */
export function functionSignature(f: FunctionSchema): string {
  const params = f.params.map(p => `${p.variadic ? '...' : ''}${p.name}: ${p.type}`).join(', ');
  return `${f.name}(${params}) → ${f.returns}`;
}

const ours = bundledMarkdown;
const NL = '\n' as const;

export function functionDoc(f: FunctionSchema): SafeMarkdown {
  const lines: SafeMarkdown[] = [codeBlock(functionSignature(f), 'hcl'), ours(f.description)];
  if (f.filesystem)
    lines.push(md``, md`_Reads the local file system: evaluated where the job file is parsed (the CLI machine)._`);
  return joinMarkdown(lines, NL);
}

function deprecationLine(msg: string | undefined): SafeMarkdown[] {
  return msg ? [md``, md`**Deprecated:** ${ours(withExampleFallbacks(msg))}`] : [];
}

/**
 * Which Nomad releases have it: "Since Nomad 2.0.3", "removed in Nomad 1.10.0", "deprecated since Nomad
 * 1.8.0" (the schema was read at every release from 1.6.5 on: no `since` means at least as old as that).
 */
export function versionLine(v: VersionRange): SafeMarkdown {
  const parts: string[] = [];
  parts.push(
    v.since !== undefined ? `Since Nomad ${v.since}` : `In every Nomad release since ${schemaReleases()[0]!.version}`,
  );
  if (v.deprecatedSince !== undefined) parts.push(`deprecated since Nomad ${v.deprecatedSince}`);
  if (v.until !== undefined) parts.push(`removed in Nomad ${v.until}`);
  return md`_${ours(parts.join('; '))}._`;
}

export function attributeDoc(a: AttributeSchema, owner?: BlockSchema): SafeMarkdown {
  const head = md`**${ours(a.name)}** · ${codeSpan(a.type)}${a.required ? md` · required` : md``}${owner?.name ? md` · in ${codeSpan(owner.name)}` : md``}`;
  const lines: SafeMarkdown[] = [head, md``, a.description ? ours(a.description) : md`_No description._`];
  const facts: SafeMarkdown[] = [];
  if (a.default !== undefined)
    facts.push(
      md`Default: ${codeSpan(a.type === 'string' || a.type === 'duration' ? JSON.stringify(a.default) : a.default)}`,
    );
  if (a.enum && a.enum.length > 0) {
    const vals = joinMarkdown(
      a.enum.filter(v => v !== '').map(v => codeSpan(JSON.stringify(v))),
      ' · ',
    );
    facts.push(md`Values: ${vals}${a.enumOpen ? md` (others are accepted too)` : md``}`);
  }
  if (a.type === 'duration') facts.push(md`Written as a duration string such as \`"30s"\`, \`"5m"\` or \`"1h30m"\`.`);
  if (facts.length) lines.push(md``, ...facts.map(f => md`- ${f}`));
  lines.push(...deprecationLine(a.deprecation?.message));
  if ((owner && isGenerated(owner)) || hasRange(a)) lines.push(md``, versionLine(a));
  return joinMarkdown(lines, NL);
}

/** A hand-written schema member (other file kinds, driver plugin configs) that names its releases. */
function hasRange(v: VersionRange): boolean {
  return v.since !== undefined || v.until !== undefined || v.deprecatedSince !== undefined;
}

/** Blocks of the generated jobspec (their members carry release ranges); not driver configs or other files. */
function isGenerated(b: BlockSchema): boolean {
  return !b.driverConfig && generatedSchema().types[b.id] !== undefined;
}

export function blockDoc(b: BlockSchema): SafeMarkdown {
  const header = `${b.name}${b.labels.map(l => ` "<${l}>"`).join('')} { … }`;
  const lines: SafeMarkdown[] = [codeBlock(header, 'hcl'), b.description ? ours(b.description) : md`_No description._`];
  const facts: SafeMarkdown[] = [];
  if (b.multiple) facts.push(md`May appear more than once.`);
  if (b.attrSyntax) facts.push(md`Also accepted as an argument: ${codeSpan(`${b.name} = { … }`)}.`);
  if (b.freeform && b.freeform !== 'any') facts.push(md`Any key is accepted, with ${markdownText(b.freeform)} values.`);
  if (b.note) facts.push(ours(b.note));
  if (facts.length) lines.push(md``, ...facts.map(f => md`- ${f}`));
  lines.push(...deprecationLine(b.deprecation?.message));
  if (isGenerated(b) || hasRange(b)) lines.push(md``, versionLine(b));
  return joinMarkdown(lines, NL);
}

function clip(s: string, max = 400): string {
  return s.length > max ? `${s.slice(0, max)}\n…` : s;
}

/** A `variable` block's hover: its label, description (the document's text, shown as text), type and
 *  default (in code spans and fences they cannot leave). */
export function variableDoc(file: HclFile, name: string): SafeMarkdown | undefined {
  const d = declarations(file).variables.get(name);
  if (!d) return undefined;
  const lines: SafeMarkdown[] = [codeBlock(`variable ${JSON.stringify(name)}`, 'hcl')];
  if (d.description) lines.push(markdownLines(d.description));
  const facts: SafeMarkdown[] = [];
  if (d.type) facts.push(md`Type: ${codeSpan(sourceOf(file, d.type.range))}`);
  if (d.default) {
    const src = sourceOf(file, d.default.range);
    if (src.includes('\n')) lines.push(md``, md`Default:`, codeBlock(clip(src), 'hcl'));
    else facts.push(md`Default: ${codeSpan(src)}`);
  } else if (d.block)
    facts.push(md`No default: a value must be given (-var, -var-file or ${codeSpan('NOMAD_VAR_' + name)}).`);
  if (facts.length) lines.push(md``, ...facts.map(f => md`- ${f}`));
  return joinMarkdown(lines, NL);
}

/** A local's hover: its expression, in a fence it cannot leave (a heredoc's lines included). */
export function localDoc(file: HclFile, name: string): SafeMarkdown | undefined {
  const d = declarations(file).locals.get(name);
  if (!d) return undefined;
  return joinMarkdown(
    [
      codeBlock(`local.${name} = ${clip(sourceOf(file, d.attr.expr.range))}`, 'hcl'),
      md`A local value, defined in a \`locals\` block of this file.`,
    ],
    NL,
  );
}

function driverDoc(driver: string): SafeMarkdown {
  const s = driverConfigSchema(driver);
  const known = knownDrivers().includes(driver);
  const lines: SafeMarkdown[] = [
    md`**driver** ${codeSpan(JSON.stringify(driver))}`,
    md``,
    known ? md`The ${codeSpan(driver)} task driver.` : ours(s.description),
  ];
  if (known) {
    const attrs = joinMarkdown(
      [...s.attributes.keys()].slice(0, 12).map(k => codeSpan(k)),
      ', ',
    );
    if (attrs) lines.push(md``, md`Its \`config\` block takes ${attrs}${s.attributes.size > 12 ? md`, …` : md``}.`);
  }
  return joinMarkdown(lines, NL);
}

// ---- runtime names inside `${…}` -------------------------------------------------------------------

/**
 * Hover text of a name Nomad fills in at run time (`node.unique.name`, `attr.cpu.arch`, `meta.rack`,
 * `NOMAD_ALLOC_DIR`, `NOMAD_PORT_http`); undefined for anything else.
 */
export function runtimeDoc(text: string): SafeMarkdown | undefined {
  const r = runtimeName(text);
  if (!r) return undefined;
  // the name is the document's (hostile input): in code spans only; the descriptions are ours
  const kind =
    r.root === 'node'
      ? 'the client node'
      : r.root === 'attr'
        ? 'node attribute'
        : r.root === 'meta'
          ? 'client meta'
          : 'runtime environment';
  const lines: SafeMarkdown[] = [md`${codeSpan(`\${${text}}`)} · ${ours(kind)}`, md``];
  if (r.root === 'meta') {
    lines.push(
      r.key
        ? md`The value of ${codeSpan(r.key)} in the client node's meta (its agent's \`client { meta { … } }\`, or set with \`nomad node meta apply\`).`
        : md`A key of the client node's meta.`,
    );
  } else if (r.entry) {
    lines.push(ours(r.entry.description));
    if (r.entry.suffix) lines.push(md``, md`${codeSpan(r.entry.name)} is followed by a ${ours(r.entry.suffix)}.`);
    if (r.entry.example) lines.push(md``, md`For example ${codeSpan(r.entry.example)}.`);
  } else {
    lines.push(
      r.root === 'env'
        ? md`Not one of the variables Nomad sets for every task; it may come from the task's \`env\` or \`template\` blocks.`
        : r.root === 'attr'
          ? md`Not one of the attributes Nomad's own fingerprinters set; a device or driver plugin, or a newer release, may set it.`
          : md`Not a name Nomad knows under \`node.\`: it has \`unique.id\`, \`unique.name\`, \`datacenter\`, \`region\`, \`class\` and \`pool\`.`,
    );
  }
  lines.push(
    md``,
    r.root === 'env'
      ? md`_Filled in when the task starts._`
      : md`_Filled in by Nomad for the node the work is placed on, not when the job is read._`,
  );
  return joinMarkdown(lines, NL);
}

/** `node.unique.name` of a traversal inside a string template (`${node.unique.name}`), with its range. */
function runtimeReference(n: Node, ancestors: readonly Node[]): { text: string; range: Range } | undefined {
  if (n.kind !== 'ScopeTraversal' || !ancestors.some(a => a.kind === 'Template' || a.kind === 'Heredoc'))
    return undefined;
  if (n.root !== 'node' && n.root !== 'attr' && n.root !== 'meta' && !n.root.startsWith('NOMAD_')) return undefined;
  let text = n.root,
    end = n.rootRange.end;
  for (const s of n.steps) {
    if (s.kind !== 'TraverseAttr') break;
    text += `.${s.name}`;
    end = s.range.end;
  }
  return { text, range: { start: n.rootRange.start, end } };
}

// ---- hover ---------------------------------------------------------------------------------------

function hover(file: HclFile, range: Range, value: SafeMarkdown): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(file, range) };
}

function within(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** Hover for the position `offset` of a parsed file; `root` is the schema of the file (undefined: none). */
export function hoverAt(file: HclFile, offset: number, root: BlockSchema | undefined): Hover | undefined {
  const path = nodeAt(file, offset);
  // references and function calls anywhere (also in files without a schema)
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    const ref = referenceOf(n);
    if (ref && within(ref.fullRange, offset)) {
      const doc = ref.kind === 'var' ? variableDoc(file, ref.name) : localDoc(file, ref.name);
      return hover(
        file,
        ref.fullRange,
        doc ?? md`${codeSpan(`${ref.kind}.${ref.name}`)} is not declared in this file.`,
      );
    }
    const rt = runtimeReference(n, path.slice(0, i));
    if (rt && within(rt.range, offset)) {
      const doc = runtimeDoc(rt.text);
      if (doc) return hover(file, rt.range, doc);
    }
    if (n.kind === 'FunctionCall' && within(n.nameRange, offset)) {
      const f = functionSchema(n.name);
      return hover(file, n.nameRange, f ? functionDoc(f) : md`${codeSpan(n.name)} is not a function Nomad knows.`);
    }
  }
  const frames = blockPath(file, offset, root);
  const frame = frames[frames.length - 1]!;
  const body = frame.body;
  if (!body) return undefined;
  let item: Attribute | Block | undefined;
  for (const it of body.items) {
    if (it.range.start > offset) break;
    if (offset <= it.range.end) item = it;
  }
  if (!item) return undefined;
  if (item.kind === 'Block') {
    const schema = childSchema(frame.schema, body, item);
    if (item.type === 'variable' && item.labels[0] && within(item.labels[0].range, offset)) {
      const doc = variableDoc(file, item.labels[0].value);
      if (doc) return hover(file, item.labels[0].range, doc);
    }
    if (!schema) return undefined;
    if (within(item.typeRange, offset) || item.labels.some(l => within(l.range, offset))) {
      return hover(file, item.typeRange, blockDoc(schema));
    }
    return undefined;
  }
  return attributeHover(file, item, offset, frame);
}

function attributeHover(file: HclFile, item: Attribute, offset: number, frame: Frame): Hover | undefined {
  const schema = frame.schema;
  if (!schema) return undefined;
  if (schema.id === 'Locals' && within(item.nameRange, offset)) {
    const doc = localDoc(file, item.name);
    if (doc) return hover(file, item.nameRange, doc);
  }
  if (schema.id === 'Variables' && within(item.nameRange, offset)) {
    const doc = variableDoc(file, item.name);
    if (doc) return hover(file, item.nameRange, doc);
  }
  const attr = schema.open && !schema.freeform ? undefined : attribute(schema, item.name);
  const asBlock = !attr ? schema.blocks.get(item.name) : undefined;
  if (within(item.nameRange, offset)) {
    if (attr && !(schema.freeform && !schema.attributes.has(item.name)))
      return hover(file, item.nameRange, attributeDoc(attr, schema));
    if (asBlock) return hover(file, item.nameRange, blockDoc(asBlock));
    if (schema.freeform)
      return hover(
        file,
        item.nameRange,
        md`**${markdownText(item.name)}** · ${codeSpan(schema.freeform)}\n\nA key of the free-form ${codeSpan(schema.name)} map.`,
      );
    return undefined;
  }
  // the value: enum values and drivers
  const e = item.expr;
  if (!within(e.range, offset)) return undefined;
  const value = e.kind === 'Template' || e.kind === 'Heredoc' ? e.literal : undefined;
  if (value === undefined || !attr) return undefined;
  if (schema.id === 'Task' && item.name === 'driver') return hover(file, e.range, driverDoc(value));
  if (attr.enum?.includes(value)) {
    const others = attr.enum.filter(v => v !== '' && v !== value).map(v => codeSpan(JSON.stringify(v)));
    return hover(
      file,
      e.range,
      joinMarkdown(
        [
          md`${codeSpan(JSON.stringify(value))} · value of **${markdownText(item.name)}**`,
          md``,
          ours(attr.description),
          ...(others.length ? [md``, md`Other values: ${joinMarkdown(others, ' · ')}`] : []),
        ],
        NL,
      ),
    );
  }
  return undefined;
}
