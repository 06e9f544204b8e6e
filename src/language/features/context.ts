// Shared helpers of the editor features (completion, hover, symbols, references …): where a position
// is in terms of blocks and schemas, what a file declares (variables, locals, ports) and where those
// declarations are used. Pure: no `vscode` import. Every feature takes the schema root of the file as a
// parameter (rootSchema() for jobs, agentSchema() for agent configs …) so other file kinds can reuse them.
import {
  forEachChild,
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type HclFile,
  type Node,
  type Range,
} from '../hcl';
import { childBlock, driverConfigSchema, rootSchema, type AttributeSchema, type BlockSchema } from '../schema';
import { pluginSchemaFor, schemaForKind, type FileKind } from '../kinds';

/**
 * The schema root the features use for a file of `kind`: the jobspec for jobs (as the Nomad version
 * `target` has it; the newest release known without one), the agent / volume / ACL / namespace schemas
 * for those files, undefined for variables files and unknown files.
 */
export function schemaRootFor(kind: FileKind, file?: HclFile, target?: string): BlockSchema | undefined {
  return kind === 'job' ? rootSchema(target) : schemaForKind(kind, file);
}

// ---- block path ------------------------------------------------------------------------------------

/** One level of nesting at a position: the file root or a block whose braces enclose the position. */
export interface Frame {
  /** undefined for the file root and for frames found only by text scanning */
  block: Block | undefined;
  /** undefined when the block is not known to the schema */
  schema: BlockSchema | undefined;
  /** the body (undefined for frames found only by text scanning) */
  body: Body | undefined;
  /** block type ('' for the root) */
  type: string;
}

/** True when `offset` is inside the braces of `b` (an unclosed block extends to its end). */
export function insideBody(b: Block, offset: number): boolean {
  if (!b.openBrace || offset < b.openBrace.end) return false;
  return b.closeBrace ? offset <= b.closeBrace.start : offset <= b.range.end;
}

/** The literal string value of the `driver` attribute of a task body. */
export function driverOf(body: Body | undefined): string | undefined {
  if (!body) return undefined;
  for (const item of body.items) {
    if (item.kind === 'Attribute' && item.name === 'driver') {
      const e = item.expr;
      return (e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined ? e.literal : '';
    }
  }
  return undefined;
}

const dynamicCache = new Map<BlockSchema, BlockSchema>();

/** Schema of a `dynamic "x"` block inside `parent`: for_each / iterator / labels and `content`. */
export function dynamicSchema(parent: BlockSchema, generated: BlockSchema | undefined): BlockSchema {
  const key = generated ?? parent;
  let s = dynamicCache.get(key);
  if (!s) {
    const attrs = new Map<string, AttributeSchema>([
      [
        'for_each',
        {
          name: 'for_each',
          type: 'any',
          required: true,
          description: 'Collection (list, set or map) to generate one block per element from.',
        },
      ],
      [
        'iterator',
        {
          name: 'iterator',
          type: 'any',
          required: false,
          description:
            'Name of the temporary variable holding the current element (defaults to the block type); read its .key and .value.',
        },
      ],
      [
        'labels',
        {
          name: 'labels',
          type: 'list(string)',
          required: false,
          description: 'Labels of each generated block, as expressions over the iterator.',
        },
      ],
    ]);
    const content: BlockSchema | undefined = generated
      ? {
          ...generated,
          name: 'content',
          labels: [],
          multiple: false,
          attributes: generated.attributes,
          blocks: generated.blocks,
        }
      : undefined;
    s = {
      id: 'Dynamic',
      name: 'dynamic',
      labels: ['type'],
      multiple: true,
      attrSyntax: false,
      open: false,
      driverConfig: false,
      requiredAttributes: [],
      description: 'Generates one nested block per element of a collection (for_each); `content` is the body of each.',
      attributes: attrs,
      blocks: new Map(content ? [['content', content]] : []),
    };
    dynamicCache.set(key, s);
  }
  return s;
}

/** Schema of block `block` found in a body described by `parent` (`parentBody` gives the task driver). */
export function childSchema(
  parent: BlockSchema | undefined,
  parentBody: Body | undefined,
  block: Pick<Block, 'type' | 'labels'>,
): BlockSchema | undefined {
  if (!parent) return undefined;
  if (block.type === 'dynamic' && !parent.blocks.has('dynamic') && !(parent.open && !parent.freeform)) {
    const name = block.labels[0]?.value;
    let gen = name !== undefined ? childBlock(parent, name) : undefined;
    if (gen?.driverConfig) gen = driverConfigSchema(driverOf(parentBody) ?? '');
    return dynamicSchema(parent, gen);
  }
  const child = childBlock(parent, block.type);
  if (child?.driverConfig) return driverConfigSchema(driverOf(parentBody) ?? '');
  // an agent's `plugin "docker"`: the label chooses the driver's config schema
  const label = block.labels[0]?.value;
  return (child && label !== undefined ? pluginSchemaFor(child, label) : undefined) ?? child;
}

/**
 * The blocks enclosing `offset`, outermost first; `[0]` is the file root. Uses the syntax tree (which
 * recovers from missing braces) and, when a text scan of the braces finds deeper blocks than the tree
 * (a half-typed header the parser could not make a block of), extends the path with them.
 */
export function blockPath(file: HclFile, offset: number, root: BlockSchema | undefined): Frame[] {
  const frames: Frame[] = [{ block: undefined, schema: root, body: file.body, type: '' }];
  let body = file.body;
  let schema = root;
  for (;;) {
    let next: Block | undefined;
    for (const item of body.items) {
      if (item.range.start > offset) break;
      // the last item starting before the position decides; an unclosed block runs on until the next item
      const open =
        item.kind === 'Block' &&
        (insideBody(item, offset) ||
          (!item.closeBrace && item.openBrace !== undefined && offset >= item.openBrace.end));
      next = open ? (item as Block) : undefined;
    }
    if (!next) break;
    const s = childSchema(schema, body, next);
    frames.push({ block: next, schema: s, body: next.body, type: next.type });
    body = next.body;
    schema = s;
  }
  if (file.errors.length > 0 && file.syntax === 'hcl') {
    const scanned = scanBlockHeaders(file.text, offset);
    if (scanned && scanned.length > frames.length - 1) {
      let same = true;
      for (let i = 0; i < frames.length - 1; i++)
        if (scanned[i]!.type !== frames[i + 1]!.type) {
          same = false;
          break;
        }
      if (same) {
        for (let i = frames.length - 1; i < scanned.length; i++) {
          const h = scanned[i]!;
          const parent = frames[frames.length - 1]!;
          const s = childSchema(parent.schema, parent.body, {
            type: h.type,
            labels: h.labels.map(v => ({ kind: 'BlockLabel', value: v, range: { start: 0, end: 0 }, quoted: true })),
          });
          frames.push({ block: undefined, schema: s, body: undefined, type: h.type });
        }
      }
    }
  }
  return frames;
}

interface Header {
  type: string;
  labels: string[];
}

const HEADER_RE = /^([A-Za-z_][\w-]*)((?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)\s*$/;

/**
 * Block headers whose `{` is open at `offset`, by a light scan of the text (comments, strings and
 * heredocs skipped). Returns undefined when the offset is inside an expression's braces.
 */
export function scanBlockHeaders(text: string, offset: number): Header[] | undefined {
  const stack: (Header | null)[] = [];
  let lineStart = 0;
  const n = Math.min(offset, text.length);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = i + 1;
      continue;
    }
    if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      const e = text.indexOf('\n', i);
      if (e < 0 || e >= n) break;
      i = e - 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0 || e >= n) break;
      i = e + 1;
      continue;
    }
    if (c === 34) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          j += 2;
          continue;
        }
        if (d === 34 || d === 10) break;
        j++;
      }
      if (j >= n) break;
      if (text.charCodeAt(j) === 10) {
        i = j - 1;
        continue;
      }
      i = j;
      continue;
    }
    if (c === 60 && text.charCodeAt(i + 1) === 60) {
      const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        const re = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm');
        re.lastIndex = 0;
        const rest = text.slice(i + m[0].length, n);
        const end = re.exec(rest);
        if (!end) break;
        i = i + m[0].length + end.index + end[0].length - 1;
        continue;
      }
    }
    if (c === 123) {
      const head = text.slice(lineStart, i).trim();
      const m = HEADER_RE.exec(head);
      if (m && !/=\s*$/.test(head)) {
        const labels = [...(m[2] ?? '').matchAll(/"([^"\n]*)"|([A-Za-z_][\w-]*)/g)].map(x => x[1] ?? x[2] ?? '');
        stack.push({ type: m[1]!, labels });
      } else stack.push(null);
    } else if (c === 125) {
      stack.pop();
    }
  }
  const out: Header[] = [];
  for (const h of stack) {
    if (h === null) return out;
    out.push(h);
  }
  return out;
}

// ---- declarations ----------------------------------------------------------------------------------

export interface VariableDecl {
  name: string;
  /** the `variable "x"` block, or the attribute of a `variables` block */
  block?: Block;
  attr?: Attribute;
  /** range of the name: the label (with its quotes) or the attribute name */
  nameRange: Range;
  type?: Expression;
  default?: Expression;
  description?: string;
}

export interface LocalDecl {
  name: string;
  attr: Attribute;
  nameRange: Range;
}

export interface Declarations {
  variables: Map<string, VariableDecl>;
  locals: Map<string, LocalDecl>;
}

const declCache = new WeakMap<HclFile, Declarations>();

/** The input variables and locals a file declares (first declaration wins). Cached per tree. */
export function declarations(file: HclFile): Declarations {
  const cached = declCache.get(file);
  if (cached) return cached;
  const variables = new Map<string, VariableDecl>();
  const locals = new Map<string, LocalDecl>();
  for (const item of file.body.items) {
    if (item.kind !== 'Block') continue;
    if (item.type === 'variable' && item.labels.length > 0) {
      const label = item.labels[0]!;
      if (variables.has(label.value)) continue;
      const d: VariableDecl = { name: label.value, block: item, nameRange: label.range };
      for (const a of item.body.items) {
        if (a.kind !== 'Attribute') continue;
        if (a.name === 'type') d.type = a.expr;
        else if (a.name === 'default') d.default = a.expr;
        else if (a.name === 'description') {
          const e = a.expr;
          if ((e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined) d.description = e.literal;
        }
      }
      variables.set(label.value, d);
    } else if (item.type === 'variables') {
      for (const a of item.body.items) {
        if (a.kind === 'Attribute' && !variables.has(a.name))
          variables.set(a.name, { name: a.name, attr: a, nameRange: a.nameRange, default: a.expr });
      }
    } else if (item.type === 'locals') {
      for (const a of item.body.items) {
        if (a.kind === 'Attribute' && !locals.has(a.name))
          locals.set(a.name, { name: a.name, attr: a, nameRange: a.nameRange });
      }
    }
  }
  const d = { variables, locals };
  declCache.set(file, d);
  return d;
}

export interface Reference {
  kind: 'var' | 'local';
  name: string;
  /** range of the name after `var.` / `local.` (inside the quotes for `var["x"]`) */
  range: Range;
  /** the whole `var.x` */
  fullRange: Range;
}

/** The name part of a `var.x` / `local.x` traversal, if it is one. */
export function referenceOf(node: Node): Reference | undefined {
  if (node.kind !== 'ScopeTraversal' || (node.root !== 'var' && node.root !== 'local')) return undefined;
  const step = node.steps[0];
  if (step?.kind === 'TraverseAttr') {
    return {
      kind: node.root,
      name: step.name,
      range: { start: step.range.end - step.name.length, end: step.range.end },
      fullRange: { start: node.rootRange.start, end: step.range.end },
    };
  }
  if (step?.kind === 'TraverseIndex' && step.key.kind === 'Template' && step.key.literal !== undefined) {
    const k = step.key.range;
    return {
      kind: node.root,
      name: step.key.literal,
      range: { start: k.start + 1, end: k.end - 1 },
      fullRange: { start: node.rootRange.start, end: step.range.end },
    };
  }
  return undefined;
}

const refCache = new WeakMap<HclFile, Reference[]>();

/** Every `var.x` / `local.x` in the file, in source order. Cached per tree. */
export function references(file: HclFile): Reference[] {
  const cached = refCache.get(file);
  if (cached) return cached;
  const out: Reference[] = [];
  const visit = (n: Node): void => {
    const r = referenceOf(n);
    if (r) out.push(r);
    forEachChild(n, visit);
  };
  visit(file.body);
  refCache.set(file, out);
  return out;
}

// ---- ports -------------------------------------------------------------------------------------------

export interface PortDecl {
  label: string;
  range: Range;
  static?: string;
  to?: string;
}

/**
 * Port labels visible from a position: the `network { port "x" {} }` blocks of the enclosing group
 * (and deprecated task-level `resources { network { … } }`); outside any group, every port of the file.
 */
export function portsInScope(file: HclFile, frames: readonly Frame[]): PortDecl[] {
  const group = [...frames].reverse().find(f => f.type === 'group' && f.block)?.block;
  const out: PortDecl[] = [];
  const seen = new Set<string>();
  const collect = (body: Body, depth: number): void => {
    for (const item of body.items) {
      if (item.kind !== 'Block') continue;
      if (item.type === 'port' && item.labels[0]) {
        const label = item.labels[0].value;
        if (seen.has(label)) continue;
        seen.add(label);
        const p: PortDecl = { label, range: item.labels[0].range };
        for (const a of item.body.items) {
          if (a.kind !== 'Attribute') continue;
          const v = a.expr.kind === 'Literal' ? String(a.expr.value) : undefined;
          if (v !== undefined && a.name === 'static') p.static = v;
          if (v !== undefined && a.name === 'to') p.to = v;
        }
        out.push(p);
      } else if (depth < 6 && item.type !== 'config' && item.type !== 'template') collect(item.body, depth + 1);
    }
  };
  collect(group ? group.body : file.body, 0);
  return out;
}

/** Attributes whose string value names a port label of the group network. */
export function isPortReference(schema: BlockSchema | undefined, attr: string): boolean {
  if (!schema) return false;
  if (schema.id.startsWith('driver:')) return attr === 'ports';
  return (
    (attr === 'port' &&
      (schema.id === 'Service' || schema.id === 'ServiceCheck' || schema.id === 'ConsulSidecarService')) ||
    (attr === 'listener_port' && schema.id === 'ConsulExposePath')
  );
}

// ---- expression scanning -------------------------------------------------------------------------------

export interface CallFrame {
  name: string;
  nameStart: number;
  open: number;
  arg: number;
}

export interface ExprState {
  /** inside the literal part of a quoted string or heredoc (not in an interpolation) */
  inString: boolean;
  /** offset where the current literal run starts (after the quote or the closing `}`) */
  stringStart: number;
  /** the open brackets around the position, innermost last: function calls or other brackets */
  stack: (CallFrame | { bracket: '(' | '[' | '{' | '${'; open: number })[];
}

/**
 * A forward scan of expression text from `start` to `end` (e.g. from just after an attribute's `=`
 * to the cursor) that tells whether the end is inside a string and which brackets / calls are open.
 * Tolerates broken input (a newline ends an unterminated quoted string).
 */
export function scanExpression(text: string, start: number, end: number): ExprState {
  type Mode = { m: 'code'; depth: number } | { m: 'string'; quote: boolean; marker?: string };
  const modes: Mode[] = [{ m: 'code', depth: 0 }];
  const stack: ExprState['stack'] = [];
  let stringStart = start;
  let lineStart = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const mode = modes[modes.length - 1]!;
    if (mode.m === 'string') {
      if (c === 10) {
        lineStart = i + 1;
        if (mode.quote) {
          modes.pop();
          continue;
        }
        // heredoc: does the next line close it?
        if (mode.marker) {
          const nl = text.indexOf('\n', i + 1);
          const line = text.slice(i + 1, nl < 0 || nl > end ? end : nl).trim();
          if (line === mode.marker && nl >= 0 && nl <= end) {
            modes.pop();
            i = nl - 1;
            continue;
          }
        }
        continue;
      }
      if (mode.quote && c === 92) {
        i++;
        continue;
      }
      if (mode.quote && c === 34) {
        modes.pop();
        continue;
      }
      if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === 123) {
        if (text.charCodeAt(i - 1) === c && i - 1 >= stringStart) continue; // $${ / %%{ escapes
        modes.push({ m: 'code', depth: 0 });
        stack.push({ bracket: '${', open: i });
        i++;
        continue;
      }
      continue;
    }
    // code
    switch (c) {
      case 10:
        lineStart = i + 1;
        break;
      case 34:
        modes.push({ m: 'string', quote: true });
        stringStart = i + 1;
        break;
      case 35: {
        const e = text.indexOf('\n', i);
        i = e < 0 || e > end ? end : e - 1;
        break;
      }
      case 60:
        if (text.charCodeAt(i + 1) === 60) {
          const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
          if (m) {
            modes.push({ m: 'string', quote: false, marker: m[1]! });
            i += m[0].length - 1;
            stringStart = i + 1;
            lineStart = i + 1;
          }
        }
        break;
      case 40: {
        let j = i - 1;
        while (j >= lineStart && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
        let k = j;
        while (k >= 0 && /[\w-]/.test(text[k]!)) k--;
        const name = text.slice(k + 1, j + 1);
        if (/^[A-Za-z_][\w-]*$/.test(name) && text[k] !== '.') stack.push({ name, nameStart: k + 1, open: i, arg: 0 });
        else stack.push({ bracket: '(', open: i });
        break;
      }
      case 91:
        stack.push({ bracket: '[', open: i });
        break;
      case 123:
        stack.push({ bracket: '{', open: i });
        (mode as { depth: number }).depth++;
        break;
      case 41:
      case 93:
        stack.pop();
        break;
      case 125:
        if ((mode as { depth: number }).depth === 0 && modes.length > 1) {
          modes.pop();
          stack.pop();
          stringStart = i + 1;
        } else {
          (mode as { depth: number }).depth = Math.max(0, (mode as { depth: number }).depth - 1);
          stack.pop();
        }
        break;
      case 44: {
        const top = stack[stack.length - 1];
        if (top && 'name' in top) top.arg++;
        break;
      }
      default:
        break;
    }
  }
  const top = modes[modes.length - 1]!;
  return { inString: top.m === 'string', stringStart, stack };
}

/** The attribute of `body` whose range holds `offset`, if any. */
export function attributeAt(body: Body | undefined, offset: number): Attribute | undefined {
  if (!body) return undefined;
  for (const item of body.items) {
    if (item.range.start > offset) break;
    if (item.kind === 'Attribute' && offset <= item.range.end) return item;
  }
  return undefined;
}

/** The innermost node at `offset` satisfying `pred`, searching the node path of `nodes`. */
export function innermost<T extends Node>(nodes: readonly Node[], pred: (n: Node) => n is T): T | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (pred(n)) return n;
  }
  return undefined;
}

/** Source text of a node. */
export function sourceOf(file: HclFile, r: Range): string {
  return file.text.slice(r.start, r.end);
}
