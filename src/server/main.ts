/**
 * The Nomad language server process. `node dist/server.js --stdio` runs it for any LSP editor; VS Code
 * starts it over IPC. It wires the pure modules of src/language/ to the protocol; nothing per-file lives
 * in globals beyond the document store and its per-document analysis cache.
 */
import { exitNotification, setParentPid, setPhase } from './startup'; // first: reports failures of the imports below
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Notifications, Requests, type TargetVersionInfo } from '../shared/protocol';
import { onRequest } from './handle';
import { version } from '../../package.json';
import { DocumentAnalyzer } from './analyzer';
import { DocumentSettings, optionsFromSettings } from './settings';
import type { AnalysisOptions } from '../language';
import { targetInfo as targetInfoOf } from '../language/schema';
import { LanguageFeatures } from './features';
import { ClusterSnapshotDeltaNotification, ClusterSnapshotNotification } from '../shared/clusterSnapshot';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const started = Date.now();
// nomad.lint.* are resource settings: pulled per document (its workspace folder), cached per folder
const documentSettings = new DocumentSettings();
const analyzer = new DocumentAnalyzer(connection, documents, documentSettings);
const features = new LanguageFeatures(connection, documents, analyzer);
connection.onNotification(ClusterSnapshotNotification, m => analyzer.cluster.setFull(m));
connection.onNotification(ClusterSnapshotDeltaNotification, m => analyzer.cluster.applyDelta(m));

let canPullConfiguration = false;
/** the client tells the server when workspace folders come and go */
let folderEvents = false;

// The target Nomad version: the connected cluster's (nomad/setClusterVersion), else the setting
// `nomad.targetVersion`, else the newest release the schema knows. Every change re-checks open documents.
let settingsOptions: AnalysisOptions = {};
let clusterVersion: string | null = null;
let clusterRemembered = false;
let settingVersion: string | null = null;
let announced = '';
/** notifications wait for `initialized` */
let initialized = false;

function targetInfo(): TargetVersionInfo {
  const info: TargetVersionInfo = targetInfoOf(clusterVersion, settingVersion);
  if (info.source === 'cluster' && clusterRemembered) info.remembered = true;
  return info;
}

/** Hands the settings and the target to the analysis (which re-checks every open document) and the features. */
function applyOptions(): void {
  const info = targetInfo();
  features.setTarget(info.version);
  analyzer.setOptions({ ...settingsOptions, targetVersion: { version: info.version, source: info.source } });
  const key = `${info.source}:${info.version}:${info.remembered === true}`;
  if (initialized && key !== announced) {
    announced = key;
    void connection.sendNotification(Notifications.targetVersionChanged, info).catch(() => undefined);
  }
}

/** The `nomad` settings section: lint options and `targetVersion`. */
function takeSettings(nomad: unknown): void {
  settingsOptions = optionsFromSettings(nomad);
  const tv = (nomad as { targetVersion?: unknown } | null | undefined)?.targetVersion;
  settingVersion = typeof tv === 'string' ? tv : null;
  applyOptions();
}

connection.onInitialize((params): InitializeResult => {
  setPhase('running');
  setParentPid(params.processId);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  folderEvents = params.capabilities.workspace?.workspaceFolders === true;
  documentSettings.setFolders((params.workspaceFolders ?? []).map(f => f.uri));
  if (canPullConfiguration) {
    documentSettings.enable(
      scopeUri => connection.workspace.getConfiguration({ scopeUri, section: 'nomad' }) as Promise<unknown>,
    );
  }
  // settings may come with initialize (any editor) as { nomad: {...} } or the `nomad` section itself
  const init = params.initializationOptions as { nomad?: unknown } | undefined;
  if (init) takeSettings(init.nomad ?? init);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      ...analyzer.capabilities(),
      ...features.capabilities(),
      ...(folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    },
    serverInfo: { name: 'nomad-language-server', version },
  };
});

/** Settings: `nomad.lint.serviceWithoutCheck`, `nomad.lint.updateWithoutHealthChecks`, `nomad.targetVersion`. */
async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const nomad: unknown = await connection.workspace.getConfiguration('nomad');
    takeSettings(nomad);
  } catch {
    // the client answered with an error: keep the current settings
  }
}

connection.onInitialized(() => {
  initialized = true;
  applyOptions();
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    void pullSettings();
  }
  if (folderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders(e => {
      documentSettings.addFolders(
        e.added.map(f => f.uri),
        e.removed.map(f => f.uri),
      );
      analyzer.setOptions(analyzer.currentOptions);
    });
  }
});

connection.onDidChangeConfiguration(change => {
  const settings = change.settings as { nomad?: unknown } | undefined;
  // every folder's settings are pulled again (at the re-check that follows)
  documentSettings.clear();
  if (canPullConfiguration) void pullSettings();
  else if (settings?.nomad) takeSettings(settings.nomad);
});

connection.onNotification(Notifications.setClusterVersion, p => {
  const v = typeof p?.version === 'string' ? p.version : null;
  const remembered = v !== null && p.remembered === true;
  if (v === clusterVersion && remembered === clusterRemembered) return;
  clusterVersion = v;
  clusterRemembered = remembered;
  applyOptions();
});

onRequest(connection, Requests.targetVersion, () => targetInfo());

onRequest(connection, Requests.serverStatus, () => ({
  version,
  openDocuments: documents.all().length,
  uptimeSeconds: Math.round((Date.now() - started) / 1000),
  pid: process.pid,
  rssBytes: process.memoryUsage().rss,
}));

connection.onShutdown(() => setPhase('shutting down'));
connection.onExit(() => exitNotification());

analyzer.listen();
features.listen();
documents.listen(connection);
connection.listen();
setPhase('waiting for initialize');
