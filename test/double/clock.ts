// The double's sense of time. Node's timers can fire a little early (about 1 ms, seen in 131 of 3,000
// timers on a loaded 2-core machine), so a transition that is due at a time — a progress deadline, a
// healthy deadline, a min-healthy time, a restart delay — is armed with `at()`, which re-checks the clock
// when its timer fires and re-arms until the due time has really come. Tests swap in a ManualClock to
// drive these transitions without waiting.

export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: t => clearTimeout(t as NodeJS.Timeout),
};

/** A pending transition; cancel() is safe to call more than once. */
export interface Deadline {
  readonly due: number;
  cancel(): void;
  readonly done: boolean;
}

/** Runs `fn` once, when `clock.now() >= due()` (due is re-read at every firing, so a deadline that moved
 *  later is followed), never before. */
export function at(clock: Clock, due: number | (() => number), fn: () => void): Deadline {
  const dueOf = typeof due === 'function' ? due : () => due;
  let timer: unknown;
  let done = false;
  const arm = () => {
    const wait = Math.max(0, dueOf() - clock.now());
    timer = clock.setTimer(fire, wait);
  };
  const fire = () => {
    if (done) return;
    if (clock.now() < dueOf()) {
      arm();
      return;
    } // early (or the deadline moved): not yet
    done = true;
    fn();
  };
  arm();
  return {
    get due() {
      return dueOf();
    },
    get done() {
      return done;
    },
    cancel() {
      if (!done) {
        done = true;
        clock.clearTimer(timer);
      }
    },
  };
}

/** A clock for tests: time moves only when advance() is called, and `earlyMs` makes every timer fire
 *  that much before its time, as Node's sometimes do. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  fired = 0;
  constructor(
    start = 1_700_000_000_000,
    readonly earlyMs = 0,
  ) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    // like Node: at least 1 ms later, and up to earlyMs before the time asked for
    this.timers.push({ at: this.t + Math.max(1, ms - this.earlyMs), fn, id });
    return id;
  }
  clearTimer(id: unknown): void {
    this.timers = this.timers.filter(x => x.id !== id);
  }
  /** Moves time forward by `ms`, firing every timer that comes due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      this.fired++;
      next.fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}
