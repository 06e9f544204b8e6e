// bench/rollout: the tutorial's Part 4 on a real Docker engine — the job runs 1.0.0, then a tag that does not
// exist is deployed, while a client calls the service every 200 ms. For each variant of the group's update
// (none, the deployment-safety fix with and without fail-fast settings) it prints: Run → healthy for 1.0.0,
// Run → the first "Failed to pull" event, Run → the job reverted (if it is), and how many requests failed.
//   node esbuild.mjs --tests && node out/bench/rollout/run.js               (the Nomad double)
//   NOMAD_BIN=/path/to/nomad node out/bench/rollout/run.js                   (a real agent)
//   VARIANTS=none,canary node out/bench/rollout/run.js   WINDOW=60 (seconds to watch without a revert)
/* eslint-disable @typescript-eslint/no-explicit-any -- the cluster's JSON is read as it comes, as in test/contract */
import * as http from 'http';
import { startDockerBackend, tutorialJob, uniqueId, type DockerBackend } from '../../test/contract/backend';
import { until } from '../../test/contract/http';

const IMAGE = 'eridemnet/microservice-example';
const TASK = 'microservice-01';
const WINDOW_S = Number(process.env.WINDOW ?? 60);

const CHECK =
  '\n        check {\n          type     = "http"\n          path     = "/health"\n          interval = "1s"\n          timeout  = "1s"\n        }';
/** update blocks as the quick fix writes them, with timings shortened as the tour does */
const VARIANTS: Record<string, string> = {
  none: '',
  // canary + auto_promote + auto_revert, Nomad's default rescheduling: a failed canary is replaced until the progress deadline
  canary:
    'update {\n      max_parallel = 1\n      canary = 1\n      auto_promote = true\n      auto_revert = true\n      health_check = "checks"\n      min_healthy_time = "3s"\n      healthy_deadline = "20s"\n      progress_deadline = "40s"\n    }',
  // the same with rescheduling off: the first unhealthy canary fails the deployment
  'canary+reschedule0':
    'update {\n      max_parallel = 1\n      canary = 1\n      auto_promote = true\n      auto_revert = true\n      health_check = "checks"\n      min_healthy_time = "3s"\n      healthy_deadline = "20s"\n      progress_deadline = "40s"\n    }\n    reschedule {\n      attempts = 0\n      unlimited = false\n    }',
  // the same with progress_deadline = 0: the first unhealthy allocation fails the deployment, rescheduling untouched
  'canary+progress0':
    'update {\n      max_parallel = 1\n      canary = 1\n      auto_promote = true\n      auto_revert = true\n      health_check = "checks"\n      min_healthy_time = "3s"\n      healthy_deadline = "20s"\n      progress_deadline = "0"\n    }',
  // exactly what the quick fix inserts (healthy_deadline 5m): the bad canary is judged by the restart policy (2 × 15 s)
  fix: 'update {\n      max_parallel = 1\n      canary = 1\n      auto_promote = true\n      health_check = "checks"\n      min_healthy_time = "10s"\n      healthy_deadline = "5m"\n      progress_deadline = "0s"\n      auto_revert = true\n    }',
};

function job(id: string, variant: string, tag: string): string {
  const hcl = tutorialJob()
    .replace('job "microservice-01"', `job "${id}"`)
    .replace('name = "microservice-01"', `name = "${id}"`)
    .replace(`${IMAGE}:1.0.0`, `${IMAGE}:${tag}`);
  const update = VARIANTS[variant]!;
  return update
    ? hcl.replace('count = "1"', `count = "1"\n    ${update}`).replace('port = "http"', `port = "http"${CHECK}`)
    : hcl;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, res => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        t += c;
      });
      res.on('end', () => resolve(t));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function submit(b: DockerBackend, hcl: string): Promise<number> {
  const parsed = await b.api.post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
  const t0 = Date.now();
  await b.api.post('/v1/jobs', { Job: parsed });
  return t0;
}

async function one(b: DockerBackend, variant: string): Promise<string> {
  const id = uniqueId('rollout');
  const enc = encodeURIComponent(id);
  let t0 = await submit(b, job(id, variant, '1.0.0'));
  const dep = await until(
    '1.0.0 healthy',
    async () => {
      const d = await b.api.get(`/v1/job/${enc}/deployment`);
      if (d?.Status === 'failed') throw new Error(`1.0.0 failed: ${d.StatusDescription}`);
      return d?.Status === 'successful' ? d : undefined;
    },
    180_000,
    100,
  );
  const healthyMs = Date.now() - t0;
  const first = (await b.api.get(`/v1/job/${enc}/allocations`)).find(
    (a: any) => a.ClientStatus === 'running' && a.JobVersion === 0,
  );
  const port = (await b.api.get(`/v1/allocation/${first.ID}`)).AllocatedResources.Shared.Ports[0].Value;
  // (in Consul the address is 127.0.0.1:port, as the Services view shows it)
  let ok = 0,
    failed = 0,
    polling = true,
    firstFail = 0;
  const old = `Hello from microservice-01@1.0.0`;
  const poll = (async () => {
    while (polling) {
      try {
        if ((await get(port)) === old) ok++;
        else {
          failed++;
          firstFail ||= Date.now();
        }
      } catch {
        failed++;
        firstFail ||= Date.now();
      }
      await new Promise(r => setTimeout(r, 200));
    }
  })();
  t0 = await submit(b, job(id, variant, '1.0.2-missing'));
  let pullMs = -1,
    revertMs = -1,
    description = '';
  const end = t0 + WINDOW_S * 1000;
  while (Date.now() < end) {
    if (pullMs < 0) {
      const list: any[] = await b.api.get(`/v1/job/${enc}/allocations`);
      if (
        list.some(
          a =>
            a.JobVersion === 1 &&
            (a.TaskStates?.[TASK]?.Events ?? []).some(
              (e: any) => e.Type === 'Driver Failure' && /Failed to pull/.test(e.DisplayMessage),
            ),
        )
      )
        pullMs = Date.now() - t0;
    }
    const j = await b.api.get(`/v1/job/${enc}`);
    if (revertMs < 0 && j.Version >= 2) {
      revertMs = Date.now() - t0;
      const deps: any[] = await b.api.get(`/v1/job/${enc}/deployments`);
      description = deps.find(d => d.JobVersion === 1)?.StatusDescription ?? '';
    }
    if (revertMs >= 0 && pullMs >= 0 && Date.now() - t0 > revertMs + 3000) break;
    await new Promise(r => setTimeout(r, 100));
  }
  polling = false;
  await poll;
  if (!description) description = (await b.api.get(`/v1/job/${enc}/deployment`))?.StatusDescription ?? '';
  const serving = await get(port).then(
    t => t,
    () => 'nothing',
  );
  await b.api.del(`/v1/job/${enc}?purge=true`);
  await until('the service leaves Consul', async () => b.consul.instances(id).length === 0, 60_000).catch(
    () => undefined,
  );
  return (
    `${variant.padEnd(19)} 1.0.0 healthy ${(healthyMs / 1000).toFixed(1)} s (${dep.TaskGroups.Microservices.HealthyAllocs} healthy) · bad tag: Failed to pull after ${pullMs < 0 ? '—' : (pullMs / 1000).toFixed(1) + ' s'}` +
    ` · reverted ${revertMs < 0 ? `no (watched ${WINDOW_S} s)` : `after ${(revertMs / 1000).toFixed(1)} s`} · requests: ${ok} answered by 1.0.0, ${failed} failed` +
    `${firstFail ? ` (from ${((firstFail - t0) / 1000).toFixed(1)} s)` : ''} · at the end the old port answers: ${serving === old ? 'yes' : 'no'} · deployment: "${description}"`
  );
}

async function main(): Promise<void> {
  const b = await startDockerBackend();
  if ('skip' in b) {
    console.log(`skipped: ${b.skip}`);
    return;
  }
  const label = b.kind === 'real' ? `real agent (${process.env.NOMAD_BIN})` : 'Nomad double';
  console.log(`backend: ${label}, Docker engine ${b.host}`);
  try {
    for (const v of (process.env.VARIANTS ?? Object.keys(VARIANTS).join(',')).split(',')) console.log(await one(b, v));
  } finally {
    await b.stop();
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
