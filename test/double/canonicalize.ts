// Fills in the defaults a Nomad agent adds to a submitted Job (the API's Canonicalize plus the server's
// own defaults), so that the double stores and diffs jobs the way the real agent does. Idempotent.
// Values follow the captures (test/fixtures/nomad/captured/parse-*.json, job-web.json).
const S = 1_000_000_000;
const MIN = 60 * S;
const H = 60 * MIN;

const dflt = <T>(v: T | null | undefined, d: T): T => (v === null || v === undefined ? d : v);

export function canonicalizeJob(input: any): any {
  const j = structuredClone(input);
  j.ID = dflt(j.ID, '');
  j.Name = j.Name || j.ID;
  j.Namespace = j.Namespace || 'default';
  j.Region = j.Region || 'global';
  j.Type = j.Type || 'service';
  j.Priority = dflt(j.Priority, 50);
  j.AllAtOnce = dflt(j.AllAtOnce, false);
  j.Stop = dflt(j.Stop, false);
  j.Dispatched = dflt(j.Dispatched, false);
  j.NodePool = j.NodePool || 'default';
  j.Datacenters = j.Datacenters && j.Datacenters.length ? j.Datacenters : ['*'];
  for (const k of [
    'ParentID',
    'ConsulToken',
    'ConsulNamespace',
    'VaultToken',
    'VaultNamespace',
    'NomadTokenID',
    'StatusDescription',
  ])
    j[k] = dflt(j[k], '');
  for (const k of [
    'Constraints',
    'Affinities',
    'Spreads',
    'Meta',
    'Periodic',
    'ParameterizedJob',
    'Multiregion',
    'Payload',
    'Reschedule',
    'Migrate',
  ])
    j[k] = dflt(j[k], null);
  if (j.Periodic) {
    j.Periodic.Enabled = dflt(j.Periodic.Enabled, true);
    j.Periodic.SpecType = j.Periodic.SpecType || 'cron';
    j.Periodic.ProhibitOverlap = dflt(j.Periodic.ProhibitOverlap, false);
    j.Periodic.TimeZone = j.Periodic.TimeZone || 'UTC';
    if (!j.Periodic.Specs && j.Periodic.Spec) j.Periodic.Specs = [j.Periodic.Spec];
  }
  if (j.ParameterizedJob) {
    j.ParameterizedJob.Payload = j.ParameterizedJob.Payload || 'optional';
    j.ParameterizedJob.MetaRequired = dflt(j.ParameterizedJob.MetaRequired, null);
    j.ParameterizedJob.MetaOptional = dflt(j.ParameterizedJob.MetaOptional, null);
  }
  const service = j.Type === 'service' || j.Type === 'system';
  const jobUpdate = service ? updateDefaults(j.Update) : (j.Update ?? null);
  j.Update = service ? { ...jobUpdate } : (j.Update ?? null);
  j.TaskGroups = (j.TaskGroups ?? []).map((g: any) => canonicalizeGroup(g, j, service ? jobUpdate : null));
  return j;
}

function updateDefaults(u: any): any {
  const o = { ...(u ?? {}) };
  o.Stagger = dflt(o.Stagger, 30 * S);
  o.MaxParallel = dflt(o.MaxParallel, 1);
  o.HealthCheck = o.HealthCheck || 'checks';
  o.MinHealthyTime = dflt(o.MinHealthyTime, 10 * S);
  o.HealthyDeadline = dflt(o.HealthyDeadline, 5 * MIN);
  o.ProgressDeadline = dflt(o.ProgressDeadline, 10 * MIN);
  o.AutoRevert = dflt(o.AutoRevert, false);
  o.AutoPromote = dflt(o.AutoPromote, false);
  o.Canary = dflt(o.Canary, 0);
  return o;
}

function canonicalizeGroup(input: any, job: any, jobUpdate: any | null): any {
  const g = { ...input };
  g.Count = dflt(g.Count, 1);
  g.Name = g.Name ?? '';
  for (const k of [
    'Constraints',
    'Affinities',
    'Spreads',
    'Meta',
    'Scaling',
    'Volumes',
    'ShutdownDelay',
    'StopAfterClientDisconnect',
    'MaxClientDisconnect',
  ])
    g[k] = dflt(g[k], null);
  g.EphemeralDisk = { Migrate: false, SizeMB: 300, Sticky: false, ...(g.EphemeralDisk ?? {}) };
  g.Consul = { Namespace: '', ...(g.Consul ?? {}) };
  const batch = job.Type === 'batch' || job.Type === 'sysbatch';
  const restartDefault = batch
    ? { Attempts: 3, Delay: 15 * S, Interval: 24 * H, Mode: 'fail', RenderTemplates: false }
    : { Attempts: 2, Delay: 15 * S, Interval: 30 * MIN, Mode: 'fail', RenderTemplates: false };
  g.RestartPolicy = { ...restartDefault, ...stripNull(g.RestartPolicy) };
  const reschedDefault = batch
    ? { Attempts: 1, Delay: 5 * S, DelayFunction: 'constant', Interval: 24 * H, MaxDelay: 0, Unlimited: false }
    : { Attempts: 0, Delay: 30 * S, DelayFunction: 'exponential', Interval: 0, MaxDelay: H, Unlimited: true };
  g.ReschedulePolicy =
    job.Type === 'system' || job.Type === 'sysbatch' ? null : { ...reschedDefault, ...stripNull(g.ReschedulePolicy) };
  if (job.Type === 'service') {
    g.Migrate = {
      HealthCheck: 'checks',
      HealthyDeadline: 5 * MIN,
      MaxParallel: 1,
      MinHealthyTime: 10 * S,
      ...stripNull(g.Migrate),
    };
  } else g.Migrate = dflt(g.Migrate, null);
  g.Update = jobUpdate ? { ...jobUpdate, ...stripNull(g.Update) } : null;
  g.Networks = canonicalizeNetworks(g.Networks);
  g.Services = g.Services ? g.Services.map((s: any) => canonicalizeService(s, job)) : null;
  g.Tasks = (g.Tasks ?? []).map((t: any) => canonicalizeTask(t, job, g));
  // the server adds implicit constraints for Nomad-native services
  const nomadServices = [...(g.Services ?? []), ...g.Tasks.flatMap((t: any) => t.Services ?? [])].some(
    (s: any) => s.Provider === 'nomad',
  );
  if (nomadServices) {
    const cs = [...(g.Constraints ?? [])];
    const add = (c: any) => {
      if (!cs.some(x => x.LTarget === c.LTarget && x.Operand === c.Operand && x.RTarget === c.RTarget)) cs.push(c);
    };
    add({ LTarget: '${attr.nomad.service_discovery}', Operand: '=', RTarget: 'true' });
    add({ LTarget: '${attr.nomad.version}', Operand: 'semver', RTarget: '>= 1.4.0' });
    g.Constraints = cs;
  }
  return g;
}

function canonicalizeNetworks(nets: any[] | null | undefined): any[] | null {
  if (!nets || !nets.length) return null;
  return nets.map(n => ({
    CIDR: '',
    DNS: null,
    Device: '',
    IP: '',
    MBits: 0,
    Mode: '',
    ...n,
    DynamicPorts: n.DynamicPorts
      ? n.DynamicPorts.map((p: any) => ({ To: 0, Value: 0, ...p, HostNetwork: p.HostNetwork || 'default' }))
      : null,
    ReservedPorts: n.ReservedPorts
      ? n.ReservedPorts.map((p: any) => ({ To: 0, ...p, HostNetwork: p.HostNetwork || 'default' }))
      : null,
  }));
}

function canonicalizeService(input: any, job: any): any {
  const s = { ...input };
  s.Provider = s.Provider || 'consul';
  s.AddressMode = s.AddressMode || 'auto';
  s.OnUpdate = s.OnUpdate || 'require_healthy';
  s.Address = s.Address ?? '';
  s.TaskName = s.TaskName ?? '';
  s.EnableTagOverride = dflt(s.EnableTagOverride, false);
  s.Namespace = s.Provider === 'nomad' ? s.Namespace || job.Namespace || 'default' : (s.Namespace ?? '');
  for (const k of ['Tags', 'CanaryTags', 'Meta', 'CanaryMeta', 'TaggedAddresses', 'Connect']) s[k] = dflt(s[k], null);
  s.Checks = s.Checks
    ? s.Checks.map((c: any, i: number) => ({
        AddressMode: '',
        Args: null,
        Body: '',
        CheckRestart: null,
        Command: '',
        Expose: false,
        FailuresBeforeCritical: 0,
        GRPCService: '',
        GRPCUseTLS: false,
        Header: null,
        InitialStatus: '',
        Method: '',
        Path: '',
        PortLabel: '',
        Protocol: '',
        SuccessBeforePassing: 0,
        TLSServerName: '',
        TLSSkipVerify: false,
        TaskName: '',
        ...c,
        Name: c.Name || `service: ${JSON.stringify(s.Name)} check${s.Checks.length > 1 && i > 0 ? ` ${i}` : ''}`,
        OnUpdate: c.OnUpdate || s.OnUpdate,
      }))
    : null;
  return s;
}

function canonicalizeTask(input: any, job: any, g: any): any {
  const t = { ...input };
  t.Driver = t.Driver ?? '';
  t.User = t.User ?? '';
  t.Config = dflt(t.Config, null);
  t.Env = dflt(t.Env, null);
  t.Meta = dflt(t.Meta, null);
  t.KillTimeout = dflt(t.KillTimeout, 5 * S);
  t.KillSignal = t.KillSignal ?? '';
  t.Kind = t.Kind ?? '';
  t.Leader = dflt(t.Leader, false);
  t.ShutdownDelay = dflt(t.ShutdownDelay, 0);
  for (const k of [
    'Constraints',
    'Affinities',
    'Artifacts',
    'Templates',
    'Vault',
    'DispatchPayload',
    'Lifecycle',
    'VolumeMounts',
    'Identity',
    'ScalingPolicies',
  ])
    t[k] = dflt(t[k], null);
  t.LogConfig = { Disabled: false, MaxFileSizeMB: 10, MaxFiles: 10, ...stripNull(t.LogConfig), Enabled: null };
  const r = t.Resources ?? {};
  t.Resources = {
    CPU: dflt(r.CPU, 100),
    Cores: dflt(r.Cores, 0),
    Devices: dflt(r.Devices, null),
    DiskMB: dflt(r.DiskMB, null),
    IOPS: dflt(r.IOPS, null),
    MemoryMB: dflt(r.MemoryMB, 300),
    MemoryMaxMB: dflt(r.MemoryMaxMB, null),
    Networks: canonicalizeNetworks(r.Networks),
  };
  t.RestartPolicy = { ...g.RestartPolicy, ...stripNull(t.RestartPolicy) };
  t.Services = t.Services
    ? t.Services.map((s: any) => canonicalizeService({ ...s, TaskName: s.TaskName || t.Name }, job))
    : null;
  return t;
}

function stripNull(o: any): any {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** Parses a Go duration ("10s", "1m30s", "250ms") or passes a number of nanoseconds through. */
export function durationNs(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || !v) return 0;
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const m of v.matchAll(/([\d.]+)(ns|us|µs|ms|s|m|h)/g)) total += parseFloat(m[1]) * units[m[2]];
  return total;
}
