// Version boundaries, for every member of the jobspec that came or went after 1.6.5 (the list is built from
// the generated schema, not written by hand: ./boundaries.ts): a job using it gets an error naming the
// release at the release just before its first one, and none at that first release; a removed member, an
// error at the release that dropped it and none at its last release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeBoundary, versionBoundaries } from './boundaries';

void test('every addition after 1.6.5: an error at the release before it, none at its first release; every removal: the other way round; likewise a second block where one was allowed', t => {
  const { boundaries, unreachable } = versionBoundaries();
  assert.deepEqual(unreachable, [], 'every changed member can be written in a job');
  const added = boundaries.filter(b => b.kind === 'added');
  const removed = boundaries.filter(b => b.kind === 'removed');
  const repeatable = boundaries.filter(b => b.kind === 'repeatable');
  assert.ok(
    repeatable.some(b => b.member === 'Task.identity' && b.named === '1.7.0'),
    'several identity blocks from 1.7.0',
  );
  // the schema knows these at least (tools/schema-gen read every release tag 1.6.5 … 2.0.5)
  assert.ok(added.length >= 80, `${added.length} additions`);
  assert.ok(removed.length >= 2, `${removed.length} removals`);
  const problems = boundaries.flatMap(judgeBoundary);
  assert.deepEqual(problems, []);
  t.diagnostic(
    `${boundaries.length} version boundaries checked: ${added.length} additions after 1.6.5 (error at the release before, none at the first), ${removed.length} removals (none at the last release, error at the next), ${repeatable.length} blocks that became repeatable (a second one refused before)`,
  );
});
