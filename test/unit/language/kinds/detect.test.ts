// Detection of the file kind from content: each kind, the HCL1 object form, and the guarantee that a
// real job file is never taken for another kind (the shared corpus of valid job files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../../../src/language/hcl';
import { detectFileKind } from '../../../../src/language/kinds';
import { fixture, root } from '../../support';

const kind = (text: string, name?: string): string => detectFileKind(parse(text), name);

void test('each kind from its content', () => {
  assert.equal(kind('job "web" {\n  group "g" {}\n}\n'), 'job');
  assert.equal(kind('variable "image" {}\nlocals { a = 1 }\n'), 'job');
  assert.equal(kind('{"Job": {"ID": "x"}}'), 'job');
  assert.equal(kind(fixture('agent/seed-nomad-server.nomad')), 'agent');
  assert.equal(kind(fixture('agent/seed-nomad-client.nomad')), 'agent');
  assert.equal(kind('data_dir = "/opt/nomad"\n'), 'agent');
  assert.equal(kind('server {\n  enabled = true\n}\n'), 'agent');
  assert.equal(kind('plugin "docker" {\n  config {}\n}\n'), 'agent');
  assert.equal(kind('consul {\n  address = "127.0.0.1:8500"\n}\n'), 'agent');
  assert.equal(kind('namespace "default" {\n  policy = "read"\n}\nagent {\n  policy = "read"\n}\n'), 'acl');
  assert.equal(kind('plugin {\n  policy = "list"\n}\n'), 'acl');
  assert.equal(kind('node_pool "prod" {\n  capabilities = ["read"]\n}\n'), 'acl');
  assert.equal(kind('id = "v"\ntype = "csi"\nplugin_id = "p"\ncapability {\n}\n'), 'volume');
  assert.equal(kind('type = "host"\nname = "scratch"\nplugin_id = "mkdir"\n'), 'volume');
  assert.equal(
    kind('name = "team-a"\ndescription = "x"\ncapabilities {\n  enabled_task_drivers = ["docker"]\n}\n'),
    'namespace',
  );
  assert.equal(kind('image = "x"\ncount = 2\n'), 'vars');
  assert.equal(kind('name = "web"\ndescription = "the web app"\n'), 'vars');
  assert.equal(kind('region = "eu"\ndatacenter = "dc1"\n'), 'vars');
  assert.equal(kind('tags = { a = "b" }\n'), 'vars');
  assert.equal(kind(''), 'unknown');
  assert.equal(kind('scaling "x" {\n  min = 1\n}\n'), 'unknown');
  // configuration files of other tools that share names with Nomad's agent
  assert.equal(kind('vault {\n  address = "x"\n}\nsyslog {\n  enabled = true\n}\n'), 'unknown');
  assert.equal(kind('data_dir = "/opt/consul"\nnode_name = "n1"\nserver = true\n'), 'unknown');
  // the name is only a hint
  assert.equal(kind('x {\n}\n', 'dev.vars.hcl'), 'vars');
  assert.equal(kind('job "x" {}\n', 'dev.vars.hcl'), 'job');
});

void test('detection never turns a real job file into another kind (shared corpus)', t => {
  const dir = path.resolve(root, '..', 'shared', 'corpus', 'valid');
  if (!fs.existsSync(dir)) {
    t.skip(`corpus not found at ${dir}`);
    return;
  }
  const wrong: string[] = [];
  let n = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    n++;
    const k = kind(fs.readFileSync(path.join(dir, f), 'utf8'), f);
    if (k !== 'job') wrong.push(`${f}: ${k}`);
  }
  assert.ok(n > 0);
  assert.deepEqual(wrong, []);
});
