// Does the editor warn, before Plan, about the jobs Plan cannot place, and stay silent on those it places?
// With NOMAD_BIN: a dev agent of that binary, a node pool "gpu" with no node, the cluster model's snapshot
// of it, and for every job of JOBS below Nomad's own parse and Plan (FailedTGAllocs, or a refusal); the
// answers, the editor's findings and the snapshot (reduced to what the checks read: no host name, address
// or path) are written to test/fixtures/nomad/cluster/plan-set.json. Without it (CI), the fixture is read
// and the checks are run again on the captured snapshot. Either way: no job Plan places gets a cluster
// warning, and the count of warned unplaceable jobs is printed (and may not fall below the captured one).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../src/language/hcl';
import { clusterDiagnostics } from '../../src/language/cluster';
import { NomadClient } from '../../src/nomad/client';
import { ClusterFactsReader } from '../../src/nomad/clusterFacts/reader';
import type { ClusterSnapshot } from '../../src/shared/clusterSnapshot';
import { startAgent } from './agent';
import { Api } from './http';
import { root } from '../unit/support';

const FIXTURE = path.join(root, 'test', 'fixtures', 'nomad', 'cluster', 'plan-set.json');

const task = (body = '', driver = 'raw_exec') =>
  `    task "t" {\n      driver = "${driver}"\n      config {\n        command = "/bin/sleep"\n        args    = ["30"]\n      }\n${body}    }\n`;
const job = (id: string, o: { top?: string; group?: string; task?: string; driver?: string } = {}) =>
  `job "${id}" {\n  type = "service"\n${o.top ?? '  datacenters = ["dc1"]\n'}  group "g" {\n${o.group ?? ''}${task(o.task, o.driver)}  }\n}\n`;
const constraint = (attribute: string, value: string, operator?: string, kind = 'constraint') =>
  `    ${kind} {\n      attribute = "${attribute}"\n${operator ? `      operator  = "${operator}"\n` : ''}${value ? `      value     = "${value}"\n` : ''}    }\n`;

/** The jobs: the first set is meant not to be placed, the second to be placed; Plan decides which is which. */
const JOBS: Record<string, string> = {
  'no-dc2': job('no-dc2', { top: '  datacenters = ["dc2"]\n' }),
  'no-dc-pattern': job('no-dc-pattern', { top: '  datacenters = ["eu-*"]\n' }),
  'pool-without-nodes': job('pool-without-nodes', { top: '  datacenters = ["dc1"]\n  node_pool = "gpu"\n' }),
  'missing-driver': job('missing-driver', { driver: 'podman' }),
  'windows-only': job('windows-only', { group: constraint('${attr.kernel.name}', 'windows') }),
  'newer-nomad': job('newer-nomad', { group: constraint('${attr.nomad.version}', '>= 2.0.0', 'version') }),
  'ppc-only': job('ppc-only', { task: constraint('${attr.cpu.arch}', '^ppc', 'regexp') }),
  'meta-rack': job('meta-rack', { group: constraint('${meta.rack}', 'r9') }),
  'os-set': job('os-set', { group: constraint('${attr.os.name}', 'windows,plan9', 'set_contains_any') }),
  'too-much-memory': job('too-much-memory', { task: '      resources {\n        memory = 10000000\n      }\n' }),
  'too-much-cpu': job('too-much-cpu', { task: '      resources {\n        cpu = 10000000\n      }\n' }),
  'missing-host-volume': job('missing-host-volume', {
    group: '    volume "certs" {\n      type   = "host"\n      source = "certs"\n    }\n',
  }),
  'huge-disk': job('huge-disk', { group: '    ephemeral_disk {\n      size = 900000000\n    }\n' }),
  // the second set
  plain: job('plain'),
  'any-dc': job('any-dc', { top: '' }),
  'dc-pattern': job('dc-pattern', { top: '  datacenters = ["d*"]\n' }),
  'all-pools': job('all-pools', { top: '  datacenters = ["dc1"]\n  node_pool = "all"\n' }),
  linux: job('linux', { group: constraint('${attr.kernel.name}', 'linux') }),
  'not-windows': job('not-windows', { group: constraint('${attr.kernel.name}', 'windows', '!=') }),
  'nomad-1.6': job('nomad-1.6', { group: constraint('${attr.nomad.version}', '>= 1.6.0, < 2.0', 'version') }),
  'nomad-semver': job('nomad-semver', { group: constraint('${attr.nomad.version}', '>= 1.6.0', 'semver') }),
  'arch-regexp': job('arch-regexp', { task: constraint('${attr.cpu.arch}', '^(amd64|arm64)$', 'regexp') }),
  'kernel-set': job('kernel-set', { group: constraint('${attr.kernel.name}', '', 'is_set') }),
  'rack-unset': job('rack-unset', { group: constraint('${meta.rack}', '', 'is_not_set') }),
  distinct: job('distinct', { group: constraint('', '', 'distinct_hosts') }),
  'affinity-only': job('affinity-only', { group: constraint('${meta.rack}', 'r9', undefined, 'affinity') }),
  small: job('small', { task: '      resources {\n        cpu    = 100\n        memory = 64\n      }\n' }),
};

interface Answer {
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
    cluster: 'dev',
    readAt: 0,
    ...(s.nodePools ? { nodePools: s.nodePools } : {}),
    ...(s.namespaces ? { namespaces: s.namespaces } : {}),
    csiVolumes: s.csiVolumes ?? [],
    variables: [],
    services: [],
    nodes: (s.nodes ?? []).map((n, i) => ({
      ...n,
      id: `node-${i}`,
      name: `node-${i}`,
      attributes: Object.fromEntries(Object.entries(n.attributes ?? {}).filter(([k]) => KEEP.test(k))),
    })),
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

describe('the editor before Plan: a set of jobs on the real agent (or its capture)', () => {
  let fixture: Fixture;
  let stop: (() => Promise<void>) | undefined;

  before(async () => {
    const bin = process.env.NOMAD_BIN;
    if (!bin) {
      fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Fixture;
      console.log(`# no NOMAD_BIN: the capture of Nomad ${fixture.nomad} (${path.relative(root, FIXTURE)})`);
      // the checks run again on the captured snapshot: the findings are today's code's
      for (const [id, a] of Object.entries(fixture.answers)) a.editor = editorSays(fixture.snapshot, JOBS[id] ?? '');
      return;
    }
    const agent = await startAgent(bin);
    stop = () => agent.stop();
    const api = new Api(agent.addr);
    const r = await api.raw('PUT', '/v1/node/pools', { Name: 'gpu', Description: 'a pool with no node' });
    assert.equal(r.status, 200, r.text);
    const client = new NomadClient({ profile: { name: 'dev', address: agent.addr, tls: { skipVerify: false } } });
    // the snapshot once the node is ready with a healthy raw_exec (a dev agent fingerprints for a moment)
    const snap = await new Promise<ClusterSnapshot>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no snapshot with a ready node in 60 s')), 60_000);
      const m = new ClusterFactsReader({
        client,
        cluster: 'dev',
        random: Math.random,
        onSnapshot: s => {
          if (
            s?.nodes?.[0]?.status === 'ready' &&
            s.nodes[0].drivers['raw_exec']?.healthy &&
            s.nodePools?.includes('gpu')
          ) {
            clearTimeout(t);
            m.dispose();
            resolve(s);
          }
        },
      });
      void m.start();
    });
    const version = String((await api.get('/v1/agent/self')).config.Version.Version);
    const answers: Record<string, Answer> = {};
    for (const [id, hcl] of Object.entries(JOBS)) {
      const parsed = await api.raw('POST', '/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
      assert.equal(parsed.status, 200, `${id}: ${parsed.text}`);
      const plan = await api.raw('POST', `/v1/job/${id}/plan`, { Job: parsed.json, Diff: false });
      let placed: boolean, why: string;
      if (plan.status !== 200) {
        placed = false;
        why = plan.text.trim();
      } else {
        const failed = plan.json.FailedTGAllocs as Record<
          string,
          {
            NodesEvaluated: number;
            NodesFiltered: number;
            ConstraintFiltered: Record<string, number> | null;
            ClassExhausted: Record<string, number> | null;
            DimensionExhausted: Record<string, number> | null;
            NodesAvailable: Record<string, number> | null;
          }
        > | null;
        placed = !failed || !Object.keys(failed).length;
        why = placed
          ? 'placed'
          : Object.entries(failed!)
              .map(
                ([g, m]) =>
                  `${g}: ${m.NodesEvaluated} evaluated, ${m.NodesFiltered} filtered${m.ConstraintFiltered ? ` ${JSON.stringify(m.ConstraintFiltered)}` : ''}${m.DimensionExhausted ? ` exhausted ${JSON.stringify(m.DimensionExhausted)}` : ''}${m.NodesAvailable ? ` available ${JSON.stringify(m.NodesAvailable)}` : ''}`,
              )
              .join('; ');
      }
      answers[id] = { placed, plan: why, editor: editorSays(snap, hcl) };
    }
    fixture = { nomad: version, snapshot: reduce(snap), answers };
    // the reduced snapshot gives the same findings as the full one (else the fixture would not hold CI to
    // it): the same codes, and its messages (which name node-0, not the machine) are the ones kept
    const codes = (xs: string[]) => xs.map(x => x.slice(0, x.indexOf(':')));
    for (const [id, a] of Object.entries(answers)) {
      const reduced = editorSays(fixture.snapshot, JOBS[id]!);
      assert.deepEqual(codes(reduced), codes(a.editor), id);
      a.editor = reduced;
    }
    fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
    fs.writeFileSync(FIXTURE, JSON.stringify(fixture, null, 2) + '\n');
    await client.close();
  });
  after(async () => {
    await stop?.();
  });

  it('every job Plan answered is in the set, and both kinds are there', () => {
    assert.deepEqual(Object.keys(fixture.answers).sort(), Object.keys(JOBS).sort());
    const s = summary(fixture);
    assert.ok(s.unplaceable >= 10 && s.placed >= 10, JSON.stringify(s));
  });

  it('no job Plan places gets a cluster warning', () => {
    assert.deepEqual(summary(fixture).falseAlarms, []);
  });

  it('the unplaceable jobs the editor warns about before Plan', () => {
    const s = summary(fixture);
    const missed = Object.entries(fixture.answers)
      .filter(([, a]) => !a.placed && !a.editor.length)
      .map(([k, a]) => `${k} (Plan: ${a.plan})`);
    console.log(
      `# Nomad ${fixture.nomad}: ${s.warned} of ${s.unplaceable} jobs Plan cannot place are warned about before Plan; ${s.placed} placed jobs, ${s.falseAlarms.length} warned${missed.length ? `; not warned: ${missed.join(', ')}` : ''}`,
    );
    for (const [k, a] of Object.entries(fixture.answers))
      console.log(
        `#   ${a.placed ? 'placed  ' : 'refused '} ${k}: ${a.editor.length ? a.editor.join(' | ') : '(no warning)'}`,
      );
    assert.equal(missed.length, 0, missed.join(', '));
  });
});
