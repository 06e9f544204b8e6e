// Captures real responses from a Nomad agent into test/fixtures/nomad/captured/ (the double's
// responses are shaped after them). Reproducible:
//
//   node esbuild.mjs --tests
//   NOMAD_ADDR=http://127.0.0.1:4646 node out/test/contract/capture.js            (all captures)
//   NOMAD_ADDR=... NOMAD_BIN=/path/to/nomad node out/test/contract/capture.js      (+ the ACL captures:
//                                                 a second, throwaway agent with `acl { enabled = true }`)
//   CAPTURE_ONLY=plan,logs ...                                                       (some groups only)
//
// The jobs come from test/fixtures/jobs/*.nomad, parsed by the agent itself. Every job registered is
// purged at the end. The README in the captured folder lists each file and how it was made.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Api, Reply, sleep, stream, until } from './http';
import { startAgent } from './agent';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const JOBS = path.join(ROOT, 'test', 'fixtures', 'jobs');
const OUT = path.join(ROOT, 'test', 'fixtures', 'nomad', 'captured');

const addr = process.env.NOMAD_ADDR ?? 'http://127.0.0.1:4646';
const api = new Api(addr, process.env.NOMAD_TOKEN);
const only = process.env.CAPTURE_ONLY ? new Set(process.env.CAPTURE_ONLY.split(',')) : undefined;
const notes: Array<{ file: string; how: string }> = [];
const registered = new Set<string>();
let version = '?';

function save(file: string, how: string, data: unknown) {
  fs.mkdirSync(OUT, { recursive: true });
  const p = path.join(OUT, file);
  if (Buffer.isBuffer(data)) fs.writeFileSync(p, data);
  else if (typeof data === 'string') fs.writeFileSync(p, data);
  else fs.writeFileSync(p, JSON.stringify(data, null, 2) + '\n');
  notes.push({ file, how });
  console.log(`  saved ${file}`);
}

/** The stored shape of one exchange: enough to replay it and to compare the double with. */
function exchange(method: string, reqPath: string, body: unknown, r: Reply) {
  return {
    request: { method, path: reqPath, ...(body !== undefined ? { body } : {}) },
    status: r.status,
    headers: pick(r.headers, ['content-type', 'x-nomad-index', 'x-nomad-knownleader', 'x-nomad-lastcontact']),
    body: r.json !== undefined ? r.json : r.text,
  };
}

function pick(h: Record<string, unknown>, keys: string[]) {
  const o: Record<string, unknown> = {};
  for (const k of keys) if (h[k] !== undefined) o[k] = h[k];
  return o;
}

async function capture(file: string, how: string, method: string, reqPath: string, body?: unknown) {
  const r = await api.raw(method, reqPath, body);
  save(file, `${method} ${reqPath}${how ? ` — ${how}` : ''}`, exchange(method, reqPath, body, r));
  return r;
}

function hcl(name: string) {
  return fs.readFileSync(path.join(JOBS, `${name}.nomad`), 'utf8');
}

async function parse(name: string, variables = ''): Promise<any> {
  return api.post('/v1/jobs/parse', { JobHCL: hcl(name), Canonicalize: true, Variables: variables });
}

async function register(job: any, extra: Record<string, unknown> = {}): Promise<any> {
  registered.add(job.ID);
  return api.post('/v1/jobs', { Job: job, ...extra });
}

async function waitRunning(jobId: string, n = 1): Promise<any[]> {
  return until(`${jobId} running`, async () => {
    const allocs: any[] = await api.get(`/v1/job/${jobId}/allocations`);
    const running = allocs.filter(a => a.ClientStatus === 'running' && a.DesiredStatus === 'run');
    return running.length >= n ? running : undefined;
  });
}

async function waitDeployment(jobId: string, statuses: string[], afterIndex = 0): Promise<any> {
  return until(
    `${jobId} deployment ${statuses.join('|')}`,
    async () => {
      const d = await api.get(`/v1/job/${jobId}/deployment`);
      return d && d.CreateIndex > afterIndex && statuses.includes(d.Status) ? d : undefined;
    },
    180_000,
    500,
  );
}

const groups: Record<string, () => Promise<void>> = {
  async agent() {
    await capture('status-leader.json', '', 'GET', '/v1/status/leader');
    await capture('regions.json', '', 'GET', '/v1/regions');
    await capture('namespaces.json', '', 'GET', '/v1/namespaces');
    const nodes = await capture('nodes.json', '', 'GET', '/v1/nodes');
    const self = await api.get('/v1/agent/self');
    // The whole of /v1/agent/self is large and machine specific; keep the parts the extension reads.
    save(
      'agent-self.json',
      'GET /v1/agent/self — trimmed to config.{Version,Region,Datacenter,NodeName,ACL} and member',
      { config: pick(self.config, ['Version', 'Region', 'Datacenter', 'NodeName', 'ACL']), member: self.member },
    );
    const nodeId = nodes.json?.[0]?.ID;
    if (nodeId) {
      const node = await api.get(`/v1/node/${nodeId}`);
      save(
        'node.json',
        `GET /v1/node/:id — the dev agent's node, Attributes trimmed to driver.* and nomad.*, SecretID replaced`,
        {
          ...node,
          SecretID: '<secret>',
          Attributes: Object.fromEntries(
            Object.entries(node.Attributes ?? {}).filter(([k]) =>
              /^(driver\.|nomad\.|kernel\.name|os\.name|unique\.hostname)/.test(k),
            ),
          ),
        },
      );
    }
  },

  async parse() {
    for (const [name, vars] of [
      ['counter', ''],
      ['web', ''],
      ['failing', ''],
      ['bigout', ''],
      ['batch', ''],
      ['periodic', ''],
      ['dispatch', ''],
      ['microservice', 'app_dir = "/opt/microservice"\n'],
    ] as const) {
      const body = { JobHCL: hcl(name), Canonicalize: true, Variables: vars };
      const r = await api.raw('POST', '/v1/jobs/parse', body);
      save(
        `parse-${name}.json`,
        `POST /v1/jobs/parse — test/fixtures/jobs/${name}.nomad, Canonicalize true${vars ? `, Variables ${JSON.stringify(vars)}` : ''}`,
        exchange('POST', '/v1/jobs/parse', body, r),
      );
    }
    const raw = { JobHCL: hcl('counter'), Canonicalize: false };
    save(
      'parse-counter-raw.json',
      'POST /v1/jobs/parse — counter.nomad, Canonicalize false',
      exchange('POST', '/v1/jobs/parse', raw, await api.raw('POST', '/v1/jobs/parse', raw)),
    );
    const bad = { JobHCL: hcl('bad'), Canonicalize: true };
    save(
      'parse-error-bad.json',
      'POST /v1/jobs/parse — test/fixtures/jobs/bad.nomad (a string memory and an unknown block)',
      exchange('POST', '/v1/jobs/parse', bad, await api.raw('POST', '/v1/jobs/parse', bad)),
    );
    const broken = { JobHCL: 'job "x" {\n  group "g" {\n', Canonicalize: true };
    save(
      'parse-error-syntax.json',
      'POST /v1/jobs/parse — unterminated blocks',
      exchange('POST', '/v1/jobs/parse', broken, await api.raw('POST', '/v1/jobs/parse', broken)),
    );
    const empty = { JobHCL: '', Canonicalize: true };
    save(
      'parse-error-empty.json',
      'POST /v1/jobs/parse — empty JobHCL',
      exchange('POST', '/v1/jobs/parse', empty, await api.raw('POST', '/v1/jobs/parse', empty)),
    );
    const web = await parse('web');
    await capture('validate-web.json', 'web.nomad as parsed', 'POST', '/v1/validate/job', { Job: web });
    const invalid = structuredClone(web);
    invalid.TaskGroups[0].Count = -1;
    invalid.TaskGroups[0].Tasks[0].Driver = '';
    await capture('validate-error.json', 'web.nomad with Count -1 and an empty Driver', 'POST', '/v1/validate/job', {
      Job: invalid,
    });
  },

  async plan() {
    const web = await parse('web');
    await capture(
      'plan-new.json',
      'web.nomad, not registered yet: the new-job diff (Type "Added")',
      'POST',
      '/v1/job/web/plan',
      { Job: web, Diff: true },
    );
    const reg = await api.raw('POST', '/v1/jobs', { Job: web, Submission: { Source: hcl('web'), Format: 'hcl2' } });
    registered.add('web');
    save(
      'register-web.json',
      'POST /v1/jobs — web.nomad with its Submission (Source, Format hcl2)',
      exchange('POST', '/v1/jobs', { Job: '<web.nomad parsed>', Submission: '<source>' }, reg),
    );
    await waitRunning('web');
    const dep = await waitDeployment('web', ['successful', 'failed']);
    save('deployment-successful.json', 'GET /v1/job/web/deployment — web.nomad v0 after its check passed', dep);
    const cur = await api.get('/v1/job/web');
    await capture('job-web.json', 'web.nomad registered, running', 'GET', '/v1/job/web');
    await capture('job-web-summary.json', '', 'GET', '/v1/job/web/summary');
    await capture('job-web-allocations.json', 'the stub list', 'GET', '/v1/job/web/allocations');
    await capture('job-web-evaluations.json', '', 'GET', '/v1/job/web/evaluations');
    await capture('job-web-deployments.json', '', 'GET', '/v1/job/web/deployments');
    await capture('job-web-scale.json', 'scale status', 'GET', '/v1/job/web/scale');
    const allocs: any[] = await api.get('/v1/job/web/allocations');
    await capture(
      'allocation-web.json',
      'the full allocation of web.nomad (running, check healthy)',
      'GET',
      `/v1/allocation/${allocs[0].ID}`,
    );
    await capture('evaluation-web.json', '', 'GET', `/v1/evaluation/${allocs[0].EvalID}`);
    await capture('deployment-by-id.json', '', 'GET', `/v1/deployment/${dep.ID}`);
    await until('service registered', async () => (await api.get('/v1/service/web-contract')).length > 0);
    await capture('services.json', 'web.nomad running: a provider = "nomad" service', 'GET', '/v1/services');
    await capture('service-web.json', '', 'GET', '/v1/service/web-contract');
    await capture('jobs-list.json', '', 'GET', '/v1/jobs');
    await capture('jobs-list-prefix.json', '', 'GET', '/v1/jobs?prefix=we');
    await capture('jobs-list-all-namespaces.json', '', 'GET', '/v1/jobs?namespace=*');
    await capture('jobs-list-meta.json', '', 'GET', '/v1/jobs?meta=true');
    // a blocking query that times out: the index does not move, the body is the same
    const t0 = await api.raw('GET', '/v1/jobs');
    await capture(
      'jobs-list-blocking-timeout.json',
      `index = the current X-Nomad-Index (${t0.index}), wait = 1s, nothing changed`,
      'GET',
      `/v1/jobs?index=${t0.index}&wait=1s`,
    );

    const plan = (file: string, how: string, job: any) =>
      capture(file, how, 'POST', '/v1/job/web/plan', { Job: job, Diff: true });
    await plan('plan-none.json', 'web.nomad unchanged', web);
    const tags = structuredClone(web);
    tags.TaskGroups[0].Services[0].Tags = ['contract', 'v2'];
    await plan('plan-inplace.json', 'service tags v1 -> v2: an in-place update', tags);
    const kill = structuredClone(web);
    kill.TaskGroups[0].Tasks[0].KillTimeout = 9_000_000_000;
    await plan('plan-inplace-kill-timeout.json', 'task kill_timeout 5s -> 9s: an in-place update', kill);
    const meta = structuredClone(web);
    meta.Meta = { owner: 'someone-else', extra: 'x' };
    await plan(
      'plan-meta.json',
      "job meta owner changed and a key added (task meta is in the scheduler's comparison, so create/destroy)",
      meta,
    );
    const env = await parse('web', 'greeting = "bonjour"\n');
    await plan('plan-destructive.json', 'env GREETING hello -> bonjour (-var greeting): create/destroy update', env);
    const cmd = structuredClone(web);
    cmd.TaskGroups[0].Tasks[0].Config.args = ['node', '-e', 'setInterval(()=>{},1000)'];
    await plan('plan-destructive-config.json', 'task config args changed: create/destroy update', cmd);
    const count = structuredClone(web);
    count.TaskGroups[0].Count = 3;
    await plan('plan-count.json', 'count 1 -> 3', count);
    const count0 = structuredClone(web);
    count0.TaskGroups[0].Count = 0;
    await plan('plan-count-down.json', 'count 1 -> 0', count0);
    const cons = structuredClone(web);
    cons.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }];
    await plan('plan-failed-constraint.json', 'a job constraint kernel.name = windows that no node satisfies', cons);
    const mem = structuredClone(web);
    mem.TaskGroups[0].Tasks[0].Resources.MemoryMB = 1000000;
    await plan('plan-failed-memory.json', 'memory = 1000000', mem);
    const canary = structuredClone(env);
    canary.TaskGroups[0].Update.Canary = 1;
    await plan('plan-canary.json', 'update { canary = 1 } together with the env change', canary);
    const addGroup = structuredClone(web);
    const g2 = structuredClone(web.TaskGroups[0]);
    g2.Name = 'web2';
    g2.Services[0].Name = 'web-contract-2';
    addGroup.TaskGroups.push(g2);
    await plan('plan-add-group.json', 'a second group web2 added', addGroup);

    // EnforceIndex
    await capture(
      'register-conflict.json',
      `EnforceIndex true with a stale JobModifyIndex (${cur.JobModifyIndex - 1})`,
      'POST',
      '/v1/jobs',
      { Job: env, EnforceIndex: true, JobModifyIndex: cur.JobModifyIndex - 1 },
    );
    await capture(
      'register-conflict-exists.json',
      'EnforceIndex true, JobModifyIndex 0 on an existing job',
      'POST',
      '/v1/jobs',
      { Job: env, EnforceIndex: true, JobModifyIndex: 0 },
    );
    const nj = structuredClone(env);
    nj.ID = 'web-nonexistent';
    nj.Name = 'web-nonexistent';
    await capture(
      'register-conflict-missing.json',
      'EnforceIndex true, JobModifyIndex 5 on a job that does not exist',
      'POST',
      '/v1/jobs',
      { Job: nj, EnforceIndex: true, JobModifyIndex: 5 },
    );
    const r1 = await api.raw('POST', '/v1/jobs', {
      Job: env,
      EnforceIndex: true,
      JobModifyIndex: cur.JobModifyIndex,
      Submission: { Source: hcl('web'), Format: 'hcl2', VariableFlags: { greeting: 'bonjour' } },
    });
    save(
      'register-enforce-ok.json',
      `EnforceIndex true with the current JobModifyIndex (${cur.JobModifyIndex}); env changed; Submission with VariableFlags`,
      exchange(
        'POST',
        '/v1/jobs',
        {
          Job: '<web.nomad, greeting = bonjour>',
          EnforceIndex: true,
          JobModifyIndex: cur.JobModifyIndex,
          Submission: '<source + VariableFlags>',
        },
        r1,
      ),
    );
    await waitDeployment('web', ['successful', 'failed'], dep.CreateIndex);
    await capture('job-web-versions.json', 'after v0 and v1 (env change)', 'GET', '/v1/job/web/versions?diffs=true');
    await capture('job-web-submission-v1.json', '', 'GET', '/v1/job/web/submission?version=1');
    await capture('job-web-submission-v0.json', '', 'GET', '/v1/job/web/submission?version=0');
    await capture(
      'job-web-submission-missing.json',
      'a version that does not exist',
      'GET',
      '/v1/job/web/submission?version=9',
    );
    await capture('scale-post.json', 'count 2 for group web', 'POST', '/v1/job/web/scale', {
      Count: 2,
      Target: { Group: 'web' },
      Message: 'contract capture',
    });
    await waitRunning('web', 2);
    await capture('job-web-scale-after.json', 'after scaling to 2', 'GET', '/v1/job/web/scale');
    await capture(
      'revert.json',
      'back to version 0, EnforcePriorVersion = the current version',
      'POST',
      '/v1/job/web/revert',
      { JobID: 'web', JobVersion: 0, EnforcePriorVersion: (await api.get('/v1/job/web')).Version },
    );
    await capture(
      'revert-stale.json',
      'EnforcePriorVersion that is not the current version',
      'POST',
      '/v1/job/web/revert',
      { JobID: 'web', JobVersion: 0, EnforcePriorVersion: 0 },
    );
    await capture('revert-same.json', 'reverting to the version that is current', 'POST', '/v1/job/web/revert', {
      JobID: 'web',
      JobVersion: (await api.get('/v1/job/web')).Version,
    });
    const allocNow: any[] = await api.get('/v1/job/web/allocations');
    const live = allocNow.find(a => a.ClientStatus === 'running');
    if (live) {
      await capture(
        'alloc-restart.json',
        'a running web allocation',
        'POST',
        `/v1/client/allocation/${live.ID}/restart`,
        {},
      );
      await capture('alloc-stop.json', 'a running web allocation', 'POST', `/v1/allocation/${live.ID}/stop`, {});
    }
    await capture('deregister.json', 'DELETE with purge', 'DELETE', '/v1/job/web?purge=true');
    await capture('job-not-found-after-purge.json', '', 'GET', '/v1/job/web');
    registered.delete('web');
  },

  async logs() {
    const job = await parse('counter', 'lines = 30\ndelay = "0.2"\n');
    await register(job);
    const [alloc] = await waitRunning('counter');
    const logPath = `/v1/client/fs/logs/${alloc.ID}?task=print&type=stdout&follow=true&offset=0&origin=start`;
    const s = stream(addr, logPath);
    await until('line 30 in the follow stream', async () => decodeFrames(s.bytes()).includes('line 30 '), 60_000);
    await sleep(2500); // at least one heartbeat
    s.close();
    await s.done;
    save(
      'logs-counter-follow.bin',
      `GET ${logPath.replace(alloc.ID, ':alloc')} — raw bytes, counter.nomad with lines = 30, delay = 0.2; closed 2.5 s after the last line (heartbeats {})`,
      s.bytes(),
    );
    const plainPath = `/v1/client/fs/logs/${alloc.ID}?task=print&type=stdout&plain=true&origin=start`;
    const plain = await api.raw('GET', plainPath);
    save(
      'logs-counter-plain.txt',
      `GET ${plainPath.replace(alloc.ID, ':alloc')} — not following, plain text`,
      plain.text,
    );
    const endPath = `/v1/client/fs/logs/${alloc.ID}?task=print&type=stdout&origin=end&offset=100`;
    const end = await api.raw('GET', endPath);
    save(
      'logs-counter-end.bin',
      `GET ${endPath.replace(alloc.ID, ':alloc')} — not following, the last 100 bytes as frames`,
      Buffer.from(end.text),
    );
    const errPath = `/v1/client/fs/logs/${alloc.ID}?task=print&type=stderr`;
    save(
      'logs-counter-stderr.bin',
      `GET ${errPath.replace(alloc.ID, ':alloc')} — not following`,
      Buffer.from((await api.raw('GET', errPath)).text),
    );
    await capture(
      'allocation-counter.json',
      'counter.nomad running: TaskStates with events',
      'GET',
      `/v1/allocation/${alloc.ID}`,
    );
    await capture('fs-ls-counter.json', '', 'GET', `/v1/client/fs/ls/${alloc.ID}?path=alloc/logs`);
    await capture('logs-error-unknown-task.json', '', 'GET', `/v1/client/fs/logs/${alloc.ID}?task=nope&type=stdout`);
    await capture('logs-error-bad-type.json', '', 'GET', `/v1/client/fs/logs/${alloc.ID}?task=print&type=stdlog`);
    await capture(
      'logs-error-bad-origin.json',
      '',
      'GET',
      `/v1/client/fs/logs/${alloc.ID}?task=print&type=stdout&origin=middle`,
    );
    await capture(
      'logs-error-unknown-alloc.json',
      '',
      'GET',
      `/v1/client/fs/logs/7a3e1b8c-0000-4000-8000-000000000000?task=print&type=stdout`,
    );
    await api.del('/v1/job/counter?purge=true');
    registered.delete('counter');

    const big = await parse('bigout');
    await register(big);
    const [ba] = await waitRunning('bigout');
    const ls = await until(
      'bigout rotated',
      async () => {
        const r = await api.get(`/v1/client/fs/ls/${ba.ID}?path=alloc/logs`);
        return r.some((f: any) => f.Name === 'spew.stdout.2') ? r : undefined;
      },
      120_000,
      1000,
    );
    void ls;
    await sleep(1000);
    await capture(
      'fs-ls-bigout.json',
      'bigout.nomad (logs max_file_size = 1, max_files = 5) after writing ~2.6 MB',
      'GET',
      `/v1/client/fs/ls/${ba.ID}?path=alloc/logs`,
    );
    const bigPath = `/v1/client/fs/logs/${ba.ID}?task=spew&type=stdout&origin=start&offset=0`;
    const bigBody = (await api.raw('GET', bigPath, undefined, 120_000)).text;
    save(
      'logs-bigout-frames.json',
      `GET ${bigPath.replace(ba.ID, ':alloc')} (not following) — each frame's File, Offset, FileEvent and data length (the data itself left out)`,
      splitFrames(bigBody).map(f => ({
        File: f.File,
        Offset: f.Offset,
        FileEvent: f.FileEvent,
        DataBytes: f.Data ? Buffer.from(f.Data, 'base64').length : 0,
      })),
    );
    await api.del('/v1/job/bigout?purge=true');
    registered.delete('bigout');
  },

  async events() {
    const idx = (await api.raw('GET', '/v1/jobs')).index;
    const evPath = `/v1/event/stream?topic=Job&topic=Allocation&index=${idx + 1}`;
    const s = stream(addr, evPath);
    await sleep(500);
    const job = await parse('batch');
    await register(job);
    await until('batch complete', async () => {
      const a: any[] = await api.get('/v1/job/batch-once/allocations');
      return a.length && a.every(x => x.ClientStatus === 'complete') ? a : undefined;
    });
    await sleep(11_000); // the stream sends {} every 10 s
    s.close();
    await s.done;
    save(
      'events-job-allocation.ndjson',
      `GET /v1/event/stream?topic=Job&topic=Allocation&index=<index+1> — batch.nomad registered and run to completion, 11 s after`,
      s.bytes(),
    );
    const allocs: any[] = await api.get('/v1/job/batch-once/allocations');
    await capture(
      'allocation-batch-complete.json',
      'batch.nomad after it finished',
      'GET',
      `/v1/allocation/${allocs[0].ID}`,
    );
    await capture('job-batch-complete.json', '', 'GET', '/v1/job/batch-once');
    await capture('job-batch-summary.json', '', 'GET', '/v1/job/batch-once/summary');
    await api.del('/v1/job/batch-once?purge=true');
    registered.delete('batch-once');
  },

  async deployments() {
    const ok = await parse('failing');
    await register(ok);
    const d0 = await waitDeployment('failing', ['successful', 'failed']);
    save(
      'deployment-failing-v0-successful.json',
      'GET /v1/job/failing/deployment — failing.nomad with fail = false (health_check task_states)',
      d0,
    );
    const bad = await parse('failing', 'fail = true\n');
    await register(bad);
    // the auto-revert starts a new deployment at once: look for version 1's among all of them
    const d1 = await until(
      'v1 deployment failed',
      async () =>
        (await api.get('/v1/job/failing/deployments')).find((d: any) => d.JobVersion === 1 && d.Status === 'failed'),
      180_000,
      500,
    );
    save(
      'deployment-failed.json',
      'GET /v1/deployment/:id — failing.nomad with fail = true (exit 1, restart attempts 0, auto_revert): the failed deployment',
      d1,
    );
    await until('auto-revert registered', async () => (await api.get('/v1/job/failing')).Version >= 2, 60_000);
    await until(
      'reverted deployment done',
      async () => {
        const d = await api.get('/v1/job/failing/deployment');
        return d.CreateIndex > d1.CreateIndex && ['successful', 'failed'].includes(d.Status) ? d : undefined;
      },
      180_000,
      500,
    );
    await capture(
      'deployment-failing-reverted.json',
      'the deployment of the auto-reverted version',
      'GET',
      '/v1/job/failing/deployment',
    );
    await capture('job-failing-deployments.json', 'all three deployments', 'GET', '/v1/job/failing/deployments');
    await capture(
      'job-failing-versions.json',
      'v0 ok, v1 failing, v2 the auto-revert',
      'GET',
      '/v1/job/failing/versions?diffs=true',
    );
    await capture('job-failing-allocations.json', '', 'GET', '/v1/job/failing/allocations');
    await capture('job-failing-evaluations.json', '', 'GET', '/v1/job/failing/evaluations');
    const allocs: any[] = await api.get('/v1/job/failing/allocations');
    const failed = allocs.find(a => a.ClientStatus === 'failed');
    if (failed)
      await capture(
        'allocation-failed.json',
        'the allocation whose task exited 1 (Terminated, Not Restarting)',
        'GET',
        `/v1/allocation/${failed.ID}`,
      );
    await capture('job-failing.json', 'after the auto-revert', 'GET', '/v1/job/failing');
    await capture(
      'deployment-fail-terminal.json',
      'failing an already terminal deployment',
      'POST',
      `/v1/deployment/fail/${d1.ID}`,
      { DeploymentID: d1.ID },
    );
    await capture(
      'deployment-promote-no-canaries.json',
      'promoting a deployment without canaries',
      'POST',
      `/v1/deployment/promote/${d1.ID}`,
      { DeploymentID: d1.ID, All: true },
    );
    await capture('deployments-list.json', '', 'GET', '/v1/deployments');
    await api.del('/v1/job/failing?purge=true');
    registered.delete('failing');

    const periodic = await parse('periodic');
    await register(periodic);
    await capture('periodic-force.json', 'periodic.nomad registered', 'POST', '/v1/job/nightly/periodic/force', {});
    await capture(
      'jobs-list-with-children.json',
      'periodic parent and its forced child',
      'GET',
      '/v1/jobs?prefix=nightly',
    );
    await capture(
      'dispatch-not-parameterized.json',
      'dispatching a job that is not parameterized',
      'POST',
      '/v1/job/nightly/dispatch',
      { Meta: { size: '1' } },
    );
    const disp = await parse('dispatch');
    await register(disp);
    await capture(
      'dispatch.json',
      'dispatch.nomad registered; Meta size = 10 and a payload',
      'POST',
      '/v1/job/resize/dispatch',
      { Meta: { size: '10' }, Payload: Buffer.from('hello').toString('base64') },
    );
    await capture('dispatch-missing-meta.json', 'without the required meta', 'POST', '/v1/job/resize/dispatch', {
      Meta: {},
    });
    for (const id of ['nightly', 'resize']) {
      const children: any[] = await api.get(`/v1/jobs?prefix=${id}`);
      for (const c of children) await api.del(`/v1/job/${encodeURIComponent(c.ID)}?purge=true`);
      registered.delete(id);
    }
  },

  async errors() {
    await capture('error-job-not-found.json', '', 'GET', '/v1/job/does-not-exist');
    await capture('error-job-versions-not-found.json', '', 'GET', '/v1/job/does-not-exist/versions');
    await capture('error-plan-mismatch.json', 'plan URL id differs from the Job ID', 'POST', '/v1/job/other/plan', {
      Job: { ID: 'web', Name: 'web', Datacenters: ['dc1'], TaskGroups: [] },
    });
    await capture('error-alloc-not-found.json', '', 'GET', '/v1/allocation/7a3e1b8c-0000-4000-8000-000000000000');
    await capture('error-alloc-prefix-not-found.json', 'a short prefix', 'GET', '/v1/allocation/7a3e');
    await capture('error-eval-not-found.json', '', 'GET', '/v1/evaluation/7a3e1b8c-0000-4000-8000-000000000000');
    await capture('error-deployment-not-found.json', '', 'GET', '/v1/deployment/7a3e1b8c-0000-4000-8000-000000000000');
    await capture('error-register-no-job.json', 'empty body', 'POST', '/v1/jobs', {});
    await capture('error-register-invalid.json', 'a job with no task groups and no datacenters', 'POST', '/v1/jobs', {
      Job: { ID: 'x', Name: 'x', Type: 'service' },
    });
    await capture('error-register-bad-json.json', 'not JSON', 'POST', '/v1/jobs', 'this is not json');
    await capture('error-namespace-not-found.json', '', 'GET', '/v1/jobs?namespace=nope');
    await capture('error-register-namespace-not-found.json', '', 'POST', '/v1/jobs?namespace=nope', {
      Job: await parse('batch'),
    });
    await capture('error-deregister-not-found.json', '', 'DELETE', '/v1/job/does-not-exist');
    await capture('error-method.json', 'DELETE on /v1/jobs', 'DELETE', '/v1/jobs');
    await capture('error-service-not-found.json', 'an unknown service name', 'GET', '/v1/service/does-not-exist');
  },

  async acl() {
    const bin = process.env.NOMAD_BIN;
    if (!bin) {
      console.log('  (skipped: set NOMAD_BIN to start a second agent with ACLs)');
      return;
    }
    const agent = await startAgent(bin, { extraConfig: 'acl {\n  enabled = true\n}\n' });
    try {
      const a = new Api(agent.addr);
      const get = async (file: string, how: string, p: string, token?: string) => {
        const r = await new Api(agent.addr, token).raw('GET', p);
        save(
          file,
          `GET ${p} on a second agent with acl { enabled = true }${how ? ` — ${how}` : ''}`,
          exchange('GET', p, undefined, r),
        );
      };
      await get('acl-403-no-token.json', 'no token', '/v1/jobs');
      await get('acl-403-wrong-token.json', 'a random token', '/v1/jobs', '6f9619ff-8b86-4011-b42d-00c04fc964ff');
      const boot = await a.raw('POST', '/v1/acl/bootstrap', {});
      const token = boot.json.SecretID as string;
      const redacted = { ...boot.json, AccessorID: '<accessor>', SecretID: '<secret>' };
      save('acl-bootstrap.json', 'POST /v1/acl/bootstrap on the ACL agent (AccessorID and SecretID replaced)', {
        request: { method: 'POST', path: '/v1/acl/bootstrap' },
        status: boot.status,
        body: redacted,
      });
      const again = await a.raw('POST', '/v1/acl/bootstrap', {});
      save(
        'acl-bootstrap-again.json',
        'POST /v1/acl/bootstrap a second time',
        exchange('POST', '/v1/acl/bootstrap', undefined, again),
      );
      await get('acl-200-bootstrap-token.json', 'with the bootstrap token', '/v1/jobs', token);
      await get(
        'acl-403-logs-no-token.json',
        'client endpoint without a token',
        '/v1/client/fs/logs/7a3e1b8c-0000-4000-8000-000000000000?task=t&type=stdout',
      );
      await get('acl-403-events-no-token.json', 'event stream without a token', '/v1/event/stream?topic=Job');
      const self = await new Api(agent.addr, token).raw('GET', '/v1/acl/token/self');
      save('acl-token-self.json', 'GET /v1/acl/token/self with the bootstrap token (ids replaced)', {
        status: self.status,
        body: { ...self.json, AccessorID: '<accessor>', SecretID: '<secret>' },
      });
    } finally {
      await agent.stop();
    }
  },
};

function splitFrames(text: string): any[] {
  // frames are JSON objects written back to back, no separator
  const out: any[] = [];
  let depth = 0,
    start = -1,
    inStr = false,
    esc = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}') {
      if (--depth === 0) {
        out.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return out;
}

function decodeFrames(buf: Buffer): string {
  return Buffer.concat(
    splitFrames(buf.toString('utf8'))
      .filter(f => f.Data)
      .map(f => Buffer.from(f.Data, 'base64')),
  ).toString('utf8');
}

function writeReadme() {
  const p = path.join(OUT, 'README.md');
  const prev = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
  // keep the rows of files not captured in this run
  const rows = new Map<string, string>();
  for (const line of prev.split('\n')) {
    const m = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  for (const n of notes) rows.set(n.file, n.how.replace(/\|/g, '\\|') + ` (Nomad ${version})`);
  const body = [...rows.keys()]
    .sort()
    .map(k => `| \`${k}\` | ${rows.get(k)} |`)
    .join('\n');
  fs.writeFileSync(
    p,
    `# Captured Nomad responses

Real responses of a Nomad agent, captured by \`test/contract/capture.ts\` (see its header for how to run
it). The Nomad double (\`test/double/\`) is shaped after them and the unit tests of the client, the plan
view model and the log decoder can read them. Jobs come from \`test/fixtures/jobs/\`, parsed by the agent
itself (\`/v1/jobs/parse\`); all captures were made against a \`nomad agent -dev -bind 127.0.0.1\` agent
(raw_exec on, one node, no Consul).

JSON files hold \`{ request, status, headers, body }\` unless the table says otherwise; \`.bin\` files are
the raw bytes of a streamed response; \`.ndjson\` the raw event stream. IDs, indexes and times are those
of the capture run.

| file | how it was captured |
| --- | --- |
${body}
`,
  );
}

async function main() {
  version = (await api.get('/v1/agent/self')).config?.Version?.Version ?? '?';
  console.log(`capturing from ${addr} (Nomad ${version})`);
  try {
    for (const [name, fn] of Object.entries(groups)) {
      if (only && !only.has(name)) continue;
      console.log(`[${name}]`);
      try {
        await fn();
      } catch (e) {
        console.error(`  ${name} failed: ${(e as Error).stack}`);
        process.exitCode = 1;
      }
    }
  } finally {
    for (const id of registered)
      await api.raw('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => {});
    writeReadme();
  }
}

if (require.main === module)
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
