import * as vscode from 'vscode';
import { randomBytes } from 'crypto';
import type { PlanFromWebview, PlanToWebview } from '../shared/protocol';
import type { Shown } from '../untrusted/shown';

/**
 * A webview panel for one job file's plan. Strict CSP (`default-src 'none'`, script by nonce only, no
 * 'unsafe-inline'/'unsafe-eval'), narrow localResourceRoots, a `ready` handshake before anything is
 * posted, and typed messages both ways.
 */
export class PlanPanel implements vscode.Disposable {
  static readonly viewType = 'nomad.plan';
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private queue: PlanToWebview[] = [];
  private readonly subs: vscode.Disposable[] = [];
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;
  /** The last message of each kind, replayed if the webview reloads. */
  private lastPlan: PlanToWebview | undefined;

  /** `column`: where to open (the one column beside the editor that plans share); focus stays in the editor. */
  constructor(extensionUri: vscode.Uri, title: Shown, private readonly onMessage: (m: PlanFromWebview) => void, column: vscode.ViewColumn = vscode.ViewColumn.Beside) {
    this.panel = vscode.window.createWebviewPanel(PlanPanel.viewType, title, { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nomad.svg');
    this.panel.webview.html = PlanPanel.html(this.panel.webview, extensionUri);
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: PlanFromWebview) => {
        if (m.type === 'ready') {
          this.ready = true;
          const pending = this.queue.splice(0);
          if (!pending.length && this.lastPlan) pending.push(this.lastPlan);
          for (const q of pending) void this.panel.webview.postMessage(q);
          return;
        }
        this.onMessage(m);
      }),
      this.panel.onDidDispose(() => { this.closed.fire(); this.dispose(); }),
    );
  }

  post(m: PlanToWebview): void {
    if (m.type === 'plan') this.lastPlan = m;
    if (this.ready) void this.panel.webview.postMessage(m); else this.queue.push(m);
  }

  static html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'plan.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'plan.css'));
    const csp = [
      `default-src 'none'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Nomad plan</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
    this.closed.dispose();
  }
}
