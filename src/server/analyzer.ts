import type { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../language';

/** Debounce for re-checking a document while the user types (ms). */
const DEBOUNCE_MS = 120;

/**
 * Runs the pure analysis of src/language on each document (debounced, latest version only) and
 * publishes its diagnostics. A failure inside the analysis is logged and never takes the server down.
 */
export class DocumentAnalyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly connection: Connection, private readonly documents: TextDocuments<TextDocument>) {}

  capabilities(): ServerCapabilities { return {}; }

  listen(): void {
    this.documents.onDidOpen(e => this.schedule(e.document, 0));
    this.documents.onDidChangeContent(e => this.schedule(e.document, DEBOUNCE_MS));
    this.documents.onDidClose(e => {
      const t = this.timers.get(e.document.uri);
      if (t) clearTimeout(t);
      this.timers.delete(e.document.uri);
      void this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }

  private schedule(doc: TextDocument, delay: number): void {
    const prev = this.timers.get(doc.uri);
    if (prev) clearTimeout(prev);
    this.timers.set(doc.uri, setTimeout(() => { this.timers.delete(doc.uri); this.validate(doc.uri, doc.version); }, delay));
  }

  private validate(uri: string, version: number): void {
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return;
    try {
      const result = analyzeText(doc.getText());
      void this.connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics });
    } catch (e) {
      this.connection.console.error(`analysis of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
}
