// A cluster for the demo and the e2e layer: a running agent (NOMAD_ADDR), a real dev agent started from
// NOMAD_BIN (or `nomad` on PATH when preferPathNomad), else the project's Nomad double with a Consul
// double. And a workspace: a copy of examples/ with the app folder passed as a variables file.
//
// startCluster({ docker: true }) runs the tutorial's own job (examples/microservice-job-01.nomad, docker
// driver, a Consul service): it starts the private Docker engine of scripts/docker.cjs (with the tutorial's
// image built in it) and a Consul double that both the agent (its `consul` block) and the extension
// (CONSUL_HTTP_ADDR) use; the agent's docker plugin — or the double's docker driver — runs containers in
// that engine. Without Docker (no root, no engine, NOMAD_ADDR) it falls back to the raw_exec path and says
// why: the result's `docker` is false, `dockerReason` the reason, `jobFile` the job file to run.
'use strict';
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const DOCKER_JOB = 'microservice-job-01.nomad';
const RAW_EXEC_JOB = 'microservice-job-01.raw_exec.nomad';

// startCluster({ topology: 'tutorial' }) starts the tutorial's cluster as its Part 1 draws it, from the Nomad
// binary: a server on node-01 (127.0.0.1) and clients on node-02 and node-03 (127.0.0.2, .3), each from its
// agent file in examples/cluster/, with mutual TLS (certificates from `nomad tls`) and ACLs bootstrapped, and
// the Consul double on 127.0.0.1:8500 as the tutorial's Consul (test/contract/tutorialCluster.ts). The result
// then carries `tls` (the CA, the CLI's certificate and key, the server name: what nomad.tls.* names) and
// `token` (the bootstrap token). Without a binary it falls back to the double with the same two client nodes
// (NomadDouble's `nodes`; plain HTTP, no ACLs, no server node of its own), and `topologyReason` says so. Both
// give `nodes`, each with kill() / start(): SIGKILL of the agent and its restart on the real cluster, the
// double's nodeDown() / nodeUp() on the double (whose client nodes have no HTTP API of their own: their
// `addr` is the double's).
/**
 * @typedef {object} Cluster what startCluster gives (fields beyond addr/kind/label/stop depend on the cluster)
 * @property {string} addr @property {'real' | 'double'} kind @property {string} label @property {() => Promise<void>} stop
 * @property {boolean} docker @property {string} dockerReason @property {string} jobFile @property {string} [engineHost]
 * @property {string} [consulAddr] @property {any} [consul] @property {any} [tls] @property {string} [token] @property {any[]} [nodes]
 * @property {string} [topology] @property {string} [topologyReason]
 */
/**
 * @param {{ preferPathNomad?: boolean, docker?: boolean, topology?: 'dev' | 'tutorial', log?: (line: string) => void }} [options]
 * @returns {Promise<Cluster>}
 */
async function startCluster({ preferPathNomad = false, docker = false, topology = 'dev', log = () => {} } = {}) {
  const rawExec = reason => ({ docker: false, dockerReason: reason, jobFile: RAW_EXEC_JOB });
  if (process.env.NOMAD_ADDR) {
    return {
      addr: process.env.NOMAD_ADDR.replace(/\/+$/, ''),
      kind: 'real',
      label: 'Nomad agent (NOMAD_ADDR)',
      stop: async () => {},
      ...rawExec(
        docker
          ? 'NOMAD_ADDR is an agent started elsewhere: its docker plugin does not use the private engine'
          : 'not asked for',
      ),
    };
  }
  let bin = process.env.NOMAD_BIN;
  if (!bin && preferPathNomad) {
    try {
      bin = execSync('command -v nomad', { encoding: 'utf8', shell: '/bin/bash' }).trim();
    } catch {
      bin = '';
    }
  }

  let engine = null,
    why = 'not asked for';
  if (docker) {
    const t0 = Date.now();
    engine = await require(path.join(root, 'scripts', 'docker.cjs')).start({ log });
    if (!engine.available) {
      why = engine.reason;
      engine = null;
    } else
      log(
        `Docker engine ready with the tutorial's images in ${((Date.now() - t0) / 1000).toFixed(1)} s (${engine.storageDriver ?? 'reused'})`,
      );
  }
  const { NomadDouble, ConsulDouble } = require(path.join(root, 'out', 'test', 'double', 'index.js'));
  const stopEngine = async () => {
    if (engine) await require(path.join(root, 'scripts', 'docker.cjs')).stop();
  };
  const dockerInfo = engine
    ? { docker: true, dockerReason: '', jobFile: DOCKER_JOB, engineHost: engine.host }
    : rawExec(why);

  if (bin && topology === 'tutorial') {
    const { startTutorialCluster } = require(path.join(root, 'out', 'test', 'contract', 'tutorialCluster.js'));
    let consul;
    try {
      consul = await ConsulDouble.start(8500);
    } catch (e) {
      await stopEngine();
      throw new Error(`the tutorial's Consul runs on node-01 at 127.0.0.1:8500, which is in use (${e.message})`);
    }
    // a Consul client agent on each client node, sharing node-01's catalog (Nomad wants one per client)
    const agents = [];
    let c;
    try {
      for (const [name, ip] of [
        ['node-02', '127.0.0.2'],
        ['node-03', '127.0.0.3'],
      ])
        agents.push([name, await consul.agent(ip, 8500)]);
      c = await startTutorialCluster(bin, {
        tls: true,
        acl: true,
        consul: consul.addr,
        consulAgents: Object.fromEntries(agents.map(([n, a]) => [n, a.addr])),
        ...(engine ? { docker: engine.host } : {}),
        log,
      });
    } catch (e) {
      for (const [, a] of agents) await a.stop();
      await consul.stop();
      await stopEngine();
      throw e;
    }
    return {
      addr: c.addr,
      kind: 'real',
      label: `Nomad ${c.version}: the tutorial's cluster (node-01 server, node-02 and node-03 clients, mTLS, ACLs)${engine ? ' + Docker' : ''}`,
      consulAddr: consul.addr,
      consul,
      tls: c.tls,
      token: c.token,
      nodes: c.nodes,
      topology: 'tutorial',
      ...dockerInfo,
      stop: async () => {
        await c.stop();
        for (const [, a] of agents) await a.stop();
        await consul.stop();
        await stopEngine();
      },
    };
  }
  const topologyReason =
    topology === 'tutorial'
      ? "no Nomad binary (NOMAD_BIN or `nomad` on PATH): the tutorial's three-node cluster needs real agents; the double stands in with its two client nodes, node-02 and node-03 (plain HTTP, no ACLs)"
      : '';
  if (bin) {
    const { startAgent } = require(path.join(root, 'out', 'test', 'contract', 'agent.js'));
    const consul = engine ? await ConsulDouble.start() : null;
    const agent = await startAgent(bin, engine ? { docker: engine.host, consul: consul.addr } : undefined);
    const version = execSync(`${bin} version`, { encoding: 'utf8' })
      .split('\n')[0]
      .replace(/^Nomad /, '');
    return {
      addr: agent.addr,
      kind: 'real',
      label: `Nomad ${version}${engine ? ' + Docker' : ''}`,
      ...(consul ? { consulAddr: consul.addr, consul } : {}),
      ...dockerInfo,
      stop: async () => {
        await agent.stop();
        if (consul) await consul.stop();
        await stopEngine();
      },
    };
  }
  const { decoderParseJob } = require(path.join(root, 'out', 'test', 'double', 'decoderParse.js'));
  const consul = await ConsulDouble.start();
  let dockerOpts = {};
  if (engine) {
    const { DockerEngine } = require(path.join(root, 'out', 'test', 'double', 'docker.js'));
    const e = DockerEngine.fromHost(engine.host);
    dockerOpts = { docker: e, dockerVersion: String((await e.version())?.Version ?? '') };
  }
  const clients =
    topology === 'tutorial'
      ? [
          ['node-02', '127.0.0.2'],
          ['node-03', '127.0.0.3'],
        ]
      : [];
  const nomad = await NomadDouble.start({
    parseJob: decoderParseJob,
    consul,
    ...dockerOpts,
    ...(clients.length ? { nodes: clients.map(c => c[0]) } : {}),
  });
  const nodes = clients.map(([name, ip]) => {
    let up = true;
    return {
      name,
      ip,
      addr: nomad.addr,
      running: () => up,
      kill: async () => {
        nomad.nodeDown(name);
        up = false;
      },
      start: async () => {
        nomad.nodeUp(name);
        up = true;
      },
    };
  });
  return {
    addr: nomad.addr,
    consulAddr: consul.addr,
    consul,
    kind: 'double',
    label: `Nomad double (test stand-in, no real Nomad)${clients.length ? ', clients node-02 and node-03' : ''}${engine ? ' + Docker' : ''}`,
    ...dockerInfo,
    ...(topologyReason ? { topologyReason } : {}),
    ...(nodes.length ? { nodes } : {}),
    stop: async () => {
      await nomad.stop();
      await consul.stop();
      await stopEngine();
    },
  };
}

/**
 * A copy of examples/ ready to plan and run. For the raw_exec job, app.vars.hcl passes the app folder to
 * it (the nomad.plan.variableFiles setting); the Docker job takes no variables (with `docker`, none is set).
 */
function exampleWorkspace({ openWalkthrough = false, docker = false } = {}) {
  const ws = require('./lib.js').tempDir('example-'); // removed at exit, whatever happens
  fs.cpSync(path.join(root, 'examples'), ws, { recursive: true });
  fs.writeFileSync(
    path.join(ws, 'app.vars.hcl'),
    `# passed to plan/run by the nomad.plan.variableFiles setting\napp_dir = ${JSON.stringify(path.join(ws, 'microservice'))}\n`,
  );
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  const settings = {
    ...(docker ? {} : { 'nomad.plan.variableFiles': ['app.vars.hcl'] }),
    ...(openWalkthrough ? { 'nomad.walkthrough.openOnStart': true } : {}),
  };
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { ws, cleanup: () => fs.rmSync(ws, { recursive: true, force: true }) };
}

module.exports = { startCluster, exampleWorkspace, DOCKER_JOB, RAW_EXEC_JOB };
