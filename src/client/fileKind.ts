import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import { plain } from '../nomad/display';
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import { Notifications, Requests, type NomadFileKind, type SetFileKindParams } from '../shared/protocol';

/** The part of the language client this feature uses (a LanguageClient fits): typed requests only. */
export interface FileKindClient {
  sendRequest<P, R, E>(type: RequestType<P, R, E>, params: P): Promise<R>;
  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> | void;
}

/** The part of the logger this feature uses. */
export interface FileKindLog {
  error(message: string, err?: unknown): void;
}

/** Command id to contribute in package.json ("Nomad: Set File Kind…"). */
export const SET_FILE_KIND_COMMAND = 'nomad.setFileKind';

const LABELS: Record<NomadFileKind, string> = {
  job: 'job',
  agent: 'agent config',
  volume: 'volume',
  acl: 'ACL policy',
  namespace: 'namespace',
  nodepool: 'node pool',
  quota: 'quota',
  variable: 'variable spec',
  vars: 'variables',
  unknown: 'unknown',
};

interface KindPick extends vscode.QuickPickItem {
  fileKind: NomadFileKind | null;
}

const PICKS: KindPick[] = [
  { label: 'Auto-detect', description: 'decide from the content', fileKind: null },
  { label: 'Job', description: 'job "…" { … }', fileKind: 'job' },
  { label: 'Agent configuration', description: 'nomad agent -config', fileKind: 'agent' },
  { label: 'Volume specification', description: 'nomad volume create / register', fileKind: 'volume' },
  { label: 'ACL policy', description: 'nomad acl policy apply', fileKind: 'acl' },
  { label: 'Namespace specification', description: 'nomad namespace apply', fileKind: 'namespace' },
  { label: 'Node pool specification', description: 'nomad node pool apply', fileKind: 'nodepool' },
  { label: 'Quota specification', description: 'nomad quota apply', fileKind: 'quota' },
  { label: 'Variable specification', description: 'nomad var put @file', fileKind: 'variable' },
  { label: 'Variables file', description: 'nomad job run -var-file', fileKind: 'vars' },
];

/** How long to wait after an edit before asking the server again (the kind may change as one types). */
const REFRESH_MS = 400;

/**
 * Shows what the active Nomad document is ("Nomad: job", "Nomad: agent config" …) in the status bar and
 * lets the user override it with "Nomad: Set File Kind…" (custom LSP notification nomad/setFileKind;
 * the kind comes from the request nomad/fileKind).
 */
export class FileKindFeature implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly client: FileKindClient | (() => FileKindClient | undefined),
    private readonly log: FileKindLog,
    private readonly languageId = 'nomad',
  ) {
    this.item = vscode.window.createStatusBarItem('nomad.fileKind', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Nomad File Kind';
    this.item.command = SET_FILE_KIND_COMMAND;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeTextDocument(e => {
        if (e.document === vscode.window.activeTextEditor?.document) this.refreshSoon();
      }),
    );
    void this.refresh();
  }

  private get lc(): FileKindClient | undefined {
    return typeof this.client === 'function' ? this.client() : this.client;
  }

  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_MS);
  }

  /** Asks the server for the active document's kind and updates the status bar item. */
  async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.lc;
    if (!doc || doc.languageId !== this.languageId || !client) {
      this.item.hide();
      return;
    }
    const seq = ++this.seq;
    try {
      const r = await client.sendRequest(Requests.fileKind, { uri: doc.uri.toString() });
      if (seq !== this.seq) return; // a newer refresh is under way
      if (!r) {
        this.item.hide();
        return;
      }
      this.item.text = plain`Nomad: ${LABELS[r.kind] ?? r.kind}${r.overridden ? ' (set)' : ''}`;
      this.item.tooltip = r.overridden
        ? plain`Treated as ${LABELS[r.kind]} (chosen; detected: ${LABELS[r.detected]}). Click to change.`
        : plain`Detected as ${LABELS[r.kind]} from the content. Click to choose another kind.`;
      this.item.show();
    } catch (e) {
      this.log.error('nomad/fileKind failed', e);
      this.item.hide();
    }
  }

  /** "Nomad: Set File Kind…": quick pick, then nomad/setFileKind for the document. */
  async pick(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const client = this.lc;
    if (!target) {
      void vscode.window.showInformationMessage('Open a Nomad file first.');
      return;
    }
    if (!client) {
      void vscode.window.showWarningMessage('The Nomad language server is not running.');
      return;
    }
    const choice = await vscode.window.showQuickPick(PICKS, {
      title: 'Nomad: Set File Kind',
      placeHolder: 'What is this file?',
    });
    if (!choice) return;
    const params: SetFileKindParams = { uri: target.toString(), kind: choice.fileKind };
    try {
      await client.sendNotification(Notifications.setFileKind, params);
    } catch (e) {
      this.log.error('nomad/setFileKind failed', e);
    }
    await this.refresh();
  }

  /** Set File Kind. */
  commands(): CommandTable {
    return { [SET_FILE_KIND_COMMAND]: (uri?: vscode.Uri) => this.pick(uri) };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
