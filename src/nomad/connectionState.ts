// The states of a cluster connection, what a failure makes of it, and what the status bar says about
// it. Pure: src/cluster/connection.ts drives the transitions, src/cluster/statusBar.ts shows them.
import { codicon, joinShown, plain, type Shown } from '../untrusted/shown';
import { isNomadError } from './errors';

export type ConnectionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; cluster: string }
  | { kind: 'connected'; cluster: string; leader: string }
  | { kind: 'unauthorized'; cluster: string; message: string }
  /** `retrying`: the cluster could not be reached (or stopped answering) and the connection tries again
   *  by itself, with backoff; it becomes `connected` when the agent answers. */
  | { kind: 'error'; cluster: string; message: string; error: unknown; retrying?: boolean };

/** What a failed connection attempt or probe makes of the connection: refused (unauthorized), not
 *  reachable (an error retried by itself: `retrying`), or broken (an error the user must act on). */
export function failureState(
  cluster: string,
  e: unknown,
): Extract<ConnectionState, { kind: 'unauthorized' | 'error' }> {
  const message = e instanceof Error ? e.message : String(e);
  if (isNomadError(e) && e.kind === 'unauthorized') return { kind: 'unauthorized', cluster, message: e.message };
  if (isNomadError(e) && e.retryable) return { kind: 'error', cluster, message, error: e, retrying: true };
  return { kind: 'error', cluster, message, error: e };
}

/** The context keys (package.json `when` clauses) a state sets. */
export function stateContextKeys(
  s: ConnectionState,
): Record<'nomad.connected' | 'nomad.unauthorized' | 'nomad.connectionError', boolean> {
  return {
    'nomad.connected': s.kind === 'connected',
    'nomad.unauthorized': s.kind === 'unauthorized',
    'nomad.connectionError': s.kind === 'error',
  };
}

export interface StatusInput {
  state: ConnectionState;
  /** the cluster's name as shown (the default cluster's nomad.clusterName) */
  name: string;
  namespace: string;
  region?: string | undefined;
  address: string;
  /** the automatic reconnection's next wait, while it runs */
  retry?: { delayMs: number; attempt: number } | undefined;
}

export interface StatusView {
  text: Shown;
  tooltip: Shown;
  warning: boolean;
}

/** What the status bar item shows for a state. The icon is ours; the names may come from settings or
 *  the cluster (namespaces): shown as text. */
export function describeStatus(i: StatusInput): StatusView {
  const s = i.state;
  const where = [i.name, i.namespace === '*' ? 'all namespaces' : i.namespace, i.region].filter(Boolean).join(' · ');
  const retrying = s.kind === 'error' && s.retrying;
  const icon =
    s.kind === 'connected'
      ? 'server-environment'
      : s.kind === 'connecting'
        ? 'sync~spin'
        : s.kind === 'disconnected' || retrying
          ? 'debug-disconnect'
          : 'warning';
  const text = joinShown([
    codicon(icon),
    plain` Nomad: ${where}${retrying ? ' — disconnected, retrying' : s.kind === 'connecting' ? ' — connecting…' : ''}`,
  ]);
  const address = i.address;
  const next = i.retry
    ? ` Next attempt in ${Math.max(1, Math.round(i.retry.delayMs / 1000))} s (attempt ${i.retry.attempt}).`
    : '';
  const tooltip =
    s.kind === 'connected'
      ? plain`Connected to ${address} (leader ${s.leader}). Click to switch cluster or namespace.`
      : s.kind === 'unauthorized'
        ? plain`${s.message}\nClick to set an ACL token or switch cluster.`
        : retrying
          ? plain`Cannot reach ${address}: ${s.message}\nReconnecting by itself.${next} Click to switch cluster.`
          : s.kind === 'error'
            ? plain`${s.message}\nClick to switch cluster.`
            : s.kind === 'connecting'
              ? plain`Connecting to ${address}…`
              : plain`Not connected. Click to choose a cluster.`;
  return { text, tooltip, warning: s.kind === 'error' || s.kind === 'unauthorized' };
}
