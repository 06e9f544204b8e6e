// The explorer against a live cluster (the real agent or the double; see test/extension/run.mjs):
// the tree shows a job the test registers, follows its allocation changes, actions work, and a wrong
// token leads to the Set Token state.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXT_ID, rawExecJob, until, nomad } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import { splitJobKey } from '../../../src/nomad/tree/model';
import type { JobsNode } from '../../../src/views/jobsTree';

describe('cluster explorer', function () {
  const jobId = `ext-${Date.now().toString(36)}`;
  let api: NomadExtensionApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!;
    api = await ext.activate();
    await vscode.commands.executeCommand('workbench.view.extension.nomad');
    await api.cluster.connect();
  });

  after(async () => {
    await nomad('DELETE', `/v1/job/${jobId}?purge=true`).catch(() => undefined);
  });

  it('connects to the cluster from NOMAD_ADDR', () => {
    assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
  });

  it('shows a job the test registers, down to its running task, without a manual refresh', async () => {
    await nomad(
      'POST',
      '/v1/jobs',
      rawExecJob(jobId, 'printer', 'i=1; while true; do echo "tick $i"; i=$((i+1)); sleep 0.3; done'),
    );
    const tree = api.cluster.jobsTree;
    const jobNode = await until('the job in the tree', async () =>
      (await tree.getChildren()).find(n => n.kind === 'job' && tree.getTreeItem(n).label === jobId),
    );
    const running = await until('a running task', async () => {
      const groups = await tree.getChildren(jobNode);
      const g = groups.find(n => n.kind === 'group');
      if (!g) return undefined;
      const allocs = await tree.getChildren(g);
      const a = allocs.find(n => String(tree.getTreeItem(n).description).startsWith('running'));
      if (!a) return undefined;
      const tasks = await tree.getChildren(a);
      return tasks.find(t => String(tree.getTreeItem(t).description).startsWith('running'))
        ? { g, a, tasks }
        : undefined;
    });
    assert.strictEqual(tree.getTreeItem(running.tasks[0]!).label, 'printer');
    assert.match(String(tree.getTreeItem(jobNode).description), /service · 1\/1 running/);
    assert.match(String(tree.getTreeItem(running.g).description), /1 running/);
  });

  it('updates when the allocation changes (stopped → replaced)', async () => {
    const model = api.cluster.model();
    const key = model.jobKeys().find(k => splitJobKey(k)[1] === jobId)!;
    const first = [...model.entry(key)!.allocs.values()].find(a => a.ClientStatus === 'running')!;
    await nomad('POST', `/v1/allocation/${first.ID}/stop`, {});
    await until('the stopped allocation to change in the tree', () => {
      const a = api.cluster.model().allocation(first.ID);
      return a && a.DesiredStatus === 'stop' ? a : undefined;
    });
    await until('a replacement allocation', () =>
      [...api.cluster.model().entry(key)!.allocs.values()].find(a => a.ID !== first.ID && a.ClientStatus === 'running'),
    );
  });

  it('actions work: copy id, show definition, follow logs', async () => {
    const model = api.cluster.model();
    const key = model.jobKeys().find(k => splitJobKey(k)[1] === jobId)!;
    const jobNode: JobsNode = { kind: 'job', id: `job:${key}`, key };
    await vscode.commands.executeCommand('nomad.copyId', jobNode);
    assert.strictEqual(await vscode.env.clipboard.readText(), jobId);
    await vscode.commands.executeCommand('nomad.showJobDefinition', jobNode);
    const doc = await until('the definition editor', () =>
      vscode.window.activeTextEditor?.document.getText().includes(jobId)
        ? vscode.window.activeTextEditor.document
        : undefined,
    );
    assert.ok(doc.getText().includes('printer'));
    const alloc = [...model.entry(key)!.allocs.values()].find(a => a.ClientStatus === 'running')!;
    const name = await vscode.commands.executeCommand<string>('nomad.followLogs', {
      kind: 'task',
      allocId: alloc.ID,
      task: 'printer',
    });
    assert.match(name, /^Nomad Logs: g\[\d+\]\/printer · [0-9a-f]{8}$/);
    assert.deepStrictEqual(api.logs.activeChannels(), [name]);
    await vscode.commands.executeCommand('nomad.stopFollowing', { name });
    assert.deepStrictEqual(api.logs.activeChannels(), []);
  });

  it('a destructive action asks first and then acts (stop job)', async () => {
    const model = api.cluster.model();
    const key = model.jobKeys().find(k => splitJobKey(k)[1] === jobId)!;
    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (..._a: unknown[]) => 'Stop';
    try {
      await vscode.commands.executeCommand('nomad.stopJob', { kind: 'job', id: `job:${key}`, key } satisfies JobsNode);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    await until(
      'the job to be stopped',
      async () => (await nomad<{ Stop: boolean }>('GET', `/v1/job/${jobId}`)).Stop === true || undefined,
    );
  });

  it('a wrong token leads to the Set ACL Token state and says which wrong (none, malformed, unknown, its policy); the right one connects', async () => {
    const aclAddr = process.env.NOMAD_TEST_ACL_ADDR,
      token = process.env.NOMAD_TEST_ACL_TOKEN;
    assert.ok(aclAddr && token, 'the runner starts an ACL-enabled double');
    const cfg = vscode.workspace.getConfiguration('nomad');
    await cfg.update('clusters', [{ name: 'acl-test', address: aclAddr }], vscode.ConfigurationTarget.Global);
    const original = vscode.window.showErrorMessage;
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = async () => undefined;
    try {
      // Nomad answers all four with the same 403 "Permission denied"; the message tells them apart
      const refused = (because: RegExp) => {
        const s = api.cluster.state() as { kind: string; message?: string };
        assert.strictEqual(s.kind, 'unauthorized', JSON.stringify(s));
        assert.match(s.message ?? '', because);
        assert.match(s.message ?? '', /list jobs in namespace "default"/);
        assert.ok(api.cluster.statusBar().tooltip.includes(s.message ?? '\u0000'), api.cluster.statusBar().tooltip);
      };
      await api.cluster.switchCluster('acl-test');
      refused(
        /^No ACL token is set, and the cluster's anonymous policy does not let you list jobs .*Set an ACL token\.$/,
      );
      await api.cluster.setToken('wrong-token');
      refused(/^The ACL token set for this cluster is not a secret ID \(36 characters\).*Set the token's secret ID\.$/);
      await api.cluster.setToken('00000000-1111-2222-3333-444444444444');
      refused(
        /^The cluster does not know this ACL token \(deleted, expired, or made for another cluster\).*Set another token\.$/,
      );
      // a token the cluster knows, whose policy grants nothing for jobs
      const admin = { 'X-Nomad-Token': token, 'Content-Type': 'application/json' };
      const put = async (path: string, body: unknown) => {
        const r = await fetch(`${aclAddr}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
        const text = await r.text();
        assert.strictEqual(r.status, 200, text);
        return (text ? JSON.parse(text) : undefined) as { SecretID?: string } | undefined;
      };
      await put('/v1/acl/policy/vars-only', {
        Name: 'vars-only',
        Rules:
          'namespace "default" {\n  variables {\n    path "app/*" {\n      capabilities = ["read"]\n    }\n  }\n}\n',
      });
      const varsOnly = await put('/v1/acl/token', { Name: 'vars-only', Type: 'client', Policies: ['vars-only'] });
      assert.ok(varsOnly?.SecretID);
      await api.cluster.setToken(varsOnly.SecretID);
      refused(
        /^The ACL token may not list jobs in namespace "default": its policy lacks the "list-jobs" capability there\. Set another token or switch namespace\.$/,
      );
      await api.cluster.setToken(token);
      assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
      await api.cluster.setToken(undefined);
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('job files are checked against the version a cluster reported when last connected, while it does not answer', async () => {
    // a cluster that says it runs Nomad 1.7.3 (the test double is 1.6.5), and one nothing listens at
    const agent = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        req.url?.startsWith('/v1/status/leader')
          ? '"10.0.0.7:4647"'
          : req.url?.startsWith('/v1/agent/self')
            ? JSON.stringify({ config: { Version: { Version: '1.7.3' } } })
            : '[]',
      );
    });
    await new Promise<void>(r => agent.listen(0, '127.0.0.1', r));
    const cfg = vscode.workspace.getConfiguration('nomad');
    await cfg.update(
      'clusters',
      [
        { name: 'v17', address: `http://127.0.0.1:${(agent.address() as AddressInfo).port}` },
        { name: 'nowhere', address: 'http://127.0.0.1:1' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const target = (version: string, source: string, remembered: boolean) =>
      until(
        `the target ${version} (${source}${remembered ? ', remembered' : ''})`,
        () => {
          const t = api.language.target();
          return (t?.version === version && t.source === source && (t.remembered === true) === remembered) || undefined;
        },
        20_000,
      );
    try {
      await api.cluster.switchCluster('v17');
      await target('1.7.3', 'cluster', false);
      assert.match(api.language.statusBar().tooltip, /the version of the connected cluster \(v17\)/);
      agent.closeAllConnections();
      await new Promise<void>(r => agent.close(() => r()));
      // another cluster, never seen answering: the setting or the newest release
      await api.cluster.switchCluster('nowhere');
      assert.strictEqual(api.cluster.state().kind, 'error', JSON.stringify(api.cluster.state()));
      await until(
        "a target other than the cluster's",
        () => api.language.target()?.source !== 'cluster' || undefined,
        20_000,
      );
      // back to v17, which does not answer now: the version it reported last
      await api.cluster.switchCluster('v17');
      assert.strictEqual(api.cluster.state().kind, 'error', JSON.stringify(api.cluster.state()));
      await target('1.7.3', 'cluster', true);
      assert.match(api.language.statusBar().text, /Nomad 1\.7\.3/);
      assert.match(
        api.language.statusBar().tooltip,
        /the version v17 reported when last connected \(not connected now\)/,
      );
    } finally {
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      agent.close();
    }
    // connected again to the test's cluster: its own version, not a remembered one
    await until(
      "the test cluster's own version",
      () => (api.language.target()?.source === 'cluster' && api.language.target()?.remembered !== true) || undefined,
      20_000,
    );
  });

  it('a switch made while connecting to another cluster ends on the cluster switched to', async () => {
    // a cluster that answers, but slowly: the first attempt is still under way when the second switch comes
    const slow = http.createServer((req, res) => {
      setTimeout(() => {
        res.setHeader('Content-Type', 'application/json');
        res.end(req.url?.startsWith('/v1/status/leader') ? '"10.0.0.9:4647"' : '[]');
      }, 1500);
    });
    await new Promise<void>(r => slow.listen(0, '127.0.0.1', r));
    const slowAddr = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const cfg = vscode.workspace.getConfiguration('nomad');
    await cfg.update(
      'clusters',
      [
        { name: 'slow', address: slowAddr },
        { name: 'acl-test', address: process.env.NOMAD_TEST_ACL_ADDR },
      ],
      vscode.ConfigurationTarget.Global,
    );
    try {
      const first = api.cluster.switchCluster('slow');
      await until(
        'the attempt on the slow cluster to start',
        async () =>
          (api.cluster.state().kind === 'connecting' &&
            (api.cluster.state() as { cluster: string }).cluster === 'slow') ||
          undefined,
        10_000,
      );
      await api.cluster.switchCluster('acl-test');
      await first;
      const s = api.cluster.state() as { kind: string; cluster?: string };
      assert.deepStrictEqual([s.kind, s.cluster], ['unauthorized', 'acl-test'], JSON.stringify(s));
    } finally {
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      slow.close();
    }
  });
});
