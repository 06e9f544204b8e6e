import {
  CodeActionKind, type CodeAction, type CodeActionParams, type Connection, type ServerCapabilities, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, type AnalysisOptions, type FixData } from '../language';
import { fixAllDeprecations, quickFix } from '../language/codeActions';

/** Debounce for re-checking a document while the user types (ms). */
const DEBOUNCE_MS = 120;

/** The source action that applies every deprecation fix of a file. */
export const FIX_ALL_DEPRECATIONS_KIND = `${CodeActionKind.Source}.fixAll.nomad.deprecations`;

/**
 * Runs the pure analysis of src/language on each document (debounced, latest version only) and
 * publishes its diagnostics. A failure inside the analysis is logged and never takes the server down.
 * Diagnostics carry their quick-fix data, so code actions need no re-analysis.
 */
export class DocumentAnalyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private options: AnalysisOptions = {};

  constructor(private readonly connection: Connection, private readonly documents: TextDocuments<TextDocument>) {}

  capabilities(): ServerCapabilities {
    return {
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_DEPRECATIONS_KIND], resolveProvider: false },
    };
  }

  /** Lint settings (nomad.lint.*); re-checks every open document. */
  setOptions(options: AnalysisOptions): void {
    this.options = options;
    for (const doc of this.documents.all()) this.schedule(doc, 0);
  }

  listen(): void {
    this.documents.onDidOpen(e => this.schedule(e.document, 0));
    this.documents.onDidChangeContent(e => this.schedule(e.document, DEBOUNCE_MS));
    this.documents.onDidClose(e => {
      const t = this.timers.get(e.document.uri);
      if (t) clearTimeout(t);
      this.timers.delete(e.document.uri);
      void this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.connection.onCodeAction(params => this.codeActions(params));
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
      const result = analyzeText(doc.getText(), this.options);
      void this.connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics });
    } catch (e) {
      this.connection.console.error(`analysis of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const uri = doc.uri;
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some(k => kind === k || kind.startsWith(`${k}.`));
    const out: CodeAction[] = [];
    try {
      const text = doc.getText();
      if (wants(CodeActionKind.QuickFix)) {
        for (const d of params.context.diagnostics) {
          const data = d.data as FixData | undefined;
          if (!data || typeof data.fix !== 'string' || typeof data.at !== 'number') continue;
          const fix = quickFix(text, data);
          if (!fix) continue;
          out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred, edit: { changes: { [uri]: fix.edits } } });
        }
      }
      if (wants(FIX_ALL_DEPRECATIONS_KIND) && (only || params.context.diagnostics.some(d => (d.data as FixData | undefined)?.deprecation))) {
        const all = fixAllDeprecations(text, this.options);
        if (all.applied > 0) {
          out.push({ title: `Fix all deprecations in file (${all.applied})`, kind: FIX_ALL_DEPRECATIONS_KIND, edit: { changes: { [uri]: all.edits } } });
        }
      }
    } catch (e) {
      this.connection.console.error(`code actions for ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    return out;
  }
}

/** Reads the lint settings from `initializationOptions` / `workspace/configuration` shapes. */
export function optionsFromSettings(settings: unknown): AnalysisOptions {
  const s = (settings ?? {}) as { lint?: { serviceWithoutCheck?: unknown; updateWithoutHealthChecks?: unknown } };
  const lint = s.lint ?? {};
  return {
    lints: {
      serviceWithoutCheck: lint.serviceWithoutCheck !== false,
      updateWithoutHealth: lint.updateWithoutHealthChecks !== false,
    },
  };
}
