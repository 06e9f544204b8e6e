// Diagnostics of Nomad HCL files beyond syntax: the jobspec schema checks (./jobspec.ts), deprecations
// (with quick-fix data) and the deployment-safety lints (./lints.ts). Pure: no `vscode` import.
//
//   detectKind(file): FileKind                 job | agent | volume | acl | vars | unknown (heuristic)
//   checkFile(file, options?): Diagnostic[]    schema checks + lints; only for job files
import type { Diagnostic } from 'vscode-languageserver-types';
import type { HclFile } from '../hcl';
import { collectScope, JobChecker } from './jobspec';
import { lintJob } from './lints';
import { validateJobs } from './validate';
import { defaultTarget, VersionGate } from './versions';
import { DEFAULT_LINTS, type CheckOptions, type FileKind } from './types';

export * from './types';
export { parseGoDuration } from './duration';
export { typeProblem } from './jobspec';

const AGENT_KEYS: ReadonlySet<string> = new Set([
  'data_dir', 'bind_addr', 'server', 'client', 'advertise', 'addresses', 'ports', 'telemetry', 'log_level', 'log_file',
  'log_json', 'datacenter', 'enable_debug', 'leave_on_interrupt', 'leave_on_terminate', 'enable_syslog', 'disable_update_check',
  'plugin_dir', 'autopilot', 'limits', 'audit', 'sentinel', 'ui', 'consul', 'vault', 'tls', 'acl', 'reporting', 'keyring',
  'disable_anonymous_signature', 'http_api_response_headers', 'syslog_facility', 'name', 'region',
]);
const AGENT_STRONG: ReadonlySet<string> = new Set(['data_dir', 'bind_addr', 'server', 'client', 'advertise', 'addresses', 'ports', 'telemetry', 'plugin_dir', 'log_level', 'enable_debug']);
const ACL_KEYS: ReadonlySet<string> = new Set(['namespace', 'node', 'agent', 'operator', 'quota', 'host_volume', 'plugin', 'node_pool']);
const VOLUME_KEYS: ReadonlySet<string> = new Set(['plugin_id', 'external_id', 'capability', 'capacity_min', 'capacity_max', 'mount_options', 'topology_request', 'secrets', 'parameters', 'snapshot_id', 'clone_id']);

/**
 * Guesses what a file is from its top-level names. A `job` block (or job-file variable/locals blocks)
 * makes it a job; agent, volume and ACL files have their own tell-tale names; a file of attributes
 * only is a variables file.
 */
export function detectKind(file: HclFile): FileKind {
  const items = file.body.items;
  if (items.length === 0) return 'unknown';
  let jobish = false;
  let agent = 0;
  let strongAgent = false;
  let acl = 0;
  let volume = 0;
  let blocks = 0;
  for (const item of items) {
    const name = item.kind === 'Block' ? item.type : item.name;
    if (item.kind === 'Block') {
      blocks++;
      if (name === 'job') return 'job';
      if (name === 'variable' || name === 'locals' || name === 'variables') jobish = true;
      if (ACL_KEYS.has(name) && item.body.items.some(i => i.kind === 'Attribute' && (i.name === 'policy' || i.name === 'capabilities'))) acl++;
    }
    if (AGENT_KEYS.has(name)) { agent++; if (AGENT_STRONG.has(name)) strongAgent = true; }
    if (VOLUME_KEYS.has(name)) volume++;
  }
  if (jobish) return 'job';
  if (acl > 0 && !strongAgent) return 'acl';
  if (volume > 0 && !strongAgent) return 'volume';
  if (strongAgent || agent >= 2) return 'agent';
  if (blocks === 0) return 'vars';
  return 'unknown';
}

/** Schema diagnostics, deprecations and lints of a job file; nothing for other kinds of files. */
export function checkFile(file: HclFile, options: CheckOptions = {}, kind: FileKind = detectKind(file)): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (kind !== 'job' || file.syntax !== 'hcl') return out;
  const checker = new JobChecker(file, out, collectScope(file), new VersionGate(options.targetVersion ?? defaultTarget()));
  checker.checkFile();
  validateJobs({ file, out }, file.body.items);
  const lints = { ...DEFAULT_LINTS, ...(options.lints ?? {}) };
  const reporter = { file, out };
  for (const item of file.body.items) {
    if (item.kind === 'Block' && item.type === 'job') lintJob(reporter, item, lints);
  }
  return out;
}
