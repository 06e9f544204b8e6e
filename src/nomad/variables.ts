// Nomad Variables (/v1/vars, /v1/var/:path) with check-and-set, and the two document formats the editor
// shows them in. Pure: no `vscode` import.
//
// Facts (Nomad 1.6.5, command/agent/variable_endpoint.go, nomad/structs/variables.go):
//   GET    /v1/vars?prefix=&namespace=     metadata only: Namespace, Path, Create/ModifyIndex, Create/ModifyTime
//   GET    /v1/var/:path                   the variable with its Items; 404 "variable not found"
//   PUT    /v1/var/:path?cas=N             body {Namespace, Path, Items}; 200 with the stored variable;
//                                          409 with the cluster's current variable when N is not its
//                                          ModifyIndex (cas=0: only if it does not exist yet)
//   DELETE /v1/var/:path?cas=N             204; 409 as above
//   403 "Permission denied" (the text names neither the path nor the capability)
//   paths: ^[a-zA-Z0-9-_~/]{1,128}$, under "nomad/" only "nomad/jobs…" and "nomad/job-templates/<name>";
//   items: at least one, at most 64 KiB in total.
// Item values are secrets: nothing here puts them in an error message.

import type { NomadClient } from './client';
import { isNomadError } from './errors';
import { plain, type Shown } from '../untrusted/shown';
import { hasInvisible, pathSegment } from './display';
import { variablePathProblem } from '../shared/variablePath';
import { refusalMessage, whyRefused, type TokenRefusal } from './tokens';

export interface VariableMeta {
  Namespace: string;
  Path: string;
  CreateIndex: number;
  ModifyIndex: number;
  /** unix nanoseconds */
  CreateTime: number;
  ModifyTime: number;
}

export interface Variable extends VariableMeta {
  Items: Record<string, string>;
}

export type VariableCapability = 'list' | 'read' | 'write' | 'destroy';

/** Why a variable operation got a 403: the token's policy, or a token the cluster does not take at all
 *  (Nomad answers "Permission denied" for every one of them; /v1/acl/token/self tells them apart). */
export type DeniedBecause = TokenRefusal;

/** A 403 on a variable operation: says which path and which capability the token lacks, or that the
 *  cluster does not know the token. */
export class VariableAccessDenied extends Error {
  constructor(
    readonly namespace: string,
    readonly path: string,
    readonly capability: VariableCapability,
    readonly because: DeniedBecause = 'policy',
  ) {
    const verb = capability === 'destroy' ? 'delete' : capability;
    const what =
      capability === 'list' ? `list variables${path ? ` under "${path}"` : ''}` : `${verb} the variable "${path}"`;
    super(
      because === 'policy'
        ? `The ACL token may not ${what} in namespace "${namespace}": its policy lacks the "${capability}" capability for that path.`
        : refusalMessage(because, `${what} in namespace "${namespace}"`, capability),
    );
    this.name = 'VariableAccessDenied';
  }
}

/** Any other refusal of a variable operation, with Nomad's text (which never holds item values for
 *  these statuses) and without the body of a conflict. */
export class VariableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

/** `alreadyWritten`: the cluster already held exactly these items at a newer index (an earlier attempt
 *  of this save landed, its answer was lost): the save is done, and nothing was written twice. */
export type WriteOutcome =
  { ok: true; variable: Variable; alreadyWritten?: boolean } | { ok: false; conflict: Variable | undefined };
export type DeleteOutcome = { ok: true } | { ok: false; conflict: Variable | undefined };

/** Nomad's own path rule (../shared/variablePath.ts), as a sentence (undefined when the path is valid). */
export function validateVariablePath(p: string): string | undefined {
  const problem = variablePathProblem(p);
  return problem && `${problem[0]!.toUpperCase()}${problem.slice(1)}.`;
}

/** /v1/var/<path> with every part escaped on its own (the slashes stay separators). */
export function variableApiPath(p: string): string {
  return `/v1/var/${p.split('/').map(pathSegment).join('/')}`;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * An empty set of items. Any key is data: `__proto__`, `constructor` or `toString` are items like any
 * other. On a plain `{}`, `items['__proto__'] = v` sets the prototype and the item is gone, and
 * `items['toString']` reads an inherited function: so items are only ever written with `setItem` (an own
 * property, defined, never assigned) and read with `itemEntries` / own-property checks.
 */
export function newItems(): Record<string, string> {
  return {};
}

export function setItem(items: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(items, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The items as pairs, own keys only, in the order given. */
export function itemEntries(items: Record<string, string>): [string, string][] {
  return Object.keys(items).map(k => [k, Object.getOwnPropertyDescriptor(items, k)!.value as string]);
}

/** Same keys, same values (own properties only). */
export function sameItems(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a),
    kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const m = new Map(itemEntries(b));
  return itemEntries(a).every(([k, v]) => m.has(k) && m.get(k) === v);
}

function asVariable(b: unknown): Variable | undefined {
  if (!b || typeof b !== 'object') return undefined;
  const o = b as Record<string, unknown>;
  if (typeof o['Path'] !== 'string') return undefined;
  const items = newItems();
  if (o['Items'] && typeof o['Items'] === 'object')
    for (const [k, v] of Object.entries(o['Items'] as Record<string, unknown>))
      setItem(items, k, typeof v === 'string' ? v : String(v));
  return {
    Namespace: typeof o['Namespace'] === 'string' ? o['Namespace'] : 'default',
    Path: o['Path'],
    CreateIndex: num(o['CreateIndex']),
    ModifyIndex: num(o['ModifyIndex']),
    CreateTime: num(o['CreateTime']),
    ModifyTime: num(o['ModifyTime']),
    Items: items,
  };
}

export class VariablesClient {
  constructor(private readonly client: NomadClient) {}

  /** Translate a failure; a 409's body (the cluster's variable, values included) is never kept. */
  private async fail(e: unknown, namespace: string, path: string, cap: VariableCapability): Promise<never> {
    if (isNomadError(e)) {
      if (e.kind === 'unauthorized' || e.status === 403)
        throw new VariableAccessDenied(namespace, path, cap, await whyRefused(this.client));
      if (e.status === 409) throw new VariableError('conflict', 409);
      // 4xx, and the 500 Nomad answers for a refused path or size: its reason (it names no value)
      if (e.status !== undefined && e.status >= 400) throw new VariableError(e.serverMessage || e.message, e.status);
    }
    throw e;
  }

  async list(namespace: string, prefix = '', signal?: AbortSignal): Promise<VariableMeta[]> {
    try {
      const r = await this.client.get<VariableMeta[] | null>(
        '/v1/vars',
        { namespace, ...(signal ? { signal } : {}) },
        { prefix: prefix || undefined },
      );
      return (r.body ?? []).map(m => ({
        Namespace: m.Namespace,
        Path: m.Path,
        CreateIndex: num(m.CreateIndex),
        ModifyIndex: num(m.ModifyIndex),
        CreateTime: num(m.CreateTime),
        ModifyTime: num(m.ModifyTime),
      }));
    } catch (e) {
      return this.fail(e, namespace, prefix, 'list');
    }
  }

  /** The variable, or undefined when there is none at that path. */
  async read(namespace: string, path: string): Promise<Variable | undefined> {
    try {
      const r = await this.client.get<unknown>(variableApiPath(path), { namespace });
      return asVariable(r.body);
    } catch (e) {
      if (isNomadError(e) && e.status === 404) return undefined;
      return this.fail(e, namespace, path, 'read');
    }
  }

  /**
   * Write with check-and-set: `cas` is the ModifyIndex of the version the change was made on (0 for a
   * variable that must not exist yet). On a conflict nothing is written and the cluster's current
   * version is read back (when the token may read it).
   */
  async write(namespace: string, path: string, items: Record<string, string>, cas: number): Promise<WriteOutcome> {
    try {
      const body = await this.client.write<unknown>(
        'PUT',
        variableApiPath(path),
        { Namespace: namespace, Path: path, Items: items },
        { namespace },
        { cas },
      );
      const v = asVariable(body);
      if (!v) throw new VariableError('Nomad answered the write without the stored variable.');
      return { ok: true, variable: v };
    } catch (e) {
      if (isNomadError(e) && e.status === 409) {
        const conflict = await this.read(namespace, path).catch(() => undefined);
        // our own write: an earlier save of exactly these items landed but its answer was lost, and the
        // save was made again with the old index. Not a change "on the cluster": it is the user's version.
        if (conflict && conflict.ModifyIndex > cas && sameItems(conflict.Items, items))
          return { ok: true, variable: conflict, alreadyWritten: true };
        return { ok: false, conflict };
      }
      if (isNomadError(e) && e.retryable) {
        // the answer was lost (a dropped connection, a timeout): the write may have been applied. Look
        // rather than report a failure the user would retry into a conflict with their own write.
        const now = await this.read(namespace, path).catch(() => undefined);
        if (now && now.ModifyIndex > cas && sameItems(now.Items, items))
          return { ok: true, variable: now, alreadyWritten: true };
      }
      return this.fail(e, namespace, path, 'write');
    }
  }

  async delete(namespace: string, path: string, cas: number): Promise<DeleteOutcome> {
    try {
      await this.client.write<unknown>('DELETE', variableApiPath(path), undefined, { namespace }, { cas });
      return { ok: true };
    } catch (e) {
      if (isNomadError(e) && e.status === 409)
        return { ok: false, conflict: await this.read(namespace, path).catch(() => undefined) };
      return this.fail(e, namespace, path, 'destroy');
    }
  }
}

// ---- document formats ------------------------------------------------------------------------------

export type VariableFormat = 'hcl' | 'json';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `\uXXXX` (or `\UXXXXXXXX` beyond the BMP) for a character that must not appear raw in a document:
 *  C0/C1 controls, line and paragraph separators (VS Code's "unusual line terminators" prompt would
 *  otherwise rewrite them), zero-width, bidi and other invisible characters, lone surrogates. */
function mustEscape(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c < 0x20 || c === 0x7f) return true;
  if (c < 0x80) return false;
  return (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) || hasInvisible(ch);
}

function hclEscape(ch: string): string {
  const c = ch.codePointAt(0)!;
  return c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** JSON.stringify, with the same characters escaped (JSON.stringify leaves U+2028, zero-width … raw). */
function jsonText(v: unknown): string {
  const text = JSON.stringify(v, null, 2);
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80 || !mustEscape(ch)) {
      out += ch;
      continue;
    }
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

function hclString(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (mustEscape(ch)) out += hclEscape(ch);
    else out += ch;
  }
  // HCL reads ${ and %{ as templates: written doubled, they read back as themselves
  return out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{') + '"';
}

/** The items as a document: HCL attributes (`key = "value"`, sorted) or a JSON object. */
export function formatItems(items: Record<string, string>, format: VariableFormat, header?: string): string {
  const entries = itemEntries(items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (format === 'json') {
    const o = newItems();
    for (const [k, v] of entries) setItem(o, k, v);
    return `${jsonText(o)}\n`;
  }
  const names = entries.map(([k]) => (BARE_KEY.test(k) ? k : hclString(k)));
  // keys are padded to line up, but not past 40 columns (a 64 KiB key would pad every line)
  const width = Math.min(40, Math.max(0, ...names.map(n => n.length)));
  const lines = entries.map(([, v], i) => `${names[i]!.padEnd(width)} = ${hclString(v)}`);
  return `${
    header
      ? header
          .split('\n')
          .map(l => `# ${l}`)
          .join('\n') + '\n'
      : ''
  }${lines.join('\n')}\n`;
}

export type ParseResult = { ok: true; items: Record<string, string> } | { ok: false; error: Shown };

/** Reads a document back. Errors name lines and keys, never values. */
export function parseItems(text: string, format: VariableFormat): ParseResult {
  if (format === 'json') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      return { ok: false, error: plain`Not valid JSON: ${(e as Error).message.replace(/".*"/g, '…')}` };
    }
    if (!v || typeof v !== 'object' || Array.isArray(v))
      return { ok: false, error: plain`The document must be one JSON object of key → string value.` };
    const items = newItems();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string') return { ok: false, error: plain`The value of "${k}" must be a string.` };
      setItem(items, k, x);
    }
    return { ok: true, items };
  }
  return parseHclItems(text);
}

function parseHclItems(text: string): ParseResult {
  const items = newItems();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('//')) continue;
    const at = `line ${i + 1}`;
    let rest: string, key: string;
    if (t.startsWith('"')) {
      const s = readString(t, 0);
      if (!s.ok) return { ok: false, error: plain`${at}: ${s.error} in a key.` };
      key = s.value;
      rest = t.slice(s.end).trimStart();
    } else {
      const m = /^([A-Za-z_][A-Za-z0-9_-]*)/.exec(t);
      if (!m) return { ok: false, error: plain`${at}: expected a key (a name or a quoted string).` };
      key = m[1]!;
      rest = t.slice(m[1]!.length).trimStart();
    }
    if (!rest.startsWith('=')) return { ok: false, error: plain`${at}: expected "=" after the key "${key}".` };
    rest = rest.slice(1).trimStart();
    if (Object.prototype.hasOwnProperty.call(items, key))
      return { ok: false, error: plain`${at}: the key "${key}" is set twice.` };
    const heredoc = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(rest);
    if (heredoc) {
      const body: string[] = [];
      let j = i + 1,
        closed = false;
      for (; j < lines.length; j++) {
        if (lines[j]!.trim() === heredoc[2]) {
          closed = true;
          break;
        }
        body.push(lines[j]!);
      }
      if (!closed) return { ok: false, error: plain`${at}: the heredoc of "${key}" has no closing ${heredoc[2]}.` };
      let b = body;
      if (heredoc[1] === '-') {
        const indent = Math.min(...b.filter(l => l.trim()).map(l => /^[ \t]*/.exec(l)![0].length));
        if (Number.isFinite(indent)) b = b.map(l => l.slice(indent));
      }
      setItem(items, key, b.length ? `${b.join('\n')}\n` : '');
      i = j;
      continue;
    }
    if (!rest.startsWith('"'))
      return { ok: false, error: plain`${at}: the value of "${key}" must be a quoted string or a heredoc (<<EOT).` };
    const s = readString(rest, 0);
    if (!s.ok) return { ok: false, error: plain`${at}: ${s.error} in the value of "${key}".` };
    const after = rest.slice(s.end).trim();
    if (after && !after.startsWith('#') && !after.startsWith('//'))
      return { ok: false, error: plain`${at}: unexpected text after the value of "${key}".` };
    setItem(items, key, s.value);
  }
  return { ok: true, items };
}

function readString(s: string, start: number): { ok: true; value: string; end: number } | { ok: false; error: Shown } {
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { ok: true, value: out, end: i + 1 };
    if (c === '\\') {
      const n = s[i + 1];
      if (n === 'n') out += '\n';
      else if (n === 'r') out += '\r';
      else if (n === 't') out += '\t';
      else if (n === '"' || n === '\\') out += n;
      else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 4;
      } else if (n === 'U' && /^[0-9a-fA-F]{8}$/.test(s.slice(i + 2, i + 10))) {
        out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 10), 16));
        i += 8;
      } else return { ok: false, error: plain`an unknown escape sequence` };
      i += 2;
      continue;
    }
    if (c === '$' && s[i + 1] === '$' && s[i + 2] === '{') {
      out += '${';
      i += 3;
      continue;
    }
    if (c === '%' && s[i + 1] === '%' && s[i + 2] === '{') {
      out += '%{';
      i += 3;
      continue;
    }
    if (c === '$' && s[i + 1] === '{')
      return { ok: false, error: plain`a template "\${…}" (write "$\${" for a literal)` };
    if (c === '%' && s[i + 1] === '{')
      return { ok: false, error: plain`a template "%{…}" (write "%%{" for a literal)` };
    out += c;
    i++;
  }
  return { ok: false, error: plain`an unclosed string` };
}
