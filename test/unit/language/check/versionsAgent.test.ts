// Against a real Nomad (NOMAD_BIN, e.g. the 1.6.5 build; skipped without one): jobs that use a field
// newer than the agent are refused by it (/v1/jobs/parse, then /v1/validate/job) the way our error says,
// on the same line, and the same jobs without that field are accepted by both. The target is the
// agent's own version, read from /v1/agent/self as the extension does.
//   flock /tmp/nomad-vscode-heavy.lock env NOMAD_BIN=/root/.cache/nomad-bin/nomad node --test out/test/unit/language/check/versionsAgent.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { analyzeText } from '../../../../src/language';
import { compareVersions, parseVersion } from '../../../../src/language/schema';
import { startAgent, type RealAgent } from '../../../contract/agent';
import { call } from '../../../contract/http';

const bin = process.env.NOMAD_BIN ?? '';

const task = (body: string, group = '', job = ''): string =>
  `job "versions" {\n${job}  group "g" {\n${group}    task "t" {\n      driver = "docker"\n      config {\n        image = "nginx"\n      }\n${body}\n    }\n  }\n}\n`;

interface Case {
  what: string;
  /** the job with the newer field */
  job: string;
  /** the same job without it */
  without: string;
  /** the release that added it (or accepts it) */
  since: string;
  /** how Nomad words its refusal */
  nomad: RegExp;
  /** Nomad refuses it when parsing (a line number comes with it) or when validating */
  at: 'parse' | 'validate';
}

const IDENTITY = '      identity {\n        env = true\n      }';
const CASES: Case[] = [
  { what: 'job ui', job: task('', '', '  ui {\n    description = "x"\n  }\n'), without: task(''), since: '1.8', at: 'parse', nomad: /Blocks of type "ui" are not expected here/ },
  { what: 'task action', job: task('      action "hi" {\n        command = "echo"\n      }'), without: task(''), since: '1.7', at: 'parse', nomad: /Blocks of type "action" are not expected here/ },
  { what: 'identity name/aud', job: task('      identity {\n        name = "vault_default"\n        aud  = ["vault.io"]\n      }'), without: task(IDENTITY), since: '1.7', at: 'parse', nomad: /An argument named "name" is not expected here/ },
  { what: 'identity ttl', job: task('      identity {\n        env = true\n        ttl = "1h"\n      }'), without: task(IDENTITY), since: '1.7', at: 'parse', nomad: /An argument named "ttl" is not expected here/ },
  { what: 'several identities', job: task(`${IDENTITY}\n      identity {\n        file = true\n      }`), without: task(IDENTITY), since: '1.7', at: 'parse', nomad: /Duplicate identity block/ },
  { what: 'task consul', job: task('      consul {\n        namespace = "x"\n      }'), without: task(''), since: '1.7', at: 'parse', nomad: /Blocks of type "consul" are not expected here/ },
  { what: 'group max_run_duration', job: task('', '    max_run_duration = "1h"\n', '  type = "batch"\n'), without: task('', '', '  type = "batch"\n'), since: '2.0', at: 'parse', nomad: /An argument named "max_run_duration" is not expected here/ },
  { what: 'volume sticky', job: task('', '    volume "data" {\n      type   = "host"\n      source = "data"\n      sticky = true\n    }\n'), without: task('', '    volume "data" {\n      type   = "host"\n      source = "data"\n    }\n'), since: '1.10', at: 'parse', nomad: /An argument named "sticky" is not expected here/ },
  { what: 'network cni', job: task('', '    network {\n      mode = "bridge"\n      cni {\n        args = {\n          a = "b"\n        }\n      }\n    }\n'), without: task('', '    network {\n      mode = "bridge"\n    }\n'), since: '1.8', at: 'parse', nomad: /Blocks of type "cni" are not expected here/ },
  { what: 'transparent_proxy', job: task('', '    network {\n      mode = "bridge"\n    }\n    service {\n      name = "web"\n      port = "9090"\n      connect {\n        sidecar_service {\n          proxy {\n            transparent_proxy {}\n          }\n        }\n      }\n    }\n'), without: task('', '    network {\n      mode = "bridge"\n    }\n    service {\n      name = "web"\n      port = "9090"\n      connect {\n        sidecar_service {\n          proxy {}\n        }\n      }\n    }\n'), since: '1.8', at: 'parse', nomad: /Blocks of type "transparent_proxy" are not expected here/ },
  { what: 'vault without policies', job: task('      vault {\n        change_mode = "restart"\n      }'), without: task('      vault {\n        policies    = ["read"]\n        change_mode = "restart"\n      }'), since: '1.7.0', at: 'validate', nomad: /Policy list cannot be empty/ },
  { what: 'memory_max = -1', job: task('      resources {\n        memory     = 128\n        memory_max = -1\n      }'), without: task('      resources {\n        memory     = 128\n        memory_max = 256\n      }'), since: '1.7.3', at: 'validate', nomad: /MemoryMaxMB value \(-1\) should be larger than MemoryMB value \(128\)/ },
];

/** Nomad's verdict: where it refused the job and why (undefined: accepted). */
async function verdict(agent: RealAgent, hcl: string): Promise<{ at: 'parse' | 'validate'; error: string; line?: number } | undefined> {
  const parsed = await call(agent.addr, 'POST', '/v1/jobs/parse', { body: { JobHCL: hcl, Canonicalize: true } });
  if (parsed.status !== 200) {
    const m = /:(\d+),\d+-\d+:/.exec(parsed.text);
    return { at: 'parse', error: parsed.text, ...(m ? { line: Number(m[1]) } : {}) };
  }
  const v = await call(agent.addr, 'PUT', '/v1/validate/job', { body: { Job: parsed.json } });
  const error = v.status !== 200 ? v.text : (v.json?.Error as string | undefined) ?? '';
  return error ? { at: 'validate', error } : undefined;
}

test('a real Nomad refuses the newer fields the way our errors say, and accepts the jobs without them', { timeout: 300_000 }, async t => {
  if (!bin || !fs.existsSync(bin)) { t.skip('set NOMAD_BIN to a Nomad binary (e.g. the 1.6.5 build)'); return; }
  // Vault enabled (nothing listens there; jobs are only parsed and validated), or Nomad refuses every
  // job with a vault block for that reason alone
  const agent = await startAgent(bin, { extraConfig: 'vault {\n  enabled               = true\n  address               = "http://127.0.0.1:9"\n  allow_unauthenticated = true\n  token                 = "not-a-real-token"\n}' });
  try {
    const self = await call(agent.addr, 'GET', '/v1/agent/self');
    const version = self.json?.config?.Version?.Version as string;
    assert.ok(parseVersion(version), `agent version ${version}`);
    t.diagnostic(`agent ${version}`);
    const target = { version, source: 'cluster' as const };
    const facts: string[] = [];
    let applicable = 0;
    for (const c of CASES) {
      if (compareVersions(version.replace(/[-+].*$/, ''), c.since) >= 0) continue; // the agent has it
      applicable++;
      const ours = analyzeText(c.job, { targetVersion: target }).diagnostics.filter(d => d.severity === 1);
      const nomad = await verdict(agent, c.job);
      assert.ok(nomad, `${c.what}: Nomad ${version} accepted it`);
      facts.push(`${c.what}: Nomad ${version} refuses at ${nomad.at}${nomad.line ? ` (line ${nomad.line})` : ''}: ${nomad.error.replace(/\s+/g, ' ').slice(0, 160)} | ours: ${ours.map(d => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
      assert.equal(nomad.at, c.at, c.what);
      assert.match(nomad.error, c.nomad, c.what);
      assert.ok(ours.length > 0, `${c.what}: we report no error`);
      assert.ok(ours.some(d => d.message.includes(`needs Nomad ${c.since} or later`) || (c.what === 'several identities' && d.code === 'duplicate-block')),
        `${c.what}: ${ours.map(d => d.message).join(' | ')}`);
      if (nomad.line !== undefined) assert.ok(ours.some(d => d.range.start.line + 1 === nomad.line), `${c.what}: Nomad names line ${nomad.line}`);
      // the same job without the newer field: accepted by both
      assert.equal(await verdict(agent, c.without), undefined, `${c.what}: Nomad refuses the job without the field`);
      assert.deepEqual(analyzeText(c.without, { targetVersion: target }).diagnostics.filter(d => d.severity === 1).map(d => d.message), [], c.what);
    }
    // job-level consul_token / vault_token: still accepted before 1.10, and we say nothing there
    if (compareVersions(version.replace(/[-+].*$/, ''), '1.10') < 0) {
      const tokens = task('', '', '  consul_token = "abc"\n  vault_token  = "def"\n');
      assert.equal(await verdict(agent, tokens), undefined, `Nomad ${version} refuses consul_token / vault_token`);
      assert.deepEqual(analyzeText(tokens, { targetVersion: target }).diagnostics.filter(d => d.severity === 1), []);
      facts.push(`consul_token / vault_token: accepted by Nomad ${version}, no error from us`);
    }
    for (const f of facts) t.diagnostic(f);
    if (compareVersions(version.replace(/[-+].*$/, ''), '1.7') < 0) assert.equal(applicable, CASES.length);
  } finally {
    await agent.stop();
  }
});
