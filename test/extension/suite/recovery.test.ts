// Views recover by themselves (issue 22): the Services view kept "Cannot reach the cluster" for minutes
// after the catalog answered again, because the query after a failure was a 5-minute blocking query
// that a quiet catalog holds to its end. A loopback agent that blocks like Nomad (an index query is held
// for its wait) and fails /v1/services with 500 for a while: once it answers again, the view's stale
// state clears within seconds (a deadline, not a timed assertion).
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXT_ID, until } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

async function blockingAgent(): Promise<{
  addr: string;
  setFailing: (f: boolean) => void;
  blockingSeen: () => boolean;
  close: () => Promise<void>;
}> {
  let failing = false;
  let blocking = false;
  const held = new Set<http.ServerResponse>();
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/v1/status/leader') {
      res.end('"127.0.0.1:4647"');
      return;
    }
    if (url.pathname === '/v1/event/stream') {
      res.statusCode = 404;
      res.end('no');
      return;
    }
    if (url.pathname === '/v1/services') {
      if (failing) {
        res.statusCode = 500;
        res.end('catalog unavailable');
        return;
      }
      if (Number(url.searchParams.get('index') ?? 0) >= 5) {
        // nothing changes: held for its wait, as Nomad holds a blocking query
        blocking = true;
        const wait = Number(/^(\d+)ms$/.exec(url.searchParams.get('wait') ?? '')?.[1] ?? 300_000);
        held.add(res);
        const t = setTimeout(() => {
          held.delete(res);
          res.setHeader('X-Nomad-Index', '5');
          res.end('[]');
        }, wait);
        res.on('close', () => {
          clearTimeout(t);
          held.delete(res);
        });
        return;
      }
      res.setHeader('X-Nomad-Index', '5');
      res.end('[]');
      return;
    }
    res.setHeader('X-Nomad-Index', '1');
    res.end('[]');
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    addr: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFailing: f => {
      failing = f;
      if (f)
        for (const r of [...held]) {
          held.delete(r);
          r.statusCode = 500;
          r.end('catalog unavailable');
        }
    },
    blockingSeen: () => blocking,
    close: () =>
      new Promise<void>(r => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('views recover by themselves', function () {
  let api: NomadExtensionApi;
  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
  });

  it('the Services view leaves "Cannot reach the cluster" within seconds of the catalog answering again', async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    const agent = await blockingAgent();
    await cfg.update('clusters', [{ name: 'catalog', address: agent.addr }], vscode.ConfigurationTarget.Global);
    const services = api.cluster.servicesTree;
    try {
      await api.cluster.switchCluster('catalog');
      await until('connected', () => api.cluster.state().kind === 'connected' || undefined);
      await until('a blocking query on the catalog', () => agent.blockingSeen() || undefined);
      agent.setFailing(true);
      await until(
        'the view to say the catalog cannot be reached',
        () => services.stalledSince !== undefined || undefined,
      );
      assert.strictEqual(api.cluster.state().kind, 'connected', 'the agent itself still answers');
      agent.setFailing(false);
      // before the fix: held for the 5-minute wait of a blocking query; now the query after a failure
      // waits at most a second
      await until('the stale message to clear', () => services.stalledSince === undefined || undefined, 20_000);
    } finally {
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      await agent.close();
    }
  });
});
