// The floor under every loop that talks to a cluster: blocking queries, stream reconnects, polls.
//
// A loop asks `await pacer.turn(signal)` before each request and then tells the pacer what the answer
// was worth: `progress()` (new data: the index moved, bytes arrived), `noProgress()` (an answer that
// brought nothing: the same index, no index at all, an index that went backwards, a stream that ended
// empty) or `failure()` (an error worth retrying). The gap between the starts of two requests is then
// at least `floorMs`, grows with backoff while answers bring nothing or fail, and is measured from the
// start of the previous request: a server that really blocked for five minutes is asked again at once,
// one that answers at once without news is asked at most a few times a minute. So a loop built on a
// pacer cannot spin, whatever the server answers.
//
// `IndexGate` adds Nomad's rules for X-Nomad-Index on top: deliver only when the index moves; a missing
// index (0) or one that went backwards (a restored snapshot, another leader) means "start over from 0".

import { abortError, Backoff, systemClock, type BackoffOptions, type Clock, type Random } from './backoff';

export interface PacerOptions {
  /** The least time between the starts of two requests, ms (default 500). */
  floorMs?: number;
  /** Backoff while answers bring nothing new (default 1 s doubling to 30 s). */
  stall?: BackoffOptions;
  /** Backoff after failures (default 0.5 s doubling to 30 s). */
  error?: BackoffOptions;
}

export const DEFAULT_FLOOR_MS = 500;

export class Pacer {
  private lastStart = Number.NEGATIVE_INFINITY;
  private gap = 0;
  private readonly floorMs: number;
  private readonly stall: Backoff;
  private readonly error: Backoff;

  constructor(
    readonly clock: Clock = systemClock,
    random: Random = Math.random,
    o: PacerOptions = {},
  ) {
    // a floor below 50 ms is not a floor: a setting or a caller cannot turn it off
    this.floorMs = Math.max(50, o.floorMs ?? DEFAULT_FLOOR_MS);
    this.stall = new Backoff(random, { initialMs: 1000, maxMs: 30_000, ...o.stall });
    this.error = new Backoff(random, { initialMs: 500, maxMs: 30_000, ...o.error });
  }

  /** Failures in a row (0 after an answer). */
  get failures(): number {
    return this.error.attempts;
  }

  /** How long the next `turn()` would wait from now. */
  get pendingMs(): number {
    return Math.max(0, this.lastStart + this.gap - this.clock.now());
  }

  /** Waits until the next request may start, and marks its start. Rejects when `signal` aborts. */
  async turn(signal?: AbortSignal): Promise<void> {
    const wait = this.pendingMs;
    if (wait > 0) await this.clock.sleep(wait, signal);
    if (signal?.aborted) throw abortError();
    this.lastStart = this.clock.now();
  }

  /** The last answer brought something new: the next request after the floor. */
  progress(): void {
    this.stall.reset();
    this.error.reset();
    this.gap = this.floorMs;
  }

  /** The last answer brought nothing new: back off. Returns the gap (ms from the last start). */
  noProgress(): number {
    this.error.reset();
    this.gap = Math.max(this.floorMs, this.stall.next());
    return this.gap;
  }

  /** The last request failed: back off. Returns the gap (ms from the last start). */
  failure(): number {
    this.gap = Math.max(this.floorMs, this.error.next());
    return this.gap;
  }

  /** A gap of the caller's own (e.g. "the task has not started, ask again in 2 s"), never below the floor. */
  wait(ms: number): number {
    this.gap = Math.max(this.floorMs, ms);
    return this.gap;
  }

  /** The next request may start at once (a user asked for it). */
  wake(): void {
    this.gap = 0;
  }
}

export type IndexVerdict =
  /** the index moved forward: new data */
  | 'advanced'
  /** the same index: nothing new (the wait ran out, or the server does not block) */
  | 'same'
  /** no index at all (a proxy, not Nomad): the body is all there is; the next query is a plain read */
  | 'unindexed'
  /** the index went backwards (a restored snapshot, another leader): start over with a plain read */
  | 'reset';

/**
 * Nomad's blocking-query index rules with a pacer under them. `index` is what to ask with next;
 * `answered(i)` judges an answer's X-Nomad-Index and paces the next request accordingly.
 */
export class IndexGate {
  private last = 0;
  /** the last answer made us start over: an advance right after it is not progress yet */
  private restarted = false;
  readonly pacer: Pacer;

  constructor(pacer: Pacer, initialIndex = 0) {
    this.pacer = pacer;
    this.last = Math.max(0, initialIndex);
  }

  /** The index to send with the next query (0: a plain read). */
  get index(): number {
    return this.last;
  }

  turn(signal?: AbortSignal): Promise<void> {
    return this.pacer.turn(signal);
  }

  answered(raw: number): IndexVerdict {
    const idx = Number.isFinite(raw) ? raw : 0;
    if (idx <= 0 || idx < this.last) {
      this.last = 0;
      this.restarted = true;
      this.pacer.noProgress();
      return idx <= 0 ? 'unindexed' : 'reset';
    }
    if (idx === this.last) {
      this.pacer.noProgress();
      return 'same';
    }
    this.last = idx;
    // an index that only moved up again after a reset is not progress: a server flipping between two
    // indexes must not keep us at the floor
    if (this.restarted) this.pacer.noProgress();
    else this.pacer.progress();
    this.restarted = false;
    return 'advanced';
  }

  failed(): number {
    return this.pacer.failure();
  }

  /** Start over from a plain read (a new connection, a new filter). */
  restart(): void {
    this.last = 0;
  }
}
