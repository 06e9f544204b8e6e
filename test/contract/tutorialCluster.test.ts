// The tutorial's cluster as drawn — a server on node-01 and clients on node-02 and node-03, each agent on
// its own loopback address, with mutual TLS and ACLs — from a real Nomad binary (NOMAD_BIN), driven through
// the extension's own client (src/nomad/client.ts) as a user's settings would configure it: the job lands
// on both clients without naming either, each allocation's logs come through the server, a token is
// needed, and every way TLS can be set up wrong is refused with a message that names the cause and the
// setting to change. With CAPTURE_TLS_ERRORS=1 the errors are written to
// test/fixtures/nomad/tls-errors.json, which test/unit/nomad/tlsErrors.test.ts checks without an agent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTutorialCluster, type TutorialCluster } from './tutorialCluster';
import { startAgent, type RealAgent } from './agent';
import { until } from './http';
import * as J from './jobs';
import { NomadClient } from '../../src/nomad/client';
import { isNomadError } from '../../src/nomad/errors';
import type { TlsOptions } from '../../src/nomad/config';

const BIN = process.env.NOMAD_BIN;
const skip = BIN ? false : 'needs a real Nomad binary (NOMAD_BIN): it starts a server and two clients';
const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'nomad', 'tls-errors.json');

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the tutorial cluster: a server and two clients, mTLS and ACLs', { skip }, () => {
  let c: TutorialCluster;
  let client: NomadClient;
  let scratch = '';
  const id = `tutorial-${process.pid}`;
  const tls = (): TlsOptions => ({
    caCert: c.tls!.caCert,
    clientCert: c.tls!.clientCert,
    clientKey: c.tls!.clientKey,
    tlsServerName: c.tls!.serverName,
    skipVerify: false,
  });
  const clientWith = (t: Partial<TlsOptions>, address = c.addr, token: string | undefined = c.token) =>
    new NomadClient({
      profile: { name: 'tutorial', address, tls: { ...tls(), ...t } },
      ...(token ? { token } : {}),
      timeoutMs: 10_000,
    });

  before(async () => {
    c = await startTutorialCluster(BIN!, { tls: true, acl: true, log: l => console.log(`# ${l}`) });
    client = clientWith({});
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-tls-cases-'));
  });
  after(async () => {
    await client?.deregisterJob(id, { purge: true }).catch(() => undefined);
    await client?.close();
    await c?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the server sees two ready clients, node-02 and node-03, each on its own address', async () => {
    const nodes = (await client.listNodes()).body;
    assert.deepEqual(nodes.map(n => [n.Name, n.Address, n.Status]).sort(), [
      ['node-02', '127.0.0.2', 'ready'],
      ['node-03', '127.0.0.3', 'ready'],
    ]);
  });

  it('a job of count 2 lands on both clients without naming either, and each allocation logs through the server', async () => {
    const job = J.sleeper(id);
    job.TaskGroups[0].Count = 2;
    await client.registerJob(job);
    const allocs = await until(
      'two running allocations',
      async () => {
        const a = (await client.jobAllocations(id)).body.filter(x => x.ClientStatus === 'running');
        return a.length === 2 ? a : undefined;
      },
      120_000,
    );
    assert.deepEqual(allocs.map(a => a.NodeName).sort(), ['node-02', 'node-03']);
    for (const a of allocs) {
      const text = await until(
        `logs of ${a.Name}`,
        async () => {
          const s = await client.openLogs(a.ID, {
            task: 't',
            type: 'stdout',
            origin: 'start',
            offset: 0,
            follow: false,
            plain: true,
          });
          let out = '';
          try {
            for await (const chunk of s.body) out += chunk.toString('utf8');
          } finally {
            s.close();
          }
          return out.includes('started') ? out : undefined;
        },
        60_000,
      );
      // the task's own output, read from the client that runs it through the server's forwarding
      assert.match(text, /^started$/m, a.Name);
    }
  });

  it('without a token the cluster refuses, with the bootstrap token it answers', async () => {
    const anon = clientWith({}, c.addr, '');
    try {
      await assert.rejects(anon.listJobs(), (e: unknown) => isNomadError(e) && e.kind === 'unauthorized');
    } finally {
      await anon.close();
    }
  });

  it('every TLS mistake is refused with its cause and the setting to change', async () => {
    // a second CA, a client certificate from it, and an expired one from the cluster's own CA
    const other = path.join(scratch, 'other');
    fs.mkdirSync(other);
    execFileSync(BIN!, ['tls', 'ca', 'create'], { cwd: other, stdio: 'ignore' });
    execFileSync(
      BIN!,
      ['tls', 'cert', 'create', '-cli', '-ca', 'nomad-agent-ca.pem', '-key', 'nomad-agent-ca-key.pem'],
      { cwd: other, stdio: 'ignore' },
    );
    const cases: { name: string; tls: Partial<TlsOptions>; address?: string; expect: RegExp; kind?: string }[] = [
      {
        name: 'CA that does not match',
        tls: { caCert: path.join(other, 'nomad-agent-ca.pem') },
        expect: /not signed by a CA this editor trusts.*nomad\.tls\.caCert/,
      },
      { name: 'no CA given', tls: { caCert: undefined }, expect: /nomad\.tls\.caCert/ },
      {
        name: 'no client certificate',
        tls: { clientCert: undefined, clientKey: undefined },
        expect: /requires a client certificate.*nomad\.tls\.clientCert/,
      },
      {
        name: 'client certificate from another CA',
        tls: {
          clientCert: path.join(other, 'global-cli-nomad.pem'),
          clientKey: path.join(other, 'global-cli-nomad-key.pem'),
        },
        expect: /refused the client certificate.*nomad\.tls\.clientCert/,
      },
      {
        name: 'key of another certificate',
        tls: { clientKey: path.join(other, 'global-cli-nomad-key.pem') },
        expect: /key does not belong to the client certificate.*nomad\.tls\.clientCert/,
      },
      {
        name: 'server name that does not match',
        tls: { tlsServerName: 'node-01.local' },
        expect: /hostname mismatch.*nomad\.tls\.serverName/,
      },
      {
        name: 'http:// address for an https cluster',
        tls: {},
        address: c.addr.replace(/^https:/, 'http:'),
        expect: /serves HTTPS only.*nomad\.address.*https:\/\//,
      },
    ];
    if (haveOpenssl()) {
      const key = path.join(scratch, 'expired-key.pem'),
        csr = path.join(scratch, 'expired.csr'),
        crt = path.join(scratch, 'expired.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-new',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-subj',
          '/CN=cli.global.nomad',
          '-out',
          csr,
        ],
        { stdio: 'ignore' },
      );
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          c.tls!.caCert,
          '-CAkey',
          path.join(c.tls!.dir, 'nomad-agent-ca-key.pem'),
          '-days',
          '-1',
          '-out',
          crt,
        ],
        { stdio: 'ignore' },
      );
      cases.push({
        name: 'expired client certificate',
        tls: { clientCert: crt, clientKey: key },
        expect: /refused the client certificate.*(expired|nomad\.tls\.clientCert)/,
      });
    } else console.log('# expired client certificate: openssl not found on PATH, case left out');

    // a plain-HTTP agent reached with https://
    let plainAgent: RealAgent | undefined;
    try {
      plainAgent = await startAgent(BIN!);
      cases.push({
        name: 'https:// address for an http cluster',
        tls: {},
        address: plainAgent.addr.replace(/^http:/, 'https:'),
        expect: /nothing speaks TLS.*nomad\.address.*http:\/\//,
      });
      const captured: Record<string, unknown>[] = [];
      for (const k of cases) {
        const bad = clientWith(k.tls, k.address ?? c.addr);
        try {
          const err = await bad.listJobs().then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(isNomadError(err), `${k.name}: the request was not refused`);
          assert.equal(err.kind, k.kind ?? 'tls', `${k.name}: ${err.message}`);
          assert.match(err.message, k.expect, k.name);
          // no key material in the text, only the setting names
          assert.doesNotMatch(err.message, /BEGIN|PRIVATE KEY/);
          const codes: string[] = [];
          for (
            let cur: unknown = err.cause, d = 0;
            cur && typeof cur === 'object' && d < 5;
            cur = (cur as { cause?: unknown }).cause, d++
          ) {
            const code = (cur as { code?: unknown }).code;
            if (typeof code === 'string') codes.push(code);
          }
          captured.push({
            case: k.name,
            status: err.status ?? null,
            codes,
            serverMessage: err.serverMessage ?? null,
            message: err.message.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'),
          });
        } finally {
          await bad.close();
        }
      }
      if (process.env.CAPTURE_TLS_ERRORS) {
        fs.writeFileSync(FIXTURE, JSON.stringify({ nomad: c.version, captured }, null, 2) + '\n');
        console.log(`# wrote ${captured.length} TLS error captures`);
      }
    } finally {
      await plainAgent?.stop();
    }
  });
});
