// "Run exactly the plan you saw": check-index only guards the job's modify index, but a plan also goes
// stale when the cluster changes under it (a node drained or made ineligible, capacity taken by another
// job). At Run the job is planned again; these are the differences between the plan shown and the new
// one that matter to what Run would do. Pure: no `vscode` import.
import type { PlanRow, PlanViewModel } from './viewModel';

export interface PlanDifference {
  /** what differs: `group "web": updates`, `group "web": placement`, `job diff`, `warnings`, `change` */
  what: string;
  shown: string;
  now: string;
}

const updatesText = (u: { kind: string; count: number }[] | undefined): string =>
  u && u.length ? u.map(x => `${x.count} ${x.kind}`).join(', ') : 'nothing';

function rowLines(r: PlanRow | undefined, prefix = '', out: string[] = []): string[] {
  if (!r) return out;
  const name = `${prefix}${r.label}`;
  out.push(
    `${r.marker || '='} ${name}${r.old !== undefined || r.new !== undefined ? `: ${r.old ?? ''} => ${r.new ?? ''}` : ''}${r.annotations.length ? ` (${r.annotations.join(', ')})` : ''}`,
  );
  for (const c of r.children) rowLines(c, `${name} › `, out);
  return out;
}

/** Differences between the plan shown and a new plan of the same job file; empty when Run would do
 *  what was shown. The job's modify index is left to check-index; the next periodic launch and the
 *  CLI line are not what the scheduler would do, so they are ignored too. */
export function planDifferences(shown: PlanViewModel, now: PlanViewModel): PlanDifference[] {
  const out: PlanDifference[] = [];
  if (shown.change !== now.change) out.push({ what: 'change', shown: shown.change, now: now.change });
  const groups = new Set([...shown.groupUpdates.map(g => g.group), ...now.groupUpdates.map(g => g.group)]);
  for (const g of [...groups].sort()) {
    const a = updatesText(shown.groupUpdates.find(x => x.group === g)?.updates);
    const b = updatesText(now.groupUpdates.find(x => x.group === g)?.updates);
    if (a !== b) out.push({ what: `group "${g}": updates`, shown: a, now: b });
  }
  const failed = new Set([...shown.failed.map(f => f.group), ...now.failed.map(f => f.group)]);
  for (const g of [...failed].sort()) {
    const a = shown.failed.find(f => f.group === g),
      b = now.failed.find(f => f.group === g);
    const at = a ? `fails to place: ${a.lines.join('; ')}` : 'all placed';
    const bt = b ? `fails to place: ${b.lines.join('; ')}` : 'all placed';
    if (at !== bt) out.push({ what: `group "${g}": placement`, shown: at, now: bt });
  }
  const ra = rowLines(shown.root),
    rb = rowLines(now.root);
  if (ra.join('\n') !== rb.join('\n')) {
    const sa = new Set(ra),
      sb = new Set(rb);
    const gone = ra.filter(l => !sb.has(l)),
      added = rb.filter(l => !sa.has(l));
    out.push({
      what: 'job diff',
      shown: gone.slice(0, 5).join('\n') || '(same rows)',
      now: added.slice(0, 5).join('\n') || '(same rows)',
    });
  }
  const wa = [...shown.warnings].sort().join('\n'),
    wb = [...now.warnings].sort().join('\n');
  if (wa !== wb) out.push({ what: 'warnings', shown: wa || 'none', now: wb || 'none' });
  return out;
}

/** The differences as lines for a confirmation (cluster strings in them were made visible by the view model). */
export function describeDifferences(d: readonly PlanDifference[]): string {
  return d
    .map(x => `• ${x.what}: was ${x.shown.replace(/\n/g, ' | ')} — now ${x.now.replace(/\n/g, ' | ')}`)
    .join('\n');
}
