// HCL2's single-line block rule (issue 18: a parser gap behind 4 of Nomad's refusals): content on the
// line of a block's "{" makes it a single-line block, which holds one argument and closes on that line.
// The expected verdicts are HCL's, as `nomad fmt` 1.6.5 gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';

const codes = (text: string): string[] => parse(text).errors.map(e => e.code);

test('accepted: one argument closed on its line, empty blocks, multi-line blocks, a value spanning lines', () => {
  for (const t of [
    'a { b = 1 }\n',
    'a {}\n',
    'a { }\n',
    'a {\n  b = 1\n}\n',
    'a { # note\n  b = 1\n}\n',
    'a { b = [\n  1,\n] }\n',
  ]) {
    assert.deepEqual(codes(t), [], JSON.stringify(t));
  }
});

test('refused: the block goes on past the line, holds a block, or a heredoc (which ends its line)', () => {
  for (const t of ['a { b = 1\n}\n', 'a { b = 1\n  c = 2\n}\n', 'a { b { c = 1 } }\n', 'a { b = <<EOT\nx\nEOT\n}\n']) {
    assert.deepEqual(codes(t), ['single-line-block'], JSON.stringify(t));
  }
});

test('the rest of the file is still parsed after a single-line block error', () => {
  const f = parse('job "j" {\n  group "g" { count = 1\n  }\n  meta {\n    a = "b"\n  }\n}\n');
  assert.deepEqual(
    f.errors.map(e => e.code),
    ['single-line-block'],
  );
  const job = f.body.items[0];
  assert.ok(job?.kind === 'Block');
  assert.deepEqual(
    job.body.items.map(i => (i.kind === 'Block' ? i.type : i.name)),
    ['group', 'meta'],
  );
});
