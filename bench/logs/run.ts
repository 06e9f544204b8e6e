// bench/logs: a task writes as fast as it can; we read its stdout from the start and follow, as Follow
// Logs does (the log worker: frames → lines → batched appends, posted to this thread's channel model), and
// compare with `nomad alloc logs -f` on the same allocation (when a Nomad binary is at hand in
// NOMAD_BIN), else with a bare `curl` of the endpoint. Ours runs twice: live from the
// backend, and from a replay of the backend's own frames served by a small process (on a 2-core machine
// the agent, which encodes the stream, otherwise takes a core from both sides). Each run prints MB/s, peak
// memory, the event-loop delay of this thread (the extension host's stand-in), the same for an idle
// control process over the same window (the machine's own scheduling jitter), and what this thread itself
// spent: its longest append and its longest garbage-collection pause.
//   npm run bench:logs            (MB=200 by default; NOMAD_ADDR / NOMAD_BIN for a real agent, else the double)
//   GC_TRACE=1 / GAP_TRACE=1      also list this thread's collections / its event-loop gaps over 8 ms
import { spawn, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'perf_hooks';
import { NomadClient } from '../../src/nomad/client';
import { followLogs } from '../../src/nomad/logs/threaded';
import { startBackend, type Backend } from '../../test/contract/backend';

/** The backend in another process: a real agent is one already; the double is started as a child. */
async function backend(): Promise<Pick<Backend, 'addr' | 'kind' | 'token' | 'stop'>> {
  if (process.env.NOMAD_ADDR || process.env.NOMAD_BIN) return startBackend(); // a real agent runs in its own process
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'test', 'double', 'serve.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const addr = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /"addr":\s*"([^"]+)"/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', code => reject(new Error(`the double exited (${String(code)})`)));
  });
  return {
    addr,
    kind: 'double',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
    },
  };
}

/** the control process: monitors its own (idle) event loop until stdin ends, then prints max and p99 in ms */
const CONTROL = `const h = require('perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable();
process.stdin.on('end', () => { h.disable(); process.stdout.write(JSON.stringify({ max: h.max / 1e6, p99: h.percentile(99) / 1e6 })); process.exit(0); });
process.stdin.resume(); process.stdout.write('ready');`;

const MB = Number(process.env.MB ?? 200);
const TARGET = MB * 1024 * 1024;
const LINE = 'x'.repeat(99);
const cliBin = process.env.NOMAD_BIN || undefined;

interface FollowResult {
  mbs: number;
}

/** Follows the task's stdout from the start until `lines` lines arrived, and prints what it measured. */
async function followOnce(
  addr: string,
  token: string | undefined,
  allocId: string,
  lines: number,
  label: string,
): Promise<FollowResult> {
  const client = new NomadClient({
    profile: { name: 'bench', address: addr, tls: { skipVerify: false } },
    ...(token ? { token } : {}),
  });
  const h = monitorEventLoopDelay({ resolution: 1 });
  let channelChars = 0,
    appends = 0,
    peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  let resolveDone!: () => void;
  const done = new Promise<void>(r => (resolveDone = r));
  // a control: an idle Node process on the same machine, measured over the same window. On a small
  // machine busy threads saturate the cores, and even a thread that does nothing then wakes late: this
  // says how much of a stall is the machine's
  const control = spawn(process.execPath, ['-e', CONTROL], { stdio: ['pipe', 'pipe', 'inherit'] });
  let controlOut = '';
  control.stdout.on('data', (c: Buffer) => {
    controlOut += c.toString();
  });
  await new Promise<void>(r => {
    const t = setInterval(() => {
      if (controlOut.includes('ready')) {
        clearInterval(t);
        r();
      }
    }, 5);
  });
  // start the window on a collected heap: the first scavenge after start-up copies everything the bench
  // loaded (tens of ms), which is the bench's own cost, not following logs (npm run bench:logs passes --expose-gc)
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise(r => setTimeout(r, 50));
  // what this thread itself spends: the longest run of our append handler, and the longest garbage
  // collection pause of this thread (the worker's own collections do not pause it)
  let longestAppend = 0,
    longestGc = 0;
  const gcKinds: string[] = [];
  const gcObserver = new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      longestGc = Math.max(longestGc, e.duration);
      if (process.env.GC_TRACE)
        gcKinds.push(
          `${String((e as unknown as { detail?: { kind?: number } }).detail?.kind)}:${e.duration.toFixed(1)}`,
        );
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  h.enable();
  const t0 = performance.now();
  const gaps: string[] = [];
  let lastTick = t0;
  const ticker = process.env.GAP_TRACE
    ? setInterval(() => {
        const n = performance.now();
        if (n - lastTick > 8) gaps.push(`${(lastTick - t0).toFixed(0)}+${(n - lastTick).toFixed(0)}`);
        lastTick = n;
      }, 1)
    : undefined;
  const follow = followLogs(
    client,
    { allocId, task: 'spew', type: 'stdout', origin: 'start', offset: 0, prefix: '', stripAnsi: true, filter: '' },
    text => {
      const a0 = performance.now();
      channelChars += text.length;
      appends++;
      if (channelChars >= lines * 100) resolveDone();
      longestAppend = Math.max(longestAppend, performance.now() - a0);
    },
    {
      workerPath: path.join(__dirname, '..', '..', 'src', 'nomad', 'logs', 'worker.js'),
      onWorkerError: e => console.error('log worker:', e),
    },
  );
  await done;
  const ms = performance.now() - t0;
  if (ticker) {
    clearInterval(ticker);
    console.log(`  gaps over 8 ms (at ms + length): ${gaps.join(' ')}`);
  }
  h.disable();
  gcObserver.disconnect();
  follow.stop();
  await follow.done;
  clearInterval(sampler);
  control.stdin.end();
  await new Promise(r => control.once('exit', r));
  await client.close();
  const idle = JSON.parse(controlOut.slice(controlOut.indexOf('{'))) as { max: number; p99: number };
  const mbs = channelChars / 1048576 / (ms / 1000); // ASCII lines: one char per byte
  console.log(
    `ours, ${label} (${follow.threaded ? 'log worker' : 'in-thread'} → channel model): ${mbs.toFixed(1)} MB/s (${(ms / 1000).toFixed(2)} s), ${appends} appends, ${(channelChars / 1048576).toFixed(0)} Mi chars`,
  );
  console.log(
    `  peak RSS ${(peakRss / 1048576).toFixed(0)} MiB (both threads); extension-host event-loop stall max ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms (goal < 10 ms)`,
  );
  console.log(
    `  control, an idle process over the same window: stall max ${idle.max.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms`,
  );
  if (process.env.GC_TRACE) console.log(`  GC (kind:ms) ${gcKinds.join(' ')}`);
  console.log(
    `  this thread's own work: longest append ${longestAppend.toFixed(2)} ms, longest GC pause ${longestGc.toFixed(2)} ms`,
  );
  return { mbs };
}

/** the replay server: answers the logs endpoint with the captured frames, then holds the stream open */
const REPLAY = `const http = require('http'); const fs = require('fs');
const data = fs.readFileSync(process.argv[1]);
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write(data); });
s.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: s.address().port })));`;

/** Captures the framed stream at `url` into a file (streamed: this process does not hold it) and serves it. */
async function startReplay(url: string): Promise<{ addr: string; bytes: number; stop(): Promise<void> }> {
  const file = path.join(os.tmpdir(), `bench-logs-replay-${process.pid}.json`);
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`capture for the replay: HTTP ${res.status}`);
  await pipeline(
    Readable.fromWeb(res.body as import('stream/web').ReadableStream<Uint8Array>),
    fs.createWriteStream(file),
  );
  const bytes = fs.statSync(file).size;
  const child = spawn(process.execPath, ['-e', REPLAY, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /"port":(\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', code => reject(new Error(`the replay server exited (${String(code)})`)));
  });
  return {
    addr: `http://127.0.0.1:${port}`,
    bytes,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
      fs.rmSync(file, { force: true });
    },
  };
}

async function main(): Promise<void> {
  const b = await backend();
  const id = `bench-logs-${process.pid}`;
  try {
    const lines = Math.ceil(TARGET / 100);
    // Nomad wants the log storage (files × size) below the group's ephemeral disk (300 MB by default)
    const fileMB = Math.max(10, Math.ceil(MB / 5));
    const job = {
      Job: {
        ID: id,
        Name: id,
        Type: 'service',
        Datacenters: ['dc1'],
        TaskGroups: [
          {
            Name: 'g',
            Count: 1,
            EphemeralDisk: { SizeMB: 10 * fileMB + 100 },
            RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60e9, Delay: 1e9 },
            Tasks: [
              {
                Name: 'spew',
                Driver: 'raw_exec',
                LogConfig: { MaxFiles: 10, MaxFileSizeMB: fileMB },
                Config: { command: '/bin/sh', args: ['-c', `yes ${LINE} | head -n ${lines}; exec sleep 3600`] },
                Resources: { CPU: 100, MemoryMB: 64 },
              },
            ],
          },
        ],
      },
    };
    const reg = await fetch(`${b.addr}/v1/jobs`, { method: 'POST', body: JSON.stringify(job) });
    if (!reg.ok) throw new Error(await reg.text());
    let allocId = '';
    for (let i = 0; i < 240 && !allocId; i++) {
      const allocs = (await (await fetch(`${b.addr}/v1/job/${id}/allocations`)).json()) as {
        ID: string;
        ClientStatus: string;
      }[];
      allocId = allocs.find(a => a.ClientStatus === 'running')?.ID ?? '';
      if (!allocId) await new Promise(r => setTimeout(r, 500));
    }
    if (!allocId) throw new Error('the task did not start');
    // wait until the task wrote everything, so every reader reads the same bytes
    for (let i = 0; i < 600; i++) {
      const files = (await (await fetch(`${b.addr}/v1/client/fs/ls/${allocId}?path=alloc/logs`)).json()) as {
        Name: string;
        Size: number;
      }[];
      const size = files.filter(f => f.Name.startsWith('spew.stdout')).reduce((n, f) => n + f.Size, 0);
      if (size >= lines * 100) break;
      await new Promise(r => setTimeout(r, 500));
    }
    console.log(`backend: ${b.kind} at ${b.addr}; ${MB} MiB of stdout in ${lines} lines`);

    // --- ours: what "Nomad: Follow Logs" runs: the log worker (follower → lines → batched appends) posting
    //     text blocks to this thread, which appends them to a channel model. Twice: live from the backend,
    //     and from a replay of the very bytes the backend sent (served from memory by another process), which
    //     takes the agent's own CPU (it encodes the stream) off this small machine ------------------------------
    const live = await followOnce(b.addr, b.token, allocId, lines, 'live from the backend');
    const replay = await startReplay(
      `${b.addr}/v1/client/fs/logs/${allocId}?task=spew&type=stdout&origin=start&offset=0`,
    );
    try {
      await followOnce(
        replay.addr,
        undefined,
        allocId,
        lines,
        `replay of the backend's ${(replay.bytes / 1048576).toFixed(0)} MiB of frames`,
      );
    } finally {
      await replay.stop();
    }
    const oursMBs = live.mbs;

    // --- the anchors: the Nomad CLI on the same allocation (follow mode, as the issue names it, and a
    //     one-shot read), else a bare curl of the framed endpoint --------------------------------------------
    const measure = async (
      cmd: string,
      args: string[],
      capMs: number,
    ): Promise<{ mbs: number; bytes: number; ms: number; capped: boolean }> => {
      const t = performance.now();
      let capped = false;
      const bytes = await new Promise<number>((resolve, reject) => {
        const p = spawn(cmd, args, {
          env: { ...process.env, NOMAD_ADDR: b.addr },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let n = 0;
        const stop = setTimeout(() => {
          capped = true;
          p.kill('SIGKILL');
        }, capMs);
        p.stdout.on('data', (c: Buffer) => {
          n += c.length;
          if (n >= lines * 100) p.kill('SIGKILL');
        });
        p.on('close', () => {
          clearTimeout(stop);
          resolve(n);
        });
        p.on('error', reject);
      });
      const ms = performance.now() - t;
      return { mbs: bytes / 1048576 / (ms / 1000), bytes, ms, capped };
    };
    const anchors: { label: string; r: Awaited<ReturnType<typeof measure>> }[] = [];
    if (cliBin && b.kind === 'real') {
      const version = execSync(`${cliBin} version`, { encoding: 'utf8' }).split('\n')[0];
      anchors.push({
        label: `nomad alloc logs -f (${version}), capped at 30 s`,
        r: await measure(cliBin, ['alloc', 'logs', '-f', allocId, 'spew'], 30_000),
      });
      anchors.push({
        label: `nomad alloc logs, no -f (${version}): one-shot read`,
        r: await measure(cliBin, ['alloc', 'logs', allocId, 'spew'], 300_000),
      });
    } else {
      // frames are base64 JSON: about 4/3 of the log bytes cross the wire
      anchors.push({
        label: 'curl of the framed endpoint (no Nomad CLI with this backend)',
        r: await measure(
          'curl',
          ['-sN', `${b.addr}/v1/client/fs/logs/${allocId}?task=spew&type=stdout&follow=true&origin=start&offset=0`],
          300_000,
        ),
      });
    }
    for (const a of anchors) {
      console.log(
        `anchor: ${a.label}: ${a.r.mbs.toFixed(2)} MB/s (${(a.r.bytes / 1048576).toFixed(1)} MiB in ${(a.r.ms / 1000).toFixed(2)} s${a.r.capped ? ', stopped at the cap' : ''})`,
      );
      console.log(`  ratio ours / anchor: ${(oursMBs / a.r.mbs).toFixed(2)}x (goal ≥ 1)`);
    }
  } finally {
    await fetch(`${b.addr}/v1/job/${id}?purge=true`, { method: 'DELETE' }).catch(() => undefined);
    await b.stop();
  }
}
main().catch(e => {
  console.error(e);
  process.exit(1);
});
