// Job IDs that need escaping in a URL path: read, plan and stop work for every ID Nomad can address, and
// an ID it cannot address (`//`, `.`/`..` parts: Nomad's router rewrites those paths and answers 301)
// fails before any request with a message that says why. Against the Nomad double, or a real agent with
// NOMAD_BIN / NOMAD_ADDR (test/contract/backend.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NomadClient } from '../../../src/nomad/client';
import { NomadError } from '../../../src/nomad/errors';
import { startBackend, uniqueId, type Backend } from '../../contract/backend';
import { sleeper } from '../../contract/jobs';
import { profile, startServer } from '../support';

let b: Backend;
let client: NomadClient;
before(async () => {
  b = await startBackend();
  client = new NomadClient({ profile: profile(b.addr), ...(b.token ? { token: b.token } : {}) });
});
after(async () => {
  await client.close();
  await b.stop();
});

const ADDRESSABLE = [
  'q?x=1',
  'hash#frag',
  'pct%41%2F',
  'one/slash',
  'ünï日本',
  'quote"<b>',
  'amp&x=y',
  'plus+sign',
  'dots.in..name',
  'a/.hidden',
];

for (const suffix of ADDRESSABLE) {
  test(`a job id with ${JSON.stringify(suffix)}: register, read, summary, versions, plan, stop and purge`, async () => {
    const id = `${uniqueId('paths')}-${suffix}`;
    const job = sleeper(id);
    await client.registerJob(job);
    try {
      const read = await client.getJob(id);
      assert.equal(read.body.ID, id);
      const summary = await client.jobSummary(id);
      assert.equal(summary.body.JobID, id);
      const versions = await client.jobVersions(id);
      assert.equal(versions.body.Versions?.[0]?.ID, id);
      const plan = await client.planJob({ ...job, Meta: { changed: 'yes' } });
      assert.ok(plan.Diff, 'the plan has a diff');
      assert.equal(plan.Diff?.ID, id);
      const stopped = await client.deregisterJob(id);
      assert.ok(stopped.EvalID, 'the stop made an evaluation');
    } finally {
      await client.deregisterJob(id, { purge: true }).catch(() => undefined);
    }
    await assert.rejects(client.getJob(id), (e: unknown) => e instanceof NomadError && e.kind === 'notFound');
  });
}

test('an id Nomad cannot address: a clear error before any request, and the agent really cannot serve it', async () => {
  const id = `${uniqueId('paths')}-a//b`;
  // registering goes through POST /v1/jobs (no id in the path): the cluster accepts it. Nothing can
  // stop or purge it afterwards, so not on a shared agent (NOMAD_ADDR): only on one started for the run
  const register = !process.env.NOMAD_ADDR;
  if (register) await client.registerJob(sleeper(id));
  {
    for (const call of [
      () => client.getJob(id),
      () => client.planJob(sleeper(id)),
      () => client.deregisterJob(id),
      () => client.jobVersions(id),
    ]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof NomadError, String(e));
        assert.equal(e.kind, 'badRequest');
        assert.match(e.message, /cannot address the job ".*a\/\/b": it contains "\/\/"/);
        return true;
      });
    }
    for (const bad of ['..', '.', 'x/../y', 'x/./y', '/lead', 'trail/']) {
      await assert.rejects(
        client.getJob(bad),
        (e: unknown) => e instanceof NomadError && e.kind === 'badRequest' && /cannot address the job/.test(e.message),
      );
    }
    // what a client that sends it anyway gets: a redirect to another path, not the job
    const r = await fetch(`${b.addr}/v1/job/${encodeURIComponent(id)}`, {
      redirect: 'manual',
      headers: b.token ? { 'X-Nomad-Token': b.token } : {},
    });
    assert.equal(r.status, 301, `${b.kind} agent answers a path with "//" with a redirect`);
    assert.match(r.headers.get('location') ?? '', /\/v1\/job\/paths-[^/]+-a\/b$/);
  }
});

test('a 3xx answer is reported as the redirect it is, not as a server error', async () => {
  const srv = await startServer((_req, res) => {
    res.statusCode = 301;
    res.setHeader('location', '/v1/job/a/b/plan');
    res.end('<a href="/v1/job/a/b/plan">Moved Permanently</a>.');
  });
  const c = new NomadClient({ profile: profile(srv.url), token: 'secret-token-1234' });
  try {
    await assert.rejects(c.scaleGroup('x', 'g', 1), (e: unknown) => {
      assert.ok(e instanceof NomadError);
      assert.equal(e.kind, 'badRequest');
      assert.equal(e.status, 301);
      assert.match(
        e.message,
        /did not carry out POST \/v1\/job\/x\/scale: it answered with a redirect \(301\) to \/v1\/job\/a\/b\/plan/,
      );
      assert.doesNotMatch(e.message, /server error/);
      return true;
    });
  } finally {
    await c.close();
    await srv.close();
  }
});

test('a 307 to another host is reported as a refused redirect, not as "an ID containing //"', async () => {
  for (const [status, location] of [
    [307, 'http://elsewhere.example:4646/v1/jobs'],
    [302, '//elsewhere.example/v1/jobs'],
    [308, 'https://elsewhere.example/v1/jobs'],
    [301, 'http://elsewhere.example/v1/jobs'],
  ] as const) {
    const srv = await startServer((_req, res) => {
      res.statusCode = status;
      res.setHeader('location', location);
      res.end('');
    });
    const c = new NomadClient({ profile: profile(srv.url), token: 'secret-token-1234' });
    try {
      await assert.rejects(c.listJobs(), (e: unknown) => {
        assert.ok(e instanceof NomadError);
        assert.equal(e.status, status);
        assert.match(
          e.message,
          new RegExp(
            `redirect \\(${status}\\) to ${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\. Redirects are refused, never followed`,
          ),
        );
        assert.doesNotMatch(e.message, /"\/\/"|cannot be addressed/);
        return true;
      });
      assert.equal(srv.requests.length, 1, 'not followed');
    } finally {
      await c.close();
      await srv.close();
    }
  }
  // the router's own cleaning of a path with "//" keeps its explanation
  const srv = await startServer((_req, res) => {
    res.statusCode = 301;
    res.setHeader('location', '/v1/job/a/b');
    res.end('');
  });
  const c = new NomadClient({ profile: profile(srv.url) });
  try {
    await assert.rejects(
      c.get('/v1/job/a%2F%2Fb'),
      (e: unknown) => e instanceof NomadError && /"\/\/", "\." or "\.\." parts/.test(e.message),
    );
  } finally {
    await c.close();
    await srv.close();
  }
});
