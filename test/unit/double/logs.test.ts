// The double's task log files: rotation as a Nomad client does it, and output that arrives after close.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingLog, logIndexes } from '../../double/logs';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-double-logs-'));
}

test('rotates at the size limit and keeps at most max files', () => {
  const dir = tempDir();
  try {
    const log = new RotatingLog(dir, 'web.stdout', 10, 2);
    for (let i = 0; i < 5; i++) log.write(Buffer.from('0123456789'));
    log.close();
    const kept = logIndexes(dir, 'web.stdout');
    assert.deepEqual(
      kept.map(e => e.idx),
      [3, 4],
    );
    assert.deepEqual(
      kept.map(e => e.size),
      [10, 10],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('output written after close is dropped, not written into whatever file reuses the descriptor', () => {
  const dir = tempDir();
  try {
    const log = new RotatingLog(dir, 'web.stderr', 1024, 3);
    log.write(Buffer.from('before\n'));
    log.close();
    // the next file opened is likely to get the same descriptor number
    const other = path.join(dir, 'other.txt');
    const fd = fs.openSync(other, 'a');
    try {
      assert.doesNotThrow(() => log.write(Buffer.from('after\n')));
    } finally {
      fs.closeSync(fd);
    }
    assert.equal(fs.readFileSync(path.join(dir, 'web.stderr.0'), 'utf8'), 'before\n');
    assert.equal(fs.readFileSync(other, 'utf8'), '');
    assert.doesNotThrow(() => log.close());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a log opened again appends to the newest file', () => {
  const dir = tempDir();
  try {
    const a = new RotatingLog(dir, 'job.stdout', 1024, 3);
    a.write(Buffer.from('one\n'));
    a.close();
    const b = new RotatingLog(dir, 'job.stdout', 1024, 3);
    b.write(Buffer.from('two\n'));
    b.close();
    assert.equal(fs.readFileSync(path.join(dir, 'job.stdout.0'), 'utf8'), 'one\ntwo\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
