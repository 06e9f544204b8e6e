import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import { treeId } from '../nomad/tree/ids';
import { ClusterModel, age, allocIndex, splitJobKey, type JobKey } from '../nomad/tree/model';

/** The id of a job's row: injective over (namespace, job id), like every id of this tree (ids.ts). */
const jobNodeId = (key: JobKey): string => treeId('job', ...splitJobKey(key));
import { ClusterSync } from '../nomad/tree/sync';
import { BlockingWatcher } from '../nomad/watch';
import { VisibleTicker } from '../nomad/tree/ticker';
import { joinShown, plain, plainText, shortId, visible, type Shown } from '../untrusted/shown';
import { isNomadError } from '../nomad/errors';
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
const icon = (status: string) => {
  const [id, color] = statusIcon[status] ?? statusIcon.unknown!;
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
};

/** Nanoseconds since epoch from an RFC 3339 string (task state times), for ages. */
const nanos = (iso: string | null | undefined) => (iso && !iso.startsWith('0001') ? Date.parse(iso) * 1e6 : 0);

/** A tooltip line: label and a cluster value made visible. Tooltips are plain strings (never Markdown):
 *  nothing a cluster sends can become a link, an image or HTML there. */
const line = (label: string, value: unknown): Shown => plain`${label}: ${value}`;
/** Tooltip lines, one per row. */
const lines = (rows: readonly Shown[]): Shown => joinShown(rows, plain`\n`);

/** Retry delays of the first load after a network failure (the agent may be restarting). */
const LOAD_RETRY_MS = [2_000, 5_000, 10_000, 30_000];

/**
 * The Jobs view: namespace (when `*`) → job → task group → allocation → task, plus Deployments,
 * Evaluations and a Nodes section. Data comes from a ClusterSync (event stream or blocking queries);
 * only the jobs that changed are refreshed. Every string from the cluster is shown through visible():
 * labels, descriptions and plain-text tooltips.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<JobsNode | JobsNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private model = new ClusterModel();
  private sync: ClusterSync | undefined;
  /** the node list's blocking query: the Nodes folder follows a node that goes down, comes back, drains */
  private nodesWatch: BlockingWatcher<NodeListStub[]> | undefined;
  private readonly nodes = new Map<string, JobsNode>();
  private loadError: string | undefined;
  private loadRetry: ReturnType<typeof setTimeout> | undefined;
  private loadAttempts = 0;
  /** when live updates stopped (the agent is unreachable); undefined while they flow */
  private staleSince: number | undefined;
  private view: vscode.TreeView<JobsNode> | undefined;
  private readonly ticker: VisibleTicker;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
    ageTickMs = 30_000,
  ) {
    this.ticker = new VisibleTicker(() => this.tickAges(), ageTickMs);
    this.subs.push(
      connection.onDidChange(s => {
        if (s.kind === 'connected') this.startSync();
        else if (s.kind !== 'connecting') {
          this.stopSync();
          this.setStale(undefined);
          this.emitter.fire(undefined);
        }
      }),
    );
  }

  /** The tree view that shows this provider: ages tick while it is visible; its message says when the
   *  cluster cannot be reached. */
  attach(view: vscode.TreeView<JobsNode>): vscode.Disposable {
    this.view = view;
    this.ticker.setVisible(view.visible);
    this.renderMessage();
    const sub = view.onDidChangeVisibility(e => this.ticker.setVisible(e.visible));
    return {
      dispose: () => {
        sub.dispose();
        this.ticker.setVisible(false);
        if (this.view === view) this.view = undefined;
      },
    };
  }

  /** Redraw the rows that show an age (allocations, and their tasks under them). */
  tickAges(): JobsNode[] {
    const rows: JobsNode[] = [];
    for (const [id, n] of this.nodes) {
      if (n.kind !== 'alloc' && n.kind !== 'task') continue;
      // rows of allocations that are gone (garbage collected, purged) are forgotten here
      if (!this.model.allocation(n.allocId)) {
        this.nodes.delete(id);
        continue;
      }
      if (n.kind === 'alloc') rows.push(n);
    }
    if (rows.length) this.emitter.fire(rows);
    return rows;
  }

  /** When live updates stopped (undefined while they flow). */
  get stalledSince(): number | undefined {
    return this.staleSince;
  }

  private setStale(since: number | undefined): void {
    if (this.staleSince === since) return;
    this.staleSince = since;
    this.renderMessage();
    this.emitter.fire(undefined);
  }

  private renderMessage(): void {
    if (!this.view) return;
    this.view.message =
      this.staleSince !== undefined
        ? plain`Cannot reach the cluster since ${new Date(this.staleSince).toLocaleTimeString()}: retrying. What is shown may be out of date.`
        : undefined;
  }

  /** A job someone found gone (a 404 while reading or acting on it): read once more; gone, it leaves the tree. */
  async verifyJob(namespace: string, id: string): Promise<void> {
    const sync = this.sync;
    if (sync) {
      await sync.verifyJob(namespace, id);
      return;
    }
    const change = this.model.forgetJob(namespace, id);
    if (change.structure) this.emitter.fire(undefined);
  }

  /** A node changed (drain, eligibility): the Nodes folder reads its rows again. */
  refreshNodes(): void {
    this.emitter.fire(this.nodes.get('nodes'));
  }

  /** The live model (for commands that need what the tree shows). */
  get cluster(): ClusterModel {
    return this.model;
  }

  private node<T extends JobsNode>(n: T): T {
    const cur = this.nodes.get(n.id) as T | undefined;
    if (cur) {
      Object.assign(cur, n);
      return cur;
    }
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
      onStale: since => {
        if (this.sync === sync) this.setStale(since);
      },
      namespace: this.connection.namespace,
      random: Math.random,
      onChange: change => {
        if (change.structure) {
          this.emitter.fire(undefined);
          return;
        }
        for (const key of change.jobs) {
          const n = this.nodes.get(jobNodeId(key));
          this.emitter.fire(n);
        }
      },
      onError: (err, willRetry) =>
        this.log.warn(
          `jobs view: ${err instanceof Error ? err.message : String(err)}${willRetry ? ' (retrying)' : ''}`,
        ),
      onMode: mode =>
        this.log.info(`jobs view: live updates through ${mode === 'events' ? 'the event stream' : 'blocking queries'}`),
    });
    this.sync = sync;
    this.connection.addToScope({ dispose: () => sync.dispose() });
    const nodesWatch = new BlockingWatcher<NodeListStub[]>(
      ({ index, wait, signal }) => client.listNodes({ index, wait, signal }),
      () => {
        if (this.nodesWatch === nodesWatch) this.refreshNodes();
      },
      { random: Math.random },
    );
    this.nodesWatch = nodesWatch;
    this.connection.addToScope({ dispose: () => nodesWatch.dispose() });
    void nodesWatch.start();
    sync.start().then(
      () => {
        this.loadAttempts = 0;
        this.setStale(undefined);
        this.emitter.fire(undefined);
      },
      (e: unknown) => {
        if (this.sync !== sync) return;
        this.loadError = e instanceof Error ? e.message : String(e);
        this.log.error('jobs view: initial load failed', e);
        // the agent may be restarting: try again by itself (a refused token or a bad request is not retried)
        if (!isNomadError(e) || e.retryable) {
          const delay = LOAD_RETRY_MS[Math.min(this.loadAttempts++, LOAD_RETRY_MS.length - 1)]!;
          this.setStale(this.staleSince ?? Date.now());
          this.loadRetry = setTimeout(() => {
            this.loadRetry = undefined;
            if (this.sync === sync) this.startSync();
          }, delay);
        }
        this.emitter.fire(undefined);
      },
    );
  }

  private stopSync(): void {
    if (this.loadRetry) clearTimeout(this.loadRetry);
    this.loadRetry = undefined;
    this.sync?.dispose();
    this.sync = undefined;
    this.nodesWatch?.dispose();
    this.nodesWatch = undefined;
  }

  refresh(): void {
    this.loadAttempts = 0;
    this.startSync();
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(el?: JobsNode): Promise<JobsNode[]> {
    if (this.connection.state.kind !== 'connected') return [];
    const m = this.model;
    if (!el) {
      if (this.loadError)
        return [
          this.node({
            kind: 'message',
            id: 'msg:error',
            text: visible(this.loadError),
            icon: this.loadRetry ? 'debug-disconnect' : 'error',
          }),
        ];
      if (!this.sync || this.sync.mode === 'starting')
        return [this.node({ kind: 'message', id: 'msg:loading', text: 'Loading…', icon: 'loading~spin' })];
      const top: JobsNode[] =
        this.connection.namespace === '*'
          ? m.namespaces().map(ns => this.node({ kind: 'namespace', id: treeId('ns', ns), ns }))
          : m.jobKeys().map(key => this.node({ kind: 'job', id: jobNodeId(key), key }));
      if (!top.length)
        top.push(
          this.node({
            kind: 'message',
            id: 'msg:empty',
            text: `No jobs in namespace ${visible(this.connection.namespace)}`,
            icon: 'info',
          }),
        );
      return [...top, this.node({ kind: 'nodes', id: 'nodes' })];
    }
    switch (el.kind) {
      case 'namespace':
        return m.jobKeys(el.ns).map(key => this.node({ kind: 'job', id: jobNodeId(key), key }));
      case 'job':
        return [
          ...m.groups(el.key).map(g =>
            this.node({
              kind: 'group',
              id: treeId('group', ...splitJobKey(el.key), g.name),
              key: el.key,
              group: g.name,
            }),
          ),
          this.node({ kind: 'deployments', id: treeId('deps', ...splitJobKey(el.key)), key: el.key }),
          this.node({ kind: 'evaluations', id: treeId('evals', ...splitJobKey(el.key)), key: el.key }),
        ];
      case 'group':
        return m
          .allocations(el.key, el.group)
          .map(a => this.node({ kind: 'alloc', id: treeId('alloc', a.ID), allocId: a.ID }));
      case 'alloc': {
        const a = m.allocation(el.allocId);
        return Object.keys(a?.TaskStates ?? {})
          .sort()
          .map(task => this.node({ kind: 'task', id: treeId('task', el.allocId, task), allocId: el.allocId, task }));
      }
      case 'deployments': {
        const e = m.entry(el.key);
        if (!e) return [];
        const r = await this.connection.withClient('List deployments', c =>
          c.jobDeployments(e.stub.ID, { namespace: e.stub.Namespace }),
        );
        return (r?.body ?? []).slice(0, 20).map(d =>
          this.node({
            kind: 'deployment',
            id: treeId('dep', ...splitJobKey(el.key), d.ID),
            key: el.key,
            deployment: d,
          }),
        );
      }
      case 'evaluations': {
        const e = m.entry(el.key);
        if (!e) return [];
        const r = await this.connection.withClient('List evaluations', c =>
          c.jobEvaluations(e.stub.ID, { namespace: e.stub.Namespace }),
        );
        return (r?.body ?? [])
          .sort((a, b) => b.CreateIndex - a.CreateIndex)
          .slice(0, 20)
          .map(ev =>
            this.node({ kind: 'evaluation', id: treeId('eval', ...splitJobKey(el.key), ev.ID), evaluation: ev }),
          );
      }
      case 'nodes': {
        const r = await this.connection.withClient('List nodes', c => c.listNodes());
        return (r?.body ?? []).map(n => this.node({ kind: 'node', id: treeId('node', n.ID), node: n }));
      }
      default:
        return [];
    }
  }

  getTreeItem(el: JobsNode): vscode.TreeItem {
    const m = this.model;
    const C = vscode.TreeItemCollapsibleState;
    switch (el.kind) {
      case 'message': {
        const t = new vscode.TreeItem(plainText(el.text), C.None);
        t.iconPath = new vscode.ThemeIcon(el.icon ?? 'info');
        return t;
      }
      case 'namespace': {
        const t = new vscode.TreeItem(plainText(el.ns), C.Expanded);
        t.iconPath = new vscode.ThemeIcon('folder-library');
        t.contextValue = 'namespace';
        t.id = el.id;
        return t;
      }
      case 'job': {
        const j = m.job(el.key);
        const t = new vscode.TreeItem(plainText(j?.id ?? '?'), C.Collapsed);
        t.id = el.id;
        if (!j) return t;
        t.description = plainText(
          [j.type, j.summary, j.version !== undefined ? `v${j.version}` : undefined, j.stop ? 'stopped' : undefined]
            .filter(Boolean)
            .join(' · '),
        );
        t.iconPath = icon(j.health);
        t.tooltip = lines([
          line('job', j.id),
          line('type', j.type),
          plain`${line('status', j.status)}${j.stop ? ' (stopped)' : ''}`,
          line('namespace', j.namespace),
          plainText(j.summary),
          ...(j.version !== undefined ? [plain`version: ${j.version}`] : []),
        ]);
        t.contextValue = [
          'job',
          j.periodic ? 'periodic' : '',
          j.parameterized ? 'parameterized' : '',
          j.stop ? 'stopped' : 'live',
        ]
          .filter(Boolean)
          .join(' ');
        return t;
      }
      case 'group': {
        const g = m.groups(el.key).find(x => x.name === el.group);
        const t = new vscode.TreeItem(plainText(el.group), C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('layers');
        t.tooltip = line('task group', el.group);
        if (g) {
          const parts = (Object.entries(g.counts) as [string, number][])
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${k}`);
          if (g.queued) parts.push(`${g.queued} queued`);
          t.description = plainText(
            `${parts.join(', ') || 'no allocations'}${g.desired !== undefined ? ` · count ${g.desired}` : ''}`,
          );
        }
        t.contextValue = 'group';
        return t;
      }
      case 'alloc': {
        const a = m.allocation(el.allocId);
        const t = new vscode.TreeItem(
          a ? plain`${shortId(a.ID)} [${allocIndex(a.Name) ?? '?'}]` : shortId(el.allocId),
          C.Collapsed,
        );
        t.id = el.id;
        if (!a) return t;
        const health =
          a.DeploymentStatus?.Healthy === true
            ? 'healthy'
            : a.DeploymentStatus?.Healthy === false
              ? 'unhealthy'
              : undefined;
        // the version is left out while it is being read (events do not carry it), never shown as v0
        const version = m.allocVersion(a.ID);
        t.description = plainText(
          [
            a.ClientStatus,
            a.NodeName,
            age(a.CreateTime, Date.now()),
            health,
            version !== undefined ? `v${version}` : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
        );
        t.iconPath = icon(a.ClientStatus);
        t.tooltip = lines([
          line('allocation', a.ID),
          line('name', a.Name),
          plain`${line('client', a.ClientStatus)}${a.ClientDescription ? ` (${a.ClientDescription})` : ''}`,
          plain`${line('desired', a.DesiredStatus)}${a.DesiredDescription ? ` (${a.DesiredDescription})` : ''}`,
          line('node', a.NodeName),
          ...(version !== undefined ? [plain`job version: ${version}`] : []),
        ]);
        t.contextValue = `alloc ${a.ClientStatus}`;
        return t;
      }
      case 'task': {
        const st: TaskState | undefined = m.allocation(el.allocId)?.TaskStates?.[el.task];
        const t = new vscode.TreeItem(plainText(el.task), C.None);
        t.id = el.id;
        const state = st ? (st.State === 'dead' ? (st.Failed ? 'failed' : 'complete') : st.State) : 'unknown';
        t.iconPath = icon(state === 'running' ? 'running' : state);
        t.description = plainText(
          [
            st?.State,
            st?.Failed ? 'failed' : undefined,
            st && st.Restarts ? `${st.Restarts} restart${st.Restarts === 1 ? '' : 's'}` : undefined,
            st?.StartedAt ? age(nanos(st.StartedAt), Date.now()) : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
        );
        const last = st?.Events?.[st.Events.length - 1];
        t.tooltip = lines([
          line('task', el.task),
          line('state', st?.State ?? 'unknown'),
          ...(last ? [plain`last event: ${last.Type}${last.DisplayMessage ? ` — ${last.DisplayMessage}` : ''}`] : []),
        ]);
        t.contextValue = 'task';
        return t;
      }
      case 'deployments': {
        const t = new vscode.TreeItem('Deployments', C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('rocket');
        t.contextValue = 'deployments';
        return t;
      }
      case 'evaluations': {
        const t = new vscode.TreeItem('Evaluations', C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('checklist');
        return t;
      }
      case 'deployment': {
        const d = el.deployment;
        const t = new vscode.TreeItem(plainText(`${shortId(d.ID)} v${d.JobVersion}`), C.None);
        t.id = el.id;
        const groups = Object.entries(d.TaskGroups ?? {}).map(
          ([g, s]) =>
            `${g}: ${s.HealthyAllocs}/${s.DesiredTotal} healthy${s.UnhealthyAllocs ? `, ${s.UnhealthyAllocs} unhealthy` : ''}`,
        );
        t.description = plainText(`${d.Status} · ${groups.join('; ')}`);
        t.tooltip = lines([
          line('deployment', d.ID),
          line('status', d.Status),
          ...(d.StatusDescription ? [plainText(d.StatusDescription)] : []),
        ]);
        t.iconPath = icon(
          d.Status === 'successful'
            ? 'running'
            : d.Status === 'failed'
              ? 'failed'
              : d.Status === 'running'
                ? 'pending'
                : 'complete',
        );
        t.contextValue = `deployment ${d.Status}`;
        return t;
      }
      case 'evaluation': {
        const e = el.evaluation;
        const t = new vscode.TreeItem(plain`${shortId(e.ID)} ${e.TriggeredBy}`, C.None);
        t.id = el.id;
        t.description = plainText(`${e.Status}${e.StatusDescription ? ` · ${e.StatusDescription}` : ''}`);
        t.tooltip = lines([
          line('evaluation', e.ID),
          line('triggered by', e.TriggeredBy),
          line('status', e.Status),
          ...(e.StatusDescription ? [plainText(e.StatusDescription)] : []),
        ]);
        t.iconPath = icon(e.Status === 'complete' ? 'complete' : e.Status === 'failed' ? 'failed' : 'pending');
        t.contextValue = 'evaluation';
        return t;
      }
      case 'nodes': {
        const t = new vscode.TreeItem('Nodes', C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('server');
        return t;
      }
      case 'node': {
        const n = el.node;
        const t = new vscode.TreeItem(plainText(n.Name), C.None);
        t.id = el.id;
        t.description = plainText(
          [
            n.Status,
            n.Datacenter,
            n.Address,
            n.Drain ? 'draining' : undefined,
            n.SchedulingEligibility === 'ineligible' ? 'ineligible' : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
        );
        t.tooltip = lines([
          line('node', n.Name),
          line('id', n.ID),
          line('status', n.Status),
          line('datacenter', n.Datacenter),
          line('address', n.Address),
        ]);
        t.iconPath = icon(n.Status === 'ready' ? 'running' : 'failed');
        t.contextValue = 'node';
        return t;
      }
    }
  }

  dispose(): void {
    this.stopSync();
    this.ticker.dispose();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
