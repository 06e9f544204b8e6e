import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeFile,
  detectKind,
  type AnalysisOptions,
  type FileKind,
  type FixData,
  type VarsContext,
} from '../language';
import { FILE_KINDS } from '../language/kinds';
import { Notifications, Requests, type FileKindResult, type SetFileKindParams } from '../shared/protocol';
import { onRequest } from './handle';
import type { DocumentSettings } from './settings';
import { FolderVariables } from './folderVariables';
import { ClusterSnapshotHolder, clusterDiagnostics, templateDiagnostics } from '../language/cluster';
import { ClusterSnapshotResyncNotification } from '../shared/clusterSnapshot';
import { collectYoungGeneration, LARGE_DOCUMENT, LARGE_PARSE, releaseMemorySoon } from './memory';
import { parse, type HclFile } from '../language/hcl';
import { fixAllDeprecations, quickFix } from '../language/features/codeActions';

/** NOMAD_LS_TIMING=1: each analysis logs its parse / analysis / publish times to stderr (for profiling). */
const TIMING = process.env.NOMAD_LS_TIMING === '1';

/** Debounce for re-checking a document while the user types (ms). */
const DEBOUNCE_MS = 120;

/** The source action that applies every deprecation fix of a file. */
export const FIX_ALL_DEPRECATIONS_KIND = `${CodeActionKind.Source}.fixAll.nomad.deprecations`;

/** A parsed document version, shared by diagnostics and the editor features. */
export interface ParsedDocument {
  uri: string;
  version: number;
  text: string;
  file: HclFile;
  kind: FileKind;
}

/** How many parsed documents are kept (most recently used first out last). */
const PARSE_CACHE_SIZE = 16;

/**
 * Runs the pure analysis of src/language on each document (debounced, latest version only) and
 * publishes its diagnostics. A failure inside the analysis is logged and never takes the server down.
 * Diagnostics carry their quick-fix data, so code actions need no re-analysis.
 */
export class DocumentAnalyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** the version a document was opened with, until its first edit */
  private readonly openedVersion = new Map<string, number>();
  private options: AnalysisOptions = {};
  private readonly parsedDocs = new Map<string, ParsedDocument>();
  /** kinds chosen by the user (nomad/setFileKind), by uri */
  private readonly kindOverrides = new Map<string, FileKind>();
  private readonly folderVars = new FolderVariables(() =>
    this.documents.all().map(d => ({ uri: d.uri, file: this.parsed(d).file })),
  );

  /**
   * the cluster snapshot the client sent (nomad/clusterSnapshot, then nomad/clusterSnapshotDelta); none while
   * not connected. A delta out of step asks the client for the whole (nomad/clusterSnapshotResync).
   */
  readonly cluster = new ClusterSnapshotHolder(p => {
    void this.connection.sendNotification(ClusterSnapshotResyncNotification, p).catch(() => undefined);
  });

  /**
   * @param settings the settings of each document's folder (nomad.lint.*, pulled per folder); without it, or
   *   while the client cannot answer workspace/configuration, every document has the options of setOptions
   */
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings?: DocumentSettings,
  ) {
    this.cluster.onChange(() => {
      for (const doc of this.documents.all()) this.schedule(doc, DEBOUNCE_MS);
    });
  }

  capabilities(): ServerCapabilities {
    return {
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_DEPRECATIONS_KIND],
        resolveProvider: false,
      },
    };
  }

  get currentOptions(): AnalysisOptions {
    return this.options;
  }

  /** The options of every document (target version; lint settings where none are pulled per folder); re-checks every open document. */
  setOptions(options: AnalysisOptions): void {
    this.options = options;
    for (const doc of this.documents.all()) this.schedule(doc, 0);
  }

  listen(): void {
    // An open is analysed at once, in its own handler: the editor's requests that follow it (semantic
    // tokens, folding, symbols …) are already queued and would otherwise run first. TextDocuments fires
    // onDidChangeContent for an open as well: that one must not push the answer back by the typing
    // debounce. Only later versions (edits) are debounced.
    this.documents.onDidOpen(e => {
      this.openedVersion.set(e.document.uri, e.document.version);
      const prev = this.timers.get(e.document.uri);
      if (prev) {
        clearTimeout(prev);
        this.timers.delete(e.document.uri);
      }
      this.validate(e.document.uri, e.document.version);
    });
    this.documents.onDidChangeContent(e => {
      if (this.openedVersion.get(e.document.uri) === e.document.version) return;
      this.openedVersion.delete(e.document.uri);
      this.schedule(e.document, DEBOUNCE_MS);
    });
    this.documents.onDidClose(e => {
      const t = this.timers.get(e.document.uri);
      if (t) clearTimeout(t);
      this.timers.delete(e.document.uri);
      this.openedVersion.delete(e.document.uri);
      this.parsedDocs.delete(e.document.uri);
      if (e.document.getText().length >= LARGE_DOCUMENT) releaseMemorySoon();
      void this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.connection.onCodeAction(params => this.codeActions(params));
    this.connection.onNotification(Notifications.setFileKind, p => this.setFileKind(p));
    onRequest(this.connection, Requests.fileKind, p => this.fileKind(p.uri));
  }

  private schedule(doc: TextDocument, delay: number): void {
    const prev = this.timers.get(doc.uri);
    if (prev) clearTimeout(prev);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        this.validate(doc.uri, doc.version);
      }, delay),
    );
  }

  /**
   * The options a document is analysed with: those of setOptions, with its folder's settings over them. At
   * once when they are known; a promise while its folder's settings are being pulled.
   */
  private optionsFor(uri: string): AnalysisOptions | Promise<AnalysisOptions> {
    const own = this.settings?.forDocument(uri);
    if (own === undefined) return this.options;
    if (own instanceof Promise) return own.then(o => ({ ...this.options, ...o }));
    return { ...this.options, ...own };
  }

  private validate(uri: string, version: number): void {
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return;
    const options = this.optionsFor(uri);
    if (options instanceof Promise) {
      // the folder's settings are on their way: analyse with them once they are here (if still the latest version)
      void options.then(o => {
        if (this.documents.get(uri)?.version === version) this.analyze(doc, o);
      });
      return;
    }
    this.analyze(doc, options);
  }

  private analyze(doc: TextDocument, options: AnalysisOptions): void {
    const { uri, version } = doc;
    try {
      const t0 = TIMING ? performance.now() : 0;
      const parsed = this.parsed(doc);
      const t1 = TIMING ? performance.now() : 0;
      const vars = parsed.kind === 'vars' ? this.varsContext(uri) : undefined;
      const result = analyzeFile(parsed.file, {
        ...options,
        kind: parsed.kind,
        fileName: uri,
        ...(vars ? { vars } : {}),
      });
      const t2 = TIMING ? performance.now() : 0;
      if (parsed.kind === 'job')
        result.diagnostics.push(
          ...templateDiagnostics(parsed.file),
          ...clusterDiagnostics(parsed.file, this.cluster.snapshot),
        );
      void this.connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics });
      if (TIMING) {
        const t3 = performance.now();
        process.stderr.write(
          `[timing] ${uri}: at ${t0.toFixed(1)} ms, parse ${(t1 - t0).toFixed(1)} ms, analysis ${(t2 - t1).toFixed(1)} ms, publish ${(t3 - t2).toFixed(1)} ms, ${result.diagnostics.length} diagnostics\n`,
        );
      }
      if (parsed.kind === 'job') this.revalidateVarsNear(uri);
    } catch (e) {
      this.connection.console.error(
        `analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }

  /** The declarations of the job files next to a variables file (undefined: none found). */
  varsContext(uri: string): VarsContext | undefined {
    try {
      return this.folderVars.contextFor(uri);
    } catch (e) {
      this.connection.console.error(
        `reading the job files next to ${uri} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
  }

  /** nomad/setFileKind: the user's choice of kind for a document (null: detect again). */
  setFileKind(p: SetFileKindParams): void {
    if (!p || typeof p.uri !== 'string') return;
    if (p.kind === null || p.kind === undefined) this.kindOverrides.delete(p.uri);
    else if ((FILE_KINDS as readonly string[]).includes(p.kind)) this.kindOverrides.set(p.uri, p.kind);
    else return;
    this.parsedDocs.delete(p.uri);
    const doc = this.documents.get(p.uri);
    if (doc) this.schedule(doc, 0);
  }

  /** nomad/fileKind: the kind used for a document, the detected one, and whether the user chose it. */
  fileKind(uri: string): FileKindResult | null {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const parsed = this.parsed(doc);
    const override = this.kindOverrides.get(uri);
    return {
      kind: parsed.kind,
      detected: override === undefined ? parsed.kind : detectKind(parsed.file, uri),
      overridden: override !== undefined,
    };
  }

  /** After a job file changed: re-check the open variables files of its folder. */
  private revalidateVarsNear(uri: string): void {
    const folder = FolderVariables.folderOf(uri);
    if (!folder) return;
    for (const d of this.documents.all()) {
      if (d.uri === uri || FolderVariables.folderOf(d.uri) !== folder) continue;
      if (this.parsed(d).kind === 'vars') this.schedule(d, DEBOUNCE_MS);
    }
  }

  /** The parse of the document's current version (cached by uri + version, bounded, cleared on close). */
  parsed(doc: TextDocument): ParsedDocument {
    const hit = this.parsedDocs.get(doc.uri);
    if (hit && hit.version === doc.version) {
      this.parsedDocs.delete(doc.uri);
      this.parsedDocs.set(doc.uri, hit);
      return hit;
    }
    const text = doc.getText();
    if (text.length >= LARGE_PARSE) collectYoungGeneration();
    const file = parse(text);
    const entry: ParsedDocument = {
      uri: doc.uri,
      version: doc.version,
      text,
      file,
      kind: this.kindOverrides.get(doc.uri) ?? this.options.kind ?? detectKind(file, doc.uri),
    };
    this.parsedDocs.delete(doc.uri);
    this.parsedDocs.set(doc.uri, entry);
    while (this.parsedDocs.size > PARSE_CACHE_SIZE) this.parsedDocs.delete(this.parsedDocs.keys().next().value!);
    return entry;
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const options = await this.optionsFor(doc.uri);
    const uri = doc.uri;
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some(k => kind === k || kind.startsWith(`${k}.`));
    const out: CodeAction[] = [];
    try {
      const text = doc.getText();
      // fixes are judged as this document is analysed: its kind and the target version
      const fixOptions = { ...options, kind: this.parsed(doc).kind, fileName: uri };
      if (wants(CodeActionKind.QuickFix)) {
        for (const d of params.context.diagnostics) {
          const data = d.data as FixData | undefined;
          if (!data || typeof data.fix !== 'string' || typeof data.at !== 'number') continue;
          const fix = quickFix(text, data, fixOptions);
          if (!fix) continue;
          out.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: fix.preferred,
            edit: { changes: { [uri]: fix.edits } },
          });
        }
      }
      if (
        wants(FIX_ALL_DEPRECATIONS_KIND) &&
        (only || params.context.diagnostics.some(d => (d.data as FixData | undefined)?.deprecation))
      ) {
        const all = fixAllDeprecations(text, fixOptions);
        if (all.applied > 0) {
          out.push({
            title: `Fix all deprecations in file (${all.applied})`,
            kind: FIX_ALL_DEPRECATIONS_KIND,
            edit: { changes: { [uri]: all.edits } },
          });
        }
      }
    } catch (e) {
      this.connection.console.error(
        `code actions for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
    return out;
  }
}
