/**
 * Watching what a `run` did: the evaluation (placement failures explained), then the deployment until
 * it succeeds, fails or runs out of time, reporting healthy/unhealthy/placed counts per group. On
 * failure it names the failing tasks with their last events and the version a revert should go back
 * to. Pure: no `vscode`; time and cancellation are injected.
 */
import type { NomadClient } from '../client';
import { isNomadError } from '../errors';
import type { AllocationListStub, Deployment, Evaluation, Job, TaskEvent } from '../types';
import { describeFailure } from '../plan/viewModel';

type WatchClient = Pick<NomadClient, 'getEvaluation' | 'jobDeployments' | 'getDeployment' | 'jobAllocations' | 'jobVersions' | 'getJob'>;

export interface GroupProgress { group: string; desired: number; placed: number; healthy: number; unhealthy: number; canaries: number; promoted: boolean }

export interface WatchProgress {
  phase: 'evaluating' | 'deploying';
  deploymentId?: string;
  status?: string;
  description?: string;
  groups: GroupProgress[];
}

export interface FailedTask {
  allocId: string;
  allocName: string;
  task: string;
  /** the task's most recent events, newest last */
  events: TaskEvent[];
}

export type WatchOutcome =
  | { outcome: 'successful'; deployment: Deployment }
  | { outcome: 'failed'; deployment: Deployment; reason: string; failedTasks: FailedTask[]; revertTo?: number; autoReverted: boolean; rollbackTo?: number }
  | { outcome: 'placement-failed'; evaluation: Evaluation; groups: { group: string; lines: string[] }[] }
  | { outcome: 'no-deployment'; evaluation?: Evaluation; reason: string }
  | { outcome: 'timeout'; deployment?: Deployment }
  | { outcome: 'cancelled' };

export interface WatchOptions {
  jobId: string;
  namespace?: string;
  evalId: string;
  /** the job version the run created (from the register response's JobModifyIndex, via the job) */
  jobModifyIndex: number;
  signal: AbortSignal;
  onProgress: (p: WatchProgress) => void;
  /** give up after this long (ms) */
  timeoutMs: number;
  now?: () => number;
  /** how long one blocking query may wait (ms) */
  waitMs?: number;
}

const TERMINAL = new Set(['successful', 'failed', 'cancelled']);

export function groupProgress(d: Deployment): GroupProgress[] {
  return Object.entries(d.TaskGroups ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([group, s]) => ({
    group, desired: s.DesiredTotal, placed: s.PlacedAllocs, healthy: s.HealthyAllocs, unhealthy: s.UnhealthyAllocs,
    canaries: s.DesiredCanaries, promoted: s.Promoted,
  }));
}

/** What the job's definition says about how a bad deployment is caught and undone. */
export function deploymentSafety(job: Job): { hasChecks: boolean; autoRevert: boolean; healthCheck: string | undefined } {
  let hasChecks = false;
  let autoRevert = false;
  let healthCheck: string | undefined;
  const jobUpdate = job.Update as { AutoRevert?: boolean; HealthCheck?: string } | null | undefined;
  for (const g of job.TaskGroups ?? []) {
    const u = (g.Update as { AutoRevert?: boolean; HealthCheck?: string } | null | undefined) ?? jobUpdate;
    if (u?.AutoRevert) autoRevert = true;
    healthCheck ??= u?.HealthCheck;
    const services = [...(g.Services ?? []), ...(g.Tasks ?? []).flatMap(t => t.Services ?? [])];
    if (services.some(s => Array.isArray((s as { Checks?: unknown[] }).Checks) && ((s as { Checks?: unknown[] }).Checks ?? []).length > 0)) hasChecks = true;
  }
  return { hasChecks, autoRevert, healthCheck };
}

/** Failing tasks of the deployment's allocations, with their recent events. */
export function failedTasks(allocs: readonly AllocationListStub[], deploymentId: string | undefined, max = 5): FailedTask[] {
  const out: FailedTask[] = [];
  const relevant = allocs.filter(a => (!deploymentId || (a as AllocationListStub & { DeploymentID?: string }).DeploymentID === deploymentId || a.DeploymentStatus?.Healthy === false || a.ClientStatus === 'failed'));
  for (const a of relevant.sort((x, y) => y.ModifyIndex - x.ModifyIndex)) {
    for (const [task, st] of Object.entries(a.TaskStates ?? {})) {
      const bad = st.Failed || a.DeploymentStatus?.Healthy === false || (st.Restarts ?? 0) > 0 || a.ClientStatus === 'failed';
      if (!bad) continue;
      out.push({ allocId: a.ID, allocName: a.Name, task, events: (st.Events ?? []).slice(-6) });
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** One line about a task event as the CLI's "Recent Events" shows it. */
export function eventLine(e: TaskEvent): string {
  const text = e.DisplayMessage || e.Message || (e.Details ? Object.values(e.Details).join(' ') : '');
  return `${e.Type}${text ? `: ${text}` : ''}`;
}

export async function watchRun(client: WatchClient, o: WatchOptions): Promise<WatchOutcome> {
  const now = o.now ?? Date.now;
  const deadline = now() + o.timeoutMs;
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const wait = o.waitMs ?? 30_000;
  const left = () => Math.max(1000, Math.min(wait, deadline - now()));
  const cancelled = () => o.signal.aborted;
  try {
    // 1. the evaluation
    let index = 0;
    let evaluation: Evaluation | undefined;
    o.onProgress({ phase: 'evaluating', groups: [] });
    while (!cancelled() && now() < deadline) {
      const r = await client.getEvaluation(o.evalId, { ...ns, index, wait: left(), signal: o.signal });
      evaluation = r.body; index = r.index;
      if (evaluation.Status !== 'pending') break;
    }
    if (cancelled()) return { outcome: 'cancelled' };
    if (!evaluation || evaluation.Status === 'pending') return { outcome: 'timeout' };
    const failedTG = Object.entries(evaluation.FailedTGAllocs ?? {});
    if (failedTG.length) {
      return { outcome: 'placement-failed', evaluation, groups: failedTG.map(([group, m]) => ({ group, lines: describeFailure(m) })) };
    }
    if (evaluation.Status === 'failed' || evaluation.Status === 'canceled') {
      return { outcome: 'no-deployment', evaluation, reason: `The evaluation ended as ${evaluation.Status}${evaluation.StatusDescription ? `: ${evaluation.StatusDescription}` : ''}.` };
    }

    // 2. the deployment of this version
    let deployment: Deployment | undefined;
    const findDeployment = async () => {
      const ds = (await client.jobDeployments(o.jobId, { ...ns, signal: o.signal })).body ?? [];
      return ds.filter(d => d.JobModifyIndex === o.jobModifyIndex || d.JobSpecModifyIndex === o.jobModifyIndex || (evaluation?.DeploymentID && d.ID === evaluation.DeploymentID))
        .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
    };
    deployment = await findDeployment();
    if (!deployment) {
      // batch/system jobs, or a service job whose update strategy disables deployments (max_parallel = 0)
      return { outcome: 'no-deployment', evaluation, reason: 'This run created no deployment (batch or system job, or an update block with max_parallel = 0): there is nothing to watch for health.' };
    }
    index = 0;
    while (!cancelled() && now() < deadline) {
      o.onProgress({ phase: 'deploying', deploymentId: deployment.ID, status: deployment.Status, description: deployment.StatusDescription, groups: groupProgress(deployment) });
      if (TERMINAL.has(deployment.Status)) break;
      const r = await client.getDeployment(deployment.ID, { ...ns, index, wait: left(), signal: o.signal });
      deployment = r.body; index = r.index;
    }
    if (cancelled()) return { outcome: 'cancelled' };
    if (deployment.Status === 'successful') return { outcome: 'successful', deployment };
    if (!TERMINAL.has(deployment.Status)) return { outcome: 'timeout', deployment };

    // 3. why it failed, and where to go back to
    const allocs = (await client.jobAllocations(o.jobId, { ...ns, signal: o.signal })).body ?? [];
    const tasks = failedTasks(allocs, deployment.ID);
    const versions = (await client.jobVersions(o.jobId, false, { ...ns, signal: o.signal })).body.Versions ?? [];
    const current = versions[0];
    const stable = versions.find(v => v.Stable && (v.Version ?? 0) < deployment!.JobVersion);
    const autoReverted = /roll(ing)? back|rolled back/i.test(deployment.StatusDescription) || (current?.Version ?? 0) > deployment.JobVersion;
    const rollback = /job version (\d+)/i.exec(deployment.StatusDescription);
    return {
      outcome: 'failed', deployment, reason: deployment.StatusDescription || 'The deployment failed.', failedTasks: tasks,
      revertTo: autoReverted ? undefined : stable?.Version, autoReverted,
      ...(autoReverted ? { rollbackTo: rollback ? Number(rollback[1]) : stable?.Version } : {}),
    };
  } catch (e) {
    if (cancelled() || (isNomadError(e) && e.kind === 'cancelled')) return { outcome: 'cancelled' };
    throw e;
  }
}
