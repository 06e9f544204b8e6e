import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { ServicesNode, ServicesTreeProvider, ServiceInstance } from '../views/servicesTree';
import { consulUiUrl } from '../consul/client';
import { plain, plainText } from '../untrusted/shown';
import type { CommandTable } from './index';
import type { Logger } from '../logger';

/** The Services view's actions: open or copy an instance's address, open a service in Consul's UI. */
export class ServicesCommands {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly services: ServicesTreeProvider,
    private readonly log: Logger,
  ) {}

  commands(): CommandTable {
    return {
      'nomad.openService': (n: ServicesNode | undefined) => this.openService(n, false),
      'nomad.copyServiceAddress': (n: ServicesNode | undefined) => this.openService(n, true),
      'nomad.openInConsulUi': (n: ServicesNode | undefined) => this.openInConsulUi(n),
    };
  }

  private async openService(n: ServicesNode | undefined, copy: boolean): Promise<void> {
    let instance: ServiceInstance | undefined;
    if (n?.kind === 'instance') instance = n.instance;
    else if (n?.kind === 'service') {
      const all = await this.services.instances(n);
      const healthy = all.filter(i => i.health === 'passing');
      const candidates = healthy.length ? healthy : all;
      if (!candidates.length) {
        void vscode.window.showWarningMessage(plain`${n.name} has no instance to open.`);
        return;
      }
      instance =
        candidates.length === 1
          ? candidates[0]
          : (
              await vscode.window.showQuickPick(
                candidates.map(i => ({
                  label: plain`${i.address}:${i.port}`,
                  description: plainText([i.health, i.node].filter(Boolean).join(' · ')),
                  i,
                })),
                { title: plain`Open ${n.name}` },
              )
            )?.i;
    }
    if (!instance) return;
    // the address and port come from the cluster: only a host name or an IP address, and a port number,
    // make the URL (nothing that could change its scheme, host or path)
    const port = Number(instance.port);
    if (!/^[A-Za-z0-9._:-]+$/.test(instance.address) || !Number.isInteger(port) || port <= 0 || port > 65535) {
      void vscode.window.showWarningMessage(
        plain`The service instance's address is not a host and port: ${instance.address}:${instance.port}`,
      );
      return;
    }
    const url = `http://${instance.address.includes(':') ? `[${instance.address}]` : instance.address}:${port}`;
    if (copy) {
      await vscode.env.clipboard.writeText(url);
      void vscode.window.setStatusBarMessage(plain`Copied ${url}`, 3000);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  private async openInConsulUi(n: ServicesNode | undefined): Promise<void> {
    const consul = this.connection.consul;
    if (!consul || !n || n.kind !== 'service') return;
    let dc = 'dc1';
    try {
      dc = (await consul.agentSelf()).body.Config?.Datacenter ?? dc;
    } catch (e) {
      this.log.debug(`consul agent/self: ${String(e)}`);
    }
    const url = consulUiUrl(consul.address, dc, n.name);
    if (!url) {
      void vscode.window.showWarningMessage(
        'This service cannot be opened in the Consul UI: its name or datacenter holds "/" or "\\", or is "." or "..", so no link to it stays inside the UI.',
      );
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}
