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
import {
  formatItems,
  itemEntries,
  newItems,
  parseItems,
  sameItems,
  setItem,
  VariableAccessDenied,
  VariableError,
  VariablesClient,
} from '../../src/nomad/variables';
import { HOSTILE_KEYS, LONG_KEY } from '../harness/hostile';

let b: Backend;
let vars: VariablesClient;
let client: NomadClient;
const base = uniqueId('ct-vars').replace(/[^a-zA-Z0-9\-_~]/g, '-');
const made: string[] = [];

const clientFor = (addr: string, token?: string) =>
  new NomadClient({ profile: { name: 't', address: addr, tls: { skipVerify: false } }, ...(token ? { token } : {}) });

before(async () => {
  b = await startBackend();
  client = clientFor(b.addr, b.token);
  vars = new VariablesClient(client);
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  for (const p of made)
    await vars
      .delete('default', p, 0)
      .catch(() => undefined)
      .then(async () => {
        const v = await vars.read('default', p).catch(() => undefined);
        if (v) await vars.delete('default', p, v.ModifyIndex);
      });
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
    const p2 = `${base}/app/cache`,
      p3 = `${base}x/other`;
    made.push(p2, p3);
    assert.ok((await vars.write('default', p2, { k: 'v' }, 0)).ok);
    assert.ok((await vars.write('default', p3, { k: 'v' }, 0)).ok);
    const list = await vars.list('default', `${base}/`);
    assert.deepEqual(list.map(v => v.Path).sort(), [`${base}/app/cache`, `${base}/app/db`]);
    const raw = await b.api.get(`/v1/vars?prefix=${encodeURIComponent(base + '/')}`);
    assert.ok(
      raw.every((v: any) => !('Items' in v) || v.Items === undefined || v.Items === null),
      'the list carries no items',
    );
  });

  it("a save on a stale index writes nothing and returns the cluster's version", async () => {
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
      await assert.rejects(
        vars.write('default', bad, { k: 'v' }, 0),
        (e: unknown) => e instanceof VariableError && e.status === 500 && e.message.length > 0,
        bad,
      );
    }
    await assert.rejects(
      vars.write('default', `${base}/empty`, {}, 0),
      (e: unknown) => e instanceof VariableError && /Items/.test(e.message),
    );
  });

  it('any item key (__proto__, constructor, empty, =, quotes, newlines, U+2028…) is stored and read back as it is', async () => {
    const p = `${base}/hostile/keys`;
    made.push(p);
    const mine = newItems();
    HOSTILE_KEYS.forEach((k, i) => setItem(mine, k, `v${i}\u2028\u200b`));
    const w = await vars.write('default', p, mine, 0);
    assert.ok(w.ok);
    const back = (await vars.read('default', p))!;
    assert.deepEqual(
      itemEntries(back.Items)
        .map(([k]) => k)
        .sort(),
      [...HOSTILE_KEYS].sort(),
    );
    assert.ok(sameItems(back.Items, mine));
  });

  it('a __proto__ item survives when another item is edited in the document and saved', async () => {
    for (const format of ['hcl', 'json'] as const) {
      const p = `${base}/hostile/edit-${format}`;
      made.push(p);
      const first = newItems();
      setItem(first, '__proto__', 'kept');
      setItem(first, 'constructor', 'kept too');
      setItem(first, '', 'empty key');
      setItem(first, 'edit', 'before');
      const w = await vars.write('default', p, first, 0);
      assert.ok(w.ok);
      // what the Variables document does: read, format, the user edits one line, parse, save with cas
      const opened = (await vars.read('default', p))!;
      const text = formatItems(opened.Items, format).replace('"before"', '"after"');
      const parsed = parseItems(text, format);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const saved = await vars.write('default', p, parsed.items, opened.ModifyIndex);
      assert.ok(saved.ok);
      const now = (await vars.read('default', p))!;
      const expected = newItems();
      setItem(expected, '__proto__', 'kept');
      setItem(expected, 'constructor', 'kept too');
      setItem(expected, '', 'empty key');
      setItem(expected, 'edit', 'after');
      assert.ok(sameItems(now.Items, expected), `${format}: ${JSON.stringify(itemEntries(now.Items))}`);
    }
  });

  it('a key near the 64 KiB limit round-trips through the document', async () => {
    const p = `${base}/hostile/long`;
    made.push(p);
    const mine = newItems();
    setItem(mine, LONG_KEY, 'v');
    assert.ok((await vars.write('default', p, mine, 0)).ok);
    const back = (await vars.read('default', p))!;
    const parsed = parseItems(formatItems(back.Items, 'hcl'), 'hcl');
    assert.ok(parsed.ok && sameItems(parsed.items, mine));
  });

  it('a save made again after its answer was lost is recognised as our own write (not a conflict)', async () => {
    const p = `${base}/hostile/lost`;
    made.push(p);
    const w = await vars.write('default', p, { a: '1' }, 0);
    assert.ok(w.ok);
    const mine = { a: '2' };
    const first = await vars.write('default', p, mine, w.variable.ModifyIndex);
    assert.ok(first.ok && !first.alreadyWritten);
    // the same save again, with the index the document was opened at: the cluster answers 409
    const again = await vars.write('default', p, mine, w.variable.ModifyIndex);
    assert.ok(again.ok && again.alreadyWritten, JSON.stringify(again));
    assert.equal(again.ok && again.variable.ModifyIndex, first.ok && first.variable.ModifyIndex, 'written once');
  });

  it('reads a missing variable as undefined', async () => {
    assert.equal(await vars.read('default', `${base}/missing`), undefined);
  });
});

describe('variables with ACLs', () => {
  let addr = '',
    stop: () => Promise<void> = async () => {},
    token = '';
  before(async () => {
    if (process.env.NOMAD_ADDR) return;
    if (process.env.NOMAD_BIN) {
      const agent = await startAgent(process.env.NOMAD_BIN, { extraConfig: 'acl {\n  enabled = true\n}' });
      addr = agent.addr;
      stop = () => agent.stop();
      token = (await new Api(addr).post('/v1/acl/bootstrap')).SecretID;
    } else {
      const d = await NomadDouble.start({ acl: true });
      addr = d.addr;
      token = d.token!;
      stop = () => d.stop();
    }
  });
  after(async () => {
    await stop();
  });

  it('a 403 names the path and the missing capability; no value in the message', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const good = new VariablesClient(clientFor(addr, token));
    assert.ok((await good.write('default', 'team/secret', { pw: 'hunter2' }, 0)).ok);
    const bad = new VariablesClient(clientFor(addr, '00000000-0000-0000-0000-000000000000'));
    await assert.rejects(
      bad.read('default', 'team/secret'),
      (e: unknown) =>
        e instanceof VariableAccessDenied &&
        e.capability === 'read' &&
        /"team\/secret"/.test(e.message) &&
        !/hunter2/.test(e.message),
    );
    await assert.rejects(
      bad.write('default', 'team/secret', { pw: 'x' }, 1),
      (e: unknown) => e instanceof VariableAccessDenied && e.capability === 'write',
    );
    await assert.rejects(
      bad.list('default', 'team/'),
      (e: unknown) => e instanceof VariableAccessDenied && e.capability === 'list',
    );
  });
});
