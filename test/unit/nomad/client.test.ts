import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NomadClient } from '../../../src/nomad/client';
import { profile, startServer } from '../support';

async function withRecorder(
  fn: (c: NomadClient, reqs: Awaited<ReturnType<typeof startServer>>['requests']) => Promise<void>,
  answer: (url: string) => unknown = () => ({}),
): Promise<void> {
  const srv = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('X-Nomad-Index', '42');
    res.end(JSON.stringify(answer(req.url ?? '')));
  });
  const c = new NomadClient({ profile: profile(srv.url, { namespace: 'prod', region: 'eu' }), token: 'tok-abcdef' });
  try {
    await fn(c, srv.requests);
  } finally {
    await c.close();
    await srv.close();
  }
}

test('namespace and region on every request; per-call override; path parts escaped', async () => {
  await withRecorder(async (c, reqs) => {
    const r = await c.listJobs({ namespace: '*', prefix: 'we' });
    assert.equal(r.index, 42);
    await c.getJob('my job/1');
    await c.jobSummary('a?b');
    const u0 = new URL(reqs[0]!.url, 'http://x');
    assert.equal(u0.pathname, '/v1/jobs');
    assert.equal(u0.searchParams.get('namespace'), '*');
    assert.equal(u0.searchParams.get('region'), 'eu');
    assert.equal(u0.searchParams.get('prefix'), 'we');
    assert.equal(reqs[1]!.url.split('?')[0], '/v1/job/my%20job%2F1');
    assert.equal(new URL(reqs[1]!.url, 'http://x').searchParams.get('namespace'), 'prod');
    assert.equal(reqs[2]!.url.split('?')[0], '/v1/job/a%3Fb/summary');
  });
});

test('blocking query sends index and wait and returns X-Nomad-Index', async () => {
  await withRecorder(
    async (c, reqs) => {
      const r = await c.jobAllocations('web', { index: 41, wait: 30_000, all: true });
      assert.equal(r.index, 42);
      const u = new URL(reqs[0]!.url, 'http://x');
      assert.equal(u.searchParams.get('index'), '41');
      assert.equal(u.searchParams.get('wait'), '30000ms');
      assert.equal(u.searchParams.get('all'), 'true');
    },
    () => [],
  );
});

test('write bodies follow the 1.6.5 API shapes', async () => {
  await withRecorder(async (c, reqs) => {
    await c.parseJob('job "x" {}', { canonicalize: true, variables: 'a = 1' });
    await c.validateJob({ ID: 'x' });
    await c.planJob({ ID: 'x' });
    await c.registerJob(
      { ID: 'x' },
      { enforceIndex: true, jobModifyIndex: 12, submission: { source: 'job "x" {}', variableFlags: { a: '1' } } },
    );
    await c.scaleGroup('x', 'web', 3, { message: 'from vscode' });
    await c.revertJob('x', 2, 5);
    await c.deregisterJob('x', { purge: true });
    await c.dispatchJob('x', { k: 'v' }, 'hello');
    await c.restartAllocation('alloc-1', 'server');
    await c.restartAllocation('alloc-1');
    await c.promoteDeployment('d1', ['web']);
    await c.promoteDeployment('d1');
    await c.failDeployment('d1');
    await c.jobSubmission('x', 3);
    await c.jobVersions('x', true);
    const b = reqs.map(r => ({
      m: r.method,
      p: r.url.split('?')[0],
      q: new URL(r.url, 'http://x').searchParams,
      body: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : undefined,
    }));
    assert.deepEqual(
      [b[0]!.m, b[0]!.p, b[0]!.body],
      ['POST', '/v1/jobs/parse', { JobHCL: 'job "x" {}', Canonicalize: true, Variables: 'a = 1' }],
    );
    assert.deepEqual([b[1]!.m, b[1]!.p, b[1]!.body], ['PUT', '/v1/validate/job', { Job: { ID: 'x' } }]);
    assert.deepEqual(
      [b[2]!.p, b[2]!.body],
      ['/v1/job/x/plan', { Job: { ID: 'x' }, Diff: true, PolicyOverride: false }],
    );
    assert.deepEqual(
      [b[3]!.p, b[3]!.body],
      [
        '/v1/jobs',
        {
          Job: { ID: 'x' },
          EnforceIndex: true,
          JobModifyIndex: 12,
          Submission: { Source: 'job "x" {}', Format: 'hcl2', VariableFlags: { a: '1' }, Variables: '' },
        },
      ],
    );
    assert.deepEqual(
      [b[4]!.p, b[4]!.body],
      [
        '/v1/job/x/scale',
        { Count: 3, Target: { Job: 'x', Group: 'web' }, Message: 'from vscode', Error: false, PolicyOverride: false },
      ],
    );
    assert.deepEqual(
      [b[5]!.p, b[5]!.body],
      ['/v1/job/x/revert', { JobID: 'x', JobVersion: 2, EnforcePriorVersion: 5 }],
    );
    assert.deepEqual([b[6]!.m, b[6]!.p, b[6]!.q.get('purge')], ['DELETE', '/v1/job/x', 'true']);
    assert.deepEqual(
      [b[7]!.p, b[7]!.body],
      ['/v1/job/x/dispatch', { JobID: 'x', Meta: { k: 'v' }, Payload: Buffer.from('hello').toString('base64') }],
    );
    assert.deepEqual(
      [b[8]!.m, b[8]!.p, b[8]!.body],
      ['PUT', '/v1/client/allocation/alloc-1/restart', { TaskName: 'server', AllTasks: false }],
    );
    assert.deepEqual(b[9]!.body, { TaskName: '', AllTasks: true });
    assert.deepEqual(
      [b[10]!.p, b[10]!.body],
      ['/v1/deployment/promote/d1', { DeploymentID: 'd1', All: false, Groups: ['web'] }],
    );
    assert.deepEqual(b[11]!.body, { DeploymentID: 'd1', All: true });
    assert.deepEqual([b[12]!.p, b[12]!.body], ['/v1/deployment/fail/d1', { DeploymentID: 'd1' }]);
    assert.deepEqual([b[13]!.m, b[13]!.p, b[13]!.q.get('version')], ['GET', '/v1/job/x/submission', '3']);
    assert.equal(b[14]!.q.get('diffs'), 'true');
    for (const r of reqs) assert.equal(r.headers['x-nomad-token'], 'tok-abcdef');
  });
});

test('services: nested list by namespace, and instances by name', async () => {
  await withRecorder(
    async c => {
      const list = await c.listServices({ namespace: '*' });
      assert.equal(list.body[0]!.Services[0]!.ServiceName, 'api');
      const inst = await c.getService('api');
      assert.equal(inst.body[0]!.Port, 23456);
    },
    url =>
      url.startsWith('/v1/services')
        ? [{ Namespace: 'default', Services: [{ ServiceName: 'api', Tags: ['http'] }] }]
        : [
            {
              ID: '_nomad-task-1',
              ServiceName: 'api',
              Namespace: 'default',
              NodeID: 'n',
              Datacenter: 'dc1',
              JobID: 'web',
              AllocID: 'a',
              Tags: [],
              Address: '127.0.0.1',
              Port: 23456,
              CreateIndex: 1,
              ModifyIndex: 1,
            },
          ],
  );
});

test('basic auth from NOMAD_HTTP_AUTH goes in the Authorization header', async () => {
  const srv = await startServer((_req, res) => {
    res.end('"127.0.0.1:4647"');
  });
  const c = new NomadClient({ profile: profile(srv.url), httpAuth: 'user:pw' });
  assert.equal((await c.leader()).body, '127.0.0.1:4647');
  assert.equal(srv.requests[0]!.headers['authorization'], `Basic ${Buffer.from('user:pw').toString('base64')}`);
  assert.equal(srv.requests[0]!.headers['x-nomad-token'], undefined);
  await c.close();
  await srv.close();
});
