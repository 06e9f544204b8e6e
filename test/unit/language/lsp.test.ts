// The standalone language server over stdio, as an editor talks to it: initialize, didOpen the seed
// job, diagnostics with the expected codes, a quick fix for one of them, a syntax error that still
// leaves the rest of the file checked, shutdown/exit. Needs dist/server.js (the test runner builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { read, root } from './util';

interface Message { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown }

class Client {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private readonly backlog: Message[] = [];

  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (chunk: Buffer) => { this.buf = Buffer.concat([this.buf, chunk]); this.drain(); });
  }

  private drain(): void {
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, sep).toString('ascii'));
      const len = Number(m?.[1] ?? 0);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString('utf8')) as Message;
      this.buf = this.buf.subarray(sep + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Message): void {
    // answer server -> client requests (workspace/configuration, client/registerCapability)
    if (msg.method && msg.id !== undefined) {
      const result = msg.method === 'workspace/configuration' ? [{ lint: { serviceWithoutCheck: true, updateWithoutHealthChecks: true } }] : null;
      this.send({ id: msg.id, result });
    }
    const i = this.waiters.findIndex(w => w.match(msg));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
    else this.backlog.push(msg);
  }

  send(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  wait(match: (m: Message) => boolean, what: string, ms = 20_000): Promise<Message> {
    const i = this.backlog.findIndex(match);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms (deadline)`)), ms);
      this.waiters.push({ match, resolve: m => { clearTimeout(timer); resolve(m); } });
    });
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return this.wait(m => m.id === id && m.method === undefined, `answer to ${method}`);
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }
}

interface Diag { code: string; range: { start: { line: number } }; data?: unknown; severity: number }

test('language server over stdio: diagnostics, quick fix, recovery, shutdown', { timeout: 60_000 }, async () => {
  const server = path.join(root, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
  const proc = spawn(process.execPath, [server, '--stdio'], { cwd: root });
  const client = new Client(proc);
  try {
    const init = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    const caps = (init.result as { capabilities: { codeActionProvider?: unknown } }).capabilities;
    assert.ok(caps.codeActionProvider, 'codeActionProvider');
    client.notify('initialized', {});

    const uri = 'file:///tmp/seed-microservice-job-01.nomad';
    const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text } });
    const isDiags = (v: number) => (m: Message): boolean => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string; version?: number }).uri === uri && (m.params as { version?: number }).version === v;
    const pub = await client.wait(isDiags(1), 'diagnostics of version 1');
    const ds = (pub.params as { diagnostics: Diag[] }).diagnostics;
    const codes = ds.map(d => d.code);
    for (const c of ['port-map-deprecated', 'task-network-deprecated', 'mbits-deprecated', 'service-without-check', 'missing-update']) assert.ok(codes.includes(c), `${c} in ${codes.join(', ')}`);
    assert.ok(!ds.some(d => d.severity === 1), 'no errors');

    const portMap = ds.find(d => d.code === 'port-map-deprecated')!;
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: portMap.range, context: { diagnostics: [portMap] } });
    const list = actions.result as { title: string; kind: string; edit: { changes: Record<string, { newText: string }[]> } }[];
    const quick = list.find(a => a.kind === 'quickfix');
    assert.ok(quick, 'a quick fix');
    assert.ok(quick.edit.changes[uri]!.some(e => e.newText.includes('to = 3000')), 'the fix adds to = 3000');
    assert.ok(list.some(a => a.kind.startsWith('source.fixAll')), 'fix-all source action');

    // a syntax error in the config block: the rest of the file is still checked
    const broken = text.replace('image = "eridemnet/microservice-example:1.0.0"', 'image = ');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    const pub2 = await client.wait(isDiags(2), 'diagnostics of version 2');
    const ds2 = (pub2.params as { diagnostics: Diag[] }).diagnostics;
    assert.ok(ds2.some(d => d.severity === 1), 'a syntax error');
    assert.ok(ds2.some(d => d.code === 'service-without-check'), 'the service is still checked');
    assert.ok(ds2.some(d => d.code === 'task-network-deprecated'), 'the resources are still checked');

    await client.request('shutdown', null);
    client.notify('exit', null);
    const code = await new Promise<number | null>(resolve => proc.on('exit', c => resolve(c)));
    assert.equal(code, 0);
  } finally {
    if (proc.exitCode === null) proc.kill();
  }
});
