// The exec websocket's frames and URL (src/nomad/exec.ts), without a server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyClose,
  decodeOutput,
  execUrl,
  resizeFrame,
  stdinCloseFrame,
  stdinFrame,
} from '../../../src/nomad/exec';

describe('exec frames', () => {
  it('encodes stdin as base64 of the UTF-8 bytes', () => {
    const f = JSON.parse(stdinFrame('é\u0003\u0004')) as { stdin: { data: string } };
    assert.deepEqual([...Buffer.from(f.stdin.data, 'base64')], [0xc3, 0xa9, 3, 4]);
    const g = JSON.parse(stdinFrame(new Uint8Array([0, 255, 10]))) as { stdin: { data: string } };
    assert.deepEqual([...Buffer.from(g.stdin.data, 'base64')], [0, 255, 10]);
  });

  it('encodes a byte view without the rest of its buffer', () => {
    const whole = Buffer.from('xxhelloxx');
    const f = JSON.parse(stdinFrame(whole.subarray(2, 7))) as { stdin: { data: string } };
    assert.equal(Buffer.from(f.stdin.data, 'base64').toString(), 'hello');
  });

  it('encodes close and terminal size as Nomad reads them (height/width, whole and positive)', () => {
    assert.deepEqual(JSON.parse(stdinCloseFrame()), { stdin: { close: true } });
    assert.deepEqual(JSON.parse(resizeFrame(120, 40)), { tty_size: { height: 40, width: 120 } });
    assert.deepEqual(JSON.parse(resizeFrame(80.7, 0)), { tty_size: { height: 1, width: 80 } });
  });

  it('decodes output, exit and heartbeat frames', () => {
    assert.deepEqual(decodeOutput('{"stdout":{"data":"aGVsbG8K"}}'), {
      kind: 'stdout',
      data: Buffer.from('hello\n'),
      close: false,
    });
    const e = decodeOutput('{"stderr":{"close":true}}');
    assert.equal(e.kind, 'stderr');
    assert.ok(e.kind === 'stderr' && e.close && e.data.length === 0);
    assert.deepEqual(decodeOutput('{"exited":true,"result":{"exit_code":3}}'), { kind: 'exited', exitCode: 3 });
    assert.deepEqual(decodeOutput('{"exited":true,"result":{}}'), { kind: 'exited', exitCode: 0 });
    assert.deepEqual(decodeOutput('{}'), { kind: 'heartbeat' });
    assert.throws(() => decodeOutput('[1]'));
    assert.throws(() => decodeOutput('not json'));
  });
});

describe('exec URL', () => {
  it('uses ws/wss, escapes the allocation id and carries no token', () => {
    const u = new URL(
      execUrl('https://nomad.example:4646/', {
        allocId: '../x?y',
        task: 'web',
        command: ['/bin/sh', '-c', 'echo "a b"'],
        tty: true,
        namespace: 'prod',
      }),
    );
    assert.equal(u.protocol, 'wss:');
    assert.equal(u.pathname, '/v1/client/allocation/..%2Fx%3Fy/exec');
    assert.equal(u.searchParams.get('task'), 'web');
    assert.deepEqual(JSON.parse(u.searchParams.get('command')!), ['/bin/sh', '-c', 'echo "a b"']);
    assert.equal(u.searchParams.get('tty'), 'true');
    assert.equal(u.searchParams.get('namespace'), 'prod');
    assert.ok(!/token/i.test(u.search));
    assert.equal(
      new URL(execUrl('http://127.0.0.1:4646', { allocId: 'a', task: 't', command: ['ls'], tty: false })).protocol,
      'ws:',
    );
  });
});

describe('exec close reasons', () => {
  it('names a refused token, a task that is not running, a driver without exec', () => {
    assert.equal(classifyClose(1008, 'Permission denied', 't').kind, 'unauthorized');
    assert.equal(classifyClose(1008, 'task "t" is not running.', 't').kind, 'notRunning');
    assert.equal(classifyClose(1008, 'task "t" not started yet.', 't').kind, 'notRunning');
    assert.equal(classifyClose(1011, 'task driver does not support exec', 't').kind, 'noExec');
    assert.equal(classifyClose(1008, 'unknown task name "x"', 'x').kind, 'unknownTask');
    assert.equal(classifyClose(1011, 'task not found', 'x').kind, 'unknownTask');
    assert.equal(classifyClose(1006, '', 't').kind, 'connection');
    const other = classifyClose(1011, 'something odd', 't');
    assert.equal(other.kind, 'server');
    assert.match(other.message, /something odd/);
  });
});
