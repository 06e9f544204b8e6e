// The double's client nodes beyond what tutorialNodes.test.ts holds against the real cluster: the default
// stays the one node it always was, an unknown node is refused, a force drain migrates everything on the
// node at once, a node with nothing on it finishes its drain at once, and the test hooks name the nodes
// they know when given another.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { NomadDouble } from '../../double/nomad';
import { Api, until } from '../../contract/http';
import * as J from '../../contract/jobs';

interface A {
  ID: string;
  NodeName: string;
  ClientStatus: string;
  DesiredStatus: string;
}
interface N {
  ID: string;
  Name: string;
  Address: string;
  Status: string;
}

describe('double: client nodes', () => {
  let d: NomadDouble;
  let api: Api;
  const ids: Record<string, string> = {};
  before(async () => {
    d = await NomadDouble.start({ nodes: ['node-02', 'node-03'], restartDelayMs: 200 });
    api = new Api(d.addr);
    for (const n of await api.get('/v1/nodes')) ids[n.Name] = n.ID;
  });
  after(async () => {
    await d?.stop();
  });

  it('without `nodes` it is the one node named after this machine, on 127.0.0.1', async () => {
    const one = await NomadDouble.start();
    try {
      const nodes = await new Api(one.addr).get('/v1/nodes');
      assert.deepEqual(
        nodes.map((n: N) => [n.ID, n.Name, n.Address, n.Status]),
        [[one.nodeId, os.hostname(), '127.0.0.1', 'ready']],
      );
    } finally {
      await one.stop();
    }
  });

  it('refuses a node it does not have', async () => {
    assert.equal((await api.raw('GET', '/v1/node/4f2a0000-0000-0000-0000-000000000000')).status, 404);
    assert.equal(
      (await api.raw('POST', '/v1/node/4f2a0000-0000-0000-0000-000000000000/drain', { DrainSpec: { Deadline: 0 } }))
        .status,
      500,
    );
    assert.throws(() => d.nodeDown('node-09'), /no node node-09 \(it has node-02, node-03\)/);
  });

  it('a force drain migrates every allocation on the node at once, then completes', async () => {
    // all three on node-02: node-03 takes nothing while it is ineligible
    await api.post(`/v1/node/${ids['node-03']}/eligibility`, { Eligibility: 'ineligible' });
    const job = J.sleeper('forced');
    job.TaskGroups[0].Count = 3;
    await api.post('/v1/jobs', { Job: job });
    const on2 = await until(
      'three running on node-02',
      async () => {
        const r = (await api.get('/v1/job/forced/allocations')).filter((a: A) => a.ClientStatus === 'running');
        return r.length === 3 && r.every((a: A) => a.NodeName === 'node-02') ? r : undefined;
      },
      60_000,
    );
    await api.post(`/v1/node/${ids['node-03']}/eligibility`, { Eligibility: 'eligible' });
    // a force drain does not wait for migrate max_parallel (1): all three are marked together
    await api.post(`/v1/node/${ids['node-02']}/drain`, { DrainSpec: { Deadline: -1, IgnoreSystemJobs: false } });
    const moved = await Promise.all(on2.map((a: A) => api.get(`/v1/allocation/${a.ID}`)));
    assert.deepEqual(
      moved.map(a => a.DesiredTransition.Migrate),
      [true, true, true],
    );
    await until(
      'three running on node-03',
      async () => {
        const r = (await api.get('/v1/job/forced/allocations')).filter(
          (a: A) => a.DesiredStatus === 'run' && a.ClientStatus === 'running',
        );
        return (r.length === 3 && r.every((a: A) => a.NodeName === 'node-03')) || undefined;
      },
      60_000,
    );
    const n = await until(
      'the drain complete',
      async () => {
        const x = await api.get(`/v1/node/${ids['node-02']}`);
        return x.Drain === false ? x : undefined;
      },
      60_000,
    );
    assert.equal(n.LastDrain.Status, 'complete');
    await api.del('/v1/job/forced?purge=true');
  });

  it('a node with nothing on it finishes its drain at once; its Events tell what happened', async () => {
    await api.post(`/v1/node/${ids['node-02']}/eligibility`, { Eligibility: 'eligible' });
    await api.post(`/v1/node/${ids['node-02']}/drain`, { DrainSpec: { Deadline: 3600e9 } });
    const n = await until(
      'the drain complete',
      async () => {
        const x = await api.get(`/v1/node/${ids['node-02']}`);
        return x.Drain === false ? x : undefined;
      },
      30_000,
    );
    assert.equal(n.LastDrain.Status, 'complete');
    await api.post(`/v1/node/${ids['node-02']}/eligibility`, { Eligibility: 'ineligible' });
    await api.post(`/v1/node/${ids['node-03']}/drain`, { DrainSpec: { Deadline: 3600e9 } });
    assert.equal(
      (await api.get(`/v1/node/${ids['node-03']}`)).LastDrain.Status,
      'complete',
      'node-03 has nothing either',
    );
    // stopping a drain that is over changes nothing but eligibility, and adds no event
    await api.post(`/v1/node/${ids['node-03']}/drain`, { DrainSpec: null, MarkEligible: true });
    assert.equal((await api.get(`/v1/node/${ids['node-03']}`)).SchedulingEligibility, 'eligible');
    await api.post(`/v1/node/${ids['node-02']}/eligibility`, { Eligibility: 'eligible' });
    const messages = (await api.get(`/v1/node/${ids['node-03']}`)).Events.map((e: { Message: string }) => e.Message);
    assert.deepEqual(messages, [
      'Node registered',
      'Node marked as ineligible for scheduling',
      'Node marked as eligible for scheduling',
      'Node drain strategy set',
      'Node drain complete',
    ]);
  });
});
