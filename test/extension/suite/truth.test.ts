// Issue #15 in the editor, against the cluster test/extension/run.mjs started (the double unless NOMAD_BIN):
// cluster strings reach the tree as text with invisible characters shown; the tree follows purges and
// shows the true version of new allocations; a cluster that stops answering shows as such and recovers;
// the plan's terminal line is what was submitted; plans and definitions share one column; the plan view
// and the notifications tell how a run ended, a failing task as soon as it fails.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { EXT_ID, until, nomad, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import { splitJobKey } from '../../../src/nomad/tree/model';
import type { JobsNode } from '../../../src/views/jobsTree';
import { plainText } from '../../../src/untrusted/shown';

const S = 1_000_000_000;
const HOSTILE_JOB = `ext-hostile-[x](command:nomad.connect)-\u202egnp.exe`;
const HOSTILE_GROUP =
  'web [see details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D) ![i](http://127.0.0.1:9/x.png)';

function job(id: string, group: string, env: Record<string, string>, extra: Record<string, unknown> = {}): unknown {
  return {
    Job: {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: group,
          Count: 1,
          Update: {
            MaxParallel: 1,
            HealthCheck: 'task_states',
            MinHealthyTime: 1 * S,
            HealthyDeadline: 60 * S,
            ProgressDeadline: 120 * S,
          },
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
          Tasks: [
            {
              Name: 'server',
              Driver: 'raw_exec',
              Env: env,
              Config: { command: '/bin/sh', args: ['-c', 'while true; do sleep 1; done'] },
              Resources: { CPU: 20, MemoryMB: 16 },
              KillTimeout: 1 * S,
            },
          ],
          ...extra,
        },
      ],
    },
  };
}

/** Replaces a vscode.window message function for the duration of `fn`, recording what was shown. */
async function capturing<T>(
  name: 'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage',
  answer: (msg: string) => string | undefined,
  fn: (seen: string[]) => Promise<T>,
): Promise<T> {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = w[name];
  const seen: string[] = [];
  w[name] = async (msg: string) => {
    seen.push(msg);
    return answer(msg);
  };
  try {
    return await fn(seen);
  } finally {
    w[name] = original;
  }
}

describe('the tree and the plan tell the truth', function () {
  let api: NomadExtensionApi;
  const cleanup: string[] = [];

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.nomad');
    await api.cluster.connect();
  });
  after(async () => {
    for (const id of cleanup)
      await nomad('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => undefined);
  });

  const tree = () => api.cluster.jobsTree;
  const jobRow = async (id: string) =>
    (await tree().getChildren()).find(n => n.kind === 'job' && api.cluster.model().job(n.key)?.id === id);

  it('a hostile job and group name show as text, with the bidi override visible, in labels and plain tooltips', async () => {
    cleanup.push(HOSTILE_JOB);
    await nomad('POST', '/v1/jobs', job(HOSTILE_JOB, HOSTILE_GROUP, { A: '1' }));
    const row = await until('the hostile job in the tree', () => jobRow(HOSTILE_JOB));
    const item = tree().getTreeItem(row);
    assert.strictEqual(item.label, plainText(HOSTILE_JOB));
    assert.ok(!String(item.label).includes(']('), 'no link can form from the label');
    assert.ok(String(item.label).includes('\\u202e'), 'U+202E shown as \\u202e');
    assert.strictEqual(typeof item.tooltip, 'string', 'a plain-text tooltip, not Markdown');
    assert.ok(!String(item.tooltip).includes('\u202e'));
    const group = await until('its group', async () => (await tree().getChildren(row)).find(n => n.kind === 'group'));
    const gi = tree().getTreeItem(group);
    assert.strictEqual(gi.label, plainText(HOSTILE_GROUP), 'the group name as registered, its `](` broken up');
    assert.ok(typeof gi.tooltip === 'string' || gi.tooltip === undefined);
    const alloc = await until('an allocation row', async () =>
      (await tree().getChildren(group)).find(n => n.kind === 'alloc'),
    );
    const ai = tree().getTreeItem(alloc);
    assert.strictEqual(typeof ai.tooltip, 'string');
    // every row of this job: never a MarkdownString
    for (const n of [row, group, alloc, ...(await tree().getChildren(alloc))])
      assert.ok(!(tree().getTreeItem(n).tooltip instanceof vscode.MarkdownString), n.kind);
  });

  it('allocations of a new version show that version, not v0', async () => {
    const id = `ext-truth-version-${Date.now().toString(36)}`;
    cleanup.push(id);
    await nomad('POST', '/v1/jobs', job(id, 'g', { V: '0' }));
    const row = await until('the job', () => jobRow(id));
    const firstAlloc = await until('a running v0 allocation', () =>
      [
        ...api.cluster
          .model()
          .entry(row.kind === 'job' ? row.key : '')!
          .allocs.values(),
      ].find(a => a.ClientStatus === 'running'),
    );
    // v1 and v2: destructive updates, new allocations arrive on the event stream
    await nomad('POST', '/v1/jobs', job(id, 'g', { V: '1' }));
    await nomad('POST', '/v1/jobs', job(id, 'g', { V: '2' }));
    const key = row.kind === 'job' ? row.key : '';
    const v2 = await until('a running allocation of v2 whose row names a version', async () => {
      const groups = await tree().getChildren(row);
      const g = groups.find(n => n.kind === 'group');
      if (!g) return undefined;
      for (const n of await tree().getChildren(g)) {
        if (n.kind !== 'alloc' || n.allocId === firstAlloc.ID) continue;
        const a = api.cluster.model().allocation(n.allocId);
        const d = String(tree().getTreeItem(n).description);
        if (a && a.CreateIndex > firstAlloc.CreateIndex && a.ClientStatus === 'running' && /\bv\d+\b/.test(d)) {
          const server = await nomad<{ JobVersion: number }>('GET', `/v1/allocation/${n.allocId}`).catch(
            () => undefined,
          );
          return server
            ? { d, server: server.JobVersion ?? (server as unknown as { Job: { Version: number } }).Job.Version }
            : undefined;
        }
      }
      return undefined;
    });
    assert.ok(v2.server >= 1, `the cluster says v${v2.server}`);
    assert.match(v2.d, new RegExp(`\\bv${v2.server}\\b`), `the row says ${v2.d}`);
    assert.doesNotMatch(v2.d, /\bv0\b/);
    assert.ok(api.cluster.model().entry(key));
  });

  it('a job purged from outside leaves the tree without a refresh', async () => {
    const id = `ext-truth-purge-${Date.now().toString(36)}`;
    cleanup.push(id);
    await nomad('POST', '/v1/jobs', job(id, 'g', { A: '1' }));
    await until('the job', () => jobRow(id));
    await until('a running allocation', () => {
      const e = api.cluster.model().entry(
        api.cluster
          .model()
          .jobKeys()
          .find(k => splitJobKey(k)[1] === id) ?? '',
      );
      return e && [...e.allocs.values()].some(a => a.ClientStatus === 'running');
    });
    await nomad('DELETE', `/v1/job/${id}?purge=true`);
    await until('the purged job to leave the tree', async () => (await jobRow(id)) === undefined || undefined, 30_000);
    assert.strictEqual(
      api.cluster
        .model()
        .jobKeys()
        .some(k => splitJobKey(k)[1] === id),
      false,
    );
  });

  it("the extension's own Stop and Purge removes the job from the tree", async () => {
    const id = `ext-truth-stoppurge-${Date.now().toString(36)}`;
    cleanup.push(id);
    await nomad('POST', '/v1/jobs', job(id, 'g', { A: '1' }));
    const row = await until('the job', () => jobRow(id));
    await capturing(
      'showWarningMessage',
      () => 'Stop and Purge',
      async () => {
        await vscode.commands.executeCommand('nomad.stopJob', row);
      },
    );
    await until('the job to leave the tree', async () => (await jobRow(id)) === undefined || undefined, 30_000);
  });

  it('a job the tree still shows but the cluster no longer has (a 404 while acting) leaves the tree', async () => {
    // a row for a job that does not exist: as if its purge had been missed
    const ghost = `ext-truth-ghost-${Date.now().toString(36)}`;
    api.cluster
      .model()
      .setJob('default', ghost, { ID: ghost, Namespace: 'default', Type: 'service', Status: 'running', Version: 0 });
    const key = await until('the ghost in the model', () =>
      api.cluster
        .model()
        .jobKeys()
        .find(k => splitJobKey(k)[1] === ghost),
    );
    await capturing(
      'showErrorMessage',
      () => undefined,
      async seen => {
        await vscode.commands.executeCommand('nomad.showJobDefinition', {
          kind: 'job',
          id: `job:${key}`,
          key,
        } satisfies JobsNode);
        assert.ok(seen.length > 0, 'the failed read is reported');
      },
    );
    await until('the ghost to leave the tree', () => !api.cluster.model().entry(key) || undefined, 30_000);
  });

  it('allocation ages are redrawn by the tick', async () => {
    const fired: unknown[] = [];
    const sub = tree().onDidChangeTreeData(e => fired.push(e));
    try {
      const rows = tree().tickAges();
      assert.ok(rows.length > 0 && rows.every(r => r.kind === 'alloc'), 'the shown allocation rows');
      assert.ok(
        fired.some(e => Array.isArray(e) && e.length === rows.length),
        'the view was told to redraw them',
      );
    } finally {
      sub.dispose();
    }
  });

  it('a cluster that stops answering shows as disconnected, and the view recovers by itself', async () => {
    const target = new URL(process.env.NOMAD_ADDR ?? 'http://127.0.0.1:4646');
    const sockets = new Set<net.Socket>();
    const proxy = () =>
      net.createServer(c => {
        const up = net.connect(Number(target.port), target.hostname);
        sockets.add(c);
        sockets.add(up);
        c.pipe(up);
        up.pipe(c);
        const end = () => {
          c.destroy();
          up.destroy();
          sockets.delete(c);
          sockets.delete(up);
        };
        c.on('error', end);
        up.on('error', end);
        c.on('close', end);
        up.on('close', end);
      });
    let server = proxy();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const cfg = vscode.workspace.getConfiguration('nomad');
    await cfg.update(
      'clusters',
      [{ name: 'proxied', address: `http://127.0.0.1:${port}` }],
      vscode.ConfigurationTarget.Global,
    );
    const quiet = vscode.window as unknown as Record<string, unknown>;
    const originalError = quiet.showErrorMessage;
    quiet.showErrorMessage = async () => undefined;
    try {
      await api.cluster.switchCluster('proxied');
      assert.strictEqual(api.cluster.state().kind, 'connected');
      await until('the tree loaded through the proxy', async () =>
        (await tree().getChildren()).some(n => n.kind === 'job'),
      );
      // the agent goes away
      await new Promise<void>(r => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
      await until(
        'a disconnected state',
        () => tree().stalledSince !== undefined || api.cluster.state().kind !== 'connected',
        60_000,
      );
      // and comes back on the same address
      server = proxy();
      await new Promise<void>(r => server.listen(port, '127.0.0.1', r));
      await until(
        'recovered by itself',
        async () =>
          api.cluster.state().kind === 'connected' &&
          tree().stalledSince === undefined &&
          (await tree().getChildren()).some(n => n.kind === 'job'),
        90_000,
      );
    } finally {
      quiet.showErrorMessage = originalError;
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      await new Promise<void>(r => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    }
  });
});

describe('the plan view tells the truth: its terminal line, its column, how the deployment ended', function () {
  let api: NomadExtensionApi;
  const GREETER = 'ext-truth-greeter';
  const uri = () => ws('truth/greeter.nomad.hcl');

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.connect();
    await nomad('DELETE', `/v1/job/${GREETER}?purge=true`).catch(() => undefined);
    await vscode.workspace
      .getConfiguration('nomad', uri())
      .update('plan.variableFiles', ['truth/vars/slow.vars'], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('nomad', uri())
      .update('plan.variableFiles', undefined, vscode.ConfigurationTarget.Global);
    await nomad('DELETE', `/v1/job/${GREETER}?purge=true`).catch(() => undefined);
  });

  const planWithPrompt = async (target: vscode.Uri) => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = w.showInputBox;
    w.showInputBox = async () => 'hello world';
    try {
      await vscode.commands.executeCommand('nomad.planJob', target);
    } finally {
      w.showInputBox = original;
    }
  };

  it('the terminal line under the plan carries the -var-file and the -var the extension submitted', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(uri());
    await planWithPrompt(uri());
    const vm = await until('the plan', () => api.plans.planOf(uri())?.vm);
    assert.strictEqual(
      vm.cliLine,
      "nomad job run -check-index 0 -var-file=vars/slow.vars -var 'greeting=hello world' greeter.nomad.hcl",
    );
  });

  it("Plan again, Plan from the plan's column and Show Job Definition reuse one column beside the editor", async () => {
    assert.strictEqual(vscode.window.tabGroups.all.length, 2, 'the editor and the plan');
    const planColumn = api.plans.planOf(uri())!.panel.viewColumn;
    // focus the plan's column, then plan again (the old code opened a column beside the plan each time)
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await planWithPrompt(uri());
    await until('the second plan', () => api.plans.planOf(uri())?.vm);
    assert.strictEqual(vscode.window.tabGroups.all.length, 2);
    assert.strictEqual(api.plans.planOf(uri())!.panel.viewColumn, planColumn);
    // another file's plan, from the plan's column
    const printer = ws('printer.nomad.hcl');
    await vscode.commands.executeCommand('nomad.planJob', printer);
    await until('the printer plan', () => api.plans.planOf(printer)?.vm);
    assert.strictEqual(
      vscode.window.tabGroups.all.length,
      2,
      vscode.window.tabGroups.all.map(g => g.tabs.map(t => t.label).join('+')).join(' | '),
    );
    // a job's definition from the tree goes to the same side column
    const id = `ext-truth-def-${Date.now().toString(36)}`;
    await nomad('POST', '/v1/jobs', job(id, 'g', { A: '1' }));
    try {
      const key = await until('the job in the model', () =>
        api.cluster
          .model()
          .jobKeys()
          .find(k => splitJobKey(k)[1] === id),
      );
      await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      await vscode.commands.executeCommand('nomad.showJobDefinition', {
        kind: 'job',
        id: `job:${key}`,
        key,
      } satisfies JobsNode);
      await until('the definition', () =>
        vscode.window.visibleTextEditors.find(e => e.document.getText().includes(id)),
      );
      assert.strictEqual(vscode.window.tabGroups.all.length, 2);
    } finally {
      await nomad('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
    }
  });

  it('after Run the plan view shows how the deployment ended, not "Watching…" forever', async () => {
    await vscode.window.showTextDocument(uri(), { viewColumn: vscode.ViewColumn.One });
    await planWithPrompt(uri());
    await until('the plan', () => api.plans.planOf(uri())?.vm);
    await capturing(
      'showInformationMessage',
      () => undefined,
      async seen => {
        await api.plans.runShownPlan(uri());
        const done = await until(
          'the run to end',
          () => {
            const p = api.plans.planOf(uri())?.phase;
            return p?.phase === 'done' ? p : undefined;
          },
          120_000,
        );
        assert.strictEqual(done.phase === 'done' && done.outcome, 'successful', JSON.stringify(done));
        assert.ok(
          seen.some(m => /is deployed and healthy/.test(m)),
          seen.join(' | '),
        );
      },
    );
  });

  it('a task that fails is reported while the deployment runs, cause first', async () => {
    const id = `ext-truth-failing-${Date.now().toString(36)}`;
    // a binary that does not exist: the driver fails at start; no restart, a reschedule far away and a long
    // progress deadline, so the deployment is still running when the failure is known
    const hcl = `job "${id}" {
  datacenters = ["dc1"]
  group "web" {
    update {
      max_parallel      = 1
      health_check      = "task_states"
      min_healthy_time  = "1s"
      healthy_deadline  = "5m"
      progress_deadline = "10m"
    }
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts       = 1
      interval       = "1h"
      delay          = "5m"
      delay_function = "constant"
      unlimited      = false
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/nonexistent/ext-truth-binary"
      }
      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
`;
    const file = vscode.Uri.joinPath(ws('truth'), `${id}.nomad.hcl`);
    await vscode.workspace.fs.writeFile(file, Buffer.from(hcl));
    // this job declares no variables: no variables file for it
    await vscode.workspace
      .getConfiguration('nomad', uri())
      .update('plan.variableFiles', undefined, vscode.ConfigurationTarget.Global);
    try {
      await capturing(
        'showWarningMessage',
        () => undefined,
        async warnings => {
          await capturing(
            'showErrorMessage',
            () => undefined,
            async errors => {
              await vscode.commands.executeCommand('nomad.planJob', file);
              await until('the plan', () => api.plans.planOf(file)?.vm);
              await api.plans.runShownPlan(file);
              // in the deployment's one notification (and the plan view), cause first, not in a toast of its own
              const phase = await until(
                'the failure reported',
                () => {
                  const p = api.plans.planOf(file)?.phase;
                  return p?.phase === 'deploying' && p.failure ? p : undefined;
                },
                90_000,
              );
              // (brackets may be shown as look-alikes: notification text cannot hold link syntax)
              assert.match(
                phase.phase === 'deploying' ? (phase.failure ?? '') : '',
                /^web[[［]0[\]］]\/server: Driver Failure — /,
                JSON.stringify(phase),
              );
              const dep = await nomad<{ Status: string }>('GET', `/v1/job/${id}/deployment`);
              assert.strictEqual(dep.Status, 'running', 'reported before the deployment is over');
              assert.deepStrictEqual([...warnings, ...errors], [], 'no second notification while the deployment runs');
            },
          );
        },
      );
    } finally {
      await nomad('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });
});
