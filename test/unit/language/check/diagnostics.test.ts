// Jobspec diagnostics: one test per kind, with exact ranges and codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { parseGoDuration } from '../../../../src/language/check';
import { detectKind } from '../../../../src/language';
import { codes, diags, short } from '../../support';

const quiet = { lints: { serviceWithoutCheck: false, updateWithoutHealth: false } };
const job = (body: string): string =>
  `job "j" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n${body}\n    }\n  }\n}\n`;

test('a clean job has no diagnostics', () => {
  assert.deepEqual(codes(job('      config {\n        command = "/bin/true"\n      }'), quiet), []);
});

test('unknown attribute: range on its name, with a "did you mean" fix', () => {
  const ds = diags('job "j" {\n  group "g" {\n    cuont = 2\n    task "t" { driver = "exec" }\n  }\n}\n', quiet);
  assert.deepEqual(ds.map(short), ['3:5-3:10 unknown-attribute']);
  assert.match(ds[0]!.message, /Did you mean `count`\?/);
  assert.deepEqual(ds[0]!.data, { fix: 'rename', at: 28, end: 33, replacement: 'count' });
});

test('unknown block, with suggestion', () => {
  const ds = diags(job('      resorces {\n        cpu = 100\n      }'), quiet);
  assert.deepEqual(ds.map(short), ['5:7-5:15 unknown-block']);
  assert.match(ds[0]!.message, /Did you mean `resources`/);
});

test('block written as an attribute (config = {...}) is an error; meta = {...} is fine', () => {
  assert.deepEqual(diags(job('      config = {\n        command = "x"\n      }'), quiet).map(short), [
    '5:7-5:13 block-as-attribute',
  ]);
  assert.deepEqual(codes(job('      meta = {\n        "a.b" = "x"\n      }'), quiet), []);
  assert.deepEqual(codes(job('      env = { A = "1" }'), quiet), []);
});

test('attribute written as a block', () => {
  assert.deepEqual(diags(job('      user {\n      }'), quiet).map(short), ['5:7-5:11 attribute-as-block']);
});

test('label counts: job and port need one, network none', () => {
  assert.deepEqual(diags('job {\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n', quiet).map(short), [
    '1:1-1:4 label-count',
  ]);
  const ds = diags(
    'job "j" {\n  group "g" {\n    network "n" {\n      port {}\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(ds.map(short), ['3:13-3:16 label-count', '4:7-4:11 label-count']);
});

test('a second copy of a single block', () => {
  const ds = diags(
    'job "j" {\n  group "g" {\n    update {}\n    update {}\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(ds.map(short), ['4:5-4:11 duplicate-block']);
});

test('duplicate group names and duplicate attributes', () => {
  const ds = diags(
    'job "j" {\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n  group "g" {\n    count = 1\n    count = 2\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(ds.map(short), ['5:9-5:12 duplicate-label', '7:5-7:10 duplicate-attribute']);
});

test('duplicates are found in large bodies too, and each body starts with a clean slate', () => {
  // bodies past the checker's small-table size (12 names), with the duplicates found after its switch to a map
  const many = [
    'driver = "exec"',
    'user = "u"',
    'kill_timeout = "5s"',
    'kill_signal = "SIGTERM"',
    'leader = true',
    'shutdown_delay = "1s"',
    'kind = "k"',
    'env {}',
    'meta {}',
    'resources {}',
    'logs {}',
    'restart {}',
    'lifecycle { hook = "prestart" }',
    'config {}',
    'template { data = "x" }',
  ];
  const groups = Array.from(
    { length: 14 },
    (_, i) =>
      `  group "g${i}" {\n    task "t" {\n${many.map(m => `      ${m}`).join('\n')}\n      user = "again"\n      restart {}\n    }\n  }`,
  );
  groups.push('  group "g13" {\n    task "t" { driver = "exec" }\n  }');
  const text = `job "j" {\n${groups.join('\n')}\n}\n`;
  const ds = diags(text, quiet);
  const perGroup = ds.filter(d => d.code === 'duplicate-attribute' || d.code === 'duplicate-block');
  // every group's task has exactly one duplicate attribute and one duplicate block: none carried over
  assert.equal(perGroup.filter(d => d.code === 'duplicate-attribute').length, 14);
  assert.equal(perGroup.filter(d => d.code === 'duplicate-block').length, 14);
  assert.match(perGroup[0]!.message, /already set on line 5/);
  // the 15th group reuses the name g13: found although the job body holds more than 12 names
  const line = text.slice(0, text.lastIndexOf('group "g13"')).split('\n').length;
  assert.deepEqual(ds.filter(d => d.code === 'duplicate-label').map(short), [`${line}:9-${line}:14 duplicate-label`]);
});

test('types: numbers, bools, lists; quoted numbers convert like HCL does', () => {
  assert.deepEqual(
    codes(
      'job "j" {\n  priority = "50"\n  group "g" {\n    count = "1"\n    task "t" { driver = "exec" }\n  }\n}\n',
      quiet,
    ),
    [],
  );
  const ds = diags(
    'job "j" {\n  priority = "high"\n  all_at_once = "yes"\n  datacenters = "dc1"\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(ds.map(short), ['2:14-2:20 type-mismatch', '3:17-3:22 type-mismatch', '4:17-4:22 type-mismatch']);
});

test('durations follow Go syntax', () => {
  const ds = diags(job('      kill_timeout = "30 seconds"\n      shutdown_delay = "1h30m"'), quiet);
  assert.deepEqual(ds.map(short), ['5:22-5:34 invalid-duration']);
  assert.deepEqual(parseGoDuration('1h30m'), { ok: true, ns: 5400e9 });
  assert.deepEqual(parseGoDuration('1.5s'), { ok: true, ns: 1.5e9 });
  assert.deepEqual(parseGoDuration('0'), { ok: true, ns: 0 });
  assert.equal(parseGoDuration('10').ok, false);
  assert.equal(parseGoDuration('5d').ok, false);
  assert.equal(parseGoDuration('').ok, false);
});

test('expressions that are not literal are not type-checked', () => {
  const text =
    'variable "p" {\n  default = 5\n}\njob "j" {\n  priority = var.p\n  group "g" {\n    count = "${var.p}"\n    task "t" {\n      driver = "exec"\n      kill_timeout = format("%ds", var.p)\n    }\n  }\n}\n';
  assert.deepEqual(codes(text, quiet), []);
});

test('enum values', () => {
  const ds = diags('job "j" {\n  type = "servcie"\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n', quiet);
  assert.deepEqual(ds.map(short), ['2:10-2:19 invalid-value']);
  assert.match(ds[0]!.message, /Did you mean "service"\?/);
});

test('required parts: group, task, driver (warnings), scaling max (error)', () => {
  assert.deepEqual(diags('job "j" {\n}\n', quiet).map(short), ['1:1-1:4 missing-group']);
  assert.deepEqual(diags('job "j" {\n  group "g" {\n  }\n}\n', quiet).map(short), ['2:3-2:8 missing-task']);
  assert.deepEqual(diags('job "j" {\n  group "g" {\n    task "t" {\n    }\n  }\n}\n', quiet).map(short), [
    '3:5-3:9 missing-attribute',
  ]);
  const ds = diags(
    'job "j" {\n  group "g" {\n    scaling {\n      min = 1\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(
    ds.map(d => [short(d), d.severity]),
    [['3:5-3:12 missing-attribute', 1]],
  );
});

test('undeclared var.* and local.*', () => {
  const text =
    'variable "img" {}\nlocals {\n  tag = "1"\n}\njob "j" {\n  meta {\n    a = var.img\n    b = var.imag\n    c = "${local.tag}-${local.tga}"\n    d = "${NOMAD_PORT_http}"\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n';
  const ds = diags(text, quiet);
  assert.deepEqual(ds.map(short), ['8:9-8:17 undeclared-variable', '9:25-9:34 undeclared-local']);
  assert.deepEqual(ds[0]!.data, {
    fix: 'rename',
    at: text.indexOf('var.imag'),
    end: text.indexOf('var.imag') + 8,
    replacement: 'var.img',
  });
});

test('removed job-level vault_token / consul_token are errors', () => {
  const ds = diags(
    'job "j" {\n  vault_token = "x"\n  consul_token = "y"\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
    quiet,
  );
  assert.deepEqual(
    ds.map(d => [short(d), d.severity]),
    [
      ['2:3-2:14 vault-token-removed', 1],
      ['3:3-3:15 consul-token-removed', 1],
    ],
  );
});

test('deprecations are warnings with stable codes and fix data', () => {
  const text =
    'job "j" {\n  update {\n    stagger = "30s"\n  }\n  group "g" {\n    max_client_disconnect = "1h"\n    task "t" {\n      driver = "docker"\n      config {\n        image = "x"\n        port_map {\n          http = 80\n        }\n      }\n      resources {\n        network {\n          mbits = 10\n          port "http" {}\n        }\n      }\n    }\n  }\n}\n';
  const ds = diags(text, quiet);
  assert.deepEqual(
    ds.map(d => [short(d), d.severity]),
    [
      ['3:5-3:12 stagger-ignored', 3],
      ['6:5-6:26 max-client-disconnect-deprecated', 2],
      ['11:9-11:17 port-map-deprecated', 2],
      ['16:9-16:16 task-network-deprecated', 2],
      ['17:11-17:16 mbits-deprecated', 2],
    ],
  );
  assert.deepEqual(ds[2]!.data, { fix: 'docker-port-map-to-network', at: text.indexOf('port_map'), deprecation: true });
});

test('lints: service without check, service job without update', () => {
  const text =
    'job "j" {\n  group "g" {\n    network {\n      port "http" {}\n    }\n    task "t" {\n      driver = "exec"\n      service {\n        port = "http"\n      }\n    }\n  }\n}\n';
  assert.deepEqual(diags(text).map(short), ['8:7-8:14 service-without-check', '2:9-2:12 missing-update']);
  assert.deepEqual(diags(text, { lints: { serviceWithoutCheck: false } }).map(short), ['2:9-2:12 missing-update']);
  assert.deepEqual(diags(text, { lints: { updateWithoutHealth: false } }).map(short), [
    '8:7-8:14 service-without-check',
  ]);
  // batch jobs have no deployments
  assert.deepEqual(
    codes(text.replace('job "j" {', 'job "j" {\n  type = "batch"'), { lints: { serviceWithoutCheck: false } }),
    [],
  );
  // an update without auto_revert
  const u =
    'job "j" {\n  update {\n    max_parallel = 1\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n';
  assert.deepEqual(diags(u).map(short), ['2:3-2:9 update-without-health']);
});

test('dynamic blocks are checked through their content', () => {
  const text =
    'job "j" {\n  group "g" {\n    dynamic "task" {\n      for_each = ["a"]\n      labels   = [task.value]\n      content {\n        driver = "exec"\n        drivr = 1\n      }\n    }\n  }\n}\n';
  assert.deepEqual(diags(text, quiet).map(short), ['8:9-8:14 unknown-attribute']);
});

test('files that are not jobs are not checked as jobs', () => {
  const agent = 'data_dir = "/opt/nomad"\nbind_addr = "0.0.0.0"\nserver {\n  enabled = true\n}\n';
  assert.equal(detectKind(parse(agent)), 'agent');
  assert.deepEqual(codes(agent), []);
  assert.equal(detectKind(parse('namespace "default" {\n  policy = "read"\n}\n')), 'acl');
  assert.equal(detectKind(parse('id = "v"\ntype = "csi"\nplugin_id = "p"\ncapability {\n}\n')), 'volume');
  assert.equal(detectKind(parse('image = "x"\ncount = 2\n')), 'vars');
  assert.equal(detectKind(parse('job "x" {}\n')), 'job');
  assert.equal(detectKind(parse('scaling "x" {\n  min = 1\n}\n')), 'unknown');
  assert.deepEqual(codes('variable "x" {}\n'), ['missing-job']);
});
