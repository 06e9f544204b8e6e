// ClusterSync against a loopback server speaking Nomad's HTTP API: a purge seen on the event stream removes
// the job (after the read that answers 404), a new allocation gets its job version from the job's
// allocation list, and an unreachable event stream is reported as stale until it flows again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NomadClient } from '../../../../src/nomad/client';
import { ClusterModel, jobKey } from '../../../../src/nomad/tree/model';
import { ClusterSync } from '../../../../src/nomad/tree/sync';
import type { AllocationListStub, JobListStub, StreamEvent } from '../../../../src/nomad/types';
import { profile, mulberry32 as seededRandom, startServer } from '../../support';

const jobStub = (id: string): JobListStub => ({
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
  CreateIndex: 5,
  ModifyIndex: 5,
  JobModifyIndex: 5,
  SubmitTime: 0,
});
const allocStub = (id: string, jobId: string, version: number, index: number): AllocationListStub => ({
  ID: id,
  EvalID: 'e',
  Name: `${jobId}.web[0]`,
  Namespace: 'default',
  NodeID: 'n',
  NodeName: 'node',
  JobID: jobId,
  JobType: 'service',
  JobVersion: version,
  TaskGroup: 'web',
  DesiredStatus: 'run',
  DesiredDescription: '',
  ClientStatus: 'running',
  ClientDescription: '',
  TaskStates: null,
  DeploymentStatus: null,
  FollowupEvalID: '',
  NextAllocation: '',
  CreateIndex: index,
  ModifyIndex: index,
  CreateTime: 0,
  ModifyTime: 0,
});

async function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

async function harness(failFirstStream: boolean) {
  let streamCalls = 0;
  const purged = new Set<string>();
  const stale: (number | undefined)[] = [];
  const batches: { Index: number; Events: StreamEvent[] }[] = [
    {
      Index: 20,
      Events: [
        {
          Topic: 'Evaluation',
          Type: 'JobDeregistered',
          Key: 'ev1',
          Namespace: 'default',
          FilterKeys: ['web', ''],
          Index: 20,
          Payload: {
            Evaluation: {
              ID: 'ev1',
              JobID: 'web',
              Namespace: 'default',
              TriggeredBy: 'job-deregister',
              Status: 'pending',
            },
          },
        },
      ],
    },
    {
      Index: 21,
      Events: [
        {
          Topic: 'Allocation',
          Type: 'PlanResult',
          Key: 'api-2',
          Namespace: 'default',
          FilterKeys: ['api', 'd1'],
          Index: 21,
          Payload: {
            Allocation: {
              ID: 'api-2',
              JobID: 'api',
              Namespace: 'default',
              TaskGroup: 'web',
              Name: 'api.web[1]',
              ClientStatus: 'pending',
              DesiredStatus: 'run',
              CreateIndex: 21,
              ModifyIndex: 21,
            },
          },
        },
      ],
    },
  ];
  const srv = await startServer((req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    const json = (body: unknown, status = 200) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-nomad-index', '12');
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/v1/jobs':
        return json([jobStub('api'), ...(purged.has('web') ? [] : [jobStub('web')])]);
      case '/v1/allocations':
        return json([allocStub('api-1', 'api', 3, 10), allocStub('web-1', 'web', 1, 11)]);
      case '/v1/job/web':
        purged.add('web');
        return json('job not found', 404);
      case '/v1/job/api/allocations':
        return json([allocStub('api-1', 'api', 3, 10), allocStub('api-2', 'api', 4, 21)]);
      case '/v1/event/stream': {
        streamCalls++;
        if (failFirstStream && streamCalls === 1) return json('agent going away', 500);
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        for (const b of batches) res.write(`${JSON.stringify(b)}\n`);
        res.write('{}\n');
        return; // held open until the client goes
      }
      default:
        return json('not found', 404);
    }
  });
  const client = new NomadClient({ profile: profile(srv.url) });
  const model = new ClusterModel();
  const sync = new ClusterSync(client, model, {
    namespace: 'default',
    random: seededRandom(1),
    debounceMs: 5,
    onChange: () => undefined,
    onStale: s => stale.push(s),
  });
  return {
    srv,
    client,
    model,
    sync,
    stale,
    close: async () => {
      sync.dispose();
      await client.close();
      await srv.close();
    },
  };
}

test("sync: a purge on the event stream removes the job; a new allocation gets its version from the job's allocations", async () => {
  const { model, sync, stale, close } = await harness(false);
  try {
    await sync.start();
    assert.ok(model.entry(jobKey('default', 'web')), 'web is shown at first');
    assert.equal(model.allocVersion('api-1'), 3);
    await waitFor('web removed after the purge', () => !model.entry(jobKey('default', 'web')));
    assert.equal(model.allocation('web-1'), undefined);
    await waitFor("the new allocation's version", () => model.allocVersion('api-2') === 4);
    assert.equal(model.allocation('api-2')!.JobVersion, 4);
    assert.deepEqual(stale, [], 'never stale');
  } finally {
    await close();
  }
});

test('sync: an event stream that fails is reported stale, and fresh again once it flows', async () => {
  const { sync, stale, close } = await harness(true);
  try {
    await sync.start();
    await waitFor('stale, then fresh again', () => stale.length >= 2);
    assert.equal(typeof stale[0], 'number', 'the failed stream made the view stale');
    assert.equal(stale[1], undefined, 'the stream flowing again cleared it');
    assert.equal(sync.stalledSince, undefined);
  } finally {
    await close();
  }
});
