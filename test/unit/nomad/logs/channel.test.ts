import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type * as http from 'node:http';
import { NomadClient } from '../../../../src/nomad/client';
import { decodeBase64Into, LogStreamDecoder } from '../../../../src/nomad/logs/decoder';
import { LineAssembler } from '../../../../src/nomad/logs/lines';
import { FlowGate } from '../../../../src/nomad/logs/flow';
import { followLogs, MAX_UNACKED_CHARS } from '../../../../src/nomad/logs/threaded';
import { mulberry32, profile, startServer } from '../../support';
import { encodeFrame } from './frames';

test('base64 from bytes: agrees with Buffer on random data, padded or not; refuses what is not base64', () => {
  const rnd = mulberry32(11);
  const out = Buffer.alloc(400);
  for (let n = 0; n < 300; n++) {
    const data = Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
    const b64 = data.toString('base64');
    for (const text of [b64, b64.replace(/=+$/, '')]) {
      const src = Buffer.from(`xx${text}yy`);
      const len = decodeBase64Into(src, 2, 2 + text.length, out);
      assert.equal(len, n, `length for ${n} bytes`);
      assert.deepEqual(out.subarray(0, len), data);
    }
  }
  for (const bad of ['QUJ*', 'QUJD\\/', 'QUJDR', 'QU=D', '\u00e9\u00e9\u00e9\u00e9']) {
    const src = Buffer.from(bad, 'latin1');
    assert.equal(decodeBase64Into(src, 0, src.length, out), -1, bad);
  }
});

test('logs decoder: a frame whose data the fast path cannot take (an escaped "/") decodes the same through JSON.parse', () => {
  const text = 'a/b?c>\n'.repeat(40); // base64 of these bytes holds "/" characters
  const b64 = Buffer.from(text).toString('base64');
  assert.ok(b64.includes('/'));
  const escaped = `{"Offset":${text.length},"Data":"${b64.replace(/\//g, '\\/')}","File":"alloc/logs/web.stdout.0"}`;
  const plain = encodeFrame({ Offset: text.length, Data: Buffer.from(text), File: 'alloc/logs/web.stdout.0' });
  for (const frame of [escaped, plain]) {
    const d = new LogStreamDecoder({ start: { offset: 0 } });
    const events = d.push(Buffer.from(`{}${frame}{}`));
    const data = events.filter(e => e.kind === 'data');
    assert.equal(data.length, 1);
    assert.deepEqual(data[0], {
      kind: 'data',
      file: 'alloc/logs/web.stdout.0',
      offset: text.length,
      length: text.length,
      text,
    });
  }
});

test('line blocks: pushBlock gives what push gives, joined, for random text cut at random places', () => {
  const rnd = mulberry32(5);
  const pieces = ['plain line', '', 'crlf\r', '\x1b[31mred\x1b[0m', 'long'.repeat(30), 'é✓🚀'];
  for (let round = 0; round < 200; round++) {
    let text = '';
    for (let i = 0; i < 30; i++) text += pieces[Math.floor(rnd() * pieces.length)]! + (rnd() < 0.8 ? '\n' : '');
    const opts = {
      stripAnsi: rnd() < 0.5,
      maxLineLength: rnd() < 0.3 ? 50 : 64 * 1024,
      ...(rnd() < 0.2 ? { prefix: 'p ' } : {}),
    };
    const a = new LineAssembler(opts);
    const b = new LineAssembler(opts);
    let viaLines = '',
      viaBlocks = '';
    for (let at = 0; at < text.length;) {
      const next = Math.min(text.length, at + 1 + Math.floor(rnd() * 40));
      const chunk = text.slice(at, next);
      const lines = a.push(chunk);
      if (lines.length) viaLines += `${lines.join('\n')}\n`;
      viaBlocks += b.pushBlock(chunk);
      at = next;
    }
    assert.equal(viaBlocks, viaLines, `round ${round}`);
    assert.equal(b.flush(), a.flush());
  }
});

test('followLogs: a worker thread follows the stream and posts whole lines; stop ends it with the last text in', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 120)}`);
  const body = Buffer.from(`${lines.join('\n')}\n`);
  let frames = '{}';
  for (let pos = 0; pos < body.length; pos += 4096) {
    frames += encodeFrame({
      File: 'alloc/logs/web.stdout.0',
      Data: body.subarray(pos, pos + 4096),
      Offset: Math.min(body.length, pos + 4096),
    });
  }
  const srv = await startServer((_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.write(frames); // and keep following until the client goes away
  });
  const client = new NomadClient({ profile: profile(srv.url) });
  const workerPath = path.resolve(__dirname, '../../../../src/nomad/logs/worker.js');
  let got = '';
  let resolveAll!: () => void;
  const all = new Promise<void>(r => (resolveAll = r));
  const f = followLogs(
    client,
    { allocId: 'a1', task: 'web', type: 'stdout', origin: 'start', offset: 0, prefix: '', stripAnsi: true, filter: '' },
    text => {
      got += text;
      if (got.length >= body.length) resolveAll();
    },
    { workerPath },
  );
  assert.equal(f.threaded, true);
  await all;
  f.stop();
  assert.deepEqual(await f.done, { reason: 'cancelled' });
  assert.equal(got, body.toString());
  // with a filter and a prefix, through the same worker
  got = '';
  const g = followLogs(
    client,
    {
      allocId: 'a1',
      task: 'web',
      type: 'stderr',
      origin: 'start',
      offset: 0,
      prefix: 'web[0]/t [stderr] ',
      stripAnsi: true,
      filter: '/^line \\d*7 /',
    },
    text => {
      got += text;
    },
    { workerPath },
  );
  const expected = lines
    .filter(l => /^line \d*7 /.test(l))
    .map(l => `web[0]/t [stderr] ${l}\n`)
    .join('');
  while (got.length < expected.length) await new Promise(r => setTimeout(r, 20));
  g.stop();
  await g.done;
  assert.equal(got, expected);
  await client.close();
  await srv.close();
});

test('flow gate: closes past the high mark, opens at the low mark, and for good once released', async () => {
  const g = new FlowGate(100, 40);
  g.sent(100);
  assert.equal(g.wait(), undefined, 'at the high mark the producer may go on');
  g.sent(1);
  const w1 = g.wait(),
    w2 = g.wait();
  assert.ok(w1 && w2);
  let opened = 0;
  void w1.then(() => opened++);
  void w2.then(() => opened++);
  g.acked(50); // 51 owed: above the low mark
  await new Promise(r => setImmediate(r));
  assert.equal(opened, 0);
  g.acked(11); // 40 owed
  await new Promise(r => setImmediate(r));
  assert.equal(opened, 2);
  assert.equal(g.pending, 40);
  g.sent(1000);
  const w3 = g.wait();
  assert.ok(w3);
  g.release();
  await w3;
  assert.equal(g.wait(), undefined, 'released: never waits again');
});

test('followLogs: while the host has not taken what was posted, the worker stops reading; then every byte arrives once', async () => {
  const line = `${'y'.repeat(99)}\n`;
  const body = Buffer.from(line.repeat(Math.ceil((MAX_UNACKED_CHARS * 4) / line.length)));
  let frames = '';
  for (let pos = 0; pos < body.length; pos += 64 * 1024) {
    frames += encodeFrame({
      File: 'alloc/logs/web.stdout.0',
      Data: body.subarray(pos, pos + 64 * 1024),
      Offset: Math.min(body.length, pos + 64 * 1024),
    });
  }
  const srv = await startServer((_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.write(frames);
  });
  const client = new NomadClient({ profile: profile(srv.url) });
  const workerPath = path.resolve(__dirname, '../../../../src/nomad/logs/worker.js');
  let got = '';
  let hold = true;
  const held: Array<() => void> = [];
  let lastAppend = Date.now();
  const f = followLogs(
    client,
    {
      allocId: 'a1',
      task: 'web',
      type: 'stdout',
      origin: 'start',
      offset: 0,
      prefix: '',
      stripAnsi: false,
      filter: '',
    },
    text => {
      got += text;
      lastAppend = Date.now();
      return hold ? new Promise<void>(r => held.push(r)) : undefined;
    },
    { workerPath },
  );
  assert.equal(f.threaded, true);
  // nothing taken: appends stop coming once the worker is owed its limit
  while (got.length < MAX_UNACKED_CHARS || Date.now() - lastAppend < 400) await new Promise(r => setTimeout(r, 50));
  const whileHeld = got.length;
  assert.ok(whileHeld < body.length, 'the worker did not read the whole stream while nothing was taken');
  // over the limit by at most a batch or two (a flush can follow the last check of the gate)
  assert.ok(whileHeld <= MAX_UNACKED_CHARS + 256 * 1024, `posted ${whileHeld} characters while owed nothing back`);
  hold = false;
  for (const r of held.splice(0)) r();
  while (got.length < body.length) await new Promise(r => setTimeout(r, 20));
  f.stop();
  await f.done;
  assert.equal(got, body.toString());
  await client.close();
  await srv.close();
});
