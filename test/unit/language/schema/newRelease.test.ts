// A member of a new Nomad release needs nothing but the generated data file (jobspec.generated.json,
// written by tools/schema-gen): a copy of the shipped data with one more release and one more task
// argument is put in use, and the argument is then checked (its type), offered by completion and
// gated by version (an older target is told which release has it), with no other file changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../../../src/language/check';
import { completeAt } from '../../../../src/language/features/completion';
import { parse } from '../../../../src/language/hcl';
import {
  generatedSchema, newestRelease, rootSchema, targetInfo, useGeneratedSchema, type GeneratedSchema, type TargetVersion,
} from '../../../../src/language/schema';
import { atCursor, labels, CURSOR as C } from '../../support';

const FAKE = 'fake_future_field';
const job = (line: string): string => `job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n      config { command = "x" }\n      ${line}\n    }\n  }\n}\n`;

/** The shipped data plus release 9.0.0, in which Task gains `fake_future_field` (a string). */
function nextRelease(): GeneratedSchema {
  const copy = structuredClone(generatedSchema());
  copy.releases.push({ version: '9.0.0', minor: '9.0' });
  copy.types['Task']!.attributes.push({ name: FAKE, type: 'string', since: '9.0.0' });
  return copy;
}

const at = (version: string): TargetVersion => ({ version, source: 'setting' });
const findings = (src: string, version: string) => checkFile(parse(src), { targetVersion: at(version) }).filter(d => d.message.includes(FAKE) || d.code === 'type-mismatch');
const offered = (version: string): string[] => {
  const { file, offset } = atCursor(job(C));
  return labels(completeAt(file, offset, rootSchema(version), {}).items);
};

test('a new release\'s argument needs only the data file: checked, completed and version-gated', () => {
  const shipped = newestRelease().version;
  // before: no release has it, so it is an unknown argument everywhere
  assert.ok(findings(job(`${FAKE} = "x"`), shipped).some(d => d.code === 'unknown-attribute'));
  assert.ok(!offered(shipped).includes(FAKE));

  const restore = useGeneratedSchema(nextRelease());
  try {
    assert.equal(newestRelease().version, '9.0.0');
    assert.equal(targetInfo(null, null).version, '9.0.0', 'the default target is the new newest release');
    // checked: accepted as a string at 9.0.0, a list is a type mismatch
    assert.deepEqual(findings(job(`${FAKE} = "x"`), '9.0.0'), []);
    const wrong = findings(job(`${FAKE} = ["x"]`), '9.0.0');
    assert.equal(wrong.length, 1);
    assert.equal(wrong[0]!.code, 'type-mismatch');
    // completed: offered to a 9.0.0 target, not to an older one
    assert.ok(offered('9.0.0').includes(FAKE));
    assert.ok(!offered(shipped).includes(FAKE));
    // version-gated: an older target is told which release has it
    const old = findings(job(`${FAKE} = "x"`), shipped);
    assert.equal(old.length, 1);
    assert.equal(old[0]!.code, 'needs-newer-nomad');
    assert.equal(old[0]!.message, `\`${FAKE}\` in \`task\` needs Nomad 9.0.0 or later; nomad.targetVersion is ${shipped}.`);
  } finally {
    restore();
  }
  // after: the shipped data is back
  assert.equal(newestRelease().version, shipped);
  assert.ok(findings(job(`${FAKE} = "x"`), shipped).some(d => d.code === 'unknown-attribute'));
});
