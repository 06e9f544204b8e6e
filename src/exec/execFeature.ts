import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import type { ClusterConnection } from '../cluster/connection';
import type { JobsNode, JobsTreeProvider } from '../views/jobsTree';
import type { Logger } from '../logger';
import type { AllocationListStub } from '../nomad/types';
import type { ExecConnection, ExecFailure } from '../nomad/exec';
import { joinShown, plain, plainText, shortId, visible } from '../untrusted/shown';
import { ShellTerminal } from './shellTerminal';
import { joinCommandLine, splitCommandLine } from '../nomad/execArgv';

const LAST_COMMAND_KEY = 'nomad.exec.lastCommand';
const DEFAULT_COMMAND = ['/bin/sh'];

export interface OpenShellOptions {
  /** The command to run (skips the input box). */
  command?: string[];
  /** Do not focus the terminal (tests). */
  preserveFocus?: boolean;
}

/** A target given directly (tests, other extensions): an allocation id and a task name. */
export interface ShellTarget {
  allocId: string;
  task: string;
  namespace?: string;
}

/** "Nomad: Open Shell in Task…": a terminal running a command inside a task, over Nomad's exec socket. */
export class ExecFeature implements vscode.Disposable {
  private readonly shells = new Set<ShellTerminal>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    private readonly jobs: JobsTreeProvider,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.subs.push(
      vscode.window.onDidCloseTerminal(t => {
        for (const s of this.shells)
          if ((t.creationOptions as vscode.ExtensionTerminalOptions).pty === s) {
            s.close();
            this.shells.delete(s);
          }
      }),
    );
  }

  /** Open shells (the integration tests read their transcript and outcome). */
  activeShells(): ShellTerminal[] {
    return [...this.shells];
  }

  async openShell(arg?: JobsNode | ShellTarget, opts: OpenShellOptions = {}): Promise<ShellTerminal | undefined> {
    await this.connection.ensureConnected();
    const client = this.connection.client;
    if (!client) {
      await this.connection.reportState();
      return undefined;
    }
    const target = await this.resolveTarget(arg);
    if (!target) return undefined;
    let command = opts.command;
    if (!command) {
      const last = this.state.get<string[]>(LAST_COMMAND_KEY) ?? DEFAULT_COMMAND;
      const line = await vscode.window.showInputBox({
        title: plain`Command to run in ${target.task} (${shortId(target.allocId)})`,
        prompt: 'Runs inside the task with a terminal. Quotes group words; nothing is expanded unless you run a shell.',
        value: joinCommandLine(last),
        validateInput: v => {
          const r = splitCommandLine(v);
          return r.ok ? undefined : r.error;
        },
      });
      if (line === undefined) return undefined;
      const r = splitCommandLine(line);
      if (!r.ok) return undefined;
      command = r.argv;
      await this.state.update(LAST_COMMAND_KEY, command);
    }
    const o = client.options;
    const conn: ExecConnection = {
      address: client.address,
      ...(o.profile.tls ? { tls: o.profile.tls } : {}),
      ...(o.token ? { token: o.token } : {}),
      ...(o.httpAuth ? { httpAuth: o.httpAuth } : {}),
      ...(o.userAgent ? { userAgent: o.userAgent } : {}),
    };
    const label = `${target.task} @ ${shortId(target.allocId)}`;
    const shell = new ShellTerminal(
      conn,
      {
        allocId: target.allocId,
        task: target.task,
        command,
        tty: true,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        ...(o.profile.region ? { region: o.profile.region } : {}),
      },
      label,
      f => void this.reportFailure(f, label),
    );
    this.shells.add(shell);
    shell.onDidEnd(outcome =>
      this.log.info(
        `shell in ${visible(label)} ended: ${outcome.kind === 'exited' ? `exit code ${outcome.exitCode}` : outcome.kind === 'failed' ? outcome.failure.kind : 'terminal closed'}`,
      ),
    );
    this.log.info(`opening a shell in ${visible(label)}: ${visible(joinCommandLine(command))}`);
    const terminal = vscode.window.createTerminal({
      name: plain`Nomad: ${label}`,
      pty: shell,
      iconPath: new vscode.ThemeIcon('terminal'),
    });
    terminal.show(opts.preserveFocus ?? false);
    return shell;
  }

  private async reportFailure(f: ExecFailure, label: string): Promise<void> {
    const actions = f.kind === 'unauthorized' ? (['Set ACL Token…'] as const) : [];
    const pick = await vscode.window.showErrorMessage(plain`Shell in ${label}: ${f.message}`, ...actions);
    if (pick === 'Set ACL Token…') await vscode.commands.executeCommand('nomad.setToken');
  }

  /** The task to run in: from a tree node (task, or allocation + a pick of its tasks) or pickers. */
  private async resolveTarget(arg?: JobsNode | ShellTarget): Promise<ShellTarget | undefined> {
    if (arg && 'allocId' in arg && 'task' in arg && !('kind' in arg)) return arg;
    const node = arg as JobsNode | undefined;
    if (node?.kind === 'task') {
      const a = this.jobs.cluster.allocation(node.allocId);
      return { allocId: node.allocId, task: node.task, ...(a ? { namespace: a.Namespace } : {}) };
    }
    let alloc: AllocationListStub | undefined;
    if (node?.kind === 'alloc') alloc = this.jobs.cluster.allocation(node.allocId);
    if (!alloc) alloc = await this.pickAllocation(node?.kind === 'alloc' ? node.allocId : undefined);
    if (!alloc) return undefined;
    const tasks = Object.entries(alloc.TaskStates ?? {})
      .filter(([, s]) => s?.State === 'running')
      .map(([t]) => t)
      .sort();
    if (!tasks.length) {
      void vscode.window.showWarningMessage(
        plain`Allocation ${shortId(alloc.ID)} (${alloc.Name}) has no running task to open a shell in.`,
      );
      return undefined;
    }
    const task =
      tasks.length === 1
        ? tasks[0]
        : (
            await vscode.window.showQuickPick(
              tasks.map(t => ({ label: plainText(t), task: t })),
              { title: plain`Open a shell in which task of ${alloc.Name}?` },
            )
          )?.task;
    return task ? { allocId: alloc.ID, task, namespace: alloc.Namespace } : undefined;
  }

  private async pickAllocation(allocId?: string): Promise<AllocationListStub | undefined> {
    const ns = this.connection.namespace;
    const r = await this.connection.withClient('List allocations', c =>
      c.get<AllocationListStub[]>('/v1/allocations', { namespace: ns }),
    );
    if (!r) return undefined;
    if (allocId) return r.body.find(a => a.ID === allocId);
    const running = r.body.filter(a => a.ClientStatus === 'running' && a.DesiredStatus === 'run');
    if (!running.length) {
      void vscode.window.showInformationMessage(plain`No running allocation in namespace ${ns === '*' ? 'any' : ns}.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      running.map(a => ({
        label: plainText(a.Name),
        description: plainText(
          [shortId(a.ID), a.NodeName, ns === '*' ? a.Namespace : undefined].filter(Boolean).join(' · '),
        ),
        detail: joinShown(
          Object.entries(a.TaskStates ?? {}).map(([t, s]) => plain`${t}: ${s?.State}`),
          plain`, `,
        ),
        a,
      })),
      { title: 'Nomad: open a shell in which allocation?', matchOnDescription: true, matchOnDetail: true },
    );
    return pick?.a;
  }

  /** Open Shell in Task. */
  commands(): CommandTable {
    return { 'nomad.openShell': (arg?: JobsNode | ShellTarget, o?: OpenShellOptions) => this.openShell(arg, o) };
  }

  dispose(): void {
    for (const s of this.shells) s.dispose();
    this.shells.clear();
    for (const d of this.subs) d.dispose();
  }
}
