// Shared helpers of the HCL parser tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse, type Attribute, type Block, type Body, type Expression, type HclFile, type Range } from '../../../src/language/hcl';

/** text covered by a range */
export function at(file: HclFile, r: Range | undefined): string {
  assert.ok(r, 'range is defined');
  return file.text.slice(r.start, r.end);
}

export function parseOk(text: string): HclFile {
  const f = parse(text);
  assert.deepEqual(f.errors.map(e => `${e.code}: ${e.message}`), [], 'no syntax errors');
  return f;
}

export function attr(body: Body, name: string): Attribute {
  const a = body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}

export function block(body: Body, type: string, label?: string): Block {
  const b = body.items.find((i): i is Block => i.kind === 'Block' && i.type === type && (label === undefined || i.labels[0]?.value === label));
  assert.ok(b, `block ${type} ${label ?? ''}`);
  return b;
}

/** parses `x = <expr>` and returns the expression (no errors allowed) */
export function expr(source: string): { file: HclFile; e: Expression } {
  const file = parseOk(`x = ${source}\n`);
  return { file, e: attr(file.body, 'x').expr };
}

export function narrow<K extends Expression['kind']>(e: Expression, kind: K): Extract<Expression, { kind: K }> {
  assert.equal(e.kind, kind);
  return e as Extract<Expression, { kind: K }>;
}

/** the shared corpus (../shared/corpus relative to the repo root), or undefined when absent */
export function corpusDir(kind: 'valid' | 'invalid'): string | undefined {
  let dir = __dirname;
  // out/test/unit/hcl or test/unit/hcl: walk up to the directory holding package.json
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const p = path.resolve(dir, '..', 'shared', 'corpus', kind);
  return fs.existsSync(p) ? p : undefined;
}
