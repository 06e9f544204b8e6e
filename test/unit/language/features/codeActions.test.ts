// Quick fixes: input text -> expected text, which re-parses clean and no longer has the fixed problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyTextEdits, fixAllDeprecations, quickFix } from '../../../../src/language/features/codeActions';
import type { FixData } from '../../../../src/language/check';
import { codes, diags, errors, fix, read, root } from '../../support';

const quiet = { lints: { serviceWithoutCheck: false, updateWithoutHealth: false } };

function clean(text: string, gone: string): void {
  assert.deepEqual(
    errors(text).map(d => `${d.code} ${d.message}`),
    [],
  );
  assert.ok(!codes(text).includes(gone), `${gone} still reported`);
}

test('rename: "did you mean"', () => {
  const out = fix(
    'job "j" {\n  group "g" {\n    cuont = 2\n    task "t" { driver = "exec" }\n  }\n}\n',
    'unknown-attribute',
    quiet,
  );
  assert.equal(out, 'job "j" {\n  group "g" {\n    count = 2\n    task "t" { driver = "exec" }\n  }\n}\n');
  clean(out, 'unknown-attribute');
});

test('rename of an undeclared variable and an enum value', () => {
  const v = fix(
    'variable "img" {}\njob "j" {\n  meta {\n    a = var.imgg\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
    'undeclared-variable',
    quiet,
  );
  assert.match(v, /a = var\.img\n/);
  const e = fix(
    'job "j" {\n  type = "batc"\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
    'invalid-value',
    quiet,
  );
  assert.match(e, /type = "batch"/);
});

test('remove-attribute: mbits, vault_token', () => {
  const text =
    'job "j" {\n  vault_token = "x"\n  group "g" {\n    network {\n      mbits = 10\n      port "http" {}\n    }\n    task "t" { driver = "exec" }\n  }\n}\n';
  const a = fix(text, 'mbits-deprecated', quiet);
  assert.equal(
    a,
    'job "j" {\n  vault_token = "x"\n  group "g" {\n    network {\n      port "http" {}\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  const b = fix(a, 'vault-token-removed', quiet);
  assert.equal(
    b,
    'job "j" {\n  group "g" {\n    network {\n      port "http" {}\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(b, 'vault-token-removed');
});

const SEED_MODERN_GROUP = `    network {
      port "http" {
        to = 3000
      }
    }
`;

test('port_map -> group network with "to" + docker ports; task network and mbits go away', () => {
  const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
  const out = fix(text, 'port-map-deprecated');
  assert.ok(out.includes(SEED_MODERN_GROUP), out);
  assert.match(out, /\n        ports = \["http"\]\n/);
  assert.doesNotMatch(out, /port_map|mbits/);
  assert.match(out, /resources \{\n        memory = 256 # 256MB\n      \}/);
  clean(out, 'port-map-deprecated');
  assert.ok(!codes(out).includes('task-network-deprecated'));
});

test('task network -> group network (raw_exec: no ports list)', () => {
  const text =
    'job "j" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "x"\n      }\n      resources {\n        memory = 64\n        network {\n          mbits = 10\n          port "http" {}\n          port "db" {\n            static = 5432\n          }\n        }\n      }\n    }\n  }\n}\n';
  const out = fix(text, 'task-network-deprecated', quiet);
  assert.equal(
    out,
    'job "j" {\n  group "g" {\n    network {\n      port "http" {}\n      port "db" {\n        static = 5432\n      }\n    }\n\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "x"\n      }\n      resources {\n        memory = 64\n      }\n    }\n  }\n}\n',
  );
  clean(out, 'task-network-deprecated');
});

test('port_map into an existing group network keeps its ports and adds "to"', () => {
  const text =
    'job "j" {\n\tgroup "g" {\n\t\tnetwork {\n\t\t\tport "http" {}\n\t\t}\n\t\ttask "t" {\n\t\t\tdriver = "docker"\n\t\t\tconfig {\n\t\t\t\timage = "x"\n\t\t\t\tport_map {\n\t\t\t\t\thttp = 8080\n\t\t\t\t\tmetrics = 9100\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n';
  const out = fix(text, 'port-map-deprecated', quiet);
  assert.equal(
    out,
    'job "j" {\n\tgroup "g" {\n\t\tnetwork {\n\t\t\tport "http" {\n\t\t\t\tto = 8080\n\t\t\t}\n\t\t\tport "metrics" {\n\t\t\t\tto = 9100\n\t\t\t}\n\t\t}\n\t\ttask "t" {\n\t\t\tdriver = "docker"\n\t\t\tconfig {\n\t\t\t\timage = "x"\n\t\t\t\tports = ["http", "metrics"]\n\t\t\t}\n\t\t}\n\t}\n}\n',
  );
  clean(out, 'port-map-deprecated');
});

test('disconnect migration', () => {
  const text =
    'job "j" {\n  group "g" {\n    max_client_disconnect = "1h"\n    prevent_reschedule_on_lost = true\n    task "t" { driver = "exec" }\n  }\n}\n';
  const a = fix(text, 'max-client-disconnect-deprecated', quiet);
  assert.equal(
    a,
    'job "j" {\n  group "g" {\n    disconnect {\n      lost_after = "1h"\n    }\n    prevent_reschedule_on_lost = true\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  const b = fix(a, 'prevent-reschedule-on-lost-deprecated', quiet);
  assert.equal(
    b,
    'job "j" {\n  group "g" {\n    disconnect {\n      lost_after = "1h"\n      replace = false\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(b, 'prevent-reschedule-on-lost-deprecated');
  const c = fix(
    'job "j" {\n  group "g" {\n    stop_after_client_disconnect = "5m"\n    task "t" { driver = "exec" }\n  }\n}\n',
    'stop-after-client-disconnect-deprecated',
    quiet,
  );
  assert.match(c, /disconnect \{\n      stop_on_client_after = "5m"\n    \}/);
});

test('logs.enabled -> disabled', () => {
  const out = fix(
    'job "j" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n      logs {\n        enabled = false\n      }\n    }\n  }\n}\n',
    'logs-enabled-deprecated',
    quiet,
  );
  assert.match(out, /logs \{\n        disabled = true\n      \}/);
  clean(out, 'logs-enabled-deprecated');
});

test('insert a check into a service', () => {
  const text =
    'job "j" {\n  group "g" {\n    service {\n      port = "http"\n    }\n    task "t" { driver = "exec" }\n  }\n}\n';
  const out = fix(text, 'service-without-check');
  assert.equal(
    out,
    'job "j" {\n  group "g" {\n    service {\n      port = "http"\n\n      check {\n        type     = "http"\n        path     = "/health"\n        interval = "10s"\n        timeout  = "2s"\n      }\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(out, 'service-without-check');
});

test('insert an update block (task_states without checks) and complete an unsafe one', () => {
  const text = 'job "j" {\n  group "g" {\n    count = 2\n\n    task "t" { driver = "exec" }\n  }\n}\n';
  const out = fix(text, 'missing-update');
  assert.equal(
    out,
    'job "j" {\n  group "g" {\n    count = 2\n\n    update {\n      max_parallel      = 1\n      health_check      = "task_states"\n      min_healthy_time  = "10s"\n      healthy_deadline  = "5m"\n      progress_deadline = "10m"\n      auto_revert       = true\n    }\n\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(out, 'missing-update');
  const u =
    'job "j" {\n  update {\n    max_parallel = 0\n    health_check = "manual"\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n';
  const fixed = fix(u, 'update-without-health');
  // its one group has a single instance: the block gets the canary that keeps it serving
  assert.equal(
    fixed,
    'job "j" {\n  update {\n    max_parallel = 1\n    health_check = "task_states"\n    auto_revert = true\n    canary = 1\n    auto_promote = true\n    progress_deadline = "0s"\n  }\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(fixed, 'update-without-health');
  // two instances: no canary needed, none added
  const two = u.replace('group "g" {\n', 'group "g" {\n    count = 2\n');
  assert.equal(
    fix(two, 'update-without-health'),
    'job "j" {\n  update {\n    max_parallel = 1\n    health_check = "task_states"\n    auto_revert = true\n  }\n  group "g" {\n    count = 2\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
});

test('an update block that is safe but for the canary of a single instance: the finding says why, the fix adds canary and auto_promote', () => {
  const text =
    'job "j" {\n  group "g" {\n    update {\n      max_parallel     = 1\n      auto_revert      = true\n      canary           = 0\n      progress_deadline = "6m"\n    }\n    task "t" { driver = "exec" }\n  }\n}\n';
  const d = diags(text).find(x => x.code === 'update-without-health');
  assert.ok(d, 'reported');
  assert.match(d.message, /single instance and no canary/);
  const out = fix(text, 'update-without-health');
  assert.equal(
    out,
    'job "j" {\n  group "g" {\n    update {\n      max_parallel     = 1\n      auto_revert      = true\n      canary           = 1\n      progress_deadline = "6m"\n      auto_promote = true\n    }\n    task "t" { driver = "exec" }\n  }\n}\n',
  );
  clean(out, 'update-without-health');
  // with a canary already there is nothing to say
  assert.equal(diags(out).filter(x => x.code === 'update-without-health').length, 0);
});

/** Applies every fixable diagnostic in turn, re-analysing after each. */
function fixEverything(text: string): { text: string; applied: string[] } {
  const applied: string[] = [];
  for (let i = 0; i < 50; i++) {
    const d = diags(text).find(x => x.data);
    if (!d) break;
    const f = quickFix(text, d.data as FixData);
    assert.ok(f, `no fix for ${String(d.code)}`);
    const next = applyTextEdits(text, f.edits);
    assert.notEqual(next, text);
    text = next;
    applied.push(String(d.code));
    assert.deepEqual(
      errors(text).map(x => x.message),
      [],
      `errors after fixing ${String(d.code)}`,
    );
  }
  return { text, applied };
}

test('a single instance (no count, count = 1 or "1"): the update block adds a canary, auto_promote and progress_deadline = 0; the finding says why in one sentence, the fix\'s title how', () => {
  const single =
    'job "j" {\n  group "g" {\n    count = "1"\n\n    network {\n      port "http" {}\n    }\n    task "t" {\n      driver = "docker"\n      service {\n        port = "http"\n        check {\n          type     = "http"\n          path     = "/health"\n          interval = "10s"\n          timeout  = "2s"\n        }\n      }\n    }\n  }\n}\n';
  const d = diags(single).find(x => x.code === 'missing-update');
  assert.ok(d);
  assert.match(
    d.message,
    /single instance and no canary, Nomad stops the running allocation before its replacement is healthy/,
  );
  assert.match(d.message, /is not rolled back/);
  assert.match(
    quickFix(single, d.data as FixData)!.title,
    /a canary keeps the old version serving until the new one is healthy/,
  );
  const out = fix(single, 'missing-update');
  assert.equal(
    out,
    single.replace(
      'count = "1"\n\n',
      'count = "1"\n\n    update {\n      max_parallel      = 1\n      canary            = 1\n      auto_promote      = true\n      health_check      = "checks"\n      min_healthy_time  = "10s"\n      healthy_deadline  = "5m"\n      progress_deadline = "0s"\n      auto_revert       = true\n    }\n\n',
    ),
  );
  clean(out, 'missing-update');
  assert.deepEqual(diags(out), []);
  // no count at all is one instance too; a count of 3, a computed count or a scaling block is not
  assert.match(
    fix('job "j" {\n  group "g" {\n    task "t" { driver = "exec" }\n  }\n}\n', 'missing-update'),
    /canary {12}= 1\n {6}auto_promote {6}= true\n {6}health_check {6}= "task_states"/,
  );
  for (const g of ['count = 3', 'count = var.n', 'scaling {\n      min = 1\n      max = 3\n    }']) {
    const t = `variable "n" {\n  default = 1\n}\njob "j" {\n  group "g" {\n    ${g}\n    task "t" { driver = "exec" }\n  }\n}\n`;
    assert.match(diags(t).find(x => x.code === 'missing-update')!.message, /one at a time but never roll back/, g);
    const o = fix(t, 'missing-update');
    assert.doesNotMatch(o, /canary|auto_promote/, g);
    assert.match(o, /progress_deadline = "10m"/, g);
  }
});

test('the check fix: a group update block on task states now waits for the check (health_check = "checks")', () => {
  const text =
    'job "j" {\n  group "g" {\n    update {\n      health_check = "task_states"\n      auto_revert  = true\n    }\n    network {\n      port "http" {}\n    }\n    task "t" {\n      driver = "exec"\n      service {\n        port = "http"\n      }\n    }\n  }\n}\n';
  const out = fix(text, 'service-without-check');
  assert.match(out, /health_check = "checks"\n/);
  assert.match(out, /check \{\n {10}type {5}= "http"\n {10}path {5}= "\/health"/);
  clean(out, 'service-without-check');
  // "manual" is the user's choice (it has its own finding): left as it is; so is a job-level block when the group has its own
  assert.match(fix(text.replace('"task_states"', '"manual"'), 'service-without-check'), /health_check = "manual"/);
  const jobLevel =
    'job "j" {\n  update {\n    health_check = "task_states"\n    auto_revert = true\n  }\n  group "g" {\n    network {\n      port "http" {}\n    }\n    task "t" {\n      driver = "exec"\n      service {\n        port = "http"\n      }\n    }\n  }\n}\n';
  assert.match(fix(jobLevel, 'service-without-check'), /^ {2}update \{\n {4}health_check = "checks"/m);
});

test("the tutorial's job as written (examples/microservice-job-01.nomad): fixing the update first, then the check, gives a canary deployment that waits for the check", () => {
  const text = fs.readFileSync(path.join(root, 'examples', 'microservice-job-01.nomad'), 'utf8');
  const withUpdate = fix(text, 'missing-update');
  assert.match(withUpdate, /canary {12}= 1/);
  assert.match(withUpdate, /health_check {6}= "task_states"/);
  const both = fix(withUpdate, 'service-without-check');
  assert.match(both, /health_check {6}= "checks"/);
  assert.match(both, /path {5}= "\/health"/);
  assert.deepEqual(errors(both), []);
  assert.ok(
    !codes(both).includes('missing-update') &&
      !codes(both).includes('service-without-check') &&
      !codes(both).includes('update-without-health'),
  );
});

test('the seed job: opens without errors, flags the old shapes, and all fixes give the modern job', () => {
  const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
  assert.deepEqual(errors(text), []);
  const found = new Set(codes(text));
  for (const c of [
    'port-map-deprecated',
    'task-network-deprecated',
    'mbits-deprecated',
    'service-without-check',
    'missing-update',
  ])
    assert.ok(found.has(c), c);
  const { text: out, applied } = fixEverything(text);
  assert.deepEqual(applied, ['port-map-deprecated', 'service-without-check', 'missing-update']);
  assert.deepEqual(diags(out), []);
  assert.ok(out.includes(SEED_MODERN_GROUP));
  assert.match(out, /ports = \["http"\]/);
  assert.match(out, /health_check      = "checks"/);
  assert.match(out, /auto_revert       = true/);
  assert.match(out, /check \{\n          type     = "http"\n          path     = "\/health"/);
  assert.doesNotMatch(out, /port_map|mbits|network \{\n\s+mbits/);
});

test('the raw_exec example job (if present) modernises cleanly too', t => {
  const p = path.join(root, 'examples', 'microservice-job-01.raw_exec.nomad');
  if (!fs.existsSync(p)) {
    t.skip('examples/microservice-job-01.raw_exec.nomad not present');
    return;
  }
  const text = fs.readFileSync(p, 'utf8');
  assert.deepEqual(errors(text), []);
  const found = new Set(codes(text));
  for (const c of ['task-network-deprecated', 'mbits-deprecated', 'service-without-check', 'missing-update'])
    assert.ok(found.has(c), c);
  const { text: out } = fixEverything(text);
  assert.deepEqual(diags(out), []);
  assert.match(out, /  group "Microservices" \{[\s\S]*\n    network \{\n      port "http" \{\}\n    \}/);
  assert.doesNotMatch(out, /ports = /); // raw_exec has no ports list
});

test('fix all deprecations: one edit, only deprecations', () => {
  const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
  const all = fixAllDeprecations(text);
  assert.equal(all.applied, 1);
  assert.equal(all.edits.length, 1);
  assert.equal(applyTextEdits(text, all.edits), all.text);
  const left = codes(all.text);
  assert.deepEqual(left, ['service-without-check', 'missing-update']);
});
