// The cluster snapshot over LSP (stdio), as the extension sends it: nomad/clusterSnapshot re-checks the
// open job (a datacenter no node is in is a warning labelled with the cluster), completion offers the
// cluster's healthy drivers first, hover says what the cluster has; null takes the findings away again.
// Needs dist/server.js (the test runner builds it; `node esbuild.mjs` while developing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, type LspMessage } from '../lspClient';
import {
  ClusterSnapshotDeltaNotification,
  ClusterSnapshotNotification,
  ClusterSnapshotResyncNotification,
  ClusterSnapshotStream,
  type ClusterSnapshot,
  type ClusterSnapshotResyncParams,
} from '../../../src/shared/clusterSnapshot';
import { root } from '../support';
import { node } from '../language/cluster/snapshot';

const TEXT = `job "web" {
  datacenters = ["dc2"]
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "nginx"
      }
    }
  }
}
`;

interface Published {
  uri: string;
  diagnostics: {
    message: string;
    severity?: number;
    source?: string;
    code?: string;
    range: { start: { line: number } };
  }[];
}

test(
  "language server over stdio: nomad/clusterSnapshot brings the cluster's warnings, completion and hover",
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
    const client = new LspClient(server, { cwd: root });
    const uri = 'file:///tmp/cluster.nomad.hcl';
    const isDiags = (m: LspMessage): boolean =>
      m.method === 'textDocument/publishDiagnostics' && (m.params as Published).uri === uri;
    const cluster = (m: LspMessage) =>
      (m.params as Published).diagnostics
        .filter(d => d.source === 'Nomad (cluster)')
        .map(d => `${d.range.start.line + 1}: ${d.code}`);
    const snap: ClusterSnapshot = {
      cluster: 'dev',
      readAt: Date.now(),
      nodes: [
        node('a', {
          drivers: {
            docker: { detected: true, healthy: true },
            raw_exec: { detected: true, healthy: true },
            exec: { detected: true, healthy: false },
          },
        }),
      ],
      nodePools: ['all', 'default'],
      namespaces: ['default'],
    };
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: TEXT } });
      assert.deepEqual(cluster(await client.wait(isDiags, 'diagnostics without a snapshot')), []);

      client.discard(isDiags);
      client.notify(ClusterSnapshotNotification, { seq: 1, snapshot: snap });
      const d = await client.wait(m => isDiags(m) && cluster(m).length > 0, 'diagnostics with the snapshot');
      assert.deepEqual(cluster(d), ['2: cluster-no-datacenter']);
      assert.match(
        (d.params as Published).diagnostics.find(x => x.source === 'Nomad (cluster)')!.message,
        /No node of the cluster is in datacenter dc2: it has dc1 \(1 node\)\. \(cluster dev, read \d+ s ago\)/,
      );

      const items = await client.call<{ items: { label: string; detail?: string }[] }>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 4, character: 16 },
      });
      const labels = items.items.map(i => i.label);
      assert.deepEqual(labels.slice(0, 3), ['docker', 'raw_exec', 'exec'], labels.join(','));
      assert.equal(labels.filter(l => l === 'docker').length, 1, "the schema's own docker item is not repeated");

      const hover = await client.call<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 4, character: 16 },
      });
      assert.match(hover!.contents.value, /`docker`: healthy on 1 of 1 node/);

      client.discard(isDiags);
      client.notify(ClusterSnapshotNotification, { seq: 2, snapshot: null });
      assert.deepEqual(cluster(await client.wait(isDiags, 'diagnostics after null')), []);
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);

test(
  'language server over stdio: deltas change what the server answers; a gap or a malformed delta asks for the whole, and the whole heals it',
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
    const client = new LspClient(server, { cwd: root });
    const uri = 'file:///tmp/cluster-delta.nomad.hcl';
    const driverHover = async () =>
      (
        await client.call<{ contents: { value: string } } | null>('textDocument/hover', {
          textDocument: { uri },
          position: { line: 4, character: 16 },
        })
      )?.contents.value ?? '';
    const isResync = (m: LspMessage) => m.method === ClusterSnapshotResyncNotification.method;
    const healthy = (name: string, docker: boolean) =>
      node(name, {
        drivers: { docker: { detected: true, healthy: docker }, raw_exec: { detected: true, healthy: true } },
      });
    const stream = new ClusterSnapshotStream();
    const send = (s: ClusterSnapshot | null) => {
      const m = stream.next(s);
      assert.ok(m, 'a changed snapshot gives a message');
      if (m.kind === 'full') client.notify(ClusterSnapshotNotification, m.message);
      else client.notify(ClusterSnapshotDeltaNotification, m.message);
      return m;
    };
    const base: ClusterSnapshot = { cluster: 'dev', readAt: Date.now(), nodes: [healthy('a', true)] };
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: TEXT } });
      assert.equal(send(base).kind, 'full');
      assert.match(await driverHover(), /`docker`: healthy on 1 of 1 node/);

      // a node joins, then the first one's docker turns unhealthy: two deltas, each reflected at once
      const two = { ...base, readAt: base.readAt + 1, nodes: [base.nodes![0]!, healthy('b', true)] };
      const m2 = send(two);
      assert.equal(m2.kind, 'delta');
      assert.deepEqual(m2.kind === 'delta' && m2.message.upsert?.map(n => n.id), ['id-b'], 'only the new node is sent');
      assert.match(await driverHover(), /`docker`: healthy on 2 of 2 nodes/);
      const m3 = send({ ...two, readAt: two.readAt + 1, nodes: [healthy('a', false), two.nodes[1]!] });
      assert.equal(m3.kind, 'delta');
      assert.match(await driverHover(), /`docker`: healthy on 1 of 2 nodes, detected but unhealthy on 1/);

      // a malformed delta: ignored (the answers stay), the server asks for the whole and stays up
      client.notify(ClusterSnapshotDeltaNotification.method, { seq: 'x', upsert: [{ id: 3 }] });
      const r1 = (await client.wait(isResync, 'a resync after a malformed delta'))
        .params as ClusterSnapshotResyncParams;
      assert.deepEqual(r1, { have: m3.message.seq, reason: 'malformed' });
      assert.match(await driverHover(), /`docker`: healthy on 1 of 2 nodes/);
      client.notify(ClusterSnapshotNotification, stream.full().message);

      // a lost delta: the next one does not follow; the server asks for the whole and ignores deltas until then
      const lost = stream.next({ ...two, readAt: two.readAt + 5, nodes: [healthy('a', true), healthy('b', true)] });
      assert.equal(lost?.kind, 'delta');
      const after = send({ ...two, readAt: two.readAt + 6, nodes: [healthy('a', true)] });
      assert.equal(after.kind, 'delta');
      const r2 = (await client.wait(isResync, 'a resync after a gap')).params as ClusterSnapshotResyncParams;
      assert.equal(r2.reason, 'gap');
      assert.equal(r2.have, after.message.seq - 2);
      assert.match(await driverHover(), /`docker`: healthy on 1 of 2 nodes/, 'the out-of-step delta is not applied');
      // a further delta while the whole is awaited: not applied, and not asked for again
      send({ ...two, readAt: two.readAt + 7, nodes: [] });
      assert.match(await driverHover(), /`docker`: healthy on 1 of 2 nodes/);
      // the whole brings the newest state (no node left)
      client.notify(ClusterSnapshotNotification, stream.full().message);
      assert.match(await driverHover(), /`docker`: on none of 0 nodes/);
      assert.equal(client.discard(isResync), 0, 'one resync per gap');
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);
