/**
 * Tree item ids and cache keys built from cluster names. A name may hold any character (a group `x:y`,
 * a job `coll:x`, a key `a/b`), so ids are never joined with a separator: `treeId('group', ns, job,
 * group)` is the kind and the JSON of the path array, an injective encoding (two different paths never
 * give the same id, whatever their names hold), and `parseTreeId` gives the path back. Pure: no `vscode`.
 */
export type TreeId = string & { readonly __treeId: unique symbol };

export function treeId(kind: string, ...path: readonly (string | number)[]): TreeId {
  return `${kind}${JSON.stringify(path.map(String))}` as TreeId;
}

/** The kind and the path of an id made by `treeId`, or undefined for anything else. */
export function parseTreeId(id: string): { kind: string; path: string[] } | undefined {
  const at = id.indexOf('[');
  if (at <= 0) return undefined;
  try {
    const path = JSON.parse(id.slice(at)) as unknown;
    if (!Array.isArray(path) || !path.every(p => typeof p === 'string')) return undefined;
    return { kind: id.slice(0, at), path: path as string[] };
  } catch {
    return undefined;
  }
}
