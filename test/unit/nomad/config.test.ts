import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeSource,
  parseGoBool,
  readConsulToken,
  resolveConnection,
  withScheme,
  type NomadSettings,
  type Env,
} from '../../../src/nomad/config';

interface Row {
  name: string;
  settings: NomadSettings;
  env: Env;
  expect: Record<string, unknown>;
}

const rows: Row[] = [
  {
    name: 'defaults',
    settings: {},
    env: {},
    expect: {
      address: 'http://127.0.0.1:4646',
      namespace: undefined,
      region: undefined,
      skipVerify: false,
      consul: 'http://127.0.0.1:8500',
      envToken: undefined,
    },
  },
  {
    name: 'env only',
    settings: {},
    env: {
      NOMAD_ADDR: 'https://nomad.example:4646/',
      NOMAD_NAMESPACE: 'prod',
      NOMAD_REGION: 'eu',
      NOMAD_TOKEN: 'secret-token-1234',
      NOMAD_SKIP_VERIFY: 'true',
      NOMAD_CACERT: '/ca.pem',
      NOMAD_CAPATH: '/cas',
      NOMAD_CLIENT_CERT: '/c.pem',
      NOMAD_CLIENT_KEY: '/k.pem',
      NOMAD_TLS_SERVER_NAME: 'server.global.nomad',
      NOMAD_HTTP_AUTH: 'u:p',
    },
    expect: {
      address: 'https://nomad.example:4646',
      namespace: 'prod',
      region: 'eu',
      skipVerify: true,
      caCert: '/ca.pem',
      caPath: '/cas',
      clientCert: '/c.pem',
      clientKey: '/k.pem',
      serverName: 'server.global.nomad',
      envToken: 'secret-token-1234',
      httpAuth: 'u:p',
    },
  },
  {
    name: 'settings win over env',
    settings: { address: 'http://10.0.0.1:4646', namespace: 'dev', caCert: '/mine.pem' },
    env: { NOMAD_ADDR: 'http://other:4646', NOMAD_NAMESPACE: 'prod', NOMAD_CACERT: '/env.pem' },
    expect: { address: 'http://10.0.0.1:4646', namespace: 'dev', caCert: '/mine.pem' },
  },
  {
    name: 'empty settings count as unset',
    settings: { address: '  ', namespace: '' },
    env: { NOMAD_ADDR: 'http://envaddr:4646', NOMAD_NAMESPACE: 'ns' },
    expect: { address: 'http://envaddr:4646', namespace: 'ns' },
  },
  {
    name: 'skipVerify: env false, setting default',
    settings: { skipVerify: false },
    env: { NOMAD_SKIP_VERIFY: '1' },
    expect: { skipVerify: true },
  },
  {
    name: 'skipVerify setting true wins',
    settings: { skipVerify: true },
    env: { NOMAD_SKIP_VERIFY: 'false' },
    expect: { skipVerify: true },
  },
  { name: 'bad bool ignored', settings: {}, env: { NOMAD_SKIP_VERIFY: 'yes' }, expect: { skipVerify: false } },
  {
    name: 'consul scheme-less + ssl',
    settings: {},
    env: {
      CONSUL_HTTP_ADDR: 'consul.local:8501',
      CONSUL_HTTP_SSL: 'true',
      CONSUL_HTTP_SSL_VERIFY: 'false',
      CONSUL_HTTP_TOKEN: 'ctok-5678',
    },
    expect: { consul: 'https://consul.local:8501', consulSkip: true, consulToken: 'ctok-5678' },
  },
  {
    name: 'consul with scheme kept',
    settings: {},
    env: { CONSUL_HTTP_ADDR: 'http://c:8500', CONSUL_HTTP_SSL: 'true' },
    expect: { consul: 'http://c:8500', consulSkip: false },
  },
  {
    name: 'consul tls files',
    settings: {},
    env: {
      CONSUL_CACERT: '/cca',
      CONSUL_CAPATH: '/ccp',
      CONSUL_CLIENT_CERT: '/ccc',
      CONSUL_CLIENT_KEY: '/cck',
      CONSUL_TLS_SERVER_NAME: 'consul.dc1',
      CONSUL_HTTP_TOKEN_FILE: '/tok',
    },
    expect: {
      consulCa: '/cca',
      consulCaPath: '/ccp',
      consulCert: '/ccc',
      consulKey: '/cck',
      consulServerName: 'consul.dc1',
      consulTokenFile: '/tok',
    },
  },
];

for (const row of rows) {
  test(`resolveConnection: ${row.name}`, () => {
    const r = resolveConnection(row.settings, row.env);
    const got: Record<string, unknown> = {
      address: r.profile.address,
      namespace: r.profile.namespace,
      region: r.profile.region,
      skipVerify: r.profile.tls.skipVerify,
      caCert: r.profile.tls.caCert,
      caPath: r.profile.tls.caPath,
      clientCert: r.profile.tls.clientCert,
      clientKey: r.profile.tls.clientKey,
      serverName: r.profile.tls.tlsServerName,
      envToken: r.envToken,
      httpAuth: r.httpAuth,
      consul: r.consul.address,
      consulSkip: r.consul.tls.skipVerify,
      consulToken: r.consul.token,
      consulCa: r.consul.tls.caCert,
      consulCaPath: r.consul.tls.caPath,
      consulCert: r.consul.tls.clientCert,
      consulKey: r.consul.tls.clientKey,
      consulServerName: r.consul.tls.tlsServerName,
      consulTokenFile: r.consul.tokenFile,
    };
    for (const [k, v] of Object.entries(row.expect)) assert.deepEqual(got[k], v, k);
  });
}

test('profile has no token field', () => {
  const r = resolveConnection({}, { NOMAD_TOKEN: 'abcd-secret' });
  assert.ok(!JSON.stringify(r.profile).includes('abcd-secret'));
});

test('describeSource names the origin of each value and hides secrets', () => {
  const r = resolveConnection(
    { address: 'http://s:4646' },
    { NOMAD_NAMESPACE: 'prod', NOMAD_TOKEN: 'tok-very-secret', NOMAD_HTTP_AUTH: 'user:pw-secret' },
  );
  const rows = describeSource(r);
  const by = new Map(rows.map(x => [x.field, x]));
  assert.equal(by.get('address')!.source, 'setting nomad.address');
  assert.equal(by.get('namespace')!.source, 'environment variable NOMAD_NAMESPACE');
  assert.equal(by.get('region')!.source, 'not set');
  assert.equal(by.get('consul.address')!.source, 'default');
  assert.equal(by.get('token')!.value, '(set)');
  assert.equal(by.get('token')!.source, 'environment variable NOMAD_TOKEN');
  const all = JSON.stringify(rows);
  assert.ok(!all.includes('tok-very-secret'));
  assert.ok(!all.includes('pw-secret'));
});

test('parseGoBool and withScheme', () => {
  assert.equal(parseGoBool('T'), true);
  assert.equal(parseGoBool('0'), false);
  assert.equal(parseGoBool('yes'), undefined);
  assert.equal(withScheme('127.0.0.1:8500', false), 'http://127.0.0.1:8500');
  assert.equal(withScheme('https://x/', false), 'https://x');
});

test('readConsulToken reads the token file only when no token variable is set', () => {
  const r = resolveConnection({}, { CONSUL_HTTP_TOKEN_FILE: '/t' });
  assert.equal(
    readConsulToken(r.consul, () => ' from-file \n'),
    'from-file',
  );
  const r2 = resolveConnection({}, { CONSUL_HTTP_TOKEN_FILE: '/t', CONSUL_HTTP_TOKEN: 'env-tok' });
  assert.equal(
    readConsulToken(r2.consul, () => {
      throw new Error('not read');
    }),
    'env-tok',
  );
});
