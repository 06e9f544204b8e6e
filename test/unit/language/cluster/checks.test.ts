// The checks of a job against a cluster snapshot: each finding where Plan would fail, labelled with the
// cluster and the data's age; nothing for a job the cluster places, nothing without a snapshot, nothing
// for a value written as an expression.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { clusterDiagnostics, ClusterCodes } from '../../../../src/language/cluster';
import { node, snapshot } from './snapshot';

const two = () =>
  snapshot([
    node('a', {
      drivers: { raw_exec: { detected: true, healthy: true }, docker: { detected: true, healthy: true } },
      hostVolumes: { data: { readOnly: false } },
      meta: { rack: 'r1', zone: 'a' },
    }),
    node('b', {
      drivers: { raw_exec: { detected: true, healthy: true }, docker: { detected: true, healthy: false } },
      meta: { rack: 'r2' },
      attributes: { 'kernel.name': 'linux', 'cpu.arch': 'arm64', 'nomad.version': '1.5.2' },
    }),
  ]);

function job(body: string, top = 'datacenters = ["dc1"]'): string {
  return `job "web" {\n  ${top}\n  group "g" {\n${body}\n    task "t" {\n      driver = "raw_exec"\n      config { command = "sleep" }\n    }\n  }\n}\n`;
}
const codes = (text: string, s = two()) => clusterDiagnostics(parse(text), s).map(d => String(d.code));
const messages = (text: string, s = two()) => clusterDiagnostics(parse(text), s).map(d => d.message);

describe('cluster checks', () => {
  it('a job the cluster places: no finding', () => {
    assert.deepEqual(codes(job('')), []);
  });

  it('no snapshot: nothing', () => {
    assert.deepEqual(clusterDiagnostics(parse(job('', 'datacenters = ["dc9"]')), null), []);
  });

  it('a datacenter no node is in, labelled with the cluster and the age', () => {
    const d = clusterDiagnostics(parse(job('', 'datacenters = ["dc2"]')), two());
    assert.equal(d.length, 1);
    assert.equal(d[0]!.code, ClusterCodes.noDatacenter);
    assert.equal(d[0]!.severity, 2);
    assert.match(d[0]!.message, /datacenter dc2: it has dc1 \(2 nodes\)/);
    assert.match(d[0]!.message, /\(cluster dev, read 1[12] s ago\)$/);
  });

  it('datacenter patterns match as Nomad globs', () => {
    assert.deepEqual(codes(job('', 'datacenters = ["d*"]')), []);
    assert.deepEqual(codes(job('', 'datacenters = ["eu-*"]')), [ClusterCodes.noDatacenter]);
    // not written: Nomad's default ["*"]
    assert.deepEqual(codes(job('', '')), []);
  });

  it('a node pool that does not exist, and one without nodes in the datacenters', () => {
    assert.deepEqual(codes(job('', 'node_pool = "gpu"')), [ClusterCodes.noNodePool]);
    const s = snapshot([node('a'), node('g', { datacenter: 'dc2', nodePool: 'gpu' })]);
    assert.deepEqual(codes(job('', 'datacenters = ["dc1"]\n  node_pool = "gpu"'), s), [ClusterCodes.noNodePool]);
    assert.deepEqual(codes(job('', 'datacenters = ["dc2"]\n  node_pool = "gpu"'), s), []);
    assert.deepEqual(codes(job('', 'node_pool = "all"'), s), []);
  });

  it('no ready, eligible node', () => {
    const s = snapshot([node('a', { status: 'down' }), node('b', { eligible: false })]);
    assert.match(messages(job(''), s)[0]!, /can take work now: 2 nodes, down, ineligible/);
  });

  it('a driver no node has healthy (and says where it is unhealthy)', () => {
    const m = messages(job('').replace('driver = "raw_exec"', 'driver = "podman"'));
    assert.equal(m.length, 1);
    assert.match(m[0]!, /healthy podman driver; healthy there: docker, raw_exec/);
    const s = snapshot([
      node('b', {
        drivers: { docker: { detected: true, healthy: false }, raw_exec: { detected: true, healthy: true } },
      }),
    ]);
    assert.match(
      messages(job('').replace('driver = "raw_exec"', 'driver = "docker"'), s)[0]!,
      /detected but unhealthy on 1 node/,
    );
    assert.deepEqual(codes(job('').replace('driver = "raw_exec"', 'driver = "docker"')), []);
  });

  it('a constraint no node satisfies says how many nodes it filters', () => {
    const m = messages(
      job('    constraint {\n      attribute = "${attr.kernel.name}"\n      value = "windows"\n    }'),
    );
    assert.equal(m.length, 1);
    assert.match(m[0]!, /No node satisfies \$\{attr\.kernel\.name\} = windows: it filters 2 nodes of 2/);
  });

  it('constraints that each leave a node but none together', () => {
    const c =
      '    constraint {\n      attribute = "${meta.rack}"\n      value = "r1"\n    }\n    constraint {\n      attribute = "${attr.cpu.arch}"\n      value = "arm64"\n    }';
    const d = clusterDiagnostics(parse(job(c)), two());
    assert.deepEqual(
      d.map(x => x.code),
      [ClusterCodes.constraints],
    );
    assert.match(
      d[0]!.message,
      /\$\{meta\.rack\} = r1 filters 1, \$\{attr\.cpu\.arch\} = arm64 filters 1 \(of 2 nodes\)/,
    );
  });

  const op = (operator: string, attribute: string, value?: string) =>
    codes(
      job(
        `    constraint {\n      attribute = "${attribute}"\n      operator = "${operator}"\n${value !== undefined ? `      value = "${value}"\n` : ''}    }`,
      ),
    ).length === 0;
  it('the operators, as Nomad judges them', () => {
    const table: Array<[string, string, string | undefined, boolean]> = [
      ['=', '${attr.kernel.name}', 'linux', true],
      ['==', '${attr.kernel.name}', 'darwin', false],
      ['is', '${node.datacenter}', 'dc1', true],
      ['!=', '${attr.kernel.name}', 'linux', false],
      ['not', '${attr.kernel.name}', 'windows', true],
      // a missing attribute is not equal to anything
      ['!=', '${attr.missing}', 'x', true],
      ['>', '${attr.os.version}', '11', true],
      ['<', '${attr.os.version}', '9', false],
      ['>=', '${meta.rack}', 'r3', false],
      ['<=', '${meta.rack}', 'r2', true],
      ['version', '${attr.nomad.version}', '>= 1.6.0', true],
      ['version', '${attr.nomad.version}', '>= 1.7', false],
      ['version', '${attr.nomad.version}', '~> 1.5.0', true],
      ['version', '${attr.nomad.version}', '~> 1.6', true],
      ['version', '${attr.nomad.version}', '~> 1.4.0', false],
      ['semver', '${attr.driver.docker.version}', '>= 24.0.0', true],
      ['semver', '${attr.driver.docker.version}', '< 20.0.0', false],
      ['regexp', '${attr.cpu.arch}', '^(amd|arm)64$', true],
      ['regexp', '${attr.cpu.arch}', '^ppc', false],
      ['set_contains', '${meta.rack}', 'r1,r2', false],
      ['set_contains_any', '${meta.rack}', 'r1,r9', true],
      ['set_contains_all', '${meta.rack}', 'r1', true],
      ['is_set', '${meta.rack}', undefined, true],
      ['is_set', '${meta.gpu}', undefined, false],
      ['is_not_set', '${meta.gpu}', undefined, true],
      ['is_not_set', '${meta.rack}', undefined, false],
      ['distinct_hosts', '', undefined, true],
      ['distinct_property', '${meta.rack}', undefined, true],
      // an operator Nomad does not know is refused when the job is validated (the schema's checks say so): not judged here
      ['bogus_op', '${meta.rack}', 'x', true],
    ];
    for (const [o, a, v, placed] of table) assert.equal(op(o, a, v), placed, `${a} ${o} ${v ?? ''}`);
  });

  it('a regexp JavaScript cannot run as RE2 does is not judged', () => {
    assert.equal(op('regexp', '${attr.cpu.arch}', '\\\\Aamd64\\\\z'), true);
  });

  it('resources larger than any eligible node', () => {
    const r = '    task "big" {\n      driver = "raw_exec"\n      resources {\n        memory = 65536\n      }\n    }';
    const d = clusterDiagnostics(parse(job(r)), two());
    assert.deepEqual(
      d.map(x => x.code),
      [ClusterCodes.resources],
    );
    assert.match(
      d[0]!.message,
      /asks for 65836 MB of memory \(its 2 tasks together\): more than any eligible node offers \(the most: 8192 MB on a, of 2 nodes\)/,
    );
    assert.deepEqual(codes(job('    ephemeral_disk {\n      size = 900000\n    }')), [ClusterCodes.resources]);
  });

  it('more allocations than distinct_hosts or distinct_property can keep apart (service and batch jobs)', () => {
    const g = (count: string, c: string) => `    ${count}\n    constraint {\n${c}\n    }`;
    const hosts = '      operator = "distinct_hosts"';
    // two nodes: two allocations on distinct hosts fit, three do not
    assert.deepEqual(codes(job(g('count = 2', hosts))), []);
    assert.deepEqual(codes(job(g('count = 3', hosts))), [ClusterCodes.distinct]);
    assert.match(
      messages(job(g('count = 3', hosts)))[0]!,
      /asks for 3 allocations on distinct hosts, but only 2 eligible nodes/,
    );
    // the shorthand; a value that parses as false (Go's ParseBool) turns it off, any other keeps it on
    assert.deepEqual(codes(job(g('count = 3', '      distinct_hosts = true'))), [ClusterCodes.distinct]);
    assert.deepEqual(codes(job(g('count = 3', '      distinct_hosts = false'))), []);
    assert.deepEqual(codes(job(g('count = 3', `${hosts}\n      value = "F"`))), []);
    assert.deepEqual(codes(job(g('count = 3', `${hosts}\n      value = "yes"`))), [ClusterCodes.distinct]);
    // at the job's level too; the first one of a level decides
    const top = 'datacenters = ["dc1"]\n  constraint {\n    distinct_hosts = true\n  }';
    assert.deepEqual(codes(job('    count = 3', top)), [ClusterCodes.distinct]);
    assert.deepEqual(
      codes(job(g('count = 3', '      distinct_hosts = false') + `\n    constraint {\n${hosts}\n    }`)),
      [],
    );
    // the default count 1, a count from a scaling block or an expression, a system job: not judged
    assert.deepEqual(codes(job(g('', hosts))), []);
    assert.deepEqual(codes(job(g('count = var.n', hosts))), []);
    assert.deepEqual(codes(job(g('scaling {\n      min = 5\n    }', hosts))), []);
    assert.deepEqual(codes(job(g('count = 3', hosts), 'datacenters = ["dc1"]\n  type = "system"')), []);
    // nodes that other constraints rule out do not count
    const rack = '    constraint {\n      attribute = "${meta.rack}"\n      value = "r1"\n    }\n';
    assert.deepEqual(codes(job(rack + g('count = 2', hosts))), [ClusterCodes.distinct]);

    // distinct_property: ${meta.rack} has two values (r1, r2), ${meta.zone} one (a, only on node a)
    const prop = (attribute: string, value?: string) =>
      `      operator = "distinct_property"\n      attribute = "${attribute}"${value ? `\n      value = "${value}"` : ''}`;
    assert.deepEqual(codes(job(g('count = 2', prop('${meta.rack}')))), []);
    assert.deepEqual(codes(job(g('count = 3', prop('${meta.rack}')))), [ClusterCodes.distinct]);
    assert.match(
      messages(job(g('count = 3', prop('${meta.rack}'))))[0]!,
      /allows 1 on each of its 2 values .* \(r1, r2\): at most 2/,
    );
    assert.deepEqual(codes(job(g('count = 4', prop('${meta.rack}', '2')))), []);
    assert.deepEqual(codes(job(g('count = 5', prop('${meta.rack}', '2')))), [ClusterCodes.distinct]);
    // a node without the property is ruled out
    assert.deepEqual(codes(job(g('count = 1', prop('${meta.zone}')))), []);
    assert.deepEqual(codes(job(g('count = 2', prop('${meta.zone}')))), [ClusterCodes.distinct]);
    assert.match(messages(job(g('count = 1', prop('${meta.nope}'))))[0]!, /No eligible node has \$\{meta\.nope\}/);
    // the shorthand names the property; `value` stays the allowed count
    assert.deepEqual(codes(job(g('count = 3', '      distinct_property = "${meta.rack}"'))), [ClusterCodes.distinct]);
    assert.deepEqual(codes(job(g('count = 4', '      distinct_property = "${meta.rack}"\n      value = "2"'))), []);
    // an allowed count Nomad's validation refuses is left to it
    assert.deepEqual(codes(job(g('count = 3', prop('${meta.rack}', 'x')))), []);
    // what distinct_property leaves is what the resources are judged against: node b alone has no zone
    const s = snapshot([
      node('a', { meta: { zone: 'a' }, resources: { cpuMHz: 1000, memoryMB: 1000, diskMB: 10000 } }),
      node('b', { resources: { cpuMHz: 1000, memoryMB: 4000, diskMB: 10000 } }),
    ]);
    const mem = '\n    task "u" {\n      driver = "raw_exec"\n      resources {\n        memory = 2000\n      }\n    }';
    assert.deepEqual(codes(job(g('count = 1', prop('${meta.zone}')) + mem), s), [ClusterCodes.resources]);
    assert.deepEqual(codes(job(mem), s), []);
  });

  it('job-level distinct_hosts and distinct_property count the allocations of all its groups', () => {
    const jobOf = (constraint: string, counts: string[]) =>
      `job "web" {\n  datacenters = ["dc1"]\n  constraint {\n    ${constraint}\n  }\n${counts
        .map(
          (c, i) =>
            `  group "g${i}" {\n    ${c}\n    task "t" {\n      driver = "raw_exec"\n      config { command = "sleep" }\n    }\n  }\n`,
        )
        .join('')}}\n`;
    // two nodes; ${meta.rack} has two values
    assert.deepEqual(codes(jobOf('distinct_hosts = true', ['', ''])), []);
    assert.deepEqual(codes(jobOf('distinct_hosts = true', ['', '', ''])), [ClusterCodes.distinct]);
    assert.match(
      messages(jobOf('distinct_hosts = true', ['', 'count = 2']))[0]!,
      /Job web asks for 3 allocations on distinct hosts \(its 2 groups together\)/,
    );
    assert.deepEqual(codes(jobOf('distinct_hosts = false', ['', '', ''])), []);
    assert.deepEqual(codes(jobOf('distinct_property = "${meta.rack}"', ['', ''])), []);
    assert.deepEqual(codes(jobOf('distinct_property = "${meta.rack}"', ['', '', ''])), [ClusterCodes.distinct]);
    assert.deepEqual(codes(jobOf('distinct_property = "${meta.rack}"\n    value = "2"', ['', '', 'count = 2'])), []);
    // a count not known: not judged
    assert.deepEqual(codes(jobOf('distinct_hosts = true', ['', '', 'count = var.n'])), []);
    // a group whose own check warns: that warning only
    assert.deepEqual(codes(jobOf('distinct_hosts = true', ['count = 3', ''])), [ClusterCodes.distinct]);
    // groups that may use different nodes: the nodes any of them may use
    const onB = 'constraint {\n      attribute = "${meta.rack}"\n      value = "r2"\n    }';
    assert.deepEqual(codes(jobOf('distinct_hosts = true', [onB, ''])), []);
    assert.deepEqual(codes(jobOf('distinct_hosts = true', [onB, onB])), [ClusterCodes.distinct]);
  });

  it('set_contains_any and set_contains_all as attributes are not operators to Nomad: not judged', () => {
    const c = (k: string) => `    constraint {\n      attribute = "\${meta.rack}"\n      ${k} = "nope"\n    }`;
    assert.deepEqual(codes(job(c('set_contains'))), [ClusterCodes.constraint]);
    assert.deepEqual(codes(job(c('set_contains_any'))), []);
    assert.deepEqual(codes(job(c('set_contains_all'))), []);
  });

  it('a host volume no node has, a CSI volume the cluster does not have', () => {
    assert.deepEqual(codes(job('    volume "v" {\n      type = "host"\n      source = "data"\n    }')), []);
    assert.deepEqual(codes(job('    volume "v" {\n      type = "host"\n      source = "certs"\n    }')), [
      ClusterCodes.hostVolume,
    ]);
    assert.deepEqual(codes(job('    volume "v" {\n      type = "csi"\n      source = "pg"\n    }')), [
      ClusterCodes.csiVolume,
    ]);
    assert.deepEqual(
      codes(job('    volume "v" {\n      type = "csi"\n      source = "pg"\n    }'), {
        ...two(),
        csiVolumes: [{ id: 'pg', namespace: 'default', plugin: 'ebs' }],
      }),
      [],
    );
  });

  it('a part the token may not read says nothing', () => {
    const s = { ...two() };
    delete s.nodes;
    delete s.csiVolumes;
    assert.deepEqual(
      codes(job('    volume "v" {\n      type = "csi"\n      source = "pg"\n    }', 'datacenters = ["dc2"]'), s),
      [],
    );
  });

  it('an expression is not judged', () => {
    assert.deepEqual(codes(job('', 'datacenters = [var.dc]')), []);
    assert.deepEqual(codes(job('').replace('driver = "raw_exec"', 'driver = var.driver')), []);
  });

  it('a Variable or a service a template reads that does not exist', () => {
    const t = (data: string) =>
      job('').replace(
        'config { command = "sleep" }',
        `config { command = "sleep" }\n      template {\n        data = <<EOT\n${data}\nEOT\n        destination = "local/x"\n      }`,
      );
    const s = {
      ...two(),
      variables: [{ namespace: 'default', path: 'nomad/jobs/web', keys: ['user'] }],
      services: [{ namespace: 'default', name: 'db' }],
    };
    assert.deepEqual(codes(t('{{ with nomadVar "nomad/jobs/web" }}{{ .user }}{{ end }}'), s), []);
    assert.deepEqual(codes(t('{{ with nomadVar "nomad/jobs/web/g" }}{{ .user }}{{ end }}'), s), [
      ClusterCodes.variable,
    ]);
    assert.deepEqual(codes(t('{{ range nomadService "db" }}{{ .Address }}{{ end }}'), s), []);
    assert.deepEqual(codes(t('{{ range nomadService "cache" }}{{ .Address }}{{ end }}'), s), [ClusterCodes.service]);
  });
});
