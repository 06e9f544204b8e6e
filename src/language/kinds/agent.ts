// Diagnostics of Nomad agent configuration files (`nomad agent -config=<file>`). Facts from Nomad
// v1.6.5 (command/agent/config.go, config_parse.go, command.go): which blocks reject unknown keys,
// which numeric fields are floats, what is deprecated, and what the agent refuses at start-up.
// Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Expression, HclFile, Range } from '../hcl';
import { agentSchema, type BlockSchema } from '../schema';
import { parseGoDuration } from '../check/duration';
import { childrenOf, KindChecker, KindCodes, KindContext, scalarText, type Entry, type KindProfile } from './check';
import { PLUGIN_CONFIG_ID, pluginConfigBlockIds, pluginSchemaFor } from '../schema/plugins';

/**
 * Blocks whose unknown keys stop the agent ("unexpected keys"): the structs that carry an unused-keys
 * field and that Nomad's check reaches (struct fields, not lists). Elsewhere unknown keys are ignored.
 */
const STRICT_BLOCKS: ReadonlySet<string> = new Set([
  'Agent',
  'Agent.client',
  'Agent.server',
  'Agent.acl',
  'Agent.telemetry',
  'Agent.ports',
  'Agent.addresses',
  'Agent.advertise',
  'Agent.client.reserved',
  'Agent.client.server_join',
  'Agent.server.server_join',
  'Agent.server.plan_rejection_tracker',
  'Agent.consul',
  'Agent.tls',
  'Agent.autopilot',
  'Agent.audit',
]);

/** float64 fields: the HCL1 decoder takes only unquoted numbers there. */
const FLOATS: ReadonlySet<string> = new Set([
  'Agent.client.gc_disk_usage_threshold',
  'Agent.client.gc_inode_usage_threshold',
  'Agent.server.max_heartbeats_per_second',
  'Agent.server.deploy_query_rate_limit',
]);

/** Values the agent validates at start-up (anything else stops it). */
const STRICT_ENUMS: ReadonlySet<string> = new Set([
  'Agent.log_level',
  'Agent.tls.tls_min_version',
  'Agent.server.default_scheduler_config.scheduler_algorithm',
  // the exec and java drivers refuse their config (and so the agent does not start)
  `${PLUGIN_CONFIG_ID}exec.default_pid_mode`,
  `${PLUGIN_CONFIG_ID}exec.default_ipc_mode`,
  `${PLUGIN_CONFIG_ID}java.default_pid_mode`,
  `${PLUGIN_CONFIG_ID}java.default_ipc_mode`,
]);

/** Durations of the docker driver's config below which the driver refuses its config. */
const MINIMUM_DURATIONS: ReadonlyMap<string, { ns: number; shown: string }> = new Map([
  [`${PLUGIN_CONFIG_ID}docker.pull_activity_timeout`, { ns: 60e9, shown: '1m' }],
  [`${PLUGIN_CONFIG_ID}docker.gc.dangling_containers.creation_grace`, { ns: 60e9, shown: '1m' }],
]);

const CASE_INSENSITIVE: ReadonlySet<string> = new Set(['Agent.log_level']);

const joinMoved = (name: string): Dep => ({
  message: `\`server.${name}\` is deprecated since Nomad 0.10: move it into a \`server_join { ${name} = … }\` block.`,
});

type Dep = { message: string; replacement?: string; severity?: 'warning' | 'info' };
const DEPRECATIONS: ReadonlyMap<string, Dep> = new Map<string, Dep>([
  [
    'Agent.server.protocol_version',
    { message: '`protocol_version` has never been used; Nomad warns when it is set. Remove it.' },
  ],
  ['Agent.server.start_join', joinMoved('start_join')],
  ['Agent.server.retry_join', joinMoved('retry_join')],
  ['Agent.server.retry_max', joinMoved('retry_max')],
  ['Agent.server.retry_interval', joinMoved('retry_interval')],
  [
    'Agent.client.template.function_blacklist',
    { message: '`function_blacklist` is the old spelling of `function_denylist`.', replacement: 'function_denylist' },
  ],
]);

/** Old spellings of client option keys, still read for compatibility. */
const OPTION_RENAMES: ReadonlyMap<string, string> = new Map([
  ['driver.whitelist', 'driver.allowlist'],
  ['driver.blacklist', 'driver.denylist'],
  ['fingerprint.whitelist', 'fingerprint.allowlist'],
  ['fingerprint.blacklist', 'fingerprint.denylist'],
]);

const ABSOLUTE_PATHS: ReadonlySet<string> = new Set([
  'Agent.data_dir',
  'Agent.plugin_dir',
  'Agent.client.alloc_dir',
  'Agent.client.state_dir',
]);

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Port list such as "22,80,8500-8600" (what Nomad's port-range parser takes), or a reason why not. */
export function portRangesProblem(spec: string): string | undefined {
  const s = spec.trim();
  if (s === '') return undefined;
  for (const part of s.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(p);
    if (!m) return `"${p}" is not a port or a range such as "8000-8100"`;
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (lo > 65535 || hi > 65535) return `${p} is beyond port 65535`;
    if (hi < lo) return `the range ${p} ends before it starts`;
  }
  return undefined;
}

function literalString(e: Expression): string | undefined {
  const s = scalarText(e);
  return s && s.kind !== 'null' ? s.text : undefined;
}

function labelName(entry: Entry): string {
  return entry.labels[0]?.value ?? '';
}

/** Linux capability names (what the exec and java drivers know, as in `CAP_CHOWN` without the prefix). */
const LINUX_CAPABILITIES: ReadonlySet<string> = new Set([
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
]);

/**
 * What the agent refuses in a built-in driver's config beyond the HCL1 rules: the config reaches the
 * driver through a typed decoder that turns "true" into a bool but refuses an unquoted number there,
 * and the exec and java drivers refuse a capability the system does not have.
 */
function checkPluginValue(ctx: KindContext, schema: BlockSchema, name: string, path: string, expr: Expression): void {
  const s = scalarText(expr);
  if (schema.attributes.get(name)?.type === 'bool' && s?.kind === 'number') {
    ctx.report(
      expr.range,
      DiagnosticSeverity.Error,
      KindCodes.typeMismatch,
      `${name}: expected true or false, found ${s.text}; the driver's config does not take a number here (write true or false).`,
    );
    return;
  }
  if (
    (path === `${PLUGIN_CONFIG_ID}exec.allow_caps` || path === `${PLUGIN_CONFIG_ID}java.allow_caps`) &&
    expr.kind === 'Tuple'
  ) {
    for (const item of expr.items) {
      const v = scalarText(item);
      if (!v || v.kind === 'null') continue;
      const cap = v.text.trim().toLowerCase().replace(/^cap_/, '');
      if (cap === '' || cap === 'all' || LINUX_CAPABILITIES.has(cap)) continue;
      ctx.report(
        item.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        `"${v.text}" is not a Linux capability; the driver refuses it and the agent does not start.`,
      );
    }
  }
}

export const agentProfile: KindProfile = {
  what: 'agent configuration',
  // a built-in driver's config is decoded strictly: an unknown key stops the agent
  strictUnknown: (schema: BlockSchema) => STRICT_BLOCKS.has(schema.id) || schema.id.startsWith(PLUGIN_CONFIG_ID),
  labelledSchema: pluginSchemaFor,
  refusedRepeats: pluginConfigBlockIds(),
  floats: FLOATS,
  strictEnums: STRICT_ENUMS,
  caseInsensitiveEnums: CASE_INSENSITIVE,
  deprecations: DEPRECATIONS,
  checkValue(ctx: KindContext, schema: BlockSchema, name: string, expr: Expression, nameRange: Range): void {
    const path = `${schema.id}.${name}`;
    const text = literalString(expr);
    if (schema.id === 'Agent.client.options') {
      const to = OPTION_RENAMES.get(name);
      if (to) {
        ctx.report(
          nameRange,
          DiagnosticSeverity.Information,
          KindCodes.deprecated,
          `"${name}" is the old spelling of "${to}".`,
          { fix: 'rename', at: nameRange.start, end: nameRange.end, replacement: `"${to}"`, deprecation: true },
        );
      } else if (name.startsWith('consul')) {
        ctx.report(
          nameRange,
          DiagnosticSeverity.Warning,
          KindCodes.ignoredKey,
          `The client ignores Consul settings in options; configure Consul in the top-level \`consul\` block.`,
        );
      }
      return;
    }
    if (path.startsWith(PLUGIN_CONFIG_ID)) checkPluginValue(ctx, schema, name, path, expr);
    if (text === undefined) return;
    if (text === '' && path.startsWith(PLUGIN_CONFIG_ID) && STRICT_ENUMS.has(path)) {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        `${name} must be "private" or "host"; the driver refuses an empty value and the agent does not start.`,
      );
      return;
    }
    const min = MINIMUM_DURATIONS.get(path);
    if (min) {
      const d = parseGoDuration(text);
      if (d.ok && d.ns < min.ns)
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `${name} must be at least ${min.shown}; the docker driver refuses "${text}" and the agent does not start.`,
        );
      return;
    }
    if (ABSOLUTE_PATHS.has(path) && text !== '' && !isAbsolutePath(text)) {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        `${name} must be an absolute path; the agent refuses "${text}".`,
      );
    } else if (path === 'Agent.datacenter' && /[*\0]/.test(text)) {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        'A datacenter name must not contain "*".',
      );
    } else if (path === 'Agent.client.node_pool' && text === 'all') {
      ctx.report(
        expr.range,
        DiagnosticSeverity.Error,
        KindCodes.invalidValue,
        'A client cannot join the node pool "all": it is the built-in pool of every node.',
      );
    } else if (
      name === 'reserved_ports' &&
      (schema.id === 'Agent.client.reserved' || schema.id === 'Agent.client.host_network')
    ) {
      const p = portRangesProblem(text);
      if (p) ctx.report(expr.range, DiagnosticSeverity.Error, KindCodes.invalidValue, `reserved_ports: ${p}.`);
    } else if (path === 'Agent.client.min_dynamic_port' || path === 'Agent.client.max_dynamic_port') {
      const n = Number(text);
      if (Number.isFinite(n) && (n < 0 || n > 65535))
        ctx.report(
          expr.range,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          `${name} must be a port between 0 and 65535.`,
        );
    }
  },
  checkEntry(ctx: KindContext, schema: BlockSchema, entry: Entry): void {
    if (schema.id === 'Agent.client.host_volume') {
      const hasPath = entry.children.some(c => c.kind === 'value' && c.name === 'path' && literalString(c.expr) !== '');
      if (!hasPath)
        ctx.report(
          entry.nameRange,
          DiagnosticSeverity.Error,
          KindCodes.missingKey,
          `host_volume "${labelName(entry)}" needs a \`path\`; the agent refuses it without one.`,
        );
    }
  },
};

/** Schema checks of an agent configuration file. */
export function checkAgentFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  new KindChecker(ctx, agentProfile).checkChildren(childrenOf(file.body.items), agentSchema());
  return ctx;
}
