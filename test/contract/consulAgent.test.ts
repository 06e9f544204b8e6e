// The Consul double as a Nomad client's Consul: the agent API it serves (what a real Nomad 1.6.5 agent
// was seen to call: agent/self, agent/services, agent/checks, service and check register/deregister) and,
// with NOMAD_BIN, a real agent whose `consul` block points at the double registering a raw_exec job's
// service and health-checking it there (no Docker needed; the docker contract covers the tutorial's job).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { ConsulDouble } from '../double/consul';
import { startAgent, type RealAgent } from './agent';
import { Api, call, until } from './http';
import { uniqueId } from './backend';

let consul: ConsulDouble;
let app: http.Server;
let appPort = 0;
let healthy = true;

before(async () => {
  consul = await ConsulDouble.start();
  app = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' && healthy ? 200 : 500);
    res.end(healthy ? 'ok' : 'down');
  });
  await new Promise<void>(r => app.listen(0, '127.0.0.1', () => r()));
  appPort = (app.address() as net.AddressInfo).port;
});
after(async () => {
  await consul.stop();
  await new Promise<void>(r => app.close(() => r()));
});

describe('consul double: the agent API', () => {
  it('agent/self carries the version the fingerprint needs', async () => {
    const self = (await call(consul.addr, 'GET', '/v1/agent/self')).json;
    assert.equal(self.Config.Version, consul.version);
    assert.equal(self.Config.Datacenter, 'dc1');
    assert.equal(typeof self.Config.NodeName, 'string');
    assert.equal(self.DebugConfig.ConnectEnabled, false);
  });

  it('registers a service with an HTTP check, runs the check, deregisters', async () => {
    const id = '_nomad-task-test-web-http';
    const reg = await call(consul.addr, 'PUT', '/v1/agent/service/register', {
      body: {
        ID: id,
        Name: 'web',
        Tags: ['v1'],
        Port: appPort,
        Address: '127.0.0.1',
        Meta: { 'external-source': 'nomad' },
      },
    });
    assert.equal(reg.status, 200);
    const chk = await call(consul.addr, 'PUT', '/v1/agent/check/register', {
      body: {
        ID: '_nomad-check-web',
        Name: 'service: "web" check',
        ServiceID: id,
        HTTP: `http://127.0.0.1:${appPort}/health`,
        Method: 'GET',
        Interval: '200ms',
        Timeout: '1s',
        Status: 'critical',
      },
    });
    assert.equal(chk.status, 200);
    const services = (await call(consul.addr, 'GET', '/v1/agent/services')).json;
    assert.deepEqual(
      { ...services[id], Weights: undefined, TaggedAddresses: undefined },
      {
        Kind: '',
        ID: id,
        Service: 'web',
        Tags: ['v1'],
        Meta: { 'external-source': 'nomad' },
        Port: appPort,
        Address: '127.0.0.1',
        EnableTagOverride: false,
        Datacenter: 'dc1',
        Weights: undefined,
        TaggedAddresses: undefined,
      },
    );
    const passing = await until(
      'the check passes',
      async () => {
        const c = (await call(consul.addr, 'GET', '/v1/agent/checks')).json['_nomad-check-web'];
        return c?.Status === 'passing' ? c : undefined;
      },
      10_000,
      50,
    );
    assert.equal(passing.ServiceID, id);
    assert.equal(passing.Type, 'http');
    assert.match(passing.Output, /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK Output: ok$/);
    const entries = (await call(consul.addr, 'GET', '/v1/health/service/web?passing')).json;
    assert.equal(entries.length, 1);
    healthy = false;
    await until(
      'the check turns critical',
      async () => (await call(consul.addr, 'GET', '/v1/agent/checks')).json['_nomad-check-web']?.Status === 'critical',
      10_000,
      50,
    );
    assert.equal((await call(consul.addr, 'GET', '/v1/health/service/web?passing')).json.length, 0);
    healthy = true;
    assert.equal((await call(consul.addr, 'PUT', `/v1/agent/service/deregister/${id}`)).status, 200);
    assert.deepEqual((await call(consul.addr, 'GET', '/v1/agent/services')).json, {});
    assert.deepEqual((await call(consul.addr, 'GET', '/v1/agent/checks')).json, {});
    const again = await call(consul.addr, 'PUT', `/v1/agent/service/deregister/${id}`);
    assert.equal(again.status, 404);
    assert.match(again.text, /Unknown service ID/);
  });

  it('TTL checks follow check/update', async () => {
    await call(consul.addr, 'PUT', '/v1/agent/service/register', {
      body: { ID: 'ttl-svc', Name: 'ttl', Port: 1, Check: { TTL: '30s' } },
    });
    const checks = () => call(consul.addr, 'GET', '/v1/agent/checks').then(r => r.json);
    assert.equal((await checks())['service:ttl-svc'].Status, 'critical');
    assert.equal(
      (
        await call(consul.addr, 'PUT', '/v1/agent/check/update/service:ttl-svc', {
          body: { Status: 'passing', Output: 'fine' },
        })
      ).status,
      200,
    );
    assert.deepEqual(
      [(await checks())['service:ttl-svc'].Status, (await checks())['service:ttl-svc'].Output],
      ['passing', 'fine'],
    );
    assert.equal(
      (await call(consul.addr, 'PUT', '/v1/agent/check/update/service:ttl-svc', { body: { Status: 'bogus' } })).status,
      400,
    );
    await call(consul.addr, 'PUT', '/v1/agent/service/deregister/ttl-svc');
  });
});

describe("consul double: a real Nomad agent's Consul", () => {
  let agent: RealAgent | undefined;
  before(
    async () => {
      if (process.env.NOMAD_BIN && !process.env.NOMAD_ADDR)
        agent = await startAgent(process.env.NOMAD_BIN, { consul: consul.addr });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await agent?.stop();
  });

  it('fingerprints the double, registers a consul service with an HTTP check into it, and deregisters it', async t => {
    if (!agent) {
      t.skip('needs a real agent: set NOMAD_BIN (the Nomad double registers services without the agent API)');
      return;
    }
    const api = new Api(agent.addr);
    const seen = consul.unanswered.length; // the API tests above made some on purpose
    const node = (await api.get('/v1/nodes'))[0];
    assert.equal((await api.get(`/v1/node/${node.ID}`)).Attributes['consul.version'], consul.version);
    const id = uniqueId('consul');
    const S = 1e9;
    const job = {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'g',
          Count: 1,
          Networks: [{ DynamicPorts: [{ Label: 'http' }] }],
          Services: [
            {
              Name: id,
              PortLabel: 'http',
              Checks: [{ Name: 'alive', Type: 'http', Path: '/', Interval: 1 * S, Timeout: 1 * S }],
            },
          ],
          Update: { HealthCheck: 'checks', MinHealthyTime: 1 * S, HealthyDeadline: 60 * S, ProgressDeadline: 120 * S },
          Tasks: [
            {
              Name: 't',
              Driver: 'raw_exec',
              Config: {
                command: 'node',
                args: ['-e', 'require("http").createServer((q,s)=>s.end("ok")).listen(+process.env.NOMAD_PORT_http)'],
              },
              Resources: { CPU: 20, MemoryMB: 32 },
            },
          ],
        },
      ],
    };
    await api.post('/v1/jobs', { Job: job });
    const inst = await until(
      'the service passing in the double',
      async () => {
        const s = consul.instances(id)[0];
        return s?.Checks.length && s.Checks.every(c => c.Status === 'passing') ? s : undefined;
      },
      120_000,
      200,
    );
    assert.equal(inst.Address, '127.0.0.1');
    assert.equal(inst.Meta['external-source'], 'nomad');
    assert.match(inst.ID, /^_nomad-task-[0-9a-f-]{36}-group-g-/);
    await until(
      'a healthy deployment',
      async () => (await api.get(`/v1/job/${id}/deployment`))?.Status === 'successful',
      120_000,
      250,
    );
    await api.del(`/v1/job/${id}?purge=true`);
    await until('the service leaves the double', async () => consul.instances(id).length === 0, 60_000);
    assert.deepEqual(consul.unanswered.slice(seen), []);
  });
});

describe("consul double: a client agent of each node's own, sharing the catalog", () => {
  it('lists and deregisters only what was registered through it; the catalog lists everything', async () => {
    // ports of their own on loopback addresses beside the main double (the tutorial's nodes use 8500)
    const a = await consul.agent('127.0.0.2', 0);
    const b = await consul.agent('127.0.0.3', 0);
    try {
      const reg = (addr: string, id: string, port: number) =>
        call(addr, 'PUT', '/v1/agent/service/register', {
          body: { ID: id, Name: 'shared-web', Address: '127.0.0.1', Port: port },
        });
      assert.equal((await reg(a.addr, '_nomad-task-a', 1111)).status, 200);
      assert.equal((await reg(b.addr, '_nomad-task-b', 2222)).status, 200);
      assert.deepEqual(Object.keys((await call(a.addr, 'GET', '/v1/agent/services')).json), ['_nomad-task-a']);
      assert.deepEqual(Object.keys((await call(b.addr, 'GET', '/v1/agent/services')).json), ['_nomad-task-b']);
      const catalog = (await call(consul.addr, 'GET', '/v1/catalog/service/shared-web')).json
        .map((s: any) => s.ServicePort)
        .sort();
      assert.deepEqual(catalog, [1111, 2222]);
      const other = await call(a.addr, 'PUT', '/v1/agent/service/deregister/_nomad-task-b');
      assert.equal(other.status, 404);
      assert.match(other.text, /Unknown service ID "_nomad-task-b"/);
      assert.equal((await call(a.addr, 'PUT', '/v1/agent/service/deregister/_nomad-task-a')).status, 200);
      assert.deepEqual(
        (await call(consul.addr, 'GET', '/v1/catalog/service/shared-web')).json.map((s: any) => s.ServicePort),
        [2222],
      );
    } finally {
      await call(b.addr, 'PUT', '/v1/agent/service/deregister/_nomad-task-b').catch(() => undefined);
      await a.stop();
      await b.stop();
    }
  });
});
