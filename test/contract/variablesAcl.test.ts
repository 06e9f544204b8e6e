// Nomad Variables under a real ACL policy, against the backend chosen by backend.ts with ACLs on: a real
// agent (NOMAD_BIN, `acl { enabled = true }`, bootstrapped here) or the Nomad double in ACL mode. A client
// token whose policy lets it read and list "app/*" only:
//   - the raw answers: what it may read comes back; a write, a create, a delete under "app/", and a read
//     outside it are 403 "Permission denied" (text/plain, naming neither path nor capability); a list leaves
//     out what it may not list; a missing variable it may read is a 404, one it may not read a 403;
//   - the extension's client turns each 403 into a VariableAccessDenied naming the path and the capability.
// The same assertions hold on both backends (what the 1.6.5 agent answered is what is asserted).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Api, call } from './http';
import { startAgent } from './agent';
import { NomadDouble } from '../double/nomad';
import { NomadClient } from '../../src/nomad/client';
import { VariableAccessDenied, VariablesClient } from '../../src/nomad/variables';

const RULES = `namespace "default" {
  variables {
    path "app/*" {
      capabilities = ["read", "list"]
    }
  }
}
`;

let addr = '',
  kind = '',
  management = '',
  reader = '';
let stop: () => Promise<void> = async () => {};
const clients: NomadClient[] = [];
const varsFor = (token: string) => {
  const c = new NomadClient({ profile: { name: 't', address: addr, tls: { skipVerify: false } }, token });
  clients.push(c);
  return new VariablesClient(c);
};

before(async () => {
  if (process.env.NOMAD_ADDR) return;
  if (process.env.NOMAD_BIN) {
    const agent = await startAgent(process.env.NOMAD_BIN, { extraConfig: 'acl {\n  enabled = true\n}' });
    addr = agent.addr;
    stop = () => agent.stop();
    kind = 'real';
    management = (await new Api(addr).post('/v1/acl/bootstrap')).SecretID;
  } else {
    const d = await NomadDouble.start({ acl: true });
    addr = d.addr;
    stop = () => d.stop();
    kind = 'double';
    management = d.token!;
  }
  console.log(`# backend: ${kind} ${addr} (ACLs on)`);
  const admin = new Api(addr, management);
  const applied = await admin.raw('POST', '/v1/acl/policy/app-read', {
    Name: 'app-read',
    Description: 'read app/*',
    Rules: RULES,
  });
  assert.equal(applied.status, 200, applied.text);
  assert.equal(applied.text, '', 'an applied policy is answered with an empty body');
  const tok = await admin.post('/v1/acl/token', { Name: 'app-reader', Type: 'client', Policies: ['app-read'] });
  assert.equal(tok.Type, 'client');
  assert.deepEqual(tok.Policies, ['app-read']);
  reader = tok.SecretID;
  for (const [p, items] of [
    ['app/db', { user: 'admin', pw: 'hunter2' }],
    ['team/secret', { pw: 'swordfish' }],
  ] as const) {
    const w = await admin.raw('PUT', `/v1/var/${p}?cas=0`, { Namespace: 'default', Path: p, Items: items });
    assert.equal(w.status, 200, w.text);
  }
});
after(async () => {
  for (const c of clients) await c.close();
  await stop();
});

describe('variables under an ACL policy (read and list app/* only)', () => {
  it('the agent\'s raw answers: 200 where allowed, 403 "Permission denied" where not, lists filtered', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const as = (method: string, path: string, body?: unknown) => call(addr, method, path, { token: reader, body });
    const index = (await call(addr, 'GET', '/v1/var/app/db', { token: management })).json.ModifyIndex as number;

    const read = await as('GET', '/v1/var/app/db');
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.Items, { user: 'admin', pw: 'hunter2' });

    const forbidden: Array<[string, string, unknown?]> = [
      ['PUT', `/v1/var/app/db?cas=${index}`, { Namespace: 'default', Path: 'app/db', Items: { user: 'x' } }],
      ['PUT', '/v1/var/app/new?cas=0', { Namespace: 'default', Path: 'app/new', Items: { k: 'v' } }],
      ['DELETE', `/v1/var/app/db?cas=${index}`],
      ['GET', '/v1/var/team/secret'],
      ['PUT', '/v1/var/team/secret?cas=0', { Namespace: 'default', Path: 'team/secret', Items: { k: 'v' } }],
      ['GET', '/v1/var/team/missing'],
    ];
    const seen = [];
    for (const [m, p, body] of forbidden) {
      const r = await as(m, p, body);
      seen.push(`${m} ${p} → ${r.status} ${JSON.stringify(r.text)} ${r.headers['content-type']}`);
      assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
      assert.equal(r.text, 'Permission denied', `${m} ${p}`);
      assert.match(String(r.headers['content-type']), /^text\/plain/);
    }
    console.log(`# ${kind}:\n# ${seen.join('\n# ')}`);

    const missing = await as('GET', '/v1/var/app/missing');
    assert.deepEqual([missing.status, missing.text], [404, 'variable not found']);
    const all = await as('GET', '/v1/vars');
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.json.map((v: { Path: string }) => v.Path),
      ['app/db'],
      'the list leaves out team/secret',
    );
    const team = await as('GET', '/v1/vars?prefix=team/');
    assert.deepEqual([team.status, team.json], [200, []]);
    // a namespace rule with only variables in it gives no namespace capability: the list of namespaces is empty
    assert.deepEqual((await as('GET', '/v1/namespaces')).json, []);
    // nothing was written
    assert.deepEqual((await call(addr, 'GET', '/v1/var/app/db', { token: management })).json.Items, {
      user: 'admin',
      pw: 'hunter2',
    });
    assert.equal((await call(addr, 'GET', '/v1/var/app/new', { token: management })).status, 404);
  });

  it("the extension's client names the path and the missing capability for each refusal, and no value", async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const vars = varsFor(reader);
    const v = await vars.read('default', 'app/db');
    assert.deepEqual(v?.Items, { user: 'admin', pw: 'hunter2' });
    const denied = (path: string, capability: string) => (e: unknown) => {
      assert.ok(e instanceof VariableAccessDenied, String(e));
      assert.equal(e.path, path);
      assert.equal(e.capability, capability);
      assert.ok(e.message.includes(`"${path}"`), e.message);
      assert.ok(e.message.includes(`"${capability}"`), e.message);
      assert.ok(!/hunter2|swordfish/.test(e.message), 'no value in the message');
      return true;
    };
    await assert.rejects(vars.write('default', 'app/db', { user: 'x' }, v!.ModifyIndex), denied('app/db', 'write'));
    await assert.rejects(vars.write('default', 'app/new', { k: 'v' }, 0), denied('app/new', 'write'));
    await assert.rejects(vars.delete('default', 'app/db', v!.ModifyIndex), denied('app/db', 'destroy'));
    await assert.rejects(vars.read('default', 'team/secret'), denied('team/secret', 'read'));
    assert.deepEqual(
      (await vars.list('default', '')).map(m => m.Path),
      ['app/db'],
    );
    assert.equal(await vars.read('default', 'app/missing'), undefined);
  });

  it('a token the cluster does not take: token/self tells unknown, missing and malformed apart, and the message says which', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const unknown = '00000000-1111-2222-3333-444444444444';
    // the raw answers (Nomad 1.6.5): every variable refusal is the same 403; token/self is not
    for (const token of [unknown, '', 'not-a-uuid']) {
      const r = await call(addr, 'GET', '/v1/var/app/db', token ? { token } : {});
      assert.equal(r.status, 403, r.text);
      assert.equal(r.text.trim(), 'Permission denied');
    }
    const self = async (token: string) => {
      const r = await call(addr, 'GET', '/v1/acl/token/self', token ? { token } : {});
      return `${r.status} ${r.text.trim()}`;
    };
    assert.equal(await self(unknown), '404 ACL token not found');
    assert.equal(await self(''), '500 acl token lookup failed: missing secret id');
    assert.equal(await self('not-a-uuid'), '500 acl token lookup failed: index error: UUID must be 36 characters');
    assert.match(await self(reader), /^200 /);
    // what the user reads
    const says = (because: string, text: RegExp) => (e: unknown) => {
      assert.ok(e instanceof VariableAccessDenied, String(e));
      assert.equal(e.because, because);
      assert.match(e.message, text);
      assert.ok(e.message.includes('"app/db"'), e.message);
      return true;
    };
    await assert.rejects(
      varsFor(unknown).read('default', 'app/db'),
      says('unknown-token', /does not know this ACL token/),
    );
    await assert.rejects(
      varsFor('').write('default', 'app/db', { k: 'v' }, 1),
      says('no-token', /No ACL token is set.*"write"/),
    );
    await assert.rejects(
      varsFor('not-a-uuid').delete('default', 'app/db', 1),
      says('malformed-token', /not a secret ID/),
    );
    await assert.rejects(
      varsFor(reader).write('default', 'app/db', { k: 'v' }, 1),
      says('policy', /its policy lacks the "write" capability/),
    );
  });

  it('beyond variables: jobs refuse every wrong token alike, agent/self looks it up itself, regions needs none', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const unknown = '00000000-1111-2222-3333-444444444444';
    const answer = async (path: string, token: string) => {
      const r = await call(addr, 'GET', path, token ? { token } : {});
      return `${r.status} ${r.text.trim()}`;
    };
    // what the 1.6.5 agent answers: the connection's probe (a job list) cannot tell these apart, so the
    // extension asks token/self after it (test/extension/suite/cluster.test.ts reads the messages)
    for (const token of ['', unknown, 'not-a-uuid', reader]) {
      assert.equal(
        await answer('/v1/jobs?prefix=x', token),
        '403 Permission denied',
        `jobs, token ${JSON.stringify(token.slice(0, 8))}`,
      );
    }
    assert.equal(await answer('/v1/agent/self', ''), '403 Permission denied');
    assert.equal(await answer('/v1/agent/self', unknown), '403 ACL token not found');
    assert.equal(
      await answer('/v1/agent/self', 'not-a-uuid'),
      '500 failed to resolve ACL token: acl token lookup failed: index error: UUID must be 36 characters',
    );
    assert.equal(await answer('/v1/regions', unknown), '200 ["global"]');
    assert.equal(await answer('/v1/regions', ''), '200 ["global"]');
  });

  it('a policy with an unknown variable capability is refused with the reason', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const r = await call(addr, 'POST', '/v1/acl/policy/bad', {
      token: management,
      body: { Name: 'bad', Rules: RULES.replace('"read", "list"', '"fly"') },
    });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /failed to parse rules: Invalid variable capability 'fly' in namespace default/);
  });

  it('the management token may do all of it', async t => {
    if (!addr) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const vars = varsFor(management);
    const v = (await vars.read('default', 'team/secret'))!;
    const w = await vars.write('default', 'team/secret', { pw: 'changed' }, v.ModifyIndex);
    assert.ok(w.ok);
    assert.ok((await vars.delete('default', 'team/secret', w.variable.ModifyIndex)).ok);
  });
});
