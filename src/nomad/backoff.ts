// Time and retry helpers with injectable clocks and randomness, so reconnect logic is testable
// without real waiting.

export interface Clock {
  now(): number;
  /** Resolve after `ms`, or reject with an AbortError-like error when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A random number in [0, 1). Only used for jitter, never for anything secret. */
export type Random = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const onAbort = (): void => {
        clearTimeout(t);
        reject(abortError());
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function abortError(): Error {
  const e = new Error('Aborted');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return (
    !!e &&
    typeof e === 'object' &&
    ((e as { name?: string }).name === 'AbortError' || (e as { kind?: string }).kind === 'cancelled')
  );
}

export interface BackoffOptions {
  /** First delay, ms (default 500). */
  initialMs?: number;
  /** Upper bound, ms (default 30 s). */
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay that is randomized: 0.5 gives delays in [0.5d, d] (default 0.5). */
  jitter?: number;
}

/** Capped exponential backoff with jitter. `next()` grows the delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(
    private readonly random: Random,
    o: BackoffOptions = {},
  ) {
    this.initialMs = o.initialMs ?? 500;
    this.maxMs = o.maxMs ?? 30_000;
    this.factor = o.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, o.jitter ?? 0.5));
  }

  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, this.attempt));
    this.attempt++;
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(base * (1 - this.jitter) + base * this.jitter * r);
  }

  reset(): void {
    this.attempt = 0;
  }
}
