// Every loop has a floor (issue 22), in a real extension host: a cluster that answers every request at
// once with X-Nomad-Index 1 (or none) for ever. The Variables view made 4,293 requests in 3.6 s against
// such a server; now every view and watcher together are counted over a window of real time, and the
// count has an upper bound (a slow machine makes fewer requests, never more: no timing is asserted).
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXT_ID, until } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

async function instantAgent(
  index: string | undefined,
): Promise<{ addr: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    paths.push((req.url ?? '').split('?')[0]!);
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/v1/status/leader')) {
      res.end('"127.0.0.1:4647"');
      return;
    }
    // the event stream ends at once, empty: a reconnect loop without a floor would spin on it
    if (req.url?.startsWith('/v1/event/stream')) {
      res.end('');
      return;
    }
    if (index !== undefined) res.setHeader('X-Nomad-Index', index);
    res.end(req.url?.startsWith('/v1/agent/self') ? '{"config":{}}' : '[]');
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    addr: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise<void>(r => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('every loop has a floor', function () {
  let api: NomadExtensionApi;
  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.nomad');
  });

  for (const index of ['1', undefined]) {
    it(`a server that answers at once ${index ? 'with index 1' : 'without X-Nomad-Index'}: a few requests per view, not thousands`, async () => {
      const cfg = vscode.workspace.getConfiguration('nomad');
      const agent = await instantAgent(index);
      await cfg.update('clusters', [{ name: 'instant', address: agent.addr }], vscode.ConfigurationTarget.Global);
      try {
        await api.cluster.switchCluster('instant');
        await until('connected', () => api.cluster.state().kind === 'connected' || undefined);
        // the views that poll: Jobs (event stream, then its lists), Services, Variables
        await api.cluster.jobsTree.getChildren();
        await api.variables.tree.getChildren();
        const start = agent.paths.length;
        await new Promise(r => setTimeout(r, 4000));
        const window = agent.paths.slice(start);
        const byPath = new Map<string, number>();
        for (const p of window) byPath.set(p, (byPath.get(p) ?? 0) + 1);
        const summary = [...byPath].map(([p, n]) => `${p}: ${n}`).join(', ');
        // each loop: at most one request per 500 ms floor, fewer once the backoff grows (4 s: ≤ 9)
        for (const [p, n] of byPath) assert.ok(n <= 10, `${p} was asked ${n} times in 4 s (${summary})`);
        assert.ok(window.length <= 60, `${window.length} requests in 4 s: ${summary}`);
        assert.ok(
          agent.paths.some(p => p === '/v1/vars'),
          `the Variables view asked (${summary})`,
        );
      } finally {
        await api.cluster.switchCluster('default');
        await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
        await agent.close();
      }
    });
  }
});
