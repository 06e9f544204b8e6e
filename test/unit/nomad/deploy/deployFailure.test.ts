// A failed deploy is reported early and with its cause. The allocations, deployments
// and versions are the real agent's (test/fixtures/nomad/captured, Nomad 1.6.5: failing.nomad whose task
// exits 1 with auto_revert, rolled back to v0 as v2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstFailure, followRollback, watchRun, type FailureCause } from '../../../../src/nomad/deploy/watch';
import type { AllocationListStub, Deployment, Evaluation, Job, JobVersionsResponse } from '../../../../src/nomad/types';
import type { QueryResult } from '../../../../src/nomad/client';
import { FakeClock, repoRoot } from '../../support';

const dir = path.join(repoRoot(), 'test', 'fixtures', 'nomad', 'captured');
const body = <T>(name: string): T => {
  const j = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { body?: T };
  return (j.body ?? j) as T;
};
const allocs = body<AllocationListStub[]>('job-failing-allocations');
const failedDeployment = body<Deployment>('deployment-failed');
const reverted = body<Deployment>('deployment-failing-reverted');

test("the first failure of a version is its task's own event, not the stop of an old allocation", () => {
  const cause = firstFailure(allocs, 'failing', 1)!;
  assert.equal(cause.where, 'app[0]/app');
  assert.equal(cause.event.Type, 'Terminated');
  assert.equal(cause.text, 'Terminated — Exit Code: 1');
  // v0's allocation was stopped on purpose (Killing, then exit 130): no failure there
  assert.equal(firstFailure(allocs, 'failing', 0), undefined);
  assert.equal(firstFailure(allocs, 'failing', 2), undefined, 'the rollback version is healthy');
});

test('a driver failure (a pull that fails) is the cause, before the Not Restarting that follows it', () => {
  const t0 = 1_795_617_700_000_000_000;
  const a: AllocationListStub = {
    ...allocs[2]!,
    JobVersion: 3,
    Name: 'shop.web[0]',
    TaskStates: {
      server: {
        State: 'dead',
        Failed: true,
        Restarts: 0,
        LastRestart: null,
        StartedAt: null,
        FinishedAt: null,
        Events: [
          { Type: 'Received', Time: t0, DisplayMessage: 'Task received by client' },
          { Type: 'Driver Failure', Time: t0 + 5, DisplayMessage: 'Failed to pull `nginx:nope`: manifest unknown' },
          { Type: 'Not Restarting', Time: t0 + 6, DisplayMessage: 'Error was unrecoverable' },
        ],
      },
    },
  };
  const cause = firstFailure([a], 'shop', 3)!;
  assert.equal(
    `${cause.where}: ${cause.text}`,
    'web[0]/server: Driver Failure — Failed to pull `nginx:nope`: manifest unknown',
  );
});

/** A client that replays the capture: the deployment fails after the allocation has failed. */
function replay(onAllocRead: () => void) {
  let depReads = 0;
  let allocReads = 0;
  const client = {
    getEvaluation: async (): Promise<QueryResult<Evaluation>> => ({
      index: 473,
      body: { ...body<Evaluation[]>('job-failing-evaluations')[0]!, Status: 'complete', FailedTGAllocs: null },
    }),
    jobDeployments: async (): Promise<QueryResult<Deployment[]>> => ({
      index: 480,
      body: [reverted, { ...failedDeployment, Status: 'running', StatusDescription: 'Deployment is running' }],
    }),
    getDeployment: async (
      id: string,
      o: { index?: number; signal?: AbortSignal },
    ): Promise<QueryResult<Deployment>> => {
      depReads++;
      if (id === reverted.ID) return { index: 490, body: reverted };
      // first read: still running; the next one blocks until the failure was seen on the allocations
      if (depReads === 1)
        return {
          index: 474,
          body: { ...failedDeployment, Status: 'running', StatusDescription: 'Deployment is running' },
        };
      while (allocReads === 0 && !o.signal?.aborted) await new Promise(r => setTimeout(r, 5));
      return { index: 479, body: failedDeployment };
    },
    jobAllocations: async (): Promise<QueryResult<AllocationListStub[]>> => {
      allocReads++;
      onAllocRead();
      return { index: 478, body: allocs };
    },
    jobVersions: async (): Promise<QueryResult<JobVersionsResponse>> => ({
      index: 479,
      body: body<JobVersionsResponse>('job-failing-versions'),
    }),
    getJob: async (): Promise<QueryResult<Job>> => ({ index: 479, body: body<Job>('job-failing') }),
  };
  return client;
}

test('watchRun reports the first failure while the deployment still runs, then the failure with its cause', async () => {
  const seen: { cause: FailureCause; deploymentOverAt: string }[] = [];
  let status = 'running';
  const client = replay(() => undefined);
  const outcome = await watchRun(client, {
    jobId: 'failing',
    evalId: 'e',
    jobModifyIndex: failedDeployment.JobModifyIndex,
    signal: new AbortController().signal,
    timeoutMs: 60_000,
    clock: new FakeClock(),
    onProgress: p => {
      if (p.status) status = p.status;
    },
    onFailure: cause => seen.push({ cause, deploymentOverAt: status }),
  });
  assert.equal(seen.length, 1, 'reported once');
  assert.equal(seen[0]!.deploymentOverAt, 'running', 'reported before the deployment ended');
  assert.equal(seen[0]!.cause.text, 'Terminated — Exit Code: 1');
  assert.equal(outcome.outcome, 'failed');
  if (outcome.outcome !== 'failed') return;
  assert.equal(outcome.cause?.where, 'app[0]/app');
  assert.equal(outcome.autoReverted, true);
  assert.equal(outcome.rollbackTo, 0);
});

test('followRollback: Nomad registered v0 again as v2 and its deployment is healthy', async () => {
  const client = replay(() => undefined);
  const r = await followRollback(client, {
    jobId: 'failing',
    failedVersion: 1,
    to: 0,
    signal: new AbortController().signal,
    timeoutMs: 60_000,
    clock: new FakeClock(),
  });
  assert.equal(r.status, 'successful');
  assert.equal(r.to, 0);
  assert.equal(r.registeredAs, 2);
  assert.equal(r.deployment?.ID, reverted.ID);
});

test('followRollback: no newer version registered means no rollback (not a hang)', async () => {
  let now = 0;
  const client = {
    ...replay(() => undefined),
    getJob: async (): Promise<QueryResult<Job>> => {
      now += 10_000;
      return { index: 472, body: { ...body<Job>('job-failing'), Version: 1 } };
    },
  };
  const r = await followRollback(client, {
    jobId: 'failing',
    failedVersion: 1,
    signal: new AbortController().signal,
    timeoutMs: 30_000,
    now: () => now,
    clock: new FakeClock(),
  });
  assert.equal(r.status, 'none');
});
