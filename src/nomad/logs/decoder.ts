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

import { JsonObjectSplitter } from '../jsonstream';

export interface LogDataEvent {
  kind: 'data';
  /** Path inside the allocation, e.g. "alloc/logs/web.stdout.0"; '' in plain mode. */
  file: string;
  /** Byte offset in `file` just after this data. */
  offset: number;
  bytes: Buffer;
  /** The decoded text of these bytes (a character split across frames appears once, whole). */
  text: string;
}

export type LogFrameEvent =
  | LogDataEvent
  | { kind: 'truncated'; file: string }
  | { kind: 'deleted'; file: string }
  | { kind: 'heartbeat' };

interface RawFrame { Offset?: number; Data?: string; File?: string; FileEvent?: string }

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
      const bytes = Buffer.from(chunk);
      this.plainOffset += bytes.length;
      return bytes.length ? [{ kind: 'data', file: '', offset: this.plainOffset, bytes, text: this.text.decode(bytes, { stream: true }) }] : [];
    }
    const out: LogFrameEvent[] = [];
    for (const v of this.splitter.push(chunk)) out.push(...this.frame(v as RawFrame));
    return out;
  }

  /** Text Nomad appended after the frames (an error after the stream had started). */
  get trailingText(): string { return this.splitter.trailingText; }

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
  position(file: string): number | undefined { return this.positions.get(file); }

  private frame(f: RawFrame): LogFrameEvent[] {
    const file = f.File ?? '';
    const data = f.Data ? Buffer.from(f.Data, 'base64') : undefined;
    if (!file && !data && !f.FileEvent && !f.Offset) return [{ kind: 'heartbeat' }];
    const out: LogFrameEvent[] = [];
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
        else if (this.sawAnyFile) pos = 0; // a file reached by rotation is read from its start
        else if (s?.file !== undefined && logFileIndex(file) > logFileIndex(s.file)) pos = 0;
        else pos = Math.max(0, (f.Offset ?? data.length) - data.length);
        this.start = undefined;
      }
      pos += data.length;
      this.positions.set(file, pos);
      this.sawAnyFile = true;
      out.push({ kind: 'data', file, offset: pos, bytes: data, text: this.text.decode(data, { stream: true }) });
    } else if (file && !this.positions.has(file) && !f.FileEvent) {
      this.sawAnyFile = true;
    }
    return out;
  }
}
