import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowAddress,
  bindToken,
  decodeStoredToken,
  describeEndpoint,
  encodeStoredToken,
  endpointKey,
  environmentAddress,
  mayAutoSend,
  normalizeAddress,
} from '../../../src/nomad/tokenBinding';
import { NomadClient } from '../../../src/nomad/client';
import type { NomadError } from '../../../src/nomad/errors';
import { closedPort, profile, startServer, repoRoot } from '../support';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('normalizeAddress: scheme, host and port; default ports filled in; case and trailing parts ignored', () => {
  assert.equal(normalizeAddress('http://127.0.0.1:4646'), 'http://127.0.0.1:4646');
  assert.equal(normalizeAddress('http://127.0.0.1:4646/'), 'http://127.0.0.1:4646');
  assert.equal(normalizeAddress('HTTPS://Nomad.Example.COM'), 'https://nomad.example.com:443');
  assert.equal(normalizeAddress('http://nomad.example.com/ui/jobs?x=1'), 'http://nomad.example.com:80');
  assert.equal(normalizeAddress('127.0.0.1:4646'), 'http://127.0.0.1:4646');
  assert.equal(normalizeAddress('http://[::1]:4646'), 'http://[::1]:4646');
  assert.equal(normalizeAddress('unix:///var/run/nomad.sock'), undefined);
  assert.equal(normalizeAddress('http://user:pw@host:1'), undefined);
  assert.equal(normalizeAddress(''), undefined);
  assert.notEqual(
    normalizeAddress('http://127.0.0.1:4646'),
    normalizeAddress('https://127.0.0.1:4646'),
    'the scheme counts',
  );
  assert.notEqual(
    normalizeAddress('http://127.0.0.1:4646'),
    normalizeAddress('http://127.0.0.1:4647'),
    'the port counts',
  );
  assert.notEqual(
    normalizeAddress('http://127.0.0.1:4646'),
    normalizeAddress('http://localhost:4646'),
    'the host as written counts',
  );
});

test('a token is sent only to the address it was saved for, or one the user allowed', () => {
  const t = bindToken('secret-1234', 'http://127.0.0.1:4646');
  assert.equal(mayAutoSend(t, 'http://127.0.0.1:4646/'), true);
  assert.equal(mayAutoSend(t, 'http://127.0.0.1:4647'), false, 'another port on the same host');
  assert.equal(mayAutoSend(t, 'https://127.0.0.1:4646'), false, 'another scheme');
  assert.equal(mayAutoSend(t, 'http://attacker.example:4646'), false);
  const t2 = allowAddress(t, 'http://127.0.0.1:4647');
  assert.equal(mayAutoSend(t2, 'http://127.0.0.1:4647'), true);
  assert.equal(mayAutoSend(t2, 'http://127.0.0.1:4646'), true);
  assert.equal(allowAddress(t2, 'http://127.0.0.1:4647'), t2, 'allowing twice changes nothing');
});

test('stored form: round trip; a bare token from an earlier version has no address (asks before it is sent)', () => {
  const t = allowAddress(bindToken('s3cr3t-token', 'http://a:1'), 'https://b');
  const raw = encodeStoredToken(t);
  assert.deepEqual(decodeStoredToken(raw), { token: 's3cr3t-token', addresses: ['http://a:1', 'https://b:443'] });
  const legacy = decodeStoredToken('0b0f7e4c-1111-2222-3333-444455556666');
  assert.deepEqual(legacy, { token: '0b0f7e4c-1111-2222-3333-444455556666', addresses: [] });
  assert.equal(mayAutoSend(legacy!, 'http://127.0.0.1:4646'), false);
  assert.deepEqual(decodeStoredToken('{not json'), { token: '{not json', addresses: [] });
  assert.equal(decodeStoredToken(undefined), undefined);
  assert.equal(decodeStoredToken(''), undefined);
});

test("the environment's credentials belong to NOMAD_ADDR, else the CLI default", () => {
  assert.equal(environmentAddress({ NOMAD_ADDR: 'https://nomad.internal:4646' }), 'https://nomad.internal:4646');
  assert.equal(environmentAddress({}), 'http://127.0.0.1:4646');
  assert.equal(environmentAddress({ NOMAD_ADDR: '  ' }), 'http://127.0.0.1:4646');
});

test('the client reports a request that did not reach the agent (and only that), and never passes the hook to a worker', async () => {
  const seen: NomadError[] = [];
  const port = await closedPort();
  const down = new NomadClient({
    profile: profile(`http://127.0.0.1:${port}`),
    token: 'secret-token-1',
    onUnreachable: e => seen.push(e),
  });
  await assert.rejects(down.leader());
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.kind, 'connectionRefused');
  assert.equal('onUnreachable' in down.options, false, 'options (sent to the log worker) hold no function');
  assert.doesNotThrow(() => structuredClone(down.options));
  await down.close();

  const srv = await startServer((_q, res) => {
    res.statusCode = 500;
    res.end('rpc error: No cluster leader');
  });
  const up = new NomadClient({ profile: profile(srv.url), onUnreachable: e => seen.push(e) });
  await assert.rejects(up.leader());
  assert.equal(seen.length, 1, 'an answer, even an error, means the agent is there');
  await up.close();
  await srv.close();
});

test('package.json: in an untrusted folder, no setting that says where to connect or what to run is taken from the folder', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
    contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
  };
  const u = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(u?.supported, 'limited');
  const restricted = new Set(u?.restrictedConfigurations ?? []);
  const conf = Array.isArray(pkg.contributes.configuration)
    ? pkg.contributes.configuration
    : [pkg.contributes.configuration];
  const keys = conf.flatMap(c => Object.keys(c.properties));
  const mustBe = keys.filter(k =>
    /^nomad\.(address|clusters|namespace|region|tls\.|consul\.|languageServer\.path)/.test(k),
  );
  assert.ok(mustBe.length >= 18, `the settings were found (${mustBe.length})`);
  assert.deepEqual(
    mustBe.filter(k => !restricted.has(k)),
    [],
  );
  assert.deepEqual(
    [...restricted].filter(k => !keys.includes(k)),
    [],
    'every restricted key is a contributed setting',
  );
});

test('the token is bound to the TLS identity too: a change of CA, client certificate, server name or skip-verify is another endpoint', () => {
  const tls = {
    caCert: '/etc/nomad/ca.pem',
    clientCert: '/etc/nomad/cli.pem',
    clientKey: '/etc/nomad/cli-key.pem',
    tlsServerName: 'server.global.nomad',
    skipVerify: false,
  };
  const t = bindToken('secret-1234', 'https://nomad.internal:4646', tls);
  assert.equal(mayAutoSend(t, 'https://nomad.internal:4646', { ...tls }), true, 'the same address and TLS settings');
  for (const [what, changed] of [
    ['skip-verify on', { ...tls, skipVerify: true }],
    ['another CA', { ...tls, caCert: '/tmp/evil-ca.pem' }],
    ['a CA folder added', { ...tls, caPath: '/tmp/cas' }],
    ['another client certificate', { ...tls, clientCert: '/tmp/other.pem' }],
    ['another client key', { ...tls, clientKey: '/tmp/other-key.pem' }],
    ['another server name', { ...tls, tlsServerName: 'evil.example' }],
    ['no TLS settings at all', undefined],
  ] as const) {
    assert.equal(mayAutoSend(t, 'https://nomad.internal:4646', changed), false, what);
  }
  // the user allowed it once: from then on that identity is allowed too, and the first still is
  const t2 = allowAddress(t, 'https://nomad.internal:4646', { ...tls, skipVerify: true });
  assert.equal(mayAutoSend(t2, 'https://nomad.internal:4646', { ...tls, skipVerify: true }), true);
  assert.equal(mayAutoSend(t2, 'https://nomad.internal:4646', tls), true);
  // plain http has no TLS identity; https with none keeps the key of tokens saved before TLS counted
  assert.equal(endpointKey('http://127.0.0.1:4646', { skipVerify: true }), 'http://127.0.0.1:4646');
  assert.equal(
    endpointKey('https://nomad.internal:4646', { skipVerify: false, caCert: '' }),
    'https://nomad.internal:4646',
  );
  assert.equal(
    mayAutoSend({ token: 'x', addresses: ['https://nomad.internal:4646'] }, 'https://nomad.internal:4646', {
      skipVerify: false,
    }),
    true,
  );
  assert.equal(
    mayAutoSend({ token: 'x', addresses: ['https://nomad.internal:4646'] }, 'https://nomad.internal:4646', {
      skipVerify: true,
    }),
    false,
  );
  // a prompt names what changed
  assert.match(
    describeEndpoint(endpointKey('https://nomad.internal:4646', { skipVerify: true })!),
    /^https:\/\/nomad\.internal:4646 \(certificate verification OFF\)$/,
  );
  assert.match(
    describeEndpoint(endpointKey('https://n:1', { caCert: '/x/ca.pem', tlsServerName: 's' })!),
    /CA \/x\/ca\.pem, server name s/,
  );
});
