// Completion and hover from the snapshot: healthy drivers first, the datacenters, pools and namespaces
// the cluster has, the attribute keys the nodes report and their observed values, volume sources; cluster
// strings escaped on the way to the screen; nothing without a snapshot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterCompletions, clusterHover } from '../../../../src/language/cluster';
import { atCursor } from '../../support';
import { node, snapshot } from './snapshot';

const s = snapshot(
  [
    node('a', {
      drivers: { raw_exec: { detected: true, healthy: true }, docker: { detected: true, healthy: true } },
      hostVolumes: { data: { readOnly: false } },
    }),
    node('b', {
      datacenter: 'dc2',
      drivers: {
        raw_exec: { detected: true, healthy: true },
        docker: { detected: true, healthy: true },
        podman: { detected: true, healthy: false },
      },
      meta: { rack: 'r2' },
    }),
    node('c', { drivers: { raw_exec: { detected: true, healthy: true } }, meta: { rack: 'r\u202e1' } }),
  ],
  { namespaces: ['default', 'team'], csiVolumes: [{ id: 'pg', namespace: 'default', plugin: 'ebs' }] },
);

function complete(src: string, snap = s) {
  const { file, offset } = atCursor(src);
  return clusterCompletions(file, offset, snap);
}
const labels = (src: string) => complete(src).map(i => i.label);

describe('cluster completion', () => {
  it('drivers: healthy first, the most widely healthy on top', () => {
    assert.deepEqual(labels('job "j" {\n  group "g" {\n    task "t" {\n      driver = "‸"\n    }\n  }\n}'), [
      'raw_exec',
      'docker',
      'podman',
    ]);
    const items = complete('job "j" {\n  group "g" {\n    task "t" {\n      driver = "‸"\n    }\n  }\n}');
    assert.match(
      String(items.find(i => i.label === 'podman')!.detail),
      /detected on 1 node, healthy on none \(cluster dev, read/,
    );
  });

  it('without quotes the value is inserted quoted', () => {
    const items = complete('job "j" {\n  group "g" {\n    task "t" {\n      driver = ‸\n    }\n  }\n}');
    assert.equal((items[0]!.textEdit as { newText: string }).newText, '"raw_exec"');
  });

  it('datacenters, node pools, namespaces', () => {
    assert.deepEqual(labels('job "j" {\n  datacenters = ["‸"]\n}'), ['dc1', 'dc2']);
    assert.deepEqual(labels('job "j" {\n  datacenters = ["dc1", "‸"]\n}'), ['dc1', 'dc2']);
    assert.deepEqual(labels('job "j" {\n  node_pool = "‸"\n}'), ['default', 'all']);
    assert.deepEqual(labels('job "j" {\n  namespace = "‸"\n}'), ['default', 'team']);
  });

  it('constraint attributes the nodes report, and the values observed for one', () => {
    const l = labels('job "j" {\n  constraint {\n    attribute = "‸"\n  }\n}');
    for (const k of ['${node.datacenter}', '${node.class}', '${meta.rack}', '${attr.kernel.name}', '${attr.cpu.arch}'])
      assert.ok(l.includes(k), k);
    const values = labels('job "j" {\n  constraint {\n    attribute = "${meta.rack}"\n    value = "‸"\n  }\n}');
    // the bidi override of a node's meta is shown escaped in the label
    assert.deepEqual(values.sort(), ['r1', 'r2', 'r\\u202e1'].sort());
  });

  it('volume sources: host volumes, or CSI volumes for type csi', () => {
    assert.deepEqual(
      labels('job "j" {\n  group "g" {\n    volume "v" {\n      type = "host"\n      source = "‸"\n    }\n  }\n}'),
      ['data'],
    );
    assert.deepEqual(
      labels('job "j" {\n  group "g" {\n    volume "v" {\n      type = "csi"\n      source = "‸"\n    }\n  }\n}'),
      ['pg'],
    );
  });

  it('nothing without a snapshot, nothing at other attributes', () => {
    assert.deepEqual(complete('job "j" {\n  datacenters = ["‸"]\n}', null as never), []);
    assert.deepEqual(labels('job "j" {\n  region = "‸"\n}'), []);
  });
});

describe('cluster hover', () => {
  const hover = (src: string) => {
    const { file, offset } = atCursor(src);
    const h = clusterHover(file, offset, s);
    return h ? String((h.contents as { value: string }).value) : undefined;
  };
  it('a datacenter: its nodes and healthy drivers', () => {
    const v = hover('job "j" {\n  datacenters = ["d‸c1"]\n}')!;
    assert.match(v, /`dc1`: 2 nodes, 2 ready/);
    assert.match(v, /raw\\_exec on 2, docker on 1/);
    assert.match(v, /cluster dev, read 1[12] s ago/);
  });
  it('a driver, an attribute, a volume', () => {
    assert.match(
      hover('job "j" {\n  group "g" {\n    task "t" {\n      driver = "dock‸er"\n    }\n  }\n}')!,
      /`docker`: healthy on 2 of 3 nodes/,
    );
    assert.match(
      hover('job "j" {\n  constraint {\n    attribute = "${meta.ra‸ck}"\n  }\n}')!,
      /reported by 3 of 3 nodes/,
    );
    assert.match(
      hover('job "j" {\n  group "g" {\n    volume "v" {\n      source = "da‸ta"\n    }\n  }\n}')!,
      /host volume on 1 node\\: a/,
    );
    assert.equal(hover('job "j" {\n  region = "gl‸obal"\n}'), undefined);
  });
});
