// The data read from Nomad's api structs at every release tag (jobspec.generated.json, made by
// tools/schema-gen): its shape, and the one place that holds it. The schema of job files
// (./index.ts) and the version gate (./versions.ts) read it through generated(); nothing else imports
// the JSON. Adding a member of a new release touches that file only. Pure: no `vscode` import.
import data from './jobspec.generated.json';
import type { SchemaRelease, VersionChange, VersionRange } from './types';

/** since / until / deprecatedSince of a member, and how it looked in older releases (see VersionChange) */
export interface GeneratedVersioned extends VersionRange {
  changes?: VersionChange[];
}
export interface GeneratedAttribute extends GeneratedVersioned {
  name: string;
  type: string;
  goField?: string;
  apiField?: string;
  required?: boolean;
  alias?: string;
  note?: string;
}
export interface GeneratedBlockRef extends GeneratedVersioned {
  name: string;
  type: string;
  labels: string[];
  multiple: boolean;
  goField?: string;
  apiField?: string;
  attrSyntax?: boolean;
  requiredAttrs?: string[];
  note?: string;
}
export interface GeneratedType {
  goType?: string;
  labels?: { name: string; goField: string; apiField?: string }[];
  attributes: GeneratedAttribute[];
  blocks: GeneratedBlockRef[];
  freeform?: string;
  driverConfig?: boolean;
  since?: string;
  until?: string;
}
export interface GeneratedRelease extends SchemaRelease {
  tag?: string;
  commit?: string;
}
export interface GeneratedSchema {
  module: string;
  releases: GeneratedRelease[];
  root: string;
  types: Record<string, GeneratedType>;
}

const shipped = data as unknown as GeneratedSchema;
let current: GeneratedSchema = shipped;
let epoch = 0;

/** The generated data in use: every member of every release read, with its range. */
export function generated(): GeneratedSchema {
  return current;
}

/** Changes whenever the data in use is replaced: schemas built from older data are dropped then. */
export function generatedEpoch(): number {
  return epoch;
}

/** The raw generated data (for tests and tooling). */
export function generatedSchema(): GeneratedSchema {
  return current;
}

/**
 * Uses `data` (a changed copy of the generated file, as the next release's generator run would write it)
 * instead of the shipped file until the returned function is called. For tests that prove a new
 * release's member needs nothing but the data file; the language server never calls it.
 */
export function useGeneratedSchema(replacement: GeneratedSchema): () => void {
  current = replacement;
  epoch++;
  return () => {
    current = shipped;
    epoch++;
  };
}
