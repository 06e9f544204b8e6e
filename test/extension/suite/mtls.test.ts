// The extension against the tutorial's cluster in its production form — a server on node-01 and clients on
// node-02 and node-03 (test/contract/tutorialCluster.ts, from a real Nomad binary), mutual TLS with
// certificates from `nomad tls`, ACLs bootstrapped — configured as a user does it: the nomad.tls.* settings
// name the CA and the CLI's certificate and key, the token goes into secret storage. Every feature that
// talks to the cluster is driven once over it: the tree, Plan and Run with check-index, the deployment
// watch, Follow Logs (decoded in the log worker thread), the event stream, a shell in a task (the exec
// websocket), Variables, and a node drain that moves an allocation to the other client.
// test/extension/run.mjs runs this suite on its own (EXT_TEST_GREP) when NOMAD_BIN is set; otherwise skipped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXT_ID, until } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import { splitJobKey } from '../../../src/nomad/tree/model';

const ADDR = process.env.NOMAD_TEST_MTLS_ADDR;
const CA = process.env.NOMAD_TEST_MTLS_CA ?? '';
const CERT = process.env.NOMAD_TEST_MTLS_CERT ?? '';
const KEY = process.env.NOMAD_TEST_MTLS_KEY ?? '';
const TOKEN = process.env.NOMAD_TEST_MTLS_TOKEN ?? '';
const JOB = 'mtls-web';

/** A call to the cluster outside the extension, with the same certificates. */
function nomad<T>(method: string, p: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(p, ADDR),
      {
        method,
        ca: fs.readFileSync(CA),
        cert: fs.readFileSync(CERT),
        key: fs.readFileSync(KEY),
        servername: 'server.global.nomad',
        headers: { 'x-nomad-token': TOKEN, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      res => {
        let text = '';
        res.on('data', c => {
          text += String(c);
        });
        res.on('end', () =>
          (res.statusCode ?? 0) >= 300
            ? reject(new Error(`${method} ${p}: ${res.statusCode} ${text}`))
            : resolve((text ? JSON.parse(text) : undefined) as T),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const JOB_FILE = `job "${JOB}" {
  datacenters = ["dc1"]
  group "web" {
    count = 2
    update {
      max_parallel     = 1
      min_healthy_time = "1s"
      healthy_deadline = "1m"
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo \\"serving on $(hostname)\\"; exec sleep 3600"]
      }
      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
`;

(ADDR ? describe : describe.skip)('over mTLS: the tutorial cluster (a server, two clients, TLS and ACLs)', function () {
  let api: NomadExtensionApi;
  let dir = '';
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('nomad');
  const SETTINGS: Array<[string, unknown]> = [
    ['address', ADDR],
    ['tls.caCert', CA],
    ['tls.clientCert', CERT],
    ['tls.clientKey', KEY],
    ['tls.serverName', 'server.global.nomad'],
  ];

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    for (const [k, v] of SETTINGS) await config().update(k, v, vscode.ConfigurationTarget.Global);
    await api.cluster.switchCluster('default');
    await api.cluster.setToken(TOKEN);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-mtls-'));
    uri = vscode.Uri.file(path.join(dir, 'web.nomad.hcl'));
    fs.writeFileSync(uri.fsPath, JOB_FILE);
  });

  after(async () => {
    await vscode.commands.executeCommand('nomad.stopEventStream');
    for (const t of vscode.window.terminals) if (t.name.startsWith('Nomad: ')) t.dispose();
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await api.cluster.setToken(undefined);
    for (const [k] of SETTINGS) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the TLS settings and the stored token', async () => {
    await api.cluster.connect();
    const state = await until('connected', () => {
      const s = api.cluster.state();
      return s.kind === 'connected' ? s : undefined;
    });
    assert.match(state.leader, /127\.0\.0\.1:4647/);
  });

  it('Plan shows the new job; Run submits it with check-index 0; the deployment is watched until healthy', async () => {
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('nomad.planJob', uri);
    const vm = await until('the plan', () => api.plans.planOf(uri)?.vm);
    assert.strictEqual(vm.change, 'new');
    assert.strictEqual(vm.jobModifyIndex, 0);
    await api.plans.runShownPlan(uri);
    const done = await until(
      'the deployment watch to end',
      () => {
        const p = api.plans.planOf(uri)?.phase;
        return p?.phase === 'done' ? p : undefined;
      },
      180_000,
    );
    assert.strictEqual(done.outcome, 'successful', JSON.stringify(done));
    const job = await nomad<{ Version: number }>('GET', `/v1/job/${JOB}`);
    assert.strictEqual(job.Version, 0);
  });

  it('the tree shows the two allocations, one on each client', async () => {
    const key = await until('the job in the tree model', () =>
      api.cluster
        .model()
        .jobKeys()
        .find(k => splitJobKey(k)[1] === JOB),
    );
    const allocs = await until(
      'two running allocations in the model',
      () => {
        const a = api.cluster
          .model()
          .allocations(key, 'web')
          .filter(x => x.ClientStatus === 'running');
        return a.length === 2 ? a : undefined;
      },
      120_000,
    );
    assert.deepStrictEqual(allocs.map(a => a.NodeName).sort(), ['node-02', 'node-03']);
  });

  it("Follow Logs streams a task's output from the client that runs it", async () => {
    const key = api.cluster
      .model()
      .jobKeys()
      .find(k => splitJobKey(k)[1] === JOB)!;
    const alloc = api.cluster
      .model()
      .allocations(key, 'web')
      .find(a => a.ClientStatus === 'running')!;
    const name = await vscode.commands.executeCommand<string>('nomad.followLogs', {
      kind: 'task',
      allocId: alloc.ID,
      task: 'server',
    });
    assert.ok(api.logs.activeChannels().includes(name), `${name} follows`);
    // decoded in the log worker thread, which connects with the same certificates
    await until('the task output in the channel', () => /serving on/.test(api.logs.tail(name) ?? '') || undefined);
    await vscode.commands.executeCommand('nomad.stopFollowing', { name });
    assert.ok(!api.logs.activeChannels().includes(name));
  });

  it("the event stream follows the cluster's events", async () => {
    await vscode.commands.executeCommand('nomad.showEventStream', { topics: ['Job'], key: JOB, text: '' });
    await until('live', () => api.events.snapshot().state === 'live' || undefined);
    const current = await nomad<Record<string, unknown>>('GET', `/v1/job/${JOB}`);
    await nomad('POST', '/v1/jobs', { Job: { ...current, Meta: { touched: 'mtls' } } });
    await until('the registration event', () =>
      api.events.snapshot().lines.find(l => l.includes(`JobRegistered ${JOB}`)),
    );
    await vscode.commands.executeCommand('nomad.stopEventStream');
  });

  it('a shell in a task runs over the exec websocket with the same certificates', async () => {
    // the event stream's change made a new version: a running allocation of that version, meant to stay
    const job = await nomad<{ Version: number }>('GET', `/v1/job/${JOB}`);
    const alloc = await until(
      'a running allocation of the current version',
      async () =>
        (
          await nomad<
            Array<{
              ID: string;
              JobVersion: number;
              DesiredStatus: string;
              ClientStatus: string;
              TaskStates?: Record<string, { State: string }>;
            }>
          >('GET', `/v1/job/${JOB}/allocations`)
        ).find(
          a =>
            a.JobVersion === job.Version &&
            a.DesiredStatus === 'run' &&
            a.ClientStatus === 'running' &&
            a.TaskStates?.['server']?.State === 'running',
        ),
      120_000,
    );
    const shell = (await api.exec.openShell(
      { allocId: alloc.ID, task: 'server' },
      { command: ['/bin/sh'], preserveFocus: true },
    ))!;
    await until('the socket to open', () => shell.openedAt !== undefined || shell.outcome !== undefined);
    assert.strictEqual(shell.outcome, undefined, JSON.stringify(shell.outcome));
    const terminal = vscode.window.terminals.find(
      t => (t.creationOptions as vscode.ExtensionTerminalOptions).pty === shell,
    )!;
    terminal.sendText('echo "over-mtls-$((6*7))"; exit 4', true);
    const outcome = await until('the exit code', () => shell.outcome);
    assert.deepStrictEqual(outcome, { kind: 'exited', exitCode: 4 });
    assert.match(shell.transcript, /over-mtls-42/);
    terminal.dispose();
  });

  it('Variables: the view lists a variable, and a save goes through with check-and-set', async () => {
    const p = 'mtls/app';
    await nomad('PUT', `/v1/var/${p}`, { Namespace: 'default', Path: p, Items: { user: 'admin' } });
    const uri2 = (await vscode.commands.executeCommand<vscode.Uri>('nomad.openVariable', {
      namespace: 'default',
      path: p,
    }))!;
    const doc = await until('the document', () =>
      vscode.workspace.textDocuments.find(d => d.uri.toString() === uri2.toString()),
    );
    assert.match(doc.getText(), /user\s*=\s*"admin"/);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit(e => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'user = "root"\n'));
    assert.ok(await doc.save());
    const stored = await nomad<{ Items: Record<string, string> }>('GET', `/v1/var/${p}`);
    assert.deepStrictEqual(stored.Items, { user: 'root' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nomad('DELETE', `/v1/var/${p}`).catch(() => undefined);
  });

  it('draining node-02 moves its allocation to node-03', async () => {
    const nodes = await nomad<Array<{ ID: string; Name: string } & Record<string, unknown>>>('GET', '/v1/nodes');
    const node02 = nodes.find(n => n.Name === 'node-02')!;
    const original = vscode.window.showWarningMessage;
    const asked: string[] = [];
    // the user confirms the drain in the modal that lists what moves
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (
      m: string,
      o: { detail?: string },
      ...actions: string[]
    ) => {
      asked.push(`${m} ${o?.detail ?? ''}`);
      return actions.includes('Drain') ? 'Drain' : undefined;
    };
    try {
      assert.strictEqual(
        await vscode.commands.executeCommand(
          'nomad.drainNode',
          { id: node02.ID, name: 'node-02' },
          { deadline: '10m', ignoreSystemJobs: true },
        ),
        true,
      );
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    assert.match(asked[0] ?? '', /^Drain node node-02 within 10 min\? 1 allocation will be stopped here/);
    const key = api.cluster
      .model()
      .jobKeys()
      .find(k => splitJobKey(k)[1] === JOB)!;
    const moved = await until(
      'both running allocations on node-03',
      () => {
        const a = api.cluster
          .model()
          .allocations(key, 'web')
          .filter(x => x.ClientStatus === 'running' && x.DesiredStatus === 'run');
        return a.length === 2 && a.every(x => x.NodeName === 'node-03') ? a : undefined;
      },
      180_000,
    );
    assert.strictEqual(moved.length, 2);
    await nomad('POST', `/v1/node/${node02.ID}/drain`, {
      NodeID: node02.ID,
      DrainSpec: null,
      MarkEligible: true,
      Meta: null,
    });
  });
});
