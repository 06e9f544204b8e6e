// Every block and attribute has hover text, and the description tables have no stale keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descriptions, attributeFacts } from '../../../../src/language/schema/descriptions';
import {
  driverConfigSchema,
  functions,
  generatedSchema,
  knownDrivers,
  rootSchema,
  type BlockSchema,
} from '../../../../src/language/schema';

function walk(s: BlockSchema, where: string, seen: Set<BlockSchema>, missing: string[]): void {
  if (seen.has(s)) return;
  seen.add(s);
  if (!s.description.trim()) missing.push(`${where} (block)`);
  for (const a of s.attributes.values()) if (!a.description.trim()) missing.push(`${where}.${a.name}`);
  for (const c of s.blocks.values()) walk(c, `${where} > ${c.name}`, seen, missing);
}

void test('every block and attribute reachable from the root has a description', () => {
  const missing: string[] = [];
  const seen = new Set<BlockSchema>();
  walk(rootSchema(), 'file', seen, missing);
  assert.deepEqual(missing, []);
  assert.ok(seen.size > 100, `walked ${seen.size} blocks`);
});

void test('every driver config entry has a description', () => {
  const missing: string[] = [];
  for (const d of knownDrivers()) walk(driverConfigSchema(d), `driver:${d}`, new Set(), missing);
  assert.deepEqual(missing, []);
});

void test('every generated type and member is described, and no description is stale', () => {
  const g = generatedSchema();
  const missing: string[] = [];
  for (const [id, t] of Object.entries(g.types)) {
    const d = descriptions[id];
    if (!d?.['']) missing.push(id);
    for (const a of t.attributes) if (!d?.[a.name]) missing.push(`${id}.${a.name}`);
    for (const b of t.blocks) {
      if (!d?.[b.name] && !descriptions[b.type]?.['']) missing.push(`${id} > ${b.name}`);
      // blocks of the generic map types need their own words under the parent
      if (['StringMap', 'AnyMap', 'StringListMap', 'DriverConfig'].includes(b.type) && !d?.[b.name])
        missing.push(`${id} > ${b.name} (map)`);
    }
  }
  assert.deepEqual(missing, []);
  const stale: string[] = [];
  for (const [id, members] of Object.entries(descriptions)) {
    const t = g.types[id];
    if (!t) {
      stale.push(id);
      continue;
    }
    for (const k of Object.keys(members)) {
      if (k !== '' && !t.attributes.some(a => a.name === k) && !t.blocks.some(b => b.name === k))
        stale.push(`${id}.${k}`);
    }
  }
  for (const key of Object.keys(attributeFacts)) {
    const [id, name] = key.split('.') as [string, string];
    if (!g.types[id]?.attributes.some(a => a.name === name)) stale.push(`facts ${key}`);
  }
  assert.deepEqual(stale, []);
});

void test('descriptions are short: one to three sentences', () => {
  const long: string[] = [];
  for (const [id, members] of Object.entries(descriptions)) {
    for (const [k, text] of Object.entries(members)) if (text.length > 400) long.push(`${id}.${k}`);
  }
  assert.deepEqual(long, []);
});

void test('every function has a description and a return type', () => {
  for (const f of functions()) {
    assert.ok(f.description.length > 10, f.name);
    assert.ok(f.returns, f.name);
  }
});
