// Ages tick only while the view is visible: the ticker's timer runs while visible, is
// cleared when hidden and on dispose, and redraws once when the view comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VisibleTicker, type IntervalTimers } from '../../../../src/nomad/tree/ticker';

class FakeTimers implements IntervalTimers {
  readonly live = new Map<number, () => void>();
  private next = 1;
  setInterval(fn: () => void): unknown {
    const h = this.next++;
    this.live.set(h, fn);
    return h;
  }
  clearInterval(h: unknown): void {
    this.live.delete(h as number);
  }
  fire(): void {
    for (const f of this.live.values()) f();
  }
}

test('the ticker redraws while visible, stops when hidden, and leaves no timer after dispose', () => {
  const t = new FakeTimers();
  let ticks = 0;
  const ticker = new VisibleTicker(() => ticks++, 30_000, t);
  t.fire();
  assert.equal(ticks, 0, 'nothing before the view is shown');
  ticker.setVisible(true);
  assert.equal(ticks, 1, 'one redraw when it becomes visible');
  assert.equal(t.live.size, 1);
  t.fire();
  t.fire();
  assert.equal(ticks, 3);
  ticker.setVisible(true);
  assert.equal(t.live.size, 1, 'visible twice: still one timer');
  ticker.setVisible(false);
  assert.equal(t.live.size, 0);
  t.fire();
  assert.equal(ticks, 3, 'no redraw while hidden');
  ticker.setVisible(true);
  assert.equal(ticks, 4);
  ticker.dispose();
  assert.equal(t.live.size, 0);
  ticker.setVisible(true);
  assert.equal(t.live.size, 0, 'a disposed ticker never starts again');
});
