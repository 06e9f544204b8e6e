// "Run exactly the plan you saw": the differences between the plan shown and a new plan of the same job.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlanViewModel } from '../../../../src/nomad/plan/viewModel';
import { describeDifferences, planDifferences } from '../../../../src/nomad/plan/samePlan';
import type { JobPlanResponse } from '../../../../src/nomad/types';

const metric = (available: number) => ({
  AllocationTime: 1,
  ClassExhausted: null,
  ClassFiltered: null,
  CoalescedFailures: 0,
  ConstraintFiltered: null,
  DimensionExhausted: null,
  NodesAvailable: { dc1: available },
  NodesEvaluated: available,
  NodesExhausted: 0,
  NodesFiltered: 0,
  NodesInPool: 1,
  QuotaExhausted: null,
  ResourcesExhausted: null,
  ScoreMetaData: null,
  Scores: null,
});

function plan(place: number, failed: boolean, image = 'app:2', index = 7): JobPlanResponse {
  return {
    Annotations: {
      DesiredTGUpdates: {
        web: {
          Place: place,
          Stop: 0,
          InPlaceUpdate: 0,
          DestructiveUpdate: 0,
          Migrate: 0,
          Canary: 0,
          Ignore: 0,
          Preemptions: 0,
        },
      } as never,
      PreemptedAllocs: null,
    },
    FailedTGAllocs: failed ? ({ web: metric(0) } as never) : null,
    JobModifyIndex: index,
    NextPeriodicLaunch: '0001-01-01T00:00:00Z',
    Warnings: '',
    CreatedEvals: null,
    Index: index,
    Diff: {
      Type: 'Edited',
      ID: 'j',
      Fields: null,
      Objects: null,
      TaskGroups: [
        {
          Type: 'Edited',
          Name: 'web',
          Fields: null,
          Objects: null,
          Updates: { create: place },
          Tasks: [
            {
              Type: 'Edited',
              Name: 't',
              Annotations: null,
              Objects: null,
              Fields: [{ Type: 'Edited', Name: 'Config.image', Old: 'app:1', New: image, Annotations: null }],
            },
          ],
        },
      ],
    },
  } as unknown as JobPlanResponse;
}

const vm = (p: JobPlanResponse) => buildPlanViewModel('j', p, 'j.nomad.hcl');

describe('same plan at Run', () => {
  it('finds no difference in the same answer (the job modify index is left to check-index)', () => {
    assert.deepEqual(planDifferences(vm(plan(2, false)), vm(plan(2, false, 'app:2', 99))), []);
  });
  it('names a placement that now fails (a node made ineligible, capacity taken)', () => {
    const d = planDifferences(vm(plan(2, false)), vm(plan(2, true)));
    assert.ok(
      d.some(x => x.what === 'group "web": placement' && x.shown === 'all placed' && /fails to place/.test(x.now)),
      JSON.stringify(d),
    );
    assert.match(describeDifferences(d), /was all placed — now fails to place/);
  });
  it('names changed update counts and a changed job diff', () => {
    const d = planDifferences(vm(plan(2, false)), vm(plan(3, false, 'app:3')));
    assert.ok(
      d.some(x => x.what === 'group "web": updates'),
      JSON.stringify(d),
    );
    assert.ok(
      d.some(x => x.what === 'job diff' && /app:3/.test(x.now)),
      JSON.stringify(d),
    );
  });
});
