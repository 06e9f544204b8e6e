// Checks of a job against the cluster snapshot, as warnings labelled with the cluster and the data's age
// ("cluster dev, read 12 s ago"). They follow the scheduler's order of feasibility: nodes in the job's
// datacenters and node pool that are ready and eligible, then per group the drivers its tasks need, the
// constraints of job, group and task (each says how many of those nodes it filters, as `nomad plan` does),
// the host volumes, and last the resources. No snapshot, or a part of it missing, says nothing; a value
// written as an expression is not judged. Pure.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { toLspRange, type HclFile, type Range } from '../hcl';
import type { ClusterSnapshot, SnapshotNode } from '../../shared/clusterSnapshot';
import { plain, plainText, type Shown } from '../../untrusted/shown';
import { jobFacts, type JobConstraint, type JobFacts, type JobGroup } from './job';
import { constraintText, nodeSatisfies, resolveTarget } from './constraints';
import { dcMatches, freshness, plural, schedulable, viewOf } from './view';
import { templateClusterFindings } from '../template/cluster';

export const ClusterCodes = {
  noDatacenter: 'cluster-no-datacenter',
  noNodePool: 'cluster-no-node-pool',
  noReadyNode: 'cluster-no-ready-node',
  noDriver: 'cluster-no-driver',
  constraint: 'cluster-constraint',
  constraints: 'cluster-constraints',
  resources: 'cluster-resources',
  hostVolume: 'cluster-host-volume',
  distinct: 'cluster-distinct',
  csiVolume: 'cluster-csi-volume',
  variable: 'cluster-variable',
  service: 'cluster-service',
} as const;

export const CLUSTER_SOURCE = 'Nomad (cluster)';

export interface ClusterFinding {
  range: Range;
  code: string;
  message: Shown;
}

const DEFAULT_CPU = 100,
  DEFAULT_MEMORY = 300,
  DEFAULT_DISK = 300;

function list(xs: readonly string[], max = 4): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

/** The findings (without the label) of a job against the snapshot. */
export function clusterFindings(file: HclFile, snapshot: ClusterSnapshot): ClusterFinding[] {
  const job = jobFacts(file);
  if (!job) return [];
  const out: ClusterFinding[] = [];
  if (snapshot.nodes) nodeFindings(job, snapshot, out);
  out.push(...templateClusterFindings(file, job, snapshot));
  if (snapshot.csiVolumes) {
    const ns = job.namespace?.value ?? snapshot.defaultNamespace ?? 'default';
    if (!job.namespaceUnknown) {
      for (const g of job.groups)
        for (const v of g.volumes) {
          if (v.type !== 'csi' || !v.source) continue;
          if (!snapshot.csiVolumes.some(c => c.id === v.source!.value && c.namespace === ns)) {
            out.push({
              range: v.source.range,
              code: ClusterCodes.csiVolume,
              message: plain`The cluster has no CSI volume ${v.source.value} in namespace ${ns}${snapshot.csiVolumes.length ? plain` (it has ${list(snapshot.csiVolumes.filter(c => c.namespace === ns).map(c => c.id))})` : plain``}.`,
            });
          }
        }
    }
  }
  return out;
}

function nodeFindings(job: JobFacts, snapshot: ClusterSnapshot, out: ClusterFinding[]): void {
  const view = viewOf(snapshot);
  if (job.datacentersUnknown || job.nodePoolUnknown) return;
  const dcs = job.datacenters?.value ?? ['*'];
  const pool = job.nodePool?.value ?? 'default';
  const where = job.datacenters?.range ?? job.range;
  const inDc = view.nodes.filter(n => dcs.some(p => dcMatches(p, n.datacenter)));
  const known = [...view.datacenters.keys()].sort();
  if (!inDc.length) {
    out.push({
      range: where,
      code: ClusterCodes.noDatacenter,
      message: plain`No node of the cluster is in ${dcs.length === 1 ? 'datacenter' : 'datacenters'} ${list(dcs)}${known.length ? plain`: it has ${list(known.map(d => `${d} (${plural(view.datacenters.get(d)!.length, 'node')})`))}` : plain`: it has no nodes`}.`,
    });
    return;
  }
  if (snapshot.nodePools && pool !== 'all' && !snapshot.nodePools.includes(pool)) {
    out.push({
      range: job.nodePool?.range ?? job.range,
      code: ClusterCodes.noNodePool,
      message: plain`The cluster has no node pool ${pool} (it has ${list(snapshot.nodePools)}).`,
    });
    return;
  }
  const inPool = pool === 'all' ? inDc : inDc.filter(n => n.nodePool === pool);
  if (!inPool.length) {
    const pools = [...new Set(inDc.map(n => n.nodePool))].sort();
    out.push({
      range: job.nodePool?.range ?? where,
      code: ClusterCodes.noNodePool,
      message: plain`No node of ${list(dcs)} is in node pool ${pool} (their pools: ${list(pools)}).`,
    });
    return;
  }
  const ready = inPool.filter(schedulable);
  if (!ready.length) {
    const why = [
      ...new Set(inPool.map(n => (n.status !== 'ready' ? n.status : n.drain ? 'draining' : 'ineligible'))),
    ].sort();
    out.push({
      range: where,
      code: ClusterCodes.noReadyNode,
      message: plain`No node of ${list(dcs)} in pool ${pool} can take work now: ${plural(inPool.length, 'node')}, ${list(why)}.`,
    });
    return;
  }
  const left = job.groups.map(g => groupFindings(job, g, ready, out));
  jobDistinctFindings(job, left, out);
}

/** The group's findings; returns the nodes that can take its allocations as far as the checks tell
 *  (before resources), undefined when a finding was made or something could not be judged. */
function groupFindings(
  job: JobFacts,
  g: JobGroup,
  ready: SnapshotNode[],
  out: ClusterFinding[],
): SnapshotNode[] | undefined {
  let candidates = ready;
  // drivers
  for (const t of g.tasks) {
    if (!t.driver) continue;
    const d = t.driver.value;
    const withIt = candidates.filter(n => n.drivers[d]?.healthy);
    if (!withIt.length) {
      const unhealthy = candidates.filter(n => n.drivers[d]?.detected).length;
      const healthy = [
        ...new Set(
          candidates.flatMap(n =>
            Object.entries(n.drivers)
              .filter(([, i]) => i.healthy)
              .map(([k]) => k),
          ),
        ),
      ].sort();
      out.push({
        range: t.driver.range,
        code: ClusterCodes.noDriver,
        message: plain`No eligible node has a healthy ${d} driver${unhealthy ? plain` (detected but unhealthy on ${plural(unhealthy, 'node')})` : plain``}; healthy there: ${healthy.length ? list(healthy, 6) : 'none'}.`,
      });
      return undefined;
    }
    candidates = withIt;
  }
  // constraints (affinities only prefer)
  const all: JobConstraint[] = [...job.constraints, ...g.constraints, ...g.tasks.flatMap(t => t.constraints)].filter(
    c => !c.affinity,
  );
  const judged: Array<{ c: JobConstraint; filtered: number }> = [];
  let unknown = false;
  let remaining = candidates;
  for (const c of all) {
    const verdicts = candidates.map(n => nodeSatisfies(n, c.operator, c.attribute, c.value));
    if (verdicts.some(v => v === undefined)) {
      unknown = true;
      continue;
    }
    const filtered = verdicts.filter(v => !v).length;
    judged.push({ c, filtered });
    if (filtered === candidates.length) {
      out.push({
        range: c.range,
        code: ClusterCodes.constraint,
        message: plain`No node satisfies ${constraintText(c.operator, c.attribute, c.value)}: it filters ${plural(filtered, 'node')} of ${candidates.length}.`,
      });
    }
    remaining = remaining.filter(n => nodeSatisfies(n, c.operator, c.attribute, c.value) === true);
  }
  if (judged.some(j => j.filtered === candidates.length)) return undefined;
  if (!unknown && !remaining.length && judged.length > 1) {
    out.push({
      range: g.range,
      code: ClusterCodes.constraints,
      message: plain`No node satisfies group ${g.name}'s constraints together: ${list(
        judged
          .filter(j => j.filtered)
          .map(j => `${constraintText(j.c.operator, j.c.attribute, j.c.value)} filters ${j.filtered}`),
        6,
      )} (of ${plural(candidates.length, 'node')}).`,
    });
    return undefined;
  }
  if (unknown) return undefined;
  candidates = remaining;
  // host volumes
  for (const v of g.volumes) {
    if (v.type !== 'host' || !v.source) continue;
    const src = v.source.value;
    const have = candidates.filter(n => Object.hasOwn(n.hostVolumes, src));
    if (!have.length) {
      const elsewhere = ready.filter(n => Object.hasOwn(n.hostVolumes, src)).length;
      out.push({
        range: v.source.range,
        code: ClusterCodes.hostVolume,
        message: plain`No eligible node has the host volume ${src}${elsewhere ? plain` (${plural(elsewhere, 'node')} that the group's drivers or constraints rule out ${elsewhere === 1 ? 'has' : 'have'} it)` : plain``}.`,
      });
      return undefined;
    }
    candidates = have;
  }
  // distinct_hosts and distinct_property (job or group level; not for system jobs, which ask for no count)
  const kept = distinctFindings(job, g, candidates, out);
  if (!kept) return undefined;
  candidates = kept;
  const before = out.length;
  // resources: the group's tasks together, and the ephemeral disk, against the largest node left
  const sized = candidates.filter(n => n.resources);
  if (sized.length !== candidates.length || !sized.length) return candidates;
  const maxOf = (k: 'cpuMHz' | 'memoryMB' | 'diskMB') => sized.reduce((m, n) => Math.max(m, n.resources![k]), 0);
  const largest = (k: 'cpuMHz' | 'memoryMB' | 'diskMB') =>
    sized.reduce((a, n) => (n.resources![k] > a.resources![k] ? n : a), sized[0]!);
  for (const [k, field, unit, dflt] of [
    ['cpuMHz', 'cpu', 'MHz', DEFAULT_CPU],
    ['memoryMB', 'memory', 'MB', DEFAULT_MEMORY],
  ] as const) {
    const max = maxOf(k);
    const asks = g.tasks.map(t => ({ t, v: t[field]?.value ?? dflt }));
    const sum = asks.reduce((s, a) => s + a.v, 0);
    if (sum <= max) continue;
    const big = asks.filter(a => a.t[field]).sort((a, b) => b.v - a.v)[0];
    const top = largest(k);
    out.push({
      range: big?.t[field]?.range ?? g.range,
      code: ClusterCodes.resources,
      message: plain`Group ${g.name} asks for ${sum} ${unit} of ${field}${g.tasks.length > 1 ? plain` (its ${g.tasks.length} tasks together)` : plain``}: more than any eligible node offers (the most: ${top.resources![k]} ${unit} on ${top.name}, of ${plural(sized.length, 'node')}).`,
    });
  }
  const disk = g.disk?.value ?? DEFAULT_DISK;
  const maxDisk = maxOf('diskMB');
  if (disk > maxDisk) {
    const top = largest('diskMB');
    out.push({
      range: g.disk?.range ?? g.range,
      code: ClusterCodes.resources,
      message: plain`Group ${g.name} asks for ${disk} MB of ephemeral disk: more than any eligible node offers (the most: ${top.resources!.diskMB} MB on ${top.name}).`,
    });
  }
  return out.length === before ? candidates : undefined;
}

/** Go's strconv.ParseBool; undefined when it does not parse. */
function goBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** The scheduler's distinct_hosts and distinct_property iterators (Nomad 1.6.5 scheduler/feasible.go,
 *  propertyset.go) for a group of `count` allocations: distinct_hosts (unless its value parses as false)
 *  keeps them on different nodes, so no more than the nodes left; distinct_property puts at most `value`
 *  (default 1) on each value of the property and rules out a node without it. A count above what is left
 *  is a warning; the nodes distinct_property leaves are returned (undefined after a warning). Job-level
 *  constraints count the job's other groups too: judging each group alone never warns wrongly. */
function distinctFindings(
  job: JobFacts,
  g: JobGroup,
  candidates: SnapshotNode[],
  out: ClusterFinding[],
): SnapshotNode[] | undefined {
  if (job.type !== 'service' && job.type !== 'batch') return candidates;
  let left = candidates;
  for (const c of [...job.constraints, ...g.constraints]) {
    if (c.affinity) continue;
    if (c.operator !== 'distinct_property' || !c.attribute) continue;
    const limit = c.value ?? '1';
    if (!/^\d+$/.test(limit) || Number(limit) < 1) continue; // Nomad's validation refuses it
    const values = left.map(n => resolveTarget(c.attribute!, n));
    if (values.some(v => v === undefined)) continue;
    const having = left.filter((_, i) => values[i]!.found);
    const distinct = new Set(values.filter(v => v!.found).map(v => v!.value));
    const room = distinct.size * Number(limit);
    if (g.count !== undefined && g.count > room) {
      out.push({
        range: c.range,
        code: ClusterCodes.distinct,
        message: !having.length
          ? plain`No eligible node has ${c.attribute}, which distinct_property needs: it filters ${plural(left.length, 'node')}.`
          : plain`Group ${g.name} asks for ${g.count} allocations, but distinct_property ${c.attribute} allows ${limit} on each of its ${plural(distinct.size, 'value')} among the eligible nodes (${list([...distinct].sort())}): at most ${room}.`,
      });
      return undefined;
    }
    left = having;
  }
  // at each level the first distinct_hosts decides, as the iterator reads it
  const hosts = [job.constraints, g.constraints]
    .map(l => l.find(c => !c.affinity && c.operator === 'distinct_hosts'))
    .find(c => c && goBool(c.value ?? '') !== false);
  if (hosts && g.count !== undefined && g.count > left.length) {
    out.push({
      range: hosts.range,
      code: ClusterCodes.distinct,
      message: plain`Group ${g.name} asks for ${g.count} allocations on distinct hosts, but only ${plural(left.length, 'eligible node')} ${left.length === 1 ? 'is' : 'are'} left.`,
    });
    return undefined;
  }
  return left;
}

/** Job-level distinct_hosts and distinct_property count the allocations of all the job's groups: when
 *  every group was judged (its nodes left, its count known) and none found anything, their counts together
 *  against the nodes (or property values) any of them may use. */
function jobDistinctFindings(job: JobFacts, left: Array<SnapshotNode[] | undefined>, out: ClusterFinding[]): void {
  if ((job.type !== 'service' && job.type !== 'batch') || job.groups.length < 2) return;
  if (left.some(l => !l) || job.groups.some(g => g.count === undefined)) return;
  const union = [...new Map(left.flatMap(l => l!).map(n => [n.id, n])).values()];
  const total = job.groups.reduce((s, g) => s + g.count!, 0);
  const groups = `its ${job.groups.length} groups together`;
  const hosts = job.constraints.find(c => !c.affinity && c.operator === 'distinct_hosts');
  if (hosts && goBool(hosts.value ?? '') !== false && total > union.length) {
    out.push({
      range: hosts.range,
      code: ClusterCodes.distinct,
      message: plain`Job ${job.id} asks for ${total} allocations on distinct hosts (${groups}), but only ${plural(union.length, 'eligible node')} ${union.length === 1 ? 'is' : 'are'} left.`,
    });
    return;
  }
  for (const c of job.constraints) {
    if (c.affinity || c.operator !== 'distinct_property' || !c.attribute) continue;
    const limit = c.value ?? '1';
    if (!/^\d+$/.test(limit) || Number(limit) < 1) continue;
    const values = union.map(n => resolveTarget(c.attribute!, n));
    if (values.some(v => v === undefined)) continue;
    const distinct = new Set(values.filter(v => v!.found).map(v => v!.value));
    const room = distinct.size * Number(limit);
    if (total > room) {
      out.push({
        range: c.range,
        code: ClusterCodes.distinct,
        message: plain`Job ${job.id} asks for ${total} allocations (${groups}), but distinct_property ${c.attribute} allows ${limit} on each of its ${plural(distinct.size, 'value')} among the eligible nodes (${list([...distinct].sort())}): at most ${room}.`,
      });
      return;
    }
  }
}

/** The findings as LSP warnings, each labelled "(cluster dev, read 12 s ago)". */
export function clusterDiagnostics(
  file: HclFile,
  snapshot: ClusterSnapshot | null | undefined,
  now: number = Date.now(),
): Diagnostic[] {
  if (!snapshot) return [];
  const label = plainText(freshness(snapshot, now));
  return clusterFindings(file, snapshot).map(f => ({
    range: toLspRange(file, f.range),
    severity: DiagnosticSeverity.Warning,
    source: CLUSTER_SOURCE,
    code: f.code,
    message: plain`${f.message} (${label})`,
  }));
}
