// Quick fixes for the diagnostics of ../check: pure functions from the document text and a
// diagnostic's `data` (FixData) to text edits. Each fix re-parses the text (cheap), finds its node by
// offset, keeps the file's indentation style, and produces text that parses without new errors.
// Every fix is then judged as the target Nomad version would judge it (options.targetVersion, else the
// newest release known): a fix whose result has an error the original did not have (a `disconnect`
// block for Nomad 1.6.5, say) is not offered, so no fix rewrites a job into a form the target refuses.
//
//   quickFix(text, data, options?): QuickFix | undefined one diagnostic's fix
//   fixAllDeprecations(text, options?): FixAllResult     every deprecation fix, applied in turn
//   applyTextEdits(text, edits): string                 applies LSP text edits (tests, fix-all)
import { DiagnosticSeverity, type TextEdit } from 'vscode-languageserver-types';
import {
  nodeAt,
  parse,
  toLspRange,
  type Attribute,
  type Block,
  type BodyItem,
  type Expression,
  type HclFile,
  type Node,
} from '../hcl';
import { checkFile, type FixData } from '../check';
import { analyzeText, type AnalysisOptions } from '../index';
import { attrOf, blocksOf, literalOf, serviceHasCheck, servicesOfGroup, singleInstance } from '../check/lints';

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** the fix the editor may apply on its own ("preferred") */
  preferred: boolean;
}

/** An edit in string offsets, converted to LSP ranges at the end. */
interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export function quickFix(text: string, data: FixData, options: AnalysisOptions = {}): QuickFix | undefined {
  const fix = buildFix(text, data);
  if (!fix || !acceptedByTarget(text, applyTextEdits(text, fix.edits), options)) return undefined;
  return fix;
}

/** the last text counted (one request judges several fixes of the same text) */
let lastCounted: { text: string; options: AnalysisOptions; counts: Map<string, number> } | undefined;

/** Error diagnostics of a text (syntax, schema, version, the kind's own checks), counted by code. */
function errorCounts(text: string, options: AnalysisOptions): Map<string, number> {
  if (lastCounted && lastCounted.text === text && lastCounted.options === options) return lastCounted.counts;
  const counts = new Map<string, number>();
  for (const d of analyzeText(text, options).diagnostics) {
    if (d.severity !== DiagnosticSeverity.Error) continue;
    const code = String(d.code);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  lastCounted = { text, options, counts };
  return counts;
}

/** The fixed text has no kind of error more often than the original had it (as the target judges both). */
function acceptedByTarget(before: string, after: string, options: AnalysisOptions): boolean {
  const was = errorCounts(before, options);
  for (const [code, n] of errorCounts(after, options)) if (n > (was.get(code) ?? 0)) return false;
  return true;
}

function buildFix(text: string, data: FixData): QuickFix | undefined {
  const file = parse(text);
  const ctx = new EditContext(file);
  let title: string | undefined;
  switch (data.fix) {
    case 'rename': {
      if (data.end === undefined || data.replacement === undefined) return undefined;
      ctx.edits.push({ start: data.at, end: data.end, text: data.replacement });
      title = `Change to ${data.replacement}`;
      break;
    }
    case 'remove-attribute': {
      const item = itemAt(file, data.at);
      if (!item) return undefined;
      ctx.removeItem(item);
      title = `Remove ${item.kind === 'Attribute' ? item.name : item.type}`;
      break;
    }
    case 'docker-port-map-to-network':
    case 'port-map-to-network-to':
    case 'move-network-to-group': {
      const path = blockPath(file, data.at);
      const task = lastOfType(path, 'task');
      const group = lastOfType(path, 'group');
      if (!task || !group || !ctx.migrateTaskNetwork(group, task)) return undefined;
      title =
        data.fix === 'move-network-to-group'
          ? 'Move the network to the group (ports, with "to" from port_map)'
          : 'Replace port_map with group network ports ("to") and the ports list';
      break;
    }
    case 'disconnect-lost-after':
    case 'disconnect-stop-on-client-after':
    case 'disconnect-replace': {
      const item = itemAt(file, data.at);
      const group = lastOfType(blockPath(file, data.at), 'group');
      if (!item || item.kind !== 'Attribute' || !group) return undefined;
      if (!ctx.migrateDisconnect(group, item, data.fix)) return undefined;
      // the disconnect block needs Nomad 1.8 or later: offered, but not as the preferred fix
      title = 'Move to the disconnect block (needs Nomad 1.8 or later)';
      break;
    }
    case 'logs-enabled-to-disabled': {
      const item = itemAt(file, data.at);
      if (!item || item.kind !== 'Attribute') return undefined;
      ctx.edits.push({
        start: item.nameRange.start,
        end: item.range.end,
        text: `disabled = ${negate(file, item.expr)}`,
      });
      title = 'Use disabled (with the opposite value)';
      break;
    }
    case 'insert-check': {
      const path = blockPath(file, data.at);
      const service = lastOfType(path, 'service');
      const owners = [lastOfType(path, 'group'), lastOfType(path, 'job')].filter((b): b is Block => !!b);
      if (!service || !ctx.insertCheck(service, owners)) return undefined;
      title = 'Add a health check to the service';
      break;
    }
    case 'insert-update': {
      const group = lastOfType(blockPath(file, data.at), 'group');
      if (!group || !ctx.insertUpdate(group)) return undefined;
      title = singleInstance(group)
        ? 'Add an update block: a canary keeps the old version serving until the new one is healthy, auto_revert rolls back a failed one'
        : 'Add an update block with health checks and auto_revert';
      break;
    }
    case 'complete-update': {
      const path = blockPath(file, data.at);
      const update = lastOfType(path, 'update');
      const group = lastOfType(path, 'group');
      const job = lastOfType(path, 'job');
      if (!update || !ctx.completeUpdate(update, group ?? job)) return undefined;
      title =
        group && singleInstance(group)
          ? 'Make the update safe: a canary keeps the old version serving until the new one is healthy, auto_revert rolls back a failed one'
          : 'Make the update safe: health checks and auto_revert';
      break;
    }
    default:
      return undefined;
  }
  if (ctx.edits.length === 0 || title === undefined) return undefined;
  return { title, edits: ctx.toTextEdits(), preferred: !title.includes('Nomad 1.8') };
}

export interface FixAllResult {
  /** the whole new text */
  text: string;
  /** one edit replacing the document (empty when nothing changed) */
  edits: TextEdit[];
  /** number of fixes applied */
  applied: number;
}

/**
 * Applies every deprecation quick fix of the file, re-analysing after each (so fixes that touch the
 * same lines compose). Bounded: stops after 200 fixes or when a fix would not change the text.
 */
export function fixAllDeprecations(
  text: string,
  options: AnalysisOptions = {},
  filter: (d: FixData) => boolean = d => d.deprecation === true,
): FixAllResult {
  let cur = text;
  let applied = 0;
  const failed = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const file = parse(cur);
    const diags = checkFile(file, options);
    const next = diags.find(d => {
      const data = d.data as FixData | undefined;
      return data !== undefined && filter(data) && !failed.has(`${data.fix}@${data.at}`);
    });
    if (!next) break;
    const data = next.data as FixData;
    const fix = quickFix(cur, data, options);
    const out = fix ? applyTextEdits(cur, fix.edits) : cur;
    if (out === cur) {
      failed.add(`${data.fix}@${data.at}`);
      continue;
    }
    cur = out;
    applied++;
  }
  if (cur === text) return { text, edits: [], applied: 0 };
  const f = parse(text);
  return { text: cur, edits: [{ range: toLspRange(f, { start: 0, end: text.length }), newText: cur }], applied };
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const file = { text, lineStarts: lineStartsOf(text) };
  const toOffset = (p: { line: number; character: number }): number => {
    if (p.line >= file.lineStarts.length) return text.length;
    return Math.min(file.lineStarts[p.line]! + p.character, text.length);
  };
  const abs = edits.map(e => ({ start: toOffset(e.range.start), end: toOffset(e.range.end), text: e.newText }));
  abs.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

// ---- finding nodes -------------------------------------------------------------------------------------

function lastOfType(path: Block[], type: string): Block | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (path[i]!.type === type) return path[i];
  return undefined;
}

function blockPath(file: HclFile, at: number): Block[] {
  return nodeAt(file, at).filter((n): n is Block => n.kind === 'Block');
}

/** The attribute or block whose name starts at `at`. */
function itemAt(file: HclFile, at: number): BodyItem | undefined {
  const path: Node[] = nodeAt(file, at);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (n.kind === 'Attribute' && n.nameRange.start === at) return n;
    if (n.kind === 'Block' && n.typeRange.start === at) return n;
  }
  return undefined;
}

function negate(file: HclFile, e: Expression): string {
  const v = literalOf(e);
  if (v === true || v === 'true') return 'false';
  if (v === false || v === 'false') return 'true';
  return `!(${file.text.slice(e.range.start, e.range.end)})`;
}

// ---- editing with the file's style ------------------------------------------------------------------

interface PortSpec {
  label: string;
  /** attribute lines of the port body, e.g. `static = 8080`, `to = 3000` */
  attrs: [string, string][];
}

class EditContext {
  readonly edits: OffsetEdit[] = [];
  private readonly text: string;
  private readonly unit: string;

  constructor(private readonly file: HclFile) {
    this.text = file.text;
    this.unit = detectIndentUnit(file.text);
  }

  toTextEdits(): TextEdit[] {
    return this.edits.map(e => ({ range: toLspRange(this.file, { start: e.start, end: e.end }), newText: e.text }));
  }

  private lineStart(offset: number): number {
    const i = this.text.lastIndexOf('\n', offset - 1);
    return i < 0 ? 0 : i + 1;
  }

  /** offset just past the line break that ends the line containing `offset` */
  private lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i < 0 ? this.text.length : i + 1;
  }

  private indentAt(offset: number): string {
    const s = this.lineStart(offset);
    let e = s;
    while (e < this.text.length && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
    return this.text.slice(s, e);
  }

  private lineText(start: number): string {
    const e = this.lineEnd(start);
    return this.text.slice(start, e);
  }

  private isBlank(lineStart: number): boolean {
    return lineStart < this.text.length && this.lineText(lineStart).trim() === '';
  }

  /** Indentation for the items of `block`. */
  private childIndent(block: Block): string {
    const first = block.body.items[0];
    if (first && this.text.slice(this.lineStart(first.range.start), first.range.start).trim() === '')
      return this.indentAt(first.range.start);
    return this.indentAt(block.range.start) + this.unit;
  }

  /** Start of the lines of comments directly above `offset` (no blank line between). */
  private attachedCommentsStart(offset: number): number {
    let start = this.lineStart(offset);
    if (this.text.slice(start, offset).trim() !== '') return offset;
    for (;;) {
      if (start === 0) return start;
      const prev = this.lineStart(start - 1);
      const t = this.text.slice(prev, start).trim();
      if (t.startsWith('#') || t.startsWith('//')) start = prev;
      else return start;
    }
  }

  /** The full-line range of an item, with the comments attached above it and one surplus blank line. */
  private itemLines(
    item: { range: { start: number; end: number } },
    withComments: boolean,
  ): { start: number; end: number } {
    const lineS = this.lineStart(item.range.start);
    const onOwnLine = this.text.slice(lineS, item.range.start).trim() === '';
    const afterEnd = this.lineEnd(item.range.end);
    const restOfLine = this.text.slice(item.range.end, afterEnd).trim();
    if (!onOwnLine || (restOfLine !== '' && !restOfLine.startsWith('#') && !restOfLine.startsWith('//'))) {
      return { start: item.range.start, end: item.range.end };
    }
    let start = withComments ? this.attachedCommentsStart(item.range.start) : lineS;
    let end = afterEnd;
    const prevBlank = start > 0 && this.isBlank(this.lineStart(start - 1));
    const nextLine = end;
    const nextBlank = this.isBlank(nextLine);
    const nextClose = this.text.slice(nextLine, this.lineEnd(nextLine)).trim().startsWith('}');
    if (prevBlank && (nextBlank || nextClose)) start = this.lineStart(start - 1);
    else if (
      nextBlank &&
      start > 0 &&
      this.text
        .slice(this.lineStart(start - 1), start)
        .trim()
        .endsWith('{')
    )
      end = this.lineEnd(nextLine);
    return { start, end };
  }

  removeItem(item: BodyItem, withComments = false): void {
    const r = this.itemLines(item, withComments);
    this.edits.push({ start: r.start, end: r.end, text: '' });
  }

  /** Inserts lines (already indented relative to nothing) at the end of `block`'s body. */
  private appendToBlock(block: Block, lines: string[], separate: boolean): boolean {
    if (!block.closeBrace || !block.openBrace) return false;
    const indent = this.childIndent(block);
    const body = lines.map(l => (l === '' ? '' : indent + l)).join('\n');
    const closeLineStart = this.lineStart(block.closeBrace.start);
    const closeOnOwnLine = this.text.slice(closeLineStart, block.closeBrace.start).trim() === '';
    if (!closeOnOwnLine) {
      // `x {}` or `x { a = 1 }` on one line: rewrite the body
      const inner = this.text.slice(block.openBrace.end, block.closeBrace.start).trim();
      const existing = inner ? `${indent}${inner}\n${separate ? '\n' : ''}` : '';
      this.edits.push({
        start: block.openBrace.end,
        end: block.closeBrace.start,
        text: `\n${existing}${body}\n${this.indentAt(block.range.start)}`,
      });
      return true;
    }
    const hasItems = block.body.items.length > 0;
    const prevBlank = this.isBlank(this.lineStart(Math.max(0, closeLineStart - 1)));
    const sep = separate && hasItems && !prevBlank ? '\n' : '';
    this.edits.push({ start: closeLineStart, end: closeLineStart, text: `${sep}${body}\n` });
    return true;
  }

  /** Inserts lines before `item` (at its line, before its attached comments). */
  private insertBefore(item: BodyItem, lines: string[], blankAfter: boolean): void {
    const at = this.attachedCommentsStart(item.range.start);
    const indent = this.indentAt(item.range.start);
    const body = lines.map(l => (l === '' ? '' : indent + l)).join('\n');
    const prev = at > 0 ? this.text.slice(this.lineStart(at - 1), at).trim() : '';
    const blankBefore = prev !== '' && !prev.endsWith('{');
    this.edits.push({ start: at, end: at, text: `${blankBefore ? '\n' : ''}${body}\n${blankAfter ? '\n' : ''}` });
  }

  private blockLines(type: string, labels: string[], attrs: [string, string][], nested: string[][] = []): string[] {
    const head = `${type}${labels.map(l => ` ${JSON.stringify(l)}`).join('')}`;
    if (attrs.length === 0 && nested.length === 0) return [`${head} {}`];
    const width = Math.max(...attrs.map(a => a[0].length));
    const out = [`${head} {`];
    for (const [k, v] of attrs) out.push(`${this.unit}${k.padEnd(width)} = ${v}`);
    for (const n of nested) for (const l of n) out.push(`${this.unit}${l}`);
    out.push('}');
    return out;
  }

  // ---- network / port_map migration ---------------------------------------------------------------

  /**
   * Moves a task's legacy networking to its group: ports of `resources { network { … } }` and the
   * driver's `port_map` become `port "<label>" { to = N }` in the group network (created before the
   * first task when missing), the docker/podman config lists them in `ports`, and `mbits` is dropped.
   */
  migrateTaskNetwork(group: Block, task: Block): boolean {
    const driver = literalOf(attrOf(task.body, 'driver'));
    const config = blocksOf(task.body, 'config')[0];
    const resources = blocksOf(task.body, 'resources')[0];
    const taskNetworks = resources ? blocksOf(resources.body, 'network') : [];
    const portMapItem = config?.body.items.find(i => (i.kind === 'Block' ? i.type : i.name) === 'port_map');
    const portMap = portMapItem ? this.readPortMap(portMapItem) : new Map<string, string>();
    if (taskNetworks.length === 0 && !portMapItem) return false;

    // the ports the group network must hold
    const specs: PortSpec[] = [];
    const byLabel = new Map<string, PortSpec>();
    const keptNetworkAttrs: [string, string][] = [];
    for (const n of taskNetworks) {
      for (const item of n.body.items) {
        if (item.kind === 'Attribute') {
          if (item.name !== 'mbits' && !keptNetworkAttrs.some(a => a[0] === item.name))
            keptNetworkAttrs.push([item.name, this.src(item.expr)]);
          continue;
        }
        if ((item.type !== 'port' && item.type !== 'reserved_ports') || item.labels.length !== 1) continue;
        const label = item.labels[0]!.value;
        const attrs: [string, string][] = [];
        for (const a of item.body.items) if (a.kind === 'Attribute') attrs.push([a.name, this.src(a.expr)]);
        const spec = { label, attrs };
        if (!byLabel.has(label)) {
          byLabel.set(label, spec);
          specs.push(spec);
        }
      }
    }
    for (const [label, to] of portMap) {
      let spec = byLabel.get(label);
      if (!spec) {
        spec = { label, attrs: [] };
        byLabel.set(label, spec);
        specs.push(spec);
      }
      if (!spec.attrs.some(a => a[0] === 'to')) spec.attrs.push(['to', to]);
    }

    // 1. the group network
    const groupNet = blocksOf(group.body, 'network')[0];
    if (groupNet) {
      const existing = new Map<string, Block>();
      for (const p of blocksOf(groupNet.body, 'port')) if (p.labels.length === 1) existing.set(p.labels[0]!.value, p);
      const add: string[] = [];
      for (const spec of specs) {
        const have = existing.get(spec.label);
        if (!have) {
          add.push(...this.blockLines('port', [spec.label], spec.attrs));
          continue;
        }
        const to = spec.attrs.find(a => a[0] === 'to');
        if (to && !attrOf(have.body, 'to')) this.appendToBlock(have, [`to = ${to[1]}`], false);
      }
      if (add.length > 0 && !this.appendToBlock(groupNet, add, false)) return false;
    } else {
      const nested = specs.map(s => this.blockLines('port', [s.label], s.attrs));
      const lines = this.blockLines('network', [], keptNetworkAttrs, nested);
      const firstTask = group.body.items.find(i => i.kind === 'Block' && i.type === 'task') ?? task;
      this.insertBefore(firstTask, lines, true);
    }

    // 2. the task: no network in resources, port_map replaced by the ports list
    for (const n of taskNetworks) this.removeItem(n, true);
    const wantsPorts = driver === 'docker' || driver === 'podman';
    const labels = specs.map(s => s.label);
    if (wantsPorts && config && labels.length > 0) {
      const portsAttr = config.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === 'ports');
      if (portsAttr) {
        const cur =
          portsAttr.expr.kind === 'Tuple'
            ? portsAttr.expr.items.map(e => literalOf(e)).filter((x): x is string => typeof x === 'string')
            : undefined;
        if (cur) {
          const merged = [...cur, ...labels.filter(l => !cur.includes(l))];
          if (merged.length !== cur.length)
            this.edits.push({
              start: portsAttr.expr.range.start,
              end: portsAttr.expr.range.end,
              text: `[${merged.map(l => JSON.stringify(l)).join(', ')}]`,
            });
        }
        if (portMapItem) this.removeItem(portMapItem, true);
      } else if (portMapItem) {
        const r = this.itemLines(portMapItem, false);
        const indent = this.indentAt(portMapItem.range.start);
        const whole = r.start === this.lineStart(portMapItem.range.start) || r.end !== portMapItem.range.end;
        const line = `ports = [${labels.map(l => JSON.stringify(l)).join(', ')}]`;
        if (whole) {
          // keep the comment lines above port_map only if they are not about port_map
          const s = this.lineStart(portMapItem.range.start);
          this.edits.push({ start: s, end: this.lineEnd(portMapItem.range.end), text: `${indent}${line}\n` });
        } else {
          this.edits.push({ start: portMapItem.range.start, end: portMapItem.range.end, text: line });
        }
      } else {
        this.appendToBlock(config, [`ports = [${labels.map(l => JSON.stringify(l)).join(', ')}]`], false);
      }
    } else if (portMapItem) {
      this.removeItem(portMapItem, true);
    }
    return true;
  }

  private src(e: Expression): string {
    const s = this.text.slice(e.range.start, e.range.end);
    // a quoted number (mbits = "10", to = "3000") becomes a number
    const v = literalOf(e);
    if (typeof v === 'string' && /^\d+$/.test(v)) return v;
    return s;
  }

  private readPortMap(item: BodyItem): Map<string, string> {
    const out = new Map<string, string>();
    const fromObject = (e: Expression): void => {
      if (e.kind !== 'Object') return;
      for (const it of e.items) if (it.keyName !== undefined) out.set(it.keyName, this.src(it.value));
    };
    if (item.kind === 'Block') {
      for (const a of item.body.items) if (a.kind === 'Attribute') out.set(a.name, this.src(a.expr));
    } else if (item.expr.kind === 'Object') fromObject(item.expr);
    else if (item.expr.kind === 'Tuple') for (const e of item.expr.items) fromObject(e);
    return out;
  }

  // ---- disconnect ------------------------------------------------------------------------------------

  migrateDisconnect(group: Block, attr: Attribute, fix: string): boolean {
    const key =
      fix === 'disconnect-lost-after'
        ? 'lost_after'
        : fix === 'disconnect-stop-on-client-after'
          ? 'stop_on_client_after'
          : 'replace';
    const value =
      key === 'replace' ? negate(this.file, attr.expr) : this.text.slice(attr.expr.range.start, attr.expr.range.end);
    const existing = blocksOf(group.body, 'disconnect')[0];
    if (existing) {
      this.removeItem(attr);
      if (!attrOf(existing.body, key)) return this.appendToBlock(existing, [`${key} = ${value}`], false);
      return true;
    }
    const r = this.itemLines(attr, false);
    if (r.end === attr.range.end) return false; // shares its line with something else
    const indent = this.indentAt(attr.range.start);
    const lines = this.blockLines('disconnect', [], [[key, value]])
      .map(l => indent + l)
      .join('\n');
    const s = this.lineStart(attr.range.start);
    this.edits.push({ start: s, end: this.lineEnd(attr.range.end), text: `${lines}\n` });
    return true;
  }

  // ---- lints ------------------------------------------------------------------------------------------

  /**
   * An HTTP check on the service's port; and an update block of its group (or job) that judges health by
   * task states only now waits for the check too (health_check = "checks").
   */
  insertCheck(service: Block, owners: Block[]): boolean {
    const port = attrOf(service.body, 'port');
    if (!port) return false;
    const lines = this.blockLines(
      'check',
      [],
      [
        ['type', '"http"'],
        ['path', '"/health"'],
        ['interval', '"10s"'],
        ['timeout', '"2s"'],
      ],
    );
    if (!this.appendToBlock(service, lines, true)) return false;
    // the nearest update block decides (the group's, else the job's)
    for (const owner of owners) {
      const update = blocksOf(owner.body, 'update')[0];
      if (!update) continue;
      const hc = update.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === 'health_check');
      if (hc && literalOf(hc.expr) === 'task_states')
        this.edits.push({ start: hc.expr.range.start, end: hc.expr.range.end, text: '"checks"' });
      break;
    }
    return true;
  }

  insertUpdate(group: Block): boolean {
    const healthCheck = servicesOfGroup(group).some(serviceHasCheck) ? 'checks' : 'task_states';
    const lines = this.blockLines('update', [], updateAttrs(healthCheck, singleInstance(group)));
    const firstBlock = group.body.items.find(i => i.kind === 'Block');
    if (firstBlock) {
      this.insertBefore(firstBlock, lines, true);
      return true;
    }
    return this.appendToBlock(group, lines, true);
  }

  completeUpdate(update: Block, owner: Block | undefined): boolean {
    const hasChecks = owner
      ? (owner.type === 'group' ? servicesOfGroup(owner) : blocksOf(owner.body, 'group').flatMap(servicesOfGroup)).some(
          serviceHasCheck,
        )
      : false;
    const add: string[] = [];
    const set = (name: string, value: string, bad: (v: unknown) => boolean): void => {
      const a = update.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === name);
      if (!a) {
        add.push(`${name} = ${value}`);
        return;
      }
      if (bad(literalOf(a.expr))) this.edits.push({ start: a.expr.range.start, end: a.expr.range.end, text: value });
    };
    set('auto_revert', 'true', v => v !== true && v !== 'true');
    const hc = update.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === 'health_check');
    if (hc && literalOf(hc.expr) === 'manual')
      this.edits.push({
        start: hc.expr.range.start,
        end: hc.expr.range.end,
        text: hasChecks ? '"checks"' : '"task_states"',
      });
    const mp = update.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === 'max_parallel');
    if (mp && (literalOf(mp.expr) === 0 || literalOf(mp.expr) === '0'))
      this.edits.push({ start: mp.expr.range.start, end: mp.expr.range.end, text: '1' });
    // a single instance (the group's, or every group's for a job-level block) keeps serving through a canary,
    // promoted once healthy; without a progress deadline the first unhealthy one fails the deployment at once
    // (see updateAttrs)
    const groups = owner ? (owner.type === 'group' ? [owner] : blocksOf(owner.body, 'group')) : [];
    if (groups.length > 0 && groups.every(singleInstance)) {
      const zero = (v: unknown) => v === 0 || v === '0';
      const canary = update.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === 'canary');
      if (!canary || zero(literalOf(canary.expr))) {
        set('canary', '1', zero);
        set('auto_promote', 'true', v => v !== true && v !== 'true');
        if (!update.body.items.some(i => i.kind === 'Attribute' && i.name === 'progress_deadline'))
          add.push('progress_deadline = "0s"');
      }
    }
    if (add.length > 0 && !this.appendToBlock(update, add, false)) return false;
    return this.edits.length > 0;
  }
}

/**
 * The update block of the deployment-safety fix. For a single instance the old allocation has to keep
 * serving until the new one is healthy, which takes a canary (promoted by itself once healthy) and
 * progress_deadline = 0: with a progress deadline Nomad replaces a failed canary again and again (the
 * group's reschedule policy) and fails the deployment only when the deadline passes (10 minutes by
 * default); with 0 the first unhealthy allocation fails it, and auto_revert rolls back at once. Measured
 * on Nomad 1.6.5 with a Docker image tag that does not exist: reverted after ~21 s (the healthy deadline,
 * shortened to 20 s) instead of at the 40 s progress deadline; rescheduling stays on for the running job.
 */
function updateAttrs(healthCheck: string, single: boolean): [string, string][] {
  return [
    ['max_parallel', '1'],
    ...(single
      ? ([
          ['canary', '1'],
          ['auto_promote', 'true'],
        ] as [string, string][])
      : []),
    ['health_check', JSON.stringify(healthCheck)],
    ['min_healthy_time', '"10s"'],
    ['healthy_deadline', '"5m"'],
    ['progress_deadline', single ? '"0s"' : '"10m"'],
    ['auto_revert', 'true'],
  ];
}

/** The file's indentation unit: the step between a `{` line and the next line, else two spaces. */
function detectIndentUnit(text: string): string {
  const re = /\{[ \t]*\r?\n([ \t]*)\S/g;
  let m: RegExpExecArray | null;
  let tries = 0;
  while ((m = re.exec(text)) && tries++ < 50) {
    const lineS = text.lastIndexOf('\n', m.index) + 1;
    let parent = '';
    for (let i = lineS; i < m.index && (text[i] === ' ' || text[i] === '\t'); i++) parent += text[i];
    const child = m[1]!;
    if (child.length > parent.length && child.startsWith(parent)) return child.slice(parent.length);
  }
  return '  ';
}
