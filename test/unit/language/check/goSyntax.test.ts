// Our reading of Go's RE2 syntax and of the version constraints (src/language/check/goSyntax.ts) against
// what Go itself answered (test/fixtures/nomad/go-syntax.json: regexp.Compile, go-version's and Nomad's
// semver NewConstraint, run with Go 1.21.13, the toolchain of Nomad 1.6.5): the same verdict on every
// value, and Go's own message. The values include what JavaScript's RegExp judges the other way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  goRegexpError,
  goVersionConstraintError,
  semverConstraintError,
} from '../../../../src/language/check/goSyntax';
import { root } from '../../support';

interface GoVerdict {
  kind: 'regexp' | 'version' | 'semver';
  value: string;
  error: string;
}
const fixture = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'nomad', 'go-syntax.json'), 'utf8')) as {
  go: string;
  verdicts: GoVerdict[];
};

const ours = (v: GoVerdict): string | undefined =>
  v.kind === 'regexp'
    ? goRegexpError(v.value)
    : v.kind === 'version'
      ? goVersionConstraintError(v.value)
      : semverConstraintError(v.value);

test('Go syntax: the verdict and the message of Go on every captured value', () => {
  assert.equal(fixture.go, 'go1.21.13');
  assert.ok(fixture.verdicts.length > 2000);
  const wrong = fixture.verdicts
    .filter(v => (ours(v) ?? '') !== v.error)
    .map(v => `${v.kind} ${JSON.stringify(v.value)}: Go "${v.error}", ours "${ours(v) ?? ''}"`);
  assert.deepEqual(wrong, []);
  for (const kind of ['regexp', 'version', 'semver'] as const) {
    const vs = fixture.verdicts.filter(v => v.kind === kind);
    assert.ok(vs.some(v => v.error) && vs.some(v => !v.error), `${kind}: both verdicts are represented`);
  }
});

test('Go syntax: where JavaScript and RE2 disagree, RE2 is followed', () => {
  const js = (re: string): boolean => {
    try {
      new RegExp(re);
      return true;
    } catch {
      return false;
    }
  };
  const byValue = new Map(fixture.verdicts.filter(v => v.kind === 'regexp').map(v => [v.value, v]));
  let disagreements = 0;
  for (const re of [
    '(?i)linux',
    '(?P<name>a)',
    '(?is-m:x)',
    '(?U)a+',
    '(?=a)',
    '(a)\\1',
    '(?<!a)b',
    'a{1001}',
    '\\pL',
    '[[:alpha:]]',
    '\\Qa.b\\E',
    'a**',
  ]) {
    const go = byValue.get(re);
    assert.ok(go, `${re} is in the fixture`);
    if (js(re) !== !go.error) disagreements++;
    assert.equal(goRegexpError(re) ?? '', go.error, re);
  }
  assert.ok(disagreements >= 8, `${disagreements} of the listed expressions are judged differently by JavaScript`);
  // Go 1.22 and later (Nomad 1.8 and later) also read (?<name>…)
  assert.ok(goRegexpError('(?<n>a)'));
  assert.equal(goRegexpError('(?<n>a)', { angleNames: true }), undefined);
});
