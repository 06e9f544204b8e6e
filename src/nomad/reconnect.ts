// The automatic reconnection while a cluster cannot be reached: wait (paced like every other loop,
// nomad/pace.ts: backing off from 1 s, doubling, at most 30 s), probe, and again, until the agent
// answers, answers with something that is not worth retrying, or the loop is stopped. Pure: the probe
// and what follows each outcome are the caller's (src/cluster/connection.ts).
import { systemClock, type Clock, type Random } from './backoff';
import { isNomadError, type NomadError } from './errors';
import { Pacer, type PacerOptions } from './pace';

/** The schedule of the reconnection: the first wait 1 s, doubling, at most 30 s (with Pacer's jitter). */
export const RECONNECT_SCHEDULE: PacerOptions = { error: { initialMs: 1000, maxMs: 30_000 } };

export interface ReconnectHooks {
  /** Is the agent there (and does it accept the token)? Resolves with the leader. */
  probe(signal: AbortSignal): Promise<string>;
  /** A wait begins (delayMs and attempt are set): show it. */
  waiting(): void;
  /** The agent answered: the loop has ended. */
  answered(leader: string): void;
  /** The probe failed with an error not worth retrying: the loop has ended. */
  gaveUp(error: unknown): void;
  /** The probe failed again on the network: the loop goes on. */
  stillFailing(error: NomadError, attempt: number): void;
}

export class ReconnectLoop {
  private readonly controller = new AbortController();
  private readonly pacer: Pacer;
  private wakeUp: () => void = () => undefined;
  /** Settles when the attempt under way (wait and probe) has ended. */
  private next: Promise<void> = Promise.resolve();
  /** The current wait, and which attempt follows it. */
  delayMs = 0;
  attempt = 0;

  constructor(
    private readonly hooks: ReconnectHooks,
    private readonly clock: Clock = systemClock,
    random: Random = Math.random,
  ) {
    this.pacer = new Pacer(clock, random, RECONNECT_SCHEDULE);
  }

  /** Starts the loop; its first wait begins (and `waiting` is called) before this returns. */
  start(): void {
    void this.loop();
  }

  /** Skips the current wait; resolves when that attempt ended. */
  now(): Promise<void> {
    const next = this.next;
    this.wakeUp();
    return next;
  }

  stop(): void {
    this.controller.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    let settle: () => void = () => undefined;
    while (!signal.aborted) {
      // the wait starts after the last failed probe ended: the gap is the whole wait
      this.delayMs = this.pacer.failure();
      this.attempt = this.pacer.failures;
      this.next = new Promise<void>(r => {
        settle = r;
      });
      this.hooks.waiting();
      const woken = new AbortController();
      this.wakeUp = () => woken.abort();
      const stop = (): void => woken.abort();
      signal.addEventListener('abort', stop, { once: true });
      await this.clock.sleep(this.delayMs, woken.signal).catch(() => undefined);
      signal.removeEventListener('abort', stop);
      if (signal.aborted) {
        settle();
        return;
      }
      try {
        const leader = await this.hooks.probe(signal);
        if (signal.aborted) {
          settle();
          return;
        }
        this.hooks.answered(leader);
        settle();
        return;
      } catch (e) {
        if (signal.aborted) {
          settle();
          return;
        }
        if (!isNomadError(e) || !e.retryable) {
          this.hooks.gaveUp(e);
          settle();
          return;
        }
        this.hooks.stillFailing(e, this.pacer.failures);
        settle();
      }
    }
  }
}
