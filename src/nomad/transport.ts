// HTTP plumbing shared by the Nomad and Consul clients: one keep-alive undici Agent per
// connection, TLS from files, a per-request deadline, caller cancellation and typed errors.

import { Agent, request } from 'undici';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { TlsOptions } from './config';
import { NomadError, httpError, transportError } from './errors';

export interface FileReader {
  readFile(p: string): Buffer;
  /** Regular files directly inside a directory (full paths). */
  listDir(p: string): string[];
}

export const nodeFiles: FileReader = {
  readFile: p => fs.readFileSync(p),
  listDir: p =>
    fs
      .readdirSync(p, { withFileTypes: true })
      .filter(e => e.isFile())
      .map(e => path.join(p, e.name)),
};

export interface TransportOptions {
  service: 'Nomad' | 'Consul';
  address: string;
  tls?: TlsOptions;
  /** Header name → value added to every request (e.g. the token). */
  headers?: Record<string, string>;
  /** Values that must never show in an error message. */
  secrets?: (string | undefined)[];
  /** Default deadline for a request, headers and body, in ms. */
  timeoutMs?: number;
  files?: FileReader;
  /** Called (once per failure) when a request did not reach the server: refused, reset, timed out. */
  onUnreachable?: (err: NomadError) => void;
}

export type Query = Record<string, string | number | boolean | undefined | readonly string[]>;

export interface SendOptions {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the transport's deadline; 0 disables it. */
  timeoutMs?: number;
}

export interface StreamOptions extends SendOptions {
  /** Fail if no bytes arrive for this long once streaming (Nomad sends heartbeats). */
  idleTimeoutMs?: number;
}

export interface JsonResponse<T> {
  body: T;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface OpenStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
  /** Stop reading and release the connection. */
  close(): void;
}

/** Build the undici connect options from TLS settings (reads the files now, once). */
export function tlsConnectOptions(tls: TlsOptions | undefined, files: FileReader): Record<string, unknown> {
  if (!tls) return {};
  const out: Record<string, unknown> = {};
  const cas: Buffer[] = [];
  if (tls.caCert) cas.push(files.readFile(tls.caCert));
  if (tls.caPath) for (const f of files.listDir(tls.caPath).sort()) cas.push(files.readFile(f));
  if (cas.length) out['ca'] = cas;
  if (tls.clientCert) out['cert'] = files.readFile(tls.clientCert);
  if (tls.clientKey) out['key'] = files.readFile(tls.clientKey);
  if (tls.tlsServerName) out['servername'] = tls.tlsServerName;
  if (tls.skipVerify) out['rejectUnauthorized'] = false;
  return out;
}

export function buildUrl(base: string, p: string, query: Query | undefined): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) qs.append(k, item);
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return base.replace(/\/+$/, '') + p + (s ? `?${s}` : '');
}

export class HttpTransport {
  readonly address: string;
  private agent: Agent | undefined;
  /** the TLS connect options the agent was made with (read from the files once) */
  private connect: Record<string, unknown> | undefined;
  private tlsError: unknown;
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
    this.address = opts.address.replace(/\/+$/, '');
  }

  private dispatcher(): Agent {
    if (this.tlsError) throw this.tlsError;
    if (!this.agent) {
      try {
        this.connect = tlsConnectOptions(this.opts.tls, this.opts.files ?? nodeFiles);
      } catch (e) {
        this.tlsError = e;
        throw e;
      }
      this.agent = new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        connect: this.connect,
        connections: 32,
      });
    }
    return this.agent;
  }

  /**
   * A TLS 1.3 server that refuses the client's certificate (or wants one) says so in an alert that undici
   * does not pass on: the request fails as "other side closed". For an https address, a closed socket is
   * then looked at once more with a bare TLS connection and the same settings, which does read the alert;
   * its error (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, …_BAD_CERTIFICATE …) replaces the socket error.
   * Anything else (the probe succeeds, or fails without a TLS code) leaves the original error.
   */
  private async handshakeCause(e: unknown): Promise<unknown> {
    const code = (e as { code?: unknown } | null)?.code;
    if (!/^https:/i.test(this.address) || (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET' && code !== 'EPIPE'))
      return e;
    // the options the failed request connected with (its dispatcher was made before it was sent)
    const connect = this.connect;
    let url: URL;
    try {
      url = new URL(this.address);
    } catch {
      return e;
    }
    if (!connect) return e;
    const found = await new Promise<unknown>(resolve => {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const socket = tls.connect({
        host,
        port: Number(url.port || 443),
        ...(net.isIP(host) ? {} : { servername: host }),
        ...connect,
        ALPNProtocols: ['http/1.1'],
      });
      const done = (v: unknown): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve(v);
      };
      const timer = setTimeout(() => done(undefined), 3000);
      socket.once('secureConnect', () =>
        socket.write(`GET /v1/status/leader HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`),
      );
      socket.once('data', () => done(undefined));
      socket.once('error', err => done(err));
      socket.once('end', () => done(undefined));
    });
    const probeCode = (found as { code?: unknown } | undefined)?.code;
    return typeof probeCode === 'string' &&
      (probeCode.startsWith('ERR_SSL_') || probeCode.startsWith('ERR_TLS_') || probeCode.includes('CERT'))
      ? found
      : e;
  }

  private ctx(method: string, p: string) {
    return {
      service: this.opts.service,
      address: this.address,
      method,
      path: p,
      secrets: this.opts.secrets ?? [],
      clientCertificate: !!this.opts.tls?.clientCert,
      ...(this.opts.tls?.tlsServerName ? { serverName: this.opts.tls.tlsServerName } : {}),
    };
  }

  /** Send a request; on 2xx return the raw stream, otherwise throw a classified NomadError. */
  async open(o: StreamOptions): Promise<OpenStream> {
    const timeoutMs = o.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    if (o.signal?.aborted)
      throw new NomadError({
        kind: 'cancelled',
        message: 'Request cancelled',
        service: this.opts.service,
        method: o.method,
        path: o.path,
      });
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    const headers: Record<string, string> = { ...(this.opts.headers ?? {}) };
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    let res: Awaited<ReturnType<typeof request>>;
    try {
      const url = buildUrl(this.address, o.path, o.query);
      res = await request(url, {
        method: o.method,
        headers,
        body,
        signal: controller.signal,
        dispatcher: this.dispatcher(),
        headersTimeout: 0,
        bodyTimeout: o.idleTimeoutMs ?? 0,
      });
    } catch (e) {
      cleanup();
      const why = timedOut || o.signal?.aborted ? e : await this.handshakeCause(e);
      throw this.unreachable(
        transportError(why, {
          ...this.ctx(o.method, o.path),
          timedOut,
          cancelled: !timedOut && !!o.signal?.aborted,
          timeoutMs,
        }),
      );
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      let text = '';
      try {
        text = await readLimited(res.body, 64 * 1024);
      } catch {
        /* the status is enough */
      }
      cleanup();
      throw httpError(res.statusCode, text, {
        ...this.ctx(o.method, o.path),
        location: headerValue(res.headers as Record<string, string | string[] | undefined>, 'location'),
      });
    }
    // The deadline covered connecting and the headers; a stream then lives until closed or idle.
    if (timer) clearTimeout(timer);
    const ctx = this.ctx(o.method, o.path);
    const unreachable = (e: NomadError): NomadError => this.unreachable(e);
    async function* iterate(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of res.body) yield chunk as Buffer;
      } catch (e) {
        throw unreachable(
          transportError(e, {
            ...ctx,
            timedOut,
            cancelled: !timedOut && !!o.signal?.aborted,
            timeoutMs: o.idleTimeoutMs ?? timeoutMs,
          }),
        );
      } finally {
        cleanup();
      }
    }
    return {
      status: res.statusCode,
      headers: res.headers as Record<string, string | string[] | undefined>,
      body: iterate(),
      close: () => {
        controller.abort();
        res.body.destroy();
        cleanup();
      },
    };
  }

  /** Send a JSON request and parse the JSON answer; the deadline covers the whole exchange. */
  async json<T>(o: SendOptions): Promise<JsonResponse<T>> {
    const s = await this.open({ ...o, idleTimeoutMs: 0 });
    const timeoutMs = o.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
            s.close();
          }, timeoutMs)
        : undefined;
    let text: string;
    try {
      const parts: Buffer[] = [];
      for await (const c of s.body) parts.push(c);
      text = Buffer.concat(parts).toString('utf8');
    } catch (e) {
      if (timedOut)
        throw transportError(e, { ...this.ctx(o.method, o.path), timedOut: true, cancelled: false, timeoutMs });
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (timedOut)
      throw transportError(new Error('timeout'), {
        ...this.ctx(o.method, o.path),
        timedOut: true,
        cancelled: false,
        timeoutMs,
      });
    let body: T;
    try {
      body = (text.trim() === '' ? null : JSON.parse(text)) as T;
    } catch (e) {
      throw new NomadError({
        kind: 'protocol',
        service: this.opts.service,
        method: o.method,
        path: o.path,
        status: s.status,
        message: `${this.opts.service} answered ${o.method} ${o.path} with invalid JSON`,
        cause: e,
      });
    }
    return { body, status: s.status, headers: s.headers };
  }

  /** Tell the owner that the server could not be reached; returns the error to throw. */
  private unreachable(e: NomadError): NomadError {
    if (e.kind === 'connectionRefused' || e.kind === 'network' || e.kind === 'timeout') {
      try {
        this.opts.onUnreachable?.(e);
      } catch {
        /* the owner's trouble, not this request's */
      }
    }
    return e;
  }

  async close(): Promise<void> {
    const a = this.agent;
    this.agent = undefined;
    if (a) await a.close();
  }
}

async function readLimited(body: AsyncIterable<unknown> & { destroy?: () => void }, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    const b = c as Buffer;
    parts.push(b);
    n += b.length;
    if (n >= limit) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, limit).toString('utf8');
}

export function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
