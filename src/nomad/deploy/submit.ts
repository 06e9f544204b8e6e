/**
 * Run's submission: register the planned job with check-index, and when the answer does not come back
 * (the connection dropped after the cluster took the write) or comes back as a check-index conflict,
 * find out whether the write that is on the cluster is our own. A lost answer is then reported as what
 * it is — our submission, applied — and never as "someone changed the job since your plan".
 * Pure: no `vscode`.
 */
import type { NomadClient, RegisterJobOptions } from '../client';
import { isNomadError } from '../errors';
import type { Job } from '../types';

type SubmitClient = Pick<NomadClient, 'registerJob' | 'getJob' | 'jobSubmission' | 'jobEvaluations'>;

export interface OwnSubmission {
  /** the version our submission became */
  version: number;
  jobModifyIndex: number;
  /** the evaluation the registration created ('' when the cluster no longer lists it) */
  evalId: string;
}

export type SubmitResult =
  | { kind: 'submitted'; evalId: string; jobModifyIndex: number; warnings: string }
  /** the answer was lost (or came back as a conflict with our own write): the cluster has our submission */
  | {
      kind: 'ours';
      evalId: string;
      jobModifyIndex: number;
      version: number;
      why: 'lost-answer' | 'conflict-with-own-write';
    };

export interface SubmitOptions {
  namespace?: string;
  /** the plan's JobModifyIndex: Run registers only if the job is still there */
  planIndex: number;
  source: string;
  variables?: string;
  signal?: AbortSignal;
}

/** Errors after which the write may have been applied although no answer came. */
function answerMayBeLost(e: unknown): boolean {
  return (
    isNomadError(e) && (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'protocol' || e.kind === 'server')
  );
}

/**
 * Is the job's current version our submission? Its modify index moved past the plan's and its kept
 * submission is the same source and variables we sent.
 */
export async function findOwnSubmission(
  client: SubmitClient,
  jobId: string,
  o: SubmitOptions,
): Promise<OwnSubmission | undefined> {
  const ns = o.namespace ? { namespace: o.namespace } : {};
  let job: Job;
  try {
    job = (await client.getJob(jobId, { ...ns, ...(o.signal ? { signal: o.signal } : {}) })).body;
  } catch (e) {
    if (isNomadError(e) && e.kind === 'notFound') return undefined;
    throw e;
  }
  const jobModifyIndex = Number(job.JobModifyIndex ?? 0);
  const version = Number(job.Version ?? 0);
  if (jobModifyIndex <= o.planIndex) return undefined;
  let sub;
  try {
    sub = (await client.jobSubmission(jobId, version, { ...ns, ...(o.signal ? { signal: o.signal } : {}) })).body;
  } catch (e) {
    if (isNomadError(e) && e.kind === 'notFound') return undefined;
    throw e;
  }
  const same = (x: { Source?: string; Variables?: string } | null | undefined): boolean =>
    !!x && x.Source === o.source && (x.Variables ?? '') === (o.variables ?? '');
  if (!same(sub)) return undefined;
  // Nomad gives a version registered without a submission (someone's API call, a JSON job) the
  // submission of the version it was read at: the same source one version earlier means this version
  // may be another's write carrying ours forward. Then it is not claimed as ours (the conflict stands).
  if (version > 0) {
    const prev = await client
      .jobSubmission(jobId, version - 1, { ...ns, ...(o.signal ? { signal: o.signal } : {}) })
      .then(
        r => r.body,
        (e: unknown) => {
          if (isNomadError(e) && e.kind === 'notFound') return undefined;
          throw e;
        },
      );
    if (same(prev)) return undefined;
  }
  const evals = (await client.jobEvaluations(jobId, { ...ns, ...(o.signal ? { signal: o.signal } : {}) })).body ?? [];
  const ev = evals
    .filter(e => e.JobModifyIndex === jobModifyIndex && e.TriggeredBy === 'job-register')
    .sort((a, b) => a.CreateIndex - b.CreateIndex)[0];
  return { version, jobModifyIndex, evalId: ev?.ID ?? '' };
}

/**
 * Register with check-index = the plan's index, keeping the source with the version. A lost answer or a
 * check-index conflict is checked against the cluster: our own write comes back as `ours`; anything
 * else is thrown as it came.
 */
export async function submitPlanned(client: SubmitClient, job: Job, o: SubmitOptions): Promise<SubmitResult> {
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const opts: RegisterJobOptions = {
    ...ns,
    enforceIndex: true,
    jobModifyIndex: o.planIndex,
    submission: { source: o.source, ...(o.variables ? { variables: o.variables } : {}) },
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const jobId = String(job.ID ?? '');
  try {
    const r = await client.registerJob(job, opts);
    return { kind: 'submitted', evalId: r.EvalID, jobModifyIndex: r.JobModifyIndex, warnings: r.Warnings ?? '' };
  } catch (e) {
    const conflict = isNomadError(e) && e.kind === 'conflict';
    if (!conflict && !answerMayBeLost(e)) throw e;
    const own = await findOwnSubmission(client, jobId, o).catch(() => undefined);
    if (!own) throw e;
    return {
      kind: 'ours',
      evalId: own.evalId,
      jobModifyIndex: own.jobModifyIndex,
      version: own.version,
      why: conflict ? 'conflict-with-own-write' : 'lost-answer',
    };
  }
}
