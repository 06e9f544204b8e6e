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

export interface ThreadedFollowOptions {
  /** The bundled worker script; without it (or if it fails to start) the stream is followed in this thread. */
  workerPath: string | undefined;
  onWorkerError?: (e: unknown) => void;
}

/** Follows one stream into `append`; prefers a worker thread. */
export function followLogs(client: NomadClient, o: ChannelFollowOptions, append: (text: string) => void, t: ThreadedFollowOptions): ChannelFollow & { threaded: boolean } {
  if (t.workerPath) {
    try {
      return { ...inWorker(t.workerPath, { client: client.options, follow: o }, append, t.onWorkerError), threaded: true };
    } catch (e) {
      t.onWorkerError?.(e);
    }
  }
  return { ...followToChannel(client, o, append, Math.random), threaded: false };
}

function inWorker(workerPath: string, data: LogWorkerData, append: (text: string) => void, onError?: (e: unknown) => void): ChannelFollow {
  const worker = new Worker(workerPath, { workerData: data });
  let settled = false;
  const done = new Promise<ChannelFollowEnd>(resolve => {
    const finish = (end: ChannelFollowEnd): void => { if (!settled) { settled = true; resolve(end); } };
    worker.on('message', (m: LogWorkerMessage) => {
      if (m.kind === 'append') append(m.text);
      else finish(m.end);
    });
    worker.on('error', e => { onError?.(e); finish({ reason: 'error', message: e instanceof Error ? e.message : String(e) }); });
    worker.on('exit', code => finish(code === 0 ? { reason: 'cancelled' } : { reason: 'error', message: `the log worker exited (${code})` }));
  });
  return {
    done,
    stop: () => { if (!settled) worker.postMessage({ kind: 'stop' }); },
  };
}
