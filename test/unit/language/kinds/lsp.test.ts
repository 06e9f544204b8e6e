// The custom protocol through the real language server (dist/server.js over stdio): nomad/fileKind
// reports the detected kind, nomad/setFileKind overrides it (and the diagnostics follow), null restores
// detection. Skipped when dist/server.js has not been built.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Notifications, Requests } from '../../../../src/shared/protocol';
import { LspClient } from '../../lspClient';
import { fixture, root } from '../../support';

/** The built server over stdio, killed after the test; undefined (the test skipped) when it is not built. */
function serverFor(
  t: TestContext,
):
  | { client: LspClient; send: (m: object) => void; request: <R>(method: string, params: unknown) => Promise<R> }
  | undefined {
  const server = path.join(root, 'dist', 'server.js');
  if (!fs.existsSync(server)) {
    t.skip('dist/server.js not built (run node esbuild.mjs)');
    return undefined;
  }
  const client = new LspClient(server);
  t.after(() => client.kill());
  return {
    client,
    send: m => client.send(m),
    request: <R>(method: string, params: unknown) => client.call<R>(method, params),
  };
}

void test('nomad/fileKind and nomad/setFileKind through the language server', async t => {
  const c = serverFor(t);
  if (!c) return;
  const { client, send, request } = c;
  const diagnostics = (): Promise<{ code?: string }[]> =>
    client
      .wait(m => m.method === 'textDocument/publishDiagnostics', 'diagnostics')
      .then(m => (m.params as { diagnostics: { code?: string }[] }).diagnostics);

  await request('initialize', { processId: null, rootUri: null, capabilities: {} });
  send({ method: 'initialized', params: {} });
  const uri = 'untitled:seed-server';
  send({
    method: 'textDocument/didOpen',
    params: { textDocument: { uri, languageId: 'nomad', version: 1, text: fixture('agent/seed-nomad-server.nomad') } },
  });
  assert.deepEqual(await diagnostics(), []);
  assert.deepEqual(await client.call(Requests.fileKind, { uri }), {
    kind: 'agent',
    detected: 'agent',
    overridden: false,
  });

  client.notify(Notifications.setFileKind, { uri, kind: 'job' });
  assert.ok((await diagnostics()).some(d => d.code === 'missing-job'));
  assert.deepEqual(await client.call(Requests.fileKind, { uri }), { kind: 'job', detected: 'agent', overridden: true });

  client.notify(Notifications.setFileKind, { uri, kind: null });
  assert.deepEqual(await diagnostics(), []);
  assert.deepEqual(await client.call(Requests.fileKind, { uri }), {
    kind: 'agent',
    detected: 'agent',
    overridden: false,
  });
  assert.equal(await client.call(Requests.fileKind, { uri: 'untitled:not-open' }), null);
  await request('shutdown', null);
  send({ method: 'exit' });
});

void test('node pool, quota and variable specifications through the language server', async t => {
  const c = serverFor(t);
  if (!c) return;
  const { client, send, request } = c;
  const diagnostics = (uri: string): Promise<{ code?: string; severity?: number }[]> =>
    client
      .wait(
        m => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri,
        `diagnostics of ${uri}`,
      )
      .then(m => (m.params as { diagnostics: { code?: string; severity?: number }[] }).diagnostics);

  await request('initialize', { processId: null, rootUri: null, capabilities: {} });
  send({ method: 'initialized', params: {} });
  // the file name `nomad var init` writes decides while the file has no items yet
  const varUri = 'file:///tmp/nomad-specs/spec.nv.hcl';
  const varDiags = diagnostics(varUri);
  send({
    method: 'textDocument/didOpen',
    params: { textDocument: { uri: varUri, languageId: 'nomad', version: 1, text: 'path = "app/db"\n' } },
  });
  assert.deepEqual(
    (await varDiags).map(d => d.code),
    ['missing-key'],
  );
  assert.deepEqual(await client.call(Requests.fileKind, { uri: varUri }), {
    kind: 'variable',
    detected: 'variable',
    overridden: false,
  });

  const poolUri = 'untitled:pool';
  const poolDiags = diagnostics(poolUri);
  send({
    method: 'textDocument/didOpen',
    params: {
      textDocument: {
        uri: poolUri,
        languageId: 'nomad',
        version: 1,
        text: 'node_pool "batch" {\n  description = "x"\n}\n',
      },
    },
  });
  assert.deepEqual(await poolDiags, []);
  assert.deepEqual(await client.call(Requests.fileKind, { uri: poolUri }), {
    kind: 'nodepool',
    detected: 'nodepool',
    overridden: false,
  });
  // chosen as a quota specification, the same text is refused there
  const quotaDiags = diagnostics(poolUri);
  client.notify(Notifications.setFileKind, { uri: poolUri, kind: 'quota' });
  assert.deepEqual((await quotaDiags).map(d => d.code).sort(), ['missing-key', 'unknown-key']);
  await request('shutdown', null);
  send({ method: 'exit' });
});
