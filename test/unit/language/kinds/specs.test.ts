// Node pool, quota and Nomad Variable specifications: detection, diagnostics, versions, completion and
// hover. The valid examples have the shape of what Nomad 1.6.5's `nomad node pool init`, `nomad quota
// init` and `nomad var init` write (and 2.0's `quota init`); the refusals were checked against the
// 1.6.5 CLI (`node pool apply`, `quota apply`, `var put @file` stop at parsing for each of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../../../src/language';
import { parse } from '../../../../src/language/hcl';
import { completeAt } from '../../../../src/language/features/completion';
import { hoverAt } from '../../../../src/language/features/hover';
import {
  detectFileKind,
  FILE_KIND_LABELS,
  FILE_KINDS,
  schemaForKind,
  variablePathProblem,
  type FileKind,
} from '../../../../src/language/kinds';
import { atCursor, labels, CURSOR as C } from '../../support';

const kind = (text: string, name?: string): string => detectFileKind(parse(text), name);
const T165: AnalysisOptions = { targetVersion: { version: '1.6.5', source: 'setting' } };

const POOL = `node_pool "batch" {
  description = "Nodes for batch work"

  meta {
    team = "data"
    rack = 12
  }

  scheduler_config {
    scheduler_algorithm             = "spread"
    memory_oversubscription_enabled = true
  }
}
`;
const QUOTA_16 = `name        = "team-a"
description = "Limits of team A"

limit {
  region = "global"
  region_limit {
    cpu        = 2500
    memory     = 1000
    memory_max = 1000
  }
  variables_limit = 1000
}
`;
const QUOTA_20 = `name        = "team-a"
description = "Limits of team A"

limit {
  region = "global"
  region_limit {
    cores      = 0
    cpu        = 2500
    memory     = 1000
    memory_max = 1000
    device "nvidia/gpu" {
      count = 1
    }
    storage {
      variables    = 1000
      host_volumes = "100GiB"
    }
    node_pool "batch" {
      cpu    = 500
      memory = 100
    }
  }
}
`;
const VARIABLE = `path      = "nomad/jobs/web"
namespace = "default"

items {
  user = "admin"
  port = 5432
}
`;

/** `line:col-line:col severity code` of each diagnostic (1-based lines and columns). */
function where(ds: Diagnostic[]): string[] {
  return ds.map(
    d =>
      `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${['', 'E', 'W', 'I', 'H'][d.severity ?? 1]} ${String(d.code)}`,
  );
}
function check(text: string, want: FileKind, options: AnalysisOptions = {}): string[] {
  const a = analyzeText(text, options);
  assert.equal(a.kind, want, text);
  return where(a.diagnostics);
}

void test('detection: each new kind from its content, its JSON forms and the var init file name', () => {
  assert.equal(kind(POOL), 'nodepool');
  assert.equal(kind('node_pool "x" {}\n'), 'nodepool');
  assert.equal(kind('node_pool {\n  description = "no label yet"\n}\n'), 'nodepool');
  assert.equal(kind('{"node_pool": {"batch": {"description": "x"}}}'), 'nodepool');
  assert.equal(kind('{"Name": "batch", "Description": "x", "Meta": {"a": "b"}}'), 'nodepool');
  assert.equal(kind('{"Name": "batch", "SchedulerConfiguration": {"SchedulerAlgorithm": "spread"}}'), 'nodepool');
  assert.equal(kind(QUOTA_16), 'quota');
  assert.equal(kind(QUOTA_20), 'quota');
  assert.equal(
    kind('name = "q"\nregoin = "x"\nlimit {\n  region = "global"\n}\n'),
    'quota',
    'a misspelt key still counts',
  );
  assert.equal(kind('{"Name": "q", "Limits": [{"Region": "global"}]}'), 'quota');
  assert.equal(kind(VARIABLE), 'variable');
  assert.equal(kind('items {\n  a = "b"\n}\n'), 'variable');
  assert.equal(kind('items = { a = "b" }\npath = "x"\n'), 'variable');
  assert.equal(kind('{"Path": "app/db", "Items": {"a": "b"}}'), 'variable');
  assert.equal(kind('path = "app/db"\n', 'spec.nv.hcl'), 'variable');
  assert.equal(kind('', 'secrets.nv.hcl'), 'variable');
  assert.equal(kind('', 'spec.hcl'), 'unknown');
});

void test('detection: the existing kinds keep their files', () => {
  // ACL policies that have node_pool rules, and other kinds naming node pools
  assert.equal(kind('node_pool "prod" {\n  policy = "read"\n}\n'), 'acl');
  assert.equal(
    kind('node_pool "prod" {\n  capabilities = ["read"]\n}\nnamespace "x" {\n  policy = "read"\n}\n'),
    'acl',
  );
  assert.equal(kind('name = "team-a"\nquota = "q"\nnode_pool_config {\n  default = "prod"\n}\n'), 'namespace');
  assert.equal(kind('type = "host"\nname = "scratch"\nnode_pool = "prod"\nplugin_id = "mkdir"\n'), 'volume');
  assert.equal(kind('client {\n  node_pool = "prod"\n}\n'), 'agent');
  assert.equal(kind('job "x" {\n  node_pool = "prod"\n}\n'), 'job');
  // variables files: names and the -var-file name keep them
  assert.equal(kind('path = "x"\nnamespace = "y"\n'), 'vars');
  assert.equal(kind('items = { a = "b" }\n', 'dev.vars.hcl'), 'vars');
  assert.equal(kind('name = "web"\ndescription = "the web app"\n'), 'vars');
  assert.equal(kind('limit = 3\nname = "x"\n'), 'vars');
  // a job's file is never taken for a Variable specification by its name
  assert.equal(kind('job "x" {}\n', 'spec.nv.hcl'), 'job');
});

void test('the new kinds are listed with labels and schemas (Set File Kind offers FILE_KINDS)', () => {
  for (const k of ['nodepool', 'quota', 'variable'] as const) {
    assert.ok(FILE_KINDS.includes(k), k);
    assert.ok(FILE_KIND_LABELS[k].length > 0, k);
    assert.ok(schemaForKind(k, parse('')), k);
    assert.equal(schemaForKind(k, parse('{"Name": "x"}')), undefined, 'the API JSON has other names');
  }
});

void test('node pool: the init shape is clean; each mistake gives one error where it is', () => {
  // scheduler_config is Enterprise-only: an information, not an error
  assert.deepEqual(check(POOL, 'nodepool'), ['9:3-9:19 I enterprise-only']);
  assert.deepEqual(check('node_pool "batch" {\n  description = "x"\n  meta {\n    a = "b"\n  }\n}\n', 'nodepool'), []);
  const pool = (body: string, label = 'batch'): string => `node_pool "${label}" {\n${body}\n}\n`;
  // unknown key (Nomad: Unsupported argument)
  assert.deepEqual(check(pool('  description = "x"\n  descripton = "y"'), 'nodepool'), ['3:3-3:13 E unknown-key']);
  // wrong type (Nomad: Unsuitable value type)
  assert.deepEqual(check(pool('  description = ["x"]'), 'nodepool'), ['2:17-2:22 E type-mismatch']);
  // bad name, built-in name
  assert.deepEqual(check(pool('  description = "x"', 'batch pool'), 'nodepool'), ['1:11-1:23 E invalid-value']);
  assert.deepEqual(check(pool('  description = "x"', 'default'), 'nodepool'), ['1:11-1:20 E invalid-value']);
  // bad enum value
  const en = check(pool('  scheduler_config {\n    scheduler_algorithm = "binpak"\n  }'), 'nodepool').filter(
    d => !d.includes('enterprise-only'),
  );
  assert.deepEqual(en, ['3:27-3:35 E invalid-value']);
  // HCL2 rules: no `meta = { … }`, no second meta block, no argument set twice, no label on meta
  assert.deepEqual(check(pool('  meta = { a = "b" }'), 'nodepool'), ['2:3-2:7 E block-as-attribute']);
  assert.deepEqual(check(pool('  meta { a = "b" }\n  meta { c = "d" }'), 'nodepool'), ['3:3-3:7 E repeated-block']);
  assert.deepEqual(check(pool('  description = "x"\n  description = "y"'), 'nodepool'), ['3:3-3:14 E repeated-key']);
  assert.deepEqual(check(pool('  meta "x" { a = "b" }'), 'nodepool'), ['2:8-2:11 E label-count']);
  assert.deepEqual(check('node_pool "a" {}\nnode_pool "b" {}\n', 'nodepool'), ['2:1-2:10 E repeated-block']);
  assert.deepEqual(check(pool(`  description = "${'x'.repeat(257)}"`), 'nodepool'), ['2:17-2:276 E invalid-value']);
});

void test('node pool: node_identity_ttl needs Nomad 1.11', () => {
  const text = 'node_pool "batch" {\n  node_identity_ttl = "48h"\n}\n';
  assert.deepEqual(check(text, 'nodepool'), []);
  const ds = analyzeText(text, T165).diagnostics;
  assert.deepEqual(where(ds), ['2:3-2:20 E needs-newer-nomad']);
  assert.match(ds[0]!.message, /needs Nomad 1\.11 or later; nomad\.targetVersion is 1\.6\.5/);
  assert.deepEqual(check('node_pool "batch" {\n  node_identity_ttl = "2 days"\n}\n', 'nodepool').length, 1);
});

void test('quota: the init shapes are clean for their releases; each mistake gives one error where it is', () => {
  assert.deepEqual(check(QUOTA_16, 'quota', T165), []);
  assert.deepEqual(check(QUOTA_20, 'quota'), []);
  // the newest release has a replacement for variables_limit: an information then
  assert.deepEqual(check(QUOTA_16, 'quota'), ['11:3-11:18 I deprecated']);
  const q = (rl: string): string => `name = "q"\nlimit {\n  region = "global"\n  region_limit {\n${rl}\n  }\n}\n`;
  // unknown key (Nomad: invalid key)
  const unknown = analyzeText(q('    cpu    = 1\n    memroy = 2'));
  assert.deepEqual(where(unknown.diagnostics), ['6:5-6:11 E unknown-key']);
  assert.match(unknown.diagnostics[0]!.message, /Did you mean `memory`/);
  assert.deepEqual(check('name = "q"\nregoin = "x"\nlimit {\n  region = "global"\n}\n', 'quota'), [
    '2:1-2:7 E unknown-key',
  ]);
  // wrong type (Nomad: cannot parse 'CPU' as int); a quoted number is fine (weak decoding)
  assert.deepEqual(check(q('    cpu = "lots"'), 'quota'), ['5:11-5:17 E type-mismatch']);
  assert.deepEqual(check(q('    cpu = "2500"'), 'quota'), []);
  // a fraction: the CLI drops it (weak decoding), so a warning
  assert.deepEqual(check(q('    cpu = 1.5'), 'quota'), ['5:11-5:14 W type-mismatch']);
  // bad size value
  assert.deepEqual(check(q('    storage {\n      variables = "10 parsecs"\n    }'), 'quota'), [
    '6:19-6:31 E invalid-value',
  ]);
  assert.deepEqual(check(q('    storage {\n      host_volumes = 1.5\n    }'), 'quota'), ['6:22-6:25 E type-mismatch']);
  // one region_limit per limit (Nomad refuses a second one rather than merging)
  assert.deepEqual(check(q('    cpu = 1\n  }\n  region_limit {\n    memory = 1'), 'quota'), [
    '7:3-7:15 E repeated-block',
  ]);
  // a device limit is named by its label
  assert.deepEqual(check(q('    device {\n      count = 1\n    }'), 'quota'), ['5:5-5:11 E label-count']);
  // no name
  assert.deepEqual(check('description = "q"\nlimit {\n  region = "global"\n}\n', 'quota'), ['1:1-1:12 E missing-key']);
});

void test('quota: newer limits against an older target', () => {
  const ds = analyzeText(QUOTA_20, T165).diagnostics;
  // cores (1.8), device (1.9), storage (1.10), node_pool (2.0): Nomad 1.6.5 refuses each as an invalid key
  assert.deepEqual(where(ds), [
    '7:5-7:10 E needs-newer-nomad',
    '11:5-11:11 E needs-newer-nomad',
    '14:5-14:12 E needs-newer-nomad',
    '18:5-18:14 E needs-newer-nomad',
  ]);
  assert.match(ds[3]!.message, /`node_pool` in `region_limit` needs Nomad 2\.0 or later/);
  assert.deepEqual(
    where(analyzeText(QUOTA_20, { targetVersion: { version: '2.0.5', source: 'cluster' } }).diagnostics),
    [],
  );
});

void test('variable: the init shape is clean; each mistake gives one error where it is', () => {
  assert.deepEqual(check(VARIABLE, 'variable'), []);
  assert.deepEqual(check('items {\n  key1 = "value 1"\n  key2 = "value 2"\n}\n', 'variable'), []);
  const v = (head: string, items = '  a = "b"'): string => `${head}\nitems {\n${items}\n}\n`;
  // unknown key (Nomad: invalid key)
  const unknown = analyzeText('path = "app/db"\nitmes { a = "b" }\nitems { a = "b" }\n');
  assert.deepEqual(where(unknown.diagnostics), ['2:1-2:6 E unknown-key']);
  assert.match(unknown.diagnostics[0]!.message, /Did you mean `items`/);
  // wrong type: a list as an item value; a quoted index
  assert.deepEqual(check(v('path = "app/db"', '  a = ["b"]'), 'variable'), ['3:7-3:12 E type-mismatch']);
  assert.deepEqual(check(v('path = "app/db"\nmodify_index = "12"'), 'variable'), ['2:16-2:20 E type-mismatch']);
  // bad paths (a leading or trailing "/" is trimmed by the CLI: fine)
  assert.deepEqual(check(v('path = "nomad/secret"'), 'variable'), ['1:8-1:22 E invalid-value']);
  assert.deepEqual(check(v('path = "app db"'), 'variable'), ['1:8-1:16 E invalid-value']);
  assert.deepEqual(check(v('path = "/app/db/"'), 'variable'), []);
  // no "*" namespace; items required and not empty
  assert.deepEqual(check(v('path = "a"\nnamespace = "*"'), 'variable'), ['2:13-2:16 E invalid-value']);
  assert.deepEqual(check('path = "app/db"\nitems {}\n', 'variable'), ['2:1-2:6 E missing-key']);
  assert.deepEqual(check('path = "app/db"\n', 'variable', { fileName: 'db.nv.hcl' }), ['1:1-1:5 E missing-key']);
  assert.deepEqual(check('', 'variable', { fileName: 'new.nv.hcl' }), [], 'a new empty file: nothing yet');
  assert.deepEqual(check(v('path = "a"', `  big = "${'x'.repeat(70_000)}"`), 'variable'), ['2:1-2:6 E invalid-value']);
});

void test('variable paths: the rule Nomad applies', () => {
  for (const ok of ['a', 'app/db', 'nomad/jobs', 'nomad/jobs/web/group/task', 'nomad/job-templates/t', 'a-b_c~d'])
    assert.equal(variablePathProblem(ok), undefined, ok);
  for (const bad of [
    '',
    'nomad',
    'nomad/other',
    'nomad/job-templates',
    'nomad/job-templates/a/b',
    'a//b',
    'a.b',
    'x'.repeat(129),
  ])
    assert.ok(variablePathProblem(bad), bad);
});

void test("completion and hover come from each kind's schema", () => {
  const complete = (src: string, k: FileKind): string[] => {
    const { file, offset } = atCursor(src);
    return labels(completeAt(file, offset, schemaForKind(k, file)).items);
  };
  const hover = (src: string, k: FileKind): string => {
    const { file, offset } = atCursor(src);
    const h = hoverAt(file, offset, schemaForKind(k, file));
    return h ? (h.contents as { value: string }).value : '';
  };
  const pool = complete(`node_pool "a" {\n  ${C}\n}\n`, 'nodepool');
  for (const n of ['description', 'meta', 'scheduler_config', 'node_identity_ttl'])
    assert.ok(pool.includes(n), pool.join(','));
  assert.ok(
    complete(`node_pool "a" {\n  scheduler_config {\n    scheduler_algorithm = ${C}\n  }\n}\n`, 'nodepool').includes(
      '"spread"',
    ),
  );
  assert.match(
    hover(
      `node_pool "a" {\n  scheduler_config {\n    memory_oversub${C}scription_enabled = true\n  }\n}\n`,
      'nodepool',
    ),
    /\*\*memory_oversubscription_enabled\*\* · `bool`/,
  );

  const quota = complete(`name = "q"\nlimit {\n  region_limit {\n    ${C}\n  }\n}\n`, 'quota');
  for (const n of ['cpu', 'memory', 'memory_max', 'cores', 'device', 'storage', 'node_pool'])
    assert.ok(quota.includes(n), quota.join(','));
  assert.ok(!quota.includes('region'), 'region belongs to limit');
  assert.match(hover(`name = "q"\nlimit {\n  variables_li${C}mit = 1\n}\n`, 'quota'), /Deprecated since Nomad 1\.10/);
  // the release line the job schema's hover has, for members that name their releases
  assert.match(
    hover(`name = "q"\nlimit {\n  region_limit {\n    co${C}res = 1\n  }\n}\n`, 'quota'),
    /_Since Nomad 1\.8\._/,
  );
  assert.match(
    hover(`name = "q"\nlimit {\n  variables_li${C}mit = 1\n}\n`, 'quota'),
    /_In every Nomad release since 1\.6\.5; deprecated since Nomad 1\.10\._/,
  );
  assert.doesNotMatch(
    hover(`name = "q"\nlimit {\n  region_limit {\n    c${C}pu = 1\n  }\n}\n`, 'quota'),
    /Nomad release|Since Nomad/,
  );

  const variable = complete(`${C}\n`, 'variable');
  for (const n of ['path', 'namespace', 'items']) assert.ok(variable.includes(n), variable.join(','));
  assert.match(hover(`pa${C}th = "app/db"\nitems { a = "b" }\n`, 'variable'), /\*\*path\*\* · `string`/);
});
