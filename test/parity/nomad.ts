// What a real Nomad says about a job file, asked the way `nomad job validate` asks it: /v1/jobs/parse
// (Canonicalize false, so the Job JSON is what our decoder must produce), then /v1/validate/job with the
// parsed job. Also `nomad fmt` of the file. Used by the capture script (fixtures) and the live parity
// layer; nothing here knows about our own analysis (see ./compare.ts).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call } from '../contract/http';
import { parse, type Block, type Expression } from '../../src/language/hcl';

/** Nomad's answers for one job file: facts, stored as a fixture. */
export interface Verdict {
  /** path relative to the corpus root (`valid/x.hcl`) */
  file: string;
  /** sha256 of the file's text when it was captured (a changed file makes the fixture stale) */
  sha256: string;
  /** the Variables sent with the parse request (values for variables without a default), or null */
  variables: string | null;
  /** why the file was not asked about (it uses file(), …), when it was not */
  skipped?: string;
  parse?: { status: number; error?: string; job?: unknown };
  validate?: { status: number; error: string | null; errors: string[]; warnings: string | null };
  /** sha256 of `nomad fmt`'s output, or null when nomad fmt refuses the file (syntax error) */
  fmt?: string | null;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Nomad accepts the file: it parses and validation finds no error. */
export function accepted(v: Verdict): boolean {
  return v.parse?.status === 200 && v.validate?.status === 200 && !v.validate.error;
}

/** Nomad refuses the file: it does not parse, or validation reports an error. */
export function refused(v: Verdict): boolean {
  return !v.skipped && v.parse !== undefined && !accepted(v);
}

/** The reason Nomad gave, one line. */
export function reason(v: Verdict): string {
  if (v.parse && v.parse.status !== 200) return (v.parse.error ?? `parse ${v.parse.status}`).replace(/\s+/g, ' ');
  return (v.validate?.error ?? '').replace(/\s+/g, ' ');
}

// ---- variables ---------------------------------------------------------------------------------------

/** An HCL value of a variable type expression (`string`, `list(number)`, `object({a = string})`). */
function sampleOf(type: Expression | undefined): string {
  if (!type) return '"x"';
  if (type.kind === 'ScopeTraversal' && type.steps.length === 0) {
    switch (type.root) {
      case 'number':
        return '1';
      case 'bool':
        return 'true';
      default:
        return '"x"';
    }
  }
  if (type.kind === 'FunctionCall') {
    switch (type.name) {
      case 'list':
      case 'set':
      case 'tuple':
        return '[]';
      case 'map':
        return '{}';
      case 'object': {
        const o = type.args[0];
        if (o?.kind !== 'Object') return '{}';
        return `{ ${o.items.map(i => `${i.keyName ?? 'x'} = ${sampleOf(i.value)}`).join(', ')} }`;
      }
      default:
        return '"x"';
    }
  }
  return '"x"';
}

/** A variables file giving a value to every variable without a default (null when none is needed). */
export function variablesFor(text: string): string | null {
  const file = parse(text);
  const lines: string[] = [];
  for (const item of file.body.items) {
    if (item.kind !== 'Block' || item.type !== 'variable' || item.labels.length !== 1) continue;
    const b: Block = item;
    let hasDefault = false;
    let type: Expression | undefined;
    for (const a of b.body.items) {
      if (a.kind !== 'Attribute') continue;
      if (a.name === 'default') hasDefault = true;
      if (a.name === 'type') type = a.expr;
    }
    if (!hasDefault) lines.push(`${b.labels[0]!.value} = ${sampleOf(type)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : null;
}

/** Why a file cannot be asked about through the HTTP API, if it cannot. */
export function unaskable(text: string): string | undefined {
  if (/\bfile\s*\(/.test(text)) return 'uses file(), which /v1/jobs/parse disables';
  if (/^\s*\{/.test(text)) return 'JSON job file (/v1/jobs/parse reads HCL only)';
  return undefined;
}

// ---- asking the agent -----------------------------------------------------------------------------------

const madeNamespaces = new Set<string>(['default']);
const madePools = new Set<string>(['default', 'all']);

/** Creates the namespace / node pool a parsed job names, so validation judges the job and not the agent. */
async function prepare(addr: string, job: Record<string, unknown>): Promise<void> {
  const ns = typeof job.Namespace === 'string' && job.Namespace ? job.Namespace : undefined;
  if (ns && !madeNamespaces.has(ns)) {
    await call(addr, 'PUT', `/v1/namespace/${encodeURIComponent(ns)}`, { body: { Name: ns } });
    madeNamespaces.add(ns);
  }
  const pool = typeof job.NodePool === 'string' && job.NodePool ? job.NodePool : undefined;
  if (pool && !madePools.has(pool)) {
    await call(addr, 'PUT', '/v1/node/pools', { body: { Name: pool } });
    madePools.add(pool);
  }
}

/** parse + validate of one file against a running agent. */
export async function askAgent(addr: string, rel: string, text: string): Promise<Verdict> {
  const v: Verdict = { file: rel, sha256: sha256(text), variables: variablesFor(text) };
  const skip = unaskable(text);
  if (skip) {
    v.skipped = skip;
    return v;
  }
  const p = await call(addr, 'POST', '/v1/jobs/parse', {
    body: { JobHCL: text, Canonicalize: false, Variables: v.variables ?? '' },
  });
  if (p.status !== 200) {
    v.parse = { status: p.status, error: p.text.trim() };
    return v;
  }
  v.parse = { status: 200, job: p.json };
  const job = p.json as Record<string, unknown>;
  await prepare(addr, job);
  const r = await call(addr, 'POST', '/v1/validate/job', { body: { Job: job } });
  if (r.status !== 200) {
    v.validate = { status: r.status, error: r.text.trim(), errors: [r.text.trim()], warnings: null };
    return v;
  }
  const body = r.json as { Error?: string; ValidationErrors?: string[] | null; Warnings?: string };
  v.validate = {
    status: 200,
    error: body.Error || null,
    errors: body.ValidationErrors ?? [],
    warnings: body.Warnings || null,
  };
  return v;
}

/** `nomad fmt` of a text (written to a temporary .nomad file and formatted in place, as the CLI does). */
export function nomadFmt(bin: string, text: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-fmt-'));
  try {
    const f = path.join(dir, 'job.nomad');
    fs.writeFileSync(f, text);
    const r = spawnSync(bin, ['fmt', '-list=false', f], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) return null;
    return fs.readFileSync(f, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- corpus -------------------------------------------------------------------------------------------------

/** Job files under a corpus root (`valid/…`, `invalid/…`, any depth), relative paths, sorted. */
export function corpusFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(hcl|nomad)$/.test(e.name)) out.push(path.relative(root, p));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}

/** The fixture file name of a corpus file. */
export function fixtureName(rel: string): string {
  return `${rel.replace(/[\\/]/g, '__')}.json`;
}
