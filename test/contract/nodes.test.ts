// Node drain and scheduling eligibility through the extension's client (src/nomad/nodes.ts), against the
// backend chosen by backend.ts: what a drain moves, the drain strategy Nomad stores, eligibility refused
// while draining, and a cancelled drain that makes the node eligible again. The job runs two allocations
// so that the drain of this (only) node cannot finish at once: the drainer migrates one (migrate
// max_parallel 1) and its replacement finds no other node, so the other stays and the node stays
// draining until cancelled. What moves where is tutorialNodes.test.ts's subject.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backend, startBackend, uniqueId } from './backend';
import { until } from './http';
import * as J from './jobs';
import { NomadClient } from '../../src/nomad/client';
import { allocationsThatMove, NodesClient } from '../../src/nomad/nodes';

let b: Backend;
let client: NomadClient;
let nodes: NodesClient;
let nodeId = '';
const id = uniqueId('nodes');

before(async () => {
  b = await startBackend();
  client = new NomadClient({
    profile: { name: 't', address: b.addr, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
  nodes = new NodesClient(client);
  nodeId = (await b.api.get('/v1/nodes'))[0].ID;
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  await nodes.cancelDrain(nodeId, true).catch(() => undefined);
  await b.api.raw('DELETE', `/v1/job/${id}?purge=true`).catch(() => {});
  await client.close();
  await b.stop();
});

describe('nodes', () => {
  it('lists the allocations on a node, and a drain would move the running one', async () => {
    const job = J.sleeper(id);
    job.TaskGroups[0].Count = 2;
    await b.api.post('/v1/jobs', { Job: job });
    const alloc = await until(
      `${id} running`,
      async () => {
        const mine = (await nodes.allocations(nodeId)).filter(a => a.JobID === id && a.ClientStatus === 'running');
        return mine.length === 2 ? mine[0] : undefined;
      },
      120_000,
    );
    assert.equal(alloc.NodeID, nodeId);
    assert.ok(allocationsThatMove(await nodes.allocations(nodeId), true).some(a => a.ID === alloc.ID));
  });

  it('switches scheduling eligibility', async () => {
    await nodes.setEligibility(nodeId, false);
    assert.equal((await nodes.node(nodeId))['SchedulingEligibility'], 'ineligible');
    await nodes.setEligibility(nodeId, true);
    assert.equal((await nodes.node(nodeId))['SchedulingEligibility'], 'eligible');
  });

  it('drains with a deadline and ignore-system-jobs; eligibility is refused meanwhile; cancelling makes it eligible', async () => {
    await nodes.drain(nodeId, { deadlineNs: 3600e9, ignoreSystemJobs: true });
    const n = await nodes.node(nodeId);
    assert.equal(n['Drain'], true);
    assert.equal(n['SchedulingEligibility'], 'ineligible');
    const strategy = n['DrainStrategy'] as { Deadline: number; IgnoreSystemJobs: boolean };
    assert.equal(strategy.Deadline, 3600e9);
    assert.equal(strategy.IgnoreSystemJobs, true);
    await assert.rejects(nodes.setEligibility(nodeId, true), /while it is draining/);
    // one allocation is migrated (stopped, though its replacement finds no node); the other keeps running
    const moved = await until(
      'one allocation migrated',
      async () => {
        const mine = (await nodes.allocations(nodeId)).filter(a => a.JobID === id);
        const m = mine.filter(a => a.DesiredStatus === 'stop');
        return m.length >= 1 ? mine : undefined;
      },
      120_000,
    );
    const stopped = moved.filter(a => a.DesiredStatus === 'stop');
    assert.equal(stopped.length, 1, JSON.stringify(moved.map(a => [a.Name, a.DesiredStatus])));
    assert.equal(stopped[0]!['DesiredDescription'], 'alloc is being migrated');
    assert.equal(
      (stopped[0] as unknown as { DesiredTransition?: { Migrate?: boolean } }).DesiredTransition?.Migrate,
      true,
    );
    assert.equal((await nodes.node(nodeId))['Drain'], true, 'still draining: one allocation is left');
    await nodes.cancelDrain(nodeId, true);
    const after = await nodes.node(nodeId);
    assert.equal(after['Drain'], false);
    assert.equal(after['SchedulingEligibility'], 'eligible');
    assert.equal(after['DrainStrategy'], null);
  });
});
