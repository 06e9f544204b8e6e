import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { JobsNode, JobsTreeProvider } from '../views/jobsTree';
import { segment, uiLink } from '../nomad/uiLinks';
import { plain, shortId } from '../untrusted/shown';
import type { CommandTable } from './index';
import type { Logger } from '../logger';
import type { Job } from '../nomad/types';
import { sideColumn } from '../plan/sideColumn';
import { isNomadError } from '../nomad/errors';

type Node = JobsNode | undefined;

/** The Jobs view's actions: on jobs, groups, allocations, tasks, deployments (and ids of any row). */
export class JobsCommands {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly jobs: JobsTreeProvider,
    private readonly log: Logger,
  ) {}

  commands(): CommandTable {
    return {
      'nomad.stopJob': (n: Node) => this.stopJob(n),
      'nomad.restartAllocation': (n: Node) => this.restart(n, false),
      'nomad.restartTask': (n: Node) => this.restart(n, true),
      'nomad.stopAllocation': (n: Node) => this.stopAllocation(n),
      'nomad.scaleGroup': (n: Node) => this.scaleGroup(n),
      'nomad.revertJob': (n: Node) => this.revertJob(n),
      'nomad.dispatchJob': (n: Node) => this.dispatchJob(n),
      'nomad.forcePeriodic': (n: Node) => this.forcePeriodic(n),
      'nomad.promoteDeployment': (n: Node) => this.deployment(n, 'promote'),
      'nomad.failDeployment': (n: Node) => this.deployment(n, 'fail'),
      'nomad.copyId': (n: Node) => this.copyId(n),
      'nomad.openInUi': (n: Node) => this.openInUi(n),
      'nomad.showJobDefinition': (n: Node) => this.showDefinition(n),
    };
  }

  private jobOf(n: Node): { id: string; namespace: string } | undefined {
    if (!n) return undefined;
    const key =
      n.kind === 'job' || n.kind === 'group' || n.kind === 'deployments' || n.kind === 'deployment' ? n.key : undefined;
    const e = key ? this.jobs.cluster.entry(key) : undefined;
    if (e) return { id: e.stub.ID, namespace: e.stub.Namespace };
    if (n.kind === 'alloc' || n.kind === 'task') {
      const a = this.jobs.cluster.allocation(n.allocId);
      if (a) return { id: a.JobID, namespace: a.Namespace };
    }
    return undefined;
  }

  /** A request about a job; a 404 means the job is gone (purged elsewhere): the tree reads it once more
   *  and drops it, instead of keeping a row whose actions all fail. */
  private forJob<T>(job: { id: string; namespace: string }, request: Promise<T>): Promise<T> {
    return request.catch((e: unknown) => {
      if (isNomadError(e) && e.kind === 'notFound') void this.jobs.verifyJob(job.namespace, job.id);
      throw e;
    });
  }

  private async stopJob(n: Node): Promise<void> {
    const job = this.jobOf(n);
    if (!job) return;
    const pick = await vscode.window.showWarningMessage(
      plain`Stop the job "${job.id}"? Its allocations will be stopped.`,
      { modal: true, detail: 'Purge also removes the job and its history from the cluster.' },
      'Stop',
      'Stop and Purge',
    );
    if (!pick) return;
    const r = await this.connection.withClient(plain`Stop ${job.id}`, c =>
      c.deregisterJob(job.id, { namespace: job.namespace, purge: pick === 'Stop and Purge' }),
    );
    // Nomad answers a deregistration of a job it does not know with no evaluation: it was gone already
    if (r && !r.EvalID) void this.jobs.verifyJob(job.namespace, job.id);
    if (r) void vscode.window.showInformationMessage(plain`Stopped ${job.id} (evaluation ${shortId(r.EvalID)}).`);
  }

  private async restart(n: Node, taskOnly: boolean): Promise<void> {
    if (!n || (n.kind !== 'alloc' && n.kind !== 'task')) return;
    const a = this.jobs.cluster.allocation(n.allocId);
    const task = n.kind === 'task' ? n.task : undefined;
    const what =
      taskOnly && task
        ? plain`task "${task}" of allocation ${shortId(n.allocId)}`
        : a
          ? plain`allocation ${shortId(n.allocId)} (${a.Name})`
          : plain`allocation ${shortId(n.allocId)}`;
    const ok = await vscode.window.showWarningMessage(plain`Restart ${what}?`, { modal: true }, 'Restart');
    if (ok !== 'Restart') return;
    const done = await this.connection.withClient('Restart ' + what, c =>
      c.restartAllocation(n.allocId, taskOnly ? task : undefined, a ? { namespace: a.Namespace } : {}).then(() => true),
    );
    if (done) void vscode.window.showInformationMessage(plain`Restarted ${what}.`);
  }

  private async stopAllocation(n: Node): Promise<void> {
    if (!n || n.kind !== 'alloc') return;
    const a = this.jobs.cluster.allocation(n.allocId);
    const ok = await vscode.window.showWarningMessage(
      a
        ? plain`Stop allocation ${shortId(n.allocId)} (${a.Name})? The scheduler will place a replacement.`
        : plain`Stop allocation ${shortId(n.allocId)}? The scheduler will place a replacement.`,
      { modal: true },
      'Stop',
    );
    if (ok !== 'Stop') return;
    const r = await this.connection.withClient('Stop allocation', c =>
      c.stopAllocation(n.allocId, a ? { namespace: a.Namespace } : {}),
    );
    if (r)
      void vscode.window.showInformationMessage(
        plain`Stopped allocation ${shortId(n.allocId)} (evaluation ${shortId(r.EvalID)}).`,
      );
  }

  private async scaleGroup(n: Node): Promise<void> {
    if (!n || n.kind !== 'group') return;
    const job = this.jobOf(n);
    if (!job) return;
    const current = await this.connection.withClient('Read job', c =>
      this.forJob(job, c.getJob(job.id, { namespace: job.namespace })),
    );
    if (!current) return;
    const tg = (current.body.TaskGroups ?? []).find(g => g.Name === n.group);
    const count = await vscode.window.showInputBox({
      title: plain`Scale ${job.id} / ${n.group}`,
      prompt: plain`New count (now ${tg?.Count ?? '?'})`,
      value: String(tg?.Count ?? 1),
      validateInput: v => (/^\d+$/.test(v.trim()) ? undefined : 'A whole number'),
    });
    if (count === undefined) return;
    const jobModifyIndex = Number(current.body.JobModifyIndex ?? 0);
    // Nomad 1.6's scale endpoint takes no check index, so we submit the job we just read with only the
    // count changed and EnforceIndex at the modify index we read: a concurrent change is refused, never
    // overwritten.
    const updated = {
      ...current.body,
      TaskGroups: (current.body.TaskGroups ?? []).map(g => (g.Name === n.group ? { ...g, Count: Number(count) } : g)),
    };
    const r = await this.connection.withClient(plain`Scale ${n.group}`, c =>
      c.registerJob(updated, { namespace: job.namespace, enforceIndex: true, jobModifyIndex }),
    );
    if (r)
      void vscode.window.showInformationMessage(
        plain`Scaling ${job.id} / ${n.group} to ${count} (evaluation ${shortId(r.EvalID)}).`,
      );
  }

  private async revertJob(n: Node): Promise<void> {
    const job = this.jobOf(n);
    if (!job) return;
    const r = await this.connection.withClient('List versions', c =>
      this.forJob(job, c.jobVersions(job.id, true, { namespace: job.namespace })),
    );
    if (!r) return;
    const versions = r.body.Versions ?? [];
    const diffs = r.body.Diffs ?? [];
    const latest = versions[0];
    const items = versions.slice(1).map(v => ({
      label: plain`v${v.Version}`,
      description: plain`${v.Stable ? 'stable' : 'not stable'} · submitted ${new Date(Number(v.SubmitTime) / 1e6).toLocaleString()}`,
      version: v,
    }));
    if (!items.length) {
      void vscode.window.showInformationMessage(plain`${job.id} has no earlier version to revert to.`);
      return;
    }
    const pick = await vscode.window.showQuickPick(items, { title: plain`Revert ${job.id} (now v${latest?.Version})` });
    if (!pick) return;
    // show what the revert changes before doing it
    const idx = versions.indexOf(pick.version);
    const diff = idx > 0 ? diffs[idx - 1] : undefined;
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content: JSON.stringify({ revertTo: pick.version.Version, differenceFromPreviousVersion: diff ?? null }, null, 2),
    });
    await vscode.window.showTextDocument(doc, { preview: true });
    const ok = await vscode.window.showWarningMessage(
      plain`Revert ${job.id} to v${pick.version.Version}?`,
      { modal: true, detail: plain`Only if the job is still at v${latest?.Version} (EnforcePriorVersion).` },
      'Revert',
    );
    if (ok !== 'Revert') return;
    const res = await this.connection.withClient('Revert job', c =>
      c.revertJob(job.id, Number(pick.version.Version), Number(latest?.Version), { namespace: job.namespace }),
    );
    if (res)
      void vscode.window.showInformationMessage(
        plain`Reverting ${job.id} to v${pick.version.Version} (evaluation ${shortId(res.EvalID)}).`,
      );
  }

  private async dispatchJob(n: Node): Promise<void> {
    const job = this.jobOf(n);
    if (!job) return;
    const full = await this.connection.withClient('Read job', c =>
      this.forJob(job, c.getJob(job.id, { namespace: job.namespace })),
    );
    if (!full) return;
    const p = (full.body.ParameterizedJob ?? {}) as {
      MetaRequired?: string[] | null;
      MetaOptional?: string[] | null;
      Payload?: string;
    };
    const meta: Record<string, string> = {};
    for (const key of p.MetaRequired ?? []) {
      const v = await vscode.window.showInputBox({
        title: plain`Dispatch ${job.id}: meta "${key}" (required)`,
        validateInput: x => (x ? undefined : 'Required'),
      });
      if (v === undefined) return;
      meta[key] = v;
    }
    for (const key of p.MetaOptional ?? []) {
      const v = await vscode.window.showInputBox({
        title: plain`Dispatch ${job.id}: meta "${key}" (optional, empty to skip)`,
      });
      if (v === undefined) return;
      if (v) meta[key] = v;
    }
    let payload: string | undefined;
    if (p.Payload !== 'forbidden') {
      const v = await vscode.window.showInputBox({
        title: plain`Dispatch ${job.id}: payload${p.Payload === 'required' ? ' (required)' : ' (optional)'}`,
        validateInput: x => (p.Payload === 'required' && !x ? 'Required' : undefined),
      });
      if (v === undefined) return;
      payload = v || undefined;
    }
    const r = await this.connection.withClient('Dispatch', c =>
      c.dispatchJob(job.id, meta, payload, { namespace: job.namespace }),
    );
    if (r)
      void vscode.window.showInformationMessage(
        plain`Dispatched ${r.DispatchedJobID} (evaluation ${shortId(r.EvalID)}).`,
      );
  }

  private async forcePeriodic(n: Node): Promise<void> {
    const job = this.jobOf(n);
    if (!job) return;
    const ok = await vscode.window.showWarningMessage(
      plain`Launch the periodic job "${job.id}" now?`,
      { modal: true },
      'Launch',
    );
    if (ok !== 'Launch') return;
    const r = await this.connection.withClient('Force periodic launch', c =>
      c.forcePeriodic(job.id, { namespace: job.namespace }),
    );
    if (r) void vscode.window.showInformationMessage(plain`Launched ${job.id} (evaluation ${shortId(r.EvalID)}).`);
  }

  private async deployment(n: Node, action: 'promote' | 'fail'): Promise<void> {
    if (!n || n.kind !== 'deployment') return;
    const d = n.deployment;
    const ok = await vscode.window.showWarningMessage(
      action === 'promote'
        ? plain`Promote the canaries of deployment ${shortId(d.ID)}?`
        : plain`Mark deployment ${shortId(d.ID)} as failed? With auto_revert the job rolls back.`,
      { modal: true },
      action === 'promote' ? 'Promote' : 'Fail',
    );
    if (!ok) return;
    const r = await this.connection.withClient(action === 'promote' ? 'Promote deployment' : 'Fail deployment', c =>
      action === 'promote'
        ? c.promoteDeployment(d.ID, undefined, { namespace: d.Namespace })
        : c.failDeployment(d.ID, { namespace: d.Namespace }),
    );
    if (r)
      void vscode.window.showInformationMessage(
        plain`Deployment ${shortId(d.ID)}: ${action === 'promote' ? 'promoted.' : 'failed.'}`,
      );
  }

  private async copyId(n: Node): Promise<void> {
    if (!n) return;
    const id =
      n.kind === 'alloc' || n.kind === 'task'
        ? n.allocId
        : n.kind === 'deployment'
          ? n.deployment.ID
          : n.kind === 'evaluation'
            ? n.evaluation.ID
            : n.kind === 'node'
              ? n.node.ID
              : this.jobOf(n)?.id;
    if (!id) return;
    await vscode.env.clipboard.writeText(id);
    void vscode.window.setStatusBarMessage(plain`Copied ${id}`, 3000);
  }

  /** The Nomad web UI address of a node of the tree. */
  uiUrl(n: Node): string | undefined {
    const base = this.connection.profile?.address;
    if (!base || !n) return undefined;
    const job = this.jobOf(n);
    // every cluster string is one segment and stays one (nomad/uiLinks.ts): undefined when it cannot
    switch (n.kind) {
      case 'alloc':
      case 'task':
        return uiLink(base, ['ui', 'allocations', segment(n.allocId)]);
      case 'node':
        return uiLink(base, ['ui', 'clients', segment(n.node.ID)]);
      case 'group':
        return job ? uiLink(base, ['ui', 'jobs', segment(`${job.id}@${job.namespace}`), segment(n.group)]) : undefined;
      default:
        return job ? uiLink(base, ['ui', 'jobs', segment(`${job.id}@${job.namespace}`)]) : uiLink(base, ['ui', 'jobs']);
    }
  }

  private async openInUi(n: Node): Promise<void> {
    const url = this.uiUrl(n);
    if (url) {
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return;
    }
    if (n)
      void vscode.window.showWarningMessage(
        'This item cannot be opened in the Nomad UI: its name holds "/" or "\\", or is "." or "..", so no link to it stays inside the UI.',
      );
  }

  private async showDefinition(n: Node): Promise<void> {
    const job = this.jobOf(n);
    if (!job) return;
    const current = await this.connection.withClient('Read job', c =>
      this.forJob(job, c.getJob(job.id, { namespace: job.namespace })),
    );
    if (!current) return;
    const version = Number((current.body as Job & { Version?: number }).Version ?? 0);
    // the submitted HCL when the cluster kept it (Nomad 1.6+), else the job's JSON
    let content: string | undefined,
      language = 'json';
    try {
      const sub = await this.connection.client?.jobSubmission(job.id, version, { namespace: job.namespace });
      if (sub?.body?.Source) {
        content = sub.body.Source;
        language = sub.body.Format === 'json' ? 'json' : 'nomad';
      }
    } catch (e) {
      this.log.debug(`no submission kept for ${job.id}@${version}: ${String(e)}`);
    }
    content ??= JSON.stringify(current.body, null, 2);
    const doc = await vscode.workspace.openTextDocument({ language, content });
    // in the one column beside the editor that plans and definitions share, not a new one each time
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: sideColumn() });
  }
}
