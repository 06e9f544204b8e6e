// Nomad Variables through the extension's own client (src/nomad/variables.ts) against the backend chosen
// by backend.ts: list by prefix, read, write with check-and-set (a stale index writes nothing and brings
// back the cluster's version), create-only (cas=0), delete with cas, Nomad's path rules, and the 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backend, startBackend, uniqueId } from './backend';
import { Api } from './http';
import { startAgent } from './agent';
import { NomadDouble } from '../double/nomad';
import { NomadClient } from '../../src/nomad/client';
import { VariableAccessDenied, VariableError, VariablesClient } from '../../src/nomad/variables';

let b: Backend;
let vars: VariablesClient;
let client: NomadClient;
const base = uniqueId('ct-vars').replace(/[^a-zA-Z0-9\-_~]/g, '-');
const made: string[] = [];

const clientFor = (addr: string, token?: string) => new NomadClient({ profile: { name: 't', address: addr, tls: { skipVerify: false } }, ...(token ? { token } : {}) });

before(async () => {
  b = await startBackend();
  client = clientFor(b.addr, b.token);
  vars = new VariablesClient(client);
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  for (const p of made) await vars.delete('default', p, 0).catch(() => undefined).then(async () => { const v = await vars.read('default', p).catch(() => undefined); if (v) await vars.delete('default', p, v.ModifyIndex); });
  await client.close();
  await b.stop();
});

describe('variables', () => {
  it('creates only when absent (cas=0), then reads it back with its items and indexes', async () => {
    const p = `${base}/app/db`;
    made.push(p);
    const w = await vars.write('default', p, { user: 'admin', password: 's3cr3t' }, 0);
    assert.ok(w.ok);
    assert.equal(w.variable.Path, p);
    assert.deepEqual(w.variable.Items, { user: 'admin', password: 's3cr3t' });
    assert.ok(w.variable.ModifyIndex > 0);
    const again = await vars.write('default', p, { user: 'other' }, 0);
    assert.equal(again.ok, false, 'cas=0 on an existing variable writes nothing');
    assert.ok(!again.ok && again.conflict?.ModifyIndex === w.variable.ModifyIndex);
    assert.deepEqual(!again.ok && again.conflict?.Items, { user: 'admin', password: 's3cr3t' });
    const r = await vars.read('default', p);
    assert.deepEqual(r?.Items, { user: 'admin', password: 's3cr3t' });
    assert.equal(r?.ModifyIndex, w.variable.ModifyIndex);
  });

  it('lists metadata (no items) by prefix', async () => {
    const p2 = `${base}/app/cache`, p3 = `${base}x/other`;
    made.push(p2, p3);
    assert.ok((await vars.write('default', p2, { k: 'v' }, 0)).ok);
    assert.ok((await vars.write('default', p3, { k: 'v' }, 0)).ok);
    const list = await vars.list('default', `${base}/`);
    assert.deepEqual(list.map(v => v.Path).sort(), [`${base}/app/cache`, `${base}/app/db`]);
    const raw = await b.api.get(`/v1/vars?prefix=${encodeURIComponent(base + '/')}`);
    assert.ok(raw.every((v: any) => !('Items' in v) || v.Items === undefined || v.Items === null), 'the list carries no items');
  });

  it('a save on a stale index writes nothing and returns the cluster\'s version', async () => {
    const p = `${base}/app/db`;
    const opened = (await vars.read('default', p))!;
    const theirs = await vars.write('default', p, { user: 'theirs' }, opened.ModifyIndex);
    assert.ok(theirs.ok, 'the first writer wins');
    const mine = await vars.write('default', p, { user: 'mine' }, opened.ModifyIndex);
    assert.equal(mine.ok, false);
    assert.ok(!mine.ok && mine.conflict);
    assert.deepEqual(!mine.ok && mine.conflict?.Items, { user: 'theirs' });
    assert.equal(!mine.ok && mine.conflict?.ModifyIndex, theirs.ok && theirs.variable.ModifyIndex);
    assert.deepEqual((await vars.read('default', p))?.Items, { user: 'theirs' }, 'nothing was overwritten');
    // choosing "mine" after seeing theirs: a write on their index
    const retry = await vars.write('default', p, { user: 'mine' }, theirs.ok ? theirs.variable.ModifyIndex : 0);
    assert.ok(retry.ok);
  });

  it('deletes with cas: a stale index deletes nothing', async () => {
    const p = `${base}/app/cache`;
    const v = (await vars.read('default', p))!;
    const stale = await vars.delete('default', p, v.ModifyIndex - 1);
    assert.equal(stale.ok, false);
    assert.ok(await vars.read('default', p), 'still there');
    assert.ok((await vars.delete('default', p, v.ModifyIndex)).ok);
    assert.equal(await vars.read('default', p), undefined);
  });

  it('refuses paths Nomad refuses, with its reason', async () => {
    for (const bad of ['nomad', 'nomad/other', 'a.b']) {
      await assert.rejects(vars.write('default', bad, { k: 'v' }, 0), (e: unknown) => e instanceof VariableError && e.status === 500 && e.message.length > 0, bad);
    }
    await assert.rejects(vars.write('default', `${base}/empty`, {}, 0), (e: unknown) => e instanceof VariableError && /Items/.test(e.message));
  });

  it('reads a missing variable as undefined', async () => {
    assert.equal(await vars.read('default', `${base}/missing`), undefined);
  });
});

describe('variables with ACLs', () => {
  let addr = '', stop: () => Promise<void> = async () => {}, token = '';
  before(async () => {
    if (process.env.NOMAD_ADDR) return;
    if (process.env.NOMAD_BIN) {
      const agent = await startAgent(process.env.NOMAD_BIN, { extraConfig: 'acl {\n  enabled = true\n}' });
      addr = agent.addr; stop = () => agent.stop();
      token = (await new Api(addr).post('/v1/acl/bootstrap')).SecretID;
    } else {
      const d = await NomadDouble.start({ acl: true });
      addr = d.addr; token = d.token!; stop = () => d.stop();
    }
  });
  after(async () => { await stop(); });

  it('a 403 names the path and the missing capability; no value in the message', async t => {
    if (!addr) { t.skip('NOMAD_ADDR: the shared agent is not restarted with ACLs'); return; }
    const good = new VariablesClient(clientFor(addr, token));
    assert.ok((await good.write('default', 'team/secret', { pw: 'hunter2' }, 0)).ok);
    const bad = new VariablesClient(clientFor(addr, '00000000-0000-0000-0000-000000000000'));
    await assert.rejects(bad.read('default', 'team/secret'), (e: unknown) => e instanceof VariableAccessDenied && e.capability === 'read' && /"team\/secret"/.test(e.message) && !/hunter2/.test(e.message));
    await assert.rejects(bad.write('default', 'team/secret', { pw: 'x' }, 1), (e: unknown) => e instanceof VariableAccessDenied && e.capability === 'write');
    await assert.rejects(bad.list('default', 'team/'), (e: unknown) => e instanceof VariableAccessDenied && e.capability === 'list');
  });
});
