// The rule inventory: every error Nomad's register path can return for a job, from the `Validate`
// methods of its structs package and the job endpoint's admission hooks, at every release from 1.6.5 to
// 2.0.5 (read from each release tag's source). Facts, not code: the rule's wording as Nomad has it (a
// Go format string), the first and last release that have it (`since` 1.6.5 means "1.6.5 or earlier";
// no `last`: still in 2.0.5), and either the module that judges it from the file (`judged`) or why it
// is not judged (`reason`: what it needs from the cluster, or why it cannot come from a job file;
// ruleInventory.test.ts refuses a rule without either). `wrapper` rules only carry another rule's
// message (a prefix such as "Task group %s validation failed: %v", or an error value another wraps with
// %w) and are not counted.
// The checker asks `ruleHolds` before it reports a rule of registerRules.ts, so a release range here is
// the one place a rule's history lives; test/unit/language/check/ruleInventory.test.ts holds every
// judged rule to a failing and a passing case. Pure data: no imports.

export interface NomadRule {
  id: string;
  /** the Go function that returns it (Type.Method) */
  func: string;
  /** Nomad's message (a Go format string) */
  message: string;
  /** first release that has it (1.6.5: that release or earlier) */
  since: string;
  /** last release that has it; absent: every release up to the newest known (2.0.5) */
  last?: string;
  /** the module that reports it from the file */
  judged?: 'registerRules.ts' | 'validate.ts' | 'schemaCheck.ts';
  /** why it is not judged from the file */
  reason?: string;
  /** only a prefix of other rules' messages */
  wrapper?: true;
  /** the diagnostic code it is reported with (default nomad-refuses) */
  code?: string;
}

/** the rules registerRules.ts reports */
export type RuleId =
  | 'service.identity-name'
  | 'service.identity-aud'
  | 'identity.duplicate-default'
  | 'volume-mount.selinux-label'
  | 'group.mcd-prevent-reschedule'
  | 'numa.device'
  | 'numa.affinity'
  | 'tproxy.exclude-uid'
  | 'tproxy.uid'
  | 'tproxy.outbound-cidr'
  | 'tproxy.one-connect'
  | 'tproxy.inbound-port'
  | 'tproxy.dns'
  | 'check.task-address-mode-alloc-ipv6'
  | 'service.task-address-mode-alloc-ipv6'
  | 'service.kind'
  | 'service.native-needs-port'
  | 'constraint.attribute-unsupported'
  | 'constraint.attribute-closing-brace'
  | 'cni.arg-value-semicolon'
  | 'cni.arg-key-semicolon'
  | 'cni.duplicate-arg'
  | 'secret.config'
  | 'secret.env'
  | 'secret.path'
  | 'secret.provider'
  | 'secret.name'
  | 'secret.name-empty'
  | 'secret.duplicate'
  | 'identity.filepath-needs-file'
  | 'identity.ttl-negative'
  | 'identity.default-ttl'
  | 'identity.change-mode'
  | 'identity.signal-mode-needs-signal'
  | 'identity.signal-needs-signal-mode'
  | 'identity.empty-audience'
  | 'identity.name'
  | 'action.duplicate'
  | 'action.name'
  | 'action.command'
  | 'expose.local-port'
  | 'gateway.terminating-service'
  | 'gateway.linked-service-sni-ca'
  | 'gateway.linked-service-cert-key'
  | 'gateway.linked-service-tls-ca'
  | 'gateway.linked-service-name'
  | 'gateway.ingress-listener'
  | 'gateway.listener-services'
  | 'gateway.listener-protocol'
  | 'gateway.listener-port'
  | 'gateway.ingress-wildcard-hosts'
  | 'gateway.ingress-tcp-hosts'
  | 'gateway.ingress-tcp-wildcard'
  | 'gateway.ingress-service-name'
  | 'gateway.dns-discovery-type'
  | 'gateway.bind-port'
  | 'gateway.bind-address'
  | 'gateway.one-kind'
  | 'artifact.source'
  | 'check.driver-port-positive'
  | 'connect.proxy-task-service-not-found'
  | 'connect.proxy-task-no-services'
  | 'connect.proxy-task-leader'
  | 'connect.proxy-task-service'
  | 'check.group-address-mode-driver'
  | 'device.constraint-operand'
  | 'check.http-path-valid'
  | 'expose.task-service'
  | 'expose.needs-sidecar'
  | 'connect.upstreams-same-address'
  | 'connect.mesh-gateway-port'
  | 'affinity.needs-attribute'
  | 'affinity.needs-value'
  | 'affinity.regexp'
  | 'affinity.semver'
  | 'affinity.set-contains-needs-value'
  | 'affinity.unknown-operator'
  | 'affinity.version'
  | 'affinity.weight-range'
  | 'affinity.weight-zero'
  | 'artifact.checksum-empty'
  | 'artifact.checksum-format'
  | 'artifact.checksum-hex'
  | 'artifact.checksum-length'
  | 'artifact.checksum-type'
  | 'artifact.destination-escapes'
  | 'check-restart.grace-negative'
  | 'check-restart.limit-negative'
  | 'check.address-mode-auto'
  | 'check.connect-tcp'
  | 'check.expose-type'
  | 'check.failures-before-critical-type'
  | 'check.failures-before-warning-type'
  | 'check.group-script-task'
  | 'check.group-unknown-task'
  | 'check.initial-status'
  | 'check.nomad-address-mode'
  | 'check.nomad-expose'
  | 'check.nomad-failures-before-critical'
  | 'check.nomad-failures-before-warning'
  | 'check.nomad-ignore-warnings'
  | 'check.nomad-method'
  | 'check.nomad-on-update'
  | 'check.nomad-success-before-passing'
  | 'check.nomad-tls-server-name'
  | 'check.nomad-tls-skip-verify'
  | 'check.notes-length'
  | 'check.on-update-check-restart'
  | 'check.on-update-ignore-warnings'
  | 'check.success-before-passing-type'
  | 'check.task-address-mode-alloc'
  | 'constraint.attribute-opening-brace'
  | 'constraint.distinct-property-count'
  | 'constraint.distinct-property-min'
  | 'constraint.is-set-value'
  | 'constraint.needs-attribute'
  | 'constraint.needs-attribute-operator'
  | 'constraint.needs-value'
  | 'constraint.regexp'
  | 'constraint.semver'
  | 'constraint.set-contains-needs-value'
  | 'constraint.task-level-distinct'
  | 'constraint.version'
  | 'csi-plugin.id'
  | 'csi-plugin.stage-under-mount'
  | 'csi-plugin.type'
  | 'disconnect.lost-after-negative'
  | 'disconnect.lost-and-stop'
  | 'disconnect.old-max-client-disconnect'
  | 'disconnect.old-prevent-reschedule'
  | 'disconnect.old-stop-after'
  | 'disconnect.reconcile'
  | 'disconnect.stop-after-negative'
  | 'disconnect.stop-after-type'
  | 'disk.min-size'
  | 'dispatch-payload.escapes'
  | 'group.disconnect-pair'
  | 'group.max-client-disconnect-negative'
  | 'group.max-run-duration-positive'
  | 'group.max-run-duration-type'
  | 'group.one-provider'
  | 'group.services-unique'
  | 'group.shutdown-delay-negative'
  | 'group.sysbatch-reschedule'
  | 'job.datacenter-empty'
  | 'job.id-space'
  | 'job.priority-range'
  | 'job.stop-after-client-disconnect-negative'
  | 'job.stop-after-client-disconnect-type'
  | 'job.ui-description'
  | 'logs.fit-disk'
  | 'logs.max-file-size-min'
  | 'logs.max-files-min'
  | 'migrate.healthy-deadline-negative'
  | 'migrate.max-parallel-negative'
  | 'migrate.min-healthy-below-healthy-deadline'
  | 'migrate.min-healthy-time-negative'
  | 'network.hostname'
  | 'network.ignore-collision-mode'
  | 'network.port-label-unique'
  | 'network.static-port-max'
  | 'network.static-port-unique'
  | 'network.to-max'
  | 'network.to-negative'
  | 'parameterized.meta-disjoint'
  | 'periodic.cron-or-crons'
  | 'periodic.needs-spec'
  | 'reschedule.attempts-fit-constant'
  | 'reschedule.attempts-fit-interval'
  | 'reschedule.attempts-fit-other'
  | 'reschedule.delay-function'
  | 'reschedule.delay-min'
  | 'reschedule.interval-min'
  | 'reschedule.interval-with-attempts'
  | 'reschedule.max-delay-below-delay'
  | 'reschedule.max-delay-min'
  | 'resources.cores-negative'
  | 'resources.memory-max-below-memory'
  | 'resources.secrets-above-memory'
  | 'resources.secrets-negative'
  | 'restart.attempts-zero-ambiguous'
  | 'restart.interval-holds-attempts'
  | 'restart.interval-min'
  | 'service.address-needs-auto'
  | 'service.group-address-mode-driver'
  | 'service.native-needs-task'
  | 'service.task-address-mode-alloc'
  | 'service.task-duplicate'
  | 'service.task-other-task'
  | 'spread.duplicate-target'
  | 'spread.missing-attribute'
  | 'spread.target-percent'
  | 'spread.targets-sum'
  | 'spread.weight-range'
  | 'task.kill-timeout-negative'
  | 'task.kill-timeout-progress-deadline'
  | 'task.name-alloc'
  | 'task.shutdown-delay-negative'
  | 'task.system-affinity'
  | 'template.change-script-command'
  | 'template.destination-escapes'
  | 'template.env-signal'
  | 'template.perms-octal'
  | 'template.same-destination'
  | 'template.script-needs-change-script'
  | 'template.signal-needs-change-signal'
  | 'template.splay-negative'
  | 'template.wait-min-max'
  | 'update.auto-promote-without-canary'
  | 'update.canary-negative'
  | 'update.healthy-deadline-below-progress-deadline'
  | 'update.healthy-deadline-positive'
  | 'update.max-parallel-negative'
  | 'update.min-healthy-below-healthy-deadline'
  | 'update.min-healthy-time-negative'
  | 'update.progress-deadline-negative'
  | 'update.stagger-positive'
  | 'vault.root-policy'
  | 'vault.signal-empty'
  | 'volume-mount.empty-volume'
  | 'volume-mount.empty-volume-18'
  | 'volume-mount.propagation-mode'
  | 'volume-mount.propagation-mode-18'
  | 'volume-mount.undefined-volume'
  | 'volume.block-device-mount-options'
  | 'volume.empty-source'
  | 'volume.multi-node-single-writer'
  | 'volume.per-alloc-sticky';

/** the newest release the inventory was read from */
export const INVENTORY_NEWEST = '2.0.5';

export const NOMAD_RULES: readonly NomadRule[] = [
  {
    id: 'connect.native-task',
    func: 'getNamedTaskForNativeService',
    message: 'task for Consul Connect Native service %s->%s is ambiguous and must be set',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.native-task-missing',
    func: 'getNamedTaskForNativeService',
    message: 'task %s named by Consul Connect Native service %s->%s does not exist',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.mesh-gateway-port',
    func: 'groupConnectHook',
    message: 'service.port must be set for mesh gateway service',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'connect.upstreams-same-address',
    func: 'groupConnectUpstreamsValidate',
    message: 'Consul Connect services %q and %q in group %q using same address for upstreams (%s)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'connect.sidecar-networks',
    func: 'groupConnectSidecarValidate',
    message: 'Consul Connect sidecars require exactly 1 network, found %d in group %q',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.sidecar-bridge',
    func: 'groupConnectSidecarValidate',
    message: 'Consul Connect sidecar requires bridge network, found %q in group %q',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.sidecar-service-lowercase',
    func: 'groupConnectSidecarValidate',
    message: 'Consul Connect service name %q in group %q must not contain uppercase characters',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.sidecar-group-lowercase',
    func: 'groupConnectSidecarValidate',
    message: 'Consul Connect group %q with service %q must not contain uppercase characters',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.gateway-networks',
    func: 'groupConnectGatewayValidate',
    message: 'Consul Connect gateways require exactly 1 network, found %d in group %q',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.gateway-mode',
    func: 'groupConnectGatewayValidate',
    message: 'Consul Connect Gateway service requires Task Group with network mode of type "bridge" or "host"',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'expose.needs-sidecar',
    func: 'tgValidateUseOfCheckExpose',
    message: 'exposed service check %s->%s->%s requires use of sidecar_proxy',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'expose.task-service',
    func: 'tgValidateUseOfCheckExpose',
    message: 'exposed service check %s[%s]->%s->%s is not a task-group service',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'expose.bridge-count',
    func: 'tgValidateUseOfBridgeMode',
    message: 'group %q must specify one bridge network for exposing service check(s)',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'expose.bridge-mode',
    func: 'tgValidateUseOfBridgeMode',
    message: 'group %q must use bridge network for exposing service check(s)',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'expose.local-port',
    func: 'exposePathForCheck',
    message: 'unable to determine local service port for service check %s->%s->%s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.jobNodePoolValidatingHook.job-q-is-in-nonexistent',
    func: 'jobNodePoolValidatingHook.Validate',
    message: 'job %q is in nonexistent node pool %q',
    since: '1.6.5',
    reason: 'needs the cluster: whether the node pool exists',
  },
  {
    id: 'nomad.jobVaultHook.vault-not-enabled-but-used',
    func: 'jobVaultHook.Validate',
    message: 'Vault not enabled but used in the job',
    since: '1.6.5',
    last: '1.6.10',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobVaultHook.vault-used-in-the-job',
    func: 'jobVaultHook.Validate',
    message: 'Vault used in the job but missing Vault token',
    since: '1.6.5',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobVaultHook.failed-to-lookup-vault-token',
    func: 'jobVaultHook.Validate',
    message: 'failed to lookup Vault token: %v',
    since: '1.6.5',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobVaultHook.failed-to-lookup-vault-token-2',
    func: 'jobVaultHook.Validate',
    message: 'failed to lookup Vault token policies: %v',
    since: '1.6.5',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobVaultHook.vault-token-doesn-t-allow',
    func: 'jobVaultHook.Validate',
    message: "Vault token doesn't allow access to the following policies: %s",
    since: '1.6.5',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.hook.vault_oss.namespaces-s',
    func: 'job_endpoint_hook_vault_oss.var',
    message: '%w, Namespaces: %s',
    since: '1.6.5',
    last: '1.6.10',
    wrapper: true,
  },
  {
    id: 'nomad.jobValidate.job-type-cannot-be-core',
    func: 'jobValidate.Validate',
    message: 'job type cannot be core',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.jobValidate.job-can-t-be-submitted',
    func: 'jobValidate.Validate',
    message: "job can't be submitted with a payload, only dispatched",
    since: '1.6.5',
    reason: 'a job file carries no payload: only dispatch sets one',
  },
  {
    id: 'job.priority-range',
    func: 'jobValidate.Validate',
    message: 'job priority must be between [%d, %d]',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.memoryOversubscriptionValidate.memory-oversubscription-is-not-enabled',
    func: 'memoryOversubscriptionValidate.Validate',
    message:
      'Memory oversubscription is not enabled; Task \\"%v.%v\\" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.',
    since: '1.6.5',
    reason: 'needs the cluster: its scheduler configuration',
  },
  {
    id: 'nomad.Job.job-source-size-of-s',
    func: 'Job.submissionController',
    message: 'job source size of %s exceeds maximum of %s and will be discarded',
    since: '1.6.5',
    reason: 'needs the cluster: the server limit on job sources',
  },
  {
    id: 'check.type',
    func: 'ServiceCheck.validateCommon',
    message: 'invalid check type (%q), must be one of %s',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.http-path',
    func: 'ServiceCheck.validateCommon',
    message: 'http type must have http path',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.http-path-valid',
    func: 'ServiceCheck.validateCommon',
    message: 'http type must have valid http path',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.http-relative-path',
    func: 'ServiceCheck.validateCommon',
    message: 'http type must have relative http path',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.script-command',
    func: 'ServiceCheck.validateCommon',
    message: 'script type must have a valid script path',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.interval-missing',
    func: 'ServiceCheck.validateCommon',
    message: 'missing required value interval. Interval cannot be less than %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.interval-min',
    func: 'ServiceCheck.validateCommon',
    message: 'interval (%v) cannot be lower than %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.timeout-missing',
    func: 'ServiceCheck.validateCommon',
    message: 'missing required value timeout. Timeout cannot be less than %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.timeout-min',
    func: 'ServiceCheck.validateCommon',
    message: 'timeout (%v) is lower than required minimum timeout %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.initial-status',
    func: 'ServiceCheck.validateCommon',
    message: 'invalid initial check state (%s), must be one of %q, %q, %q or empty',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.address-mode-auto',
    func: 'ServiceCheck.validateCommon',
    message: 'invalid address_mode %q - %s only valid for services',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.address-mode-invalid',
    func: 'ServiceCheck.validateCommon',
    message: 'invalid address_mode %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'check.on-update',
    func: 'ServiceCheck.validateCommon',
    message: 'on_update must be %q, %q, or %q; got %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'check.on-update-check-restart',
    func: 'ServiceCheck.validateCommon',
    message: 'on_update value %q is not compatible with check_restart',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.on-update-ignore-warnings',
    func: 'ServiceCheck.validateCommon',
    message: 'on_update value %q not supported with check_restart ignore_warnings value %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-expose',
    func: 'ServiceCheck.validateNomad',
    message: 'expose may only be set for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-on-update',
    func: 'ServiceCheck.validateNomad',
    message: 'on_update may only be set to ignore_warnings for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-ignore-warnings',
    func: 'ServiceCheck.validateNomad',
    message: 'ignore_warnings on check_restart only supported for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-address-mode',
    func: 'ServiceCheck.validateNomad',
    message: 'address_mode = driver may only be set for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-method',
    func: 'ServiceCheck.validateNomad',
    message: 'method type %q not supported in Nomad http check',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-success-before-passing',
    func: 'ServiceCheck.validateNomad',
    message: 'success_before_passing may only be set for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-failures-before-critical',
    func: 'ServiceCheck.validateNomad',
    message: 'failures_before_critical may only be set for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-tls-server-name',
    func: 'ServiceCheck.validateNomad',
    message: 'tls_server_name may only be set for Consul service checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.nomad-tls-skip-verify',
    func: 'ServiceCheck.validateNomad',
    message: 'tls_skip_verify may only be set for Consul service checks',
    since: '1.6.5',
    last: '1.9.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.expose-type',
    func: 'ServiceCheck.validateConsul',
    message: 'expose may only be set on HTTP or gRPC checks',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ServiceCheck.success-before-passing-must-be',
    func: 'ServiceCheck.validateConsul',
    message: 'success_before_passing must be non-negative',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad's api turns a negative value into 0 first",
  },
  {
    id: 'check.success-before-passing-type',
    func: 'ServiceCheck.validateConsul',
    message: 'success_before_passing not supported for check of type %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ServiceCheck.failures-before-critical-must-be',
    func: 'ServiceCheck.validateConsul',
    message: 'failures_before_critical must be non-negative',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad's api turns a negative value into 0 first",
  },
  {
    id: 'check.failures-before-critical-type',
    func: 'ServiceCheck.validateConsul',
    message: 'failures_before_critical not supported for check of type %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  { id: 'nomad.Service.q', func: 'Service.Validate', message: '%v: %q', since: '1.6.5', wrapper: true },
  {
    id: 'service.address-needs-auto',
    func: 'Service.Validate',
    message: 'Service address_mode must be %q if address is set',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.address-mode',
    func: 'Service.Validate',
    message: 'Service address_mode must be %q, %q, or %q; not %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'service.on-update',
    func: 'Service.Validate',
    message: 'Service on_update must be %q, %q, or %q; not %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'service.provider',
    func: 'Service.Validate',
    message: 'Service provider must be %q, or %q; not %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'check.port-missing',
    func: 'Service.validateCheckPort',
    message: 'Check %s invalid: check requires a port but neither check nor service %+q have a port',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.connect-tcp',
    func: 'Service.validateConsulService',
    message: 'Check %s invalid: tcp checks are not valid for Connect enabled services',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Service.check-s-invalid-v',
    func: 'Service.validateConsulService',
    message: 'Check %s invalid: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'service.native-needs-task',
    func: 'Service.validateConsulService',
    message: 'Service %s is Connect Native and requires setting the task',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.nomad-connect',
    func: 'Service.validateNomadService',
    message: 'Service with provider nomad cannot include Connect blocks',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'service.name',
    func: 'Service.ValidateName',
    message:
      'Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.kind',
    func: 'ConsulConnect.Validate',
    message: 'Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.ConsulMeshGateway.connect-mesh-gateway-mode-q',
    func: 'ConsulMeshGateway.Validate',
    message: 'Connect mesh_gateway mode %q not supported',
    since: '1.6.5',
    reason:
      "never reached from a job file: no code of the register path calls ConsulMeshGateway.Validate (only Nomad's tests do; at 1.6.5 and 2.0.5)",
  },
  {
    id: 'gateway.one-kind',
    func: 'ConsulGateway.Validate',
    message: 'One Consul Gateway Configuration must be set',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.bind-address',
    func: 'ConsulGatewayBindAddress.Validate',
    message: 'Consul Gateway Bind Address must be set',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.bind-port',
    func: 'ConsulGatewayBindAddress.Validate',
    message: 'Consul Gateway Bind Address must set valid Port',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ConsulGatewayProxy.consul-gateway-proxy-connection-timeout',
    func: 'ConsulGatewayProxy.Validate',
    message: 'Consul Gateway Proxy connection_timeout must be set',
    since: '1.6.5',
    reason:
      "cannot come from a job file: the Connect admission hook gives a gateway proxy without connect_timeout Nomad's default (5s) before validation",
  },
  {
    id: 'gateway.dns-discovery-type',
    func: 'ConsulGatewayProxy.Validate',
    message: 'Consul Gateway Proxy Envoy DNS Discovery type must be %s or %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.ingress-service-name',
    func: 'ConsulIngressService.Validate',
    message: 'Consul Ingress Service requires a name',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.ingress-tcp-wildcard',
    func: 'ConsulIngressService.Validate',
    message: 'Consul Ingress Service doesn\'t support wildcard name for "tcp" protocol',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.ingress-tcp-hosts',
    func: 'ConsulIngressService.Validate',
    message: 'Consul Ingress Service doesn\'t support associating hosts to a service for the "tcp" protocol',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.ingress-wildcard-hosts',
    func: 'ConsulIngressService.Validate',
    message: 'Consul Ingress Service with a wildcard "*" service name can not also specify hosts',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.listener-port',
    func: 'ConsulIngressListener.Validate',
    message: 'Consul Ingress Listener requires valid Port',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.listener-protocol',
    func: 'ConsulIngressListener.Validate',
    message: 'Consul Ingress Listener requires protocol of %s, got %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.listener-services',
    func: 'ConsulIngressListener.Validate',
    message: 'Consul Ingress Listener requires one or more services',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.ingress-listener',
    func: 'ConsulIngressConfigEntry.Validate',
    message: 'Consul Ingress Gateway requires at least one listener',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.linked-service-name',
    func: 'ConsulLinkedService.Validate',
    message: 'Consul Linked Service requires Name',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.linked-service-tls-ca',
    func: 'ConsulLinkedService.Validate',
    message: 'Consul Linked Service TLS requires CAFile',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.linked-service-cert-key',
    func: 'ConsulLinkedService.Validate',
    message: 'Consul Linked Service TLS Cert and Key must both be set',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.linked-service-sni-ca',
    func: 'ConsulLinkedService.Validate',
    message: 'Consul Linked Service TLS SNI requires CAFile',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'gateway.terminating-service',
    func: 'ConsulTerminatingConfigEntry.Validate',
    message: 'Consul Terminating Gateway requires at least one service',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'resources.cpu-or-cores',
    func: 'Resources.Validate',
    message: "Task can only ask for 'cpu' or 'cores' resource, not both.",
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Resources.task-can-t-ask-for',
    func: 'Resources.Validate',
    message: "Task can't ask for disk resources, they have to be specified at the task group level.",
    since: '1.6.5',
    reason: "cannot come from a job file: the api conversion drops a task's disk",
  },
  {
    id: 'nomad.Resources.device-d-failed-validation-v',
    func: 'Resources.Validate',
    message: 'device %d failed validation: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'resources.memory-max-below-memory',
    func: 'Resources.Validate',
    message: 'MemoryMaxMB value (%d) should be larger than MemoryMB value (%d)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'resources.min-cpu',
    func: 'Resources.MeetsMinResources',
    message: 'minimum CPU value is %d; got %d',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'resources.min-memory',
    func: 'Resources.MeetsMinResources',
    message: 'minimum MemoryMB value is %d; got %d',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'device.name-empty',
    func: 'RequestedDevice.Validate',
    message: 'device name must be given as one of the following: type, vendor/type, or vendor/type/name',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'device.constraint-operand',
    func: 'RequestedDevice.Validate',
    message: 'Constraint %d validation failed: using unsupported operand %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.RequestedDevice.constraint-d-validation-failed-s',
    func: 'RequestedDevice.Validate',
    message: 'Constraint %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.RequestedDevice.affinity-d-validation-failed-s',
    func: 'RequestedDevice.Validate',
    message: 'Affinity %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Job.missing-job-region',
    func: 'Job.Validate',
    message: 'Missing job region',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Job.missing-job-id',
    func: 'Job.Validate',
    message: 'Missing job ID',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'job.id-space',
    func: 'Job.Validate',
    message: 'Job ID contains a space',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Job.job-id-contains-a-null',
    func: 'Job.Validate',
    message: 'Job ID contains a null character',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Job.missing-job-name',
    func: 'Job.Validate',
    message: 'Missing job name',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Job.job-name-contains-a-null',
    func: 'Job.Validate',
    message: 'Job Name contains a null character',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Job.job-must-be-in-a',
    func: 'Job.Validate',
    message: 'Job must be in a namespace',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Job.missing-job-type',
    func: 'Job.Validate',
    message: 'Missing job type',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  { id: 'job.type', func: 'Job.Validate', message: 'Invalid job type: %q', since: '1.6.5', judged: 'schemaCheck.ts' },
  {
    id: 'nomad.Job.missing-job-datacenters',
    func: 'Job.Validate',
    message: 'Missing job datacenters',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'job.datacenter-empty',
    func: 'Job.Validate',
    message: 'Job datacenter must be non-empty string',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'job.missing-groups',
    func: 'Job.Validate',
    message: 'Missing job task groups',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Job.constraint-d-validation-failed-s',
    func: 'Job.Validate',
    message: 'Constraint %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'job.system-affinity',
    func: 'Job.Validate',
    message: 'System jobs may not have an affinity block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Job.affinity-d-validation-failed-s',
    func: 'Job.Validate',
    message: 'Affinity %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'job.system-spread',
    func: 'Job.Validate',
    message: 'System jobs may not have a spread block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Job.spread-d-validation-failed-s',
    func: 'Job.Validate',
    message: 'Spread %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Job.job-task-group-d-missing',
    func: 'Job.Validate',
    message: 'Job task group %d missing name',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'job.duplicate-group',
    func: 'Job.Validate',
    message: "Job task group %d redefines '%s' from group %d",
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'group.shutdown-delay-negative',
    func: 'Job.Validate',
    message: 'ShutdownDelay must be a positive value',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'job.stop-after-client-disconnect-type',
    func: 'Job.Validate',
    message: 'stop_after_client_disconnect can only be set in batch and service jobs',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'job.stop-after-client-disconnect-negative',
    func: 'Job.Validate',
    message: 'stop_after_client_disconnect must be a positive value',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'job.system-count',
    func: 'Job.Validate',
    message: 'Job task group %s has count %d. Count cannot exceed 1 with system scheduler',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Job.task-group-s-validation-failed',
    func: 'Job.Validate',
    message: 'Task group %s validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'job.periodic-type',
    func: 'Job.Validate',
    message: 'Periodic can only be used with %q or %q scheduler',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'job.parameterized-type',
    func: 'Job.Validate',
    message: 'Parameterized job can only be used with %q or %q scheduler',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'update.health-check',
    func: 'UpdateStrategy.Validate',
    message: 'Invalid health check given: %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'update.max-parallel-negative',
    func: 'UpdateStrategy.Validate',
    message: 'Max parallel can not be less than zero: %d < 0',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.canary-negative',
    func: 'UpdateStrategy.Validate',
    message: 'Canary count can not be less than zero: %d < 0',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.auto-promote-without-canary',
    func: 'UpdateStrategy.Validate',
    message: 'Auto Promote requires a Canary count greater than zero',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.min-healthy-time-negative',
    func: 'UpdateStrategy.Validate',
    message: 'Minimum healthy time may not be less than zero: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.healthy-deadline-positive',
    func: 'UpdateStrategy.Validate',
    message: 'Healthy deadline must be greater than zero: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.progress-deadline-negative',
    func: 'UpdateStrategy.Validate',
    message: 'Progress deadline must be zero or greater: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.min-healthy-below-healthy-deadline',
    func: 'UpdateStrategy.Validate',
    message: 'Minimum healthy time must be less than healthy deadline: %v > %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.healthy-deadline-below-progress-deadline',
    func: 'UpdateStrategy.Validate',
    message: 'Healthy deadline must be less than progress deadline: %v > %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'update.stagger-positive',
    func: 'UpdateStrategy.Validate',
    message: 'Stagger must be greater than zero: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'periodic.cron-or-crons',
    func: 'PeriodicConfig.Validate',
    message: 'Only cron or crons may be used',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'periodic.needs-spec',
    func: 'PeriodicConfig.Validate',
    message: 'Must specify a spec',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.PeriodicConfig.invalid-time-zone-q-v',
    func: 'PeriodicConfig.Validate',
    message: 'Invalid time zone %q: %v',
    since: '1.6.5',
    reason: "needs the cluster: Go's time.LoadLocation reads the server's own time zone database",
  },
  {
    id: 'periodic.cron-field',
    func: 'PeriodicConfig.Validate',
    message: 'Invalid cron spec %q: %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.PeriodicConfig.unknown-periodic-specification-type-q',
    func: 'PeriodicConfig.Validate',
    message: 'Unknown periodic specification type %q',
    since: '1.6.5',
    reason:
      'cannot come from a job file: the file has no spec_type; the parser sets "cron" when cron or crons is given, Nomad\'s api defaults it to "cron"',
  },
  {
    id: 'nomad.CronParseNext.failed-parsing-cron-expression-q',
    func: 'CronParseNext',
    message: 'failed parsing cron expression: %q',
    since: '1.6.5',
    reason:
      'cannot be judged from the file: Nomad reports it only if its cron library panics while computing the next launch (at plan, or when the periodic dispatcher adds the job) of a spec that Validate already parsed; no such spec is known',
  },
  {
    id: 'periodic.cron',
    func: 'CronParseNext',
    message: 'failed parsing cron expression: %s: %v',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'parameterized.payload',
    func: 'ParameterizedJobConfig.Validate',
    message: 'Unknown payload requirement: %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'parameterized.meta-disjoint',
    func: 'ParameterizedJobConfig.Validate',
    message: 'Required and optional meta keys should be disjoint. Following keys exist in both: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.DispatchPayloadConfig.invalid-destination-path-v',
    func: 'DispatchPayloadConfig.Validate',
    message: 'invalid destination path: %v',
    since: '1.6.5',
    reason:
      "cannot come from a job file: the path is joined under an absolute placeholder directory, where Go's filepath.Abs and filepath.Rel cannot fail",
  },
  {
    id: 'dispatch-payload.escapes',
    func: 'DispatchPayloadConfig.Validate',
    message: 'destination escapes allocation directory',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.TaskLifecycleConfig.no-lifecycle-hook-provided',
    func: 'TaskLifecycleConfig.Validate',
    message: 'no lifecycle hook provided',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad's api drops a lifecycle block without a hook first",
  },
  {
    id: 'lifecycle.hook',
    func: 'TaskLifecycleConfig.Validate',
    message: 'invalid hook: %v',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'nomad.ScalingPolicy.missing-scaling-policy-type',
    func: 'ScalingPolicy.Validate',
    message: 'missing scaling policy type',
    since: '1.6.5',
    reason:
      'cannot come from a job file: the parser sets "horizontal" on a group scaling block without a type (Nomad\'s api too)',
  },
  {
    id: 'nomad.ScalingPolicy.maximum-count-must-be-specified',
    func: 'ScalingPolicy.Validate',
    message: 'maximum count must be specified and non-negative',
    since: '1.6.5',
    reason:
      "cannot come from a job file: the parser requires `max` in a group scaling block, and the open-source server does not validate a task's scaling blocks",
  },
  {
    id: 'scaling.max-below-min',
    func: 'ScalingPolicy.Validate',
    message: 'maximum count must not be less than minimum count',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'scaling.min-negative',
    func: 'ScalingPolicy.Validate',
    message: 'minimum count must be specified and non-negative',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.ScalingPolicy.missing-target-namespace',
    func: 'ScalingPolicy.validateTargetHorizontal',
    message: 'missing target namespace',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad fills the policy's target (namespace, job, group) from the job itself",
  },
  {
    id: 'nomad.ScalingPolicy.missing-target-job',
    func: 'ScalingPolicy.validateTargetHorizontal',
    message: 'missing target job',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad fills the policy's target (namespace, job, group) from the job itself",
  },
  {
    id: 'nomad.ScalingPolicy.missing-target-group',
    func: 'ScalingPolicy.validateTargetHorizontal',
    message: 'missing target group',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad fills the policy's target (namespace, job, group) from the job itself",
  },
  {
    id: 'restart.mode',
    func: 'RestartPolicy.Validate',
    message: 'Unsupported restart mode: %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'restart.attempts-zero-ambiguous',
    func: 'RestartPolicy.Validate',
    message: 'Restart policy %q with %d attempts is ambiguous',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'restart.interval-min',
    func: 'RestartPolicy.Validate',
    message: 'Interval can not be less than %v (got %v)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'restart.interval-holds-attempts',
    func: 'RestartPolicy.Validate',
    message: "Nomad can't restart the TaskGroup %v times in an interval of %v with a delay of %v",
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.interval-with-attempts',
    func: 'ReschedulePolicy.Validate',
    message: 'Interval must be a non zero value if Attempts > 0',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.ambiguous',
    func: 'ReschedulePolicy.Validate',
    message: 'Reschedule Policy with Attempts = %v, Interval = %v, ',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'reschedule.attempts-unlimited',
    func: 'ReschedulePolicy.Validate',
    message: 'If Attempts >0, Unlimited cannot also be set to true',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'reschedule.delay-min',
    func: 'ReschedulePolicy.Validate',
    message: 'Delay cannot be less than %v (got %v)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.delay-function',
    func: 'ReschedulePolicy.Validate',
    message: 'Invalid delay function %q, must be one of %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.max-delay-min',
    func: 'ReschedulePolicy.Validate',
    message: 'Max Delay cannot be less than %v (got %v)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.max-delay-below-delay',
    func: 'ReschedulePolicy.Validate',
    message: 'Max Delay cannot be less than Delay %v (got %v)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.interval-min',
    func: 'ReschedulePolicy.Validate',
    message: 'Interval cannot be less than %v (got %v)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.attempts-fit-constant',
    func: 'ReschedulePolicy.validateDelayParams',
    message: 'Nomad can only make %v attempts in %v with initial delay %v and ',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.attempts-fit-other',
    func: 'ReschedulePolicy.validateDelayParams',
    message: 'Nomad can only make %v attempts in %v with initial delay %v, ',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'reschedule.attempts-fit-interval',
    func: 'ReschedulePolicy.validateDelayParams',
    message: 'Set the interval to at least %v to accommodate %v attempts',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'migrate.max-parallel-negative',
    func: 'MigrateStrategy.Validate',
    message: 'MaxParallel must be >= 0 but found %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'migrate.missing-health-check',
    func: 'MigrateStrategy.Validate',
    message: 'Missing HealthCheck',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'migrate.health-check',
    func: 'MigrateStrategy.Validate',
    message: 'Invalid HealthCheck: %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'migrate.min-healthy-time-negative',
    func: 'MigrateStrategy.Validate',
    message: 'MinHealthyTime is %s and must be >= 0',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'migrate.healthy-deadline-negative',
    func: 'MigrateStrategy.Validate',
    message: 'HealthyDeadline is %s and must be >= 0',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'migrate.min-healthy-below-healthy-deadline',
    func: 'MigrateStrategy.Validate',
    message: 'MinHealthyTime must be less than HealthyDeadline',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.group.missing-task-group-name',
    func: 'TaskGroup.Validate',
    message: 'Missing task group name',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.group.task-group-name-contains-null',
    func: 'TaskGroup.Validate',
    message: 'Task group name contains null character',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'group.count-negative',
    func: 'TaskGroup.Validate',
    message: "Task group count can't be negative",
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'group.missing-tasks',
    func: 'TaskGroup.Validate',
    message: 'Missing tasks for task group',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'group.disconnect-pair',
    func: 'TaskGroup.Validate',
    message: 'Task group cannot be configured with both max_client_disconnect and stop_after_client_disconnect',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.max-client-disconnect-negative',
    func: 'TaskGroup.Validate',
    message: 'max_client_disconnect cannot be negative',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.group.constraint-d-validation-failed-s',
    func: 'TaskGroup.Validate',
    message: 'Constraint %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'group.system-affinity',
    func: 'TaskGroup.Validate',
    message: 'System jobs may not have an affinity block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.group.affinity-d-validation-failed-s',
    func: 'TaskGroup.Validate',
    message: 'Affinity %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-group-v-should-have',
    func: 'TaskGroup.Validate',
    message: 'Task Group %v should have a restart policy',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'group.system-spread',
    func: 'TaskGroup.Validate',
    message: 'System jobs may not have a spread block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.group.spread-d-validation-failed-s',
    func: 'TaskGroup.Validate',
    message: 'Spread %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'group.system-reschedule',
    func: 'TaskGroup.Validate',
    message: 'System jobs should not have a reschedule policy',
    since: '1.6.5',
    last: '1.10.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.group.task-group-v-should-have-2',
    func: 'TaskGroup.Validate',
    message: 'Task Group %v should have a reschedule policy',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.group.task-group-v-should-have-3',
    func: 'TaskGroup.Validate',
    message: 'Task Group %v should have an ephemeral disk object',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'group.update-type',
    func: 'TaskGroup.Validate',
    message: 'Job type %q does not allow update block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'group.migrate-type',
    func: 'TaskGroup.Validate',
    message: 'Job type %q does not allow migrate block',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.group.task-d-missing-name',
    func: 'TaskGroup.Validate',
    message: 'Task %d missing name',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'group.duplicate-task',
    func: 'TaskGroup.Validate',
    message: "Task %d redefines '%s' from task %d",
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'group.one-leader',
    func: 'TaskGroup.Validate',
    message: 'Only one task may be marked as leader',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.group.task-group-volume-validation-for',
    func: 'TaskGroup.Validate',
    message: 'Task group volume validation for %s failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-group-network-validation-failed',
    func: 'TaskGroup.Validate',
    message: 'Task group network validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-group-service-validation-failed',
    func: 'TaskGroup.Validate',
    message: 'Task group service validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-group-service-check-validation',
    func: 'TaskGroup.Validate',
    message: 'Task group service check validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-group-scaling-policy-validation',
    func: 'TaskGroup.Validate',
    message: 'Task group scaling policy validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.group.task-s-validation-failed-v',
    func: 'TaskGroup.Validate',
    message: 'Task %s validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'network.port-label-unique',
    func: 'TaskGroup.validateNetworks',
    message: 'Port label %s already in use by %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'network.static-port-unique',
    func: 'TaskGroup.validateNetworks',
    message: 'Static port %d already reserved by %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'network.static-port-max',
    func: 'TaskGroup.validateNetworks',
    message: 'Port %s (%d) cannot be greater than %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'network.to-negative',
    func: 'TaskGroup.validateNetworks',
    message: 'Port %q cannot be mapped to negative value %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'network.to-max',
    func: 'TaskGroup.validateNetworks',
    message: 'Port %q cannot be mapped to a port (%d) greater than %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'network.hostname',
    func: 'TaskGroup.validateNetworks',
    message: 'Hostname is not a valid DNS name',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.task-other-task',
    func: 'TaskGroup.validateServices',
    message: 'Service %s is invalid: may only specify task the service belongs to, got %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.group.check-s-is-invalid-may',
    func: 'TaskGroup.validateServices',
    message: 'Check %s is invalid: may only specify task the check belongs to, got %q',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad sets the task of a task service's check itself",
  },
  {
    id: 'nomad.group.service-d-s-validation-failed',
    func: 'TaskGroup.validateServices',
    message: 'Service[%d] %s validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'service.group-address-mode-driver',
    func: 'TaskGroup.validateServices',
    message:
      'service %q cannot use address_mode=\\"driver\\", only services defined in a \\"task\\" block can use this mode',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.group-address-mode-driver',
    func: 'TaskGroup.validateServices',
    message:
      'Check %q invalid: cannot use address_mode=\\"driver\\", only checks defined in a \\"task\\" service block can use this mode',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.group-unknown-task',
    func: 'TaskGroup.validateServices',
    message: 'Check %s invalid: refers to non-existent task %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.services-unique',
    func: 'TaskGroup.validateServices',
    message: 'Services are not unique: %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.one-provider',
    func: 'TaskGroup.validateServices',
    message: 'Multiple service providers used: task group services must use the same provider',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.group-script-task',
    func: 'TaskGroup.validateScriptChecksInGroupServices',
    message: 'Service [%s]->%s or Check %s must specify task parameter',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.group.scaling-policy-invalid-s',
    func: 'TaskGroup.validateScalingPolicy',
    message: 'Scaling policy invalid: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'group.scaling-max',
    func: 'TaskGroup.validateScalingPolicy',
    message: 'Scaling policy invalid: task group count must not be greater than maximum count in scaling policy',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'group.scaling-min',
    func: 'TaskGroup.validateScalingPolicy',
    message: 'Scaling policy invalid: task group count must not be less than minimum count in scaling policy',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check-restart.limit-negative',
    func: 'CheckRestart.Validate',
    message: 'limit must be greater than or equal to 0 but found %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check-restart.grace-negative',
    func: 'CheckRestart.Validate',
    message: 'grace period must be greater than or equal to 0 but found %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'logs.max-files-min',
    func: 'LogConfig.Validate',
    message: 'minimum number of files is 1; got %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'logs.max-file-size-min',
    func: 'LogConfig.Validate',
    message: 'minimum file size is 1MB; got %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'logs.fit-disk',
    func: 'LogConfig.Validate',
    message: 'log storage (%d MB) must be less than requested disk capacity (%d MB)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.missing-task-name',
    func: 'Task.Validate',
    message: 'Missing task name',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'task.name-slashes',
    func: 'Task.Validate',
    message: 'Task name cannot include slashes',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Task.task-name-cannot-include-null',
    func: 'Task.Validate',
    message: 'Task name cannot include null characters',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'task.missing-driver',
    func: 'Task.Validate',
    message: 'Missing task driver',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'task.kill-timeout-negative',
    func: 'Task.Validate',
    message: 'KillTimeout must be a positive value',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'task.kill-timeout-progress-deadline',
    func: 'Task.Validate',
    message: "KillTimout (%s) longer than the group's ProgressDeadline (%s)",
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'task.shutdown-delay-negative',
    func: 'Task.Validate',
    message: 'ShutdownDelay must be a positive value',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.missing-task-resources',
    func: 'Task.Validate',
    message: 'Missing task resources',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Task.missing-log-config',
    func: 'Task.Validate',
    message: 'Missing Log Config',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'nomad.Task.constraint-d-validation-failed-s',
    func: 'Task.Validate',
    message: 'Constraint %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'constraint.task-level-distinct',
    func: 'Task.Validate',
    message: 'Constraint %d has disallowed Operand at task level: %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'task.system-affinity',
    func: 'Task.Validate',
    message: 'System jobs may not have an affinity block',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.affinity-d-validation-failed-s',
    func: 'Task.Validate',
    message: 'Affinity %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Task.artifact-d-validation-failed-v',
    func: 'Task.Validate',
    message: 'Artifact %d validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Task.vault-validation-failed-v',
    func: 'Task.Validate',
    message: 'Vault validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Task.template-d-validation-failed-s',
    func: 'Task.Validate',
    message: 'Template %d validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'template.same-destination',
    func: 'Task.Validate',
    message: 'Template %d has same destination as %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.dispatch-payload-validation-failed-v',
    func: 'Task.Validate',
    message: 'Dispatch Payload validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'nomad.Task.lifecycle-validation-failed-v',
    func: 'Task.Validate',
    message: 'Lifecycle validation failed: %v',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'connect.proxy-task-service',
    func: 'Task.Validate',
    message: 'Connect proxy task must not have a service block',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'connect.proxy-task-leader',
    func: 'Task.Validate',
    message: 'Connect proxy task must not have leader set',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume-mount.propagation-mode',
    func: 'Task.Validate',
    message: 'Volume Mount (%d) has an invalid propagation mode: \\"%s\\"',
    since: '1.6.5',
    last: '1.7.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume-mount.empty-volume',
    func: 'Task.Validate',
    message: 'Volume Mount (%d) references an empty volume',
    since: '1.6.5',
    last: '1.7.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume-mount.undefined-volume',
    func: 'Task.Validate',
    message: 'Volume Mount (%d) references undefined volume %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'csi-plugin.id',
    func: 'Task.Validate',
    message: 'CSIPluginConfig must have a non-empty PluginID',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'csi-plugin.type',
    func: 'Task.Validate',
    message: "CSIPluginConfig PluginType must be one of 'node', 'controller', or 'monolith', got: \\\"%s\\\"",
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'csi-plugin.stage-under-mount',
    func: 'Task.Validate',
    message:
      'CSIPluginConfig StagePublishBaseDir must not be a subdirectory of MountDir, got: StagePublishBaseDir=\\"%s\\" MountDir=\\"%s\\"',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.validateServices.service-d-q-validation-failed',
    func: 'validateServices',
    message: 'service[%d] %+q validation failed: %s',
    since: '1.6.5',
    wrapper: true,
  },
  {
    id: 'service.task-address-mode-alloc',
    func: 'validateServices',
    message:
      'service %q cannot use address_mode=\\"alloc\\", only services defined in a \\"group\\" block can use this mode',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.task-duplicate',
    func: 'validateServices',
    message: 'service %q is duplicate',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.task-connect',
    func: 'validateServices',
    message: 'service %q cannot have \\"connect\\" block, only services defined in a \\"group\\" block can',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.duplicate',
    func: 'validateServices',
    message: 'check %q is duplicate',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.task-address-mode-alloc',
    func: 'validateServices',
    message:
      'check %q cannot use address_mode=\\"alloc\\", only checks defined in a \\"group\\" service block can use this mode',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.task-port-missing',
    func: 'validateServices',
    message: 'check %q is missing a port',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'check.driver-port-positive',
    func: 'validateServices',
    message: 'check %q has invalid numeric port %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.numeric-port',
    func: 'validateServices',
    message: 'check %q cannot use a numeric port %d without setting address_mode="driver"',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'service.port-label',
    func: 'validateServices',
    message: 'port label %q referenced by services %v does not exist',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'connect.proxy-task-no-services',
    func: 'ValidateConnectProxyService',
    message: 'No Connect services in task group with Connect proxy (%q)',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'connect.proxy-task-service-not-found',
    func: 'ValidateConnectProxyService',
    message: 'Connect proxy service name (%q) not found in Connect services from task group: %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.change-mode',
    func: 'ValidateConnectProxyService',
    message: 'Invalid change mode. Must be one of the following: noop, signal, script, restart',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'template.source',
    func: 'Template.Validate',
    message: 'Must specify a source path or have an embedded template',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'template.destination',
    func: 'Template.Validate',
    message: 'Must specify a destination for the template',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.Template.invalid-destination-path-v',
    func: 'Template.Validate',
    message: 'invalid destination path: %v',
    since: '1.6.5',
    reason:
      "cannot come from a job file: the path is joined under an absolute placeholder directory, where Go's filepath.Abs and filepath.Rel cannot fail",
  },
  {
    id: 'template.destination-escapes',
    func: 'Template.Validate',
    message: 'destination escapes allocation directory',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.signal-needs-change-signal',
    func: 'Template.Validate',
    message: 'Must specify signal value when change mode is signal',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.env-signal',
    func: 'Template.Validate',
    message: 'cannot use signals with env var templates',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.script-needs-change-script',
    func: 'Template.Validate',
    message: 'must specify change script configuration value when change mode is script',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.splay-negative',
    func: 'Template.Validate',
    message: 'Must specify positive splay value',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.perms-octal',
    func: 'Template.Validate',
    message: 'Failed to parse %q as octal: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.change-script-command',
    func: 'ChangeScript.Validate',
    message: 'must specify script path value when change mode is script',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'template.wait-min-max',
    func: 'WaitConfig.Validate',
    message: 'wait min %s is greater than max %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.source',
    func: 'TaskArtifact.Validate',
    message: 'source must be specified',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.mode',
    func: 'TaskArtifact.Validate',
    message: 'invalid artifact mode %q; must be one of: %s, %s, %s',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'nomad.TaskArtifact.invalid-destination-path-v',
    func: 'TaskArtifact.Validate',
    message: 'invalid destination path: %v',
    since: '1.6.5',
    reason:
      "cannot come from a job file: the path is joined under an absolute placeholder directory, where Go's filepath.Abs and filepath.Rel cannot fail",
  },
  {
    id: 'artifact.destination-escapes',
    func: 'TaskArtifact.Validate',
    message: 'destination escapes allocation directory',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.checksum-empty',
    func: 'TaskArtifact.validateChecksum',
    message: 'checksum value cannot be empty',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.checksum-format',
    func: 'TaskArtifact.validateChecksum',
    message: 'checksum must be given as "type:value"; got %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.checksum-hex',
    func: 'TaskArtifact.validateChecksum',
    message: 'invalid checksum: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.checksum-type',
    func: 'TaskArtifact.validateChecksum',
    message: 'unsupported checksum type: %s',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'artifact.checksum-length',
    func: 'TaskArtifact.validateChecksum',
    message: 'invalid %s checksum: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Constraint.missing-constraint-operand',
    func: 'Constraint.Validate',
    message: 'Missing constraint operand',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'constraint.set-contains-needs-value',
    func: 'Constraint.Validate',
    message: 'Set contains constraint requires an RTarget',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.regexp',
    func: 'Constraint.Validate',
    message: 'Regular expression failed to compile: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.version',
    func: 'Constraint.Validate',
    message: 'Version constraint is invalid: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.semver',
    func: 'Constraint.Validate',
    message: 'Semver constraint is invalid: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.distinct-property-count',
    func: 'Constraint.Validate',
    message: 'Failed to convert RTarget %q to uint64: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.distinct-property-min',
    func: 'Constraint.Validate',
    message: 'Distinct Property must have an allowed count of 1 or greater: %d < 1',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.is-set-value',
    func: 'Constraint.Validate',
    message: 'Operator %q does not support an RTarget',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.needs-value',
    func: 'Constraint.Validate',
    message: 'Operator %q requires an RTarget',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.operator',
    func: 'Constraint.Validate',
    message: 'Unknown constraint type %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'constraint.needs-attribute',
    func: 'Constraint.Validate',
    message: 'No LTarget provided but is required by constraint',
    since: '1.6.5',
    last: '1.11.1',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Affinity.missing-affinity-operand',
    func: 'Affinity.Validate',
    message: 'Missing affinity operand',
    since: '1.6.5',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'affinity.set-contains-needs-value',
    func: 'Affinity.Validate',
    message: 'Set contains operators require an RTarget',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.regexp',
    func: 'Affinity.Validate',
    message: 'Regular expression failed to compile: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.version',
    func: 'Affinity.Validate',
    message: 'Version affinity is invalid: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.semver',
    func: 'Affinity.Validate',
    message: 'Semver affinity is invalid: %v',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.needs-value',
    func: 'Affinity.Validate',
    message: 'Operator %q requires an RTarget',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.unknown-operator',
    func: 'Affinity.Validate',
    message: 'Unknown affinity operator %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.needs-attribute',
    func: 'Affinity.Validate',
    message: 'No LTarget provided but is required',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.weight-zero',
    func: 'Affinity.Validate',
    message: 'Affinity weight cannot be zero',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'affinity.weight-range',
    func: 'Affinity.Validate',
    message: 'Affinity weight must be within the range [-100,100]',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'spread.missing-attribute',
    func: 'Spread.Validate',
    message: 'Missing spread attribute',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'spread.weight-range',
    func: 'Spread.Validate',
    message: 'Spread block must have a positive weight from 0 to 100',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'spread.duplicate-target',
    func: 'Spread.Validate',
    message: 'Spread target value %q already defined',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'spread.target-percent',
    func: 'Spread.Validate',
    message: 'Spread target percentage for value %q must be between 0 and 100',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'spread.targets-sum',
    func: 'Spread.Validate',
    message: 'Sum of spread target percentages must not be greater than 100%%; got %d%%',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'disk.min-size',
    func: 'EphemeralDisk.Validate',
    message: 'minimum DiskMB value is 10; got %d',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'vault.policies-empty',
    func: 'Vault.Validate',
    message: 'Policy list cannot be empty',
    since: '1.6.5',
    last: '1.6.10',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'vault.root-policy',
    func: 'Vault.Validate',
    message: 'Can not specify \\"root\\" policy',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'vault.signal-empty',
    func: 'Vault.Validate',
    message: 'Signal must be specified when using change mode %q',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'vault.change-mode',
    func: 'Vault.Validate',
    message: 'Unknown change mode %q',
    since: '1.6.5',
    judged: 'schemaCheck.ts',
  },
  {
    id: 'nomad.Multiregion.multiregion-jobs-are-unlicensed',
    func: 'Multiregion.Validate',
    message: 'Multiregion jobs are unlicensed.',
    since: '1.6.5',
    reason: 'needs the cluster: Nomad Enterprise or not',
  },
  {
    id: 'nomad.ScalingPolicy.scaling-policy-type-s-is',
    func: 'ScalingPolicy.validateType',
    message: 'scaling policy type "%s" is not valid',
    since: '1.6.5',
    reason:
      'cannot come from a job file: the parser refuses a group scaling type other than "horizontal", and the open-source server does not validate a task\'s scaling blocks (Enterprise)',
  },
  {
    id: 'nomad.VolumeRequest.volume-has-unrecognized-type-s',
    func: 'VolumeRequest.Validate',
    message: 'volume has unrecognized type %s',
    since: '1.6.5',
    reason: "cannot come from a job file: Nomad's api conversion drops a volume of another type (without a word)",
  },
  {
    id: 'volume.empty-source',
    func: 'VolumeRequest.Validate',
    message: 'volume has an empty source',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume.per-alloc-system',
    func: 'VolumeRequest.Validate',
    message: 'volume cannot be per_alloc for system or sysbatch jobs',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.per-alloc-canaries',
    func: 'VolumeRequest.Validate',
    message: 'volume cannot be per_alloc when canaries are in use',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.host-attachment-mode',
    func: 'VolumeRequest.Validate',
    message: 'host volumes cannot have an attachment mode',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'validate.ts',
  },
  {
    id: 'volume.host-access-mode',
    func: 'VolumeRequest.Validate',
    message: 'host volumes cannot have an access mode',
    since: '1.6.5',
    last: '1.9.7',
    judged: 'validate.ts',
  },
  {
    id: 'volume.host-mount-options',
    func: 'VolumeRequest.Validate',
    message: 'host volumes cannot have mount options',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.csi-attachment-mode',
    func: 'VolumeRequest.Validate',
    message: 'CSI volumes must have an attachment mode',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.block-device-mount-options',
    func: 'VolumeRequest.Validate',
    message: 'block devices cannot have mount options',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume.csi-access-mode',
    func: 'VolumeRequest.Validate',
    message: 'CSI volumes must have an access mode',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.read-only',
    func: 'VolumeRequest.Validate',
    message: '%s volumes must be read-only',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.single-reader',
    func: 'VolumeRequest.Validate',
    message: 'volume with %s access mode allows only one reader',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.single-reader-writer',
    func: 'VolumeRequest.Validate',
    message: 'volume with %s access mode allows only one reader or writer',
    since: '1.6.5',
    judged: 'validate.ts',
  },
  {
    id: 'volume.multi-node-single-writer',
    func: 'VolumeRequest.Validate',
    message: 'volume with %s access mode allows only one writer',
    since: '1.6.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.jobConsulHook.setting-a-consul-token-when',
    func: 'jobConsulHook.Validate',
    message:
      'Setting a Consul token when submitting a job is deprecated and will be removed in Nomad 1.9. Migrate your Consul configuration to use workload identity',
    since: '1.7.0',
    last: '1.9.7',
    reason: 'needs the cluster: its Consul configuration',
  },
  {
    id: 'nomad.jobConsulHook.non-default-consul-cluster-requires',
    func: 'jobConsulHook.validateCluster',
    message: 'non-default Consul cluster requires Nomad Enterprise',
    since: '1.7.0',
    reason: 'needs the cluster: its Consul configuration',
  },
  {
    id: 'nomad.hook.numa_ce.numa-scheduling-requires-nomad-enterprise',
    func: 'job_endpoint_hook_numa_ce.var',
    message: 'numa scheduling requires Nomad Enterprise',
    since: '1.7.0',
    reason: 'needs the cluster: Nomad Enterprise or not',
  },
  {
    id: 'nomad.jobVaultHook.vault-q-not-enabled-but',
    func: 'jobVaultHook.Validate',
    message: 'Vault %q not enabled but used in the job',
    since: '1.7.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobVaultHook.setting-a-vault-token-when',
    func: 'jobVaultHook.Validate',
    message:
      'Setting a Vault token when submitting a job is deprecated and will be removed in Nomad 1.9. Migrate your Vault configuration to use workload identity',
    since: '1.7.0',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.hook.vault_ce.namespaces-s',
    func: 'job_endpoint_hook_vault_ce.var',
    message: '%w, Namespaces: %s',
    since: '1.7.0',
    wrapper: true,
  },
  {
    id: 'nomad.jobVaultHook.non-default-vault-cluster-requires',
    func: 'jobVaultHook.validateClustersForNamespace',
    message: 'non-default Vault cluster requires Nomad Enterprise',
    since: '1.7.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobValidate.tasks-can-only-have-1',
    func: 'jobValidate.Validate',
    message: 'tasks can only have 1 identity block until all servers are upgraded to %s or later',
    since: '1.7.0',
    reason: 'needs the cluster: the versions of its servers',
  },
  {
    id: 'nomad.jobValidate.service-s-in-s-cannot',
    func: 'jobValidate.validateServiceIdentity',
    message: 'Service %s in %s cannot have an identity until all servers are upgraded to %s or later',
    since: '1.7.0',
    reason: 'needs the cluster: the versions of its servers',
  },
  {
    id: 'service.identity-name',
    func: 'jobValidate.validateServiceIdentity',
    message: 'Service %s in %s has an identity with an empty name',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.jobValidate.task-s-has-an-identity',
    func: 'jobValidate.validateVaultIdentity',
    message: 'Task %s has an identity called %s but no vault block',
    since: '1.7.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobValidate.task-s-cannot-have-an',
    func: 'jobValidate.validateVaultIdentity',
    message: 'Task %s cannot have an identity for Vault until all servers are upgraded to %s or later',
    since: '1.7.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobValidate.task-s-uses-vault-cluster',
    func: 'jobValidate.validateVaultIdentity',
    message:
      'Task %s uses Vault cluster %s but does not have an identity named %s and no default identity is provided in agent configuration',
    since: '1.7.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobValidate.task-s-has-a-vault',
    func: 'jobValidate.validateVaultIdentity',
    message: 'Task %s has a Vault block with an empty list of policies',
    since: '1.7.0',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.jobValidate.task-s-has-a-vault-2',
    func: 'jobValidate.validateVaultIdentity',
    message:
      'Task %s has a Vault block with policies but uses workload identity to authenticate with Vault, policies will be ignored',
    since: '1.7.0',
    last: '1.9.7',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'action.command',
    func: 'Action.Validate',
    message: 'command cannot be empty',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'action.name',
    func: 'Action.Validate',
    message: "invalid name '%s'",
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ValidateConsulClusterName.invalid-name-q-must-match',
    func: 'ValidateConsulClusterName',
    message: 'invalid name %q, must match regex %s',
    since: '1.7.0',
    reason:
      "not from a job file: only the agent's own consul block names are checked with it (agent configuration), no code of the register path calls it (2.0.5)",
  },
  {
    id: 'numa.affinity',
    func: 'NUMA.Validate',
    message: 'numa affinity must be one of none, prefer, or require',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.identity-aud',
    func: 'Service.validateIdentity',
    message: 'Service identity must provide at least one target aud value',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.action-s-validation-failed-s',
    func: 'Task.Validate',
    message: 'Action %s validation failed: %s',
    since: '1.7.0',
    wrapper: true,
  },
  {
    id: 'action.duplicate',
    func: 'Task.Validate',
    message: 'Action %s defined multiple times',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.duplicate-default',
    func: 'Task.Validate',
    message: 'Duplicate default identities found',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.identity-q-is-invalid-w',
    func: 'Task.Validate',
    message: 'Identity %q is invalid: %w',
    since: '1.7.0',
    wrapper: true,
  },
  {
    id: 'nomad.ValidateVaultClusterName.invalid-name-q-must-match',
    func: 'ValidateVaultClusterName',
    message: 'invalid name %q, must match regex %s',
    since: '1.7.0',
    reason:
      "not from a job file: only the agent's own vault block names are checked with it (agent configuration), no code of the register path calls it (2.0.5)",
  },
  {
    id: 'nomad.WorkloadIdentity.must-not-be-nil',
    func: 'WorkloadIdentity.Validate',
    message: 'must not be nil',
    since: '1.7.0',
    reason: "cannot come from a job file: the parser or Nomad's defaults always fill it",
  },
  {
    id: 'identity.name',
    func: 'WorkloadIdentity.Validate',
    message: 'invalid name %q. Must match regex %s',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.empty-audience',
    func: 'WorkloadIdentity.Validate',
    message: 'an empty string is an invalid audience (%d)',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.signal-needs-signal-mode',
    func: 'WorkloadIdentity.Validate',
    message: 'can only use change_signal=%q with change_mode=%q',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.signal-mode-needs-signal',
    func: 'WorkloadIdentity.Validate',
    message: 'change_signal must be specified when using change_mode=%q',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.change-mode',
    func: 'WorkloadIdentity.Validate',
    message: 'invalid change_mode: %s',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.default-ttl',
    func: 'WorkloadIdentity.Validate',
    message: 'ttl for default identity not yet supported',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.ttl-negative',
    func: 'WorkloadIdentity.Validate',
    message: 'ttl must be >= 0',
    since: '1.7.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.mcd-prevent-reschedule',
    func: 'Job.Validate',
    message: 'max_client_disconnect and prevent_reschedule_on_lost cannot be enabled when rechedule.attempts > 0',
    since: '1.7.2',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.hook.consul.task-consul-partition-q-must',
    func: 'job_endpoint_hook_consul.var',
    message: 'task.consul.partition %q must match group.consul.partition %q if both are set',
    since: '1.7.3',
    reason: 'needs the cluster: its Consul configuration',
  },
  {
    id: 'check.nomad-failures-before-warning',
    func: 'ServiceCheck.validateNomad',
    message: 'failures_before_warning may only be set for Consul service checks',
    since: '1.7.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ServiceCheck.failures-before-warning-must-be',
    func: 'ServiceCheck.validateConsul',
    message: 'failures_before_warning must be non-negative',
    since: '1.7.3',
    reason:
      "cannot come from a job file: Nomad's api turns a negative failures_before_warning into 0 before validation",
  },
  {
    id: 'check.failures-before-warning-type',
    func: 'ServiceCheck.validateConsul',
    message: 'failures_before_warning not supported for check of type %q',
    since: '1.7.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'tproxy.dns',
    func: 'groupConnectUpstreamsValidate',
    message: 'Consul Connect transparent proxy cannot be used with network.dns unless no_dns=true',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'tproxy.inbound-port',
    func: 'groupConnectUpstreamsValidate',
    message: 'Consul Connect transparent proxy port %q must be numeric or one of network.port labels',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'tproxy.one-connect',
    func: 'groupConnectUpstreamsValidate',
    message: 'Consul Connect transparent proxy requires there is only one connect block',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.hook.sched_ce.task-schedules-requires-nomad-enterprise',
    func: 'job_endpoint_hook_sched_ce.var',
    message: 'task schedules requires Nomad Enterprise',
    since: '1.8.0',
    reason: 'needs the cluster: Nomad Enterprise or not',
  },
  {
    id: 'tproxy.outbound-cidr',
    func: 'ConsulTransparentProxy.Validate',
    message: 'could not parse transparent proxy excluded outbound CIDR as network prefix: %w',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.ConsulTransparentProxy.invalid-user-id-q-w',
    func: 'ConsulTransparentProxy.Validate',
    message: 'invalid user ID %q: %w',
    since: '1.8.0',
    wrapper: true,
  },
  {
    id: 'tproxy.uid',
    func: 'ConsulTransparentProxy.Validate',
    message: 'transparent proxy block has invalid UID field: %w',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'tproxy.exclude-uid',
    func: 'ConsulTransparentProxy.Validate',
    message: 'transparent proxy block has invalid ExcludeUIDs field: %w',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.lost-and-stop',
    func: 'group.var',
    message: 'Disconnect cannot be configured with both lost_after and stop_after',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.lost-after-negative',
    func: 'group.var',
    message: 'lost_after cannot be a negative duration',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.stop-after-negative',
    func: 'group.var',
    message: 'stop_after cannot be a negative duration',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.stop-after-type',
    func: 'group.var',
    message: 'stop_after can only be used with service or batch job types',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.reconcile',
    func: 'group.var',
    message: 'reconcile option is invalid',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.DisconnectStrategy.s',
    func: 'DisconnectStrategy.Validate',
    message: '%w: %s',
    since: '1.8.0',
    wrapper: true,
  },
  {
    id: 'job.ui-description',
    func: 'Job.Validate',
    message: 'UI description must be under 1000 characters, currently %d',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.old-max-client-disconnect',
    func: 'TaskGroup.Validate',
    message: 'using both lost_after and max_client_disconnect is not allowed',
    since: '1.8.0',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.old-stop-after',
    func: 'TaskGroup.Validate',
    message: 'using both stop_after_client_disconnect and stop_on_client_after is not allowed',
    since: '1.8.0',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'disconnect.old-prevent-reschedule',
    func: 'TaskGroup.Validate',
    message: 'using both prevent_reschedule_on_lost and replace is not allowed',
    since: '1.8.0',
    last: '1.9.7',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.volume-mount-d-is-invalid',
    func: 'Task.Validate',
    message: 'Volume Mount (%d) is invalid: \\"%w\\"',
    since: '1.8.0',
    wrapper: true,
  },
  {
    id: 'nomad.TaskSchedule.must-specify-cron-block',
    func: 'TaskSchedule.Validate',
    message: 'must specify cron block',
    since: '1.8.0',
    reason:
      'Enterprise only: the open-source server refuses every task schedule first ("task schedules requires Nomad Enterprise")',
  },
  {
    id: 'nomad.TaskSchedule.cron-start-must-contain-d',
    func: 'TaskSchedule.Validate',
    message: 'cron.start must contain %d fields',
    since: '1.8.0',
    reason:
      'Enterprise only: the open-source server refuses every task schedule first ("task schedules requires Nomad Enterprise")',
  },
  {
    id: 'nomad.TaskSchedule.cron-end-must-contain-d',
    func: 'TaskSchedule.Validate',
    message: 'cron.end must contain %d fields',
    since: '1.8.0',
    reason:
      'Enterprise only: the open-source server refuses every task schedule first ("task schedules requires Nomad Enterprise")',
  },
  {
    id: 'nomad.TaskSchedule.cron-start-must-not-contain',
    func: 'TaskSchedule.Validate',
    message: 'cron.start must not contain %q',
    since: '1.8.0',
    reason:
      'Enterprise only: the open-source server refuses every task schedule first ("task schedules requires Nomad Enterprise")',
  },
  {
    id: 'nomad.TaskSchedule.cron-end-must-not-contain',
    func: 'TaskSchedule.Validate',
    message: 'cron.end must not contain %q',
    since: '1.8.0',
    reason:
      'Enterprise only: the open-source server refuses every task schedule first ("task schedules requires Nomad Enterprise")',
  },
  {
    id: 'volume-mount.propagation-mode-18',
    func: 'volumes.var',
    message: 'volume mount has an invalid propagation mode',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume-mount.selinux-label',
    func: 'volumes.var',
    message: 'volume mount has an invalid SELinux label',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume-mount.empty-volume-18',
    func: 'volumes.var',
    message: 'volume mount references an empty volume',
    since: '1.8.0',
    judged: 'registerRules.ts',
  },
  { id: 'nomad.VolumeMount.q', func: 'VolumeMount.Validate', message: '%w: %q', since: '1.8.0', wrapper: true },
  { id: 'nomad.VolumeMount.s', func: 'VolumeMount.Validate', message: '%w: \\"%s\\"', since: '1.8.0', wrapper: true },
  {
    id: 'check.notes-length',
    func: 'ServiceCheck.validateConsul',
    message: 'notes must not be longer than 255 characters',
    since: '1.8.1',
    judged: 'registerRules.ts',
  },
  {
    id: 'cni.duplicate-arg',
    func: 'TaskGroup.validateNetworks',
    message: 'duplicate CNI arg %q',
    since: '1.8.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'cni.arg-key-semicolon',
    func: 'TaskGroup.validateNetworks',
    message: "invalid ';' character in CNI arg key %q",
    since: '1.8.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'cni.arg-value-semicolon',
    func: 'TaskGroup.validateNetworks',
    message: "invalid ';' character in CNI arg value %q",
    since: '1.8.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'resources.secrets-above-memory',
    func: 'Resources.Validate',
    message: 'SecretsMB value (%d) cannot be larger than MemoryMB value (%d)',
    since: '1.8.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'resources.secrets-negative',
    func: 'Resources.Validate',
    message: 'SecretsMB value (%d) cannot be negative',
    since: '1.8.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'numa.device',
    func: 'Resources.Validate',
    message: 'numa device %q not requested as task resource',
    since: '1.9.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Job.tagged-version-description-must-be',
    func: 'Job.Validate',
    message: 'Tagged version description must be under 1000 characters, currently %d',
    since: '1.9.0',
    reason:
      "cannot come from a job file: a version's tag is set with `nomad job tag` (an API of its own); the job's api struct has no version tag to decode",
  },
  {
    id: 'network.ignore-collision-mode',
    func: 'TaskGroup.validateNetworks',
    message: 'Port %q collision may not be ignored on non-host network mode %q',
    since: '1.9.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'identity.filepath-needs-file',
    func: 'WorkloadIdentity.Validate',
    message: 'file parameter must be true in order to specify filepath',
    since: '1.9.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.native-needs-port',
    func: 'Service.validateConsulService',
    message: 'Service %s is Connect Native and requires setting the port',
    since: '1.9.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume.per-alloc-sticky',
    func: 'VolumeRequest.Validate',
    message: 'volume cannot be per_alloc and sticky at the same time',
    since: '1.10.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'volume.host-access-mode-110',
    func: 'VolumeRequest.Validate',
    message: 'host volumes cannot be mounted with %s access mode',
    since: '1.10.0',
    judged: 'validate.ts',
  },
  {
    id: 'service.kind',
    func: 'Service.validateConsulService',
    message: 'Service %s kind must be one of consul service kind or empty',
    since: '1.10.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'service.task-address-mode-alloc-ipv6',
    func: 'validateServices',
    message:
      'service %q cannot use address_mode=\\"alloc_ipv6\\", only services defined in a \\"group\\" block can use this mode',
    since: '1.10.4',
    judged: 'registerRules.ts',
  },
  {
    id: 'check.task-address-mode-alloc-ipv6',
    func: 'validateServices',
    message:
      'check %q cannot use address_mode=\\"alloc_ipv6\\", only checks defined in a \\"group\\" service block can use this mode',
    since: '1.10.4',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.hook.connect.must-have-exactly-one-network',
    func: 'job_endpoint_hook_connect.var',
    message: 'must have exactly one network for Consul Connect',
    since: '1.11.0',
    wrapper: true,
  },
  {
    id: 'nomad.hook.connect.invalid-network-mode-for-consul',
    func: 'job_endpoint_hook_connect.var',
    message: 'invalid network mode for Consul Connect',
    since: '1.11.0',
    wrapper: true,
  },
  {
    id: 'connect.networks-111',
    func: 'groupConnectNetworkModeValidate',
    message: '%s: %w: group %q has %d networks',
    since: '1.11.0',
    judged: 'validate.ts',
  },
  {
    id: 'connect.network-mode-111',
    func: 'groupConnectNetworkModeValidate',
    message: '%s: %w: group %q uses network mode %q; must be %s',
    since: '1.11.0',
    judged: 'validate.ts',
  },
  {
    id: 'nomad.jobValidate.total-count-was-greater-than',
    func: 'jobValidate.Validate',
    message: 'total count was greater than configured job_max_count: %d > %d',
    since: '1.11.0',
    reason: 'needs the cluster: the server limit job_max_count',
  },
  {
    id: 'group.sysbatch-reschedule',
    func: 'TaskGroup.Validate',
    message: 'System or sysbatch jobs should not have a reschedule policy',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'task.name-alloc',
    func: 'Task.Validate',
    message: 'Task cannot be named \\"alloc\\"',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.duplicate',
    func: 'Task.Validate',
    message: 'Duplicate secret %q found',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.Task.secret-q-has-provider-vault',
    func: 'Task.Validate',
    message: 'Secret %q has provider \\"vault\\" but no vault block',
    since: '1.11.0',
    reason: 'needs the cluster: its Vault configuration and tokens',
  },
  {
    id: 'nomad.Task.secret-q-is-invalid-w',
    func: 'Task.Validate',
    message: 'Secret %q is invalid: %w',
    since: '1.11.0',
    wrapper: true,
  },
  {
    id: 'secret.name-empty',
    func: 'Secret.Validate',
    message: 'secret name cannot be empty',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.name',
    func: 'Secret.Validate',
    message: 'secret name must match regex %s',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.provider',
    func: 'Secret.Validate',
    message: 'secret provider cannot be empty',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.path',
    func: 'Secret.Validate',
    message: 'secret path cannot be empty',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.env',
    func: 'Secret.Validate',
    message: '%s provider cannot use the env block',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'secret.config',
    func: 'Secret.Validate',
    message: 'custom plugin provider %s cannot use the config block',
    since: '1.11.0',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.attribute-opening-brace',
    func: 'validateConstraintAttribute',
    message: 'attribute %q is missing an opening brace',
    since: '1.11.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.attribute-closing-brace',
    func: 'validateConstraintAttribute',
    message: 'attribute %q is missing a closing brace',
    since: '1.11.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.attribute-unsupported',
    func: 'validateConstraintAttribute',
    message: 'unsupported attribute %q',
    since: '1.11.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'constraint.needs-attribute-operator',
    func: 'Constraint.Validate',
    message: 'no attribute provided but is required by operator',
    since: '1.11.2',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.max-run-duration-positive',
    func: 'TaskGroup.Validate',
    message: 'MaxRunDuration must be greater than zero',
    since: '2.0.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'group.max-run-duration-type',
    func: 'TaskGroup.Validate',
    message: 'Job type %q does not allow max_run_duration',
    since: '2.0.3',
    judged: 'registerRules.ts',
  },
  {
    id: 'resources.cores-negative',
    func: 'Resources.Validate',
    message: 'cores value (%d) cannot be negative',
    since: '2.0.5',
    judged: 'registerRules.ts',
  },
  {
    id: 'nomad.TaskArtifact.md5-checksums-are-not-supported',
    func: 'TaskArtifact.validateChecksum',
    message: 'md5 checksums are not supported in FIPS-140 mode',
    since: '2.0.5',
    reason: 'needs the cluster: only a Nomad built and running in FIPS-140 mode refuses it',
  },
  {
    id: 'nomad.TaskArtifact.sha1-checksums-are-not-supported',
    func: 'TaskArtifact.validateChecksum',
    message: 'sha1 checksums are not supported in FIPS-140 mode',
    since: '2.0.5',
    reason: 'needs the cluster: only a Nomad built and running in FIPS-140 mode refuses it',
  },
];

const BY_ID = new Map<string, NomadRule>(NOMAD_RULES.map(r => [r.id, r]));

export function ruleById(id: string): NomadRule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`no rule ${id} in the inventory`);
  return r;
}

function cmp(a: string, b: string): number {
  const pa = a.split('.').map(Number),
    pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Whether a release ("1.6.5") has the rule. Releases before 1.6.5 are judged as 1.6.5, releases after
 * the newest known as the newest.
 */
export function ruleHolds(rule: NomadRule, version: string): boolean {
  const v = cmp(version, '1.6.5') < 0 ? '1.6.5' : cmp(version, INVENTORY_NEWEST) > 0 ? INVENTORY_NEWEST : version;
  return cmp(v, rule.since) >= 0 && cmp(v, rule.last ?? INVENTORY_NEWEST) <= 0;
}

/** The inventory's count (wrappers left out). */
export function inventoryCount(version?: string): {
  rules: number;
  judged: number;
  cluster: number;
  notFromFile: number;
  notYet: number;
} {
  const rs = NOMAD_RULES.filter(r => !r.wrapper && (version === undefined || ruleHolds(r, version)));
  return {
    rules: rs.length,
    judged: rs.filter(r => r.judged).length,
    cluster: rs.filter(r => r.reason?.startsWith('needs the cluster')).length,
    notFromFile: rs.filter(r => r.reason && !r.reason.startsWith('needs the cluster') && r.reason !== 'not judged yet')
      .length,
    notYet: rs.filter(r => r.reason === 'not judged yet').length,
  };
}
