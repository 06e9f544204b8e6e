/**
 * The cluster model behind the Jobs view: jobs → task groups → allocations → tasks, kept current from
 * list responses and event-stream events without re-fetching everything. Pure: no `vscode` import, no I/O.
 * Every mutation returns a `ModelChange` naming exactly the jobs whose subtree changed, so the view can
 * refresh only those nodes.
 */
import type { AllocationListStub, JobListStub, StreamEvent, TaskGroupSummary, TaskState } from '../types';

export type JobKey = string;
/** A job's key: the JSON of [namespace, id], so no id (whatever it holds) can be read as another job's. */
export const jobKey = (namespace: string, id: string): JobKey => JSON.stringify([namespace || 'default', id]);
/** [namespace, id] of a key made by `jobKey`. */
export const splitJobKey = (key: JobKey): [string, string] => JSON.parse(key) as [string, string];

export interface JobEntry {
  key: JobKey;
  stub: JobListStub;
  /** job version, when known from an event or a full job read */
  version?: number;
  /** task group names and desired counts, when known from an event or a full job read */
  groups?: { name: string; count: number }[];
  allocs: Map<string, AllocationListStub>;
}

export interface ModelChange {
  /** jobs whose own row or subtree changed */
  jobs: Set<JobKey>;
  /** a job was added or removed: the job list itself (and maybe the namespaces) changed */
  structure: boolean;
  /** jobs the controller should read again (e.g. deregistered: stopped or purged?) */
  refetch: Set<JobKey>;
  /** jobs with allocations whose job version is not known yet (the event stream strips it): the
   *  controller reads the job's allocation list for their versions */
  versions: Set<JobKey>;
}

const emptyChange = (): ModelChange => ({ jobs: new Set(), structure: false, refetch: new Set(), versions: new Set() });

export type GroupCounts = Record<'running' | 'pending' | 'failed' | 'complete' | 'lost' | 'unknown', number>;

export interface GroupView {
  name: string;
  desired?: number;
  counts: GroupCounts;
  queued: number;
}

export interface JobView {
  key: JobKey;
  id: string;
  namespace: string;
  type: string;
  status: string;
  stop: boolean;
  version?: number;
  periodic: boolean;
  parameterized: boolean;
  running: number;
  desired?: number;
  /** "3/3 running" or the best available equivalent */
  summary: string;
  /** worst state among allocations: failed > pending > running > complete */
  health: 'failed' | 'pending' | 'running' | 'dead' | 'none';
}

const ZERO: GroupCounts = { running: 0, pending: 0, failed: 0, complete: 0, lost: 0, unknown: 0 };

function countsKey(status: string): keyof GroupCounts {
  switch (status) {
    case 'running':
    case 'pending':
    case 'failed':
    case 'complete':
    case 'lost':
      return status;
    default:
      return 'unknown';
  }
}

/** The job version an allocation object states: list stubs carry `JobVersion`, full allocations their
 *  `Job.Version`; event-stream allocations carry neither (Nomad strips the job from them). */
function statedVersion(a: Record<string, unknown>): number | undefined {
  if (typeof a.JobVersion === 'number') return a.JobVersion;
  const job = a.Job as { Version?: unknown } | null | undefined;
  return job && typeof job.Version === 'number' ? job.Version : undefined;
}

/** Turns an allocation (full or stub) into the stub shape the model keeps. `JobVersion` is 0 when the
 *  object does not state it: the model tracks that case apart (see ClusterModel.allocVersion). */
function toAllocStub(a: Record<string, unknown>): AllocationListStub {
  const pick = <T>(k: string, d: T): T => (a[k] === undefined ? d : (a[k] as T));
  return {
    ID: pick('ID', ''),
    EvalID: pick('EvalID', ''),
    Name: pick('Name', ''),
    Namespace: pick('Namespace', 'default'),
    NodeID: pick('NodeID', ''),
    NodeName: pick('NodeName', ''),
    JobID: pick('JobID', ''),
    JobType: pick('JobType', ''),
    JobVersion: statedVersion(a) ?? 0,
    TaskGroup: pick('TaskGroup', ''),
    DesiredStatus: pick('DesiredStatus', ''),
    DesiredDescription: pick('DesiredDescription', ''),
    ClientStatus: pick('ClientStatus', 'pending'),
    ClientDescription: pick('ClientDescription', ''),
    TaskStates: pick<Record<string, TaskState> | null>('TaskStates', null),
    DeploymentStatus: pick('DeploymentStatus', null),
    FollowupEvalID: pick('FollowupEvalID', ''),
    NextAllocation: pick('NextAllocation', ''),
    CreateIndex: pick('CreateIndex', 0),
    ModifyIndex: pick('ModifyIndex', 0),
    CreateTime: pick('CreateTime', 0),
    ModifyTime: pick('ModifyTime', 0),
  };
}

/** Turns a full job (event payload or GET /v1/job/:id) into a list stub, keeping what the list had. */
function toJobStub(j: Record<string, unknown>, prev?: JobListStub): JobListStub {
  const get = <T>(k: string, d: T): T => (j[k] === undefined || j[k] === null ? d : (j[k] as T));
  return {
    ID: get('ID', ''),
    ParentID: get('ParentID', ''),
    Name: get('Name', get('ID', '')),
    Namespace: get('Namespace', 'default'),
    Datacenters: get('Datacenters', null),
    Type: get('Type', 'service'),
    Priority: get('Priority', 50),
    Periodic: !!j.Periodic && (j.Periodic as { Enabled?: boolean }).Enabled !== false,
    ParameterizedJob: !!j.ParameterizedJob,
    Stop: get('Stop', false),
    Status: get('Status', 'pending'),
    StatusDescription: get('StatusDescription', ''),
    JobSummary: prev?.JobSummary ?? null,
    CreateIndex: get('CreateIndex', 0),
    ModifyIndex: get('ModifyIndex', 0),
    JobModifyIndex: get('JobModifyIndex', 0),
    SubmitTime: get('SubmitTime', 0),
    Meta: get('Meta', null),
  };
}

export class ClusterModel {
  private readonly jobs = new Map<JobKey, JobEntry>();
  private readonly allocJob = new Map<string, JobKey>();
  /** allocations whose job version is not known (created from an event that did not state it) */
  private readonly versionUnknown = new Set<string>();
  /** jobs a read found gone (purged): their allocations (kept by Nomad until garbage collection) do not
   *  bring them back; a registration under the same id clears this */
  private readonly gone = new Set<JobKey>();

  get size(): { jobs: number; allocations: number } {
    return { jobs: this.jobs.size, allocations: this.allocJob.size };
  }

  /** Replace the job list (a full list response, possibly for one namespace only). */
  setJobs(stubs: readonly JobListStub[], namespace = '*'): ModelChange {
    const change = emptyChange();
    const seen = new Set<JobKey>();
    for (const s of stubs) {
      const key = jobKey(s.Namespace, s.ID);
      seen.add(key);
      this.gone.delete(key);
      const cur = this.jobs.get(key);
      if (!cur) {
        this.jobs.set(key, { key, stub: s, allocs: new Map() });
        change.structure = true;
        continue;
      }
      if (cur.stub.ModifyIndex !== s.ModifyIndex || cur.stub.Status !== s.Status || summaryChanged(cur.stub, s)) {
        cur.stub = s;
        change.jobs.add(key);
      }
    }
    for (const [key, e] of this.jobs) {
      if (seen.has(key) || (namespace !== '*' && e.stub.Namespace !== namespace)) continue;
      this.removeJob(key);
      change.structure = true;
    }
    return change;
  }

  /** Replace all allocations (a full `/v1/allocations` response). Allocations of unknown jobs are kept
   *  under a placeholder until the job list names them, unless `listedJobsOnly` says the job list was
   *  read together with these: then an allocation of a job not in the model belongs to a purged job
   *  (Nomad keeps its allocations until garbage collection) and is left out. */
  setAllocations(stubs: readonly AllocationListStub[], listedJobsOnly = false): ModelChange {
    const change = emptyChange();
    const seen = new Set<string>();
    for (const a of stubs) {
      if (listedJobsOnly && !this.jobs.has(jobKey(a.Namespace, a.JobID))) continue;
      seen.add(a.ID);
      this.upsertAlloc(a, change);
    }
    for (const [id, key] of this.allocJob) {
      if (seen.has(id)) continue;
      this.jobs.get(key)?.allocs.delete(id);
      this.allocJob.delete(id);
      this.versionUnknown.delete(id);
      change.jobs.add(key);
    }
    return change;
  }

  /** Replace one job's allocations (`/v1/job/:id/allocations`). */
  setJobAllocations(namespace: string, id: string, stubs: readonly AllocationListStub[]): ModelChange {
    const change = emptyChange();
    const key = jobKey(namespace, id);
    const e = this.jobs.get(key);
    const seen = new Set(stubs.map(a => a.ID));
    if (e)
      for (const aid of [...e.allocs.keys()])
        if (!seen.has(aid)) {
          e.allocs.delete(aid);
          this.allocJob.delete(aid);
          this.versionUnknown.delete(aid);
          change.jobs.add(key);
        }
    for (const a of stubs) this.upsertAlloc(a, change);
    return change;
  }

  /** Learn the job versions of allocations that arrived without one, from list stubs (which always
   *  carry `JobVersion`). Nothing else of the model changes. */
  setAllocVersions(stubs: readonly AllocationListStub[]): ModelChange {
    const change = emptyChange();
    for (const s of stubs) {
      if (!this.versionUnknown.has(s.ID) || typeof s.JobVersion !== 'number') continue;
      const key = this.allocJob.get(s.ID);
      const a = key ? this.jobs.get(key)?.allocs.get(s.ID) : undefined;
      if (!key || !a) {
        this.versionUnknown.delete(s.ID);
        continue;
      }
      a.JobVersion = s.JobVersion;
      this.versionUnknown.delete(s.ID);
      change.jobs.add(key);
    }
    return change;
  }

  /** Apply a full job read (GET /v1/job/:id), or its absence (null: purged). */
  setJob(namespace: string, id: string, job: Record<string, unknown> | null): ModelChange {
    const change = emptyChange();
    const key = jobKey(namespace, id);
    if (!job) {
      this.gone.add(key);
      if (this.jobs.has(key)) {
        this.removeJob(key);
        change.structure = true;
      }
      return change;
    }
    this.upsertJob(job, change);
    return change;
  }

  /** A job the caller found gone (a 404 while reading or acting on it): drop it until it is registered again. */
  forgetJob(namespace: string, id: string): ModelChange {
    return this.setJob(namespace, id, null);
  }

  /** Apply a batch of event-stream events. */
  applyEvents(events: readonly StreamEvent[]): ModelChange {
    const change = emptyChange();
    for (const ev of events) {
      const p = ev.Payload ?? {};
      switch (ev.Topic) {
        case 'Job': {
          const job = p.Job as Record<string, unknown> | undefined;
          // a stop carries the stopped job; without one, read it (it may be gone)
          if (job) this.upsertJob(job, change);
          else if (ev.Type === 'JobDeregistered' || ev.Type === 'JobBatchDeregistered')
            change.refetch.add(jobKey(ev.Namespace, ev.Key));
          break;
        }
        case 'Allocation': {
          const alloc = p.Allocation as Record<string, unknown> | undefined;
          if (alloc) this.upsertAlloc(toAllocStub(alloc), change, statedVersion(alloc) !== undefined);
          break;
        }
        case 'Deployment':
        case 'Evaluation': {
          const obj = (p.Deployment ?? p.Evaluation) as { JobID?: string; Namespace?: string } | undefined;
          if (!obj?.JobID) break;
          const key = jobKey(obj.Namespace ?? ev.Namespace, obj.JobID);
          if (!this.jobs.has(key)) break;
          change.jobs.add(key);
          // A purge deletes the job without a Job event (Nomad publishes none for deleted jobs): the
          // deregistration's evaluation (its event typed after the request) is the only sign. Read the job
          // once more to learn whether it is gone; the evaluation's later updates ask nothing.
          if (ev.Topic === 'Evaluation' && (ev.Type === 'JobDeregistered' || ev.Type === 'JobBatchDeregistered'))
            change.refetch.add(key);
          break;
        }
        default:
          break;
      }
    }
    return change;
  }

  private upsertJob(job: Record<string, unknown>, change: ModelChange): void {
    const ns = (job.Namespace as string | undefined) ?? 'default';
    const key = jobKey(ns, job.ID as string);
    this.gone.delete(key);
    const cur = this.jobs.get(key);
    const stub = toJobStub(job, cur?.stub);
    const groups = Array.isArray(job.TaskGroups)
      ? (job.TaskGroups as { Name?: string; Count?: number }[]).map(g => ({ name: g.Name ?? '', count: g.Count ?? 1 }))
      : cur?.groups;
    const version = typeof job.Version === 'number' ? job.Version : cur?.version;
    if (!cur) {
      this.jobs.set(key, { key, stub, allocs: new Map(), groups, version });
      change.structure = true;
      return;
    }
    cur.stub = stub;
    cur.groups = groups;
    cur.version = version;
    change.jobs.add(key);
  }

  /** `versionStated`: false when `a` came from an object that did not state its job version (its
   *  `JobVersion` is then only a default): the previous version is kept, or the version is read. */
  private upsertAlloc(a: AllocationListStub, change: ModelChange, versionStated = true): void {
    const key = jobKey(a.Namespace, a.JobID);
    if (this.gone.has(key)) return;
    let e = this.jobs.get(key);
    if (!e) {
      // an allocation can arrive before its job (event order across topics is not guaranteed)
      e = { key, stub: placeholderStub(a), allocs: new Map() };
      this.jobs.set(key, e);
      change.structure = true;
      change.refetch.add(key);
    }
    const prev = e.allocs.get(a.ID);
    if (prev && prev.ModifyIndex === a.ModifyIndex && prev.ClientStatus === a.ClientStatus) return;
    if (versionStated) this.versionUnknown.delete(a.ID);
    else if (prev && !this.versionUnknown.has(a.ID)) a.JobVersion = prev.JobVersion;
    else {
      if (prev) a.JobVersion = prev.JobVersion;
      this.versionUnknown.add(a.ID);
      change.versions.add(key);
    }
    e.allocs.set(a.ID, a);
    this.allocJob.set(a.ID, key);
    change.jobs.add(key);
  }

  private removeJob(key: JobKey): void {
    const e = this.jobs.get(key);
    if (!e) return;
    for (const id of e.allocs.keys()) {
      this.allocJob.delete(id);
      this.versionUnknown.delete(id);
    }
    this.jobs.delete(key);
  }

  // ---- queries -------------------------------------------------------------------------------------

  namespaces(): string[] {
    const s = new Set<string>();
    for (const e of this.jobs.values()) s.add(e.stub.Namespace || 'default');
    return [...s].sort();
  }

  entry(key: JobKey): JobEntry | undefined {
    return this.jobs.get(key);
  }

  jobKeys(namespace?: string): JobKey[] {
    const out: JobEntry[] = [];
    for (const e of this.jobs.values())
      if (!namespace || namespace === '*' || e.stub.Namespace === namespace) out.push(e);
    out.sort((a, b) => (a.stub.ID < b.stub.ID ? -1 : a.stub.ID > b.stub.ID ? 1 : 0));
    return out.map(e => e.key);
  }

  job(key: JobKey): JobView | undefined {
    const e = this.jobs.get(key);
    if (!e) return undefined;
    const groups = this.groups(key);
    const running = groups.reduce((n, g) => n + g.counts.running, 0);
    const desiredKnown = groups.every(g => g.desired !== undefined) && groups.length > 0;
    const desired = desiredKnown ? groups.reduce((n, g) => n + (g.desired ?? 0), 0) : undefined;
    const total = groups.reduce((n, g) => n + g.counts.running + g.counts.pending, 0);
    const summary =
      e.stub.Type === 'batch' || e.stub.Type === 'sysbatch'
        ? `${running} running, ${groups.reduce((n, g) => n + g.counts.complete, 0)} complete`
        : `${running}/${desired ?? total} running`;
    const anyFailed = groups.some(g => g.counts.failed > 0 || g.counts.lost > 0) && running < (desired ?? total);
    const anyPending = groups.some(g => g.counts.pending > 0 || g.queued > 0);
    const health: JobView['health'] =
      e.stub.Status === 'dead' || e.stub.Stop
        ? 'dead'
        : anyFailed
          ? 'failed'
          : anyPending
            ? 'pending'
            : running > 0
              ? 'running'
              : 'none';
    let version = e.version;
    if (version === undefined)
      for (const a of e.allocs.values())
        if (!this.versionUnknown.has(a.ID)) version = Math.max(version ?? 0, a.JobVersion);
    return {
      key,
      id: e.stub.ID,
      namespace: e.stub.Namespace,
      type: e.stub.Type,
      status: e.stub.Status,
      stop: e.stub.Stop,
      version,
      periodic: e.stub.Periodic,
      parameterized: e.stub.ParameterizedJob,
      running,
      desired,
      summary,
      health,
    };
  }

  groups(key: JobKey): GroupView[] {
    const e = this.jobs.get(key);
    if (!e) return [];
    const map = new Map<string, GroupView>();
    const get = (name: string): GroupView => {
      let g = map.get(name);
      if (!g) {
        g = { name, counts: { ...ZERO }, queued: 0 };
        map.set(name, g);
      }
      return g;
    };
    for (const g of e.groups ?? []) get(g.name).desired = g.count;
    const summary = e.stub.JobSummary?.Summary;
    if (summary) for (const [name, s] of Object.entries(summary)) get(name).queued = (s as TaskGroupSummary).Queued;
    for (const a of e.allocs.values()) get(a.TaskGroup).counts[countsKey(a.ClientStatus)]++;
    return [...map.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  allocations(key: JobKey, group: string): AllocationListStub[] {
    const e = this.jobs.get(key);
    if (!e) return [];
    const out: AllocationListStub[] = [];
    for (const a of e.allocs.values()) if (a.TaskGroup === group) out.push(a);
    // newest first, so the live ones are on top
    return out.sort((a, b) => b.CreateIndex - a.CreateIndex);
  }

  allocation(id: string): AllocationListStub | undefined {
    const key = this.allocJob.get(id);
    return key ? this.jobs.get(key)?.allocs.get(id) : undefined;
  }

  /** The job version an allocation runs, or undefined while it is not known (being read). */
  allocVersion(id: string): number | undefined {
    if (this.versionUnknown.has(id)) return undefined;
    return this.allocation(id)?.JobVersion;
  }
}

function summaryChanged(a: JobListStub, b: JobListStub): boolean {
  const x = a.JobSummary?.ModifyIndex ?? -1,
    y = b.JobSummary?.ModifyIndex ?? -1;
  return x !== y;
}

function placeholderStub(a: AllocationListStub): JobListStub {
  return {
    ID: a.JobID,
    ParentID: '',
    Name: a.JobID,
    Namespace: a.Namespace,
    Datacenters: null,
    Type: a.JobType || 'service',
    Priority: 50,
    Periodic: false,
    ParameterizedJob: false,
    Stop: false,
    Status: 'running',
    StatusDescription: '',
    JobSummary: null,
    CreateIndex: 0,
    ModifyIndex: 0,
    JobModifyIndex: 0,
    SubmitTime: 0,
    Meta: null,
  };
}

/** "web.frontend[2]" → 2 (the allocation's index within its group), or undefined. */
export function allocIndex(name: string): number | undefined {
  const m = /\[(\d+)\]$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Short allocation id as the CLI prints it (first 8 characters). */
export const shortId = (id: string): string => id.slice(0, 8);

/** "3m ago" style age from Unix nanoseconds, relative to `nowMs`. */
export function age(unixNanos: number, nowMs: number): string {
  if (!unixNanos) return '';
  const s = Math.max(0, Math.round((nowMs - unixNanos / 1e6) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d`;
}
