// Deployment-safety lints: shapes Nomad accepts that make a bad deploy hard to notice or undo (the
// seed's Part 4 complaints: no health check to wait for, no rollback of a bad image).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Block, Body, Expression } from '../hcl';
import { report, type Reporter } from './report';
import { Codes, type LintOptions } from './types';

// Indexed loops over `items`: an empty body's items are the parser's one frozen empty array, and a
// for-of loop that meets it as well as ordinary arrays falls back to allocating an iterator result per step.
export function blocksOf(body: Body, type: string): Block[] {
  const out: Block[] = [];
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'Block' && item.type === type) out.push(item);
  }
  return out;
}

/** the first block of a type (blocksOf(body, type)[0] without the list) */
export function firstBlockOf(body: Body, type: string): Block | undefined {
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'Block' && item.type === type) return item;
  }
  return undefined;
}

export function attrOf(body: Body, name: string): Expression | undefined {
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'Attribute' && item.name === name) return item.expr;
  }
  return undefined;
}

export function literalOf(e: Expression | undefined): string | number | boolean | null | undefined {
  if (!e) return undefined;
  if (e.kind === 'Literal') return e.value;
  if (e.kind === 'Template' || e.kind === 'Heredoc') return e.literal;
  if (e.kind === 'Parens') return literalOf(e.expr);
  return undefined;
}

/** A block or a `dynamic "<type>"` block of that type is present. */
function hasBlock(body: Body, type: string): boolean {
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind !== 'Block') continue;
    if (item.type === type) return true;
    if (item.type === 'dynamic' && item.labels[0]?.value === type) return true;
  }
  return false;
}

/** Every service block of a group (group level and task level). */
export function servicesOfGroup(group: Block): Block[] {
  const out = blocksOf(group.body, 'service');
  for (const t of blocksOf(group.body, 'task')) out.push(...blocksOf(t.body, 'service'));
  return out;
}

export function serviceHasCheck(service: Block): boolean {
  return hasBlock(service.body, 'check');
}

/**
 * The group runs one instance: no count (Nomad's default is 1) or a count that is 1 (a number or a string
 * that holds one), and no scaling block that could change it. A computed count is not known: false.
 */
export function singleInstance(group: Block): boolean {
  if (hasBlock(group.body, 'scaling')) return false;
  const count = attrOf(group.body, 'count');
  if (!count) return true;
  const v = literalOf(count);
  return v === 1 || v === '1';
}

/** the service-without-check lint on the services declared directly in `body` */
function lintServices(r: Reporter, body: Body): void {
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    if (s.kind !== 'Block' || s.type !== 'service' || serviceHasCheck(s)) continue;
    const name = literalOf(attrOf(s.body, 'name'));
    report(
      r,
      s.typeRange,
      DiagnosticSeverity.Warning,
      Codes.serviceWithoutCheck,
      `Service${typeof name === 'string' ? ` "${name}"` : ''} has no check: Nomad cannot tell when it is healthy, so deployments will not wait for it.`,
      { fix: 'insert-check', at: s.typeRange.start },
    );
  }
}

/** lintServices on the tasks declared directly in `body` (an indexed loop: see blocksOf) */
function lintTaskServices(r: Reporter, body: Body): void {
  const items = body.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'Block' && item.type === 'task') lintServices(r, item.body);
  }
}

export function lintJob(r: Reporter, job: Block, opts: LintOptions): void {
  const groups = blocksOf(job.body, 'group');
  if (opts.serviceWithoutCheck) {
    // job-level tasks' services first, then each group's (its own, then its tasks')
    lintTaskServices(r, job.body);
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      lintServices(r, g.body);
      lintTaskServices(r, g.body);
    }
  }
  if (!opts.updateWithoutHealth) return;
  const type = literalOf(attrOf(job.body, 'type'));
  if (type !== undefined && type !== 'service') return;
  if (attrOf(job.body, 'type') && type === undefined) return; // computed type: unknown
  if (job.body.items.some(i => i.kind === 'Block' && i.type === 'periodic')) return;
  const jobUpdate = firstBlockOf(job.body, 'update');
  const reported = new Set<Block>();
  const jobDynamicUpdate = hasBlock(job.body, 'update');
  // (indexed: lintJob runs once per check, mostly before it is optimised, and a for-of loop there
  // allocates an iterator result per group)
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const groupUpdate = firstBlockOf(g.body, 'update');
    if (!jobUpdate && !groupUpdate) {
      if (jobDynamicUpdate || hasBlock(g.body, 'update')) continue; // dynamic update
      const at = g.labels[0]?.range ?? g.typeRange;
      // (without one, Nomad's defaults apply: one allocation at a time, no canary, no auto_revert)
      const name = g.labels[0]?.value ?? '';
      report(
        r,
        at,
        DiagnosticSeverity.Warning,
        Codes.missingUpdate,
        singleInstance(g)
          ? `Group "${name}" has no update block: with a single instance and no canary, Nomad stops the running allocation before its replacement is healthy, and a version that never becomes healthy is not rolled back.`
          : `Group "${name}" has no update block: Nomad's defaults replace the allocations one at a time but never roll back, so a bad version stays until someone reverts it.`,
        { fix: 'insert-update', at: g.typeRange.start },
      );
      continue;
    }
    const get = (name: string): Expression | undefined =>
      (groupUpdate && attrOf(groupUpdate.body, name)) ?? (jobUpdate && attrOf(jobUpdate.body, name));
    const problems: string[] = [];
    const hc = literalOf(get('health_check'));
    if (hc === 'manual') problems.push('health_check is "manual", so Nomad does not judge the new allocations itself');
    const ar = get('auto_revert');
    const arv = literalOf(ar);
    if (!ar || arv === false || arv === 'false')
      problems.push('auto_revert is not set, so a bad image will not be rolled back');
    const mp = literalOf(get('max_parallel'));
    if (mp === 0 || mp === '0') problems.push('max_parallel = 0 turns deployments off');
    const canary = get('canary');
    const cv = canary ? literalOf(canary) : 0;
    if (singleInstance(g) && (cv === 0 || cv === '0'))
      problems.push(
        'with a single instance and no canary, Nomad stops the running allocation before its replacement is healthy, so the service is down during every update',
      );
    if (problems.length === 0) continue;
    const target = groupUpdate ?? jobUpdate!;
    if (reported.has(target)) continue;
    reported.add(target);
    report(
      r,
      target.typeRange,
      DiagnosticSeverity.Warning,
      Codes.updateWithoutHealth,
      `This update block does not make deployments safe: ${problems.join('; ')}.`,
      { fix: 'complete-update', at: target.typeRange.start },
    );
  }
}
