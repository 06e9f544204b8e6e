// The version gate: the one module that knows Nomad releases. Parsing the version a cluster reports,
// which target wins (cluster, setting, newest known), the releases the generated schema was read from,
// whether a member exists in a release (ReleaseGate, for every file kind), and the rules that changed
// between releases. The checks, completion, hover and the language server ask it; none compares
// versions itself. Pure: no `vscode` import.
import { generated, type GeneratedRelease, type GeneratedVersioned } from './generated';
import type { VersionChange, VersionRange } from './types';

export type { SchemaRelease } from './types';

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
  const pa = a.split('.'),
    pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0),
      y = Number(pb[i] ?? 0);
    if (x !== y) return x - y;
  }
  return 0;
}

export function formatVersion(v: NomadVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** `text` as a full version ("1.9" → "1.9.0", "v1.8.3+ent" → "1.8.3"), else `fallback` so, else undefined. */
export function fullVersion(text: string | null | undefined, fallback?: string): string | undefined {
  const v = parseVersion(text) ?? parseVersion(fallback);
  return v ? formatVersion(v) : undefined;
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
export function valueInRelease<T>(
  changes: readonly VersionChange[] | undefined,
  field: string,
  minor: string,
  current: T,
): T {
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
    case 'cluster':
      return `this cluster runs ${t.version}`;
    case 'setting':
      return `nomad.targetVersion is ${t.version}`;
    default:
      return `the newest Nomad known to this extension is ${t.version}`;
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
    id: 'memory-max-unlimited',
    acceptedSince: '1.7.3',
    // up to v1.7.2: `MemoryMaxMB != 0 && MemoryMaxMB < MemoryMB` is refused ("MemoryMaxMB value (-1) should be
    // larger than MemoryMB value"); v1.7.3 adds the `memoryNoLimit` (-1) exception
    source: 'nomad/structs/structs.go, (*Resources).Validate at v1.6.5 and v1.7.2 (the -1 exception arrives in v1.7.3)',
    summary: '`memory_max = -1` (no memory limit)',
  },
  {
    id: 'vault-policies-required',
    acceptedSince: '1.7.0',
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
export function resolveTarget(
  clusterVersion: string | null | undefined,
  settingVersion: string | null | undefined,
): TargetVersion | undefined {
  const cluster = parseVersion(clusterVersion);
  if (cluster) return { version: formatVersion(cluster), source: 'cluster' };
  const setting = parseVersion(settingVersion);
  if (setting) return { version: formatVersion(setting), source: 'setting' };
  return undefined;
}

// ---- the releases read ------------------------------------------------------------------------------

/** The releases the schema was generated from, oldest first. */
export function schemaReleases(): readonly GeneratedRelease[] {
  return generated().releases;
}

/** The newest release the schema knows ("2.0.5"). */
export function newestRelease(): GeneratedRelease {
  const list = generated().releases;
  return list[list.length - 1]!;
}

/**
 * The release whose schema describes `version`: the newest release read that is not newer than it
 * (every release tag from 1.6.5 on was read, patch releases included, so a known release gets its own
 * schema). A version older than the oldest release read gets the oldest; unknown text gets the newest.
 */
export function releaseFor(version: string | undefined): GeneratedRelease {
  const v = parseVersion(version);
  if (!v) return newestRelease();
  const full = `${v.major}.${v.minor}.${v.patch}`;
  const list = generated().releases;
  let found = list[0]!;
  for (const r of list) if (compareVersions(r.version, full) <= 0) found = r;
  return found;
}

/** The newest release read that is older than `version` ("2.0.2" for "2.0.3"): the last one before a change. */
export function releaseBefore(version: string): GeneratedRelease | undefined {
  let found: GeneratedRelease | undefined;
  for (const r of generated().releases) if (compareVersions(r.version, version) < 0) found = r;
  return found;
}

/**
 * Where `name` was added to or removed from the generated type `ownerId` (an attribute or a nested
 * block), whatever the release; undefined when no release read has it.
 */
export function memberRange(
  ownerId: string,
  name: string,
): (VersionRange & { kind: 'attribute' | 'block' }) | undefined {
  const t = generated().types[ownerId];
  if (!t) return undefined;
  for (const a of t.attributes) if (a.name === name) return { kind: 'attribute', ...rangeOf(a) };
  for (const b of t.blocks) if (b.name === name) return { kind: 'block', ...rangeOf(b) };
  return undefined;
}

/**
 * The first release that allows several `name` blocks in generated type `ownerId`, when older releases
 * allowed only one (`identity` in a task: 1.7.0); undefined when that never changed.
 */
export function multipleSince(ownerId: string, name: string): string | undefined {
  const b = generated().types[ownerId]?.blocks.find(x => x.name === name);
  if (!b?.multiple) return undefined;
  const changes = (b.changes ?? []).filter(c => c.field === 'multiple' && c.value === false);
  return changes.length > 0 ? changes[changes.length - 1]!.until : undefined;
}

/** since / until / deprecatedSince of a generated member, without its changes. */
export function rangeOf(m: GeneratedVersioned): VersionRange {
  const r: VersionRange = {};
  if (m.since !== undefined) r.since = m.since;
  if (m.until !== undefined) r.until = m.until;
  if (m.deprecatedSince !== undefined) r.deprecatedSince = m.deprecatedSince;
  return r;
}

// ---- the target --------------------------------------------------------------------------------------

/** What the language server says of the target: the version, where it comes from, the schema release used. */
export interface TargetInfo extends TargetVersion {
  /** the release whose schema is used ("2.0.3"): the newest release read that is not newer than `version` */
  schemaRelease: string;
  /** the newest release the schema knows */
  newest: string;
}

/** The target from the connected cluster's version and the setting, else the newest release known. */
export function targetInfo(
  clusterVersion: string | null | undefined,
  settingVersion: string | null | undefined,
): TargetInfo {
  const t = resolveTarget(clusterVersion, settingVersion);
  const newest = newestRelease().version;
  const version = t?.version ?? newest;
  return { version, source: t?.source ?? 'default', schemaRelease: releaseFor(version).version, newest };
}

/**
 * Whether the target release has a member, for every file kind. A member's range names releases in full
 * ("1.8.2") or by minor ("1.8", compared as 1.8.0). Without a target (`full` undefined) every member is
 * taken to exist.
 */
export class ReleaseGate {
  /** the target in full ("1.8.2"), when one is known */
  readonly full: string | undefined;

  /** `fallback`: the version to compare with when the target's is not a version (the target still speaks) */
  constructor(
    readonly target: TargetVersion | undefined,
    fallback?: string,
  ) {
    this.full = fullVersion(target?.version, fallback);
  }

  /** Is the target older than `version` (false when no target is known)? */
  before(version: string): boolean {
    return this.full !== undefined && compareVersions(this.full, version) < 0;
  }

  /** A member the target is too old for: it has a `since` the target has not reached. */
  tooOld(range: VersionRange): boolean {
    return range.since !== undefined && this.before(range.since);
  }

  /** A member the target no longer has: it has an `until` the target has reached. */
  tooNew(range: VersionRange): boolean {
    return range.until !== undefined && this.full !== undefined && !this.before(range.until);
  }

  /** Does the target have the member? */
  has(range: VersionRange): boolean {
    return !this.tooOld(range) && !this.tooNew(range);
  }

  /** "<what> needs Nomad <since> or later; this cluster runs 1.6.5" (the caller ends the sentence) */
  needs(what: string, since: string): string {
    return `${what} needs Nomad ${since} or later; ${this.who()}`;
  }

  /** "<what> was removed in Nomad <until> (<last> is the last release that has it); <who the target is>" */
  removedIn(what: string, until: string): string {
    const last = releaseBefore(until);
    return `${what} was removed in Nomad ${until}${last ? ` (${last.version} is the last release that has it)` : ''}; ${this.who()}`;
  }

  private who(): string {
    return this.target
      ? describeTarget(this.target)
      : `the newest Nomad known to this extension is ${newestRelease().version}`;
  }
}

/** How a message names a member: "`name` in `block`"; at the top of a file or of a job the name alone. */
export function memberName(name: string, owner: { id: string; name: string }): string {
  return owner.name && owner.id !== 'Job' ? `\`${name}\` in \`${owner.name}\`` : `\`${name}\``;
}
