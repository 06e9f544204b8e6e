// The cluster model (src/nomad/clusterFacts/) against the backend of backend.ts: with NOMAD_BIN a real
// dev agent, without it the project's Nomad double. Written once: what the snapshot holds of the node
// (datacenter, pool, a healthy raw_exec, attributes, resources), the built-in pools, namespaces, a
// Variable's keys and never its value; and a node event (dynamic node metadata, POST /v1/client/metadata)
// reaching the snapshot through the blocking query on the node list. Generous bounds, no timed assertion.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend, uniqueId, type Backend } from './backend';
import { NomadClient } from '../../src/nomad/client';
import { ClusterFactsReader } from '../../src/nomad/clusterFacts/reader';
import type { ClusterSnapshot } from '../../src/shared/clusterSnapshot';

let b: Backend;
let client: NomadClient;
let model: ClusterFactsReader;
const snaps: Array<ClusterSnapshot | null> = [];
let wake: (() => void) | undefined;
const varPath = `nomad/jobs/${uniqueId('snap')}`;

/** The first snapshot `pred` accepts, within `max` snapshots or 60 s. */
function until(pred: (s: ClusterSnapshot) => boolean, max = 100): Promise<ClusterSnapshot> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const deadline = setTimeout(() => reject(new Error('no matching snapshot within 60 s')), 60_000);
    const look = () => {
      const s = snaps.at(-1);
      if (s && pred(s)) {
        clearTimeout(deadline);
        wake = undefined;
        return resolve(s);
      }
      if (++n > max) {
        clearTimeout(deadline);
        return reject(new Error(`no matching snapshot in ${max}`));
      }
      wake = look;
    };
    look();
  });
}

before(async () => {
  b = await startBackend();
  console.log(`# backend: ${b.kind} ${b.addr}`);
  client = new NomadClient({
    profile: { name: 't', address: b.addr, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
  await b.api.raw('PUT', `/v1/var/${varPath}`, { Path: varPath, Items: { api_key: 'never-shown-7f3a', region: 'eu' } });
  model = new ClusterFactsReader({
    client,
    cluster: 'dev',
    random: Math.random,
    waitMs: 60_000,
    onSnapshot: s => {
      snaps.push(s);
      wake?.();
    },
  });
  await model.start();
});
after(async () => {
  model?.dispose();
  await b?.api.raw('DELETE', `/v1/var/${varPath}`).catch(() => undefined);
  await client?.close();
  await b?.stop();
});

describe('cluster model', () => {
  it("reads the node, the pools, the namespaces and a Variable's keys", async () => {
    const s = await until(x => !!x.nodes?.length && !!x.nodes[0]!.drivers['raw_exec']?.healthy);
    const n = s.nodes![0]!;
    assert.equal(n.datacenter, 'dc1');
    assert.equal(n.nodePool, 'default');
    assert.equal(n.status, 'ready');
    assert.ok(n.eligible);
    assert.ok(n.attributes && n.attributes['kernel.name'], "the node's attributes are read");
    assert.ok(n.resources && n.resources.cpuMHz > 0 && n.resources.memoryMB > 0, JSON.stringify(n.resources));
    assert.ok(s.nodePools?.includes('default') && s.nodePools.includes('all'), String(s.nodePools));
    assert.ok(s.namespaces?.includes('default'));
    assert.deepEqual(
      s.variables?.find(v => v.path === varPath),
      { namespace: 'default', path: varPath, keys: ['api_key', 'region'] },
    );
    assert.ok(!JSON.stringify(s).includes('never-shown-7f3a'));
    assert.deepEqual(s.csiVolumes, []);
  });

  it('a node event (its dynamic metadata) reaches the snapshot', async () => {
    const id = (await until(x => !!x.nodes?.length)).nodes![0]!.id;
    const value = uniqueId('z');
    const r = await b.api.raw('POST', `/v1/client/metadata?node_id=${id}`, { Meta: { zone: value } });
    assert.equal(r.status, 200, r.text);
    const s = await until(x => x.nodes?.[0]?.meta?.['zone'] === value);
    assert.equal(s.nodes![0]!.id, id);
  });
});
