// A minimal LSP client over stdio, as an editor speaks to `node dist/server.js --stdio`: Content-Length
// framing, requests matched to their answers by id, notifications kept until a test waits for them, and
// the server's own requests (workspace/configuration, client/registerCapability) answered. Shared by
// the language-server tests and bench/parser/memory.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export interface LspMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

export interface ConfigurationItem {
  scopeUri?: string;
  section?: string;
}
export interface ConfigurationParams {
  items: ConfigurationItem[];
}

export interface LspClientOptions {
  /** node flags for the server process */
  execArgv?: string[];
  cwd?: string;
  /**
   * what the server gets for a workspace/configuration request, one answer per asked item: a value
   * (the same for every item), or a function of the item (its `scopeUri` and `section`)
   */
  configuration?: unknown;
}

export class LspClient {
  readonly proc: ChildProcessByStdio<Writable, Readable, null>;
  /** bytes received and not yet read, as received (joined only once a whole message is there) */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** the body length of the message being received, once its header is read */
  private bodyLength = -1;
  private nextId = 1;
  private readonly waiters: { match: (m: LspMessage) => boolean; resolve: (m: LspMessage) => void }[] = [];
  private readonly backlog: LspMessage[] = [];

  constructor(
    serverPath: string,
    private readonly o: LspClientOptions = {},
  ) {
    this.proc = spawn(process.execPath, [...(o.execArgv ?? []), serverPath, '--stdio'], {
      ...(o.cwd ? { cwd: o.cwd } : {}),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.drain();
    });
  }

  /**
   * Reads every complete message received so far. A large message (a 1 MiB document's diagnostics)
   * arrives in many chunks: they are kept as they come and joined once, when the whole body is there,
   * so receiving stays linear in its size (as in an editor's client) rather than copying the buffer
   * at every chunk.
   */
  private drain(): void {
    for (;;) {
      if (this.bodyLength < 0) {
        const head = this.take(this.buffered);
        const sep = head.indexOf('\r\n\r\n');
        this.unshift(head);
        if (sep < 0) return;
        const header = this.take(sep + 4).toString('ascii');
        this.bodyLength = Number(/Content-Length: (\d+)/i.exec(header)?.[1] ?? 0);
      }
      if (this.buffered < this.bodyLength) return;
      const body = this.take(this.bodyLength);
      this.bodyLength = -1;
      this.dispatch(JSON.parse(body.toString('utf8')) as LspMessage);
    }
  }

  /** the first `n` buffered bytes, removed from the buffer */
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.buffered = all.length - n;
    return all.subarray(0, n);
  }

  /** puts bytes back in front of the buffer */
  private unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.unshift(b);
    this.buffered += b.length;
  }

  /** every workspace/configuration request the server sent, in order */
  readonly configurationAsked: ConfigurationParams[] = [];

  private configurationFor(params: ConfigurationParams): unknown[] {
    const c = this.o.configuration;
    const items = params?.items?.length ? params.items : [{}];
    return items.map(item => (typeof c === 'function' ? (c as (item: ConfigurationItem) => unknown)(item) : (c ?? {})));
  }

  private dispatch(msg: LspMessage): void {
    if (msg.method && msg.id !== undefined) {
      if (msg.method === 'workspace/configuration') this.configurationAsked.push(msg.params as ConfigurationParams);
      this.send({
        id: msg.id,
        result:
          msg.method === 'workspace/configuration' ? this.configurationFor(msg.params as ConfigurationParams) : null,
      });
      return;
    }
    const i = this.waiters.findIndex(w => w.match(msg));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
    else this.backlog.push(msg);
  }

  send(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  /** The first message (kept or still to come) that `match` accepts; rejects after `ms`. */
  wait(match: (m: LspMessage) => boolean, what: string, ms = 20_000): Promise<LspMessage> {
    const i = this.backlog.findIndex(match);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: LspMessage): void => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        const k = this.waiters.indexOf(waiter);
        if (k >= 0) this.waiters.splice(k, 1);
        reject(new Error(`no ${what} within ${ms} ms (deadline)`));
      }, ms);
      this.waiters.push(waiter);
    });
  }

  request(method: string, params: unknown, ms = 20_000): Promise<LspMessage> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return this.wait(m => m.id === id && m.method === undefined, `answer to ${method}`, ms);
  }

  /**
   * The result of a request: typed by the protocol's request object (src/shared/protocol.ts), or by the
   * caller for a method string.
   */
  async call<R>(type: RequestType0<R, unknown>): Promise<R>;
  async call<P, R>(type: RequestType<P, R, unknown>, params: P): Promise<R>;
  async call<R>(method: string, params: unknown, ms?: number): Promise<R>;
  async call<R>(type: string | { method: string }, params?: unknown, ms = 20_000): Promise<R> {
    const method = typeof type === 'string' ? type : type.method;
    return (await this.request(method, params, ms)).result as R;
  }

  notify<P>(type: NotificationType<P>, params: P): void;
  notify(method: string, params?: unknown): void;
  notify(type: string | { method: string }, params?: unknown): void {
    const method = typeof type === 'string' ? type : type.method;
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Drops the notifications kept so far that `match` accepts; returns how many. */
  discard(match: (m: LspMessage) => boolean): number {
    let n = 0;
    for (let i = this.backlog.length - 1; i >= 0; i--)
      if (match(this.backlog[i]!)) {
        this.backlog.splice(i, 1);
        n++;
      }
    return n;
  }

  /** shutdown, exit; resolves with the server's exit code */
  async close(): Promise<number | null> {
    const exited = new Promise<number | null>(resolve => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      else this.proc.once('exit', c => resolve(c));
    });
    await this.request('shutdown', null);
    this.notify('exit', null);
    return exited;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
