// How every check of a job file records a finding: the Reporter it writes to, report(), and the
// diagnostic code of a deprecation or removal. The schema check (./schemaCheck.ts), the version check
// (./versionCheck.ts), Nomad's own rules (./validate.ts, ./registerRules.ts) and the lints (./lints.ts)
// all import it from here, so none of them imports another. Pure: no `vscode` import.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { toLspRange, type HclFile, type Range } from '../hcl';
import type { Deprecation } from '../schema';
import { Codes, type DiagnosticCode, type FixData } from './types';

export interface Reporter {
  file: HclFile;
  out: Diagnostic[];
}

export function report(
  r: Reporter,
  range: Range,
  severity: DiagnosticSeverity,
  code: DiagnosticCode,
  message: string,
  data?: FixData,
): void {
  const d: Diagnostic = { range: toLspRange(r.file, range), severity, code, source: 'nomad', message };
  if (data) d.data = data;
  r.out.push(d);
}

const DEPRECATION_CODES: ReadonlyMap<string, DiagnosticCode> = new Map<string, DiagnosticCode>([
  ['driver:docker.port_map', Codes.portMapDeprecated],
  ['driver:qemu.port_map', Codes.portMapDeprecated],
  ['driver:podman.port_map', Codes.portMapDeprecated],
  ['Resources.network', Codes.taskNetworkDeprecated],
  ['NetworkResource.mbits', Codes.mbitsDeprecated],
  ['Resources.iops', Codes.iopsDeprecated],
  ['UpdateStrategy.stagger', Codes.staggerIgnored],
  ['TaskGroup.max_client_disconnect', Codes.maxClientDisconnectDeprecated],
  ['TaskGroup.stop_after_client_disconnect', Codes.stopAfterClientDisconnectDeprecated],
  ['TaskGroup.prevent_reschedule_on_lost', Codes.preventRescheduleOnLostDeprecated],
  ['LogConfig.enabled', Codes.logsEnabledDeprecated],
  ['Template.vault_grace', Codes.vaultGraceDeprecated],
  ['Job.vault_token', Codes.vaultTokenRemoved],
  ['Job.consul_token', Codes.consulTokenRemoved],
]);

/** The diagnostic code of a deprecation or removal. */
export function deprecationCode(dep: Deprecation): DiagnosticCode {
  return DEPRECATION_CODES.get(dep.path) ?? ((dep.removed ? 'removed' : 'deprecated') as DiagnosticCode);
}
