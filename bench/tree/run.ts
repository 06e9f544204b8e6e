// bench/tree: the Jobs view's model at scale, and what an idle editor sends.
//   npm run bench:tree            (IDLE_SECONDS=60 by default; JOBS/ALLOCS for the model part)
// 1. Model: 5,000 jobs / 20,000 allocations shaped like real list responses (captured from Nomad 1.6.5):
//    time to build the model and the root rows, and to apply one event. Goals: < 200 ms, < 5 ms.
// 2. Live, against the Nomad double: thousands of jobs/allocations registered (mock_driver: no processes),
//    the view's sync engine loads them, then an idle minute: how many HTTP requests it makes beyond the
//    long-lived ones it keeps open. Goal: none.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ClusterModel, jobKey } from '../../src/nomad/tree/model';
import { ClusterSync } from '../../src/nomad/tree/sync';
import { NomadClient } from '../../src/nomad/client';
import type { AllocationListStub, JobListStub, StreamEvent } from '../../src/nomad/types';
import { NomadDouble } from '../../test/double';

const root = path.resolve(__dirname, '..', '..', '..');
const captured = (f: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'nomad', 'captured', f), 'utf8')) as {
      body: unknown;
    }
  ).body;
const JOBS = Number(process.env.JOBS ?? 5000),
  ALLOCS = Number(process.env.ALLOCS ?? 20000);
const LIVE_JOBS = Number(process.env.LIVE_JOBS ?? 1000),
  LIVE_COUNT = Number(process.env.LIVE_COUNT ?? 3);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)]!;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);

function synthetic(): { jobs: JobListStub[]; allocs: AllocationListStub[] } {
  const jobT = (captured('jobs-list.json') as JobListStub[])[0]!;
  const allocT = (captured('job-web-allocations.json') as AllocationListStub[])[0]!;
  const jobs: JobListStub[] = [];
  const allocs: AllocationListStub[] = [];
  for (let j = 0; j < JOBS; j++) {
    const id = `job-${String(j).padStart(5, '0')}`;
    jobs.push({
      ...jobT,
      ID: id,
      Name: id,
      ModifyIndex: 100 + j,
      JobSummary: jobT.JobSummary ? { ...jobT.JobSummary, JobID: id } : null,
    });
  }
  const per = Math.max(1, Math.floor(ALLOCS / JOBS));
  for (let a = 0; a < ALLOCS; a++) {
    const j = a % JOBS;
    const jobId = `job-${String(j).padStart(5, '0')}`;
    allocs.push({
      ...allocT,
      ID: `${String(a).padStart(8, '0')}-0000-4000-8000-000000000000`,
      JobID: jobId,
      Name: `${jobId}.${allocT.TaskGroup}[${Math.floor(a / JOBS) % per}]`,
      ModifyIndex: 1000 + a,
      CreateIndex: 1000 + a,
    });
  }
  return { jobs, allocs };
}

function modelBench(): void {
  const { jobs, allocs } = synthetic();
  const builds: number[] = [];
  let model = new ClusterModel();
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    model = new ClusterModel();
    model.setJobs(jobs);
    model.setAllocations(allocs);
    for (const key of model.jobKeys()) model.job(key); // the root rows the view renders
    builds.push(performance.now() - t0);
  }
  const events: number[] = [];
  const allocT = allocs[0]!;
  for (let i = 0; i < 2000; i++) {
    const a = allocs[(i * 7919) % allocs.length]!;
    const ev: StreamEvent = {
      Topic: 'Allocation',
      Type: 'AllocationUpdated',
      Key: a.ID,
      Namespace: 'default',
      Index: 50_000 + i,
      Payload: { Allocation: { ...allocT, ...a, ClientStatus: i % 2 ? 'running' : 'failed', ModifyIndex: 50_000 + i } },
    };
    const t0 = performance.now();
    const change = model.applyEvents([ev]);
    for (const key of change.jobs) {
      model.job(key);
      model.groups(key);
    } // what the view re-renders
    events.push(performance.now() - t0);
  }
  const b = median(builds),
    e = median(events);
  console.log(`model: ${JOBS} jobs / ${ALLOCS} allocations`);
  console.log(`  build model + root rows   median ${fmt(b)}   (goal < 200 ms: ${(200 / b).toFixed(1)}x under)`);
  console.log(
    `  apply one event           median ${fmt(e)}, p95 ${fmt(p95(events))}   (goal < 5 ms: ${(5 / Math.max(e, 1e-6)).toFixed(0)}x under)`,
  );
  if (!model.entry(jobKey('default', 'job-00000'))) throw new Error('model lost a job');
}

async function liveBench(): Promise<void> {
  const d = await NomadDouble.start({});
  try {
    const t0 = performance.now();
    for (let j = 0; j < LIVE_JOBS; j++) {
      const id = `live-${j}`;
      const res = await fetch(`${d.addr}/v1/jobs`, {
        method: 'POST',
        body: JSON.stringify({
          Job: {
            ID: id,
            Name: id,
            Type: 'service',
            Datacenters: ['dc1'],
            TaskGroups: [
              {
                Name: 'g',
                Count: LIVE_COUNT,
                Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {}, Resources: { CPU: 1, MemoryMB: 10 } }],
              },
            ],
          },
        }),
      });
      if (!res.ok) throw new Error(await res.text());
    }
    const registered = performance.now() - t0;
    // let the double place everything
    for (;;) {
      const allocs = (await (await fetch(`${d.addr}/v1/allocations`)).json()) as AllocationListStub[];
      if (allocs.filter(a => a.ClientStatus === 'running').length >= LIVE_JOBS * LIVE_COUNT) break;
      await new Promise(r => setTimeout(r, 500));
    }
    const client = new NomadClient({ profile: { name: 'bench', address: d.addr, tls: { skipVerify: false } } });
    const model = new ClusterModel();
    const sync = new ClusterSync(client, model, {
      namespace: 'default',
      random: Math.random,
      onChange: () => undefined,
    });
    const before = d.requests;
    const t1 = performance.now();
    await sync.start();
    const loaded = performance.now() - t1;
    await new Promise(r => setTimeout(r, 1000));
    const afterStart = d.requests;
    console.log(
      `live (Nomad double): ${LIVE_JOBS} jobs / ${model.size.allocations} allocations registered in ${(registered / 1000).toFixed(1)} s`,
    );
    console.log(
      `  initial load through the sync engine: ${fmt(loaded)} with ${afterStart - before} requests (lists + the event stream it keeps open), mode: ${sync.mode}`,
    );
    const idleStart = d.requests;
    await new Promise(r => setTimeout(r, IDLE_SECONDS * 1000));
    const idle = d.requests - idleStart;
    console.log(
      `  idle ${IDLE_SECONDS} s: ${idle} new HTTP requests (goal: 0 beyond the open long poll) → ${idle === 0 ? 'met' : 'NOT met'}`,
    );
    // one change while watching: the model follows without re-fetching
    const r0 = d.requests;
    await fetch(`${d.addr}/v1/job/live-0`, { method: 'DELETE' });
    for (
      let i = 0;
      i < 100 && model.job(jobKey('default', 'live-0'))?.status !== 'dead' && model.entry(jobKey('default', 'live-0'));
      i++
    )
      await new Promise(r => setTimeout(r, 100));
    console.log(
      `  a job stopped elsewhere reached the model with ${d.requests - r0 - 1} extra request(s) (a refetch of that job only)`,
    );
    sync.dispose();
    await client.close();
  } finally {
    await d.stop();
  }
}

void (async () => {
  modelBench();
  await liveBench();
})().catch(e => {
  console.error(e);
  process.exit(1);
});
