// The TLS failures of the tutorial's mTLS cluster, as a real Nomad 1.6.5 answered them (captured by
// test/contract/tutorialCluster.test.ts with CAPTURE_TLS_ERRORS=1 into test/fixtures/nomad/tls-errors.json):
// each error code or answer the client saw is classified again here, without an agent, into the message
// that names the cause and the setting to change. A change of wording shows up as a difference from the
// captured message, to be captured again on purpose.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { httpError, transportError } from '../../../src/nomad/errors';

interface Capture {
  case: string;
  status: number | null;
  codes: string[];
  serverMessage: string | null;
  message: string;
}
const fixture = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nomad', 'tls-errors.json'),
    'utf8',
  ),
) as { nomad: string; captured: Capture[] };
const SERVER_NAME = { 'server name that does not match': 'node-01.local' } as Record<string, string>;

test(`TLS mistakes against Nomad ${fixture.nomad}: every captured cause gets its message back`, () => {
  assert.ok(fixture.captured.length >= 9, 'the fixture holds every case');
  for (const c of fixture.captured) {
    const address = c.case.startsWith('http://') ? 'http://127.0.0.1:PORT' : 'https://127.0.0.1:PORT';
    const ctx = {
      service: 'Nomad' as const,
      address,
      method: 'GET',
      path: '/v1/jobs',
      secrets: [],
      ...(SERVER_NAME[c.case] ? { serverName: SERVER_NAME[c.case] } : {}),
    };
    const err =
      c.status !== null
        ? httpError(c.status, c.serverMessage ?? '', ctx)
        : transportError(Object.assign(new Error(c.case), { code: c.codes[0] }), {
            ...ctx,
            timedOut: false,
            cancelled: false,
            clientCertificate: true,
          });
    assert.equal(err.kind, 'tls', c.case);
    assert.equal(err.message, c.message, c.case);
    // every message names a setting of ours to change, and never a certificate's content
    assert.match(err.message, /nomad\.(tls\.[a-zA-Z]+|address)/, c.case);
  }
});

test('the cases are the ones a user meets: wrong CA, no or foreign or expired client certificate, wrong key, wrong name, wrong scheme', () => {
  const names = fixture.captured.map(c => c.case);
  for (const n of [
    'CA that does not match',
    'no client certificate',
    'client certificate from another CA',
    'expired client certificate',
    'key of another certificate',
    'server name that does not match',
    'http:// address for an https cluster',
    'https:// address for an http cluster',
  ]) {
    assert.ok(names.includes(n), n);
  }
});

test('a closed socket at an https address with no client certificate names the mutual-TLS setting, and stays retryable', () => {
  const e = transportError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), {
    service: 'Consul',
    address: 'https://127.0.0.1:8501',
    method: 'GET',
    path: '/v1/catalog/services',
    secrets: [],
    timedOut: false,
    cancelled: false,
    clientCertificate: false,
  });
  assert.equal(e.kind, 'network');
  assert.ok(e.retryable);
  assert.match(e.message, /nomad\.consul\.clientCert and nomad\.consul\.clientKey/);
});
