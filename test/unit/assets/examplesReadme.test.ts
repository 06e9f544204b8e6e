// examples/README.md says what the language server flags in the tutorial's job: hold it to that
// (it once claimed `count = "1"` was flagged, and it is not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../../src/language/hcl';
import { checkFile } from '../../../src/language/check';
import { repoRoot } from '../support';

test('the examples README names exactly what the language server flags in microservice-job-01.nomad', () => {
  const root = repoRoot();
  const readme = fs.readFileSync(path.join(root, 'examples', 'README.md'), 'utf8');
  const src = fs.readFileSync(path.join(root, 'examples', 'microservice-job-01.nomad'), 'utf8');
  const diags = checkFile(parse(src));
  const lines = src.split('\n');
  const flaggedLines = new Set(diags.map(d => d.range.start.line));
  const countLine = lines.findIndex(l => /^\s*count\s*=\s*"1"/.test(l));
  assert.ok(countLine >= 0, 'the example keeps count = "1"');
  assert.ok(!flaggedLines.has(countLine), 'count = "1" is not flagged');
  assert.match(readme, /`count = "1"` is not\s+flagged/, 'the README says so');
  // every shape the README says is warned about is warned about
  const said: Record<string, RegExp> = {
    'port-map-deprecated': /warns about the `port_map`/,
    'task-network-deprecated': /task-level network/,
    'mbits-deprecated': /`mbits`/,
    'service-without-check': /service without a check/,
    'missing-update': /missing\s+`update` block/,
  };
  const codes = new Set(diags.map(d => String(d.code)));
  for (const [code, re] of Object.entries(said)) {
    assert.match(readme, re, `the README names ${code}`);
    assert.ok(codes.has(code), `the language server reports ${code} (${[...codes].join(', ')})`);
  }
});
