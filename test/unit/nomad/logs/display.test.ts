// What a log line shows: in merged job logs every displayed line carries its task's prefix,
// however the task splits it (one task cannot fake another's lines); and the reconnect marker says how
// long the stream was really gone (from the last byte seen, not from when the idle timeout noticed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppendBatcher, LogTextWriter } from '../../../../src/nomad/logs/lines';
import { LogFollower, type LogFollowerEvent } from '../../../../src/nomad/logs/follower';
import { EventStreamFollower } from '../../../../src/nomad/events';
import type { OpenStream } from '../../../../src/nomad/transport';
import { FakeClock } from '../../support';

function writer(prefix: string): { w: LogTextWriter; text: () => string } {
  let out = '';
  const b = new AppendBatcher(
    t => {
      out += t;
    },
    {
      timers: {
        setTimeout: fn => {
          fn();
          return 0;
        },
        clearTimeout: () => undefined,
      },
    },
  );
  return {
    w: new LogTextWriter(b, { prefix }),
    text: () => {
      b.flush();
      return out;
    },
  };
}

test('merged logs: every line, however the task splits it, starts with its prefix', () => {
  const breaks = ['\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];
  for (const br of breaks) {
    const { w, text } = writer('web[0]/app ');
    w.text(`real line${br}db[0]/redis fake line from web\n`);
    w.text('partial');
    w.text(`${br}`);
    w.text('db[1]/redis also fake\n');
    w.end();
    // every line the output panel would show (it breaks at all of these) begins with the prefix
    const shown = text()
      .split(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/)
      .filter(l => l !== '');
    assert.ok(shown.length >= 4, JSON.stringify(shown));
    for (const l of shown) assert.ok(l.startsWith('web[0]/app '), `${JSON.stringify(br)}: ${JSON.stringify(l)}`);
  }
  // a marker naming a task with a CR in its name is prefixed line by line too
  const { w, text } = writer('web[0]/app ');
  w.note('— waiting: Task "x\rdb[0]/redis forged" has not started —');
  for (const l of text()
    .split(/\r\n|[\r\n]/)
    .filter(Boolean))
    assert.ok(l.startsWith('web[0]/app '), l);
});

function hangingThenEnd(clock: FakeClock, idleMs: number): OpenStream {
  const frame = JSON.stringify({
    Offset: 0,
    Data: Buffer.from('hello\n').toString('base64'),
    File: 'alloc/logs/t.stdout.0',
  });
  return {
    status: 200,
    headers: {},
    close: () => undefined,
    body: (async function* () {
      yield Buffer.from(frame);
      // nothing more: the idle timeout notices it `idleMs` later and the stream ends
      clock.t += idleMs;
      throw Object.assign(new Error('no data for a while'), { name: 'TimeoutError' });
    })(),
  };
}

test('the reconnect marker of a log stream says the real outage (20 s of silence, not the 0.5 s after it was noticed)', async () => {
  const clock = new FakeClock();
  const events: LogFollowerEvent[] = [];
  let opens = 0;
  const f = new LogFollower(
    {
      openLogs: async () => {
        opens++;
        if (opens === 1) return hangingThenEnd(clock, 20_000);
        if (opens === 2)
          return {
            status: 200,
            headers: {},
            close: () => undefined,
            body: (async function* () {
              /* connected again */
            })(),
          };
        f.dispose();
        throw Object.assign(new Error('Aborted'), { name: 'AbortError' });
      },
      listAllocFiles: async () => ({ index: 1, body: [{ Name: 't.stdout.0', Size: 6, IsDir: false }] as never }),
    },
    { allocId: 'a1', task: 't', type: 'stdout', random: () => 0, clock },
    e => events.push(e),
  );
  await f.start();
  const marker = events.find(e => e.kind === 'marker' && /reconnected/.test(e.text));
  assert.ok(marker && marker.kind === 'marker', JSON.stringify(events));
  const secs = Number(/after ([\d.]+) s/.exec(marker.text)![1]);
  assert.ok(secs >= 20 && secs < 25, marker.text);
});

test('the event stream reports the same: the gap from the last byte to the reconnect', async () => {
  const clock = new FakeClock();
  const gaps: number[] = [];
  let opens = 0;
  const f: EventStreamFollower = new EventStreamFollower(
    {
      openStream: async () => {
        opens++;
        if (opens === 1) {
          return {
            status: 200,
            headers: {},
            close: () => undefined,
            body: (async function* () {
              yield Buffer.from('{"Index":5,"Events":[]}\n');
              clock.t += 20_000;
              throw Object.assign(new Error('idle'), { name: 'TimeoutError' });
            })(),
          };
        }
        if (opens === 2)
          return {
            status: 200,
            headers: {},
            close: () => undefined,
            body: (async function* () {
              f.dispose();
            })(),
          };
        throw Object.assign(new Error('Aborted'), { name: 'AbortError' });
      },
    },
    () => undefined,
    { topics: ['Job'], random: () => 0, clock, onReconnect: g => gaps.push(g) },
  );
  await f.start();
  assert.equal(gaps.length, 1);
  assert.ok(gaps[0]! >= 20_000 && gaps[0]! < 25_000, String(gaps[0]));
});
