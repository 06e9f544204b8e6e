// The Consul side of the Services view: the product's ConsulClient against the Consul double (no real
// Consul can be had here: its snapshot is too large and later releases are not open source). Catalog with
// tags, health per instance, a blocking query that returns when the catalog changes, the datacenter and
// the UI link.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsulDouble } from '../double/consul';
import { ConsulClient, consulUiUrl, instanceHealth } from '../../src/consul/client';

let consul: ConsulDouble;
let client: ConsulClient;

before(async () => {
  consul = await ConsulDouble.start();
  client = new ConsulClient({ connection: { address: consul.addr, tls: { skipVerify: false } } });
});
after(async () => {
  await client.close();
  await consul.stop();
});

const check = (status: 'passing' | 'critical') => ({
  CheckID: `c-${status}`,
  Name: 'http',
  Status: status,
  Output: '',
});

describe('consul (double)', () => {
  it('lists services with tags and instances with their health', async () => {
    consul.register({
      ID: 'web-1',
      Service: 'web',
      Tags: ['v1'],
      Address: '127.0.0.1',
      Port: 8001,
      Meta: {},
      Checks: [check('passing')],
    });
    consul.register({
      ID: 'web-2',
      Service: 'web',
      Tags: ['v1'],
      Address: '127.0.0.1',
      Port: 8002,
      Meta: {},
      Checks: [check('critical')],
    });
    const services = (await client.catalogServices()).body;
    assert.deepEqual(services['web'], ['v1']);
    const entries = (await client.healthService('web')).body;
    assert.deepEqual(entries.map(e => `${e.Service.Port}:${instanceHealth(e)}`).sort(), [
      '8001:passing',
      '8002:critical',
    ]);
  });

  it('a blocking query returns when the catalog changes', async () => {
    const first = await client.catalogServices();
    const waiting = client.catalogServices({ index: first.index, wait: 30_000 });
    setTimeout(
      () =>
        consul.register({
          ID: 'api-1',
          Service: 'api',
          Tags: [],
          Address: '127.0.0.1',
          Port: 9001,
          Meta: {},
          Checks: [check('passing')],
        }),
      200,
    );
    const next = await waiting;
    assert.ok(next.index > first.index);
    assert.ok('api' in next.body);
  });

  it('knows its datacenter and builds the UI link of a service', async () => {
    const dc = await client.datacenter();
    assert.equal(typeof dc, 'string');
    assert.ok(dc.length > 0);
    assert.equal(
      consulUiUrl('http://127.0.0.1:8500', dc, 'web'),
      `http://127.0.0.1:8500/ui/${dc}/services/web/instances`,
    );
  });
});
