// Decoder: our Job JSON deep-equals what a real Nomad v1.6.5 returns from /v1/jobs/parse with
// Canonicalize false (fixtures in test/fixtures/nomad/parse, see its README). Documented differences: none
// for these jobs. Not decoded (left to Nomad): `dynamic` blocks, functions outside the evaluated subset,
// and task `identity` blocks of newer Nomad versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../../../src/language/hcl';
import { decodeJob, rangeForDiffPath, type Value } from '../../../../src/language/decode/decoder';
import { read, root } from '../../support';

const dir = path.join(root, 'test', 'fixtures', 'nomad', 'parse');

function parseVars(s: string | null): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const line of (s ?? '').split('\n')) {
    const m = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = JSON.parse(m[2]!) as Value;
  }
  return out;
}

const fixtures = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.json'))
      .sort()
  : [];

test('there are captured parse fixtures', () => {
  assert.ok(fixtures.length >= 5, `fixtures in ${dir}`);
});

for (const name of fixtures) {
  test(`decoder matches /v1/jobs/parse: ${name}`, () => {
    const fx = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as {
      jobFile: string;
      variables: string | null;
      response: unknown;
    };
    const file = parse(read(fx.jobFile));
    const decoded = decodeJob(file, { variables: parseVars(fx.variables) });
    assert.deepEqual(decoded.job, fx.response);
  });
}

test('source map and plan-diff paths', () => {
  const text = read('test/fixtures/nomad/parse/rich.nomad');
  const file = parse(text);
  const d = decodeJob(file);
  const line = (r: { start: number } | undefined): number => text.slice(0, r!.start).split('\n').length;
  const lineOf = (s: string): number => text.split('\n').findIndex(l => l.includes(s)) + 1;
  assert.equal(line(d.sourceMap.get('TaskGroups[0].Tasks[0].Config.image')), lineOf('image = local.full_image'));
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'task', name: 'nginx' },
        { kind: 'object', name: 'Config' },
        { kind: 'field', name: 'image' },
      ]),
    ),
    lineOf('image = local.full_image'),
  );
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'field', name: 'Count' },
      ]),
    ),
    lineOf('count = var.replicas'),
  );
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'task', name: 'nginx' },
        { kind: 'field', name: 'Env[TEAM]' },
      ]),
    ),
    lineOf('TEAM      ='),
  );
  assert.equal(line(rangeForDiffPath(file, d, [{ kind: 'field', name: 'Meta[owner]' }])), lineOf('owner = "ops"'));
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'task', name: 'nginx' },
        { kind: 'object', name: 'Template' },
        { kind: 'field', name: 'ChangeSignal' },
      ]),
    ),
    lineOf('change_signal'),
  );
  // unknown field: the enclosing block
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'task', name: 'nginx' },
        { kind: 'field', name: 'Nope' },
      ]),
    ),
    lineOf('task "nginx"'),
  );
  assert.equal(
    line(
      rangeForDiffPath(file, d, [
        { kind: 'group', name: 'web' },
        { kind: 'object', name: 'Update' },
        { kind: 'field', name: 'AutoRevert' },
      ]),
    ),
    lineOf('auto_revert'),
  );
});

test('evaluation: functions, locals in any order, runtime interpolations stay literal', () => {
  const d = decodeJob(parse(read('test/fixtures/nomad/parse/rich.nomad')), { variables: { image: 'caddy' } });
  const task = (
    (d.job!.TaskGroups as Value[])[0] as { Tasks: { Config: Record<string, Value>; Env: Record<string, string> }[] }
  ).Tasks[0]!;
  assert.equal(task.Config.image, 'caddy:1.25');
  assert.equal(task.Env.PORT, '${NOMAD_PORT_http}');
  assert.equal(task.Env.TIER, 'FRONT');
});

test('job-level tasks become groups; no job block gives null', () => {
  const d = decodeJob(
    parse(
      'job "j" {\n  task "lone" {\n    driver = "exec"\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
    ),
  );
  assert.deepEqual(
    (d.job!.TaskGroups as { Name: string }[]).map(g => g.Name),
    ['lone', 'g'],
  );
  assert.equal(decodeJob(parse('x = 1\n')).job, null);
});
