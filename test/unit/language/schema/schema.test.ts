// The loader's lookups: structure, labels, facts, driver configs, functions and suggestions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attribute,
  childBlock,
  driverConfigSchema,
  editDistance,
  functions,
  functionSchema,
  generatedSchema,
  knownDrivers,
  rootSchema,
  suggest,
  type BlockSchema,
} from '../../../../src/language/schema';

function path(...names: string[]): BlockSchema {
  let s = rootSchema();
  for (const n of names) {
    const c = childBlock(s, n);
    assert.ok(c, `no block ${n} under ${s.name || 'file'}`);
    s = c;
  }
  return s;
}

void test('file level: job, variable, variables, locals', () => {
  const root = rootSchema();
  assert.deepEqual([...root.blocks.keys()].sort(), ['job', 'locals', 'variable', 'variables']);
  assert.deepEqual(path('job').labels, ['name']);
  assert.equal(path('job').multiple, false);
  assert.deepEqual(path('variable').labels, ['name']);
  assert.ok(attribute(path('variable'), 'default'));
  assert.equal(attribute(path('variable', 'validation'), 'condition')?.required, true);
  assert.equal(path('locals').open, true);
});

void test('job > group > task with labels and API fields', () => {
  const group = path('job', 'group');
  assert.deepEqual(group.labels, ['name']);
  assert.equal(group.multiple, true);
  assert.equal(group.apiField, 'TaskGroups');
  const task = path('job', 'group', 'task');
  assert.equal(task.apiField, 'Tasks');
  assert.equal(attribute(task, 'driver')?.type, 'string');
  assert.equal(attribute(task, 'kill_timeout')?.type, 'duration');
  assert.equal(attribute(path('job'), 'datacenters')?.type, 'list(string)');
  assert.equal(attribute(path('job'), 'type')?.enum?.join('|'), 'service|batch|system|sysbatch');
  assert.equal(attribute(path('job'), 'nonsense'), undefined);
  assert.equal(childBlock(path('job'), 'nonsense'), undefined);
});

void test('special decoding recorded by the generator', () => {
  const port = path('job', 'group', 'network', 'port');
  assert.deepEqual(port.labels, ['label']);
  assert.equal(port.apiField, 'DynamicPorts|ReservedPorts');
  assert.equal(attribute(port, 'static')?.apiField, 'Value');
  const scaling = path('job', 'group', 'task', 'scaling');
  assert.deepEqual(scaling.labels, ['name']);
  assert.deepEqual(path('job', 'group', 'scaling').labels, []);
  assert.deepEqual(path('job', 'group', 'scaling').requiredAttributes, ['max']);
  assert.equal(path('job', 'group', 'scaling', 'policy').open, true);
  assert.equal(attribute(path('job', 'constraint'), 'distinct_hosts')?.type, 'bool');
  assert.equal(attribute(path('job', 'group', 'affinity'), 'set_contains_any')?.alias, 'set_contains_any');
  assert.ok(childBlock(path('job'), 'vault'), 'job-level vault');
  assert.ok(childBlock(path('job'), 'task'), 'job-level task');
  assert.ok(childBlock(path('job', 'group'), 'vault'), 'group-level vault');
  assert.ok(attribute(path('job', 'periodic'), 'crons'));
  assert.ok(childBlock(path('job', 'group'), 'disconnect'));
  for (const m of [path('job', 'meta'), path('job', 'group', 'task', 'env')]) {
    assert.equal(m.attrSyntax, true);
    assert.equal(m.freeform, 'string');
    assert.equal(attribute(m, 'ANY_KEY')?.type, 'string');
  }
  assert.equal(path('job', 'group', 'task', 'config').driverConfig, true);
});

void test('the generated file names its source module', () => {
  const g = generatedSchema();
  assert.equal(g.module, 'github.com/hashicorp/nomad/api');
  assert.ok(g.releases.length >= 7, 'one entry per minor release read');
  for (const r of g.releases)
    assert.match(r.commit ?? '', /^[0-9a-f]{40}$/, `release ${r.version} names its tag's commit`);
  assert.equal(g.root, 'Job');
});

void test('driver configs', () => {
  const docker = driverConfigSchema('docker');
  assert.equal(attribute(docker, 'image')?.required, true);
  assert.ok(childBlock(docker, 'auth'));
  assert.ok(childBlock(docker, 'mount')?.multiple);
  assert.equal(childBlock(docker, 'port_map')?.deprecation?.fix, 'docker-port-map-to-network');
  assert.equal(attribute(driverConfigSchema('raw_exec'), 'command')?.required, true);
  assert.equal(attribute(driverConfigSchema('raw_exec'), 'image'), undefined);
  for (const d of ['docker', 'raw_exec', 'exec', 'java', 'podman', 'qemu']) assert.ok(knownDrivers().includes(d), d);
  const other = driverConfigSchema('my-custom-driver');
  assert.equal(other.open, true);
  assert.ok(attribute(other, 'whatever'));
  assert.ok(childBlock(other, 'anything'));
  assert.equal(driverConfigSchema('docker'), docker, 'cached');
});

void test('functions', () => {
  const names = functions().map(f => f.name);
  assert.equal(new Set(names).size, names.length, 'no duplicates');
  for (const n of ['format', 'jsonencode', 'try', 'can', 'merge', 'file', 'regex_replace', 'uuidv4'])
    assert.ok(names.includes(n), n);
  assert.equal(functions().length, 83, 'the jobspec2 function table has 83 entries');
  assert.equal(functionSchema('format')?.params[1]?.variadic, true);
  assert.equal(functionSchema('file')?.filesystem, true);
  assert.equal(functionSchema('uuidv4')?.params.length, 0);
});

void test('edit distance and suggestions', () => {
  assert.equal(editDistance('group', 'group', 2), 0);
  assert.equal(editDistance('gruop', 'group', 2), 1, 'transposition counts once');
  assert.equal(editDistance('grp', 'group', 2), 2);
  assert.equal(editDistance('abcdefgh', 'zz', 2), 3, 'bounded');
  const task = path('job', 'group', 'task');
  assert.equal(suggest('drvier', task.attributes.keys()), 'driver');
  assert.equal(suggest('resouces', task.blocks.keys()), 'resources');
  assert.equal(suggest('Group', ['group', 'task']), 'group');
  assert.equal(suggest('xyzzy', task.blocks.keys()), undefined);
  assert.equal(suggest('a', ['b']), 'b');
  assert.equal(suggest('max_paralel', path('job', 'update').attributes.keys()), 'max_parallel');
});
