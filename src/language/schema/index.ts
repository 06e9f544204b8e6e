// The schema of every file kind, used by diagnostics, completion and hover: one type (BlockSchema /
// AttributeSchema, ./types.ts) built from two sources of data:
//   - job files: the data generated from Nomad's api structs at every release (jobspec.generated.json,
//     made by tools/schema-gen, held by ./generated.ts), merged with our descriptions, value facts,
//     deprecations and driver configs (./descriptions.ts, ./deprecations.ts, ./drivers.ts);
//   - hand-written data in one vocabulary (BlockSpec, helpers in ./spec.ts): agent configuration, volume
//     and namespace specifications, ACL policies (./agent.ts), node pool, quota and Variable
//     specifications (./specs.ts), the agent's plugin blocks (./plugins.ts).
// Which release has what is the version gate's (./versions.ts). Pure TypeScript: no `vscode` import.
import { generated as gen, generatedEpoch, type GeneratedBlockRef } from './generated';
import { attributeFacts, descriptions } from './descriptions';
import { deprecations } from './deprecations';
import { driverConfigs } from './drivers';
import { jobspecFunctions } from './functions';
import { aclPolicy, agentConfig, csiVolumeSpec, hostVolumeSpec, namespaceSpec } from './agent';
import { nodePoolSpec, quotaSpec, variableSpec } from './specs';
import { fileDescription, jobBlockDescription, localsBlock, variableBlock, variablesBlock } from './toplevel';
import { compareVersions, inRelease, releaseFor, rangeOf, valueInRelease } from './versions';
import type {
  AttrSpec,
  AttributeSchema,
  AttrType,
  BlockSchema,
  BlockSpec,
  Deprecation,
  FunctionSchema,
  ValueFacts,
  VersionRange,
} from './types';

export type {
  AttrType,
  AttributeSchema,
  BlockSchema,
  BlockSpec,
  AttrSpec,
  Deprecation,
  FunctionSchema,
  FunctionParam,
  Severity,
  VersionChange,
  VersionRange,
} from './types';
export {
  nodeAttributes,
  nodeVariables,
  runtimeEnvironment,
  runtimeName,
  type RuntimeName,
  type RuntimeRoot,
} from './runtime';
export {
  compareVersions,
  describeTarget,
  formatVersion,
  fullVersion,
  inRelease,
  parseVersion,
  resolveTarget,
  valueInRelease,
  versionRules,
  memberName,
  memberRange,
  multipleSince,
  newestRelease,
  releaseBefore,
  releaseFor,
  schemaReleases,
  targetInfo,
  ReleaseGate,
  type NomadVersion,
  type SchemaRelease,
  type TargetInfo,
  type TargetSource,
  type TargetVersion,
  type VersionRule,
} from './versions';
export {
  generatedSchema,
  useGeneratedSchema,
  type GeneratedAttribute,
  type GeneratedBlockRef,
  type GeneratedRelease,
  type GeneratedSchema,
  type GeneratedType,
  type GeneratedVersioned,
} from './generated';

// ---- descriptions, facts and deprecations -----------------------------------------------------

const deprecationByPath = new Map<string, Deprecation>(deprecations.map(d => [d.path, d]));

export function allDeprecations(): readonly Deprecation[] {
  return deprecations;
}

/** Deprecation of `name` inside the block type `ownerId`, if any (works for removed names too). */
export function deprecationFor(ownerId: string, name: string): Deprecation | undefined {
  return deprecationByPath.get(`${ownerId}.${name}`);
}

/**
 * Whether `dep` applies in release `release` to a member that the release has: a removal never does (the
 * release still has it), and a deprecation only from the release that deprecated it (ours, else the one
 * whose api source first calls the member deprecated). Older targets get no deprecation for it.
 */
export function deprecatedIn(dep: Deprecation | undefined, member: VersionRange, release: string): dep is Deprecation {
  if (!dep || dep.removed) return false;
  const since = dep.since ?? member.deprecatedSince;
  return since === undefined || compareVersions(release, since) >= 0;
}

/** Our description of a member of a generated type ('' = the type itself). */
export function describe(typeId: string, member = ''): string | undefined {
  return descriptions[typeId]?.[member];
}

function factsFor(ownerId: string, name: string): ValueFacts | undefined {
  return attributeFacts[`${ownerId}.${name}`];
}

// ---- building BlockSchema objects --------------------------------------------------------------

const EMPTY_ATTRS: ReadonlyMap<string, AttributeSchema> = new Map();

class Block implements BlockSchema {
  id: string;
  name: string;
  description: string;
  labels: readonly string[];
  multiple: boolean;
  apiField?: string;
  attrSyntax: boolean;
  freeform?: AttrType;
  open: boolean;
  driverConfig: boolean;
  requiredAttributes: readonly string[];
  deprecation?: Deprecation;
  note?: string;
  since?: string;
  until?: string;
  deprecatedSince?: string;
  private attrs?: ReadonlyMap<string, AttributeSchema>;
  private children?: ReadonlyMap<string, BlockSchema>;

  constructor(
    init: Omit<BlockSchema, 'attributes' | 'blocks'>,
    private readonly makeAttrs: () => ReadonlyMap<string, AttributeSchema>,
    private readonly makeChildren: () => ReadonlyMap<string, BlockSchema>,
  ) {
    this.id = init.id;
    this.name = init.name;
    this.description = init.description;
    this.labels = init.labels;
    this.multiple = init.multiple;
    this.attrSyntax = init.attrSyntax;
    this.open = init.open;
    this.driverConfig = init.driverConfig;
    this.requiredAttributes = init.requiredAttributes;
    if (init.apiField !== undefined) this.apiField = init.apiField;
    if (init.freeform !== undefined) this.freeform = init.freeform;
    if (init.deprecation !== undefined) this.deprecation = init.deprecation;
    if (init.note !== undefined) this.note = init.note;
    if (init.since !== undefined) this.since = init.since;
    if (init.until !== undefined) this.until = init.until;
    if (init.deprecatedSince !== undefined) this.deprecatedSince = init.deprecatedSince;
  }

  get attributes(): ReadonlyMap<string, AttributeSchema> {
    return (this.attrs ??= this.makeAttrs());
  }

  get blocks(): ReadonlyMap<string, BlockSchema> {
    return (this.children ??= this.makeChildren());
  }
}

const blockCache = new Map<string, BlockSchema>();

/** The attributes generated type `typeId` has in release `minor` ("1.8.2"), as they were there. */
function generatedAttributes(typeId: string, minor: string): ReadonlyMap<string, AttributeSchema> {
  const t = gen().types[typeId];
  if (!t || t.attributes.length === 0) return EMPTY_ATTRS;
  const out = new Map<string, AttributeSchema>();
  for (const a of t.attributes) {
    if (!inRelease(a, minor)) continue;
    const attr: AttributeSchema = {
      name: a.name,
      type: valueInRelease(a.changes, 'type', minor, a.type) as AttrType,
      description: describe(typeId, a.name) ?? '',
      required: valueInRelease(a.changes, 'required', minor, a.required === true),
    };
    const goField = valueInRelease(a.changes, 'goField', minor, a.goField ?? '');
    const apiField = valueInRelease(a.changes, 'apiField', minor, a.apiField ?? '');
    if (goField) attr.goField = goField;
    if (apiField) attr.apiField = apiField;
    if (a.alias) attr.alias = a.alias;
    Object.assign(attr, rangeOf(a));
    applyFacts(attr, factsFor(typeId, a.name));
    const dep = deprecationFor(typeId, a.name);
    if (deprecatedIn(dep, a, minor)) attr.deprecation = dep;
    out.set(a.name, attr);
  }
  return out;
}

function applyFacts(attr: AttributeSchema, facts: ValueFacts | AttrSpec | undefined): void {
  if (!facts) return;
  if (facts.enum) attr.enum = facts.enum;
  if (facts.enumOpen) attr.enumOpen = true;
  if (facts.default !== undefined) attr.default = facts.default;
}

/** The schema of a nested block `ref` found inside generated type `ownerId`, as release `minor` has it. */
function generatedBlock(ownerId: string, ref: GeneratedBlockRef, minor: string): BlockSchema {
  const key = `${minor}|${ownerId}>${ref.name}`;
  const cached = blockCache.get(key);
  if (cached) return cached;
  const typeId = valueInRelease(ref.changes, 'type', minor, ref.type);
  const t = gen().types[typeId];
  const freeform = t?.freeform as AttrType | undefined;
  const open = freeform === 'any';
  const init: Omit<BlockSchema, 'attributes' | 'blocks'> = {
    id: typeId,
    name: ref.name,
    description: describe(ownerId, ref.name) ?? describe(typeId) ?? '',
    labels: labelsIn(ref, minor),
    multiple: valueInRelease(ref.changes, 'multiple', minor, ref.multiple),
    attrSyntax: ref.attrSyntax === true,
    open,
    driverConfig: t?.driverConfig === true,
    requiredAttributes: ref.requiredAttrs ?? [],
  };
  const apiField = valueInRelease(ref.changes, 'apiField', minor, ref.apiField ?? '');
  if (apiField) init.apiField = apiField;
  if (freeform) init.freeform = freeform;
  if (ref.note) init.note = ref.note;
  Object.assign(init, rangeOf(ref));
  const dep = deprecationFor(ownerId, ref.name);
  if (deprecatedIn(dep, ref, minor)) init.deprecation = dep;
  const block = new Block(
    init,
    () => generatedAttributes(typeId, minor),
    () => generatedChildren(typeId, minor),
  );
  blockCache.set(key, block);
  return block;
}

function labelsIn(ref: GeneratedBlockRef, minor: string): readonly string[] {
  const labels = ref.labels ?? [];
  const before = valueInRelease<string | undefined>(ref.changes, 'labels', minor, undefined);
  return before === undefined ? labels : before === '' ? [] : before.split(',');
}

function generatedChildren(typeId: string, minor: string): ReadonlyMap<string, BlockSchema> {
  const out = new Map<string, BlockSchema>();
  for (const ref of gen().types[typeId]?.blocks ?? []) {
    if (inRelease(ref, minor)) out.set(ref.name, generatedBlock(typeId, ref, minor));
  }
  return out;
}

/**
 * Builds a BlockSchema from hand-written data (a BlockSpec: driver configs, the top-level entities, every
 * non-job file kind), with the releases that have each member. The one loader of hand-written data.
 */
export function schemaFromSpec(id: string, name: string, spec: BlockSpec): BlockSchema {
  return specBlock(id, name, spec, undefined);
}

function specBlock(
  id: string,
  name: string,
  spec: BlockSpec,
  depOwner: string | undefined,
  allAttrSyntax = false,
): BlockSchema {
  const init: Omit<BlockSchema, 'attributes' | 'blocks'> = {
    id,
    name,
    description: spec.description,
    labels: spec.labels ?? [],
    multiple: spec.multiple === true,
    attrSyntax: spec.attrSyntax === true || allAttrSyntax,
    open: spec.open === true || spec.freeform === 'any',
    driverConfig: false,
    requiredAttributes: [],
  };
  if (spec.freeform) init.freeform = spec.freeform;
  Object.assign(init, rangeOf(spec));
  const dep = depOwner ? deprecationFor(depOwner, name) : undefined;
  if (dep) init.deprecation = dep;
  return new Block(
    init,
    () => {
      const out = new Map<string, AttributeSchema>();
      for (const [an, as] of Object.entries(spec.attributes ?? {})) {
        const attr: AttributeSchema = {
          name: an,
          type: as.type,
          description: as.description,
          required: as.required === true,
        };
        applyFacts(attr, as);
        Object.assign(attr, rangeOf(as));
        const d = deprecationFor(id, an);
        if (d) attr.deprecation = d;
        out.set(an, attr);
      }
      return out;
    },
    () => {
      const out = new Map<string, BlockSchema>();
      for (const [bn, bs] of Object.entries(spec.blocks ?? {}))
        out.set(bn, specBlock(`${id}.${bn}`, bn, bs, id, allAttrSyntax));
      return out;
    },
  );
}

// ---- public lookups ---------------------------------------------------------------------------

const roots = new Map<string, BlockSchema>();
let rootsEpoch = generatedEpoch();

/**
 * Schema of a whole job file (`job`, `variable`, `variables` and `locals` blocks) as the Nomad version
 * `target` ("1.6.5") has it: only the attributes and blocks that release has, shaped as they were there.
 * Without a target (or with one that is not a version): the newest release the schema knows.
 */
export function rootSchema(target?: string): BlockSchema {
  if (rootsEpoch !== generatedEpoch()) {
    // the generated data was replaced (a test's copy): schemas built from the old data go
    roots.clear();
    blockCache.clear();
    rootsEpoch = generatedEpoch();
  }
  const minor = releaseFor(target).version;
  const cached = roots.get(minor);
  if (cached) return cached;
  const job = generatedBlock(
    'File',
    {
      name: 'job',
      type: gen().root,
      labels: ['name'],
      multiple: false,
      apiField: '',
      note: 'The label becomes the job ID and, unless name is set, its name.',
    },
    minor,
  );
  (job as Block).description = describe(gen().root) ?? jobBlockDescription;
  const blocks = new Map<string, BlockSchema>([
    ['job', job],
    ['variable', specBlock('Variable', 'variable', variableBlock, undefined)],
    ['variables', specBlock('Variables', 'variables', variablesBlock, undefined)],
    ['locals', specBlock('Locals', 'locals', localsBlock, undefined)],
  ]);
  const root = new Block(
    {
      id: 'File',
      name: '',
      description: fileDescription,
      labels: [],
      multiple: false,
      attrSyntax: false,
      open: false,
      driverConfig: false,
      requiredAttributes: [],
    },
    () => EMPTY_ATTRS,
    () => blocks,
  );
  roots.set(minor, root);
  return root;
}

/** The nested block `name` of `schema`, or undefined when the schema has no such block. */
export function childBlock(schema: BlockSchema, name: string): BlockSchema | undefined {
  const found = schema.blocks.get(name);
  if (found) return found;
  if (schema.open) return openBlock(name);
  return undefined;
}

/** The attribute `name` of `schema`; free-form blocks answer with a synthetic attribute. */
export function attribute(schema: BlockSchema, name: string): AttributeSchema | undefined {
  const found = schema.attributes.get(name);
  if (found) return found;
  if (schema.freeform) return { name, type: schema.freeform, description: schema.description, required: false };
  return undefined;
}

const openCache = new Map<string, BlockSchema>();
function openBlock(name: string): BlockSchema {
  let b = openCache.get(name);
  if (!b) {
    b = specBlock(
      'Open',
      name,
      { description: 'Free-form block.', open: true, freeform: 'any', multiple: true },
      undefined,
    );
    openCache.set(name, b);
  }
  return b;
}

const driverCache = new Map<string, BlockSchema>();

/** Known task drivers (those with a config schema). */
export function knownDrivers(): readonly string[] {
  return Object.keys(driverConfigs);
}

/**
 * Schema of a task's `config` block for `driver`. Unknown drivers get an open schema that
 * accepts anything (`open: true`).
 */
export function driverConfigSchema(driver: string): BlockSchema {
  const cached = driverCache.get(driver);
  if (cached) return cached;
  const spec = driverConfigs[driver];
  const id = `driver:${driver}`;
  const schema = spec
    ? specBlock(id, 'config', spec, undefined, true)
    : specBlock(
        id,
        'config',
        {
          description: `Configuration of the ${driver} driver (no schema known; anything is accepted).`,
          open: true,
          freeform: 'any',
        },
        undefined,
      );
  const b = schema as Block;
  b.driverConfig = true;
  driverCache.set(driver, schema);
  return schema;
}

/** HCL2 functions callable in job files. */
export function functions(): readonly FunctionSchema[] {
  return jobspecFunctions;
}

const functionByName = new Map(jobspecFunctions.map(f => [f.name, f]));
export function functionSchema(name: string): FunctionSchema | undefined {
  return functionByName.get(name);
}

/** All generated type ids (Go type names) plus their raw data. */
export function generatedTypeIds(): readonly string[] {
  return Object.keys(gen().types);
}

// ---- other Nomad HCL files ------------------------------------------------------------------------

let agentRoot: BlockSchema | undefined;
/** Schema of a Nomad agent configuration file (server, client, ports, tls, …). */
export function agentSchema(): BlockSchema {
  return (agentRoot ??= specBlock('Agent', '', agentConfig, undefined));
}

const volumeRoots = new Map<string, BlockSchema>();
/** Schema of a volume specification file: `csi` (the default) or dynamic `host` volumes. */
export function volumeSpecSchema(kind: 'csi' | 'host' = 'csi'): BlockSchema {
  let s = volumeRoots.get(kind);
  if (!s) {
    s = specBlock(
      kind === 'csi' ? 'CSIVolumeSpec' : 'HostVolumeSpec',
      '',
      kind === 'csi' ? csiVolumeSpec : hostVolumeSpec,
      undefined,
    );
    volumeRoots.set(kind, s);
  }
  return s;
}

let aclRoot: BlockSchema | undefined;
/** Schema of an ACL policy document. */
export function aclPolicySchema(): BlockSchema {
  return (aclRoot ??= specBlock('ACLPolicy', '', aclPolicy, undefined));
}

let namespaceRoot: BlockSchema | undefined;
/** `nomad namespace apply` files. */
export function namespaceSpecSchema(): BlockSchema {
  return (namespaceRoot ??= schemaFromSpec('NamespaceSpec', '', namespaceSpec));
}

let nodePoolRoot: BlockSchema | undefined;
let quotaRoot: BlockSchema | undefined;
let variableRoot: BlockSchema | undefined;
/** `nomad node pool apply` files. */
export function nodePoolSpecSchema(): BlockSchema {
  return (nodePoolRoot ??= schemaFromSpec('NodePoolSpec', '', nodePoolSpec));
}
/** `nomad quota apply` files. */
export function quotaSpecSchema(): BlockSchema {
  return (quotaRoot ??= schemaFromSpec('QuotaSpec', '', quotaSpec));
}
/** `nomad var put @file` files. */
export function variableSpecSchema(): BlockSchema {
  return (variableRoot ??= schemaFromSpec('VariableSpec', '', variableSpec));
}

// ---- "did you mean" ---------------------------------------------------------------------------

/**
 * Optimal-string-alignment (restricted Damerau-Levenshtein) distance, giving up (returning
 * max + 1) as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/**
 * The candidate closest to `name` (case-insensitive), if it is close enough to be a likely
 * typo: at most 1 edit for short names, 2 for names of 5+ characters, 3 for 10+.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const max = lower.length >= 10 ? 3 : lower.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestDist = max + 1;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase(), Math.min(max, bestDist));
    if (d < bestDist || (d === bestDist && best !== undefined && c < best && d <= max)) {
      if (d <= max) {
        best = c;
        bestDist = d;
      }
    }
  }
  return best;
}
