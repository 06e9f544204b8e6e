// bench/exec: the round trip of one keystroke through "Open Shell in Task" — a byte sent as a stdin
// frame over Nomad's exec websocket to a task's terminal, echoed by the terminal and back as a stdout
// frame — measured with the extension's own client (src/nomad/exec.ts), 300 keystrokes one after the
// other into `cat` under a tty. Beside it, the same keystrokes through `nomad alloc exec -t` (the Nomad
// CLI in a pseudo-terminal driven by python3's pty module) when a Nomad binary is at hand.
//   npm run bench:exec          (NOMAD_BIN / NOMAD_ADDR for a real agent, else the double)
//   N=1000 npm run bench:exec   more keystrokes
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ExecSession } from '../../src/nomad/exec';
import { startBackend } from '../../test/contract/backend';
import { until } from '../../test/contract/http';
import * as J from '../../test/contract/jobs';

const N = Number(process.env.N ?? 300);
const WARMUP = 20;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(2)} ms · p95 ${q(0.95).toFixed(2)} ms · max ${s[s.length - 1]!.toFixed(2)} ms (n=${s.length})`;
}

async function ours(addr: string, token: string | undefined, allocId: string): Promise<number[]> {
  let out = '';
  let waiter: { ch: string; from: number; resolve: () => void } | undefined;
  let session!: ExecSession;
  const opened = new Promise<void>((resolve, reject) => {
    const s = new ExecSession(
      { address: addr, ...(token ? { token } : {}) },
      { allocId, task: 't', command: ['/bin/cat'], tty: true },
      {
        onOpen: () => resolve(),
        onOutput: (_k, d) => {
          out += d.toString('latin1');
          if (waiter && out.indexOf(waiter.ch, waiter.from) >= 0) {
            const w = waiter;
            waiter = undefined;
            w.resolve();
          }
        },
        onExit: () => undefined,
        onFailure: f => reject(new Error(f.message)),
      },
    );
    session = s;
  });
  await opened;
  session.resize(120, 40);
  const times: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    const from = out.length;
    const t0 = performance.now();
    await new Promise<void>(resolve => {
      waiter = { ch, from, resolve };
      session.write(ch);
    });
    if (i >= WARMUP) times.push(performance.now() - t0);
    if (i % 60 === 59) {
      session.write('\r');
      await new Promise(r => setTimeout(r, 20));
    }
  }
  session.write('\u0004');
  session.close();
  return times;
}

/** The Nomad CLI in a pty: python3 writes one byte, waits for its echo, and prints the times. */
const CLI_DRIVER = String.raw`
import os, pty, sys, time, select, json
args = json.loads(sys.argv[1]); n = int(sys.argv[2]); warm = int(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(args[0], args, os.environ)
buf = b''
def wait_for(b, deadline):
    global buf
    while b not in buf:
        r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
        if not r: raise SystemExit('timeout waiting for echo')
        buf += os.read(fd, 65536)
time.sleep(3); 
try:
    while True:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r: break
        buf += os.read(fd, 65536)
except OSError: pass
times = []
for i in range(n + warm):
    ch = bytes([97 + i % 26]); buf = b''
    t0 = time.perf_counter(); os.write(fd, ch); wait_for(ch, time.time() + 30)
    if i >= warm: times.append((time.perf_counter() - t0) * 1000)
    if i % 60 == 59: os.write(fd, b'\r'); time.sleep(0.02)
os.write(fd, b'\x04'); print(json.dumps(times))
`;

function cli(bin: string, addr: string, token: string | undefined, allocId: string): number[] | string {
  const driver = path.join(os.tmpdir(), `bench-exec-driver-${process.pid}.py`);
  fs.writeFileSync(driver, CLI_DRIVER);
  try {
    const r = spawnSync(
      'python3',
      [
        driver,
        JSON.stringify([bin, 'alloc', 'exec', '-address', addr, '-task', 't', '-t=true', allocId, '/bin/cat']),
        String(N),
        String(WARMUP),
      ],
      {
        env: { ...process.env, ...(token ? { NOMAD_TOKEN: token } : {}) },
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    if (r.status !== 0) return `the CLI run failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 300)}`;
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(line.slice(line.indexOf('['))) as number[];
  } finally {
    fs.rmSync(driver, { force: true });
  }
}

async function main(): Promise<void> {
  const b = await startBackend();
  try {
    const id = `bench-exec-${process.pid}`;
    await b.api.post('/v1/jobs', { Job: J.sleeper(id) });
    const alloc = await until(
      'a running task',
      async () => {
        const list: Array<{ ID: string; TaskStates?: Record<string, { State: string }> }> = await b.api.get(
          `/v1/job/${id}/allocations`,
        );
        return list.find(a => a.TaskStates?.['t']?.State === 'running');
      },
      120_000,
    );
    console.log(`bench:exec — ${N} keystrokes into cat under a tty, one at a time; backend: ${b.kind} ${b.addr}`);
    console.log(`  ours (src/nomad/exec.ts, websocket):   ${stats(await ours(b.addr, b.token, alloc.ID))}`);
    const bin = process.env.NOMAD_BIN ?? '';
    if (bin && b.kind === 'real') {
      const t = cli(bin, b.addr, b.token, alloc.ID);
      console.log(`  nomad alloc exec -t (the CLI, in a pty): ${typeof t === 'string' ? t : stats(t)}`);
    } else console.log('  nomad alloc exec -t: skipped (needs a real agent and NOMAD_BIN)');
    await b.api.raw('DELETE', `/v1/job/${id}?purge=true`);
  } finally {
    await b.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
