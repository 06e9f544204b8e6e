/**
 * The Nomad language server process. `node dist/server.js --stdio` runs it for any LSP editor; VS Code
 * starts it over IPC. It wires the pure modules of src/language/ to the protocol; nothing per-file lives
 * in globals beyond the document store and its per-document analysis cache.
 */
import { setParentPid, setPhase } from './startup'; // first: reports failures of the imports below
import {
  createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Requests, ServerStatus } from '../shared/protocol';
import { version } from '../../package.json';
import { DocumentAnalyzer, optionsFromSettings } from './analyzer';
import { LanguageFeatures } from './features';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const started = Date.now();
const analyzer = new DocumentAnalyzer(connection, documents);
const features = new LanguageFeatures(connection, documents, analyzer);

let canPullConfiguration = false;

connection.onInitialize((params): InitializeResult => {
  setPhase('running');
  setParentPid(params.processId);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  // settings may come with initialize (any editor) as { nomad: {...} } or the `nomad` section itself
  const init = params.initializationOptions as { nomad?: unknown } | undefined;
  if (init) analyzer.setOptions(optionsFromSettings(init.nomad ?? init));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      ...analyzer.capabilities(),
      ...features.capabilities(),
    },
    serverInfo: { name: 'nomad-language-server', version },
  };
});

/** Lint settings: `nomad.lint.serviceWithoutCheck`, `nomad.lint.updateWithoutHealthChecks`. */
async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const nomad: unknown = await connection.workspace.getConfiguration('nomad');
    analyzer.setOptions(optionsFromSettings(nomad));
  } catch {
    // the client answered with an error: keep the current settings
  }
}

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    void pullSettings();
  }
});

connection.onDidChangeConfiguration(change => {
  const settings = change.settings as { nomad?: unknown } | undefined;
  if (canPullConfiguration) void pullSettings();
  else if (settings?.nomad) analyzer.setOptions(optionsFromSettings(settings.nomad));
});

connection.onRequest(Requests.serverStatus.method, (): ServerStatus => ({
  version,
  openDocuments: documents.all().length,
  uptimeSeconds: Math.round((Date.now() - started) / 1000),
  pid: process.pid,
  rssBytes: process.memoryUsage().rss,
}));

connection.onShutdown(() => setPhase('shutting down'));

analyzer.listen();
features.listen();
documents.listen(connection);
connection.listen();
setPhase('waiting for initialize');
