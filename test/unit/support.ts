// The one support module of the unit tests (test/unit mirrors src/ folder by folder; everything the
// folders share lives here):
//   - where things are: the repository root, the shared corpus, fixtures
//   - seeded randomness (mulberry32)
//   - the language layer: short parse / diagnostic / completion views, inputs with a cursor marker, a
//     sample job
//   - the Nomad client: a fake clock, a loopback HTTP server, cluster profiles
// Folder-specific builders stay next to their tests (nomad/logs/frames.ts, language/schema/mini-hcl.ts),
// and the LSP client over stdio is its own module (lspClient.ts, also used by bench/parser).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { CompletionItem, Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../src/language';
import {
  parse,
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type HclFile,
  type Range,
} from '../../src/language/hcl';
import type { FixData } from '../../src/language/check';
import { applyTextEdits, quickFix } from '../../src/language/features/codeActions';
import type { Clock } from '../../src/nomad/backoff';
import type { ClusterProfile } from '../../src/nomad/config';

// --- where things are ---------------------------------------------------------------------------------

/** The repository root: the nearest folder above this file with a package.json (works from out/ too). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found above ' + from);
    dir = up;
  }
  return dir;
}

export const root = repoRoot();
/** the shared corpus of real job files, beside the repository (never copied into it) */
export const corpusDir = path.resolve(root, '..', 'shared', 'corpus');
export const validCorpusDir = path.join(corpusDir, 'valid');

/** One half of the shared corpus, or undefined when the corpus is absent. */
export function corpusSubdir(kind: 'valid' | 'invalid'): string | undefined {
  const p = path.join(corpusDir, kind);
  return fs.existsSync(p) ? p : undefined;
}

/** The valid corpus files (name, text), or undefined when the corpus is absent. */
export function validCorpus(): { name: string; text: string }[] | undefined {
  if (!fs.existsSync(validCorpusDir)) return undefined;
  return fs
    .readdirSync(validCorpusDir)
    .sort()
    .map(name => ({ name, text: fs.readFileSync(path.join(validCorpusDir, name), 'utf8') }));
}

/** A file of the repository, by its path from the root. */
export function read(rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** A file under test/fixtures. */
export function fixture(rel: string): string {
  return fs.readFileSync(path.join(root, 'test', 'fixtures', rel), 'utf8');
}

// --- seeded randomness --------------------------------------------------------------------------------

/** mulberry32: a small deterministic PRNG in [0, 1), so seeded runs are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the HCL parser -----------------------------------------------------------------------------------

/** text covered by a range */
export function textAt(file: HclFile, r: Range | undefined): string {
  assert.ok(r, 'range is defined');
  return file.text.slice(r.start, r.end);
}

export function parseOk(text: string): HclFile {
  const f = parse(text);
  assert.deepEqual(
    f.errors.map(e => `${e.code}: ${e.message}`),
    [],
    'no syntax errors',
  );
  return f;
}

export function attr(body: Body, name: string): Attribute {
  const a = body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}

export function block(body: Body, type: string, label?: string): Block {
  const b = body.items.find(
    (i): i is Block => i.kind === 'Block' && i.type === type && (label === undefined || i.labels[0]?.value === label),
  );
  assert.ok(b, `block ${type} ${label ?? ''}`);
  return b;
}

/** parses `x = <expr>` and returns the expression (no errors allowed) */
export function expr(source: string): { file: HclFile; e: Expression } {
  const file = parseOk(`x = ${source}\n`);
  return { file, e: attr(file.body, 'x').expr };
}

export function narrow<K extends Expression['kind']>(e: Expression, kind: K): Extract<Expression, { kind: K }> {
  assert.equal(e.kind, kind);
  return e as Extract<Expression, { kind: K }>;
}

// --- diagnostics and quick fixes ------------------------------------------------------------------------

export function diags(text: string, options?: AnalysisOptions): Diagnostic[] {
  return analyzeText(text, options).diagnostics;
}

export function errors(text: string, options?: AnalysisOptions): Diagnostic[] {
  return diags(text, options).filter(d => d.severity === 1);
}

export function codes(text: string, options?: AnalysisOptions): string[] {
  return diags(text, options).map(d => String(d.code));
}

/** `line:col-line:col code` (1-based lines and columns), for compact exact-range assertions. */
export function short(d: Diagnostic): string {
  const r = d.range;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${String(d.code)}`;
}

/** `line severity code` (1-based line; E/W/I/H) of every diagnostic, for compact assertions. */
export function shorts(text: string, options?: AnalysisOptions): string[] {
  return diags(text, options).map(
    d => `${d.range.start.line + 1} ${['', 'E', 'W', 'I', 'H'][d.severity ?? 1]} ${String(d.code)}`,
  );
}

/** Applies the quick fix of the first diagnostic with `code`. */
export function fix(text: string, code: string, options?: AnalysisOptions): string {
  const d = diags(text, options).find(x => x.code === code);
  if (!d) throw new Error(`no ${code} diagnostic`);
  const f = quickFix(text, d.data as FixData);
  if (!f) throw new Error(`no fix for ${code}`);
  return applyTextEdits(text, f.edits);
}

// --- editor features ------------------------------------------------------------------------------------

export const CURSOR = '‸';

/** Parses `src` without its cursor marker; returns the file and the cursor offset. */
export function atCursor(src: string): { file: HclFile; offset: number; text: string } {
  const offset = src.indexOf(CURSOR);
  if (offset < 0) throw new Error('no cursor marker in input');
  const text = src.slice(0, offset) + src.slice(offset + CURSOR.length);
  return { file: parse(text), offset, text };
}

export function labels(items: CompletionItem[]): string[] {
  return items.map(i => i.label);
}

export function newText(items: CompletionItem[], label: string): string | undefined {
  const it = items.find(i => i.label === label);
  const e = it?.textEdit;
  return e && 'newText' in e ? e.newText : it?.insertText;
}

/** A multi-group job used by several tests. */
export const SAMPLE = `variable "image" {
  type        = string
  default     = "nginx:1.25"
  description = "Container image of the web task."
}

variable "count" {
  type = number
}

locals {
  name   = "web-\${var.count}"
  labels = { team = "web" }
}

job "shop" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = var.count

    network {
      port "http" {
        to = 8080
      }
      port "metrics" {}
    }

    service {
      name = local.name
      port = "http"

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]

        logging {
          type = "journald"
          config {
            tag = "web"
          }
        }
      }

      env {
        PORT = "\${NOMAD_PORT_http}"
      }
    }
  }

  group "worker" {
    task "run" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", upper("echo hi")]
      }
    }
  }
}
`;

// --- the Nomad client -----------------------------------------------------------------------------------

/** A clock whose sleep returns at once and moves time forward; it records every delay. */
export class FakeClock implements Clock {
  t = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      const e = new Error('Aborted');
      e.name = 'AbortError';
      throw e;
    }
    this.sleeps.push(ms);
    this.t += ms;
    await new Promise<void>(r => setImmediate(r));
    if (signal?.aborted) {
      const e = new Error('Aborted');
      e.name = 'AbortError';
      throw e;
    }
  }
}

export interface TestServer {
  url: string;
  port: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records every request and answers through `handler`. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>,
): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      void Promise.resolve(handler(req, res, body)).catch(err => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>(r => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
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

// --- loops against a server that answers at once ------------------------------------------------------

/** The most requests a paced loop (src/nomad/pace.ts: a 500 ms floor, backoff from 1 s to 30 s while
 *  nothing moves, jitter down to half) can make in `windowMs` of fake time when no answer brings news. */
export function pacedBound(windowMs: number): number {
  let t = 0,
    n = 1,
    base = 1000;
  // the first answer may count as news (gap = floor), then the stall backoff at its smallest jitter
  t += 500;
  n++;
  while (t <= windowMs) {
    t += Math.max(500, base / 2);
    n++;
    base = Math.min(30_000, base * 2);
  }
  return n;
}

/**
 * Drives `start` (a loop whose every request calls `ask()`) on a FakeClock until `windowMs` of fake time
 * have passed, then calls `stop`. Returns how many requests were made. Nothing here waits real time: a
 * loop without a floor makes requests without the fake clock moving, and is stopped after `cap` requests.
 */
export async function countRequests(
  clock: FakeClock,
  windowMs: number,
  run: (ask: () => boolean) => { done: Promise<unknown>; stop: () => void },
  cap = 10_000,
): Promise<number> {
  const t0 = clock.now();
  let n = 0;
  let stopped = false;
  // `ask` returns false once the window is over or the cap is hit: the loop's request should then fail
  // as aborted (the test's fetch throws), and the loop is stopped
  const handle: { current?: { done: Promise<unknown>; stop: () => void } } = {};
  const ask = (): boolean => {
    n++;
    if (!stopped && (clock.now() - t0 > windowMs || n >= cap)) {
      stopped = true;
      handle.current?.stop();
    }
    return !stopped;
  };
  handle.current = run(ask);
  await handle.current.done;
  return n;
}
