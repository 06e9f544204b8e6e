// Against a real Nomad CLI (NOMAD_BIN, e.g. the 1.6.5 build; skipped without one): each node pool,
// quota and variable specification below is given to `nomad node pool apply`, `nomad quota apply` and
// `nomad var put @file`, which parse the file before they contact a server. NOMAD_ADDR points at a
// closed loopback port, so a file that parses fails only at the connection. Our verdict (an error or
// not, checked against 1.6.5) must be the CLI's; the rules only the server applies are listed apart
// and must be errors of ours while the CLI's parser lets them through.
//   NOMAD_BIN=<a Nomad binary> node --test out/test/unit/language/kinds/specsCli.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeText } from '../../../../src/language';

const bin = process.env.NOMAD_BIN ?? '';
const target = { version: '1.6.5', source: 'setting' } as const;

interface Case {
  cmd: 'pool' | 'quota' | 'var';
  text: string;
  /** the CLI's parser refuses it (else it goes on to the server) */
  parseRefused: boolean;
  /** refused by the server's rules only: we report it although the CLI's parser accepts it */
  server?: boolean;
}

const pool = (body: string, name = 'batch'): string => `node_pool "${name}" {\n${body}\n}\n`;
const quota = (rl: string): string => `name = "q"\nlimit {\n  region = "global"\n  region_limit {\n${rl}\n  }\n}\n`;
const variable = (head: string, items = '  a = "b"'): string => `${head}\nitems {\n${items}\n}\n`;

const CASES: Case[] = [
  {
    cmd: 'pool',
    text: pool('  description = "x"\n  meta {\n    team = "data"\n    rack = 12\n  }'),
    parseRefused: false,
  },
  { cmd: 'pool', text: pool('  descripton = "x"'), parseRefused: true },
  { cmd: 'pool', text: pool('  description = ["x"]'), parseRefused: true },
  { cmd: 'pool', text: pool('  meta = { a = "b" }'), parseRefused: true },
  { cmd: 'pool', text: pool('  meta { a = "b" }\n  meta { c = "d" }'), parseRefused: true },
  { cmd: 'pool', text: pool('  meta "x" { a = "b" }'), parseRefused: true },
  { cmd: 'pool', text: pool('  meta { a = ["b"] }'), parseRefused: true },
  { cmd: 'pool', text: pool('  description = "x"\n  description = "y"'), parseRefused: true },
  { cmd: 'pool', text: 'node_pool "a" {}\nnode_pool "b" {}\n', parseRefused: true },
  { cmd: 'pool', text: 'node_pool {\n  description = "x"\n}\n', parseRefused: true },
  { cmd: 'pool', text: pool('  node_identity_ttl = "24h"'), parseRefused: true },
  { cmd: 'pool', text: pool('  description = "x"', 'bad name'), parseRefused: false, server: true },
  { cmd: 'pool', text: pool('  description = "x"', 'all'), parseRefused: false, server: true },
  {
    cmd: 'quota',
    text: 'name = "q"\nlimit {\n  region = "global"\n  region_limit {\n    cpu    = 2500\n    memory = "1000"\n  }\n  variables_limit = 1000\n}\n',
    parseRefused: false,
  },
  { cmd: 'quota', text: quota('    memroy = 1'), parseRefused: true },
  { cmd: 'quota', text: quota('    cpu = "lots"'), parseRefused: true },
  { cmd: 'quota', text: quota('    cores = 2'), parseRefused: true },
  { cmd: 'quota', text: quota('    cpu = 1.5'), parseRefused: false },
  { cmd: 'quota', text: quota('    cpu = 1\n  }\n  region_limit {\n    memory = 1'), parseRefused: true },
  { cmd: 'quota', text: 'name = "q"\nregoin = "x"\nlimit {\n  region = "global"\n}\n', parseRefused: true },
  {
    cmd: 'var',
    text: variable('path = "app/db"\nnamespace = "default"', '  user = "admin"\n  port = 5432\n  on = true'),
    parseRefused: false,
  },
  { cmd: 'var', text: variable('path = "/app/db/"'), parseRefused: false },
  { cmd: 'var', text: 'path = "app/db"\nitmes { a = "b" }\nitems { a = "b" }\n', parseRefused: true },
  { cmd: 'var', text: variable('path = "app/db"', '  a = ["b"]'), parseRefused: true },
  { cmd: 'var', text: variable('path = "app/db"\nmodify_index = "12"'), parseRefused: true },
  { cmd: 'var', text: variable('path = "nomad/secret"'), parseRefused: false, server: true },
  { cmd: 'var', text: variable('path = "app/db"\nnamespace = "*"'), parseRefused: false, server: true },
  { cmd: 'var', text: 'path = "app/db"\nitems {}\n', parseRefused: false, server: true },
];

const ARGS: Record<Case['cmd'], (file: string) => string[]> = {
  pool: f => ['node', 'pool', 'apply', f],
  quota: f => ['quota', 'apply', f],
  var: f => ['var', 'put', `@${f}`],
};
const NAMES: Record<Case['cmd'], string> = { pool: 'pool.nomad.hcl', quota: 'spec.hcl', var: 'spec.nv.hcl' };
const WANT_KIND: Record<Case['cmd'], string> = { pool: 'nodepool', quota: 'quota', var: 'variable' };

void test("node pool, quota and variable files: our verdict is the Nomad CLI's", t => {
  if (!bin || !fs.existsSync(bin)) {
    t.skip('set NOMAD_BIN to a Nomad binary (e.g. the 1.6.5 build)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-specs-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, NOMAD_ADDR: 'http://127.0.0.1:1', NOMAD_TOKEN: '' };
  const mismatches: string[] = [];
  CASES.forEach((c, i) => {
    const sub = path.join(dir, String(i));
    fs.mkdirSync(sub);
    const file = path.join(sub, NAMES[c.cmd]);
    fs.writeFileSync(file, c.text);
    const r = spawnSync(bin, ARGS[c.cmd](file), { env, encoding: 'utf8', timeout: 30_000 });
    const out = `${r.stdout}${r.stderr}`;
    const reachedServer = /connection refused|dial tcp/.test(out);
    const cliRefused = !reachedServer && r.status !== 0;
    const a = analyzeText(c.text, { fileName: file, targetVersion: target });
    const ours = a.diagnostics.filter(d => d.severity === 1);
    if (a.kind !== WANT_KIND[c.cmd]) mismatches.push(`#${i} detected as ${a.kind}`);
    if (cliRefused !== c.parseRefused)
      mismatches.push(`#${i} the CLI ${cliRefused ? 'refused' : 'accepted'} it: ${out.trim().split('\n')[0]}`);
    const weRefuse = ours.length > 0;
    const want = c.parseRefused || c.server === true;
    if (weRefuse !== want)
      mismatches.push(
        `#${i} we ${weRefuse ? `report ${ours.map(d => d.message).join(' | ')}` : 'report no error'}; CLI: ${out.trim().split('\n')[0]}`,
      );
  });
  assert.deepEqual(mismatches, []);
});
