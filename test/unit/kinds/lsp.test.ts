// The custom protocol through the real language server (dist/server.js over stdio): nomad/fileKind
// reports the detected kind, nomad/setFileKind overrides it (and the diagnostics follow), null restores
// detection. Skipped when dist/server.js has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Notifications, Requests, type FileKindResult } from '../../../src/shared/protocol';
import { fixture, root } from './util';

interface Message { id?: number; method?: string; params?: unknown; result?: unknown }

void test('nomad/fileKind and nomad/setFileKind through the language server', async (t) => {
  const server = path.join(root, 'dist', 'server.js');
  if (!fs.existsSync(server)) { t.skip('dist/server.js not built (run node esbuild.mjs)'); return; }
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => proc.kill());
  let buf = Buffer.alloc(0);
  const seen: Message[] = [];
  const waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  const send = (m: object): void => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    proc.stdin.write(body);
  };
  proc.stdout.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString('ascii'))?.[1] ?? 0);
      if (buf.length < sep + 4 + len) return;
      const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString('utf8')) as Message;
      buf = buf.subarray(sep + 4 + len);
      if (msg.method && msg.id !== undefined) send({ id: msg.id, result: null });
      const i = waiters.findIndex(w => w.match(msg));
      if (i >= 0) waiters.splice(i, 1)[0]!.resolve(msg); else seen.push(msg);
    }
  });
  const wait = (match: (m: Message) => boolean): Promise<Message> => {
    const i = seen.findIndex(match);
    if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]!);
    return new Promise(resolve => waiters.push({ match, resolve }));
  };
  let id = 0;
  const request = async <R>(method: string, params: unknown): Promise<R> => {
    const my = ++id;
    send({ id: my, method, params });
    return (await wait(m => m.id === my && m.method === undefined)).result as R;
  };
  const diagnostics = (): Promise<{ code?: string }[]> =>
    wait(m => m.method === 'textDocument/publishDiagnostics').then(m => (m.params as { diagnostics: { code?: string }[] }).diagnostics);

  await request('initialize', { processId: null, rootUri: null, capabilities: {} });
  send({ method: 'initialized', params: {} });
  const uri = 'untitled:seed-server';
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'nomad', version: 1, text: fixture('agent/seed-nomad-server.nomad') } } });
  assert.deepEqual(await diagnostics(), []);
  assert.deepEqual(await request<FileKindResult>(Requests.fileKind.method, { uri }), { kind: 'agent', detected: 'agent', overridden: false });

  send({ method: Notifications.setFileKind.method, params: { uri, kind: 'job' } });
  assert.ok((await diagnostics()).some(d => d.code === 'missing-job'));
  assert.deepEqual(await request<FileKindResult>(Requests.fileKind.method, { uri }), { kind: 'job', detected: 'agent', overridden: true });

  send({ method: Notifications.setFileKind.method, params: { uri, kind: null } });
  assert.deepEqual(await diagnostics(), []);
  assert.deepEqual(await request<FileKindResult>(Requests.fileKind.method, { uri }), { kind: 'agent', detected: 'agent', overridden: false });
  assert.equal(await request(Requests.fileKind.method, { uri: 'untitled:not-open' }), null);
  await request('shutdown', null);
  send({ method: 'exit' });
});
