// Against a real Nomad agent (NOMAD_BIN, e.g. the 1.6.5 build; skipped without one): each built-in
// driver config below is given to `nomad agent -config <file>` in a client-only configuration whose
// max_kill_timeout is not a duration. The agent loads the plugin configs first and only then reads that
// timeout, so a config it accepts ends at "Error parsing max kill timeout" and one it refuses ends at
// the plugin loader, in well under a second and without opening a port. Our verdict (an error inside
// the plugin block, checked against 1.6.5) must be the agent's, and both must be the expected one.
//   NOMAD_BIN=<a Nomad binary> node --test out/test/unit/language/kinds/pluginsAgent.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeText } from '../../../../src/language';

const bin = process.env.NOMAD_BIN ?? '';
const target = { version: '1.6.5', source: 'setting' } as const;

const p = (driver: string, body: string): string =>
  `plugin "${driver}" {\n  config {\n    ${body.split('\n').join('\n    ')}\n  }\n}\n`;

/** [plugin text, the agent refuses it] */
const CASES: [string, boolean][] = [
  [p('raw_exec', 'enabled = true\nno_cgroups = false'), false],
  [p('raw_exec', 'enabled = "true"'), false],
  [p('raw_exec', 'enabled = "1"'), false],
  [p('raw_exec', 'enabled = 1'), true],
  [p('raw_exec', 'enabled = "yes"'), true],
  [p('raw_exec', 'enabled = true\nbogus = 1'), true],
  ['plugin = {\n  raw_exec = { config = { enabled = true } }\n}\n', false],
  ['plugin = {\n  raw_exec = { config = { enabled = true, bogus = 1 } }\n}\n', true],
  [
    p(
      'exec',
      'no_pivot_root = false\ndefault_pid_mode = "host"\ndefault_ipc_mode = "private"\nallow_caps = ["chown", "CAP_KILL"]',
    ),
    false,
  ],
  [p('exec', 'default_pid_mode = "shared"'), true],
  [p('exec', 'default_ipc_mode = ""'), true],
  [p('exec', 'allow_caps = ["bogus_cap"]'), true],
  [p('java', 'allow_caps = ["all"]\ndefault_pid_mode = "private"'), false],
  [p('java', 'default_ipc_mode = "Host"'), true],
  [p('qemu', 'image_paths = ["/mnt/images"]\nargs_allowlist = ["-drive"]'), false],
  [p('qemu', 'image_paths = "/mnt/images"'), true],
  [
    p(
      'docker',
      'endpoint = "unix:///var/run/docker.sock"\nallow_privileged = true\nextra_labels = ["job_name"]\npids_limit = "100"\nvolumes {\n  enabled = true\n}',
    ),
    false,
  ],
  [
    p(
      'docker',
      'gc {\n  image_delay = "10m"\n  dangling_containers {\n    creation_grace = "2m"\n    dry_run = true\n  }\n}\nlogging {\n  type = "json-file"\n  config {\n    max-file = 3\n  }\n}',
    ),
    false,
  ],
  [p('docker', 'gc = { image = false }'), false],
  [p('docker', 'allow_caps = ["bogus_cap"]'), false],
  [p('docker', 'endpoint = ["a"]'), true],
  [p('docker', 'pids_limit = 1.5'), true],
  [p('docker', 'volumes {\n  enabled = true\n  bogus = 1\n}'), true],
  [p('docker', 'gc {\n  image = false\n}\ngc {\n  container = false\n}'), true],
  [p('docker', 'gc {\n  image_delay = "3x"\n}'), true],
  [p('docker', 'gc {\n  image_delay = 5\n}'), true],
  [p('docker', 'gc {\n  dangling_containers {\n    creation_grace = "30s"\n  }\n}'), true],
  [p('docker', 'pull_activity_timeout = "10s"'), true],
  [p('docker', 'image_pull_timeout = "10m"'), true],
  [p('docker', 'allowed_modes {\n  pid = ["host"]\n}'), true],
  [p('podman', 'socket_path = "unix:///run/podman/podman.sock"\nanything { at = "all" }'), false],
];

function head(dataDir: string): string {
  return (
    `data_dir = "${dataDir}"\nbind_addr = "127.0.0.1"\nadvertise {\n  http = "127.0.0.1"\n  rpc = "127.0.0.1"\n  serf = "127.0.0.1"\n}\n` +
    'client {\n  enabled = true\n  servers = ["127.0.0.1:1"]\n  max_kill_timeout = "not-a-duration"\n}\n'
  );
}

void test(
  "built-in driver configs: our verdict is the 1.6.5 agent's",
  { skip: bin === '' ? 'set NOMAD_BIN to a Nomad binary (e.g. the 1.6.5 build)' : false },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-plugins-'));
    const problems: string[] = [];
    try {
      for (const [i, [plugin, refused]] of CASES.entries()) {
        const data = path.join(dir, `d${i}`);
        fs.mkdirSync(data);
        const text = head(data) + plugin;
        const pluginStart = head(data).split('\n').length - 1;
        const file = path.join(dir, `a${i}.hcl`);
        fs.writeFileSync(file, text);
        const r = spawnSync(bin, ['agent', `-config=${file}`], { encoding: 'utf8', timeout: 60_000 });
        const out = `${r.stdout}${r.stderr}`;
        const accepted = /Error parsing max kill timeout/.test(out);
        const refusedByAgent = /plugin loader|parsing plugin configurations/.test(out);
        if (accepted === refusedByAgent) {
          problems.push(`case ${i}: the agent's answer is not recognised: ${out.slice(0, 300)}`);
          continue;
        }
        const ours = analyzeText(text, { kind: 'agent', targetVersion: target }).diagnostics.filter(
          d => d.severity === 1 && d.range.start.line >= pluginStart,
        );
        if (refusedByAgent !== refused)
          problems.push(
            `case ${i}: the agent ${refusedByAgent ? 'refuses' : 'accepts'} it, expected otherwise:\n${plugin}`,
          );
        if (ours.length > 0 !== refusedByAgent) {
          problems.push(
            `case ${i}: the agent ${refusedByAgent ? 'refuses' : 'accepts'} it, we report ${ours.length ? ours.map(d => d.message).join(' / ') : 'no error'}:\n${plugin}`,
          );
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(problems, []);
  },
);
