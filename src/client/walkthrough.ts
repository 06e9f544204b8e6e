import * as vscode from 'vscode';
import { readSetting } from '../config';

const WALKTHROUGH = 'nomad.getStarted';

/** "Nomad: Get Started" opens the walkthrough; a workspace that sets nomad.walkthrough.openOnStart (the
 *  demo's) gets it opened when the extension starts. */
export class WalkthroughFeature implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionId: string) {
    this.disposables.push(vscode.commands.registerCommand('nomad.getStarted', () => this.open()));
    if (readSetting<boolean>('nomad.walkthrough.openOnStart', false)) void this.open();
  }

  private async open(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.extensionId}#${WALKTHROUGH}`, false);
  }

  dispose(): void { for (const d of this.disposables) d.dispose(); }
}
