import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { JobsNode } from '../views/jobsTree';
import type { CommandTable } from '../commands';
import type { NodeListStub } from '../nomad/types';
import { allocationsThatMove, describeDeadline, NodesClient, parseDeadline } from '../nomad/nodes';
import { joinShown, plain, plainText, shortId, type Shown } from '../untrusted/shown';

type NodeRef = { id: string; name: string };
export interface DrainRequest {
  deadline?: string;
  ignoreSystemJobs?: boolean;
  confirm?: boolean;
}

/** Drain a node (deadline, ignore system jobs), cancel a drain, switch scheduling eligibility — each
 *  after a confirmation that lists the allocations it moves. */
export class NodesFeature {
  /** `changed`: after a node was drained, released or had its eligibility switched (the tree redraws it). */
  constructor(
    private readonly connection: ClusterConnection,
    private readonly changed: () => void = () => undefined,
  ) {}

  commands(): CommandTable {
    return {
      'nomad.drainNode': (n?: JobsNode | NodeRef, r?: DrainRequest) => this.drain(n, r),
      'nomad.cancelNodeDrain': (n?: JobsNode | NodeRef, r?: { confirm?: boolean }) =>
        this.cancelDrain(n, r?.confirm ?? true),
      'nomad.toggleNodeEligibility': (n?: JobsNode | NodeRef, r?: { eligible?: boolean; confirm?: boolean }) =>
        this.eligibility(n, r),
    };
  }

  private async node(n: JobsNode | NodeRef | undefined): Promise<{ ref: NodeRef; stub?: NodeListStub } | undefined> {
    if (n && 'kind' in n)
      return n.kind === 'node' ? { ref: { id: n.node.ID, name: n.node.Name }, stub: n.node } : undefined;
    if (n) return { ref: n };
    const r = await this.connection.withClient('List nodes', c => c.listNodes());
    if (!r) return undefined;
    const pick = await vscode.window.showQuickPick(
      r.body.map(x => ({
        label: plainText(x.Name),
        description: plainText(
          [shortId(x.ID), x.Status, x.Drain ? 'draining' : undefined, x.SchedulingEligibility]
            .filter(Boolean)
            .join(' · '),
        ),
        x,
      })),
      { title: 'Nomad: which node?' },
    );
    return pick ? { ref: { id: pick.x.ID, name: pick.x.Name }, stub: pick.x } : undefined;
  }

  private moveList(moves: ReturnType<typeof allocationsThatMove>): Shown {
    if (!moves.length) return plain`No running allocation is on it: nothing moves.`;
    const lines = moves
      .slice(0, 15)
      .map(
        a => plain`• ${a.Name} (${shortId(a.ID)}${a.Namespace && a.Namespace !== 'default' ? `, ${a.Namespace}` : ''})`,
      );
    if (moves.length > 15) lines.push(plain`… and ${moves.length - 15} more`);
    return joinShown(
      [
        plain`${moves.length} allocation${moves.length === 1 ? '' : 's'} will be stopped here and placed on other nodes where they fit:`,
        ...lines,
      ],
      plain`\n`,
    );
  }

  async drain(n?: JobsNode | NodeRef, r: DrainRequest = {}): Promise<boolean> {
    const target = await this.node(n);
    if (!target) return false;
    const { ref } = target;
    let deadlineNs = r.deadline !== undefined ? parseDeadline(r.deadline) : undefined;
    if (deadlineNs === undefined) {
      const text = await vscode.window.showInputBox({
        title: plain`Drain ${ref.name}: deadline`,
        prompt:
          'How long allocations may take to move before they are stopped: e.g. 1h, 30m; "force" stops them now; "none" waits for ever',
        value: '1h',
        validateInput: v =>
          parseDeadline(v) === undefined ? 'A duration such as 1h or 30m, "force" or "none"' : undefined,
      });
      if (text === undefined) return false;
      deadlineNs = parseDeadline(text)!;
    }
    let ignoreSystemJobs = r.ignoreSystemJobs;
    if (ignoreSystemJobs === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: plain`Move system jobs too`, v: false },
          { label: plain`Leave system jobs running (ignore system jobs)`, v: true },
        ],
        { title: plain`Drain ${ref.name}: system jobs` },
      );
      if (!pick) return false;
      ignoreSystemJobs = pick.v;
    }
    const nodes = await this.client();
    if (!nodes) return false;
    const allocs = await this.connection.withClient(plain`Allocations of ${ref.name}`, () => nodes.allocations(ref.id));
    if (!allocs) return false;
    const moves = allocationsThatMove(allocs, ignoreSystemJobs);
    if (r.confirm !== false) {
      const ok = await vscode.window.showWarningMessage(
        plain`Drain node ${ref.name} ${describeDeadline(deadlineNs)}?`,
        {
          modal: true,
          detail: joinShown([
            this.moveList(moves),
            plain`\n\nThe node becomes ineligible for new allocations until the drain is cancelled or it is marked eligible.`,
            ignoreSystemJobs && plain` System jobs stay.`,
          ]),
        },
        'Drain',
      );
      if (ok !== 'Drain') return false;
    }
    const done = await this.connection.withClient(plain`Drain ${ref.name}`, () =>
      nodes.drain(ref.id, { deadlineNs, ignoreSystemJobs }).then(() => true),
    );
    if (done) {
      this.changed();
      void vscode.window.showInformationMessage(
        plain`Draining ${ref.name} ${describeDeadline(deadlineNs)}: ${moves.length} allocation(s) to move.`,
      );
    }
    return !!done;
  }

  async cancelDrain(n?: JobsNode | NodeRef, confirm = true): Promise<boolean> {
    const target = await this.node(n);
    if (!target) return false;
    const { ref } = target;
    if (confirm) {
      const ok = await vscode.window.showWarningMessage(
        plain`Stop draining ${ref.name}?`,
        {
          modal: true,
          detail: 'Allocations already moved stay where they are; the node becomes eligible for new allocations again.',
        },
        'Stop Draining',
      );
      if (ok !== 'Stop Draining') return false;
    }
    const nodes = await this.client();
    const done =
      nodes &&
      (await this.connection.withClient(plain`Stop draining ${ref.name}`, () =>
        nodes.cancelDrain(ref.id, true).then(() => true),
      ));
    if (done) {
      this.changed();
      void vscode.window.showInformationMessage(plain`${ref.name} is no longer draining and is eligible again.`);
    }
    return !!done;
  }

  async eligibility(n?: JobsNode | NodeRef, r: { eligible?: boolean; confirm?: boolean } = {}): Promise<boolean> {
    const target = await this.node(n);
    if (!target) return false;
    const { ref, stub } = target;
    const nodes = await this.client();
    if (!nodes) return false;
    const eligible = r.eligible ?? (stub ? stub.SchedulingEligibility !== 'eligible' : undefined);
    let want = eligible;
    if (want === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: plain`Eligible`, v: true },
          { label: plain`Ineligible`, v: false },
        ],
        { title: plain`Scheduling eligibility of ${ref.name}` },
      );
      if (!pick) return false;
      want = pick.v;
    }
    if (r.confirm !== false) {
      let detail: Shown = want
        ? plain`The scheduler may place new allocations on it again.`
        : plain`The scheduler places no new allocation on it. Nothing that runs there now moves (a drain would move them).`;
      if (!want) {
        const allocs = await this.connection.withClient(plain`Allocations of ${ref.name}`, () =>
          nodes.allocations(ref.id),
        );
        const live = allocationsThatMove(allocs ?? [], false).length;
        detail = joinShown(
          [detail, plain`${live} allocation${live === 1 ? '' : 's'} keep${live === 1 ? 's' : ''} running there.`],
          plain`\n`,
        );
      }
      const ok = await vscode.window.showWarningMessage(
        plain`Make ${ref.name} ${want ? 'eligible' : 'ineligible'} for scheduling?`,
        { modal: true, detail },
        want ? 'Make Eligible' : 'Make Ineligible',
      );
      if (!ok) return false;
    }
    const done = await this.connection.withClient(plain`Eligibility of ${ref.name}`, () =>
      nodes.setEligibility(ref.id, want!).then(() => true),
    );
    if (done) {
      this.changed();
      void vscode.window.showInformationMessage(
        plain`${ref.name} is now ${want ? 'eligible' : 'ineligible'} for scheduling.`,
      );
    }
    return !!done;
  }

  private async client(): Promise<NodesClient | undefined> {
    await this.connection.ensureConnected();
    const c = this.connection.client;
    if (!c) {
      await this.connection.reportState();
      return undefined;
    }
    return new NodesClient(c);
  }
}
