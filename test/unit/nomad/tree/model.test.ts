import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterModel, jobKey, allocIndex, age, shortId } from '../../../../src/nomad/tree/model';
import type { AllocationListStub, JobListStub, StreamEvent } from '../../../../src/nomad/types';

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
    JobSummary: {
      JobID: id,
      Namespace: 'default',
      Summary: { web: { Queued: 0, Complete: 0, Failed: 0, Running: 1, Starting: 0, Lost: 0, Unknown: 0 } },
      CreateIndex: 1,
      ModifyIndex: 1,
    },
    CreateIndex: 1,
    ModifyIndex: 1,
    JobModifyIndex: 1,
    SubmitTime: 0,
    ...over,
  };
}
function alloc(id: string, jobId: string, over: Partial<AllocationListStub> = {}): AllocationListStub {
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

test('setJobs reports structure changes, then only the jobs that changed', () => {
  const m = new ClusterModel();
  const c1 = m.setJobs([job('a'), job('b')]);
  assert.equal(c1.structure, true);
  assert.deepEqual(m.jobKeys(), [jobKey('default', 'a'), jobKey('default', 'b')]);
  const c2 = m.setJobs([job('a'), job('b', { ModifyIndex: 5, Status: 'dead' })]);
  assert.equal(c2.structure, false);
  assert.deepEqual([...c2.jobs], [jobKey('default', 'b')]);
  const c3 = m.setJobs([job('a')]);
  assert.equal(c3.structure, true);
  assert.deepEqual(m.jobKeys(), [jobKey('default', 'a')]);
});

test('a namespace-scoped list does not drop jobs of other namespaces', () => {
  const m = new ClusterModel();
  m.setJobs([job('a'), job('x', { Namespace: 'prod' })]);
  m.setJobs([job('a')], 'default');
  assert.deepEqual(m.namespaces(), ['default', 'prod']);
});

test('groups count allocations by client status and the job summarises running/desired', () => {
  const m = new ClusterModel();
  m.setJobs([job('api')]);
  m.applyEvents([
    {
      Topic: 'Job',
      Type: 'JobRegistered',
      Key: 'api',
      Namespace: 'default',
      Index: 20,
      Payload: {
        Job: {
          ID: 'api',
          Namespace: 'default',
          Type: 'service',
          Status: 'running',
          Version: 3,
          TaskGroups: [{ Name: 'web', Count: 3 }],
        },
      },
    },
  ]);
  m.setAllocations([
    alloc('1', 'api'),
    alloc('2', 'api', { ClientStatus: 'pending' }),
    alloc('3', 'api', { ClientStatus: 'failed' }),
  ]);
  const g = m.groups(jobKey('default', 'api'));
  assert.equal(g.length, 1);
  assert.deepEqual(g[0]!.counts, { running: 1, pending: 1, failed: 1, complete: 0, lost: 0, unknown: 0 });
  assert.equal(g[0]!.desired, 3);
  const v = m.job(jobKey('default', 'api'))!;
  assert.equal(v.summary, '1/3 running');
  assert.equal(v.version, 3);
  assert.equal(v.health, 'failed');
});

test('an allocation event updates only its job and is idempotent', () => {
  const m = new ClusterModel();
  m.setJobs([job('a'), job('b')]);
  m.setAllocations([alloc('1', 'a'), alloc('2', 'b')]);
  const ev: StreamEvent = {
    Topic: 'Allocation',
    Type: 'AllocationUpdated',
    Key: '1',
    Namespace: 'default',
    Index: 30,
    Payload: { Allocation: { ...alloc('1', 'a'), ClientStatus: 'failed', ModifyIndex: 30 } },
  };
  const c = m.applyEvents([ev]);
  assert.deepEqual([...c.jobs], [jobKey('default', 'a')]);
  assert.equal(m.allocation('1')!.ClientStatus, 'failed');
  assert.equal(m.applyEvents([ev]).jobs.size, 0, 'same event twice changes nothing');
});

test('an allocation for an unknown job creates a placeholder and asks for a refetch', () => {
  const m = new ClusterModel();
  const c = m.applyEvents([
    {
      Topic: 'Allocation',
      Type: 'AllocationCreated',
      Key: '9',
      Namespace: 'default',
      Index: 3,
      Payload: { Allocation: alloc('9', 'new') },
    },
  ]);
  assert.equal(c.structure, true);
  assert.ok(c.refetch.has(jobKey('default', 'new')));
  assert.equal(m.allocations(jobKey('default', 'new'), 'web').length, 1);
});

test('deregistration asks for a refetch; a purged job disappears with its allocations', () => {
  const m = new ClusterModel();
  m.setJobs([job('a')]);
  m.setAllocations([alloc('1', 'a')]);
  const c = m.applyEvents([
    { Topic: 'Job', Type: 'JobDeregistered', Key: 'a', Namespace: 'default', Index: 40, Payload: {} },
  ]);
  assert.ok(c.refetch.has(jobKey('default', 'a')));
  const c2 = m.setJob('default', 'a', null);
  assert.equal(c2.structure, true);
  assert.equal(m.allocation('1'), undefined);
  assert.equal(m.size.jobs, 0);
});

test('setAllocations drops allocations that are gone (garbage collected)', () => {
  const m = new ClusterModel();
  m.setJobs([job('a')]);
  m.setAllocations([alloc('1', 'a'), alloc('2', 'a')]);
  const c = m.setAllocations([alloc('2', 'a')]);
  assert.ok(c.jobs.has(jobKey('default', 'a')));
  assert.equal(m.allocation('1'), undefined);
  assert.equal(m.size.allocations, 1);
});

test('helpers: alloc index, short id, age', () => {
  assert.equal(allocIndex('web.frontend[12]'), 12);
  assert.equal(allocIndex('nope'), undefined);
  assert.equal(shortId('cb3116cf-1234-5678'), 'cb3116cf');
  assert.equal(age(60_000 * 1e6, 60_000 + 65_000), '1m');
  assert.equal(age(0, 5), '');
});
