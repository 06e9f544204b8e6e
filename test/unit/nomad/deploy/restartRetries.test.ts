// Nomad's restarts under the restart policy are named while they happen ("Nomad retries web[0]/server
// (restart policy): attempt 2 of 2, next in 15 s"), instead of a bare "0/1 healthy, 1 placed".
// The Restarting event carries StartDelay in nanoseconds (Nomad's TaskEvent.SetRestartDelay).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartRetries, retryText } from '../../../../src/nomad/deploy/watch';
import type { AllocationListStub, Job, TaskEvent } from '../../../../src/nomad/types';

const t0 = 1_795_617_700_000; // ms
const ev = (Type: string, ms: number, extra: Partial<TaskEvent> = {}): TaskEvent => ({
  Type,
  Time: ms * 1e6,
  DisplayMessage: '',
  ...extra,
});
const alloc = (version: number, restarts: number, events: TaskEvent[], status = 'pending'): AllocationListStub =>
  ({
    ID: `a${version}`,
    EvalID: 'e',
    Name: 'shop.web[0]',
    Namespace: 'default',
    NodeID: 'n',
    NodeName: 'n',
    JobID: 'shop',
    JobType: 'service',
    JobVersion: version,
    TaskGroup: 'web',
    DesiredStatus: 'run',
    ClientStatus: status,
    CreateIndex: 1,
    ModifyIndex: 2,
    TaskStates: {
      server: {
        State: 'pending',
        Failed: false,
        Restarts: restarts,
        LastRestart: null,
        StartedAt: null,
        FinishedAt: null,
        Events: events,
      },
    },
  }) as unknown as AllocationListStub;
const job = {
  ID: 'shop',
  TaskGroups: [{ Name: 'web', RestartPolicy: { Attempts: 2, Delay: 15e9, Interval: 30 * 60e9, Mode: 'fail' } }],
} as unknown as Job;

test("a Restarting event: the attempt, the policy's attempts and the time to the next start", () => {
  const a = alloc(3, 2, [
    ev('Driver Failure', t0),
    ev('Restarting', t0 + 10, { StartDelay: 15e9, Details: { start_delay: '15000000000' } }),
  ]);
  const r = restartRetries([a], 'shop', 3, job)!;
  assert.deepEqual(r, { where: 'web[0]/server', attempt: 2, attempts: 2, at: t0 + 10 + 15_000, gaveUp: false });
  assert.equal(retryText(r, t0 + 10), 'Nomad retries web[0]/server (restart policy): attempt 2 of 2, next in 15 s');
  assert.equal(
    retryText(r, t0 + 10 + 14_001),
    'Nomad retries web[0]/server (restart policy): attempt 2 of 2, next in 1 s',
  );
  assert.equal(
    retryText(r, t0 + 10 + 15_000),
    'Nomad retries web[0]/server (restart policy): attempt 2 of 2, starting it again',
  );
  // the delay only in Details (as some events carry it), and a job that does not say its attempts
  const b = alloc(3, 1, [ev('Restarting', t0, { Details: { start_delay: '5000000000' } })]);
  assert.equal(
    retryText(restartRetries([b], 'shop', 3)!, t0),
    'Nomad retries web[0]/server (restart policy): attempt 1, next in 5 s',
  );
});

test('attempts used up: said so; a running task or another version: nothing', () => {
  const gave = alloc(3, 2, [
    ev('Restarting', t0, { StartDelay: 15e9 }),
    ev('Driver Failure', t0 + 15_000),
    ev('Not Restarting', t0 + 15_001),
  ]);
  assert.equal(
    retryText(restartRetries([gave], 'shop', 3, job)!, t0 + 20_000),
    "Nomad stopped restarting web[0]/server: the restart policy's 2 attempts are used up",
  );
  const running = alloc(3, 1, [ev('Restarting', t0, { StartDelay: 1e9 }), ev('Started', t0 + 1000)], 'running');
  assert.equal(restartRetries([running], 'shop', 3, job), undefined);
  assert.equal(
    restartRetries([alloc(2, 1, [ev('Restarting', t0, { StartDelay: 1e9 })])], 'shop', 3, job),
    undefined,
    "an older version's restarts are not this deployment's",
  );
  assert.equal(
    restartRetries([alloc(3, 1, [ev('Restarting', t0, { StartDelay: 1e9 })], 'complete')], 'shop', 3, job),
    undefined,
    'a terminal allocation retries nothing',
  );
});
