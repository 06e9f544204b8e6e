// Builds Nomad-style log frame streams for tests.
export interface Frame {
  Offset?: number;
  Data?: Buffer;
  File?: string;
  FileEvent?: string;
}

export function encodeFrame(f: Frame): string {
  // Nomad's JSON: Offset, Data (base64), File, FileEvent; empty fields omitted.
  const o: Record<string, unknown> = {};
  if (f.Offset) o['Offset'] = f.Offset;
  if (f.Data && f.Data.length) o['Data'] = f.Data.toString('base64');
  if (f.File) o['File'] = f.File;
  if (f.FileEvent) o['FileEvent'] = f.FileEvent;
  return JSON.stringify(o);
}

/** Cut `bytes` into data frames at the given byte positions, with offsets as Nomad stamps single reads. */
export function dataFrames(file: string, bytes: Buffer, cuts: number[], startOffset = 0): Frame[] {
  const out: Frame[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c <= prev) continue;
    out.push({ File: file, Data: bytes.subarray(prev, c), Offset: startOffset + c });
    prev = c;
  }
  return out;
}
