// The standalone language server over stdio, as an editor talks to it: initialize, didOpen the seed
// job, diagnostics with the expected codes, a quick fix for one of them, a syntax error that still
// leaves the rest of the file checked, shutdown/exit. Needs dist/server.js (the test runner builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, type LspMessage as Message } from '../lspClient';
import { read, root } from '../support';

interface Diag {
  code: string;
  range: { start: { line: number } };
  data?: unknown;
  severity: number;
}

test('language server over stdio: diagnostics, quick fix, recovery, shutdown', { timeout: 60_000 }, async () => {
  const server = path.join(root, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
  const client = new LspClient(server, {
    cwd: root,
    configuration: { lint: { serviceWithoutCheck: true, updateWithoutHealthChecks: true } },
  });
  try {
    const init = await client.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
    });
    const caps = (init.result as { capabilities: { codeActionProvider?: unknown } }).capabilities;
    assert.ok(caps.codeActionProvider, 'codeActionProvider');
    client.notify('initialized', {});

    const uri = 'file:///tmp/seed-microservice-job-01.nomad';
    const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text } });
    const isDiags =
      (v: number) =>
      (m: Message): boolean =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as { uri: string; version?: number }).uri === uri &&
        (m.params as { version?: number }).version === v;
    const pub = await client.wait(isDiags(1), 'diagnostics of version 1');
    const ds = (pub.params as { diagnostics: Diag[] }).diagnostics;
    const codes = ds.map(d => d.code);
    for (const c of [
      'port-map-deprecated',
      'task-network-deprecated',
      'mbits-deprecated',
      'service-without-check',
      'missing-update',
    ])
      assert.ok(codes.includes(c), `${c} in ${codes.join(', ')}`);
    assert.ok(!ds.some(d => d.severity === 1), 'no errors');

    const portMap = ds.find(d => d.code === 'port-map-deprecated')!;
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: portMap.range,
      context: { diagnostics: [portMap] },
    });
    const list = actions.result as {
      title: string;
      kind: string;
      edit: { changes: Record<string, { newText: string }[]> };
    }[];
    const quick = list.find(a => a.kind === 'quickfix');
    assert.ok(quick, 'a quick fix');
    assert.ok(
      quick.edit.changes[uri]!.some(e => e.newText.includes('to = 3000')),
      'the fix adds to = 3000',
    );
    assert.ok(
      list.some(a => a.kind.startsWith('source.fixAll')),
      'fix-all source action',
    );

    // a syntax error in the config block: the rest of the file is still checked
    const broken = text.replace('image = "eridemnet/microservice-example:1.0.0"', 'image = ');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    const pub2 = await client.wait(isDiags(2), 'diagnostics of version 2');
    const ds2 = (pub2.params as { diagnostics: Diag[] }).diagnostics;
    assert.ok(
      ds2.some(d => d.severity === 1),
      'a syntax error',
    );
    assert.ok(
      ds2.some(d => d.code === 'service-without-check'),
      'the service is still checked',
    );
    assert.ok(
      ds2.some(d => d.code === 'task-network-deprecated'),
      'the resources are still checked',
    );

    assert.equal(await client.close(), 0);
  } finally {
    client.kill();
  }
});
