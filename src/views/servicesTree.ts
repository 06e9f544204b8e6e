import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import { treeId } from '../nomad/tree/ids';
import { BlockingWatcher } from '../nomad/watch';
import type { ServiceRegistration, ServiceRegistrationListStub } from '../nomad/types';
import { instanceHealth, type ConsulServiceEntry } from '../consul/client';
import type { Logger } from '../logger';
import { joinShown, plain, plainText, shortId } from '../untrusted/shown';

/** One reachable instance of a service, whichever catalog it came from. */
export interface ServiceInstance {
  provider: 'nomad' | 'consul';
  service: string;
  address: string;
  port: number;
  health: 'passing' | 'warning' | 'critical';
  jobId?: string;
  allocId?: string;
  node?: string;
  datacenter?: string;
}

export type ServicesNode =
  | { kind: 'section'; id: string; provider: 'nomad' | 'consul' }
  | { kind: 'job'; id: string; jobId: string }
  | { kind: 'service'; id: string; provider: 'nomad' | 'consul'; name: string; namespace?: string; jobId?: string }
  | { kind: 'instance'; id: string; instance: ServiceInstance }
  | { kind: 'message'; id: string; text: string; icon: string };

/**
 * The Services view: Nomad-native services (`/v1/services`, grouped by the job that registered them)
 * and Consul's catalog with health counts. Refreshed by blocking queries on both catalogs.
 */
export class ServicesTreeProvider implements vscode.TreeDataProvider<ServicesNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ServicesNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private nomadServices: ServiceRegistrationListStub[] = [];
  private nomadInstances = new Map<string, ServiceRegistration[]>();
  private consulServices: Record<string, string[]> | undefined;
  private consulError: string | undefined;
  private consulHealth = new Map<string, ConsulServiceEntry[]>();
  private watchers: { dispose(): void }[] = [];
  private readonly subs: vscode.Disposable[] = [];
  /** when the Nomad catalog stopped answering (undefined while it answers) */
  private staleSince: number | undefined;
  private view: vscode.TreeView<ServicesNode> | undefined;

  /** The tree view that shows this provider: its message says when the cluster cannot be reached. */
  attach(view: vscode.TreeView<ServicesNode>): vscode.Disposable {
    this.view = view;
    this.renderMessage();
    return {
      dispose: () => {
        if (this.view === view) this.view = undefined;
      },
    };
  }

  /** Since when the Nomad catalog has not answered (undefined while it answers): what the view's message says. */
  get stalledSince(): number | undefined {
    return this.staleSince;
  }

  private setStale(since: number | undefined): void {
    if (this.staleSince === since) return;
    this.staleSince = since;
    this.renderMessage();
  }

  private renderMessage(): void {
    if (this.view)
      this.view.message =
        this.staleSince !== undefined
          ? plain`Cannot reach the cluster since ${new Date(this.staleSince).toLocaleTimeString()}: retrying. What is shown may be out of date.`
          : undefined;
  }

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {
    this.subs.push(
      connection.onDidChange(s => {
        if (s.kind === 'connected') this.start();
        else if (s.kind !== 'connecting') {
          this.stop();
          this.setStale(undefined);
          this.emitter.fire(undefined);
        }
      }),
    );
  }

  private start(): void {
    this.stop();
    const client = this.connection.client,
      consul = this.connection.consul;
    if (!client) return;
    const ns = this.connection.namespace;
    const nomad = new BlockingWatcher<ServiceRegistrationListStub[]>(
      ({ index, wait, signal }) => client.listServices({ namespace: ns, index, wait, signal }),
      body => {
        this.nomadServices = body ?? [];
        this.nomadInstances.clear();
        this.emitter.fire(undefined);
      },
      // any answer clears "Cannot reach the cluster": after a failure the watcher's next query waits at
      // most a second (watch.ts), so recovery shows at once, not when the next service changes
      {
        random: Math.random,
        onAnswer: () => this.setStale(undefined),
        onError: (e, i) => {
          this.log.warn(`services view (Nomad): ${String(e)}${i.willRetry ? ' (retrying)' : ''}`);
          if (i.willRetry) this.setStale(this.staleSince ?? Date.now());
        },
      },
    );
    this.watchers.push(nomad);
    void nomad.start();
    if (consul) {
      const w = new BlockingWatcher<Record<string, string[]>>(
        async ({ index, wait, signal }) => consul.catalogServices({ index, wait, signal }),
        body => {
          this.consulServices = body ?? {};
          this.consulError = undefined;
          this.consulHealth.clear();
          this.emitter.fire(undefined);
        },
        {
          random: Math.random,
          backoff: { maxMs: 120_000 },
          onAnswer: () => {
            if (this.consulError) {
              this.consulError = undefined;
              this.emitter.fire(undefined);
            }
          },
          onError: (e, i) => {
            this.consulError = `Consul is not reachable at ${consul.address}: ${e instanceof Error ? e.message : String(e)}`;
            if (!i.willRetry || i.attempt === 1) this.emitter.fire(undefined);
          },
        },
      );
      this.watchers.push(w);
      void w.start();
    }
    this.connection.addToScope({ dispose: () => this.stop() });
  }

  private stop(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    this.setStale(undefined);
  }

  refresh(): void {
    this.start();
  }

  /** Every instance of a service (for Open Service). */
  async instances(node: Extract<ServicesNode, { kind: 'service' }>): Promise<ServiceInstance[]> {
    if (node.provider === 'nomad') {
      const regs = await this.nomadRegs(node.name, node.namespace);
      return regs
        .filter(r => !node.jobId || r.JobID === node.jobId)
        .map(r => ({
          provider: 'nomad',
          service: r.ServiceName,
          address: r.Address,
          port: r.Port,
          health: 'passing',
          jobId: r.JobID,
          allocId: r.AllocID,
          node: r.NodeID,
          datacenter: r.Datacenter,
        }));
    }
    const entries = await this.consulEntries(node.name);
    return entries.map(e => ({
      provider: 'consul',
      service: e.Service.Service,
      address: e.Service.Address || e.Node.Address,
      port: e.Service.Port,
      health: instanceHealth(e),
      node: e.Node.Node,
      datacenter: e.Node.Datacenter,
    }));
  }

  private async nomadRegs(name: string, namespace?: string): Promise<ServiceRegistration[]> {
    const key = treeId('regs', namespace ?? '', name);
    const cached = this.nomadInstances.get(key);
    if (cached) return cached;
    const r = await this.connection.withClient(`Read service ${name}`, c =>
      c.getService(name, namespace ? { namespace } : {}),
    );
    const regs = r?.body ?? [];
    this.nomadInstances.set(key, regs);
    return regs;
  }

  private async consulEntries(name: string): Promise<ConsulServiceEntry[]> {
    const cached = this.consulHealth.get(name);
    if (cached) return cached;
    const consul = this.connection.consul;
    if (!consul) return [];
    const entries = (await consul.healthService(name)).body ?? [];
    this.consulHealth.set(name, entries);
    return entries;
  }

  getChildren = async (el?: ServicesNode): Promise<ServicesNode[]> => {
    if (this.connection.state.kind !== 'connected') return [];
    if (!el)
      return [
        { kind: 'section', id: 'sec:nomad', provider: 'nomad' },
        { kind: 'section', id: 'sec:consul', provider: 'consul' },
      ];
    if (el.kind === 'section' && el.provider === 'nomad') {
      // group by job: read the registrations of each service once
      const byJob = new Map<string, Set<string>>();
      for (const group of this.nomadServices)
        for (const s of group.Services) {
          const regs = await this.nomadRegs(s.ServiceName, group.Namespace);
          for (const r of regs) {
            const set = byJob.get(r.JobID) ?? new Set<string>();
            set.add(treeId('svc', group.Namespace, s.ServiceName));
            byJob.set(r.JobID, set);
          }
        }
      if (!byJob.size)
        return [{ kind: 'message', id: 'msg:nomad-none', text: 'No Nomad services registered', icon: 'info' }];
      return [...byJob.keys()].sort().map(jobId => ({ kind: 'job', id: treeId('svcjob', jobId), jobId }));
    }
    if (el.kind === 'job') {
      const out: ServicesNode[] = [];
      for (const group of this.nomadServices)
        for (const s of group.Services) {
          const regs = await this.nomadRegs(s.ServiceName, group.Namespace);
          if (regs.some(r => r.JobID === el.jobId))
            out.push({
              kind: 'service',
              id: treeId('svc-nomad', group.Namespace, s.ServiceName, el.jobId),
              provider: 'nomad',
              name: s.ServiceName,
              namespace: group.Namespace,
              jobId: el.jobId,
            });
        }
      return out;
    }
    if (el.kind === 'section' && el.provider === 'consul') {
      if (this.consulError) return [{ kind: 'message', id: 'msg:consul-err', text: this.consulError, icon: 'warning' }];
      if (!this.consulServices)
        return [{ kind: 'message', id: 'msg:consul-loading', text: 'Loading…', icon: 'loading~spin' }];
      const names = Object.keys(this.consulServices)
        .filter(n => n !== 'consul')
        .sort();
      if (!names.length)
        return [{ kind: 'message', id: 'msg:consul-none', text: 'No Consul services registered', icon: 'info' }];
      return names.map(name => ({ kind: 'service', id: treeId('svc-consul', name), provider: 'consul', name }));
    }
    if (el.kind === 'service')
      return (await this.instances(el)).map(i => ({
        kind: 'instance',
        id: treeId('inst', el.id, i.address, i.port, i.node ?? '', ...('allocId' in i && i.allocId ? [i.allocId] : [])),
        instance: i,
      }));
    return [];
  };

  getTreeItem(el: ServicesNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (el.kind) {
      case 'section': {
        const t = new vscode.TreeItem(el.provider === 'nomad' ? 'Nomad services' : 'Consul services', C.Expanded);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon(el.provider === 'nomad' ? 'server-environment' : 'globe');
        if (el.provider === 'consul' && this.connection.consul)
          t.description = plainText(this.connection.consul.address);
        t.contextValue = `section ${el.provider}`;
        return t;
      }
      case 'job': {
        const t = new vscode.TreeItem(plainText(el.jobId), C.Expanded);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('package');
        t.description = 'job';
        t.tooltip = plain`job: ${el.jobId}`;
        return t;
      }
      case 'service': {
        const t = new vscode.TreeItem(plainText(el.name), C.Collapsed);
        t.tooltip = joinShown(
          [
            plain`${el.provider === 'nomad' ? 'Nomad' : 'Consul'} service: ${el.name}`,
            el.namespace ? plain`namespace: ${el.namespace}` : undefined,
          ],
          plain`\n`,
        );
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('plug');
        if (el.provider === 'consul') {
          const entries = this.consulHealth.get(el.name);
          if (entries) {
            const c = { passing: 0, warning: 0, critical: 0 };
            for (const e of entries) c[instanceHealth(e)]++;
            t.description = plainText(
              `${c.passing} passing${c.warning ? `, ${c.warning} warning` : ''}${c.critical ? `, ${c.critical} critical` : ''}`,
            );
          } else t.description = plainText((this.consulServices?.[el.name] ?? []).join(', '));
        }
        t.contextValue = `service ${el.provider}`;
        return t;
      }
      case 'instance': {
        const i = el.instance;
        const t = new vscode.TreeItem(plain`${i.address}:${i.port}`, C.None);
        t.id = el.id;
        t.description = plainText(
          [i.health, i.node, i.allocId ? shortId(i.allocId) : undefined].filter(Boolean).join(' · '),
        );
        t.tooltip = joinShown(
          [
            plain`service: ${i.service}`,
            plain`address: ${i.address}:${i.port}`,
            plain`health: ${i.health}`,
            i.node ? plain`node: ${i.node}` : undefined,
            i.allocId ? plain`allocation: ${i.allocId}` : undefined,
          ],
          plain`\n`,
        );
        t.iconPath = new vscode.ThemeIcon(
          i.health === 'passing' ? 'pass-filled' : i.health === 'warning' ? 'warning' : 'error',
          new vscode.ThemeColor(
            i.health === 'passing'
              ? 'testing.iconPassed'
              : i.health === 'warning'
                ? 'list.warningForeground'
                : 'testing.iconFailed',
          ),
        );
        t.contextValue = `instance ${i.provider}`;
        t.command = { command: 'nomad.openService', title: 'Open Service', arguments: [el] };
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(plainText(el.text), C.None);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon(el.icon);
        return t;
      }
    }
  }

  dispose(): void {
    this.stop();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
