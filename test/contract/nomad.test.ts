import * as http from 'node:http';
// The Nomad API behaviour the extension relies on, stated once and run against the backend chosen by
// backend.ts (the double by default; NOMAD_ADDR or NOMAD_BIN for a real agent). Any difference between
// the two is a bug in the double. No timed assertions: generous deadlines, assertions on outcomes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Backend, startBackend, uniqueId } from './backend';
import { Api, stream, until, sleep } from './http';
import * as J from './jobs';

let b: Backend;
let api: Api;
const created = new Set<string>();

before(async () => {
  b = await startBackend();
  api = b.api;
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  for (const id of created) await api.raw('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => {});
  await b.stop();
});

async function register(job: any, extra: Record<string, unknown> = {}) {
  created.add(job.ID);
  return api.post('/v1/jobs', { Job: job, ...extra });
}
async function purge(id: string) {
  await api.del(`/v1/job/${encodeURIComponent(id)}?purge=true`);
  created.delete(id);
}
async function running(id: string, n = 1): Promise<any[]> {
  return until(
    `${id}: ${n} running`,
    async () => {
      const allocs: any[] = await api.get(`/v1/job/${id}/allocations`);
      const r = allocs.filter(a => a.ClientStatus === 'running' && a.DesiredStatus === 'run');
      return r.length >= n ? r : undefined;
    },
    120_000,
  );
}
async function deployment(id: string, statuses: string[], afterIndex = 0): Promise<any> {
  return until(
    `${id}: deployment ${statuses.join('|')}`,
    async () => {
      const d = await api.get(`/v1/job/${id}/deployment`);
      return d && d.CreateIndex > afterIndex && statuses.includes(d.Status) ? d : undefined;
    },
    180_000,
    500,
  );
}

function frames(buf: Buffer): any[] {
  const text = buf.toString('utf8');
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
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}
const dataOf = (fs_: any[]) => Buffer.concat(fs_.filter(f => f.Data).map(f => Buffer.from(f.Data, 'base64')));
const numbers = (text: string) => [...text.matchAll(/^line (\d+) · ünïcødé ✓ 日本語 🚀$/gm)].map(m => Number(m[1]));

describe('agent', () => {
  it('has a leader, the default namespace and the global region', async () => {
    assert.equal(typeof (await api.get('/v1/status/leader')), 'string');
    assert.ok((await api.get('/v1/namespaces')).some((n: any) => n.Name === 'default'));
    assert.ok((await api.get('/v1/regions')).includes('global'));
    const nodes = await api.get('/v1/nodes');
    assert.ok(nodes.some((n: any) => n.Status === 'ready' && n.Drivers?.raw_exec?.Detected));
    const self = await api.get('/v1/agent/self');
    assert.match(self.config.Version.Version, /^1\.6\./);
  });
});

describe('jobs', () => {
  it('parses a jobspec (HCL fixture) into canonical Job JSON', async () => {
    const hcl = fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/jobs/counter.nomad'), 'utf8');
    const job = await api.post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
    assert.equal(job.ID, 'counter');
    assert.equal(job.TaskGroups[0].Tasks[0].Driver, 'raw_exec');
    assert.equal(job.TaskGroups[0].RestartPolicy.Attempts, 2);
    const r = await api.raw('POST', '/v1/jobs/parse', { JobHCL: '', Canonicalize: true });
    assert.equal(r.status, 400);
    assert.equal(r.text, 'Job spec is empty');
  });

  it('validate reports what only the server checks (constraint operand, resource minimum), in its nested wording', async () => {
    const hcl = fs.readFileSync(
      path.resolve(__dirname, '../../../test/fixtures/jobs/server-only-errors.nomad'),
      'utf8',
    );
    const job = await api.post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
    const v = await api.post('/v1/validate/job', { Job: job });
    assert.equal(v.ValidationErrors.length, 1);
    const text: string = v.ValidationErrors[0];
    assert.match(text, /^Task group g validation failed: 2 errors occurred:/);
    assert.match(
      text,
      /\t\* Constraint 1 validation failed: 1 error occurred:\n\t\* Unknown constraint type "is_awesome"/,
    );
    assert.match(
      text,
      /\t\* Task t validation failed: 1 error occurred:\n\t\* 1 error occurred:\n\t\* 1 error occurred:\n\t\* minimum MemoryMB value is 10; got 5/,
    );
    const ok = await api.post('/v1/validate/job', {
      Job: await api.post('/v1/jobs/parse', {
        JobHCL: fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/jobs/counter.nomad'), 'utf8'),
        Canonicalize: true,
      }),
    });
    assert.equal(ok.ValidationErrors, null);
  });

  it('registers, reads, lists with prefix / namespace=* / meta, and allocations reach running', async () => {
    const id = uniqueId('ct-reg');
    const reg = await register(J.sleeper(id, { meta: { owner: 'contract' } }));
    assert.ok(reg.EvalID && reg.JobModifyIndex > 0);
    const job = await api.get(`/v1/job/${id}`);
    assert.equal(job.ID, id);
    assert.equal(job.Version, 0);
    assert.equal(job.JobModifyIndex, reg.JobModifyIndex);
    assert.equal(job.Namespace, 'default');
    assert.equal(job.TaskGroups[0].Tasks[0].Driver, 'raw_exec');
    const pre = await api.get(`/v1/jobs?prefix=${id}`);
    assert.deepEqual(
      pre.map((j: any) => j.ID),
      [id],
    );
    assert.ok(pre[0].JobSummary.Summary.g);
    assert.ok((await api.get('/v1/jobs?namespace=*')).some((j: any) => j.ID === id && j.Namespace === 'default'));
    const withMeta = (await api.get(`/v1/jobs?prefix=${id}&meta=true`))[0];
    assert.deepEqual(withMeta.Meta, { owner: 'contract' });
    assert.equal((await api.get(`/v1/jobs?prefix=${id}`))[0].Meta, undefined);
    const [alloc] = await running(id);
    assert.equal(alloc.TaskStates.t.State, 'running');
    assert.deepEqual(
      alloc.TaskStates.t.Events.slice(0, 3).map((e: any) => e.Type),
      ['Received', 'Task Setup', 'Started'],
    );
    const full = await api.get(`/v1/allocation/${alloc.ID}`);
    assert.equal(full.Job.ID, id);
    const ev = await api.get(`/v1/evaluation/${reg.EvalID}`);
    assert.equal(ev.JobID, id);
    await purge(id);
  });

  it('plans a new job as Added, a changed env as create/destroy, tags/kill_timeout as in-place, no change as None', async () => {
    const id = uniqueId('ct-plan');
    const job = J.web(id, uniqueId('svc-plan'));
    const p0 = await api.post(`/v1/job/${id}/plan`, { Job: job, Diff: true });
    assert.equal(p0.Diff.Type, 'Added');
    assert.equal(p0.JobModifyIndex, 0);
    assert.equal(p0.Diff.TaskGroups[0].Type, 'Added');
    assert.deepEqual(p0.Diff.TaskGroups[0].Updates, { create: 1 });
    assert.deepEqual(p0.Diff.TaskGroups[0].Tasks[0].Annotations, ['forces create']);
    assert.deepEqual(
      p0.Diff.TaskGroups[0].Fields.find((f: any) => f.Name === 'Count'),
      { Annotations: ['forces create'], Name: 'Count', New: '1', Old: '', Type: 'Added' },
    );
    assert.ok(p0.Diff.Fields.some((f: any) => f.Name === 'Type' && f.New === 'service' && f.Type === 'Added'));
    const reg = await register(job);
    await running(id);
    const same = await api.post(`/v1/job/${id}/plan`, { Job: job, Diff: true });
    assert.equal(same.Diff.Type, 'None');
    assert.equal(same.JobModifyIndex, reg.JobModifyIndex);
    assert.equal(same.Annotations.DesiredTGUpdates.g.Ignore, 1);
    const env = structuredClone(job);
    env.TaskGroups[0].Tasks[0].Env = { GREETING: 'bonjour' };
    const pe = await api.post(`/v1/job/${id}/plan`, { Job: env, Diff: true });
    assert.equal(pe.Diff.Type, 'Edited');
    const task = pe.Diff.TaskGroups[0].Tasks[0];
    assert.deepEqual(task.Annotations, ['forces create/destroy update']);
    assert.deepEqual(task.Fields, [
      { Annotations: null, Name: 'Env[GREETING]', New: 'bonjour', Old: '', Type: 'Added' },
    ]);
    assert.deepEqual(pe.Diff.TaskGroups[0].Updates, { 'create/destroy update': 1 });
    const cfg = structuredClone(job);
    cfg.TaskGroups[0].Tasks[0].Config.args[0] = '/usr/bin/node';
    const pc = await api.post(`/v1/job/${id}/plan`, { Job: cfg, Diff: true });
    const cobj = pc.Diff.TaskGroups[0].Tasks[0].Objects.find((o: any) => o.Name === 'Config');
    // plan diffs are contextual: unchanged config keys are listed as "None" (nomad plan prints them)
    assert.deepEqual(cobj.Fields[0], {
      Annotations: null,
      Name: 'args[0]',
      New: '/usr/bin/node',
      Old: 'node',
      Type: 'Edited',
    });
    assert.deepEqual(
      cobj.Fields.slice(1).map((f: any) => [f.Name, f.Type]),
      [
        ['args[1]', 'None'],
        ['args[2]', 'None'],
        ['command', 'None'],
      ],
    );
    const tags = structuredClone(job);
    tags.TaskGroups[0].Services[0].Tags = ['contract', 'v2'];
    const pt = await api.post(`/v1/job/${id}/plan`, { Job: tags, Diff: true });
    assert.deepEqual(pt.Diff.TaskGroups[0].Updates, { 'in-place update': 1 });
    const svc = pt.Diff.TaskGroups[0].Objects.find((o: any) => o.Name === 'Service');
    assert.equal(svc.Type, 'Edited');
    const tagDiff = svc.Objects.find((o: any) => o.Name === 'Tags');
    assert.deepEqual(
      tagDiff.Fields.map((f: any) => [f.Type, f.Old, f.New]),
      [
        ['Added', '', 'v2'],
        ['None', 'contract', 'contract'],
        ['Deleted', 'v1', ''],
      ],
    );
    const kt = structuredClone(job);
    kt.TaskGroups[0].Tasks[0].KillTimeout = 9e9;
    const pk = await api.post(`/v1/job/${id}/plan`, { Job: kt, Diff: true });
    assert.deepEqual(pk.Diff.TaskGroups[0].Tasks[0].Annotations, ['forces in-place update']);
    const cnt = structuredClone(job);
    cnt.TaskGroups[0].Count = 3;
    const pn = await api.post(`/v1/job/${id}/plan`, { Job: cnt, Diff: true });
    assert.deepEqual(pn.Diff.TaskGroups[0].Updates, { create: 2, 'in-place update': 1 });
    const mem = structuredClone(job);
    mem.TaskGroups[0].Tasks[0].Resources.MemoryMB = 1_000_000;
    const pm = await api.post(`/v1/job/${id}/plan`, { Job: mem, Diff: true });
    assert.deepEqual(pm.FailedTGAllocs.g.DimensionExhausted, { memory: 1 });
    const con = structuredClone(job);
    con.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }];
    const pcn = await api.post(`/v1/job/${id}/plan`, { Job: con, Diff: true });
    assert.equal(pcn.FailedTGAllocs.g.NodesFiltered, 1);
    const can = structuredClone(env);
    can.TaskGroups[0].Update.Canary = 1;
    const pca = await api.post(`/v1/job/${id}/plan`, { Job: can, Diff: true });
    assert.deepEqual(pca.Diff.TaskGroups[0].Updates, { canary: 1, ignore: 1 });
    const bad = await api.raw('POST', `/v1/job/${id}-other/plan`, { Job: job, Diff: true });
    assert.equal(bad.status, 400);
    assert.equal(bad.text, 'Job ID does not match');
    await purge(id);
  });

  it('refuses a register with a stale check-index and accepts the current one', async () => {
    const id = uniqueId('ct-idx');
    const r0 = await register(J.sleeper(id));
    const cur = (await api.get(`/v1/job/${id}`)).JobModifyIndex;
    assert.equal(cur, r0.JobModifyIndex);
    const changed = J.sleeper(id, { env: { A: '1' } });
    const stale = await api.raw('POST', '/v1/jobs', { Job: changed, EnforceIndex: true, JobModifyIndex: cur - 1 });
    assert.equal(stale.status, 500);
    assert.equal(
      stale.text,
      `Enforcing job modify index ${cur - 1}: job exists with conflicting job modify index: ${cur}`,
    );
    const zero = await api.raw('POST', '/v1/jobs', { Job: changed, EnforceIndex: true, JobModifyIndex: 0 });
    assert.equal(zero.text, 'Enforcing job modify index 0: job already exists');
    const missing = await api.raw('POST', '/v1/jobs', {
      Job: J.sleeper(uniqueId('ct-missing')),
      EnforceIndex: true,
      JobModifyIndex: 5,
    });
    assert.equal(missing.status, 500);
    assert.equal(missing.text, 'Enforcing job modify index 5: job does not exist');
    const ok = await api.post('/v1/jobs', {
      Job: changed,
      EnforceIndex: true,
      JobModifyIndex: cur,
      Submission: { Source: 'job "x" {}', Format: 'hcl2' },
    });
    assert.ok(ok.JobModifyIndex > cur);
    const j = await api.get(`/v1/job/${id}`);
    assert.equal(j.Version, 1);
    const sub = await api.get(`/v1/job/${id}/submission?version=1`);
    assert.equal(sub.Source, 'job "x" {}');
    assert.equal(sub.Format, 'hcl2');
    const none = await api.raw('GET', `/v1/job/${id}/submission?version=0`);
    assert.equal(none.status, 404);
    assert.equal(none.text, 'job source not found');
    const vs = await api.get(`/v1/job/${id}/versions?diffs=true`);
    assert.deepEqual(
      vs.Versions.map((v: any) => v.Version),
      [1, 0],
    );
    assert.equal(vs.Diffs.length, 1);
    assert.equal(vs.Diffs[0].Type, 'Edited');
    assert.equal(vs.Diffs[0].TaskGroups[0].Tasks[0].Fields[0].Name, 'Env[A]');
    await purge(id);
  });

  it('deregisters (stop) and purges', async () => {
    const id = uniqueId('ct-dereg');
    await register(J.sleeper(id));
    await running(id);
    const d = await api.del(`/v1/job/${id}`);
    assert.ok(d.EvalID);
    const stopped = await api.get(`/v1/job/${id}`);
    assert.equal(stopped.Stop, true);
    await until('job dead', async () => (await api.get(`/v1/job/${id}`)).Status === 'dead', 60_000);
    await until(
      'allocs complete',
      async () => (await api.get(`/v1/job/${id}/allocations`)).every((a: any) => a.ClientStatus === 'complete'),
      60_000,
    );
    await purge(id);
    const gone = await api.raw('GET', `/v1/job/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.text, 'job not found');
  });
});

describe('logs', () => {
  it('follows from the start, from the end, and resumes from an offset without loss or duplicates', async () => {
    const id = uniqueId('ct-logs');
    await register(J.counter(id, 60, '0.2'));
    const [alloc] = await running(id);
    const base = `/v1/client/fs/logs/${alloc.ID}?task=t&type=stdout`;
    // 1. from the start
    const s1 = stream(b.addr, `${base}&follow=true&origin=start&offset=0`, b.token);
    // 2. resume: read a little, drop the connection, continue from the last frame's offset
    const s2 = stream(b.addr, `${base}&follow=true&origin=start&offset=0`, b.token);
    await until(
      'line 8 in the first connection',
      async () => numbers(dataOf(frames(s2.bytes())).toString('utf8')).includes(8),
      60_000,
      100,
    );
    s2.close();
    await s2.done;
    const part1 = frames(s2.bytes()).filter(f => f.Data);
    const last = part1[part1.length - 1];
    assert.equal(last.File, 'alloc/logs/t.stdout.0');
    // 3. from the end, once the task is well under way
    await until(
      'line 12 written',
      async () => numbers((await api.raw('GET', `${base}&plain=true`)).text).includes(12),
      60_000,
      200,
    );
    // origin=end with offset 0 starts at the beginning of the last file (as the real agent does); ask for the last ~2 lines
    const s3 = stream(b.addr, `${base}&follow=true&origin=end&offset=80`, b.token);
    const s4 = stream(b.addr, `${base}&follow=true&origin=start&offset=${last.Offset}`, b.token);
    const done = (s: ReturnType<typeof stream>) => numbers(dataOf(frames(s.bytes())).toString('utf8')).includes(60);
    await until('line 60 everywhere', async () => done(s1) && done(s3) && done(s4), 120_000, 200);
    for (const s of [s1, s3, s4]) {
      s.close();
      await s.done;
    }

    const all = numbers(dataOf(frames(s1.bytes())).toString('utf8'));
    assert.deepEqual(
      all,
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const resumed = numbers(Buffer.concat([dataOf(part1), dataOf(frames(s4.bytes()))]).toString('utf8'));
    assert.deepEqual(
      resumed,
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const endText = dataOf(frames(s3.bytes())).toString('utf8');
    const fromEnd = numbers(endText.slice(endText.indexOf('\n') + 1)); // the first line may be cut
    assert.ok(fromEnd[0] > 5, `origin=end starts near the end (got ${fromEnd[0]})`);
    assert.deepEqual(
      fromEnd,
      Array.from({ length: 61 - fromEnd[0] }, (_, i) => i + fromEnd[0]),
    );
    for (const f of frames(s1.bytes())) if (f.Data) assert.equal(typeof f.Offset, 'number');
    // plain, not following: the whole text
    const plain = await api.raw('GET', `${base}&plain=true&origin=start`);
    assert.deepEqual(
      numbers(plain.text),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    // errors
    const unknown = await api.raw('GET', `/v1/client/fs/logs/${alloc.ID}?task=nope&type=stdout`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.text, 'unknown task name "nope"');
    await purge(id);
  });

  it('rotates at logs { max_file_size = 1 } and streams across the files', async () => {
    const id = uniqueId('ct-rot');
    await register(J.spew(id, 25_000));
    const [alloc] = await running(id);
    const ls = await until(
      'three stdout files and "big done"',
      async () => {
        const files: any[] = await api.get(`/v1/client/fs/ls/${alloc.ID}?path=alloc/logs`);
        const names = files.map(f => f.Name);
        if (!names.includes('t.stdout.2')) return undefined;
        const tail = await api.raw(
          'GET',
          `/v1/client/fs/logs/${alloc.ID}?task=t&type=stdout&plain=true&origin=end&offset=20`,
        );
        return tail.text.includes('big done') ? files : undefined;
      },
      120_000,
      500,
    );
    for (const f of ls.filter((x: any) => /^t\.stdout\.\d+$/.test(x.Name)))
      assert.ok(f.Size <= 1024 * 1024, `${f.Name} is ${f.Size} bytes`);
    const r = await api.raw(
      'GET',
      `/v1/client/fs/logs/${alloc.ID}?task=t&type=stdout&origin=start&offset=0`,
      undefined,
      120_000,
    );
    const fr = frames(Buffer.from(r.text));
    const files = [...new Set(fr.filter(f => f.Data).map(f => f.File))];
    assert.deepEqual(files.slice(0, 3), ['alloc/logs/t.stdout.0', 'alloc/logs/t.stdout.1', 'alloc/logs/t.stdout.2']);
    const text = dataOf(fr).toString('utf8');
    const nums = [...text.matchAll(/^big line (\d+) /gm)].map(m => Number(m[1]));
    assert.equal(nums.length, 25_000);
    assert.ok(nums.every((n, i) => n === i + 1));
    assert.ok(text.endsWith('big done\n'));
    await purge(id);
  });
});

describe('watching', () => {
  it('delivers a Job event on the event stream after a register', async () => {
    const id = uniqueId('ct-ev');
    const idx = (await api.raw('GET', '/v1/jobs')).index;
    const s = stream(b.addr, `/v1/event/stream?topic=Job&index=${idx}`, b.token);
    await sleep(300);
    await register(J.sleeper(id));
    const ev = await until(
      'JobRegistered',
      async () => {
        for (const line of s.bytes().toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          const o = JSON.parse(line);
          const e = (o.Events ?? []).find((x: any) => x.Topic === 'Job' && x.Key === id && x.Type === 'JobRegistered');
          if (e) return e;
        }
        return undefined;
      },
      60_000,
      200,
    );
    s.close();
    await s.done;
    assert.equal(ev.Payload.Job.ID, id);
    assert.equal(ev.Namespace, 'default');
    assert.ok(ev.Index > 0);
    await purge(id);
  });

  it('returns a blocking query when the index moves', async () => {
    const id = uniqueId('ct-block');
    await register(J.sleeper(id));
    const first = await api.raw('GET', `/v1/job/${id}`);
    assert.ok(first.index > 0);
    // the job's index also moves when its status changes, so keep blocking until version 1 shows up
    let last = first.index;
    let changed = false;
    let r = first;
    for (let i = 0; i < 20 && r.json?.Version !== 1; i++) {
      const pending = api.raw('GET', `/v1/job/${id}?index=${last}&wait=120s`, undefined, 180_000);
      if (!changed) {
        await sleep(300);
        await register(J.sleeper(id, { env: { B: '2' } }));
        changed = true;
      }
      r = await pending;
      assert.equal(r.status, 200);
      assert.ok(r.index > last, `index moved (${last} -> ${r.index})`);
      last = r.index;
    }
    assert.equal(r.json.Version, 1);
    const quick = await api.raw('GET', `/v1/jobs?index=${r.index + 1_000_000}&wait=1s`);
    assert.equal(quick.status, 200);
    await purge(id);
  });
});

describe('services and deployments', () => {
  it('lists a Nomad-native service with a reachable address', async () => {
    const id = uniqueId('ct-svc');
    const name = uniqueId('svc');
    await register(J.web(id, name));
    await running(id);
    const regs = await until(
      'service registered',
      async () => {
        const r = await api.get(`/v1/service/${name}`);
        return r.length ? r : undefined;
      },
      60_000,
    );
    assert.equal(regs[0].ServiceName, name);
    assert.equal(regs[0].JobID, id);
    assert.ok(regs[0].Port > 0);
    assert.deepEqual(regs[0].Tags, ['contract', 'v1']);
    const list = await api.get('/v1/services');
    assert.ok(list.some((n: any) => n.Namespace === 'default' && n.Services.some((s: any) => s.ServiceName === name)));
    // the service is registered when the task starts, before the process listens
    const body = await until(
      'the service answers',
      () =>
        new Promise<string | undefined>(resolve => {
          http
            .get(`http://${regs[0].Address}:${regs[0].Port}/`, (res: any) => {
              let t = '';
              res.on('data', (c: Buffer) => (t += c));
              res.on('end', () => resolve(t));
            })
            .on('error', () => resolve(undefined));
        }),
      60_000,
      250,
    );
    assert.equal(body, 'hi');
    const dep = await deployment(id, ['successful', 'failed']);
    assert.equal(dep.Status, 'successful');
    assert.equal(dep.StatusDescription, 'Deployment completed successfully');
    assert.equal(dep.TaskGroups.g.HealthyAllocs, 1);
    await purge(id);
    await until('service gone', async () => (await api.get(`/v1/service/${name}`)).length === 0, 60_000);
  });

  it('fails the deployment of a task that exits 1 and auto-reverts to the stable version', async () => {
    const id = uniqueId('ct-fail');
    await register(J.failing(id, false));
    const d0 = await deployment(id, ['successful', 'failed']);
    assert.equal(d0.Status, 'successful');
    await until('v0 stable', async () => (await api.get(`/v1/job/${id}`)).Stable === true, 30_000);
    await register(J.failing(id, true));
    // the auto-revert starts a new deployment at once, so look for version 1's among all of them
    const d1 = await until(
      'v1 deployment failed',
      async () =>
        (await api.get(`/v1/job/${id}/deployments`)).find((d: any) => d.JobVersion === 1 && d.Status === 'failed'),
      180_000,
      500,
    );
    assert.equal(d1.JobVersion, 1);
    assert.equal(d1.StatusDescription, 'Failed due to unhealthy allocations - rolling back to job version 0');
    const reverted = await until(
      'auto-revert to v2',
      async () => {
        const j = await api.get(`/v1/job/${id}`);
        return j.Version >= 2 ? j : undefined;
      },
      60_000,
    );
    assert.deepEqual(
      reverted.TaskGroups[0].Tasks[0].Config.args,
      J.failing(id, false).TaskGroups[0].Tasks[0].Config.args,
    );
    const allocs: any[] = await api.get(`/v1/job/${id}/allocations`);
    const failed = allocs.find(a => a.ClientStatus === 'failed');
    assert.ok(failed, 'an allocation failed');
    const types = failed.TaskStates.t.Events.map((e: any) => e.Type);
    assert.ok(types.includes('Terminated') && types.includes('Not Restarting'), types.join(','));
    assert.equal(failed.TaskStates.t.Events.find((e: any) => e.Type === 'Terminated').ExitCode, 1);
    assert.equal(
      failed.TaskStates.t.Events.find((e: any) => e.Type === 'Not Restarting').DisplayMessage,
      'Policy allows no restarts',
    );
    assert.equal(failed.DeploymentStatus.Healthy, false);
    await purge(id);
  });

  it('reverts to a previous version, honouring EnforcePriorVersion', async () => {
    const id = uniqueId('ct-revert');
    await register(J.sleeper(id, { env: { V: 'zero' } }));
    await register(J.sleeper(id, { env: { V: 'one' } }));
    assert.equal((await api.get(`/v1/job/${id}`)).Version, 1);
    const stale = await api.raw('POST', `/v1/job/${id}/revert`, { JobID: id, JobVersion: 0, EnforcePriorVersion: 0 });
    assert.equal(stale.status, 500);
    assert.equal(stale.text, 'Current job has version 1; enforcing version 0');
    const same = await api.raw('POST', `/v1/job/${id}/revert`, { JobID: id, JobVersion: 1 });
    assert.equal(same.text, "can't revert to current version");
    const r = await api.post(`/v1/job/${id}/revert`, { JobID: id, JobVersion: 0, EnforcePriorVersion: 1 });
    assert.ok(r.EvalID);
    const j = await api.get(`/v1/job/${id}`);
    assert.equal(j.Version, 2);
    assert.deepEqual(j.TaskGroups[0].Tasks[0].Env, { V: 'zero' });
    await purge(id);
  });

  it('scales a group and reports the scale status', async () => {
    const id = uniqueId('ct-scale');
    await register(J.sleeper(id));
    await running(id);
    await deployment(id, ['successful']); // scaling is refused while a deployment runs
    const r = await api.post(`/v1/job/${id}/scale`, { Count: 2, Target: { Group: 'g' }, Message: 'contract' });
    assert.ok(r.EvalID);
    await running(id, 2);
    const st = await api.get(`/v1/job/${id}/scale`);
    assert.equal(st.TaskGroups.g.Desired, 2);
    assert.equal(st.TaskGroups.g.Events[0].Message, 'contract');
    assert.equal(st.TaskGroups.g.Events[0].PreviousCount, 1);
    await purge(id);
  });
});

describe('errors', () => {
  const uuid = '7a3e1b8c-0000-4000-8000-000000000000';
  for (const [p, status, text] of [
    ['/v1/job/does-not-exist', 404, 'job not found'],
    ['/v1/job/does-not-exist/versions', 404, 'job versions not found'],
    [`/v1/allocation/${uuid}`, 404, 'alloc not found'],
    [`/v1/evaluation/${uuid}`, 404, 'eval not found'],
    [`/v1/deployment/${uuid}`, 404, 'deployment not found'],
  ] as const) {
    it(`GET ${p} → ${status} ${text}`, async () => {
      const r = await api.raw('GET', p);
      assert.equal(r.status, status);
      assert.equal(r.text, text);
    });
  }
  it('register without a job → 400', async () => {
    const r = await api.raw('POST', '/v1/jobs', {});
    assert.equal(r.status, 400);
    assert.equal(r.text, 'Job must be specified');
  });
  it('register of an invalid job → 500 with the validation errors', async () => {
    const r = await api.raw('POST', '/v1/jobs', { Job: { ID: 'x', Name: 'x', Type: 'service' } });
    assert.equal(r.status, 500);
    assert.equal(r.text, '1 error occurred:\n\t* Missing job task groups\n\n');
  });
});
