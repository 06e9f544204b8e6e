// "Run exactly the plan you saw" against the backend chosen by backend.ts: a plan goes stale when the
// only node is made ineligible (the job's modify index does not move, so check-index would not notice);
// planning again finds the difference, and after the node is eligible again the plan is the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backend, startBackend, uniqueId } from './backend';
import * as J from './jobs';
import { NomadClient } from '../../src/nomad/client';
import { NodesClient } from '../../src/nomad/nodes';
import { buildPlanViewModel } from '../../src/nomad/plan/viewModel';
import { planDifferences } from '../../src/nomad/plan/samePlan';

let b: Backend;
let client: NomadClient;
let nodeId = '';

before(async () => {
  b = await startBackend();
  client = new NomadClient({
    profile: { name: 't', address: b.addr, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
  nodeId = (await b.api.get('/v1/nodes'))[0].ID;
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  await new NodesClient(client).setEligibility(nodeId, true).catch(() => undefined);
  await client.close();
  await b.stop();
});

describe('same plan at Run', () => {
  it('a node made ineligible after the plan makes the new plan differ; eligible again, it is the same', async () => {
    const job = J.sleeper(uniqueId('same-plan'));
    const vmOf = async () => buildPlanViewModel(job.ID, await client.planJob(job, true), 'job.nomad.hcl', { job });
    const shown = await vmOf();
    assert.equal(shown.allPlaced, true);
    assert.deepEqual(planDifferences(shown, await vmOf()), [], 'planning twice gives the same answer');
    const nodes = new NodesClient(client);
    await nodes.setEligibility(nodeId, false);
    try {
      const stale = await vmOf();
      assert.equal(stale.jobModifyIndex, shown.jobModifyIndex, 'check-index alone would not notice');
      const d = planDifferences(shown, stale);
      assert.ok(
        d.some(x => x.what === 'group "g": placement' && /fails to place/.test(x.now)),
        JSON.stringify(d),
      );
    } finally {
      await nodes.setEligibility(nodeId, true);
    }
    assert.deepEqual(planDifferences(shown, await vmOf()), []);
  });
});
