// Nomad's event stream (GET /v1/event/stream): newline-delimited JSON, one `{Index, Events}`
// object per raft index, with `{}` heartbeats. The decoder accepts chunks cut anywhere; the
// follower reconnects after a drop from the index after the last one it delivered.

import { systemClock, type BackoffOptions, type Clock, type Random } from './backoff';
import { Pacer } from './pace';
import { JsonObjectSplitter } from './jsonstream';
import { isNomadError, NomadError } from './errors';
import type { NomadClient } from './client';
import type { StreamEvent, StreamEvents } from './types';

export type EventStreamItem = { kind: 'events'; batch: StreamEvents } | { kind: 'heartbeat' };

export class EventStreamDecoder {
  private readonly splitter: JsonObjectSplitter;

  constructor(maxObjectBytes = 64 * 1024 * 1024) {
    this.splitter = new JsonObjectSplitter(maxObjectBytes);
  }

  push(chunk: Uint8Array): EventStreamItem[] {
    const out: EventStreamItem[] = [];
    for (const v of this.splitter.push(chunk)) {
      const o = v as Partial<StreamEvents> & { Error?: unknown };
      if (!o || typeof o !== 'object' || o.Index === undefined) {
        out.push({ kind: 'heartbeat' });
        continue;
      }
      const events = Array.isArray(o.Events) ? (o.Events as StreamEvent[]) : [];
      out.push({ kind: 'events', batch: { Index: Number(o.Index), Events: events } });
    }
    return out;
  }

  /** Text after the JSON (an error Nomad wrote once the stream had started), if any. */
  get trailingText(): string {
    return this.splitter.trailingText;
  }

  reset(): void {
    this.splitter.reset();
  }
}

/** `Job`, `Allocation:*`, `Job:my-job` … as the `topic` query parameter wants them. */
export type TopicFilter = string;

export interface EventFollowerOptions {
  topics: TopicFilter[];
  /** Start at this index (0: from now, as Nomad sends the latest). */
  index?: number;
  namespace?: string;
  random: Random;
  clock?: Clock;
  /** Backoff after failures. */
  backoff?: BackoffOptions;
  /** The least time between two connection attempts (pace.ts; default 500 ms). */
  floorMs?: number;
  /** Reconnect if nothing (not even a heartbeat, sent every 10 s) arrives for this long. */
  idleTimeoutMs?: number;
  onError?: (err: unknown, info: { willRetry: boolean; delayMs: number }) => void;
  /** Called after a reconnect, with the time spent disconnected. */
  onReconnect?: (gapMs: number) => void;
  /** Each time the stream is open (the server has the subscription): events from then on arrive. */
  onOpen?: () => void;
}

/**
 * Follows the event stream until disposed. Batches reach `onEvents` in index order, each index
 * once, across reconnects.
 */
export class EventStreamFollower {
  private readonly controller = new AbortController();
  private lastIndex: number;
  private running: Promise<void> | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly client: Pick<NomadClient, 'openStream'>,
    private readonly onEvents: (batch: StreamEvents) => void,
    private readonly opts: EventFollowerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.lastIndex = opts.index ?? 0;
  }

  get index(): number {
    return this.lastIndex;
  }

  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  dispose(): void {
    this.controller.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    // every (re)connection goes through the pacer (pace.ts): a server that ends the stream at once, or
    // answers with heartbeats and nothing else before closing, is asked again at most a few times a minute
    const pacer = new Pacer(this.clock, this.opts.random, {
      ...(this.opts.floorMs !== undefined ? { floorMs: this.opts.floorMs } : {}),
      ...(this.opts.backoff ? { error: this.opts.backoff } : {}),
    });
    // when the stream was last known to be alive (its last byte, or its opening): an outage is measured
    // from there, not from when the drop was noticed (an idle timeout notices it 35 s late)
    let lastSeen: number | undefined;
    let droppedAt: number | undefined;
    while (!signal.aborted) {
      try {
        await pacer.turn(signal);
      } catch {
        return;
      }
      if (signal.aborted) return;
      const before = this.lastIndex;
      const decoder = new EventStreamDecoder();
      try {
        const stream = await this.client.openStream(
          '/v1/event/stream',
          {
            topic: this.opts.topics,
            index: this.lastIndex > 0 ? this.lastIndex + 1 : undefined,
          },
          {
            signal,
            idleTimeoutMs: this.opts.idleTimeoutMs ?? 35_000,
            ...(this.opts.namespace ? { namespace: this.opts.namespace } : {}),
          },
        );
        lastSeen = this.clock.now();
        if (droppedAt !== undefined) {
          this.opts.onReconnect?.(lastSeen - droppedAt);
          droppedAt = undefined;
        }
        this.opts.onOpen?.();
        try {
          for await (const chunk of stream.body) {
            lastSeen = this.clock.now();
            for (const item of decoder.push(chunk)) {
              if (item.kind !== 'events') continue;
              if (item.batch.Index <= this.lastIndex) continue;
              this.lastIndex = item.batch.Index;
              this.onEvents(item.batch);
            }
          }
        } finally {
          stream.close();
        }
        if (decoder.trailingText) throw new NomadError({ kind: 'server', message: decoder.trailingText });
        if (signal.aborted) return;
        // A clean end (server restart, leader change): reconnect, at once if it brought events, after a
        // growing pause if it brought nothing.
        droppedAt ??= lastSeen ?? this.clock.now();
        if (this.lastIndex > before) pacer.progress();
        else pacer.noProgress();
      } catch (err) {
        if (signal.aborted) return;
        droppedAt ??= lastSeen ?? this.clock.now();
        const retry = !isNomadError(err) || err.retryable || err.kind === 'protocol';
        // events before the failure count as progress: the failures in a row start over
        if (this.lastIndex > before) pacer.progress();
        const delayMs = retry ? (pacer.failure(), pacer.pendingMs) : 0;
        this.opts.onError?.(err, { willRetry: retry, delayMs });
        if (!retry) return;
      }
    }
  }
}
