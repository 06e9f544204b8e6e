// ACL policies, volume specifications and namespace specifications (facts from Nomad 1.6.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../../src/language';
import { diags, shorts } from '../../support';

void test('a valid ACL policy has no diagnostic', () => {
  const text = `
namespace "default" {
  policy       = "read"
  capabilities = ["submit-job", "dispatch-job", "read-logs", "csi-register-plugin"]
  variables {
    path "project/*" {
      capabilities = ["read", "list"]
    }
  }
}
namespace "web-*" {
  policy = "scale"
}
node_pool "prod_1" {
  policy = "write"
}
host_volume "scratch" {
  capabilities = ["mount-readonly"]
}
agent { policy = "read" }
node { policy = "write" }
operator = { policy = "deny" }
plugin { policy = "list" }
`;
  const a = analyzeText(text);
  assert.equal(a.kind, 'acl');
  assert.deepEqual(a.diagnostics, []);
});

void test('ACL policy mistakes: policy values, capability names, labels, missing rules', () => {
  const text = `
namespace "default" {
  policy       = "reed"
  capabilities = ["submit-jobs", "read-logs"]
  variables {
  }
  polcy = "read"
}
namespace "bad name" {
  policy = "write"
}
plugin { policy = "write" }
agent {
}
`;
  const ds = diags(text);
  assert.deepEqual(
    ds.map(d => `${d.range.start.line + 1} ${d.severity} ${String(d.code)}`),
    [
      '3 1 invalid-value',
      '4 1 invalid-value',
      '5 1 missing-key',
      '7 2 ignored-key',
      '9 1 invalid-value',
      '12 1 invalid-value',
      '13 1 missing-key',
    ],
  );
  assert.match(ds[0]!.message, /Did you mean "read"/);
  assert.match(ds[1]!.message, /Did you mean "submit-job"/);
  assert.match(ds[5]!.message, /"deny", "read", "list"/);
});

void test('a valid CSI volume specification has no diagnostic', () => {
  const text = `
id           = "database"
name         = "database"
type         = "csi"
plugin_id    = "aws-ebs0"
capacity_min = "10GiB"
capacity_max = "20 GB"
capability {
  access_mode     = "single-node-writer"
  attachment_mode = "file-system"
}
mount_options {
  fs_type     = "ext4"
  mount_flags = ["noatime"]
}
topology_request {
  required {
    topology { segments { "rack" = "R1" } }
  }
}
secrets { example_secret = "xyzzy" }
parameters { type = "gp2" }
`;
  const a = analyzeText(text);
  assert.equal(a.kind, 'volume');
  assert.deepEqual(a.diagnostics, []);
});

void test('volume specification mistakes', () => {
  const text = `
type         = "csi"
name         = "db"
capacity_min = "10 parsecs"
snapshot_id  = "snap-1"
clone_id     = "vol-2"
capability {
  access_mode     = "single-node-writr"
  attachment_mod  = "file-system"
}
`;
  assert.deepEqual(shorts(text), [
    '4 E invalid-value',
    '8 E invalid-value',
    '9 E unknown-key',
    '2 E missing-key',
    '2 E missing-key',
    '6 E invalid-value',
  ]);
  assert.match(diags(text)[1]!.message, /Did you mean "single-node-writer"/);
});

void test('a namespace specification', () => {
  const text =
    'name = "team-a"\ndescription = "Team A"\ncapabilities {\n  enabled_task_drivers = ["docker"]\n}\nmeta {\n  owner = "a"\n}\nnode_pool_config {\n  default = "prod"\n  allowed = ["prod*"]\n}\n';
  const a = analyzeText(text);
  assert.equal(a.kind, 'namespace');
  assert.deepEqual(a.diagnostics, []);
  assert.deepEqual(shorts('name = "x"\ncapabilities {\n  enabled_task_driver = ["docker"]\n}\n'), ['3 W ignored-key']);
});
