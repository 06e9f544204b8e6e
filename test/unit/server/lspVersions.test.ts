// The target Nomad version over LSP (stdio): the server announces the version it checks against
// (nomad/targetVersionChanged), nomad/setClusterVersion changes it and re-checks the open document,
// the cluster's version wins over the nomad.targetVersion setting, and completion follows it.
// Needs dist/server.js (the test runner builds it; `node esbuild.mjs` while developing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, type LspMessage } from '../lspClient';
import { Notifications, Requests, type TargetVersionInfo } from '../../../src/shared/protocol';
import { root } from '../support';

const TEXT = `job "web" {
  consul_token = "abc"
  ui {
    description = "Web"
  }
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

interface Published { uri: string; diagnostics: { message: string; severity?: number; range: { start: { line: number } } }[] }

test('language server over stdio: nomad/setClusterVersion changes the target and re-checks open documents', { timeout: 60_000 }, async () => {
  const server = path.join(root, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
  const client = new LspClient(server, { cwd: root });
  const uri = 'file:///tmp/versions.nomad.hcl';
  const isTarget = (source: string, version: string) => (m: LspMessage): boolean => m.method === Notifications.targetVersionChanged.method
    && (m.params as TargetVersionInfo).source === source && (m.params as TargetVersionInfo).version === version;
  const isDiags = (m: LspMessage): boolean => m.method === 'textDocument/publishDiagnostics' && (m.params as Published).uri === uri;
  const errors = (m: LspMessage): string[] => (m.params as Published).diagnostics.filter(d => d.severity === 1).map(d => `${d.range.start.line + 1}: ${d.message}`);
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    const first = await client.wait(isTarget('default', '2.0.5'), 'the default target');
    assert.deepEqual(first.params, { version: '2.0.5', source: 'default', schemaRelease: '2.0.5', newest: '2.0.5' });

    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: TEXT } });
    assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at the newest release')),
      ['2: `consul_token` was removed in Nomad 1.10.0 (1.9.7 is the last release that has it); the newest Nomad known to this extension is 2.0.5. Nomad uses workload identities for Consul; remove it.']);

    // the cluster runs 1.6.5
    client.discard(isDiags);
    client.notify(Notifications.setClusterVersion.method, { version: '1.6.5' });
    await client.wait(isTarget('cluster', '1.6.5'), 'the cluster target');
    assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at 1.6.5')), ['3: `ui` needs Nomad 1.8.0 or later; this cluster runs 1.6.5.']);
    assert.deepEqual(await client.call(Requests.targetVersion.method, {}), { version: '1.6.5', source: 'cluster', schemaRelease: '1.6.5', newest: '2.0.5' });
    const items = await client.call<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 0 } });
    const labels = items.items.map(i => i.label);
    assert.ok(labels.includes('region') && !labels.includes('ui'), labels.join(','));

    // a setting does not override the cluster's version …
    client.discard(isDiags);
    client.notify('workspace/didChangeConfiguration', { settings: { nomad: { targetVersion: '1.9.1' } } });
    assert.deepEqual((await client.call<TargetVersionInfo>(Requests.targetVersion.method, {})).source, 'cluster');
    // (a settings change re-checks too: still at 1.6.5)
    assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics after the settings change')), ['3: `ui` needs Nomad 1.8.0 or later; this cluster runs 1.6.5.']);
    // … but applies once no cluster is connected
    client.discard(isDiags);
    client.notify(Notifications.setClusterVersion.method, { version: null });
    await client.wait(isTarget('setting', '1.9.1'), 'the setting target');
    assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at 1.9.1')), []);

    // a version that cannot be read is not a version: the setting stays
    client.notify(Notifications.setClusterVersion.method, { version: 'not a version' });
    assert.deepEqual(await client.call(Requests.targetVersion.method, {}), { version: '1.9.1', source: 'setting', schemaRelease: '1.9.1', newest: '2.0.5' });
    assert.equal(await client.close(), 0);
  } finally {
    client.kill();
  }
});
