// Builds the tutorial's image, eridemnet/microservice-example:<version>, FROM scratch out of
// examples/microservice: the `node` running this script, the shared libraries `ldd` lists for it, and the
// app with package.json's version set to the tag (so :1.0.1 answers "Hello from microservice-01@1.0.1").
//   buildMicroservice(docker, { versions, push })
// docker(args) runs the Docker CLI against the engine in use and returns spawnSync's result.
// With push, each tag is also pushed under the same name: the engine's pulls of docker.io go to the local
// registry (see scripts/docker.cjs), so a tag that was never pushed fails the way Docker Hub fails it.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const REPO = 'eridemnet/microservice-example';
const VERSIONS = ['1.0.0', '1.0.1'];
const LABEL = 'nomad-vscode.source';

/** The node binary (resolved) and the libraries its loader needs, as absolute paths. */
function nodeFiles(nodeBin = fs.realpathSync(process.execPath)) {
  const out = execFileSync('ldd', [nodeBin], { encoding: 'utf8' });
  const libs = [];
  for (const line of out.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m) libs.push(m[1]);
  }
  if (!libs.length) throw new Error(`ldd listed no libraries for ${nodeBin}`);
  return { nodeBin, libs };
}

/** A digest of everything that goes into the image: an engine that has images with it needs no rebuild. */
function sourceDigest(files, version) {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(path.join(__dirname, 'microservice.Dockerfile')));
  for (const f of [files.nodeBin, ...files.libs]) {
    const s = fs.statSync(f);
    h.update(`${f}:${s.size}:${s.mtimeMs}\n`);
  }
  const app = path.join(root, 'examples', 'microservice');
  for (const f of fs.readdirSync(app).sort()) h.update(f).update(fs.readFileSync(path.join(app, f)));
  h.update(version);
  return h.digest('hex').slice(0, 16);
}

function layout(dir, files, version) {
  const rootfs = path.join(dir, 'rootfs');
  for (const f of [files.nodeBin, ...files.libs]) {
    const dest = path.join(rootfs, f === files.nodeBin ? '/usr/bin/node' : f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(f), dest);
    fs.chmodSync(dest, 0o755);
  }
  fs.mkdirSync(path.join(rootfs, 'tmp'), { recursive: true });
  const app = path.join(dir, 'app');
  fs.mkdirSync(app, { recursive: true });
  const src = path.join(root, 'examples', 'microservice');
  fs.copyFileSync(path.join(src, 'index.js'), path.join(app, 'index.js'));
  const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  pkg.version = version;
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  fs.copyFileSync(path.join(__dirname, 'microservice.Dockerfile'), path.join(dir, 'Dockerfile'));
}

function check(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout || '').toString().trim().slice(-2000)}`);
  return (r.stdout || '').toString();
}

/**
 * Builds (when missing or stale) and pushes eridemnet/microservice-example:<version> for each version.
 * Returns the image names.
 */
/** @param {any} docker @param {{ versions?: typeof VERSIONS, push?: boolean, log?: (line: string) => void }} [options] */
function buildMicroservice(docker, { versions = VERSIONS, push = true, log = () => {} } = {}) {
  const files = nodeFiles();
  const names = [];
  for (const version of versions) {
    const name = `${REPO}:${version}`;
    const digest = sourceDigest(files, version);
    const have = docker(['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, name]);
    if (have.status !== 0 || String(have.stdout).trim() !== digest) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-image-'));
      try {
        layout(dir, files, version);
        const t0 = Date.now();
        check(docker(['build', '-q', '--label', `${LABEL}=${digest}`, '-t', name, dir]), `docker build ${name}`);
        log(`built ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    if (push) check(docker(['push', name]), `docker push ${name}`);
    names.push(name);
  }
  return names;
}

module.exports = { buildMicroservice, nodeFiles, REPO, VERSIONS };
