// Every loop that talks to a cluster has a floor: each one is driven here against a server
// that answers at once — with index 1 for ever, with no index, with an empty stream, with a 500 — on a
// fake clock, and the requests made in a bounded window of fake time are counted. A loop without a floor
// makes thousands without the fake clock moving; these stop it at 10,000 and fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, IndexGate } from '../../../src/nomad/pace';
import { EventStreamFollower } from '../../../src/nomad/events';
import { LogFollower } from '../../../src/nomad/logs/follower';
import { followRollback, watchRun } from '../../../src/nomad/deploy/watch';
import { ClusterSync } from '../../../src/nomad/tree/sync';
import { ClusterModel } from '../../../src/nomad/tree/model';
import { NomadError } from '../../../src/nomad/errors';
import type { OpenStream } from '../../../src/nomad/transport';
import type { QueryResult } from '../../../src/nomad/client';
import type { Deployment, Evaluation, Job } from '../../../src/nomad/types';
import { FakeClock, countRequests, pacedBound } from '../support';

const WINDOW = 60_000;
const BOUND = pacedBound(WINDOW);
const aborted = (): Error => Object.assign(new Error('Aborted'), { name: 'AbortError' });
const serverError = (): NomadError => new NomadError({ kind: 'server', status: 500, message: 'boom' });

function stream(chunks: string[]): OpenStream {
  return {
    status: 200,
    headers: {},
    close: () => undefined,
    body: (async function* () {
      for (const c of chunks) yield Buffer.from(c);
    })(),
  };
}

function check(n: number, what: string): void {
  assert.ok(n <= BOUND, `${what}: ${n} requests in ${WINDOW / 1000} s of fake time (at most ${BOUND})`);
  assert.ok(n >= 4, `${what}: it still asks again (${n} requests)`);
}

test('Pacer: the floor holds whatever the loop reports, and a long blocking answer is not delayed', async () => {
  const clock = new FakeClock();
  const p = new Pacer(clock, () => 0, { floorMs: 0 });
  await p.turn();
  p.progress();
  const t0 = clock.now();
  await p.turn();
  assert.equal(clock.now() - t0, 50, 'a floor of 0 is raised to 50 ms');
  p.noProgress();
  clock.t += 5 * 60_000; // the request blocked for five minutes
  const t1 = clock.now();
  await p.turn();
  assert.equal(clock.now(), t1, 'no pause after an answer that took longer than the backoff');
});

test('IndexGate: same, missing and backwards indexes are judged as Nomad says', () => {
  const g = new IndexGate(new Pacer(new FakeClock(), () => 0));
  assert.equal(g.answered(5), 'advanced');
  assert.equal(g.index, 5);
  assert.equal(g.answered(5), 'same');
  assert.equal(g.index, 5);
  assert.equal(g.answered(3), 'reset');
  assert.equal(g.index, 0);
  assert.equal(g.answered(4), 'advanced');
  assert.equal(g.index, 4);
  assert.equal(g.answered(0), 'unindexed');
  assert.equal(g.index, 0);
  assert.equal(g.answered(Number.NaN), 'unindexed');
});

const streamCases: [string, () => OpenStream | Error][] = [
  ['an empty stream that ends at once', () => stream([])],
  ['a heartbeat, then the end', () => stream(['{}\n'])],
  ['the same event index every time', () => stream(['{"Index":7,"Events":[]}\n'])],
  ['a 500 every time', () => serverError()],
];

for (const [name, answer] of streamCases) {
  test(`EventStreamFollower has a floor: ${name}`, async () => {
    const clock = new FakeClock();
    const n = await countRequests(clock, WINDOW, ask => {
      const f = new EventStreamFollower(
        {
          openStream: async () => {
            if (!ask()) throw aborted();
            const a = answer();
            if (a instanceof Error) throw a;
            return a;
          },
        },
        () => undefined,
        { topics: ['Job'], random: () => 0, clock },
      );
      return { done: f.start(), stop: () => f.dispose() };
    });
    check(n, name);
  });

  test(`LogFollower has a floor: ${name}`, async () => {
    const clock = new FakeClock();
    const n = await countRequests(clock, WINDOW, ask => {
      const f = new LogFollower(
        {
          openLogs: async () => {
            if (!ask()) throw aborted();
            const a = answer();
            if (a instanceof Error) throw a;
            return a;
          },
          listAllocFiles: async () => ({ index: 1, body: [] }),
        },
        { allocId: 'a1', task: 't', type: 'stdout', random: () => 0, clock },
        () => undefined,
      );
      return { done: f.start(), stop: () => f.dispose() };
    });
    check(n, name);
  });
}

test('LogFollower: a stream that brings bytes and ends, again and again, is asked again at the floor, no faster', async () => {
  const clock = new FakeClock();
  const frame = JSON.stringify({
    Offset: 3,
    Data: Buffer.from('hi\n').toString('base64'),
    File: 'alloc/logs/t.stdout.0',
  });
  const n = await countRequests(clock, WINDOW, ask => {
    const f = new LogFollower(
      {
        openLogs: async () => {
          if (!ask()) throw aborted();
          return stream([frame]);
        },
        listAllocFiles: async () => ({ index: 1, body: [{ Name: 't.stdout.0', Size: 3, IsDir: false }] as never }),
      },
      { allocId: 'a1', task: 't', type: 'stdout', random: () => 0, clock },
      () => undefined,
    );
    return { done: f.start(), stop: () => f.dispose() };
  });
  // each connection brings bytes the follower has not had (progress): one request per 500 ms floor
  assert.ok(n <= WINDOW / 500 + 2, `${n} requests`);
  assert.ok(n >= 10, `${n} requests`);
});

test('LogFollower has a floor: a task that "has not started" for ever', async () => {
  const clock = new FakeClock();
  const n = await countRequests(clock, WINDOW, ask => {
    const f = new LogFollower(
      {
        openLogs: async () => {
          if (!ask()) throw aborted();
          throw new NomadError({ kind: 'notFound', status: 404, message: 'x', serverMessage: 'task not started yet' });
        },
        listAllocFiles: async () => ({ index: 1, body: [] }),
      },
      { allocId: 'a1', task: 't', type: 'stdout', random: () => 0, clock },
      () => undefined,
    );
    return { done: f.start(), stop: () => f.dispose() };
  });
  check(n, 'not started');
});

const evaluation = { ID: 'e', Status: 'pending' } as unknown as Evaluation;
const running = {
  ID: 'd',
  Status: 'running',
  JobModifyIndex: 10,
  JobVersion: 1,
  CreateIndex: 10,
  TaskGroups: {},
} as unknown as Deployment;

for (const [name, index] of [
  ['index 1 for ever', () => 1],
  ['no index', () => 0],
] as const) {
  test(`watchRun has a floor: the evaluation stays pending (${name})`, async () => {
    const clock = new FakeClock();
    const n = await countRequests(clock, WINDOW, ask => {
      const ac = new AbortController();
      const client = {
        getEvaluation: async (): Promise<QueryResult<Evaluation>> => {
          if (!ask()) throw aborted();
          return { index: index(), body: evaluation };
        },
      } as unknown as Parameters<typeof watchRun>[0];
      return {
        done: watchRun(client, {
          jobId: 'j',
          evalId: 'e',
          jobModifyIndex: 10,
          signal: ac.signal,
          onProgress: () => undefined,
          timeoutMs: 3_600_000,
          clock,
          random: () => 0,
        }),
        stop: () => ac.abort(),
      };
    });
    check(n, name);
  });

  test(`watchRun has a floor: the deployment and its allocations do not move (${name})`, async () => {
    const clock = new FakeClock();
    let deploymentReads = 0,
      allocReads = 0;
    await countRequests(clock, WINDOW, ask => {
      const ac = new AbortController();
      const client = {
        getEvaluation: async (): Promise<QueryResult<Evaluation>> => ({
          index: 5,
          body: { ...evaluation, Status: 'complete' },
        }),
        jobDeployments: async (): Promise<QueryResult<Deployment[]>> => ({ index: 5, body: [running] }),
        getDeployment: async (): Promise<QueryResult<Deployment>> => {
          deploymentReads++;
          if (!ask()) throw aborted();
          return { index: index(), body: running };
        },
        jobAllocations: async (): Promise<QueryResult<unknown[]>> => {
          allocReads++;
          return { index: index(), body: [] };
        },
      } as unknown as Parameters<typeof watchRun>[0];
      return {
        done: watchRun(client, {
          jobId: 'j',
          evalId: 'e',
          jobModifyIndex: 10,
          signal: ac.signal,
          onProgress: () => undefined,
          timeoutMs: 3_600_000,
          clock,
          random: () => 0,
        }),
        stop: () => ac.abort(),
      };
    });
    check(deploymentReads, `deployment reads, ${name}`);
    assert.ok(allocReads <= BOUND + 1, `allocation reads, ${name}: ${allocReads}`);
  });

  test(`followRollback has a floor: no newer version ever comes (${name})`, async () => {
    const clock = new FakeClock();
    const n = await countRequests(clock, WINDOW, ask => {
      const ac = new AbortController();
      const client = {
        getJob: async (): Promise<QueryResult<Job>> => {
          if (!ask()) throw aborted();
          return { index: index(), body: { ID: 'j', Version: 1 } as Job };
        },
      } as unknown as Parameters<typeof followRollback>[0];
      return {
        done: followRollback(client, {
          jobId: 'j',
          failedVersion: 1,
          signal: ac.signal,
          timeoutMs: 3_600_000,
          clock,
          random: () => 0,
        }),
        stop: () => ac.abort(),
      };
    });
    check(n, name);
  });
}

test('ClusterSync (polling, the Jobs tree without the event stream) has a floor: index 1 for ever', async () => {
  const clock = new FakeClock();
  let jobs = 0,
    allocs = 0;
  await countRequests(clock, WINDOW, ask => {
    let finish: () => void = () => undefined;
    const done = new Promise<void>(r => {
      finish = r;
    });
    const client = {
      listJobs: async (): Promise<QueryResult<unknown[]>> => {
        jobs++;
        if (!ask()) {
          finish();
          throw aborted();
        }
        return { index: 1, body: [] };
      },
      get: async (): Promise<QueryResult<unknown[]>> => {
        allocs++;
        return { index: 1, body: [] };
      },
    } as unknown as ConstructorParameters<typeof ClusterSync>[0];
    const sync = new ClusterSync(client, new ClusterModel(), {
      namespace: 'default',
      random: () => 0,
      clock,
      disableEventStream: true,
      onChange: () => undefined,
    });
    void sync.start();
    return { done, stop: () => sync.dispose() };
  });
  // two initial plain reads, then each watcher on its own floor
  check(jobs - 1, 'jobs');
  assert.ok(allocs - 1 <= BOUND + 1, `allocations: ${allocs}`);
});
