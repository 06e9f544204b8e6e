// Does the editor warn, before Plan, about the jobs Plan cannot place on the tutorial's three-node cluster,
// where node-02 and node-03 differ, and stay silent on those it places? With NOMAD_BIN: the real cluster
// (test/contract/tutorialCluster.ts) with one more config file per client (CLIENTS below: node class, meta,
// datacenter, a host volume on node-02 only, memory reserved on node-03 only, the exec driver denied on
// node-02), the cluster model's snapshot of it (ClusterFactsReader), and for every job of jobsFor() below
// the extension's own Plan path (NomadClient.parseJob, then planJob); the jobs, the answers and the
// snapshot (reduced to what the checks read: no host name, address or path) are written to
// test/fixtures/nomad/cluster/plan-set-nodes.json. Without it (CI), the fixture is read and the checks run
// again on the captured snapshot and jobs. Either way: no job Plan places gets a cluster warning, and every
// job Plan cannot place is warned about.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../src/language/hcl';
import { clusterDiagnostics } from '../../src/language/cluster';
import { NomadClient } from '../../src/nomad/client';
import { ClusterFactsReader } from '../../src/nomad/clusterFacts/reader';
import type { ClusterSnapshot, SnapshotNode } from '../../src/shared/clusterSnapshot';
import { startTutorialCluster } from './tutorialCluster';
import { root } from '../unit/support';

const FIXTURE = path.join(root, 'test', 'fixtures', 'nomad', 'cluster', 'plan-set-nodes.json');

/** What makes the two clients differ (each one's own extra agent config). */
const CLIENTS = {
  'node-02': (dir: string) => {
    const vol = path.join(dir, 'vol-data');
    fs.mkdirSync(vol, { recursive: true });
    return [
      'client {',
      '  node_class = "compute"',
      '  meta {',
      '    rack = "r1"',
      '    zone = "a"',
      '    ssd  = "true"',
      '    tags = "gpu-less,fast"',
      '  }',
      `  host_volume "data" {\n    path = ${JSON.stringify(vol)}\n  }`,
      '  options = {\n    "driver.denylist" = "exec"\n  }',
      '}',
      '',
    ].join('\n');
  },
  'node-03': (reservedMB: number) =>
    [
      'datacenter = "dc2"',
      'client {',
      '  node_class = "edge"',
      '  meta {',
      '    rack = "r2"',
      '    zone = "b"',
      '  }',
      `  reserved {\n    memory = ${reservedMB}\n  }`,
      '}',
      '',
    ].join('\n'),
};
/** node-03 keeps this share of the machine's memory for itself, so the two offer jobs different amounts */
const RESERVED_SHARE = 0.5;

const BOTH = '  datacenters = ["dc1", "dc2"]\n';
const task = (body = '', driver = 'raw_exec') =>
  `    task "t" {\n      driver = "${driver}"\n      config {\n        command = "/bin/sleep"\n        args    = ["30"]\n      }\n${body}    }\n`;
const job = (
  id: string,
  o: { top?: string; group?: string; task?: string; driver?: string; count?: number; memory?: number } = {},
) =>
  `job "${id}" {\n  type = "service"\n${o.top ?? BOTH}  group "g" {\n${o.count ? `    count = ${o.count}\n` : ''}${o.group ?? ''}${task(
    (o.task ?? '') +
      (o.memory ? `      resources {\n        cpu    = 100\n        memory = ${o.memory}\n      }\n` : ''),
    o.driver,
  )}  }\n}\n`;
/** a job of `groups` groups of one allocation each, under a job-level constraint */
const groups = (id: string, n: number, constraint: string) =>
  `job "${id}" {\n  type = "service"\n${BOTH}  constraint {\n${constraint}  }\n${Array.from(
    { length: n },
    (_, i) => `  group "g${i}" {\n${task()}  }\n`,
  ).join('')}}\n`;
const c = (attribute: string, value: string, operator?: string, kind = 'constraint') =>
  `    ${kind} {\n${attribute ? `      attribute = "${attribute}"\n` : ''}${operator ? `      operator  = "${operator}"\n` : ''}${value ? `      value     = "${value}"\n` : ''}    }\n`;
const volume = '    volume "data" {\n      type   = "host"\n      source = "data"\n    }\n';

/** The jobs, given the memory node-02 and node-03 offer (MB): the first set is meant not to be placed, the
 *  second to be placed; Plan decides which is which. */
function jobsFor(mem02: number, mem03: number): Record<string, string> {
  const between = Math.floor((mem02 + mem03) / 2);
  return {
    // only the combination neither node has
    'compute-on-rack-r2': job('compute-on-rack-r2', { group: c('${node.class}', 'compute') + c('${meta.rack}', 'r2') }),
    'compute-in-dc2': job('compute-in-dc2', { top: '  datacenters = ["dc2"]\n', group: c('${node.class}', 'compute') }),
    'ssd-in-dc2': job('ssd-in-dc2', { top: '  datacenters = ["dc2"]\n', group: c('${meta.ssd}', 'true') }),
    'volume-on-edge': job('volume-on-edge', { group: volume + c('${node.class}', 'edge') }),
    'volume-in-dc2': job('volume-in-dc2', { top: '  datacenters = ["dc2"]\n', group: volume }),
    'exec-on-compute': job('exec-on-compute', { driver: 'exec', group: c('${node.class}', 'compute') }),
    'class-gpu': job('class-gpu', { group: c('${node.class}', '^gpu', 'regexp') }),
    'tags-set': job('tags-set', { group: c('${meta.tags}', 'fast,slow', 'set_contains') }),
    // more allocations than the nodes (or their values) can keep apart
    'distinct-hosts-3': job('distinct-hosts-3', { count: 3, group: c('', '', 'distinct_hosts') }),
    'distinct-zone-3': job('distinct-zone-3', { count: 3, group: c('${meta.zone}', '', 'distinct_property') }),
    'distinct-hosts-short-3': job('distinct-hosts-short-3', {
      count: 3,
      group: '    constraint {\n      distinct_hosts = true\n    }\n',
    }),
    'distinct-zone-short-3': job('distinct-zone-short-3', {
      count: 3,
      group: '    constraint {\n      distinct_property = "${meta.zone}"\n    }\n',
    }),
    'job-distinct-hosts-3': job('job-distinct-hosts-3', {
      count: 3,
      top: BOTH + '  constraint {\n    distinct_hosts = true\n  }\n',
    }),
    'distinct-rack-in-dc1': job('distinct-rack-in-dc1', {
      top: '  datacenters = ["dc1"]\n',
      count: 2,
      group: c('${meta.rack}', '', 'distinct_property'),
    }),
    'job-distinct-hosts-groups': groups('job-distinct-hosts-groups', 3, '    distinct_hosts = true\n'),
    'job-distinct-zone-groups': groups('job-distinct-zone-groups', 3, '    distinct_property = "${meta.zone}"\n'),
    'distinct-ssd-2': job('distinct-ssd-2', { count: 2, group: c('${meta.ssd}', '', 'distinct_property') }),
    // more memory than one node offers, though both together would
    'memory-of-both': job('memory-of-both', { memory: mem02 + Math.ceil(mem03 / 2) }),
    'memory-in-dc2': job('memory-in-dc2', { top: '  datacenters = ["dc2"]\n', memory: between }),
    // the second set
    plain: job('plain'),
    'class-compute': job('class-compute', { group: c('${node.class}', 'compute') }),
    'class-edge-dc2': job('class-edge-dc2', { top: '  datacenters = ["dc2"]\n', group: c('${node.class}', 'edge') }),
    'rack-r2': job('rack-r2', { group: c('${meta.rack}', 'r2') }),
    'ssd-set': job('ssd-set', { group: c('${meta.ssd}', '', 'is_set') }),
    'volume-data': job('volume-data', { group: volume }),
    'volume-on-compute': job('volume-on-compute', { group: volume + c('${node.class}', 'compute') }),
    'exec-anywhere': job('exec-anywhere', { driver: 'exec' }),
    'distinct-hosts-2': job('distinct-hosts-2', { count: 2, group: c('', '', 'distinct_hosts') }),
    'distinct-zone-2': job('distinct-zone-2', { count: 2, group: c('${meta.zone}', '', 'distinct_property') }),
    'distinct-zone-limit': job('distinct-zone-limit', {
      count: 4,
      group: c('${meta.zone}', '2', 'distinct_property'),
    }),
    'distinct-hosts-off-3': job('distinct-hosts-off-3', {
      count: 3,
      group: '    constraint {\n      distinct_hosts = false\n    }\n',
    }),
    'distinct-zone-short-limit': job('distinct-zone-short-limit', {
      count: 4,
      group: '    constraint {\n      distinct_property = "${meta.zone}"\n      value             = "2"\n    }\n',
    }),
    'job-distinct-hosts-2-groups': groups('job-distinct-hosts-2-groups', 2, '    distinct_hosts = true\n'),
    'job-distinct-zone-2-groups': groups('job-distinct-zone-2-groups', 2, '    distinct_property = "${meta.zone}"\n'),
    'memory-one-node': job('memory-one-node', { memory: between }),
    'spread-zone-3': job('spread-zone-3', {
      count: 3,
      group: '    spread {\n      attribute = "${meta.zone}"\n    }\n',
    }),
    'affinity-gpu': job('affinity-gpu', { group: c('${node.class}', 'gpu', undefined, 'affinity') }),
  };
}

interface Answer {
  hcl: string;
  placed: boolean;
  plan: string;
  editor: string[];
}
interface Fixture {
  nomad: string;
  snapshot: ClusterSnapshot;
  answers: Record<string, Answer>;
}

/** What the checks read of a node, nothing more: the fixture keeps no host name, address or path. */
const KEEP = /^(kernel\.name|cpu\.arch|os\.name|nomad\.version|driver\.[\w]+)$/;
function reduce(s: ClusterSnapshot): ClusterSnapshot {
  return {
    cluster: 'tutorial',
    readAt: 0,
    ...(s.nodePools ? { nodePools: s.nodePools } : {}),
    ...(s.namespaces ? { namespaces: s.namespaces } : {}),
    csiVolumes: s.csiVolumes ?? [],
    variables: [],
    services: [],
    nodes: (s.nodes ?? [])
      .map(n => ({
        ...n,
        // the tutorial's names, not this machine's
        id: n.name,
        attributes: Object.fromEntries(Object.entries(n.attributes ?? {}).filter(([k]) => KEEP.test(k))),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

const editorSays = (s: ClusterSnapshot, hcl: string) =>
  clusterDiagnostics(parse(hcl), { ...s, readAt: Date.now() }).map(
    d => `${d.code}: ${d.message.replace(/ \(cluster .*\)$/, '')}`,
  );

function summary(f: Fixture): { unplaceable: number; warned: number; placed: number; falseAlarms: string[] } {
  const a = Object.entries(f.answers);
  const un = a.filter(([, x]) => !x.placed);
  return {
    unplaceable: un.length,
    warned: un.filter(([, x]) => x.editor.length).length,
    placed: a.length - un.length,
    falseAlarms: a.filter(([, x]) => x.placed && x.editor.length).map(([k, x]) => `${k}: ${x.editor.join('; ')}`),
  };
}

const ready = (s: ClusterSnapshot | null | undefined, name: string): SnapshotNode | undefined =>
  s?.nodes?.find(n => n.name === name && n.status === 'ready' && n.drivers['raw_exec']?.healthy && n.resources);

describe('the editor before Plan: jobs about what differs between the nodes of the real three-node cluster (or its capture)', () => {
  let fixture: Fixture;
  let stop: (() => Promise<void>) | undefined;

  before(async () => {
    const bin = process.env.NOMAD_BIN;
    if (!bin) {
      fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Fixture;
      console.log(`# no NOMAD_BIN: the capture of Nomad ${fixture.nomad} (${path.relative(root, FIXTURE)})`);
      // the checks run again on the captured snapshot: the findings are today's code's
      for (const a of Object.values(fixture.answers)) a.editor = editorSays(fixture.snapshot, a.hcl);
      return;
    }
    const machineMB = Math.floor(os.totalmem() / 2 ** 20);
    const reserved = Math.floor(machineMB * RESERVED_SHARE);
    const cluster = await startTutorialCluster(bin, {
      extraConfig: {
        'node-02': CLIENTS['node-02'],
        'node-03': () => CLIENTS['node-03'](reserved),
      },
    });
    stop = () => cluster.stop();
    const client = new NomadClient({
      profile: { name: 'tutorial', address: cluster.addr, tls: { skipVerify: false } },
    });
    try {
      // the snapshot once both clients are ready with a healthy raw_exec and their resources known
      const snap = await new Promise<ClusterSnapshot>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no snapshot with both clients ready in 60 s')), 60_000);
        const m = new ClusterFactsReader({
          client,
          cluster: 'tutorial',
          random: Math.random,
          onSnapshot: s => {
            if (ready(s, 'node-02')?.meta?.['rack'] && ready(s, 'node-03')?.meta?.['rack']) {
              clearTimeout(t);
              m.dispose();
              resolve(s!);
            }
          },
        });
        void m.start();
      });
      const mem = (name: string) => ready(snap, name)!.resources!.memoryMB;
      const jobs = jobsFor(mem('node-02'), mem('node-03'));
      const version = cluster.version;
      const answers: Record<string, Answer> = {};
      for (const [id, hcl] of Object.entries(jobs)) {
        let placed: boolean, why: string;
        try {
          // the extension's Plan: the cluster parses the file, then plans it
          const parsed = await client.parseJob(hcl, { canonicalize: true });
          const plan = await client.planJob(parsed, true);
          const failed = plan.FailedTGAllocs;
          placed = !failed || !Object.keys(failed).length;
          why = placed
            ? 'placed'
            : Object.entries(failed!)
                .map(
                  ([g, m]) =>
                    `${g}: ${m.NodesEvaluated} evaluated, ${m.NodesFiltered} filtered${m.ConstraintFiltered ? ` ${JSON.stringify(m.ConstraintFiltered)}` : ''}${m.ClassFiltered ? ` classes ${JSON.stringify(m.ClassFiltered)}` : ''}${m.DimensionExhausted ? ` exhausted ${JSON.stringify(m.DimensionExhausted)}` : ''}${m.CoalescedFailures ? `, ${m.CoalescedFailures} more failed` : ''}`,
                )
                .join('; ');
        } catch (e) {
          placed = false;
          why = `refused: ${e instanceof Error ? e.message : String(e)}`;
        }
        answers[id] = { hcl, placed, plan: why, editor: editorSays(snap, hcl) };
      }
      fixture = { nomad: version, snapshot: reduce(snap), answers };
      // the reduced snapshot gives the same findings as the full one (else the fixture would not hold CI to it)
      for (const [id, a] of Object.entries(answers))
        assert.deepEqual(editorSays(fixture.snapshot, a.hcl), a.editor, id);
      fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
      fs.writeFileSync(FIXTURE, JSON.stringify(fixture, null, 2) + '\n');
    } finally {
      await client.close();
    }
  });
  after(async () => {
    await stop?.();
  });

  it('both kinds are there, and the fixture names nothing of this machine', () => {
    const s = summary(fixture);
    assert.ok(s.unplaceable >= 10 && s.placed >= 10, JSON.stringify(s));
    const text = JSON.stringify(fixture);
    // the capturing machine's name is known only where it captures
    for (const bad of [root, os.tmpdir(), '127.0.0.', ...(process.env.NOMAD_BIN ? [os.hostname()] : [])])
      assert.ok(!text.includes(bad), `the fixture names ${bad}`);
  });

  it('no job Plan places gets a cluster warning', () => {
    assert.deepEqual(summary(fixture).falseAlarms, []);
  });

  it('every job Plan cannot place is warned about before Plan', () => {
    const s = summary(fixture);
    const missed = Object.entries(fixture.answers)
      .filter(([, a]) => !a.placed && !a.editor.length)
      .map(([k, a]) => `${k} (Plan: ${a.plan})`);
    console.log(
      `# Nomad ${fixture.nomad}, three nodes: ${s.warned} of ${s.unplaceable} jobs Plan cannot place are warned about before Plan; ${s.placed} placed jobs, ${s.falseAlarms.length} warned${missed.length ? `; not warned: ${missed.join(', ')}` : ''}`,
    );
    for (const [k, a] of Object.entries(fixture.answers))
      console.log(
        `#   ${a.placed ? 'placed  ' : 'refused '} ${k}: ${a.editor.length ? a.editor.join(' | ') : '(no warning)'}  [Plan: ${a.plan}]`,
      );
    assert.equal(missed.length, 0, missed.join(', '));
  });
});
