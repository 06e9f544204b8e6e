// The agent snippets (agent-dev, agent-server, agent-client, agent-consul): with their defaults filled
// in, each is detected as an agent configuration and has no diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../../../src/language';
import { root } from '../../support';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

/** Fills `${n:default}`, `${n|a,b|}` and mirrors `$n` with the defaults (no nesting in these snippets). */
function resolve(body: string): string {
  const defaults = new Map<string, string>();
  let text = body.replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, d: string) => {
    defaults.set(n, d);
    return d;
  });
  text = text.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_m, n: string, opts: string) => {
    const d = opts.split(',')[0]!;
    defaults.set(n, d);
    return d;
  });
  return text.replace(/\$(\d+)/g, (_m, n: string) => defaults.get(n) ?? '');
}

void test('agent snippets are agent configurations without diagnostics', () => {
  const all = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'nomad.code-snippets'), 'utf8')) as Record<
    string,
    Snippet
  >;
  const agent = Object.entries(all).filter(([, s]) =>
    (Array.isArray(s.prefix) ? s.prefix : [s.prefix]).some(p => p.startsWith('agent-')),
  );
  assert.deepEqual(agent.map(([, s]) => (Array.isArray(s.prefix) ? s.prefix[0] : s.prefix)).sort(), [
    'agent-client',
    'agent-consul',
    'agent-dev',
    'agent-server',
  ]);
  for (const [name, s] of agent) {
    const text = resolve(Array.isArray(s.body) ? s.body.join('\n') : s.body);
    const a = analyzeText(text);
    assert.equal(a.kind, 'agent', name);
    assert.deepEqual(a.diagnostics, [], `${name}:\n${text}`);
  }
});
