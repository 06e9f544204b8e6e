// Offset <-> LSP position conversion over a line-start table.
import type { HclFile, LspRange, Position, Range } from './ast';

/**
 * Offsets at which each line starts. Line breaks: `\n`, `\r\n`, lone `\r` (as LSP defines them).
 * Counted first, then filled into a typed array: a 1 MiB file has ~50,000 lines, and growing a JS
 * array that long element by element cost more than the scan itself.
 */
export function computeLineStarts(text: string): Uint32Array {
  const n = text.length;
  if (text.indexOf('\r') < 0) {
    // `\n` only (nearly every file): indexOf finds them faster than a loop over every character
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Uint32Array(count);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    return starts;
  }
  let count = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  const starts = new Uint32Array(count);
  let k = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 13) continue;
    if (c === 10) starts[k++] = i + 1;
    else if (c === 13) {
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      starts[k++] = i + 1;
    }
  }
  return starts;
}

/** Index of the line containing `offset` (binary search). */
export function lineOf(lineStarts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type LineTable = Pick<HclFile, 'lineStarts' | 'text'>;

/** LSP position of a string offset (clamped to the document). */
export function positionAt(file: LineTable, offset: number): Position {
  const len = file.text.length;
  if (offset < 0) offset = 0;
  else if (offset > len) offset = len;
  const line = lineOf(file.lineStarts, offset);
  return { line, character: offset - file.lineStarts[line] };
}

/** String offset of an LSP position (clamped to the line, not past its line break). */
export function offsetAt(file: LineTable, pos: Position): number {
  const starts = file.lineStarts;
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return file.text.length;
  const start = starts[pos.line];
  let end = pos.line + 1 < starts.length ? starts[pos.line + 1] : file.text.length;
  // exclude the line break
  if (end > start && file.text.charCodeAt(end - 1) === 10) end--;
  if (end > start && file.text.charCodeAt(end - 1) === 13) end--;
  const off = start + Math.max(0, pos.character);
  return off > end ? end : off;
}

export function toLspRange(file: LineTable, range: Range): LspRange {
  return { start: positionAt(file, range.start), end: positionAt(file, range.end) };
}
