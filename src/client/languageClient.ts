import * as vscode from 'vscode';
import * as path from 'path';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { Requests, ServerStatus } from '../shared/protocol';

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

  constructor(
    private readonly extensionPath: string,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  get running(): boolean { return this.client?.state === State.Running; }

  async start(): Promise<void> {
    if (!this.config.languageServerEnabled) { this.log.info('language server disabled by nomad.languageServer.enable'); return; }
    if (this.client) return this.starting;
    const module = this.config.languageServerPath || path.join(this.extensionPath, 'dist', 'server.js');
    const serverOptions: ServerOptions = {
      // a larger young generation: parsing a 1 MiB job is mostly short-lived allocation (~3x faster)
      run: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=32'] } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011', '--max-semi-space-size=32'] } },
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
    this.starting = client.start().then(
      () => this.log.info('language server ready'),
      (err: unknown) => { this.log.error('language server failed to start', err); throw err; },
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
    if (!this.client) throw new Error('The Nomad language server is not running (nomad.languageServer.enable is off?).');
    await this.starting;
    return this.client.sendRequest<ServerStatus>(Requests.serverStatus.method, {});
  }

  /** The underlying client, for features that send their own requests (once started). */
  get languageClient(): LanguageClient | undefined { return this.client; }

  dispose(): void { void this.stop(); }
}
