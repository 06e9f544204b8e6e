// The language server process says why it ends when it ends badly (two starts once exited with
// code 1 before answering initialize, with nothing logged). Needs dist/server.js (the runner builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from '../support';

const server = path.join(root, 'dist', 'server.js');

test('a start without a transport fails with its cause on stderr', () => {
  assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
  const r = spawnSync(process.execPath, [server], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\[nomad-language-server\] uncaught exception while loading: .*input stream is not set/i);
  assert.equal(r.stdout, '', 'nothing on stdout (it may be the LSP channel)');
});

test('a client that closes the connection before initialize: the exit is explained', () => {
  const r = spawnSync(process.execPath, [server, '--stdio'], { encoding: 'utf8', timeout: 30_000, input: '' });
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /exiting with code 1 while waiting for initialize: the client closed its end of the connection/,
  );
});

const frame = (m: object): string => {
  const s = JSON.stringify({ jsonrpc: '2.0', ...m });
  return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
};

test('"exit" without "shutdown": code 1, and the line says that was the cause', { timeout: 30_000 }, async () => {
  const p = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>(resolve => p.once('exit', code => resolve(code)));
  await new Promise<void>(resolve => {
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('"id":1')) resolve();
    });
    p.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  });
  p.stdin.write(frame({ method: 'exit', params: null }));
  assert.equal(await exited, 1);
  assert.match(err, /exiting with code 1 while running: the client sent "exit" without "shutdown" before it/);
});

test('a clean shutdown logs nothing', { timeout: 30_000 }, async () => {
  const p = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const answered = (id: number): Promise<void> =>
    new Promise(resolve => {
      const on = (c: Buffer): void => {
        out += c.toString();
        if (out.includes(`"id":${id}`)) {
          p.stdout.off('data', on);
          resolve();
        }
      };
      p.stdout.on('data', on);
    });
  const exited = new Promise<number | null>(resolve => p.once('exit', code => resolve(code)));
  p.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  await answered(1);
  p.stdin.write(frame({ id: 2, method: 'shutdown', params: null }));
  await answered(2);
  p.stdin.write(frame({ method: 'exit', params: null }));
  assert.equal(await exited, 0);
  assert.equal(err, '');
});
