import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { effectiveValue, type SettingContext } from './shared/settings';

/** What a settings change requires of the running extension. */
export type ConfigImpact = 'none' | 'restartLanguageServer' | 'reconnect';

/** Settings whose change restarts the language server, and those that reconnect the cluster. */
const RESTART_SERVER = ['nomad.languageServer', 'nomad.trace.server'];
const RECONNECT = ['nomad.address', 'nomad.namespace', 'nomad.region', 'nomad.tls', 'nomad.clusters', 'nomad.consul'];

const reported = new Set<string>();

/**
 * The one way the extension reads a `nomad.*` setting: through the rules of src/shared/settings.ts
 * (what a folder may set). `key` is the full key (`nomad.run.watchTimeoutMinutes`); `scope` the
 * resource a resource-scoped setting is read for. A refused value is logged once per session.
 */
export function readSetting<T>(key: string, fallback: T, scope?: vscode.Uri, log?: (message: string) => void): T {
  const dot = key.lastIndexOf('.');
  const cfg = vscode.workspace.getConfiguration(key.slice(0, dot), scope);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
  const ctx: SettingContext = {
    trusted: vscode.workspace.isTrusted, folders, realpath: p => fs.realpathSync(p),
    ...(folder && folder.uri.scheme === 'file' ? { folder: folder.uri.fsPath } : {}),
  };
  const r = effectiveValue<T>(key, cfg.inspect<T>(key.slice(dot + 1)), fallback, ctx);
  if (log) {
    for (const why of r.refused) {
      if (reported.has(why)) continue;
      reported.add(why);
      log(`settings: ${why}`);
    }
  }
  return r.value;
}

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

  get languageServerEnabled(): boolean { return readSetting<boolean>('nomad.languageServer.enable', true); }
  get languageServerPath(): string { return String(readSetting<string>('nomad.languageServer.path', '')).trim(); }
  get traceServer(): 'off' | 'messages' | 'verbose' { return readSetting('nomad.trace.server', 'off'); }

  dispose(): void { this.sub.dispose(); this.emitter.dispose(); }
}
