import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStreamDecoder, EventStreamFollower } from '../../../src/nomad/events';
import type { StreamEvents } from '../../../src/nomad/types';
import { FakeClock, profile, mulberry32 as seededRandom, startServer } from '../support';
import { NomadClient } from '../../../src/nomad/client';

const batch = (index: number, key: string): StreamEvents => ({
  Index: index,
  Events: [
    {
      Topic: 'Job',
      Type: 'JobRegistered',
      Key: key,
      Namespace: 'default',
      Index: index,
      Payload: { Job: { ID: key, Name: `名前 ${key} ✓`, Meta: { note: 'a "quoted" \\ value\n{not a brace}' } } },
    },
  ],
});

const STREAM = Buffer.from(
  [
    JSON.stringify(batch(10, 'web')),
    '{}',
    JSON.stringify(batch(11, 'api')),
    '{}',
    JSON.stringify(batch(12, 'db')),
  ].join('\n') + '\n',
);

function decodeAll(chunks: Buffer[]): unknown[] {
  const d = new EventStreamDecoder();
  return chunks.flatMap(c => d.push(c));
}

test('event stream decoder: identical result when split at every byte offset', () => {
  const whole = decodeAll([STREAM]);
  assert.equal(whole.filter(x => (x as { kind: string }).kind === 'heartbeat').length, 2);
  assert.deepEqual(
    whole.filter(x => (x as { kind: string }).kind === 'events').map(x => (x as { batch: StreamEvents }).batch),
    [batch(10, 'web'), batch(11, 'api'), batch(12, 'db')],
  );
  for (let i = 0; i <= STREAM.length; i++) {
    assert.deepEqual(decodeAll([STREAM.subarray(0, i), STREAM.subarray(i)]), whole, `split at ${i}`);
  }
  const rnd = seededRandom(7);
  for (let round = 0; round < 50; round++) {
    const chunks: Buffer[] = [];
    let p = 0;
    while (p < STREAM.length) {
      const n = 1 + Math.floor(rnd() * 40);
      chunks.push(STREAM.subarray(p, p + n));
      p += n;
    }
    assert.deepEqual(decodeAll(chunks), whole);
  }
});

test('event follower reconnects from the index after the last delivered one', async () => {
  let calls = 0;
  const srv = await startServer((req, res) => {
    calls++;
    res.setHeader('content-type', 'application/json');
    const index = Number(new URL(req.url ?? '', 'http://x').searchParams.get('index') ?? '0');
    if (calls === 1) {
      res.write(
        JSON.stringify(batch(10, 'web')) +
          '\n{}\n' +
          JSON.stringify(batch(11, 'api')) +
          '\n' +
          JSON.stringify(batch(12, 'db')).slice(0, 20),
      );
      setTimeout(() => res.socket?.destroy(), 20);
    } else {
      // serve from the requested index, like Nomad's buffer (inclusive)
      for (const b of [batch(11, 'api'), batch(12, 'db'), batch(13, 'cache')])
        if (b.Index >= index) res.write(JSON.stringify(b) + '\n');
      setTimeout(() => res.socket?.destroy(), 20);
    }
  });
  const client = new NomadClient({ profile: profile(srv.url) });
  const got: number[] = [];
  const gaps: number[] = [];
  const clock = new FakeClock();
  const f: EventStreamFollower = new EventStreamFollower(
    client,
    b => {
      got.push(b.Index);
      if (b.Index === 13) f.dispose();
    },
    { topics: ['Job:*', 'Allocation:*'], random: () => 0, clock, onReconnect: g => gaps.push(g) },
  );
  await f.start();
  assert.deepEqual(got, [10, 11, 12, 13]);
  const second = new URL(srv.requests[1]!.url, 'http://x').searchParams;
  assert.equal(second.get('index'), '12');
  assert.deepEqual(second.getAll('topic'), ['Job:*', 'Allocation:*']);
  assert.equal(gaps.length, 1);
  await client.close();
  await srv.close();
});
