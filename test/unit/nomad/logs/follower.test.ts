import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as http from 'node:http';
import { NomadClient } from '../../../../src/nomad/client';
import { LogFollower, type LogFollowerEvent } from '../../../../src/nomad/logs/follower';
import { LineAssembler } from '../../../../src/nomad/logs/lines';
import { FakeClock, profile, startServer } from '../../support';
import { encodeFrame } from './frames';

const ALLOC = '5b3a1c2e-0000-4000-8000-000000000001';

function numbered(from: number, to: number): Buffer {
  let s = '';
  for (let i = from; i <= to; i++) s += `line ${String(i).padStart(4, '0')} héllo ✓ 🚀\n`;
  return Buffer.from(s, 'utf8');
}

/** Nomad's origin=start offset walk over the rotated files (lowest index first). */
function locate(files: [string, Buffer][], offset: number): { i: number; at: number } {
  let i = 0,
    at = offset;
  while (at > files[i]![1].length && i < files.length - 1) {
    at -= files[i]![1].length;
    i++;
  }
  return { i, at: Math.min(at, files[i]![1].length) };
}

interface Script {
  /** Per request number (0-based): what to do. */
  plan: (n: number) => {
    status?: number;
    text?: string;
    dropAfterBytes?: number | ((stream: string) => number);
    end?: boolean;
  };
  files: [string, Buffer][];
  lsStatus?: number;
  /** GET /v1/allocation/:id, per request (0-based); without it, 404 */
  alloc?: (n: number) => unknown;
}

async function logServer(s: Script) {
  let n = 0;
  let allocReads = 0;
  const logQueries: URLSearchParams[] = [];
  const srv = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '', 'http://x');
    if (url.pathname.startsWith('/v1/allocation/')) {
      const a = s.alloc?.(allocReads++);
      if (a === undefined) {
        res.statusCode = 404;
        res.end('alloc not found');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(a));
      return;
    }
    if (url.pathname.startsWith('/v1/client/fs/ls/')) {
      if (s.lsStatus) {
        res.statusCode = s.lsStatus;
        res.end('Permission denied');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          s.files.map(([name, b]) => ({
            Name: name,
            IsDir: false,
            Size: b.length,
            FileMode: '-rw-r--r--',
            ModTime: '2024-01-01T00:00:00Z',
          })),
        ),
      );
      return;
    }
    logQueries.push(url.searchParams);
    const p = s.plan(n++);
    if (p.status) {
      res.statusCode = p.status;
      res.end(p.text ?? '');
      return;
    }
    res.setHeader('content-type', 'application/json');
    const { i, at } = locate(s.files, Number(url.searchParams.get('offset') ?? '0'));
    let out = '{}';
    for (let k = i; k < s.files.length; k++) {
      const [name, data] = s.files[k]!;
      let pos = k === i ? at : 0;
      while (pos < data.length) {
        const len = Math.min(37, data.length - pos);
        out += encodeFrame({ File: `alloc/logs/${name}`, Data: data.subarray(pos, pos + len), Offset: pos + len });
        pos += len;
        if (pos % 5 === 0) out += '{}';
      }
    }
    const bytes = Buffer.from(out);
    if (p.dropAfterBytes !== undefined) {
      const cut = typeof p.dropAfterBytes === 'function' ? p.dropAfterBytes(out) : p.dropAfterBytes;
      res.write(bytes.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 10));
      return;
    }
    res.write(bytes);
    if (p.end) res.end(); // otherwise keep following (open) until the client goes away
  });
  return { srv, logQueries, requests: () => n };
}

async function follow(
  srv: { url: string },
  until: (lines: string[]) => boolean,
  extra: Partial<ConstructorParameters<typeof LogFollower>[1]> = {},
) {
  const client = new NomadClient({ profile: profile(srv.url) });
  const lines: string[] = [];
  const events: LogFollowerEvent[] = [];
  const asm = new LineAssembler();
  const clock = new FakeClock();
  const f: LogFollower = new LogFollower(
    client,
    { allocId: ALLOC, task: 'web', type: 'stdout', random: () => 0.5, clock, ...extra },
    e => {
      events.push(e);
      if (e.kind === 'text') {
        lines.push(...asm.push(e.text));
        if (until(lines)) f.dispose();
      }
    },
  );
  const end = await f.start();
  await client.close();
  return { lines, events, end, follower: f, clock };
}

function assertExactlyOnce(lines: string[], count: number): void {
  assert.equal(lines.length, count, `got ${lines.length} lines`);
  lines.forEach((l, i) => assert.equal(l, `line ${String(i + 1).padStart(4, '0')} héllo ✓ 🚀`));
}

test('follower: task not started (404) → waits, then streams; drop mid-frame in a rotated file → resumes at the right offset', async () => {
  const files: [string, Buffer][] = [
    ['web.stdout.0', numbered(1, 150)],
    ['web.stdout.1', numbered(151, 300)],
  ];
  // cut in the middle of a frame of the second file, after some of its frames
  const dropAt = (stream: string): number => Buffer.byteLength(stream.slice(0, stream.indexOf('web.stdout.1'))) + 700;
  const { srv, logQueries } = await logServer({
    files,
    plan: n =>
      n === 0
        ? { status: 404, text: 'task "web" not started yet. No logs available' }
        : n === 1
          ? { dropAfterBytes: dropAt }
          : {},
  });
  const r = await follow(srv, lines => lines.length >= 300);
  assert.deepEqual(r.end, { reason: 'cancelled' });
  assertExactlyOnce(r.lines, 300);
  assert.ok(
    r.events.some(e => e.kind === 'waiting'),
    'waited for the task',
  );
  const markers = r.events.filter(e => e.kind === 'marker').map(e => (e as { text: string }).text);
  assert.equal(markers.length, 1);
  assert.match(markers[0]!, /^— reconnected after \d+\.\d s —$/);
  // the resume request: origin=start, offset = size of .0 + position in .1
  const q = logQueries[2]!;
  assert.equal(q.get('origin'), 'start');
  assert.equal(q.get('follow'), 'true');
  assert.equal(q.get('task'), 'web');
  assert.equal(q.get('type'), 'stdout');
  const pos = r.follower.position!;
  assert.equal(pos.file, 'alloc/logs/web.stdout.1');
  assert.equal(pos.offset, files[1]![1].length);
  const resumed = Number(q.get('offset'));
  assert.ok(
    resumed > files[0]![1].length && resumed < files[0]![1].length + files[1]![1].length,
    `resume offset ${resumed}`,
  );
  await srv.close();
});

test('follower: every drop point in the first file resumes without loss or repetition (ls denied → own sizes)', async () => {
  const files: [string, Buffer][] = [['web.stdout.0', numbered(1, 40)]];
  for (const dropAt of [5, 37, 100, 333, 777, 1200]) {
    const { srv } = await logServer({ files, lsStatus: 403, plan: n => (n === 0 ? { dropAfterBytes: dropAt } : {}) });
    const r = await follow(srv, lines => lines.length >= 40);
    assertExactlyOnce(r.lines, 40);
    await srv.close();
  }
});

test('follower: allocation garbage-collected → ends with a clear message', async () => {
  const { srv } = await logServer({ files: [], plan: () => ({ status: 404, text: `Unknown allocation "${ALLOC}"` }) });
  const r = await follow(srv, () => false);
  assert.equal(r.end.reason, 'allocationGone');
  assert.match((r.end as { message: string }).message, /no longer exists/);
  await srv.close();
});

test('follower: non-follow read ends when the stream ends', async () => {
  const files: [string, Buffer][] = [['web.stdout.0', numbered(1, 10)]];
  const { srv, logQueries } = await logServer({ files, plan: () => ({ end: true }) });
  const r = await follow(srv, () => false, { follow: false });
  assert.deepEqual(r.end, { reason: 'complete' });
  assertExactlyOnce(r.lines, 10);
  assert.equal(logQueries[0]!.get('follow'), 'false');
  await srv.close();
});

test('follower: permission denied ends with an error (no retry loop)', async () => {
  const { srv, requests } = await logServer({ files: [], plan: () => ({ status: 403, text: 'Permission denied' }) });
  const r = await follow(srv, () => false);
  assert.equal(r.end.reason, 'error');
  assert.equal(requests(), 1);
  await srv.close();
});

test('follower: a task that never started shows its events once, and stops once its allocation is terminal', async () => {
  const t0 = Date.UTC(2026, 11, 7, 23, 1, 2) * 1e6;
  const ev = (Type: string, dt: number, DisplayMessage: string) => ({ Type, Time: t0 + dt * 1e9, DisplayMessage });
  const pull = ev('Driver Failure', 1, 'Failed to pull `img:nope`: manifest unknown');
  const alloc = (ClientStatus: string, State: string, events: unknown[]) => ({
    ID: ALLOC,
    ClientStatus,
    TaskStates: { web: { State, Failed: ClientStatus === 'failed', Restarts: 1, Events: events } },
  });
  const { srv, requests } = await logServer({
    files: [],
    plan: () => ({ status: 404, text: 'task "web" not started yet. No logs available' }),
    alloc: n =>
      n === 0
        ? alloc('pending', 'pending', [
            ev('Received', 0, 'Task received by client'),
            pull,
            ev('Restarting', 2, 'Task restarting in 15s'),
          ])
        : alloc('failed', 'dead', [
            ev('Received', 0, 'Task received by client'),
            pull,
            ev('Restarting', 2, 'Task restarting in 15s'),
            ev('Driver Failure', 17, 'Failed to pull `img:nope`: manifest unknown'),
            ev('Not Restarting', 18, 'Exceeded allowed attempts 1 in interval 30m0s'),
            ev('Alloc Unhealthy', 18, 'Unhealthy because of failed task'),
          ]),
  });
  const r = await follow(srv, () => false).finally(() => srv.close());
  assert.equal(r.end.reason, 'neverStarted');
  assert.match(
    (r.end as { message: string }).message,
    /^Task "web" never started and will not: allocation 5b3a1c2e is failed \(Not Restarting: Exceeded allowed attempts 1 in interval 30m0s\); stopped following\.$/,
  );
  assert.equal(requests(), 2, 'no retry once the allocation is terminal');
  const notes = r.events
    .filter(e => e.kind === 'marker' || e.kind === 'waiting')
    .map(e => (e.kind === 'marker' ? e.text : e.kind === 'waiting' ? `waiting: ${e.reason}` : ''));
  assert.deepEqual(
    notes,
    [
      '— task "web": 23:01:03 UTC Driver Failure: Failed to pull `img:nope`: manifest unknown —',
      '— task "web": 23:01:04 UTC Restarting: Task restarting in 15s —',
      'waiting: Task "web" has not started yet (Driver Failure: Failed to pull `img:nope`: manifest unknown); retrying in 2 s',
      '— task "web": 23:01:19 UTC Driver Failure: Failed to pull `img:nope`: manifest unknown —',
      '— task "web": 23:01:20 UTC Not Restarting: Exceeded allowed attempts 1 in interval 30m0s —',
      '— task "web": 23:01:20 UTC Alloc Unhealthy: Unhealthy because of failed task —',
    ],
    'each event once, the bookkeeping (Received) left out; the cause is the failure, not the Restarting after it',
  );
});
