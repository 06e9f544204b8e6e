// Against a real Nomad (NOMAD_BIN, e.g. the 1.6.5 build; skipped without one): jobs that use a field
// newer than the agent are refused by it (/v1/jobs/parse, then /v1/validate/job) the way our error says,
// on the same line, and the same jobs without that field are accepted by both. The target is the
// agent's own version, read from /v1/agent/self as the extension does.
//   NOMAD_BIN=<a Nomad binary> node --test out/test/unit/language/check/versionsAgent.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { analyzeText } from '../../../../src/language';
import { compareVersions, parseVersion } from '../../../../src/language/schema';
import { startAgent, type RealAgent } from '../../../contract/agent';
import { call } from '../../../contract/http';
import { CASES, task } from './versionCases';
import path from 'node:path';
import { root } from '../../support';

/** where CAPTURE_VERSIONS=1 writes the agent's verdicts, for versionsCaptured.test.ts */
const capturedFile = (version: string): string =>
  path.join(root, 'test', 'fixtures', 'nomad', 'versions', `verdicts-${version}.json`);

const bin = process.env.NOMAD_BIN ?? '';

/** Nomad's verdict: where it refused the job and why (undefined: accepted). */
async function verdict(
  agent: RealAgent,
  hcl: string,
): Promise<{ at: 'parse' | 'validate'; error: string; line?: number } | undefined> {
  const parsed = await call(agent.addr, 'POST', '/v1/jobs/parse', { body: { JobHCL: hcl, Canonicalize: true } });
  if (parsed.status !== 200) {
    const m = /:(\d+),\d+-\d+:/.exec(parsed.text);
    return { at: 'parse', error: parsed.text, ...(m ? { line: Number(m[1]) } : {}) };
  }
  const v = await call(agent.addr, 'PUT', '/v1/validate/job', { body: { Job: parsed.json } });
  const error = v.status !== 200 ? v.text : ((v.json?.Error as string | undefined) ?? '');
  return error ? { at: 'validate', error } : undefined;
}

test(
  'a real Nomad refuses the newer fields the way our errors say, and accepts the jobs without them',
  { timeout: 300_000 },
  async t => {
    if (!bin || !fs.existsSync(bin)) {
      t.skip('set NOMAD_BIN to a Nomad binary (e.g. the 1.6.5 build)');
      return;
    }
    // Vault enabled (nothing listens there; jobs are only parsed and validated), or Nomad refuses every
    // job with a vault block for that reason alone
    const agent = await startAgent(bin, {
      extraConfig:
        'vault {\n  enabled               = true\n  address               = "http://127.0.0.1:9"\n  allow_unauthenticated = true\n  token                 = "not-a-real-token"\n}',
    });
    try {
      const self = await call(agent.addr, 'GET', '/v1/agent/self');
      const version = self.json?.config?.Version?.Version as string;
      assert.ok(parseVersion(version), `agent version ${version}`);
      t.diagnostic(`agent ${version}`);
      const target = { version, source: 'cluster' as const };
      const facts: string[] = [];
      const captured: {
        what: string;
        refused: { at: string; line?: number; error: string };
        withoutAccepted: boolean;
      }[] = [];
      let applicable = 0;
      for (const c of CASES) {
        if (compareVersions(version.replace(/[-+].*$/, ''), c.since) >= 0) continue; // the agent has it
        applicable++;
        const ours = analyzeText(c.job, { targetVersion: target }).diagnostics.filter(d => d.severity === 1);
        const nomad = await verdict(agent, c.job);
        assert.ok(nomad, `${c.what}: Nomad ${version} accepted it`);
        facts.push(
          `${c.what}: Nomad ${version} refuses at ${nomad.at}${nomad.line ? ` (line ${nomad.line})` : ''}: ${nomad.error.replace(/\s+/g, ' ').slice(0, 160)} | ours: ${ours.map(d => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`,
        );
        const without = await verdict(agent, c.without);
        captured.push({ what: c.what, refused: nomad, withoutAccepted: without === undefined });
        assert.equal(nomad.at, c.at, c.what);
        assert.match(nomad.error, c.nomad, c.what);
        assert.ok(ours.length > 0, `${c.what}: we report no error`);
        assert.ok(
          ours.some(d => d.message.includes(`needs Nomad ${c.since} or later`)),
          `${c.what}: ${ours.map(d => d.message).join(' | ')}`,
        );
        if (nomad.line !== undefined)
          assert.ok(
            ours.some(d => d.range.start.line + 1 === nomad.line),
            `${c.what}: Nomad names line ${nomad.line}`,
          );
        // the same job without the newer field: accepted by both
        assert.equal(without, undefined, `${c.what}: Nomad refuses the job without the field`);
        assert.deepEqual(
          analyzeText(c.without, { targetVersion: target })
            .diagnostics.filter(d => d.severity === 1)
            .map(d => d.message),
          [],
          c.what,
        );
      }
      // job-level consul_token / vault_token: still accepted before 1.10, and we say nothing there
      if (compareVersions(version.replace(/[-+].*$/, ''), '1.10') < 0) {
        const tokens = task('', '', '  consul_token = "abc"\n  vault_token  = "def"\n');
        assert.equal(await verdict(agent, tokens), undefined, `Nomad ${version} refuses consul_token / vault_token`);
        assert.deepEqual(
          analyzeText(tokens, { targetVersion: target }).diagnostics.filter(d => d.severity === 1),
          [],
        );
        facts.push(`consul_token / vault_token: accepted by Nomad ${version}, no error from us`);
      }
      for (const f of facts) t.diagnostic(f);
      if (process.env.CAPTURE_VERSIONS === '1') {
        fs.mkdirSync(path.dirname(capturedFile(version)), { recursive: true });
        fs.writeFileSync(
          capturedFile(version),
          JSON.stringify(
            {
              nomad: version,
              captured: 'versionsAgent.test.ts: /v1/jobs/parse, then /v1/validate/job',
              cases: captured,
            },
            null,
            2,
          ) + '\n',
        );
        t.diagnostic(`wrote ${path.relative(root, capturedFile(version))}`);
      }
      if (compareVersions(version.replace(/[-+].*$/, ''), '1.7') < 0) assert.equal(applicable, CASES.length);
    } finally {
      await agent.stop();
    }
  },
);
