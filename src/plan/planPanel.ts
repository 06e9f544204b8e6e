import * as vscode from 'vscode';
import { randomBytes } from 'crypto';
import type { PlanFromWebview, PlanToWebview } from '../nomad/plan/messages';
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
  /** The last message of each kind, replayed if the webview reloads (as it may when moved to another group). */
  private readonly last = new Map<PlanToWebview['type'], PlanToWebview>();
  private disposed = false;

  /** `column`: where to open; focus stays in the editor unless `preserveFocus` is false. */
  constructor(
    extensionUri: vscode.Uri,
    title: Shown,
    private readonly onMessage: (m: PlanFromWebview) => void,
    column: vscode.ViewColumn = vscode.ViewColumn.Beside,
    preserveFocus = true,
  ) {
    this.panel = vscode.window.createWebviewPanel(
      PlanPanel.viewType,
      title,
      { viewColumn: column, preserveFocus },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [
          vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
          vscode.Uri.joinPath(extensionUri, 'media'),
        ],
      },
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nomad.svg');
    this.panel.webview.html = PlanPanel.html(this.panel.webview, extensionUri);
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: PlanFromWebview) => {
        if (m.type === 'ready') {
          this.ready = true;
          const pending = this.queue.splice(0);
          // a reload: what was shown last, in order (the plan, then what is true of it, then the run)
          if (!pending.length)
            for (const k of ['plan', 'planning', 'planError', 'status', 'run'] as const) {
              const m = this.last.get(k);
              if (m) pending.push(m);
            }
          for (const q of pending) this.send(q);
          return;
        }
        this.onMessage(m);
      }),
      this.panel.onDidDispose(() => {
        this.disposed = true;
        this.closed.fire();
        this.dispose();
      }),
    );
  }

  /** Post to the view; after it closed, nothing (a run it showed goes on without it). */
  post(m: PlanToWebview): void {
    if (this.disposed) return;
    if (m.type === 'plan' || m.type === 'planning' || m.type === 'planError') {
      this.last.delete('plan');
      this.last.delete('planning');
      this.last.delete('planError');
      this.last.delete('status');
      this.last.delete('run');
    }
    this.last.set(m.type, m);
    if (this.ready) this.send(m);
    else this.queue.push(m);
  }

  private send(m: PlanToWebview): void {
    if (this.disposed) return;
    try {
      void this.panel.webview.postMessage(m).then(undefined, () => undefined);
    } catch {
      /* closed meanwhile */
    }
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
    this.disposed = true;
    for (const s of this.subs.splice(0)) s.dispose();
    this.closed.dispose();
  }
}
