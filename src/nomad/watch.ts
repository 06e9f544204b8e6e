// Long-polling a Nomad endpoint with blocking queries: the callback runs only when the index
// moves; network trouble is retried with backoff from the last index; a backwards index (a
// restored snapshot, a different leader's state) starts over from 0; an answer without an index is
// delivered as it is and the next read is a plain one. Paced by pace.ts, so it never spins.

import { systemClock, isAbortError, type BackoffOptions, type Clock, type Random } from './backoff';
import { IndexGate, Pacer, type PacerOptions } from './pace';
import { isNomadError } from './errors';
import type { QueryResult } from './client';

export type BlockingFetch<T> = (args: { index: number; wait: number; signal: AbortSignal }) => Promise<QueryResult<T>>;

export interface BlockingWatcherOptions {
  /** Wait per blocking query, ms (default 5 minutes). */
  waitMs?: number;
  clock?: Clock;
  /** Randomness for the backoff jitter. */
  random: Random;
  /** Backoff after errors. */
  backoff?: BackoffOptions;
  /** The pacing of requests (floor, backoff while the index does not move): see pace.ts. */
  pace?: Omit<PacerOptions, 'error'>;
  /** Called for every failure; `willRetry` tells whether the watcher keeps going. */
  onError?: (err: unknown, info: { willRetry: boolean; delayMs: number; attempt: number }) => void;
  /** Called for every answer, new or not (the server is reachable). */
  onAnswer?: () => void;
  /** Which errors are worth retrying (default: network trouble, timeouts and 5xx). */
  shouldRetry?: (err: unknown) => boolean;
  /** After a failure, the next query waits at most this long (default 1 s), so a recovered server is
   *  seen as such at once rather than when the next change comes. */
  recoverWaitMs?: number;
}

const defaultShouldRetry = (e: unknown): boolean => !isNomadError(e) || e.retryable;

/**
 * Every request goes through an IndexGate (pace.ts): at least a floor apart, backing off while the index
 * does not move (the same, missing or backwards), so no server can make it spin.
 */
export class BlockingWatcher<T> {
  private readonly controller = new AbortController();
  private gate: IndexGate;
  private running: Promise<void> | undefined;

  constructor(
    private readonly fetch: BlockingFetch<T>,
    private readonly onChange: (body: T, index: number) => void,
    private readonly opts: BlockingWatcherOptions,
  ) {
    this.gate = this.newGate(0);
  }

  private newGate(initial: number): IndexGate {
    const o = this.opts;
    return new IndexGate(
      new Pacer(o.clock ?? systemClock, o.random, { ...o.pace, ...(o.backoff ? { error: o.backoff } : {}) }),
      initial,
    );
  }

  /** The index the next query asks from (0 before the first answer, or after a reset). */
  get index(): number {
    return this.gate.index;
  }

  get disposed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Start polling; resolves when disposed or stopped by an error that is not retried. */
  start(initialIndex = 0): Promise<void> {
    if (!this.running) {
      this.gate = this.newGate(initialIndex);
      this.running = this.loop();
    }
    return this.running;
  }

  dispose(): void {
    this.controller.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    const waitMs = this.opts.waitMs ?? 5 * 60_000;
    const shouldRetry = this.opts.shouldRetry ?? defaultShouldRetry;
    const gate = this.gate;
    let recovering = false;
    while (!signal.aborted) {
      try {
        await gate.turn(signal);
      } catch {
        return;
      }
      if (signal.aborted) return;
      let result: QueryResult<T>;
      try {
        result = await this.fetch({
          index: gate.index,
          wait: recovering ? Math.min(waitMs, this.opts.recoverWaitMs ?? 1000) : waitMs,
          signal,
        });
      } catch (err) {
        if (signal.aborted || (isAbortError(err) && signal.aborted)) return;
        const retry = shouldRetry(err);
        const delayMs = retry ? gate.failed() : 0;
        this.opts.onError?.(err, { willRetry: retry, delayMs, attempt: gate.pacer.failures });
        if (!retry) return;
        recovering = true;
        continue;
      }
      if (signal.aborted) return;
      recovering = false;
      this.opts.onAnswer?.();
      const verdict = gate.answered(result.index);
      if (verdict === 'advanced') this.onChange(result.body, gate.index);
      else if (verdict === 'unindexed') this.onChange(result.body, 0);
      // 'same': the wait ran out; 'reset': the index went backwards, the next read starts over from 0
    }
  }
}
