// Completion and hover from the cluster snapshot: the values the cluster really has for `datacenters`,
// `node_pool`, `namespace`, `driver` (healthy first), a constraint's or affinity's `attribute`
// (`${attr.…}`, `${meta.…}`, `${node.…}` as the nodes report them) and `value` (the values observed for
// that attribute), a volume's `source` (host volumes, or CSI volumes for `type = "csi"`) and
// `node_class`; hover on those values says what the cluster has. Labels, details and hovers carry cluster
// strings only through src/untrusted/shown.ts. Nothing without a snapshot. Pure.
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover } from 'vscode-languageserver-types';
import { toLspRange, type Attribute, type Body, type HclFile, type Range } from '../hcl';
import type { ClusterSnapshot } from '../../shared/clusterSnapshot';
import { codeSpan, joinMarkdown, md, markdownText, plain, plainText, type SafeMarkdown } from '../../untrusted/shown';
import { attributeAt, blockPath } from '../features/context';
import { runtimeString } from './job';
import { freshness, plural, viewOf, type ClusterView } from './view';

interface Site {
  file: HclFile;
  /** the attribute whose value the position is in */
  name: string;
  /** the block type holding it ('job', 'task', 'constraint' …) */
  block: string;
  body: Body | undefined;
  /** the text of the value typed so far (inside its quotes), and where it starts */
  typed: string;
  start: number;
  /** in quotes already */
  quoted: boolean;
}

const lineStart = (t: string, o: number) => {
  let i = o;
  while (i > 0 && t[i - 1] !== '\n') i--;
  return i;
};

function siteAt(file: HclFile, offset: number): Site | undefined {
  const frames = blockPath(file, offset, undefined);
  const frame = frames[frames.length - 1]!;
  const ls = lineStart(file.text, offset);
  const before = file.text.slice(ls, offset);
  const m = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.*)$/.exec(before);
  if (!m) return undefined;
  const value = m[2]!;
  // inside a string: after an odd number of quotes
  const quotes = (value.match(/(?<!\\)"/g) ?? []).length;
  const quoted = quotes % 2 === 1;
  const typed = quoted ? value.slice(value.lastIndexOf('"') + 1) : /[\w.${}-]*$/.exec(value)![0];
  if (typed.includes('${') && m[1] !== 'attribute') return undefined;
  return { file, name: m[1]!, block: frame.type, body: frame.body, typed, start: offset - typed.length, quoted };
}

function sibling(file: HclFile, body: Body | undefined, name: string): string | undefined {
  const a = body?.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === name);
  return a ? runtimeString(file.text, a.expr) : undefined;
}

/**
 * Observed values, the most common first, then by value: an order of what the cluster has, not of when the
 * index saw it (an index carried over by deltas and one built from scratch say the same).
 */
const byCount = (m: Map<string, number>): Array<[string, number]> =>
  [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

interface Choice {
  value: string;
  detail: string;
  rank: number;
}

function choicesFor(site: Site, view: ClusterView): Choice[] | undefined {
  const s = view.snapshot;
  const n = (k: number) => plural(k, 'node');
  switch (site.name) {
    case 'datacenters':
      if (site.block !== 'job' || !s.nodes) return undefined;
      return [...view.datacenters.entries()].map(([dc, nodes]) => ({
        value: dc,
        detail: `${n(nodes.length)}, ${nodes.filter(x => x.status === 'ready').length} ready`,
        rank: -nodes.length,
      }));
    case 'node_pool':
      if (site.block !== 'job') return undefined;
      return [...view.pools.entries()].map(([p, k]) => ({
        value: p,
        detail: p === 'all' ? 'every node' : n(k),
        rank: -k,
      }));
    case 'namespace':
      if (site.block !== 'job' || !s.namespaces) return undefined;
      return s.namespaces.map(ns => ({ value: ns, detail: 'namespace', rank: ns === 'default' ? 0 : 1 }));
    case 'driver':
      if (site.block !== 'task' || !s.nodes) return undefined;
      return [...view.drivers.entries()].map(([d, t]) => ({
        value: d,
        detail: t.healthy
          ? `healthy on ${n(t.healthy)}`
          : t.detected
            ? `detected on ${n(t.detected)}, healthy on none`
            : 'not detected',
        // healthy drivers first, the most widely healthy on top
        rank: t.healthy ? -t.healthy : 1_000_000 - t.detected,
      }));
    case 'node_class':
      return [...view.classes.entries()].map(([c, k]) => ({ value: c, detail: n(k), rank: -k }));
    case 'attribute':
      if (site.block !== 'constraint' && site.block !== 'affinity' && site.block !== 'spread') return undefined;
      return [...view.targets.entries()].map(([k, t]) => ({
        value: `\${${k}}`,
        detail: `${n(t.nodes)}${
          t.values.size <= 3
            ? `: ${byCount(t.values)
                .map(([v]) => v)
                .join(', ')}`
            : `, ${t.values.size} values`
        }`,
        rank: k.startsWith('node.') ? 0 : k.startsWith('meta.') ? 1 : 2,
      }));
    case 'value': {
      if (site.block !== 'constraint' && site.block !== 'affinity') return undefined;
      const attr = sibling(site.file, site.body, 'attribute');
      const m = attr ? /^\$\{(.+)\}$/.exec(attr) : null;
      const t = m ? view.targets.get(m[1]!) : undefined;
      if (!t) return undefined;
      return [...t.values.entries()].map(([v, k]) => ({ value: v, detail: `on ${n(k)}`, rank: -k }));
    }
    case 'source': {
      if (site.block !== 'volume') return undefined;
      if (sibling(site.file, site.body, 'type') === 'csi')
        return s.csiVolumes?.map(v => ({
          value: v.id,
          detail: `CSI, plugin ${v.plugin}, namespace ${v.namespace}`,
          rank: 0,
        }));
      if (!s.nodes) return undefined;
      return [...view.hostVolumes.entries()].map(([hv, k]) => ({
        value: hv,
        detail: `host volume on ${n(k)}`,
        rank: -k,
      }));
    }
    default:
      return undefined;
  }
}

/** Completion items from the cluster at `offset` (empty when the position is not one of ours). */
export function clusterCompletions(
  file: HclFile,
  offset: number,
  snapshot: ClusterSnapshot | null | undefined,
): CompletionItem[] {
  if (!snapshot) return [];
  const site = siteAt(file, offset);
  if (!site) return [];
  const view = viewOf(snapshot);
  const choices = choicesFor(site, view);
  if (!choices) return [];
  const range = toLspRange(file, {
    start: site.start,
    end: offset + (/^[\w.${}-]*/.exec(file.text.slice(offset))?.[0].length ?? 0),
  });
  const from = plainText(freshness(snapshot, Date.now()));
  const sorted = [...choices].sort((a, b) => a.rank - b.rank || (a.value < b.value ? -1 : 1));
  return sorted.map((c, i) => ({
    label: plainText(c.value),
    kind: CompletionItemKind.Value,
    detail: plain`${c.detail} (${from})`,
    sortText: `!${String(i).padStart(5, '0')}`,
    filterText: c.value,
    textEdit: { range, newText: site.quoted ? c.value : `"${c.value}"` },
  }));
}

// ---- hover -----------------------------------------------------------------------------------------

/** The string literal under `offset` and the attribute (and block) it is the value of. */
function literalAt(
  file: HclFile,
  offset: number,
): { value: string; range: Range; name: string; block: string; body: Body | undefined } | undefined {
  const frames = blockPath(file, offset, undefined);
  const frame = frames[frames.length - 1]!;
  const a = attributeAt(frame.body, offset);
  if (!a || offset < a.expr.range.start) return undefined;
  const items = a.expr.kind === 'Tuple' ? a.expr.items : [a.expr];
  for (const e of items) {
    if (offset < e.range.start || offset > e.range.end) continue;
    const v = runtimeString(file.text, e);
    if (typeof v === 'string') return { value: v, range: e.range, name: a.name, block: frame.type, body: frame.body };
  }
  return undefined;
}

function driverLine(view: ClusterView, nodes: ClusterView['nodes']): SafeMarkdown | undefined {
  const healthy = new Map<string, number>();
  for (const x of nodes)
    for (const [d, i] of Object.entries(x.drivers)) if (i.healthy) healthy.set(d, (healthy.get(d) ?? 0) + 1);
  if (!healthy.size) return undefined;
  void view;
  return markdownText(
    `healthy drivers: ${byCount(healthy)
      .map(([d, k]) => `${d} on ${k}`)
      .join(', ')}`,
  );
}

export function clusterHover(
  file: HclFile,
  offset: number,
  snapshot: ClusterSnapshot | null | undefined,
): Hover | undefined {
  if (!snapshot) return undefined;
  const lit = literalAt(file, offset);
  if (!lit) return undefined;
  const view = viewOf(snapshot);
  const from = markdownText(`(${freshness(snapshot, Date.now())})`);
  const n = (k: number) => plural(k, 'node');
  let lines: Array<SafeMarkdown | undefined> | undefined;
  if (lit.name === 'datacenters' && lit.block === 'job' && snapshot.nodes) {
    const nodes = view.datacenters.get(lit.value) ?? [];
    lines = nodes.length
      ? [
          md`${codeSpan(lit.value)}: ${markdownText(`${n(nodes.length)}, ${nodes.filter(x => x.status === 'ready').length} ready`)}`,
          driverLine(view, nodes),
        ]
      : [md`${codeSpan(lit.value)}: ${markdownText('no node of the cluster is in this datacenter')}`];
  } else if (lit.name === 'driver' && lit.block === 'task' && snapshot.nodes) {
    const t = view.drivers.get(lit.value);
    lines = [
      md`${codeSpan(lit.value)}: ${markdownText(t ? `healthy on ${t.healthy} of ${n(view.nodes.length)}${t.detected > t.healthy ? `, detected but unhealthy on ${t.detected - t.healthy}` : ''}` : `on none of ${n(view.nodes.length)}`)}`,
    ];
  } else if (
    lit.name === 'attribute' &&
    (lit.block === 'constraint' || lit.block === 'affinity' || lit.block === 'spread')
  ) {
    const m = /^\$\{(.+)\}$/.exec(lit.value);
    const t = m ? view.targets.get(m[1]!) : undefined;
    if (!m) return undefined;
    lines = t
      ? [
          md`${codeSpan(lit.value)}: ${markdownText(`reported by ${t.nodes} of ${n(view.nodes.length)}`)}`,
          markdownText(
            `values: ${byCount(t.values)
              .slice(0, 8)
              .map(([v, k]) => `${v} (${k})`)
              .join(', ')}${t.values.size > 8 ? ` and ${t.values.size - 8} more` : ''}`,
          ),
        ]
      : [md`${codeSpan(lit.value)}: ${markdownText(`no node reports it (of ${n(view.nodes.length)})`)}`];
  } else if (lit.name === 'source' && lit.block === 'volume') {
    if (sibling(file, lit.body, 'type') === 'csi') {
      const v = snapshot.csiVolumes?.filter(x => x.id === lit.value);
      if (!snapshot.csiVolumes) return undefined;
      lines = [
        md`${codeSpan(lit.value)}: ${markdownText(v?.length ? `CSI volume, plugin ${v[0]!.plugin}, namespace ${v.map(x => x.namespace).join(', ')}` : 'the cluster has no CSI volume of this ID')}`,
      ];
    } else if (snapshot.nodes) {
      const on = view.nodes.filter(x => Object.hasOwn(x.hostVolumes, lit.value));
      lines = [
        md`${codeSpan(lit.value)}: ${markdownText(
          on.length
            ? `host volume on ${n(on.length)}: ${on
                .slice(0, 6)
                .map(x => x.name)
                .join(', ')}${on.length > 6 ? ' …' : ''}`
            : 'no node has this host volume',
        )}`,
      ];
    }
  }
  if (!lines) return undefined;
  return {
    contents: { kind: MarkupKind.Markdown, value: joinMarkdown([...lines, from], '\n\n') },
    range: toLspRange(file, lit.range),
  };
}

// ---- merging with the schema's answers (what the server's handlers call) -------------------------------

/** The schema's completion list with the cluster's items first (a label the cluster offers is not repeated). */
export function withClusterItems<T extends { items: CompletionItem[] } | null | undefined>(
  list: T,
  cluster: readonly CompletionItem[],
): T {
  if (!cluster.length || !list) return list;
  const ours = new Set(cluster.map(i => i.filterText ?? i.label));
  return { ...list, items: [...cluster, ...list.items.filter(i => !ours.has(i.label))] };
}

/** On a value the cluster knows (a datacenter, a driver, an attribute, a volume) what the cluster has;
 *  elsewhere the schema's hover. (The schema's Markdown and ours are not joined: each is SafeMarkdown on
 *  its own, and the gate has no join for a string the LSP types leave untyped.) */
export function withClusterHover(schema: Hover | undefined, cluster: Hover | undefined): Hover | undefined {
  return cluster ?? schema;
}
