// Nomad's log stream (GET /v1/client/fs/logs/:alloc): StreamFrame JSON objects written back to
// back with no separator, `{"Offset":…,"Data":"<base64>","File":"alloc/logs/web.stdout.0"}`,
// `{"File":…,"FileEvent":"file truncated"}` when the file shrank, `"file deleted"` when it went
// away, and `{}` heartbeats every second. With `plain=true` the body is the raw bytes.
//
// About offsets: Nomad's framer stamps a frame with the file offset after the first read merged
// into it, so when several reads are merged the stamp is short of the frame's end. We therefore
// count bytes ourselves: within one file position = previous position + data length; a new file
// after a rotation starts at 0; a truncated file starts again at 0. The server's stamp is only used
// when nothing better is known (the first frame of a stream opened at an unknown position).

import { JsonObjectSplitter, parseObject } from '../jsonstream';

export interface LogDataEvent {
  kind: 'data';
  /** Path inside the allocation, e.g. "alloc/logs/web.stdout.0"; '' in plain mode. */
  file: string;
  /** Byte offset in `file` just after this data. */
  offset: number;
  /** How many bytes of the log this data is. */
  length: number;
  /** The decoded text of these bytes (a character split across frames appears once, whole). */
  text: string;
}

export type LogFrameEvent =
  LogDataEvent | { kind: 'truncated'; file: string } | { kind: 'deleted'; file: string } | { kind: 'heartbeat' };

interface RawFrame {
  Offset?: number;
  Data?: string;
  File?: string;
  FileEvent?: string;
}

export interface LogDecoderOptions {
  /** Raw text instead of frames (`plain=true`). */
  plain?: boolean;
  /** Largest frame accepted (default 16 MiB; Nomad's frames hold at most 64 KiB of data). */
  maxFrameBytes?: number;
  /** Where the stream starts, when known: the first data of `file` (any file if omitted) begins at `offset`. */
  start?: { file?: string; offset: number };
}

/** "alloc/logs/web.stdout.3" → 3 (-1 when there is no index). */
export function logFileIndex(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : -1;
}

/**
 * Decodes one log stream. Text decoding is per stream, so a character cut between two frames,
 * two chunks or even two rotated files comes out whole. `resetFraming()` drops a partial frame
 * after a reconnect while keeping the text decoder and the per-file positions.
 */
export class LogStreamDecoder {
  private splitter: JsonObjectSplitter;
  private text = new TextDecoder('utf-8', { fatal: false });
  private readonly positions = new Map<string, number>();
  private start: { file?: string; offset: number } | undefined;
  private plainOffset = 0;
  private sawAnyFile = false;

  constructor(private readonly opts: LogDecoderOptions = {}) {
    this.splitter = new JsonObjectSplitter(opts.maxFrameBytes ?? 16 * 1024 * 1024);
    this.start = opts.start;
  }

  /** Feed a network chunk. Throws JsonStreamError on malformed or oversized frames. */
  push(chunk: Uint8Array): LogFrameEvent[] {
    if (this.opts.plain) {
      this.plainOffset += chunk.length;
      return chunk.length
        ? [
            {
              kind: 'data',
              file: '',
              offset: this.plainOffset,
              length: chunk.length,
              text: this.text.decode(chunk, { stream: true }),
            },
          ]
        : [];
    }
    const out: LogFrameEvent[] = [];
    this.splitter.pushRaw(chunk, bytes => this.frameBytes(bytes, out));
    return out;
  }

  /** Text Nomad appended after the frames (an error after the stream had started). */
  get trailingText(): string {
    return this.splitter.trailingText;
  }

  /** After a reconnect: forget a partial frame; the next stream's first data starts at `start`. */
  resetFraming(start?: { file?: string; offset: number }): void {
    this.splitter.reset();
    this.start = start;
  }

  /** Flush a dangling partial character (at the very end of the stream). */
  end(): string {
    return this.text.decode();
  }

  /** The position after the last data seen in `file`, if any. */
  position(file: string): number | undefined {
    return this.positions.get(file);
  }

  /**
   * One frame's bytes. A frame of a busy log is ~87 KB of JSON, nearly all of it the base64 `Data`:
   * JSON.parse would copy that into a string and base64 decoding into bytes again, several bytes of
   * garbage per log byte, and the collector's pauses then stall the extension host. So the data is
   * decoded from the frame's bytes into a buffer reused from frame to frame, and JSON.parse sees only
   * the rest of the frame. Anything unexpected (an escape in the data, a character outside base64)
   * takes the plain path: JSON.parse of the whole frame.
   */
  private frameBytes(frame: Buffer, out: LogFrameEvent[]): void {
    const k = frame.indexOf(DATA_KEY);
    if (k > 0) {
      const a = k + DATA_KEY.length;
      const b = frame.indexOf(QUOTE, a);
      // `"Data":"` can only be the key: inside a JSON string every quote is escaped
      if (b > 0 && frame.lastIndexOf(BACKSLASH, b) < a) {
        const need = ((b - a + 3) >> 2) * 3;
        if (this.scratch.length < need) this.scratch = Buffer.allocUnsafe(Math.max(need, 96 * 1024));
        const n = decodeBase64Into(frame, a, b, this.scratch);
        if (n >= 0) {
          const rest = parseObject(Buffer.concat([frame.subarray(0, a), frame.subarray(b)])) as RawFrame;
          this.frame(rest, n > 0 ? this.scratch.subarray(0, n) : undefined, out);
          return;
        }
      }
    }
    const f = parseObject(frame) as RawFrame;
    this.frame(f, f.Data ? Buffer.from(f.Data, 'base64') : undefined, out);
  }

  private scratch: Buffer = Buffer.alloc(0);

  /** `data`: the frame's decoded data, valid during the call only */
  private frame(f: RawFrame, data: Buffer | undefined, out: LogFrameEvent[]): void {
    const file = f.File ?? '';
    if (!file && !data && !f.FileEvent && !f.Offset) {
      out.push({ kind: 'heartbeat' });
      return;
    }
    if (f.FileEvent === 'file truncated') {
      this.positions.set(file, 0);
      out.push({ kind: 'truncated', file });
    } else if (f.FileEvent === 'file deleted') {
      out.push({ kind: 'deleted', file });
    }
    if (data && data.length) {
      let pos = this.positions.get(file);
      if (pos === undefined) {
        const s = this.start;
        if (s && (s.file === undefined || s.file === file)) pos = s.offset;
        else if (this.sawAnyFile)
          pos = 0; // a file reached by rotation is read from its start
        else if (s?.file !== undefined && logFileIndex(file) > logFileIndex(s.file)) pos = 0;
        else pos = Math.max(0, (f.Offset ?? data.length) - data.length);
        this.start = undefined;
      }
      pos += data.length;
      this.positions.set(file, pos);
      this.sawAnyFile = true;
      out.push({
        kind: 'data',
        file,
        offset: pos,
        length: data.length,
        text: this.text.decode(data, { stream: true }),
      });
    } else if (file && !this.positions.has(file) && !f.FileEvent) {
      this.sawAnyFile = true;
    }
  }
}

// ---- base64 from bytes ---------------------------------------------------------------------------------------

const DATA_KEY = Buffer.from('"Data":"');
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  PAD = 0x3d;
const INVALID = -0x80000000;
// one table per position in a quad, each value already shifted: a quad is four loads and three ORs,
// and any character outside the alphabet makes the result negative
const T0 = new Int32Array(256).fill(INVALID),
  T1 = new Int32Array(256).fill(INVALID);
const T2 = new Int32Array(256).fill(INVALID),
  T3 = new Int32Array(256).fill(INVALID);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  const b = c.charCodeAt(0);
  T0[b] = i << 18;
  T1[b] = i << 12;
  T2[b] = i << 6;
  T3[b] = i;
});

/**
 * Decodes standard base64 (padding optional) from `src[start, end)` into `out` (large enough: 3 bytes
 * per 4 characters); returns the number of bytes, or -1 when the input is not base64.
 */
export function decodeBase64Into(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  if (end > start && src[end - 1] === PAD) end--;
  if (end > start && src[end - 1] === PAD) end--;
  const rem = (end - start) & 3;
  if (rem === 1) return -1;
  const whole = end - rem;
  let o = 0;
  let i = start;
  for (; i < whole; i += 4) {
    const v = T0[src[i]!]! | T1[src[i + 1]!]! | T2[src[i + 2]!]! | T3[src[i + 3]!]!;
    if (v < 0) return -1;
    out[o] = v >>> 16;
    out[o + 1] = v >>> 8;
    out[o + 2] = v;
    o += 3;
  }
  if (rem > 0) {
    const v = T0[src[i]!]! | T1[src[i + 1]!]! | (rem === 3 ? T2[src[i + 2]!]! : 0);
    if (v < 0) return -1;
    out[o++] = v >>> 16;
    if (rem === 3) out[o++] = v >>> 8;
  }
  return o;
}
