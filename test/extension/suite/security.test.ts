// Security and liveness of the cluster connection in a real extension host:
//  - a stored ACL token goes only to the address it was saved for: a folder's .vscode/settings.json that
//    points nomad.address elsewhere gets a question first, and "no" means the listener there never sees
//    X-Nomad-Token ("yes" sends it);
//  - when the agent goes away the status bar says so and the connection comes back by itself.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXT_ID, until } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

interface Seen {
  url: string;
  token: string | undefined;
}

/** A loopback listener that answers like a small Nomad agent and records every request's token. */
async function fakeAgent(port = 0): Promise<{ addr: string; port: number; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', token: req.headers['x-nomad-token'] as string | undefined });
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/v1/status/leader')) {
      res.end('"127.0.0.1:4647"');
      return;
    }
    if (req.url?.startsWith('/v1/event/stream')) {
      res.statusCode = 404;
      res.end('not here');
      return;
    }
    res.setHeader('X-Nomad-Index', '1');
    res.end('[]');
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(r => server.listen(port, '127.0.0.1', r));
  const p = (server.address() as AddressInfo).port;
  return {
    addr: `http://127.0.0.1:${p}`,
    port: p,
    seen,
    close: () =>
      new Promise<void>(r => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

type Warning = { message: string; detail?: string };

describe('cluster connection: tokens and liveness', function () {
  let api: NomadExtensionApi;
  const original = vscode.window.showWarningMessage;
  const asked: Warning[] = [];
  let answer: string | undefined;

  before(async () => {
    const ext = vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!;
    api = await ext.activate();
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (
      message: string,
      options?: vscode.MessageOptions,
    ) => {
      asked.push({ message, ...(options?.detail ? { detail: options.detail } : {}) });
      return answer;
    };
  });

  after(async () => {
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    // the Workspace-level setting left an empty .vscode/settings.json in the test workspace: remove it
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (folder) {
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      const text = await vscode.workspace.fs.readFile(file).then(
        b => Buffer.from(b).toString('utf8'),
        () => undefined,
      );
      if (text !== undefined && Object.keys(JSON.parse(text || '{}') as object).length === 0) {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
      }
    }
  });

  it("a workspace's nomad.address gets the stored token only when the user says so", async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    const home = process.env.NOMAD_ADDR!;
    const token = 'tok-0b0f7e4c-saved-for-the-test-cluster';
    const elsewhere = await fakeAgent();
    const allowed = await fakeAgent();
    try {
      await api.cluster.switchCluster('default');
      await api.cluster.setToken(token);
      assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
      assert.strictEqual(asked.length, 0, 'the address the token was saved for: no question');

      // the folder's settings point the default cluster elsewhere; the user says no
      answer = 'Connect Without Token';
      await cfg.update('address', elsewhere.addr, vscode.ConfigurationTarget.Workspace);
      await until(
        'the listener to be probed',
        () => elsewhere.seen.some(s => s.url.startsWith('/v1/jobs')) || undefined,
      );
      assert.deepStrictEqual(
        elsewhere.seen.filter(s => s.token !== undefined),
        [],
        'no request carried X-Nomad-Token',
      );
      assert.strictEqual(asked.length, 1, JSON.stringify(asked));
      assert.ok(asked[0]!.message.includes(elsewhere.addr), asked[0]!.message);
      assert.match(asked[0]!.detail ?? '', /meant for http:\/\/127\.0\.0\.1:\d+/);
      assert.match(asked[0]!.detail ?? '', /set by this workspace's settings/);

      // another address, and the user says yes: the token goes there (and is remembered for it)
      answer = 'Send Token';
      await cfg.update('address', allowed.addr, vscode.ConfigurationTarget.Workspace);
      await until(
        'the second listener to be probed',
        () => allowed.seen.some(s => s.url.startsWith('/v1/jobs')) || undefined,
      );
      assert.ok(
        allowed.seen.every(s => s.token === token),
        "with the user's yes, the token is sent",
      );
      assert.strictEqual(asked.length, 2);

      // back home: no question, the token was saved for it
      await cfg.update('address', undefined, vscode.ConfigurationTarget.Workspace);
      await until(
        'connected at home again',
        () => (api.cluster.state().kind === 'connected' && api.cluster.statusBar().tooltip.includes(home)) || undefined,
      );
      assert.strictEqual(asked.length, 2, 'no question for the address the token was saved for');
      assert.deepStrictEqual(
        elsewhere.seen.filter(s => s.token !== undefined),
        [],
        'the refused listener never got the token',
      );
    } finally {
      answer = undefined;
      await cfg.update('address', undefined, vscode.ConfigurationTarget.Workspace);
      await api.cluster.setToken(undefined);
      await elsewhere.close();
      await allowed.close();
    }
  });

  it('an agent that goes away: the status bar says disconnected, and the connection comes back by itself', async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    let agent = await fakeAgent();
    const port = agent.port;
    await cfg.update('clusters', [{ name: 'flaky', address: agent.addr }], vscode.ConfigurationTarget.Global);
    try {
      await api.cluster.switchCluster('flaky');
      assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
      assert.doesNotMatch(api.cluster.statusBar().text, /disconnected/);

      await agent.close();
      void vscode.commands.executeCommand('nomad.refresh');
      const down = await until('the disconnected state', () => {
        const s = api.cluster.state();
        return s.kind === 'error' && s.retrying ? s : undefined;
      });
      assert.match(down.message, /refused|reach|failed/i, down.message);
      const bar = api.cluster.statusBar();
      assert.match(bar.text, /Nomad: flaky.*disconnected, retrying/, bar.text);
      assert.match(bar.tooltip, /Reconnecting by itself/, bar.tooltip);

      // the agent returns on the same port: no command, no click
      agent = await fakeAgent(port);
      await until('connected again by itself', () => api.cluster.state().kind === 'connected' || undefined, 90_000);
      assert.doesNotMatch(api.cluster.statusBar().text, /disconnected/);
      assert.ok(
        agent.seen.some(s => s.url.startsWith('/v1/status/leader')),
        'it probed the agent',
      );
    } finally {
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      await agent.close();
    }
  });
});
