// Shapes shared by the jobspec checks, the lints and the quick fixes. Pure data, no `vscode`.
import type { TargetVersion } from '../schema/versions';

/** Settings of the deployment-safety lints (VS Code: nomad.lint.serviceWithoutCheck, nomad.lint.updateWithoutHealthChecks). */
export interface LintOptions {
  serviceWithoutCheck: boolean;
  updateWithoutHealth: boolean;
}

export interface CheckOptions {
  lints?: Partial<LintOptions>;
  /** the Nomad version to check against (./versions.ts); absent: the newest release known */
  targetVersion?: TargetVersion;
}

export const DEFAULT_LINTS: LintOptions = { serviceWithoutCheck: true, updateWithoutHealth: true };

/**
 * Stable diagnostic codes. Schema problems, then deprecations (one code per deprecated thing), then
 * the deployment-safety lints.
 */
export const Codes = {
  unknownAttribute: 'unknown-attribute',
  unknownBlock: 'unknown-block',
  blockAsAttribute: 'block-as-attribute',
  attributeAsBlock: 'attribute-as-block',
  labelCount: 'label-count',
  emptyLabel: 'empty-label',
  duplicateBlock: 'duplicate-block',
  duplicateAttribute: 'duplicate-attribute',
  duplicateLabel: 'duplicate-label',
  typeMismatch: 'type-mismatch',
  invalidDuration: 'invalid-duration',
  invalidValue: 'invalid-value',
  missingJob: 'missing-job',
  missingGroup: 'missing-group',
  missingTask: 'missing-task',
  missingAttribute: 'missing-attribute',
  undeclaredVariable: 'undeclared-variable',
  undeclaredLocal: 'undeclared-local',
  /** a rule Nomad enforces when the job is registered (./validate.ts) */
  nomadRefuses: 'nomad-refuses',
  /** a rule of ./registerRules.ts that only some releases have (./ruleInventory.ts): the target release refuses it */
  nomadRefusesInRelease: 'nomad-refuses-in-release',
  // the target Nomad version lacks it (./versions.ts)
  needsNewerNomad: 'needs-newer-nomad',
  removedFromNomad: 'removed-from-nomad',
  // deprecations and removals
  portMapDeprecated: 'port-map-deprecated',
  taskNetworkDeprecated: 'task-network-deprecated',
  mbitsDeprecated: 'mbits-deprecated',
  iopsDeprecated: 'iops-deprecated',
  staggerIgnored: 'stagger-ignored',
  maxClientDisconnectDeprecated: 'max-client-disconnect-deprecated',
  stopAfterClientDisconnectDeprecated: 'stop-after-client-disconnect-deprecated',
  preventRescheduleOnLostDeprecated: 'prevent-reschedule-on-lost-deprecated',
  logsEnabledDeprecated: 'logs-enabled-deprecated',
  vaultGraceDeprecated: 'vault-grace-deprecated',
  vaultTokenRemoved: 'vault-token-removed',
  consulTokenRemoved: 'consul-token-removed',
  // lints
  serviceWithoutCheck: 'service-without-check',
  missingUpdate: 'missing-update',
  updateWithoutHealth: 'update-without-health',
} as const;

export type DiagnosticCode = (typeof Codes)[keyof typeof Codes];

/**
 * Ids of the quick fixes (`Diagnostic.data.fix`). Deprecation fixes use the schema's `Deprecation.fix`
 * ids; the others are ours.
 */
export type FixId =
  | 'rename'
  | 'remove-attribute'
  | 'docker-port-map-to-network'
  | 'port-map-to-network-to'
  | 'move-network-to-group'
  | 'disconnect-lost-after'
  | 'disconnect-stop-on-client-after'
  | 'disconnect-replace'
  | 'logs-enabled-to-disabled'
  | 'insert-check'
  | 'insert-update'
  | 'complete-update';

/**
 * `Diagnostic.data`: everything a quick fix needs, so it runs on the document text alone. `at` is the
 * string offset where the offending name starts (the fix re-parses and finds the node there).
 */
export interface FixData {
  fix: FixId;
  at: number;
  /** `rename`: end of the replaced text */
  end?: number;
  /** `rename`: the replacement text */
  replacement?: string;
  /** deprecations: true, so "fix all deprecations" can select them */
  deprecation?: boolean;
}
