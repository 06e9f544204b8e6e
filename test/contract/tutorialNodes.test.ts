// The tutorial's two clients, written once and held against both backends: with NOMAD_BIN the real
// three-node cluster (tutorialCluster.ts: a server on node-01, clients node-02 and node-03, plain HTTP),
// without it the Nomad double with the same two client nodes. A job of count 2 lands on both clients;
// draining node-02 migrates its allocation to node-03 and the drain completes; a client that dies (its
// agent killed on the real cluster, the double's nodeDown hook) is shown down, its allocation lost and
// replaced on the other client; back up it is ready again and what it still ran is stopped. Only
// generous until() deadlines: no assertion on how long anything takes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NomadDouble } from '../double/nomad';
import { decoderParseJob } from '../double/decoderParse';
import { startTutorialCluster } from './tutorialCluster';
import { Api, sleep, stream, until, type Stream } from './http';
import * as J from './jobs';

interface Cluster {
  kind: 'real' | 'double';
  addr: string;
  /** the node stops answering: SIGKILL of its agent, or the double's hook */
  down(name: string): Promise<void>;
  up(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
  const bin = process.env.NOMAD_BIN;
  if (bin) {
    const c = await startTutorialCluster(bin, { log: l => console.log(`# ${l}`) });
    const node = (name: string) => c.nodes.find(n => n.name === name)!;
    return { kind: 'real', addr: c.addr, down: n => node(n).kill(), up: n => node(n).start(), stop: () => c.stop() };
  }
  const d = await NomadDouble.start({
    nodes: ['node-02', 'node-03'],
    checkIntervalMs: 500,
    restartDelayMs: 500,
    parseJob: decoderParseJob,
  });
  return {
    kind: 'double',
    addr: d.addr,
    down: async n => d.nodeDown(n),
    up: async n => d.nodeUp(n),
    stop: () => d.stop(),
  };
}

describe("the tutorial cluster's two clients: placement, drain with migration, a lost node", () => {
  let c: Cluster;
  let api: Api;
  let events: Stream;
  const id = `spread-${process.pid.toString(36)}`;
  const ids: Record<string, string> = {};
  const node = (name: string) => api.get(`/v1/node/${ids[name]}`);
  const allocs = async (): Promise<any[]> => api.get(`/v1/job/${id}/allocations`);
  const running = async () => (await allocs()).filter(a => a.DesiredStatus === 'run' && a.ClientStatus === 'running');
  /** the Node events received so far, in order */
  const nodeEvents = (): any[] =>
    events
      .bytes()
      .toString('utf8')
      .split('\n')
      .filter(l => l.trim() && l.trim() !== '{}')
      .flatMap(l => {
        try {
          return JSON.parse(l).Events ?? [];
        } catch {
          return [];
        }
      });

  before(async () => {
    c = await startCluster();
    api = new Api(c.addr);
    events = stream(c.addr, '/v1/event/stream?topic=Node');
    console.log(`# backend: ${c.kind} ${c.addr}`);
  });
  after(async () => {
    events?.close();
    await api?.raw('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
    await c?.stop();
  });

  it('has two ready clients, node-02 and node-03, each on its own address', async () => {
    const nodes: any[] = await api.get('/v1/nodes');
    assert.deepEqual(
      nodes.map(n => [n.Name, n.Address, n.Status, n.SchedulingEligibility, n.Datacenter, n.NodePool]).sort(),
      [
        ['node-02', '127.0.0.2', 'ready', 'eligible', 'dc1', 'default'],
        ['node-03', '127.0.0.3', 'ready', 'eligible', 'dc1', 'default'],
      ],
    );
    for (const n of nodes) ids[n.Name] = n.ID;
    assert.notEqual(ids['node-02'], ids['node-03']);
    const n3 = await node('node-03');
    assert.equal(n3.Name, 'node-03');
    // its agent's own address, while the network it fingerprints (loopback) is the machine's
    assert.equal(n3.HTTPAddr, '127.0.0.3:4646');
    assert.equal(n3.Attributes['nomad.advertise.address'], '127.0.0.3:4646');
    assert.equal(n3.Attributes['unique.network.ip-address'], '127.0.0.1');
  });

  it('places a job of count 2 on both clients', async () => {
    const job = J.sleeper(id);
    job.TaskGroups[0].Count = 2;
    await api.post('/v1/jobs', { Job: job });
    const two = await until(
      'two running allocations',
      async () => {
        const r = await running();
        return r.length === 2 ? r : undefined;
      },
      120_000,
    );
    assert.deepEqual(two.map(a => a.NodeName).sort(), ['node-02', 'node-03']);
    for (const a of two) assert.equal(a.NodeID, ids[a.NodeName]);
    // each node lists its own allocation
    for (const name of ['node-02', 'node-03']) {
      const mine = ((await api.get(`/v1/node/${ids[name]}/allocations`)) as any[]).filter(
        a => a.JobID === id && a.ClientStatus === 'running',
      );
      assert.deepEqual(
        mine.map(a => a.NodeName),
        [name],
      );
    }
  });

  it('draining node-02 migrates its allocation to node-03, then the drain completes', async () => {
    const before = (await running()).find(a => a.NodeName === 'node-02');
    assert.ok(before, 'an allocation on node-02');
    await api.post(`/v1/node/${ids['node-02']}/drain`, {
      NodeID: ids['node-02'],
      DrainSpec: { Deadline: 120e9, IgnoreSystemJobs: false },
      Meta: { message: 'contract' },
    });
    const done = await until(
      'node-02 drained',
      async () => {
        const n = await node('node-02');
        return n.Drain === false ? n : undefined;
      },
      180_000,
    );
    assert.equal(done.DrainStrategy, null);
    assert.equal(done.LastDrain?.Status, 'complete');
    assert.deepEqual(done.LastDrain?.Meta, { message: 'contract' });
    assert.equal(done.SchedulingEligibility, 'ineligible', 'a drained node stays ineligible');
    const messages = (done.Events as any[]).map(e => `${e.Subsystem}: ${e.Message}`);
    assert.deepEqual(
      messages.slice(-2),
      ['Drain: Node drain strategy set', 'Drain: Node drain complete'],
      JSON.stringify(messages),
    );
    const old = await api.get(`/v1/allocation/${before.ID}`);
    assert.equal(old.DesiredStatus, 'stop');
    assert.equal(old.DesiredDescription, 'alloc is being migrated');
    assert.equal(old.DesiredTransition?.Migrate, true);
    const two = await until(
      'two running allocations on node-03',
      async () => {
        const r = await running();
        return r.length === 2 && r.every(a => a.NodeName === 'node-03') ? r : undefined;
      },
      120_000,
    );
    const replacement = await api.get(`/v1/allocation/${two.find(a => a.Name === before.Name)!.ID}`);
    assert.equal(replacement.PreviousAllocation, before.ID);
    assert.equal((await api.get(`/v1/allocation/${before.ID}`)).NextAllocation, replacement.ID);
    await until(
      'the old allocation stopped',
      async () => (await api.get(`/v1/allocation/${before.ID}`)).ClientStatus === 'complete',
      60_000,
    );
    // the drain was announced and its end too
    const drains = nodeEvents()
      .filter(e => e.Type === 'NodeDrain' && e.Key === ids['node-02'])
      .map(e => e.Payload.Node.LastDrain?.Status);
    assert.deepEqual([drains.includes('draining'), drains.includes('complete')], [true, true], JSON.stringify(drains));
    // node-02 takes work again (the lost node's replacements go there)
    await api.post(`/v1/node/${ids['node-02']}/eligibility`, { NodeID: ids['node-02'], Eligibility: 'eligible' });
    assert.equal((await node('node-02')).SchedulingEligibility, 'eligible');
  });

  it('a client that dies is shown down, its allocations lost and replaced on the other client; back up it is ready', async () => {
    const on3 = (await running()).filter(a => a.NodeName === 'node-03');
    assert.equal(on3.length, 2);
    // the node list is a blocking query (the extension's Nodes folder follows it): asked from its index now,
    // it answers once that index moves, which node-03 going down does
    const listed = await api.raw('GET', '/v1/nodes');
    const blocking = api.raw('GET', `/v1/nodes?index=${listed.index}&wait=300s`, undefined, 330_000);
    await sleep(500); // the query is at the server before the node goes down (the double's hook acts at once)
    await c.down('node-03');
    // a real server waits for the node's heartbeat TTL to pass first
    await until('node-03 down', async () => (await node('node-03')).Status === 'down', 300_000, 500);
    const moved = await blocking;
    assert.equal(moved.status, 200);
    assert.ok(
      moved.index > listed.index,
      `the blocking query answered once the node list's index moved (${listed.index} → ${moved.index})`,
    );
    assert.ok(moved.index <= (await api.raw('GET', '/v1/nodes')).index);
    const lost = await until(
      'its allocations lost',
      async () => {
        const l = await Promise.all(on3.map(a => api.get(`/v1/allocation/${a.ID}`)));
        return l.every(a => a.ClientStatus === 'lost') ? l : undefined;
      },
      120_000,
    );
    for (const a of lost) {
      assert.equal(a.DesiredStatus, 'stop');
      assert.equal(a.DesiredDescription, 'alloc is lost since its node is down');
    }
    const two = await until(
      'two running allocations on node-02',
      async () => {
        const r = await running();
        return r.length === 2 && r.every(a => a.NodeName === 'node-02') ? r : undefined;
      },
      180_000,
    );
    for (const a of two) {
      const full = await api.get(`/v1/allocation/${a.ID}`);
      assert.ok(
        on3.some(x => x.ID === full.PreviousAllocation),
        `${a.Name} replaces a lost allocation`,
      );
    }
    assert.ok(
      nodeEvents().some(
        e => e.Type === 'NodeStreamEvent' && e.Key === ids['node-03'] && e.Payload.Node.Status === 'down',
      ),
      'the node going down was published',
    );
    assert.equal((await node('node-03')).Events.at(-1)?.Message, 'Node heartbeat missed');

    await c.up('node-03');
    await until('node-03 ready again', async () => (await node('node-03')).Status === 'ready', 180_000, 500);
    assert.ok(
      nodeEvents().some(
        e => e.Type === 'NodeStreamEvent' && e.Key === ids['node-03'] && e.Payload.Node.Status === 'ready',
      ),
      'the node coming back was published',
    );
    assert.equal((await node('node-03')).Events.at(-1)?.Message, 'Node reregistered by heartbeat');
    assert.equal((await node('node-03')).SchedulingEligibility, 'eligible');
    // what it still ran is stopped there now; the job keeps its two allocations on node-02
    await until(
      'the lost allocations stopped on node-03',
      async () => {
        const l = await Promise.all(on3.map(a => api.get(`/v1/allocation/${a.ID}`)));
        return l.every(a => a.ClientStatus === 'complete' && a.DesiredStatus === 'stop') || undefined;
      },
      120_000,
    );
    assert.deepEqual(
      (await running()).map(a => a.NodeName),
      ['node-02', 'node-02'],
    );
  });
});
