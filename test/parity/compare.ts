// Our language server's answers set beside Nomad's (a Verdict, live or captured): does it report an
// error where Nomad accepts the file (a false error), does it catch what Nomad refuses, and does the
// decoder's Job JSON equal /v1/jobs/parse. Shared by the CI test (captured verdicts) and the live
// parity layer.
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../src/language';
import { decodeJob, type Value } from '../../src/language/decode/decoder';
import { formatDocument } from '../../src/language/features/format';
import { parse, staticValue } from '../../src/language/hcl';
import { accepted, refused, reason, sha256, type Verdict } from './nomad';

/** The Nomad version the fixtures were captured from (the analysis targets it). */
export const CAPTURED_VERSION = '1.6.5';
export const CAPTURED_TARGET = { version: CAPTURED_VERSION, source: 'setting' } as const;

export interface Comparison {
  file: string;
  accepted: boolean;
  refused: boolean;
  /** Nomad's reason when it refuses */
  reason: string;
  errors: Diagnostic[];
  /** paths where the decoder's JSON differs from Nomad's (empty: equal); undefined: not compared */
  decoderDiff?: string[];
  /** our formatter's output equals nomad fmt's (undefined: nomad fmt refused the file) */
  fmtEqual?: boolean;
}

/** `name = value` lines of a variables file, as values. */
export function variableValues(vars: string | null): Record<string, Value> {
  const out: Record<string, Value> = {};
  if (!vars) return out;
  for (const item of parse(vars).body.items) {
    if (item.kind !== 'Attribute') continue;
    const v = staticValue(item.expr);
    if (v !== undefined) out[item.name] = v as Value;
  }
  return out;
}

/** Values that differ on every run (random functions, timestamps): not compared. */
const VOLATILE = /\b(uuidv4|timestamp)\s*\(/;

/** Paths where `a` (ours) and `b` (Nomad's) differ, at most `limit`. */
export function jsonDiff(a: unknown, b: unknown, path = '', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (a === b) return out;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    out.push(`${path || '.'}: ours ${short(a)}, Nomad ${short(b)}`);
    return out;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${path}: ours ${short(a)}, Nomad ${short(b)}`);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ours ${a.length} items, Nomad ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) jsonDiff(a[i], b[i], `${path}[${i}]`, out, limit);
    return out;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    if (!(k in ao)) {
      out.push(`${path}.${k}: ours missing, Nomad ${short(bo[k])}`);
      continue;
    }
    if (!(k in bo)) {
      out.push(`${path}.${k}: ours ${short(ao[k])}, Nomad has no such key`);
      continue;
    }
    jsonDiff(ao[k], bo[k], `${path}.${k}`, out, limit);
    if (out.length >= limit) break;
  }
  return out;
}

function short(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function compare(v: Verdict, text: string, options: AnalysisOptions = {}): Comparison {
  const errors = analyzeText(text, options).diagnostics.filter(d => d.severity === 1);
  const c: Comparison = {
    file: v.file,
    accepted: accepted(v),
    refused: refused(v),
    reason: refused(v) ? reason(v) : '',
    errors,
  };
  if (v.parse?.status === 200 && !VOLATILE.test(text)) {
    const decoded = decodeJob(parse(text), { variables: variableValues(v.variables) });
    c.decoderDiff = jsonDiff(decoded.job, v.parse.job);
  }
  if (typeof v.fmt === 'string') {
    const out = formatDocument(text).text;
    c.fmtEqual = out !== undefined && sha256(out) === v.fmt;
  }
  return c;
}

export interface Figures {
  files: number;
  skipped: number;
  accepted: number;
  refused: number;
  falseErrors: Comparison[];
  caught: number;
  missed: Comparison[];
  decoded: number;
  decoderEqual: number;
  decoderUnequal: Comparison[];
  formattable: number;
  fmtEqual: number;
  fmtUnequal: string[];
}

export function figures(all: Comparison[], skipped: number): Figures {
  const f: Figures = {
    files: all.length + skipped,
    skipped,
    accepted: 0,
    refused: 0,
    falseErrors: [],
    caught: 0,
    missed: [],
    decoded: 0,
    decoderEqual: 0,
    decoderUnequal: [],
    formattable: 0,
    fmtEqual: 0,
    fmtUnequal: [],
  };
  for (const c of all) {
    if (c.accepted) {
      f.accepted++;
      if (c.errors.length) f.falseErrors.push(c);
    }
    if (c.refused) {
      f.refused++;
      if (c.errors.length) f.caught++;
      else f.missed.push(c);
    }
    if (c.decoderDiff) {
      f.decoded++;
      if (c.decoderDiff.length === 0) f.decoderEqual++;
      else f.decoderUnequal.push(c);
    }
    if (c.fmtEqual !== undefined) {
      f.formattable++;
      if (c.fmtEqual) f.fmtEqual++;
      else f.fmtUnequal.push(c.file);
    }
  }
  return f;
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

/** A readable report of the figures, with the files behind each miss. */
export function describe(f: Figures, detail = true): string {
  const lines = [
    `files ${f.files} (skipped ${f.skipped}); Nomad accepts ${f.accepted}, refuses ${f.refused}`,
    `false errors: ${f.falseErrors.length} of ${f.accepted} accepted files`,
    `refusals caught: ${f.caught} of ${f.refused} (${pct(f.caught, f.refused)})`,
    `decoder equal: ${f.decoderEqual} of ${f.decoded} parsed files (${pct(f.decoderEqual, f.decoded)})`,
    `nomad fmt byte-identical: ${f.fmtEqual} of ${f.formattable} formattable files (${pct(f.fmtEqual, f.formattable)})`,
  ];
  if (detail) {
    for (const c of f.falseErrors)
      lines.push(
        `  FALSE ERROR ${c.file}: ${c.errors.map(e => `${e.range.start.line + 1}: ${e.message}`).join(' | ')}`,
      );
    for (const c of f.missed) lines.push(`  MISSED ${c.file}: ${c.reason.slice(0, 300)}`);
    for (const c of f.decoderUnequal) lines.push(`  DECODER ${c.file}: ${c.decoderDiff!.slice(0, 4).join('; ')}`);
    for (const file of f.fmtUnequal) lines.push(`  FMT ${file}`);
  }
  return lines.join('\n');
}
