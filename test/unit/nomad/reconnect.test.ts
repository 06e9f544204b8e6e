// The automatic reconnection (nomad/reconnect.ts): its schedule (1 s, doubling, at most 30 s), what ends
// it (an answer, an error not worth retrying, stop), and Retry (now) skipping the wait. A fake clock:
// nothing here waits for real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReconnectLoop, type ReconnectHooks } from '../../../src/nomad/reconnect';
import { NomadError } from '../../../src/nomad/errors';
import type { Clock } from '../../../src/nomad/backoff';
import { FakeClock } from '../support';

const unreachable = (): NomadError => new NomadError({ kind: 'connectionRefused', message: 'Connection refused' });
const refused = (): NomadError => new NomadError({ kind: 'unauthorized', message: 'Permission denied' });

interface Seen {
  waits: { delayMs: number; attempt: number }[];
  answered: string[];
  gaveUp: unknown[];
  still: number[];
  probes: number;
}

function run(
  answers: (() => Promise<string>)[],
  clock: Clock,
  hooks: Partial<ReconnectHooks> = {},
): { loop: ReconnectLoop; seen: Seen; ended: Promise<void> } {
  const seen: Seen = { waits: [], answered: [], gaveUp: [], still: [], probes: 0 };
  let end: () => void = () => undefined;
  const ended = new Promise<void>(r => {
    end = r;
  });
  const loop: ReconnectLoop = new ReconnectLoop(
    {
      probe: async () => {
        const a = answers[Math.min(seen.probes, answers.length - 1)]!;
        seen.probes++;
        return a();
      },
      waiting: () => {
        seen.waits.push({ delayMs: loop.delayMs, attempt: loop.attempt });
      },
      answered: l => {
        seen.answered.push(l);
        end();
      },
      gaveUp: e => {
        seen.gaveUp.push(e);
        end();
      },
      stillFailing: (_e, attempt) => {
        seen.still.push(attempt);
      },
      ...hooks,
    },
    clock,
    () => 1,
  );
  return { loop, seen, ended };
}

test('waits 1 s, then doubling, at most 30 s, until the agent answers; then it ends', async () => {
  const clock = new FakeClock();
  const failures = Array.from({ length: 7 }, () => () => Promise.reject(unreachable()));
  const { loop, seen, ended } = run([...failures, () => Promise.resolve('10.0.0.1:4647')], clock);
  loop.start();
  assert.equal(seen.waits.length, 1, 'the first wait begins before start() returns');
  await ended;
  assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.deepEqual(
    seen.waits.map(w => w.attempt),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.deepEqual(
    seen.waits.map(w => w.delayMs),
    clock.sleeps,
  );
  assert.deepEqual(seen.still, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(seen.answered, ['10.0.0.1:4647']);
  assert.equal(seen.probes, 8);
});

test('an error not worth retrying (a refused token) ends the loop at once, handed to the caller', async () => {
  const clock = new FakeClock();
  const e = refused();
  const { loop, seen, ended } = run([() => Promise.reject(unreachable()), () => Promise.reject(e)], clock);
  loop.start();
  await ended;
  assert.deepEqual(seen.gaveUp, [e]);
  assert.deepEqual(seen.answered, []);
  assert.equal(seen.probes, 2);
});

/** A clock whose waits end only when aborted. */
const stuck: Clock = {
  now: () => 0,
  sleep: (_ms, signal) =>
    new Promise<void>((_resolve, reject) => {
      signal?.addEventListener(
        'abort',
        () => {
          const e = new Error('Aborted');
          e.name = 'AbortError';
          reject(e);
        },
        { once: true },
      );
    }),
};

test('now() skips the wait and resolves when that attempt ended', async () => {
  const { loop, seen } = run([() => Promise.reject(unreachable()), () => Promise.resolve('leader')], stuck);
  loop.start();
  assert.equal(seen.probes, 0, 'still waiting');
  await loop.now();
  assert.equal(seen.probes, 1);
  assert.deepEqual(seen.still, [1]);
  assert.equal(seen.waits.length, 2, 'the next wait began');
  await loop.now();
  assert.equal(seen.probes, 2);
  assert.deepEqual(seen.answered, ['leader']);
});

test('stop() ends the wait under way: no probe after it, no outcome reported', async () => {
  const { loop, seen } = run([() => Promise.resolve('leader')], stuck);
  loop.start();
  loop.stop();
  await loop.now();
  assert.equal(seen.probes, 0);
  assert.deepEqual(seen.answered, []);
  assert.deepEqual(seen.gaveUp, []);
});

test('stop() during a probe: its answer is dropped', async () => {
  let answer: (l: string) => void = () => undefined;
  const { loop, seen } = run(
    [
      () =>
        new Promise<string>(r => {
          answer = r;
        }),
    ],
    stuck,
  );
  loop.start();
  const done = loop.now();
  await new Promise<void>(r => setImmediate(r));
  assert.equal(seen.probes, 1);
  loop.stop();
  answer('leader');
  await done;
  assert.deepEqual(seen.answered, []);
});
