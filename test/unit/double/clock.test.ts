// The double's timed transitions never fire early: they re-check the clock and re-arm until due.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { at, ManualClock } from '../../double/clock';
import { NomadDouble } from '../../double/nomad';

test('a timer that fires early re-arms instead of running', () => {
  const clock = new ManualClock(1000, 3); // every timer fires 3 ms before its time
  let ran = 0;
  at(clock, 1000 + 100, () => {
    ran++;
  });
  clock.advance(97); // the (early) timer fired here
  assert.equal(ran, 0, 'not due yet: it must not run');
  assert.ok(clock.fired >= 1, 'the early timer did fire');
  assert.equal(clock.pending, 1, 're-armed');
  clock.advance(2);
  assert.equal(ran, 0, 'still 1 ms early');
  clock.advance(1);
  assert.equal(ran, 1, 'runs once due');
  clock.advance(1000);
  assert.equal(ran, 1, 'runs once only');
});

test('a deadline that moves later is followed; a cancelled one never runs', () => {
  const clock = new ManualClock(0);
  let due = 50;
  let ran = 0;
  const d = at(
    clock,
    () => due,
    () => {
      ran++;
    },
  );
  clock.advance(30);
  due = 80; // progress made: the deadline moved
  clock.advance(25); // t = 55: the first timer fired, re-armed for 80
  assert.equal(ran, 0);
  clock.advance(25);
  assert.equal(ran, 1);
  assert.equal(d.done, true);
  const c = at(clock, clock.now() + 10, () => {
    ran++;
  });
  c.cancel();
  c.cancel();
  clock.advance(100);
  assert.equal(ran, 1);
  assert.equal(clock.pending, 0);
});

const S = 1_000_000_000;
async function until(what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

test(
  'the double fails a deployment exactly at its progress deadline, driven by a manual clock that fires early',
  { timeout: 60_000 },
  async () => {
    const clock = new ManualClock(Date.now(), 5);
    const d = await NomadDouble.start({ clock, restartDelayMs: 10 });
    try {
      const job = {
        ID: 'pd',
        Name: 'pd',
        Type: 'service',
        Datacenters: ['dc1'],
        TaskGroups: [
          {
            Name: 'g',
            Count: 1,
            Update: {
              MaxParallel: 1,
              HealthCheck: 'task_states',
              MinHealthyTime: 1 * S,
              HealthyDeadline: 20 * S,
              ProgressDeadline: 30 * S,
              AutoRevert: false,
            },
            RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
            Tasks: [
              {
                Name: 't',
                Driver: 'raw_exec',
                Config: { command: '/bin/does-not-exist' },
                Resources: { CPU: 20, MemoryMB: 16 },
              },
            ],
          },
        ],
      };
      const reg = await fetch(`${d.addr}/v1/jobs`, { method: 'PUT', body: JSON.stringify({ Job: job }) });
      assert.equal(reg.status, 200, await reg.text());
      const deployment = async () => {
        const r = await fetch(`${d.addr}/v1/job/pd/deployment`);
        return (await r.json()) as { Status: string; StatusDescription: string } | null;
      };
      await until('a running deployment', async () => (await deployment())?.Status === 'running');
      // the task fails at once (missing binary), the allocation turns unhealthy; the deployment stays running
      // until the progress deadline, as Nomad does when the group can be rescheduled
      await until('an unhealthy allocation', async () => {
        const allocs = (await (await fetch(`${d.addr}/v1/job/pd/allocations`)).json()) as Array<{
          ClientStatus: string;
        }>;
        return allocs.some(a => a.ClientStatus === 'failed');
      });
      clock.advance(30_000 - 5); // the early timer fires here: 5 ms before the deadline
      await new Promise(r => setTimeout(r, 100));
      assert.equal((await deployment())?.Status, 'running', 'not failed before its deadline');
      clock.advance(5);
      await until('the deployment to fail', async () => (await deployment())?.Status === 'failed');
      assert.match((await deployment())!.StatusDescription, /progress deadline/);
    } finally {
      await d.stop();
    }
  },
);
