// bench/versions: the version boundaries of the jobspec, as a figure.
//   npm run bench:versions
// For every member that came after 1.6.5 (or went away), a job using it is judged at the release just
// before its first one (or at the release that dropped it) and at its first (or last) release, with the
// schema read at every release tag. Anchor, measured in the same run with the same checker: a schema that
// knows one release per minor (the latest patch, as the generator read it before) judges a target by that
// release, so it is asked about the refusing release's minor as its latest patch has it.
import { schemaReleases } from '../../src/language/schema';
import { judgeBoundary, namingError, versionBoundaries } from '../../test/unit/language/check/boundaries';

const minorOf = (v: string): string => v.split('.').slice(0, 2).join('.');
const latestPatch = (v: string): string =>
  schemaReleases()
    .filter(r => r.minor === minorOf(v))
    .pop()!.version;

const { boundaries, unreachable } = versionBoundaries();
const rows: string[][] = [['member', 'change', 'refused at', 'accepted at', 'every release', 'one per minor']];
let ok = 0,
  perMinorOk = 0;
for (const b of boundaries) {
  const good = judgeBoundary(b).length === 0;
  // the per-minor schema sees the refusing release as the latest patch of its minor
  const perMinor = namingError(b, latestPatch(b.refusedAt)) !== undefined;
  if (good) ok++;
  if (perMinor) perMinorOk++;
  rows.push([
    b.member,
    `${b.kind} ${b.named}`,
    b.refusedAt,
    b.acceptedAt,
    good ? 'right' : 'WRONG',
    perMinor ? 'right' : 'misses it',
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
const added = boundaries.filter(b => b.kind === 'added');
const patch = added.filter(b => !b.named.endsWith('.0'));
console.log('');
const removed = boundaries.filter(b => b.kind === 'removed').length;
console.log(
  `${boundaries.length} boundaries (${added.length} additions after 1.6.5, ${removed} removals, ${boundaries.length - added.length - removed} blocks made repeatable), ${schemaReleases().length} releases read`,
);
console.log(`  every release: ${ok} of ${boundaries.length} right`);
console.log(
  `  one release per minor (anchor): ${perMinorOk} of ${boundaries.length} right; ${patch.length} additions arrived in a patch release`,
);
if (unreachable.length) console.log(`  not writable in a job: ${unreachable.join(', ')}`);
