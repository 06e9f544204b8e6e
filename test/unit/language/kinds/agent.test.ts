// Agent configuration files: the seed tutorial's two files (HCL1 `server = { … }` style) and the HCL1
// decoder's leniency, unknown keys with "did you mean", types, deprecations and repeated blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../../src/language';
import { diags, errors, fixture, shorts } from '../../support';

const server = fixture('agent/seed-nomad-server.nomad');
const client = fixture('agent/seed-nomad-client.nomad');

void test("the seed's agent files are agent configs and open with no diagnostic", () => {
  for (const text of [server, client]) {
    const a = analyzeText(text, { fileName: 'nomad-server.nomad' });
    assert.equal(a.kind, 'agent');
    assert.deepEqual(a.diagnostics, []);
  }
});

void test('the seed\'s misspelt bootstrap_expected: exactly one error, with "did you mean bootstrap_expect"', () => {
  const text = server.replace('bootstrap_expect =', 'bootstrap_expected =');
  const ds = diags(text);
  assert.equal(ds.length, 1);
  const d = ds[0]!;
  assert.equal(d.severity, 1);
  assert.equal(d.code, 'unknown-key');
  assert.match(d.message, /did you mean `bootstrap_expect`/i);
  const line = text.split('\n')[d.range.start.line]!;
  assert.equal(line.slice(d.range.start.character, d.range.end.character), 'bootstrap_expected');
  assert.deepEqual(d.data, {
    fix: 'rename',
    at: text.indexOf('bootstrap_expected ='),
    end: text.indexOf('bootstrap_expected =') + 'bootstrap_expected'.length,
    replacement: 'bootstrap_expect',
  });
});

void test('block form and object form are the same; HCL1 syntax is not flagged', () => {
  const text = `
data_dir = "/opt/nomad"
server {
  enabled = true
  bootstrap_expect = 3
}
client = { enabled = true, servers = ["10.0.0.1:4647"] }
ports { http = 4646, rpc = 4647 }
client {
  meta {
    "rack" = "r1"
  }
  options {
    driver.allowlist = "docker,exec"
    "driver.raw_exec.enable" = "1"
  }
}
`;
  assert.deepEqual(shorts(text), ['9 W repeated-block']);
});

void test('HCL1 conversions: quoted numbers, "true"/"1" for bools, numbers for strings', () => {
  const ok = `
data_dir = "/opt/nomad"
log_rotate_bytes = "1048576"
enable_debug = "true"
server {
  enabled = 1
  bootstrap_expect = "3"
  raft_protocol = "3"
}
datacenter = 1
`;
  assert.deepEqual(errors(ok), []);
  const bad = `
data_dir = "/opt/nomad"
server {
  enabled = "yes"
  bootstrap_expect = 1.5
  max_heartbeats_per_second = "50"
  heartbeat_grace = "10"
  enabled_schedulers = "service"
}
client = {
  servers = "10.0.0.1:4647"
  gc_interval = 10
}
ports { http = "http" }
`;
  assert.deepEqual(
    errors(bad).map(d => `${d.range.start.line + 1} ${String(d.code)}`),
    [
      '4 type-mismatch',
      '5 type-mismatch',
      '6 type-mismatch',
      '7 invalid-duration',
      '8 type-mismatch',
      '11 type-mismatch',
      '12 invalid-duration',
      '14 type-mismatch',
    ],
  );
});

void test('unknown keys: errors where Nomad refuses them, warnings where it ignores them', () => {
  const text = `
data_dir = "/opt/nomad"
bind_adr = "0.0.0.0"
vault {
  enabled = true
  adress = "https://vault:8200"
}
client {
  enabled = true
  server_join { retry_joins = ["x"] }
}
`;
  const ds = diags(text);
  assert.deepEqual(
    ds.map(d => `${d.range.start.line + 1} ${d.severity} ${String(d.code)}`),
    ['3 1 unknown-key', '6 2 ignored-key', '10 1 unknown-key'],
  );
  assert.match(ds[0]!.message, /Did you mean `bind_addr`/);
  assert.match(ds[1]!.message, /Nomad ignores it\. Did you mean `address`/);
  assert.match(ds[2]!.message, /Did you mean `retry_join`/);
});

void test('HCL1 nested keys: `client "meta" { … }` is `client { meta { … } }`', () => {
  const text = 'client "meta" {\n  "rack" = "r1"\n}\nclient "options" {\n  "driver.allowlist" = "docker"\n}\n';
  assert.deepEqual(errors(text), []);
  assert.deepEqual(shorts('data_dir = "/d"\nserver "enabeld" {}\n'), ['2 E unknown-key']);
});

void test('deprecated keys (facts from Nomad 1.6.5)', () => {
  const text = `
data_dir = "/opt/nomad"
server {
  enabled = true
  protocol_version = 2
  retry_join = ["10.0.0.1"]
}
client {
  template { function_blacklist = ["plugin"] }
  options { "driver.whitelist" = "docker" }
  options { "consul.address" = "x" }
}
`;
  assert.deepEqual(shorts(text), [
    '5 W deprecated',
    '6 W deprecated',
    '9 W deprecated',
    '10 I deprecated',
    '11 W repeated-block',
    '11 W ignored-key',
  ]);
});

void test('values the agent refuses at start-up', () => {
  const text = `
data_dir = "nomad-data"
log_level = "verbose"
datacenter = "dc*"
tls { tls_min_version = "tls14" }
client {
  node_pool = "all"
  reserved { reserved_ports = "22,80-70" }
  host_volume "data" { read_only = true }
}
`;
  assert.deepEqual(shorts(text), [
    '2 E invalid-value',
    '3 E invalid-value',
    '4 E invalid-value',
    '5 E invalid-value',
    '7 E invalid-value',
    '8 E invalid-value',
    '9 E missing-key',
  ]);
  assert.deepEqual(errors('log_level = "debug"\ndata_dir = "C:\\\\nomad"\n'), []);
});

void test('a block written as an argument value and an argument written as a block', () => {
  assert.deepEqual(shorts('data_dir = "/d"\nserver = true\nclient {\n  servers { a = 1 }\n}\n'), [
    '2 E block-as-attribute',
    '4 E attribute-as-block',
  ]);
});

void test('labels: plugin needs one, repeated plugin blocks are fine, single blocks repeat with a warning', () => {
  const text =
    'data_dir = "/d"\nplugin "docker" {\n  config { allow_privileged = true }\n}\nplugin "raw_exec" {\n  config { enabled = true }\n}\nplugin {\n}\nacl { enabled = true }\nacl { token_ttl = "30s" }\n';
  assert.deepEqual(shorts(text), ['8 E label-count', '11 W repeated-block']);
});

void test("the user's kind wins over detection", () => {
  const a = analyzeText('image = "x"\n', { kind: 'agent' });
  assert.equal(a.kind, 'agent');
  assert.deepEqual(
    a.diagnostics.map(d => d.code),
    ['unknown-key'],
  );
});
