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

interface Published {
  uri: string;
  diagnostics: { message: string; severity?: number; range: { start: { line: number } } }[];
}

test(
  'language server over stdio: nomad/setClusterVersion changes the target and re-checks open documents',
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
    const client = new LspClient(server, { cwd: root });
    const uri = 'file:///tmp/versions.nomad.hcl';
    const isTarget =
      (source: string, version: string) =>
      (m: LspMessage): boolean =>
        m.method === Notifications.targetVersionChanged.method &&
        (m.params as TargetVersionInfo).source === source &&
        (m.params as TargetVersionInfo).version === version;
    const isDiags = (m: LspMessage): boolean =>
      m.method === 'textDocument/publishDiagnostics' && (m.params as Published).uri === uri;
    const errors = (m: LspMessage): string[] =>
      (m.params as Published).diagnostics
        .filter(d => d.severity === 1)
        .map(d => `${d.range.start.line + 1}: ${d.message}`);
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      const first = await client.wait(isTarget('default', '2.0.5'), 'the default target');
      assert.deepEqual(first.params, { version: '2.0.5', source: 'default', schemaRelease: '2.0.5', newest: '2.0.5' });

      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: TEXT } });
      assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at the newest release')), [
        '2: `consul_token` was removed in Nomad 1.10.0 (1.9.7 is the last release that has it); the newest Nomad known to this extension is 2.0.5. Nomad uses workload identities for Consul; remove it.',
      ]);

      // the cluster runs 1.6.5
      client.discard(isDiags);
      client.notify(Notifications.setClusterVersion, { version: '1.6.5' });
      await client.wait(isTarget('cluster', '1.6.5'), 'the cluster target');
      assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at 1.6.5')), [
        '3: `ui` needs Nomad 1.8.0 or later; this cluster runs 1.6.5.',
      ]);
      assert.deepEqual(await client.call(Requests.targetVersion), {
        version: '1.6.5',
        source: 'cluster',
        schemaRelease: '1.6.5',
        newest: '2.0.5',
      });
      const items = await client.call<{ items: { label: string }[] }>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 1, character: 0 },
      });
      const labels = items.items.map(i => i.label);
      assert.ok(labels.includes('region') && !labels.includes('ui'), labels.join(','));

      // a setting does not override the cluster's version …
      client.discard(isDiags);
      client.notify('workspace/didChangeConfiguration', { settings: { nomad: { targetVersion: '1.9.1' } } });
      assert.deepEqual((await client.call(Requests.targetVersion)).source, 'cluster');
      // (a settings change re-checks too: still at 1.6.5)
      assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics after the settings change')), [
        '3: `ui` needs Nomad 1.8.0 or later; this cluster runs 1.6.5.',
      ]);
      // … but applies once no cluster is connected
      client.discard(isDiags);
      client.notify(Notifications.setClusterVersion, { version: null });
      await client.wait(isTarget('setting', '1.9.1'), 'the setting target');
      assert.deepEqual(errors(await client.wait(isDiags, 'diagnostics at 1.9.1')), []);

      // a version that cannot be read is not a version: the setting stays
      client.notify(Notifications.setClusterVersion, { version: 'not a version' });
      assert.deepEqual(await client.call(Requests.targetVersion), {
        version: '1.9.1',
        source: 'setting',
        schemaRelease: '1.9.1',
        newest: '2.0.5',
      });
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);

// A field of a patch release and a field newer than a deprecation, over LSP: the messages name the release,
// and the quick fixes the server offers are the ones the target accepts.
const PATCH_TEXT = `job "batch" {
  type = "batch"
  group "g" {
    max_run_duration           = "1h"
    max_client_disconnect      = "1h"
    prevent_reschedule_on_lost = true
    task "t" {
      driver = "docker"
      config {
        image = "nginx"
      }
    }
  }
}
`;

interface Action {
  title: string;
  kind?: string;
  diagnostics?: { code?: string }[];
}

test(
  'language server over stdio: exact releases in the messages (2.0.2 vs 2.0.3, 1.6.5) and only the quick fixes the target accepts',
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
    const client = new LspClient(server, { cwd: root });
    const uri = 'file:///tmp/patch.nomad.hcl';
    const isTarget =
      (version: string) =>
      (m: LspMessage): boolean =>
        m.method === Notifications.targetVersionChanged.method && (m.params as TargetVersionInfo).version === version;
    const isDiags = (m: LspMessage): boolean =>
      m.method === 'textDocument/publishDiagnostics' && (m.params as Published).uri === uri;
    const onGroup = (m: LspMessage): string[] =>
      (m.params as Published).diagnostics
        .filter(d => d.range.start.line >= 3 && d.range.start.line <= 5)
        .map(d => `${d.range.start.line + 1} ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`);
    const at = async (
      version: string,
    ): Promise<{ diags: Published['diagnostics']; lines: string[]; actions: Action[] }> => {
      client.discard(isDiags);
      client.notify(Notifications.setClusterVersion, { version });
      await client.wait(isTarget(version), `the target ${version}`);
      const published = await client.wait(isDiags, `diagnostics at ${version}`);
      const diags = (published.params as Published).diagnostics;
      const actions = await client.call<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 13, character: 0 } },
        context: { diagnostics: diags },
      });
      return { diags, lines: onGroup(published), actions };
    };
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'nomad', version: 1, text: PATCH_TEXT },
      });
      await client.wait(isDiags, 'the first diagnostics');

      const v202 = await at('2.0.2');
      assert.ok(
        v202.lines.includes(
          '4 error: `max_run_duration` in `group` needs Nomad 2.0.3 or later; this cluster runs 2.0.2.',
        ),
        v202.lines.join('\n'),
      );
      const v203 = await at('2.0.3');
      assert.ok(!v203.lines.some(l => l.startsWith('4 ')), v203.lines.join('\n'));
      // 2.0.3 deprecates the two disconnect fields: both fixes are offered, and "fix all"
      assert.ok(
        v203.actions.some(a => a.title.startsWith('Move to the disconnect block')),
        v203.actions.map(a => a.title).join('\n'),
      );
      assert.ok(v203.actions.some(a => a.kind?.startsWith('source.fixAll.nomad.deprecations')));

      const v165 = await at('1.6.5');
      assert.deepEqual(v165.lines, [
        '4 error: `max_run_duration` in `group` needs Nomad 2.0.3 or later; this cluster runs 1.6.5.',
        '6 error: `prevent_reschedule_on_lost` in `group` needs Nomad 1.7.2 or later; this cluster runs 1.6.5.',
      ]);
      // nothing moves into a disconnect block that 1.6.5 does not have
      assert.ok(
        !v165.actions.some(a => /disconnect/.test(a.title) || a.kind?.startsWith('source.fixAll.nomad.deprecations')),
        v165.actions.map(a => a.title).join('\n'),
      );
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);
