// The tree tells the truth: purged jobs leave the model, and allocations that
// arrive from the event stream (which strips their job) show their real job version, never a default 0.
// Event shapes are the real agent's: test/fixtures/nomad/captured/events-job-allocation.ndjson (Nomad 1.6.5),
// and for a purge the Evaluation event Nomad publishes for the deregistration (it publishes no event for a
// deleted job: nomad/state/events.go handles deletions of other tables only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusterModel, jobKey } from '../../../../src/nomad/tree/model';
import type { AllocationListStub, JobListStub, StreamEvent, StreamEvents } from '../../../../src/nomad/types';
import { repoRoot } from '../../support';

const captured: StreamEvent[] = fs
  .readFileSync(path.join(repoRoot(), 'test/fixtures/nomad/captured/events-job-allocation.ndjson'), 'utf8')
  .split('\n')
  .filter(l => l.trim())
  .map(l => JSON.parse(l) as Partial<StreamEvents>)
  .flatMap(b => b.Events ?? []);

function job(id: string, over: Partial<JobListStub> = {}): JobListStub {
  return {
    ID: id,
    ParentID: '',
    Name: id,
    Namespace: 'default',
    Datacenters: ['dc1'],
    Type: 'service',
    Priority: 50,
    Periodic: false,
    ParameterizedJob: false,
    Stop: false,
    Status: 'running',
    StatusDescription: '',
    JobSummary: null,
    CreateIndex: 1,
    ModifyIndex: 1,
    JobModifyIndex: 1,
    SubmitTime: 0,
    ...over,
  };
}
function stub(id: string, jobId: string, over: Partial<AllocationListStub> = {}): AllocationListStub {
  return {
    ID: id,
    EvalID: 'e',
    Name: `${jobId}.web[0]`,
    Namespace: 'default',
    NodeID: 'n1',
    NodeName: 'node-1',
    JobID: jobId,
    JobType: 'service',
    JobVersion: 0,
    TaskGroup: 'web',
    DesiredStatus: 'run',
    DesiredDescription: '',
    ClientStatus: 'running',
    ClientDescription: '',
    TaskStates: null,
    DeploymentStatus: null,
    FollowupEvalID: '',
    NextAllocation: '',
    CreateIndex: 10,
    ModifyIndex: 10,
    CreateTime: 0,
    ModifyTime: 0,
    ...over,
  };
}
const evalEvent = (type: string, jobId: string, over: Record<string, unknown> = {}): StreamEvent => ({
  Topic: 'Evaluation',
  Type: type,
  Key: 'e-1',
  Namespace: 'default',
  FilterKeys: [jobId, ''],
  Index: 70,
  Payload: {
    Evaluation: {
      ID: 'e-1',
      JobID: jobId,
      Namespace: 'default',
      TriggeredBy: 'job-deregister',
      Status: 'pending',
      ...over,
    },
  },
});

test('captured allocation events carry no job version (the shape the fix is for)', () => {
  const allocs = captured.filter(e => e.Topic === 'Allocation');
  assert.ok(allocs.length > 0);
  for (const e of allocs) {
    const a = e.Payload.Allocation as Record<string, unknown>;
    assert.equal(a.JobVersion, undefined);
    assert.ok(a.Job === undefined || a.Job === null);
  }
});

test("a new allocation from the event stream has no version until its job's allocation list is read", () => {
  const m = new ClusterModel();
  m.setJobs([job('batch-once', { Type: 'batch' })]);
  const created = captured.find(
    e =>
      e.Topic === 'Allocation' &&
      e.Type === 'PlanResult' &&
      (e.Payload.Allocation as { JobID: string }).JobID === 'batch-once',
  )!;
  const id = created.Key;
  const c = m.applyEvents([created]);
  const key = jobKey('default', 'batch-once');
  assert.ok(c.versions.has(key), 'the controller is asked to read the versions');
  assert.equal(m.allocVersion(id), undefined, 'unknown, not v0');
  // the job's allocation list (GET /v1/job/:id/allocations) states it
  const c2 = m.setAllocVersions([stub(id, 'batch-once', { JobVersion: 4 })]);
  assert.ok(c2.jobs.has(key));
  assert.equal(m.allocVersion(id), 4);
  assert.equal(m.allocation(id)!.JobVersion, 4);
  // later updates of the same allocation (still without a version) keep it, and ask nothing
  const later = captured.filter(e => e.Topic === 'Allocation' && e.Key === id && e.Type === 'AllocationUpdated');
  assert.ok(later.length > 0);
  for (const e of later) {
    const c3 = m.applyEvents([e]);
    assert.equal(c3.versions.size, 0);
    assert.equal(m.allocVersion(id), 4);
  }
});

test('an allocation known from a list keeps its version through events that do not state it', () => {
  const m = new ClusterModel();
  m.setJobs([job('api')]);
  m.setAllocations([stub('a1', 'api', { JobVersion: 3 })]);
  const ev: StreamEvent = {
    Topic: 'Allocation',
    Type: 'AllocationUpdated',
    Key: 'a1',
    Namespace: 'default',
    Index: 30,
    Payload: {
      Allocation: {
        ID: 'a1',
        JobID: 'api',
        Namespace: 'default',
        TaskGroup: 'web',
        Name: 'api.web[0]',
        ClientStatus: 'failed',
        ModifyIndex: 30,
      },
    },
  };
  const c = m.applyEvents([ev]);
  assert.equal(c.versions.size, 0);
  assert.equal(m.allocVersion('a1'), 3);
  assert.equal(m.allocation('a1')!.ClientStatus, 'failed');
  // a full allocation (GET /v1/allocation/:id) states it through its Job
  m.applyEvents([
    {
      ...ev,
      Index: 31,
      Payload: { Allocation: { ...(ev.Payload.Allocation as object), ModifyIndex: 31, Job: { Version: 5 } } },
    },
  ]);
  assert.equal(m.allocVersion('a1'), 5);
});

test('the job version shown on a job ignores allocations whose version is not known', () => {
  const m = new ClusterModel();
  m.setJobs([job('api')]);
  m.setAllocations([stub('a1', 'api', { JobVersion: 2 })]);
  m.applyEvents([
    {
      Topic: 'Allocation',
      Type: 'PlanResult',
      Key: 'a2',
      Namespace: 'default',
      Index: 40,
      Payload: {
        Allocation: {
          ID: 'a2',
          JobID: 'api',
          Namespace: 'default',
          TaskGroup: 'web',
          Name: 'api.web[1]',
          ClientStatus: 'pending',
          ModifyIndex: 40,
          CreateIndex: 40,
        },
      },
    },
  ]);
  assert.equal(m.job(jobKey('default', 'api'))!.version, 2);
});

test("a purge (the deregistration's evaluation, no Job event) asks for a read; the 404 removes the job for good", () => {
  const m = new ClusterModel();
  m.setJobs([job('web')]);
  m.setAllocations([stub('w1', 'web')]);
  const key = jobKey('default', 'web');
  const c = m.applyEvents([evalEvent('JobDeregistered', 'web')]);
  assert.ok(c.refetch.has(key), 'the job is read again');
  // the read: 404
  const gone = m.setJob('default', 'web', null);
  assert.equal(gone.structure, true);
  assert.equal(m.entry(key), undefined);
  assert.equal(m.allocation('w1'), undefined);
  // Nomad then stops the purged job's allocations: their events must not bring it back as a placeholder
  const after = m.applyEvents([
    {
      Topic: 'Allocation',
      Type: 'PlanResult',
      Key: 'w1',
      Namespace: 'default',
      Index: 71,
      Payload: {
        Allocation: {
          ID: 'w1',
          JobID: 'web',
          Namespace: 'default',
          TaskGroup: 'web',
          Name: 'web.web[0]',
          DesiredStatus: 'stop',
          ClientStatus: 'running',
          ModifyIndex: 71,
        },
      },
    },
  ]);
  assert.equal(after.structure, false);
  assert.equal(m.entry(key), undefined);
  // registered again under the same id: it is back, and so are its new allocations
  m.applyEvents([
    {
      Topic: 'Job',
      Type: 'JobRegistered',
      Key: 'web',
      Namespace: 'default',
      Index: 80,
      Payload: { Job: { ID: 'web', Namespace: 'default', Type: 'service', Status: 'pending', Version: 0 } },
    },
  ]);
  assert.ok(m.entry(key));
  m.setAllocations([stub('w2', 'web', { CreateIndex: 81, ModifyIndex: 81 })]);
  assert.ok(m.allocation('w2'));
});

test("only the deregistration's own evaluation event asks for a read (its later updates, other evaluations and a stop that carries its job do not)", () => {
  const m = new ClusterModel();
  m.setJobs([job('web')]);
  assert.ok(m.applyEvents([evalEvent('JobDeregistered', 'web')]).refetch.has(jobKey('default', 'web')));
  assert.equal(m.applyEvents([evalEvent('EvaluationUpdated', 'web', { Status: 'complete' })]).refetch.size, 0);
  assert.equal(m.applyEvents([evalEvent('JobRegistered', 'web', { TriggeredBy: 'job-register' })]).refetch.size, 0);
  assert.equal(
    m.applyEvents([evalEvent('JobDeregistered', 'unknown-job')]).refetch.size,
    0,
    'nothing to read for a job the tree does not show',
  );
  const stop = m.applyEvents([
    {
      Topic: 'Job',
      Type: 'JobDeregistered',
      Key: 'web',
      Namespace: 'default',
      Index: 71,
      Payload: { Job: { ID: 'web', Namespace: 'default', Type: 'service', Status: 'dead', Stop: true, Version: 2 } },
    },
  ]);
  assert.equal(stop.refetch.size, 0, 'the stopped job is in the event');
  assert.equal(m.job(jobKey('default', 'web'))!.stop, true);
});

test('a full list read together with the job list leaves out allocations of purged jobs', () => {
  const m = new ClusterModel();
  m.setJobs([job('a')]);
  const c = m.setAllocations([stub('1', 'a'), stub('2', 'purged-long-ago')], true);
  assert.equal(m.size.jobs, 1);
  assert.equal(m.allocation('2'), undefined);
  assert.equal(c.refetch.size, 0);
  // without that guarantee (a list read alone) an unknown job gets a placeholder and a read
  const c2 = m.setAllocations([stub('1', 'a'), stub('3', 'new-job')]);
  assert.ok(c2.refetch.has(jobKey('default', 'new-job')));
});

test('forgetJob (a 404 while acting on a job) removes it', () => {
  const m = new ClusterModel();
  m.setJobs([job('x'), job('y')]);
  const c = m.forgetJob('default', 'x');
  assert.equal(c.structure, true);
  assert.deepEqual(m.jobKeys(), [jobKey('default', 'y')]);
  assert.equal(m.forgetJob('default', 'x').structure, false, 'already gone: nothing changes');
});
