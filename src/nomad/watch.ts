// Long-polling a Nomad endpoint with blocking queries: the callback runs only when the index
// moves; network trouble is retried with backoff from the last index; a backwards index (a
// restored snapshot, a different leader's state) starts over from 0.

import { Backoff, systemClock, isAbortError, type BackoffOptions, type Clock, type Random } from './backoff';
import { isNomadError } from './errors';
import type { QueryResult } from './client';

export type BlockingFetch<T> = (args: { index: number; wait: number; signal: AbortSignal }) => Promise<QueryResult<T>>;

export interface BlockingWatcherOptions {
  /** Wait per blocking query, ms (default 5 minutes). */
  waitMs?: number;
  clock?: Clock;
  /** Randomness for the backoff jitter. */
  random: Random;
  backoff?: BackoffOptions;
  /** Called for every failure; `willRetry` tells whether the watcher keeps going. */
  onError?: (err: unknown, info: { willRetry: boolean; delayMs: number; attempt: number }) => void;
  /** Which errors are worth retrying (default: network trouble, timeouts and 5xx). */
  shouldRetry?: (err: unknown) => boolean;
  /**
   * An answer that came back this fast with an unchanged index means the server did not block
   * (a proxy, an old agent): wait this long before asking again (default 1 s).
   */
  minIntervalMs?: number;
  fastAnswerMs?: number;
}

const defaultShouldRetry = (e: unknown): boolean => !isNomadError(e) || e.retryable;

export class BlockingWatcher<T> {
  private readonly controller = new AbortController();
  private lastIndex = 0;
  private running: Promise<void> | undefined;
  private readonly clock: Clock;
  private readonly backoff: Backoff;

  constructor(
    private readonly fetch: BlockingFetch<T>,
    private readonly onChange: (body: T, index: number) => void,
    private readonly opts: BlockingWatcherOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff(opts.random, opts.backoff);
  }

  /** The index of the last answer delivered to the callback (0 before the first). */
  get index(): number { return this.lastIndex; }

  get disposed(): boolean { return this.controller.signal.aborted; }

  /** Start polling; resolves when disposed or stopped by an error that is not retried. */
  start(initialIndex = 0): Promise<void> {
    if (!this.running) {
      this.lastIndex = initialIndex;
      this.running = this.loop();
    }
    return this.running;
  }

  dispose(): void { this.controller.abort(); }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    const waitMs = this.opts.waitMs ?? 5 * 60_000;
    const shouldRetry = this.opts.shouldRetry ?? defaultShouldRetry;
    while (!signal.aborted) {
      const started = this.clock.now();
      let result: QueryResult<T>;
      try {
        result = await this.fetch({ index: this.lastIndex, wait: waitMs, signal });
      } catch (err) {
        if (signal.aborted || (isAbortError(err) && signal.aborted)) return;
        const retry = shouldRetry(err);
        const delayMs = retry ? this.backoff.next() : 0;
        this.opts.onError?.(err, { willRetry: retry, delayMs, attempt: this.backoff.attempts });
        if (!retry) return;
        try { await this.clock.sleep(delayMs, signal); } catch { return; }
        continue;
      }
      if (signal.aborted) return;
      this.backoff.reset();
      // Nomad never reports index 0 for real data; treat 0 as 1 so the next query blocks.
      const idx = Math.max(result.index, 1);
      if (idx < this.lastIndex) {
        // The cluster's index went backwards: start over with a non-blocking read.
        this.lastIndex = 0;
        continue;
      }
      if (idx > this.lastIndex) {
        this.lastIndex = idx;
        this.onChange(result.body, idx);
        continue;
      }
      // Unchanged: the wait ran out. Guard against servers that do not block.
      const elapsed = this.clock.now() - started;
      if (elapsed < (this.opts.fastAnswerMs ?? 50)) {
        try { await this.clock.sleep(this.opts.minIntervalMs ?? 1000, signal); } catch { return; }
      }
    }
  }
}
