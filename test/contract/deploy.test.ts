// The deployment watcher (src/nomad/deploy/watch.ts) against a backend: a good version becomes healthy;
// a version whose task cannot start fails its deployment, the failure names the task's events, the
// revert target is the last stable version, and the revert (with EnforcePriorVersion) is healthy again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend, uniqueId, type Backend } from './backend';
import { NomadClient } from '../../src/nomad/client';
import { watchRun, eventLine } from '../../src/nomad/deploy/watch';
import type { Job } from '../../src/nomad/types';

const S = 1_000_000_000;
let b: Backend;
let client: NomadClient;
const id = uniqueId('ct-watch');

function job(command: string): Job {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'g',
        Count: 1,
        // health from task states, no auto_revert: the watcher must offer the revert itself
        Update: {
          MaxParallel: 1,
          HealthCheck: 'task_states',
          MinHealthyTime: 1 * S,
          HealthyDeadline: 30 * S,
          ProgressDeadline: 60 * S,
          AutoRevert: false,
        },
        RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
        ReschedulePolicy: { Attempts: 0, Unlimited: false },
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Config: { command, args: ['3600'] },
            Resources: { CPU: 20, MemoryMB: 16 },
            KillTimeout: 1 * S,
          },
        ],
      },
    ],
  };
}

async function runAndWatch(j: Job, enforce?: number) {
  const r = await client.registerJob(j, enforce !== undefined ? { enforceIndex: true, jobModifyIndex: enforce } : {});
  return watchRun(client, {
    jobId: id,
    evalId: r.EvalID,
    jobModifyIndex: r.JobModifyIndex,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    timeoutMs: 180_000,
    waitMs: 10_000,
  });
}

before(async () => {
  b = await startBackend();
  client = new NomadClient({
    profile: { name: 'contract', address: b.addr, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
});
after(async () => {
  await client.deregisterJob(id, { purge: true }).catch(() => undefined);
  await client.close();
  await b.stop();
});

describe('deployment watcher', () => {
  it(
    'reports a healthy deployment, a failed one with the task events and the revert target, and a healthy revert',
    { timeout: 600_000 },
    async () => {
      const good = await runAndWatch(job('/bin/sleep'), 0);
      assert.equal(good.outcome, 'successful', JSON.stringify(good).slice(0, 400));

      const bad = await runAndWatch(job('/bin/does-not-exist'));
      assert.equal(bad.outcome, 'failed', JSON.stringify(bad).slice(0, 400));
      if (bad.outcome !== 'failed') return;
      assert.equal(bad.autoReverted, false);
      assert.equal(bad.revertTo, 0, 'the last stable version');
      assert.ok(bad.failedTasks.length >= 1, 'the failing task is named');
      const lines = bad.failedTasks[0]!.events.map(eventLine).join(' | ');
      assert.match(lines, /Driver Failure|Not Restarting|Terminated/, lines);

      const r = await client.revertJob(id, 0, bad.deployment.JobVersion);
      const back = await watchRun(client, {
        jobId: id,
        evalId: r.EvalID,
        jobModifyIndex: r.JobModifyIndex,
        signal: new AbortController().signal,
        onProgress: () => undefined,
        timeoutMs: 180_000,
        waitMs: 10_000,
      });
      assert.equal(back.outcome, 'successful', JSON.stringify(back).slice(0, 400));
      const current = (await client.getJob(id)).body;
      assert.equal((current.TaskGroups![0]!.Tasks![0]!.Config as { command: string }).command, '/bin/sleep');
      assert.equal(current.Version, 2, 'the revert is a new version with the old spec');
    },
  );
});
