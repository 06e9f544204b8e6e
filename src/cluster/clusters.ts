import * as vscode from 'vscode';
import { resolveConnection, type NomadSettings, type ResolvedConnection } from '../nomad/config';
import { inspectSetting, readSetting, updateSetting } from '../config';

/** One entry of the `nomad.clusters` setting: a named cluster (never a token). */
export interface ClusterSetting extends NomadSettings {
  name: string;
}

export const DEFAULT_CLUSTER = 'default';
const CURRENT_KEY = 'nomad.currentCluster';
const NS_KEY = (cluster: string) => `nomad.namespaceOverride.${cluster}`;

function named(list: unknown): ClusterSetting[] {
  return Array.isArray(list)
    ? (list as ClusterSetting[]).filter(c => c && typeof c.name === 'string' && c.name.trim() !== '')
    : [];
}

/**
 * The clusters: the default one (from `nomad.*` and the environment) and the named ones of
 * `nomad.clusters`, which one is current and its namespace override (global state), and what adding,
 * renaming and removing one writes (the user's settings). Settings are read as the rules of
 * src/shared/settings.ts allow (an untrusted folder's address, TLS files and clusters are never read;
 * a workspace's TLS and token files must lie in its folder). Tokens are not here (credentials.ts).
 */
export class Clusters {
  constructor(
    private readonly state: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv,
    private readonly warn: (message: string) => void,
  ) {}

  clusterSettings(): ClusterSetting[] {
    return named(readSetting('nomad.clusters', undefined, this.warn));
  }

  clusterNames(): string[] {
    return [
      DEFAULT_CLUSTER,
      ...this.clusterSettings()
        .map(c => c.name)
        .filter(n => n !== DEFAULT_CLUSTER),
    ];
  }

  current(): string {
    const name = this.state.get<string>(CURRENT_KEY, DEFAULT_CLUSTER);
    return this.clusterNames().includes(name) ? name : DEFAULT_CLUSTER;
  }

  /** The name a cluster is shown with (the default cluster's is nomad.clusterName). */
  displayName(name: string): string {
    return name === DEFAULT_CLUSTER ? readSetting('nomad.clusterName', undefined, this.warn) || DEFAULT_CLUSTER : name;
  }

  /** The settings that describe a cluster: `nomad.*` for the default one, a `nomad.clusters` entry otherwise. */
  settingsFor(name: string): NomadSettings {
    const get = <K extends Parameters<typeof readSetting>[0]>(key: K) => readSetting(key, undefined, this.warn);
    if (name !== DEFAULT_CLUSTER) {
      const entry = this.clusterSettings().find(c => c.name === name);
      if (entry) return { ...entry, consul: { ...this.consul(), ...(entry.consul ?? {}) } };
    }
    return {
      name: get('nomad.clusterName') || DEFAULT_CLUSTER,
      address: get('nomad.address'),
      namespace: get('nomad.namespace'),
      region: get('nomad.region'),
      caCert: get('nomad.tls.caCert'),
      caPath: get('nomad.tls.caPath'),
      clientCert: get('nomad.tls.clientCert'),
      clientKey: get('nomad.tls.clientKey'),
      tlsServerName: get('nomad.tls.serverName'),
      skipVerify: get('nomad.tls.skipVerify'),
      consul: this.consul(),
    };
  }

  private consul(): NomadSettings['consul'] {
    const get = <K extends Parameters<typeof readSetting>[0]>(key: K) => readSetting(key, undefined, this.warn);
    return {
      address: get('nomad.consul.address'),
      caCert: get('nomad.consul.caCert'),
      caPath: get('nomad.consul.caPath'),
      clientCert: get('nomad.consul.clientCert'),
      clientKey: get('nomad.consul.clientKey'),
      tlsServerName: get('nomad.consul.tlsServerName'),
      skipVerify: get('nomad.consul.skipVerify'),
      tokenFile: get('nomad.consul.tokenFile'),
    };
  }

  /** Is a cluster address configured for this cluster (a setting, a named cluster, or NOMAD_ADDR)?
   *  Only then is connecting without being asked worth it (the CLI's default address is a guess). */
  hasConfiguredAddress(name: string): boolean {
    if (name !== DEFAULT_CLUSTER)
      return this.clusterSettings().some(
        c => c.name === name && typeof c.address === 'string' && c.address.trim() !== '',
      );
    return (
      readSetting('nomad.address', undefined, this.warn).trim() !== '' || (this.env['NOMAD_ADDR'] ?? '').trim() !== ''
    );
  }

  /** The environment a cluster's connection reads (NOMAD_*, CONSUL_*): named clusters do not inherit
   *  it, they say where they are. */
  envFor(name: string): NodeJS.ProcessEnv {
    return name === DEFAULT_CLUSTER ? this.env : {};
  }

  resolve(name: string): ResolvedConnection {
    const r = resolveConnection(this.settingsFor(name), this.envFor(name));
    const ns = this.state.get<string>(NS_KEY(name));
    if (ns) r.profile.namespace = ns;
    return r;
  }

  async setCurrent(name: string): Promise<void> {
    await this.state.update(CURRENT_KEY, name);
  }

  async setNamespace(cluster: string, ns: string): Promise<void> {
    await this.state.update(NS_KEY(cluster), ns);
  }

  /** The clusters of the user's own settings: what Add/Rename/Remove Cluster edit. A workspace's entries
   *  (shown while that folder is open and trusted) are never copied into the user's settings. */
  userClusterSettings(): ClusterSetting[] {
    return named(inspectSetting('nomad.clusters')?.globalValue ?? []);
  }

  async save(list: ClusterSetting[]): Promise<void> {
    await updateSetting('nomad.clusters', list, vscode.ConfigurationTarget.Global);
  }

  /** Renames a cluster of the user's settings (and the current one, if it was). */
  async rename(from: string, to: string): Promise<void> {
    await this.save(this.userClusterSettings().map(c => (c.name === from ? { ...c, name: to } : c)));
    if (this.state.get(CURRENT_KEY) === from) await this.state.update(CURRENT_KEY, to);
  }

  /** Removes a cluster of the user's settings; true when it was the current one (now the default). */
  async remove(name: string): Promise<boolean> {
    await this.save(this.userClusterSettings().filter(c => c.name !== name));
    return this.state.get(CURRENT_KEY) === name;
  }
}
