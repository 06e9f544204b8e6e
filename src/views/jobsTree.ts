import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import { ClusterModel, age, allocIndex, shortId, type JobKey } from '../nomad/tree/model';
import { ClusterSync } from '../nomad/tree/sync';
import type { Deployment, Evaluation, NodeListStub, TaskState } from '../nomad/types';
import type { Logger } from '../logger';

export type JobsNode =
  | { kind: 'namespace'; id: string; ns: string }
  | { kind: 'job'; id: string; key: JobKey }
  | { kind: 'group'; id: string; key: JobKey; group: string }
  | { kind: 'alloc'; id: string; allocId: string }
  | { kind: 'task'; id: string; allocId: string; task: string }
  | { kind: 'deployments'; id: string; key: JobKey }
  | { kind: 'deployment'; id: string; key: JobKey; deployment: Deployment }
  | { kind: 'evaluations'; id: string; key: JobKey }
  | { kind: 'evaluation'; id: string; evaluation: Evaluation }
  | { kind: 'nodes'; id: string }
  | { kind: 'node'; id: string; node: NodeListStub }
  | { kind: 'message'; id: string; text: string; icon?: string };

const statusIcon: Record<string, [string, string | undefined]> = {
  running: ['pass-filled', 'testing.iconPassed'],
  pending: ['loading~spin', 'charts.yellow'],
  failed: ['error', 'testing.iconFailed'],
  lost: ['warning', 'list.warningForeground'],
  complete: ['check', 'descriptionForeground'],
  dead: ['circle-slash', 'disabledForeground'],
  none: ['circle-large-outline', 'descriptionForeground'],
  unknown: ['question', 'descriptionForeground'],
};
const icon = (status: string) => { const [id, color] = statusIcon[status] ?? statusIcon.unknown!; return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined); };

/** Nanoseconds since epoch from an RFC 3339 string (task state times), for ages. */
const nanos = (iso: string | null | undefined) => (iso && !iso.startsWith('0001') ? Date.parse(iso) * 1e6 : 0);

/**
 * The Jobs view: namespace (when `*`) → job → task group → allocation → task, plus Deployments,
 * Evaluations and a Nodes section. Data comes from a ClusterSync (event stream or blocking queries);
 * only the jobs that changed are refreshed.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private model = new ClusterModel();
  private sync: ClusterSync | undefined;
  private readonly nodes = new Map<string, JobsNode>();
  private loadError: string | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly connection: ClusterConnection, private readonly log: Logger) {
    this.subs.push(connection.onDidChange(s => {
      if (s.kind === 'connected') this.startSync();
      else if (s.kind !== 'connecting') { this.stopSync(); this.emitter.fire(undefined); }
    }));
  }

  /** The live model (for commands that need what the tree shows). */
  get cluster(): ClusterModel { return this.model; }

  private node<T extends JobsNode>(n: T): T {
    const cur = this.nodes.get(n.id) as T | undefined;
    if (cur) { Object.assign(cur, n); return cur; }
    this.nodes.set(n.id, n);
    return n;
  }

  private startSync(): void {
    this.stopSync();
    const client = this.connection.client;
    if (!client) return;
    this.model = new ClusterModel();
    this.nodes.clear();
    this.loadError = undefined;
    const sync = new ClusterSync(client, this.model, {
      namespace: this.connection.namespace, random: Math.random,
      onChange: change => {
        if (change.structure) { this.emitter.fire(undefined); return; }
        for (const key of change.jobs) {
          const n = this.nodes.get(`job:${key}`);
          this.emitter.fire(n);
        }
      },
      onError: (err, willRetry) => this.log.warn(`jobs view: ${err instanceof Error ? err.message : String(err)}${willRetry ? ' (retrying)' : ''}`),
      onMode: mode => this.log.info(`jobs view: live updates through ${mode === 'events' ? 'the event stream' : 'blocking queries'}`),
    });
    this.sync = sync;
    this.connection.addToScope({ dispose: () => sync.dispose() });
    sync.start().then(() => this.emitter.fire(undefined), (e: unknown) => {
      this.loadError = e instanceof Error ? e.message : String(e);
      this.log.error('jobs view: initial load failed', e);
      this.emitter.fire(undefined);
    });
  }

  private stopSync(): void { this.sync?.dispose(); this.sync = undefined; }

  refresh(): void { this.startSync(); }

  getParent(): undefined { return undefined; }

  async getChildren(el?: JobsNode): Promise<JobsNode[]> {
    if (this.connection.state.kind !== 'connected') return [];
    const m = this.model;
    if (!el) {
      if (this.loadError) return [this.node({ kind: 'message', id: 'msg:error', text: this.loadError, icon: 'error' })];
      if (!this.sync || this.sync.mode === 'starting') return [this.node({ kind: 'message', id: 'msg:loading', text: 'Loading…', icon: 'loading~spin' })];
      const top: JobsNode[] = this.connection.namespace === '*'
        ? m.namespaces().map(ns => this.node({ kind: 'namespace', id: `ns:${ns}`, ns }))
        : m.jobKeys().map(key => this.node({ kind: 'job', id: `job:${key}`, key }));
      if (!top.length) top.push(this.node({ kind: 'message', id: 'msg:empty', text: `No jobs in namespace ${this.connection.namespace}`, icon: 'info' }));
      return [...top, this.node({ kind: 'nodes', id: 'nodes' })];
    }
    switch (el.kind) {
      case 'namespace': return m.jobKeys(el.ns).map(key => this.node({ kind: 'job', id: `job:${key}`, key }));
      case 'job': return [
        ...m.groups(el.key).map(g => this.node({ kind: 'group', id: `group:${el.key}:${g.name}`, key: el.key, group: g.name })),
        this.node({ kind: 'deployments', id: `deps:${el.key}`, key: el.key }),
        this.node({ kind: 'evaluations', id: `evals:${el.key}`, key: el.key }),
      ];
      case 'group': return m.allocations(el.key, el.group).map(a => this.node({ kind: 'alloc', id: `alloc:${a.ID}`, allocId: a.ID }));
      case 'alloc': {
        const a = m.allocation(el.allocId);
        return Object.keys(a?.TaskStates ?? {}).sort().map(task => this.node({ kind: 'task', id: `task:${el.allocId}:${task}`, allocId: el.allocId, task }));
      }
      case 'deployments': {
        const e = m.entry(el.key);
        if (!e) return [];
        const r = await this.connection.withClient('List deployments', c => c.jobDeployments(e.stub.ID, { namespace: e.stub.Namespace }));
        return (r?.body ?? []).slice(0, 20).map(d => this.node({ kind: 'deployment', id: `dep:${d.ID}`, key: el.key, deployment: d }));
      }
      case 'evaluations': {
        const e = m.entry(el.key);
        if (!e) return [];
        const r = await this.connection.withClient('List evaluations', c => c.jobEvaluations(e.stub.ID, { namespace: e.stub.Namespace }));
        return (r?.body ?? []).sort((a, b) => b.CreateIndex - a.CreateIndex).slice(0, 20).map(ev => this.node({ kind: 'evaluation', id: `eval:${ev.ID}`, evaluation: ev }));
      }
      case 'nodes': {
        const r = await this.connection.withClient('List nodes', c => c.listNodes());
        return (r?.body ?? []).map(n => this.node({ kind: 'node', id: `node:${n.ID}`, node: n }));
      }
      default: return [];
    }
  }

  getTreeItem(el: JobsNode): vscode.TreeItem {
    const m = this.model;
    const C = vscode.TreeItemCollapsibleState;
    switch (el.kind) {
      case 'message': { const t = new vscode.TreeItem(el.text, C.None); t.iconPath = new vscode.ThemeIcon(el.icon ?? 'info'); return t; }
      case 'namespace': { const t = new vscode.TreeItem(el.ns, C.Expanded); t.iconPath = new vscode.ThemeIcon('folder-library'); t.contextValue = 'namespace'; t.id = el.id; return t; }
      case 'job': {
        const j = m.job(el.key);
        const t = new vscode.TreeItem(j?.id ?? '?', C.Collapsed);
        t.id = el.id;
        if (!j) return t;
        t.description = [j.type, j.summary, j.version !== undefined ? `v${j.version}` : undefined, j.stop ? 'stopped' : undefined].filter(Boolean).join(' · ');
        t.iconPath = icon(j.health);
        t.tooltip = new vscode.MarkdownString(`**${j.id}** (${j.type})\n\nstatus: ${j.status}${j.stop ? ' (stopped)' : ''}  \nnamespace: ${j.namespace}  \n${j.summary}${j.version !== undefined ? `  \nversion ${j.version}` : ''}`);
        t.contextValue = ['job', j.periodic ? 'periodic' : '', j.parameterized ? 'parameterized' : '', j.stop ? 'stopped' : 'live'].filter(Boolean).join(' ');
        return t;
      }
      case 'group': {
        const g = m.groups(el.key).find(x => x.name === el.group);
        const t = new vscode.TreeItem(el.group, C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('layers');
        if (g) {
          const parts = (Object.entries(g.counts) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
          if (g.queued) parts.push(`${g.queued} queued`);
          t.description = `${parts.join(', ') || 'no allocations'}${g.desired !== undefined ? ` · count ${g.desired}` : ''}`;
        }
        t.contextValue = 'group';
        return t;
      }
      case 'alloc': {
        const a = m.allocation(el.allocId);
        const t = new vscode.TreeItem(a ? `${shortId(a.ID)} [${allocIndex(a.Name) ?? '?'}]` : shortId(el.allocId), C.Collapsed);
        t.id = el.id;
        if (!a) return t;
        const health = a.DeploymentStatus?.Healthy === true ? 'healthy' : a.DeploymentStatus?.Healthy === false ? 'unhealthy' : undefined;
        t.description = [a.ClientStatus, a.NodeName, age(a.CreateTime, Date.now()), health, `v${a.JobVersion}`].filter(Boolean).join(' · ');
        t.iconPath = icon(a.ClientStatus);
        t.tooltip = new vscode.MarkdownString(`allocation \`${a.ID}\`  \n${a.Name}  \nclient: ${a.ClientStatus}${a.ClientDescription ? ` (${a.ClientDescription})` : ''}  \ndesired: ${a.DesiredStatus}${a.DesiredDescription ? ` (${a.DesiredDescription})` : ''}  \nnode: ${a.NodeName}`);
        t.contextValue = `alloc ${a.ClientStatus}`;
        return t;
      }
      case 'task': {
        const st: TaskState | undefined = m.allocation(el.allocId)?.TaskStates?.[el.task];
        const t = new vscode.TreeItem(el.task, C.None);
        t.id = el.id;
        const state = st ? (st.State === 'dead' ? (st.Failed ? 'failed' : 'complete') : st.State) : 'unknown';
        t.iconPath = icon(state === 'running' ? 'running' : state);
        t.description = [st?.State, st?.Failed ? 'failed' : undefined, st && st.Restarts ? `${st.Restarts} restart${st.Restarts === 1 ? '' : 's'}` : undefined, st?.StartedAt ? age(nanos(st.StartedAt), Date.now()) : undefined].filter(Boolean).join(' · ');
        const last = st?.Events?.[st.Events.length - 1];
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${el.task}**: ${st?.State ?? 'unknown'}\n\n`);
        if (last) md.appendText(`Last event: ${last.Type}${last.DisplayMessage ? ` — ${last.DisplayMessage}` : ''}`);
        t.tooltip = md;
        t.contextValue = 'task';
        return t;
      }
      case 'deployments': { const t = new vscode.TreeItem('Deployments', C.Collapsed); t.id = el.id; t.iconPath = new vscode.ThemeIcon('rocket'); t.contextValue = 'deployments'; return t; }
      case 'evaluations': { const t = new vscode.TreeItem('Evaluations', C.Collapsed); t.id = el.id; t.iconPath = new vscode.ThemeIcon('checklist'); return t; }
      case 'deployment': {
        const d = el.deployment;
        const t = new vscode.TreeItem(`${shortId(d.ID)} v${d.JobVersion}`, C.None);
        t.id = el.id;
        const groups = Object.entries(d.TaskGroups ?? {}).map(([g, s]) => `${g}: ${s.HealthyAllocs}/${s.DesiredTotal} healthy${s.UnhealthyAllocs ? `, ${s.UnhealthyAllocs} unhealthy` : ''}`);
        t.description = `${d.Status} · ${groups.join('; ')}`;
        t.tooltip = d.StatusDescription;
        t.iconPath = icon(d.Status === 'successful' ? 'running' : d.Status === 'failed' ? 'failed' : d.Status === 'running' ? 'pending' : 'complete');
        t.contextValue = `deployment ${d.Status}`;
        return t;
      }
      case 'evaluation': {
        const e = el.evaluation;
        const t = new vscode.TreeItem(`${shortId(e.ID)} ${e.TriggeredBy}`, C.None);
        t.id = el.id;
        t.description = `${e.Status}${e.StatusDescription ? ` · ${e.StatusDescription}` : ''}`;
        t.iconPath = icon(e.Status === 'complete' ? 'complete' : e.Status === 'failed' ? 'failed' : 'pending');
        t.contextValue = 'evaluation';
        return t;
      }
      case 'nodes': { const t = new vscode.TreeItem('Nodes', C.Collapsed); t.id = el.id; t.iconPath = new vscode.ThemeIcon('server'); return t; }
      case 'node': {
        const n = el.node;
        const t = new vscode.TreeItem(n.Name, C.None);
        t.id = el.id;
        t.description = [n.Status, n.Datacenter, n.Address, n.Drain ? 'draining' : undefined, n.SchedulingEligibility === 'ineligible' ? 'ineligible' : undefined].filter(Boolean).join(' · ');
        t.iconPath = icon(n.Status === 'ready' ? 'running' : 'failed');
        t.contextValue = 'node';
        return t;
      }
    }
  }

  dispose(): void { this.stopSync(); for (const s of this.subs) s.dispose(); this.emitter.dispose(); }
}
