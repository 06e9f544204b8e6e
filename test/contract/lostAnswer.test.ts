// A Run whose answer is lost: the cluster took the registration, the connection dropped before its answer
// came back. submitPlanned (src/nomad/deploy/submit.ts) must recognise its own write — as a lost answer
// and, when the user presses Run again, as a check-index conflict with that write — and never call it
// someone else's change. Against the backend chosen by backend.ts, through a loopback proxy that forwards
// the registration and then closes the client's socket without answering.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Backend, startBackend, uniqueId } from './backend';
import * as J from './jobs';
import { NomadClient } from '../../src/nomad/client';
import { isNomadError } from '../../src/nomad/errors';
import { submitPlanned } from '../../src/nomad/deploy/submit';

let b: Backend;
let proxy: http.Server;
let dropped = 0;
let client: NomadClient;
let direct: NomadClient;
const made: string[] = [];

before(async () => {
  b = await startBackend();
  const target = new URL(b.addr);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c as Buffer));
    req.on('end', () => {
      const fwd = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        up => {
          const body: Buffer[] = [];
          up.on('data', c => body.push(c as Buffer));
          up.on('end', () => {
            // the registration reached the cluster; its answer never reaches the client
            if (req.method === 'POST' && req.url?.startsWith('/v1/jobs') && !req.url.startsWith('/v1/jobs/parse')) {
              dropped++;
              req.socket.destroy();
              return;
            }
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      fwd.on('error', () => req.socket.destroy());
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
  const addr = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const opts = (address: string) => ({
    profile: { name: 't', address, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
  client = new NomadClient(opts(addr));
  direct = new NomadClient(opts(b.addr));
  console.log(`# backend: ${b.kind} ${b.addr}, answer-dropping proxy at ${addr}`);
});
after(async () => {
  for (const id of made) await b.api.del(`/v1/job/${id}?purge=true`).catch(() => undefined);
  await client.close();
  await direct.close();
  await new Promise<void>(r => proxy.close(() => r()));
  await b.stop();
});

describe('a lost answer to Run', () => {
  it('is recognised as our own submission, applied, with its evaluation; pressed again it is still ours', async () => {
    const job = J.sleeper(uniqueId('lost-answer'));
    made.push(job.ID);
    const source = `job "${job.ID}" { # the file as planned\n}\n`;
    const before = dropped;
    const r = await submitPlanned(client, job, { planIndex: 0, source });
    assert.equal(dropped, before + 1, 'the proxy dropped the answer');
    assert.equal(r.kind, 'ours', JSON.stringify(r));
    assert.ok(r.kind === 'ours' && r.why === 'lost-answer');
    const onCluster = (await direct.getJob(job.ID)).body;
    assert.equal(r.version, onCluster.Version);
    assert.equal(r.jobModifyIndex, onCluster.JobModifyIndex);
    const evals = (await direct.jobEvaluations(job.ID)).body;
    assert.ok(
      r.evalId && evals.some(e => e.ID === r.evalId && e.JobModifyIndex === r.jobModifyIndex),
      `the evaluation of our registration (${r.evalId})`,
    );
    // Run pressed again with the same plan: check-index refuses it (the index moved), and the write that moved it is ours
    const again = await submitPlanned(direct, job, { planIndex: 0, source });
    assert.equal(again.kind, 'ours');
    assert.ok(again.kind === 'ours' && again.why === 'conflict-with-own-write' && again.version === r.version);
    assert.equal((await direct.jobVersions(job.ID)).body.Versions.length, 1, 'nothing was applied twice');
  });

  it("someone else's write is still a conflict, thrown as one", async () => {
    const job = J.sleeper(uniqueId('lost-other'));
    made.push(job.ID);
    await direct.registerJob(job, { submission: { source: 'job "x" { # someone else\'s file\n}\n' } });
    await assert.rejects(
      submitPlanned(direct, job, { planIndex: 0, source: `job "${job.ID}" { # ours\n}\n` }),
      (e: unknown) => isNomadError(e) && e.kind === 'conflict',
    );
    // and through the proxy, a lost answer to a refused write is not taken for ours either: the error is thrown
    const other = J.sleeper(uniqueId('lost-refused'));
    made.push(other.ID);
    await direct.registerJob(other, { submission: { source: 'job "y" {}\n' } });
    await assert.rejects(
      submitPlanned(client, other, { planIndex: 0, source: 'job "ours" {}\n' }),
      (e: unknown) => isNomadError(e) && e.kind === 'network',
    );
  });

  it("someone else's write without a submission (an API call) carries our source forward, and is still a conflict", async () => {
    // Nomad gives a version registered without a submission the submission of the version it was read at,
    // so the current version shows our source although the write is not ours
    const job = J.sleeper(uniqueId('lost-carried'));
    made.push(job.ID);
    const source = `job "${job.ID}" { # the file as planned\n}\n`;
    const first = await submitPlanned(direct, job, { planIndex: 0, source });
    assert.equal(first.kind, 'submitted');
    const planIndex = first.jobModifyIndex;
    const current = (await direct.getJob(job.ID)).body;
    await b.api.post('/v1/jobs', { Job: { ...current, Meta: { changedBy: 'someone else' } } });
    const after = (await direct.getJob(job.ID)).body;
    assert.equal(after.Version, 1);
    assert.equal(
      (await direct.jobSubmission(job.ID, 1)).body.Source,
      source,
      'the new version carries the earlier submission',
    );
    await assert.rejects(
      submitPlanned(direct, job, { planIndex, source }),
      (e: unknown) => isNomadError(e) && e.kind === 'conflict',
    );
    assert.deepEqual((await direct.getJob(job.ID)).body.Meta, { changedBy: 'someone else' }, 'nothing was overwritten');
  });
});
