import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { JobsNode, JobsTreeProvider } from '../views/jobsTree';
import type { CommandTable } from '../commands';
import type { Job } from '../nomad/types';
import { plain, plainText, shortId, visible } from '../untrusted/shown';
import { diffJobs, renderDiff } from '../nomad/jobDiff';

const SCHEME = 'nomad-history';

export interface JobRef {
  id: string;
  namespace: string;
}

/**
 * "Nomad: Show Job History…": every version of a job, each opened as a read-only document with its
 * differences to the version before it and to the current one, and "Revert to this version" with
 * EnforcePriorVersion (refused by Nomad if the job moved on meanwhile).
 */
export class HistoryFeature implements vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    private readonly jobs: JobsTreeProvider,
  ) {
    this.subs.push(
      this.emitter,
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
        onDidChange: this.emitter.event,
        provideTextDocumentContent: uri => this.docs.get(uri.toString()) ?? '',
      }),
    );
  }

  commands(): CommandTable {
    return {
      'nomad.showJobHistory': (n?: JobsNode | JobRef, version?: number) => this.show(n, version),
    };
  }

  private jobOf(n: JobsNode | JobRef | undefined): JobRef | undefined {
    if (!n) return undefined;
    if (!('kind' in n)) return n;
    if (n.kind === 'job' || n.kind === 'group' || n.kind === 'deployments' || n.kind === 'deployment') {
      const e = this.jobs.cluster.entry(n.key);
      return e ? { id: e.stub.ID, namespace: e.stub.Namespace } : undefined;
    }
    if (n.kind === 'alloc' || n.kind === 'task') {
      const a = this.jobs.cluster.allocation(n.allocId);
      return a ? { id: a.JobID, namespace: a.Namespace } : undefined;
    }
    return undefined;
  }

  /** The text shown for one version: header, diff to the previous version, diff to the current one. */
  static render(job: JobRef, versions: readonly Job[], index: number): string {
    const v = versions[index]!;
    const current = versions[0]!;
    const prev = versions[index + 1];
    const when = v.SubmitTime ? new Date(Number(v.SubmitTime) / 1e6).toISOString() : '?';
    const out = [
      `Job ${visible(job.id)} (namespace ${visible(job.namespace)}) — version ${String(v.Version)}${v.Stable ? ' (stable)' : ''}, submitted ${when}`,
      `Current version: ${String(current.Version)}`,
      '',
      prev
        ? `== Changes from version ${String(prev.Version)} to ${String(v.Version)} ==`
        : `== Version ${String(v.Version)} is the first one ==`,
      prev ? renderDiff(diffJobs(prev, v)) : '',
    ];
    if (index > 0)
      out.push(
        `== What reverting to version ${String(v.Version)} changes (current ${String(current.Version)} → ${String(v.Version)}) ==`,
        renderDiff(diffJobs(current, v)),
      );
    else out.push('This is the current version.');
    return out.join('\n');
  }

  async show(n?: JobsNode | JobRef, version?: number): Promise<vscode.Uri | undefined> {
    let job = this.jobOf(n);
    if (!job) {
      const keys = this.jobs.cluster.jobKeys();
      const pick = await vscode.window.showQuickPick(
        keys.map(k => {
          const e = this.jobs.cluster.entry(k)!;
          return {
            label: plainText(e.stub.ID),
            description: plainText(e.stub.Namespace),
            ref: { id: e.stub.ID, namespace: e.stub.Namespace },
          };
        }),
        { title: 'Nomad: history of which job?' },
      );
      job = pick?.ref;
    }
    if (!job) return undefined;
    const ref = job;
    const r = await this.connection.withClient(plain`Versions of ${ref.id}`, c =>
      c.jobVersions(ref.id, false, { namespace: ref.namespace }),
    );
    if (!r) return undefined;
    const versions = [...(r.body.Versions ?? [])].sort((a, b) => Number(b.Version) - Number(a.Version));
    if (!versions.length) {
      void vscode.window.showInformationMessage(plain`${ref.id} has no versions.`);
      return undefined;
    }
    let index = version !== undefined ? versions.findIndex(v => Number(v.Version) === version) : -1;
    if (index < 0) {
      const items = versions.map((v, i) => {
        const prev = versions[i + 1];
        const changes = prev ? diffJobs(prev, v).length : 0;
        return {
          label: plain`v${String(v.Version)}${i === 0 ? ' (current)' : ''}`,
          description: plainText(
            [
              v.Stable ? 'stable' : undefined,
              v.SubmitTime ? new Date(Number(v.SubmitTime) / 1e6).toLocaleString() : undefined,
              prev ? `${changes} change${changes === 1 ? '' : 's'} from v${String(prev.Version)}` : 'first version',
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          i,
        };
      });
      const pick = await vscode.window.showQuickPick(items, { title: plain`History of ${ref.id}` });
      if (!pick) return undefined;
      index = pick.i;
    }
    const v = versions[index]!;
    const uri = vscode.Uri.from({
      scheme: SCHEME,
      path: `/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.id)}/v${String(v.Version)}.diff`,
      query: `cluster=${encodeURIComponent(this.connection.currentCluster())}`,
    });
    this.docs.set(uri.toString(), HistoryFeature.render(ref, versions, index));
    this.emitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    if (index > 0) void this.offerRevert(ref, Number(v.Version), Number(versions[0]!.Version));
    return uri;
  }

  /** Revert with EnforcePriorVersion: only if the job is still at the version shown as current. */
  private async offerRevert(job: JobRef, to: number, current: number): Promise<void> {
    const revert = plain`Revert to v${to}…`;
    const pick = await vscode.window.showInformationMessage(
      plain`${job.id}: version ${to} is shown beside the current version ${current}.`,
      revert,
    );
    if (pick !== revert) return;
    const ok = await vscode.window.showWarningMessage(
      plain`Revert ${job.id} to version ${to}?`,
      {
        modal: true,
        detail: plain`Only if the job is still at version ${current} (EnforcePriorVersion): a change made meanwhile is not overwritten.`,
      },
      'Revert',
    );
    if (ok !== 'Revert') return;
    const res = await this.connection.withClient(plain`Revert ${job.id}`, c =>
      c.revertJob(job.id, to, current, { namespace: job.namespace }),
    );
    if (res)
      void vscode.window.showInformationMessage(
        plain`Reverting ${job.id} to version ${to} (evaluation ${shortId(res.EvalID)}).`,
      );
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
