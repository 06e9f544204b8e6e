// Outline and folding. Document symbols are hierarchical: job → groups → tasks → services → checks,
// plus networks and their ports, volumes, variables and locals. Folding ranges cover multi-line blocks,
// heredocs, multi-line tuples/objects, block comments and runs of line comments. Pure: no `vscode`.
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import { forEachChild, lineOf, toLspRange, type Block, type Body, type HclFile, type Node } from '../hcl';

const KINDS: Record<string, SymbolKind> = {
  job: SymbolKind.Module,
  group: SymbolKind.Namespace,
  task: SymbolKind.Class,
  service: SymbolKind.Interface,
  check: SymbolKind.Event,
  network: SymbolKind.Package,
  port: SymbolKind.Number,
  variable: SymbolKind.Variable,
  locals: SymbolKind.Namespace,
  volume: SymbolKind.Struct,
  volume_mount: SymbolKind.Struct,
  template: SymbolKind.File,
  artifact: SymbolKind.File,
  config: SymbolKind.Object,
  update: SymbolKind.Object,
  restart: SymbolKind.Object,
  resources: SymbolKind.Object,
  scaling: SymbolKind.Object,
  periodic: SymbolKind.Object,
  parameterized: SymbolKind.Object,
  constraint: SymbolKind.Object,
  affinity: SymbolKind.Object,
  spread: SymbolKind.Object,
  lifecycle: SymbolKind.Object,
  sidecar_task: SymbolKind.Class,
  connect: SymbolKind.Object,
  sidecar_service: SymbolKind.Interface,
  dynamic: SymbolKind.Array,
};

/** Blocks shown in the outline (others are only reachable through their parents' ranges). */
const SHOWN: ReadonlySet<string> = new Set([
  'job',
  'group',
  'task',
  'service',
  'check',
  'network',
  'port',
  'variable',
  'locals',
  'volume',
  'dynamic',
  'sidecar_task',
  'sidecar_service',
  'connect',
]);

function literalAttr(body: Body, name: string): string | undefined {
  for (const i of body.items) {
    if (i.kind === 'Attribute' && i.name === name) {
      const e = i.expr;
      if (e.kind === 'Literal') return String(e.value);
      if ((e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined) return e.literal;
      return undefined;
    }
  }
  return undefined;
}

function detailOf(b: Block): string | undefined {
  switch (b.type) {
    case 'task': {
      const d = literalAttr(b.body, 'driver');
      return d ? `task · ${d}` : 'task';
    }
    case 'group': {
      const c = literalAttr(b.body, 'count');
      return c ? `group · count ${c}` : 'group';
    }
    case 'job': {
      const t = literalAttr(b.body, 'type');
      return t ? `job · ${t}` : 'job';
    }
    case 'service': {
      const p = literalAttr(b.body, 'port');
      return p ? `service · port ${p}` : 'service';
    }
    case 'check': {
      const t = literalAttr(b.body, 'type');
      return t ? `check · ${t}` : 'check';
    }
    case 'port': {
      const s = literalAttr(b.body, 'static');
      const t = literalAttr(b.body, 'to');
      return ['port', s ? `static ${s}` : '', t ? `to ${t}` : ''].filter(Boolean).join(' · ');
    }
    case 'variable': {
      const d = literalAttr(b.body, 'description');
      return d ? `variable · ${d.length > 50 ? `${d.slice(0, 47)}…` : d}` : 'variable';
    }
    default:
      return b.type;
  }
}

function nameOf(b: Block): string {
  if (b.type === 'service') {
    const n = literalAttr(b.body, 'name');
    if (n) return n;
  }
  if (b.type === 'check') {
    const n = literalAttr(b.body, 'name');
    if (n) return n;
  }
  const label = b.labels.map(l => l.value).join(' ');
  return label || b.type;
}

/** Hierarchical document symbols of a file (any kind: unknown blocks are shown when they have labels). */
export function documentSymbols(file: HclFile): DocumentSymbol[] {
  const visit = (body: Body, depth: number): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    for (const item of body.items) {
      if (item.kind === 'Attribute') continue;
      const children = depth < 12 ? visit(item.body, depth + 1) : [];
      if (item.type === 'locals') {
        for (const a of item.body.items) {
          if (a.kind !== 'Attribute') continue;
          children.push({
            name: a.name,
            kind: SymbolKind.Constant,
            range: toLspRange(file, a.range),
            selectionRange: toLspRange(file, a.nameRange),
            detail: 'local',
          });
        }
      } else if (item.type === 'variables') {
        for (const a of item.body.items) {
          if (a.kind !== 'Attribute') continue;
          children.push({
            name: a.name,
            kind: SymbolKind.Variable,
            range: toLspRange(file, a.range),
            selectionRange: toLspRange(file, a.nameRange),
            detail: 'variable',
          });
        }
      }
      const shown = SHOWN.has(item.type) || item.type === 'variables' || (depth === 0 && item.labels.length > 0);
      if (!shown) {
        out.push(...children);
        continue;
      }
      const sel = item.labels[0]?.range ?? item.typeRange;
      const sym: DocumentSymbol = {
        name: nameOf(item) || item.type,
        kind: KINDS[item.type] ?? SymbolKind.Object,
        range: toLspRange(file, item.range),
        selectionRange: toLspRange(file, {
          start: Math.max(item.range.start, sel.start),
          end: Math.min(item.range.end, sel.end),
        }),
        children,
      };
      const detail = detailOf(item);
      if (detail) sym.detail = detail;
      out.push(sym);
    }
    return out;
  };
  return visit(file.body, 0);
}

// ---- folding -------------------------------------------------------------------------------------------

/** Folding ranges: blocks, heredocs, multi-line tuples/objects/calls, block comments, comment runs. */
export function foldingRanges(file: HclFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  const ls = file.lineStarts;
  const line = (off: number): number => lineOf(ls, off);
  const add = (startOff: number, endOff: number, kind?: FoldingRangeKind, endIsClosing = true): void => {
    const s = line(startOff);
    let e = line(endOff);
    if (endIsClosing) e -= 1; // keep the closing `}` / `]` / marker visible
    if (e > s) out.push(kind ? { startLine: s, endLine: e, kind } : { startLine: s, endLine: e });
  };
  const visit = (n: Node): void => {
    switch (n.kind) {
      case 'Block': {
        if (n.openBrace)
          add(
            n.openBrace.start,
            n.closeBrace ? n.closeBrace.start : n.range.end,
            undefined,
            n.closeBrace !== undefined,
          );
        break;
      }
      case 'Heredoc':
        add(n.range.start, n.range.end, undefined, true);
        break;
      case 'Tuple':
      case 'Object':
      case 'FunctionCall':
      case 'For':
        add(n.range.start, n.range.end - 1);
        break;
      default:
        break;
    }
    if (isExpressionLeaf(n)) return;
    forEachChild(n, visit);
  };
  visit(file.body);
  // comments: block comments and runs of consecutive line comments
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runStart >= 0 && runEnd > runStart)
      out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = -1;
  };
  for (const c of file.comments) {
    if (c.style === '/*') {
      flush();
      const s = line(c.range.start);
      const e = line(c.range.end);
      if (e > s) out.push({ startLine: s, endLine: e, kind: FoldingRangeKind.Comment });
      continue;
    }
    const l = line(c.range.start);
    const alone = /^[ \t]*$/.test(file.text.slice(ls[l]!, c.range.start));
    if (!alone) {
      flush();
      continue;
    }
    if (runStart >= 0 && l === runEnd + 1) runEnd = l;
    else {
      flush();
      runStart = l;
      runEnd = l;
    }
  }
  flush();
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}

function isExpressionLeaf(n: Node): boolean {
  return n.kind === 'Literal' || n.kind === 'TemplateLiteral' || n.kind === 'BlockLabel' || n.kind === 'Invalid';
}
