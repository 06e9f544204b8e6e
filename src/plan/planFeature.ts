import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import * as path from 'path';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import { readSetting } from '../config';
import { PlanPanel } from './planPanel';
import { buildPlanViewModel, type DiffPathSegment, type PlanViewModel } from '../nomad/plan/viewModel';
import { isNomadError } from '../nomad/errors';
import type { Job } from '../nomad/types';
import {
  watchRun,
  deploymentSafety,
  eventLine,
  followRollback,
  retryText,
  type RestartRetry,
  type RollbackResult,
  type WatchOutcome,
} from '../nomad/deploy/watch';
import { submitPlanned } from '../nomad/deploy/submit';
import { DeploymentNotice } from './deploymentNotice';
import { markWalkthrough, WalkthroughContext } from '../client/walkthrough';
import { describeDifferences } from '../nomad/plan/samePlan';
import { joinShown, plain, plainText, visible, type Shown } from '../nomad/display';
import { editorColumn, moveBelow, planPlacement } from './sideColumn';
import { parse, toLspRange } from '../language/hcl';
import { rangeOfDiffPath } from '../language/features/planReveal';
import { showNomadError } from '../cluster/errorUi';
import type { PlanStatus, RunPhase } from '../nomad/plan/messages';
import { guardSamePlan } from './samePlanGuard';

interface PlanState {
  uri: vscode.Uri;
  panel: PlanPanel;
  job?: Job;
  /** the text this plan was made of (the file as it was on disk and in the editor) */
  source?: string;
  variables?: string;
  /** the variables files (nomad.plan.variableFiles) as they were read for this plan */
  fileVariables?: string;
  /** what the CLI needs to submit the same: -var-file paths (relative to the job file) and -var values */
  cli?: { varFiles: string[]; vars: [string, string][] };
  vm?: PlanViewModel;
  running: boolean;
  /** the plan was submitted: the version it became (known once the cluster says) */
  applied?: { version?: number; evalId: string };
  /** the file changed since this plan */
  stale: boolean;
  notice?: PlanStatus['notice'];
  /** the last run phase shown in the webview */
  phase?: RunPhase;
  /** the watch of the last run (for tests and for Run while one is watched) */
  watching?: Promise<WatchOutcome | undefined>;
}

/** The text of a job file as the user has it: the editor's when it has unsaved changes, else the file
 *  on disk (the editor shows it a moment later when another tool changed it). */
async function currentText(uri: vscode.Uri): Promise<{ doc: vscode.TextDocument; text: string }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty || uri.scheme === 'untitled') return { doc, text: doc.getText() };
  try {
    return { doc, text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') };
  } catch {
    return { doc, text: doc.getText() };
  }
}

/**
 * Plan, Run and Watch: the seed's `nomad plan` + `nomad run -check-index` + "did it work?" loop.
 * A plan is tied to the JobModifyIndex the user looked at; Run submits with EnforceIndex at that index,
 * so a job changed by someone else since the plan is refused, never overwritten. A plan view says what
 * is true now: applied (as version N), or the file changed since (Re-plan); Run submits only the plan
 * of the file as it is, and a deployment watch belongs to the run, not to the view (closing the plan
 * does not end it).
 */
export class PlanFeature implements vscode.Disposable {
  private readonly plans = new Map<string, PlanState>();
  /** the last watch of each file, kept when its plan view closes */
  private readonly runs = new Map<string, Promise<WatchOutcome | undefined>>();
  private readonly subs: vscode.Disposable[] = [];
  /** the deployment watches under way, one notice each */
  private readonly notices = new Set<DeploymentNotice>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument(e => {
        const s = this.plans.get(e.document.uri.toString());
        if (s) this.checkStale(s, e.document.getText());
      }),
    );
  }

  /** Says in the view whether the file still is what this plan was made of. */
  private checkStale(s: PlanState, text: string): void {
    if (s.source === undefined) return;
    const stale = text !== s.source;
    if (stale === s.stale) return;
    s.stale = stale;
    this.postStatus(s);
  }

  private postStatus(s: PlanState): void {
    const status: PlanStatus = {
      stale: s.stale,
      ...(s.applied ? { applied: s.applied } : {}),
      ...(s.notice ? { notice: s.notice } : {}),
    };
    s.panel.post({ type: 'status', status });
  }

  /** "Nomad: Plan Job" */
  async plan(uri?: vscode.Uri): Promise<PlanState | undefined> {
    const state = await this.open(uri);
    if (state) await this.runPlan(state);
    return state;
  }

  /** The plan view of a file, opened where the setting nomad.plan.openIn says. */
  private async open(uri?: vscode.Uri): Promise<PlanState | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showWarningMessage('Open a Nomad job file (*.nomad, *.nomad.hcl) to plan it.');
      return undefined;
    }
    let state = this.plans.get(target.toString());
    if (!state) {
      const where = planPlacement();
      const panel = new PlanPanel(
        this.extensionUri,
        plain`Plan: ${path.basename(target.fsPath)}`,
        m => void this.onMessage(target, m),
        where.column,
        !where.below,
      );
      state = { uri: target, panel, running: false, stale: false };
      this.plans.set(target.toString(), state);
      const key = target.toString();
      panel.onDidClose(() => {
        if (this.plans.get(key)?.panel === panel) this.plans.delete(key);
      });
      if (where.below) await moveBelow(panel.panel, target);
    } else state.panel.panel.reveal(state.panel.panel.viewColumn ?? planPlacement().column, true);
    return state;
  }

  /** "Nomad: Run Job": plans the file as it is and shows the diff; with nomad.run.planFirst off, submits
   *  that plan at once — only when this plan succeeded (not a failed, cancelled or earlier one). */
  async run(uri?: vscode.Uri): Promise<void> {
    const planFirst = readSetting('nomad.run.planFirst', undefined, m => this.log.warn(m));
    const state = await this.open(uri);
    if (!state) return;
    const planned = await this.runPlan(state);
    if (!planned || planFirst || !state.vm) return;
    await this.submit(state, state.vm.jobModifyIndex);
  }

  /** Plan the file as it is now. Returns true when the view shows a new plan. */
  private async runPlan(state: PlanState, notice?: PlanStatus['notice']): Promise<boolean> {
    const fileName = path.basename(state.uri.fsPath);
    // what the view showed is no longer the plan: nothing of it may be submitted
    delete state.vm;
    delete state.job;
    delete state.applied;
    delete state.notice;
    delete state.source;
    state.stale = false;
    state.panel.post({ type: 'planning', fileName });
    await this.connection.ensureConnected();
    const client = this.connection.client;
    if (!client) {
      const s = this.connection.state;
      state.panel.post({
        type: 'planError',
        message:
          s.kind === 'unauthorized'
            ? `The cluster refused the ACL token: ${s.message}`
            : s.kind === 'error'
              ? `Could not reach Nomad: ${s.message}`
              : 'Not connected to a Nomad cluster.',
      });
      await this.connection.reportState();
      return false;
    }
    try {
      const { doc, text: source } = await currentText(state.uri);
      const vars = await this.variablesFor(doc, source);
      if (vars === undefined) {
        state.panel.post({ type: 'planError', message: 'Planning cancelled: a required variable has no value.' });
        return false;
      }
      const variables = vars.text;
      // the cluster parses the file (its own HCL2 evaluation), then plans it with a diff
      const job = await client.parseJob(source, { canonicalize: true, variables });
      const jobId = String(job.ID ?? '');
      const plan = await client.planJob(job, true, job.Namespace ? { namespace: String(job.Namespace) } : {});
      const cli = { varFiles: vars.varFiles, vars: vars.vars };
      const vm = buildPlanViewModel(jobId, plan, fileName, { ...cli, job });
      Object.assign(state, { job, source, variables, fileVariables: vars.files, cli, vm });
      if (notice) state.notice = notice;
      this.postPlan(state, vm);
      // the editor may already hold another text (typed while planning)
      this.checkStale(state, doc.getText());
      void vscode.commands.executeCommand('setContext', 'nomad.hasPlan', true);
      return true;
    } catch (e) {
      this.log.error(`plan of ${fileName}`, e);
      state.panel.post({
        type: 'planError',
        message: visible(isNomadError(e) ? (e.serverMessage ?? e.message) : e instanceof Error ? e.message : String(e)),
      });
      return false;
    }
  }

  private postPlan(state: PlanState, vm: PlanViewModel): void {
    const job = state.job;
    delete state.phase;
    state.panel.post({
      type: 'plan',
      vm,
      fileName: path.basename(state.uri.fsPath),
      namespace: String(job?.Namespace ?? this.connection.namespace),
      cluster: this.connection.profile?.name ?? this.connection.currentCluster(),
      plannedAt: new Date().toISOString(),
    });
    this.postStatus(state);
  }

  /** Variables for the parse: the files named in nomad.plan.variableFiles, then prompts for required ones.
   *  Also what the same submission takes on the command line: the files read (as -var-file, relative to
   *  the job file's folder) and the prompted values (as -var). */
  /** The files named in nomad.plan.variableFiles, read now: their texts, and their paths as -var-file takes them. */
  private async readVariableFiles(doc: vscode.TextDocument): Promise<{ parts: string[]; varFiles: string[] }> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const files = readSetting('nomad.plan.variableFiles', doc.uri, m => this.log.warn(m));
    const parts: string[] = [];
    const varFiles: string[] = [];
    const jobDir = path.dirname(doc.uri.fsPath);
    for (const f of files) {
      const uri = path.isAbsolute(f)
        ? vscode.Uri.file(f)
        : folder
          ? vscode.Uri.joinPath(folder.uri, f)
          : vscode.Uri.joinPath(doc.uri, '..', f);
      try {
        parts.push(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
        varFiles.push(
          uri.scheme === 'file' ? path.relative(jobDir, uri.fsPath) || path.basename(uri.fsPath) : uri.fsPath,
        );
      } catch {
        this.log.warn(`variables file not found: ${uri.fsPath}`);
      }
    }
    return { parts, varFiles };
  }

  private async variablesFor(
    doc: vscode.TextDocument,
    source: string,
  ): Promise<{ text: string; files: string; varFiles: string[]; vars: [string, string][] } | undefined> {
    const { parts, varFiles } = await this.readVariableFiles(doc);
    const files = parts.join('\n');
    const vars: [string, string][] = [];
    const given = new Set<string>();
    for (const text of parts) for (const a of parse(text).body.items) if (a.kind === 'Attribute') given.add(a.name);
    // required variables: declared without a default and not given by a file
    const file = parse(source);
    for (const item of file.body.items) {
      if (item.kind !== 'Block' || item.type !== 'variable' || item.labels.length !== 1) continue;
      const name = item.labels[0]!.value;
      if (given.has(name) || item.body.items.some(i => i.kind === 'Attribute' && i.name === 'default')) continue;
      const value = await vscode.window.showInputBox({
        title: plain`Variable "${name}" has no default`,
        prompt: 'Its value for this plan (numbers and true/false are passed as such)',
        ignoreFocusOut: true,
      });
      if (value === undefined) return undefined;
      const literal =
        /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' ? value : JSON.stringify(value);
      parts.push(`${name} = ${literal}`);
      vars.push([name, value]);
    }
    return { text: parts.join('\n'), files, varFiles, vars };
  }

  private async onMessage(
    uri: vscode.Uri,
    m: Parameters<ConstructorParameters<typeof PlanPanel>[2]>[0],
  ): Promise<void> {
    const state = this.plans.get(uri.toString());
    if (!state) return;
    switch (m.type) {
      case 'run':
        await this.submit(state, m.jobModifyIndex);
        break;
      case 'replan':
        await this.runPlan(state);
        break;
      case 'stopWatching':
        for (const n of [...this.notices]) if (n.jobId === String(state.job?.ID ?? '')) n.stop();
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage('Copied', 2000);
        break;
      case 'reveal':
        await this.reveal(uri, m.path);
        break;
      default:
        break;
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

  /** Submit the planned job with check-index = the plan's JobModifyIndex, then watch what it does.
   *  Only the plan shown, of the file as it is now: a plan already applied is not submitted again, and a
   *  file changed since the plan is planned again and shown (nothing submitted). */
  async submit(state: PlanState, jobModifyIndex: number): Promise<void> {
    if (state.running) return;
    const fileName = path.basename(state.uri.fsPath);
    if (state.applied) {
      this.setPhase(state, {
        phase: 'error',
        message: `Not submitted: this plan was already applied${state.applied.version !== undefined ? ` as version ${state.applied.version}` : ''}. Re-plan to run the file again.`,
      });
      return;
    }
    const job = state.job;
    if (!job || !state.vm || state.source === undefined) return;
    const client = this.connection.client;
    if (!client || this.connection.state.kind !== 'connected') {
      this.setPhase(state, { phase: 'error', message: 'Not submitted: not connected to the cluster.' });
      await this.connection.reportState();
      return;
    }
    state.running = true;
    try {
      const { doc, text } = await currentText(state.uri);
      if (text !== state.source) {
        // Run means the file as it is: plan that, show it, submit nothing
        state.running = false;
        await this.runPlan(state, {
          text: `The file changed since the plan you saw: this is the plan of ${fileName} as it is now. Nothing was submitted; press Run to submit this one.`,
        });
        return;
      }
      // and its variables files as they are
      if (
        state.fileVariables !== undefined &&
        (await this.readVariableFiles(doc)).parts.join('\n') !== state.fileVariables
      ) {
        state.running = false;
        await this.runPlan(state, {
          text: `A variables file (nomad.plan.variableFiles) changed since the plan you saw: this is the plan of ${fileName} with the files as they are now. Nothing was submitted; press Run to submit this one.`,
        });
        return;
      }
      this.setPhase(state, { phase: 'submitting' });
      const ns = job.Namespace ? { namespace: String(job.Namespace) } : {};
      // run exactly the plan shown (src/plan/samePlanGuard.ts): planned again, a different answer is asked about
      const g = await guardSamePlan(client, job, state.vm, fileName, { ...(state.cli ?? {}), job });
      if (!g.run && g.vm) {
        state.vm = g.vm;
        state.notice = {
          text: 'Planned again at Run, the cluster would now do something other than the plan you saw: this is the new plan. Nothing was submitted.',
          details: describeDifferences(g.differences).split('\n'),
        };
        this.postPlan(state, g.vm);
        return;
      }
      if (!g.run) {
        this.setPhase(state, {
          phase: 'error',
          message: 'Not submitted: planned again, the cluster would now do something other than the plan shown.',
        });
        return;
      }
      const r = await submitPlanned(client, job, {
        ...ns,
        planIndex: jobModifyIndex,
        source: state.source,
        ...(state.variables ? { variables: state.variables } : {}),
      });
      const jobId = String(job.ID);
      if (r.kind === 'ours')
        this.log.warn(
          `the answer to Run of ${visible(jobId)} was ${r.why === 'lost-answer' ? 'lost' : 'a check-index conflict with our own write'}; the cluster has this plan's submission as version ${r.version}`,
        );
      else
        this.log.info(
          `registered ${visible(jobId)} with check-index ${jobModifyIndex}: evaluation ${r.evalId}, job modify index ${r.jobModifyIndex}`,
        );
      const version =
        r.kind === 'ours'
          ? r.version
          : await client.getJob(jobId, ns).then(
              x => (Number(x.body.JobModifyIndex) === r.jobModifyIndex ? Number(x.body.Version) : undefined),
              () => undefined,
            );
      state.applied = { evalId: r.evalId, ...(version !== undefined ? { version } : {}) };
      markWalkthrough(WalkthroughContext.ran);
      this.postStatus(state);
      this.setPhase(state, { phase: 'submitted', evalId: r.evalId, ...(version !== undefined ? { version } : {}) });
      if (!r.evalId) {
        this.setPhase(state, {
          phase: 'done',
          outcome: 'no-deployment',
          message: `Applied as version ${version ?? '?'} (the answer to Run was lost on the way; the cluster no longer lists its evaluation).`,
        });
        return;
      }
      const watching = this.watch(state, jobId, r.evalId, r.jobModifyIndex);
      state.watching = watching;
      this.runs.set(state.uri.toString(), watching);
    } catch (e) {
      if (isNomadError(e) && e.kind === 'conflict') {
        const current = e.actualIndex;
        this.setPhase(state, {
          phase: 'conflict',
          planIndex: jobModifyIndex,
          ...(current !== undefined ? { currentIndex: current } : {}),
          message: e.serverMessage ?? e.message,
        });
        const pick = await vscode.window.showWarningMessage(
          plain`The job "${job.ID}" changed since your plan (index ${jobModifyIndex}${current !== undefined ? ` → ${current}` : ''}). Nothing was submitted.`,
          'Re-plan',
        );
        if (pick === 'Re-plan') {
          state.running = false;
          await this.runPlan(state);
        }
      } else {
        this.setPhase(state, { phase: 'error', message: visible(e instanceof Error ? e.message : String(e)) });
        await showNomadError(e, `Run ${plainText(job.ID)}`, this.connection.actions());
      }
    } finally {
      state.running = false;
    }
  }

  /** Follow the evaluation and the deployment in one notification, updated in place; the end is shown
   *  in the plan view (while it is open) and in one final message with the cause and the actions. */
  private async watch(
    state: PlanState,
    jobId: string,
    evalId: string,
    jobModifyIndex: number,
  ): Promise<WatchOutcome | undefined> {
    const client = this.connection.client;
    if (!client || !state.job) return undefined;
    const job = state.job;
    const ns = job.Namespace ? String(job.Namespace) : undefined;
    const timeoutMin = readSetting('nomad.run.watchTimeoutMinutes', undefined, m => this.log.warn(m));
    const notice = new DeploymentNotice(jobId, this.notices);
    let failure: string | undefined;
    let progressText = 'evaluating…';
    let retry: RestartRetry | undefined;
    const show = () => {
      const parts = [
        progressText,
        ...(failure ? [`a task failed: ${failure}`] : []),
        ...(retry ? [retryText(retry, Date.now())] : []),
      ];
      // progressText, the failure and the retry carry cluster strings (group names, task events)
      notice.update(plainText(parts.join(' · ')));
      this.setPhase(state, {
        phase: 'deploying',
        evalId,
        progress: visible(progressText),
        ...(failure ? { failure } : {}),
        ...(retry ? { retry: visible(retryText(retry, Date.now())) } : {}),
      });
    };
    // the retry's countdown
    const tick = setInterval(() => {
      if (retry?.at !== undefined) show();
    }, 1000);
    let outcome: WatchOutcome | undefined;
    try {
      outcome = await watchRun(client, {
        jobId,
        evalId,
        jobModifyIndex,
        signal: notice.signal,
        timeoutMs: timeoutMin * 60_000,
        job,
        ...(ns ? { namespace: ns } : {}),
        onProgress: p => {
          progressText =
            p.phase === 'evaluating'
              ? 'evaluating…'
              : `${p.status ?? ''}: ${p.groups.map(g => `${g.group} ${g.healthy}/${g.desired} healthy${g.unhealthy ? `, ${g.unhealthy} unhealthy` : ''}, ${g.placed} placed`).join('; ')}`;
          show();
        },
        onFailure: cause => {
          failure = visible(`${cause.where}: ${cause.text}`);
          this.log.warn(`deployment of ${visible(jobId)}: ${failure}`);
          show();
        },
        onRetry: r => {
          retry = r;
          if (r) this.log.info(`${visible(jobId)}: ${visible(retryText(r, Date.now()))}`);
          show();
        },
      });
    } catch (e) {
      this.log.error('watching the deployment', e);
    } finally {
      clearInterval(tick);
    }
    if (!outcome) {
      notice.end();
      this.setPhase(state, {
        phase: 'error',
        message: 'Watching the deployment stopped on an error: see the Nomad output.',
      });
      return undefined;
    }
    await this.report(state, jobId, outcome, notice);
    return outcome;
  }

  /** The one final message of a watch: what happened, the cause, and what the user can do. */
  private async report(state: PlanState, jobId: string, o: WatchOutcome, notice: DeploymentNotice): Promise<void> {
    const safety = state.job ? deploymentSafety(state.job) : undefined;
    const safetyNote =
      safety && (o.outcome === 'successful' || o.outcome === 'failed') && (!safety.hasChecks || !safety.autoRevert)
        ? !safety.hasChecks
          ? ' It has no health checks, so this deployment could only wait for the tasks to start.'
          : ' It has no auto_revert, so a bad version is not rolled back by itself.'
        : '';
    // the watch ends here; the message waits for the user on its own
    const final = (level: 'info' | 'warning' | 'error', text: Shown, actions: Record<string, () => unknown>): void => {
      notice.end();
      // the buttons are our own words (Revert to version N, Show Logs, Show Fix)
      const buttons: Shown[] = Object.keys(actions).map(k => plainText(k));
      if (safetyNote) buttons.push(plain`Show Fix`);
      const message = joinShown([text, plainText(safetyNote)]);
      const shown =
        level === 'info'
          ? vscode.window.showInformationMessage(message, ...buttons)
          : level === 'warning'
            ? vscode.window.showWarningMessage(message, ...buttons)
            : vscode.window.showErrorMessage(message, ...buttons);
      void Promise.resolve(shown)
        .then(async pick => {
          if (pick === 'Show Fix') await this.showSafetyFix(state.uri);
          else if (pick) await actions[pick]?.();
        })
        .then(undefined, (e: unknown) => this.log.error('after the deployment', e));
    };
    switch (o.outcome) {
      case 'successful': {
        this.log.info(`deployment ${o.deployment.ID} of ${visible(jobId)} v${o.deployment.JobVersion} is healthy`);
        this.setPhase(state, {
          phase: 'done',
          outcome: 'successful',
          message: `Deployed: version ${o.deployment.JobVersion} is healthy.`,
        });
        final('info', plain`${jobId} v${o.deployment.JobVersion} is deployed and healthy.`, {});
        break;
      }
      case 'failed': {
        const tasks = o.failedTasks.map(
          t => `${t.allocName}/${t.task}: ${t.events.slice(-2).map(eventLine).join(' → ')}`,
        );
        for (const t of tasks) this.log.warn(`failed: ${visible(t)}`);
        const cause = o.cause ? `${o.cause.where}: ${o.cause.text}` : tasks[0];
        const version = o.deployment.JobVersion;
        // cause first: what failed and why, then which deployment
        const failed = plain`Deployment of ${jobId} v${version} failed: ${o.reason}.`;
        const text = cause ? joinShown([plain`${cause}. `, failed]) : failed;
        const logsTarget = o.cause
          ? { allocId: o.cause.allocId, task: o.cause.task }
          : o.failedTasks[0]
            ? { allocId: o.failedTasks[0].allocId, task: o.failedTasks[0].task }
            : undefined;
        markWalkthrough(WalkthroughContext.broke);
        const logs: Record<string, () => unknown> = logsTarget
          ? { 'Show Logs': () => vscode.commands.executeCommand('nomad.followLogs', { kind: 'task', ...logsTarget }) }
          : {};
        if (o.autoReverted) {
          // Nomad already rolls back: the same notification follows the rollback; one message says how it ended
          const to = o.rollbackTo !== undefined ? ` to version ${o.rollbackTo}` : '';
          this.setPhase(state, {
            phase: 'done',
            outcome: 'failed',
            message: `Version ${version} failed; Nomad is rolling back${to}…`,
            ...(cause ? { detail: visible(cause) } : {}),
          });
          notice.update(
            plain`version ${version} failed${cause ? plain`: ${cause}` : ''} · Nomad rolls back${to} (auto_revert)…`,
          );
          const rb = await this.followRollback(state, jobId, version, o.rollbackTo, notice.signal);
          const words = rb
            ? this.rollbackWords(state, jobId, version, rb, cause)
            : plain` Nomad is rolling back${to} (auto_revert).`;
          final(rb?.status === 'successful' ? 'warning' : 'error', joinShown([text, words]), logs);
        } else {
          this.setPhase(state, {
            phase: 'done',
            outcome: 'failed',
            message: `Version ${version} failed${o.revertTo !== undefined ? `; version ${o.revertTo} is the last stable one` : ''}.`,
            ...(cause ? { detail: visible(cause) } : {}),
          });
          const actions: Record<string, () => unknown> = {};
          if (o.revertTo !== undefined) {
            const to = o.revertTo;
            actions[`Revert to version ${to}`] = () => this.revert(state, jobId, to, version);
          }
          Object.assign(actions, logs);
          final('error', text, actions);
        }
        break;
      }
      case 'placement-failed': {
        const lines = o.groups.map(g => `${g.group}: ${g.lines.join('; ')}`);
        for (const l of lines) this.log.warn(`placement failed: ${visible(l)}`);
        this.setPhase(state, {
          phase: 'done',
          outcome: 'placement-failed',
          message: 'The scheduler could not place the allocations.',
          detail: visible(lines.join(' | ')),
        });
        final('error', plain`${jobId} could not be placed: ${lines.join(' | ')}`, {
          'Open Output': () => this.log.show(),
        });
        break;
      }
      case 'no-deployment':
        this.setPhase(state, { phase: 'done', outcome: 'no-deployment', message: `Submitted. ${visible(o.reason)}` });
        final('info', plain`${jobId} submitted. ${o.reason}`, {});
        break;
      case 'timeout':
        this.setPhase(state, {
          phase: 'done',
          outcome: 'timeout',
          message: `Stopped watching: the deployment did not finish in time${o.deployment ? ` (status ${visible(o.deployment.Status)})` : ''}.`,
        });
        final(
          'warning',
          plain`Stopped watching ${jobId}: the deployment did not finish in time${o.deployment ? ` (status ${o.deployment.Status})` : ''}.`,
          {},
        );
        break;
      case 'cancelled':
        notice.end();
        this.setPhase(state, {
          phase: 'done',
          outcome: 'cancelled',
          message: 'Stopped watching the deployment (it goes on in the cluster).',
        });
        break;
    }
  }

  /** Open the job file at the first deployment-safety finding and offer its quick fix. */
  private async showSafetyFix(uri: vscode.Uri): Promise<void> {
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: editorColumn(uri) });
    const d = vscode.languages
      .getDiagnostics(uri)
      .find(x => /check|health|auto_revert|update/i.test(x.message) && x.severity !== vscode.DiagnosticSeverity.Error);
    if (!d) return;
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range);
    await vscode.commands.executeCommand('editor.action.quickFix');
  }

  /** Nomad's own rollback (auto_revert) registers the stable version again: follow it to its end
   *  (in the deployment's notification, stopped by its Stop Watching). */
  private async followRollback(
    state: PlanState,
    jobId: string,
    failedVersion: number,
    to: number | undefined,
    signal: AbortSignal,
  ): Promise<RollbackResult | undefined> {
    const client = this.connection.client;
    if (!client) return undefined;
    const ns = state.job?.Namespace ? String(state.job.Namespace) : undefined;
    const timeoutMin = readSetting('nomad.run.watchTimeoutMinutes', undefined, m => this.log.warn(m));
    return followRollback(client, {
      jobId,
      failedVersion,
      signal,
      timeoutMs: timeoutMin * 60_000,
      ...(to !== undefined ? { to } : {}),
      ...(ns ? { namespace: ns } : {}),
    }).then(
      r => r,
      (e: unknown) => {
        this.log.error('following the rollback', e);
        return undefined;
      },
    );
  }

  /** How Nomad's rollback ended, as the end of the final message (plain text); the plan view says it too. */
  private rollbackWords(
    state: PlanState,
    jobId: string,
    failedVersion: number,
    rb: RollbackResult,
    cause: string | undefined,
  ): Shown {
    const toText = rb.to !== undefined ? `version ${rb.to}` : 'the last stable version';
    const as = rb.registeredAs !== undefined ? ` (registered as v${rb.registeredAs})` : '';
    // the only cluster string in it is the failed rollback's description: shown through `show`
    const words = (show: (v: unknown) => string): string => {
      switch (rb.status) {
        case 'successful':
          return `Nomad rolled back to ${toText}${as}, and it is healthy.`;
        case 'failed':
          return `Nomad rolled back to ${toText}${as}, but that deployment failed too${rb.deployment?.StatusDescription ? `: ${show(rb.deployment.StatusDescription)}` : ''}.`;
        case 'running':
          return `Nomad rolled back to ${toText}${as}; its deployment is still running (stopped watching).`;
        case 'cancelled':
          return `Nomad is rolling back to ${toText}${as} (stopped watching).`;
        case 'none':
          return `Nomad did not register a rollback version after v${failedVersion} failed.`;
      }
    };
    this.log.info(`${visible(jobId)}: ${words(visible)}`);
    this.setPhase(state, {
      phase: 'done',
      outcome: 'failed',
      message: `Version ${failedVersion} failed. ${words(visible)}`,
      ...(cause ? { detail: visible(cause) } : {}),
    });
    // plain`` escapes the whole sentence, the cluster's description in it included
    return plain` ${words(String)}`;
  }

  async revert(state: PlanState | undefined, jobId: string, version: number, priorVersion: number): Promise<void> {
    const ns = state?.job?.Namespace ? { namespace: String(state.job.Namespace) } : {};
    const r = await this.connection.withClient(`Revert ${jobId}`, c => c.revertJob(jobId, version, priorVersion, ns));
    if (!r) return;
    this.log.info(`reverting ${visible(jobId)} to version ${version}: evaluation ${r.EvalID}`);
    if (state) await this.watch(state, jobId, r.EvalID, r.JobModifyIndex);
  }

  /** For tests and other features: the plan state of a file. */
  planOf(
    uri: vscode.Uri,
  ): { vm?: PlanViewModel; panel: vscode.WebviewPanel; phase?: RunPhase; status: PlanStatus } | undefined {
    const s = this.plans.get(uri.toString());
    return s
      ? {
          ...(s.vm ? { vm: s.vm } : {}),
          panel: s.panel.panel,
          ...(s.phase ? { phase: s.phase } : {}),
          status: {
            stale: s.stale,
            ...(s.applied ? { applied: s.applied } : {}),
            ...(s.notice ? { notice: s.notice } : {}),
          },
        }
      : undefined;
  }

  /** For tests: the watch of the last Run of a file (it goes on after its plan view closed). */
  lastWatch(uri: vscode.Uri): Promise<WatchOutcome | undefined> | undefined {
    return this.runs.get(uri.toString());
  }

  /** "Nomad: Stop Watching the Deployment": the deployment goes on in the cluster. */
  async stopWatching(arg?: { jobId?: string }): Promise<void> {
    const active = [...this.notices];
    let chosen = arg?.jobId !== undefined ? active.filter(n => n.jobId === arg.jobId) : active;
    if (chosen.length > 1) {
      const pick = await vscode.window.showQuickPick(
        chosen.map(n => ({ label: plainText(n.jobId), n })),
        { title: 'Stop watching which deployment? (it goes on in the cluster)' },
      );
      chosen = pick ? [pick.n] : [];
    }
    if (!active.length) void vscode.window.showInformationMessage('No deployment is being watched.');
    for (const n of chosen) n.stop();
  }

  /** What the webview's Run button does: submit the shown plan at its JobModifyIndex. */
  async runShownPlan(uri: vscode.Uri): Promise<void> {
    const s = this.plans.get(uri.toString());
    if (s?.vm) await this.submit(s, s.vm.jobModifyIndex);
  }

  /** Plan Job, Run Job, Stop Watching. */
  commands(): CommandTable {
    return {
      'nomad.planJob': (uri?: vscode.Uri) => this.plan(uri instanceof vscode.Uri ? uri : undefined),
      'nomad.runJob': (uri?: vscode.Uri) => this.run(uri instanceof vscode.Uri ? uri : undefined),
      'nomad.stopWatchingDeployment': (arg?: { jobId?: string }) =>
        this.stopWatching(arg && typeof arg.jobId === 'string' ? { jobId: arg.jobId } : undefined),
    };
  }

  dispose(): void {
    for (const n of [...this.notices]) n.dispose();
    for (const s of this.plans.values()) s.panel.panel.dispose();
    this.plans.clear();
    for (const d of this.subs.splice(0)) d.dispose();
  }
}
