import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  effectiveValue,
  settingDefault,
  type InspectedSetting,
  type SettingContext,
  type SettingKey,
  type SettingTypes,
} from './shared/settings';

/** What a settings change requires of the running extension. */
export type ConfigImpact = 'none' | 'restartLanguageServer' | 'reconnect';

/** Settings whose change restarts the language server, and those that reconnect the cluster. */
const RESTART_SERVER = ['nomad.languageServer', 'nomad.trace.server'];
const RECONNECT = ['nomad.address', 'nomad.namespace', 'nomad.region', 'nomad.tls', 'nomad.clusters', 'nomad.consul'];

const reported = new Set<string>();

/** The section and the name in it of a full key (`nomad.run.planFirst` → `nomad.run`, `planFirst`). */
function split(key: SettingKey): { section: string; name: string } {
  const dot = key.lastIndexOf('.');
  return { section: key.slice(0, dot), name: key.slice(dot + 1) };
}

/**
 * The one way the extension reads a `nomad.*` setting: through the rules of src/shared/settings.ts
 * (what a folder may set), with the default of src/shared/settings.ts (SETTING_DEFAULTS, held to
 * package.json by a unit test). `key` is the full key (`nomad.run.watchTimeoutMinutes`), which types
 * the value; `scope` the resource a resource-scoped setting is read for. A refused value is logged once
 * per session.
 */
export function readSetting<K extends SettingKey>(
  key: K,
  scope?: vscode.Uri,
  log?: (message: string) => void,
): SettingTypes[K] {
  const { section, name } = split(key);
  const cfg = vscode.workspace.getConfiguration(section, scope);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
  const ctx: SettingContext = {
    trusted: vscode.workspace.isTrusted,
    folders,
    realpath: p => fs.realpathSync(p),
    ...(folder && folder.uri.scheme === 'file' ? { folder: folder.uri.fsPath } : {}),
  };
  const r = effectiveValue<SettingTypes[K]>(key, cfg.inspect<SettingTypes[K]>(name), settingDefault(key), ctx);
  if (log) {
    for (const why of r.refused) {
      if (reported.has(why)) continue;
      reported.add(why);
      log(`settings: ${why}`);
    }
  }
  return r.value;
}

/** Where each layer of a setting is set (user, workspace, folder), unjudged: to tell whether a workspace
 *  sets it, or what the user's own value is. Not a value to use (that is readSetting). */
export function inspectSetting<K extends SettingKey>(key: K): InspectedSetting<SettingTypes[K]> | undefined {
  const { section, name } = split(key);
  return vscode.workspace.getConfiguration(section).inspect<SettingTypes[K]>(name);
}

/** Writes a setting (Add/Rename/Remove Cluster write nomad.clusters to the user's settings). */
export function updateSetting<K extends SettingKey>(
  key: K,
  value: SettingTypes[K],
  target: vscode.ConfigurationTarget,
): Thenable<void> {
  const { section, name } = split(key);
  return vscode.workspace.getConfiguration(section).update(name, value, target);
}

/** Typed view of the `nomad.*` settings. Read on demand; never cached across a change. */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<{
    impact: ConfigImpact;
    event: vscode.ConfigurationChangeEvent;
  }>();
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

  get languageServerEnabled(): boolean {
    return readSetting('nomad.languageServer.enable');
  }
  get languageServerPath(): string {
    return String(readSetting('nomad.languageServer.path')).trim();
  }
  get traceServer(): 'off' | 'messages' | 'verbose' {
    return readSetting('nomad.trace.server');
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
