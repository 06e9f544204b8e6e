// Shapes of the Nomad HTTP API (v1.6.5) that the extension reads. Field names are the API's JSON
// names. Only the fields we use are typed; objects we pass through untouched (a whole Job) carry an
// index signature. Durations in the JSON are nanoseconds; times are RFC 3339 strings or Unix
// nanoseconds as the field comment says.

/** A parsed job as the API returns it (`api.Job`): we read a few fields and pass the rest back. */
export interface Job {
  ID?: string;
  Name?: string;
  Namespace?: string;
  Region?: string;
  Type?: string;
  Priority?: number;
  Status?: string;
  StatusDescription?: string;
  Stop?: boolean;
  Stable?: boolean;
  Version?: number;
  Datacenters?: string[];
  TaskGroups?: TaskGroup[];
  Periodic?: { Enabled?: boolean; Spec?: string; [k: string]: unknown } | null;
  ParameterizedJob?: { Payload?: string; MetaRequired?: string[]; MetaOptional?: string[] } | null;
  Meta?: Record<string, string> | null;
  SubmitTime?: number;
  CreateIndex?: number;
  ModifyIndex?: number;
  JobModifyIndex?: number;
  [k: string]: unknown;
}

export interface TaskGroup {
  Name?: string;
  Count?: number;
  Tasks?: Task[];
  Services?: Service[] | null;
  [k: string]: unknown;
}

export interface Task {
  Name?: string;
  Driver?: string;
  Services?: Service[] | null;
  [k: string]: unknown;
}

export interface Service {
  Name?: string;
  Provider?: string;
  PortLabel?: string;
  Tags?: string[] | null;
  [k: string]: unknown;
}

export interface TaskGroupSummary {
  Queued: number;
  Complete: number;
  Failed: number;
  Running: number;
  Starting: number;
  Lost: number;
  Unknown: number;
}

export interface JobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, TaskGroupSummary>;
  Children?: { Pending: number; Running: number; Dead: number } | null;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface JobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[] | null;
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: string;
  StatusDescription: string;
  JobSummary: JobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  /** Unix nanoseconds. */
  SubmitTime: number;
  Meta?: Record<string, string> | null;
}

export interface JobValidateResponse {
  DriverConfigValidated: boolean;
  ValidationErrors: string[] | null;
  Error: string;
  Warnings: string;
}

export interface FieldDiff {
  Type: DiffType;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[] | null;
}

export type DiffType = 'None' | 'Added' | 'Deleted' | 'Edited';

export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
}

export interface TaskDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  Annotations: string[] | null;
}

export interface TaskGroupDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  Tasks: TaskDiff[] | null;
  /** e.g. { "create/destroy update": 1, "in-place update": 2, "ignore": 3 } */
  Updates: Record<string, number> | null;
}

export interface JobDiff {
  Type: DiffType;
  ID: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  TaskGroups: TaskGroupDiff[] | null;
}

export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
}

export interface AllocationMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool?: number;
  NodesAvailable: Record<string, number> | null;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  CoalescedFailures: number;
  [k: string]: unknown;
}

export interface JobPlanResponse {
  JobModifyIndex: number;
  CreatedEvals: Evaluation[] | null;
  Diff: JobDiff | null;
  Annotations: {
    DesiredTGUpdates: Record<string, DesiredUpdates> | null;
    PreemptedAllocs: AllocationListStub[] | null;
  } | null;
  FailedTGAllocs: Record<string, AllocationMetric> | null;
  /** RFC 3339; the zero time when the job is not periodic. */
  NextPeriodicLaunch: string;
  Warnings: string;
}

export interface JobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
}

export interface JobDeregisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
}

export interface JobVersionsResponse {
  Versions: Job[];
  Diffs: JobDiff[] | null;
}

export interface JobSubmission {
  Source: string;
  /** 'hcl1' | 'hcl2' | 'json' */
  Format: string;
  VariableFlags: Record<string, string> | null;
  Variables: string;
}

export interface JobDispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
}

export interface PeriodicForceResponse {
  EvalID: string;
  EvalCreateIndex: number;
}

export interface TaskEvent {
  Type: string;
  /** Unix nanoseconds. */
  Time: number;
  DisplayMessage: string;
  Message?: string;
  Details?: Record<string, string> | null;
  ExitCode?: number;
  [k: string]: unknown;
}

export interface TaskState {
  State: 'pending' | 'running' | 'dead' | string;
  Failed: boolean;
  Restarts: number;
  /** RFC 3339; "0001-01-01T00:00:00Z" when never. */
  LastRestart: string | null;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: TaskEvent[] | null;
}

export interface AllocDeploymentStatus {
  Healthy: boolean | null;
  Timestamp: string;
  Canary: boolean;
  ModifyIndex: number;
}

export interface AllocationListStub {
  ID: string;
  EvalID: string;
  /** "<job>.<group>[<index>]" */
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  DesiredStatus: string;
  DesiredDescription: string;
  ClientStatus: 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown' | string;
  ClientDescription: string;
  TaskStates: Record<string, TaskState> | null;
  DeploymentStatus: AllocDeploymentStatus | null;
  FollowupEvalID: string;
  NextAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  ModifyTime: number;
}

/** A full allocation (`GET /v1/allocation/:id`): the stub's fields and the embedded job. */
export interface Allocation extends AllocationListStub {
  Job?: Job | null;
  DeploymentID?: string;
  AllocatedResources?: {
    Shared?: { Networks?: NetworkResource[] | null; Ports?: AllocatedPort[] | null } | null;
    [k: string]: unknown;
  } | null;
  [k: string]: unknown;
}

export interface NetworkResource {
  IP?: string;
  ReservedPorts?: { Label: string; Value: number; To: number }[] | null;
  DynamicPorts?: { Label: string; Value: number; To: number }[] | null;
  [k: string]: unknown;
}

export interface AllocatedPort {
  Label: string;
  Value: number;
  To: number;
  HostIP: string;
}

export interface AllocStopResponse {
  EvalID: string;
}

export interface Evaluation {
  ID: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  Namespace: string;
  JobID: string;
  JobModifyIndex: number;
  DeploymentID: string;
  /** 'pending' | 'complete' | 'failed' | 'blocked' | 'canceled' */
  Status: string;
  StatusDescription: string;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  FailedTGAllocs: Record<string, AllocationMetric> | null;
  QueuedAllocations: Record<string, number> | null;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

export interface DeploymentState {
  PlacedCanaries: string[] | null;
  AutoRevert: boolean;
  /** Nanoseconds. */
  ProgressDeadline: number;
  RequireProgressBy: string;
  Promoted: boolean;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, DeploymentState> | null;
  /** 'running' | 'paused' | 'failed' | 'successful' | 'cancelled' | 'pending' | 'blocked' | 'unblocking' */
  Status: string;
  StatusDescription: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface DeploymentUpdateResponse {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  RevertedJobVersion: number | null;
}

export interface NodeListStub {
  Address: string;
  ID: string;
  Datacenter: string;
  Name: string;
  NodeClass: string;
  NodePool: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: string;
  Status: string;
  StatusDescription: string;
  CreateIndex: number;
  ModifyIndex: number;
  [k: string]: unknown;
}

export interface Namespace {
  Name: string;
  Description: string;
  Meta: Record<string, string> | null;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string> | null;
  Status: string;
}

/** `GET /v1/agent/self`. Note the lower-case top-level keys. */
export interface AgentSelf {
  config: {
    Region?: string;
    Datacenter?: string;
    Version?: { Version?: string; [k: string]: unknown };
    ACL?: { Enabled?: boolean };
    [k: string]: unknown;
  };
  member: AgentMember;
  stats: Record<string, Record<string, string>>;
}

/** One namespace's entry in `GET /v1/services`. */
export interface ServiceRegistrationListStub {
  Namespace: string;
  Services: { ServiceName: string; Tags: string[] | null }[];
}

/** One instance in `GET /v1/service/:name`. */
export interface ServiceRegistration {
  ID: string;
  ServiceName: string;
  Namespace: string;
  NodeID: string;
  Datacenter: string;
  JobID: string;
  AllocID: string;
  Tags: string[] | null;
  Address: string;
  Port: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `GET /v1/client/fs/ls/:alloc` entries. */
export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
}

export type EventTopic =
  'Deployment' | 'Evaluation' | 'Allocation' | 'Job' | 'Node' | 'NodePool' | 'Service' | '*' | (string & {});

export interface StreamEvent {
  Topic: EventTopic;
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys?: string[] | null;
  Index: number;
  Payload: Record<string, unknown>;
}

export interface StreamEvents {
  Index: number;
  Events: StreamEvent[];
}
