import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import { readSetting } from '../config';
import type { JobsNode, JobsTreeProvider } from '../views/jobsTree';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogType } from '../nomad/logs/follower';
import { makeLineFilter, mergedLogPrefix } from '../nomad/logs/lines';
import { followLogs } from '../nomad/logs/threaded';
import { BlockingWatcher } from '../nomad/watch';
import type { AllocationListStub } from '../nomad/types';
import { allocIndex } from '../nomad/tree/model';
import { plain, plainText, shortId, visible, visibleLines } from '../nomad/display';

/** What can be followed: one task, or every running task of a job merged into one channel. */
export type LogTarget =
  { kind: 'task'; allocId: string; task: string } | { kind: 'job'; jobId: string; namespace?: string };

interface Following {
  key: string;
  name: string;
  channel: vscode.OutputChannel;
  /** ends its streams; settles once their last text is in the channel */
  stop: () => Promise<unknown>;
  active: boolean;
  /** the channel is disposed: late text is dropped */
  closed?: boolean;
  /** the last TAIL_CHARS characters appended to the channel (an output channel cannot be read back) */
  tail: string;
}

const TAIL_CHARS = 4096;

/** Arguments the command accepts: a tree node, a LogTarget, or nothing (then it asks). */
type Arg = JobsNode | LogTarget | undefined;

/**
 * Follow Logs: allocation logs flow into one output channel per target ("Nomad Logs: web[0]/server"),
 * first the last N lines, then live. Following the same target again reuses its channel; Stop
 * Following ends streams. Appends are batched so a chatty task never blocks the extension host.
 */
export class LogsFeature implements vscode.Disposable {
  private readonly following = new Map<string, Following>();
  /** the bundled log worker, looked up once (undefined: streams are followed in this thread) */
  private readonly workerPath: string | undefined = (p => (fs.existsSync(p) ? p : undefined))(
    path.join(__dirname, 'logsWorker.js'),
  );

  constructor(
    private readonly connection: ClusterConnection,
    private readonly jobs: JobsTreeProvider,
    private readonly log: Logger,
  ) {}

  private settings() {
    // through the rules of what a folder may set (src/shared/settings.ts): clamped, enum-checked, and
    // stripAnsi only from the user or a trusted workspace
    const warn = (m: string): void => this.log.warn(m);
    return {
      tailLines: readSetting('nomad.logs.tailLines', undefined, warn),
      stream: readSetting('nomad.logs.stream', undefined, warn),
      stripAnsi: readSetting('nomad.logs.stripAnsi', undefined, warn),
    };
  }

  async follow(arg: Arg, withFilter = false): Promise<string | undefined> {
    await this.connection.ensureConnected();
    if (!this.connection.client) {
      await this.connection.reportState();
      return undefined;
    }
    const target = await this.resolveTarget(arg);
    if (!target) return undefined;
    let filterText = '';
    if (withFilter) {
      const spec = await vscode.window.showInputBox({
        title: 'Keep only lines matching',
        prompt: 'A substring, or /regex/flags',
        validateInput: v => {
          try {
            makeLineFilter(v);
            return undefined;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        },
      });
      if (spec === undefined) return undefined;
      filterText = spec.trim();
    }
    return target.kind === 'task' ? this.followTask(target, filterText) : this.followJob(target, filterText);
  }

  private async resolveTarget(arg: Arg): Promise<LogTarget | undefined> {
    if (arg && 'kind' in arg) {
      if (arg.kind === 'task' && 'task' in arg) return { kind: 'task', allocId: arg.allocId, task: arg.task };
      if (arg.kind === 'job' && 'jobId' in arg) return arg;
      if (arg.kind === 'job' && 'key' in arg) {
        const e = this.jobs.cluster.entry(arg.key);
        return e ? { kind: 'job', jobId: e.stub.ID, namespace: e.stub.Namespace } : undefined;
      }
      if (arg.kind === 'alloc' && 'allocId' in arg) return this.pickTask(arg.allocId);
    }
    // command palette: pick a job, then "all allocations" or one task
    const keys = this.jobs.cluster.jobKeys();
    const jobs = keys.map(k => this.jobs.cluster.entry(k)!).filter(Boolean);
    if (!jobs.length) {
      void vscode.window.showInformationMessage(
        'No jobs to follow: open the Nomad view to load the cluster, or run a job first.',
      );
      return undefined;
    }
    const job = await vscode.window.showQuickPick(
      jobs.map(e => ({ label: plainText(e.stub.ID), description: plainText(e.stub.Namespace), e })),
      { title: 'Follow logs of which job?' },
    );
    if (!job) return undefined;
    const allocs = [...job.e.allocs.values()].filter(a => a.ClientStatus === 'running' || a.ClientStatus === 'pending');
    const picks = [
      {
        label: plain`$(layers) All running allocations, merged`,
        target: { kind: 'job', jobId: job.e.stub.ID, namespace: job.e.stub.Namespace } as LogTarget,
      },
      ...allocs.flatMap(a =>
        Object.keys(a.TaskStates ?? {}).map(task => ({
          label: plain`${a.TaskGroup}[${allocIndex(a.Name) ?? '?'}]/${task}`,
          description: shortId(a.ID),
          target: { kind: 'task', allocId: a.ID, task } as LogTarget,
        })),
      ),
    ];
    return (await vscode.window.showQuickPick(picks, { title: plain`Follow logs of ${job.e.stub.ID}` }))?.target;
  }

  private async pickTask(allocId: string): Promise<LogTarget | undefined> {
    let a: AllocationListStub | undefined = this.jobs.cluster.allocation(allocId);
    if (!a) a = (await this.connection.withClient('Read allocation', c => c.getAllocation(allocId)))?.body;
    const tasks = Object.keys(a?.TaskStates ?? {});
    if (tasks.length <= 1) return tasks[0] ? { kind: 'task', allocId, task: tasks[0] } : undefined;
    const task = (
      await vscode.window.showQuickPick(
        tasks.map(t => ({ label: plainText(t), task: t })),
        { title: plain`Follow logs of which task of ${shortId(allocId)}?` },
      )
    )?.task;
    return task !== undefined ? { kind: 'task', allocId, task } : undefined;
  }

  private channelFor(key: string, name: string): Following {
    let f = this.following.get(key);
    if (!f) {
      f = {
        key,
        name,
        channel: vscode.window.createOutputChannel(name),
        stop: () => Promise.resolve(),
        active: false,
        tail: '',
      };
      this.following.set(key, f);
    }
    return f;
  }

  private types(): LogType[] {
    const s = this.settings().stream;
    return s === 'both' ? ['stdout', 'stderr'] : [s];
  }

  private async followTask(t: Extract<LogTarget, { kind: 'task' }>, filterText = ''): Promise<string> {
    const a =
      this.jobs.cluster.allocation(t.allocId) ??
      (await this.connection.withClient('Read allocation', c => c.getAllocation(t.allocId)))?.body;
    // the allocation's short id is in the name: two allocations (a replacement, another version) never share one
    const label = a ? visible(`${a.TaskGroup}[${allocIndex(a.Name) ?? '?'}]/${t.task}`) : visible(t.task);
    const name = `Nomad Logs: ${label} · ${shortId(t.allocId)}${filterText ? ` (${visible(filterText)})` : ''}`;
    const key = `task:${t.allocId}:${t.task}:${filterText}`;
    const f = this.channelFor(key, name);
    f.channel.show(true);
    if (f.active) return name;
    const stops = this.types().map((type, i) => this.stream(f, t.allocId, t.task, type, '', filterText, i === 0));
    f.stop = () => Promise.all(stops.map(s => s()));
    f.active = true;
    return name;
  }

  private async followJob(t: Extract<LogTarget, { kind: 'job' }>, filterText = ''): Promise<string> {
    const name = `Nomad Logs: ${visible(t.jobId)} (all allocations)${filterText ? ` (${visible(filterText)})` : ''}`;
    const key = `job:${t.namespace ?? ''}:${t.jobId}:${filterText}`;
    const f = this.channelFor(key, name);
    f.channel.show(true);
    if (f.active) return name;
    const client = this.connection.client!;
    const streams = new Map<string, () => Promise<unknown>>();
    const sync = (allocs: AllocationListStub[]) => {
      for (const a of allocs) {
        if (a.ClientStatus !== 'running' && a.ClientStatus !== 'pending') continue;
        for (const task of Object.keys(a.TaskStates ?? {})) {
          const k = `${a.ID}:${task}`;
          if (streams.has(k)) continue;
          const prefix = mergedLogPrefix(a.Name, task);
          const stops = this.types().map((type, i) => this.stream(f, a.ID, task, type, prefix, filterText, i === 0));
          streams.set(k, () => Promise.all(stops.map(s => s())));
        }
      }
    };
    // new allocations (a redeploy, a reschedule) join the channel as they appear
    const watcher = new BlockingWatcher<AllocationListStub[]>(
      ({ index, wait, signal }) =>
        client.jobAllocations(t.jobId, { ...(t.namespace ? { namespace: t.namespace } : {}), index, wait, signal }),
      body => sync(body ?? []),
      { random: Math.random, onError: e => this.log.warn(`logs of ${t.jobId}: ${String(e)}`) },
    );
    void watcher.start();
    f.stop = () => {
      watcher.dispose();
      const all = [...streams.values()].map(s => s());
      streams.clear();
      return Promise.all(all);
    };
    f.active = true;
    this.connection.addToScope({ dispose: () => this.stopOne(f) });
    return name;
  }

  /**
   * One stdout or stderr stream into a channel; returns its stop function. The stream is followed in a
   * worker thread (dist/logsWorker.js): decoding a chatty task's frames then never pauses the
   * extension host; the channel gets one append per batch.
   */
  private stream(
    f: Following,
    allocId: string,
    task: string,
    type: LogType,
    prefix: string,
    filterText: string,
    explain: boolean,
  ): () => Promise<unknown> {
    const client = this.connection.client!;
    const { tailLines, stripAnsi } = this.settings();
    const tag = type === 'stderr' ? `${prefix}[stderr] ` : prefix;
    const follow = followLogs(
      client,
      {
        allocId,
        task,
        type,
        origin: 'end',
        offset: tailLines * 160,
        prefix: tag,
        stripAnsi,
        filter: filterText,
        explain,
      },
      text => {
        if (f.closed) return;
        const shown = visibleLines(text);
        f.channel.append(shown);
        // a large batch replaces the tail outright: no copy of the whole batch on this hot path
        f.tail = shown.length >= TAIL_CHARS ? shown.slice(-TAIL_CHARS) : (f.tail + shown).slice(-TAIL_CHARS);
      },
      {
        workerPath: this.workerPath,
        onWorkerError: e => this.log.error(`log worker ${allocId}/${task}/${type}`, e),
      },
    );
    const done = follow.done.catch((e: unknown) => {
      this.log.error(`logs ${allocId}/${task}/${type}`, e);
    });
    return () => {
      follow.stop();
      return done;
    };
  }

  private stopOne(f: Following): void {
    if (!f.active) return;
    f.active = false;
    void f.stop().then(() => {
      if (!f.closed && !f.active) f.channel.appendLine('— stopped following —');
    });
  }

  /** "Nomad: Stop Following" */
  async stopFollowing(arg?: { name?: string }): Promise<void> {
    const active = [...this.following.values()].filter(f => f.active);
    if (!active.length) {
      void vscode.window.showInformationMessage('No Nomad logs are being followed.');
      return;
    }
    let chosen: Following[] = active;
    if (arg?.name) chosen = active.filter(f => f.name === arg.name);
    else if (active.length > 1) {
      const pick = await vscode.window.showQuickPick(
        [{ label: plain`All`, fs: active }, ...active.map(f => ({ label: plainText(f.name), fs: [f] }))],
        { title: 'Stop following' },
      );
      if (!pick) return;
      chosen = pick.fs;
    }
    for (const f of chosen) this.stopOne(f);
  }

  /** The end of what a channel shows (its last 4 KiB), by channel name: for tests and other extensions. */
  tail(name: string): string | undefined {
    for (const f of this.following.values()) if (f.name === name) return f.tail;
    return undefined;
  }

  /** Names of channels being followed (for tests and the status of the feature). */
  activeChannels(): string[] {
    return [...this.following.values()].filter(f => f.active).map(f => f.name);
  }

  /** Follow Logs (with a filter or not), Stop Following. */
  commands(): CommandTable {
    return {
      'nomad.followLogs': (arg?: JobsNode | LogTarget) => this.follow(arg),
      'nomad.followLogsFiltered': (arg?: JobsNode | LogTarget) => this.follow(arg, true),
      'nomad.stopFollowing': (arg?: { name?: string }) => this.stopFollowing(arg),
    };
  }

  dispose(): void {
    for (const f of this.following.values()) {
      f.closed = true;
      if (f.active) void f.stop();
      f.channel.dispose();
    }
    this.following.clear();
  }
}
