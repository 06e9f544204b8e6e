// Following a log stream from the extension host: in a worker thread (./worker.ts) when one can be
// started, so that decoding and its garbage never stall the extension host; in this thread otherwise
// (the same pipeline, ./channel.ts). Either way the caller gets appends of whole lines and an end.

import { Worker } from 'node:worker_threads';
import type { NomadClient, NomadClientOptions } from '../client';
import { followToChannel, type ChannelFollow, type ChannelFollowEnd, type ChannelFollowOptions } from './channel';

/** What the worker is started with. */
export interface LogWorkerData {
  client: Omit<NomadClientOptions, 'files'>;
  follow: ChannelFollowOptions;
}

/** worker → extension host */
export type LogWorkerMessage = { kind: 'append'; text: string } | { kind: 'end'; end: ChannelFollowEnd };
/** extension host → worker: stop, or how many characters of appended text the host has taken */
export type LogHostMessage = { kind: 'stop' } | { kind: 'ack'; chars: number };

/** Posted text the host may owe acknowledgements for before the worker stops reading (~32 batches). */
export const MAX_UNACKED_CHARS = 2 * 1024 * 1024;

/**
 * Takes a block of text. A promise means the text is not taken yet: the worker is told when it
 * settles, and stops reading the stream while too much is owed (see ./flow.ts).
 */
export type AppendSink = (text: string) => unknown;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export interface ThreadedFollowOptions {
  /** The bundled worker script; without it (or if it fails to start) the stream is followed in this thread. */
  workerPath: string | undefined;
  onWorkerError?: (e: unknown) => void;
}

/** Follows one stream into `append`; prefers a worker thread. */
export function followLogs(
  client: NomadClient,
  o: ChannelFollowOptions,
  append: AppendSink,
  t: ThreadedFollowOptions,
): ChannelFollow & { threaded: boolean } {
  if (t.workerPath) {
    try {
      return {
        ...inWorker(t.workerPath, { client: client.options, follow: o }, append, t.onWorkerError),
        threaded: true,
      };
    } catch (e) {
      t.onWorkerError?.(e);
    }
  }
  return { ...followToChannel(client, o, inThreadSink(append), Math.random), threaded: false };
}

/** In this thread the pipeline waits for nothing: a pending append is let run. */
function inThreadSink(append: AppendSink): (text: string) => void {
  return text => {
    const r = append(text);
    if (isThenable(r)) void Promise.resolve(r).catch(() => undefined);
  };
}

function inWorker(
  workerPath: string,
  data: LogWorkerData,
  append: AppendSink,
  onError?: (e: unknown) => void,
): ChannelFollow {
  const worker = new Worker(workerPath, { workerData: data });
  let settled = false;
  const tell = (m: LogHostMessage): void => {
    if (!settled) worker.postMessage(m);
  };
  const done = new Promise<ChannelFollowEnd>(resolve => {
    const finish = (end: ChannelFollowEnd): void => {
      if (!settled) {
        settled = true;
        resolve(end);
      }
    };
    worker.on('message', (m: LogWorkerMessage) => {
      if (m.kind === 'append') {
        const chars = m.text.length;
        const taken = append(m.text);
        if (isThenable(taken))
          void Promise.resolve(taken).then(
            () => tell({ kind: 'ack', chars }),
            () => tell({ kind: 'ack', chars }),
          );
        else tell({ kind: 'ack', chars });
      } else finish(m.end);
    });
    worker.on('error', e => {
      onError?.(e);
      finish({ reason: 'error', message: e instanceof Error ? e.message : String(e) });
    });
    worker.on('exit', code =>
      finish(code === 0 ? { reason: 'cancelled' } : { reason: 'error', message: `the log worker exited (${code})` }),
    );
  });
  return {
    done,
    stop: () => tell({ kind: 'stop' }),
  };
}
