// Test helpers: a fake clock, a seeded PRNG and a tiny loopback HTTP server.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../src/nomad/backoff';
import type { ClusterProfile } from '../../../src/nomad/config';
import { mulberry32 } from '../support';

/** A clock whose sleep returns at once and moves time forward; it records every delay. */
export class FakeClock implements Clock {
  t = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number { return this.t; }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) { const e = new Error('Aborted'); e.name = 'AbortError'; throw e; }
    this.sleeps.push(ms);
    this.t += ms;
    await new Promise<void>(r => setImmediate(r));
    if (signal?.aborted) { const e = new Error('Aborted'); e.name = 'AbortError'; throw e; }
  }
}


export interface TestServer {
  url: string;
  port: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      void Promise.resolve(handler(req, res, body)).catch(err => { res.statusCode = 500; res.end(String(err)); });
    });
  });
  server.on('connection', s => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, requests,
    close: () => new Promise<void>(r => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

export function profile(address: string, extra: Partial<ClusterProfile> = {}): ClusterProfile {
  return { name: 'test', address, tls: { skipVerify: false }, ...extra };
}

/** A port with nothing listening on it (bound then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>(r => s.close(() => r()));
  return port;
}

/** A deterministic PRNG for seeded tests (mulberry32). */
export const seededRandom = mulberry32;
