// The plan-diff view model, built from REAL plan responses captured from a Nomad v1.6.5 agent
// (test/fixtures/nomad/captured/plan-*.json; see that folder's README for how each was captured).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  buildPlanViewModel,
  planAsText,
  visibleRows,
  lineDiff,
  sortUpdates,
  type PlanRow,
} from '../../../../src/nomad/plan/viewModel';
import type { JobPlanResponse } from '../../../../src/nomad/types';
import { root } from '../../support';

const dir = path.join(root, 'test', 'fixtures', 'nomad', 'captured');
const plan = (name: string): JobPlanResponse =>
  (JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { body: JobPlanResponse }).body;
const find = (r: PlanRow | undefined, pred: (r: PlanRow) => boolean): PlanRow | undefined => {
  if (!r) return undefined;
  if (pred(r)) return r;
  for (const c of r.children) {
    const f = find(c, pred);
    if (f) return f;
  }
  return undefined;
};

test('a new job: "+" everywhere, create counts, index 0 and the CLI line', () => {
  const vm = buildPlanViewModel('web', plan('plan-new'), 'web.nomad.hcl');
  assert.equal(vm.change, 'new');
  assert.equal(vm.jobModifyIndex, 0);
  assert.equal(vm.root?.marker, '+');
  const group = find(vm.root, r => r.kind === 'group')!;
  assert.equal(group.label, 'Task Group: "web"');
  assert.equal(group.note, '(1 create)');
  const task = find(vm.root, r => r.kind === 'task')!;
  assert.deepEqual(task.annotations, ['forces create']);
  const cmd = find(vm.root, r => r.label === 'command')!;
  assert.equal(cmd.marker, '+');
  assert.equal(cmd.new, '/usr/bin/env');
  assert.deepEqual(cmd.path, [
    { kind: 'group', name: 'web' },
    { kind: 'task', name: 'server' },
    { kind: 'object', name: 'Config' },
    { kind: 'field', name: 'command' },
  ]);
  assert.equal(vm.cliLine, 'nomad job run -check-index 0 web.nomad.hcl');
  assert.ok(vm.allPlaced);
});

test('a changed env var: create/destroy update, annotated task, old => new', () => {
  const vm = buildPlanViewModel('web', plan('plan-destructive'));
  assert.equal(vm.change, 'update');
  assert.equal(vm.jobModifyIndex, 26);
  const task = find(vm.root, r => r.kind === 'task')!;
  assert.equal(task.marker, '+/-');
  assert.equal(task.note, '(forces create/destroy update)');
  const env = find(vm.root, r => r.label === 'Env[GREETING]')!;
  assert.equal(env.marker, '+/-');
  assert.equal(env.old, 'hello');
  assert.equal(env.new, 'bonjour');
  assert.deepEqual(vm.groupUpdates, [{ group: 'web', updates: [{ kind: 'create/destroy update', count: 1 }] }]);
  assert.match(planAsText(vm), /\+\/- Env\[GREETING\]: "hello" => "bonjour"/);
  assert.match(planAsText(vm), /\+\/- Task: "server" \(forces create\/destroy update\)/);
});

test('in-place update and count change are counted per group, in the CLI order', () => {
  assert.equal(
    find(buildPlanViewModel('web', plan('plan-inplace')).root, r => r.kind === 'group')!.note,
    '(1 in-place update)',
  );
  const vm = buildPlanViewModel('web', plan('plan-count'));
  assert.equal(find(vm.root, r => r.kind === 'group')!.note, '(2 create, 1 in-place update)');
  const count = find(vm.root, r => r.label === 'Count')!;
  assert.equal(count.marker, '+/-');
});

test('failed placements are explained with the scheduler metrics', () => {
  const vm = buildPlanViewModel('web', plan('plan-failed-memory'));
  assert.equal(vm.allPlaced, false);
  assert.equal(vm.failed[0]!.group, 'web');
  assert.ok(
    vm.failed[0]!.lines.some(l => /Dimension "memory" exhausted/.test(l)),
    vm.failed[0]!.lines.join('\n'),
  );
  const mem = find(vm.root, r => r.label === 'MemoryMB')!;
  assert.equal(mem.old, '64');
  assert.equal(mem.new, '1000000');
  const c = buildPlanViewModel('web', plan('plan-failed-constraint'));
  assert.equal(c.allPlaced, false);
  assert.ok(
    c.failed[0]!.lines.some(l => /Constraint .* filtered/.test(l)),
    c.failed[0]!.lines.join('\n'),
  );
});

test('canary plans show canary and ignore counts', () => {
  const vm = buildPlanViewModel('web', plan('plan-canary'));
  assert.equal(find(vm.root, r => r.kind === 'group')!.note, '(1 canary, 1 ignore)');
});

test('an unchanged job says so and hides everything unless asked', () => {
  const vm = buildPlanViewModel('web', plan('plan-none'));
  assert.equal(vm.change, 'none');
  assert.deepEqual(visibleRows([vm.root!], false).length, 0);
  assert.ok(visibleRows([vm.root!], true).length > 0);
});

test('unchanged fields of an edited object are hidden by default and shown on request', () => {
  // the agent sends the unchanged fields of an edited object (contextual diff): Resources.CPU here
  const vm = buildPlanViewModel('web', plan('plan-failed-memory'));
  const hidden = JSON.stringify(visibleRows([vm.root!], false));
  const shown = JSON.stringify(visibleRows([vm.root!], true));
  assert.ok(hidden.includes('"MemoryMB"') && !hidden.includes('"CPU"'), 'only the changed field by default');
  assert.ok(shown.includes('"CPU"'), 'unchanged fields on request');
});

test('a config change diff keeps the unchanged args as context and flags the change', () => {
  const vm = buildPlanViewModel('web', plan('plan-destructive-config'));
  const task = find(vm.root, r => r.kind === 'task')!;
  assert.equal(task.note, '(forces create/destroy update)');
  const config = find(vm.root, r => r.kind === 'object' && r.label === 'Config')!;
  assert.equal(config.marker, '+/-');
  assert.ok(
    config.children.some(c => c.type === 'None'),
    'unchanged args are context rows',
  );
  assert.ok(
    config.children.some(c => c.type !== 'None'),
    'and something changed',
  );
});

test('long values become a line diff', () => {
  assert.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc'), [
    { op: ' ', text: 'a' },
    { op: '-', text: 'b' },
    { op: '+', text: 'B' },
    { op: ' ', text: 'c' },
  ]);
  const vm = buildPlanViewModel('x', {
    JobModifyIndex: 3,
    CreatedEvals: null,
    Annotations: null,
    FailedTGAllocs: null,
    NextPeriodicLaunch: '0001-01-01T00:00:00Z',
    Warnings: '',
    Diff: {
      Type: 'Edited',
      ID: 'x',
      Fields: null,
      Objects: null,
      TaskGroups: [
        {
          Type: 'Edited',
          Name: 'g',
          Fields: null,
          Objects: null,
          Updates: null,
          Tasks: [
            {
              Type: 'Edited',
              Name: 't',
              Fields: null,
              Annotations: null,
              Objects: [
                {
                  Type: 'Edited',
                  Name: 'Template',
                  Objects: null,
                  Fields: [
                    {
                      Type: 'Edited',
                      Name: 'EmbeddedTmpl',
                      Old: 'line1\nline2\n',
                      New: 'line1\nline2 changed\n',
                      Annotations: null,
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  const tmpl = find(vm.root, r => r.label === 'EmbeddedTmpl')!;
  assert.ok(tmpl.lines?.some(l => l.op === '+' && l.text === 'line2 changed'));
  assert.equal(vm.nextPeriodicLaunch, undefined);
});

test('update kinds sort like the CLI prints them', () => {
  assert.deepEqual(
    sortUpdates({ ignore: 1, create: 2, 'create/destroy update': 1, zzz: 1, destroy: 0 }).map(u => u.kind),
    ['create', 'create/destroy update', 'ignore', 'zzz'],
  );
});

test('warnings are flattened to their messages', () => {
  const vm = buildPlanViewModel('x', {
    ...plan('plan-none'),
    Warnings:
      '1 error occurred:\n\t* Group "Microservices" has warnings: 1 error occurred:\n\t* 1 error occurred:\n\t* Task "microservice-01": task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.\n\n\n\n',
  });
  assert.deepEqual(vm.warnings, [
    'Task "microservice-01": task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.',
  ]);
});

test('warnings as Nomad 1.6.5 merges them ("1 warning:") are flattened to their messages', () => {
  // the plan's Warnings of the tutorial's job, as the agent answered it
  const vm = buildPlanViewModel('x', {
    ...plan('plan-none'),
    Warnings:
      '1 warning:\n\n* Group "Microservices" has warnings: 1 error occurred:\n\t* 1 error occurred:\n\t* Task "microservice-01": task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.',
  });
  assert.deepEqual(vm.warnings, [
    'Task "microservice-01": task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.',
  ]);
  const two = buildPlanViewModel('x', { ...plan('plan-none'), Warnings: '2 warnings:\n\n* first\n* second' });
  assert.deepEqual(two.warnings, ['first', 'second']);
});
