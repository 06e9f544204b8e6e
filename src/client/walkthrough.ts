import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import { readSetting } from '../config';

const WALKTHROUGH = 'nomad.getStarted';
/** "Nomad: Get Started" (the command has the walkthrough's id). */
const WALKTHROUGH_COMMAND = 'nomad.getStarted';

/** Context keys the walkthrough's steps complete on (package.json `completionEvents: onContext:…`):
 *  set by what the step asks for, wherever it is done (the plan view's Run button included). */
export const WalkthroughContext = {
  /** a plan was submitted (Run in the plan view, or Run Job with nomad.run.planFirst off) */
  ran: 'nomad.walkthrough.ran',
  /** a deployment that was run failed and its cause was reported ("Change it, and break it") */
  broke: 'nomad.walkthrough.broke',
} as const;

export function markWalkthrough(key: (typeof WalkthroughContext)[keyof typeof WalkthroughContext]): void {
  void vscode.commands.executeCommand('setContext', key, true);
}

/** "Nomad: Get Started" opens the walkthrough; a workspace that sets nomad.walkthrough.openOnStart (the
 *  demo's) gets it opened when the extension starts. "Open a File of the Walkthrough Beside It" opens a
 *  file of the workspace by name in the column beside the walkthrough, so both stay visible. */
export class WalkthroughFeature {
  constructor(private readonly extensionId: string) {
    if (readSetting('nomad.walkthrough.openOnStart')) void this.open();
  }

  private async open(): Promise<void> {
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${this.extensionId}#${WALKTHROUGH}`,
      false,
    );
  }

  /** `nomad.openWalkthroughFile`: the first file of the workspace with this name (the shallowest),
   *  beside the walkthrough; Quick Open with the name when there is none. */
  async openFile(name: unknown): Promise<vscode.TextEditor | undefined> {
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) return undefined;
    const found = await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 20);
    const uri = found.sort(
      (a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path),
    )[0];
    if (!uri) {
      await vscode.commands.executeCommand('workbench.action.quickOpen', name);
      return undefined;
    }
    return vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  /** Get Started, and the walkthrough's Open a File of the Walkthrough Beside It. */
  commands(): CommandTable {
    return {
      [WALKTHROUGH_COMMAND]: () => this.open(),
      'nomad.openWalkthroughFile': (name?: unknown) => this.openFile(name),
    };
  }
}
