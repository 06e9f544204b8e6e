// The exec websocket (/v1/client/allocation/:id/exec) through the extension's own client
// (src/nomad/exec.ts), against the backend chosen by backend.ts: output, exit codes, a terminal
// resize, and the refusals (a task that is not running, an unknown task, a refused token).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backend, startBackend, uniqueId } from './backend';
import { Api, until } from './http';
import * as J from './jobs';
import { startAgent } from './agent';
import { NomadDouble } from '../double/nomad';
import { ExecSession, type ExecFailure } from '../../src/nomad/exec';

let b: Backend;
const created = new Set<string>();

before(async () => {
  b = await startBackend();
  console.log(`# backend: ${b.kind} ${b.addr}`);
});
after(async () => {
  for (const id of created) await b.api.raw('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => {});
  await b.stop();
});

interface Result {
  stdout: string;
  stderr: string;
  exitCode?: number;
  failure?: ExecFailure;
}

/** Runs one session; `script` gets the session once it is open and may write to it. */
function exec(
  addr: string,
  token: string | undefined,
  allocId: string,
  task: string,
  command: string[],
  tty: boolean,
  script?: (s: ExecSession, out: () => string) => Promise<void>,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    let stdout = '',
      stderr = '';
    const s: ExecSession = new ExecSession(
      { address: addr, token },
      { allocId, task, command, tty },
      {
        onOpen: () => {
          if (script) script(s, () => stdout).catch(reject);
        },
        onOutput: (k, d) => {
          if (k === 'stdout') stdout += d.toString('utf8');
          else stderr += d.toString('utf8');
        },
        onExit: code => resolve({ stdout, stderr, exitCode: code }),
        onFailure: f => resolve({ stdout, stderr, failure: f }),
      },
    );
  });
}

/** For a command without a terminal: stdin is closed at once (as `nomad alloc exec -i=false` does);
 *  Nomad ends such a session only once stdin is closed. */
const noInput = async (s: ExecSession) => {
  s.closeStdin();
};

/** Waits (generously) until the output so far matches. */
async function waitFor(out: () => string, re: RegExp): Promise<void> {
  await until(`output matching ${String(re)}`, async () => re.test(out()), 60_000, 50);
}

let allocId = '';

describe('exec', () => {
  before(async () => {
    const id = uniqueId('exec');
    created.add(id);
    await b.api.post('/v1/jobs', { Job: J.sleeper(id) });
    const allocs = await until(
      `${id} running`,
      async () => {
        const list: any[] = await b.api.get(`/v1/job/${id}/allocations`);
        const r = list.filter(a => a.ClientStatus === 'running' && a.TaskStates?.t?.State === 'running');
        return r.length ? r : undefined;
      },
      120_000,
    );
    allocId = allocs[0].ID;
  });

  it('runs a command without a terminal: stdout and stderr apart, exit code 0', async () => {
    const r = await exec(b.addr, b.token, allocId, 't', ['/bin/sh', '-c', 'echo hello; echo oops >&2'], false, noInput);
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'hello\n');
    assert.equal(r.stderr, 'oops\n');
  });

  it('without a terminal, ends the session only once stdin is closed', async () => {
    let closedAt = -1,
      outputSeen = -1,
      step = 0;
    const r = await exec(
      b.addr,
      b.token,
      allocId,
      't',
      ['/bin/sh', '-c', 'echo early; exit 4'],
      false,
      async (s, out) => {
        await waitFor(out, /early/);
        outputSeen = step++;
        // the command has ended by now (it printed and exited); the session is still open
        await new Promise(res => setTimeout(res, 500));
        assert.equal(s.ended, false, 'no exit code before stdin is closed');
        closedAt = step++;
        s.closeStdin();
      },
    );
    assert.equal(r.exitCode, 4);
    assert.ok(outputSeen === 0 && closedAt === 1);
  });

  it('reports the exit code of the command (3)', async () => {
    const r = await exec(b.addr, b.token, allocId, 't', ['/bin/sh', '-c', 'exit 3'], false, noInput);
    assert.equal(r.exitCode, 3);
  });

  it('runs with the task environment, in "/" (raw_exec)', async () => {
    const r = await exec(
      b.addr,
      b.token,
      allocId,
      't',
      ['/bin/sh', '-c', 'echo "$NOMAD_TASK_NAME"; pwd'],
      false,
      noInput,
    );
    assert.equal(r.stdout, 't\n/\n');
  });

  it('passes stdin and its end to the command', async () => {
    const r = await exec(b.addr, b.token, allocId, 't', ['/bin/cat'], false, async s => {
      s.write('one\ntwo\n');
      s.closeStdin();
    });
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'one\ntwo\n');
  });

  it('gives a terminal: echo, a resize seen by stty, exit code from the shell', async () => {
    const r = await exec(b.addr, b.token, allocId, 't', ['/bin/sh'], true, async (s, out) => {
      s.resize(100, 30);
      s.write('echo ready-$((40+2))\n');
      await waitFor(out, /ready-42/);
      s.resize(91, 27);
      s.write('stty size\n');
      await waitFor(out, /27 91/);
      s.write('exit 3\n');
    });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.equal(r.exitCode, 3);
    assert.match(r.stdout, /\r\n/, 'a terminal ends lines with CR LF');
    assert.match(r.stdout, /27 91/);
  });

  it('delivers Ctrl+C to the foreground command and Ctrl+D to the shell', async () => {
    const r = await exec(b.addr, b.token, allocId, 't', ['/bin/sh'], true, async (s, out) => {
      s.resize(80, 24);
      s.write('sleep 600; echo after-$((1+1))\n');
      await waitFor(out, /sleep 600/);
      s.write('\u0003');
      s.write('echo alive-$((2+3))\n');
      await waitFor(out, /alive-5/);
      s.write('\u0004');
    });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.equal(r.exitCode, 0);
    assert.doesNotMatch(r.stdout, /after-2/);
  });

  it('refuses an unknown task with a message that names it', async () => {
    const r = await exec(b.addr, b.token, allocId, 'nope', ['/bin/true'], false);
    assert.equal(r.failure?.kind, 'unknownTask');
  });

  it('refuses a task that is not running', async () => {
    const id = uniqueId('exec-done');
    created.add(id);
    const job = J.sleeper(id);
    job.Type = 'batch';
    job.TaskGroups[0].Update = null;
    job.TaskGroups[0].Tasks[0].Config.args = ['-c', 'echo done'];
    await b.api.post('/v1/jobs', { Job: job });
    const done = await until(
      `${id} complete`,
      async () => {
        const list: any[] = await b.api.get(`/v1/job/${id}/allocations`);
        return list.find(a => a.ClientStatus === 'complete');
      },
      120_000,
    );
    const r = await exec(b.addr, b.token, done.ID, 't', ['/bin/true'], false);
    assert.equal(r.failure?.kind, 'notRunning', JSON.stringify(r.failure));
  });
});

describe('exec with ACLs', () => {
  let addr = '',
    stop: () => Promise<void> = async () => {},
    token = '',
    id = '',
    acl: Api | undefined;
  before(async () => {
    if (process.env.NOMAD_ADDR) return;
    if (process.env.NOMAD_BIN) {
      const agent = await startAgent(process.env.NOMAD_BIN, { extraConfig: 'acl {\n  enabled = true\n}' });
      addr = agent.addr;
      stop = () => agent.stop();
      const boot = await new Api(addr).post('/v1/acl/bootstrap');
      token = boot.SecretID;
      acl = new Api(addr, token);
    } else {
      const d = await NomadDouble.start({ acl: true });
      addr = d.addr;
      token = d.token!;
      stop = () => d.stop();
      acl = new Api(addr, token);
    }
    id = uniqueId('exec-acl');
    await acl.post('/v1/jobs', { Job: J.sleeper(id) });
  });
  after(async () => {
    await stop();
  });

  it('a refused token ends the session with "unauthorized", the right one runs the command', async t => {
    if (!acl) {
      t.skip(
        'NOMAD_ADDR names an agent started elsewhere: this test needs one with ACLs that it starts itself (NOMAD_BIN, or the double)',
      );
      return;
    }
    const alloc = await until(
      `${id} running`,
      async () => {
        const list: any[] = await acl!.get(`/v1/job/${id}/allocations`);
        return list.find(a => a.ClientStatus === 'running' && a.TaskStates?.t?.State === 'running');
      },
      120_000,
    );
    const bad = await exec(addr, '00000000-0000-0000-0000-000000000000', alloc.ID, 't', ['/bin/true'], false);
    assert.equal(bad.failure?.kind, 'unauthorized', JSON.stringify(bad.failure));
    const none = await exec(addr, undefined, alloc.ID, 't', ['/bin/true'], false);
    assert.equal(none.failure?.kind, 'unauthorized', JSON.stringify(none.failure));
    const good = await exec(addr, token, alloc.ID, 't', ['/bin/sh', '-c', 'echo hello'], false, noInput);
    assert.equal(good.stdout, 'hello\n');
    assert.equal(good.exitCode, 0);
  });
});
