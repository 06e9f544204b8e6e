// Deprecated and removed parts of the jobspec, for diagnostics and quick fixes.
// Paths are `<Owner>.<name>` where Owner is a generated type id, `driver:<name>` or `File`.
// An example in a message is taken from the file where it can be: `{name=fallback}` is filled from the
// finding's own item (src/language/check/schemaCheck.ts, fillExample): `{value}` its value as written,
// `{not}` the opposite of its boolean, `{label}`/`{to}` its first port_map entry; the fallback is shown
// when the file does not say (an expression, an empty map).
import type { Deprecation } from './types';

export const deprecations: readonly Deprecation[] = [
  {
    path: 'driver:docker.port_map',
    severity: 'warning',
    fix: 'docker-port-map-to-network',
    message:
      'port_map is deprecated. Give the port a "to" value in the group network block (port "{label=http}" { to = {to=8080} }) and list its label in the docker config: ports = ["{label=http}"].',
  },
  {
    path: 'driver:qemu.port_map',
    severity: 'warning',
    fix: 'port-map-to-network-to',
    message:
      'port_map is deprecated. Set the guest port with "to" on the port in the group network block instead (port "{label=ssh}" { to = {to=22} }).',
  },
  {
    path: 'driver:podman.port_map',
    severity: 'warning',
    fix: 'port-map-to-network-to',
    message:
      'port_map is deprecated. Set the container port with "to" on the port in the group network block (port "{label=http}" { to = {to=8080} }) and list the label in ports: ports = ["{label=http}"].',
  },
  {
    path: 'Resources.network',
    severity: 'warning',
    fix: 'move-network-to-group',
    message:
      'A network block inside task resources is deprecated. Declare the network and its ports in the group instead.',
  },
  {
    path: 'NetworkResource.mbits',
    severity: 'warning',
    fix: 'remove-attribute',
    message: 'mbits is deprecated and ignored by Nomad; remove it.',
  },
  {
    path: 'Resources.iops',
    severity: 'warning',
    fix: 'remove-attribute',
    message: 'iops is deprecated and ignored by Nomad; remove it.',
  },
  {
    path: 'UpdateStrategy.stagger',
    severity: 'info',
    fix: 'none',
    message:
      'stagger is only honoured for system jobs. Service jobs roll out through deployments, where min_healthy_time sets the pace.',
  },
  {
    path: 'TaskGroup.max_client_disconnect',
    severity: 'warning',
    fix: 'disconnect-lost-after',
    since: '1.8.0',
    message:
      'max_client_disconnect is deprecated since Nomad 1.8 (and ignored from 1.10). Use disconnect { lost_after = {value="..."} } instead.',
  },
  {
    path: 'TaskGroup.stop_after_client_disconnect',
    severity: 'warning',
    fix: 'disconnect-stop-on-client-after',
    since: '1.8.0',
    message:
      'stop_after_client_disconnect is deprecated since Nomad 1.8 (and ignored from 1.10). Use disconnect { stop_on_client_after = {value="..."} } instead.',
  },
  {
    path: 'TaskGroup.prevent_reschedule_on_lost',
    severity: 'warning',
    fix: 'disconnect-replace',
    since: '1.8.0',
    message:
      'prevent_reschedule_on_lost is deprecated since Nomad 1.8 (and ignored from 1.10). Use disconnect { replace = {not=false} } instead.',
  },
  {
    path: 'LogConfig.enabled',
    severity: 'warning',
    fix: 'logs-enabled-to-disabled',
    message: 'logs.enabled is deprecated. Use disabled = {not=<the opposite value>} instead.',
  },
  {
    path: 'Template.vault_grace',
    severity: 'warning',
    fix: 'remove-attribute',
    message: 'vault_grace is deprecated and ignored; remove it.',
  },
  {
    path: 'Job.vault_token',
    severity: 'error',
    fix: 'remove-attribute',
    removed: true,
    since: '1.10.0',
    message:
      '`vault_token` was removed in Nomad 1.10: Nomad obtains Vault tokens through workload identities. Remove it.',
    advice: 'Nomad obtains Vault tokens through workload identities; remove it.',
  },
  {
    path: 'Job.consul_token',
    severity: 'error',
    fix: 'remove-attribute',
    removed: true,
    since: '1.10.0',
    message: '`consul_token` was removed in Nomad 1.10: Nomad uses workload identities for Consul. Remove it.',
    advice: 'Nomad uses workload identities for Consul; remove it.',
  },
];

/** A deprecation's message with its examples' fallbacks (where no item of a file is at hand: hover). */
export function withExampleFallbacks(message: string): string {
  return message.replace(/\{(value|not|label|to)=([^{}]*)\}/g, (_m, _name: string, fallback: string) => fallback);
}
