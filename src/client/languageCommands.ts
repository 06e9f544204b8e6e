import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import type { Logger } from '../logger';
import type { LanguageClientFeature } from './languageClient';
import { plain, plainText } from '../untrusted/shown';

/** The language server's commands: Restart, Show Status, and the extension's output channel. */
export function languageServerCommands(language: LanguageClientFeature, log: Logger): CommandTable {
  return {
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
          plain`Nomad language server ${s.version}: running for ${s.uptimeSeconds} s, ${s.openDocuments} open document(s), ${mib} MiB (pid ${s.pid}).`,
        );
        return s;
      } catch (e) {
        const choice = await vscode.window.showErrorMessage(
          plainText(e instanceof Error ? e.message : e),
          'Restart',
          'Open Output',
        );
        if (choice === 'Restart') await language.restart();
        if (choice === 'Open Output') log.show();
        return undefined;
      }
    },
  };
}
