// The Nomad double's exec socket: GET /v1/client/allocation/:id/exec upgraded to a websocket, with
// the frames Nomad 1.6.5 uses (see src/nomad/exec.ts). Test-only code.
//
// Like Nomad, the socket is upgraded first and a refusal arrives as a close frame (1008 with Nomad's
// text; 1011 for internal errors). The command runs in the task's directory with the task's
// environment (as raw_exec does: no isolation).
//   tty=false  the command is spawned with pipes: stdout and stderr frames are separate. As on a real
//              agent (seen with raw_exec on 1.6.5), the end of the session (the close frames and the exit
//              code) waits until the client has closed stdin, even when the command ended before.
//   tty=true   the command runs under util-linux `script` (a real pseudo-terminal: echo, line editing,
//              Ctrl+C as SIGINT, Ctrl+D as end of input, output on stdout only with \r\n). A tty_size
//              frame is applied to that terminal with `stty -F <tty> rows H cols W`, so `stty size`
//              and SIGWINCH behave as on a real agent (once the shell has reported its tty name).
// The command runs in "/" (as seen with raw_exec on a real 1.6.5 agent), with the task's environment.
// A mock_driver task has no exec ("task driver does not support exec"), as a driver without it.
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AllocRunner } from './runner';

export interface ExecTaskInfo {
  /** undefined: the allocation is unknown */
  alloc?: { ID: string; Namespace: string };
  /** the task's state, e.g. 'running', 'pending', 'dead'; undefined: no such task */
  state?: string;
  /** the task has been started at least once */
  started?: boolean;
  driver?: string;
  cwd?: string;
  env?: Record<string, string>;
}

export interface ExecDoubleContext {
  /** true when the token may exec (always true without ACLs) */
  authorized(token: string | undefined): boolean;
  task(allocId: string, task: string): ExecTaskInfo;
  /** sessions opened so far (tests and benchmarks read it) */
  onSession?(s: { allocId: string; task: string; command: string[]; tty: boolean }): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Server side of RFC 6455, just enough for the exec socket: text/close/ping frames, masked input. */
class ServerSocket {
  private buf = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closed = false;
  onText: (text: string) => void = () => undefined;
  onClose: () => void = () => undefined;

  constructor(private readonly sock: Duplex) {
    sock.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.parse();
    });
    sock.on('close', () => this.gone());
    sock.on('error', () => this.gone());
  }

  private gone(): void {
    if (!this.closed) {
      this.closed = true;
      this.onClose();
    }
  }

  private parse(): void {
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0,
        op = b[0]! & 0x0f,
        masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f,
        off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      const maskOff = off;
      if (masked) off += 4;
      if (b.length < off + len) return;
      const payload = Buffer.from(b.subarray(off, off + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= b[maskOff + (i % 4)]!;
      this.buf = b.subarray(off + len);
      if (op === 0x8) {
        this.close(1000, '');
        this.gone();
        return;
      }
      if (op === 0x9) {
        this.frame(0xa, payload);
        continue;
      }
      if (op === 0xa) continue;
      this.fragments.push(payload);
      if (fin) {
        const all = Buffer.concat(this.fragments);
        this.fragments = [];
        this.onText(all.toString('utf8'));
      }
    }
  }

  private frame(op: number, payload: Buffer): void {
    if (this.closed || this.sock.destroyed) return;
    const n = payload.length;
    const head =
      n < 126
        ? Buffer.from([0x80 | op, n])
        : n < 65536
          ? Buffer.from([0x80 | op, 126, n >> 8, n & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x80 | op;
              h[1] = 127;
              h.writeBigUInt64BE(BigInt(n), 2);
              return h;
            })();
    this.sock.write(Buffer.concat([head, payload]));
  }

  send(obj: unknown): void {
    this.frame(0x1, Buffer.from(JSON.stringify(obj), 'utf8'));
  }

  close(code: number, reason: string): void {
    if (this.closed || this.sock.destroyed) return;
    const r = Buffer.from(reason, 'utf8').subarray(0, 120);
    const p = Buffer.alloc(2 + r.length);
    p.writeUInt16BE(code, 0);
    r.copy(p, 2);
    this.frame(0x8, p);
    this.closed = true;
    this.sock.end();
    setTimeout(() => this.sock.destroy(), 1000).unref();
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Handles an `upgrade` request; returns false when the path is not the exec socket. */
export function handleExecUpgrade(req: http.IncomingMessage, sock: Duplex, ctx: ExecDoubleContext): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = /^\/v1\/client\/allocation\/([^/]+)\/exec\/?$/.exec(url.pathname);
  const key = req.headers['sec-websocket-key'];
  if (!m || typeof key !== 'string') return false;
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  sock.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  const ws = new ServerSocket(sock);
  const allocId = decodeURIComponent(m[1]!);
  const task = url.searchParams.get('task') ?? '';
  const tty = url.searchParams.get('tty') === 'true';
  let command: string[];
  try {
    command = JSON.parse(url.searchParams.get('command') ?? '') as string[];
  } catch {
    ws.close(1011, 'failed to marshal command into json');
    return true;
  }
  const token = req.headers['x-nomad-token'] as string | undefined;
  if (!ctx.authorized(token)) {
    ws.close(1008, 'Permission denied');
    return true;
  }
  if (!task) {
    ws.close(1008, 'missing task name');
    return true;
  }
  if (!Array.isArray(command) || !command.length) {
    ws.close(1008, 'command is not present');
    return true;
  }
  const info = ctx.task(allocId, task);
  if (!info.alloc) {
    ws.close(1008, `Unknown allocation "${allocId}"`);
    return true;
  }
  // the driver lookup comes first on a real agent: "task not found" (500 → 1011)
  if (info.state === undefined) {
    ws.close(1011, 'task not found');
    return true;
  }
  if (!info.started) {
    ws.close(1008, `task "${task}" not started yet.`);
    return true;
  }
  if (info.state !== 'running') {
    ws.close(1008, `task "${task}" is not running.`);
    return true;
  }
  if (info.driver === 'mock_driver') {
    ws.close(1011, 'task driver does not support exec');
    return true;
  }
  ctx.onSession?.({ allocId, task, command, tty });
  runSession(ws, command, tty, info);
  return true;
}

function runSession(ws: ServerSocket, command: string[], tty: boolean, info: ExecTaskInfo): void {
  const env = { ...process.env, ...(info.env ?? {}) } as NodeJS.ProcessEnv;
  let ttyFile: string | undefined, ttyDir: string | undefined, ttyName: string | undefined;
  let proc: ChildProcess;
  try {
    if (tty) {
      ttyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-double-exec-'));
      ttyFile = path.join(ttyDir, 'tty');
      const inner = `tty > ${quote(ttyFile)}; exec ${command.map(quote).join(' ')}`;
      proc = spawn('script', ['-qfec', inner, '/dev/null'], {
        cwd: info.cwd,
        env: { ...env, TERM: env.TERM ?? 'xterm-256color', SHELL: '/bin/sh' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } else {
      proc = spawn(command[0]!, command.slice(1), { cwd: info.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    }
  } catch (e) {
    ws.close(1011, `failed to exec into task: ${(e as Error).message}`);
    return;
  }
  // frames are handled in order, as the agent does: input after a resize reaches the command once
  // the new size is in place
  let queue: Promise<void> = Promise.resolve();
  const inOrder = (fn: () => Promise<void> | void) => {
    queue = queue.then(fn).catch(() => undefined);
  };
  const applySize = async (h: number, w: number) => {
    for (let i = 0; !ttyName && ttyFile && i < 250; i++) {
      try {
        ttyName = fs.readFileSync(ttyFile, 'utf8').trim() || undefined;
      } catch {
        /* not yet */
      }
      if (!ttyName) await new Promise(r => setTimeout(r, 20));
    }
    if (!ttyName) return;
    await new Promise<void>(r => execFile('stty', ['-F', ttyName!, 'rows', String(h), 'cols', String(w)], () => r()));
  };
  let ended = false;
  let stdinClosed = tty;
  let finish: (() => void) | undefined;
  proc.stdout!.on('data', (c: Buffer) => ws.send({ stdout: { data: c.toString('base64') } }));
  proc.stderr!.on('data', (c: Buffer) => ws.send({ stderr: { data: c.toString('base64') } }));
  proc.stdin!.on('error', () => undefined);
  proc.once('error', e => {
    if (ended) return;
    ended = true;
    ws.close(1011, `failed to exec into task: ${e.message}`);
  });
  proc.once('close', (code, signal) => {
    if (ended) return;
    ended = true;
    if (ttyDir) fs.rmSync(ttyDir, { recursive: true, force: true });
    finish = () => {
      ws.send({ stdout: { close: true } });
      ws.send({ stderr: { close: true } });
      ws.send({
        exited: true,
        result: { exit_code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 0) },
      });
      ws.close(1000, '');
    };
    if (stdinClosed) finish();
  });
  ws.onText = text => {
    let f: { stdin?: { data?: string; close?: boolean }; tty_size?: { height?: number; width?: number } };
    try {
      f = JSON.parse(text) as typeof f;
    } catch {
      return;
    }
    const data = f.stdin?.data;
    if (data)
      inOrder(() => {
        proc.stdin!.write(Buffer.from(data, 'base64'));
      });
    if (f.stdin?.close)
      inOrder(() => {
        proc.stdin!.end();
        stdinClosed = true;
        if (finish) {
          const fn = finish;
          finish = undefined;
          fn();
        }
      });
    const size = f.tty_size;
    if (size && tty && size.height && size.width) inOrder(() => applySize(size.height!, size.width!));
  };
  // the client went away: the command is ended, as Nomad does when the stream closes
  ws.onClose = () => {
    if (!ended) {
      try {
        proc.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
}

/** What the exec socket needs to know about a task of the double's runner. */
export function execTaskInfo(
  alloc: { ID: string; Namespace: string } | undefined,
  runner: AllocRunner | undefined,
  task: string,
): ExecTaskInfo {
  if (!alloc) return {};
  const st = runner?.states[task];
  const t = (runner?.group.Tasks as Array<{ Name: string; Driver: string }> | undefined)?.find(x => x.Name === task);
  if (!st || !t || !runner) return { alloc };
  return {
    alloc,
    state: st.State,
    started: !!st.StartedAt,
    driver: t.Driver,
    cwd: '/',
    env: runner.taskEnv(t),
  };
}
