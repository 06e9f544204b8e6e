// The cluster model against the project's Nomad double: what it reads (keys of Variables, never their
// values), what a node event changes and what it asks again for it, a token that may not read nodes,
// and a cluster that cannot be reached.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NomadDouble } from '../../../double/nomad';
import { NomadClient } from '../../../../src/nomad/client';
import { ClusterFactsReader, type ModelClient } from '../../../../src/nomad/clusterFacts/reader';
import type { ClusterSnapshot } from '../../../../src/shared/clusterSnapshot';
import { closedPort, profile } from '../../support';

/** Resolves with the first snapshot `pred` accepts (bounded: rejects after `max` snapshots). */
function next(
  snaps: Array<ClusterSnapshot | null>,
  waiters: Array<() => void>,
  pred: (s: ClusterSnapshot | null) => boolean,
  max = 50,
): Promise<ClusterSnapshot | null> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const look = () => {
      const s = snaps[snaps.length - 1];
      if (snaps.length && pred(s ?? null)) return resolve(s ?? null);
      if (++seen > max) return reject(new Error(`no matching snapshot in ${max}`));
      waiters.push(look);
    };
    look();
  });
}

function startModel(client: NomadClient, paths: string[] = []) {
  const snaps: Array<ClusterSnapshot | null> = [];
  const waiters: Array<() => void> = [];
  const counting: ModelClient = {
    get: (p, o, extra) => {
      paths.push(p);
      return client.get(p, o, extra);
    },
  };
  const model = new ClusterFactsReader({
    client: counting,
    cluster: 'dev',
    random: () => 0.5,
    waitMs: 30_000,
    onSnapshot: s => {
      snaps.push(s);
      for (const w of waiters.splice(0)) w();
    },
  });
  return { model, snaps, until: (pred: (s: ClusterSnapshot | null) => boolean) => next(snaps, waiters, pred) };
}

describe('cluster model (double)', () => {
  let d: NomadDouble;
  let client: NomadClient;
  before(async () => {
    d = await NomadDouble.start({
      nodes: ['node-02', 'node-03'],
      namespaces: ['team'],
      nodeFacts: {
        'node-02': {
          datacenter: 'dc1',
          nodeClass: 'web',
          meta: { rack: 'r1' },
          hostVolumes: { data: false },
          drivers: { docker: true },
          memoryMB: 4096,
          reserved: { cpuMHz: 100, memoryMB: 256, diskMB: 0 },
        },
        'node-03': { datacenter: 'dc2', nodePool: 'gpu', drivers: { docker: false } },
      },
      csiVolumes: [{ id: 'pg', plugin: 'aws-ebs' }],
    });
    client = new NomadClient({ profile: profile(d.addr) });
    await fetch(`${d.addr}/v1/var/nomad/jobs/web`, {
      method: 'PUT',
      body: JSON.stringify({ Path: 'nomad/jobs/web', Items: { password: 'hunter2-secret', user: 'app' } }),
    });
  });
  after(async () => {
    await client?.close();
    await d?.stop();
  });

  it('reads nodes, pools, namespaces, CSI volumes, Variable keys (no value) and services', async () => {
    const { model, snaps } = startModel(client);
    try {
      await model.start();
      const s = snaps.at(-1)!;
      assert.ok(s);
      assert.equal(s.cluster, 'dev');
      const byName = Object.fromEntries((s.nodes ?? []).map(n => [n.name, n]));
      assert.deepEqual(Object.keys(byName).sort(), ['node-02', 'node-03']);
      const a = byName['node-02']!,
        b = byName['node-03']!;
      assert.deepEqual(
        [a.datacenter, a.nodePool, a.nodeClass, b.datacenter, b.nodePool],
        ['dc1', 'default', 'web', 'dc2', 'gpu'],
      );
      assert.deepEqual(a.drivers['docker'], { detected: true, healthy: true });
      assert.deepEqual(b.drivers['docker'], { detected: true, healthy: false });
      assert.equal(a.meta?.['rack'], 'r1');
      assert.equal(a.attributes?.['kernel.name'], process.platform);
      assert.deepEqual(a.hostVolumes, { data: { readOnly: false } });
      assert.deepEqual(a.resources, { cpuMHz: 3900, memoryMB: 3840, diskMB: 51200 });
      assert.deepEqual(s.nodePools, ['all', 'default', 'gpu']);
      assert.deepEqual(s.namespaces, ['default', 'team']);
      assert.deepEqual(s.csiVolumes, [{ id: 'pg', namespace: 'default', plugin: 'aws-ebs' }]);
      assert.deepEqual(s.variables, [{ namespace: 'default', path: 'nomad/jobs/web', keys: ['password', 'user'] }]);
      assert.deepEqual(s.services, []);
      assert.ok(!JSON.stringify(s).includes('hunter2-secret'), 'a Variable value never reaches the snapshot');
    } finally {
      model.dispose();
    }
  });

  it('a node event updates the snapshot, reading again only the node that changed', async () => {
    const paths: string[] = [];
    const { model, snaps, until } = startModel(client, paths);
    try {
      await model.start();
      const first = snaps.length;
      const before = paths.length;
      const id = snaps.at(-1)!.nodes!.find(n => n.name === 'node-03')!.id;
      const r = await fetch(`${d.addr}/v1/client/metadata?node_id=${id}`, {
        method: 'POST',
        body: JSON.stringify({ Meta: { zone: 'b' } }),
      });
      assert.equal(r.status, 200);
      const s = await until(x => !!x?.nodes?.some(n => n.name === 'node-03' && n.meta?.['zone'] === 'b'));
      assert.ok(snaps.length > first && s);
      // one node read, of the node that changed: nothing for the others
      const reads = paths.slice(before).filter(p => p.startsWith('/v1/node/') && p !== '/v1/node/pools');
      assert.deepEqual(reads, [`/v1/node/${id}`]);
    } finally {
      model.dispose();
    }
  });

  it('a token that may not read nodes: the nodes are absent, the rest is there', async () => {
    const acl = await NomadDouble.start({ acl: true });
    const mgmt = { 'X-Nomad-Token': acl.token! };
    try {
      assert.equal(
        (
          await fetch(`${acl.addr}/v1/acl/policy/ro`, {
            method: 'POST',
            headers: mgmt,
            body: JSON.stringify({ Name: 'ro', Rules: 'namespace "default" { policy = "read" }' }),
          })
        ).status,
        200,
      );
      const tok = (await (
        await fetch(`${acl.addr}/v1/acl/token`, {
          method: 'POST',
          headers: mgmt,
          body: JSON.stringify({ Name: 't', Type: 'client', Policies: ['ro'] }),
        })
      ).json()) as { SecretID: string };
      const c = new NomadClient({ profile: profile(acl.addr), token: tok.SecretID });
      const { model, snaps } = startModel(c);
      try {
        await model.start();
        const s = snaps.at(-1);
        assert.ok(s, 'a snapshot of what the token may see');
        assert.equal(s.nodes, undefined);
        assert.deepEqual(s.namespaces, ['default']);
      } finally {
        model.dispose();
        await c.close();
      }
    } finally {
      await acl.stop();
    }
  });

  it('a cluster that cannot be reached: the snapshot is null, and nothing throws', async () => {
    const c = new NomadClient({ profile: profile(`http://127.0.0.1:${await closedPort()}`), timeoutMs: 2000 });
    const { model, snaps } = startModel(c);
    try {
      await model.start();
      assert.equal(model.snapshot(), null);
      assert.ok(snaps.every(x => x === null));
    } finally {
      model.dispose();
      await c.close();
    }
  });
});
