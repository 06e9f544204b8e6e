import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import { readSetting } from '../config';
import { isNomadError } from '../nomad/errors';
import { parseHclErrorLocation, parseValidationErrors } from '../language/check/clusterFindings';
import { parse, toLspRange } from '../language/hcl';
import { detectKind } from '../language';
import { rangeForFinding } from '../language/check/findingRanges';
import { visible } from '../nomad/display';

const DEBOUNCE_MS = 1500;

/**
 * Nomad's own validation of job files, when a cluster is connected: `/v1/jobs/parse` then
 * `/v1/validate/job`, debounced while typing and at once on save. Its findings are labelled as coming
 * from the cluster, live in their own collection, and disappear as soon as the file changes, until the
 * next check has run. It never blocks typing: requests are async and a newer edit cancels an older one.
 */
export class ClusterValidation implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nomad-cluster');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, AbortController>();
  private readonly subs: vscode.Disposable[] = [];
  /** completed checks, for tests: uri → document version checked */
  readonly checked = new Map<string, number>();

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument(e => {
        if (!this.applies(e.document) || e.contentChanges.length === 0) return;
        this.collection.delete(e.document.uri);
        this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument(d => {
        if (this.applies(d)) this.schedule(d, 0);
      }),
      vscode.workspace.onDidOpenTextDocument(d => {
        if (this.applies(d)) this.schedule(d, 0);
      }),
      vscode.workspace.onDidCloseTextDocument(d => {
        this.cancel(d.uri.toString());
        this.collection.delete(d.uri);
      }),
      connection.onDidChange(s => {
        if (s.kind === 'connected')
          for (const d of vscode.workspace.textDocuments) {
            if (this.applies(d)) this.schedule(d, 0);
          }
        else if (s.kind !== 'connecting') this.collection.clear();
      }),
    );
  }

  private enabled(): boolean {
    return readSetting('nomad.validateOnCluster', undefined, m => this.log.warn(m));
  }

  private applies(d: vscode.TextDocument): boolean {
    return (
      d.languageId === 'nomad' &&
      (d.uri.scheme === 'file' || d.uri.scheme === 'untitled' || d.uri.scheme === 'vscode-remote')
    );
  }

  private cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.inflight.get(key)?.abort();
    this.inflight.delete(key);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.enabled() || this.connection.state.kind !== 'connected') return;
    const key = doc.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(doc);
      }, delay),
    );
  }

  /** Check one document now (also used by tests). */
  async check(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const client = this.connection.client;
    const key = doc.uri.toString();
    if (!client) return [];
    const version = doc.version;
    const text = doc.getText();
    const file = parse(text);
    // only job files go to the cluster; agent configs and the like are not jobs
    if (detectKind(file) !== 'job' || file.errors.some(e => e.severity === 'error')) {
      this.collection.delete(doc.uri);
      return [];
    }
    const ac = new AbortController();
    this.inflight.get(key)?.abort();
    this.inflight.set(key, ac);
    const diags: vscode.Diagnostic[] = [];
    const mk = (range: vscode.Range, message: string, severity = vscode.DiagnosticSeverity.Error) => {
      // the text is the cluster's: invisible and bidirectional characters shown (a Problems row reads as it is)
      const d = new vscode.Diagnostic(range, visible(message), severity);
      d.source = 'Nomad (cluster)';
      diags.push(d);
    };
    const toRange = (r: { start: number; end: number }) => {
      const l = toLspRange(file, r);
      return new vscode.Range(l.start.line, l.start.character, l.end.line, l.end.character);
    };
    const jobHeader = () => {
      const j = file.body.items.find(i => i.kind === 'Block' && i.type === 'job');
      return j ? toRange(j.kind === 'Block' ? j.typeRange : j.range) : new vscode.Range(0, 0, 0, 0);
    };
    try {
      let job;
      try {
        job = await client.parseJob(text, { canonicalize: true, signal: ac.signal });
      } catch (e) {
        if (!isNomadError(e) || e.kind !== 'badRequest') throw e;
        const msg = e.serverMessage ?? e.message;
        const loc = parseHclErrorLocation(msg);
        if (loc)
          mk(
            new vscode.Range(loc.line - 1, loc.column - 1, loc.endLine - 1, Math.max(loc.endColumn - 1, loc.column)),
            loc.message,
          );
        else if (/variable|var\./i.test(msg))
          mk(
            jobHeader(),
            `${msg} (set nomad.plan.variableFiles to check with values)`,
            vscode.DiagnosticSeverity.Information,
          );
        else mk(jobHeader(), msg);
      }
      if (job) {
        const v = await client.validateJob(job, { signal: ac.signal });
        for (const f of parseValidationErrors(v.ValidationErrors ?? (v.Error ? [v.Error] : []))) {
          const r = rangeForFinding(file, f);
          mk(r ? toRange(r) : jobHeader(), f.message);
        }
        for (const w of (v.Warnings ?? '')
          .split('\n')
          .map(s => s.replace(/^\s*\*\s*/, '').trim())
          .filter(s => s && !/^\d+ (warning|error)s? occurred/.test(s))) {
          mk(jobHeader(), w, vscode.DiagnosticSeverity.Warning);
        }
      }
      if (doc.version !== version || ac.signal.aborted) return [];
      this.collection.set(doc.uri, diags);
      this.checked.set(key, version);
      return diags;
    } catch (e) {
      if (!ac.signal.aborted)
        this.log.debug(`cluster validation of ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    } finally {
      if (this.inflight.get(key) === ac) this.inflight.delete(key);
    }
  }

  dispose(): void {
    for (const k of [...this.timers.keys(), ...this.inflight.keys()]) this.cancel(k);
    for (const s of this.subs) s.dispose();
    this.collection.dispose();
  }
}
