// The target version wins over everything else, for every deprecation of the jobspec and every release
// read (43, 1.6.5 … 2.0.5): a member the target lacks is an error naming the release and never only a
// deprecation; a deprecation is reported only to targets from the release that deprecated it; no quick fix
// (nor "fix all deprecations") turns a job into one the target refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText } from '../../../../src/language';
import { fixAllDeprecations, quickFix, applyTextEdits } from '../../../../src/language/features/codeActions';
import {
  allDeprecations,
  compareVersions,
  generatedSchema,
  memberRange,
  schemaReleases,
  type TargetVersion,
} from '../../../../src/language/schema';
import { deprecationCode } from '../../../../src/language/check/report';
import type { FixData } from '../../../../src/language/check';
import { jobUsing } from './boundaries';

const cluster = (version: string): TargetVersion => ({ version, source: 'cluster' });
const diagnostics = (text: string, version: string): Diagnostic[] =>
  analyzeText(text, { targetVersion: cluster(version) }).diagnostics;
const errorCount = (text: string, version: string): number =>
  diagnostics(text, version).filter(d => d.severity === 1).length;

/** Deprecations of generated jobspec members (Owner.name with a generated owner), with the member's range. */
function generatedDeprecations() {
  const types = generatedSchema().types;
  return allDeprecations().flatMap(dep => {
    const dot = dep.path.lastIndexOf('.');
    const owner = dep.path.slice(0, dot),
      name = dep.path.slice(dot + 1);
    const range = types[owner] ? memberRange(owner, name) : undefined;
    return range ? [{ dep, owner, name, range }] : [];
  });
}

test("prevent_reschedule_on_lost (the issue's case): 1.6.5 and 1.7.1 refuse it, named; 1.7.2 … 1.7.7 take it quietly; 1.8.0 on: deprecated", () => {
  const job = jobUsing('TaskGroup', 'prevent_reschedule_on_lost', '2.0.5')!;
  for (const v of ['1.6.5', '1.6.10', '1.7.1']) {
    const d = diagnostics(job.text, v).filter(x => x.range.start.line === job.line);
    assert.deepEqual(
      d.map(x => [x.severity, x.message]),
      [[1, `\`prevent_reschedule_on_lost\` in \`group\` needs Nomad 1.7.2 or later; this cluster runs ${v}.`]],
      v,
    );
  }
  for (const v of ['1.7.2', '1.7.7'])
    assert.deepEqual(
      diagnostics(job.text, v).filter(x => x.range.start.line === job.line),
      [],
      v,
    );
  for (const v of ['1.8.0', '2.0.5']) {
    assert.deepEqual(
      diagnostics(job.text, v)
        .filter(x => x.range.start.line === job.line)
        .map(x => x.code),
      ['prevent-reschedule-on-lost-deprecated'],
      v,
    );
  }
});

test('every deprecation at every release: a version error where the release lacks the member, the deprecation only from its release on', t => {
  const deps = generatedDeprecations();
  assert.ok(deps.length >= 10, `${deps.length} deprecations of generated members`);
  const problems: string[] = [];
  let judged = 0;
  for (const { dep, owner, name, range } of deps) {
    // written as the newest release that has the member writes it
    const has = schemaReleases().filter(
      r =>
        (range.since === undefined || compareVersions(r.version, range.since) >= 0) &&
        (range.until === undefined || compareVersions(r.version, range.until) < 0),
    );
    const job = jobUsing(owner, name, has[has.length - 1]!.version);
    if (!job) {
      problems.push(`${dep.path}: no job can use it`);
      continue;
    }
    const code = deprecationCode(dep);
    for (const r of schemaReleases()) {
      judged++;
      const here = diagnostics(job.text, r.version).filter(d => d.range.start.line === job.line);
      const lacks = !has.includes(r);
      const deprecated =
        !lacks && !dep.removed && (dep.since ?? range.deprecatedSince) !== undefined
          ? compareVersions(r.version, (dep.since ?? range.deprecatedSince)!) >= 0
          : !lacks && !dep.removed;
      const versionError = here.find(
        d =>
          d.severity === 1 && /needs Nomad \d+\.\d+\.\d+ or later|was removed in Nomad \d+\.\d+\.\d+/.test(d.message),
      );
      const deprecation = here.find(d => d.code === code && d.severity !== 1);
      if (lacks && !versionError)
        problems.push(
          `${dep.path} at ${r.version}: the release lacks it but no error names a release (${here.map(d => d.message).join(' | ')})`,
        );
      if (lacks && deprecation)
        problems.push(`${dep.path} at ${r.version}: a deprecation for a member the release lacks`);
      if (!lacks && versionError)
        problems.push(`${dep.path} at ${r.version}: a version error for a member the release has`);
      if (deprecated !== (deprecation !== undefined))
        problems.push(`${dep.path} at ${r.version}: deprecation ${deprecation ? 'reported' : 'missing'}`);
    }
  }
  assert.deepEqual(problems, []);
  t.diagnostic(`${deps.length} deprecations × ${schemaReleases().length} releases = ${judged} verdicts`);
});

test('no quick fix and no "fix all" gives a job the target refuses, at every release', () => {
  const problems: string[] = [];
  let fixes = 0;
  for (const { dep, owner, name, range } of generatedDeprecations()) {
    const newest = schemaReleases()
      .filter(r => range.until === undefined || compareVersions(r.version, range.until) < 0)
      .pop()!;
    const job = jobUsing(owner, name, newest.version);
    if (!job) continue;
    for (const r of schemaReleases()) {
      const before = errorCount(job.text, r.version);
      const all = fixAllDeprecations(job.text, { targetVersion: cluster(r.version) });
      if (all.applied > 0 && errorCount(all.text, r.version) > before)
        problems.push(`fix all, ${dep.path} at ${r.version}`);
      for (const d of diagnostics(job.text, r.version)) {
        const data = d.data as FixData | undefined;
        if (!data) continue;
        const fix = quickFix(job.text, data, { targetVersion: cluster(r.version) });
        if (!fix) continue;
        fixes++;
        if (errorCount(applyTextEdits(job.text, fix.edits), r.version) > before)
          problems.push(`${fix.title}: ${dep.path} at ${r.version}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(fixes > 100, `${fixes} fixes judged`);
});

test('the disconnect migration is not offered to a target without the disconnect block, even when asked for directly', () => {
  const job = jobUsing('TaskGroup', 'max_client_disconnect', '1.6.5')!;
  const at = job.text.indexOf('max_client_disconnect');
  const data: FixData = { fix: 'disconnect-lost-after', at, deprecation: true };
  for (const v of ['1.6.5', '1.7.7'])
    assert.equal(quickFix(job.text, data, { targetVersion: cluster(v) }), undefined, v);
  const fix = quickFix(job.text, data, { targetVersion: cluster('1.8.0') });
  assert.ok(fix, '1.8.0 has the disconnect block');
  assert.match(applyTextEdits(job.text, fix.edits), /disconnect \{\n\s+lost_after = "1h"\n\s+\}/);
  // fix all at 1.6.5: nothing to fix (no deprecation there), the text stays
  assert.deepEqual(fixAllDeprecations(job.text, { targetVersion: cluster('1.6.5') }).applied, 0);
});
