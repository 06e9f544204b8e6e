/**
 * Giving memory back after a large document is closed. V8 keeps the heap it grew for a big file (a 5 MB
 * minified JSON job: 75 → 346 MiB) until a full collection runs on its own, which an idle server may
 * never trigger. After such a close the server asks for one full collection, once, shortly after (so a
 * burst of closes costs one). The collector is reached through V8's own flag, set at run time, because
 * the editor decides how the server process is started.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** documents at least this large (UTF-16 code units) are worth a collection when they are closed */
export const LARGE_DOCUMENT = 1024 * 1024;
const DELAY_MS = 1000;

/** V8's collector: a full collection, or with `{ type: 'minor' }` one of the young generation only */
type Collector = (options?: { type?: 'minor' | 'major' }) => void;

let collector: Collector | null | undefined;

/** The collection function, or null when this runtime does not allow it. */
function gcFunction(): Collector | null {
  if (collector !== undefined) return collector;
  const existing = (globalThis as { gc?: Collector }).gc;
  if (typeof existing === 'function') return (collector = existing);
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    collector = typeof fn === 'function' ? (fn as Collector) : null;
  } catch {
    collector = null;
  }
  return collector;
}

/** documents at least this large (UTF-16 code units) are parsed in an emptied young generation */
export const LARGE_PARSE = 256 * 1024;

/**
 * Empties the young generation before a large parse. The syntax tree of a large document lives on
 * (the server caches it), and V8 copies whatever is alive in the young generation at each collection:
 * a collection that falls in the middle of the parse or the checks copies the half-built tree, and the
 * editor waits for it. Collected just before, while little is alive (~1 ms), the parse and the checks of
 * a 1 MiB job fit in the emptied space, and the tree is copied later, after the diagnostics are out.
 */
export function collectYoungGeneration(): void {
  gcFunction()?.({ type: 'minor' });
}

let pending: NodeJS.Timeout | undefined;

/** Schedules one full collection (a later call within the delay joins it). */
export function releaseMemorySoon(): void {
  if (pending) return;
  pending = setTimeout(() => {
    pending = undefined;
    gcFunction()?.();
  }, DELAY_MS);
  pending.unref();
}
