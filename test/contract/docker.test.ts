// The tutorial's own job (examples/microservice-job-01.nomad: docker driver, port_map, a Consul service)
// on a real Docker engine, against both backends: a real agent (NOMAD_BIN) whose docker plugin and
// consul block point at the private engine (scripts/docker.cjs) and the Consul double, or the Nomad double
// with its docker driver on the same engine. What the real agent does here is the contract: every
// difference is a bug in the double. Without Docker (no root, no engine) the tests skip and say why.
// Figures (Run → running, Run → answering) are printed, not asserted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startDockerBackend, uniqueId, type DockerBackend } from './backend';
import { until } from './http';

let b: DockerBackend | undefined;
let skip = '';

before(async () => {
  const r = await startDockerBackend();
  if ('skip' in r) { skip = r.skip; console.log(`# docker contract tests skipped: ${skip}`); } else b = r;
}, { timeout: 600_000 });
after(async () => { await b?.stop(); });

function repoFile(rel: string): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, rel))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`${rel} not found`);
    dir = up;
  }
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

const TASK = 'microservice-01';
const IMAGE = 'eridemnet/microservice-example';

/** The tutorial's job with its own ID and service name (so runs do not meet), otherwise as written. */
function tutorialJob(id: string): string {
  const hcl = repoFile('examples/microservice-job-01.nomad');
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
  return until(`an allocation of ${id}`, async () => {
    const list: any[] = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/allocations`);
    const hit = list.find(pred);
    return hit ? b!.api.get(`/v1/allocation/${hit.ID}`) : undefined;
  }, ms, 100);
}

function get(port: number, p = '/'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 2000 }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', c => { text += c; });
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

describe('docker + consul: the tutorial\'s job', () => {
  it('places unchanged; its container answers on the port Consul names, with the job\'s memory and port_map', async t => {
    if (!b) { t.skip(skip); return; }
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

    const answer = await until('the instance answers', async () => { try { return await get(port); } catch { return undefined; } }, 60_000, 50);
    const tAnswer = Date.now() - t0;
    assert.equal(answer.text, 'Hello from microservice-01@1.0.0');
    assert.equal((await get(port, '/health')).text, 'ok');
    const logs = await until('the request in the task log', async () => {
      const r = await b!.api.raw('GET', `/v1/client/fs/logs/${alloc.ID}?task=${TASK}&type=stdout&plain=true`);
      return r.status === 200 && r.text.includes('Called to microservice-01@1.0.0 at ') ? r.text : undefined;
    }, 30_000);
    assert.match(logs, /microservice-01@1\.0\.0 listening on port 3000/);
    console.log(`# figure (${b.kind}): Run → running ${tRunning} ms, Run → answering ${tAnswer} ms`);

    // stop: the container goes, and so does the service
    await b.api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
    await until('the service leaves Consul', async () => b!.consul.instances(id).length === 0, 60_000);
    await until('the container is removed', async () => (await containersOf(alloc.ID)).length === 0, 60_000);
  });

  it('a tag that does not exist: Failed to pull … manifest unknown, the restart policy, Not Restarting', async t => {
    if (!b) { t.skip(skip); return; }
    const id = uniqueId('badtag');
    const tag = 'does-not-exist';
    const hcl = tutorialJob(id)
      .replace(`${IMAGE}:1.0.0`, `${IMAGE}:${tag}`)
      .replace('count = "1"', 'count = "1"\n    restart {\n      attempts = 1\n      delay    = "1s"\n      interval = "30m"\n      mode     = "fail"\n    }');
    const { t0 } = await run(hcl);
    const failed = await allocOf(id, a => a.ClientStatus === 'failed', 120_000);
    const events = eventsOf(failed);
    const types = events.map(e => e.Type).filter(x => x !== 'Alloc Unhealthy');
    assert.deepEqual(types, ['Received', 'Task Setup', 'Driver', 'Driver Failure', 'Restarting', 'Driver', 'Driver Failure', 'Not Restarting']);
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
    if (!b) { t.skip(skip); return; }
    const id = uniqueId('checked');
    const hcl = tutorialJob(id)
      .replace('port = "http"', 'port = "http"\n        check {\n          type     = "http"\n          path     = "/health"\n          interval = "1s"\n          timeout  = "1s"\n        }')
      .replace('count = "1"', 'count = "1"\n    update {\n      health_check     = "checks"\n      min_healthy_time = "1s"\n    }');
    const { t0 } = await run(hcl);
    const dep = await until('a successful deployment', async () => {
      const d = await b!.api.get(`/v1/job/${encodeURIComponent(id)}/deployment`);
      if (d?.Status === 'failed') throw new Error(`deployment failed: ${d.StatusDescription}`);
      return d?.Status === 'successful' ? d : undefined;
    }, 120_000, 200);
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

  it('the Consul double answered every request the agent made', async t => {
    if (!b) { t.skip(skip); return; }
    if (b.kind !== 'real') { t.skip('needs a real agent (NOMAD_BIN): the double registers services directly'); return; }
    assert.deepEqual(b.consul.unanswered, []);
    for (const call of ['GET /v1/agent/self', 'GET /v1/agent/services', 'GET /v1/agent/checks', 'PUT /v1/agent/service/register', 'PUT /v1/agent/check/register']) {
      assert.ok(b.consul.requests.includes(call), `the agent called ${call}`);
    }
    assert.ok(b.consul.requests.some(r => r.startsWith('PUT /v1/agent/service/deregister/_nomad-task-')), 'the agent deregistered a task service');
    const node = (await b.api.get('/v1/nodes'))[0];
    const attrs = (await b.api.get(`/v1/node/${node.ID}`)).Attributes;
    assert.equal(attrs['consul.version'], b.consul.version);
    assert.equal(attrs['driver.docker'], '1');
  });
});
