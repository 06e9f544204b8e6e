// Splits a byte stream of JSON objects written back to back (`{…}{…}`, or one per line) into
// parsed values. Chunks may be cut anywhere: inside strings, escapes or multi-byte characters.
// Structural characters are ASCII, so scanning bytes is safe for UTF-8. Memory is bounded: an
// object larger than `maxObjectBytes` is an error, not unbounded growth.

export class JsonStreamError extends Error {
  constructor(message: string) { super(message); this.name = 'JsonStreamError'; }
}

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN = 0x7b, CLOSE = 0x7d, OPEN_SQ = 0x5b, CLOSE_SQ = 0x5d;

function isSpace(b: number): boolean { return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09; }

export class JsonObjectSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: Buffer[] = [];
  private size = 0;
  private trailing: Buffer[] = [];
  private trailingSize = 0;

  constructor(private readonly maxObjectBytes = 16 * 1024 * 1024) {}

  /** True when a partial object is buffered. */
  get pending(): boolean { return this.depth > 0; }

  /** Text that was not JSON (Nomad appends its error text to a stream that fails mid-way). */
  get trailingText(): string { return Buffer.concat(this.trailing).toString('utf8').trim(); }

  reset(): void {
    this.depth = 0; this.inString = false; this.escape = false;
    this.parts = []; this.size = 0; this.trailing = []; this.trailingSize = 0;
  }

  /** Feed bytes; returns every value completed by them. Throws JsonStreamError on bad input. */
  push(chunk: Uint8Array): unknown[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: unknown[] = [];
    let i = 0;
    let start = this.depth > 0 ? 0 : -1;
    const n = buf.length;
    while (i < n) {
      if (this.trailingSize > 0) {
        this.keepTrailing(buf.subarray(i));
        return out;
      }
      if (this.depth === 0) {
        const b = buf[i]!;
        if (isSpace(b)) { i++; continue; }
        if (b !== OPEN) { this.keepTrailing(buf.subarray(i)); return out; }
        this.depth = 1; start = i; i++;
        continue;
      }
      if (this.inString) {
        if (this.escape) { this.escape = false; i++; continue; }
        const q = buf.indexOf(QUOTE, i);
        const stop = q === -1 ? n : q;
        const bs = buf.subarray(i, stop).indexOf(BACKSLASH);
        if (bs !== -1) { i = i + bs + 1; this.escape = true; continue; }
        if (q === -1) { i = n; continue; }
        this.inString = false; i = q + 1;
        continue;
      }
      const b = buf[i]!;
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN || b === OPEN_SQ) this.depth++;
      else if (b === CLOSE || b === CLOSE_SQ) {
        this.depth--;
        if (this.depth === 0) {
          const piece = buf.subarray(start, i + 1);
          const whole = this.parts.length ? Buffer.concat([...this.parts, piece]) : piece;
          this.parts = []; this.size = 0; start = -1;
          if (whole.length > this.maxObjectBytes) throw new JsonStreamError(`JSON object of ${whole.length} bytes exceeds the ${this.maxObjectBytes}-byte limit`);
          try {
            out.push(JSON.parse(whole.toString('utf8')));
          } catch (e) {
            throw new JsonStreamError(`Invalid JSON in stream: ${(e as Error).message}`);
          }
        }
      }
      i++;
    }
    if (this.depth > 0 && start >= 0) {
      const piece = buf.subarray(start);
      this.size += piece.length;
      if (this.size > this.maxObjectBytes) {
        this.reset();
        throw new JsonStreamError(`JSON object exceeds the ${this.maxObjectBytes}-byte limit`);
      }
      // Copy: the caller may reuse its buffer.
      this.parts.push(Buffer.from(piece));
    }
    return out;
  }

  private keepTrailing(b: Buffer): void {
    if (this.trailingSize >= 64 * 1024) return;
    const take = b.subarray(0, 64 * 1024 - this.trailingSize);
    this.trailing.push(Buffer.from(take));
    this.trailingSize += Math.max(1, take.length);
  }
}
