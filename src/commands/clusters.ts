import * as vscode from 'vscode';
import { DEFAULT_CLUSTER, type ClusterConnection, type ClusterSetting } from '../cluster/connection';
import { joinShown, plain, plainText, type Shown } from '../untrusted/shown';
import type { CommandTable } from './index';

/** Commands on the clusters themselves: connect, switch, add, rename, remove, namespace, token; and
 *  Refresh of the views that show the cluster. */
export class ClusterCommands {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly refreshViews: () => void,
  ) {}

  commands(): CommandTable {
    return {
      'nomad.connect': () => this.connection.retryOrConnect().then(() => this.connection.reportState()),
      'nomad.refresh': () => this.refreshViews(),
      'nomad.switchCluster': () => this.switchCluster(),
      'nomad.addCluster': () => this.addCluster(),
      'nomad.renameCluster': () => this.renameCluster(),
      'nomad.removeCluster': () => this.removeCluster(),
      'nomad.switchNamespace': () => this.switchNamespace(),
      'nomad.setToken': () => this.setToken(),
      'nomad.clearToken': () => this.connection.setToken(undefined),
    };
  }

  private async switchCluster(): Promise<void> {
    const current = this.connection.currentCluster();
    type Pick = vscode.QuickPickItem & { run: () => Promise<unknown> };
    const items: Pick[] = this.connection.clusterNames().map(name => ({
      label: joinShown([name === current && plain`$(check) `, plainText(name)]),
      description: plainText(this.connection.resolve(name).profile.address),
      run: () => this.connection.switchCluster(name),
    }));
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, run: async () => undefined },
      { label: '$(symbol-namespace) Switch Namespace…', run: () => this.switchNamespace() },
      { label: '$(key) Set ACL Token…', run: () => this.setToken() },
      { label: '$(add) Add Cluster…', run: () => this.addCluster() },
    );
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Nomad: switch cluster',
      placeHolder: plain`Current: ${current}`,
    });
    if (pick) await pick.run();
  }

  private async addCluster(): Promise<void> {
    const name = await vscode.window.showInputBox({
      title: 'Add Nomad cluster (1/3)',
      prompt: 'A name for this cluster',
      placeHolder: 'prod-eu',
      validateInput: v =>
        !v.trim()
          ? 'A name is required'
          : this.connection.clusterNames().includes(v.trim())
            ? 'That name is taken'
            : undefined,
    });
    if (!name) return;
    const address = await vscode.window.showInputBox({
      title: 'Add Nomad cluster (2/3)',
      prompt: 'Address of a Nomad agent',
      value: 'https://',
      validateInput: v => (/^https?:\/\/[^\s]+$/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
    });
    if (!address) return;
    const namespace = await vscode.window.showInputBox({
      title: 'Add Nomad cluster (3/3)',
      prompt: 'Namespace (empty for default, * for all)',
      value: '',
    });
    if (namespace === undefined) return;
    const entry: ClusterSetting = { name: name.trim(), address: address.trim() };
    if (namespace.trim()) entry.namespace = namespace.trim();
    await this.connection.saveClusters([...this.connection.userClusterSettings(), entry]);
    const token = await vscode.window.showInputBox({
      title: plain`ACL token for ${entry.name}`,
      prompt: "Leave empty when the cluster has no ACLs. Stored in VS Code's secret storage, never in settings.",
      password: true,
      ignoreFocusOut: true,
    });
    if (token) await this.connection.setToken(token, entry.name);
    await this.connection.switchCluster(entry.name);
  }

  private async pickNamedCluster(title: Shown): Promise<string | undefined> {
    const names = this.connection.clusterSettings().map(c => c.name);
    if (!names.length) {
      void vscode.window.showInformationMessage(
        'There are no named clusters yet: add one with "Nomad: Add Cluster…". The default cluster comes from the nomad.* settings and NOMAD_ADDR.',
      );
      return undefined;
    }
    return (
      await vscode.window.showQuickPick(
        names.map(n => ({ label: plainText(n), name: n })),
        { title },
      )
    )?.name;
  }

  private async renameCluster(): Promise<void> {
    const from = await this.pickNamedCluster(plain`Rename which cluster?`);
    if (!from) return;
    const to = await vscode.window.showInputBox({
      title: plain`Rename ${from}`,
      value: from,
      validateInput: v =>
        !v.trim()
          ? 'A name is required'
          : v.trim() !== from && this.connection.clusterNames().includes(v.trim())
            ? 'That name is taken'
            : v.trim() === DEFAULT_CLUSTER
              ? 'Reserved name'
              : undefined,
    });
    if (to && to.trim() !== from) await this.connection.renameCluster(from, to.trim());
  }

  private async removeCluster(): Promise<void> {
    const name = await this.pickNamedCluster(plain`Remove which cluster?`);
    if (!name) return;
    const ok = await vscode.window.showWarningMessage(
      plain`Remove the cluster "${name}" and its stored token?`,
      { modal: true },
      'Remove',
    );
    if (ok === 'Remove') await this.connection.removeCluster(name);
  }

  private async switchNamespace(): Promise<void> {
    const r = await this.connection.withClient('List namespaces', c => c.listNamespaces());
    const names = ['*', ...(r?.body ?? [{ Name: 'default' }]).map(n => n.Name)];
    const pick = await vscode.window.showQuickPick(
      names.map(n => ({
        label: plainText(n),
        name: n,
        description: n === '*' ? plain`all namespaces` : n === this.connection.namespace ? plain`current` : undefined,
      })),
      { title: 'Nomad: switch namespace' },
    );
    if (pick) await this.connection.switchNamespace(pick.name);
  }

  private async setToken(): Promise<void> {
    const cluster = this.connection.currentCluster();
    const token = await vscode.window.showInputBox({
      title: plain`Nomad ACL token for ${cluster}`,
      prompt: "The secret ID of an ACL token. Stored in VS Code's secret storage; empty removes it.",
      password: true,
      ignoreFocusOut: true,
    });
    if (token === undefined) return;
    await this.connection.setToken(token.trim() || undefined, cluster);
    if (this.connection.state.kind === 'unauthorized') await this.connection.reportState();
  }
}
