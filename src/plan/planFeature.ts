import * as vscode from 'vscode';
import * as path from 'path';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import { readSetting } from '../config';
import { PlanPanel } from './planPanel';
import { buildPlanViewModel, type DiffPathSegment, type PlanViewModel } from '../nomad/plan/viewModel';
import { isNomadError } from '../nomad/errors';
import type { Job } from '../nomad/types';
import { watchRun, deploymentSafety, eventLine, followRollback, type FailureCause, type RollbackResult, type WatchOutcome } from '../nomad/deploy/watch';
import { joinShown, plain, plainText, visible, type Shown } from '../nomad/display';
import { editorColumn, sideColumn } from './sideColumn';
import { parse, toLspRange } from '../language/hcl';
import { rangeOfDiffPath } from './reveal';
import { showNomadError } from '../cluster/errorUi';
import type { RunPhase } from '../shared/protocol';
import { guardSamePlan } from './samePlanGuard';

interface PlanState {
  uri: vscode.Uri;
  panel: PlanPanel;
  job?: Job;
  source?: string;
  variables?: string;
  /** what the CLI needs to submit the same: -var-file paths (relative to the job file) and -var values */
  cli?: { varFiles: string[]; vars: [string, string][] };
  vm?: PlanViewModel;
  running: boolean;
  /** the last run phase shown in the webview */
  phase?: RunPhase;
  /** the watch of the last run (for tests and for Run while one is watched) */
  watching?: Promise<WatchOutcome | undefined>;
}

/**
 * Plan, Run and Watch: the seed's `nomad plan` + `nomad run -check-index` + "did it work?" loop.
 * A plan is tied to the JobModifyIndex the user looked at; Run submits with EnforceIndex at that index,
 * so a job changed by someone else since the plan is refused, never overwritten.
 */
export class PlanFeature implements vscode.Disposable {
  private readonly plans = new Map<string, PlanState>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {}

  /** "Nomad: Plan Job" */
  async plan(uri?: vscode.Uri): Promise<PlanState | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) { void vscode.window.showWarningMessage('Open a Nomad job file (*.nomad, *.nomad.hcl) to plan it.'); return undefined; }
    const doc = await vscode.workspace.openTextDocument(target);
    let state = this.plans.get(target.toString());
    if (!state) {
      const panel = new PlanPanel(this.extensionUri, plain`Plan: ${path.basename(target.fsPath)}`, m => void this.onMessage(target, m), sideColumn());
      state = { uri: target, panel, running: false };
      this.plans.set(target.toString(), state);
      const key = target.toString();
      panel.onDidClose(() => this.plans.delete(key));
    } else state.panel.panel.reveal(state.panel.panel.viewColumn ?? sideColumn(), true);
    await this.runPlan(state, doc);
    return state;
  }

  /** "Nomad: Run Job": plans first and shows the diff (unless nomad.run.planFirst is off). */
  async run(uri?: vscode.Uri): Promise<void> {
    const planFirst = readSetting<boolean>('nomad.run.planFirst', true, undefined, m => this.log.warn(m));
    const state = await this.plan(uri);
    if (!state?.vm || planFirst) return;
    await this.submit(state, state.vm.jobModifyIndex);
  }

  private async runPlan(state: PlanState, doc: vscode.TextDocument): Promise<void> {
    const fileName = path.basename(doc.uri.fsPath);
    state.panel.post({ type: 'planning', fileName });
    await this.connection.ensureConnected();
    const client = this.connection.client;
    if (!client) {
      const s = this.connection.state;
      state.panel.post({ type: 'planError', message: s.kind === 'unauthorized' ? `The cluster refused the ACL token: ${s.message}` : s.kind === 'error' ? `Could not reach Nomad: ${s.message}` : 'Not connected to a Nomad cluster.' });
      await this.connection.reportState();
      return;
    }
    try {
      const source = doc.getText();
      const vars = await this.variablesFor(doc);
      if (vars === undefined) { state.panel.post({ type: 'planError', message: 'Planning cancelled: a required variable has no value.' }); return; }
      const variables = vars.text;
      // the cluster parses the file (its own HCL2 evaluation), then plans it with a diff
      const job = await client.parseJob(source, { canonicalize: true, variables });
      const jobId = String(job.ID ?? '');
      const plan = await client.planJob(job, true, job.Namespace ? { namespace: String(job.Namespace) } : {});
      const cli = { varFiles: vars.varFiles, vars: vars.vars };
      const vm = buildPlanViewModel(jobId, plan, fileName, { ...cli, job });
      Object.assign(state, { job, source, variables, cli, vm });
      state.panel.post({ type: 'plan', vm, fileName, namespace: String(job.Namespace ?? this.connection.namespace), cluster: this.connection.profile?.name ?? this.connection.currentCluster(), plannedAt: new Date().toISOString() });
      void vscode.commands.executeCommand('setContext', 'nomad.hasPlan', true);
    } catch (e) {
      this.log.error(`plan of ${fileName}`, e);
      state.panel.post({ type: 'planError', message: visible(isNomadError(e) ? (e.serverMessage ?? e.message) : e instanceof Error ? e.message : String(e)) });
    }
  }

  /** Variables for the parse: the files named in nomad.plan.variableFiles, then prompts for required ones.
   *  Also what the same submission takes on the command line: the files read (as -var-file, relative to
   *  the job file's folder) and the prompted values (as -var). */
  private async variablesFor(doc: vscode.TextDocument): Promise<{ text: string; varFiles: string[]; vars: [string, string][] } | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const files = readSetting<string[]>('nomad.plan.variableFiles', [], doc.uri, m => this.log.warn(m));
    const parts: string[] = [];
    const varFiles: string[] = [];
    const vars: [string, string][] = [];
    const jobDir = path.dirname(doc.uri.fsPath);
    for (const f of files) {
      const uri = path.isAbsolute(f) ? vscode.Uri.file(f) : folder ? vscode.Uri.joinPath(folder.uri, f) : vscode.Uri.joinPath(doc.uri, '..', f);
      try {
        parts.push(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
        varFiles.push(uri.scheme === 'file' ? path.relative(jobDir, uri.fsPath) || path.basename(uri.fsPath) : uri.fsPath);
      } catch { this.log.warn(`variables file not found: ${uri.fsPath}`); }
    }
    const given = new Set<string>();
    for (const text of parts) for (const a of parse(text).body.items) if (a.kind === 'Attribute') given.add(a.name);
    // required variables: declared without a default and not given by a file
    const file = parse(doc.getText());
    for (const item of file.body.items) {
      if (item.kind !== 'Block' || item.type !== 'variable' || item.labels.length !== 1) continue;
      const name = item.labels[0]!.value;
      if (given.has(name) || item.body.items.some(i => i.kind === 'Attribute' && i.name === 'default')) continue;
      const value = await vscode.window.showInputBox({ title: plain`Variable "${name}" has no default`, prompt: 'Its value for this plan (numbers and true/false are passed as such)', ignoreFocusOut: true });
      if (value === undefined) return undefined;
      const literal = /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' ? value : JSON.stringify(value);
      parts.push(`${name} = ${literal}`);
      vars.push([name, value]);
    }
    return { text: parts.join('\n'), varFiles, vars };
  }

  private async onMessage(uri: vscode.Uri, m: Parameters<ConstructorParameters<typeof PlanPanel>[2]>[0]): Promise<void> {
    const state = this.plans.get(uri.toString());
    if (!state) return;
    switch (m.type) {
      case 'run': await this.submit(state, m.jobModifyIndex); break;
      case 'replan': await this.runPlan(state, await vscode.workspace.openTextDocument(uri)); break;
      case 'copy': await vscode.env.clipboard.writeText(m.text); void vscode.window.setStatusBarMessage('Copied', 2000); break;
      case 'reveal': await this.reveal(uri, m.path); break;
      default: break;
    }
  }

  private async reveal(uri: vscode.Uri, p: DiffPathSegment[]): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const file = parse(doc.getText());
    const range = rangeOfDiffPath(file, p);
    if (!range) return;
    const r = toLspRange(file, range);
    const sel = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    await vscode.window.showTextDocument(doc, { viewColumn: editorColumn(uri), selection: sel, preserveFocus: false });
  }

  private setPhase(state: PlanState, phase: RunPhase): void {
    state.phase = phase;
    state.panel.post({ type: 'run', state: phase });
  }

  /** Submit the planned job with check-index = the plan's JobModifyIndex, then watch what it does. */
  async submit(state: PlanState, jobModifyIndex: number): Promise<void> {
    const client = this.connection.client;
    if (!client || !state.job || state.running) return;
    state.running = true;
    this.setPhase(state, { phase: 'submitting' });
    const job = state.job;
    const ns = job.Namespace ? { namespace: String(job.Namespace) } : {};
    try {
      // run exactly the plan shown (src/plan/samePlanGuard.ts): planned again, a different answer is asked about
      if (state.vm) {
        const fileName = path.basename(state.uri.fsPath);
        const g = await guardSamePlan(client, job, state.vm, fileName, { ...(state.cli ?? {}), job });
        if (!g.run && g.vm) { state.vm = g.vm; state.panel.post({ type: 'plan', vm: g.vm, fileName, namespace: String(job.Namespace ?? this.connection.namespace), cluster: this.connection.profile?.name ?? this.connection.currentCluster(), plannedAt: new Date().toISOString() }); return; }
        if (!g.run) { this.setPhase(state, { phase: 'error', message: 'Not submitted: planned again, the cluster would now do something other than the plan shown.' }); return; }
      }
      const r = await client.registerJob(job, {
        ...ns, enforceIndex: true, jobModifyIndex,
        submission: { source: state.source ?? '', ...(state.variables ? { variables: state.variables } : {}) },
      });
      this.setPhase(state, { phase: 'submitted', evalId: r.EvalID });
      this.log.info(`registered ${visible(job.ID)} with check-index ${jobModifyIndex}: evaluation ${r.EvalID}, job modify index ${r.JobModifyIndex}`);
      state.watching = this.watch(state, String(job.ID), r.EvalID, r.JobModifyIndex);
    } catch (e) {
      if (isNomadError(e) && e.kind === 'conflict') {
        const current = e.actualIndex;
        this.setPhase(state, { phase: 'conflict', planIndex: jobModifyIndex, ...(current !== undefined ? { currentIndex: current } : {}), message: e.serverMessage ?? e.message });
        const pick = await vscode.window.showWarningMessage(plain`The job "${job.ID}" changed since your plan (index ${jobModifyIndex}${current !== undefined ? ` → ${current}` : ''}). Nothing was submitted.`, 'Re-plan');
        if (pick === 'Re-plan') await this.runPlan(state, await vscode.workspace.openTextDocument(state.uri));
      } else {
        this.setPhase(state, { phase: 'error', message: visible(e instanceof Error ? e.message : String(e)) });
        await showNomadError(e, `Run ${plainText(job.ID)}`, this.connection.actions());
      }
    } finally {
      state.running = false;
    }
  }

  /** Follow the evaluation and the deployment in a cancellable progress notification. The first task
   *  failure is reported as soon as it is seen; the end is shown in the plan view and in one message. */
  private async watch(state: PlanState, jobId: string, evalId: string, jobModifyIndex: number): Promise<WatchOutcome | undefined> {
    const client = this.connection.client;
    if (!client || !state.job) return undefined;
    const ns = state.job.Namespace ? String(state.job.Namespace) : undefined;
    const timeoutMin = readSetting<number>('nomad.run.watchTimeoutMinutes', 15, undefined, m => this.log.warn(m));
    let failure: string | undefined;
    let progressText = 'evaluating…';
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plain`Nomad: deploying ${jobId}`, cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return watchRun(client, {
        jobId, evalId, jobModifyIndex, signal: ac.signal, timeoutMs: timeoutMin * 60_000, ...(ns ? { namespace: ns } : {}),
        onProgress: p => {
          progressText = p.phase === 'evaluating' ? 'evaluating…' : `${p.status ?? ''}: ${p.groups.map(g => `${g.group} ${g.healthy}/${g.desired} healthy${g.unhealthy ? `, ${g.unhealthy} unhealthy` : ''}, ${g.placed} placed`).join('; ')}`;
          progress.report({ message: plainText(progressText) });
          this.setPhase(state, { phase: 'deploying', evalId, progress: visible(progressText), ...(failure ? { failure } : {}) });
        },
        onFailure: cause => {
          failure = visible(`${cause.where}: ${cause.text}`);
          this.log.warn(`deployment of ${visible(jobId)}: ${failure}`);
          this.setPhase(state, { phase: 'deploying', evalId, progress: visible(progressText), failure });
          void this.reportFailing(jobId, cause);
        },
      });
    }).then(o => o, (e: unknown) => { this.log.error('watching the deployment', e); return undefined; });
    if (!outcome) { this.setPhase(state, { phase: 'error', message: 'Watching the deployment stopped on an error: see the Nomad output.' }); return undefined; }
    await this.report(state, jobId, outcome);
    return outcome;
  }

  /** A task failed while the deployment still runs: say so now, cause first (not modal). */
  private async reportFailing(jobId: string, cause: FailureCause): Promise<void> {
    const pick = await vscode.window.showWarningMessage(plain`${cause.where}: ${cause.text} — while deploying ${jobId} (the deployment is not over yet).`, 'Show Logs');
    if (pick === 'Show Logs') await vscode.commands.executeCommand('nomad.followLogs', { kind: 'task', allocId: cause.allocId, task: cause.task });
  }

  private async report(state: PlanState, jobId: string, o: WatchOutcome): Promise<void> {
    const safety = state.job ? deploymentSafety(state.job) : undefined;
    switch (o.outcome) {
      case 'successful': {
        this.log.info(`deployment ${o.deployment.ID} of ${visible(jobId)} v${o.deployment.JobVersion} is healthy`);
        this.setPhase(state, { phase: 'done', outcome: 'successful', message: `Deployed: version ${o.deployment.JobVersion} is healthy.` });
        void vscode.window.showInformationMessage(plain`${jobId} v${o.deployment.JobVersion} is deployed and healthy.`);
        break;
      }
      case 'failed': {
        const tasks = o.failedTasks.map(t => `${t.allocName}/${t.task}: ${t.events.slice(-2).map(eventLine).join(' → ')}`);
        for (const t of tasks) this.log.warn(`failed: ${visible(t)}`);
        const cause = o.cause ? `${o.cause.where}: ${o.cause.text}` : tasks[0];
        const version = o.deployment.JobVersion;
        // cause first: what failed and why, then which deployment
        const failed = plain`Deployment of ${jobId} v${version} failed: ${o.reason}.`;
        const text = cause ? joinShown([plain`${cause}. `, failed]) : failed;
        const logsTarget = o.cause ? { allocId: o.cause.allocId, task: o.cause.task } : o.failedTasks[0] ? { allocId: o.failedTasks[0].allocId, task: o.failedTasks[0].task } : undefined;
        const showLogs = async () => { if (logsTarget) await vscode.commands.executeCommand('nomad.followLogs', { kind: 'task', ...logsTarget }); };
        if (o.autoReverted) {
          // Nomad already rolls back: nothing to offer but the logs; follow the rollback and say how it ended
          this.setPhase(state, { phase: 'done', outcome: 'failed', message: `Version ${version} failed; Nomad is rolling back${o.rollbackTo !== undefined ? ` to version ${o.rollbackTo}` : ''}…`, ...(cause ? { detail: visible(cause) } : {}) });
          const rolling = plain` Nomad is rolling back${o.rollbackTo !== undefined ? ` to version ${o.rollbackTo}` : ''} (auto_revert).`;
          void vscode.window.showErrorMessage(joinShown([text, rolling]), ...(logsTarget ? ['Show Logs'] as const : []))
            .then(pick => (pick === 'Show Logs' ? showLogs() : undefined));
          const rb = await this.followRollback(state, jobId, version, o.rollbackTo);
          if (rb) this.reportRollback(state, jobId, version, rb, cause);
        } else {
          const extra = safety && !safety.autoRevert ? ' This job has no auto_revert, so the bad version stays until you revert.' : '';
          this.setPhase(state, { phase: 'done', outcome: 'failed', message: `Version ${version} failed${o.revertTo !== undefined ? `; version ${o.revertTo} is the last stable one` : ''}.`, ...(cause ? { detail: visible(cause) } : {}) });
          const buttons: Shown[] = [];
          if (o.revertTo !== undefined) buttons.push(plain`Revert to version ${o.revertTo}`);
          if (logsTarget) buttons.push(plain`Show Logs`);
          const pick: string | undefined = await vscode.window.showErrorMessage(joinShown([text, plain`${extra}`]), ...buttons);
          if (pick?.startsWith('Revert') && o.revertTo !== undefined) await this.revert(state, jobId, o.revertTo, version);
          if (pick === 'Show Logs') await showLogs();
        }
        break;
      }
      case 'placement-failed': {
        const lines = o.groups.map(g => `${g.group}: ${g.lines.join('; ')}`);
        for (const l of lines) this.log.warn(`placement failed: ${visible(l)}`);
        this.setPhase(state, { phase: 'done', outcome: 'placement-failed', message: 'The scheduler could not place the allocations.', detail: visible(lines.join(' | ')) });
        void vscode.window.showErrorMessage(plain`${jobId} could not be placed: ${lines.join(' | ')}`, 'Open Output').then(p => { if (p) this.log.show(); });
        break;
      }
      case 'no-deployment':
        this.setPhase(state, { phase: 'done', outcome: 'no-deployment', message: `Submitted. ${visible(o.reason)}` });
        void vscode.window.showInformationMessage(plain`${jobId} submitted. ${o.reason}`);
        break;
      case 'timeout':
        this.setPhase(state, { phase: 'done', outcome: 'timeout', message: `Stopped watching: the deployment did not finish in time${o.deployment ? ` (status ${visible(o.deployment.Status)})` : ''}.` });
        void vscode.window.showWarningMessage(plain`Stopped watching ${jobId}: the deployment did not finish in time${o.deployment ? ` (status ${o.deployment.Status})` : ''}.`);
        break;
      case 'cancelled':
        this.setPhase(state, { phase: 'done', outcome: 'cancelled', message: 'Stopped watching the deployment (it goes on in the cluster).' });
        break;
    }
    if (safety && (o.outcome === 'successful' || o.outcome === 'failed') && (!safety.hasChecks || !safety.autoRevert)) {
      const what = !safety.hasChecks ? 'has no health checks, so this deployment could only wait for the tasks to start' : 'has no auto_revert, so a bad version is not rolled back by itself';
      const pick = await vscode.window.showInformationMessage(plain`${jobId} ${what}.`, 'Show Fix');
      if (pick) await this.showSafetyFix(state.uri);
    }
  }

  /** Open the job file at the first deployment-safety finding and offer its quick fix. */
  private async showSafetyFix(uri: vscode.Uri): Promise<void> {
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: editorColumn(uri) });
    const d = vscode.languages.getDiagnostics(uri).find(x => /check|health|auto_revert|update/i.test(x.message) && x.severity !== vscode.DiagnosticSeverity.Error);
    if (!d) return;
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range);
    await vscode.commands.executeCommand('editor.action.quickFix');
  }

  /** Nomad's own rollback (auto_revert) registers the stable version again: follow it to its end. */
  private async followRollback(state: PlanState, jobId: string, failedVersion: number, to: number | undefined): Promise<RollbackResult | undefined> {
    const client = this.connection.client;
    if (!client) return undefined;
    const ns = state.job?.Namespace ? String(state.job.Namespace) : undefined;
    const timeoutMin = readSetting<number>('nomad.run.watchTimeoutMinutes', 15, undefined, m => this.log.warn(m));
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plain`Nomad: ${jobId} rolls back${to !== undefined ? ` to version ${to}` : ''}`, cancellable: true }, async (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return followRollback(client, { jobId, failedVersion, signal: ac.signal, timeoutMs: timeoutMin * 60_000, ...(to !== undefined ? { to } : {}), ...(ns ? { namespace: ns } : {}) });
    }).then(r => r, (e: unknown) => { this.log.error('following the rollback', e); return undefined; });
  }

  private reportRollback(state: PlanState, jobId: string, failedVersion: number, rb: RollbackResult, cause: string | undefined): void {
    const toText = rb.to !== undefined ? `version ${rb.to}` : 'the last stable version';
    const as = rb.registeredAs !== undefined ? ` (registered as v${rb.registeredAs})` : '';
    // the only cluster string in it is the failed rollback's description: shown through `show`
    const words = (show: (v: unknown) => string): string => {
      switch (rb.status) {
        case 'successful': return `Nomad rolled back to ${toText}${as}, and it is healthy.`;
        case 'failed': return `Nomad rolled back to ${toText}${as}, but that deployment failed too${rb.deployment?.StatusDescription ? `: ${show(rb.deployment.StatusDescription)}` : ''}.`;
        case 'running': return `Nomad rolled back to ${toText}${as}; its deployment is still running (stopped watching).`;
        case 'cancelled': return `Nomad is rolling back to ${toText}${as} (stopped watching).`;
        case 'none': return `Nomad did not register a rollback version after v${failedVersion} failed.`;
      }
    };
    this.log.info(`${visible(jobId)}: ${words(visible)}`);
    this.setPhase(state, { phase: 'done', outcome: 'failed', message: `Version ${failedVersion} failed. ${words(visible)}`, ...(cause ? { detail: visible(cause) } : {}) });
    const text = plain`${jobId}: ${words(plainText)}`;
    if (rb.status === 'successful') void vscode.window.showInformationMessage(text); else void vscode.window.showWarningMessage(text);
  }

  async revert(state: PlanState | undefined, jobId: string, version: number, priorVersion: number): Promise<void> {
    const ns = state?.job?.Namespace ? { namespace: String(state.job.Namespace) } : {};
    const r = await this.connection.withClient(`Revert ${jobId}`, c => c.revertJob(jobId, version, priorVersion, ns));
    if (!r) return;
    void vscode.window.showInformationMessage(plain`Reverting ${jobId} to version ${version}…`);
    if (state) await this.watch(state, jobId, r.EvalID, r.JobModifyIndex);
  }

  /** For tests and other features: the plan state of a file. */
  planOf(uri: vscode.Uri): { vm?: PlanViewModel; panel: vscode.WebviewPanel; phase?: RunPhase } | undefined {
    const s = this.plans.get(uri.toString());
    return s ? { ...(s.vm ? { vm: s.vm } : {}), panel: s.panel.panel, ...(s.phase ? { phase: s.phase } : {}) } : undefined;
  }

  /** What the webview's Run button does: submit the shown plan at its JobModifyIndex. */
  async runShownPlan(uri: vscode.Uri): Promise<void> {
    const s = this.plans.get(uri.toString());
    if (s?.vm) await this.submit(s, s.vm.jobModifyIndex);
  }

  dispose(): void {
    for (const s of this.plans.values()) s.panel.panel.dispose();
    this.plans.clear();
  }
}
