// The plan view tells the truth: the terminal line is the exact equivalent of
// what the extension submitted (every -var-file and -var, shell-quoted), durations read as durations, and
// "Show unchanged fields" has something to show on an update. Plans and parsed jobs are real captures
// (test/fixtures/nomad/captured, Nomad 1.6.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  buildPlanViewModel,
  cliRunLine,
  humanDuration,
  shellQuote,
  visibleRows,
  type PlanRow,
} from '../../../../src/nomad/plan/viewModel';
import type { JobPlanResponse } from '../../../../src/nomad/types';
import { repoRoot } from '../../support';

const dir = path.join(repoRoot(), 'test', 'fixtures', 'nomad', 'captured');
const body = <T>(name: string): T =>
  (JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { body: T }).body;
const all = (rows: readonly PlanRow[]): PlanRow[] => rows.flatMap(r => [r, ...all(r.children)]);

/** The argv a POSIX shell makes of `line` (after the leading `nomad`). */
function argvOf(line: string): string[] {
  const out = execFileSync(
    '/bin/sh',
    ['-c', `set -- ${line.replace(/^nomad /, '')}; for a in "$@"; do printf '%s\\0' "$a"; done`],
    { encoding: 'utf8' },
  );
  return out.split('\0').slice(0, -1);
}

test('the terminal line carries every -var-file and -var, in order, quoted for the shell', () => {
  const line = cliRunLine(
    42,
    'my job.nomad.hcl',
    ['vars/common.vars', "it's here.vars"],
    [
      ['image', 'nginx:1.27'],
      ['greeting', "hello world; rm -rf ~ '$(x)'"],
    ],
  );
  assert.deepEqual(argvOf(line), [
    'job',
    'run',
    '-check-index',
    '42',
    '-var-file=vars/common.vars',
    "-var-file=it's here.vars",
    '-var',
    'image=nginx:1.27',
    '-var',
    "greeting=hello world; rm -rf ~ '$(x)'",
    'my job.nomad.hcl',
  ]);
  assert.equal(cliRunLine(0, 'web.nomad.hcl'), 'nomad job run -check-index 0 web.nomad.hcl', 'plain words stay bare');
  assert.equal(shellQuote(''), "''");
});

test("the view model's CLI line is built from what was submitted", () => {
  const vm = buildPlanViewModel('web', body<JobPlanResponse>('plan-new'), 'web.nomad.hcl', {
    varFiles: ['prod.vars'],
    vars: [['count', '3']],
  });
  assert.equal(vm.cliLine, 'nomad job run -check-index 0 -var-file=prod.vars -var count=3 web.nomad.hcl');
});

test('durations: known duration fields show a humanised value beside the nanoseconds', () => {
  assert.equal(humanDuration(15e9), '15s');
  assert.equal(humanDuration(90e9), '1m30s');
  assert.equal(humanDuration(3600e9), '1h');
  assert.equal(humanDuration(250e6), '250ms');
  assert.equal(humanDuration(0), '0s');
  const vm = buildPlanViewModel('web', body<JobPlanResponse>('plan-inplace-kill-timeout'));
  const row = all(vm.root ? [vm.root] : []).find(r => r.label === 'KillTimeout')!;
  assert.equal(row.old, '5000000000');
  assert.equal(row.oldHuman, '5s');
  assert.equal(row.newHuman, '9s');
  const count = all(
    buildPlanViewModel('web', body<JobPlanResponse>('plan-count')).root
      ? [buildPlanViewModel('web', body<JobPlanResponse>('plan-count')).root!]
      : [],
  ).find(r => r.label === 'Count')!;
  assert.equal(count.newHuman, undefined, 'Count is not a duration');
});

test('"Show unchanged fields" on an update shows the unchanged parts of the submitted job', () => {
  const job = body<Record<string, unknown>>('parse-web');
  const plain = buildPlanViewModel('web', body<JobPlanResponse>('plan-count'), 'web.nomad.hcl');
  const withJob = buildPlanViewModel('web', body<JobPlanResponse>('plan-count'), 'web.nomad.hcl', { job });
  const hidden = all(visibleRows([withJob.root!], false));
  const shown = all(visibleRows([withJob.root!], true));
  // without the toggle: exactly what changed, as before
  assert.deepEqual(
    hidden.map(r => r.label),
    all(visibleRows([plain.root!], false)).map(r => r.label),
  );
  // with it: the task's driver, its kill timeout (humanised), the group and job fields that did not change
  const driver = shown.find(r => r.label === 'Driver' && r.type === 'None');
  assert.ok(driver, shown.map(r => r.label).join(', '));
  assert.deepEqual(driver.path.slice(0, 2), [
    { kind: 'group', name: 'web' },
    { kind: 'task', name: 'server' },
  ]);
  const kill = shown.find(r => r.label === 'KillTimeout')!;
  assert.equal(kill.newHuman, '5s');
  assert.ok(shown.some(r => r.label === 'Type' && r.new === 'service'));
  assert.ok(shown.length > all(visibleRows([plain.root!], true)).length + 10, 'many more rows than the diff alone');
  // the changed field is still there once, with its marker
  assert.equal(shown.filter(r => r.label === 'Count').length, 1);
  assert.equal(shown.find(r => r.label === 'Count')!.marker, '+/-');
});
