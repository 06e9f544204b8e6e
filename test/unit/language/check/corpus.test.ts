// The shared corpus of real job files: valid ones get no error, invalid ones an error on the line of
// the mistake. Read from ../shared/corpus (never copied into the repository).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { corpusDir, diags, root } from '../../support';
import { refused, type Verdict } from '../../../parity/nomad';

const validDir = path.join(corpusDir, 'valid');
const invalidDir = path.join(corpusDir, 'invalid');

/** 1-based line of the obvious mistake in each invalid file (a file may have more). */
const EXPECTED_LINE: Record<string, number> = {
  'bad-artifact.hcl': 12, // unknown `bad` in artifact
  'bad-ports.hcl': 10, // removed consul_token
  'basic.hcl': 12, // removed consul_token
  'basic_wrong_key.hcl': 74, // `nterval` (also consul_token on line 10)
  'incorrect-service-def.hcl': 10, // removed consul_token
  'multi-network.hcl': 17, // reserved_ports is a block
  'multi-resource.hcl': 10, // second ephemeral_disk
  'multi-vault.hcl': 25, // second vault
  'overlapping-ports.hcl': 10, // removed consul_token
  'task-scaling-policy-invalid-resource.hcl': 8, // scaling "wrong"
  'task-scaling-policy-missing-name.hcl': 8, // task scaling needs a label
  'task-scaling-policy-multi-cpu.hcl': 18, // second scaling "cpu"
  'task-scaling-policy-multi-name.hcl': 8, // two labels
  'tg-scaling-policy-invalid-type.hcl': 7, // type = "vertical_cpu" in a group
  'tg-scaling-policy-missing-max.hcl': 6, // scaling without max
  'tg-scaling-policy-with-label.hcl': 6, // group scaling takes no label
};

/** Files of valid/ that a real Nomad 1.6.5 refuses (captured verdicts, test/fixtures/nomad/parity): errors are due there. */
function refusedByNomad(name: string): boolean {
  const fx = path.join(root, 'test', 'fixtures', 'nomad', 'parity', `valid__${name}.json`);
  if (!fs.existsSync(fx)) return false;
  const v = JSON.parse(fs.readFileSync(fx, 'utf8')) as Verdict;
  return refused(v);
}

test('valid corpus: no error-severity diagnostic (except on the files Nomad refuses)', t => {
  if (!fs.existsSync(validDir)) {
    t.skip(`corpus not found at ${validDir}`);
    return;
  }
  const failures: string[] = [];
  let n = 0;
  for (const f of fs.readdirSync(validDir).sort()) {
    if (refusedByNomad(f)) continue;
    n++;
    const errs = diags(fs.readFileSync(path.join(validDir, f), 'utf8')).filter(d => d.severity === 1);
    for (const e of errs) failures.push(`${f}:${e.range.start.line + 1} ${String(e.code)} ${e.message}`);
  }
  assert.ok(n > 0);
  assert.deepEqual(failures, []);
});

test('invalid corpus: at least one error, on the line of the mistake', t => {
  if (!fs.existsSync(invalidDir)) {
    t.skip(`corpus not found at ${invalidDir}`);
    return;
  }
  const failures: string[] = [];
  for (const f of fs.readdirSync(invalidDir).sort()) {
    const errs = diags(fs.readFileSync(path.join(invalidDir, f), 'utf8')).filter(d => d.severity === 1);
    if (errs.length === 0) {
      failures.push(`${f}: no error`);
      continue;
    }
    const key = Object.keys(EXPECTED_LINE).find(k => f.endsWith(`__${k}`));
    if (key && !errs.some(e => e.range.start.line + 1 === EXPECTED_LINE[key])) {
      failures.push(
        `${f}: no error on line ${EXPECTED_LINE[key]} (got ${errs.map(e => e.range.start.line + 1).join(', ')})`,
      );
    }
  }
  assert.deepEqual(failures, []);
});
