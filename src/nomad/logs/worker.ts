// The log worker: follows one stream off the extension host's thread. Decoding Nomad's frames (base64
// JSON) and cutting lines is most of the CPU, and nearly all the garbage, of following a chatty task;
// here neither can pause the extension host. The worker posts ready-made text blocks (one per batch,
// ~64 KiB or 75 ms) and, last, how the stream ended. Protocol: ./threaded.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { NomadClient } from '../client';
import { nodeFiles } from '../transport';
import { followToChannel } from './channel';
import type { LogWorkerData, LogWorkerMessage } from './threaded';

const port = parentPort;
if (port) {
  const data = workerData as LogWorkerData;
  const client = new NomadClient({ ...data.client, files: nodeFiles });
  const post = (m: LogWorkerMessage): void => port.postMessage(m);
  const follow = followToChannel(client, data.follow, text => post({ kind: 'append', text }), Math.random);
  port.on('message', (m: unknown) => { if ((m as { kind?: string }).kind === 'stop') follow.stop(); });
  void follow.done.then(async end => {
    post({ kind: 'end', end });
    await client.close().catch(() => undefined);
    port.close();
  });
}
