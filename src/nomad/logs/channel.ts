// One log stream into an output channel: the follower, the text → lines → batched appends pipeline and
// the lines of our own (markers, the reason a stream ended). Pure Node: it runs in the log worker
// (./worker.ts) and, when no worker can be started, in the extension host itself (./threaded.ts).

import type { Random } from '../backoff';
import { LogFollower, type LogFollowEnd, type LogFollowerEvent, type LogsClient, type LogType } from './follower';
import { AppendBatcher, LogTextWriter, makeLineFilter } from './lines';

export interface ChannelFollowOptions {
  allocId: string;
  task: string;
  type: LogType;
  /** Where to start: the last `offset` bytes ('end'), or `offset` bytes from the first file ('start'). */
  origin: 'start' | 'end';
  offset: number;
  follow?: boolean;
  /** Put before every line (merged job logs, "[stderr] "). */
  prefix: string;
  stripAnsi: boolean;
  /** What the user typed to filter lines (see makeLineFilter); '' keeps every line. */
  filter: string;
  /** Batching of appends (tests make these small). */
  intervalMs?: number;
  maxBatchChars?: number;
  /** Reconnect when not even a heartbeat arrives for this long. */
  idleTimeoutMs?: number;
  /** Say why the task has not started (false for the second stream of a task: said once). */
  explain?: boolean;
}

/** How a followed stream ended, in a form that crosses a worker boundary. */
export type ChannelFollowEnd =
  { reason: 'complete' | 'cancelled' } | { reason: 'allocationGone' | 'neverStarted' | 'error'; message: string };

export interface ChannelFollow {
  /** Settles once the stream has ended and its last text was appended. */
  readonly done: Promise<ChannelFollowEnd>;
  /** Stop following (pending text is appended first). */
  stop(): void;
}

/**
 * Follows one stdout or stderr stream, appending whole lines to `append` in batches. With origin
 * 'end', a first line cut by the window is dropped: it would show a fragment.
 */
export function followToChannel(
  client: LogsClient,
  o: ChannelFollowOptions,
  append: (text: string) => void,
  random: Random,
  gate?: () => Promise<void> | undefined,
): ChannelFollow {
  const batcher = new AppendBatcher(append, {
    ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
    ...(o.maxBatchChars !== undefined ? { maxBatchChars: o.maxBatchChars } : {}),
  });
  const filter = o.filter.trim() ? makeLineFilter(o.filter) : undefined;
  const out = new LogTextWriter(batcher, { prefix: o.prefix, stripAnsi: o.stripAnsi, filter });
  let atStart = true;
  const onEvent = (e: LogFollowerEvent): void => {
    switch (e.kind) {
      case 'text': {
        let text = e.text;
        if (atStart) {
          atStart = false;
          const startedAt = e.offset - Buffer.byteLength(text, 'utf8');
          if (startedAt > 0 && o.origin === 'end') {
            const nl = text.indexOf('\n');
            text = nl < 0 ? '' : text.slice(nl + 1);
          }
        }
        out.text(text);
        break;
      }
      case 'marker':
        out.note(e.text);
        break;
      case 'truncated':
        out.note(`— ${e.file} was truncated —`);
        break;
      case 'waiting':
        out.note(`— waiting: ${e.reason} —`);
        break;
      default:
        break;
    }
  };
  const follower = new LogFollower(
    client,
    {
      allocId: o.allocId,
      task: o.task,
      type: o.type,
      origin: o.origin,
      offset: o.offset,
      follow: o.follow ?? true,
      random,
      ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
      ...(o.explain !== undefined ? { explain: o.explain } : {}),
      ...(gate ? { gate } : {}),
    },
    onEvent,
  );
  const done = (async (): Promise<ChannelFollowEnd> => {
    let end: LogFollowEnd;
    try {
      end = await follower.start();
    } catch (e) {
      end = { reason: 'error', error: e, message: e instanceof Error ? e.message : String(e) };
    }
    out.end();
    if (end.reason === 'allocationGone')
      out.note(`— the allocation is gone (garbage collected or stopped): ${end.message} —`);
    else if (end.reason === 'neverStarted' && end.message) out.note(`— ${end.message} —`);
    else if (end.reason === 'error') out.note(`— stream ended: ${end.message} —`);
    batcher.dispose();
    return end.reason === 'allocationGone' || end.reason === 'neverStarted' || end.reason === 'error'
      ? { reason: end.reason, message: end.message }
      : { reason: end.reason };
  })();
  return { done, stop: () => follower.dispose() };
}
