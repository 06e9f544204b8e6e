// bench/cluster: authoring that knows the cluster, at scale.
//   npm run bench:cluster            (NODES=1000, ROUNDS=500, EVENTS=20)
// 1. Completion in the server's code path (the cached parse, completeAt + the cluster's items) with a
//    snapshot of NODES nodes: p50/p95, against the same completion without a snapshot (anchor). The
//    first completion after a new snapshot indexes it (viewOf): shown apart. Goal: p95 ≤ 5 ms.
// 2. Diagnostics with the cluster checks (analyzeFile + clusterDiagnostics + templateDiagnostics) against
//    analyzeFile alone (anchor).
// 3. A node event, end to end: the cluster model follows a double of NODES nodes; a node's dynamic
//    metadata is set (POST /v1/client/metadata), the model sees it, the change goes over a real LSP
//    connection (dist/server.js over stdio, started with the extension's flags) and a completion the server
//    answers offers the new value. p50/p95 over EVENTS events sent as a delta (nomad/clusterSnapshotDelta)
//    and EVENTS sent the old way, the whole snapshot (nomad/clusterSnapshot), interleaved; anchors: one
//    plain GET /v1/nodes of the same double, a completion round trip with nothing changed. Goal: ≤ 100 ms.
// 4. Requests to the double while ROUNDS completion + diagnostic rounds run with the model live. Goal: 0.
import { performance } from 'node:perf_hooks';
import { parse } from '../../src/language/hcl';
import { analyzeFile } from '../../src/language';
import { completeAt } from '../../src/language/features/completion';
import { schemaRootFor } from '../../src/language/features/context';
import { clusterCompletions, clusterDiagnostics, templateDiagnostics } from '../../src/language/cluster';
import { NomadClient } from '../../src/nomad/client';
import { ClusterFactsReader } from '../../src/nomad/clusterFacts/reader';
import fs from 'node:fs';
import path from 'node:path';
import {
  ClusterSnapshotDeltaNotification,
  ClusterSnapshotNotification,
  ClusterSnapshotResyncNotification,
  ClusterSnapshotStream,
  type ClusterSnapshot,
  type SnapshotNode,
} from '../../src/shared/clusterSnapshot';
import { SERVER_EXEC_ARGV } from '../../src/shared/protocol';
import { ClusterSnapshotHolder } from '../../src/language/cluster';
import { NomadDouble, type DoubleNodeFacts } from '../../test/double';
import { LspClient } from '../../test/unit/lspClient';
import { root as repoRoot } from '../../test/unit/support';

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

/** The job the bench's language server holds: a constraint on the meta key the node events set. */
const LSP_JOB = JOB.replace(
  '  group "app" {',
  `  constraint {
    attribute = "\${meta.bench}"
    value = ""
  }
  group "app" {`,
);

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
  {
    // the server's holder: the whole, indexed by a completion, then one node changed by a delta
    const holder = new ClusterSnapshotHolder();
    const stream = new ClusterSnapshotStream();
    holder.setFull(JSON.parse(JSON.stringify(stream.next(snapshot)!.message)));
    clusterCompletions(file, sites[0]!, holder.snapshot);
    const afterDelta: number[] = [];
    const applyT: number[] = [];
    let cur = snapshot;
    for (let e = 0; e < EVENTS; e++) {
      const nodes = [...cur.nodes!];
      const n = nodes[e]!;
      nodes[e] = {
        ...n,
        drivers: { ...n.drivers, docker: { detected: true, healthy: !n.drivers['docker']!.healthy } },
      };
      cur = { ...cur, readAt: cur.readAt + 1, nodes };
      const m = JSON.parse(JSON.stringify(stream.next(cur)!.message));
      let t = performance.now();
      holder.applyDelta(m);
      applyT.push(performance.now() - t);
      t = performance.now();
      clusterCompletions(file, sites[0]!, holder.snapshot);
      afterDelta.push(performance.now() - t);
    }
    console.log(
      `  the first completion after a one-node delta (the index carried over): p50 ${fmt(pct(afterDelta, 0.5))}, p95 ${fmt(pct(afterDelta, 0.95))}; applying the delta p50 ${fmt(pct(applyT, 0.5))}; the first after a whole is ${ratio(first, pct(afterDelta, 0.5))} that`,
    );
  }
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
  let forward: ((s: ClusterSnapshot | null) => void) | undefined;
  const lsps: LspClient[] = [];
  const model = new ClusterFactsReader({
    client,
    cluster: 'bench',
    random: Math.random,
    concurrency: 16,
    onSnapshot: s => {
      latest = s;
      forward?.(s);
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
    // the language server as VS Code runs it, over stdio
    const serverJs = path.join(repoRoot, 'dist', 'server.js');
    if (!fs.existsSync(serverJs)) throw new Error('dist/server.js missing: build it with node esbuild.mjs');
    const lsp = new LspClient(serverJs, { cwd: repoRoot, execArgv: [...SERVER_EXEC_ARGV] });
    lsps.push(lsp);
    await lsp.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    lsp.notify('initialized', {});
    const uri = 'file:///bench/web.nomad.hcl';
    lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: LSP_JOB } });
    const lines = LSP_JOB.split('\n');
    const valueLine = lines.findIndex(l => l.includes('value = ""'));
    const at = { line: valueLine, character: lines[valueLine]!.indexOf('""') + 1 };
    const complete = () =>
      lsp.call<{ items: { label: string }[] } | { label: string }[]>('textDocument/completion', {
        textDocument: { uri },
        position: at,
      });
    const labels = (r: { items: { label: string }[] } | { label: string }[]) =>
      (Array.isArray(r) ? r : r.items).map(i => i.label);
    const stream = new ClusterSnapshotStream();
    let mode: 'delta' | 'whole' = 'delta';
    let sentAt = 0;
    let sentMessage: unknown;
    const send = (s: ClusterSnapshot | null, whole: boolean) => {
      const m = whole ? stream.full(s) : stream.next(s);
      if (!m) return false;
      sentMessage = m.message;
      if (m.kind === 'full') lsp.notify(ClusterSnapshotNotification, m.message);
      else lsp.notify(ClusterSnapshotDeltaNotification, m.message);
      return true;
    };
    send(latest, true);
    // the whole indexed once (the first completion after it), then steady completions: the anchor
    await complete();
    const steady: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await complete();
      steady.push(performance.now() - t0);
    }
    let wantValue = '';
    let answered: ((ms: number) => void) | undefined;
    // every snapshot the model makes goes to the server as it happens; when it has the value the event
    // set, a completion is asked at once and the time is taken when the answer offers that value
    const onModel = (s: ClusterSnapshot | null) => {
      if (!s) return;
      const whole = mode === 'whole' && !!s.nodes?.some(n => n.meta?.['bench'] === wantValue);
      if (!send(s, whole)) return;
      if (!answered || !s.nodes?.some(n => n.meta?.['bench'] === wantValue)) return;
      const done = answered;
      answered = undefined;
      sentAt = performance.now();
      void complete().then(r => {
        if (labels(r).includes(wantValue)) done(performance.now() - sentAt);
        else throw new Error(`the completion after the event lacks ${wantValue}: ${labels(r).join(',')}`);
      });
    };
    forward = onModel;
    // let the model's second round of blocking queries be sent (the pacer's floor)
    await new Promise(r => setTimeout(r, 1200));
    const e2e = { delta: [] as number[], whole: [] as number[] };
    const lspPart = { delta: [] as number[], whole: [] as number[] };
    const bytes = { delta: [] as number[], whole: [] as number[] };
    for (let e = 0; e < 2 * EVENTS; e++) {
      mode = e % 2 ? 'whole' : 'delta';
      const id = latest!.nodes![e]!.id;
      wantValue = `v${e}`;
      const seen = new Promise<number>(resolve => {
        answered = resolve;
      });
      t = performance.now();
      await fetch(`${d.addr}/v1/client/metadata?node_id=${id}`, {
        method: 'POST',
        body: JSON.stringify({ Meta: { bench: wantValue } }),
      });
      const serverPart = await seen;
      e2e[mode].push(performance.now() - t);
      lspPart[mode].push(serverPart);
      // the size of what carried the event (measured after the timing: the client library stringifies it once)
      bytes[mode].push(Buffer.byteLength(JSON.stringify(sentMessage)));
      // the next event after the blocking query is open again (the pacer's floor between two queries)
      await new Promise(r => setTimeout(r, 600));
    }
    forward = undefined;
    const line = (xs: number[]) => `p50 ${fmt(pct(xs, 0.5))}, p95 ${fmt(pct(xs, 0.95))}, max ${fmt(Math.max(...xs))}`;
    console.log(
      `node event -> the server's completion offers it (double -> model -> delta over stdio -> completion): ${line(e2e.delta)} over ${EVENTS} events (goal ≤ 100 ms)`,
    );
    console.log(
      `  of which the model (the blocking node list answers, the node is read again): ${line(e2e.delta.map((x, i) => x - lspPart.delta[i]!))}`,
    );
    console.log(
      `  of which sending the delta + the completion's answer: ${line(lspPart.delta)}; the delta ${(pct(bytes.delta, 0.5) / 1024).toFixed(1)} KiB`,
    );
    console.log(
      `  anchor, the old path (the whole snapshot re-sent), same run, interleaved: ${line(e2e.whole)}; ratio p95 ${ratio(pct(e2e.delta, 0.95), pct(e2e.whole, 0.95))}`,
    );
    console.log(
      `    of which sending the whole + the completion's answer: ${line(lspPart.whole)}; the whole ${(pct(bytes.whole, 0.5) / 1024 / 1024).toFixed(2)} MiB; ratio p50 ${ratio(pct(lspPart.delta, 0.5), pct(lspPart.whole, 0.5))}`,
    );
    console.log(
      `  anchor, one GET /v1/nodes of ${NODES} nodes from the same double: p50 ${fmt(pct(listT, 0.5))}; ratio p50 ${ratio(pct(e2e.delta, 0.5), pct(listT, 0.5))}`,
    );
    console.log(
      `  anchor, a completion round trip over stdio with nothing changed: p50 ${fmt(pct(steady, 0.5))}, p95 ${fmt(pct(steady, 0.95))}; the first after a delta / it, p50 ${ratio(pct(lspPart.delta, 0.5), pct(steady, 0.5))}`,
    );
    const resyncs = lsp.discard(msg => msg.method === ClusterSnapshotResyncNotification.method);
    console.log(`  resyncs the server asked for: ${resyncs} (expected 0: no delta was lost)`);
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
    for (const l of lsps) l.kill();
    model.dispose();
    await client.close();
    await d.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
