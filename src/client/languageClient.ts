import * as vscode from 'vscode';
import * as path from 'path';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import type { Config } from '../config';
import type { Logger } from '../logger';
import {
  Notifications,
  Requests,
  SERVER_EXEC_ARGV,
  ServerStatus,
  type SetClusterVersionParams,
  type TargetVersionInfo,
} from '../shared/protocol';
import type { ClusterConnection } from '../cluster/connection';
import { joinShown, plain, type Shown } from '../untrusted/shown';
import {
  ClusterSnapshotDeltaNotification,
  ClusterSnapshotNotification,
  ClusterSnapshotResyncNotification,
  ClusterSnapshotStream,
  type ClusterSnapshot,
  type ClusterSnapshotMessage,
} from '../shared/clusterSnapshot';

/** A Nomad version as an agent reports it ("1.6.5", "1.7.0-beta.1", "1.8.3+ent"); anything else is not passed on. */
const VERSION_RE = /^v?\d{1,4}\.\d{1,4}(\.\d{1,4})?([-+][0-9A-Za-z.+-]{0,40})?$/;

/** The status bar text and tooltip for the target version the language server uses. */
export function targetVersionStatus(info: TargetVersionInfo, cluster?: string): { text: Shown; tooltip: Shown } {
  const text = plain`$(versions) Nomad ${info.version}`;
  const why: Shown =
    info.source === 'cluster' && info.remembered
      ? cluster
        ? plain`the version ${cluster} reported when last connected (not connected now)`
        : plain`the version the cluster reported when last connected (not connected now)`
      : info.source === 'cluster'
        ? cluster
          ? plain`the version of the connected cluster (${cluster})`
          : plain`the version of the connected cluster`
        : info.source === 'setting'
          ? plain`the nomad.targetVersion setting`
          : plain`the newest Nomad release this extension knows (not connected, and nomad.targetVersion is not set)`;
  const release =
    info.schemaRelease === info.version ? undefined : plain` (checked with the schema of Nomad ${info.schemaRelease})`;
  return {
    text,
    tooltip: joinShown([
      plain`Job files are checked against Nomad ${info.version}`,
      release,
      plain`: `,
      why,
      plain`. Click to set nomad.targetVersion.`,
    ]),
  };
}

/** Documents the language server handles. */
export const NOMAD_SELECTOR: vscode.DocumentSelector = [
  { language: 'nomad', scheme: 'file' },
  { language: 'nomad', scheme: 'untitled' },
  { language: 'nomad', scheme: 'vscode-remote' },
];

/**
 * Owns the language client: starts `dist/server.js` (over IPC), restarts it on demand or when its
 * settings change, and answers typed custom requests.
 */
export class LanguageClientFeature implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  /** the connected cluster's version, as last sent to the server (re-sent after a restart) */
  private clusterVersion: string | null = null;
  /** clusterVersion is the one the cluster reported when last connected */
  private clusterRemembered = false;
  private clusterName: string | undefined;
  private readonly versionItem: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly targetEmitter = new vscode.EventEmitter<TargetVersionInfo>();
  /** Fires when the server reports the target version it uses. */
  readonly onDidChangeTarget = this.targetEmitter.event;
  private lastTarget: TargetVersionInfo | undefined;
  private clusterSnapshot: ClusterSnapshot | null = null;
  /** numbers the snapshot messages and makes the deltas (a new one per server process) */
  private clusterStream = new ClusterSnapshotStream();

  constructor(
    private readonly extensionPath: string,
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    this.versionItem = vscode.window.createStatusBarItem('nomad.targetVersion', vscode.StatusBarAlignment.Right, 100);
    this.versionItem.name = 'Nomad Target Version';
    this.versionItem.command = {
      title: 'Set the target Nomad version',
      command: 'workbench.action.openSettings',
      arguments: ['nomad.targetVersion'],
    };
    this.subscriptions.push(this.versionItem, this.targetEmitter);
  }

  /** What the target version's status bar item shows. */
  statusBar(): { text: string; tooltip: string } {
    const t = this.versionItem.tooltip;
    return { text: this.versionItem.text, tooltip: typeof t === 'string' ? t : (t?.value ?? '') };
  }

  /** The target version the server reported last (undefined before it answered). */
  get target(): TargetVersionInfo | undefined {
    return this.lastTarget;
  }

  /**
   * Follows the cluster connection: once connected, reads the agent's version (`/v1/agent/self`
   * → config.Version.Version), sends it to the server and remembers it for that cluster and address.
   * Until the (lazy) connection is made, or while the cluster cannot be reached or does not tell its
   * version (a token without agent:read), the version it reported last is used; without one, null.
   */
  followCluster(connection: ClusterConnection, memory?: vscode.Memento): void {
    let generation = 0;
    const keyOf = (cluster: string): string | undefined => {
      try {
        return `nomad.lastClusterVersion.${cluster}@${connection.resolve(cluster).profile.address}`;
      } catch {
        return undefined;
      }
    };
    const update = async (): Promise<void> => {
      const state = connection.state;
      if (state.kind === 'connecting') return; // keep the current target until the attempt ends
      const mine = ++generation;
      const cluster = state.kind === 'disconnected' ? connection.currentCluster() : state.cluster;
      const key = keyOf(cluster);
      let version: string | null = null;
      let remembered = false;
      if (state.kind === 'connected' && connection.client) {
        try {
          const self = await connection.client.agentSelf({ timeoutMs: 10_000 });
          const v = self.body.config?.Version?.Version;
          if (typeof v === 'string' && VERSION_RE.test(v.trim())) version = v.trim();
          else
            this.log.warn(
              'the agent did not report a Nomad version it could read; checking against the setting or the newest release',
            );
        } catch (e) {
          this.log.warn(`could not read the agent's version: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (mine !== generation) return; // a newer state change is being handled
      if (version !== null && key && memory) void memory.update(key, version);
      if (version === null && key && memory) {
        const last = memory.get<unknown>(key);
        if (typeof last === 'string' && VERSION_RE.test(last)) {
          version = last;
          remembered = true;
        }
      }
      this.clusterName = cluster;
      if (version === this.clusterVersion && remembered === this.clusterRemembered) return;
      this.clusterVersion = version;
      this.clusterRemembered = remembered;
      this.log.info(
        version === null
          ? 'no cluster version: job files are checked against nomad.targetVersion or the newest release'
          : remembered
            ? plain`${cluster} reported Nomad ${version} when last connected: job files are checked against it until it answers`
            : `cluster runs Nomad ${version}: job files are checked against it`,
      );
      this.sendClusterVersion();
    };
    this.subscriptions.push(
      connection.onDidChange(() => {
        void update();
      }),
    );
    void update();
  }

  /**
   * The connected cluster's snapshot (null: none): the whole the first time (nomad/clusterSnapshot), then only
   * what changed (nomad/clusterSnapshotDelta); the whole again after a restart and when the server asks.
   */
  sendClusterSnapshot(s: ClusterSnapshot | null): void {
    // the latest is kept: a server that starts (or restarts) gets it whole
    this.clusterSnapshot = s;
    const c = this.client;
    if (c?.state !== State.Running) return;
    const m = this.clusterStream.next(s);
    if (m) this.sendSnapshotMessage(c, m);
  }

  private sendSnapshotMessage(c: LanguageClient, m: ClusterSnapshotMessage): void {
    const sent =
      m.kind === 'full'
        ? c.sendNotification(ClusterSnapshotNotification, m.message)
        : c.sendNotification(ClusterSnapshotDeltaNotification, m.message);
    void sent.catch((e: unknown) => this.log.error('sending the cluster snapshot', e));
  }

  private sendClusterVersion(): void {
    const c = this.client;
    if (!c || c.state !== State.Running) return; // sent once the server runs (see start)
    const params: SetClusterVersionParams = {
      version: this.clusterVersion,
      ...(this.clusterRemembered ? { remembered: true } : {}),
    };
    void c
      .sendNotification(Notifications.setClusterVersion, params)
      .catch((e: unknown) => this.log.error('sending the cluster version', e));
  }

  private showTarget(info: TargetVersionInfo): void {
    this.lastTarget = info;
    const s = targetVersionStatus(info, this.clusterName);
    this.versionItem.text = s.text;
    this.versionItem.tooltip = s.tooltip;
    this.versionItem.show();
    this.targetEmitter.fire(info);
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  async start(): Promise<void> {
    if (!this.config.languageServerEnabled) {
      this.log.info('language server disabled by nomad.languageServer.enable');
      return;
    }
    if (this.client) return this.starting;
    const module = this.config.languageServerPath || path.join(this.extensionPath, 'dist', 'server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6011', ...SERVER_EXEC_ARGV] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: NOMAD_SELECTOR as LanguageClientOptions['documentSelector'],
      outputChannel: this.log.channel,
      traceOutputChannel: this.log.channel,
      synchronize: { configurationSection: 'nomad' },
      initializationOptions: {},
    };
    const client = new LanguageClient('nomad', 'Nomad Language Server', serverOptions, clientOptions);
    this.client = client;
    this.log.info(`starting language server ${module}`);
    client.onNotification(Notifications.targetVersionChanged, info => this.showTarget(info));
    client.onNotification(ClusterSnapshotResyncNotification, () => {
      if (client.state === State.Running)
        this.sendSnapshotMessage(client, this.clusterStream.full(this.clusterSnapshot));
    });
    this.starting = client.start().then(
      async () => {
        this.log.info('language server ready');
        if (this.clusterVersion !== null) this.sendClusterVersion();
        // a (re)started server holds nothing: the whole snapshot first
        if (this.clusterSnapshot !== null)
          this.sendSnapshotMessage(client, this.clusterStream.full(this.clusterSnapshot));
        try {
          this.showTarget(await client.sendRequest(Requests.targetVersion));
        } catch (e) {
          this.log.error('reading the target version', e);
        }
      },
      (err: unknown) => {
        this.log.error('language server failed to start', err);
        throw err;
      },
    );
    return this.starting;
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (c) await c.stop().catch((e: unknown) => this.log.error('stopping the language server', e));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async status(): Promise<ServerStatus> {
    if (!this.client)
      throw new Error('The Nomad language server is not running (nomad.languageServer.enable is off?).');
    await this.starting;
    return this.client.sendRequest(Requests.serverStatus);
  }

  /** The underlying client, for features that send their own requests (once started). */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  dispose(): void {
    void this.stop();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
