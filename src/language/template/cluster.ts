// What the templates of a job read, held against the cluster snapshot and the job's workload identity:
// a Nomad Variable (nomadVar) or a Nomad service (nomadService) that does not exist (a template waits
// for them: the task never starts), and a Variable path the job's default workload identity may not read.
//
// Nomad 1.6.5 (acl/acl.go, matchingVariablesCapabilitySet): without a policy for the path, a workload's
// claim may read and list exactly `nomad/jobs`, `nomad/jobs/<job>`, `nomad/jobs/<job>/<group>` and
// `nomad/jobs/<job>/<group>/<task>`, in the job's own namespace; anything else needs an ACL policy
// attached to the job. consul-template's query syntax: nomadVar "path[@namespace[.region]]",
// nomadService "[tag.]name[@region]". Pure.
import type { HclFile, Range } from '../hcl';
import type { ClusterSnapshot } from '../../shared/clusterSnapshot';
import { plain, type Shown } from '../../untrusted/shown';
import type { JobFacts } from '../cluster/job';
import { scanTemplate, templateSource, type TemplateScan } from './scan';

export interface TemplateFinding {
  range: Range;
  code: string;
  message: Shown;
}

export interface ScannedTemplate {
  group: string;
  task: string;
  scan: TemplateScan;
}

const scans = new WeakMap<HclFile, ScannedTemplate[]>();

/** Every template of the job, scanned (kept with the parse, so diagnostics and completion share it). */
export function templatesOf(file: HclFile, job: JobFacts): ScannedTemplate[] {
  const had = scans.get(file);
  if (had) return had;
  const out: ScannedTemplate[] = [];
  for (const g of job.groups)
    for (const t of g.tasks)
      for (const tp of t.templates) {
        if (!tp.delims) continue;
        const src = templateSource(file, tp.data);
        if (src) out.push({ group: g.name, task: t.name, scan: scanTemplate(src, tp.delims) });
      }
  scans.set(file, out);
  return out;
}

/** "path@ns.region" → its parts (consul-template's NVGetQueryRe). */
export function variableQuery(q: string): { path: string; namespace?: string } | undefined {
  const m = /^\/?([^@]+)(?:@([\w-]+))?(?:\.([\w-]+))?$/.exec(q);
  return m ? { path: m[1]!, ...(m[2] ? { namespace: m[2] } : {}) } : undefined;
}

/** "tag.name@region" → the service name (consul-template's NomadServiceQueryRe). */
export function serviceQuery(q: string): string | undefined {
  const m = /^(?:([\w=:.-]+)\.)?([\w-]+)(?:@([\w.-]+))?$/.exec(q);
  return m?.[2];
}

/** The paths the job's default workload identity may read, for a task. */
export function workloadPaths(job: string, group: string, task: string): string[] {
  return ['nomad/jobs', `nomad/jobs/${job}`, `nomad/jobs/${job}/${group}`, `nomad/jobs/${job}/${group}/${task}`];
}

/** The Nomad services the job itself registers (a template may wait for its own). */
function ownServices(file: HclFile): Set<string> {
  const names = new Set<string>();
  const walk = (items: HclFile['body']['items']) => {
    for (const i of items) {
      if (i.kind !== 'Block') continue;
      if (i.type === 'service') {
        const n = i.body.items.find(x => x.kind === 'Attribute' && x.name === 'name');
        const e = n?.kind === 'Attribute' ? n.expr : undefined;
        if (e && (e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined) names.add(e.literal);
      }
      walk(i.body.items);
    }
  };
  walk(file.body.items);
  return names;
}

/** The workload-identity findings (no snapshot needed) and, with a snapshot, the existence findings. */
export function templateFindings(
  file: HclFile,
  job: JobFacts,
  snapshot: ClusterSnapshot | null | undefined,
): TemplateFinding[] {
  const out: TemplateFinding[] = [];
  const jobNs = job.namespace?.value ?? snapshot?.defaultNamespace ?? 'default';
  const own = ownServices(file);
  for (const { group, task, scan } of templatesOf(file, job)) {
    for (const c of scan.calls) {
      const arg = c.args[0];
      if (!arg || arg.kind !== 'string' || arg.value === undefined) continue;
      const range = { start: arg.start, end: arg.end };
      if (c.name === 'nomadVar' || c.name === 'nomadVarExists') {
        const q = variableQuery(arg.value);
        if (!q) continue;
        const ns = q.namespace ?? jobNs;
        if (c.name === 'nomadVar' && !job.namespaceUnknown && job.id) {
          const allowed = workloadPaths(job.id, group, task);
          if (ns !== jobNs || !allowed.includes(q.path)) {
            out.push({
              range,
              code: 'template-variable-identity',
              message: plain`With ACLs on, task ${task}'s workload identity may read only ${allowed.join(', ')}${ns !== jobNs ? plain` in namespace ${jobNs}` : plain``}: reading ${q.path}${ns !== jobNs ? plain` in ${ns}` : plain``} needs an ACL policy attached to the job (nomad acl policy apply -job …), or the template waits for ever.`,
            });
          }
        }
        if (
          snapshot?.variables &&
          c.name === 'nomadVar' &&
          !snapshot.variables.some(v => v.path === q.path && v.namespace === ns)
        ) {
          out.push({
            range,
            code: 'cluster-variable',
            message: plain`The cluster has no Variable ${q.path} in namespace ${ns}: the template waits until it exists, and the task does not start.`,
          });
        }
      } else if (c.name === 'nomadService' && snapshot?.services) {
        const name = serviceQuery(arg.value);
        if (!name || own.has(name)) continue;
        if (!snapshot.services.some(s => s.name === name && s.namespace === jobNs)) {
          out.push({
            range,
            code: 'cluster-service',
            message: plain`The cluster has no Nomad service ${name} in namespace ${jobNs}: the template waits until it is registered.`,
          });
        }
      }
    }
  }
  return out;
}

/** The findings that need the cluster (for the cluster checks; the identity findings are not among them). */
export function templateClusterFindings(file: HclFile, job: JobFacts, snapshot: ClusterSnapshot): TemplateFinding[] {
  return templateFindings(file, job, snapshot).filter(f => f.code.startsWith('cluster-'));
}
