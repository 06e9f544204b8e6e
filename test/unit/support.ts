// Shared by the unit tests: where the repository and the shared corpus are, and a seeded PRNG.
import fs from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file with a package.json (works from out/ too). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found above ' + from);
    dir = up;
  }
  return dir;
}

/** mulberry32: a small deterministic PRNG in [0, 1), so seeded runs are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
