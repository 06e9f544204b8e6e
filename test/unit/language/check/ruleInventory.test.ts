// The rule inventory (src/language/check/ruleInventory.ts) held to the checker: every rule it marks as
// judged has a failing and a passing case (./ruleCases.ts); the failing case is reported as an error on
// the line of the mistake, the passing one gets no error at all. Rules that hold only in some releases
// are judged by the target release: an error inside the range, none outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../../src/language';
import { inventoryCount, NOMAD_RULES, ruleById, ruleHolds } from '../../../../src/language/check/ruleInventory';
import { RULE_CASES, type RuleCase } from './ruleCases';

const quiet = { lints: { serviceWithoutCheck: false, updateWithoutHealth: false } };

const indent = (text: string, n: number): string =>
  text
    .split('\n')
    .map(l => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** a small job with the case's lines in place, and the 0-based line of the `#!` marker */
export function caseJob(c: RuleCase, variant: 'fail' | 'pass'): { text: string; line: number | undefined } {
  const lines = c[variant];
  if (c.whole) return { text: lines, line: lines.split('\n').findIndex(l => /#!\s*$/.test(l)) };
  const type = c.types?.[0];
  const at = (where: RuleCase['at'], n: number): string => (c.at === where ? `${indent(lines, n)}\n` : '');
  const text = `job "j" {\n  datacenters = ["dc1"]\n${type ? `  type        = "${type}"\n` : ''}${at('job', 2)}  group "g" {\n${at('group', 4)}    task "t" {\n      driver = "docker"\n      config {\n        image = "nginx"\n      }\n${at('task', 6)}    }\n  }\n}\n`;
  const idx = text.split('\n').findIndex(l => /#!\s*$/.test(l));
  return { text, line: idx < 0 ? undefined : idx };
}

function errors(text: string, target: string) {
  return analyzeText(text, { ...quiet, targetVersion: { version: target, source: 'setting' } }).diagnostics.filter(
    d => d.severity === 1,
  );
}

test('rule inventory: ids are unique, ranges are ordered, every judged rule has cases', t => {
  const ids = NOMAD_RULES.map(r => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of NOMAD_RULES) {
    assert.ok(r.judged || r.reason || r.wrapper, `${r.id}: judged, a reason or a wrapper`);
    assert.ok(!(r.judged && r.reason), `${r.id}: not both judged and a reason`);
    assert.ok(
      r.reason !== 'not judged yet' && !/^not judged yet/i.test(r.reason ?? ''),
      `${r.id}: judged, or the reason it cannot be judged from the file (not "not judged yet")`,
    );
    if (r.last) assert.ok(ruleHolds(r, r.since) && ruleHolds(r, r.last), `${r.id}: holds in its own range`);
  }
  const withCases = new Set(RULE_CASES.map(c => c.rule));
  const missing = NOMAD_RULES.filter(r => r.judged && !withCases.has(r.id)).map(r => r.id);
  assert.deepEqual(missing, [], 'judged rules without a case');
  for (const c of RULE_CASES)
    assert.ok(ruleById(c.rule).judged, `${c.rule}: a case of a rule the inventory does not mark as judged`);
  const at165 = inventoryCount('1.6.5');
  const at205 = inventoryCount('2.0.5');
  const all = inventoryCount();
  t.diagnostic(
    `inventory: ${all.rules} rules in 1.6.5..2.0.5 (${all.judged} judged, ${all.cluster} need the cluster, ${all.notFromFile} cannot come from a file, ${all.notYet} not judged yet)`,
  );
  t.diagnostic(
    `at 1.6.5: ${at165.rules} rules, ${at165.judged} judged, ${at165.cluster} need the cluster, ${at165.notFromFile} cannot come from a file; at 2.0.5: ${at205.rules} rules, ${at205.judged} judged, ${at205.cluster} need the cluster, ${at205.notFromFile} cannot come from a file`,
  );
  assert.ok(all.judged >= 300, `${all.judged} judged`);
  assert.equal(all.notYet, 0, 'rules not judged yet');
  assert.equal(
    all.judged + all.cluster + all.notFromFile,
    all.rules,
    'every rule judged, needing the cluster, or not from a file',
  );
});

test('rule inventory: each failing case is an error on the line of the mistake, each passing case has no error', () => {
  const wrong: string[] = [];
  for (const c of RULE_CASES) {
    const target = c.target ?? '1.6.5';
    const f = caseJob(c, 'fail');
    assert.ok(f.line !== undefined, `${c.rule}: the failing case marks its line with #!`);
    const fe = errors(f.text, target);
    if (!fe.some(d => d.range.start.line === f.line)) {
      wrong.push(
        `${c.rule} (fail): no error on line ${f.line! + 1}; errors: ${fe.map(d => `${d.range.start.line + 1}: ${d.message}`).join(' | ') || 'none'}`,
      );
    }
    const p = caseJob(c, 'pass');
    const pe = errors(p.text, target);
    if (pe.length)
      wrong.push(`${c.rule} (pass): ${pe.map(d => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
  }
  assert.deepEqual(wrong, []);
});

test('rule inventory: a rule is judged only in the releases that have it', () => {
  let checked = 0;
  for (const c of RULE_CASES) {
    const rule = ruleById(c.rule);
    if (rule.judged !== 'registerRules.ts' || (!rule.last && rule.since === '1.6.5')) continue;
    const f = caseJob(c, 'fail');
    const mark = (v: string) =>
      errors(f.text, v).some(d => d.range.start.line === f.line && d.code === 'nomad-refuses-in-release');
    if (rule.since !== '1.6.5') assert.ok(mark(rule.since), `${c.rule}: an error at ${rule.since}`);
    if (rule.last) {
      assert.ok(mark(rule.last), `${c.rule}: an error at ${rule.last}, its last release`);
      checked++;
    }
  }
  assert.ok(checked >= 2, `${checked} rules with a last release checked`);
  // the disconnect pair: refused up to 1.9.7, not by the rule in later releases
  const pair = RULE_CASES.find(c => c.rule === 'group.disconnect-pair')!;
  const text = caseJob(pair, 'fail').text;
  const said = (v: string) =>
    errors(text, v).some(d => /both `max_client_disconnect` and `stop_after_client_disconnect`/.test(d.message));
  assert.deepEqual(['1.6.5', '1.9.7', '1.10.0', '2.0.5'].map(said), [true, true, false, false]);
});

// validate.ts's rules that hold in some releases only, each at a release inside and one outside its
// range: the same file is an error in one and not in the other (a rule whose successor refuses the same
// mistake is shown by a file only the old rule refuses). Every such rule of the inventory must be here.
const VALIDATE_BOUNDARIES: readonly {
  rules: readonly string[];
  at: RuleCase['at'];
  lines: string;
  refused: readonly string[];
  accepted: readonly string[];
}[] = [
  {
    rules: ['connect.sidecar-networks', 'connect.sidecar-bridge', 'connect.network-mode-111', 'connect.networks-111'],
    at: 'group',
    lines:
      'network {\n  mode = "cni/mesh"\n}\nservice {\n  name = "b"\n  port = "9090"\n  connect {\n    sidecar_service {} #!\n  }\n}',
    refused: ['1.6.5', '1.10.5'],
    accepted: ['1.11.0', '2.0.5'],
  },
  {
    rules: ['connect.gateway-networks', 'connect.gateway-mode'],
    at: 'group',
    lines:
      'network {\n  mode = "cni/mesh"\n}\nservice {\n  name = "gw"\n  connect {\n    gateway { #!\n      mesh {}\n    }\n  }\n  port = "9091"\n}',
    refused: ['1.6.5', '1.10.5'],
    accepted: ['1.11.0', '2.0.5'],
  },
  {
    rules: ['expose.bridge-count', 'expose.bridge-mode'],
    at: 'group',
    lines:
      'network {\n  mode = "cni/mesh"\n}\nservice {\n  name = "ex"\n  port = "9090"\n  connect {\n    sidecar_service {}\n  }\n  check { #!\n    type     = "http"\n    path     = "/h"\n    expose   = true\n    interval = "10s"\n    timeout  = "2s"\n  }\n}',
    refused: ['1.6.5', '1.10.5'],
    accepted: ['1.11.0', '2.0.5'],
  },
  {
    rules: ['volume.host-attachment-mode'],
    at: 'group',
    lines:
      'volume "hv" {\n  type            = "host"\n  source          = "hv"\n  attachment_mode = "file-system" #!\n}',
    refused: ['1.6.5', '1.9.7'],
    accepted: ['1.10.0', '2.0.5'],
  },
  {
    rules: ['volume.host-access-mode', 'volume.host-access-mode-110'],
    at: 'group',
    lines: 'volume "hv" {\n  type        = "host"\n  source      = "hv"\n  access_mode = "single-node-writer" #!\n}',
    refused: ['1.6.5', '1.9.7'],
    accepted: ['1.10.0', '2.0.5'],
  },
  {
    rules: ['volume.host-access-mode', 'volume.host-access-mode-110'],
    at: 'group',
    lines:
      'volume "hv" {\n  type        = "host"\n  source      = "hv"\n  access_mode = "multi-node-multi-writer" #!\n}',
    refused: ['1.6.5', '1.9.7', '1.10.0', '2.0.5'],
    accepted: [],
  },
  {
    rules: ['group.system-reschedule', 'group.sysbatch-reschedule'],
    at: 'group',
    lines: 'reschedule { #!\n  attempts = 1\n}',
    refused: ['1.6.5', '1.10.5', '1.11.0', '2.0.5'],
    accepted: [],
  },
];

test('rule inventory: validate.ts judges its rules of some releases by the target release', () => {
  const covered = new Set(VALIDATE_BOUNDARIES.flatMap(b => b.rules));
  const ranged = NOMAD_RULES.filter(r => r.judged === 'validate.ts' && (r.last || r.since !== '1.6.5')).map(r => r.id);
  assert.deepEqual(
    ranged.filter(id => !covered.has(id)),
    [],
    'validate.ts rules with a release range and no boundary case',
  );
  const wrong: string[] = [];
  for (const b of VALIDATE_BOUNDARIES) {
    const job = caseJob(
      {
        rule: b.rules[0]!,
        at: b.at,
        fail: b.lines,
        pass: '',
        types: b.rules.includes('group.system-reschedule') ? ['system'] : undefined,
      },
      'fail',
    );
    for (const v of [...b.refused, ...b.accepted]) {
      const hit = errors(job.text, v).some(d => d.range.start.line === job.line);
      if (hit !== b.refused.includes(v)) wrong.push(`${b.rules.join('/')} at ${v}: ${hit ? 'an error' : 'no error'}`);
    }
  }
  assert.deepEqual(wrong, []);
});
