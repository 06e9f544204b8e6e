// Real agent configurations, volume specifications and ACL policies from hashicorp/nomad at v1.6.5, read
// from the local mirror at test time (never copied into this repository; skipped when the mirror is
// absent, as in CI). Each file must be detected as its kind and get no error, except the findings listed
// in EXPECTED_ERRORS, which Nomad itself would refuse.
//
// Files used (paths in hashicorp/nomad, tag v1.6.5): every *.hcl / *.nomad outside jobspec*/ and jobs/
// folders that is not a job file; the kinds below list them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../../../src/language';

// a git directory of hashicorp/nomad (a clone or mirror with the v1.6.5 tag), outside this repository
const GIT_DIR = process.env.NOMAD_MIRROR ?? '';
const REF = 'v1.6.5';

const AGENT = [
  '.release/linux/package/etc/nomad.d/nomad.hcl',
  'command/agent/test-resources/client_with_basic_template.hcl',
  'command/agent/test-resources/client_with_empty_template.hcl',
  'command/agent/test-resources/client_with_function_denylist.hcl',
  'command/agent/test-resources/client_with_function_denylist_empty.hcl',
  'command/agent/test-resources/client_with_function_denylist_empty_string.hcl',
  'command/agent/test-resources/client_with_function_denylist_nil.hcl',
  'command/agent/test-resources/client_with_template.hcl',
  'command/agent/test-resources/etcnomad/common.hcl',
  'command/agent/test-resources/minimal_client.hcl',
  'command/agent/testdata/basic.hcl',
  'command/agent/testdata/config-slices.hcl',
  'command/agent/testdata/non-optional.hcl',
  'command/agent/testdata/obj-len-one.hcl',
  'command/agent/testdata/plugin.hcl',
  'command/agent/testdata/sample1/sample2.hcl',
  'command/testdata/fmt/nomad.in.hcl',
  'command/testdata/fmt/nomad.out.hcl',
  'demo/csi/nfs/agent.hcl',
  'demo/digitalocean/packer/nomad/default.hcl',
  'demo/tls/tls-client.hcl',
  'demo/tls/tls-dev.hcl',
  'demo/tls/tls-server.hcl',
  'demo/vagrant/client1.hcl',
  'demo/vagrant/client2.hcl',
  'demo/vagrant/server.hcl',
  'dev/cluster/client1.hcl',
  'dev/cluster/client2.hcl',
  'dev/cluster/client3.hcl',
  'dev/cluster/server-standalone.hcl',
  'dev/cluster/server1.hcl',
  'dev/cluster/server2.hcl',
  'dev/cluster/server3.hcl',
  'dev/docker-clients/docker-privileged.hcl',
  'dev/docker-clients/persistent.hcl',
  'dev/tls_cluster/client1.hcl',
  'dev/tls_cluster/client2.hcl',
  'dev/tls_cluster/server.hcl',
  'e2e/terraform/etc/nomad.d/base.hcl',
  'e2e/terraform/etc/nomad.d/client-linux-0.hcl',
  'e2e/terraform/etc/nomad.d/client-linux-1.hcl',
  'e2e/terraform/etc/nomad.d/client-linux-2.hcl',
  'e2e/terraform/etc/nomad.d/client-linux-3.hcl',
  'e2e/terraform/etc/nomad.d/client-linux.hcl',
  'e2e/terraform/etc/nomad.d/client-windows.hcl',
  'e2e/terraform/etc/nomad.d/consul.hcl',
  'e2e/terraform/etc/nomad.d/server-linux.hcl',
  'e2e/terraform/etc/nomad.d/tls.hcl',
  'e2e/terraform/etc/nomad.d/vault.hcl',
  'e2e/upgrades/client1.hcl',
  'e2e/upgrades/client2.hcl',
  'e2e/upgrades/client3.hcl',
  'e2e/upgrades/server1.hcl',
  'e2e/upgrades/server2.hcl',
  'e2e/upgrades/server3.hcl',
  'terraform/shared/config/nomad.hcl',
  'terraform/shared/config/nomad_client.hcl',
];
const VOLUME = [
  'demo/csi/ceph-csi-plugin/volume.hcl',
  'demo/csi/hostpath/hostpath.hcl',
  'demo/csi/kadalu-csi/volume.hcl',
  'demo/csi/nfs/volume.hcl',
  'demo/csi/portworx-csi-plugin/portworx-volume.hcl',
  'demo/csi/cinder-csi-plugin/example_volume.hcl',
  'e2e/csi/input/ebs-volume0.hcl',
  'e2e/csi/input/ebs-volume1.hcl',
];
const ACL = ['dev/acls/default-ns.hcl', 'dev/acls/node-read.hcl', 'e2e/terraform/scripts/anonymous.nomad_policy.hcl'];
/** Not Nomad files (Vault / Consul policies, consul-template and Vault configs): no kind of ours. */
const FOREIGN = [
  'terraform/shared/config/consul-template.hcl',
  'terraform/shared/config/vault.hcl',
  'dev/vault/nomad-server-policy.hcl',
  'e2e/terraform/etc/acls/consul/nomad-server-policy.hcl',
  'e2e/terraform/etc/acls/vault/nomad-policy.hcl',
];

/** Real findings: `<file>:<line> <code>` that Nomad 1.6.5 would refuse too. */
const EXPECTED_ERRORS = new Set([
  // a parser test file: the agent accepts only TRACE, DEBUG, INFO, WARN, ERROR, OFF at start-up
  'command/agent/testdata/basic.hcl:15 invalid-value',
  // the same file's made-up keys in the docker and exec plugin configs: the driver's config spec has no
  // such key and the 1.6.5 agent stops at start-up ("failed to parse config: … No argument or block type is named …")
  'command/agent/testdata/basic.hcl:306 unknown-key',
  'command/agent/testdata/basic.hcl:308 unknown-key',
  'command/agent/testdata/basic.hcl:316 unknown-key',
  // a pre-1.1 volume file (top-level access_mode): 1.6.5 requires a capability block
  'demo/csi/cinder-csi-plugin/example_volume.hcl:4 missing-key',
]);

function mirrorAvailable(): boolean {
  if (!GIT_DIR || !fs.existsSync(path.join(GIT_DIR, 'HEAD'))) return false;
  try {
    execFileSync('git', ['--git-dir', GIT_DIR, 'rev-parse', '--verify', '--quiet', `${REF}^{commit}`], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

function show(file: string): string {
  return execFileSync('git', ['--git-dir', GIT_DIR, 'show', `${REF}:${file}`], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

function run(t: { skip(m: string): void }, files: string[], want: string): void {
  if (!mirrorAvailable()) {
    t.skip(
      GIT_DIR
        ? `hashicorp/nomad mirror not found at ${GIT_DIR}; skipping the real-file corpus`
        : 'needs a git directory of hashicorp/nomad in NOMAD_MIRROR; skipping the real-file corpus',
    );
    return;
  }
  const problems: string[] = [];
  for (const f of files) {
    const a = analyzeText(show(f), { fileName: f });
    if (a.kind !== want) {
      problems.push(`${f}: detected as ${a.kind}`);
      continue;
    }
    for (const d of a.diagnostics) {
      if (d.severity !== 1) continue;
      const key = `${f}:${d.range.start.line + 1} ${String(d.code)}`;
      if (!EXPECTED_ERRORS.has(key)) problems.push(`${key} ${d.message}`);
    }
  }
  assert.deepEqual(problems, []);
}

void test(`real agent configurations (hashicorp/nomad ${REF}): detected, no false error`, t => run(t, AGENT, 'agent'));
void test(`real volume specifications (hashicorp/nomad ${REF}): detected, no false error`, t =>
  run(t, VOLUME, 'volume'));
void test(`real ACL policies (hashicorp/nomad ${REF}): detected, no false error`, t => run(t, ACL, 'acl'));
void test(`configs of other tools (hashicorp/nomad ${REF}) are not taken for Nomad files`, t =>
  run(t, FOREIGN, 'unknown'));

void test('the expected findings are still found (the checks did not go blind)', t => {
  if (!mirrorAvailable()) {
    t.skip(
      GIT_DIR
        ? `hashicorp/nomad mirror not found at ${GIT_DIR}`
        : 'needs a git directory of hashicorp/nomad in NOMAD_MIRROR',
    );
    return;
  }
  for (const key of EXPECTED_ERRORS) {
    const [file, rest] = key.split(':') as [string, string];
    const [line, code] = rest.split(' ') as [string, string];
    const a = analyzeText(show(file), { fileName: file });
    assert.ok(
      a.diagnostics.some(d => d.severity === 1 && d.range.start.line + 1 === Number(line) && d.code === code),
      key,
    );
  }
});
