/**
 * Keeps a ClusterModel current from a live cluster without polling: one initial read of jobs and
 * allocations, then the event stream from that index (Job, Allocation, Deployment, Evaluation topics).
 * When the token may not read the event stream, it falls back to two blocking queries (/v1/jobs and
 * /v1/allocations). An idle editor therefore only holds long-lived requests open. Pure: no `vscode`.
 */
import type { NomadClient } from '../client';
import { EventStreamFollower } from '../events';
import { BlockingWatcher } from '../watch';
import { isNomadError } from '../errors';
import type { Clock, Random } from '../backoff';
import type { AllocationListStub, JobListStub, StreamEvents } from '../types';
import { ClusterModel, jobKey, splitJobKey, type ModelChange, type JobKey } from './model';

export interface ClusterSyncOptions {
  /** `*` for all namespaces */
  namespace: string;
  random: Random;
  /** Coalesce changes for this long before notifying (default 100 ms). */
  debounceMs?: number;
  onChange: (change: ModelChange) => void;
  onError?: (err: unknown, willRetry: boolean) => void;
  /** Called once the sync runs on the event stream ('events') or on blocking queries ('polling'). */
  onMode?: (mode: 'events' | 'polling') => void;
  /** Called when live updates stop (the agent cannot be reached: `since` is when the trouble began)
   *  and again (undefined) when they are back. */
  onStale?: (since: number | undefined) => void;
  /** Clock for `onStale` (default Date.now). */
  now?: () => number;
  /** Time and sleeping of the watchers (default: the system clock). */
  clock?: Clock;
  /** Test hook: force the fallback. */
  disableEventStream?: boolean;
}

type SyncClient = Pick<NomadClient, 'listJobs' | 'get' | 'getJob' | 'openStream' | 'jobAllocations'>;

export class ClusterSync {
  private readonly disposers: (() => void)[] = [];
  private pending: ModelChange | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** reads of a job's allocations for their versions: in flight, and asked again while in flight */
  private readonly versionReads = new Map<JobKey, { again: boolean }>();
  /** when live updates stopped (undefined: they flow) */
  private staleSince: number | undefined;
  mode: 'events' | 'polling' | 'starting' = 'starting';

  constructor(
    private readonly client: SyncClient,
    readonly model: ClusterModel,
    private readonly opts: ClusterSyncOptions,
  ) {}

  /** Initial load, then live updates. Resolves once the first load is in the model. */
  async start(): Promise<void> {
    const ns = this.opts.namespace;
    const [jobs, allocs] = await Promise.all([
      this.client.listJobs({ namespace: ns }),
      this.client.get<AllocationListStub[]>('/v1/allocations', { namespace: ns }),
    ]);
    this.emit(merge(this.model.setJobs(jobs.body ?? [], ns), this.model.setAllocations(allocs.body ?? [], true)), true);
    const index = Math.max(jobs.index, allocs.index);
    if (this.opts.disableEventStream) this.poll(jobs.index, allocs.index);
    else this.follow(index, jobs.index, allocs.index);
  }

  private follow(index: number, jobsIndex: number, allocsIndex: number): void {
    const follower = new EventStreamFollower(
      this.client,
      (batch: StreamEvents) => {
        this.fresh();
        this.emit(this.model.applyEvents(batch.Events ?? []));
      },
      {
        topics: ['Job', 'Allocation', 'Deployment', 'Evaluation'],
        index,
        namespace: this.opts.namespace,
        random: this.opts.random,
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        onError: (err, info) => {
          if (this.disposed) return;
          if (
            !info.willRetry &&
            isNomadError(err) &&
            (err.kind === 'unauthorized' || err.kind === 'notFound' || err.kind === 'badRequest')
          ) {
            // the token may list jobs but not read the event stream: fall back to blocking queries
            this.poll(jobsIndex, allocsIndex);
            return;
          }
          if (info.willRetry) this.stale();
          this.opts.onError?.(err, info.willRetry);
        },
        onReconnect: () => {
          void this.resync();
        },
      },
    );
    this.disposers.push(() => follower.dispose());
    this.mode = 'events';
    this.opts.onMode?.('events');
    void follower.start();
  }

  private poll(jobsIndex: number, allocsIndex: number): void {
    if (this.mode === 'polling') return;
    const ns = this.opts.namespace;
    const onError = (err: unknown, info: { willRetry: boolean }) => {
      if (info.willRetry) this.stale();
      this.opts.onError?.(err, info.willRetry);
    };
    // every answer (even one that only ran out its wait) shows the agent is reachable again
    const common = {
      random: this.opts.random,
      onError,
      onAnswer: () => this.fresh(),
      ...(this.opts.clock ? { clock: this.opts.clock } : {}),
    };
    const jobs = new BlockingWatcher<JobListStub[]>(
      ({ index, wait, signal }) => this.client.listJobs({ namespace: ns, index, wait, signal }),
      body => this.emit(this.model.setJobs(body ?? [], ns)),
      common,
    );
    const allocs = new BlockingWatcher<AllocationListStub[]>(
      ({ index, wait, signal }) =>
        this.client.get<AllocationListStub[]>('/v1/allocations', { namespace: ns, index, wait, signal }),
      body => this.emit(this.model.setAllocations(body ?? [])),
      common,
    );
    this.disposers.push(
      () => jobs.dispose(),
      () => allocs.dispose(),
    );
    this.mode = 'polling';
    this.opts.onMode?.('polling');
    void jobs.start(jobsIndex);
    void allocs.start(allocsIndex);
  }

  /** After a gap in the event stream, read the lists once more so nothing missed stays stale. */
  private async resync(): Promise<void> {
    try {
      const ns = this.opts.namespace;
      const [jobs, allocs] = await Promise.all([
        this.client.listJobs({ namespace: ns }),
        this.client.get<AllocationListStub[]>('/v1/allocations', { namespace: ns }),
      ]);
      this.fresh();
      if (!this.disposed)
        this.emit(merge(this.model.setJobs(jobs.body ?? [], ns), this.model.setAllocations(allocs.body ?? [], true)));
    } catch (e) {
      this.opts.onError?.(e, true);
    }
  }

  /** Live updates stopped (the agent is unreachable). */
  private stale(): void {
    if (this.disposed || this.staleSince !== undefined) return;
    this.staleSince = (this.opts.now ?? Date.now)();
    this.opts.onStale?.(this.staleSince);
  }

  /** Live updates flow again. */
  private fresh(): void {
    if (this.disposed || this.staleSince === undefined) return;
    this.staleSince = undefined;
    this.opts.onStale?.(undefined);
  }

  /** When live updates stopped, or undefined while they flow. */
  get stalledSince(): number | undefined {
    return this.staleSince;
  }

  /** A job someone found gone (a 404 while reading or acting on it): read it once more; gone, it leaves
   *  the model. */
  verifyJob(namespace: string, id: string): Promise<void> {
    return this.refetch(new Set([jobKey(namespace, id)]));
  }

  /** Read the allocation list of jobs whose new allocations arrived without their job version. */
  private readVersions(keys: Set<JobKey>): void {
    for (const key of keys) {
      const inFlight = this.versionReads.get(key);
      if (inFlight) {
        inFlight.again = true;
        continue;
      }
      const state = { again: false };
      this.versionReads.set(key, state);
      void (async () => {
        const [ns, id] = splitJobKey(key);
        try {
          do {
            state.again = false;
            const r = await this.client.jobAllocations(id, { namespace: ns });
            if (this.disposed) return;
            this.emit(this.model.setAllocVersions(r.body ?? []));
          } while (state.again && !this.disposed);
        } catch (err) {
          if (!(isNomadError(err) && err.kind === 'notFound')) this.opts.onError?.(err, false);
        } finally {
          this.versionReads.delete(key);
        }
      })();
    }
  }

  /** Read jobs the model asked about (deregistered: stopped or purged?; placeholders). */
  private async refetch(keys: Set<JobKey>): Promise<void> {
    for (const key of keys) {
      const [ns, id] = splitJobKey(key);
      try {
        const job = await this.client.getJob(id, { namespace: ns });
        if (!this.disposed) this.emit(this.model.setJob(ns, id, job.body as unknown as Record<string, unknown>));
      } catch (err) {
        if (isNomadError(err) && err.kind === 'notFound') {
          if (!this.disposed) this.emit(this.model.setJob(ns, id, null));
        } else this.opts.onError?.(err, false);
      }
    }
  }

  private emit(change: ModelChange, immediate = false): void {
    if (this.disposed) return;
    if (change.refetch.size) {
      const r = new Set(change.refetch);
      change.refetch.clear();
      void this.refetch(r);
    }
    if (change.versions.size) {
      const v = new Set(change.versions);
      change.versions.clear();
      this.readVersions(v);
    }
    if (!change.structure && change.jobs.size === 0) return;
    this.pending = this.pending ? merge(this.pending, change) : change;
    if (immediate) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.opts.debounceMs ?? 100);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p && !this.disposed) this.opts.onChange(p);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposers.splice(0)) d();
  }
}

export function merge(a: ModelChange, b: ModelChange): ModelChange {
  return {
    jobs: new Set([...a.jobs, ...b.jobs]),
    structure: a.structure || b.structure,
    refetch: new Set([...a.refetch, ...b.refetch]),
    versions: new Set([...a.versions, ...b.versions]),
  };
}
