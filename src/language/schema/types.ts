// Shapes shared by the schema data files and the loader in index.ts. Pure data, no `vscode`.

/** Value types of attributes. `duration` is written as a string such as "30s" (the API holds nanoseconds). */
export type AttrType =
  | 'string'
  | 'number'
  | 'bool'
  | 'duration'
  | 'any'
  | 'object'
  | 'list(string)'
  | 'list(number)'
  | 'list(any)'
  | 'list(map(string))'
  | 'list(map(number))'
  | 'map(string)'
  | 'map(number)'
  | 'map(any)';

export type Severity = 'error' | 'warning' | 'info';

/** A deprecated or removed attribute/block, keyed by `Owner.name` (see Deprecation.path). */
export interface Deprecation {
  /**
   * Where it lives: `<OwnerTypeId>.<name>`, e.g. `TaskGroup.max_client_disconnect`,
   * `Resources.network`, `driver:docker.port_map`. Owner ids are the generated type ids
   * (Go type names), `driver:<name>` for driver configs, `File` for the top level.
   */
  path: string;
  severity: Severity;
  message: string;
  /** Stable id of a quick fix the language features may offer. */
  fix: string;
  /**
   * The release in which the change happened ("1.8.0"), where known: a deprecation is reported only to
   * targets from that release on; a removal is dated by the generated schema's `until`.
   */
  since?: string;
  /** The name no longer exists in the schema (e.g. job `vault_token`). */
  removed?: boolean;
  /** Removals: what to do instead, appended to the release-naming message of the version check. */
  advice?: string;
}

/**
 * Which Nomad releases have a member of the generated schema. Releases are named in full ("2.0.3"):
 * every release tag from 1.6.5 on was read, patch releases included. `since`: the first release that has
 * it (absent: every release read has it); `until`: the first release that no longer has it. (Hand-written
 * schemas of other file kinds may name a minor, "1.8", which compares as 1.8.0.)
 */
export interface VersionRange {
  since?: string;
  until?: string;
  /** the first release whose api source documents it as deprecated */
  deprecatedSince?: string;
}

/** One release the schema was generated from. */
export interface SchemaRelease {
  /** e.g. "1.6.5" */
  version: string;
  /** e.g. "1.6": the name `since` / `until` use */
  minor: string;
}

/** Until release `until` (exclusive), `field` of a member had `value` instead of its current one. */
export interface VersionChange {
  until: string;
  field: string;
  value: unknown;
}

export interface AttributeSchema extends VersionRange {
  name: string;
  type: AttrType;
  description: string;
  required: boolean;
  /** Allowed values; `open` when other values (e.g. `cni/<name>`) are also fine. */
  enum?: readonly string[];
  enumOpen?: boolean;
  default?: string;
  goField?: string;
  apiField?: string;
  /** Shorthand attribute that the parser folds into other fields (constraint `distinct_hosts`). */
  alias?: string;
  deprecation?: Deprecation;
}

export interface BlockSchema extends VersionRange {
  /** Type id: a generated Go type name (`Task`), `driver:docker`, `File`, `Variable`, … */
  id: string;
  /** The keyword of the block in this position (`task`, `config`, …); '' for the file root. */
  name: string;
  description: string;
  /** Label names, e.g. ['name'] for `group "web" {}`. */
  labels: readonly string[];
  /** May appear more than once in its parent. */
  multiple: boolean;
  apiField?: string;
  /** Also accepted in attribute form (`meta = { ... }`). */
  attrSyntax: boolean;
  /** Any attribute name is accepted, with values of this type (meta/env: string). */
  freeform?: AttrType;
  /** Anything goes: unknown attributes and nested blocks are accepted (unknown driver, scaling policy). */
  open: boolean;
  /** The body is interpreted by the task driver; use driverConfigSchema(). */
  driverConfig: boolean;
  attributes: ReadonlyMap<string, AttributeSchema>;
  blocks: ReadonlyMap<string, BlockSchema>;
  /** Attributes that must be present in this position (in addition to attributes[].required). */
  requiredAttributes: readonly string[];
  deprecation?: Deprecation;
  /** Extra facts for hover, e.g. how labels map onto the API. */
  note?: string;
}

/**
 * The one shape of hand-written schema data (driver configs, the top-level entities, every non-job file
 * kind): a block, its members, and the releases that have each (`since` / `until`, see VersionRange).
 * Write it with the helpers of ./spec.ts.
 */
export interface BlockSpec extends VersionRange {
  description: string;
  labels?: readonly string[];
  multiple?: boolean;
  attrSyntax?: boolean;
  freeform?: AttrType;
  open?: boolean;
  attributes?: Record<string, AttrSpec>;
  blocks?: Record<string, BlockSpec>;
}

export interface AttrSpec extends VersionRange {
  type: AttrType;
  description: string;
  required?: boolean;
  enum?: readonly string[];
  enumOpen?: boolean;
  default?: string;
}

export interface FunctionParam {
  name: string;
  type: string;
  /** Takes any number of further arguments of this type. */
  variadic?: boolean;
}

export interface FunctionSchema {
  name: string;
  params: readonly FunctionParam[];
  returns: string;
  description: string;
  /** Reads the local file system; Nomad may disable these when jobs are parsed by the server. */
  filesystem?: boolean;
}

/** Descriptions keyed by owner type id: '' describes the block itself, other keys its members. */
export type DescriptionTable = Record<string, Record<string, string>>;

export interface ValueFacts {
  enum?: readonly string[];
  enumOpen?: boolean;
  default?: string;
}
