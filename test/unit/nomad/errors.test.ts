import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { NomadClient } from '../../../src/nomad/client';
import {
  ErrorAction,
  errorActions,
  httpError,
  isNomadError,
  NomadError,
  transportError,
} from '../../../src/nomad/errors';
import { closedPort, profile, startServer } from '../support';

const TOKEN = 'c0ffee00-dead-beef-0000-5ec12e7t0ken';

async function rejection(p: Promise<unknown>): Promise<NomadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isNomadError(e), `not a NomadError: ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

function assertNoSecret(e: NomadError): void {
  const everything = [
    e.message,
    e.serverMessage ?? '',
    e.path ?? '',
    String(e.stack ?? ''),
    JSON.stringify({ ...e }),
  ].join('\n');
  assert.ok(!everything.includes(TOKEN), `token leaked: ${everything}`);
}

test('ECONNREFUSED against a closed port → connectionRefused with the address', async () => {
  const port = await closedPort();
  const c = new NomadClient({ profile: profile(`http://127.0.0.1:${port}`), token: TOKEN });
  const e = await rejection(c.listJobs());
  assert.equal(e.kind, 'connectionRefused');
  assert.match(e.message, new RegExp(`Is Nomad running at http://127\\.0\\.0\\.1:${port}\\?`));
  assert.deepEqual(errorActions(e), [ErrorAction.Retry, ErrorAction.OpenSettings]);
  assert.ok(e.retryable);
  assertNoSecret(e);
  await c.close();
});

test('403 Permission denied → unauthorized, message keeps Nomad text, never the token', async () => {
  const srv = await startServer((_req, res) => {
    res.statusCode = 403;
    res.end('Permission denied');
  });
  const c = new NomadClient({ profile: profile(srv.url, { namespace: 'prod' }), token: TOKEN });
  const e = await rejection(c.getJob('web'));
  assert.equal(e.kind, 'unauthorized');
  assert.equal(e.status, 403);
  assert.equal(e.serverMessage, 'Permission denied');
  assert.match(e.message, /Permission denied/);
  assert.equal(errorActions(e)[0], ErrorAction.SetToken);
  assertNoSecret(e);
  // the token travels in the header only
  assert.equal(srv.requests[0]!.headers['x-nomad-token'], TOKEN);
  assert.ok(!srv.requests[0]!.url.includes(TOKEN));
  await c.close();
  await srv.close();
});

test('403 ACL token not found → unauthorized; a server echoing the token gets it redacted', async () => {
  const srv = await startServer((req, res) => {
    res.statusCode = 403;
    res.end(`ACL token not found (${String(req.headers['x-nomad-token'])})`);
  });
  const c = new NomadClient({ profile: profile(srv.url), token: TOKEN });
  const e = await rejection(c.listJobs());
  assert.equal(e.kind, 'unauthorized');
  assert.match(e.message, /not known to this cluster/);
  assertNoSecret(e);
  await c.close();
  await srv.close();
});

test('EnforceIndex conflict (Nomad answers 500 with text) → conflict with both indexes', async () => {
  const text = 'Enforcing job modify index 12: job exists with conflicting job modify index: 14';
  const srv = await startServer((_req, res) => {
    res.statusCode = 500;
    res.end(text);
  });
  const c = new NomadClient({ profile: profile(srv.url), token: TOKEN });
  const e = await rejection(c.registerJob({ ID: 'web' }, { enforceIndex: true, jobModifyIndex: 12 }));
  assert.equal(e.kind, 'conflict');
  assert.equal(e.message, text);
  assert.equal(e.expectedIndex, 12);
  assert.equal(e.actualIndex, 14);
  assert.deepEqual(errorActions(e), [ErrorAction.Replan]);
  await c.close();
  await srv.close();
});

test('status mapping: 404, 400, 503', () => {
  const ctx = { service: 'Nomad' as const, method: 'GET', path: '/v1/job/x', secrets: [TOKEN] };
  assert.equal(httpError(404, 'job not found', ctx).kind, 'notFound');
  const bad = httpError(400, 'Failed to parse job: input.hcl:3,1-2: Unclosed configuration block', ctx);
  assert.equal(bad.kind, 'badRequest');
  assert.match(bad.message, /Unclosed configuration block/);
  const s = httpError(503, 'No cluster leader', ctx);
  assert.equal(s.kind, 'server');
  assert.ok(s.retryable);
  assert.equal(httpError(500, `rpc error: Permission denied`, ctx).kind, 'unauthorized');
});

test('transport errors: TLS codes are named plainly, cancellation and timeouts are typed', () => {
  const ctx = {
    service: 'Nomad' as const,
    address: 'https://n:4646',
    method: 'GET',
    path: '/v1/jobs',
    secrets: [TOKEN],
    timedOut: false,
    cancelled: false,
  };
  const mk = (code: string): Error => Object.assign(new Error(`boom ${TOKEN}`), { code });
  assert.match(transportError(mk('CERT_HAS_EXPIRED'), ctx).message, /expired/);
  assert.match(transportError(mk('ERR_TLS_CERT_ALTNAME_INVALID'), ctx).message, /hostname mismatch/);
  assert.match(
    transportError(mk('SELF_SIGNED_CERT_IN_CHAIN'), ctx).message,
    /CA this editor does not trust.*nomad\.tls\.caCert/,
  );
  assert.equal(transportError(mk('CERT_HAS_EXPIRED'), ctx).kind, 'tls');
  assert.equal(transportError(mk('ECONNRESET'), { ...ctx, timedOut: true }).kind, 'timeout');
  assert.equal(transportError(mk('ECONNRESET'), { ...ctx, cancelled: true }).kind, 'cancelled');
  const reset = transportError(mk('ECONNRESET'), ctx);
  assert.equal(reset.kind, 'network');
  assert.ok(!reset.message.includes(TOKEN));
  assert.deepEqual(errorActions(transportError(mk('CERT_HAS_EXPIRED'), ctx)), [
    ErrorAction.OpenSettings,
    ErrorAction.ShowOutput,
  ]);
  assert.deepEqual(errorActions(new Error('x')), [ErrorAction.ShowOutput]);
});

test('per-request timeout → timeout error; AbortSignal → cancelled', async () => {
  const srv = await startServer(() => {
    /* never answers */
  });
  const c = new NomadClient({ profile: profile(srv.url), token: TOKEN, timeoutMs: 150 });
  const e = await rejection(c.listJobs());
  assert.equal(e.kind, 'timeout');
  assertNoSecret(e);
  const ac = new AbortController();
  const p = c.listNodes({ signal: ac.signal, timeoutMs: 10_000 });
  setTimeout(() => ac.abort(), 30);
  const e2 = await rejection(p);
  assert.equal(e2.kind, 'cancelled');
  assert.deepEqual(errorActions(e2), []);
  await c.close();
  await srv.close();
});

function haveOpenssl(): boolean {
  try {
    execFileSync('which', ['openssl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test(
  'TLS: self-signed server → tls error naming the unknown CA; with the CA it works; wrong name → hostname mismatch',
  { skip: haveOpenssl() ? false : 'needs openssl on PATH (it makes the test certificates): not found' },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-tls-'));
    try {
      const key = path.join(dir, 'key.pem'),
        cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => {
        res.setHeader('X-Nomad-Index', '7');
        res.setHeader('content-type', 'application/json');
        res.end('[]');
      });
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      const addr = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const plain = new NomadClient({ profile: profile(addr), token: TOKEN });
        const e = await rejection(plain.listJobs());
        assert.equal(e.kind, 'tls');
        assert.match(e.message, /unknown CA|self-signed/);
        assertNoSecret(e);
        await plain.close();

        const trusted = new NomadClient({
          profile: profile(addr, { tls: { caCert: cert, skipVerify: false } }),
          token: TOKEN,
        });
        const ok = await trusted.listJobs();
        assert.deepEqual(ok, { body: [], index: 7 });
        await trusted.close();

        const viaDir = new NomadClient({ profile: profile(addr, { tls: { caPath: dir, skipVerify: false } }) });
        fs.renameSync(key, path.join(os.tmpdir(), `moved-${path.basename(dir)}.pem`)); // only certificates in the CA dir
        assert.equal((await viaDir.listJobs()).index, 7);
        await viaDir.close();

        const misnamed = new NomadClient({
          profile: profile(addr, { tls: { caCert: cert, tlsServerName: 'nomad.other.example', skipVerify: false } }),
        });
        const e2 = await rejection(misnamed.listJobs());
        assert.equal(e2.kind, 'tls');
        assert.match(e2.message, /hostname mismatch/);
        await misnamed.close();

        const skip = new NomadClient({ profile: profile(addr, { tls: { skipVerify: true } }) });
        assert.equal((await skip.listJobs()).index, 7);
        await skip.close();
      } finally {
        server.closeAllConnections();
        await new Promise<void>(r => server.close(() => r()));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
