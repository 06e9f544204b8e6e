// The jobspec schema used by diagnostics, completion and hover.
// Merges the data generated from Nomad's api structs (jobspec.generated.json, made by
// tools/schema-gen) with our descriptions, value facts, deprecations and driver configs.
// Pure TypeScript: no `vscode` import.
import data from './jobspec.generated.json';
import { attributeFacts, descriptions } from './descriptions';
import { deprecations } from './deprecations';
import { driverConfigs } from './drivers';
import { jobspecFunctions } from './functions';
import { aclPolicy, agentConfig, csiVolumeSpec, hostVolumeSpec } from './agent';
import { fileDescription, jobBlockDescription, localsBlock, variableBlock, variablesBlock } from './toplevel';
import type {
  AttrSpec, AttributeSchema, AttrType, BlockSchema, BlockSpec, Deprecation, FunctionSchema, ValueFacts,
} from './types';

export type {
  AttrType, AttributeSchema, BlockSchema, BlockSpec, AttrSpec, Deprecation, FunctionSchema, FunctionParam, Severity,
} from './types';

// ---- shape of the generated file ---------------------------------------------------------------

export interface GeneratedAttribute {
  name: string; type: string; goField?: string; apiField?: string; required?: boolean; alias?: string; note?: string;
}
export interface GeneratedBlockRef {
  name: string; type: string; labels: string[]; multiple: boolean; goField?: string; apiField?: string;
  attrSyntax?: boolean; requiredAttrs?: string[]; note?: string;
}
export interface GeneratedType {
  goType?: string; labels?: { name: string; goField: string; apiField?: string }[];
  attributes: GeneratedAttribute[]; blocks: GeneratedBlockRef[]; freeform?: string; driverConfig?: boolean;
}
export interface GeneratedSchema {
  module: string; version: string; root: string; types: Record<string, GeneratedType>;
}

const generated = data as unknown as GeneratedSchema;

/** The raw generated data (for tests and tooling). */
export function generatedSchema(): GeneratedSchema {
  return generated;
}

// ---- descriptions, facts and deprecations -----------------------------------------------------

const deprecationByPath = new Map<string, Deprecation>(deprecations.map((d) => [d.path, d]));

export function allDeprecations(): readonly Deprecation[] {
  return deprecations;
}

/** Deprecation of `name` inside the block type `ownerId`, if any (works for removed names too). */
export function deprecationFor(ownerId: string, name: string): Deprecation | undefined {
  return deprecationByPath.get(`${ownerId}.${name}`);
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
  }

  get attributes(): ReadonlyMap<string, AttributeSchema> {
    return (this.attrs ??= this.makeAttrs());
  }

  get blocks(): ReadonlyMap<string, BlockSchema> {
    return (this.children ??= this.makeChildren());
  }
}

const blockCache = new Map<string, BlockSchema>();

function generatedAttributes(typeId: string): ReadonlyMap<string, AttributeSchema> {
  const t = generated.types[typeId];
  if (!t || t.attributes.length === 0) return EMPTY_ATTRS;
  const out = new Map<string, AttributeSchema>();
  for (const a of t.attributes) {
    const attr: AttributeSchema = {
      name: a.name,
      type: a.type as AttrType,
      description: describe(typeId, a.name) ?? '',
      required: a.required === true,
    };
    if (a.goField) attr.goField = a.goField;
    if (a.apiField) attr.apiField = a.apiField;
    if (a.alias) attr.alias = a.alias;
    applyFacts(attr, factsFor(typeId, a.name));
    const dep = deprecationFor(typeId, a.name);
    if (dep) attr.deprecation = dep;
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

/** The schema of a nested block `ref` found inside generated type `ownerId`. */
function generatedBlock(ownerId: string, ref: GeneratedBlockRef): BlockSchema {
  const key = `${ownerId}>${ref.name}`;
  const cached = blockCache.get(key);
  if (cached) return cached;
  const t = generated.types[ref.type];
  const typeId = ref.type;
  const freeform = t?.freeform as AttrType | undefined;
  const open = freeform === 'any';
  const init: Omit<BlockSchema, 'attributes' | 'blocks'> = {
    id: typeId,
    name: ref.name,
    description: describe(ownerId, ref.name) ?? describe(typeId) ?? '',
    labels: ref.labels ?? [],
    multiple: ref.multiple,
    attrSyntax: ref.attrSyntax === true,
    open,
    driverConfig: t?.driverConfig === true,
    requiredAttributes: ref.requiredAttrs ?? [],
  };
  if (ref.apiField) init.apiField = ref.apiField;
  if (freeform) init.freeform = freeform;
  if (ref.note) init.note = ref.note;
  const dep = deprecationFor(ownerId, ref.name);
  if (dep) init.deprecation = dep;
  const block = new Block(init, () => generatedAttributes(typeId), () => generatedChildren(typeId));
  blockCache.set(key, block);
  return block;
}

function generatedChildren(typeId: string): ReadonlyMap<string, BlockSchema> {
  const out = new Map<string, BlockSchema>();
  for (const ref of generated.types[typeId]?.blocks ?? []) out.set(ref.name, generatedBlock(typeId, ref));
  return out;
}

/** Builds a BlockSchema from a hand-written BlockSpec (driver configs, top-level entities). */
function specBlock(id: string, name: string, spec: BlockSpec, depOwner: string | undefined, allAttrSyntax = false): BlockSchema {
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
  const dep = depOwner ? deprecationFor(depOwner, name) : undefined;
  if (dep) init.deprecation = dep;
  return new Block(
    init,
    () => {
      const out = new Map<string, AttributeSchema>();
      for (const [an, as] of Object.entries(spec.attributes ?? {})) {
        const attr: AttributeSchema = { name: an, type: as.type, description: as.description, required: as.required === true };
        applyFacts(attr, as);
        const d = deprecationFor(id, an);
        if (d) attr.deprecation = d;
        out.set(an, attr);
      }
      return out;
    },
    () => {
      const out = new Map<string, BlockSchema>();
      for (const [bn, bs] of Object.entries(spec.blocks ?? {})) out.set(bn, specBlock(`${id}.${bn}`, bn, bs, id, allAttrSyntax));
      return out;
    },
  );
}

// ---- public lookups ---------------------------------------------------------------------------

let root: BlockSchema | undefined;

/** Schema of a whole job file: `job`, `variable`, `variables` and `locals` blocks. */
export function rootSchema(): BlockSchema {
  if (root) return root;
  const job = generatedBlock('File', {
    name: 'job', type: generated.root, labels: ['name'], multiple: false, apiField: '',
    note: 'The label becomes the job ID and, unless name is set, its name.',
  });
  (job as Block).description = describe(generated.root) ?? jobBlockDescription;
  const blocks = new Map<string, BlockSchema>([
    ['job', job],
    ['variable', specBlock('Variable', 'variable', variableBlock, undefined)],
    ['variables', specBlock('Variables', 'variables', variablesBlock, undefined)],
    ['locals', specBlock('Locals', 'locals', localsBlock, undefined)],
  ]);
  root = new Block(
    { id: 'File', name: '', description: fileDescription, labels: [], multiple: false, attrSyntax: false, open: false, driverConfig: false, requiredAttributes: [] },
    () => EMPTY_ATTRS,
    () => blocks,
  );
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
    b = specBlock('Open', name, { description: 'Free-form block.', open: true, freeform: 'any', multiple: true }, undefined);
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
    : specBlock(id, 'config', { description: `Configuration of the ${driver} driver (no schema known; anything is accepted).`, open: true, freeform: 'any' }, undefined);
  const b = schema as Block;
  b.driverConfig = true;
  driverCache.set(driver, schema);
  return schema;
}

/** HCL2 functions callable in job files. */
export function functions(): readonly FunctionSchema[] {
  return jobspecFunctions;
}

const functionByName = new Map(jobspecFunctions.map((f) => [f.name, f]));
export function functionSchema(name: string): FunctionSchema | undefined {
  return functionByName.get(name);
}

/** All generated type ids (Go type names) plus their raw data. */
export function generatedTypeIds(): readonly string[] {
  return Object.keys(generated.types);
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
    s = specBlock(kind === 'csi' ? 'CSIVolumeSpec' : 'HostVolumeSpec', '', kind === 'csi' ? csiVolumeSpec : hostVolumeSpec, undefined);
    volumeRoots.set(kind, s);
  }
  return s;
}

let aclRoot: BlockSchema | undefined;
/** Schema of an ACL policy document. */
export function aclPolicySchema(): BlockSchema {
  return (aclRoot ??= specBlock('ACLPolicy', '', aclPolicy, undefined));
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
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
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
