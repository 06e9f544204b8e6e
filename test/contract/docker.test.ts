// The tutorial's own job (examples/microservice-job-01.nomad: docker driver, port_map, a Consul service)
// on a real Docker engine, against both backends: a real agent (NOMAD_BIN) whose docker plugin and
// consul block point at the private engine (scripts/docker.cjs) and the Consul double, or the Nomad double
// with its docker driver on the same engine. What the real agent does here is the contract: every
// difference is a bug in the double. Without Docker (no root, no engine) the tests skip and say why.
// Figures (Run → running, Run → answering) are printed, not asserted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { startDockerBackend, tutorialJob as tutorialJobFile, uniqueId, type DockerBackend } from './backend';
import { until } from './http';
import { ConsulClient, instanceHealth } from '../../src/consul/client';
import { parse } from '../../src/language/hcl';
import { checkFile, type FixData } from '../../src/language/check';
import { applyTextEdits, quickFix } from '../../src/language/features/codeActions';

let b: DockerBackend | undefined;
let skip = '';

before(
  async () => {
    const r = await startDockerBackend();
    if ('skip' in r) {
      skip = r.skip;
      console.log(`# docker contract tests skipped: ${skip}`);
    } else b = r;
  },
  { timeout: 600_000 },
);
after(async () => {
  await b?.stop();
});

const TASK = 'microservice-01';
const IMAGE = 'eridemnet/microservice-example';

/** The tutorial's job with its own ID and service name (so runs do not meet), otherwise as written. */
function tutorialJob(id: string): string {
  const hcl = tutorialJobFile();
  assert.match(hcl, /driver = "docker"/);
  return hcl.replace('job "microservice-01"', `job "${id}"`).replace('name = "microservice-01"', `name = "${id}"`);
}

async function run(hcl: string): Promise<{ job: any; t0: number }> {
  const job = await b!.api.post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
  const t0 = Date.now();
  await b!.api.post('/v1/jobs', { Job: job });
  return { job, t0 };
}

async function allocOf(id: string, pred: (a: any) => boolean, ms = 120_000): Promise<any> {
  return until(
    `an allocation of ${id}`,
    async () => {
      const list: any[] = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/allocations`);
      const hit = list.find(pred);
      return hit ? b!.api.get(`/v1/allocation/${hit.ID}`) : undefined;
    },
    ms,
    100,
  );
}

function get(port: number, p = '/'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 2000 }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function containersOf(allocId: string): Promise<any[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.hashicorp.nomad.alloc_id=${allocId}`] }));
  return (await b!.engine.request('GET', `/containers/json?all=1&filters=${filters}`)).json ?? [];
}

const eventsOf = (alloc: any) => (alloc.TaskStates?.[TASK]?.Events ?? []) as any[];

/** The language server's quick fix for the first `code` finding, applied. */
function fixOnce(text: string, code: string): string {
  const d = checkFile(parse(text)).find(x => x.code === code);
  assert.ok(d, `a ${code} finding`);
  const f = quickFix(text, d.data as FixData);
  assert.ok(f, `a fix for ${code}`);
  return applyTextEdits(text, f.edits);
}

describe("docker + consul: the tutorial's job", () => {
  it("places unchanged; its container answers on the port Consul names, with the job's memory and port_map", async t => {
    if (!b) {
      t.skip(skip);
      return;
    }
    const id = uniqueId('tutorial');
    const { t0 } = await run(tutorialJob(id));
    const alloc = await allocOf(id, a => a.ClientStatus === 'running' || a.ClientStatus === 'failed');
    const tRunning = Date.now() - t0;
    assert.equal(alloc.ClientStatus, 'running', JSON.stringify(eventsOf(alloc).map(e => e.DisplayMessage)));
    const port = alloc.AllocatedResources.Shared.Ports.find((p: any) => p.Label === 'http').Value;
    assert.equal(alloc.AllocatedResources.Tasks[TASK].Networks[0].DynamicPorts[0].Value, port);
    assert.equal(alloc.AllocatedResources.Tasks[TASK].Networks[0].MBits, 10);

    // the service, registered by Nomad into Consul with the host port
    const inst = await until('the service in Consul', async () => b!.consul.instances(id)[0], 60_000, 100);
    assert.equal(inst.Port, port);
    assert.equal(inst.Address, '127.0.0.1');
    assert.deepEqual(inst.Tags, ['microservice-01', 'microservice-example@1.0.0']);
    assert.equal(inst.Meta['external-source'], 'nomad');
    assert.match(inst.ID, new RegExp(`^_nomad-task-${alloc.ID}-${TASK}-${id}-http$`));
    // and the extension's Consul client (the Services view) sees it as Nomad put it there
    const client = new ConsulClient({ connection: { address: b.consul.addr, tls: { skipVerify: false } } });
    try {
      assert.deepEqual((await client.catalogServices()).body[id], ['microservice-01', 'microservice-example@1.0.0']);
      const entries = (await client.healthService(id)).body;
      assert.deepEqual(
        entries.map(e => [e.Service.ID, e.Service.Port, instanceHealth(e)]),
        [[inst.ID, port, 'passing']],
      );
    } finally {
      await client.close();
    }

    // the container: the tutorial's image, 256 MB, port_map http = 3000 bound on loopback
    const [c] = await containersOf(alloc.ID);
    assert.ok(c, 'a container labelled with the allocation');
    assert.equal(c.Image, `${IMAGE}:1.0.0`);
    assert.equal(c.Names[0], `/${TASK}-${alloc.ID}`);
    const info = (await b!.engine.request('GET', `/containers/${c.Id}/json`)).json;
    assert.equal(info.HostConfig.Memory, 256 * 1024 * 1024);
    assert.deepEqual(info.HostConfig.PortBindings['3000/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    assert.ok(info.Config.Env.includes('NOMAD_PORT_http=3000'), 'NOMAD_PORT_http is the container port');
    assert.ok(info.Config.Env.includes(`NOMAD_HOST_PORT_http=${port}`));
    assert.ok(info.Config.Env.includes('NOMAD_TASK_DIR=/local'));

    const answer = await until(
      'the instance answers',
      async () => {
        try {
          return await get(port);
        } catch {
          return undefined;
        }
      },
      60_000,
      50,
    );
    const tAnswer = Date.now() - t0;
    assert.equal(answer.text, 'Hello from microservice-01@1.0.0');
    assert.equal((await get(port, '/health')).text, 'ok');
    const logs = await until(
      'the request in the task log',
      async () => {
        const r = await b!.api.raw('GET', `/v1/client/fs/logs/${alloc.ID}?task=${TASK}&type=stdout&plain=true`);
        return r.status === 200 && r.text.includes('Called to microservice-01@1.0.0 at ') ? r.text : undefined;
      },
      30_000,
    );
    assert.match(logs, /microservice-01@1\.0\.0 listening on port 3000/);
    // the job as written has no update block: Nomad's defaults (task states, min_healthy_time 10s) decide health
    const dep = await until(
      'the deployment succeeds',
      async () => {
        const d = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployment`);
        return d?.Status === 'successful' ? d : undefined;
      },
      120_000,
      200,
    );
    assert.equal(dep.TaskGroups.Microservices.HealthyAllocs, 1);
    console.log(
      `# figure (${b.kind}): Run → running ${tRunning} ms, Run → answering ${tAnswer} ms, Run → deployment healthy ${Date.now() - t0} ms`,
    );

    // stop: the container goes, and so does the service
    await b.api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
    await until('the service leaves Consul', async () => b!.consul.instances(id).length === 0, 60_000);
    await until('the container is removed', async () => (await containersOf(alloc.ID)).length === 0, 60_000);
  });

  it('a tag that does not exist: Failed to pull … manifest unknown, the restart policy, Not Restarting', async t => {
    if (!b) {
      t.skip(skip);
      return;
    }
    const id = uniqueId('badtag');
    const tag = 'does-not-exist';
    const hcl = tutorialJob(id)
      .replace(`${IMAGE}:1.0.0`, `${IMAGE}:${tag}`)
      .replace(
        'count = "1"',
        'count = "1"\n    restart {\n      attempts = 1\n      delay    = "1s"\n      interval = "30m"\n      mode     = "fail"\n    }',
      );
    const { t0 } = await run(hcl);
    const failed = await allocOf(id, a => a.ClientStatus === 'failed', 120_000);
    const events = eventsOf(failed);
    const types = events.map(e => e.Type).filter(x => x !== 'Alloc Unhealthy');
    assert.deepEqual(types, [
      'Received',
      'Task Setup',
      'Driver',
      'Driver Failure',
      'Restarting',
      'Driver',
      'Driver Failure',
      'Not Restarting',
    ]);
    const pull = events.find(e => e.Type === 'Driver Failure');
    const msg = `Failed to pull \`${IMAGE}:${tag}\`: API error (404): manifest for ${IMAGE}:${tag} not found: manifest unknown: manifest unknown`;
    assert.equal(pull.DriverError, msg);
    assert.equal(pull.DisplayMessage, msg);
    assert.deepEqual(pull.Details, { driver_error: msg });
    const dl = events.find(e => e.Type === 'Driver');
    assert.equal(dl.DisplayMessage, 'Downloading image');
    assert.deepEqual(dl.Details, { image: `${IMAGE}:${tag}` });
    const restarting = events.find(e => e.Type === 'Restarting');
    assert.equal(restarting.RestartReason, 'Restart within policy');
    const last = events.filter(e => e.Type === 'Not Restarting')[0];
    assert.equal(last.DisplayMessage, 'Exceeded allowed attempts 1 in interval 30m0s and mode is "fail"');
    assert.equal(last.FailsTask, true);
    assert.equal(failed.TaskStates[TASK].Restarts, 1);
    assert.equal(failed.TaskStates[TASK].StartedAt, null);
    assert.equal((await containersOf(failed.ID)).length, 0, 'no container was created');
    assert.equal(b.consul.instances(id).length, 0, 'nothing registered in Consul');
    console.log(`# figure (${b.kind}): bad tag Run → failed ${Date.now() - t0} ms`);
    await b.api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
  });

  it('an HTTP check on /health: registered in Consul, passing, and a health_check = "checks" deployment goes healthy', async t => {
    if (!b) {
      t.skip(skip);
      return;
    }
    const id = uniqueId('checked');
    const hcl = tutorialJob(id)
      .replace(
        'port = "http"',
        'port = "http"\n        check {\n          type     = "http"\n          path     = "/health"\n          interval = "1s"\n          timeout  = "1s"\n        }',
      )
      .replace(
        'count = "1"',
        'count = "1"\n    update {\n      health_check     = "checks"\n      min_healthy_time = "1s"\n    }',
      );
    const { t0 } = await run(hcl);
    const dep = await until(
      'a successful deployment',
      async () => {
        const d = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployment`);
        if (d?.Status === 'failed') throw new Error(`deployment failed: ${d.StatusDescription}`);
        return d?.Status === 'successful' ? d : undefined;
      },
      120_000,
      200,
    );
    const tHealthy = Date.now() - t0;
    assert.equal(dep.TaskGroups.Microservices.HealthyAllocs, 1);
    const inst = b.consul.instances(id);
    assert.equal(inst.length, 1);
    assert.equal(inst[0].Checks.length, 1);
    assert.equal(inst[0].Checks[0].Status, 'passing');
    assert.match(inst[0].Checks[0].Output, /HTTP GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK Output: ok/);
    console.log(`# figure (${b.kind}): Run → deployment healthy (HTTP check, min_healthy_time 1s) ${tHealthy} ms`);
    await b.api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
    await until('the service leaves Consul', async () => b!.consul.instances(id).length === 0, 60_000);
  });

  it("1.0.0 → 1.0.1: the plan's image row and check-index; then a bad tag under canary + auto_revert rolls back while the old version serves", async t => {
    if (!b) {
      t.skip(skip);
      return;
    }
    const id = uniqueId('rollout');
    const v1 = tutorialJob(id);
    await run(v1);
    const first = await allocOf(id, a => a.ClientStatus === 'running' || a.ClientStatus === 'failed');
    assert.equal(first.ClientStatus, 'running');

    // the tutorial's plan: +/- image, port_map context row, forces create/destroy update, Job Modify Index
    const v2 = v1.replace(`${IMAGE}:1.0.0`, `${IMAGE}:1.0.1`);
    const job2 = await b.api.post('/v1/jobs/parse', { JobHCL: v2, Canonicalize: true });
    const plan = await b.api.post(`/v1/job/${encodeURIComponent(id)}/plan`, { Job: job2, Diff: true });
    const tg = plan.Diff.TaskGroups.find((g: any) => g.Name === 'Microservices');
    assert.deepEqual(tg.Updates, { 'create/destroy update': 1 });
    const task = tg.Tasks.find((x: any) => x.Name === TASK);
    assert.deepEqual(task.Annotations, ['forces create/destroy update']);
    const config = task.Objects.find((o: any) => o.Name === 'Config');
    assert.deepEqual(
      config.Fields.map((f: any) => [f.Name, f.Type, f.Old, f.New]),
      [
        ['image', 'Edited', `${IMAGE}:1.0.0`, `${IMAGE}:1.0.1`],
        ['port_map[0][http]', 'None', '3000', '3000'],
      ],
    );
    const current = await b.api.get(`/v1/job/${encodeURIComponent(id)}`);
    assert.equal(plan.JobModifyIndex, current.JobModifyIndex);
    // a stale check-index is refused; the plan's is taken
    const stale = await b.api.raw('POST', '/v1/jobs', {
      Job: job2,
      EnforceIndex: true,
      JobModifyIndex: plan.JobModifyIndex - 1,
    });
    assert.equal(stale.status, 500);
    assert.match(stale.text, /Enforcing job modify index \d+: job exists with conflicting job modify index: \d+/);
    await b.api.post('/v1/jobs', { Job: job2, EnforceIndex: true, JobModifyIndex: plan.JobModifyIndex });
    const second = await allocOf(
      id,
      a => a.ID !== first.ID && (a.ClientStatus === 'running' || a.ClientStatus === 'failed'),
    );
    assert.equal(second.ClientStatus, 'running');
    const port2 = second.AllocatedResources.Shared.Ports[0].Value;
    const hello = await until(
      '1.0.1 answers',
      async () => {
        try {
          return (await get(port2)).text;
        } catch {
          return undefined;
        }
      },
      60_000,
      50,
    );
    assert.equal(hello, 'Hello from microservice-01@1.0.1');
    await until(
      'the 1.0.0 allocation has stopped',
      async () => (await b!.api.get(`/v1/allocation/${first.ID}`)).ClientStatus === 'complete',
      60_000,
    );

    // auto_revert goes back to the last stable version: 1.0.1's deployment (Nomad's default update) must succeed first
    await until(
      'the 1.0.1 deployment succeeds',
      async () => {
        const d = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployment`);
        return d?.JobVersion === 1 && d.Status === 'successful';
      },
      120_000,
      200,
    );
    const servingPort = port2;
    let served = 0,
      failed = 0,
      polling = true;
    const poll = (async () => {
      while (polling) {
        try {
          const r = await get(servingPort);
          if (r.text === 'Hello from microservice-01@1.0.1') served++;
          else failed++;
        } catch {
          failed++;
        }
        await new Promise(r => setTimeout(r, 200));
      }
    })();
    t.after(() => {
      polling = false;
    }); // a failed assertion below must not leave the loop (and the process) running
    // the deployment-safety fix, as the quick fix writes it (one canary, auto_promote, auto_revert,
    // progress_deadline = 0: the first unhealthy allocation fails the deployment; with a deadline Nomad
    // would replace the failed canary until the deadline passes), and a tag that does not exist, in one run
    // The two quick fixes on the running job, as the tour applies them (the update block, then the check; the
    // check fix turns health_check to "checks"), timings shortened. A new check is an in-place update: no
    // canary is placed, the allocation keeps running, and the deployment waits for the check to pass.
    const fixed = fixOnce(fixOnce(v2, 'missing-update'), 'service-without-check').replace(/"10s"/g, '"1s"');
    assert.match(
      fixed,
      /canary +=\s*1\n\s*auto_promote +=\s*true\n\s*health_check += "checks"\n[\s\S]*progress_deadline = "0s"\n\s*auto_revert +=\s*true/,
    );
    assert.match(fixed, /check \{\n\s*type += "http"\n\s*path += "\/health"/);
    const tFixed = (await run(fixed)).t0;
    const dep2 = await until(
      "the fixed job's deployment succeeds",
      async () => {
        const d = ((await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployments`)) as any[]).find(
          x => x.JobVersion === 2,
        );
        if (d?.Status === 'failed') throw new Error(`deployment failed: ${d.StatusDescription}`);
        return d?.Status === 'successful' ? d : undefined;
      },
      120_000,
      200,
    );
    const tFixedHealthy = Date.now() - tFixed;
    assert.equal(dep2.TaskGroups.Microservices.DesiredCanaries, 0, 'an in-place update places no canary');
    const inPlace = await b.api.get(`/v1/allocation/${second.ID}`);
    assert.equal(inPlace.Job.Version, 2, 'updated in place (the same allocation runs version 2)');
    assert.equal(inPlace.ClientStatus, 'running');
    assert.deepEqual(
      b.consul.instances(id).flatMap(i => i.Checks.map((c: any) => c.Status)),
      ['passing'],
    );
    console.log(
      `# figure (${b.kind}): the fixed job (in place, HTTP check, min_healthy_time 1s): Run → deployment healthy ${tFixedHealthy} ms`,
    );

    // then a tag that does not exist
    const bad = fixed
      .replace(`${IMAGE}:1.0.1`, `${IMAGE}:1.0.2-missing`)
      .replace(
        'count = "1"',
        'count = "1"\n    restart {\n      attempts = 1\n      delay    = "1s"\n      interval = "30m"\n      mode     = "fail"\n    }',
      );
    const { t0 } = await run(bad);
    const pullFailure = await until(
      "the canary's pull failure",
      async () => {
        const list: any[] = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/allocations`);
        for (const a of list.filter(x => x.JobVersion === 3)) {
          const e = (a.TaskStates?.[TASK]?.Events ?? []).find((x: any) => x.Type === 'Driver Failure');
          if (e) return e;
        }
        return undefined;
      },
      60_000,
      100,
    );
    const tPull = Date.now() - t0;
    assert.match(
      pullFailure.DriverError,
      /^Failed to pull `eridemnet\/microservice-example:1\.0\.2-missing`: API error \(404\): .*manifest unknown/,
    );
    // (all deployments: the revert starts a new one at once, so the latest may already be that one)
    const failedDep = await until(
      'the deployment fails',
      async () => {
        const list: any[] = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployments`);
        return list.find(d => d.JobVersion === 3 && d.Status === 'failed');
      },
      120_000,
      200,
    );
    assert.match(failedDep.StatusDescription, /Failed due to unhealthy allocations - rolling back to job version 2/);
    const reverted = await until(
      'the job is reverted (version 4 = version 2)',
      async () => {
        const j = await b!.api.get(`/v1/job/${encodeURIComponent(id)}`);
        return j.Version >= 4 ? j : undefined;
      },
      60_000,
      200,
    );
    assert.equal(reverted.TaskGroups[0].Tasks[0].Config.image, `${IMAGE}:1.0.1`);
    const tRolledBack = Date.now() - t0;
    // the revert is an in-place update of the allocation still running version 2: it has a deployment of its own
    // (the extension follows it to say "rolled back … and it is healthy")
    const revertDep = await until(
      "the revert's deployment succeeds",
      async () => {
        const d = ((await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployments`)) as any[]).find(
          x => x.JobVersion === reverted.Version,
        );
        if (d?.Status === 'failed') throw new Error(`the revert's deployment failed: ${d.StatusDescription}`);
        return d?.Status === 'successful' ? d : undefined;
      },
      60_000,
      200,
    );
    assert.equal(revertDep.TaskGroups.Microservices.DesiredCanaries, 0);
    await new Promise(r => setTimeout(r, 1000));
    polling = false;
    await poll;
    const still = await b.api.get(`/v1/allocation/${second.ID}`);
    assert.equal(still.ClientStatus, 'running', 'the 1.0.1 allocation kept running');
    assert.equal(still.DesiredStatus, 'run');
    assert.ok(served > 0);
    console.log(
      `# figure (${b.kind}): bad tag with the quick fix's update block: Run → Driver Failure ${tPull} ms, Run → reverted ${tRolledBack} ms; requests every 200 ms: ${served} answered by 1.0.1, ${failed} failed`,
    );
    assert.equal(failed, 0, 'no request failed while the bad version was tried');
    await b.api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
    await until('the service leaves Consul', async () => b!.consul.instances(id).length === 0, 60_000);
  });

  it('the Consul double answered every request the agent made', async t => {
    if (!b) {
      t.skip(skip);
      return;
    }
    if (b.kind !== 'real') {
      t.skip('needs a real agent (NOMAD_BIN): the double registers services directly');
      return;
    }
    assert.deepEqual(b.consul.unanswered, []);
    for (const call of [
      'GET /v1/agent/self',
      'GET /v1/agent/services',
      'GET /v1/agent/checks',
      'PUT /v1/agent/service/register',
      'PUT /v1/agent/check/register',
    ]) {
      assert.ok(b.consul.requests.includes(call), `the agent called ${call}`);
    }
    assert.ok(
      b.consul.requests.some(r => r.startsWith('PUT /v1/agent/service/deregister/_nomad-task-')),
      'the agent deregistered a task service',
    );
    const node = (await b.api.get('/v1/nodes'))[0];
    const attrs = (await b.api.get(`/v1/node/${node.ID}`)).Attributes;
    assert.equal(attrs['consul.version'], b.consul.version);
    assert.equal(attrs['driver.docker'], '1');
  });
});
