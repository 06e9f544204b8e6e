// The Nomad HTTP API client: typed methods for what the extension uses, on one keep-alive undici
// Agent per cluster connection. Every request carries the profile's namespace and region (a call
// may override them); the ACL token goes in the X-Nomad-Token header, never in a URL.

import type { ClusterProfile } from './config';
import { HttpTransport, headerValue, type FileReader, type OpenStream, type Query } from './transport';
import { NomadError } from './errors';
import { pathSegment } from './display';
import type {
  AgentSelf,
  AllocFileInfo,
  Allocation,
  AllocationListStub,
  AllocStopResponse,
  Deployment,
  DeploymentUpdateResponse,
  Evaluation,
  Job,
  JobDeregisterResponse,
  JobDispatchResponse,
  JobListStub,
  JobPlanResponse,
  JobRegisterResponse,
  JobSubmission,
  JobSummary,
  JobValidateResponse,
  JobVersionsResponse,
  Namespace,
  NodeListStub,
  PeriodicForceResponse,
  ServiceRegistration,
  ServiceRegistrationListStub,
} from './types';

export interface NomadClientOptions {
  profile: ClusterProfile;
  /** The ACL token (from secret storage or NOMAD_TOKEN). */
  token?: string;
  /** "user:pass" HTTP basic auth (NOMAD_HTTP_AUTH). */
  httpAuth?: string;
  /** Deadline for ordinary requests, ms (default 30 s). Blocking queries add their wait to it. */
  timeoutMs?: number;
  files?: FileReader;
  userAgent?: string;
  /** Called when a request could not reach the agent (refused, reset, timed out): the connection then
   *  checks whether the agent is gone. Not part of `options` (a worker thread cannot take a function). */
  onUnreachable?: (err: NomadError) => void;
}

/** Per-call options common to reads. */
export interface QueryOptions {
  /** Overrides the profile's namespace; `*` lists across namespaces where Nomad allows it. */
  namespace?: string;
  region?: string;
  /** Blocking query: return once the index moves past this value (or `wait` passes). */
  index?: number;
  /** Blocking query wait in ms (Nomad caps it at 10 minutes; default 5 minutes when index is set). */
  wait?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface WriteOptions {
  namespace?: string;
  region?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A read's body and the cluster index it reflects (X-Nomad-Index). */
export interface QueryResult<T> {
  body: T;
  index: number;
}

export interface ParseJobOptions extends WriteOptions {
  canonicalize?: boolean;
  /** HCL2 variables, as the content of a variables file. */
  variables?: string;
}

export interface RegisterJobOptions extends WriteOptions {
  /** Register only if the job's JobModifyIndex still equals `jobModifyIndex` (0: only if new). */
  enforceIndex?: boolean;
  jobModifyIndex?: number;
  policyOverride?: boolean;
  preserveCounts?: boolean;
  /** The source to keep with this version (shown by `jobSubmission`). Format is hcl2. */
  submission?: { source: string; variableFlags?: Record<string, string>; variables?: string };
}

export interface ScaleGroupOptions extends WriteOptions {
  message?: string;
  /** Stored with the scaling event. */
  meta?: Record<string, unknown>;
  policyOverride?: boolean;
}

export interface LogStreamQuery {
  task: string;
  type: 'stdout' | 'stderr';
  follow?: boolean;
  origin?: 'start' | 'end';
  offset?: number;
  plain?: boolean;
}

const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_WAIT_MS = 10 * 60_000;

/**
 * One path segment from a cluster string (a job id, an allocation id, a service name…). Nomad's HTTP
 * router decodes the path and cleans it (Go's ServeMux: `//`, `.` and `..` parts are collapsed and the
 * request is redirected, 301), and URL parsers drop `.`/`..` segments even percent-encoded: such an id
 * cannot be addressed by any client. Say so instead of sending a request that reaches another endpoint
 * or ends in "301".
 */
export function seg(value: string, what: string): string {
  const parts = value.split('/');
  if (value === '' || parts.some(p => p === '.' || p === '..') || (parts.length > 1 && parts.some(p => p === ''))) {
    const why =
      value === ''
        ? 'it is empty'
        : value.includes('//')
          ? 'it contains "//"'
          : parts.some(p => p === '.' || p === '..')
            ? 'it has a "." or ".." path part'
            : 'it starts or ends with "/"';
    throw new NomadError({
      kind: 'badRequest',
      message: `Nomad's HTTP API cannot address the ${what} "${value}": ${why}, and the agent rewrites such paths (it answers with a redirect to another path), so no client can act on it by ID. Give it an ID without "//", "/./" or "/../" parts.`,
    });
  }
  return pathSegment(value);
}

export class NomadClient {
  readonly profile: ClusterProfile;
  /** What this client was made with (files aside): enough to make the same client in a worker thread. */
  readonly options: Omit<NomadClientOptions, 'files'>;
  private readonly http: HttpTransport;
  private readonly timeoutMs: number;

  constructor(opts: NomadClientOptions) {
    this.profile = opts.profile;
    const { files: _files, onUnreachable, ...options } = opts;
    this.options = options;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const headers: Record<string, string> = { 'user-agent': opts.userAgent ?? 'nomad-vscode' };
    if (opts.token) headers['x-nomad-token'] = opts.token;
    if (opts.httpAuth) headers['authorization'] = `Basic ${Buffer.from(opts.httpAuth).toString('base64')}`;
    const secrets = [
      opts.token,
      opts.httpAuth,
      opts.httpAuth ? Buffer.from(opts.httpAuth).toString('base64') : undefined,
    ];
    this.http = new HttpTransport({
      service: 'Nomad',
      address: opts.profile.address,
      tls: opts.profile.tls,
      headers,
      secrets,
      timeoutMs: this.timeoutMs,
      ...(opts.files ? { files: opts.files } : {}),
      ...(onUnreachable ? { onUnreachable } : {}),
    });
  }

  get address(): string {
    return this.http.address;
  }

  private scope(o: { namespace?: string; region?: string } | undefined): Query {
    return { namespace: o?.namespace ?? this.profile.namespace, region: o?.region ?? this.profile.region };
  }

  /** A GET with blocking-query support. */
  async get<T>(path: string, o: QueryOptions = {}, extra: Query = {}): Promise<QueryResult<T>> {
    const query: Query = { ...this.scope(o), ...extra };
    let timeoutMs = o.timeoutMs ?? this.timeoutMs;
    if (o.index !== undefined && o.index > 0) {
      const wait = Math.min(o.wait ?? DEFAULT_WAIT_MS, MAX_WAIT_MS);
      query['index'] = o.index;
      query['wait'] = `${Math.max(1, Math.round(wait))}ms`;
      // Nomad adds up to wait/16 of jitter to a blocking query.
      timeoutMs = timeoutMs + wait + Math.ceil(wait / 16);
    }
    const r = await this.http.json<T>({
      method: 'GET',
      path,
      query,
      ...(o.signal ? { signal: o.signal } : {}),
      timeoutMs,
    });
    const idx = Number(headerValue(r.headers, 'x-nomad-index') ?? '0');
    return { body: r.body, index: Number.isFinite(idx) ? idx : 0 };
  }

  /** A write (PUT/POST/DELETE) with a JSON body; returns the answer's body. */
  async write<T>(
    method: 'PUT' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    o: WriteOptions = {},
    extra: Query = {},
  ): Promise<T> {
    const r = await this.http.json<T>({
      method,
      path,
      query: { ...this.scope(o), ...extra },
      body,
      ...(o.signal ? { signal: o.signal } : {}),
      timeoutMs: o.timeoutMs ?? this.timeoutMs,
    });
    return r.body;
  }

  /** Open a streaming GET (logs, events). The deadline covers the headers only. */
  openStream(
    path: string,
    query: Query,
    o: { signal?: AbortSignal; idleTimeoutMs?: number; namespace?: string; region?: string } = {},
  ): Promise<OpenStream> {
    return this.http.open({
      method: 'GET',
      path,
      query: { ...this.scope(o), ...query },
      timeoutMs: this.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  // ---- jobs -------------------------------------------------------------------------------

  listJobs(o: QueryOptions & { prefix?: string; meta?: boolean } = {}): Promise<QueryResult<JobListStub[]>> {
    return this.get('/v1/jobs', o, { prefix: o.prefix || undefined, meta: o.meta ? true : undefined });
  }

  async getJob(id: string, o: QueryOptions = {}): Promise<QueryResult<Job>> {
    return this.get(`/v1/job/${seg(id, 'job')}`, o);
  }

  /** Parse HCL2 server-side (PUT /v1/jobs/parse). Nomad answers 400 "Failed to parse job: …" on errors. */
  parseJob(hcl: string, o: ParseJobOptions = {}): Promise<Job> {
    return this.write(
      'POST',
      '/v1/jobs/parse',
      { JobHCL: hcl, Canonicalize: o.canonicalize ?? false, Variables: o.variables ?? '' },
      o,
    );
  }

  validateJob(job: Job, o: WriteOptions = {}): Promise<JobValidateResponse> {
    return this.write('PUT', '/v1/validate/job', { Job: job }, o);
  }

  async planJob(job: Job, diff = true, o: WriteOptions & { policyOverride?: boolean } = {}): Promise<JobPlanResponse> {
    if (!job.ID) throw new TypeError('planJob: the job has no ID');
    return this.write(
      'POST',
      `/v1/job/${seg(job.ID, 'job')}/plan`,
      { Job: job, Diff: diff, PolicyOverride: o.policyOverride ?? false },
      o,
    );
  }

  registerJob(job: Job, o: RegisterJobOptions = {}): Promise<JobRegisterResponse> {
    const body: Record<string, unknown> = { Job: job };
    if (o.enforceIndex) {
      body['EnforceIndex'] = true;
      body['JobModifyIndex'] = o.jobModifyIndex ?? 0;
    }
    if (o.policyOverride) body['PolicyOverride'] = true;
    if (o.preserveCounts) body['PreserveCounts'] = true;
    if (o.submission) {
      body['Submission'] = {
        Source: o.submission.source,
        Format: 'hcl2',
        VariableFlags: o.submission.variableFlags ?? {},
        Variables: o.submission.variables ?? '',
      };
    }
    return this.write('POST', '/v1/jobs', body, o);
  }

  async deregisterJob(
    id: string,
    o: WriteOptions & { purge?: boolean; global?: boolean } = {},
  ): Promise<JobDeregisterResponse> {
    return this.write('DELETE', `/v1/job/${seg(id, 'job')}`, undefined, o, {
      purge: o.purge ?? false,
      global: o.global ? true : undefined,
    });
  }

  async jobVersions(id: string, diffs = false, o: QueryOptions = {}): Promise<QueryResult<JobVersionsResponse>> {
    return this.get(`/v1/job/${seg(id, 'job')}/versions`, o, { diffs });
  }

  /** Revert to `version`; with `enforcePriorVersion`, only if the job is still at that version. */
  async revertJob(
    id: string,
    version: number,
    enforcePriorVersion?: number,
    o: WriteOptions = {},
  ): Promise<JobRegisterResponse> {
    const body: Record<string, unknown> = { JobID: id, JobVersion: version };
    if (enforcePriorVersion !== undefined) body['EnforcePriorVersion'] = enforcePriorVersion;
    return this.write('POST', `/v1/job/${seg(id, 'job')}/revert`, body, o);
  }

  /**
   * Set a group's count (POST /v1/job/:id/scale with a ScalingRequest). Nomad 1.6.5's
   * ScalingRequest has no check-index field: the scale endpoint cannot enforce a job modify index.
   */
  async scaleGroup(id: string, group: string, count: number, o: ScaleGroupOptions = {}): Promise<JobRegisterResponse> {
    const body: Record<string, unknown> = {
      Count: count,
      Target: { Job: id, Group: group },
      Message: o.message ?? '',
      Error: false,
      PolicyOverride: o.policyOverride ?? false,
    };
    if (o.meta) body['Meta'] = o.meta;
    return this.write('POST', `/v1/job/${seg(id, 'job')}/scale`, body, o);
  }

  async jobSummary(id: string, o: QueryOptions = {}): Promise<QueryResult<JobSummary>> {
    return this.get(`/v1/job/${seg(id, 'job')}/summary`, o);
  }

  async jobAllocations(
    id: string,
    o: QueryOptions & { all?: boolean } = {},
  ): Promise<QueryResult<AllocationListStub[]>> {
    return this.get(`/v1/job/${seg(id, 'job')}/allocations`, o, { all: o.all ? true : undefined });
  }

  async jobEvaluations(id: string, o: QueryOptions = {}): Promise<QueryResult<Evaluation[]>> {
    return this.get(`/v1/job/${seg(id, 'job')}/evaluations`, o);
  }

  async jobDeployments(id: string, o: QueryOptions & { all?: boolean } = {}): Promise<QueryResult<Deployment[]>> {
    return this.get(`/v1/job/${seg(id, 'job')}/deployments`, o, { all: o.all ? true : undefined });
  }

  /** The job's most recent deployment, or null when it never had one. */
  async latestDeployment(id: string, o: QueryOptions = {}): Promise<QueryResult<Deployment | null>> {
    return this.get(`/v1/job/${seg(id, 'job')}/deployment`, o);
  }

  /** Dispatch a parameterized job. `payload` is sent base64-encoded, as the API expects. */
  async dispatchJob(
    id: string,
    meta: Record<string, string> = {},
    payload?: Uint8Array | string,
    o: WriteOptions & { idPrefixTemplate?: string } = {},
  ): Promise<JobDispatchResponse> {
    const body: Record<string, unknown> = { JobID: id, Meta: meta };
    if (payload !== undefined) body['Payload'] = Buffer.from(payload).toString('base64');
    if (o.idPrefixTemplate) body['IdPrefixTemplate'] = o.idPrefixTemplate;
    return this.write('POST', `/v1/job/${seg(id, 'job')}/dispatch`, body, o);
  }

  async forcePeriodic(id: string, o: WriteOptions = {}): Promise<PeriodicForceResponse> {
    return this.write('POST', `/v1/job/${seg(id, 'job')}/periodic/force`, undefined, o);
  }

  /** The source submitted with a job version (Nomad 1.6+); 404 "job source not found" when none. */
  async jobSubmission(id: string, version: number, o: QueryOptions = {}): Promise<QueryResult<JobSubmission>> {
    return this.get(`/v1/job/${seg(id, 'job')}/submission`, o, { version });
  }

  // ---- allocations, evaluations, deployments --------------------------------------------------

  async getAllocation(id: string, o: QueryOptions = {}): Promise<QueryResult<Allocation>> {
    return this.get(`/v1/allocation/${seg(id, 'allocation')}`, o);
  }

  async stopAllocation(id: string, o: WriteOptions & { noShutdownDelay?: boolean } = {}): Promise<AllocStopResponse> {
    return this.write('POST', `/v1/allocation/${seg(id, 'allocation')}/stop`, undefined, o, {
      no_shutdown_delay: o.noShutdownDelay ? true : undefined,
    });
  }

  /** Restart one task, or every task when `task` is omitted (served by the client node's agent). */
  async restartAllocation(id: string, task?: string, o: WriteOptions = {}): Promise<unknown> {
    return this.write(
      'PUT',
      `/v1/client/allocation/${seg(id, 'allocation')}/restart`,
      { TaskName: task ?? '', AllTasks: task === undefined },
      o,
    );
  }

  async getEvaluation(id: string, o: QueryOptions = {}): Promise<QueryResult<Evaluation>> {
    return this.get(`/v1/evaluation/${seg(id, 'evaluation')}`, o);
  }

  async getDeployment(id: string, o: QueryOptions = {}): Promise<QueryResult<Deployment>> {
    return this.get(`/v1/deployment/${seg(id, 'deployment')}`, o);
  }

  /** Promote canaries: all groups, or only `groups`. */
  async promoteDeployment(id: string, groups?: string[], o: WriteOptions = {}): Promise<DeploymentUpdateResponse> {
    const body =
      groups && groups.length ? { DeploymentID: id, All: false, Groups: groups } : { DeploymentID: id, All: true };
    return this.write('POST', `/v1/deployment/promote/${seg(id, 'deployment')}`, body, o);
  }

  async failDeployment(id: string, o: WriteOptions = {}): Promise<DeploymentUpdateResponse> {
    return this.write('POST', `/v1/deployment/fail/${seg(id, 'deployment')}`, { DeploymentID: id }, o);
  }

  // ---- cluster ------------------------------------------------------------------------------

  listNodes(o: QueryOptions & { prefix?: string } = {}): Promise<QueryResult<NodeListStub[]>> {
    return this.get('/v1/nodes', o, { prefix: o.prefix || undefined });
  }

  listNamespaces(o: QueryOptions = {}): Promise<QueryResult<Namespace[]>> {
    return this.get('/v1/namespaces', o);
  }

  listRegions(o: QueryOptions = {}): Promise<QueryResult<string[]>> {
    return this.get('/v1/regions', o);
  }

  agentSelf(o: QueryOptions = {}): Promise<QueryResult<AgentSelf>> {
    return this.get('/v1/agent/self', o);
  }

  /** The leader's RPC address ("127.0.0.1:4647"); an empty string when there is none. */
  leader(o: QueryOptions = {}): Promise<QueryResult<string>> {
    return this.get('/v1/status/leader', o);
  }

  // ---- Nomad-native services ------------------------------------------------------------------

  /** Service names grouped by namespace: `[{ Namespace, Services: [{ ServiceName, Tags }] }]`. */
  listServices(o: QueryOptions = {}): Promise<QueryResult<ServiceRegistrationListStub[]>> {
    return this.get('/v1/services', o);
  }

  async getService(name: string, o: QueryOptions = {}): Promise<QueryResult<ServiceRegistration[]>> {
    return this.get(`/v1/service/${seg(name, 'service')}`, o);
  }

  // ---- client filesystem ---------------------------------------------------------------------

  /** List a directory of an allocation (e.g. `alloc/logs`). Needs the read-fs capability. */
  async listAllocFiles(allocId: string, path: string, o: QueryOptions = {}): Promise<QueryResult<AllocFileInfo[]>> {
    return this.get(`/v1/client/fs/ls/${seg(allocId, 'allocation')}`, o, { path });
  }

  /** Open the framed (or plain) log stream of a task. */
  async openLogs(
    allocId: string,
    q: LogStreamQuery,
    o: { signal?: AbortSignal; idleTimeoutMs?: number } = {},
  ): Promise<OpenStream> {
    return this.openStream(
      `/v1/client/fs/logs/${seg(allocId, 'allocation')}`,
      {
        task: q.task,
        type: q.type,
        follow: q.follow ?? false,
        origin: q.origin ?? 'start',
        offset: q.offset ?? 0,
        plain: q.plain ? true : undefined,
      },
      o,
    );
  }
}
