// "Nomad: Open Shell in Task…" in a real VS Code against the cluster under test (the real agent or the
// double): a terminal opened from a task node runs a shell in the task, what is typed reaches it, the
// exit code comes back, and closing the terminal ends the session.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, rawExecJob, until, nomad, connectedApi } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import type { JobsNode } from '../../../src/views/jobsTree';

describe('shell in a task', function () {
  const jobId = `ext-exec-${Date.now().toString(36)}`;
  let api: NomadExtensionApi;
  let allocId = '';

  before(async () => {
    api = await connectedApi();
    await nomad('POST', '/v1/jobs', rawExecJob(jobId, 'box', 'exec sleep 3600'));
    allocId = await until('a running allocation of the job', async () => {
      const allocs = await nomad<
        Array<{ ID: string; ClientStatus: string; TaskStates?: Record<string, { State: string }> }>
      >('GET', `/v1/job/${jobId}/allocations`);
      return allocs.find(a => a.ClientStatus === 'running' && a.TaskStates?.['box']?.State === 'running')?.ID;
    });
    await until(
      'the allocation in the tree model',
      () => api.cluster.model().allocation(allocId)?.ClientStatus === 'running',
    );
  });

  after(async () => {
    for (const t of vscode.window.terminals) if (t.name.startsWith('Nomad: ')) t.dispose();
    await nomad('DELETE', `/v1/job/${jobId}?purge=true`).catch(() => undefined);
  });

  it('is contributed with a menu entry on tasks and running allocations', () => {
    const pkg = vscode.extensions.getExtension(EXT_ID)!.packageJSON as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const entry = pkg.contributes.menus['view/item/context']!.find(m => m.command === 'nomad.openShell');
    assert.ok(entry?.when?.includes('task') && entry.when.includes('alloc running'), JSON.stringify(entry));
  });

  it('runs what is typed in the task and shows the exit code; closing the terminal ends the session', async () => {
    const node: JobsNode = { kind: 'task', id: `task:${allocId}:box`, allocId, task: 'box' };
    const before = new Set(vscode.window.terminals);
    await vscode.commands.executeCommand('nomad.openShell', node, { command: ['/bin/sh'], preserveFocus: true });
    const terminal = await until('the shell terminal', () =>
      vscode.window.terminals.find(t => !before.has(t) && t.name.startsWith('Nomad: box')),
    );
    const shell = await until('the shell session', () =>
      api.exec.activeShells().find(s => s.target.allocId === allocId),
    );
    await until('the socket to open', () => shell.openedAt !== undefined || shell.outcome !== undefined);
    assert.strictEqual(shell.outcome, undefined, JSON.stringify(shell.outcome));
    terminal.sendText('echo "in-$NOMAD_TASK_NAME-$((6*7))"', true);
    await until('the command output in the terminal', () => /in-box-42/.test(shell.transcript) || undefined);
    terminal.sendText('exit 3', true);
    const outcome = await until('the exit code', () => shell.outcome);
    assert.deepStrictEqual(outcome, { kind: 'exited', exitCode: 3 });
    terminal.dispose();
    await until('the shell to be forgotten', () => !api.exec.activeShells().includes(shell) || undefined);
  });

  it('closing the terminal while the command runs closes the socket (the session ends)', async () => {
    const shell = (await api.exec.openShell({ allocId, task: 'box' }, { command: ['/bin/sh'], preserveFocus: true }))!;
    assert.ok(shell, 'a shell was opened');
    await until('the socket to open', () => shell.openedAt !== undefined || shell.outcome !== undefined);
    const terminal = vscode.window.terminals.find(
      t => (t.creationOptions as vscode.ExtensionTerminalOptions).pty === shell,
    )!;
    terminal.dispose();
    const outcome = await until('the session to end after the terminal closed', () => shell.outcome);
    assert.deepStrictEqual(outcome, { kind: 'closed' });
    assert.ok(shell.socketEnded, 'the socket was closed');
    await until('the shell to be forgotten', () => !api.exec.activeShells().includes(shell) || undefined);
  });

  it('says which task is not running (a task that does not exist)', async () => {
    const original = vscode.window.showErrorMessage;
    const shown: string[] = [];
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = async (m: string) => {
      shown.push(m);
      return undefined;
    };
    try {
      const shell = (await api.exec.openShell(
        { allocId, task: 'missing' },
        { command: ['/bin/true'], preserveFocus: true },
      ))!;
      const outcome = await until('the refusal', () => shell.outcome);
      assert.strictEqual(outcome.kind, 'failed');
      assert.strictEqual(outcome.kind === 'failed' && outcome.failure.kind, 'unknownTask');
      await until('an error notification', () => shown.find(m => /missing/.test(m)));
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
  });
});
