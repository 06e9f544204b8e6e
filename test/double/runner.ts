// Runs the tasks of one allocation as real local processes (raw_exec and exec are treated the same),
// with Nomad's environment, logs rotated under the alloc dir, task states/events shaped like a Nomad
// client's, the restart policy honoured (minimally) and service checks made against the process.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingLog } from './logs';
import { DockerEngine, containerConfig, parseImage } from './docker';
import { at, realClock, type Clock, type Deadline } from './clock';

export interface TaskEvent {
  [k: string]: unknown;
  Type: string;
  Time: number;
}
export interface TaskState {
  Events: TaskEvent[];
  Failed: boolean;
  FinishedAt: string | null;
  LastRestart: string | null;
  Restarts: number;
  StartedAt: string | null;
  State: 'pending' | 'running' | 'dead';
  TaskHandle: null;
}

export function taskEvent(type: string, display: string, extra: Partial<Record<string, unknown>> = {}): TaskEvent {
  return {
    Details: {},
    DiskLimit: 0,
    DisplayMessage: display,
    DownloadError: '',
    DriverError: '',
    DriverMessage: '',
    ExitCode: 0,
    FailedSibling: '',
    FailsTask: false,
    GenericSource: '',
    KillError: '',
    KillReason: '',
    KillTimeout: 0,
    Message: '',
    RestartReason: '',
    SetupError: '',
    Signal: 0,
    StartDelay: 0,
    TaskSignal: '',
    TaskSignalReason: '',
    Time: nowNs(),
    Type: type,
    ValidationError: '',
    VaultError: '',
    ...extra,
  };
}

export const nowNs = () => Date.now() * 1_000_000 + Math.floor(Math.random() * 1000);
export const iso = () => new Date().toISOString();

export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Number.isInteger(s) ? `${s}s` : `${+s.toFixed(9)}s`;
  return h ? `${h}h${m}m${sec}` : m ? `${m}m${sec}` : sec;
}

export interface CheckResult {
  ID: string;
  Name: string;
  Service: string;
  Status: 'pending' | 'passing' | 'critical';
  Output: string;
  Timestamp: number;
  Task: string;
}

export interface RunnerHooks {
  /** a task state or check changed: persist + bump indexes */
  changed(): void;
  /** the whole allocation has stopped running (all tasks dead) */
  finished(): void;
}

export interface RunnerOptions {
  allocDir: string;
  restartDelayMs: number;
  checkIntervalMs?: number;
  env: Record<string, string>;
  /** time source for restart delays (never early: see clock.ts) */
  clock?: Clock;
  /** the engine `driver = "docker"` tasks run in (test/double/docker.ts); without it they are not placed */
  docker?: DockerEngine;
}

/** A task's container while it exists: `exited` settles once it has stopped and been removed. */
interface Container {
  id: string;
  exited: Promise<void>;
  logs: { close(): void; done: Promise<void> };
}

interface Running {
  proc?: ChildProcess;
  container?: Container;
  userRestart?: boolean;
  stdout?: RotatingLog;
  stderr?: RotatingLog;
  restartTimer?: Deadline;
  attempts: number[];
  killing?: boolean;
}

export class AllocRunner {
  readonly states: Record<string, TaskState> = {};
  readonly checks = new Map<string, CheckResult>();
  private running = new Map<string, Running>();
  private checkTimers: NodeJS.Timeout[] = [];
  private stopped = false;
  /** container removals started by killNow() (settled() waits for them) */
  private removals: Promise<unknown>[] = [];

  constructor(
    readonly alloc: any,
    readonly job: any,
    public group: any,
    readonly ports: Record<string, number>,
    readonly opts: RunnerOptions,
    readonly hooks: RunnerHooks,
  ) {
    for (const t of group.Tasks) {
      this.states[t.Name] = {
        Events: [],
        Failed: false,
        FinishedAt: null,
        LastRestart: null,
        Restarts: 0,
        StartedAt: null,
        State: 'pending',
        TaskHandle: null,
      };
    }
  }

  get logDir() {
    return path.join(this.opts.allocDir, 'alloc', 'logs');
  }

  start(): void {
    fs.mkdirSync(this.logDir, { recursive: true });
    fs.mkdirSync(path.join(this.opts.allocDir, 'alloc', 'data'), { recursive: true });
    fs.mkdirSync(path.join(this.opts.allocDir, 'alloc', 'tmp'), { recursive: true });
    for (const t of this.group.Tasks) {
      this.event(t.Name, taskEvent('Received', 'Task received by client'));
    }
    this.hooks.changed();
    setTimeout(() => {
      if (this.stopped) return;
      for (const t of this.group.Tasks) {
        for (const d of ['local', 'secrets', 'tmp'])
          fs.mkdirSync(path.join(this.opts.allocDir, t.Name, d), { recursive: true });
        this.event(
          t.Name,
          taskEvent('Task Setup', 'Building Task Directory', {
            Message: 'Building Task Directory',
            Details: { message: 'Building Task Directory' },
          }),
        );
        this.launch(t);
      }
      this.startChecks();
      this.hooks.changed();
    }, 20);
  }

  private event(task: string, e: TaskEvent) {
    const s = this.states[task];
    s.Events.push(e);
    if (s.Events.length > 10) s.Events.splice(0, s.Events.length - 10);
  }

  taskEnv(t: any): Record<string, string> {
    const env: Record<string, string> = { ...this.opts.env };
    env.NOMAD_TASK_NAME = t.Name;
    env.NOMAD_TASK_DIR = path.join(this.opts.allocDir, t.Name, 'local');
    env.NOMAD_SECRETS_DIR = path.join(this.opts.allocDir, t.Name, 'secrets');
    env.NOMAD_CPU_LIMIT = String(t.Resources?.CPU ?? 100);
    env.NOMAD_MEMORY_LIMIT = String(t.Resources?.MemoryMB ?? 300);
    for (const [k, v] of Object.entries({ ...(this.job.Meta ?? {}), ...(this.group.Meta ?? {}), ...(t.Meta ?? {}) })) {
      env[`NOMAD_META_${k}`] = String(v);
      env[`NOMAD_META_${k.toUpperCase()}`] = String(v);
    }
    for (const [k, v] of Object.entries(t.Env ?? {})) env[k] = interpolate(String(v), env);
    return env;
  }

  private launch(t: any) {
    const r: Running = this.running.get(t.Name) ?? { attempts: [] };
    this.running.set(t.Name, r);
    if (t.Driver === 'mock_driver') {
      // like Nomad's mock driver: a task that runs without a process (benchmarks with thousands of allocations)
      const s = this.states[t.Name];
      s.State = 'running';
      s.StartedAt = iso();
      s.FinishedAt = null;
      this.event(t.Name, taskEvent('Started', 'Task started by client'));
      this.hooks.changed();
      return;
    }
    if (t.Driver === 'docker') {
      void this.launchDocker(t, r);
      return;
    }
    const env = this.taskEnv(t);
    const cfg = t.Config ?? {};
    const command = interpolate(String(cfg.command ?? ''), env);
    const args = (cfg.args ?? []).map((a: unknown) => interpolate(String(a), env));
    const maxBytes = (t.LogConfig?.MaxFileSizeMB ?? 10) * 1024 * 1024;
    const maxFiles = t.LogConfig?.MaxFiles ?? 10;
    r.stdout ??= new RotatingLog(this.logDir, `${t.Name}.stdout`, maxBytes, maxFiles);
    r.stderr ??= new RotatingLog(this.logDir, `${t.Name}.stderr`, maxBytes, maxFiles);
    let proc: ChildProcess;
    try {
      proc = spawn(command, args, {
        cwd: path.join(this.opts.allocDir, t.Name),
        env: { ...process.env, ...env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      this.driverFailure(t, String((e as Error).message));
      return;
    }
    r.proc = proc;
    r.killing = false;
    const out = r.stdout,
      err = r.stderr;
    proc.stdout!.on('data', (c: Buffer) => out.write(c));
    proc.stderr!.on('data', (c: Buffer) => err.write(c));
    let spawned = false;
    proc.once('spawn', () => {
      spawned = true;
      const s = this.states[t.Name];
      s.State = 'running';
      s.StartedAt = iso();
      s.FinishedAt = null;
      this.event(t.Name, taskEvent('Started', 'Task started by client'));
      this.hooks.changed();
    });
    proc.once('error', e => {
      if (!spawned) this.driverFailure(t, e.message);
    });
    proc.once('close', (code, signal) => {
      if (spawned) this.exited(t, r, code, signal);
    });
  }

  private driverFailure(t: any, msg: string) {
    const s = this.states[t.Name];
    this.event(t.Name, taskEvent('Driver Failure', msg, { DriverError: msg, Details: { driver_error: msg } }));
    s.State = 'dead';
    s.Failed = true;
    s.FinishedAt = iso();
    this.event(
      t.Name,
      taskEvent('Not Restarting', 'Error was unrecoverable', {
        FailsTask: true,
        RestartReason: 'Error was unrecoverable',
        Details: { fails_task: 'true', restart_reason: 'Error was unrecoverable' },
      }),
    );
    this.hooks.changed();
    this.maybeFinished();
  }

  // ---- docker (test/double/docker.ts): the calls Nomad's docker driver makes, on the same engine

  /** Container port for a port label: config.port_map, else the network port's `to`, else the host port. */
  private containerPort(t: any, label: string): number {
    for (const m of [t.Config?.port_map].flat()) if (m && typeof m === 'object' && label in m) return Number(m[label]);
    const nets = [...(this.group.Networks ?? []), ...(t.Resources?.Networks ?? [])];
    for (const n of nets)
      for (const p of [...(n.DynamicPorts ?? []), ...(n.ReservedPorts ?? [])])
        if (p.Label === label && p.To > 0) return p.To;
    return this.ports[label];
  }

  /** The environment a docker task sees: paths inside the container, NOMAD_PORT_* the container's ports. */
  private dockerEnv(t: any): Record<string, string> {
    const env = this.taskEnv(t);
    env.NOMAD_ALLOC_DIR = '/alloc';
    env.NOMAD_TASK_DIR = '/local';
    env.NOMAD_SECRETS_DIR = '/secrets';
    for (const label of Object.keys(this.ports)) {
      const inside = this.containerPort(t, label);
      env[`NOMAD_PORT_${label}`] = String(inside);
      env[`NOMAD_ADDR_${label}`] = `127.0.0.1:${this.ports[label]}`;
    }
    for (const [k, v] of Object.entries(t.Env ?? {})) env[k] = interpolate(String(v), env);
    return env;
  }

  private async launchDocker(t: any, r: Running) {
    const engine = this.opts.docker;
    const cfg = t.Config ?? {};
    const image = String(cfg.image ?? '');
    if (!engine) {
      this.driverFailure(t, 'docker driver not available (the double has no Docker engine)');
      return;
    }
    const maxBytes = (t.LogConfig?.MaxFileSizeMB ?? 10) * 1024 * 1024;
    const maxFiles = t.LogConfig?.MaxFiles ?? 10;
    r.stdout ??= new RotatingLog(this.logDir, `${t.Name}.stdout`, maxBytes, maxFiles);
    r.stderr ??= new RotatingLog(this.logDir, `${t.Name}.stderr`, maxBytes, maxFiles);
    r.killing = false;
    let step = 'create container';
    try {
      // an image with a tag other than latest that is present is used as it is; else it is pulled
      const present = parseImage(image).tag !== 'latest' && !cfg.force_pull && (await engine.imageExists(image));
      if (this.stopped || r.killing) return;
      if (!present) {
        this.event(
          t.Name,
          taskEvent('Driver', 'Downloading image', { DriverMessage: 'Downloading image', Details: { image } }),
        );
        this.hooks.changed();
        try {
          await engine.pull(image);
        } catch (e) {
          if (this.stopped || r.killing) return;
          this.startFailed(t, r, `Failed to pull \`${image}\`: ${(e as Error).message}`);
          return;
        }
      }
      if (this.stopped || r.killing) return;
      const name = `${t.Name}-${this.alloc.ID}`;
      await engine.remove(name); // left over from an earlier attempt, if any
      const allocDir = this.opts.allocDir;
      const id = await engine.create(
        name,
        containerConfig({
          name,
          image,
          env: this.dockerEnv(t),
          memoryMB: t.Resources?.MemoryMB ?? 300,
          cpuShares: t.Resources?.CPU ?? 100,
          ports: Object.keys(this.ports).map(label => ({
            label,
            container: this.containerPort(t, label),
            host: this.ports[label],
          })),
          labels: { 'com.hashicorp.nomad.alloc_id': this.alloc.ID },
          binds: [
            `${path.join(allocDir, 'alloc')}:/alloc`,
            `${path.join(allocDir, t.Name, 'local')}:/local`,
            `${path.join(allocDir, t.Name, 'secrets')}:/secrets`,
          ],
          command: cfg.command,
          args: cfg.args,
        }),
      );
      step = 'start container';
      const out = r.stdout,
        err = r.stderr;
      await engine.start(id);
      const logs = engine.follow(
        id,
        b => out.write(b),
        b => err.write(b),
      );
      const exited = engine
        .wait(id)
        .catch(() => -1)
        .then(async code => {
          await Promise.race([logs.done, new Promise(res => setTimeout(res, 1000))]);
          logs.close();
          await engine.remove(id).catch(() => undefined);
          r.container = undefined;
          if (r.userRestart && !this.stopped) {
            r.userRestart = false;
            r.killing = false;
            this.event(
              t.Name,
              taskEvent('Terminated', `Exit Code: ${code}`, {
                ExitCode: code,
                Details: { exit_code: String(code), signal: '0', oom_killed: 'false' },
              }),
            );
            this.event(
              t.Name,
              taskEvent('Restarting', 'Task restarting in 0s', {
                RestartReason: 'User requested task to restart',
                Details: { restart_reason: 'User requested task to restart', start_delay: '0' },
              }),
            );
            const st = this.states[t.Name];
            st.Restarts++;
            st.LastRestart = iso();
            this.hooks.changed();
            this.launch(t);
            return;
          }
          this.exited(t, r, code, null);
        });
      r.container = { id, exited, logs };
      const s = this.states[t.Name];
      s.State = 'running';
      s.StartedAt = iso();
      s.FinishedAt = null;
      this.event(t.Name, taskEvent('Started', 'Task started by client'));
      this.hooks.changed();
      if (this.stopped || r.killing) this.killTask(t);
    } catch (e) {
      if (this.stopped) return;
      this.startFailed(t, r, `failed to ${step}: ${(e as Error).message}`);
    }
  }

  /** A start that failed in a way Nomad retries (a pull failure): Driver Failure, then the restart policy. */
  private startFailed(t: any, r: Running, msg: string) {
    this.event(t.Name, taskEvent('Driver Failure', msg, { DriverError: msg, Details: { driver_error: msg } }));
    this.restartOrFail(t, r);
  }

  private killContainer(t: any, r: Running, c: Container) {
    r.killing = true;
    const timeoutNs = t.KillTimeout ?? 5_000_000_000;
    this.event(
      t.Name,
      taskEvent('Killing', `Sent interrupt. Waiting ${goDuration(timeoutNs)} before force killing`, {
        KillTimeout: timeoutNs,
        Details: { kill_timeout: goDuration(timeoutNs) },
      }),
    );
    const engine = this.opts.docker!;
    // no kill_signal: docker stop (the image's stop signal, SIGKILL after the timeout); else that signal first
    const stopNow = () => engine.stop(c.id, t.KillSignal ? 0 : timeoutNs / 1e9).catch(() => undefined);
    if (!t.KillSignal) {
      void stopNow();
      return;
    }
    void engine.kill(c.id, t.KillSignal).catch(() => undefined);
    const force = setTimeout(
      () => {
        void stopNow();
      },
      Math.min(timeoutNs / 1e6, 5000),
    );
    void c.exited.then(() => clearTimeout(force));
  }

  private exited(t: any, r: Running, code: number | null, signal: NodeJS.Signals | null) {
    const s = this.states[t.Name];
    r.proc = undefined;
    const exitCode = code ?? 0;
    const sig = signal ? (signalNumbers[signal] ?? 0) : 0;
    this.event(
      t.Name,
      taskEvent('Terminated', `Exit Code: ${exitCode}${sig ? `, Signal: ${sig}` : ''}`, {
        ExitCode: exitCode,
        Signal: sig,
        Details: { exit_code: String(exitCode), signal: String(sig), oom_killed: 'false' },
      }),
    );
    if (r.killing || this.stopped) {
      s.State = 'dead';
      s.FinishedAt = iso();
      this.event(t.Name, taskEvent('Killed', 'Task successfully killed'));
      this.hooks.changed();
      this.maybeFinished();
      return;
    }
    const batch = this.job.Type === 'batch' || this.job.Type === 'sysbatch';
    if (exitCode === 0 && !sig && batch) {
      s.State = 'dead';
      s.FinishedAt = iso();
      this.hooks.changed();
      this.maybeFinished();
      return;
    }
    this.restartOrFail(t, r);
  }

  /** After a failed run (or a recoverable start failure): restart within the policy, else fail the task. */
  private restartOrFail(t: any, r: Running) {
    const s = this.states[t.Name];
    // restart policy: Attempts within Interval, Mode fail|delay
    const rp = t.RestartPolicy ??
      this.group.RestartPolicy ?? { Attempts: 2, Interval: 1_800_000_000_000, Delay: 15_000_000_000, Mode: 'fail' };
    const now = Date.now();
    r.attempts = r.attempts.filter(a => now - a < rp.Interval / 1e6);
    if (r.attempts.length < rp.Attempts) {
      r.attempts.push(now);
      const delayMs = Math.min(rp.Delay / 1e6, this.opts.restartDelayMs);
      const reason = 'Restart within policy';
      this.event(
        t.Name,
        taskEvent('Restarting', `Task restarting in ${goDuration(rp.Delay)}`, {
          RestartReason: reason,
          StartDelay: rp.Delay,
          Details: { restart_reason: reason, start_delay: String(rp.Delay) },
        }),
      );
      // as the agent counts it: with the Restarting event, not at the start that follows (task_runner.go)
      s.Restarts++;
      s.LastRestart = iso();
      s.State = 'pending';
      this.hooks.changed();
      const clock = this.opts.clock ?? realClock;
      const due = clock.now() + delayMs;
      r.restartTimer = at(clock, due, () => {
        if (this.stopped) return;
        this.launch(t);
      });
      return;
    }
    const reason =
      rp.Attempts === 0
        ? 'Policy allows no restarts'
        : `Exceeded allowed attempts ${rp.Attempts} in interval ${goDuration(rp.Interval)} and mode is "${rp.Mode}"`;
    this.event(
      t.Name,
      taskEvent('Not Restarting', reason, {
        FailsTask: true,
        RestartReason: reason,
        Details: { fails_task: 'true', restart_reason: reason },
      }),
    );
    s.State = 'dead';
    s.Failed = true;
    s.FinishedAt = iso();
    // a failed task kills its siblings
    for (const other of this.group.Tasks) {
      if (other.Name !== t.Name && this.states[other.Name].State !== 'dead') {
        this.event(
          other.Name,
          taskEvent('Sibling Task Failed', `Task's sibling "${t.Name}" failed`, {
            FailedSibling: t.Name,
            Details: { failed_sibling: t.Name },
          }),
        );
        this.killTask(other);
      }
    }
    this.hooks.changed();
    this.maybeFinished();
  }

  private maybeFinished() {
    if (Object.values(this.states).every(s => s.State === 'dead')) {
      this.stopChecks();
      this.hooks.finished();
    }
  }

  private killTask(t: any) {
    const r = this.running.get(t.Name);
    if (r?.restartTimer) {
      r.restartTimer.cancel();
      r.restartTimer = undefined;
    }
    if (r?.container) {
      this.killContainer(t, r, r.container);
      return;
    }
    if (r && t.Driver === 'docker') r.killing = true; // a start under way sees it and stops
    if (!r?.proc) {
      const s = this.states[t.Name];
      if (s.State !== 'dead') {
        s.State = 'dead';
        s.FinishedAt = iso();
      }
      return;
    }
    r.killing = true;
    const timeoutNs = t.KillTimeout ?? 5_000_000_000;
    this.event(
      t.Name,
      taskEvent('Killing', `Sent interrupt. Waiting ${goDuration(timeoutNs)} before force killing`, {
        KillTimeout: timeoutNs,
        Details: { kill_timeout: goDuration(timeoutNs) },
      }),
    );
    const proc = r.proc;
    const sig = (t.KillSignal || 'SIGINT') as NodeJS.Signals;
    killGroup(proc, sig);
    const force = setTimeout(() => killGroup(proc, 'SIGKILL'), Math.min(timeoutNs / 1e6, 5000));
    proc.once('close', () => clearTimeout(force));
  }

  /** Stops every task (Killing → Terminated → Killed). Resolves when all processes are gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopChecks();
    const waits: Promise<void>[] = [];
    for (const t of this.group.Tasks) {
      const r = this.running.get(t.Name);
      if (r?.proc) waits.push(new Promise(res => r.proc!.once('close', () => res())));
      if (r?.container) waits.push(r.container.exited);
      this.killTask(t);
    }
    this.hooks.changed();
    await Promise.all(waits);
    for (const r of this.running.values()) closeLogs(r);
    this.hooks.changed();
  }

  /** Kills every process at once (shutdown of the double). */
  killNow(): void {
    this.stopped = true;
    this.stopChecks();
    for (const r of this.running.values()) {
      if (r.restartTimer) r.restartTimer.cancel();
      if (r.proc) killGroup(r.proc, 'SIGKILL');
      if (r.container) {
        r.container.logs.close();
        this.removals.push(this.opts.docker!.remove(r.container.id).catch(() => undefined));
      }
      closeLogs(r);
    }
  }

  /** An allocation-level event recorded on every task (`Alloc Unhealthy` …), as Nomad's client does. */
  noteAll(type: string, message: string): void {
    for (const t of this.group.Tasks)
      this.event(t.Name, taskEvent(type, message, { Message: message, Details: { message } }));
    this.hooks.changed();
  }

  /** Resolves when what killNow() started (container removals) has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.removals);
  }

  /** User-requested restart of one task or all. */
  restart(taskName?: string): void {
    for (const t of this.group.Tasks) {
      if (taskName && t.Name !== taskName) continue;
      const r = this.running.get(t.Name);
      this.event(
        t.Name,
        taskEvent('Restart Signaled', 'User requested task to restart', {
          RestartReason: 'User requested task to restart',
          Details: { restart_reason: 'User requested task to restart' },
        }),
      );
      if (r?.container) {
        r.userRestart = true;
        const engine = this.opts.docker!;
        void (
          t.KillSignal
            ? engine.kill(r.container.id, t.KillSignal)
            : engine.stop(r.container.id, (t.KillTimeout ?? 5e9) / 1e9)
        ).catch(() => undefined);
      } else if (r?.proc) {
        const proc = r.proc;
        r.killing = true;
        // suppress the regular exit handling: it sees `killing` and would mark the task dead
        proc.removeAllListeners('close');
        proc.once('close', (code, signal) => {
          this.event(
            t.Name,
            taskEvent('Terminated', `Exit Code: ${code ?? 0}`, {
              ExitCode: code ?? 0,
              Signal: signal ? (signalNumbers[signal] ?? 0) : 0,
              Details: { exit_code: String(code ?? 0), signal: '0', oom_killed: 'false' },
            }),
          );
          r.proc = undefined;
          r.killing = false;
          this.event(
            t.Name,
            taskEvent('Restarting', 'Task restarting in 0s', {
              RestartReason: 'User requested task to restart',
              Details: { restart_reason: 'User requested task to restart', start_delay: '0' },
            }),
          );
          const s = this.states[t.Name];
          s.Restarts++;
          s.LastRestart = iso();
          if (!this.stopped) this.launch(t);
          this.hooks.changed();
        });
        killGroup(proc, (t.KillSignal || 'SIGINT') as NodeJS.Signals);
      }
    }
    this.hooks.changed();
  }

  // ---- checks

  services(): Array<{ service: any; task: string }> {
    const out: Array<{ service: any; task: string }> = [];
    for (const s of this.group.Services ?? []) out.push({ service: s, task: '' });
    for (const t of this.group.Tasks) for (const s of t.Services ?? []) out.push({ service: s, task: t.Name });
    return out;
  }

  private startChecks() {
    for (const { service, task } of this.services()) {
      for (const c of service.Checks ?? []) {
        const id = checkId(this.alloc.ID, service.Name, c.Name);
        const res: CheckResult = {
          ID: id,
          Name: c.Name,
          Service: service.Name,
          Status: 'pending',
          Output: '',
          Timestamp: Math.floor(Date.now() / 1000),
          Task: task,
        };
        this.checks.set(id, res);
        const every = this.opts.checkIntervalMs ?? Math.max(100, (c.Interval ?? 10e9) / 1e6);
        const run = async () => {
          if (this.stopped) return;
          const port = this.ports[c.PortLabel || service.PortLabel];
          const timeout = Math.max(200, (c.Timeout ?? 2e9) / 1e6);
          let ok = false,
            out = '';
          try {
            if (c.Type === 'http') ({ ok, out } = await httpCheck(port, c.Path || '/', c.Method || 'GET', timeout));
            else if (c.Type === 'tcp') ({ ok, out } = await tcpCheck(port, timeout));
            else {
              ok = true;
              out = `check type ${c.Type} is not run by the double`;
            }
          } catch (e) {
            ok = false;
            out = String((e as Error).message);
          }
          const status = ok ? 'passing' : 'critical';
          const changed = status !== res.Status;
          res.Status = status;
          res.Output = out;
          res.Timestamp = Math.floor(Date.now() / 1000);
          if (changed) this.hooks.changed();
        };
        const tick = () => {
          void run();
        };
        const first = setTimeout(tick, 50);
        this.checkTimers.push(first, setInterval(tick, every));
      }
    }
  }

  private stopChecks() {
    for (const t of this.checkTimers) clearInterval(t);
    this.checkTimers = [];
  }

  /** An in-place update: the tasks go on running; the group's services and their checks are the new ones. */
  updateServices(group: any): void {
    this.group = group;
    this.stopChecks();
    this.checks.clear();
    if (!this.stopped) this.startChecks();
  }

  allTasksRunning(): boolean {
    return Object.values(this.states).every(s => s.State === 'running');
  }
  anyTaskFailed(): boolean {
    return Object.values(this.states).some(s => s.Failed);
  }
  allChecksPassing(): boolean {
    return [...this.checks.values()].every(c => c.Status === 'passing');
  }
  isRunning(): boolean {
    return !this.stopped;
  }
}

export function checkId(allocId: string, service: string, check: string) {
  // stable and unique per alloc/service/check (Nomad uses a hash; the shape is not relied on)
  let h = 0;
  for (const ch of `${allocId}/${service}/${check}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0') + allocId.replace(/-/g, '').slice(0, 24);
}

function killGroup(proc: ChildProcess, sig: NodeJS.Signals) {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, sig);
  } catch {
    try {
      proc.kill(sig);
    } catch {
      /* gone */
    }
  }
}

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/** ${NOMAD_PORT_http}, ${env.X}, ${NOMAD_META_k} … in command, args and env values. */
export function interpolate(s: string, env: Record<string, string>): string {
  return s.replace(/\$\{([^}]+)\}/g, (m, name: string) => {
    const k = name.trim();
    if (k.startsWith('env.')) return env[k.slice(4)] ?? process.env[k.slice(4)] ?? '';
    if (k.startsWith('meta.')) return env[`NOMAD_META_${k.slice(5)}`] ?? '';
    if (k in env) return env[k];
    if (k === 'attr.kernel.name') return process.platform;
    if (k === 'node.unique.name') return os.hostname();
    if (k === 'node.datacenter') return env.NOMAD_DC ?? 'dc1';
    return m;
  });
}

function httpCheck(
  port: number | undefined,
  p: string,
  method: string,
  timeoutMs: number,
): Promise<{ ok: boolean; out: string }> {
  return new Promise(resolve => {
    if (!port) {
      resolve({ ok: false, out: 'no port' });
      return;
    }
    const req = http.request({ host: '127.0.0.1', port, path: p, method, timeout: timeoutMs }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        resolve({
          ok: code >= 200 && code < 300,
          out: `HTTP ${method} http://127.0.0.1:${port}${p}: ${code} ${res.statusMessage ?? ''} Output: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', e => resolve({ ok: false, out: String(e.message) }));
    req.end();
  });
}

function tcpCheck(port: number | undefined, timeoutMs: number): Promise<{ ok: boolean; out: string }> {
  return new Promise(resolve => {
    if (!port) {
      resolve({ ok: false, out: 'no port' });
      return;
    }
    const s = net.connect({ host: '127.0.0.1', port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve({ ok: true, out: `TCP connect 127.0.0.1:${port}: Success` });
    });
    s.on('timeout', () => {
      s.destroy();
      resolve({ ok: false, out: 'timeout' });
    });
    s.on('error', e => resolve({ ok: false, out: e.message }));
  });
}

/** Closes a task's log files; a later start of the task opens them again and appends. */
function closeLogs(r: Running): void {
  r.stdout?.close();
  r.stderr?.close();
  r.stdout = undefined;
  r.stderr = undefined;
}
