import * as vscode from 'vscode';
import { NomadClient } from '../nomad/client';
import { ConsulClient } from '../consul/client';
import { resolveConnection, readConsulToken, type NomadSettings, type ResolvedConnection, type ClusterProfile } from '../nomad/config';
import { isNomadError, type NomadError } from '../nomad/errors';
import { nodeFiles } from '../nomad/transport';
import type { Logger } from '../logger';
import { showNomadError } from './errorUi';
import * as fs from 'fs';

export type ConnectionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; cluster: string }
  | { kind: 'connected'; cluster: string; leader: string }
  | { kind: 'unauthorized'; cluster: string; message: string }
  | { kind: 'error'; cluster: string; message: string; error: unknown };

/** One entry of the `nomad.clusters` setting: a named cluster (never a token). */
export interface ClusterSetting extends NomadSettings { name: string }

const CURRENT_KEY = 'nomad.currentCluster';
const NS_KEY = (cluster: string) => `nomad.namespaceOverride.${cluster}`;
const TOKEN_KEY = (cluster: string) => `nomad.token.${cluster}`;
export const DEFAULT_CLUSTER = 'default';

/**
 * The current cluster connection: which named cluster, its client(s), its token (SecretStorage only),
 * the status bar, and the connection-scoped cleanup scope (disposed and rebuilt on every reconnect).
 * Connecting is lazy: activation never touches the network.
 */
export class ClusterConnection implements vscode.Disposable {
  private _state: ConnectionState = { kind: 'disconnected' };
  private _client: NomadClient | undefined;
  private _consul: ConsulClient | undefined;
  private _resolved: ResolvedConnection | undefined;
  private scope: vscode.Disposable[] = [];
  private connecting: Promise<void> | undefined;
  private connectAgain: Promise<void> | undefined;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly emitter = new vscode.EventEmitter<ConnectionState>();
  /** Fires on every state change (and after each reconnect). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('nomad.cluster', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'Nomad Cluster';
    this.statusItem.command = 'nomad.switchCluster';
    this.renderStatus();
    this.statusItem.show();
  }

  get state(): ConnectionState { return this._state; }
  get client(): NomadClient | undefined { return this._state.kind === 'connected' ? this._client : undefined; }
  get consul(): ConsulClient | undefined { return this._state.kind === 'connected' ? this._consul : undefined; }
  get resolved(): ResolvedConnection | undefined { return this._resolved; }
  get profile(): ClusterProfile | undefined { return this._resolved?.profile; }
  /** Namespace the views and commands use (`*` = all namespaces). */
  get namespace(): string { return this._resolved?.profile.namespace ?? 'default'; }

  /** Register something that must live exactly as long as the current connection. */
  addToScope(...d: vscode.Disposable[]): void { this.scope.push(...d); }

  // ---- clusters ------------------------------------------------------------------------------------

  private settings(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration('nomad'); }

  clusterSettings(): ClusterSetting[] {
    const list = this.settings().get<ClusterSetting[]>('clusters', []);
    return Array.isArray(list) ? list.filter(c => c && typeof c.name === 'string' && c.name.trim() !== '') : [];
  }

  clusterNames(): string[] { return [DEFAULT_CLUSTER, ...this.clusterSettings().map(c => c.name).filter(n => n !== DEFAULT_CLUSTER)]; }

  currentCluster(): string {
    const name = this.context.globalState.get<string>(CURRENT_KEY, DEFAULT_CLUSTER);
    return this.clusterNames().includes(name) ? name : DEFAULT_CLUSTER;
  }

  /** The settings that describe a cluster: `nomad.*` for the default one, a `nomad.clusters` entry otherwise. */
  settingsFor(name: string): NomadSettings {
    const s = this.settings();
    if (name !== DEFAULT_CLUSTER) {
      const entry = this.clusterSettings().find(c => c.name === name);
      if (entry) return { ...entry, consul: { ...readConsul(s), ...(entry.consul ?? {}) } };
    }
    return {
      name: s.get<string>('clusterName', '') || DEFAULT_CLUSTER,
      address: s.get<string>('address', ''), namespace: s.get<string>('namespace', ''), region: s.get<string>('region', ''),
      caCert: s.get<string>('tls.caCert', ''), caPath: s.get<string>('tls.caPath', ''), clientCert: s.get<string>('tls.clientCert', ''),
      clientKey: s.get<string>('tls.clientKey', ''), tlsServerName: s.get<string>('tls.serverName', ''),
      skipVerify: s.get<boolean>('tls.skipVerify', false), consul: readConsul(s),
    };
  }

  resolve(name = this.currentCluster()): ResolvedConnection {
    // named clusters do not inherit NOMAD_* from the environment: they say where they are
    const env = name === DEFAULT_CLUSTER ? this.env : {};
    const r = resolveConnection(this.settingsFor(name), env);
    const ns = this.context.globalState.get<string>(NS_KEY(name));
    if (ns) r.profile.namespace = ns;
    return r;
  }

  // ---- connecting ----------------------------------------------------------------------------------

  /** Connect (once) if not connected; resolves when the attempt ended, whatever its outcome. */
  ensureConnected(): Promise<void> {
    if (this._state.kind === 'connected') return Promise.resolve();
    // an attempt under way is what the caller waits for: no second one behind it
    return this.connectAgain ?? this.connecting ?? this.connect();
  }

  /**
   * Connect to the current cluster. An attempt already running read the cluster, token and settings
   * when it began; a call made meanwhile (a switch, a new token, a settings change) gets one more
   * attempt after it, shared by every call made during the same attempt, so the last request wins.
   */
  connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.doConnect().finally(() => { this.connecting = undefined; });
      return this.connecting;
    }
    this.connectAgain ??= this.connecting.then(() => { this.connectAgain = undefined; return this.connect(); });
    return this.connectAgain;
  }

  private async doConnect(): Promise<void> {
    this.teardown();
    const name = this.currentCluster();
    const resolved = this.resolve(name);
    this._resolved = resolved;
    const token = (await this.context.secrets.get(TOKEN_KEY(name))) ?? resolved.envToken;
    this.log.redact(token);
    this.log.redact(resolved.httpAuth);
    this._client = new NomadClient({ profile: resolved.profile, token, httpAuth: resolved.httpAuth, files: nodeFiles, userAgent: `nomad-vscode/${String((this.context.extension.packageJSON as { version?: string }).version)}` });
    let consulToken: string | undefined;
    try { consulToken = readConsulToken(resolved.consul, p => fs.readFileSync(p, 'utf8')); } catch (e) { this.log.warn(`could not read the Consul token file: ${String(e)}`); }
    this.log.redact(consulToken);
    this._consul = new ConsulClient({ connection: resolved.consul, token: consulToken, files: nodeFiles });
    this.setState({ kind: 'connecting', cluster: name });
    this.log.info(`connecting to ${name} at ${resolved.profile.address} (namespace ${resolved.profile.namespace ?? 'default'})`);
    try {
      const leader = (await this._client.leader({ timeoutMs: 10_000 })).body;
      // an authorised read: a wrong token is refused here, not at the first user action
      await this._client.listJobs({ prefix: '\u0000nomad-vscode-probe', timeoutMs: 10_000 });
      this.setState({ kind: 'connected', cluster: name, leader });
      this.log.info(`connected to ${name}: leader ${leader}`);
    } catch (e) {
      const err = e as NomadError;
      if (isNomadError(e) && err.kind === 'unauthorized') {
        this.setState({ kind: 'unauthorized', cluster: name, message: err.message });
      } else {
        this.setState({ kind: 'error', cluster: name, message: e instanceof Error ? e.message : String(e), error: e });
      }
      this.log.error(`could not connect to ${name}`, e);
    }
  }

  private teardown(): void {
    for (const d of this.scope.splice(0)) { try { d.dispose(); } catch (e) { this.log.error('disposing', e); } }
    const c = this._client, k = this._consul;
    this._client = undefined; this._consul = undefined;
    if (c) void c.close().catch(() => undefined);
    if (k) void k.close?.().catch(() => undefined);
  }

  disconnect(): void {
    this.teardown();
    this.setState({ kind: 'disconnected' });
  }

  private setState(s: ConnectionState): void {
    this._state = s;
    void vscode.commands.executeCommand('setContext', 'nomad.connected', s.kind === 'connected');
    void vscode.commands.executeCommand('setContext', 'nomad.unauthorized', s.kind === 'unauthorized');
    void vscode.commands.executeCommand('setContext', 'nomad.connectionError', s.kind === 'error');
    this.renderStatus();
    this.emitter.fire(s);
  }

  private renderStatus(): void {
    const s = this._state;
    const key = s.kind === 'disconnected' ? this.currentCluster() : s.cluster;
    const name = key === DEFAULT_CLUSTER ? (this.settings().get<string>('clusterName', '') || DEFAULT_CLUSTER) : key;
    const ns = this._resolved?.profile.namespace ?? 'default';
    const region = this._resolved?.profile.region;
    const where = [name, ns === '*' ? 'all namespaces' : ns, region].filter(Boolean).join(' · ');
    const icon = s.kind === 'connected' ? '$(server-environment)' : s.kind === 'connecting' ? '$(sync~spin)' : s.kind === 'disconnected' ? '$(debug-disconnect)' : '$(warning)';
    this.statusItem.text = `${icon} Nomad: ${where}`;
    this.statusItem.tooltip = s.kind === 'connected' ? `Connected to ${this._resolved?.profile.address ?? ''} (leader ${s.leader}). Click to switch cluster or namespace.`
      : s.kind === 'unauthorized' ? `${s.message}\nClick to set an ACL token or switch cluster.`
      : s.kind === 'error' ? `${s.message}\nClick to switch cluster.` : 'Not connected. Click to choose a cluster.';
    this.statusItem.backgroundColor = s.kind === 'error' || s.kind === 'unauthorized' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  // ---- user actions --------------------------------------------------------------------------------

  async switchCluster(name: string): Promise<void> {
    await this.context.globalState.update(CURRENT_KEY, name);
    await this.connect();
  }

  async switchNamespace(ns: string): Promise<void> {
    await this.context.globalState.update(NS_KEY(this.currentCluster()), ns);
    await this.connect();
  }

  async setToken(token: string | undefined, cluster = this.currentCluster()): Promise<void> {
    if (token) await this.context.secrets.store(TOKEN_KEY(cluster), token);
    else await this.context.secrets.delete(TOKEN_KEY(cluster));
    if (cluster === this.currentCluster()) await this.connect();
  }

  async hasStoredToken(cluster = this.currentCluster()): Promise<boolean> {
    return (await this.context.secrets.get(TOKEN_KEY(cluster))) !== undefined;
  }

  async saveClusters(list: ClusterSetting[]): Promise<void> {
    await this.settings().update('clusters', list, vscode.ConfigurationTarget.Global);
  }

  async renameCluster(from: string, to: string): Promise<void> {
    const list = this.clusterSettings().map(c => (c.name === from ? { ...c, name: to } : c));
    const token = await this.context.secrets.get(TOKEN_KEY(from));
    if (token) { await this.context.secrets.store(TOKEN_KEY(to), token); await this.context.secrets.delete(TOKEN_KEY(from)); }
    await this.saveClusters(list);
    if (this.context.globalState.get(CURRENT_KEY) === from) await this.context.globalState.update(CURRENT_KEY, to);
    this.renderStatus();
  }

  async removeCluster(name: string): Promise<void> {
    await this.saveClusters(this.clusterSettings().filter(c => c.name !== name));
    await this.context.secrets.delete(TOKEN_KEY(name));
    if (this.context.globalState.get(CURRENT_KEY) === name) { await this.context.globalState.update(CURRENT_KEY, DEFAULT_CLUSTER); await this.connect(); }
  }

  /**
   * Run `fn` with a connected client; on failure show one error with the actions that fit it.
   * Returns undefined when not connected or when `fn` failed.
   */
  async withClient<T>(what: string, fn: (client: NomadClient) => Promise<T>): Promise<T | undefined> {
    await this.ensureConnected();
    const client = this.client;
    if (!client) { await this.reportState(); return undefined; }
    try { return await fn(client); } catch (e) {
      this.log.error(what, e);
      await showNomadError(e, what, this.actions());
      return undefined;
    }
  }

  /** Tell the user why there is no connection, with what they can do about it. */
  async reportState(): Promise<void> {
    const s = this._state;
    if (s.kind === 'error') await showNomadError(s.error, `Nomad (${s.cluster})`, this.actions());
    else if (s.kind === 'unauthorized') await showNomadError(new Error(s.message), `Nomad (${s.cluster}) refused the ACL token`, this.actions(), ['setToken', 'openSettings']);
  }

  actions() {
    return {
      setToken: () => vscode.commands.executeCommand('nomad.setToken'),
      retry: () => this.connect(),
      openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'nomad.'),
      showOutput: () => this.log.show(),
    };
  }

  dispose(): void {
    this.teardown();
    this.statusItem.dispose();
    this.emitter.dispose();
  }
}

function readConsul(s: vscode.WorkspaceConfiguration): NomadSettings['consul'] {
  return {
    address: s.get<string>('consul.address', ''), caCert: s.get<string>('consul.caCert', ''), caPath: s.get<string>('consul.caPath', ''),
    clientCert: s.get<string>('consul.clientCert', ''), clientKey: s.get<string>('consul.clientKey', ''),
    tlsServerName: s.get<string>('consul.tlsServerName', ''), skipVerify: s.get<boolean>('consul.skipVerify', false),
    tokenFile: s.get<string>('consul.tokenFile', ''),
  };
}
