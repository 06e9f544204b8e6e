// A command in a running task, over Nomad's exec websocket (GET /v1/client/allocation/:id/exec,
// upgraded). Pure: no `vscode` import. The token travels in the X-Nomad-Token header of the upgrade
// request, never in the URL; TLS comes from the same settings as every other request.
//
// Protocol (Nomad 1.6.5, api/allocations.go and command/agent/alloc_endpoint.go):
//   query      task=<name>&command=<JSON array>&tty=<bool>   (+ namespace/region like other requests)
//   client →   {"stdin":{"data":"<base64>"}}  {"stdin":{"close":true}}  {"tty_size":{"height":H,"width":W}}
//              {} every 10 s as a heartbeat
//   server →   {"stdout":{"data":"<base64>"}}  {"stderr":{"data":"<base64>"}}  ({"stdout":{"close":true}})
//              {"exited":true,"result":{"exit_code":N}}   then a normal close
//   failures   the socket is upgraded first; an error then arrives as a close frame: code 1008 (any
//              coded error but 500) or 1011 (500), with Nomad's error text as the reason.

import { Agent, WebSocket } from 'undici';
import type { TlsOptions } from './config';
import { nodeFiles, tlsConnectOptions, type FileReader } from './transport';
import { pathSegment } from './display';

// ---- frames --------------------------------------------------------------------------------------

export const HEARTBEAT_FRAME = '{}';
export const HEARTBEAT_MS = 10_000;

export function stdinFrame(data: Uint8Array | string): string {
  const b =
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return JSON.stringify({ stdin: { data: b.toString('base64') } });
}

export function stdinCloseFrame(): string {
  return JSON.stringify({ stdin: { close: true } });
}

/** A terminal size frame; sizes are whole, positive numbers (Nomad omits zeros). */
export function resizeFrame(columns: number, rows: number): string {
  const w = Math.max(1, Math.floor(columns)),
    h = Math.max(1, Math.floor(rows));
  return JSON.stringify({ tty_size: { height: h, width: w } });
}

export type ExecOutput =
  | { kind: 'stdout' | 'stderr'; data: Buffer; close: boolean }
  | { kind: 'exited'; exitCode: number }
  | { kind: 'heartbeat' };

/** Decodes one server frame; throws on text that is not a frame. */
export function decodeOutput(text: string): ExecOutput {
  const f = JSON.parse(text) as Record<string, unknown> | null;
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new Error('exec frame is not an object');
  for (const kind of ['stdout', 'stderr'] as const) {
    const op = f[kind] as { data?: unknown; close?: unknown } | undefined;
    if (op && typeof op === 'object') {
      const data = typeof op.data === 'string' ? Buffer.from(op.data, 'base64') : Buffer.alloc(0);
      return { kind, data, close: op.close === true };
    }
  }
  if (f['exited'] === true) {
    const r = f['result'] as { exit_code?: unknown } | undefined;
    const code = r && typeof r.exit_code === 'number' ? r.exit_code : 0;
    return { kind: 'exited', exitCode: code };
  }
  return { kind: 'heartbeat' };
}

// ---- why a session ended without an exit code ------------------------------------------------------

export type ExecFailureKind =
  'unauthorized' | 'notRunning' | 'noExec' | 'unknownTask' | 'notFound' | 'connection' | 'server';

export interface ExecFailure {
  kind: ExecFailureKind;
  message: string;
  closeCode?: number;
}

/** Turns a close frame (or a failed upgrade) into something a person can act on. `reason` is
 *  Nomad's text and untrusted: callers show it through display.ts. */
export function classifyClose(code: number, reason: string, task: string): ExecFailure {
  const r = reason.trim();
  const low = r.toLowerCase();
  const base = { closeCode: code };
  if (/permission denied|acl token not found|token not found|unauthorized/.test(low)) {
    return {
      ...base,
      kind: 'unauthorized',
      message: `The cluster refused the ACL token for exec in task "${task}": it needs the alloc-exec capability in the allocation's namespace (and alloc-node-exec for drivers without isolation, like raw_exec).`,
    };
  }
  if (/not started yet|is not running|task .* not running/.test(low)) {
    return { ...base, kind: 'notRunning', message: `Task "${task}" is not running, so no command can run in it.` };
  }
  if (/does not support exec|not support exec/.test(low)) {
    return {
      ...base,
      kind: 'noExec',
      message: `The driver of task "${task}" does not support exec (raw_exec, exec and docker do).`,
    };
  }
  // Nomad 1.6.5: an unknown task fails the driver lookup first ("task not found", 500)
  if (/unknown task name|^task not found/.test(low))
    return { ...base, kind: 'unknownTask', message: `The allocation has no task "${task}".` };
  if (/unknown allocation|alloc.*not found|no path to node|node .* not found/.test(low)) {
    return {
      ...base,
      kind: 'notFound',
      message: 'The allocation is unknown to the cluster (or its node cannot be reached).',
    };
  }
  if (code === 1006 || code === 0)
    return {
      ...base,
      kind: 'connection',
      message: r
        ? `The exec connection failed: ${r}`
        : 'The exec connection failed (or was closed) before the command ended.',
    };
  return {
    ...base,
    kind: 'server',
    message: r
      ? `Nomad ended the exec session: ${r}`
      : `Nomad closed the exec session (code ${code}) before the command ended.`,
  };
}

// ---- the session ------------------------------------------------------------------------------------

export interface ExecTarget {
  allocId: string;
  task: string;
  command: readonly string[];
  tty: boolean;
  namespace?: string;
  region?: string;
}

export interface ExecConnection {
  address: string;
  tls?: TlsOptions;
  token?: string;
  /** "user:pass" (NOMAD_HTTP_AUTH) */
  httpAuth?: string;
  files?: FileReader;
  userAgent?: string;
}

/** The websocket URL (ws/wss from http/https); no token in it. */
export function execUrl(address: string, t: ExecTarget): string {
  const base = address.replace(/\/+$/, '').replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`);
  const q = new URLSearchParams();
  q.set('task', t.task);
  q.set('command', JSON.stringify(t.command));
  q.set('tty', String(t.tty));
  if (t.namespace) q.set('namespace', t.namespace);
  if (t.region) q.set('region', t.region);
  return `${base}/v1/client/allocation/${pathSegment(t.allocId)}/exec?${q.toString()}`;
}

export interface ExecHandlers {
  onOpen?(): void;
  onOutput(kind: 'stdout' | 'stderr', data: Buffer): void;
  /** Exactly one of onExit / onFailure is called, once. */
  onExit(exitCode: number): void;
  onFailure(f: ExecFailure): void;
}

type Phase = 'connecting' | 'open' | 'ended';

/** One exec session. Input sent before the socket opens is queued. */
export class ExecSession {
  private ws: WebSocket;
  private agent: Agent;
  private phase: Phase = 'connecting';
  private queue: string[] = [];
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    conn: ExecConnection,
    readonly target: ExecTarget,
    h: ExecHandlers,
  ) {
    this.agent = new Agent({ connect: tlsConnectOptions(conn.tls, conn.files ?? nodeFiles) });
    const headers: Record<string, string> = { 'user-agent': conn.userAgent ?? 'nomad-vscode' };
    if (conn.token) headers['x-nomad-token'] = conn.token;
    if (conn.httpAuth) headers['authorization'] = `Basic ${Buffer.from(conn.httpAuth).toString('base64')}`;
    this.ws = new WebSocket(execUrl(conn.address, target), { dispatcher: this.agent, headers });
    this.ws.binaryType = 'arraybuffer';
    this.ws.addEventListener('open', () => {
      if (this.phase !== 'connecting') return;
      this.phase = 'open';
      for (const f of this.queue.splice(0)) this.ws.send(f);
      this.heartbeat = setInterval(() => this.sendRaw(HEARTBEAT_FRAME), HEARTBEAT_MS);
      this.heartbeat.unref?.();
      h.onOpen?.();
    });
    this.ws.addEventListener('message', ev => {
      if (this.phase === 'ended') return;
      const data: unknown = ev.data;
      const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
      let out: ExecOutput;
      try {
        out = decodeOutput(text);
      } catch {
        return;
      }
      if (out.kind === 'stdout' || out.kind === 'stderr') {
        if (out.data.length) h.onOutput(out.kind, out.data);
      } else if (out.kind === 'exited') {
        this.end();
        h.onExit(out.exitCode);
      }
    });
    this.ws.addEventListener('close', ev => {
      this.cleanup();
      if (this.phase === 'ended') return;
      this.end();
      h.onFailure(classifyClose(ev.code, ev.reason, target.task));
    });
    this.ws.addEventListener('error', () => {
      /* a close event follows with the code */
    });
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  private sendRaw(frame: string): void {
    if (this.phase === 'connecting') this.queue.push(frame);
    else if (this.phase === 'open' && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  write(data: Uint8Array | string): void {
    this.sendRaw(stdinFrame(data));
  }
  closeStdin(): void {
    this.sendRaw(stdinCloseFrame());
  }
  resize(columns: number, rows: number): void {
    if (columns > 0 && rows > 0) this.sendRaw(resizeFrame(columns, rows));
  }

  private end(): void {
    this.phase = 'ended';
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.queue = [];
  }

  private cleaned = false;
  private cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    void this.agent.close().catch(() => undefined);
  }

  /** Close the socket (the task's command is ended by Nomad when its input goes away). */
  close(): void {
    this.end();
    try {
      if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    } catch {
      /* already closing */
    }
    if (this.ws.readyState === WebSocket.CLOSED) this.cleanup();
  }
}
