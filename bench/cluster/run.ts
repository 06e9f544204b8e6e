// bench/cluster: authoring that knows the cluster, at scale.
//   npm run bench:cluster            (NODES=1000, ROUNDS=500, EVENTS=20)
// 1. Completion in the server's code path (the cached parse, completeAt + the cluster's items) with a
//    snapshot of NODES nodes: p50/p95, against the same completion without a snapshot (anchor). The
//    first completion after a new snapshot indexes it (viewOf): shown apart. Goal: p95 ≤ 5 ms.
// 2. Diagnostics with the cluster checks (analyzeFile + clusterDiagnostics + templateDiagnostics) against
//    analyzeFile alone (anchor).
// 3. The snapshot after a node event: the cluster model follows a double of NODES nodes; a node's
//    dynamic metadata is set (POST /v1/client/metadata) and the time until the model hands out the
//    snapshot that has it is measured, against one plain GET /v1/nodes of the same double (anchor), plus
//    the notification's cost (JSON size, stringify + parse). Goal: ≤ 100 ms.
// 4. Requests to the double while ROUNDS completion + diagnostic rounds run with the model live. Goal: 0.
import { performance } from 'node:perf_hooks';
import { parse } from '../../src/language/hcl';
import { analyzeFile } from '../../src/language';
import { completeAt } from '../../src/language/features/completion';
import { schemaRootFor } from '../../src/language/features/context';
import { clusterCompletions, clusterDiagnostics, templateDiagnostics } from '../../src/language/cluster';
import { NomadClient } from '../../src/nomad/client';
import { ClusterFactsReader } from '../../src/nomad/clusterFacts/reader';
import type { ClusterSnapshot, SnapshotNode } from '../../src/shared/clusterSnapshot';
import { NomadDouble, type DoubleNodeFacts } from '../../test/double';

const NODES = Number(process.env.NODES ?? 1000),
  ROUNDS = Number(process.env.ROUNDS ?? 500),
  EVENTS = Number(process.env.EVENTS ?? 20);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

function syntheticNode(i: number): SnapshotNode {
  const attributes: Record<string, string> = {};
  // about what a Linux client fingerprints (≈ 90 attributes)
  for (let k = 0; k < 80; k++) attributes[`fingerprint.k${k}`] = `v${k % 7}`;
  Object.assign(attributes, {
    'kernel.name': 'linux',
    'cpu.arch': i % 4 ? 'amd64' : 'arm64',
    'nomad.version': '1.6.5',
    'os.name': 'debian',
    'unique.hostname': `host-${i}`,
    'unique.network.ip-address': `10.0.${i >> 8}.${i & 255}`,
  });
  return {
    id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
    name: `node-${i}`,
    datacenter: `dc${i % 3}`,
    nodePool: i % 10 ? 'default' : 'gpu',
    nodeClass: i % 2 ? 'web' : 'batch',
    status: 'ready',
    eligible: true,
    drain: false,
    drivers: {
      docker: { detected: true, healthy: i % 5 !== 0 },
      exec: { detected: true, healthy: true },
      raw_exec: { detected: true, healthy: false },
    },
    attributes,
    meta: { rack: `r${i % 20}`, zone: `z${i % 3}` },
    hostVolumes: i % 2 ? { data: { readOnly: false } } : {},
    resources: { cpuMHz: 4000 + (i % 8) * 500, memoryMB: 8192 + (i % 4) * 4096, diskMB: 100_000 },
  };
}

const JOB = `job "web" {
  datacenters = ["dc1", "dc2"]
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }
  group "app" {
    count = 3
    volume "data" {
      type   = "host"
      source = "data"
    }
    task "api" {
      driver = "docker"
      config { image = "api:1.0" }
      template {
        data = <<EOT
{{ with nomadVar "nomad/jobs/web" }}KEY={{ .key }}{{ end }}
{{ range nomadService "db" }}{{ .Address }}{{ end }}
EOT
        destination = "local/env"
      }
      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
`;

function timeIt(n: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(`bench/cluster: ${NODES} nodes, ${ROUNDS} rounds, ${EVENTS} node events`);
  const snapshot: ClusterSnapshot = {
    cluster: 'bench',
    readAt: Date.now(),
    nodes: Array.from({ length: NODES }, (_, i) => syntheticNode(i)),
    nodePools: ['all', 'default', 'gpu'],
    namespaces: ['default'],
    csiVolumes: [],
    variables: [{ namespace: 'default', path: 'nomad/jobs/web', keys: ['key'] }],
    services: [{ namespace: 'default', name: 'db' }],
  };
  const file = parse(JOB);
  const root = schemaRootFor('job', file);
  const sites = [
    JOB.indexOf('"docker"') + 1,
    JOB.indexOf('"dc1"') + 1,
    JOB.indexOf('"${attr.kernel.name}"') + 1,
    JOB.indexOf('"linux"') + 1,
    JOB.indexOf('"data"\n') + 1,
  ];
  // 1. completion
  const first = timeIt(1, () => clusterCompletions(file, sites[0]!, snapshot))[0]!;
  const without: number[] = [],
    withIt: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const at = sites[r % sites.length]!;
    let t = performance.now();
    completeAt(file, at, root);
    without.push(performance.now() - t);
    t = performance.now();
    completeAt(file, at, root);
    clusterCompletions(file, at, snapshot);
    withIt.push(performance.now() - t);
  }
  console.log(
    `completion, ${NODES}-node snapshot: p50 ${fmt(pct(withIt, 0.5))}, p95 ${fmt(pct(withIt, 0.95))} (goal p95 ≤ 5 ms)`,
  );
  console.log(
    `  anchor, the same completion without a snapshot: p50 ${fmt(pct(without, 0.5))}, p95 ${fmt(pct(without, 0.95))}; ratio p95 ${ratio(pct(withIt, 0.95), pct(without, 0.95))}`,
  );
  console.log(`  the first completion after a new snapshot (indexes it once): ${fmt(first)}`);
  // 2. diagnostics
  const plain: number[] = [],
    checked: number[] = [];
  let findings = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    analyzeFile(file, { kind: 'job' });
    plain.push(performance.now() - t);
    t = performance.now();
    analyzeFile(file, { kind: 'job' });
    findings = clusterDiagnostics(file, snapshot).length + templateDiagnostics(file).length;
    checked.push(performance.now() - t);
  }
  console.log(
    `diagnostics with the cluster checks: p50 ${fmt(pct(checked, 0.5))}, p95 ${fmt(pct(checked, 0.95))} (${findings} findings on the bench job)`,
  );
  console.log(
    `  anchor, analyzeFile alone: p50 ${fmt(pct(plain, 0.5))}, p95 ${fmt(pct(plain, 0.95))}; ratio p95 ${ratio(pct(checked, 0.95), pct(plain, 0.95))}`,
  );
  // the notification
  const t0 = performance.now();
  const json = JSON.stringify(snapshot);
  JSON.parse(json);
  const ser = performance.now() - t0;
  console.log(
    `snapshot notification: ${(Buffer.byteLength(json) / 1024 / 1024).toFixed(2)} MiB as JSON, stringify + parse ${fmt(ser)}`,
  );

  // 3. + 4. live against the double
  const names = Array.from({ length: NODES }, (_, i) => `node-${i}`);
  const facts: Record<string, Partial<DoubleNodeFacts>> = {};
  for (let i = 0; i < NODES; i++)
    facts[names[i]!] = { datacenter: `dc${i % 3}`, meta: { rack: `r${i % 20}` }, drivers: { docker: i % 5 !== 0 } };
  const d = await NomadDouble.start({ nodes: names, nodeFacts: facts });
  const client = new NomadClient({ profile: { name: 'bench', address: d.addr, tls: { skipVerify: false } } });
  let latest: ClusterSnapshot | null = null;
  let wake: (() => void) | undefined;
  const model = new ClusterFactsReader({
    client,
    cluster: 'bench',
    random: Math.random,
    concurrency: 16,
    onSnapshot: s => {
      latest = s;
      wake?.();
    },
  });
  try {
    let t = performance.now();
    await model.start();
    console.log(
      `first read of ${NODES} nodes (list + each node's attributes and meta, 16 at a time): ${fmt(performance.now() - t)}, ${d.requests} requests`,
    );
    const listT: number[] = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await client.get('/v1/nodes');
      listT.push(performance.now() - t);
    }
    // let the model's second round of blocking queries be sent (the pacer's floor)
    await new Promise(r => setTimeout(r, 1200));
    const updates: number[] = [];
    for (let e = 0; e < EVENTS; e++) {
      const id = latest!.nodes![e]!.id;
      const value = `v${e}`;
      const seen = new Promise<void>(resolve => {
        wake = () => {
          if (latest?.nodes?.find(n => n.id === id)?.meta?.['bench'] === value) resolve();
        };
      });
      t = performance.now();
      await fetch(`${d.addr}/v1/client/metadata?node_id=${id}`, {
        method: 'POST',
        body: JSON.stringify({ Meta: { bench: value } }),
      });
      await seen;
      updates.push(performance.now() - t);
      // the next event after the blocking query is open again (the pacer's floor between two queries)
      await new Promise(r => setTimeout(r, 600));
    }
    console.log(
      `snapshot after a node event: p50 ${fmt(pct(updates, 0.5))}, p95 ${fmt(pct(updates, 0.95))}, max ${fmt(Math.max(...updates))} over ${EVENTS} events (goal ≤ 100 ms)`,
    );
    console.log(
      `  anchor, one GET /v1/nodes of ${NODES} nodes from the same double: p50 ${fmt(pct(listT, 0.5))}; ratio p50 ${ratio(pct(updates, 0.5), pct(listT, 0.5))}`,
    );
    await new Promise(r => setTimeout(r, 1200));
    const before = d.requests;
    const snap = latest!;
    const rt: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const s = performance.now();
      completeAt(file, sites[r % sites.length]!, root);
      clusterCompletions(file, sites[r % sites.length]!, snap);
      analyzeFile(file, { kind: 'job' });
      clusterDiagnostics(file, snap);
      templateDiagnostics(file);
      rt.push(performance.now() - s);
    }
    console.log(
      `requests to the double during ${ROUNDS} completion + diagnostic rounds with the model live: ${d.requests - before} (goal 0); a round p95 ${fmt(pct(rt, 0.95))}`,
    );
  } finally {
    model.dispose();
    await client.close();
    await d.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
