// Snapshot deltas (src/shared/clusterSnapshot.ts → src/language/cluster/state.ts): over seeded random
// sequences of node adds, changes and removals (and the other parts changing or going away), the state the
// server holds after the deltas equals the sender's snapshot exactly, and its carried-over index equals the
// index built from scratch; a lost or reordered delta asks for the whole and the whole heals it; a
// malformed delta is ignored and never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClusterSnapshotStream,
  type ClusterSnapshot,
  type ClusterSnapshotDelta,
  type ClusterSnapshotResyncParams,
  type SnapshotNode,
} from '../../../../src/shared/clusterSnapshot';
import { ClusterSnapshotHolder, clusterCompletions, clusterHover } from '../../../../src/language/cluster';
import { viewOf, type ClusterView } from '../../../../src/language/cluster/view';
import { parse } from '../../../../src/language/hcl';
import { node } from './snapshot';

/** mulberry32: a small seeded generator, so a failing sequence can be run again */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomNode(r: () => number, id: string): SnapshotNode {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const attributes: Record<string, string> = { 'kernel.name': pick(['linux', 'windows']) };
  for (let k = 0; k < 4; k++) if (r() < 0.5) attributes[`k${k}`] = pick(['a', 'b', 'c']);
  const n = node(id, {
    id,
    datacenter: pick(['dc1', 'dc2', 'dc3']),
    nodePool: pick(['default', 'gpu']),
    nodeClass: pick(['', 'web', 'batch']),
    status: pick(['ready', 'ready', 'down']),
    drivers: Object.fromEntries(
      ['docker', 'exec', 'raw_exec', 'java']
        .filter(() => r() < 0.6)
        .map(d => [d, { detected: r() < 0.8, healthy: r() < 0.6 }]),
    ),
    attributes,
    meta: r() < 0.5 ? { rack: pick(['r1', 'r2']) } : {},
    hostVolumes: r() < 0.5 ? { [pick(['data', 'logs'])]: { readOnly: r() < 0.5 } } : {},
  });
  // only the node list could be read: no attributes or meta
  if (r() < 0.1) {
    delete n.attributes;
    delete n.meta;
  }
  return n;
}

/** One step of a cluster: nodes join, change (a new object, as the reader makes) or leave; parts change. */
function step(r: () => number, s: ClusterSnapshot, ids: { n: number }): ClusterSnapshot {
  let nodes = s.nodes ? [...s.nodes] : undefined;
  const next: ClusterSnapshot = { ...s, readAt: s.readAt + 1 + Math.floor(r() * 3) };
  const ops = 1 + Math.floor(r() * 4);
  for (let o = 0; o < ops; o++) {
    const x = r();
    if (!nodes) nodes = r() < 0.5 ? [] : undefined;
    else if (x < 0.3) nodes.push(randomNode(r, `n${ids.n++}`));
    else if (x < 0.6 && nodes.length) {
      const i = Math.floor(r() * nodes.length);
      nodes[i] = randomNode(r, nodes[i]!.id);
    } else if (x < 0.8 && nodes.length) nodes.splice(Math.floor(r() * nodes.length), 1);
    else if (x < 0.84)
      nodes = undefined; // the token lost node:read
    else if (x < 0.88 && nodes.length > 1) {
      // the reader saw a node leave and come back: it is at the end now (a delta cannot say that: the whole)
      const i = Math.floor(r() * nodes.length);
      nodes.push(...nodes.splice(i, 1));
    } else if (x < 0.92) {
      if (r() < 0.3) delete next.nodePools;
      else next.nodePools = ['all', 'default', ...(r() < 0.5 ? ['gpu'] : [])];
    } else if (x < 0.96) {
      if (r() < 0.3) delete next.services;
      else next.services = [{ namespace: 'default', name: `s${ids.n++}` }];
    } else next.variables = [{ namespace: 'default', path: `nomad/jobs/j${ids.n++}`, keys: ['k'] }];
  }
  if (nodes) next.nodes = nodes;
  else delete next.nodes;
  return next;
}

/** A view as plain data with every map sorted (order of insertion is not part of what it says). */
function plainView(v: ClusterView): unknown {
  const sorted = <V>(m: Map<string, V>, f: (x: V) => unknown = x => x) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, f(x)]);
  return {
    nodes: v.nodes.map(n => n.id),
    datacenters: sorted(v.datacenters, ns => ns.map(n => n.id).sort()),
    pools: sorted(v.pools),
    classes: sorted(v.classes),
    drivers: sorted(v.drivers),
    targets: sorted(v.targets, t => ({ nodes: t.nodes, values: sorted(t.values) })),
    hostVolumes: sorted(v.hostVolumes),
  };
}

const JOB = `job "j" {
  datacenters = ["dc1"]
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }
  group "g" {
    task "t" {
      driver = "docker"
    }
  }
}
`;

test('deltas applied over seeded random sequences give exactly the sender snapshot and the index built from scratch', () => {
  const file = parse(JOB);
  const sites = [
    JOB.indexOf('"docker"') + 1,
    JOB.indexOf('"dc1"') + 1,
    JOB.indexOf('"linux"') + 1,
    JOB.indexOf('"${attr') + 1,
  ];
  let deltas = 0,
    wholes = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed);
    const ids = { n: 0 };
    const asked: ClusterSnapshotResyncParams[] = [];
    const holder = new ClusterSnapshotHolder(p => asked.push(p));
    const stream = new ClusterSnapshotStream();
    let s: ClusterSnapshot = {
      cluster: 'dev',
      readAt: 1000,
      nodes: Array.from({ length: 5 + Math.floor(r() * 20) }, () => randomNode(r, `n${ids.n++}`)),
      nodePools: ['all', 'default', 'gpu'],
      namespaces: ['default'],
    };
    for (let i = 0; i < 60; i++) {
      const m = stream.next(s);
      if (m?.kind === 'full') {
        wholes++;
        holder.setFull(JSON.parse(JSON.stringify(m.message)));
      } else if (m) {
        deltas++;
        // over the wire: JSON, so nothing is shared with the sender's objects
        assert.equal(holder.applyDelta(JSON.parse(JSON.stringify(m.message))), 'applied', `seed ${seed} step ${i}`);
      }
      const got = holder.snapshot!;
      assert.deepEqual(got, s, `seed ${seed} step ${i}: the state held equals the sender's`);
      // the index the server carries over (touched only by the changed nodes) equals one built from scratch
      if (got.nodes) {
        const carried = viewOf(got);
        const fresh = viewOf(JSON.parse(JSON.stringify(s)) as ClusterSnapshot);
        assert.deepEqual(plainView(carried), plainView(fresh), `seed ${seed} step ${i}: the index`);
        for (const at of sites)
          assert.deepEqual(
            clusterCompletions(file, at, got).map(c => [c.label, c.detail]),
            clusterCompletions(file, at, JSON.parse(JSON.stringify(s)) as ClusterSnapshot).map(c => [
              c.label,
              c.detail,
            ]),
            `seed ${seed} step ${i}: completion at ${at}`,
          );
        for (const at of sites)
          assert.deepEqual(
            clusterHover(file, at, got),
            clusterHover(file, at, JSON.parse(JSON.stringify(s)) as ClusterSnapshot),
            `seed ${seed} step ${i}: hover at ${at}`,
          );
      }
      s = step(r, s, ids);
    }
    assert.deepEqual(asked, [], `seed ${seed}: no resync in order`);
  }
  assert.ok(deltas > 1000, `deltas: ${deltas}`);
  assert.ok(wholes > 40, `the whole when a delta cannot say it (order, the nodes part coming back): ${wholes}`);
});

test('a delta sends only the changed nodes', () => {
  const nodes = Array.from({ length: 100 }, (_, i) => node(`n${i}`));
  const stream = new ClusterSnapshotStream();
  const s1: ClusterSnapshot = { cluster: 'dev', readAt: 1, nodes, nodePools: ['all', 'default'] };
  assert.equal(stream.next(s1)?.kind, 'full');
  const changed = [...nodes];
  changed[42] = node('n42', { drivers: { docker: { detected: true, healthy: false } } });
  // the same content in a new object (as a node read again with nothing new) is no change
  changed[7] = node('n7');
  const m = stream.next({ ...s1, readAt: 2, nodes: changed, nodePools: ['all', 'default'] });
  assert.deepEqual(m, { kind: 'delta', message: { seq: 2, readAt: 2, upsert: [changed[42]] } });
  assert.equal(stream.next({ ...s1, readAt: 2, nodes: changed }), undefined, 'nothing changed: nothing sent');
});

test('a lost or reordered delta asks for the whole once; deltas wait for it; the whole heals the state', () => {
  const asked: ClusterSnapshotResyncParams[] = [];
  const holder = new ClusterSnapshotHolder(p => asked.push(p));
  const stream = new ClusterSnapshotStream();
  const s1: ClusterSnapshot = { cluster: 'dev', readAt: 1, nodes: [node('a')] };
  const s2 = { ...s1, readAt: 2, nodes: [node('a'), node('b')] };
  const s3 = { ...s2, readAt: 3, nodes: [node('b')] };
  const s4 = { ...s3, readAt: 4, nodes: [node('b'), node('c')] };
  holder.setFull(stream.next(s1)!.message);
  const d2 = stream.next(s2)!.message as ClusterSnapshotDelta;
  const d3 = stream.next(s3)!.message as ClusterSnapshotDelta;
  const d4 = stream.next(s4)!.message as ClusterSnapshotDelta;
  // d3 before d2: out of order
  assert.equal(holder.applyDelta(d3), 'gap');
  assert.deepEqual(asked, [{ have: 1, reason: 'gap' }]);
  assert.equal(holder.applyDelta(d2), 'waiting', 'nothing is applied until the whole comes');
  assert.equal(holder.applyDelta(d4), 'waiting');
  assert.equal(asked.length, 1, 'asked once');
  assert.deepEqual(holder.snapshot, s1);
  holder.setFull(stream.full().message);
  assert.deepEqual(holder.snapshot, s4);
  // and deltas apply again after it
  const s5 = { ...s4, readAt: 5, nodes: [node('c')] };
  assert.equal(holder.applyDelta(stream.next(s5)!.message), 'applied');
  assert.deepEqual(holder.snapshot, s5);
  // a delta before any whole (a server that started after the whole was sent)
  const fresh = new ClusterSnapshotHolder(p => asked.push(p));
  assert.equal(fresh.applyDelta(stream.next({ ...s5, readAt: 6 })!.message), 'gap');
  assert.deepEqual(asked.at(-1), { have: -1, reason: 'gap' });
  assert.equal(fresh.snapshot, null);
});

test('a malformed delta is ignored, asks for the whole, and never throws', () => {
  const asked: ClusterSnapshotResyncParams[] = [];
  const holder = new ClusterSnapshotHolder(p => asked.push(p));
  const s1: ClusterSnapshot = { cluster: 'dev', readAt: 1, nodes: [node('a')], nodePools: ['default'] };
  const bad: unknown[] = [
    null,
    42,
    'delta',
    [],
    {},
    { seq: 2 },
    { seq: '2', readAt: 2 },
    { seq: 2.5, readAt: 2 },
    { seq: 2, readAt: 2, upsert: {} },
    { seq: 2, readAt: 2, upsert: [null] },
    { seq: 2, readAt: 2, upsert: [{ id: 'x' }] },
    { seq: 2, readAt: 2, upsert: [{ ...node('x'), drivers: null }] },
    { seq: 2, readAt: 2, upsert: [{ ...node('x'), attributes: { k: 1 } }] },
    { seq: 2, readAt: 2, upsert: [{ ...node('x'), resources: { cpuMHz: '1' } }] },
    { seq: 2, readAt: 2, remove: [1] },
    { seq: 2, readAt: 2, remove: 'a' },
    { seq: 2, readAt: 2, set: [] },
    { seq: 2, readAt: 2, set: { nodes: 'all' } },
    { seq: 2, readAt: 2, set: { nodePools: [1] } },
    { seq: 2, readAt: 2, set: { cluster: 7 } },
    { seq: 2, readAt: 2, set: { __proto__: 1, unknown: [] } },
    { seq: 2, readAt: 2, drop: ['cluster'] },
    { seq: 2, readAt: 2, drop: ['readAt'] },
    { seq: 2, readAt: 2, drop: 'nodes' },
  ];
  for (const m of bad) {
    holder.setFull({ seq: 1, snapshot: s1 });
    asked.length = 0;
    assert.equal(holder.applyDelta(m), 'malformed', JSON.stringify(m));
    assert.deepEqual(holder.snapshot, s1, `unchanged by ${JSON.stringify(m)}`);
    assert.deepEqual(asked, [{ have: 1, reason: 'malformed' }]);
  }
  // a malformed whole counts as none, as before
  holder.setFull({ seq: 3, snapshot: { cluster: 'dev', readAt: 1, nodes: [{ id: 'x' }] } });
  assert.equal(holder.snapshot, null);
  holder.setFull('nonsense');
  assert.equal(holder.snapshot, null);
});
