import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseValidationErrors, parseHclErrorLocation } from '../../../../src/language/check/clusterFindings';
import { rangeForFinding } from '../../../../src/language/check/findingRanges';
import { parse } from '../../../../src/language/hcl';

// verbatim from a Nomad 1.6.5 agent: POST /v1/validate/job for the job below
const REAL =
  'Task group g validation failed: 2 errors occurred:\n\t* Constraint 1 validation failed: 1 error occurred:\n\t* Unknown constraint type "is_awesome"\n\n\n\t* Task t validation failed: 1 error occurred:\n\t* 1 error occurred:\n\t* 1 error occurred:\n\t* minimum MemoryMB value is 10; got 5\n\n\n\n\n\n\n\n';
const JOB = `job "v" {
  datacenters = ["dc1"]
  group "g" {
    constraint {
      attribute = "\${attr.kernel.name}"
      operator  = "is_awesome"
      value     = "linux"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
      resources {
        memory = 5
      }
    }
  }
}
`;

test('nested multierror text becomes findings with their group, task and object', () => {
  const f = parseValidationErrors([REAL]);
  assert.deepEqual(f, [
    { message: 'Unknown constraint type "is_awesome"', group: 'g', object: { kind: 'Constraint', index: 1 } },
    { message: 'minimum MemoryMB value is 10; got 5', group: 'g', task: 't' },
  ]);
});

test('findings map to the attribute they are about', () => {
  const file = parse(JOB);
  const [c, m] = parseValidationErrors([REAL]);
  const text = (r: { start: number; end: number } | undefined) => (r ? JOB.slice(r.start, r.end) : '');
  assert.equal(text(rangeForFinding(file, c!)), 'operator  = "is_awesome"');
  assert.equal(text(rangeForFinding(file, m!)), 'memory = 5');
  assert.equal(text(rangeForFinding(file, { message: 'something else', group: 'g' })), '"g"');
});

test('HCL error locations as the agent reports them', () => {
  assert.deepEqual(
    parseHclErrorLocation(
      'Failed to parse job: input.hcl:3,1-1: Argument or block definition required; An argument or block definition is required here.',
    ),
    {
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 1,
      message: 'Argument or block definition required; An argument or block definition is required here.',
    },
  );
  assert.deepEqual(parseHclErrorLocation('input.hcl:2,3-4,5: Unclosed configuration block'), {
    line: 2,
    column: 3,
    endLine: 4,
    endColumn: 5,
    message: 'Unclosed configuration block',
  });
  assert.equal(parseHclErrorLocation('no location'), undefined);
});
