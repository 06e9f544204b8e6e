import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogStreamDecoder, logFileIndex, type LogFrameEvent } from '../../../../src/nomad/logs/decoder';
import { JsonStreamError } from '../../../../src/nomad/jsonstream';
import { mulberry32 as seededRandom } from '../../support';
import { dataFrames, encodeFrame, type Frame } from './frames';

const F0 = 'alloc/logs/web.stdout.0';
const F1 = 'alloc/logs/web.stdout.1';
const part1 = Buffer.from('boot: héllo wörld ✓ 🚀\nsecond line with "quotes" and \\backslashes\\\n', 'utf8');
const part2 = Buffer.from('after truncate: ünïcödé 🚀🚀\n', 'utf8');
const part3 = Buffer.from('rotated: 日本語テキスト ✓\nlast 🚀', 'utf8');

// Frame boundaries deliberately inside multi-byte characters.
const rocket = part1.indexOf(Buffer.from('🚀'));
const frames: Frame[] = [
  ...dataFrames(
    F0,
    part1,
    [3, rocket + 1, rocket + 3, part1.indexOf(Buffer.from('ö')) + 1].sort((a, b) => a - b),
  ),
  {},
  { File: F0, FileEvent: 'file truncated', Data: part2.subarray(0, 5), Offset: 5 },
  ...dataFrames(F0, part2.subarray(5), [part2.indexOf(Buffer.from('🚀')) - 5 + 2], 5),
  {},
  ...dataFrames(F1, part3, [part3.indexOf(Buffer.from('本')) + 1, part3.length - 2]),
];
const STREAM = Buffer.from(frames.map(encodeFrame).join(''), 'utf8');
const EXPECTED_TEXT = part1.toString() + part2.toString() + part3.toString();

function run(chunks: Buffer[]): { text: string; events: LogFrameEvent[] } {
  const d = new LogStreamDecoder({ start: { offset: 0 } });
  const events = chunks.flatMap(c => d.push(c));
  let text = events.map(e => (e.kind === 'data' ? e.text : '')).join('');
  text += d.end();
  return { text, events };
}

function summary(events: LogFrameEvent[]): string[] {
  return events.map(e =>
    e.kind === 'data' ? `data ${e.file} ${e.offset}` : e.kind === 'heartbeat' ? 'hb' : `${e.kind} ${e.file}`,
  );
}

test('logs decoder: whole stream → text, events, offsets', () => {
  const { text, events } = run([STREAM]);
  assert.equal(text, EXPECTED_TEXT);
  const s = summary(events);
  assert.equal(s.filter(x => x === 'hb').length, 2);
  assert.ok(s.includes(`truncated ${F0}`));
  const lastOf = (file: string) =>
    [...events].reverse().find(e => e.kind === 'data' && e.file === file) as { offset: number };
  assert.equal(lastOf(F0).offset, part2.length, 'offset after truncation counts from 0');
  assert.equal(lastOf(F1).offset, part3.length, 'rotated file counts from 0');
  // no replacement characters anywhere
  assert.ok(!text.includes('\uFFFD'));
});

test('logs decoder: split into two chunks at EVERY byte offset decodes identically', () => {
  const whole = run([STREAM]);
  for (let i = 0; i <= STREAM.length; i++) {
    const r = run([STREAM.subarray(0, i), STREAM.subarray(i)]);
    assert.equal(r.text, whole.text, `split at ${i}`);
    assert.deepEqual(summary(r.events), summary(whole.events), `split at ${i}`);
  }
});

test('logs decoder: random many-chunk splits (seeded) decode identically', () => {
  const whole = run([STREAM]);
  const rnd = seededRandom(20240601);
  for (let round = 0; round < 300; round++) {
    const chunks: Buffer[] = [];
    let p = 0;
    while (p < STREAM.length) {
      const n = 1 + Math.floor(rnd() * (round % 3 === 0 ? 4 : 64));
      chunks.push(Buffer.from(STREAM.subarray(p, p + n)));
      p += n;
    }
    const r = run(chunks);
    assert.equal(r.text, whole.text, `round ${round}`);
    assert.deepEqual(summary(r.events), summary(whole.events));
  }
});

test('logs decoder: an unbounded frame is an error, not unbounded growth', () => {
  const d = new LogStreamDecoder({ maxFrameBytes: 1024 });
  const head = Buffer.from('{"Offset":1,"Data":"');
  assert.throws(() => {
    d.push(head);
    for (let i = 0; i < 100; i++) d.push(Buffer.alloc(100, 0x41));
  }, JsonStreamError);
});

test('logs decoder: error text after the frames is kept; heartbeats alone decode', () => {
  const d = new LogStreamDecoder();
  const ev = d.push(
    Buffer.from(
      '{}{}' + encodeFrame({ File: F0, Data: Buffer.from('x'), Offset: 1 }) + 'rpc error: Unknown allocation "abc"',
    ),
  );
  assert.deepEqual(summary(ev), ['hb', 'hb', `data ${F0} 1`]);
  assert.equal(d.trailingText, 'rpc error: Unknown allocation "abc"');
});

test('logs decoder: plain mode passes raw text through with a streaming UTF-8 decoder', () => {
  const d = new LogStreamDecoder({ plain: true });
  const bytes = Buffer.from('héllo 🚀\n');
  let text = '';
  for (let i = 0; i < bytes.length; i++)
    for (const e of d.push(bytes.subarray(i, i + 1))) if (e.kind === 'data') text += e.text;
  assert.equal(text, 'héllo 🚀\n');
});

test('logs decoder: first frame at an unknown position uses the server stamp; start hint wins', () => {
  const d = new LogStreamDecoder();
  const [e] = d.push(Buffer.from(encodeFrame({ File: F1, Data: Buffer.from('abc'), Offset: 103 })));
  assert.equal((e as { offset: number }).offset, 103);
  const d2 = new LogStreamDecoder({ start: { file: F1, offset: 500 } });
  const [e2] = d2.push(Buffer.from(encodeFrame({ File: F1, Data: Buffer.from('abc'), Offset: 99 })));
  assert.equal((e2 as { offset: number }).offset, 503);
  assert.equal(logFileIndex(F1), 1);
});
