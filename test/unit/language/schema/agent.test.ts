// Agent configuration, volume specification and ACL policy schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aclPolicySchema,
  agentSchema,
  attribute,
  childBlock,
  volumeSpecSchema,
  type BlockSchema,
} from '../../../../src/language/schema';
import { readHcl, type MiniBlock } from './mini-hcl';

function described(s: BlockSchema, where: string, missing: string[]): void {
  if (!s.description.trim()) missing.push(where);
  for (const a of s.attributes.values()) if (!a.description.trim()) missing.push(`${where}.${a.name}`);
  for (const c of s.blocks.values()) described(c, `${where} > ${c.name}`, missing);
}

function unknowns(block: MiniBlock, schema: BlockSchema, out: string[]): void {
  if (schema.open) return;
  for (const name of block.attrs.keys()) {
    if (!attribute(schema, name) && !schema.blocks.get(name)) out.push(`${schema.id}.${name}`);
  }
  for (const b of block.blocks) {
    const c = childBlock(schema, b.type);
    if (!c) {
      out.push(`${schema.id} > ${b.type}`);
      continue;
    }
    if (b.labels.length !== c.labels.length) out.push(`${schema.id} > ${b.type}: ${b.labels.length} labels`);
    unknowns(b, c, out);
  }
}

void test('agent configuration schema', () => {
  const agent = agentSchema();
  for (const b of [
    'server',
    'client',
    'ports',
    'addresses',
    'advertise',
    'consul',
    'vault',
    'acl',
    'tls',
    'telemetry',
    'plugin',
    'ui',
    'autopilot',
    'limits',
  ]) {
    assert.ok(childBlock(agent, b), b);
  }
  for (const a of ['data_dir', 'bind_addr', 'region', 'datacenter', 'log_level']) assert.ok(attribute(agent, a), a);
  assert.equal(attribute(childBlock(agent, 'server')!, 'bootstrap_expect')?.type, 'number');
  assert.deepEqual(childBlock(agent, 'plugin')?.labels, ['name']);
  assert.equal(childBlock(childBlock(agent, 'plugin')!, 'config')?.open, true);
  assert.deepEqual(childBlock(childBlock(agent, 'client')!, 'host_volume')?.labels, ['name']);
  const missing: string[] = [];
  described(agent, 'agent', missing);
  assert.deepEqual(missing, []);
});

void test('a typical agent configuration uses only known names', () => {
  const src = `
data_dir  = "/opt/nomad/data"
bind_addr = "0.0.0.0"
log_level = "INFO"
advertise {
  http = "10.0.0.5"
  rpc  = "10.0.0.5"
}
server {
  enabled          = true
  bootstrap_expect = 3
  server_join { retry_join = ["provider=aws tag_key=nomad"] }
}
client {
  enabled = true
  servers = ["10.0.0.1:4647"]
  meta { rack = "r1" }
  host_volume "data" {
    path      = "/srv/data"
    read_only = false
  }
  reserved {
    cpu    = 500
    memory = 512
  }
}
plugin "docker" {
  config {
    allow_privileged = true
    volumes { enabled = true }
  }
}
tls {
  http = true
  rpc  = true
  ca_file = "ca.pem"
}
telemetry {
  prometheus_metrics   = true
  publish_node_metrics = true
}
acl { enabled = true }
consul { address = "127.0.0.1:8500" }
vault { enabled = false }
ui { enabled = true }
`;
  const out: string[] = [];
  unknowns(readHcl(src), agentSchema(), out);
  assert.deepEqual(out, []);
});

void test('volume specification schemas', () => {
  const csi = volumeSpecSchema('csi');
  assert.equal(attribute(csi, 'plugin_id')?.required, true);
  assert.ok(childBlock(csi, 'capability')?.multiple);
  assert.ok(childBlock(childBlock(childBlock(csi, 'topology_request')!, 'required')!, 'topology'));
  const host = volumeSpecSchema('host');
  assert.ok(attribute(host, 'host_path'));
  const missing: string[] = [];
  described(csi, 'csi', missing);
  described(host, 'host', missing);
  assert.deepEqual(missing, []);
});

void test('ACL policy schema', () => {
  const acl = aclPolicySchema();
  const ns = childBlock(acl, 'namespace')!;
  assert.deepEqual(ns.labels, ['name']);
  assert.ok(attribute(ns, 'capabilities')?.enum?.includes('submit-job'));
  assert.deepEqual(childBlock(childBlock(ns, 'variables')!, 'path')?.labels, ['pattern']);
  const src = `
namespace "default" {
  policy       = "read"
  capabilities = ["submit-job", "read-logs"]
  variables {
    path "apps/*" { capabilities = ["read"] }
  }
}
node { policy = "read" }
agent { policy = "read" }
operator { policy = "deny" }
host_volume "ca-certs" { policy = "read" }
`;
  const out: string[] = [];
  unknowns(readHcl(src), acl, out);
  assert.deepEqual(out, []);
  const missing: string[] = [];
  described(acl, 'acl', missing);
  assert.deepEqual(missing, []);
});
