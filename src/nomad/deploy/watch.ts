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
import { systemClock, type Clock, type Random } from '../backoff';
import { IndexGate, Pacer } from '../pace';

/** Each blocking loop of a watch asks through its own gate (pace.ts): a floor between requests and a
 *  growing pause while the index does not move, so a server that answers at once cannot make it spin. */
function gateFor(clock: Clock, random: Random | undefined): IndexGate {
  return new IndexGate(new Pacer(clock, random ?? Math.random));
}

type WatchClient = Pick<
  NomadClient,
  'getEvaluation' | 'jobDeployments' | 'getDeployment' | 'jobAllocations' | 'jobVersions' | 'getJob'
>;

export interface GroupProgress {
  group: string;
  desired: number;
  placed: number;
  healthy: number;
  unhealthy: number;
  canaries: number;
  promoted: boolean;
}

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

/** The first sign of a task failing in a deployment: where, the task event, and its text. */
export interface FailureCause {
  allocId: string;
  /** `web[0]/server`: the group, the allocation's index, the task */
  where: string;
  task: string;
  event: TaskEvent;
  /** `Driver Failure — failed to pull …` */
  text: string;
}

/** What happened after Nomad rolled a failed deployment back (auto_revert). */
export interface RollbackResult {
  /** the version Nomad went back to (the stable one) */
  to?: number;
  /** the new version Nomad registered for the rollback (a copy of `to`) */
  registeredAs?: number;
  /** the rollback's own deployment: 'successful' means the version is healthy again */
  status: 'successful' | 'failed' | 'running' | 'none' | 'cancelled';
  deployment?: Deployment;
}

export type WatchOutcome =
  | { outcome: 'successful'; deployment: Deployment }
  | {
      outcome: 'failed';
      deployment: Deployment;
      reason: string;
      failedTasks: FailedTask[];
      revertTo?: number;
      autoReverted: boolean;
      rollbackTo?: number;
      cause?: FailureCause;
    }
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
  /** time and sleeping (default: the system clock); `now` alone overrides only the reading */
  clock?: Clock;
  random?: Random;
  now?: () => number;
  /** how long one blocking query may wait (ms) */
  waitMs?: number;
  /** Called once, as soon as a task of the deployment fails (before the deployment is over). */
  onFailure?: (cause: FailureCause) => void;
  /** Called when Nomad's restarts of a task of the deployment change (undefined: none under way). */
  onRetry?: (retry: RestartRetry | undefined) => void;
  /** the job as submitted: its restart policies name the attempts */
  job?: Job;
}

/** Nomad restarting a failed task under its group's restart policy. */
export interface RestartRetry {
  /** `web[0]/server` */
  where: string;
  /** the restart under way (1-based): the task's restart count */
  attempt: number;
  /** the restart policy's attempts (per interval); undefined when the job does not say */
  attempts?: number;
  /** when the next start is due (ms since the epoch), from the Restarting event's delay */
  at?: number;
  /** true once Nomad gave up (Not Restarting): the attempts are used up */
  gaveUp: boolean;
}

/**
 * Restarts under way among a job version's live allocations: a task whose latest event is Restarting
 * (attempt n of the policy's attempts, the next start at the event's time plus its delay), or Not
 * Restarting (the attempts are used up). The one with the latest event wins.
 */
export function restartRetries(
  allocs: readonly AllocationListStub[],
  jobId: string,
  version: number | undefined,
  job?: Job,
): RestartRetry | undefined {
  let best: { r: RestartRetry; t: number } | undefined;
  for (const a of allocs) {
    if (version !== undefined && a.JobVersion !== version) continue;
    if (a.ClientStatus === 'complete' || a.ClientStatus === 'lost') continue;
    const group = a.TaskGroup;
    const policy = (job?.TaskGroups ?? []).find(g => g.Name === group)?.RestartPolicy as
      { Attempts?: number } | null | undefined;
    for (const [task, st] of Object.entries(a.TaskStates ?? {})) {
      const events = st.Events ?? [];
      const last = events[events.length - 1];
      if (!last || (last.Type !== 'Restarting' && last.Type !== 'Not Restarting')) continue;
      const delayNs =
        typeof last['StartDelay'] === 'number' ? last['StartDelay'] : Number(last.Details?.['start_delay'] ?? NaN);
      const r: RestartRetry = {
        where: `${allocLabel(a.Name, jobId)}/${task}`,
        attempt: st.Restarts ?? 0,
        gaveUp: last.Type === 'Not Restarting',
        ...(typeof policy?.Attempts === 'number' ? { attempts: policy.Attempts } : {}),
        ...(last.Type === 'Restarting' && Number.isFinite(delayNs)
          ? { at: Math.round(last.Time / 1e6 + delayNs / 1e6) }
          : {}),
      };
      if (!best || last.Time > best.t) best = { r, t: last.Time };
    }
  }
  return best?.r;
}

/** "Nomad retries web[0]/server: attempt 2 of 2, next in 15 s" (our words; `now` for the countdown). */
export function retryText(r: RestartRetry, now: number): string {
  if (r.gaveUp)
    return `Nomad stopped restarting ${r.where}: the restart policy's ${r.attempts ?? r.attempt} attempt${(r.attempts ?? r.attempt) === 1 ? '' : 's'} are used up`;
  const of = r.attempts !== undefined && r.attempt <= r.attempts ? ` of ${r.attempts}` : '';
  const next =
    r.at === undefined ? '' : r.at > now ? `, next in ${Math.ceil((r.at - now) / 1000)} s` : ', starting it again';
  return `Nomad retries ${r.where} (restart policy): attempt ${r.attempt}${of}${next}`;
}

const TERMINAL = new Set(['successful', 'failed', 'cancelled']);

export function groupProgress(d: Deployment): GroupProgress[] {
  return Object.entries(d.TaskGroups ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, s]) => ({
      group,
      desired: s.DesiredTotal,
      placed: s.PlacedAllocs,
      healthy: s.HealthyAllocs,
      unhealthy: s.UnhealthyAllocs,
      canaries: s.DesiredCanaries,
      promoted: s.Promoted,
    }));
}

/** What the job's definition says about how a bad deployment is caught and undone. */
export function deploymentSafety(job: Job): {
  hasChecks: boolean;
  autoRevert: boolean;
  healthCheck: string | undefined;
} {
  let hasChecks = false;
  let autoRevert = false;
  let healthCheck: string | undefined;
  const jobUpdate = job.Update as { AutoRevert?: boolean; HealthCheck?: string } | null | undefined;
  for (const g of job.TaskGroups ?? []) {
    const u = (g.Update as { AutoRevert?: boolean; HealthCheck?: string } | null | undefined) ?? jobUpdate;
    if (u?.AutoRevert) autoRevert = true;
    healthCheck ??= u?.HealthCheck;
    const services = [...(g.Services ?? []), ...(g.Tasks ?? []).flatMap(t => t.Services ?? [])];
    if (
      services.some(
        s =>
          Array.isArray((s as { Checks?: unknown[] }).Checks) &&
          ((s as { Checks?: unknown[] }).Checks ?? []).length > 0,
      )
    )
      hasChecks = true;
  }
  return { hasChecks, autoRevert, healthCheck };
}

/** Failing tasks of the deployment's allocations, with their recent events. */
export function failedTasks(
  allocs: readonly AllocationListStub[],
  deploymentId: string | undefined,
  max = 5,
): FailedTask[] {
  const out: FailedTask[] = [];
  const relevant = allocs.filter(
    a =>
      !deploymentId ||
      (a as AllocationListStub & { DeploymentID?: string }).DeploymentID === deploymentId ||
      a.DeploymentStatus?.Healthy === false ||
      a.ClientStatus === 'failed',
  );
  for (const a of relevant.sort((x, y) => y.ModifyIndex - x.ModifyIndex)) {
    for (const [task, st] of Object.entries(a.TaskStates ?? {})) {
      const bad =
        st.Failed || a.DeploymentStatus?.Healthy === false || (st.Restarts ?? 0) > 0 || a.ClientStatus === 'failed';
      if (!bad) continue;
      out.push({ allocId: a.ID, allocName: a.Name, task, events: (st.Events ?? []).slice(-6) });
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** Events that say a task failed, by themselves (the cause, not what follows from it). */
const FAILURE_EVENTS = new Set([
  'Driver Failure',
  'Setup Failure',
  'Failed Validation',
  'Failed Artifact Download',
  'Task hook failed',
  'Failed Restoring Task',
]);
/** Events that follow a failure: used only when nothing before them names the cause. */
const CONSEQUENCE_EVENTS = new Set(['Not Restarting', 'Alloc Unhealthy']);

function eventText(e: TaskEvent): string {
  return (
    e.DisplayMessage ||
    e.Message ||
    (typeof e.DriverError === 'string' ? e.DriverError : '') ||
    (e.Details ? Object.values(e.Details).join(' ') : '')
  );
}

/** Is this event a task failing? A non-zero exit counts unless the task was being stopped (Killing before it). */
function isFailure(events: readonly TaskEvent[], i: number): boolean {
  const e = events[i]!;
  if (FAILURE_EVENTS.has(e.Type)) return true;
  if (e.Type === 'Terminated') {
    const exit = typeof e.ExitCode === 'number' ? e.ExitCode : Number(e.Details?.exit_code ?? 0);
    const oom = e.Details?.oom_killed === 'true';
    const asked = events
      .slice(0, i)
      .some(x => x.Type === 'Killing' || x.Type === 'Restart Signal' || x.Type === 'Signaling');
    return (exit !== 0 || oom) && !asked;
  }
  return false;
}

/** `job.web[2]` → `web[2]` (the job id is a prefix of every allocation name). */
function allocLabel(name: string, jobId: string): string {
  return name.startsWith(`${jobId}.`) ? name.slice(jobId.length + 1) : name;
}

/**
 * The earliest task failure among the allocations of one job version: a failure event, or a non-zero
 * exit the task was not asked for; failing that, the first consequence (Not Restarting, Alloc Unhealthy).
 */
export function firstFailure(
  allocs: readonly AllocationListStub[],
  jobId: string,
  version?: number,
): FailureCause | undefined {
  let best: FailureCause | undefined;
  let fallback: FailureCause | undefined;
  for (const a of allocs) {
    if (version !== undefined && a.JobVersion !== version) continue;
    for (const [task, st] of Object.entries(a.TaskStates ?? {})) {
      const events = st.Events ?? [];
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const failure = isFailure(events, i);
        if (!failure && !CONSEQUENCE_EVENTS.has(e.Type)) continue;
        const text = eventText(e);
        const cause: FailureCause = {
          allocId: a.ID,
          where: `${allocLabel(a.Name, jobId)}/${task}`,
          task,
          event: e,
          text: `${e.Type}${text ? ` — ${text}` : ''}`,
        };
        if (failure) {
          if (!best || e.Time < best.event.Time) best = cause;
          break;
        }
        if (!fallback || e.Time < fallback.event.Time) fallback = cause;
      }
    }
  }
  return best ?? fallback;
}

/** One line about a task event as the CLI's "Recent Events" shows it. */
export function eventLine(e: TaskEvent): string {
  const text = e.DisplayMessage || e.Message || (e.Details ? Object.values(e.Details).join(' ') : '');
  return `${e.Type}${text ? `: ${text}` : ''}`;
}

export async function watchRun(client: WatchClient, o: WatchOptions): Promise<WatchOutcome> {
  const clock = o.clock ?? systemClock;
  const now = o.now ?? (() => clock.now());
  const gate = (): IndexGate => gateFor(clock, o.random);
  const deadline = now() + o.timeoutMs;
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const wait = o.waitMs ?? 30_000;
  const left = () => Math.max(1000, Math.min(wait, deadline - now()));
  const cancelled = () => o.signal.aborted;
  try {
    // 1. the evaluation
    let g = gate();
    let evaluation: Evaluation | undefined;
    o.onProgress({ phase: 'evaluating', groups: [] });
    while (!cancelled() && now() < deadline) {
      await g.turn(o.signal);
      const r = await client.getEvaluation(o.evalId, { ...ns, index: g.index, wait: left(), signal: o.signal });
      evaluation = r.body;
      g.answered(r.index);
      if (evaluation.Status !== 'pending') break;
    }
    if (cancelled()) return { outcome: 'cancelled' };
    if (!evaluation || evaluation.Status === 'pending') return { outcome: 'timeout' };
    const failedTG = Object.entries(evaluation.FailedTGAllocs ?? {});
    if (failedTG.length) {
      return {
        outcome: 'placement-failed',
        evaluation,
        groups: failedTG.map(([group, m]) => ({ group, lines: describeFailure(m) })),
      };
    }
    if (evaluation.Status === 'failed' || evaluation.Status === 'canceled') {
      return {
        outcome: 'no-deployment',
        evaluation,
        reason: `The evaluation ended as ${evaluation.Status}${evaluation.StatusDescription ? `: ${evaluation.StatusDescription}` : ''}.`,
      };
    }

    // 2. the deployment of this version
    let deployment: Deployment | undefined;
    const findDeployment = async () => {
      const ds = (await client.jobDeployments(o.jobId, { ...ns, signal: o.signal })).body ?? [];
      return ds
        .filter(
          d =>
            d.JobModifyIndex === o.jobModifyIndex ||
            d.JobSpecModifyIndex === o.jobModifyIndex ||
            (evaluation?.DeploymentID && d.ID === evaluation.DeploymentID),
        )
        .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
    };
    deployment = await findDeployment();
    if (!deployment) {
      // batch/system jobs, or a service job whose update strategy disables deployments (max_parallel = 0)
      return {
        outcome: 'no-deployment',
        evaluation,
        reason:
          'This run created no deployment (batch or system job, or an update block with max_parallel = 0): there is nothing to watch for health.',
      };
    }
    g = gate();
    // while the deployment runs, its allocations are watched too: the first task failure is reported
    // at once, not when the deployment gives up (its progress deadline may be minutes away)
    const failures = new AbortController();
    const stopFailures = () => failures.abort();
    o.signal.addEventListener('abort', stopFailures, { once: true });
    let cause: FailureCause | undefined;
    const version = deployment.JobVersion;
    let retryKey = '';
    const failureWatch = (async () => {
      const ga = gate();
      while (!failures.signal.aborted && now() < deadline) {
        await ga.turn(failures.signal);
        const r = await client.jobAllocations(o.jobId, {
          ...ns,
          index: ga.index,
          wait: left(),
          signal: failures.signal,
        });
        ga.answered(r.index);
        const found = firstFailure(r.body ?? [], o.jobId, version);
        if (found && !cause) {
          cause = found;
          o.onFailure?.(found);
        }
        const retry = restartRetries(r.body ?? [], o.jobId, version, o.job);
        const key = JSON.stringify(retry ?? null);
        if (key !== retryKey) {
          retryKey = key;
          o.onRetry?.(retry);
        }
        if (cause && !o.onRetry) return;
      }
    })().catch(() => undefined);
    try {
      while (!cancelled() && now() < deadline) {
        o.onProgress({
          phase: 'deploying',
          deploymentId: deployment.ID,
          status: deployment.Status,
          description: deployment.StatusDescription,
          groups: groupProgress(deployment),
        });
        if (TERMINAL.has(deployment.Status)) break;
        await g.turn(o.signal);
        const r = await client.getDeployment(deployment.ID, { ...ns, index: g.index, wait: left(), signal: o.signal });
        deployment = r.body;
        g.answered(r.index);
      }
    } finally {
      stopFailures();
      o.signal.removeEventListener('abort', stopFailures);
      await failureWatch;
    }
    if (cancelled()) return { outcome: 'cancelled' };
    if (deployment.Status === 'successful') return { outcome: 'successful', deployment };
    if (!TERMINAL.has(deployment.Status)) return { outcome: 'timeout', deployment };

    // 3. why it failed, and where to go back to
    const allocs = (await client.jobAllocations(o.jobId, { ...ns, signal: o.signal })).body ?? [];
    const tasks = failedTasks(allocs, deployment.ID);
    cause ??= firstFailure(allocs, o.jobId, deployment.JobVersion);
    const versions = (await client.jobVersions(o.jobId, false, { ...ns, signal: o.signal })).body.Versions ?? [];
    const current = versions[0];
    const stable = versions.find(v => v.Stable && (v.Version ?? 0) < deployment!.JobVersion);
    const autoReverted =
      /roll(ing)? back|rolled back/i.test(deployment.StatusDescription) ||
      (current?.Version ?? 0) > deployment.JobVersion;
    const rollback = /job version (\d+)/i.exec(deployment.StatusDescription);
    return {
      outcome: 'failed',
      deployment,
      reason: deployment.StatusDescription || 'The deployment failed.',
      failedTasks: tasks,
      revertTo: autoReverted ? undefined : stable?.Version,
      autoReverted,
      ...(autoReverted ? { rollbackTo: rollback ? Number(rollback[1]) : stable?.Version } : {}),
      ...(cause ? { cause } : {}),
    };
  } catch (e) {
    if (cancelled() || (isNomadError(e) && e.kind === 'cancelled')) return { outcome: 'cancelled' };
    throw e;
  }
}

export interface RollbackOptions {
  jobId: string;
  namespace?: string;
  /** the version whose deployment failed */
  failedVersion: number;
  /** the version Nomad said it rolls back to, if it said */
  to?: number;
  signal: AbortSignal;
  timeoutMs: number;
  clock?: Clock;
  random?: Random;
  now?: () => number;
  waitMs?: number;
}

/**
 * After Nomad rolled a failed deployment back (auto_revert registers the stable version again as a new
 * version), follow that rollback to its end: which version it went back to, the version it registered,
 * and whether the rollback's own deployment became healthy.
 */
export async function followRollback(client: WatchClient, o: RollbackOptions): Promise<RollbackResult> {
  const clock = o.clock ?? systemClock;
  const now = o.now ?? (() => clock.now());
  const gate = (): IndexGate => gateFor(clock, o.random);
  const deadline = now() + o.timeoutMs;
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const wait = o.waitMs ?? 30_000;
  const left = () => Math.max(1000, Math.min(wait, deadline - now()));
  try {
    // the rollback's registration: a version newer than the failed one
    let g = gate();
    let job: Job | undefined;
    while (!o.signal.aborted && now() < deadline) {
      await g.turn(o.signal);
      const r = await client.getJob(o.jobId, { ...ns, index: g.index, wait: left(), signal: o.signal });
      job = r.body;
      g.answered(r.index);
      if (Number(job.Version ?? 0) > o.failedVersion) break;
    }
    if (o.signal.aborted) return { status: 'cancelled', ...(o.to !== undefined ? { to: o.to } : {}) };
    const registeredAs = job && Number(job.Version ?? 0) > o.failedVersion ? Number(job.Version) : undefined;
    if (registeredAs === undefined) return { status: 'none', ...(o.to !== undefined ? { to: o.to } : {}) };
    const base = { registeredAs, ...(o.to !== undefined ? { to: o.to } : {}) };
    // its deployment
    let deployment: Deployment | undefined;
    g = gate();
    while (!o.signal.aborted && now() < deadline && !deployment) {
      await g.turn(o.signal);
      const r = await client.jobDeployments(o.jobId, { ...ns, index: g.index, wait: left(), signal: o.signal });
      g.answered(r.index);
      deployment = (r.body ?? [])
        .filter(d => d.JobVersion === registeredAs)
        .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
    }
    if (!deployment) return { ...base, status: o.signal.aborted ? 'cancelled' : 'none' };
    g = gate();
    while (!o.signal.aborted && now() < deadline && !TERMINAL.has(deployment.Status)) {
      await g.turn(o.signal);
      const r = await client.getDeployment(deployment.ID, { ...ns, index: g.index, wait: left(), signal: o.signal });
      deployment = r.body;
      g.answered(r.index);
    }
    if (o.signal.aborted) return { ...base, status: 'cancelled', deployment };
    const status =
      deployment.Status === 'successful'
        ? 'successful'
        : deployment.Status === 'failed' || deployment.Status === 'cancelled'
          ? 'failed'
          : 'running';
    return { ...base, status, deployment };
  } catch (e) {
    if (o.signal.aborted || (isNomadError(e) && e.kind === 'cancelled'))
      return { status: 'cancelled', ...(o.to !== undefined ? { to: o.to } : {}) };
    throw e;
  }
}
