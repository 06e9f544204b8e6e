import * as fs from 'fs';
import * as vscode from 'vscode';
import { NomadClient } from '../nomad/client';
import { ConsulClient } from '../consul/client';
import { readConsulToken, type ResolvedConnection, type ClusterProfile } from '../nomad/config';
import { isNomadError, NomadError } from '../nomad/errors';
import { refusalMessage, whyRefused } from '../nomad/tokens';
import { nodeFiles } from '../nomad/transport';
import { failureState, stateContextKeys, type ConnectionState } from '../nomad/connectionState';
import { ReconnectLoop } from '../nomad/reconnect';
import { plainText } from '../untrusted/shown';
import type { Logger } from '../logger';
import { connectionActions, reportConnectionState, showNomadError, type ErrorActionHandlers } from './errorUi';
import { Clusters, DEFAULT_CLUSTER, type ClusterSetting } from './clusters';
import { Credentials } from './credentials';
import { ConnectionStatusBar } from './statusBar';

export type { ConnectionState } from '../nomad/connectionState';
export { DEFAULT_CLUSTER, type ClusterSetting } from './clusters';

/**
 * The current cluster connection: which cluster (clusters.ts), its client(s), its credentials
 * (credentials.ts), its state (nomad/connectionState.ts) and the automatic reconnection
 * (nomad/reconnect.ts), the status bar (statusBar.ts), and the connection-scoped cleanup scope
 * (disposed and rebuilt on every reconnect). Connecting is lazy: activation never touches the network.
 */
export class ClusterConnection implements vscode.Disposable {
  private _state: ConnectionState = { kind: 'disconnected' };
  private _client: NomadClient | undefined;
  private _consul: ConsulClient | undefined;
  private _resolved: ResolvedConnection | undefined;
  private scope: vscode.Disposable[] = [];
  private connecting: Promise<void> | undefined;
  private connectAgain: Promise<void> | undefined;
  private readonly status = new ConnectionStatusBar();
  private readonly clusters: Clusters;
  private readonly credentials: Credentials;
  /** The automatic reconnection while the cluster cannot be reached (one at a time). */
  private retry: ReconnectLoop | undefined;
  /** A probe after a request failed on the network: is the agent still there? */
  private probing = false;
  private readonly emitter = new vscode.EventEmitter<ConnectionState>();
  /** Fires on every state change (and after each reconnect). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.clusters = new Clusters(context.globalState, env, m => this.log.warn(m));
    this.credentials = new Credentials(context.secrets, log);
    this.renderStatus();
    this.status.show();
  }

  get state(): ConnectionState {
    return this._state;
  }
  get client(): NomadClient | undefined {
    return this._state.kind === 'connected' ? this._client : undefined;
  }
  get consul(): ConsulClient | undefined {
    return this._state.kind === 'connected' ? this._consul : undefined;
  }
  get resolved(): ResolvedConnection | undefined {
    return this._resolved;
  }
  get profile(): ClusterProfile | undefined {
    return this._resolved?.profile;
  }
  /** Namespace the views and commands use (`*` = all namespaces). */
  get namespace(): string {
    return this._resolved?.profile.namespace ?? 'default';
  }

  /** Register something that must live exactly as long as the current connection. */
  addToScope(...d: vscode.Disposable[]): void {
    this.scope.push(...d);
  }

  // ---- clusters (clusters.ts) ----------------------------------------------------------------------

  clusterSettings(): ClusterSetting[] {
    return this.clusters.clusterSettings();
  }
  clusterNames(): string[] {
    return this.clusters.clusterNames();
  }
  currentCluster(): string {
    return this.clusters.current();
  }
  hasConfiguredAddress(name = this.currentCluster()): boolean {
    return this.clusters.hasConfiguredAddress(name);
  }
  resolve(name = this.currentCluster()): ResolvedConnection {
    return this.clusters.resolve(name);
  }
  userClusterSettings(): ClusterSetting[] {
    return this.clusters.userClusterSettings();
  }

  // ---- connecting ----------------------------------------------------------------------------------

  /** Connect (once) if not connected; resolves when the attempt ended, whatever its outcome. */
  ensureConnected(): Promise<void> {
    if (this._state.kind === 'connected') return Promise.resolve();
    // an attempt under way is what the caller waits for: no second one behind it
    if (this.connectAgain ?? this.connecting) return (this.connectAgain ?? this.connecting)!;
    // the agent went away and is being retried: try once more now (a reconnect would end the log streams)
    if (this.retry) return this.retry.now();
    return this.connect();
  }

  /** The connect/Retry command: try now if the connection is retrying by itself, else connect. */
  retryOrConnect(): Promise<void> {
    return this.retry ? this.retry.now() : this.connect();
  }

  /**
   * Connect to the current cluster. An attempt already running read the cluster, token and settings
   * when it began; a call made meanwhile (a switch, a new token, a settings change) gets one more
   * attempt after it, shared by every call made during the same attempt, so the last request wins.
   */
  connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.doConnect().finally(() => {
        this.connecting = undefined;
      });
      return this.connecting;
    }
    this.connectAgain ??= this.connecting.then(() => {
      this.connectAgain = undefined;
      return this.connect();
    });
    return this.connectAgain;
  }

  private async doConnect(): Promise<void> {
    this.teardown();
    const name = this.currentCluster();
    const resolved = this.resolve(name);
    const env = this.clusters.envFor(name);
    this._resolved = resolved;
    const { token, httpAuth } = await this.credentials.forNomad(name, resolved, env);
    this.log.redact(token);
    this.log.redact(httpAuth);
    const client = new NomadClient({
      profile: resolved.profile,
      token,
      httpAuth,
      files: nodeFiles,
      userAgent: `nomad-vscode/${String((this.context.extension.packageJSON as { version?: string }).version)}`,
      onUnreachable: err => {
        if (client === this._client) void this.suspectOutage(client, name, err);
      },
    });
    this._client = client;
    let consulToken: string | undefined;
    try {
      consulToken = readConsulToken(resolved.consul, p => fs.readFileSync(p, 'utf8'));
    } catch (e) {
      this.log.warn(`could not read the Consul token file: ${String(e)}`);
    }
    this.log.redact(consulToken);
    if (consulToken !== undefined && !(await this.credentials.forConsul(name, consulToken, resolved, env)))
      consulToken = undefined;
    this._consul = new ConsulClient({ connection: resolved.consul, token: consulToken, files: nodeFiles });
    this.setState({ kind: 'connecting', cluster: name });
    this.log.info(
      `connecting to ${name} at ${resolved.profile.address} (namespace ${resolved.profile.namespace ?? 'default'})`,
    );
    try {
      const leader = await this.probe(client);
      this.setState({ kind: 'connected', cluster: name, leader });
      this.log.info(`connected to ${name}: leader ${leader}`);
    } catch (e) {
      this.log.error(`could not connect to ${name}`, e);
      this.failed(client, name, e);
    }
  }

  /** Is the agent there, and does it accept our token? Returns the leader. */
  private async probe(client: NomadClient, signal?: AbortSignal): Promise<string> {
    const leader = (await client.leader({ timeoutMs: 10_000, ...(signal ? { signal } : {}) })).body;
    // an authorised read: a wrong token is refused here, not at the first user action
    try {
      await client.listJobs({ prefix: '\u0000nomad-vscode-probe', timeoutMs: 10_000, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (isNomadError(e) && e.kind === 'unauthorized') throw await this.explainRefusal(client, e);
      throw e;
    }
    return leader;
  }

  /**
   * A refused probe says why: Nomad answers "Permission denied" alike for a token it does not know,
   * no token, a malformed one and a policy without list-jobs; the token lookup tells them apart.
   */
  private async explainRefusal(client: NomadClient, e: NomadError): Promise<NomadError> {
    const because = await whyRefused(client);
    const ns = plainText(client.profile.namespace ?? 'default');
    return new NomadError({
      kind: 'unauthorized',
      service: 'Nomad',
      status: e.status,
      serverMessage: e.serverMessage,
      method: e.method,
      path: e.path,
      message: refusalMessage(because, `list jobs in namespace "${ns}"`, 'list-jobs'),
    });
  }

  /** A connection attempt or a probe failed: unauthorized, unreachable (retried by itself) or broken. */
  private failed(client: NomadClient, name: string, e: unknown): void {
    const s = failureState(name, e);
    this.setState(s);
    if (s.kind === 'error' && s.retrying) this.startRetry(client, name);
  }

  /** A request failed on the network while connected: probe once; if the agent is gone, say so and retry. */
  private async suspectOutage(client: NomadClient, name: string, err: NomadError): Promise<void> {
    if (this._state.kind !== 'connected' || this.probing || this.retry) return;
    this.probing = true;
    try {
      await this.probe(client);
    } catch (e) {
      if (client !== this._client) return;
      this.log.warn(`lost ${name}: ${err.message}; probe: ${e instanceof Error ? e.message : String(e)}`);
      this.failed(client, name, e);
    } finally {
      this.probing = false;
    }
  }

  /** Reconnect by itself with backoff (nomad/reconnect.ts) while the agent cannot be reached. */
  private startRetry(client: NomadClient, name: string): void {
    if (this.retry) return;
    const loop = new ReconnectLoop({
      probe: signal => this.probe(client, signal),
      waiting: () => this.renderStatus(),
      answered: leader => {
        this.retry = undefined;
        this.log.info(`${name} answers again (leader ${leader})`);
        this.setState({ kind: 'connected', cluster: name, leader });
      },
      gaveUp: e => {
        this.retry = undefined;
        this.failed(client, name, e);
      },
      stillFailing: (e, attempt) => {
        const s = this._state;
        if (s.kind === 'error') this._state = { ...s, message: e.message, error: e };
        this.log.debug(`${name} still unreachable (attempt ${attempt}): ${e.message}`);
      },
    });
    this.retry = loop;
    loop.start();
  }

  private stopRetry(): void {
    this.retry?.stop();
    this.retry = undefined;
  }

  private teardown(): void {
    this.stopRetry();
    for (const d of this.scope.splice(0)) {
      try {
        d.dispose();
      } catch (e) {
        this.log.error('disposing', e);
      }
    }
    const c = this._client,
      k = this._consul;
    this._client = undefined;
    this._consul = undefined;
    if (c) void c.close().catch(() => undefined);
    if (k) void k.close?.().catch(() => undefined);
  }

  disconnect(): void {
    this.teardown();
    this.setState({ kind: 'disconnected' });
  }

  private setState(s: ConnectionState): void {
    this._state = s;
    for (const [key, value] of Object.entries(stateContextKeys(s)))
      void vscode.commands.executeCommand('setContext', key, value);
    this.renderStatus();
    this.emitter.fire(s);
  }

  private renderStatus(): void {
    const s = this._state;
    const profile = this._resolved?.profile;
    this.status.render({
      state: s,
      name: this.clusters.displayName(s.kind === 'disconnected' ? this.currentCluster() : s.cluster),
      namespace: profile?.namespace ?? 'default',
      region: profile?.region,
      address: profile?.address ?? '',
      retry: this.retry ? { delayMs: this.retry.delayMs, attempt: this.retry.attempt } : undefined,
    });
  }

  /** What the status bar item shows. */
  statusBar(): { text: string; tooltip: string } {
    return this.status.shown();
  }

  // ---- user actions --------------------------------------------------------------------------------

  async switchCluster(name: string): Promise<void> {
    await this.clusters.setCurrent(name);
    await this.connect();
  }

  async switchNamespace(ns: string): Promise<void> {
    await this.clusters.setNamespace(this.currentCluster(), ns);
    await this.connect();
  }

  async setToken(token: string | undefined, cluster = this.currentCluster()): Promise<void> {
    await this.credentials.setToken(cluster, token, this.resolve(cluster));
    if (cluster === this.currentCluster()) await this.connect();
  }

  hasStoredToken(cluster = this.currentCluster()): Promise<boolean> {
    return this.credentials.hasToken(cluster);
  }

  async saveClusters(list: ClusterSetting[]): Promise<void> {
    await this.clusters.save(list);
  }

  async renameCluster(from: string, to: string): Promise<void> {
    await this.credentials.moveToken(from, to);
    await this.clusters.rename(from, to);
    this.renderStatus();
  }

  async removeCluster(name: string): Promise<void> {
    const wasCurrent = await this.clusters.remove(name);
    await this.credentials.deleteToken(name);
    if (wasCurrent) {
      await this.clusters.setCurrent(DEFAULT_CLUSTER);
      await this.connect();
    }
  }

  // ---- errors (errorUi.ts) -------------------------------------------------------------------------

  /**
   * Run `fn` with a connected client; on failure show one error with the actions that fit it.
   * Returns undefined when not connected or when `fn` failed.
   */
  async withClient<T>(what: string, fn: (client: NomadClient) => Promise<T>): Promise<T | undefined> {
    await this.ensureConnected();
    const client = this.client;
    if (!client) {
      await this.reportState();
      return undefined;
    }
    try {
      return await fn(client);
    } catch (e) {
      this.log.error(what, e);
      await showNomadError(e, what, this.actions());
      return undefined;
    }
  }

  /** Tell the user why there is no connection, with what they can do about it. */
  reportState(): Promise<void> {
    return reportConnectionState(this._state, this.actions());
  }

  actions(): ErrorActionHandlers {
    return connectionActions(
      () => this.retryOrConnect(),
      () => this.log.show(),
    );
  }

  dispose(): void {
    this.teardown();
    this.status.dispose();
    this.emitter.dispose();
  }
}
