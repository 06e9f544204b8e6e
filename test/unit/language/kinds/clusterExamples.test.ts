// examples/cluster/ holds the tutorial's agent files (a server on node-01, clients on node-02 and node-03),
// adapted to loopback addresses; test/contract/tutorialCluster.ts starts a real cluster from them. The
// language server shows them as agent configurations without a finding, at the oldest release we support
// and at the newest, and each keeps the tutorial's shape: one server, clients that join it, Consul on node-01 and a Consul agent on every client (Nomad wants one of its
// own on each client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../../src/language';
import { repoRoot } from '../../support';

const dir = path.join(repoRoot(), 'examples', 'cluster');
const files = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.hcl'))
  .sort();

test('the cluster examples are the three agents of the tutorial', () => {
  assert.deepEqual(files, ['node-01.server.hcl', 'node-02.client.hcl', 'node-03.client.hcl']);
});

for (const f of files) {
  test(`${f}: an agent configuration without findings at Nomad 1.6.5 and at the newest release`, () => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const targetVersion of [{ version: '1.6.5', source: 'setting' as const }, undefined]) {
      const a = analyzeText(text, { fileName: f, ...(targetVersion ? { targetVersion } : {}) });
      assert.equal(a.kind, 'agent', f);
      assert.deepEqual(
        a.diagnostics.map(d => `${d.range.start.line + 1}: ${d.message}`),
        [],
        `${f} at ${targetVersion?.version ?? 'the newest release'}`,
      );
    }
    const n = f.slice(5, 7);
    assert.match(
      text,
      new RegExp(`^bind_addr = "127\\.0\\.0\\.${Number(n)}"`, 'm'),
      'each node on its own loopback address',
    );
    assert.match(
      text,
      new RegExp(`address = "127\\.0\\.0\\.${Number(n)}:8500"`),
      'the Consul agent on the node itself (node-01 runs the Consul server)',
    );
    if (f.includes('server')) assert.match(text, /bootstrap_expect = 1/);
    else assert.match(text, /servers = \["127\.0\.0\.1:4647"\]/, 'the client joins the server on node-01');
  });
}
