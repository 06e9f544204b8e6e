import * as vscode from 'vscode';
import { Config } from './config';
import { Logger } from './logger';
import { LanguageClientFeature } from './client/languageClient';
import { CommandTable, registerCommands } from './commands';
import { EmptyClusterTree } from './views/emptyTree';

/** What the extension hands to other extensions and to its own integration tests. */
export interface NomadExtensionApi {
  readonly languageServerRunning: () => boolean;
  readonly commandIds: readonly string[];
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
  context.subscriptions.push(language);

  // Views: until a cluster is connected they are empty and show their viewsWelcome text.
  void vscode.commands.executeCommand('setContext', 'nomad.connected', false);
  const jobsTree = new EmptyClusterTree();
  const servicesTree = new EmptyClusterTree();
  context.subscriptions.push(
    vscode.window.createTreeView('nomad.jobs', { treeDataProvider: jobsTree, showCollapseAll: true }),
    vscode.window.createTreeView('nomad.services', { treeDataProvider: servicesTree }),
  );

  const commands: CommandTable = {
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
          `Nomad language server ${s.version}: running for ${s.uptimeSeconds} s, ${s.openDocuments} open document(s), ${mib} MiB (pid ${s.pid}).`);
        return s;
      } catch (e) {
        const choice = await vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e), 'Restart', 'Open Output');
        if (choice === 'Restart') await language.restart();
        if (choice === 'Open Output') log.show();
        return undefined;
      }
    },
  };
  context.subscriptions.push(...registerCommands(commands));

  context.subscriptions.push(config.onDidChange(({ impact }) => {
    if (impact === 'restartLanguageServer') void language.restart();
  }));

  // Starting the client does no parsing in this process and no network I/O.
  void language.start().catch(async () => {
    const choice = await vscode.window.showErrorMessage('The Nomad language server could not start.', 'Open Output');
    if (choice) log.show();
  });

  return { languageServerRunning: () => language.running, commandIds: Object.keys(commands) };
}

export function deactivate(): void { /* every resource is in context.subscriptions */ }
