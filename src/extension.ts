import * as vscode from 'vscode';
import { Config } from './config';
import { Logger } from './logger';
import { LanguageClientFeature } from './client/languageClient';
import { ClusterSnapshotFeature } from './aware/snapshotFeature'; // cluster snapshot (#27)
import { CommandTable, registerCommands } from './commands';
import { ClusterConnection, type ConnectionState } from './cluster/connection';
import type { ClusterModel } from './nomad/tree/model';
import { JobsTreeProvider } from './views/jobsTree';
import { ServicesTreeProvider } from './views/servicesTree';
import { ClusterCommands } from './commands/cluster';
import { PlanFeature } from './plan/planFeature';
import { ClusterValidation } from './client/clusterValidation';
import { FileKindFeature } from './client/fileKind';
import { registerShowReferences } from './client/showReferences';
import { WalkthroughFeature } from './client/walkthrough';
import { LogsFeature, type LogTarget } from './logs/logsFeature';
import { plain, plainText } from './untrusted/shown';
import { ExecFeature, type OpenShellOptions, type ShellTarget } from './exec/execFeature';
import { VariablesFeature } from './variables/variablesFeature';
import { EventsFeature } from './events/eventsFeature';
import { HistoryFeature } from './history/historyFeature';
import { NodesFeature } from './nodes/nodesFeature';
import type { JobsNode } from './views/jobsTree';
import type { TargetVersionInfo } from './shared/protocol';

/** What the extension hands to other extensions and to its own integration tests. */
export interface NomadExtensionApi {
  readonly languageServerRunning: () => boolean;
  /** The Nomad version job files are checked against, as the server last reported it, and its status bar item. */
  readonly language: { target: () => TargetVersionInfo | undefined; statusBar: () => { text: string; tooltip: string } };
  readonly commandIds: readonly string[];
  /** The live cluster state, for other extensions and the integration tests. */
  readonly cluster: {
    state: () => ConnectionState;
    model: () => ClusterModel;
    connect: () => Promise<void>;
    switchCluster: (name: string) => Promise<void>;
    setToken: (token: string | undefined) => Promise<void>;
    /** What the status bar item shows (text and tooltip). */
    statusBar: () => { text: string; tooltip: string };
    jobsTree: JobsTreeProvider;
    servicesTree: ServicesTreeProvider;
  };
  readonly plans: { planOf: (uri: vscode.Uri) => ReturnType<PlanFeature['planOf']>; runShownPlan: (uri: vscode.Uri) => Promise<void>; lastWatch: PlanFeature['lastWatch'] };
  readonly logs: { activeChannels: () => string[]; tail: (name: string) => string | undefined };
  readonly exec: { openShell: ExecFeature['openShell']; activeShells: ExecFeature['activeShells'] };
  readonly variables: VariablesFeature;
  readonly events: EventsFeature;
  readonly validation: { check: (doc: vscode.TextDocument) => Promise<readonly vscode.Diagnostic[]> };
}

/**
 * Composition root: builds every feature once and hands dependencies down through constructors.
 * Two cleanup scopes: `context.subscriptions` lives as long as the extension; `clusterScope` lives as
 * long as the current cluster connection (rebuilt on reconnect by the explorer feature).
 */
export async function activate(context: vscode.ExtensionContext): Promise<NomadExtensionApi> {
  const log = new Logger('Nomad');
  const config = new Config();
  context.subscriptions.push(log, config);
  log.info(`activating Nomad extension ${String((context.extension.packageJSON as { version?: string }).version)}`);

  const language = new LanguageClientFeature(context.extensionPath, config, log);
  context.subscriptions.push(language, new FileKindFeature(() => language.languageClient, log), registerShowReferences());
  const walkthrough = new WalkthroughFeature(context.extension.id);
  context.subscriptions.push(walkthrough);

  // The cluster connection (lazy: no network I/O until a view is shown or a command needs it) and the
  // views that follow it. Everything tied to one connection lives in the connection's own scope.
  const connection = new ClusterConnection(context, log);
  // the language server checks job files against the connected cluster's Nomad version
  language.followCluster(connection, context.globalState);
  context.subscriptions.push(new ClusterSnapshotFeature(connection, s => language.sendClusterSnapshot(s), log)); // cluster snapshot (#27)
  const jobsTree = new JobsTreeProvider(connection, log);
  const servicesTree = new ServicesTreeProvider(connection, log);
  const jobsView = vscode.window.createTreeView('nomad.jobs', { treeDataProvider: jobsTree, showCollapseAll: true });
  const servicesView = vscode.window.createTreeView('nomad.services', { treeDataProvider: servicesTree, showCollapseAll: true });
  context.subscriptions.push(connection, jobsTree, servicesTree, jobsView, servicesView);
  context.subscriptions.push(jobsTree.attach(jobsView), servicesTree.attach(servicesView));
  void vscode.commands.executeCommand('setContext', 'nomad.connected', false);
  const connectWhenShown = (e: vscode.TreeViewVisibilityChangeEvent) => { if (e.visible && connection.state.kind === 'disconnected') void connection.connect(); };
  context.subscriptions.push(jobsView.onDidChangeVisibility(connectWhenShown), servicesView.onDidChangeVisibility(connectWhenShown));
  if (jobsView.visible || servicesView.visible) void connection.connect();
  // With an address configured (a setting or NOMAD_ADDR), a Nomad file open is reason enough to connect:
  // its checks then follow the cluster's version and Nomad's own validation from the start, not from the
  // first Plan. Once, after activation (activation itself does no network I/O).
  let connectedForFiles = false;
  const connectForFile = (d: vscode.TextDocument) => {
    if (connectedForFiles || d.languageId !== 'nomad' || connection.state.kind !== 'disconnected' || !connection.hasConfiguredAddress()) return;
    connectedForFiles = true;
    log.info('a Nomad file is open and a cluster address is configured: connecting');
    void connection.connect();
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(connectForFile));
  setImmediate(() => { for (const d of vscode.workspace.textDocuments) connectForFile(d); });
  const clusterCommands = new ClusterCommands(connection, jobsTree, servicesTree, log);
  const plans = new PlanFeature(context.extensionUri, connection, log);
  const logs = new LogsFeature(connection, jobsTree, log);
  const exec = new ExecFeature(connection, jobsTree, context.globalState, log);
  context.subscriptions.push(exec);
  const variables = new VariablesFeature(connection, log);
  context.subscriptions.push(variables);
  const events = new EventsFeature(connection, log);
  context.subscriptions.push(events);
  const history = new HistoryFeature(connection, jobsTree);
  context.subscriptions.push(history);
  const nodeActions = new NodesFeature(connection, () => jobsTree.refreshNodes());
  const clusterValidation = new ClusterValidation(connection, log);
  context.subscriptions.push(plans, logs, clusterValidation);

  const commands: CommandTable = {
    ...clusterCommands.table(),
    'nomad.planJob': (uri?: vscode.Uri) => plans.plan(uri instanceof vscode.Uri ? uri : undefined),
    'nomad.runJob': (uri?: vscode.Uri) => plans.run(uri instanceof vscode.Uri ? uri : undefined),
    'nomad.openWalkthroughFile': (name?: unknown) => walkthrough.openFile(name),
    'nomad.stopWatchingDeployment': (arg?: { jobId?: string }) => plans.stopWatching(arg && typeof arg.jobId === 'string' ? { jobId: arg.jobId } : undefined),
    'nomad.followLogs': (arg?: JobsNode | LogTarget) => logs.follow(arg),
    'nomad.followLogsFiltered': (arg?: JobsNode | LogTarget) => logs.follow(arg, true),
    'nomad.stopFollowing': (arg?: { name?: string }) => logs.stopFollowing(arg),
    'nomad.openShell': (arg?: JobsNode | ShellTarget, o?: OpenShellOptions) => exec.openShell(arg, o),
    ...variables.table(),
    ...events.table(),
    ...history.table(),
    ...nodeActions.table(),
    'nomad.restartLanguageServer': async () => {
      await language.restart();
      void vscode.window.showInformationMessage('Nomad language server restarted.');
    },
    'nomad.showOutput': () => log.show(),
    'nomad.showLanguageServerStatus': async () => {
      try {
        const s = await language.status();
        const mib = (s.rssBytes / 1048576).toFixed(0);
        void vscode.window.showInformationMessage(
          plain`Nomad language server ${s.version}: running for ${s.uptimeSeconds} s, ${s.openDocuments} open document(s), ${mib} MiB (pid ${s.pid}).`);
        return s;
      } catch (e) {
        const choice = await vscode.window.showErrorMessage(plainText(e instanceof Error ? e.message : e), 'Restart', 'Open Output');
        if (choice === 'Restart') await language.restart();
        if (choice === 'Open Output') log.show();
        return undefined;
      }
    },
  };
  context.subscriptions.push(...registerCommands(commands));

  context.subscriptions.push(config.onDidChange(({ impact }) => {
    if (impact === 'restartLanguageServer') void language.restart();
    if (impact === 'reconnect' && connection.state.kind !== 'disconnected') void connection.connect();
  }));

  // Starting the client does no parsing in this process and no network I/O.
  void language.start().catch(async () => {
    const choice = await vscode.window.showErrorMessage('The Nomad language server could not start.', 'Open Output');
    if (choice) log.show();
  });

  return {
    languageServerRunning: () => language.running,
    language: { target: () => language.target, statusBar: () => language.statusBar() },
    commandIds: Object.keys(commands),
    cluster: { state: () => connection.state, model: () => jobsTree.cluster, connect: () => connection.connect(),
      switchCluster: name => connection.switchCluster(name), setToken: t => connection.setToken(t), statusBar: () => connection.statusBar(), jobsTree, servicesTree },
    plans: { planOf: uri => plans.planOf(uri), runShownPlan: uri => plans.runShownPlan(uri), lastWatch: uri => plans.lastWatch(uri) },
    validation: { check: doc => clusterValidation.check(doc) },
    logs: { activeChannels: () => logs.activeChannels(), tail: name => logs.tail(name) },
    exec: { openShell: (arg, o) => exec.openShell(arg, o), activeShells: () => exec.activeShells() },
    variables,
    events,
  };
}

export function deactivate(): void { /* every resource is in context.subscriptions */ }
