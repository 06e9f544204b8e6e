import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allocationsThatMove, describeDeadline, drainBody, parseDeadline } from '../../../src/nomad/nodes';
import type { AllocationListStub } from '../../../src/nomad/types';

const a = (id: string, client: string, desired: string, type: string) =>
  ({ ID: id, ClientStatus: client, DesiredStatus: desired, JobType: type }) as unknown as AllocationListStub;

describe('node drain', () => {
  it('parses deadlines like the CLI: durations, force, none', () => {
    assert.equal(parseDeadline('1h'), 3600e9);
    assert.equal(parseDeadline('1h30m'), 5400e9);
    assert.equal(parseDeadline('90s'), 90e9);
    assert.equal(parseDeadline('force'), -1);
    assert.equal(parseDeadline('none'), 0);
    for (const bad of ['', 'soon', '1 hour', '-5m', '10']) assert.equal(parseDeadline(bad), undefined, bad);
    assert.equal(describeDeadline(-1), 'at once (forced)');
    assert.equal(describeDeadline(0), 'with no deadline');
    assert.equal(describeDeadline(5400e9), 'within 1.5 h');
  });
  it('moves live allocations, keeps terminal ones, and system ones when asked', () => {
    const allocs = [
      a('1', 'running', 'run', 'service'),
      a('2', 'complete', 'run', 'batch'),
      a('3', 'running', 'stop', 'service'),
      a('4', 'pending', 'run', 'batch'),
      a('5', 'running', 'run', 'system'),
    ];
    assert.deepEqual(
      allocationsThatMove(allocs, false).map(x => x.ID),
      ['1', '4', '5'],
    );
    assert.deepEqual(
      allocationsThatMove(allocs, true).map(x => x.ID),
      ['1', '4'],
    );
  });
  it('builds the drain request (and a cancel with DrainSpec null)', () => {
    assert.deepEqual(drainBody('n1', { deadlineNs: 60e9, ignoreSystemJobs: true }), {
      NodeID: 'n1',
      DrainSpec: { Deadline: 60e9, IgnoreSystemJobs: true },
      MarkEligible: false,
      Meta: null,
    });
    assert.deepEqual(drainBody('n1', null, true), { NodeID: 'n1', DrainSpec: null, MarkEligible: true, Meta: null });
  });
});
