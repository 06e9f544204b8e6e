// What a Nomad HCL file is, decided from its content (and, weakly, its name). Pure: no `vscode`.
//
//   detectFileKind(file, fileName?): FileKind
//     job        a top-level `job` block (or `variable` / `variables` / `locals`, which only job files have)
//     agent      agent configuration: server, client, data_dir, bind_addr, ports, advertise, tls, plugin …
//     volume     volume specification: `type = "csi" | "host"`, plugin_id, capability, mount_options …
//     acl        ACL policy: namespace / node_pool / host_volume / agent / node / operator / quota / plugin
//                blocks holding `policy`, `capabilities` or `variables`
//     namespace  namespace specification: `name` with capabilities / node_pool_config / meta / quota
//     nodepool   node pool specification: a `node_pool "<name>"` block with description / meta /
//                scheduler_config (without policy / capabilities / variables: that is an ACL policy)
//     quota      resource quota specification: name / description and `limit` blocks with region_limit
//     variable   Nomad Variable specification (`nomad var put @file`): path / namespace and an `items`
//                block; a `*.nv.hcl` name (what `nomad var init` writes) is enough without items
//     vars       a variables file for `-var-file`: top-level arguments only
//     unknown    nothing tells (an empty file, blocks we do not recognise)
//
// Agent files are read by Nomad with HCL1 rules, so `server = { … }` counts like `server { … }`: an
// argument whose value is an object is treated as the block of that name.
import type { BodyItem, Expression, HclFile } from '../hcl';

export type FileKind =
  'job' | 'agent' | 'volume' | 'acl' | 'namespace' | 'nodepool' | 'quota' | 'variable' | 'vars' | 'unknown';

export const FILE_KINDS: readonly FileKind[] = [
  'job',
  'agent',
  'volume',
  'acl',
  'namespace',
  'nodepool',
  'quota',
  'variable',
  'vars',
  'unknown',
];

/** Kinds that Nomad reads with the HCL1 decoder (HCL1-only syntax is fine in them). */
export const HCL1_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'agent',
  'volume',
  'acl',
  'namespace',
  'quota',
  'variable',
]);

/** Human names, e.g. for a status bar. */
export const FILE_KIND_LABELS: Readonly<Record<FileKind, string>> = {
  job: 'job',
  agent: 'agent config',
  volume: 'volume',
  acl: 'ACL policy',
  namespace: 'namespace',
  nodepool: 'node pool',
  quota: 'quota',
  variable: 'variable spec',
  vars: 'variables',
  unknown: 'unknown',
};

/** Blocks of an agent configuration (also written as `name = { … }`). */
const AGENT_BLOCKS: ReadonlySet<string> = new Set([
  'server',
  'client',
  'ports',
  'addresses',
  'advertise',
  'acl',
  'tls',
  'telemetry',
  'consul',
  'vault',
  'ui',
  'autopilot',
  'limits',
  'audit',
  'sentinel',
  'http_api_response_headers',
  'reporting',
  'keyring',
]);
/** Top-level names of Consul agent configurations (which share data_dir, bind_addr … with Nomad's). */
const CONSUL_ONLY: ReadonlySet<string> = new Set([
  'node_name',
  'client_addr',
  'advertise_addr',
  'advertise_addr_wan',
  'bootstrap_expect',
  'bootstrap',
  'retry_join',
  'retry_join_wan',
  'encrypt',
  'connect',
  'recursors',
  'primary_datacenter',
  'serf_lan',
  'serf_wan',
  'performance',
  'dns_config',
  'storage',
  'listener',
]);
/** Agent blocks that configuration files of Consul, Vault or consul-template have too. */
const SHARED_BLOCKS: ReadonlySet<string> = new Set([
  'consul',
  'vault',
  'tls',
  'telemetry',
  'acl',
  'ui',
  'limits',
  'audit',
  'ports',
  'addresses',
  'advertise',
]);
/** Agent arguments that a variables file would hardly use as variable names. */
const AGENT_STRONG_ATTRS: ReadonlySet<string> = new Set([
  'data_dir',
  'bind_addr',
  'plugin_dir',
  'log_level',
  'log_json',
  'log_file',
  'log_include_location',
  'log_rotate_duration',
  'log_rotate_bytes',
  'log_rotate_max_files',
  'enable_debug',
  'leave_on_interrupt',
  'leave_on_terminate',
  'enable_syslog',
  'syslog_facility',
  'disable_update_check',
  'disable_anonymous_signature',
]);
/** Agent arguments that are also common variable names: they count only next to stronger evidence. */
const AGENT_WEAK_ATTRS: ReadonlySet<string> = new Set(['region', 'datacenter', 'name']);

const ACL_BLOCKS: ReadonlySet<string> = new Set([
  'namespace',
  'node_pool',
  'host_volume',
  'agent',
  'node',
  'operator',
  'quota',
  'plugin',
]);
const ACL_INNER: ReadonlySet<string> = new Set(['policy', 'capabilities', 'variables']);

const VOLUME_SIGNALS: ReadonlySet<string> = new Set([
  'plugin_id',
  'external_id',
  'snapshot_id',
  'clone_id',
  'capacity_min',
  'capacity_max',
  'capability',
  'mount_options',
  'topology_request',
  'host_path',
  'node_pool',
  'node_id',
]);
const VOLUME_KEYS: ReadonlySet<string> = new Set([
  ...VOLUME_SIGNALS,
  'id',
  'name',
  'type',
  'namespace',
  'secrets',
  'parameters',
  'context',
  'capacity',
  'constraint',
]);

const NAMESPACE_KEYS: ReadonlySet<string> = new Set([
  'name',
  'description',
  'quota',
  'meta',
  'capabilities',
  'node_pool_config',
  'vault',
  'consul',
]);
const NAMESPACE_SIGNALS: ReadonlySet<string> = new Set(['capabilities', 'node_pool_config', 'quota', 'meta']);

const JOB_ONLY: ReadonlySet<string> = new Set(['job', 'Job', 'variable', 'variables', 'locals']);

const QUOTA_KEYS: ReadonlySet<string> = new Set(['name', 'description', 'limit']);
const QUOTA_LIMIT_KEYS: ReadonlySet<string> = new Set(['region', 'region_limit', 'variables_limit']);
const VARIABLE_KEYS: ReadonlySet<string> = new Set([
  'path',
  'namespace',
  'items',
  'create_index',
  'modify_index',
  'create_time',
  'modify_time',
]);
/** The API's JSON of each object (what `nomad … init -out json` writes, for `apply -json` / `var put`). */
const API_NODE_POOL: ReadonlySet<string> = new Set([
  'Name',
  'Description',
  'Meta',
  'SchedulerConfiguration',
  'NodeIdentityTTL',
  'CreateIndex',
  'ModifyIndex',
]);
const API_QUOTA: ReadonlySet<string> = new Set(['Name', 'Description', 'Limits', 'CreateIndex', 'ModifyIndex']);
const API_VARIABLE: ReadonlySet<string> = new Set([
  'Path',
  'Namespace',
  'Items',
  'CreateIndex',
  'ModifyIndex',
  'CreateTime',
  'ModifyTime',
]);

interface Item {
  name: string;
  /** a block, or an argument whose value is an object (HCL1 / JSON block form) */
  blockLike: boolean;
  labels: number;
  /** names inside the block (for block-like items) */
  inner: string[];
  value?: Expression;
}

function objectKeys(e: Expression): string[] | undefined {
  if (e.kind !== 'Object') return undefined;
  return e.items.map(i => i.keyName ?? '').filter(k => k !== '');
}

function describeItem(item: BodyItem): Item {
  if (item.kind === 'Block') {
    return {
      name: item.type,
      blockLike: true,
      labels: item.labels.length,
      inner: item.body.items.map(i => (i.kind === 'Block' ? i.type : i.name)),
    };
  }
  const keys = objectKeys(item.expr);
  return keys
    ? { name: item.name, blockLike: true, labels: 0, inner: keys, value: item.expr }
    : { name: item.name, blockLike: false, labels: 0, inner: [], value: item.expr };
}

function literal(e: Expression | undefined): string | undefined {
  if (!e) return undefined;
  if ((e.kind === 'Template' || e.kind === 'Heredoc') && e.literal !== undefined) return e.literal;
  if (e.kind === 'Literal' && typeof e.value === 'string') return e.value;
  return undefined;
}

/** A name hint only: `x.vars.hcl`, `x.auto.vars.hcl`, `x.varfile`, `x.vars.json` are variables files. */
export function kindFromFileName(fileName: string | undefined): FileKind | undefined {
  if (!fileName) return undefined;
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  if (/\.(auto\.)?vars\.(hcl|json)$/.test(base) || base.endsWith('.varfile') || base.endsWith('.vars')) return 'vars';
  return undefined;
}

/** `x.nv.hcl` / `x.nv.json`: what `nomad var init` names a Variable specification. */
function isVariableFileName(fileName: string | undefined): boolean {
  return fileName !== undefined && /\.nv\.(hcl|json)$/i.test(fileName);
}

/** The node pool, quota and variable specifications (HCL, HCL's JSON form, or the API's JSON). */
function specKind(
  file: HclFile,
  top: readonly BodyItem[],
  items: Item[],
  names: Set<string>,
  fileName: string | undefined,
): FileKind | undefined {
  const every = (set: ReadonlySet<string>): boolean => items.every(i => set.has(i.name));
  if (file.syntax === 'json') {
    const obj = (n: string): boolean => items.some(i => i.name === n && i.blockLike);
    if (
      names.has('Name') &&
      every(API_NODE_POOL) &&
      (names.has('SchedulerConfiguration') || names.has('NodeIdentityTTL') || (obj('Meta') && !names.has('Limits')))
    )
      return 'nodepool';
    if (names.has('Name') && every(API_QUOTA) && names.has('Limits')) return 'quota';
    if (every(API_VARIABLE) && obj('Items')) return 'variable';
  }
  // node_pool "<name>" { … } blocks without an ACL rule's names (HCL's JSON form: node_pool = { "<name>" = { … } })
  if (names.size === 1 && names.has('node_pool')) {
    const inners = top.map((item, i): string[] | undefined => {
      if (item.kind === 'Block') return items[i]!.labels <= 1 ? items[i]!.inner : undefined;
      if (file.syntax === 'json' && item.expr.kind === 'Object' && item.expr.items.length === 1)
        return objectKeys(item.expr.items[0]!.value);
      return undefined;
    });
    if (inners.every(inner => inner !== undefined && !inner.some(n => ACL_INNER.has(n)))) return 'nodepool';
  }
  // `limit { region, region_limit { … } }` blocks beside name / description (a misspelt name still counts)
  if (names.has('limit') && (every(QUOTA_KEYS) || names.has('name'))) {
    const limits = items.filter(i => i.name === 'limit');
    if (limits.every(l => l.blockLike && l.labels === 0 && l.inner.some(n => QUOTA_LIMIT_KEYS.has(n)))) return 'quota';
  }
  const it = items.find(i => i.name === 'items');
  if (it && it.blockLike && it.labels === 0 && (every(VARIABLE_KEYS) || names.has('path'))) return 'variable';
  // what `nomad var init` names its file: the name decides when the content does not say otherwise
  if (isVariableFileName(fileName)) return 'variable';
  return undefined;
}

/** Decides the kind of a parsed file; see the header of this module. Cheap: looks at two levels only. */
export function detectFileKind(file: HclFile, fileName?: string): FileKind {
  const top = file.body.items;
  if (top.length === 0) return isVariableFileName(fileName) ? 'variable' : 'unknown';
  const items = top.map(describeItem);
  const names = new Set(items.map(i => i.name));
  for (const n of JOB_ONLY) if (names.has(n)) return 'job';

  let agentStrong = 0;
  let agentWeak = 0;
  for (const it of items) {
    if (AGENT_STRONG_ATTRS.has(it.name)) agentStrong++;
    else if (it.blockLike && AGENT_BLOCKS.has(it.name)) agentStrong++;
    else if (it.name === 'plugin' && it.blockLike && it.labels === 1 && !it.inner.some(n => ACL_INNER.has(n)))
      agentStrong++;
    else if (AGENT_WEAK_ATTRS.has(it.name)) agentWeak++;
  }
  // ACL policy: every top-level item is a rule block, and at least one holds policy/capabilities/variables
  const aclRules = items.filter(it => it.blockLike && ACL_BLOCKS.has(it.name));
  if (
    aclRules.length > 0 &&
    aclRules.length === items.length &&
    aclRules.some(r => r.inner.some(n => ACL_INNER.has(n)))
  )
    return 'acl';
  if (kindFromFileName(fileName) !== 'vars') {
    const spec = specKind(file, top, items, names, fileName);
    if (spec) return spec;
  }

  if (items.some(it => CONSUL_ONLY.has(it.name))) return 'unknown';
  if (agentStrong > 0) {
    // blocks that other tools' files share (consul-template, Vault, Consul configs): not enough on their own
    const exclusive = items.some(
      it =>
        AGENT_STRONG_ATTRS.has(it.name) ||
        (it.blockLike && !SHARED_BLOCKS.has(it.name) && (AGENT_BLOCKS.has(it.name) || it.name === 'plugin')),
    );
    const foreign = items.filter(
      it =>
        !AGENT_BLOCKS.has(it.name) &&
        !AGENT_STRONG_ATTRS.has(it.name) &&
        !AGENT_WEAK_ATTRS.has(it.name) &&
        it.name !== 'plugin',
    );
    if (exclusive || foreign.length === 0) return 'agent';
  }

  // volume specification: a `type` of csi/host or a volume-only name, and only volume names at the top
  const type = literal(items.find(i => i.name === 'type' && !i.blockLike)?.value);
  const volumeSignal = type === 'csi' || type === 'host' || items.some(i => VOLUME_SIGNALS.has(i.name));
  const volumeKeys = items.filter(i => VOLUME_KEYS.has(i.name)).length;
  if (
    volumeSignal &&
    (type === 'csi' || type === 'host' ? volumeKeys * 2 >= items.length : volumeKeys >= Math.max(2, items.length - 1))
  )
    return 'volume';

  // namespace specification
  if (
    names.has('name') &&
    items.every(i => NAMESPACE_KEYS.has(i.name)) &&
    items.some(i => NAMESPACE_SIGNALS.has(i.name) && (i.blockLike || i.name === 'quota'))
  ) {
    return 'namespace';
  }

  if (agentWeak >= 2 && items.every(i => AGENT_WEAK_ATTRS.has(i.name) || AGENT_STRONG_ATTRS.has(i.name))) {
    // `region` + `datacenter` (+ `name`) alone: as likely a variables file; the file name decides
    return kindFromFileName(fileName) ?? 'vars';
  }

  const hasBlocks = items.some(i => i.blockLike && top[items.indexOf(i)]!.kind === 'Block');
  if (!hasBlocks) return 'vars';
  if (kindFromFileName(fileName) === 'vars') return 'vars';
  return 'unknown';
}
