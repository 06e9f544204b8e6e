// A small HTTP helper for the contract suite and the capture script. It speaks to a Nomad agent (real or
// the double) with node:http only, so the tests do not depend on the extension's client while that is
// being written. Switch to `NomadClient` from src/nomad/client.ts once it exists.
import * as http from 'node:http';
import * as https from 'node:https';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** the parsed body when it is JSON, else undefined */
  json: any;
  /** X-Nomad-Index as a number (0 when absent) */
  index: number;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** abort after this many ms (default 120 s) */
  timeoutMs?: number;
  /** for an `https` address: the CA, the client certificate and key (PEM text), the name to verify */
  tls?: TlsMaterial;
}

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
}

export function call(addr: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const url = new URL(path, addr);
  const payload =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(
      url,
      {
        method,
        ...(url.protocol === 'https:'
          ? { ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key, servername: opts.tls?.servername }
          : {}),
        headers: {
          ...(opts.token ? { 'X-Nomad-Token': opts.token } : {}),
          ...(payload !== undefined
            ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
            : {}),
        },
        timeout: opts.timeoutMs ?? 120_000,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
            index: Number(res.headers['x-nomad-index'] ?? 0),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A client bound to one agent: `c.get('/v1/jobs')`, throwing on non-2xx unless `okStatuses` says otherwise. */
export class Api {
  constructor(
    readonly addr: string,
    readonly token?: string,
    readonly tls?: TlsMaterial,
  ) {}
  raw(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Reply> {
    return call(this.addr, method, path, { token: this.token, body, timeoutMs, tls: this.tls });
  }
  async get(path: string): Promise<any> {
    return ok(await this.raw('GET', path), 'GET', path);
  }
  async post(path: string, body?: unknown): Promise<any> {
    return ok(await this.raw('POST', path, body ?? {}), 'POST', path);
  }
  async put(path: string, body?: unknown): Promise<any> {
    return ok(await this.raw('PUT', path, body ?? {}), 'PUT', path);
  }
  async del(path: string): Promise<any> {
    return ok(await this.raw('DELETE', path), 'DELETE', path);
  }
}

function ok(r: Reply, method: string, path: string): any {
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} -> ${r.status}: ${r.text}`);
  return r.json;
}

export interface Stream {
  /** all bytes received so far */
  bytes(): Buffer;
  /** resolves when the server ends the response or `close()` is called */
  done: Promise<void>;
  status: Promise<number>;
  close(): void;
}

/** Opens a long-lived GET and collects its raw bytes (log frames, event stream). */
export function stream(addr: string, path: string, token?: string, onData?: (all: Buffer) => void): Stream {
  const chunks: Buffer[] = [];
  let total: Buffer | undefined;
  let resolveStatus!: (n: number) => void;
  const status = new Promise<number>(r => (resolveStatus = r));
  let req!: http.ClientRequest;
  const done = new Promise<void>(resolve => {
    req = http.request(
      new URL(path, addr),
      { method: 'GET', headers: token ? { 'X-Nomad-Token': token } : {} },
      res => {
        resolveStatus(res.statusCode ?? 0);
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          total = undefined;
          onData?.(Buffer.concat(chunks));
        });
        res.on('end', () => resolve());
        res.on('close', () => resolve());
        res.on('error', () => resolve());
      },
    );
    req.on('error', () => {
      resolveStatus(0);
      resolve();
    });
    req.end();
  });
  return {
    bytes: () => (total ??= Buffer.concat(chunks)),
    done,
    status,
    close: () => {
      req.destroy();
    },
  };
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` after `deadlineMs` (generous by design). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  deadlineMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}
