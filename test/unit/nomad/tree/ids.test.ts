// Identity is structural: tree ids and job keys are injective over their path, whatever the
// names hold. Job `coll` with group `x:y` and job `coll:x` with group `y` collided when ids were joined
// with ':' (the row under `coll` showed the other job's allocation; Scale opened "Scale coll:x / y").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTreeId, treeId } from '../../../../src/nomad/tree/ids';
import { ClusterModel, jobKey, splitJobKey } from '../../../../src/nomad/tree/model';
import type { AllocationListStub, JobListStub } from '../../../../src/nomad/types';
import { mulberry32 } from '../../support';

test('the reported collision: coll / x:y and coll:x / y are two ids', () => {
  assert.notEqual(treeId('group', 'default', 'coll', 'x:y'), treeId('group', 'default', 'coll:x', 'y'));
  assert.notEqual(jobKey('default', 'coll'), jobKey('default', 'coll:x'));
  // and the other separators people reach for
  for (const sep of [':', '/', '\u0000', '|', ',', '"', '\\', '[', ']', '", "']) {
    assert.notEqual(treeId('task', `a${sep}b`, 'c'), treeId('task', 'a', `b${sep}c`), JSON.stringify(sep));
    assert.notEqual(jobKey(`a${sep}b`, 'c'), jobKey('a', `b${sep}c`), JSON.stringify(sep));
  }
  assert.notEqual(treeId('a', 'b'), treeId('a', 'b', ''), 'an empty last part is a part');
  assert.notEqual(treeId('dep', 'x'), treeId('de', 'px'), 'the kind is delimited too');
});

test('injective and reversible over random paths of hostile names', () => {
  const rnd = mulberry32(22);
  const alphabet = ['a', ':', '/', '"', '\\', '[', ']', ',', '\u0000', '\u2028', ' ', '', 'é', '🚀'];
  const seen = new Map<string, string>();
  for (let n = 0; n < 5000; n++) {
    const parts: string[] = [];
    for (let p = 0; p < 1 + Math.floor(rnd() * 3); p++) {
      let s = '';
      for (let c = 0; c < Math.floor(rnd() * 4); c++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      parts.push(s);
    }
    const id = treeId('k', ...parts);
    const path = JSON.stringify(parts);
    const before = seen.get(id);
    assert.ok(before === undefined || before === path, `${id} for ${before} and ${path}`);
    seen.set(id, path);
    assert.deepEqual(parseTreeId(id), { kind: 'k', path: parts });
    const [ns, job] = [parts[0]!, parts[1] ?? ''];
    assert.deepEqual(splitJobKey(jobKey(ns || 'default', job)), [ns || 'default', job]);
  }
  assert.equal(parseTreeId('not an id'), undefined);
});

test('the model keeps the two jobs and their groups apart', () => {
  const m = new ClusterModel();
  const stub = (id: string, group: string): JobListStub =>
    ({
      ID: id,
      Name: id,
      Namespace: 'default',
      Type: 'service',
      Status: 'running',
      Stop: false,
      JobModifyIndex: 1,
      ModifyIndex: 1,
      CreateIndex: 1,
      JobSummary: { Summary: { [group]: { Running: 1 } } },
    }) as unknown as JobListStub;
  const alloc = (id: string, job: string, group: string): AllocationListStub =>
    ({
      ID: id,
      Name: `${job}.${group}[0]`,
      JobID: job,
      Namespace: 'default',
      TaskGroup: group,
      ClientStatus: 'running',
      DesiredStatus: 'run',
      CreateIndex: 1,
      ModifyIndex: 1,
      TaskStates: {},
    }) as unknown as AllocationListStub;
  m.setJobs([stub('coll', 'x:y'), stub('coll:x', 'y')], 'default');
  m.setAllocations([alloc('a-coll', 'coll', 'x:y'), alloc('a-collx', 'coll:x', 'y')], true);
  assert.deepEqual(
    m.allocations(jobKey('default', 'coll'), 'x:y').map(a => a.ID),
    ['a-coll'],
  );
  assert.deepEqual(
    m.allocations(jobKey('default', 'coll:x'), 'y').map(a => a.ID),
    ['a-collx'],
  );
  assert.deepEqual(
    m.allocations(jobKey('default', 'coll'), 'y').map(a => a.ID),
    [],
  );
});
