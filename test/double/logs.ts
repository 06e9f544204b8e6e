// Task logs the way a Nomad client keeps them: <alloc dir>/alloc/logs/<task>.<stdout|stderr>.<n>, rotated
// at max_file_size MB with at most max_files kept, and served as the framed stream of
// /v1/client/fs/logs/:alloc (JSON frames written back to back, `{}` heartbeats, follow/offset/origin/plain).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';

export class RotatingLog {
  private idx = 0;
  private size = 0;
  private fd: number;
  private closed = false;
  constructor(
    readonly dir: string,
    readonly base: string,
    readonly maxBytes: number,
    readonly maxFiles: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    // continue after the highest existing index (a restarted task keeps appending)
    const existing = logIndexes(dir, base);
    if (existing.length) this.idx = existing[existing.length - 1].idx;
    const p = this.file(this.idx);
    this.size = fs.existsSync(p) ? fs.statSync(p).size : 0;
    this.fd = fs.openSync(p, 'a');
  }
  private file(i: number) {
    return path.join(this.dir, `${this.base}.${i}`);
  }
  write(chunk: Buffer): void {
    // a killed task's pipe can still deliver what it buffered after the log was closed: that output
    // has nowhere to go (and the descriptor number may already belong to another file)
    if (this.closed) return;
    let off = 0;
    while (off < chunk.length) {
      const room = this.maxBytes - this.size;
      if (room <= 0) {
        this.rotate();
        continue;
      }
      const rest = chunk.length - off;
      // a write that does not fit goes to the next file whole (when it fits a file at all), as logmon does
      if (rest > room && rest <= this.maxBytes && this.size > 0) {
        this.rotate();
        continue;
      }
      const n = Math.min(room, rest);
      fs.writeSync(this.fd, chunk, off, n);
      this.size += n;
      off += n;
    }
  }
  private rotate() {
    fs.closeSync(this.fd);
    this.idx++;
    this.size = 0;
    this.fd = fs.openSync(this.file(this.idx), 'a');
    for (const e of logIndexes(this.dir, this.base)) {
      if (e.idx <= this.idx - this.maxFiles) fs.rmSync(path.join(this.dir, e.name), { force: true });
    }
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

export function logIndexes(dir: string, base: string): Array<{ idx: number; name: string; size: number }> {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ idx: number; name: string; size: number }> = [];
  for (const n of names) {
    if (!n.startsWith(base + '.')) continue;
    const rest = n.slice(base.length + 1);
    if (!/^\d+$/.test(rest)) continue;
    let size = 0;
    try {
      size = fs.statSync(path.join(dir, n)).size;
    } catch {
      continue;
    }
    out.push({ idx: Number(rest), name: n, size });
  }
  return out.sort((a, b) => a.idx - b.idx);
}

/** Picks the file and the offset in it, like the client does: offsets count across files from the oldest. */
function findClosest(dir: string, base: string, desiredIdx: number, desiredOffset: number) {
  const idxs = logIndexes(dir, base);
  if (!idxs.length) return undefined;
  let i = idxs.findIndex(e => e.idx >= desiredIdx);
  if (i < 0) i = idxs.length - 1;
  let offset = desiredOffset;
  for (;;) {
    const s = idxs[i].size;
    if (offset === 0) break;
    if (offset < 0) {
      if (s + offset >= 0) {
        offset = s + offset;
        break;
      }
      if (i === 0) {
        offset = 0;
        break;
      }
      offset = s + offset;
      i--;
      continue;
    }
    if (offset <= s) break;
    if (i === idxs.length - 1) {
      offset = s;
      break;
    }
    offset -= s;
    i++;
  }
  return { entry: idxs[i], offset };
}

export interface StreamLogOptions {
  dir: string; // <alloc dir>/alloc/logs
  task: string;
  type: 'stdout' | 'stderr';
  follow: boolean;
  plain: boolean;
  origin: 'start' | 'end';
  offset: number;
  heartbeatMs: number;
  /** true while the task may still write (follow waits for more) */
  frameSize?: number;
}

/** Writes the log stream to `res` until the client goes away (follow) or the data ends (no follow). */
export async function streamLogs(res: ServerResponse, o: StreamLogOptions): Promise<void> {
  const base = `${o.task}.${o.type}`;
  const frameSize = o.frameSize ?? 64 * 1024;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const send = (obj: object | Buffer) => {
    if (closed) return;
    if (Buffer.isBuffer(obj)) res.write(obj);
    else res.write(JSON.stringify(obj));
  };
  let lastWrite = Date.now();
  const hb =
    o.follow && !o.plain
      ? setInterval(
          () => {
            if (Date.now() - lastWrite >= o.heartbeatMs) {
              send({});
              lastWrite = Date.now();
            }
          },
          Math.max(50, Math.floor(o.heartbeatMs / 2)),
        )
      : undefined;
  try {
    let nextIdx = o.origin === 'start' ? 0 : Number.MAX_SAFE_INTEGER;
    let offset = o.origin === 'start' ? o.offset : -o.offset;
    const maxIdx = o.follow ? Number.MAX_SAFE_INTEGER : (logIndexes(o.dir, base).at(-1)?.idx ?? 0);
    while (!closed) {
      const found = findClosest(o.dir, base, nextIdx, offset);
      if (!found) {
        await sleep(100);
        continue;
      }
      const { entry } = found;
      if (!o.follow && entry.idx > maxIdx) break;
      const file = path.join(o.dir, entry.name);
      const rel = `alloc/logs/${entry.name}`;
      let pos = found.offset;
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        nextIdx = entry.idx;
        offset = 0;
        continue;
      }
      const buf = Buffer.alloc(frameSize);
      let movedOn = false;
      try {
        while (!closed) {
          const n = fs.readSync(fd, buf, 0, frameSize, pos);
          if (n > 0) {
            pos += n;
            const data = Buffer.from(buf.subarray(0, n));
            send(o.plain ? data : { Data: data.toString('base64'), File: rel, Offset: pos });
            lastWrite = Date.now();
            continue;
          }
          // at the end of this file
          if (!o.follow && entry.idx >= maxIdx) {
            movedOn = false;
            break;
          }
          const later = logIndexes(o.dir, base).find(e => e.idx > entry.idx);
          if (later) {
            // drain what was written before the rotation, then move on
            const again = fs.readSync(fd, buf, 0, frameSize, pos);
            if (again > 0) {
              pos += again;
              send(
                o.plain
                  ? Buffer.from(buf.subarray(0, again))
                  : { Data: buf.subarray(0, again).toString('base64'), File: rel, Offset: pos },
              );
              lastWrite = Date.now();
              continue;
            }
            movedOn = true;
            nextIdx = later.idx;
            offset = 0;
            break;
          }
          if (!fs.existsSync(file)) {
            if (!o.plain) send({ File: rel, FileEvent: 'file deleted', Offset: pos });
            movedOn = true;
            nextIdx = entry.idx + 1;
            offset = 0;
            break;
          }
          await sleep(100);
        }
      } finally {
        fs.closeSync(fd);
      }
      if (!movedOn) break;
    }
  } finally {
    if (hb) clearInterval(hb);
    if (!closed) res.end();
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
