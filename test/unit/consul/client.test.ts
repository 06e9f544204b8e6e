import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsulClient, consulUiUrl, instanceHealth } from '../../../src/consul/client';
import { resolveConnection } from '../../../src/nomad/config';
import { isNomadError } from '../../../src/nomad/errors';
import { closedPort, startServer } from '../support';

test('consul catalog, health and datacenter, token in X-Consul-Token', async () => {
  const srv = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('X-Consul-Index', '77');
    const u = new URL(req.url ?? '', 'http://x');
    if (u.pathname === '/v1/catalog/services') res.end(JSON.stringify({ consul: [], api: ['http', 'v2'] }));
    else if (u.pathname === '/v1/health/service/my%20api')
      res.end(
        JSON.stringify([
          {
            Node: { ID: 'n', Node: 'node1', Address: '10.0.0.1', Datacenter: 'dc1' },
            Service: { ID: 'api-1', Service: 'my api', Tags: [], Address: '', Port: 8080, Meta: null },
            Checks: [{ CheckID: 'c', Name: 'http', Status: 'warning', Output: '', ServiceName: 'my api' }],
          },
        ]),
      );
    else if (u.pathname === '/v1/agent/self')
      res.end(JSON.stringify({ Config: { Datacenter: 'dc1', NodeName: 'node1' } }));
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  const hostPort = srv.url.replace('http://', '');
  const conn = resolveConnection({}, { CONSUL_HTTP_ADDR: hostPort, CONSUL_HTTP_TOKEN: 'consul-secret-token' }).consul;
  const c = new ConsulClient({ connection: conn });
  const cat = await c.catalogServices();
  assert.deepEqual(cat, { body: { consul: [], api: ['http', 'v2'] }, index: 77 });
  const h = await c.healthService('my api', { passing: true });
  assert.equal(instanceHealth(h.body[0]!), 'warning');
  assert.equal(await c.datacenter(), 'dc1');
  assert.equal(srv.requests[0]!.headers['x-consul-token'], 'consul-secret-token');
  assert.equal(new URL(srv.requests[1]!.url, 'http://x').searchParams.get('passing'), 'true');
  await c.close();
  await srv.close();
});

test('consul errors are typed and name Consul', async () => {
  const port = await closedPort();
  const c = new ConsulClient({
    connection: resolveConnection({}, { CONSUL_HTTP_ADDR: `127.0.0.1:${port}` }).consul,
    token: 'tok-zzzz-1234',
  });
  try {
    await c.catalogServices();
    assert.fail('expected error');
  } catch (e) {
    assert.ok(isNomadError(e));
    assert.equal(e.kind, 'connectionRefused');
    assert.match(e.message, /Is Consul running at http:\/\/127\.0\.0\.1:\d+\?/);
    assert.ok(!e.message.includes('tok-zzzz-1234'));
  }
  await c.close();
});

test('consulUiUrl', () => {
  assert.equal(
    consulUiUrl('http://127.0.0.1:8500/', 'dc1', 'web api'),
    'http://127.0.0.1:8500/ui/dc1/services/web%20api/instances',
  );
});
