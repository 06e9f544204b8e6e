/**
 * The editor features of the language server: completion, signature help, hover, outline, folding,
 * formatting, definition / references / rename, semantic tokens and reference-count code lenses. Each
 * handler takes the cached parse of the document version (DocumentAnalyzer.parsed) and calls a pure
 * module of src/language; a failure is logged and answered with an empty result, never a crash.
 */
import {
  ResponseError,
  ErrorCodes,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { offsetAt, toLspRange } from '../language/hcl';
import { schemaRootFor } from '../language/features/context';
import { completeAt, signatureHelpAt } from '../language/features/completion';
import { hoverAt } from '../language/features/hover';
import { completeVarsFile, hoverVarsFile } from '../language/kinds/varsFeatures';
import { documentSymbols, foldingRanges } from '../language/features/symbols';
import { formattingEdits, rangeFormattingEdits } from '../language/features/format';
import {
  definitionAt,
  prepareRenameAt,
  referenceLenses,
  referencesAt,
  renameAt,
} from '../language/features/references';
import { semanticTokens, semanticTokensLegend } from '../language/features/semanticTokens';
import type { DocumentAnalyzer, ParsedDocument } from './analyzer';
import {
  clusterCompletions,
  clusterHover,
  templateCompletions,
  withClusterHover,
  withClusterItems,
} from '../language/cluster';

export class LanguageFeatures {
  /** the Nomad version completion and hover describe (undefined: the newest release known) */
  private target: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyzer: DocumentAnalyzer,
  ) {}

  capabilities(): ServerCapabilities {
    return {
      completionProvider: { triggerCharacters: ['.', '"', '=', ' ', '{'], resolveProvider: false },
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
      hoverProvider: true,
      documentSymbolProvider: { label: 'Nomad' },
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: false },
      codeLensProvider: { resolveProvider: false },
    };
  }

  /** The Nomad version whose schema completion, hover and the other features use. */
  setTarget(version: string | undefined): void {
    this.target = version;
  }

  /** Runs `fn` on the parsed document; logs failures and answers `fallback`. */
  private with<T>(uri: string, what: string, fallback: T, fn: (p: ParsedDocument) => T): T {
    const doc = this.documents.get(uri);
    if (!doc) return fallback;
    try {
      return fn(this.analyzer.parsed(doc));
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      this.connection.console.error(
        `${what} for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return fallback;
    }
  }

  listen(): void {
    const c = this.connection;
    c.onCompletion(p =>
      this.with(p.textDocument.uri, 'completion', null, d => {
        const opts = p.context?.triggerCharacter ? { triggerCharacter: p.context.triggerCharacter } : {};
        if (d.kind === 'vars')
          return completeVarsFile(d.file, offsetAt(d.file, p.position), this.analyzer.varsContext(d.uri));
        const o = offsetAt(d.file, p.position),
          snap = this.analyzer.cluster.snapshot;
        if (d.kind === 'job') {
          const t = templateCompletions(d.file, o, snap);
          if (t) return { isIncomplete: false, items: t };
        }
        return withClusterItems(
          completeAt(d.file, o, schemaRootFor(d.kind, d.file, this.target), opts),
          d.kind === 'job' ? clusterCompletions(d.file, o, snap) : [],
        );
      }),
    );
    c.onSignatureHelp(p =>
      this.with(
        p.textDocument.uri,
        'signature help',
        null,
        d => signatureHelpAt(d.file, offsetAt(d.file, p.position), schemaRootFor(d.kind, d.file, this.target)) ?? null,
      ),
    );
    c.onHover(p =>
      this.with(p.textDocument.uri, 'hover', null, d =>
        d.kind === 'vars'
          ? (hoverVarsFile(d.file, offsetAt(d.file, p.position), this.analyzer.varsContext(d.uri)) ?? null)
          : (withClusterHover(
              hoverAt(d.file, offsetAt(d.file, p.position), schemaRootFor(d.kind, d.file, this.target)),
              d.kind === 'job'
                ? clusterHover(d.file, offsetAt(d.file, p.position), this.analyzer.cluster.snapshot)
                : undefined,
            ) ?? null),
      ),
    );
    c.onDocumentSymbol(p => this.with(p.textDocument.uri, 'document symbols', [], d => documentSymbols(d.file)));
    c.onFoldingRanges(p => this.with(p.textDocument.uri, 'folding ranges', [], d => foldingRanges(d.file)));
    c.onDocumentFormatting(p => this.with(p.textDocument.uri, 'formatting', [], d => formattingEdits(d.text, d.file)));
    c.onDocumentRangeFormatting(p =>
      this.with(p.textDocument.uri, 'range formatting', [], d =>
        rangeFormattingEdits(
          d.text,
          p.range.start.line,
          p.range.end.character === 0 && p.range.end.line > p.range.start.line
            ? p.range.end.line - 1
            : p.range.end.line,
          d.file,
        ),
      ),
    );
    c.onDefinition(p =>
      this.with(p.textDocument.uri, 'definition', null, d => {
        const r = definitionAt(d.file, offsetAt(d.file, p.position));
        return r ? { uri: d.uri, range: toLspRange(d.file, r) } : null;
      }),
    );
    c.onReferences(p =>
      this.with(p.textDocument.uri, 'references', [], d =>
        referencesAt(d.file, offsetAt(d.file, p.position), p.context.includeDeclaration).map(r => ({
          uri: d.uri,
          range: toLspRange(d.file, r),
        })),
      ),
    );
    c.onPrepareRename(p =>
      this.with(p.textDocument.uri, 'prepare rename', null, d => {
        const r = prepareRenameAt(d.file, offsetAt(d.file, p.position));
        return r ? { range: toLspRange(d.file, r.range), placeholder: r.placeholder } : null;
      }),
    );
    c.onRenameRequest(p =>
      this.with(p.textDocument.uri, 'rename', null, d => {
        try {
          const edits = renameAt(d.file, offsetAt(d.file, p.position), p.newName);
          return edits.length ? { changes: { [d.uri]: edits } } : null;
        } catch (e) {
          throw new ResponseError(ErrorCodes.InvalidParams, e instanceof Error ? e.message : String(e));
        }
      }),
    );
    c.languages.semanticTokens.on(p =>
      this.with(p.textDocument.uri, 'semantic tokens', { data: [] }, d =>
        semanticTokens(d.file, schemaRootFor(d.kind, d.file, this.target)),
      ),
    );
    c.onCodeLens(p => this.with(p.textDocument.uri, 'code lenses', [], d => referenceLenses(d.file, d.uri)));
  }
}
