// The target Nomad version in diagnostics, completion and hover: a field the target does not have is an
// error naming the release that added or removed it; completion and hover offer only what the target
// has. The shared corpus gets no version error at the newest release, and at 1.6.5 version errors only
// on files a real Nomad 1.6.5 refuses (when its captured verdicts are present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText } from '../../../../src/language';
import { completeAt } from '../../../../src/language/features/completion';
import { hoverAt } from '../../../../src/language/features/hover';
import { schemaRootFor } from '../../../../src/language/features/context';
import type { TargetVersion } from '../../../../src/language/schema';
import { atCursor, labels, root, validCorpus, CURSOR as C } from '../../support';

const cluster = (version: string): TargetVersion => ({ version, source: 'cluster' });

function errors(text: string, target?: TargetVersion): Diagnostic[] {
  return analyzeText(text, target ? { targetVersion: target } : {}).diagnostics.filter(d => d.severity === 1);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length - 1;
}

const task = (body: string, group = '', job = ''): string =>
  `job "web" {\n${job}  group "g" {\n${group}    task "t" {\n      driver = "docker"\n      config {\n        image = "nginx"\n      }\n${body}\n    }\n  }\n}\n`;

/** One newer field per job: [what, job text, the name the error is on, the release that added it]. */
const NEWER: [string, string, string, string][] = [
  [
    'job ui',
    `job "web" {\n  ui {\n    description = "x"\n  }\n  group "g" {\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n`,
    'ui',
    '1.8.0',
  ],
  ['task action', task('      action "hi" {\n        command = "echo"\n      }'), 'action', '1.7.0'],
  [
    'identity name',
    task('      identity {\n        name = "vault_default"\n        aud  = ["vault.io"]\n      }'),
    'name',
    '1.7.0',
  ],
  ['task consul', task('      consul {\n        namespace = "x"\n      }'), 'consul', '1.7.0'],
  // (for batch and sysbatch jobs only: 2.0 refuses it in a service job)
  [
    'group max_run_duration',
    task('', '    max_run_duration = "1h"\n', '  type = "batch"\n'),
    'max_run_duration',
    '2.0.3',
  ],
  [
    'volume sticky',
    task('', '    volume "data" {\n      type   = "host"\n      source = "data"\n      sticky = true\n    }\n'),
    'sticky',
    '1.10.0',
  ],
  [
    'network cni',
    task(
      '',
      '    network {\n      mode = "cni/mynet"\n      cni {\n        args = {\n          a = "b"\n        }\n      }\n    }\n',
    ),
    'cni',
    '1.8.2',
  ],
];

test('a field newer than the target: an error naming the release that added it, none at the newest', () => {
  for (const [what, text, name, since] of NEWER) {
    const old = errors(text, cluster('1.6.5'));
    const e = old.find(d => d.code === 'needs-newer-nomad');
    assert.ok(e, `${what}: an error at 1.6.5`);
    assert.match(
      e.message,
      new RegExp(
        `^\`${name}\`.* needs Nomad ${since.replaceAll('.', '\\.')} or later; this cluster runs 1\\.6\\.5\\.$`,
      ),
      what,
    );
    assert.equal(e.range.start.line, lineOf(text, `${name} `), `${what}: on the line of \`${name}\``);
    assert.deepEqual(
      errors(text).map(d => d.message),
      [],
      `${what}: no error at the newest release`,
    );
    assert.deepEqual(
      errors(text, cluster(since)).map(d => d.message),
      [],
      `${what}: no error at ${since}`,
    );
  }
  // the message of the issue, word for word
  assert.equal(
    errors(NEWER[0]![1], cluster('1.6.5'))[0]!.message,
    '`ui` needs Nomad 1.8.0 or later; this cluster runs 1.6.5.',
  );
  // a field of a patch release: 2.0.2 refuses what 2.0.3 accepts
  const mrd = NEWER.find(n => n[2] === 'max_run_duration')![1];
  assert.deepEqual(
    errors(mrd, cluster('2.0.2')).map(d => d.message),
    ['`max_run_duration` in `group` needs Nomad 2.0.3 or later; this cluster runs 2.0.2.'],
  );
  // where the target came from is said as it is
  assert.match(
    errors(NEWER[0]![1], { version: '1.7.7', source: 'setting' })[0]!.message,
    /; nomad\.targetVersion is 1\.7\.7\.$/,
  );
});

test('job-level consul_token / vault_token: fine up to 1.9, an error from 1.10 on', () => {
  const text = `job "web" {\n  consul_token = "abc"\n  vault_token  = "def"\n  group "g" {\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n`;
  for (const v of ['1.6.5', '1.9.7']) assert.deepEqual(errors(text, cluster(v)), [], v);
  for (const target of [cluster('1.10.0'), undefined]) {
    const e = errors(text, target);
    assert.deepEqual(
      e.map(d => d.range.start.line),
      [1, 2],
    );
    assert.match(
      e[0]!.message,
      /^`consul_token` was removed in Nomad 1\.10\.0 \(1\.9\.7 is the last release that has it\); /,
    );
    assert.match(
      e[1]!.message,
      /^`vault_token` was removed in Nomad 1\.10\.0 \(1\.9\.7 is the last release that has it\); .*remove it\.$/,
    );
    assert.deepEqual(
      e.map(d => d.code),
      ['consul-token-removed', 'vault-token-removed'],
    );
    assert.deepEqual(
      e.map(d => (d.data as { fix?: string } | undefined)?.fix),
      ['remove-attribute', 'remove-attribute'],
    );
  }
});

test('several identity blocks: one allowed before 1.7', () => {
  const text = task('      identity {\n        env = true\n      }\n      identity {\n        file = true\n      }');
  const old = errors(text, cluster('1.6.5'));
  assert.equal(old.length, 1);
  assert.equal(old[0]!.code, 'needs-newer-nomad');
  assert.equal(
    old[0]!.message,
    'A second `identity` block in `task` (the first is on line 8) needs Nomad 1.7.0 or later; this cluster runs 1.6.5.',
  );
  assert.equal(old[0]!.range.start.line, lineOf(text, 'identity {\n        file'));
  // a block that was never repeatable keeps its own message
  assert.equal(errors(task('      logs {}\n      logs {}'), cluster('1.6.5'))[0]!.code, 'duplicate-block');
  // (from 1.7.0 a task takes several identities, one of them the default: two default ones are refused)
  assert.deepEqual(
    errors(
      text.replace('identity {\n        file = true', 'identity {\n        name = "api"\n        aud  = ["api"]'),
      cluster('1.7.0'),
    ),
    [],
  );
});

test('rules that changed without a struct change: memory_max = -1 (1.7.3) and vault without policies (1.7.0)', () => {
  const mem = task('      resources {\n        memory     = 128\n        memory_max = -1\n      }');
  for (const v of ['1.6.5', '1.7.2']) {
    const e = errors(mem, cluster(v));
    assert.equal(e.length, 1, v);
    assert.equal(
      e[0]!.message,
      `\`memory_max = -1\` (no memory limit) needs Nomad 1.7.3 or later; this cluster runs ${v}.`,
    );
    assert.equal(e[0]!.range.start.line, lineOf(mem, 'memory_max'));
  }
  assert.deepEqual(errors(mem, cluster('1.7.3')), []);
  assert.deepEqual(
    errors(task('      resources {\n        memory     = 128\n        memory_max = 256\n      }'), cluster('1.6.5')),
    [],
  );

  const noPolicies = task('      vault {\n        change_mode = "restart"\n      }');
  const e = errors(noPolicies, cluster('1.6.5'));
  assert.deepEqual(
    e.map(d => d.message),
    ['A `vault` block without `policies` needs Nomad 1.7.0 or later; this cluster runs 1.6.5.'],
  );
  assert.equal(e[0]!.range.start.line, lineOf(noPolicies, 'vault {'));
  assert.deepEqual(errors(noPolicies, cluster('1.7.0')), []);
  assert.deepEqual(errors(task('      vault {\n        policies = ["read"]\n      }'), cluster('1.6.5')), []);
  assert.equal(
    errors(task('      vault {\n        policies = []\n      }'), cluster('1.6.5')).length,
    1,
    'an empty list is no policy either',
  );
  // a job-level vault block only matters for tasks without their own
  const inherited = `job "web" {\n  vault {\n    change_mode = "noop"\n  }\n  group "g" {\n    task "t" {\n      driver = "docker"\n      vault {\n        policies = ["a"]\n      }\n    }\n  }\n}\n`;
  assert.deepEqual(errors(inherited, cluster('1.6.5')), [], 'every task has its own vault');
  const used = inherited.replace('      vault {\n        policies = ["a"]\n      }\n', '');
  assert.equal(errors(used, cluster('1.6.5')).length, 1, 'the task inherits the job-level block');
});

test('completion offers only what the target has', () => {
  const inTask = atCursor(
    `job "a" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      ${C}\n    }\n  }\n}\n`,
  );
  const complete = (v?: string) =>
    labels(completeAt(inTask.file, inTask.offset, schemaRootFor('job', inTask.file, v)).items);
  assert.ok(complete().includes('action'));
  assert.ok(complete().includes('consul'));
  assert.ok(!complete('1.6.5').includes('action'));
  assert.ok(!complete('1.6.5').includes('consul'));
  assert.ok(complete('1.6.5').includes('identity'));
  const inIdentity = atCursor(
    `job "a" {\n  group "g" {\n    task "t" {\n      identity {\n        ${C}\n      }\n    }\n  }\n}\n`,
  );
  const idNames = (v?: string) =>
    labels(completeAt(inIdentity.file, inIdentity.offset, schemaRootFor('job', inIdentity.file, v)).items);
  assert.ok(idNames().includes('name') && idNames().includes('ttl'));
  assert.ok(!idNames('1.6.5').includes('name') && !idNames('1.6.5').includes('ttl'));
  assert.ok(idNames('1.6.5').includes('env'));
  const inJob = atCursor(`job "a" {\n  ${C}\n}\n`);
  const jobNames = (v?: string) =>
    labels(completeAt(inJob.file, inJob.offset, schemaRootFor('job', inJob.file, v)).items);
  assert.ok(jobNames('1.9.0').includes('consul_token'));
  assert.ok(!jobNames().includes('consul_token'));
  assert.ok(jobNames().includes('ui') && !jobNames('1.7.7').includes('ui'));
});

test('hover says since when a field exists, and only for what the target has', () => {
  const ui = atCursor(`job "a" {\n  u${C}i {\n    description = "x"\n  }\n}\n`);
  const hover = (v?: string) =>
    (hoverAt(ui.file, ui.offset, schemaRootFor('job', ui.file, v))?.contents as { value: string } | undefined)?.value;
  assert.match(hover()!, /_Since Nomad 1\.8\.0\._/);
  assert.equal(hover('1.6.5'), undefined);
  const region = atCursor(`job "a" {\n  reg${C}ion = "global"\n}\n`);
  assert.match(
    (hoverAt(region.file, region.offset, schemaRootFor('job', region.file))!.contents as { value: string }).value,
    /_In every Nomad release since 1\.6\.5\._/,
  );
  const token = atCursor(`job "a" {\n  consul_to${C}ken = "x"\n}\n`);
  assert.match(
    (hoverAt(token.file, token.offset, schemaRootFor('job', token.file, '1.9.7'))!.contents as { value: string }).value,
    /removed in Nomad 1\.10/,
  );
  const mcd = atCursor(`job "a" {\n  group "g" {\n    max_client_dis${C}connect = "1h"\n  }\n}\n`);
  assert.match(
    (hoverAt(mcd.file, mcd.offset, schemaRootFor('job', mcd.file))!.contents as { value: string }).value,
    /deprecated since Nomad 1\.8/,
  );
});

// ---- the shared corpus ---------------------------------------------------------------------------

// (nomad-refuses-in-release: a register-time rule that only some releases have, see check/ruleInventory.ts)
const VERSION_CODES = new Set(['needs-newer-nomad', 'removed-from-nomad', 'nomad-refuses-in-release']);
const parityDir = path.join(root, 'test', 'fixtures', 'nomad', 'parity');

/** Nomad 1.6.5's captured answer for a corpus file: true = refused, false = accepted, undefined = not captured. */
function refusedBy165(name: string): boolean | undefined {
  try {
    if (fs.readFileSync(path.join(parityDir, 'VERSION'), 'utf8').trim() !== '1.6.5') return undefined;
    const v = JSON.parse(fs.readFileSync(path.join(parityDir, `valid__${name}.json`), 'utf8')) as {
      skipped?: string;
      parse?: { status: number };
      validate?: { status: number; error?: string | null };
    };
    if (v.skipped || !v.parse) return undefined;
    return !(v.parse.status === 200 && v.validate?.status === 200 && !v.validate.error);
  } catch {
    return undefined;
  }
}

test('corpus: no version error at the newest release; at 1.6.5 version errors only on files Nomad 1.6.5 refuses, the rest unchanged', t => {
  const files = validCorpus();
  if (!files) {
    t.skip('corpus not found');
    return;
  }
  const isVersion = (d: Diagnostic): boolean =>
    VERSION_CODES.has(String(d.code)) ||
    // a second identity block is the other way 1.6.5 refuses several identities
    (d.code === 'duplicate-block' && d.message.includes('`identity`'));
  const show = (d: Diagnostic): string => `${d.range.start.line + 1}: ${d.message}`;
  const newest: string[] = [];
  const changed: string[] = [];
  const acceptedBy165: string[] = [];
  let flagged = 0;
  let checkedAgainstNomad = 0;
  for (const f of files) {
    const now = errors(f.text);
    for (const e of now.filter(isVersion)) {
      // a rule that later releases added (a constraint attribute "$attr.x" without its brace, 1.11.2+) may
      // refuse an old file at the newest release: allowed on files that Nomad 1.6.5 refuses already
      if (e.code === 'nomad-refuses-in-release' && refusedBy165(f.name) === true) continue;
      newest.push(`${f.name}:${show(e)}`);
    }
    const old = errors(f.text, cluster('1.6.5'));
    // the target changes the version errors only (other checks, Nomad's validation rules included, stay)
    const others = (list: Diagnostic[]): string =>
      list
        .filter(d => !isVersion(d))
        .map(show)
        .join(' | ');
    if (others(old) !== others(now)) changed.push(`${f.name}: ${others(old)} ≠ ${others(now)}`);
    if (!old.some(isVersion)) continue;
    flagged++;
    const verdict = refusedBy165(f.name);
    if (verdict !== undefined) checkedAgainstNomad++;
    if (verdict === false) acceptedBy165.push(f.name);
  }
  t.diagnostic(
    `${files.length} files; ${flagged} with version errors at 1.6.5, ${checkedAgainstNomad} of them checked against Nomad 1.6.5's captured verdicts`,
  );
  assert.ok(files.length >= 375);
  assert.deepEqual(newest, []);
  assert.deepEqual(changed, []);
  assert.ok(flagged >= 20, `${flagged} corpus files use fields newer than 1.6.5`);
  assert.deepEqual(acceptedBy165, [], 'files Nomad 1.6.5 accepts get no version error');
});
