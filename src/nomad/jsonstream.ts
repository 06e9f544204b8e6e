// Splits a byte stream of JSON objects written back to back (`{…}{…}`, or one per line) into
// parsed values. Chunks may be cut anywhere: inside strings, escapes or multi-byte characters.
// Structural characters are ASCII, so scanning bytes is safe for UTF-8. Memory is bounded: an
// object larger than `maxObjectBytes` is an error, not unbounded growth.

export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  OPEN = 0x7b,
  CLOSE = 0x7d,
  OPEN_SQ = 0x5b,
  CLOSE_SQ = 0x5d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonObjectSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** the start of an unfinished object, kept across chunks in one buffer reused from object to object */
  private partial: Buffer = Buffer.alloc(0);
  private size = 0;
  private trailing: Buffer[] = [];
  private trailingSize = 0;

  constructor(private readonly maxObjectBytes = 16 * 1024 * 1024) {}

  /** True when a partial object is buffered. */
  get pending(): boolean {
    return this.depth > 0;
  }

  /** Text that was not JSON (Nomad appends its error text to a stream that fails mid-way). */
  get trailingText(): string {
    return Buffer.concat(this.trailing).toString('utf8').trim();
  }

  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.size = 0;
    this.trailing = [];
    this.trailingSize = 0;
    if (this.partial.length > 1024 * 1024) this.partial = Buffer.alloc(0);
  }

  /** Feed bytes; returns every value completed by them. Throws JsonStreamError on bad input. */
  push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    this.pushRaw(chunk, bytes => out.push(parseObject(bytes)));
    return out;
  }

  /**
   * Feed bytes; calls `onObject` with the bytes of each object they complete, in order, unparsed: for
   * callers that decode some objects faster than JSON.parse can (see logs/decoder.ts). The bytes are
   * valid during the call only: they may be a view of `chunk` or of a buffer reused for the next
   * object. Throws JsonStreamError on bad input.
   */
  pushRaw(chunk: Uint8Array, onObject: (bytes: Buffer) => void): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    let start = this.depth > 0 ? 0 : -1;
    const n = buf.length;
    while (i < n) {
      if (this.trailingSize > 0) {
        this.keepTrailing(buf.subarray(i));
        return;
      }
      if (this.depth === 0) {
        const b = buf[i]!;
        if (isSpace(b)) {
          i++;
          continue;
        }
        if (b !== OPEN) {
          this.keepTrailing(buf.subarray(i));
          return;
        }
        this.depth = 1;
        start = i;
        i++;
        continue;
      }
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          i++;
          continue;
        }
        const q = buf.indexOf(QUOTE, i);
        const stop = q === -1 ? n : q;
        const bs = buf.subarray(i, stop).indexOf(BACKSLASH);
        if (bs !== -1) {
          i = i + bs + 1;
          this.escape = true;
          continue;
        }
        if (q === -1) {
          i = n;
          continue;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const b = buf[i]!;
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN || b === OPEN_SQ) this.depth++;
      else if (b === CLOSE || b === CLOSE_SQ) {
        this.depth--;
        if (this.depth === 0) {
          let whole = buf.subarray(start, i + 1);
          if (this.size > 0) {
            this.append(whole);
            whole = this.partial.subarray(0, this.size);
            this.size = 0;
          }
          start = -1;
          if (whole.length > this.maxObjectBytes)
            throw new JsonStreamError(
              `JSON object of ${whole.length} bytes exceeds the ${this.maxObjectBytes}-byte limit`,
            );
          onObject(whole);
        }
      }
      i++;
    }
    if (this.depth > 0 && start >= 0) {
      const piece = buf.subarray(start);
      if (this.size + piece.length > this.maxObjectBytes) {
        this.reset();
        throw new JsonStreamError(`JSON object exceeds the ${this.maxObjectBytes}-byte limit`);
      }
      this.append(piece); // a copy: the caller may reuse its buffer
    }
  }

  private append(piece: Buffer): void {
    const need = this.size + piece.length;
    if (need > this.partial.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.partial.length * 2, 4096));
      this.partial.copy(grown, 0, 0, this.size);
      this.partial = grown;
    }
    piece.copy(this.partial, this.size);
    this.size = need;
  }

  private keepTrailing(b: Buffer): void {
    if (this.trailingSize >= 64 * 1024) return;
    const take = b.subarray(0, 64 * 1024 - this.trailingSize);
    this.trailing.push(Buffer.from(take));
    this.trailingSize += Math.max(1, take.length);
  }
}

/** JSON.parse of one object's bytes, failing as a JsonStreamError. */
export function parseObject(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new JsonStreamError(`Invalid JSON in stream: ${(e as Error).message}`);
  }
}
