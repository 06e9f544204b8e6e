// Turning decoded log text into what an output panel shows: whole lines (with an optional prefix
// for merged job logs), ANSI escapes removed on request, a filter, and a batcher that coalesces
// appends so a chatty task cannot flood the extension host.

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.indexOf('\x1b') === -1 ? text : text.replace(ANSI_RE, '');
}

/** "example.cache[2]" + "redis" → "cache[2]/redis " (the prefix of merged job logs). */
export function mergedLogPrefix(allocName: string, task: string): string {
  const m = /\.([^.]+)\[(\d+)\]$/.exec(allocName);
  const group = m ? `${m[1]}[${m[2]}]` : allocName;
  return `${group}/${task} `;
}

export interface LineAssemblerOptions {
  prefix?: string;
  stripAnsi?: boolean;
  /** A partial line longer than this is emitted as is (default 64 KiB), keeping memory bounded. */
  maxLineLength?: number;
}

/** Collects text into complete lines; the unfinished last line waits for its end. */
export class LineAssembler {
  private partial = '';
  constructor(private readonly opts: LineAssemblerOptions = {}) {}

  /** Add text; returns the lines it completed, without their line breaks. */
  push(text: string): string[] {
    const buf = this.partial + text;
    const parts = buf.split('\n');
    this.partial = parts.pop()!;
    const max = this.opts.maxLineLength ?? 64 * 1024;
    while (this.partial.length > max) {
      parts.push(this.partial.slice(0, max));
      this.partial = this.partial.slice(max);
    }
    return parts.map(l => this.finish(l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /**
   * Like `push`, but returns the completed lines as one text block ("" when none), each line ending in
   * "\n". Without a prefix, CRs or escape codes the block is a slice of the input: no string per line,
   * which is most of the work (and garbage) of following a chatty task.
   */
  pushBlock(text: string): string {
    const nl = text.lastIndexOf('\n');
    const tail = nl < 0 ? this.partial.length + text.length : text.length - nl - 1;
    if (
      this.opts.prefix ||
      tail > (this.opts.maxLineLength ?? 64 * 1024) ||
      text.indexOf('\r') >= 0 ||
      this.partial.indexOf('\r') >= 0 ||
      (this.opts.stripAnsi && (text.indexOf('\x1b') >= 0 || this.partial.indexOf('\x1b') >= 0))
    ) {
      const lines = this.push(text);
      return lines.length ? `${lines.join('\n')}\n` : '';
    }
    if (nl < 0) {
      this.partial += text;
      return '';
    }
    const block = this.partial + text.slice(0, nl + 1);
    this.partial = text.slice(nl + 1);
    return block;
  }

  /** The unfinished line, if any (at the end of a stream). */
  flush(): string | undefined {
    if (this.partial === '') return undefined;
    const l = this.partial;
    this.partial = '';
    return this.finish(l);
  }

  get hasPartial(): boolean {
    return this.partial !== '';
  }

  private finish(line: string): string {
    const l = this.opts.stripAnsi ? stripAnsi(line) : line;
    return (this.opts.prefix ?? '') + l;
  }
}

/**
 * A line filter from what a user types: `/regex/flags` is a regular expression, anything else a
 * substring (case-insensitive unless it contains an upper-case letter). An invalid regex throws.
 */
export function makeLineFilter(spec: string): (line: string) => boolean {
  const s = spec.trim();
  if (s === '') return () => true;
  const m = /^\/(.+)\/([dgimsuy]*)$/.exec(s);
  if (m) {
    const re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
    return line => re.test(line);
  }
  if (/[A-Z]/.test(s)) return line => line.includes(s);
  const lower = s.toLowerCase();
  return line => line.toLowerCase().includes(lower);
}

export interface TimerHost {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: TimerHost = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: h => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface AppendBatcherOptions {
  /** Flush this long after the first pending append (default 75 ms). */
  intervalMs?: number;
  /** Flush at once when this many characters are pending (default 64 Ki). */
  maxBatchChars?: number;
  /** Keep at most this much pending; older text is dropped with a note (default 8 Mi chars). */
  maxPendingChars?: number;
  timers?: TimerHost;
}

/**
 * Coalesces appends. `sink` gets one string per flush. If the sink is slower than the source,
 * pending text is capped: the oldest is dropped and a "… N characters dropped …" line says so.
 */
export class AppendBatcher {
  private pending: string[] = [];
  private pendingChars = 0;
  private dropped = 0;
  private timer: unknown;
  private disposed = false;
  private readonly timers: TimerHost;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly opts: AppendBatcherOptions = {},
  ) {
    this.timers = opts.timers ?? systemTimers;
  }

  append(text: string): void {
    if (this.disposed || text === '') return;
    this.pending.push(text);
    this.pendingChars += text.length;
    const cap = this.opts.maxPendingChars ?? 8 * 1024 * 1024;
    while (this.pendingChars > cap && this.pending.length > 1) {
      const old = this.pending.shift()!;
      this.pendingChars -= old.length;
      this.dropped += old.length;
    }
    if (this.pendingChars >= (this.opts.maxBatchChars ?? 64 * 1024)) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.opts.intervalMs ?? 75);
    }
  }

  /** Lines are appended with a trailing newline each. */
  appendLines(lines: readonly string[]): void {
    if (lines.length) this.append(lines.join('\n') + '\n');
  }

  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pending.length && !this.dropped) return;
    let text = this.pending.join('');
    if (this.dropped) {
      text = `… ${this.dropped} characters dropped (output too fast) …\n` + text;
      this.dropped = 0;
    }
    this.pending = [];
    this.pendingChars = 0;
    this.sink(text);
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}

/**
 * Decoded log text into a channel through a batcher: whole lines, an optional filter (it sees a line as
 * the task wrote it, before our prefix), and lines of our own (markers). Follow Logs and bench/logs both
 * write through this.
 */
/** Characters shown as a line break somewhere (editors, terminals, the output panel): LF is the line
 *  end itself; these are the others. */
const DISPLAY_BREAK = /[\r\v\f\u0085\u2028\u2029]/;
const DISPLAY_BREAK_SPLIT = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/;

export class LogTextWriter {
  private readonly lines: LineAssembler;
  private readonly prefix: string;
  private readonly filter: ((line: string) => boolean) | undefined;

  constructor(
    private readonly batcher: AppendBatcher,
    opts: { prefix?: string; stripAnsi?: boolean; filter?: ((line: string) => boolean) | undefined } = {},
  ) {
    this.prefix = opts.prefix ?? '';
    this.filter = opts.filter;
    this.lines = new LineAssembler({ stripAnsi: opts.stripAnsi ?? false });
  }

  /** Log text: lines are appended once complete. */
  text(text: string): void {
    if (this.filter || this.prefix) this.emit(this.lines.push(text));
    else this.batcher.append(this.lines.pushBlock(text));
  }

  /**
   * With a prefix (merged job logs) every line a reader could see gets it: a line the task wrote is cut
   * at every character an editor or terminal may show as a line break (a lone CR, VT, FF, NEL, U+2028,
   * U+2029), not only at LF, so one task cannot start a line that looks like another task's.
   */
  private displayed(lines: string[]): string[] {
    if (!this.prefix) return lines;
    const out: string[] = [];
    for (const l of lines) {
      if (!DISPLAY_BREAK.test(l)) {
        out.push(l);
        continue;
      }
      for (const part of l.split(DISPLAY_BREAK_SPLIT)) out.push(part);
    }
    return out;
  }

  /** A line of ours (a marker), with the prefix, never filtered. */
  note(line: string): void {
    this.batcher.appendLines(this.displayed([line]).map(l => `${this.prefix}${l}`));
  }

  /** End of the stream: the unfinished line goes out as it is. */
  end(): void {
    const rest = this.lines.flush();
    if (rest !== undefined) this.emit([rest]);
  }

  private emit(raw: string[]): void {
    const lines = this.displayed(raw);
    const kept = this.filter ? lines.filter(this.filter) : lines;
    if (kept.length) this.batcher.appendLines(this.prefix ? kept.map(l => this.prefix + l) : kept);
  }
}
