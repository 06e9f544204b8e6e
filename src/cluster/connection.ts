import * as vscode from 'vscode';
import { NomadClient } from '../nomad/client';
import { ConsulClient } from '../consul/client';
import { resolveConnection, readConsulToken, withScheme, parseGoBool, DEFAULT_CONSUL_ADDR, type NomadSettings, type ResolvedConnection, type ClusterProfile } from '../nomad/config';
import { isNomadError, NomadError } from '../nomad/errors';
import { refusalMessage, whyRefused } from '../nomad/tokens';
import { nodeFiles } from '../nomad/transport';
import { systemClock } from '../nomad/backoff';
import { Pacer } from '../nomad/pace';
import { codicon, joinShown, plain, plainText } from '../untrusted/shown';
import type { Logger } from '../logger';
import { showNomadError } from './errorUi';
import { readSetting } from '../config';
import { allowAddress, bindToken, decodeStoredToken, describeEndpoint, encodeStoredToken, endpointKey, environmentAddress, mayAutoSend, type TlsIdentity } from '../nomad/tokenBinding';

interface Endpoint { address: string; tls?: TlsIdentity }
import * as crypto from 'crypto';
import * as fs from 'fs';

export type ConnectionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; cluster: string }
  | { kind: 'connected'; cluster: string; leader: string }
  | { kind: 'unauthorized'; cluster: string; message: string }
  /** `retrying`: the cluster could not be reached (or stopped answering) and the connection tries again
   *  by itself, with backoff; it becomes `connected` when the agent answers. */
  | { kind: 'error'; cluster: string; message: string; error: unknown; retrying?: boolean };

/** One entry of the `nomad.clusters` setting: a named cluster (never a token). */
export interface ClusterSetting extends NomadSettings { name: string }

const CURRENT_KEY = 'nomad.currentCluster';
const NS_KEY = (cluster: string) => `nomad.namespaceOverride.${cluster}`;
const TOKEN_KEY = (cluster: string) => `nomad.token.${cluster}`;
/** Addresses the user allowed the environment's credentials (NOMAD_TOKEN, NOMAD_HTTP_AUTH) to go to. */
const ENV_TOKEN_KEY = 'nomad.envCredentialAddresses';
/** Addresses the user allowed the Consul token (CONSUL_HTTP_TOKEN or its file) to go to. */
const CONSUL_TOKEN_KEY = 'nomad.consulCredentialAddresses';
const SEND = 'Send Token';
const DONT_SEND = 'Connect Without Token';
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
  /** The automatic reconnection while the cluster cannot be reached (one at a time). */
  private retry: { controller: AbortController; wake: () => void; next: Promise<void>; delayMs: number; attempt: number } | undefined;
  /** A probe after a request failed on the network: is the agent still there? */
  private probing = false;
  /** cluster|address pairs for which the user said not to send the token (this session). */
  private readonly refused = new Set<string>();
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

  /** `nomad.*` as the rules of src/shared/settings.ts allow (an untrusted folder's address, TLS files
   *  and clusters are never read; a workspace's TLS and token files must lie in its folder). */
  private settings(): SettingsView {
    const raw = vscode.workspace.getConfiguration('nomad');
    const warn = (m: string): void => this.log.warn(m);
    return {
      get: <T>(key: string, fallback: T): T => readSetting<T>(`nomad.${key}`, fallback, undefined, warn),
      inspect: <T>(key: string) => raw.inspect<T>(key),
      update: (key, value, target) => raw.update(key, value, target),
    };
  }

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

  /** Is a cluster address configured for the current cluster (a setting, a named cluster, or NOMAD_ADDR)?
   *  Only then is connecting without being asked worth it (the CLI's default address is a guess). */
  hasConfiguredAddress(name = this.currentCluster()): boolean {
    if (name !== DEFAULT_CLUSTER) return this.clusterSettings().some(c => c.name === name && typeof c.address === 'string' && c.address.trim() !== '');
    return this.settings().get<string>('address', '').trim() !== '' || (this.env['NOMAD_ADDR'] ?? '').trim() !== '';
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
    if (this.connectAgain ?? this.connecting) return (this.connectAgain ?? this.connecting)!;
    // the agent went away and is being retried: try once more now (a reconnect would end the log streams)
    if (this.retry) return this.retryNow();
    return this.connect();
  }

  /** The connect/Retry command: try now if the connection is retrying by itself, else connect. */
  retryOrConnect(): Promise<void> {
    return this.retry ? this.retryNow() : this.connect();
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
    const { token, httpAuth } = await this.credentialsFor(name, resolved);
    this.log.redact(token);
    this.log.redact(httpAuth);
    const client = new NomadClient({
      profile: resolved.profile, token, httpAuth, files: nodeFiles,
      userAgent: `nomad-vscode/${String((this.context.extension.packageJSON as { version?: string }).version)}`,
      onUnreachable: err => { if (client === this._client) void this.suspectOutage(client, name, err); },
    });
    this._client = client;
    let consulToken: string | undefined;
    try { consulToken = readConsulToken(resolved.consul, p => fs.readFileSync(p, 'utf8')); } catch (e) { this.log.warn(`could not read the Consul token file: ${String(e)}`); }
    this.log.redact(consulToken);
    // the Consul token (CONSUL_HTTP_TOKEN or its file) belongs with CONSUL_HTTP_ADDR (or Consul's default)
    if (consulToken !== undefined) {
      const env = name === DEFAULT_CLUSTER ? this.env : {};
      const home = withScheme(env['CONSUL_HTTP_ADDR']?.trim() || DEFAULT_CONSUL_ADDR, parseGoBool(env['CONSUL_HTTP_SSL']?.trim()) ?? false);
      const homeTls = resolveConnection({}, env).consul.tls;
      if (!(await this.environmentAllows(name, 'consul', [consulToken], { address: home, tls: homeTls }, { address: resolved.consul.address, tls: resolved.consul.tls }))) consulToken = undefined;
    }
    this._consul = new ConsulClient({ connection: resolved.consul, token: consulToken, files: nodeFiles });
    this.setState({ kind: 'connecting', cluster: name });
    this.log.info(`connecting to ${name} at ${resolved.profile.address} (namespace ${resolved.profile.namespace ?? 'default'})`);
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
      kind: 'unauthorized', service: 'Nomad', status: e.status, serverMessage: e.serverMessage, method: e.method, path: e.path,
      message: refusalMessage(because, `list jobs in namespace "${ns}"`, 'list-jobs'),
    });
  }

  /** A connection attempt or a probe failed: unauthorized, unreachable (retried by itself) or broken. */
  private failed(client: NomadClient, name: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    if (isNomadError(e) && e.kind === 'unauthorized') {
      this.setState({ kind: 'unauthorized', cluster: name, message: (e as NomadError).message });
    } else if (isNomadError(e) && e.retryable) {
      this.setState({ kind: 'error', cluster: name, message, error: e, retrying: true });
      this.startRetry(client, name);
    } else {
      this.setState({ kind: 'error', cluster: name, message, error: e });
    }
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

  /** Reconnect by itself with backoff (1 s, doubling, at most 30 s) while the agent cannot be reached. */
  private startRetry(client: NomadClient, name: string): void {
    if (this.retry) return;
    const controller = new AbortController();
    // paced like every other loop (nomad/pace.ts): at least the floor between two probes, backing off
    const pacer = new Pacer(systemClock, Math.random, { error: { initialMs: 1000, maxMs: 30_000 } });
    const retry = { controller, wake: (): void => undefined, next: Promise.resolve(), delayMs: 0, attempt: 0 };
    this.retry = retry;
    let settle: () => void = () => undefined;
    const loop = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        // the wait starts after the last failed probe ended: the gap is the whole wait
        retry.delayMs = pacer.failure();
        retry.attempt = pacer.failures;
        retry.next = new Promise<void>(r => { settle = r; });
        this.renderStatus();
        const woken = new AbortController();
        retry.wake = () => woken.abort();
        const stop = (): void => woken.abort();
        controller.signal.addEventListener('abort', stop, { once: true });
        await systemClock.sleep(retry.delayMs, woken.signal).catch(() => undefined);
        controller.signal.removeEventListener('abort', stop);
        if (controller.signal.aborted) { settle(); return; }
        try {
          const leader = await this.probe(client, controller.signal);
          if (controller.signal.aborted) { settle(); return; }
          this.retry = undefined;
          this.log.info(`${name} answers again (leader ${leader})`);
          this.setState({ kind: 'connected', cluster: name, leader });
          settle();
          return;
        } catch (e) {
          if (controller.signal.aborted) { settle(); return; }
          if (!isNomadError(e) || !e.retryable) {
            this.retry = undefined;
            this.failed(client, name, e);
            settle();
            return;
          }
          const s = this._state;
          if (s.kind === 'error') this._state = { ...s, message: e.message, error: e };
          this.log.debug(`${name} still unreachable (attempt ${pacer.failures}): ${e.message}`);
          settle();
        }
      }
    };
    void loop();
  }

  /** Skip the wait of the automatic reconnection; resolves when that attempt ended. */
  private retryNow(): Promise<void> {
    const r = this.retry;
    if (!r) return Promise.resolve();
    const next = r.next;
    r.wake();
    return next;
  }

  private stopRetry(): void {
    this.retry?.controller.abort();
    this.retry = undefined;
  }

  // ---- credentials ---------------------------------------------------------------------------------

  /**
   * The token and basic-auth credentials for this connection. A stored token goes only to an address
   * it was saved for (or that the user allowed); the environment's NOMAD_TOKEN/NOMAD_HTTP_AUTH only to
   * NOMAD_ADDR (or the CLI default). Any other address (a workspace's nomad.address, an edited
   * cluster) asks first, in a modal; "no" connects without them.
   */
  private async credentialsFor(name: string, resolved: ResolvedConnection): Promise<{ token?: string; httpAuth?: string }> {
    const address = resolved.profile.address;
    // the token is bound to the address and to how the server is verified: a change of CA, client
    // certificate, server name or skip-verify asks first, as a change of address does
    const tls = resolved.profile.tls;
    const out: { token?: string; httpAuth?: string } = {};
    const stored = decodeStoredToken(await this.context.secrets.get(TOKEN_KEY(name)));
    if (stored) {
      if (mayAutoSend(stored, address, tls)) out.token = stored.token;
      else if (await this.allow(name, address, tls, stored.addresses, 'stored')) {
        out.token = stored.token;
        await this.context.secrets.store(TOKEN_KEY(name), encodeStoredToken(allowAddress(stored, address, tls)));
      }
    }
    const envSecrets = out.token === undefined && resolved.envToken !== undefined ? [resolved.envToken, resolved.httpAuth] : [resolved.httpAuth];
    if (envSecrets.some(x => x !== undefined)) {
      const env = name === DEFAULT_CLUSTER ? this.env : {};
      const home = environmentAddress(env);
      // the environment's credentials belong with the environment's TLS settings (NOMAD_CACERT …)
      const homeTls = resolveConnection({}, env).profile.tls;
      if (await this.environmentAllows(name, 'environment', envSecrets, { address: home, tls: homeTls }, { address, tls })) {
        if (out.token === undefined && resolved.envToken !== undefined) out.token = resolved.envToken;
        if (resolved.httpAuth !== undefined) out.httpAuth = resolved.httpAuth;
      }
    }
    return out;
  }

  /** May credentials from the environment (meant for `home`) go to `address`? Asks when the addresses
   *  differ; a yes is remembered (in secret storage, by a fingerprint of the credentials). */
  private async environmentAllows(name: string, source: 'environment' | 'consul', secrets: (string | undefined)[], homeAt: Endpoint, at: Endpoint): Promise<boolean> {
    const { address, tls } = at;
    const target = endpointKey(address, tls);
    const homeKey = endpointKey(homeAt.address, homeAt.tls);
    if (target !== undefined && target === homeKey) return true;
    const key = source === 'consul' ? CONSUL_TOKEN_KEY : ENV_TOKEN_KEY;
    const fingerprint = crypto.createHash('sha256').update(secrets.map(x => x ?? '').join('\u0000')).digest('hex');
    const approved = decodeStoredToken(await this.context.secrets.get(key));
    const before = approved?.token === fingerprint ? approved.addresses : [];
    if (target !== undefined && before.includes(target)) return true;
    if (!(await this.allow(name, address, tls, homeKey ? [homeKey] : [], source))) return false;
    await this.context.secrets.store(key, encodeStoredToken(allowAddress({ token: fingerprint, addresses: before }, address, tls)));
    return true;
  }

  /** Ask (modal) whether credentials saved for `boundTo` may go to `address`. Remembers a "no" for the session. */
  private async allow(name: string, address: string, tls: TlsIdentity | undefined, boundTo: string[], source: 'stored' | 'environment' | 'consul'): Promise<boolean> {
    const target = endpointKey(address, tls) ?? address;
    const key = `${name}|${target}|${source}`;
    if (this.refused.has(key)) return false;
    const keys = source === 'consul' ? ['consul.address', 'consul.caCert', 'consul.caPath', 'consul.clientCert', 'consul.clientKey', 'consul.tlsServerName', 'consul.skipVerify']
      : ['address', 'tls.caCert', 'tls.caPath', 'tls.clientCert', 'tls.clientKey', 'tls.serverName', 'tls.skipVerify'];
    const fromWorkspace = (name === DEFAULT_CLUSTER || source === 'consul') && keys.some(k => {
      const inspect = this.settings().inspect<unknown>(k);
      return inspect?.workspaceValue !== undefined || inspect?.workspaceFolderValue !== undefined;
    });
    const shown = describeEndpoint(target);
    boundTo = boundTo.map(describeEndpoint);
    const what = source === 'stored' ? plain`The ACL token stored for the cluster "${name}"`
      : source === 'consul' ? 'The Consul token (CONSUL_HTTP_TOKEN or its token file)' : 'The credentials in the environment (NOMAD_TOKEN, NOMAD_HTTP_AUTH)';
    const verb = source === 'environment' ? 'were' : 'was';
    const was = boundTo.length ? ` ${verb} meant for ` + plain`${boundTo.join(', ')}.` : ` ${verb} not tied to an address yet (saved by an earlier version).`;
    const now = (source === 'consul' ? plain` The Consul server is now ${shown}` : plain` The cluster is now ${shown}`) + (fromWorkspace ? ", set by this workspace's settings (.vscode/settings.json)." : '.');
    const choice = await vscode.window.showWarningMessage(source === 'consul' ? plain`Send the Consul ACL token to ${address}?` : plain`Send the Nomad ACL token to ${address}?`, {
      modal: true,
      detail: plainText(what + was + now + ' Send it only to a server you trust: whoever runs it can act on your cluster with it.'),
    }, SEND, DONT_SEND);
    this.log.info(`credentials for ${name} at ${plainText(address)}: ${choice === SEND ? 'sent (allowed by the user)' : 'not sent'}`);
    if (choice === SEND) return true;
    this.refused.add(key);
    return false;
  }

  private teardown(): void {
    this.stopRetry();
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
    const retrying = s.kind === 'error' && s.retrying;
    const icon = s.kind === 'connected' ? 'server-environment' : s.kind === 'connecting' ? 'sync~spin' : s.kind === 'disconnected' || retrying ? 'debug-disconnect' : 'warning';
    // the icon is ours; the names may come from settings or the cluster (namespaces): shown as text
    this.statusItem.text = joinShown([codicon(icon), plain` Nomad: ${where}${retrying ? ' — disconnected, retrying' : s.kind === 'connecting' ? ' — connecting…' : ''}`]);
    const address = this._resolved?.profile.address ?? '';
    const next = this.retry ? ` Next attempt in ${Math.max(1, Math.round(this.retry.delayMs / 1000))} s (attempt ${this.retry.attempt}).` : '';
    this.statusItem.tooltip = s.kind === 'connected' ? plain`Connected to ${address} (leader ${s.leader}). Click to switch cluster or namespace.`
      : s.kind === 'unauthorized' ? plain`${s.message}\nClick to set an ACL token or switch cluster.`
      : retrying ? plain`Cannot reach ${address}: ${s.message}\nReconnecting by itself.${next} Click to switch cluster.`
      : s.kind === 'error' ? plain`${s.message}\nClick to switch cluster.`
      : s.kind === 'connecting' ? plain`Connecting to ${address}…` : 'Not connected. Click to choose a cluster.';
    this.statusItem.backgroundColor = s.kind === 'error' || s.kind === 'unauthorized' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** What the status bar item shows. */
  statusBar(): { text: string; tooltip: string } {
    const t = this.statusItem.tooltip;
    return { text: this.statusItem.text, tooltip: typeof t === 'string' ? t : t?.value ?? '' };
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
    // the token is tied to the address it is saved for (see credentialsFor)
    if (token) await this.context.secrets.store(TOKEN_KEY(cluster), encodeStoredToken(bindToken(token, this.resolve(cluster).profile.address, this.resolve(cluster).profile.tls)));
    else await this.context.secrets.delete(TOKEN_KEY(cluster));
    for (const k of [...this.refused]) if (k.startsWith(`${cluster}|`)) this.refused.delete(k);
    if (cluster === this.currentCluster()) await this.connect();
  }

  async hasStoredToken(cluster = this.currentCluster()): Promise<boolean> {
    return (await this.context.secrets.get(TOKEN_KEY(cluster))) !== undefined;
  }

  /** The clusters of the user's own settings: what Add/Rename/Remove Cluster edit. A workspace's entries
   *  (shown while that folder is open and trusted) are never copied into the user's settings. */
  userClusterSettings(): ClusterSetting[] {
    const list = vscode.workspace.getConfiguration('nomad').inspect<ClusterSetting[]>('clusters')?.globalValue ?? [];
    return Array.isArray(list) ? list.filter(c => c && typeof c.name === 'string' && c.name.trim() !== '') : [];
  }

  async saveClusters(list: ClusterSetting[]): Promise<void> {
    await this.settings().update('clusters', list, vscode.ConfigurationTarget.Global);
  }

  async renameCluster(from: string, to: string): Promise<void> {
    const list = this.userClusterSettings().map(c => (c.name === from ? { ...c, name: to } : c));
    const token = await this.context.secrets.get(TOKEN_KEY(from));
    if (token) { await this.context.secrets.store(TOKEN_KEY(to), token); await this.context.secrets.delete(TOKEN_KEY(from)); }
    await this.saveClusters(list);
    if (this.context.globalState.get(CURRENT_KEY) === from) await this.context.globalState.update(CURRENT_KEY, to);
    this.renderStatus();
  }

  async removeCluster(name: string): Promise<void> {
    await this.saveClusters(this.userClusterSettings().filter(c => c.name !== name));
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
      retry: () => this.retryOrConnect(),
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

interface SettingsView {
  get<T>(key: string, fallback: T): T;
  inspect<T>(key: string): { workspaceValue?: T; workspaceFolderValue?: T } | undefined;
  update(key: string, value: unknown, target: vscode.ConfigurationTarget): Thenable<void>;
}

function readConsul(s: SettingsView): NomadSettings['consul'] {
  return {
    address: s.get<string>('consul.address', ''), caCert: s.get<string>('consul.caCert', ''), caPath: s.get<string>('consul.caPath', ''),
    clientCert: s.get<string>('consul.clientCert', ''), clientKey: s.get<string>('consul.clientKey', ''),
    tlsServerName: s.get<string>('consul.tlsServerName', ''), skipVerify: s.get<boolean>('consul.skipVerify', false),
    tokenFile: s.get<string>('consul.tokenFile', ''),
  };
}
