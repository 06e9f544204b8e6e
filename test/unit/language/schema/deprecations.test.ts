// The deprecation table points at real schema entries (or, for removed names, at names that are gone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allDeprecations,
  attribute,
  childBlock,
  deprecationFor,
  driverConfigSchema,
  generatedSchema,
  memberRange,
  rootSchema,
  type BlockSchema,
} from '../../../../src/language/schema';

function ownerExists(owner: string, name: string): boolean {
  if (owner.startsWith('driver:')) {
    const s = driverConfigSchema(owner.slice('driver:'.length));
    return !s.open && (s.attributes.has(name) || s.blocks.has(name));
  }
  const t = generatedSchema().types[owner];
  if (!t) return false;
  return t.attributes.some(a => a.name === name) || t.blocks.some(b => b.name === name);
}

void test('each deprecation has a message, a fix id and a real target', () => {
  const seen = new Set<string>();
  for (const d of allDeprecations()) {
    assert.ok(!seen.has(d.path), `duplicate ${d.path}`);
    seen.add(d.path);
    assert.ok(d.message.length > 20, d.path);
    assert.match(d.fix, /^[a-z][a-z0-9-]*$/, d.path);
    const dot = d.path.lastIndexOf('.');
    const owner = d.path.slice(0, dot);
    const name = d.path.slice(dot + 1);
    if (d.removed) {
      assert.equal(d.severity, 'error', `${d.path}: removed names are errors`);
      assert.ok(generatedSchema().types[owner], `${d.path}: owner type exists`);
      // a removed name stays in the merged schema for the releases that had it, with the release that dropped it
      assert.equal(memberRange(owner, name)?.until, d.since, `${d.path}: removed in the release the schema says`);
    } else {
      assert.ok(ownerExists(owner, name), `${d.path} does not name a schema entry`);
    }
  }
});

void test('deprecations are attached to the schema entries', () => {
  const group = childBlock(childBlock(rootSchema(), 'job')!, 'group')!;
  assert.equal(attribute(group, 'max_client_disconnect')?.deprecation?.fix, 'disconnect-lost-after');
  assert.equal(attribute(group, 'stop_after_client_disconnect')?.deprecation?.severity, 'warning');
  const task = childBlock(group, 'task')!;
  const resources = childBlock(task, 'resources')!;
  assert.equal(childBlock(resources, 'network')?.deprecation?.fix, 'move-network-to-group');
  const groupNetwork = childBlock(group, 'network') as BlockSchema;
  assert.equal(groupNetwork.deprecation, undefined, 'group network is fine');
  assert.equal(attribute(groupNetwork, 'mbits')?.deprecation?.fix, 'remove-attribute');
  assert.equal(deprecationFor('Job', 'vault_token')?.severity, 'error');
  assert.equal(deprecationFor('Job', 'consul_token')?.removed, true);
  assert.equal(attribute(childBlock(rootSchema(), 'job')!, 'vault_token'), undefined);
  // a release that still has it: an ordinary attribute, no removal attached
  const oldJob = childBlock(rootSchema('1.9.7'), 'job')!;
  assert.equal(attribute(oldJob, 'vault_token')?.type, 'string');
  assert.equal(attribute(oldJob, 'vault_token')?.deprecation, undefined);
});
