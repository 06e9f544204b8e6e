// Follows one task's stdout or stderr. After a dropped connection it reconnects with backoff and
// resumes exactly after the last byte it delivered (no byte lost, none repeated), across log
// rotation; waits while the task has not started; ends plainly when the allocation is gone.

import { Backoff, systemClock, type BackoffOptions, type Clock, type Random } from '../backoff';
import { Pacer } from '../pace';
import { httpError, isNomadError } from '../errors';
import type { NomadClient } from '../client';
import { LogStreamDecoder, logFileIndex, type LogFrameEvent } from './decoder';

export type LogType = 'stdout' | 'stderr';

export interface LogFollowerOptions {
  allocId: string;
  task: string;
  type: LogType;
  /** Where `offset` counts from (default 'start'). 'end' with offset N shows the last N bytes. */
  origin?: 'start' | 'end';
  offset?: number;
  /** Keep streaming new output (default true). */
  follow?: boolean;
  /** Ask for raw text instead of frames (no rotation tracking; resume is best effort). */
  plain?: boolean;
  random: Random;
  clock?: Clock;
  backoff?: BackoffOptions;
  /** The least time between two connection attempts (pace.ts; default 500 ms). */
  floorMs?: number;
  /** While the task has not started, poll this often (default 2 s, grows to 10 s). */
  notStartedPollMs?: number;
  /** Reconnect if not even a heartbeat (Nomad sends one a second) arrives for this long. */
  idleTimeoutMs?: number;
  /** Flow control: asked before each slice is decoded; a promise means wait (the reader is behind). */
  gate?: () => Promise<void> | undefined;
  /** Show why a task has not started (its events, the end when it never will); default true. The
   *  second stream of the same task (stderr beside stdout) sets false, so it is said once. */
  explain?: boolean;
}

export type LogFollowerEvent =
  | { kind: 'text'; text: string; file: string; offset: number }
  | { kind: 'marker'; text: string }
  | { kind: 'truncated'; file: string }
  | { kind: 'deleted'; file: string }
  | { kind: 'waiting'; reason: string }
  | { kind: 'retrying'; error: unknown; delayMs: number };

export type LogFollowEnd =
  | { reason: 'complete' }
  | { reason: 'cancelled' }
  | { reason: 'allocationGone'; message: string }
  /** the task never started and will not: its allocation is terminal (its events were shown) */
  | { reason: 'neverStarted'; message: string }
  | { reason: 'error'; error: unknown; message: string };

/** `getAllocation` tells why a task has not started (its events) and whether it ever will. */
export type LogsClient = Pick<NomadClient, 'openLogs' | 'listAllocFiles'> & Partial<Pick<NomadClient, 'getAllocation'>>;

const TERMINAL_ALLOC = new Set(['failed', 'complete', 'lost']);

/** One task event as a line of our own: `12:01:02 UTC Driver Failure: Failed to pull …`. */
export function taskEventLine(e: { Type: string; Time: number; DisplayMessage?: string; Message?: string }): string {
  const t =
    Number.isFinite(e.Time) && e.Time > 0
      ? `${new Date(Math.floor(e.Time / 1e6)).toISOString().slice(11, 19)} UTC `
      : '';
  const text = e.DisplayMessage || e.Message || '';
  return `${t}${e.Type}${text ? `: ${text}` : ''}`;
}

/** Events that name why a task failed to start. */
const CAUSES = new Set([
  'Driver Failure',
  'Setup Failure',
  'Failed Validation',
  'Failed Artifact Download',
  'Task hook failed',
  'Not Restarting',
]);
/** Events that follow a failure rather than name it. */
const AFTERMATH = new Set(['Alloc Unhealthy', 'Killing', 'Killed']);

/** Events that say why a task did not start (not the bookkeeping around it). */
const BOOKKEEPING = new Set(['Received', 'Task Setup', 'Downloading Artifacts', 'Building Task Directory']);

const ALLOC_GONE = /unknown allocation|alloc(ation)? not found|state for allocation .* not found/i;
const NOT_STARTED = /not started|unknown task|log entry for task .* not found/i;

/** How long the follower may run without letting other work (timers, UI messages) in. */
const YIELD_EVERY_MS = 2;
/** Bytes handed to the decoder at once (Nomad's own frames are at most 64 KiB of data). */
const SLICE_BYTES = 16 * 1024;
const yieldToEventLoop = (): Promise<void> => new Promise(resolve => setImmediate(resolve));

export function formatGap(ms: number): string {
  return `— reconnected after ${(ms / 1000).toFixed(1)} s —`;
}

export class LogFollower {
  private readonly controller = new AbortController();
  private readonly clock: Clock;
  private running: Promise<LogFollowEnd> | undefined;
  private lastFile: string | undefined;
  private lastOffset = 0;
  private plainBytes = 0;
  /** Final positions of files we read to their end before a rotation. */
  private readonly finished = new Map<string, number>();

  constructor(
    private readonly client: LogsClient,
    private readonly opts: LogFollowerOptions,
    private readonly onEvent: (e: LogFollowerEvent) => void,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Hand decoded events to the listener; true when any carried data. */
  private deliver(events: readonly LogFrameEvent[]): boolean {
    let data = false;
    for (const ev of events) {
      switch (ev.kind) {
        case 'data':
          data = true;
          if (this.lastFile !== undefined && this.lastFile !== ev.file)
            this.finished.set(this.lastFile, this.lastOffset);
          this.lastFile = ev.file;
          this.lastOffset = ev.offset;
          this.plainBytes += ev.length;
          if (ev.text) this.onEvent({ kind: 'text', text: ev.text, file: ev.file, offset: ev.offset });
          break;
        case 'truncated':
        case 'deleted':
          data = true;
          this.onEvent({ kind: ev.kind, file: ev.file });
          break;
        case 'heartbeat':
          data = true;
          break;
      }
    }
    return data;
  }

  private positionKey(): string {
    return this.opts.plain ? String(this.plainBytes) : `${this.lastFile ?? ''}\u0000${this.lastOffset}`;
  }

  /** The file and offset after the last delivered byte. */
  get position(): { file: string; offset: number } | undefined {
    return this.lastFile === undefined ? undefined : { file: this.lastFile, offset: this.lastOffset };
  }

  start(): Promise<LogFollowEnd> {
    this.running ??= this.loop();
    return this.running;
  }

  dispose(): void {
    this.controller.abort();
  }

  private async loop(): Promise<LogFollowEnd> {
    const o = this.opts;
    const signal = this.controller.signal;
    const follow = o.follow ?? true;
    // every (re)connection goes through the pacer (pace.ts): a stream that ends at once without bytes is
    // asked again after a growing pause, never in a tight loop
    const pacer = new Pacer(this.clock, o.random, {
      ...(o.floorMs !== undefined ? { floorMs: o.floorMs } : {}),
      ...(o.backoff ? { error: o.backoff } : {}),
    });
    const notStarted = new Backoff(() => 1, {
      initialMs: o.notStartedPollMs ?? 2000,
      maxMs: 10_000,
      factor: 1.5,
      jitter: 0,
    });
    const origin = o.origin ?? 'start';
    const initialOffset = o.offset ?? 0;
    const decoder = new LogStreamDecoder({
      ...(o.plain ? { plain: true } : {}),
      ...(origin === 'start' && initialOffset === 0 ? { start: { offset: 0 } } : {}),
    });
    let request: { origin: 'start' | 'end'; offset: number } = { origin, offset: initialOffset };
    let droppedAt: number | undefined;
    // when the stream was last known to be alive (its last bytes, heartbeats included, or its opening):
    // an outage is measured from there, not from when an idle timeout noticed it
    let lastSeen: number | undefined;

    while (!signal.aborted) {
      try {
        await pacer.turn(signal);
      } catch {
        return { reason: 'cancelled' };
      }
      if (signal.aborted) return { reason: 'cancelled' };
      let gotData = false;
      // progress is the position moving, not bytes arriving: a heartbeat, or the same frame sent again by
      // a server that ends the stream at once, is no reason to ask again at the floor
      const before = this.positionKey();
      try {
        const stream = await this.client.openLogs(
          o.allocId,
          {
            task: o.task,
            type: o.type,
            follow,
            origin: request.origin,
            offset: request.offset,
            ...(o.plain ? { plain: true } : {}),
          },
          { signal, idleTimeoutMs: o.idleTimeoutMs ?? 20_000 },
        );
        notStarted.reset();
        lastSeen = this.clock.now();
        if (droppedAt !== undefined) {
          this.onEvent({ kind: 'marker', text: formatGap(lastSeen - droppedAt) });
          droppedAt = undefined;
        }
        try {
          let sliceStart = Date.now();
          for await (const whole of stream.body) {
            lastSeen = this.clock.now();
            // A backlog arrives as large chunks that are already buffered: `for await` would then run them
            // all in one chain of microtasks and starve the event loop. Feed the decoder a slice at a time
            // and yield to the event loop every few milliseconds.
            for (let off = 0; off < whole.length; off += SLICE_BYTES) {
              if (Date.now() - sliceStart > YIELD_EVERY_MS) {
                await yieldToEventLoop();
                sliceStart = Date.now();
              }
              const behind = o.gate?.();
              if (behind) {
                await behind;
                sliceStart = Date.now();
              }
              const events = decoder.push(whole.length <= SLICE_BYTES ? whole : whole.subarray(off, off + SLICE_BYTES));
              if (events.length) gotData = this.deliver(events) || gotData;
            }
          }
        } finally {
          stream.close();
        }
        if (decoder.trailingText)
          throw httpError(500, decoder.trailingText, {
            service: 'Nomad',
            method: 'GET',
            path: `/v1/client/fs/logs/${o.allocId}`,
            secrets: [],
          });
        if (signal.aborted) return { reason: 'cancelled' };
        if (!follow) {
          const rest = decoder.end();
          if (rest) this.onEvent({ kind: 'text', text: rest, file: this.lastFile ?? '', offset: this.lastOffset });
          return { reason: 'complete' };
        }
        // A follow stream that ends cleanly was cut by something in between: reconnect (at once after one
        // that brought bytes, after a growing pause after one that brought none).
        droppedAt ??= lastSeen ?? this.clock.now();
        if (gotData && this.positionKey() !== before) pacer.progress();
        else pacer.noProgress();
      } catch (err) {
        if (signal.aborted) return { reason: 'cancelled' };
        const msg = err instanceof Error ? err.message : String(err);
        if (isNomadError(err) && (err.kind === 'notFound' || err.kind === 'badRequest')) {
          const text = err.serverMessage ?? msg;
          if (ALLOC_GONE.test(text)) {
            return {
              reason: 'allocationGone',
              message: `Allocation ${o.allocId.slice(0, 8)} no longer exists (stopped and garbage-collected); stopped following its logs.`,
            };
          }
          if (NOT_STARTED.test(text) && this.lastFile === undefined) {
            // why it has not started, from the allocation: its task's events (each shown once), and
            // whether it ever will (a terminal allocation's task does not start)
            const why = await this.whyNotStarted(signal);
            const explain = o.explain ?? true;
            if (explain)
              for (const line of why?.events ?? [])
                this.onEvent({ kind: 'marker', text: `— task "${o.task}": ${line} —` });
            if (why?.terminal) {
              return {
                reason: 'neverStarted',
                message: explain
                  ? `Task "${o.task}" never started and will not: allocation ${o.allocId.slice(0, 8)} is ${why.status}${why.cause ? ` (${why.cause})` : ''}; stopped following.`
                  : '',
              };
            }
            // the pacer waits this long before the next try (at the top of the loop)
            const delayMs = pacer.wait(notStarted.next());
            this.onEvent({
              kind: 'waiting',
              reason: `Task "${o.task}" has not started yet${why?.cause ? ` (${why.cause})` : ''}; retrying in ${(delayMs / 1000).toFixed(0)} s`,
            });
            continue;
          }
        }
        const retry =
          !isNomadError(err) ||
          err.retryable ||
          err.kind === 'protocol' ||
          (err.kind === 'notFound' && NOT_STARTED.test(err.serverMessage ?? ''));
        if (!retry) return { reason: 'error', error: err, message: msg };
        droppedAt ??= lastSeen ?? this.clock.now();
        if (gotData && this.positionKey() !== before) pacer.progress();
        pacer.failure();
        const delayMs = pacer.pendingMs;
        this.onEvent({ kind: 'retrying', error: err, delayMs });
      }
      // Where to pick up.
      if (o.plain) {
        if (origin === 'start') request = { origin: 'start', offset: initialOffset + this.plainBytes };
        decoder.resetFraming();
      } else if (this.lastFile !== undefined) {
        request = { origin: 'start', offset: await this.resumeOffset(signal) };
        decoder.resetFraming({ file: this.lastFile, offset: this.lastOffset });
      } else {
        decoder.resetFraming(origin === 'start' && initialOffset === 0 ? { offset: 0 } : undefined);
      }
    }
    return { reason: 'cancelled' };
  }

  /** Task events already shown (by time and type), so each poll shows only what is new. */
  private readonly shownEvents = new Set<string>();

  /** The allocation's view of a task that has not started: its new events, its latest cause, and
   *  whether the allocation is terminal. Undefined when the allocation cannot be read. */
  private async whyNotStarted(
    signal: AbortSignal,
  ): Promise<{ events: string[]; cause?: string; terminal: boolean; status: string } | undefined> {
    if (!this.client.getAllocation) return undefined;
    try {
      const a = (await this.client.getAllocation(this.opts.allocId, { signal })).body;
      const st = a.TaskStates?.[this.opts.task];
      const events = (st?.Events ?? []).filter(e => !BOOKKEEPING.has(e.Type));
      const fresh: string[] = [];
      for (const e of events) {
        const k = `${e.Time}|${e.Type}`;
        if (this.shownEvents.has(k)) continue;
        this.shownEvents.add(k);
        fresh.push(taskEventLine(e));
      }
      // the cause: the latest event that says something of the task itself (not the health verdict or
      // the kill that follow it)
      const failures = events.filter(e => CAUSES.has(e.Type));
      const said = events.filter(e => !AFTERMATH.has(e.Type));
      const last = failures[failures.length - 1] ?? said[said.length - 1] ?? events[events.length - 1];
      const cause = last ? `${last.Type}${last.DisplayMessage ? `: ${last.DisplayMessage}` : ''}` : undefined;
      const terminal = TERMINAL_ALLOC.has(a.ClientStatus) || st?.State === 'dead';
      return { events: fresh, ...(cause ? { cause } : {}), terminal, status: a.ClientStatus };
    } catch {
      return undefined;
    }
  }

  /**
   * With origin=start, Nomad counts the offset from the first log file still on disk and walks
   * forward through the rotated files. So the offset to resume at is the sizes of the files before
   * ours plus our position in it. The sizes come from the directory listing; without read-fs
   * permission we fall back to the sizes we saw ourselves.
   */
  private async resumeOffset(signal: AbortSignal): Promise<number> {
    const file = this.lastFile!;
    const idx = logFileIndex(file);
    const prefix = `${this.opts.task}.${this.opts.type}.`;
    try {
      const { body } = await this.client.listAllocFiles(this.opts.allocId, 'alloc/logs', { signal });
      let before = 0;
      let present = false;
      for (const e of body ?? []) {
        if (e.IsDir || !e.Name.startsWith(prefix)) continue;
        const n = Number(e.Name.slice(prefix.length));
        if (!Number.isInteger(n)) continue;
        if (n < idx) before += e.Size;
        if (n === idx) present = true;
      }
      if (!present && body && body.length) {
        this.onEvent({
          kind: 'marker',
          text: `— ${file.split('/').pop()} was rotated away while disconnected; some output may be missing —`,
        });
        this.lastOffset = 0;
      }
      return before + this.lastOffset;
    } catch (e) {
      if (isNomadError(e) && e.kind === 'cancelled') return this.lastOffset;
      let before = 0;
      for (const [f, size] of this.finished) if (logFileIndex(f) < idx) before += size;
      return before + this.lastOffset;
    }
  }
}
