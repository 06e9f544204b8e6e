// The log worker: follows one stream off the extension host's thread. Decoding Nomad's frames (base64
// JSON) and cutting lines is most of the CPU, and nearly all the garbage, of following a chatty task;
// here neither can pause the extension host. The worker posts ready-made text blocks (one per batch,
// ~64 KiB or 75 ms) and, last, how the stream ended; it stops reading while the host owes acknowledgements
// for more than MAX_UNACKED_CHARS of them (./flow.ts). Protocol: ./threaded.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { NomadClient } from '../client';
import { nodeFiles } from '../transport';
import { followToChannel } from './channel';
import { FlowGate } from './flow';
import { MAX_UNACKED_CHARS, type LogHostMessage, type LogWorkerData, type LogWorkerMessage } from './threaded';

const port = parentPort;
if (port) {
  const data = workerData as LogWorkerData;
  const client = new NomadClient({ ...data.client, files: nodeFiles });
  const post = (m: LogWorkerMessage): void => port.postMessage(m);
  const gate = new FlowGate(MAX_UNACKED_CHARS);
  const follow = followToChannel(
    client,
    data.follow,
    text => {
      gate.sent(text.length);
      post({ kind: 'append', text });
    },
    Math.random,
    () => gate.wait(),
  );
  port.on('message', (m: LogHostMessage) => {
    if (m.kind === 'ack') gate.acked(m.chars);
    else if (m.kind === 'stop') {
      gate.release();
      follow.stop();
    }
  });
  void follow.done.then(async end => {
    post({ kind: 'end', end });
    await client.close().catch(() => undefined);
    port.close();
  });
}
