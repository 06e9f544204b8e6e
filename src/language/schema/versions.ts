// Nomad versions: parsing the version a cluster reports, the releases the generated schema was read
// from, and whether a member of the schema exists in a given release. Pure: no `vscode` import.
import type { VersionChange, VersionRange } from './types';

/** A parsed Nomad version: 1.6.5, v1.7.0-beta.1, 1.8.3+ent … (pre-release and metadata dropped). */
export interface NomadVersion {
  major: number;
  minor: number;
  patch: number;
}

/** `1.6.5`, `v1.6.5`, `1.7.0-beta.1`, `1.8.3+ent`, `1.9` → its numbers; anything else → undefined. */
export function parseVersion(text: string | undefined | null): NomadVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Orders two dotted versions ("1.9" < "1.10" < "2.0"); negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.'), pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0), y = Number(pb[i] ?? 0);
    if (x !== y) return x - y;
  }
  return 0;
}

export function formatVersion(v: NomadVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** One release the schema was generated from. */
export interface SchemaRelease {
  /** e.g. "1.6.5" */
  version: string;
  /** e.g. "1.6": the name `since` / `until` use */
  minor: string;
}

/**
 * Where the target version comes from: the connected cluster (`/v1/agent/self`), the
 * `nomad.targetVersion` setting, or neither (the newest release the schema knows).
 */
export type TargetSource = 'cluster' | 'setting' | 'default';

/** The Nomad version the language features check against. */
export interface TargetVersion {
  /** as reported or written: "1.6.5" */
  version: string;
  source: TargetSource;
}

/** Whether a member with this range exists in release `minor`. */
export function inRelease(range: VersionRange, minor: string): boolean {
  if (range.since !== undefined && compareVersions(minor, range.since) < 0) return false;
  if (range.until !== undefined && compareVersions(minor, range.until) >= 0) return false;
  return true;
}

/** The value `field` of a member had in release `minor` (`current` when no change applies). */
export function valueInRelease<T>(changes: readonly VersionChange[] | undefined, field: string, minor: string, current: T): T {
  if (!changes) return current;
  // changes are ordered oldest `until` first: the first one still ahead of `minor` holds its value
  for (const c of changes) {
    if (c.field === field && compareVersions(minor, c.until) < 0) return c.value as T;
  }
  return current;
}

/** "1.6.5" says who runs what: "this cluster runs 1.6.5", "nomad.targetVersion is 1.6.5" … */
export function describeTarget(t: TargetVersion): string {
  switch (t.source) {
    case 'cluster': return `this cluster runs ${t.version}`;
    case 'setting': return `nomad.targetVersion is ${t.version}`;
    default: return `the newest Nomad known to this extension is ${t.version}`;
  }
}

/**
 * Rules that changed between releases without a change of the api structs: Nomad's validation
 * (nomad/structs) refused something in older releases. Each names the Nomad source it was read from.
 */
export interface VersionRule {
  id: 'memory-max-unlimited' | 'vault-policies-required';
  /** the first release that accepts the thing (a full version: rules can change in a patch release) */
  acceptedSince: string;
  /** where, in Nomad's source of the last release that refuses it, the rule lives */
  source: string;
  /** what the rule is about, for the message */
  summary: string;
}

export const versionRules: readonly VersionRule[] = [
  {
    id: 'memory-max-unlimited', acceptedSince: '1.7.3',
    // up to v1.7.2: `MemoryMaxMB != 0 && MemoryMaxMB < MemoryMB` is refused ("MemoryMaxMB value (-1) should be
    // larger than MemoryMB value"); v1.7.3 adds the `memoryNoLimit` (-1) exception
    source: 'nomad/structs/structs.go, (*Resources).Validate at v1.6.5 and v1.7.2 (the -1 exception arrives in v1.7.3)',
    summary: '`memory_max = -1` (no memory limit)',
  },
  {
    id: 'vault-policies-required', acceptedSince: '1.7.0',
    // up to v1.6.x: `len(v.Policies) == 0` is refused ("Policy list cannot be empty"); v1.7.0 (Vault through
    // workload identities) drops the rule
    source: 'nomad/structs/structs.go, (*Vault).Validate at v1.6.5 (gone in v1.7.0)',
    summary: 'a `vault` block without `policies`',
  },
];

/**
 * The target version from what is known: the connected cluster's version, else the setting, else
 * undefined (the caller uses the newest release the schema knows). Text that is not a version is ignored.
 */
export function resolveTarget(clusterVersion: string | null | undefined, settingVersion: string | null | undefined): TargetVersion | undefined {
  const cluster = parseVersion(clusterVersion);
  if (cluster) return { version: formatVersion(cluster), source: 'cluster' };
  const setting = parseVersion(settingVersion);
  if (setting) return { version: formatVersion(setting), source: 'setting' };
  return undefined;
}
