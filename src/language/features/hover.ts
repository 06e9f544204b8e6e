// Hover: what the name or value under the cursor means, as Markdown. Blocks, attributes (type,
// default, allowed values, deprecation), enum values, task drivers, functions (signature), `var.x`
// (its declaration) and `local.x` (its expression). Pure: no `vscode` import.
import type { Hover } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import { nodeAt, toLspRange, type Attribute, type Block, type HclFile, type Node, type Range } from '../hcl';
import {
  attribute, driverConfigSchema, functionSchema, generatedSchema, schemaReleases, knownDrivers, runtimeName,
  type AttributeSchema, type BlockSchema, type FunctionSchema, type VersionRange,
} from '../schema';
import { blockPath, childSchema, declarations, referenceOf, sourceOf, type Frame } from './context';

// ---- Markdown builders (shared with completion) --------------------------------------------------

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

/** `name(p: type, …) → returns` */
export function functionSignature(f: FunctionSchema): string {
  const params = f.params.map(p => `${p.variadic ? '...' : ''}${p.name}: ${p.type}`).join(', ');
  return `${f.name}(${params}) → ${f.returns}`;
}

export function functionDoc(f: FunctionSchema): string {
  const lines = ['```hcl', functionSignature(f), '```', f.description];
  if (f.filesystem) lines.push('', '_Reads the local file system: evaluated where the job file is parsed (the CLI machine)._');
  return lines.join('\n');
}

function deprecationLine(msg: string | undefined): string[] {
  return msg ? ['', `**Deprecated:** ${msg}`] : [];
}

/**
 * Which Nomad releases have it: "Since Nomad 2.0.3", "removed in Nomad 1.10.0", "deprecated since Nomad
 * 1.8.0" (the schema was read at every release from 1.6.5 on: no `since` means at least as old as that).
 */
export function versionLine(v: VersionRange): string {
  const parts: string[] = [];
  parts.push(v.since !== undefined ? `Since Nomad ${v.since}` : `In every Nomad release since ${schemaReleases()[0]!.version}`);
  if (v.deprecatedSince !== undefined) parts.push(`deprecated since Nomad ${v.deprecatedSince}`);
  if (v.until !== undefined) parts.push(`removed in Nomad ${v.until}`);
  return `_${parts.join('; ')}._`;
}

export function attributeDoc(a: AttributeSchema, owner?: BlockSchema): string {
  const head = `**${a.name}** · ${code(a.type)}${a.required ? ' · required' : ''}${owner?.name ? ` · in ${code(owner.name)}` : ''}`;
  const lines = [head, '', a.description || '_No description._'];
  const facts: string[] = [];
  if (a.default !== undefined) facts.push(`Default: ${code(a.type === 'string' || a.type === 'duration' ? JSON.stringify(a.default) : a.default)}`);
  if (a.enum && a.enum.length > 0) {
    const vals = a.enum.filter(v => v !== '').map(v => code(JSON.stringify(v))).join(' · ');
    facts.push(`Values: ${vals}${a.enumOpen ? ' (others are accepted too)' : ''}`);
  }
  if (a.type === 'duration') facts.push('Written as a duration string such as `"30s"`, `"5m"` or `"1h30m"`.');
  if (facts.length) lines.push('', ...facts.map(f => `- ${f}`));
  lines.push(...deprecationLine(a.deprecation?.message));
  if (owner && isGenerated(owner) || hasRange(a)) lines.push('', versionLine(a));
  return lines.join('\n');
}

/** A hand-written schema member (other file kinds, driver plugin configs) that names its releases. */
function hasRange(v: VersionRange): boolean {
  return v.since !== undefined || v.until !== undefined || v.deprecatedSince !== undefined;
}

/** Blocks of the generated jobspec (their members carry release ranges); not driver configs or other files. */
function isGenerated(b: BlockSchema): boolean {
  return !b.driverConfig && generatedSchema().types[b.id] !== undefined;
}

export function blockDoc(b: BlockSchema): string {
  const header = `${b.name}${b.labels.map(l => ` "<${l}>"`).join('')} { … }`;
  const lines = ['```hcl', header, '```', b.description || '_No description._'];
  const facts: string[] = [];
  if (b.multiple) facts.push('May appear more than once.');
  if (b.attrSyntax) facts.push(`Also accepted as an argument: ${code(`${b.name} = { … }`)}.`);
  if (b.freeform && b.freeform !== 'any') facts.push(`Any key is accepted, with ${b.freeform} values.`);
  if (b.note) facts.push(b.note);
  if (facts.length) lines.push('', ...facts.map(f => `- ${f}`));
  lines.push(...deprecationLine(b.deprecation?.message));
  if (isGenerated(b) || hasRange(b)) lines.push('', versionLine(b));
  return lines.join('\n');
}

function clip(s: string, max = 400): string {
  return s.length > max ? `${s.slice(0, max)}\n…` : s;
}

function variableDoc(file: HclFile, name: string): string | undefined {
  const d = declarations(file).variables.get(name);
  if (!d) return undefined;
  const lines = ['```hcl', `variable "${name}"`, '```'];
  if (d.description) lines.push(d.description);
  const facts: string[] = [];
  if (d.type) facts.push(`Type: ${code(sourceOf(file, d.type.range))}`);
  if (d.default) {
    const src = sourceOf(file, d.default.range);
    if (src.includes('\n')) lines.push('', 'Default:', '```hcl', clip(src), '```');
    else facts.push(`Default: ${code(src)}`);
  } else if (d.block) facts.push('No default: a value must be given (-var, -var-file or NOMAD_VAR_' + name + ').');
  if (facts.length) lines.push('', ...facts.map(f => `- ${f}`));
  return lines.join('\n');
}

function localDoc(file: HclFile, name: string): string | undefined {
  const d = declarations(file).locals.get(name);
  if (!d) return undefined;
  return ['```hcl', `local.${name} = ${clip(sourceOf(file, d.attr.expr.range))}`, '```', 'A local value, defined in a `locals` block of this file.'].join('\n');
}

function driverDoc(driver: string): string {
  const s = driverConfigSchema(driver);
  const known = knownDrivers().includes(driver);
  const lines = [`**driver** ${code(JSON.stringify(driver))}`, '', known ? `The ${code(driver)} task driver.` : s.description];
  if (known) {
    const attrs = [...s.attributes.keys()].slice(0, 12).map(code).join(', ');
    if (attrs) lines.push('', `Its \`config\` block takes ${attrs}${s.attributes.size > 12 ? ', …' : ''}.`);
  }
  return lines.join('\n');
}

// ---- runtime names inside `${…}` -------------------------------------------------------------------

/**
 * Hover text of a name Nomad fills in at run time (`node.unique.name`, `attr.cpu.arch`, `meta.rack`,
 * `NOMAD_ALLOC_DIR`, `NOMAD_PORT_http`); undefined for anything else.
 */
export function runtimeDoc(text: string): string | undefined {
  const r = runtimeName(text);
  if (!r) return undefined;
  const head = `${code(`\${${text}}`)} · ${r.root === 'node' ? 'the client node' : r.root === 'attr' ? 'node attribute' : r.root === 'meta' ? 'client meta' : 'runtime environment'}`;
  const lines = [head, ''];
  if (r.root === 'meta') {
    lines.push(r.key ? `The value of ${code(r.key)} in the client node's meta (its agent's \`client { meta { … } }\`, or set with \`nomad node meta apply\`).` : 'A key of the client node\'s meta.');
  } else if (r.entry) {
    lines.push(r.entry.description);
    if (r.entry.suffix) lines.push('', `${code(r.entry.name)} is followed by a ${r.entry.suffix}.`);
    if (r.entry.example) lines.push('', `For example ${code(r.entry.example)}.`);
  } else {
    lines.push(r.root === 'env'
      ? 'Not one of the variables Nomad sets for every task; it may come from the task\'s `env` or `template` blocks.'
      : r.root === 'attr' ? 'Not one of the attributes Nomad\'s own fingerprinters set; a device or driver plugin, or a newer release, may set it.'
      : 'Not a name Nomad knows under `node.`: it has `unique.id`, `unique.name`, `datacenter`, `region`, `class` and `pool`.');
  }
  lines.push('', r.root === 'env' ? '_Filled in when the task starts._' : '_Filled in by Nomad for the node the work is placed on, not when the job is read._');
  return lines.join('\n');
}

/** `node.unique.name` of a traversal inside a string template (`${node.unique.name}`), with its range. */
function runtimeReference(n: Node, ancestors: readonly Node[]): { text: string; range: Range } | undefined {
  if (n.kind !== 'ScopeTraversal' || !ancestors.some(a => a.kind === 'Template' || a.kind === 'Heredoc')) return undefined;
  if (n.root !== 'node' && n.root !== 'attr' && n.root !== 'meta' && !n.root.startsWith('NOMAD_')) return undefined;
  let text = n.root, end = n.rootRange.end;
  for (const s of n.steps) {
    if (s.kind !== 'TraverseAttr') break;
    text += `.${s.name}`;
    end = s.range.end;
  }
  return { text, range: { start: n.rootRange.start, end } };
}

// ---- hover ---------------------------------------------------------------------------------------

function hover(file: HclFile, range: Range, value: string): Hover {
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
      return hover(file, ref.fullRange, doc ?? `${code(`${ref.kind}.${ref.name}`)} is not declared in this file.`);
    }
    const rt = runtimeReference(n, path.slice(0, i));
    if (rt && within(rt.range, offset)) {
      const doc = runtimeDoc(rt.text);
      if (doc) return hover(file, rt.range, doc);
    }
    if (n.kind === 'FunctionCall' && within(n.nameRange, offset)) {
      const f = functionSchema(n.name);
      return hover(file, n.nameRange, f ? functionDoc(f) : `${code(n.name)} is not a function Nomad knows.`);
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
    if (attr && !(schema.freeform && !schema.attributes.has(item.name))) return hover(file, item.nameRange, attributeDoc(attr, schema));
    if (asBlock) return hover(file, item.nameRange, blockDoc(asBlock));
    if (schema.freeform) return hover(file, item.nameRange, `**${item.name}** · ${code(schema.freeform)}\n\nA key of the free-form ${code(schema.name)} map.`);
    return undefined;
  }
  // the value: enum values and drivers
  const e = item.expr;
  if (!within(e.range, offset)) return undefined;
  const value = (e.kind === 'Template' || e.kind === 'Heredoc') ? e.literal : undefined;
  if (value === undefined || !attr) return undefined;
  if (schema.id === 'Task' && item.name === 'driver') return hover(file, e.range, driverDoc(value));
  if (attr.enum?.includes(value)) {
    const others = attr.enum.filter(v => v !== '' && v !== value).map(v => code(JSON.stringify(v))).join(' · ');
    return hover(file, e.range, [`${code(JSON.stringify(value))} · value of **${item.name}**`, '', attr.description, ...(others ? ['', `Other values: ${others}`] : [])].join('\n'));
  }
  return undefined;
}
