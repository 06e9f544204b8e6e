import * as vscode from 'vscode';

/** What a settings change requires of the running extension. */
export type ConfigImpact = 'none' | 'restartLanguageServer' | 'reconnect';

/** Settings whose change restarts the language server, and those that reconnect the cluster. */
const RESTART_SERVER = ['nomad.languageServer', 'nomad.trace.server'];
const RECONNECT = ['nomad.address', 'nomad.namespace', 'nomad.region', 'nomad.tls', 'nomad.clusters', 'nomad.consul'];

/** Typed view of the `nomad.*` settings. Read on demand; never cached across a change. */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<{ impact: ConfigImpact; event: vscode.ConfigurationChangeEvent }>();
  /** Fires after a `nomad.*` setting changed, with what that change requires. */
  readonly onDidChange = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor() {
    this.sub = vscode.workspace.onDidChangeConfiguration(e => {
      if (!e.affectsConfiguration('nomad')) return;
      this.emitter.fire({ impact: Config.impactOf(k => e.affectsConfiguration(k)), event: e });
    });
  }

  /** Pure: which impact a change has, given a predicate telling which keys it affects. */
  static impactOf(affects: (key: string) => boolean): ConfigImpact {
    if (RECONNECT.some(affects)) return 'reconnect';
    if (RESTART_SERVER.some(affects)) return 'restartLanguageServer';
    return 'none';
  }

  private get section(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration('nomad'); }

  get languageServerEnabled(): boolean { return this.section.get<boolean>('languageServer.enable', true); }
  get languageServerPath(): string { return this.section.get<string>('languageServer.path', '').trim(); }
  get traceServer(): 'off' | 'messages' | 'verbose' { return this.section.get('trace.server', 'off'); }

  dispose(): void { this.sub.dispose(); this.emitter.dispose(); }
}
