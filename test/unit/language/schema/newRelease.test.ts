// A member of a new Nomad release needs nothing but its data file. Job files: the generated data
// (jobspec.generated.json, written by tools/schema-gen): a copy of the shipped data with one more release
// and one more task argument is put in use, and the argument is then checked (its type), offered by
// completion and gated by version (an older target is told which release has it). Hand-written kinds:
// their BlockSpec (here a copy of the node pool specification with an argument of a later release),
// which the one loader, the kinds checker and completion take as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../../../src/language/check';
import { completeAt } from '../../../../src/language/features/completion';
import { parse } from '../../../../src/language/hcl';
import {
  generatedSchema,
  newestRelease,
  rootSchema,
  targetInfo,
  useGeneratedSchema,
  type GeneratedSchema,
  type TargetVersion,
} from '../../../../src/language/schema';
import { nodePoolSpec } from '../../../../src/language/schema/specs';
import { schemaFromSpec, type BlockSpec } from '../../../../src/language/schema';
import { childrenOf, KindChecker, KindContext } from '../../../../src/language/kinds/check';
import { nodePoolProfile } from '../../../../src/language/kinds/nodepool';
import { atCursor, labels, CURSOR as C } from '../../support';

const FAKE = 'fake_future_field';
const job = (line: string): string =>
  `job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n      config { command = "x" }\n      ${line}\n    }\n  }\n}\n`;

/** The shipped data plus release 9.0.0, in which Task gains `fake_future_field` (a string). */
function nextRelease(): GeneratedSchema {
  const copy = structuredClone(generatedSchema());
  copy.releases.push({ version: '9.0.0', minor: '9.0' });
  copy.types['Task']!.attributes.push({ name: FAKE, type: 'string', since: '9.0.0' });
  return copy;
}

const at = (version: string): TargetVersion => ({ version, source: 'setting' });
const findings = (src: string, version: string) =>
  checkFile(parse(src), { targetVersion: at(version) }).filter(
    d => d.message.includes(FAKE) || d.code === 'type-mismatch',
  );
const offered = (version: string): string[] => {
  const { file, offset } = atCursor(job(C));
  return labels(completeAt(file, offset, rootSchema(version), {}).items);
};

test("a new release's argument needs only the data file: checked, completed and version-gated", () => {
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
    assert.equal(
      old[0]!.message,
      `\`${FAKE}\` in \`task\` needs Nomad 9.0.0 or later; nomad.targetVersion is ${shipped}.`,
    );
  } finally {
    restore();
  }
  // after: the shipped data is back
  assert.equal(newestRelease().version, shipped);
  assert.ok(findings(job(`${FAKE} = "x"`), shipped).some(d => d.code === 'unknown-attribute'));
});

test("a hand-written kind's new argument needs only its spec: checked, completed and version-gated", () => {
  const copy = structuredClone(nodePoolSpec) as BlockSpec;
  copy.blocks!['node_pool']!.attributes![FAKE] = { type: 'number', description: 'A future argument.', since: '9.0' };
  const schema = schemaFromSpec('NodePoolSpec', '', copy);
  const pool = (line: string): string => `node_pool "p" {\n  ${line}\n}\n`;
  const check = (src: string, version: string) => {
    const file = parse(src);
    const ctx = new KindContext(file, at(version));
    new KindChecker(ctx, nodePoolProfile).checkChildren(childrenOf(file.body.items), schema);
    return ctx.out;
  };
  assert.deepEqual(check(pool(`${FAKE} = 3`), '9.0.0'), []);
  const wrong = check(pool(`${FAKE} = [1]`), '9.0.0');
  assert.equal(wrong.length, 1);
  assert.equal(wrong[0]!.code, 'type-mismatch');
  const old = check(pool(`${FAKE} = 3`), '2.0.5');
  assert.equal(old.length, 1);
  assert.equal(old[0]!.code, 'needs-newer-nomad');
  assert.equal(old[0]!.message, `\`${FAKE}\` in \`node_pool\` needs Nomad 9.0 or later; nomad.targetVersion is 2.0.5.`);
  const { file, offset } = atCursor(pool(C));
  assert.ok(labels(completeAt(file, offset, schema, {}).items).includes(FAKE));
  // the shipped spec is untouched: there the name is unknown
  const shipped = parse(pool(`${FAKE} = 3`));
  const ctx = new KindContext(shipped, at('9.0.0'));
  new KindChecker(ctx, nodePoolProfile).checkChildren(
    childrenOf(shipped.body.items),
    schemaFromSpec('NodePoolSpec', '', nodePoolSpec),
  );
  assert.equal(ctx.out.length, 1);
  assert.equal(ctx.out[0]!.code, 'unknown-key');
});
