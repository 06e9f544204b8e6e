// The cluster snapshot over LSP (stdio), as the extension sends it: nomad/clusterSnapshot re-checks the
// open job (a datacenter no node is in is a warning labelled with the cluster), completion offers the
// cluster's healthy drivers first, hover says what the cluster has; null takes the findings away again.
// Needs dist/server.js (the test runner builds it; `node esbuild.mjs` while developing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, type LspMessage } from '../lspClient';
import { ClusterSnapshotNotification, type ClusterSnapshot } from '../../../src/shared/clusterSnapshot';
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
      client.notify(ClusterSnapshotNotification.method, snap);
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
      client.notify(ClusterSnapshotNotification.method, null);
      assert.deepEqual(cluster(await client.wait(isDiags, 'diagnostics after null')), []);
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);
