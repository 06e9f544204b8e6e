/**
 * The Nomad language server process. `node dist/server.js --stdio` runs it for any LSP editor; VS Code
 * starts it over IPC. It wires the pure modules of src/language/ to the protocol; nothing per-file lives
 * in globals beyond the document store and its per-document analysis cache.
 */
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Requests, ServerStatus } from '../shared/protocol';
import { version } from '../../package.json';
import { DocumentAnalyzer } from './analyzer';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const started = Date.now();
const analyzer = new DocumentAnalyzer(connection, documents);

connection.onInitialize((): InitializeResult => ({
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    ...analyzer.capabilities(),
  },
  serverInfo: { name: 'nomad-language-server', version },
}));

connection.onRequest(Requests.serverStatus.method, (): ServerStatus => ({
  version,
  openDocuments: documents.all().length,
  uptimeSeconds: Math.round((Date.now() - started) / 1000),
  pid: process.pid,
  rssBytes: process.memoryUsage().rss,
}));

analyzer.listen();
documents.listen(connection);
connection.listen();
