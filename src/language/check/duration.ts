// Go's time.ParseDuration grammar, which Nomad applies to every duration attribute: an optional sign,
// then one or more <number><unit> pairs ("1h30m", "1.5s", "300ms"); "0" alone is allowed. Units: ns,
// us (or µs / μs), ms, s, m, h. Returns nanoseconds, or an error string saying what is wrong.

const UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['\u00b5s', 1e3],
  ['\u03bcs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

/** Largest duration Go can hold (int64 nanoseconds, about 292 years). */
const MAX_NS = 9223372036854775807;

export type DurationResult = { ok: true; ns: number } | { ok: false; error: string };

/**
 * The answers for texts seen lately: a job file repeats a few durations ("10s", "30s") thousands of times,
 * and the checker, the validator and the decoder each ask. Answers are shared: callers only read them.
 */
const memo = new Map<string, DurationResult>();
const MEMO_MAX = 512;

export function parseGoDuration(s: string): DurationResult {
  let d = memo.get(s);
  if (d === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    d = parse(s);
    memo.set(s, d);
  }
  return d;
}

function parse(s: string): DurationResult {
  let i = 0;
  const n = s.length;
  let neg = false;
  if (i < n && (s[i] === '-' || s[i] === '+')) {
    neg = s[i] === '-';
    i++;
  }
  if (i === n - 1 && s[i] === '0') return { ok: true, ns: 0 };
  if (s.slice(i) === '0') return { ok: true, ns: 0 };
  if (i >= n) return { ok: false, error: 'is empty; write a number and a unit, e.g. "30s"' };
  let total = 0;
  while (i < n) {
    const numStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    const intPart = s.slice(numStart, i);
    let frac = '';
    if (i < n && s[i] === '.') {
      i++;
      const fs = i;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
      frac = s.slice(fs, i);
    }
    if (intPart === '' && frac === '')
      return { ok: false, error: `has no number before "${s.slice(numStart, numStart + 3)}"` };
    const unitStart = i;
    while (i < n && !isDigit(s.charCodeAt(i)) && s[i] !== '.') i++;
    const unit = s.slice(unitStart, i);
    if (unit === '')
      return { ok: false, error: `is missing a unit after "${s.slice(numStart, i)}" (use ns, us, ms, s, m or h)` };
    const mult = UNITS.get(unit);
    if (mult === undefined) return { ok: false, error: `has the unknown unit "${unit}" (use ns, us, ms, s, m or h)` };
    total += Number(`${intPart || '0'}.${frac || '0'}`) * mult;
    if (total > MAX_NS) return { ok: false, error: 'is too large' };
  }
  return { ok: true, ns: neg ? -Math.round(total) : Math.round(total) };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
