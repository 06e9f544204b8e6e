// A cluster for the demo and the e2e layer: a running agent (NOMAD_ADDR), a real dev agent started from
// NOMAD_BIN (or `nomad` on PATH when preferPathNomad), else the project's Nomad double with a Consul
// double. And a workspace: a copy of examples/ with the app folder passed as a variables file.
'use strict';
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

async function startCluster({ preferPathNomad = false } = {}) {
  if (process.env.NOMAD_ADDR) return { addr: process.env.NOMAD_ADDR.replace(/\/+$/, ''), kind: 'real', label: 'Nomad agent (NOMAD_ADDR)', stop: async () => {} };
  let bin = process.env.NOMAD_BIN;
  if (!bin && preferPathNomad) { try { bin = execSync('command -v nomad', { encoding: 'utf8', shell: '/bin/bash' }).trim(); } catch { bin = ''; } }
  if (bin) {
    const { startAgent } = require(path.join(root, 'out', 'test', 'contract', 'agent.js'));
    const agent = await startAgent(bin);
    const version = execSync(`${bin} version`, { encoding: 'utf8' }).split('\n')[0].replace(/^Nomad /, '');
    return { addr: agent.addr, kind: 'real', label: `Nomad ${version}`, stop: () => agent.stop() };
  }
  const { NomadDouble, ConsulDouble } = require(path.join(root, 'out', 'test', 'double', 'index.js'));
  const { decoderParseJob } = require(path.join(root, 'out', 'test', 'double', 'decoderParse.js'));
  const consul = await ConsulDouble.start();
  const nomad = await NomadDouble.start({ parseJob: decoderParseJob, consul });
  return { addr: nomad.addr, consulAddr: consul.addr, kind: 'double', label: 'Nomad double (test stand-in, no real Nomad)', stop: async () => { await nomad.stop(); await consul.stop(); } };
}

/** A copy of examples/ ready to plan and run: app.vars.hcl passes the app folder to the job. */
function exampleWorkspace({ openWalkthrough = false } = {}) {
  const ws = require('./lib.js').tempDir('example-');   // removed at exit, whatever happens
  fs.cpSync(path.join(root, 'examples'), ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'app.vars.hcl'), `# passed to plan/run by the nomad.plan.variableFiles setting\napp_dir = ${JSON.stringify(path.join(ws, 'microservice'))}\n`);
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'nomad.plan.variableFiles': ['app.vars.hcl'], ...(openWalkthrough ? { 'nomad.walkthrough.openOnStart': true } : {}) }, null, 2));
  return { ws, cleanup: () => fs.rmSync(ws, { recursive: true, force: true }) };
}

module.exports = { startCluster, exampleWorkspace };
