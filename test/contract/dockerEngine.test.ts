// scripts/docker.cjs: the private Docker engine the demo, the tour and the docker contract tests share.
// Started once per process and reused; published ports bind loopback only; the tutorial's images are in
// it; a tag that was never pushed fails the way Docker Hub fails it; Ctrl+C on the CLI removes everything.
// Skips, saying why, where there is no Docker (no root, no engine).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { DockerEngine } from '../double/docker';
import { until } from './http';

function script(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts', 'docker.cjs'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('scripts/docker.cjs not found');
    dir = up;
  }
  return path.join(dir, 'scripts', 'docker.cjs');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const docker = require(script()) as { start(o?: object): Promise<any>; stop(): Promise<void> };

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        text += c;
      });
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

let e: any;
let skip = '';
before(
  async () => {
    e = await docker.start({ log: () => {} });
    if (!e.available) {
      skip = e.reason;
      console.log(`# docker engine tests skipped: ${skip}`);
    }
  },
  { timeout: 600_000 },
);
after(() => docker.stop());

describe('private Docker engine (scripts/docker.cjs)', () => {
  it('start() is idempotent in a process and the engine lives in its own temp folder', async t => {
    if (!e.available) {
      t.skip(skip);
      return;
    }
    assert.equal(await docker.start(), e);
    assert.ok(e.owned);
    assert.ok(e.socket.startsWith(e.dir + path.sep));
    assert.ok(['overlay2', 'vfs'].includes(e.storageDriver));
    const engine = DockerEngine.fromHost(e.host);
    assert.ok(await engine.ping());
    const info = (await engine.request('GET', '/info')).json;
    assert.equal(info.DockerRootDir, path.join(e.dir, 'data'));
  });

  it("has the tutorial's images, built FROM scratch, and they report their own version", async t => {
    if (!e.available) {
      t.skip(skip);
      return;
    }
    const engine = DockerEngine.fromHost(e.host);
    assert.deepEqual(e.images, ['eridemnet/microservice-example:1.0.0', 'eridemnet/microservice-example:1.0.1']);
    for (const v of ['1.0.0', '1.0.1']) {
      const img = (
        await engine.request('GET', `/images/${encodeURIComponent(`eridemnet/microservice-example:${v}`)}/json`)
      ).json;
      assert.deepEqual(img.Config.Entrypoint, ['/usr/bin/node', '/app/index.js']);
      assert.ok(img.Config.Env.includes('PORT=3000'));
      assert.deepEqual(Object.keys(img.Config.ExposedPorts), ['3000/tcp']);
    }
    // a container of 1.0.1, its port published without a host address: the engine binds it to 127.0.0.1
    const id = await engine.create(`engine-test-${process.pid}`, {
      Image: 'eridemnet/microservice-example:1.0.1',
      ExposedPorts: { '3000/tcp': {} },
      HostConfig: { PortBindings: { '3000/tcp': [{ HostPort: '' }] } },
    });
    try {
      await engine.start(id);
      const bound = (await engine.inspect(id)).NetworkSettings.Ports['3000/tcp'][0];
      assert.equal(bound.HostIp, '127.0.0.1');
      const text = await until(
        'the container answers',
        async () => {
          try {
            return await get(Number(bound.HostPort));
          } catch {
            return undefined;
          }
        },
        30_000,
        100,
      );
      assert.equal(text, 'Hello from microservice-01@1.0.1');
    } finally {
      await engine.remove(id);
    }
  });

  it("a tag that was never pushed fails with Docker Hub's error, manifest unknown", async t => {
    if (!e.available) {
      t.skip(skip);
      return;
    }
    if (!e.registry) {
      t.skip('no local registry (docker-registry or openssl missing)');
      return;
    }
    const engine = DockerEngine.fromHost(e.host);
    await assert.rejects(engine.pull('eridemnet/microservice-example:0.0.0-missing'), {
      message:
        'API error (404): manifest for eridemnet/microservice-example:0.0.0-missing not found: manifest unknown: manifest unknown',
    });
    // and a pushed one is pulled back through the same path (docker.io → the local registry)
    await engine.request('DELETE', `/images/${encodeURIComponent('eridemnet/microservice-example:1.0.0')}?force=true`);
    assert.equal(await engine.imageExists('eridemnet/microservice-example:1.0.0'), false);
    await engine.pull('eridemnet/microservice-example:1.0.0');
    assert.equal(await engine.imageExists('eridemnet/microservice-example:1.0.0'), true);
  });

  it('the CLI: `run` prints DOCKER_HOST, Ctrl+C stops the engine and removes its folder', async t => {
    if (!e.available) {
      t.skip(skip);
      return;
    }
    const child = spawn(process.execPath, [script(), 'run'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', c => {
      out += c;
    });
    const exited = new Promise<number | null>(r => child.once('exit', code => r(code)));
    const host = await until(
      'DOCKER_HOST from the CLI',
      async () => /^DOCKER_HOST=(unix:\/\/\S+)$/m.exec(out)?.[1],
      300_000,
      200,
    );
    const socket = host.replace('unix://', '');
    const dir = path.dirname(socket);
    assert.notEqual(dir, e.dir, "its own engine, not this process's");
    assert.ok(await DockerEngine.fromHost(host).ping());
    const bridges = () => spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
    const bridge = /--bridge (\S+)/.exec(
      spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .stdout.split('\n')
        .find(l => l.includes(socket) && l.includes('dockerd')) ?? '',
    )?.[1];
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.equal(fs.existsSync(dir), false, 'the temp folder is gone');
    assert.equal(await DockerEngine.fromHost(host).ping(), false);
    if (bridge) assert.ok(!bridges().includes(`${bridge}:`), 'its bridge is gone');
    assert.ok(
      !(spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout ?? '').includes(dir),
      'no process of it is left',
    );
  });
});
