import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AppendBatcher,
  LineAssembler,
  makeLineFilter,
  mergedLogPrefix,
  stripAnsi,
  type TimerHost,
} from '../../../../src/nomad/logs/lines';

test('line assembler keeps the partial last line, prefixes, strips ANSI and CR', () => {
  const a = new LineAssembler({ prefix: mergedLogPrefix('shop.api[2]', 'server'), stripAnsi: true });
  assert.deepEqual(a.push('\x1b[32mok\x1b[0m one\r\ntw'), ['api[2]/server ok one']);
  assert.deepEqual(a.push('o\nthr'), ['api[2]/server two']);
  assert.equal(a.flush(), 'api[2]/server thr');
  assert.equal(a.flush(), undefined);
  assert.equal(stripAnsi('\x1b]0;title\x07plain'), 'plain');
});

test('filters: substring (smart case) and /regex/', () => {
  const f = makeLineFilter('error');
  assert.ok(f('An ERROR here'));
  assert.ok(!makeLineFilter('Error')('an error'));
  const r = makeLineFilter('/^line \\d{4} h/i');
  assert.ok(r('LINE 0001 héllo'));
  assert.ok(!r('xline 0001'));
  assert.ok(makeLineFilter('')('anything'));
});

class FakeTimers implements TimerHost {
  pending = new Map<number, () => void>();
  id = 0;
  setTimeout(fn: () => void): unknown {
    this.pending.set(++this.id, fn);
    return this.id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  fire(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    fns.forEach(f => f());
  }
}

test('append batcher: coalesces on the timer, flushes at the size threshold, bounds memory', () => {
  const timers = new FakeTimers();
  const out: string[] = [];
  const b = new AppendBatcher(t => out.push(t), { timers, maxBatchChars: 10, maxPendingChars: 1000 });
  b.append('ab');
  b.append('cd');
  assert.deepEqual(out, []);
  timers.fire();
  assert.deepEqual(out, ['abcd']);
  b.append('0123456789x');
  assert.deepEqual(out, ['abcd', '0123456789x']);
  assert.equal(timers.pending.size, 0);

  const slow: string[] = [];
  const capped = new AppendBatcher(t => slow.push(t), { timers, maxBatchChars: 1e9, maxPendingChars: 100 });
  for (let i = 0; i < 50; i++) capped.append('0123456789');
  capped.flush();
  assert.equal(slow.length, 1);
  assert.match(slow[0]!, /^… 400 characters dropped/);
  assert.ok(slow[0]!.length < 200);
  capped.dispose();
  capped.append('ignored');
  assert.equal(slow.length, 1);
});
