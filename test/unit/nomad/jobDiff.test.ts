import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffJobs, renderDiff } from '../../../src/nomad/jobDiff';

const v0 = {
  ID: 'web',
  Version: 0,
  ModifyIndex: 10,
  Datacenters: ['dc1'],
  Meta: null,
  TaskGroups: [
    {
      Name: 'api',
      Count: 1,
      Tasks: [{ Name: 'srv', Config: { image: 'app:1', args: ['-p', '80'] }, Env: { A: '1' } }],
    },
    { Name: 'worker', Count: 2, Tasks: [{ Name: 'w', Config: { image: 'w:1' } }] },
  ],
};
const v1 = {
  ID: 'web',
  Version: 1,
  ModifyIndex: 20,
  Datacenters: ['dc1', 'dc2'],
  Meta: { team: 'x' },
  TaskGroups: [
    { Name: 'worker', Count: 2, Tasks: [{ Name: 'w', Config: { image: 'w:1' } }] },
    { Name: 'api', Count: 3, Tasks: [{ Name: 'srv', Config: { image: 'app:2', args: ['-p', '80'] } }] },
  ],
};

describe('job version diff', () => {
  it('lists added, removed and changed fields by path; keyed arrays ignore order; bookkeeping ignored', () => {
    const d = diffJobs(v0, v1);
    assert.deepEqual(
      d.map(l => `${l.op} ${l.path}`),
      [
        '~ Datacenters',
        '+ Meta.team',
        '~ TaskGroups[api].Count',
        '- TaskGroups[api].Tasks[srv].Env.A',
        '~ TaskGroups[api].Tasks[srv].Config.image',
      ].sort((a, b) => (a.slice(2) < b.slice(2) ? -1 : 1)),
    );
    assert.ok(!d.some(l => l.path.startsWith('Version') || l.path.startsWith('ModifyIndex')));
  });
  it('renders old => new and says when nothing differs', () => {
    const text = renderDiff(diffJobs(v0, v1));
    assert.match(text, /~ TaskGroups\[api\]\.Count: 1 => 3/);
    assert.match(text, /\+ Meta\.team = "x"/);
    assert.equal(renderDiff(diffJobs(v0, { ...v0, Version: 7 })), '  (no difference)\n');
  });
  it('makes cluster strings visible', () => {
    assert.match(renderDiff(diffJobs({ Meta: { a: 'x' } }, { Meta: { a: 'y\u202e' } })), /\\u202e/);
  });
});
