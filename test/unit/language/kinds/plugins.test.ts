// The agent-side configs of the built-in task drivers: `plugin "<driver>" { config { … } }` is checked
// against the driver's own schema (chosen by the label, also in the HCL1 object form), with completion
// and hover; a third-party plugin's config stays open. Nomad 1.6.5 refuses to start on an unknown key,
// a wrong type, a repeated block or a value the driver refuses in these configs: errors here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quickFix } from '../../../../src/language/features/codeActions';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText, type AnalysisOptions } from '../../../../src/language';
import { completeAt } from '../../../../src/language/features/completion';
import { hoverAt } from '../../../../src/language/features/hover';
import { builtinPluginNames, pluginConfigSchema, schemaForKind } from '../../../../src/language/kinds';
import { atCursor, labels, CURSOR as C } from '../../support';

const agent = (plugins: string): string => `data_dir = "/opt/nomad"\nclient { enabled = true }\n${plugins}`;

function check(text: string, options: AnalysisOptions = {}): Diagnostic[] {
  return analyzeText(text, { kind: 'agent', ...options }).diagnostics;
}

/** The text a diagnostic's range covers. */
function under(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  assert.equal(d.range.start.line, d.range.end.line);
  return lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character);
}

/** Exactly one diagnostic: its severity (1 error, 2 warning), code and the text under it. */
function one(
  text: string,
  options: AnalysisOptions = {},
): { severity: number | undefined; code: string; under: string; message: string } {
  const ds = check(text, options);
  assert.equal(ds.length, 1, JSON.stringify(ds.map(d => d.message)));
  const d = ds[0]!;
  return { severity: d.severity, code: String(d.code), under: under(text, d), message: d.message };
}

const VALID: Record<string, string> = {
  docker: `plugin "docker" {
  config {
    endpoint = "unix:///var/run/docker.sock"
    auth {
      config = "/etc/docker-auth.json"
      helper = "ecr-login"
    }
    tls {
      cert = "/etc/nomad/docker.pem"
      key  = "/etc/nomad/docker-key.pem"
      ca   = "/etc/nomad/docker-ca.pem"
    }
    extra_labels = ["job_name", "task*"]
    logging {
      type = "journald"
      config {
        tag = "nomad"
        max-file = 3
      }
    }
    gc {
      image       = true
      image_delay = "3m"
      container   = true
      dangling_containers {
        enabled        = true
        period         = "5m"
        creation_grace = "5m"
        dry_run        = false
      }
    }
    volumes {
      enabled      = true
      selinuxlabel = "z"
    }
    allow_privileged         = false
    allow_caps               = ["chown", "net_raw"]
    allow_runtimes           = ["runc", "nvidia"]
    nvidia_runtime           = "nvidia"
    infra_image              = "registry.k8s.io/pause-amd64:3.3"
    infra_image_pull_timeout = "5m"
    pull_activity_timeout    = "2m"
    pids_limit               = "100"
    disable_log_collection   = false
  }
}
`,
  raw_exec: `plugin "raw_exec" {
  config {
    enabled    = true
    no_cgroups = false
  }
}
`,
  exec: `plugin "exec" {
  config {
    no_pivot_root    = false
    default_pid_mode = "private"
    default_ipc_mode = "host"
    allow_caps       = ["chown", "kill"]
  }
}
`,
  java: `plugin "java" {
  config {
    default_pid_mode = "host"
    default_ipc_mode = "private"
    allow_caps       = ["all"]
  }
}
`,
  qemu: `plugin "qemu" {
  config {
    image_paths    = ["/mnt/images"]
    args_allowlist = ["-drive", "-usbdevice"]
  }
}
`,
};

void test('the built-in drivers are docker, raw_exec, exec, java and qemu; each has a config schema', () => {
  assert.deepEqual(builtinPluginNames().sort(), ['docker', 'exec', 'java', 'qemu', 'raw_exec']);
  for (const name of builtinPluginNames()) assert.ok(pluginConfigSchema(name)!.attributes.size > 0, name);
  assert.equal(pluginConfigSchema('podman'), undefined);
  assert.equal(pluginConfigSchema('constructor'), undefined);
});

void test('a valid config of each built-in driver is clean (block form, Nomad 1.6.5 and no target)', () => {
  for (const [name, text] of Object.entries(VALID)) {
    assert.deepEqual(check(agent(text)), [], name);
    assert.deepEqual(
      check(agent(text), { targetVersion: { version: '1.6.5', source: 'cluster' } }),
      [],
      `${name} on 1.6.5`,
    );
  }
  assert.deepEqual(check(agent(Object.values(VALID).join(''))), []);
});

void test('the HCL1 object form is checked the same way: clean when valid, the unknown key when not', () => {
  const ok = agent(
    'plugin = {\n  raw_exec = { config = { enabled = true } }\n  docker = { config = { gc = { image = false }, volumes = { enabled = true } } }\n}\n',
  );
  assert.deepEqual(check(ok), []);
  const text = agent('plugin = {\n  raw_exec = {\n    config = { enabled = true, bogus = 1 }\n  }\n}\n');
  const d = one(text);
  assert.deepEqual([d.severity, d.code, d.under], [1, 'unknown-key', 'bogus']);
});

void test('an unknown key is one error on the key, in every built-in driver (the agent refuses to start)', () => {
  for (const [name, text] of Object.entries(VALID)) {
    const bad = agent(text.replace('  config {\n', '  config {\n    bogus_key = 1\n'));
    const d = one(bad);
    assert.deepEqual([d.severity, d.code, d.under], [1, 'unknown-key', 'bogus_key'], name);
    assert.match(d.message, /refuses/);
  }
  // nested blocks too, with a suggestion
  const d = one(agent('plugin "docker" {\n  config {\n    gc {\n      imagedelay = "3m"\n    }\n  }\n}\n'));
  assert.deepEqual([d.severity, d.code, d.under], [1, 'unknown-key', 'imagedelay']);
  assert.match(d.message, /`image_delay`/);
  // a key of another driver is unknown here: raw_exec's `enabled` at the top of docker's config
  const e = one(agent('plugin "docker" {\n  config {\n    enabled = true\n  }\n}\n'));
  assert.deepEqual([e.code, e.under], ['unknown-key', 'enabled']);
});

void test('a wrong type is one error on the value', () => {
  const cases: [string, string][] = [
    ['plugin "raw_exec" {\n  config {\n    enabled = "yes"\n  }\n}\n', '"yes"'],
    ['plugin "docker" {\n  config {\n    endpoint = ["a"]\n  }\n}\n', '["a"]'],
    ['plugin "docker" {\n  config {\n    allow_caps = "chown"\n  }\n}\n', '"chown"'],
    ['plugin "exec" {\n  config {\n    no_pivot_root = "maybe"\n  }\n}\n', '"maybe"'],
    ['plugin "qemu" {\n  config {\n    image_paths = "/mnt"\n  }\n}\n', '"/mnt"'],
    ['plugin "java" {\n  config {\n    allow_caps = 3\n  }\n}\n', '3'],
    ['plugin "docker" {\n  config {\n    pids_limit = "many"\n  }\n}\n', '"many"'],
  ];
  for (const [text, value] of cases) {
    const d = one(agent(text));
    assert.deepEqual([d.severity, d.code, d.under], [1, 'type-mismatch', value], text);
  }
  // the driver's decoder takes "true" and "1" for a bool, but not an unquoted number
  assert.deepEqual(check(agent('plugin "raw_exec" {\n  config {\n    enabled = "1"\n  }\n}\n')), []);
  const n = one(agent('plugin "raw_exec" {\n  config {\n    enabled = 1\n  }\n}\n'));
  assert.deepEqual([n.severity, n.code, n.under], [1, 'type-mismatch', '1']);
  // a block written as a value, a value written as a block
  const b = one(agent('plugin "docker" {\n  config {\n    gc = true\n  }\n}\n'));
  assert.deepEqual([b.severity, b.code, b.under], [1, 'block-as-attribute', 'gc']);
  const a = one(agent('plugin "docker" {\n  config {\n    endpoint { x = 1 }\n  }\n}\n'));
  assert.deepEqual([a.severity, a.code, a.under], [1, 'attribute-as-block', 'endpoint']);
});

void test('a bad enum value or duration is one error on the value', () => {
  for (const driver of ['exec', 'java']) {
    const d = one(agent(`plugin "${driver}" {\n  config {\n    default_pid_mode = "shared"\n  }\n}\n`));
    assert.deepEqual([d.severity, d.code, d.under], [1, 'invalid-value', '"shared"'], driver);
    assert.match(d.message, /"private", "host"/);
    const e = one(agent(`plugin "${driver}" {\n  config {\n    default_ipc_mode = "Host"\n  }\n}\n`));
    assert.deepEqual([e.severity, e.code, e.under], [1, 'invalid-value', '"Host"'], driver);
    const empty = one(agent(`plugin "${driver}" {\n  config {\n    default_ipc_mode = ""\n  }\n}\n`));
    assert.deepEqual([empty.severity, empty.code, empty.under], [1, 'invalid-value', '""'], driver);
  }
  // exec and java refuse a capability name the system does not know ("CAP_" and case do not matter)
  for (const driver of ['exec', 'java']) {
    const cap = one(
      agent(`plugin "${driver}" {\n  config {\n    allow_caps = ["CAP_CHOWN", "net_raw", "bogus_cap"]\n  }\n}\n`),
    );
    assert.deepEqual([cap.severity, cap.code, cap.under], [1, 'invalid-value', '"bogus_cap"'], driver);
  }
  // docker only compares tasks' cap_add with its list: no check of the names
  assert.deepEqual(check(agent('plugin "docker" {\n  config {\n    allow_caps = ["bogus_cap"]\n  }\n}\n')), []);
  const dur = one(agent('plugin "docker" {\n  config {\n    gc {\n      image_delay = "3x"\n    }\n  }\n}\n'));
  assert.deepEqual([dur.severity, dur.code, dur.under], [1, 'invalid-duration', '"3x"']);
  const grace = one(
    agent(
      'plugin "docker" {\n  config {\n    gc {\n      dangling_containers { creation_grace = "30s" }\n    }\n  }\n}\n',
    ),
  );
  assert.deepEqual([grace.severity, grace.code, grace.under], [1, 'invalid-value', '"30s"']);
  const pull = one(agent('plugin "docker" {\n  config {\n    pull_activity_timeout = "10s"\n  }\n}\n'));
  assert.deepEqual([pull.severity, pull.code, pull.under], [1, 'invalid-value', '"10s"']);
  assert.deepEqual(check(agent('plugin "docker" {\n  config {\n    pull_activity_timeout = "1m"\n  }\n}\n')), []);
});

void test('a repeated block inside a driver config is refused (the agent reports a duplicate block)', () => {
  const text = agent('plugin "docker" {\n  config {\n    gc { image = false }\n    gc { container = false }\n  }\n}\n');
  const d = one(text);
  assert.deepEqual([d.severity, d.code, d.under], [1, 'repeated-block', 'gc']);
  // repeated plugin blocks of different drivers are fine, as before
  assert.deepEqual(check(agent(VALID.docker! + VALID.raw_exec!)), []);
});

void test('a third-party plugin keeps an open config: no diagnostic inside', () => {
  const text = agent(
    'plugin "nomad-driver-podman" {\n  config {\n    socket_path = "unix:///run/podman/podman.sock"\n    volumes {\n      enabled = true\n      bogus = 1\n    }\n    gc { whatever = "x" }\n    gc { again = 1 }\n  }\n}\nplugin "podman" {\n  config = { anything = [1, 2] }\n}\n',
  );
  assert.deepEqual(check(text), []);
  assert.deepEqual(check(agent('plugin = { podman = { config = { x = 1 } } }\n')), []);
});

void test('versions: members newer than the target are refused, no_cgroups is gone from Nomad 1.8', () => {
  const newer = agent(
    'plugin "docker" {\n  config {\n    image_pull_timeout = "10m"\n    allowed_modes { pid = ["host"] }\n  }\n}\n',
  );
  assert.deepEqual(check(newer), []);
  assert.deepEqual(check(newer, { targetVersion: { version: '2.0.5', source: 'cluster' } }), []);
  const old = check(newer, { targetVersion: { version: '1.6.5', source: 'cluster' } });
  assert.deepEqual(
    old.map(d => [d.severity, d.code, under(newer, d)]),
    [
      [1, 'needs-newer-nomad', 'image_pull_timeout'],
      [1, 'needs-newer-nomad', 'allowed_modes'],
    ],
  );
  assert.match(old[0]!.message, /1\.10/);
  // patch releases count: allowed_modes arrived in 2.0.4, so 2.0.3 refuses it and names the release
  const at203 = check(newer, { targetVersion: { version: '2.0.3', source: 'cluster' } });
  assert.deepEqual(
    at203.map(d => [d.code, under(newer, d)]),
    [['needs-newer-nomad', 'allowed_modes']],
  );
  assert.match(at203[0]!.message, /needs Nomad 2\.0\.4 or later; this cluster runs 2\.0\.3\.$/);
  assert.deepEqual(check(newer, { targetVersion: { version: '2.0.4', source: 'cluster' } }), []);
  // "did you mean" proposes only what the target has; a rename the target refuses is not offered either
  const typo = agent('plugin "docker" {\n  config {\n    image_pull_timeot = "10m"\n  }\n}\n');
  const at197 = one(typo, { targetVersion: { version: '1.9.7', source: 'cluster' } });
  assert.doesNotMatch(at197.message, /Did you mean/);
  assert.match(
    one(typo, { targetVersion: { version: '1.10.0', source: 'cluster' } }).message,
    /Did you mean `image_pull_timeout`\?/,
  );
  const data = {
    fix: 'rename' as const,
    at: typo.indexOf('image_pull_timeot'),
    end: typo.indexOf('image_pull_timeot') + 17,
    replacement: 'image_pull_timeout',
  };
  assert.equal(
    quickFix(typo, data, { kind: 'agent', targetVersion: { version: '1.9.7', source: 'cluster' } }),
    undefined,
  );
  assert.ok(quickFix(typo, data, { kind: 'agent', targetVersion: { version: '1.10.0', source: 'cluster' } }));

  const cg = agent(VALID.raw_exec!);
  assert.deepEqual(check(cg, { targetVersion: { version: '1.7.7', source: 'cluster' } }), []);
  const gone = one(cg, { targetVersion: { version: '1.8.0', source: 'cluster' } });
  assert.deepEqual([gone.severity, gone.code, gone.under], [1, 'removed-from-nomad', 'no_cgroups']);
  assert.match(
    gone.message,
    /removed in Nomad 1\.8 \(1\.7\.7 is the last release that has it\); this cluster runs 1\.8\.0/,
  );
  // only a guess at the version (the newest one known): a warning
  const guess = one(cg, { targetVersion: { version: '2.0.5', source: 'default' } });
  assert.deepEqual([guess.severity, guess.code], [2, 'removed-from-nomad']);
});

void test('completion inside plugin "docker" { config { } } offers docker\'s keys, not raw_exec\'s', () => {
  const root = schemaForKind('agent');
  const at = (src: string): string[] => {
    const { file, offset } = atCursor(src);
    return labels(completeAt(file, offset, root).items);
  };
  const docker = at(`plugin "docker" {\n  config {\n    ${C}\n  }\n}\n`);
  for (const k of ['endpoint', 'allow_privileged', 'gc', 'volumes', 'extra_labels', 'pull_activity_timeout'])
    assert.ok(docker.includes(k), k);
  assert.ok(!docker.includes('no_cgroups'));
  assert.ok(!docker.includes('enabled'));
  const gc = at(`plugin "docker" {\n  config {\n    gc {\n      ${C}\n    }\n  }\n}\n`);
  for (const k of ['image', 'image_delay', 'container', 'dangling_containers']) assert.ok(gc.includes(k), k);
  const raw = at(`plugin "raw_exec" {\n  config {\n    ${C}\n  }\n}\n`);
  assert.ok(raw.includes('enabled') && raw.includes('no_cgroups'));
  assert.ok(!raw.includes('endpoint'));
  // the enum values of exec's default_pid_mode
  const values = at(`plugin "exec" {\n  config {\n    default_pid_mode = "${C}"\n  }\n}\n`);
  assert.ok(values.includes('private') && values.includes('host'), values.join());
  // a third-party plugin: nothing of docker's
  const podman = at(`plugin "podman" {\n  config {\n    ${C}\n  }\n}\n`);
  assert.ok(!podman.includes('endpoint'));
});

void test('hover on a key of a driver config describes it', () => {
  const root = schemaForKind('agent');
  const hover = (src: string): string => {
    const { file, offset } = atCursor(src);
    const h = hoverAt(file, offset, root);
    assert.ok(h, src);
    return (h.contents as { value: string }).value;
  };
  const priv = hover(`plugin "docker" {\n  config {\n    allow_pri${C}vileged = true\n  }\n}\n`);
  assert.match(priv, /\*\*allow_privileged\*\*/);
  assert.match(priv, /privileged/);
  const pid = hover(`plugin "exec" {\n  config {\n    default_pid${C}_mode = "host"\n  }\n}\n`);
  assert.match(pid, /"private"/);
  assert.match(pid, /"host"/);
  const gc = hover(`plugin "docker" {\n  config {\n    g${C}c {\n    }\n  }\n}\n`);
  assert.match(gc, /Garbage collection/);
  const cfg = hover(`plugin "raw_exec" {\n  con${C}fig {\n    enabled = true\n  }\n}\n`);
  assert.match(cfg, /raw_exec/);
});
