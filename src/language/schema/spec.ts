// The one vocabulary of hand-written schema data (agent configuration, volume and namespace
// specifications, ACL policies, node pool / quota / Variable specifications, driver configs and the
// agent's plugin blocks): BlockSpec / AttrSpec (./types.ts), with the releases that have each member
// (`since`, `until`), written with these helpers. One loader, specBlock in ./index.ts, turns them into
// BlockSchema. Pure data: no `vscode` import.
import type { AttrSpec, AttrType, BlockSpec } from './types';

/** An argument of `type`. `extra`: required, enum, default, since / until … */
export const attr = (type: AttrType, description: string, extra: Partial<AttrSpec> = {}): AttrSpec => ({
  type,
  description,
  ...extra,
});
export const str = (description: string, extra: Partial<AttrSpec> = {}): AttrSpec => attr('string', description, extra);
export const num = (description: string, extra: Partial<AttrSpec> = {}): AttrSpec => attr('number', description, extra);
export const bool = (description: string, extra: Partial<AttrSpec> = {}): AttrSpec => attr('bool', description, extra);
export const dur = (description: string, extra: Partial<AttrSpec> = {}): AttrSpec =>
  attr('duration', description, extra);
export const list = (description: string, extra: Partial<AttrSpec> = {}): AttrSpec =>
  attr('list(string)', description, extra);

/** A `key = "value"` block, also written `name = { … }`. `extra`: multiple, another freeform type … */
export const kv = (description: string, extra: Partial<BlockSpec> = {}): BlockSpec => ({
  description,
  freeform: 'string',
  attrSyntax: true,
  ...extra,
});

/** A nested block written `name { … }` or `name = { … }`. */
export const block = (spec: BlockSpec): BlockSpec => ({ attrSyntax: true, ...spec });
