import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockingWatcher } from '../../../src/nomad/watch';
import { Backoff } from '../../../src/nomad/backoff';
import { NomadError } from '../../../src/nomad/errors';
import type { QueryResult } from '../../../src/nomad/client';
import { FakeClock, countRequests, pacedBound, profile, startServer } from '../support';
import { NomadClient } from '../../../src/nomad/client';

type Step = { index: number; body: string } | { error: unknown };

/** A scripted fetch: answers the steps in order, records the index asked for, disposes at the end. */
function script(steps: Step[], getWatcher: () => BlockingWatcher<string>) {
  const asked: number[] = [];
  let i = 0;
  const fetch = async ({ index }: { index: number }): Promise<QueryResult<string>> => {
    asked.push(index);
    const s = steps[i++];
    if (!s) {
      getWatcher().dispose();
      throw Object.assign(new Error('Aborted'), { name: 'AbortError' });
    }
    if ('error' in s) throw s.error;
    return { body: s.body, index: s.index };
  };
  return { asked, fetch };
}

test('calls back only when the index moves, and asks from the last index', async () => {
  const seen: [string, number][] = [];
  const clock = new FakeClock();
  const { asked, fetch } = script(
    [
      { index: 5, body: 'a' },
      { index: 5, body: 'a' },
      { index: 9, body: 'b' },
    ],
    () => w,
  );
  const w: BlockingWatcher<string> = new BlockingWatcher(fetch, (b, i) => seen.push([b, i]), {
    random: () => 0.5,
    clock,
  });
  await w.start();
  assert.deepEqual(seen, [
    ['a', 5],
    ['b', 9],
  ]);
  assert.deepEqual(asked, [0, 5, 5, 9]);
});

test('network error: backs off and resumes from the last index', async () => {
  const seen: number[] = [];
  const clock = new FakeClock();
  const refused = new NomadError({
    kind: 'connectionRefused',
    message: 'Connection refused. Is Nomad running at http://x?',
  });
  const errors: { willRetry: boolean; delayMs: number }[] = [];
  const { asked, fetch } = script(
    [
      { index: 10, body: 'a' },
      { error: refused },
      { error: refused },
      { error: refused },
      { index: 12, body: 'b' },
      { error: refused },
    ],
    () => w,
  );
  const w: BlockingWatcher<string> = new BlockingWatcher(fetch, (_b, i) => seen.push(i), {
    random: () => 1,
    clock,
    backoff: { initialMs: 100, maxMs: 250 },
    pace: { floorMs: 50 },
    onError: (_e, info) => errors.push(info),
  });
  await w.start();
  assert.deepEqual(seen, [10, 12]);
  assert.deepEqual(asked, [0, 10, 10, 10, 10, 12, 12]);
  // capped exponential backoff (jitter at its top with random = 1), reset after a success
  assert.deepEqual(
    errors.map(e => e.delayMs),
    [100, 200, 250, 100],
  );
  assert.ok(errors.every(e => e.willRetry));
});

test('index going backwards resets to 0 and re-reads', async () => {
  const seen: [string, number][] = [];
  const { asked, fetch } = script(
    [
      { index: 50, body: 'a' },
      { index: 7, body: 'restored' },
      { index: 8, body: 'fresh' },
    ],
    () => w,
  );
  const w: BlockingWatcher<string> = new BlockingWatcher(fetch, (b, i) => seen.push([b, i]), {
    random: () => 0,
    clock: new FakeClock(),
  });
  await w.start();
  assert.deepEqual(asked, [0, 50, 0, 8]);
  assert.deepEqual(seen, [
    ['a', 50],
    ['fresh', 8],
  ]);
});

test('unauthorized stops the watcher (not retried); dispose stops a running one', async () => {
  const denied = new NomadError({ kind: 'unauthorized', status: 403, message: 'Permission denied' });
  const { fetch } = script([{ error: denied }], () => w);
  const infos: boolean[] = [];
  const w: BlockingWatcher<string> = new BlockingWatcher(fetch, () => assert.fail('no data'), {
    random: () => 0,
    clock: new FakeClock(),
    onError: (_e, i) => infos.push(i.willRetry),
  });
  await w.start();
  assert.deepEqual(infos, [false]);

  const w2 = new BlockingWatcher<string>(
    ({ signal }) =>
      new Promise((_r, reject) =>
        signal.addEventListener('abort', () => reject(Object.assign(new Error('x'), { name: 'AbortError' }))),
      ),
    () => undefined,
    { random: () => 0 },
  );
  const done = w2.start();
  w2.dispose();
  await done;
  assert.ok(w2.disposed);
});

test('Backoff: exponential, capped, jittered by the injected random', () => {
  const b = new Backoff(() => 0, { initialMs: 1000, maxMs: 5000, jitter: 0.5 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [500, 1000, 2000, 2500, 2500]);
  b.reset();
  assert.equal(b.next(), 500);
});

// --- the floor: a server that answers at once, whatever it answers -----------------------------------

const aborted = (): Error => Object.assign(new Error('Aborted'), { name: 'AbortError' });
const answers: [string, (n: number) => QueryResult<string> | Error][] = [
  ['always index 1', () => ({ body: 'x', index: 1 })],
  ['no X-Nomad-Index (0)', () => ({ body: 'x', index: 0 })],
  ['an index flipping back and forth', n => ({ body: 'x', index: n % 2 ? 7 : 50 })],
  ['an index going down every time', n => ({ body: 'x', index: 1_000_000 - n })],
  ['a 500 every time', () => new NomadError({ kind: 'server', status: 500, message: 'boom' })],
];
for (const [name, answer] of answers) {
  for (const random of [0, 1]) {
    test(`BlockingWatcher has a floor: ${name}, jitter ${random} → at most ${pacedBound(60_000)} requests in 60 s`, async () => {
      const clock = new FakeClock();
      let k = 0;
      const n = await countRequests(clock, 60_000, ask => {
        const w = new BlockingWatcher<string>(
          async () => {
            if (!ask()) throw aborted();
            const a = answer(k++);
            if (a instanceof Error) throw a;
            return a;
          },
          () => undefined,
          { random: () => random, clock },
        );
        return { done: w.start(), stop: () => w.dispose() };
      });
      assert.ok(n <= pacedBound(60_000), `${n} requests`);
      assert.ok(n >= 5, `it still asks (${n} requests)`);
    });
  }
}

test('BlockingWatcher: a real loopback server answering at once without an index is asked a few times, not thousands', async () => {
  const srv = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('[]');
  });
  const client = new NomadClient({ profile: profile(srv.url) });
  let delivered = 0;
  const w = new BlockingWatcher<unknown>(
    ({ index, wait, signal }) => client.get('/v1/vars', { index, wait, signal }),
    () => {
      delivered++;
    },
    { random: Math.random },
  );
  const done = w.start();
  // a bounded window of real time; an upper bound on the count cannot fail because the machine is slow
  await new Promise(r => setTimeout(r, 1500));
  w.dispose();
  await done;
  const n = srv.requests.length;
  await client.close();
  await srv.close();
  // 0 s, ≥0.5 s, ≥1 s (floor, then the stall backoff at its smallest): never more than 4 in 1.5 s
  assert.ok(n >= 1 && n <= 4, `${n} requests`);
  assert.equal(delivered, n, 'an answer without an index is delivered as it is');
});

test('BlockingWatcher: after a failure the next query waits briefly, so a recovered server is seen at once', async () => {
  const clock = new FakeClock();
  const waits: number[] = [];
  let k = 0;
  const answered: number[] = [];
  const w: BlockingWatcher<string> = new BlockingWatcher(
    async ({ wait }) => {
      waits.push(wait);
      k++;
      if (k === 2) throw new NomadError({ kind: 'connectionRefused', message: 'refused' });
      if (k === 5) {
        w.dispose();
        throw aborted();
      }
      return { body: 'x', index: 3 };
    },
    () => undefined,
    { random: () => 0, clock, onAnswer: () => answered.push(k) },
  );
  await w.start();
  assert.deepEqual(waits, [300_000, 300_000, 1000, 300_000, 300_000]);
  assert.deepEqual(answered, [1, 3, 4]);
});
