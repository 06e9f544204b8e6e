// Job JSON (as the extension sends it to /v1/jobs and /plan) for the contract tests. Minimal on purpose:
// both backends fill in the defaults.
const S = 1_000_000_000;

export function sleeper(id: string, extra: { env?: Record<string, string>; meta?: Record<string, string> } = {}): any {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    Meta: extra.meta ?? null,
    TaskGroups: [
      {
        Name: 'g',
        Count: 1,
        Update: {
          MaxParallel: 1,
          HealthCheck: 'task_states',
          MinHealthyTime: 1 * S,
          HealthyDeadline: 60 * S,
          ProgressDeadline: 120 * S,
        },
        RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
        ReschedulePolicy: { Attempts: 0, Unlimited: false },
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Env: extra.env ?? null,
            Config: { command: '/bin/sh', args: ['-c', 'echo started; exec sleep 3600'] },
            Resources: { CPU: 20, MemoryMB: 16 },
            KillTimeout: 2 * S,
          },
        ],
      },
    ],
  };
}

/** Prints `line <n> · ünïcødé ✓ 日本語 🚀` for n = 1..lines, `delay` seconds apart, then idles. */
export function counter(
  id: string,
  lines: number,
  delay: string,
  log?: { MaxFiles: number; MaxFileSizeMB: number },
): any {
  const j = sleeper(id);
  j.TaskGroups[0].Tasks[0].Config.args = [
    '-c',
    `i=1; while [ $i -le ${lines} ]; do echo "line $i · ünïcødé ✓ 日本語 🚀"; i=$((i+1)); sleep ${delay}; done; exec sleep 3600`,
  ];
  if (log) j.TaskGroups[0].Tasks[0].LogConfig = log;
  return j;
}

/** Writes `n` lines of ~100 bytes as fast as it can (for rotation), then "done", then idles. */
export function spew(id: string, n: number): any {
  const j = counter(id, 0, '0', { MaxFiles: 5, MaxFileSizeMB: 1 });
  j.TaskGroups[0].Tasks[0].Config.args = [
    '-c',
    `i=1; while [ $i -le ${n} ]; do echo "big line $i ........................................................................................"; i=$((i+1)); done; echo "big done"; exec sleep 3600`,
  ];
  return j;
}

/** A Node HTTP server on NOMAD_PORT_http with a Nomad-native service and an HTTP check. */
export function web(id: string, service: string): any {
  const j = sleeper(id);
  const g = j.TaskGroups[0];
  g.Networks = [{ DynamicPorts: [{ Label: 'http' }] }];
  g.Update.HealthCheck = 'checks';
  g.Services = [
    {
      Name: service,
      Provider: 'nomad',
      PortLabel: 'http',
      Tags: ['contract', 'v1'],
      Checks: [{ Type: 'http', Path: '/health', Interval: 1 * S, Timeout: 1 * S }],
    },
  ];
  g.Tasks[0].Config = {
    command: '/usr/bin/env',
    args: [
      'node',
      '-e',
      "require('http').createServer((q,r)=>r.end(q.url==='/health'?'ok':'hi')).listen(+process.env.NOMAD_PORT_http,'127.0.0.1')",
    ],
  };
  g.Tasks[0].Resources.MemoryMB = 64;
  return j;
}

/** Version 0 healthy; `fail` makes the task exit 1 after a second (restart attempts 0, auto_revert). */
export function failing(id: string, fail: boolean): any {
  const j = sleeper(id);
  const g = j.TaskGroups[0];
  g.Update = {
    MaxParallel: 1,
    HealthCheck: 'task_states',
    MinHealthyTime: 2 * S,
    HealthyDeadline: 20 * S,
    ProgressDeadline: 40 * S,
    AutoRevert: true,
  };
  g.Tasks[0].Config.args = [
    '-c',
    fail ? 'echo starting; sleep 1; echo failing >&2; exit 1' : 'echo starting; exec sleep 3600',
  ];
  return j;
}
