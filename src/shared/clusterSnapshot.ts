/**
 * What the language server knows of the connected cluster: a compact snapshot the extension reads
 * (src/nomad/clusterFacts/) and sends with `nomad/clusterSnapshot` whenever it changes, `null` when
 * it is not connected or may read nothing. Every string in it comes from the cluster and is
 * untrusted (it reaches the screen only through src/untrusted/shown.ts).
 *
 * A part the token may not read (403) is absent (`undefined`), not empty: the checks say nothing about
 * what they cannot see. Variables carry their item KEYS only, never a value.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

export interface SnapshotDriver {
  detected: boolean;
  healthy: boolean;
}

export interface SnapshotResources {
  /** CPU the node offers jobs, MHz (its total less what the node reserves) */
  cpuMHz: number;
  /** memory the node offers jobs, MB */
  memoryMB: number;
  /** disk the node offers jobs, MB */
  diskMB: number;
}

export interface SnapshotNode {
  id: string;
  name: string;
  datacenter: string;
  nodePool: string;
  nodeClass: string;
  /** ready, down, initializing, disconnected */
  status: string;
  /** scheduling eligibility */
  eligible: boolean;
  drain: boolean;
  drivers: Record<string, SnapshotDriver>;
  /** the node's attributes (`${attr.…}`); undefined when only the node list could be read */
  attributes?: Record<string, string>;
  /** the node's meta (`${meta.…}`) */
  meta?: Record<string, string>;
  /** host volume names the node offers, with whether they are read-only */
  hostVolumes: Record<string, { readOnly: boolean }>;
  /** undefined when the cluster did not say */
  resources?: SnapshotResources;
}

export interface SnapshotCsiVolume {
  id: string;
  namespace: string;
  plugin: string;
}

export interface SnapshotVariable {
  namespace: string;
  path: string;
  /** the item keys (never the values); undefined when the items could not be read */
  keys?: string[];
}

export interface SnapshotService {
  namespace: string;
  name: string;
}

export interface ClusterSnapshot {
  /** how the cluster is named to the user (the profile's name, else its address) */
  cluster: string;
  /** when the snapshot's data was last confirmed current, ms since the epoch */
  readAt: number;
  region?: string;
  /** the namespace a job without `namespace` goes to (the connection's; default "default") */
  defaultNamespace?: string;
  /** undefined: the token may not list nodes */
  nodes?: SnapshotNode[];
  nodePools?: string[];
  namespaces?: string[];
  csiVolumes?: SnapshotCsiVolume[];
  variables?: SnapshotVariable[];
  services?: SnapshotService[];
}

/** Extension → server: the cluster's snapshot, or null when there is none (not connected, refused). */
export const ClusterSnapshotNotification = new NotificationType<ClusterSnapshot | null>('nomad/clusterSnapshot');
