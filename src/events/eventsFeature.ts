import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import type { CommandTable } from '../commands';
import { EventStreamFollower } from '../nomad/events';
import type { StreamEvent } from '../nomad/types';
import { plain, visibleText, type Visible } from '../untrusted/shown';
import {
  ALL_TOPICS,
  describeFilter,
  formatEvent,
  matches,
  NO_FILTER,
  topicQuery,
  type EventFilter,
} from '../nomad/eventFormat';

type State = 'stopped' | 'live' | 'paused';

/**
 * "Nomad: Show Event Stream": the cluster's event stream as lines in an output channel, filtered by
 * topic and key (on the server) and text (here). Pause stops reading and remembers the last index;
 * resume asks Nomad for the events after it (from its event buffer), so nothing in between is lost
 * while the buffer still holds it.
 */
export class EventsFeature implements vscode.Disposable {
  private channel: vscode.OutputChannel | undefined;
  private follower: EventStreamFollower | undefined;
  private filter: EventFilter = NO_FILTER;
  private state: State = 'stopped';
  private lastIndex = 0;
  /** the current follower's stream is open on the server (events from then on arrive) */
  private open = false;
  /** Lines shown so far (tests read the tail). */
  private readonly lines: string[] = [];
  private readonly status: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {
    this.status = vscode.window.createStatusBarItem('nomad.events', vscode.StatusBarAlignment.Left, 9);
    this.status.name = 'Nomad Event Stream';
    this.subs.push(
      this.status,
      connection.onDidChange(s => {
        // a new connection (cluster, token, namespace): the indexes of the old one mean nothing here
        if (s.kind === 'connecting' && this.state !== 'stopped') {
          this.follower?.dispose();
          this.follower = undefined;
          this.lastIndex = 0;
        }
        if (s.kind === 'connected' && this.state === 'live' && !this.follower) this.startFollower();
      }),
    );
  }

  commands(): CommandTable {
    return {
      'nomad.showEventStream': (f?: Partial<EventFilter>) => this.show(f),
      'nomad.filterEventStream': () => this.editFilter(),
      'nomad.pauseEventStream': () => this.pause(),
      'nomad.resumeEventStream': () => this.resume(),
      'nomad.stopEventStream': () => this.stop(),
    };
  }

  /** For tests: the state, the last index delivered and the lines shown. */
  snapshot(): { state: State; open: boolean; lastIndex: number; lines: readonly string[]; filter: EventFilter } {
    return {
      state: this.state,
      open: this.open && this.follower !== undefined,
      lastIndex: this.lastIndex,
      lines: [...this.lines],
      filter: this.filter,
    };
  }

  private async show(f?: Partial<EventFilter>): Promise<void> {
    await this.connection.ensureConnected();
    if (!this.connection.client) {
      await this.connection.reportState();
      return;
    }
    if (f) this.filter = { ...NO_FILTER, ...f };
    else if (this.state === 'stopped') {
      const picked = await this.pickFilter();
      if (!picked) return;
      this.filter = picked;
    }
    this.channel ??= vscode.window.createOutputChannel('Nomad Events');
    this.channel.show(true);
    if (this.state === 'live') return;
    if (this.state === 'stopped') {
      this.lastIndex = 0;
      this.append(
        visibleText`— following the event stream of ${this.connection.currentCluster()} (${describeFilter(this.filter)}) —`,
      );
    }
    this.state = 'live';
    this.startFollower();
    this.render();
  }

  private async pickFilter(): Promise<EventFilter | undefined> {
    const items = ALL_TOPICS.map(t => ({ label: t, picked: this.filter.topics.includes(t) }));
    const topics = await vscode.window.showQuickPick(items, {
      title: 'Nomad events: which topics? (none picked = all)',
      canPickMany: true,
    });
    if (!topics) return undefined;
    const key = await vscode.window.showInputBox({
      title: 'Nomad events: only this key? (a job, allocation, node… ID; empty = any)',
      value: this.filter.key,
    });
    if (key === undefined) return undefined;
    const text = await vscode.window.showInputBox({
      title: 'Nomad events: only lines containing this text? (empty = all)',
      value: this.filter.text,
    });
    if (text === undefined) return undefined;
    return { topics: topics.map(t => t.label), key: key.trim(), text: text.trim() };
  }

  private async editFilter(): Promise<void> {
    const f = await this.pickFilter();
    if (!f) return;
    const serverSide = f.key !== this.filter.key || f.topics.join() !== this.filter.topics.join();
    this.filter = f;
    this.append(visibleText`— filter: ${describeFilter(f)} —`);
    if (serverSide && this.state === 'live') {
      this.follower?.dispose();
      this.follower = undefined;
      this.startFollower();
    }
    this.render();
  }

  private startFollower(): void {
    const client = this.connection.client;
    if (!client) return;
    const ns = this.connection.namespace;
    const follower = new EventStreamFollower(client, batch => this.onBatch(batch.Index, batch.Events), {
      topics: topicQuery(this.filter),
      index: this.lastIndex,
      namespace: ns,
      random: Math.random,
      onError: (err, info) => {
        const msg = err instanceof Error ? err.message : String(err);
        this.log.warn(`event stream: ${msg}${info.willRetry ? ` (retrying in ${Math.round(info.delayMs)} ms)` : ''}`);
        if (!info.willRetry) {
          this.append(visibleText`— the event stream stopped: ${msg} —`);
          this.state = 'paused';
          this.follower = undefined;
          this.render();
        }
      },
      onReconnect: gap =>
        this.append(visibleText`— reconnected after ${Math.round(gap / 1000)} s, from index ${this.lastIndex + 1} —`),
      onOpen: () => {
        if (this.follower === follower) this.open = true;
      },
    });
    this.open = false;
    this.follower = follower;
    void follower.start();
  }

  private onBatch(index: number, events: readonly StreamEvent[]): void {
    if (this.state !== 'live') return;
    this.lastIndex = Math.max(this.lastIndex, index);
    for (const e of events) {
      const line = formatEvent(e);
      if (matches(e, this.filter, line)) this.append(visibleText`${new Date().toISOString().slice(11, 23)} ${line}`);
    }
    this.render();
  }

  private append(line: Visible): void {
    this.lines.push(line);
    if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
    this.channel?.appendLine(line);
  }

  pause(): void {
    if (this.state !== 'live') return;
    this.follower?.dispose();
    this.follower = undefined;
    this.state = 'paused';
    this.append(visibleText`— paused at index ${this.lastIndex} —`);
    this.render();
  }

  resume(): void {
    if (this.state !== 'paused') {
      if (this.state === 'stopped') void this.show();
      return;
    }
    this.state = 'live';
    this.append(visibleText`— resumed from index ${this.lastIndex + 1} —`);
    this.startFollower();
    this.render();
  }

  stop(): void {
    this.follower?.dispose();
    this.follower = undefined;
    if (this.state !== 'stopped') this.append(visibleText`— stopped —`);
    this.state = 'stopped';
    this.render();
  }

  private render(): void {
    void vscode.commands.executeCommand('setContext', 'nomad.events', this.state);
    if (this.state === 'stopped') {
      this.status.hide();
      return;
    }
    this.status.text =
      this.state === 'live'
        ? plain`$(pulse) Nomad events #${this.lastIndex}`
        : plain`$(debug-pause) Nomad events paused #${this.lastIndex}`;
    this.status.tooltip = plain`${describeFilter(this.filter)}\nClick to ${this.state === 'live' ? 'pause' : 'resume'}.`;
    this.status.command = this.state === 'live' ? 'nomad.pauseEventStream' : 'nomad.resumeEventStream';
    this.status.show();
  }

  dispose(): void {
    this.follower?.dispose();
    this.channel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
