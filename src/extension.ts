import * as vscode from 'vscode';
import { Config } from './config';
import { Logger } from './logger';
import { LanguageClientFeature } from './client/languageClient';
import { ClusterSnapshotFeature } from './cluster/snapshotFeature';
import { commandTable, registerCommands } from './commands';
import { ClusterConnection, type ConnectionState } from './cluster/connection';
import type { ClusterModel } from './nomad/tree/model';
import { JobsTreeProvider } from './views/jobsTree';
import { ServicesTreeProvider } from './views/servicesTree';
import { ClusterCommands } from './commands/clusters';
import { JobsCommands } from './commands/jobs';
import { ServicesCommands } from './commands/services';
import { PlanFeature } from './plan/planFeature';
import { ClusterValidation } from './client/clusterValidation';
import { FileKindFeature } from './client/fileKind';
import { showReferencesCommands } from './client/showReferences';
import { languageServerCommands } from './client/languageCommands';
import { WalkthroughFeature } from './client/walkthrough';
import { LogsFeature } from './logs/logsFeature';
import { ExecFeature } from './exec/execFeature';
import { VariablesFeature } from './variables/variablesFeature';
import { EventsFeature } from './events/eventsFeature';
import { HistoryFeature } from './history/historyFeature';
import { NodesFeature } from './nodes/nodesFeature';
import type { TargetVersionInfo } from './shared/protocol';

/** What the extension hands to other extensions and to its own integration tests. */
export interface NomadExtensionApi {
  readonly languageServerRunning: () => boolean;
  /** The Nomad version job files are checked against, as the server last reported it, and its status bar item. */
  readonly language: {
    target: () => TargetVersionInfo | undefined;
    statusBar: () => { text: string; tooltip: string };
  };
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
  readonly plans: {
    planOf: (uri: vscode.Uri) => ReturnType<PlanFeature['planOf']>;
    runShownPlan: (uri: vscode.Uri) => Promise<void>;
    lastWatch: PlanFeature['lastWatch'];
  };
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
  const fileKind = new FileKindFeature(() => language.languageClient, log);
  context.subscriptions.push(language, fileKind);
  const walkthrough = new WalkthroughFeature(context.extension.id);

  // The cluster connection (lazy: no network I/O until a view is shown or a command needs it) and the
  // views that follow it. Everything tied to one connection lives in the connection's own scope.
  const connection = new ClusterConnection(context, log);
  // the language server checks job files against the connected cluster's Nomad version
  language.followCluster(connection, context.globalState);
  context.subscriptions.push(new ClusterSnapshotFeature(connection, s => language.sendClusterSnapshot(s), log));
  const jobsTree = new JobsTreeProvider(connection, log);
  const servicesTree = new ServicesTreeProvider(connection, log);
  const jobsView = vscode.window.createTreeView('nomad.jobs', { treeDataProvider: jobsTree, showCollapseAll: true });
  const servicesView = vscode.window.createTreeView('nomad.services', {
    treeDataProvider: servicesTree,
    showCollapseAll: true,
  });
  context.subscriptions.push(connection, jobsTree, servicesTree, jobsView, servicesView);
  context.subscriptions.push(jobsTree.attach(jobsView), servicesTree.attach(servicesView));
  void vscode.commands.executeCommand('setContext', 'nomad.connected', false);
  const connectWhenShown = (e: vscode.TreeViewVisibilityChangeEvent) => {
    if (e.visible && connection.state.kind === 'disconnected') void connection.connect();
  };
  context.subscriptions.push(
    jobsView.onDidChangeVisibility(connectWhenShown),
    servicesView.onDidChangeVisibility(connectWhenShown),
  );
  if (jobsView.visible || servicesView.visible) void connection.connect();
  // With an address configured (a setting or NOMAD_ADDR), a Nomad file open is reason enough to connect:
  // its checks then follow the cluster's version and Nomad's own validation from the start, not from the
  // first Plan. Once, after activation (activation itself does no network I/O).
  let connectedForFiles = false;
  const connectForFile = (d: vscode.TextDocument) => {
    if (
      connectedForFiles ||
      d.languageId !== 'nomad' ||
      connection.state.kind !== 'disconnected' ||
      !connection.hasConfiguredAddress()
    )
      return;
    connectedForFiles = true;
    log.info('a Nomad file is open and a cluster address is configured: connecting');
    void connection.connect();
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(connectForFile));
  setImmediate(() => {
    for (const d of vscode.workspace.textDocuments) connectForFile(d);
  });
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

  // The one table of commands: every feature contributes its entries, and they are registered here only.
  const commands = commandTable(
    new ClusterCommands(connection, () => {
      jobsTree.refresh();
      servicesTree.refresh();
    }).commands(),
    new JobsCommands(connection, jobsTree, log).commands(),
    new ServicesCommands(connection, servicesTree, log).commands(),
    plans.commands(),
    walkthrough.commands(),
    logs.commands(),
    exec.commands(),
    variables.commands(),
    events.commands(),
    history.commands(),
    nodeActions.commands(),
    fileKind.commands(),
    showReferencesCommands(),
    languageServerCommands(language, log),
  );
  context.subscriptions.push(...registerCommands(commands));

  context.subscriptions.push(
    config.onDidChange(({ impact }) => {
      if (impact === 'restartLanguageServer') void language.restart();
      if (impact === 'reconnect' && connection.state.kind !== 'disconnected') void connection.connect();
    }),
  );

  // Starting the client does no parsing in this process and no network I/O.
  void language.start().catch(async () => {
    const choice = await vscode.window.showErrorMessage('The Nomad language server could not start.', 'Open Output');
    if (choice) log.show();
  });

  return {
    languageServerRunning: () => language.running,
    language: { target: () => language.target, statusBar: () => language.statusBar() },
    commandIds: Object.keys(commands),
    cluster: {
      state: () => connection.state,
      model: () => jobsTree.cluster,
      connect: () => connection.connect(),
      switchCluster: name => connection.switchCluster(name),
      setToken: t => connection.setToken(t),
      statusBar: () => connection.statusBar(),
      jobsTree,
      servicesTree,
    },
    plans: {
      planOf: uri => plans.planOf(uri),
      runShownPlan: uri => plans.runShownPlan(uri),
      lastWatch: uri => plans.lastWatch(uri),
    },
    validation: { check: doc => clusterValidation.check(doc) },
    logs: { activeChannels: () => logs.activeChannels(), tail: name => logs.tail(name) },
    exec: { openShell: (arg, o) => exec.openShell(arg, o), activeShells: () => exec.activeShells() },
    variables,
    events,
  };
}

export function deactivate(): void {
  /* every resource is in context.subscriptions */
}
