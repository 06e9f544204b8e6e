// Node drain and scheduling eligibility in a real VS Code against the cluster under test, from the node's
// row in the Jobs view as a user would: the drain asks for its deadline and whether system jobs stay, then
// confirms with the allocations it will move; declined, nothing changes; accepted, the node carries the
// drain strategy asked for. Stop Draining and eligibility off/on each confirm first and show on the node.
// A job with two allocations and migrate.max_parallel = 1 keeps the drain going on a one-node cluster
// (the second allocation waits for a replacement that has nowhere to go), so the drain strategy can be read.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, nomad, connectedApi } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import type { JobsNode } from '../../../src/views/jobsTree';

const S = 1_000_000_000;
interface NodeInfo {
  ID: string;
  Name: string;
  Drain: boolean;
  SchedulingEligibility: string;
  DrainStrategy: { Deadline: number; IgnoreSystemJobs: boolean; ForceDeadline: string } | null;
}
interface Asked {
  message: string;
  detail: string;
}

type Win = Record<'showWarningMessage' | 'showInputBox' | 'showQuickPick' | 'showInformationMessage', unknown>;

/** Answers the confirmation (and the drain's two questions) and records what each said. */
async function answering<T>(
  answers: { confirm: string | undefined; deadline?: string; systemJobs?: RegExp },
  fn: (asked: Asked[], prompts: string[]) => Promise<T>,
): Promise<T> {
  const w = vscode.window as unknown as Win;
  const saved = {
    showWarningMessage: w.showWarningMessage,
    showInputBox: w.showInputBox,
    showQuickPick: w.showQuickPick,
    showInformationMessage: w.showInformationMessage,
  };
  const asked: Asked[] = [],
    prompts: string[] = [];
  w.showWarningMessage = async (message: string, o?: { detail?: string }) => {
    asked.push({ message, detail: o?.detail ?? '' });
    return answers.confirm;
  };
  w.showInputBox = async (o?: vscode.InputBoxOptions) => {
    prompts.push(`input: ${o?.title ?? ''}`);
    return answers.deadline;
  };
  w.showQuickPick = async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    o?: vscode.QuickPickOptions,
  ) => {
    prompts.push(`pick: ${o?.title ?? ''}`);
    return (await items).find(i => answers.systemJobs?.test(i.label));
  };
  w.showInformationMessage = async () => undefined;
  try {
    return await fn(asked, prompts);
  } finally {
    Object.assign(w, saved);
  }
}

describe('nodes: drain and eligibility', function () {
  const id = `ext-drain-${Date.now().toString(36)}`;
  let api: NomadExtensionApi;
  let nodeId = '',
    nodeName = '';
  const node = () => nomad<NodeInfo>('GET', `/v1/node/${nodeId}`);

  /** The node's row in the Jobs view, read afresh (its description and what toggling does follow the cluster). */
  async function row(): Promise<Extract<JobsNode, { kind: 'node' }>> {
    const tree = api.cluster.jobsTree;
    const nodes = await until('the Nodes folder', async () => (await tree.getChildren()).find(n => n.kind === 'nodes'));
    return until('the node row', async () =>
      (await tree.getChildren(nodes)).find(
        (n): n is Extract<JobsNode, { kind: 'node' }> => n.kind === 'node' && n.node.ID === nodeId,
      ),
    );
  }

  before(async () => {
    api = await connectedApi();
    ({ ID: nodeId, Name: nodeName } = (await nomad<NodeInfo[]>('GET', '/v1/nodes'))[0]!);
    await nomad('POST', '/v1/jobs', {
      Job: {
        ID: id,
        Name: id,
        Type: 'service',
        Datacenters: ['dc1'],
        TaskGroups: [
          {
            Name: 'g',
            Count: 2,
            Migrate: { MaxParallel: 1, HealthCheck: 'task_states', MinHealthyTime: 1 * S, HealthyDeadline: 60 * S },
            Tasks: [
              {
                Name: 't',
                Driver: 'raw_exec',
                Config: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] },
                Resources: { CPU: 20, MemoryMB: 16 },
                KillTimeout: 1 * S,
              },
            ],
          },
        ],
      },
    });
    await until(
      'two running allocations',
      async () =>
        (await nomad<Array<{ JobID: string; ClientStatus: string }>>('GET', `/v1/node/${nodeId}/allocations`)).filter(
          a => a.JobID === id && a.ClientStatus === 'running',
        ).length === 2 || undefined,
      120_000,
    );
  });

  after(async () => {
    // the node goes back to how the other suites need it, whatever happened here
    await nomad('POST', `/v1/node/${nodeId}/drain`, {
      NodeID: nodeId,
      DrainSpec: null,
      MarkEligible: true,
      Meta: null,
    }).catch(() => undefined);
    await nomad('POST', `/v1/node/${nodeId}/eligibility`, { NodeID: nodeId, Eligibility: 'eligible' }).catch(
      () => undefined,
    );
    await nomad('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
  });

  it('drain asks for the deadline and system jobs, confirms with what it moves; declined nothing changes, accepted the node drains', async () => {
    // declined at the confirmation
    await answering(
      { deadline: '30m', systemJobs: /Leave system jobs running/, confirm: undefined },
      async (asked, prompts) => {
        assert.strictEqual(await vscode.commands.executeCommand('nomad.drainNode', await row()), false);
        assert.deepStrictEqual(prompts, [`input: Drain ${nodeName}: deadline`, `pick: Drain ${nodeName}: system jobs`]);
        assert.strictEqual(asked.length, 1, JSON.stringify(asked));
      },
    );
    let n = await node();
    assert.deepStrictEqual(
      [n.Drain, n.DrainStrategy, n.SchedulingEligibility],
      [false, null, 'eligible'],
      'declined: the node is unchanged',
    );

    // accepted; what it moves: every allocation on the node meant to run (other suites' jobs included)
    const live = (
      await nomad<Array<{ DesiredStatus: string; ClientStatus: string }>>('GET', `/v1/node/${nodeId}/allocations`)
    ).filter(a => a.DesiredStatus === 'run' && !['complete', 'failed', 'lost'].includes(a.ClientStatus)).length;
    const redrawn: unknown[] = [];
    const sub = api.cluster.jobsTree.onDidChangeTreeData(e => {
      if (e && !Array.isArray(e) && e.kind === 'nodes') redrawn.push(e);
    });
    const confirmation = await answering(
      { deadline: '30m', systemJobs: /Leave system jobs running/, confirm: 'Drain' },
      async asked => {
        assert.strictEqual(await vscode.commands.executeCommand('nomad.drainNode', await row()), true);
        return asked[0]!;
      },
    ).finally(() => sub.dispose());
    assert.strictEqual(redrawn.length, 1, 'the Nodes folder of the Jobs view is read again after the drain');
    assert.strictEqual(confirmation.message, `Drain node ${nodeName} within 30 min?`);
    assert.ok(
      confirmation.detail.startsWith(
        `${live} allocations will be stopped here and placed on other nodes where they fit:`,
      ),
      `${live} to move: ${confirmation.detail}`,
    );
    for (const i of [0, 1]) assert.ok(confirmation.detail.includes(`• ${id}.g[${i}] (`), confirmation.detail);
    assert.match(confirmation.detail, /System jobs stay\./);
    n = await node();
    assert.strictEqual(n.Drain, true);
    assert.strictEqual(n.SchedulingEligibility, 'ineligible');
    assert.ok(n.DrainStrategy, 'the node has a drain strategy');
    assert.strictEqual(n.DrainStrategy.Deadline, 30 * 60 * S);
    assert.strictEqual(n.DrainStrategy.IgnoreSystemJobs, true);
    assert.ok(
      Date.parse(n.DrainStrategy.ForceDeadline) > Date.now(),
      `force deadline in the future: ${n.DrainStrategy.ForceDeadline}`,
    );
  });

  it('stop draining confirms, then the node has no drain strategy and is eligible again', async () => {
    const asked = await answering({ confirm: 'Stop Draining' }, async a => {
      assert.strictEqual(await vscode.commands.executeCommand('nomad.cancelNodeDrain', await row()), true);
      return a;
    });
    assert.deepStrictEqual(
      asked.map(a => a.message),
      [`Stop draining ${nodeName}?`],
    );
    assert.match(asked[0]!.detail, /eligible for new allocations again/);
    const n = await node();
    assert.deepStrictEqual([n.Drain, n.DrainStrategy, n.SchedulingEligibility], [false, null, 'eligible']);
  });

  it('eligibility off says what keeps running; declined nothing changes; then off and on again', async () => {
    const running = async () =>
      (
        await nomad<Array<{ JobID: string; ClientStatus: string; DesiredStatus: string }>>(
          'GET',
          `/v1/node/${nodeId}/allocations`,
        )
      ).filter(a => a.DesiredStatus === 'run' && a.ClientStatus === 'running').length;
    // a real agent moved one allocation during the drain and places its replacement once the node is
    // eligible again: wait until the job is back at two running allocations and nothing is pending
    await until(
      'the job settled at two running allocations',
      async () => {
        const mine = (
          await nomad<Array<{ JobID: string; ClientStatus: string; DesiredStatus: string }>>(
            'GET',
            `/v1/node/${nodeId}/allocations`,
          )
        ).filter(a => a.JobID === id && a.DesiredStatus === 'run');
        return (mine.length === 2 && mine.every(a => a.ClientStatus === 'running')) || undefined;
      },
      120_000,
    );
    await until(
      'the node eligible in the tree',
      async () => (await row()).node.SchedulingEligibility === 'eligible' || undefined,
    );
    await answering({ confirm: undefined }, async asked => {
      assert.strictEqual(await vscode.commands.executeCommand('nomad.toggleNodeEligibility', await row()), false);
      assert.strictEqual(asked.length, 1);
    });
    assert.strictEqual((await node()).SchedulingEligibility, 'eligible', 'declined: still eligible');

    const live = await running();
    const off = await answering({ confirm: 'Make Ineligible' }, async a => {
      assert.strictEqual(await vscode.commands.executeCommand('nomad.toggleNodeEligibility', await row()), true);
      return a[0]!;
    });
    assert.strictEqual(off.message, `Make ${nodeName} ineligible for scheduling?`);
    assert.match(off.detail, /The scheduler places no new allocation on it\. Nothing that runs there now moves/);
    assert.ok(
      off.detail.includes(`${live} allocation${live === 1 ? '' : 's'} keep${live === 1 ? 's' : ''} running there.`),
      `${live} running: ${off.detail}`,
    );
    let n = await node();
    assert.deepStrictEqual([n.SchedulingEligibility, n.Drain], ['ineligible', false]);
    assert.strictEqual(await running(), live, 'nothing moved');

    await until(
      'the node ineligible in the tree',
      async () => (await row()).node.SchedulingEligibility === 'ineligible' || undefined,
    );
    const on = await answering({ confirm: 'Make Eligible' }, async a => {
      assert.strictEqual(await vscode.commands.executeCommand('nomad.toggleNodeEligibility', await row()), true);
      return a[0]!;
    });
    assert.strictEqual(on.message, `Make ${nodeName} eligible for scheduling?`);
    assert.match(on.detail, /may place new allocations on it again/);
    n = await node();
    assert.strictEqual(n.SchedulingEligibility, 'eligible');
  });
});
