import * as vscode from 'vscode';
import { plain, type Shown } from '../nomad/display';

/**
 * One notification for one deployment, updated in place while it is watched (the evaluation, the
 * deployment's progress, a task failing, Nomad's restarts and rollback), and a status bar item that
 * stops the watch. VS Code's progress notification can only offer a button labelled "Cancel", which
 * would read as if it stopped the deployment: the notification offers none, and "Stop Watching" is
 * said where it is (the status bar item, the plan view, the command "Nomad: Stop Watching the Deployment").
 * The final message with the cause and the actions is the caller's, after `end()`.
 */
export class DeploymentNotice implements vscode.Disposable {
  private readonly ac = new AbortController();
  private readonly item: vscode.StatusBarItem;
  private progress: vscode.Progress<{ message?: string }> | undefined;
  private done!: () => void;
  private readonly finished = new Promise<void>(r => {
    this.done = r;
  });
  private text: Shown | undefined;
  private ended = false;
  readonly signal = this.ac.signal;

  /** `jobId` is a cluster string: shown through plain``. `watching` is the owner's set of watches under
   *  way (for the Stop Watching command): the notice is in it until it ends. */
  constructor(
    readonly jobId: string,
    private readonly watching: Set<DeploymentNotice>,
  ) {
    this.item = vscode.window.createStatusBarItem('nomad.deploymentWatch', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Nomad deployment watch';
    this.item.text = plain`$(eye) ${jobId}: Stop Watching`;
    this.item.tooltip = plain`Stop watching the deployment of ${jobId} (it goes on in the cluster)`;
    this.item.command = { title: 'Stop Watching', command: 'nomad.stopWatchingDeployment', arguments: [{ jobId }] };
    this.item.show();
    watching.add(this);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: plain`Nomad: deploying ${jobId}`, cancellable: false },
      p => {
        this.progress = p;
        if (this.text) p.report({ message: this.text });
        return this.finished;
      },
    );
  }

  /** The current state in our words (cluster strings in it already made plain by the caller). */
  update(text: Shown, title?: string): void {
    this.text = text;
    if (title) this.item.tooltip = plain`${title} — stop watching (it goes on in the cluster)`;
    this.progress?.report({ message: this.text });
  }

  /** Stop watching (the deployment goes on in the cluster). */
  stop(): void {
    this.ac.abort();
  }

  /** The watch is over: the notification closes (the caller shows the one final message). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.watching.delete(this);
    this.item.dispose();
    this.done();
  }

  dispose(): void {
    this.stop();
    this.end();
  }
}
