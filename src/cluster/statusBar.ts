import * as vscode from 'vscode';
import { describeStatus, type StatusInput } from '../nomad/connectionState';

/** The cluster's status bar item: cluster, namespace, region and the connection's state; a click
 *  switches cluster. What it says is nomad/connectionState.ts's describeStatus. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('nomad.cluster', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Nomad Cluster';
    this.item.command = 'nomad.switchCluster';
  }

  show(): void {
    this.item.show();
  }

  render(input: StatusInput): void {
    const v = describeStatus(input);
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor = v.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** What the item shows. */
  shown(): { text: string; tooltip: string } {
    const t = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof t === 'string' ? t : (t?.value ?? '') };
  }

  dispose(): void {
    this.item.dispose();
  }
}
