// The tutorial, transparently (issue 26): its job at count = 2 on the tutorial's cluster — the server on
// node-01, clients node-02 and node-03 (startCluster({ topology: 'tutorial' }): a real Nomad binary from
// NOMAD_BIN with mutual TLS and ACLs, the extension configured through nomad.tls.* and a token typed into
// Set ACL Token…; without NOMAD_BIN the Nomad double with the same two client nodes) — Docker on both
// clients (the private engine of scripts/docker.cjs), the Consul double on node-01:8500 as the tutorial's
// Consul:
//   1. Run → one allocation on node-02 and one on node-03, the Jobs tree says which node runs which;
//   2. the Services view and Open Service list both instances (Consul's catalog);
//   3. Drain node-02 from the Nodes folder (its confirmation lists the allocation): the allocation moves to
//      node-03 while a loop of requests against the service (every 100 ms, to an instance of the catalog
//      in turn, as a client-side balancer would) loses none;
//   4. node-02 eligible again; node-03's agent SIGKILLed: the tree shows node-03 down, its allocations lost
//      and replaced on node-02, without a reload (the time from the kill to the tree showing it down is
//      logged; the double marks the node down at once: a real server waits out the heartbeat TTL);
//      the request loop runs on through it;
//   5. node-03's agent started again: the tree shows it ready by itself.
// Without Docker (no root, no engine) the raw_exec variant of the job runs, registered in Consul too; the
// log says why.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  openFile,
  runCommand,
  clearToasts,
  webview,
  openNomadViews,
  treeRow,
  expand,
  until,
  assert,
  contextMenu,
  nomadCall,
  progress,
} from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster, exampleWorkspace } = require('../../harness/cluster.js');
const JOB = 'microservice-01';
let cluster, workspace, FILE;

export const lane = 'own';
export const settings = {
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.fontSize': 13,
  'nomad.clusterName': 'tutorial',
};

/** The cluster's HTTP API from the test (the same certificates and token as the extension is given). */
async function nomad(method, p, body) {
  if (!cluster.tls) return nomadCall(cluster.addr, method, p, body);
  const { call } = require('../../../out/test/contract/http.js');
  const r = await call(cluster.addr, method, p, {
    timeoutMs: 10000,
    tls: cluster.tls.material,
    token: cluster.token,
    ...(body ? { body } : {}),
  });
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.text ?? ''}`);
  return r.json;
}

export async function setup(ctx) {
  const t0 = Date.now();
  cluster = await startCluster({ topology: 'tutorial', docker: true, log: m => ctx.log(`[cluster] ${m}`) });
  ctx.log(
    `cluster: ${cluster.label} at ${cluster.addr}; Consul double at ${cluster.consulAddr}; ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (cluster.topologyReason) ctx.log(cluster.topologyReason);
  assert(cluster.nodes?.length >= 2, 'the tutorial topology gives the client nodes');
  workspace = exampleWorkspace({ docker: cluster.docker });
  FILE = cluster.jobFile;
  const jobPath = path.join(workspace.ws, FILE);
  let text = fs.readFileSync(jobPath, 'utf8').replace(/count = "1"/, 'count = 2');
  assert(/count = 2/.test(text), 'the job file at count = 2');
  // the raw_exec variant registers in Nomad's catalog; here Consul runs on node-01, as in the tutorial
  if (!cluster.docker) text = text.replace(/\n\s*provider = "nomad"\n/, '\n');
  // the HTTP check of the tutorial's Part 4: an instance is in Consul's healthy list once it answers (a
  // container that has started but does not listen yet is not)
  text = text.replace(
    /(\n(\s*)port = "http"\n)/,
    '$1$2check {\n$2  type     = "http"\n$2  path     = "/health"\n$2  interval = "2s"\n$2  timeout  = "2s"\n$2}\n',
  );
  assert(/path\s+= "\/health"/.test(text), 'the check in the job file');
  fs.writeFileSync(jobPath, text);
  ctx.log(
    cluster.docker
      ? `Docker on both clients: the tutorial's job (${FILE}) on the private engine ${cluster.engineHost}`
      : `no Docker (${cluster.dockerReason}): the raw_exec variant (${FILE})`,
  );
  ctx.workspace = workspace.ws;
  ctx.env = { CONSUL_HTTP_ADDR: cluster.consulAddr, ...(cluster.tls ? {} : { NOMAD_ADDR: cluster.addr }) };
  if (cluster.tls) {
    // https passes no forwarder: the extension is configured the way a user configures it
    ctx.settings = {
      'nomad.address': cluster.addr,
      'nomad.tls.caCert': cluster.tls.caCert,
      'nomad.tls.clientCert': cluster.tls.clientCert,
      'nomad.tls.clientKey': cluster.tls.clientKey,
      'nomad.tls.serverName': cluster.tls.serverName,
    };
  }
  return async () => {
    await cluster.stop();
    workspace.cleanup();
  };
}

const jobsPane = page => page.locator('.pane:has(.pane-header[aria-label^="Jobs"])');
/** Every row of the Jobs view as text (label and description). */
async function jobsRows(page) {
  return (await jobsPane(page).locator('.monaco-list-row').allInnerTexts()).map(t => t.replace(/\s+/g, ' ').trim());
}
/** The allocation rows (level 3 under the job and its group) as { text, status, node }. */
async function allocRows(page) {
  const texts = (await jobsPane(page).locator('.monaco-list-row[aria-level="3"]').allInnerTexts()).map(t =>
    t.replace(/\s+/g, ' ').trim(),
  );
  return texts.map(text => ({
    text,
    status: /\b(running|pending|complete|lost|failed)\b/.exec(text)?.[1],
    node: /\bnode-0\d\b/.exec(text)?.[0],
  }));
}
/** A node row's description (its status first): the label and the description run together in innerText. */
const nodeDescription = async (page, name) =>
  (await nodeRow(page, name).locator('.label-description').innerText()).replace(/\s+/g, ' ').trim();
const nodeRow = (page, name) =>
  jobsPane(page)
    .locator('.monaco-list-row[aria-level="2"]', {
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${name}\\s*$`) }),
    })
    .first();

/** The instances Consul says are healthy now (what a client-side balancer asks Consul for). */
async function healthy() {
  const r = await fetch(`${cluster.consulAddr}/v1/health/service/${JOB}?passing`, {
    signal: AbortSignal.timeout(2000),
  });
  return (await r.json()).map(e => ({ Address: e.Service.Address, Port: e.Service.Port }));
}

/** A loop of requests against the service, as the tutorial's Part 4 counts them: every 100 ms one GET to
 *  the next instance Consul lists as healthy now; an answer other than the app's hello, an error, a timeout
 *  (1 s) or no healthy instance at all is a failed request. */
function requestLoop() {
  let sent = 0,
    failed = 0,
    running = true;
  const errors = [];
  const loop = (async () => {
    while (running) {
      const list = await healthy().catch(e => {
        errors.push(`Consul: ${e.cause?.code ?? e.message}`);
        return undefined;
      });
      sent++;
      if (!list) failed++;
      else if (!list.length) {
        failed++;
        errors.push('no healthy instance in Consul');
      } else {
        const i = list[sent % list.length];
        try {
          const r = await fetch(`http://${i.Address}:${i.Port}/`, { signal: AbortSignal.timeout(1000) });
          const t = await r.text();
          if (!r.ok || !/^Hello from microservice-01@/.test(t)) {
            failed++;
            errors.push(`${i.Address}:${i.Port}: ${r.status} ${t.slice(0, 80)}`);
          }
        } catch (e) {
          failed++;
          errors.push(`${i.Address}:${i.Port}: ${e.cause?.code ?? e.message}`);
        }
      }
      await new Promise(r => setTimeout(r, 100));
    }
  })();
  return {
    counts: () => ({ sent, failed }),
    stop: async () => {
      running = false;
      await loop;
      return { sent, failed, errors: [...new Set(errors)].slice(0, 5) };
    },
  };
}

/** Room for the rows to come: a larger window, the side bar wider (its sash dragged), the Variables view
 *  collapsed. */
async function roomForTheTree(page) {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (bar) {
    const x = bar.x + bar.width + 1,
      y = bar.y + bar.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 260, y, { steps: 8 });
    await page.mouse.up();
  }
  const variables = page.locator('.part.sidebar .pane-header', { hasText: 'Variables' }).first();
  if ((await variables.getAttribute('aria-expanded')) === 'true') await variables.click();
}

export async function run({ page, shot, log }) {
  await openFile(page, FILE);
  if (cluster.tls) {
    // the token goes into secret storage through the command a user runs
    await runCommand(page, 'Nomad: Set ACL Token…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(cluster.token);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }
  // 1. Plan → Run: the scheduler places the two allocations; the tree says where each runs
  await runCommand(page, 'Nomad: Plan Job');
  const wv = webview(page);
  await wv.locator('h1', { hasText: `Plan: ${JOB}` }).waitFor({ timeout: 90000 });
  await wv.locator('body', { hasText: 'new job' }).waitFor({ timeout: 60000 });
  await clearToasts(page);
  await wv.locator('vscode-button#run').click();
  await openNomadViews(page);
  await roomForTheTree(page);
  await expand(treeRow(page, 'Jobs', JOB));
  await expand(treeRow(page, 'Jobs', 'Microservices'));
  const placed = await until(
    'two running allocations, one on node-02 and one on node-03, in the tree',
    async () => {
      const rows = (await allocRows(page)).filter(r => r.status === 'running');
      return rows.length === 2 &&
        new Set(rows.map(r => r.node)).size === 2 &&
        rows.every(r => r.node === 'node-02' || r.node === 'node-03')
        ? rows
        : undefined;
    },
    120000,
  );
  log('placed:', placed.map(r => r.text).join(' | '));
  const api = await nomad('GET', `/v1/job/${JOB}/allocations`);
  for (const r of placed) {
    const short = r.text.split(' ')[0];
    const a = api.find(x => x.ID.startsWith(short));
    assert(a && a.NodeName === r.node, `the tree's node for ${short} is the cluster's (${a?.NodeName} vs ${r.node})`);
  }
  await expand(treeRow(page, 'Jobs', 'Nodes'));
  await nodeRow(page, 'node-03').waitFor({ timeout: 30000 });
  log('nodes:', (await jobsRows(page)).filter(t => /^node-0/.test(t)).join(' | '));
  await shot('two-nodes');

  // 2. Consul's catalog, the Services view and Open Service: both instances
  const inCatalog = await until(
    'two healthy instances in Consul',
    async () => {
      const l = await healthy();
      return l.length === 2 ? l : undefined;
    },
    60000,
  );
  const ports = inCatalog.map(i => `${i.Address}:${i.Port}`).sort();
  log('Consul catalog:', ports.join(', '));
  const services = page.locator('.pane-header', { hasText: 'Services' }).first();
  if ((await services.getAttribute('aria-expanded')) !== 'true') await services.click();
  await expand(treeRow(page, 'Services', 'Consul services'));
  const serviceRow = page
    .locator('.pane:has(.pane-header[aria-label^="Services"]) .monaco-list-row[aria-level="2"]', {
      has: page.locator('.label-name', { hasText: JOB }),
    })
    .first();
  await expand(serviceRow);
  const shownInstances = await until(
    'both instances in the Services view',
    async () => {
      const t = (
        await page
          .locator('.pane:has(.pane-header[aria-label^="Services"]) .monaco-list-row[aria-level="3"] .label-name')
          .allInnerTexts()
      )
        .map(x => x.trim())
        .sort();
      if (t.length === 2 && t.join() === ports.join()) return t;
      await expand(serviceRow);
      return undefined;
    },
    60000,
  );
  log('Services view:', shownInstances.join(', '));
  await contextMenu(page, serviceRow, 'Open Service');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `Open ${JOB}` }).waitFor({ timeout: 20000 });
  const picks = await until(
    'Open Service offers both instances',
    async () => {
      const t = (
        await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts()
      )
        .map(x => x.trim())
        .sort();
      return t.length === 2 && t.every(x => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(x)) ? t : undefined;
    },
    20000,
  );
  log('Open Service quick pick:', picks.join(', '));
  assert(picks.join() === ports.join(), `Open Service lists the catalog's instances (${picks} vs ${ports})`);
  await shot('open-service');
  await page.keyboard.press('Escape');
  await services.click(); // collapsed again: the Jobs view keeps its height for the rows to come

  // 3. Drain node-02 from the Nodes folder while requests run
  const loop = requestLoop();
  await new Promise(r => setTimeout(r, 1500));
  const onNode02 = api.find(a => a.NodeName === 'node-02' && a.ClientStatus === 'running');
  await contextMenu(page, nodeRow(page, 'node-02'), 'Drain Node');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter'); // the deadline: 1h
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Move system jobs too' }).first().click();
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ timeout: 30000 });
  const dialog = (await box.innerText()).replace(/\s+/g, ' ');
  log('drain confirmation:', dialog);
  assert(
    /Drain node node-02/.test(dialog) && dialog.includes(onNode02.ID.slice(0, 8)),
    `the confirmation names node-02 and the allocation that moves (${dialog})`,
  );
  await shot('drain-confirmation');
  const tDrain = Date.now();
  await box.locator('.dialog-buttons .monaco-button', { hasText: 'Drain' }).first().click();
  await box.waitFor({ state: 'hidden', timeout: 10000 });
  const moved = await until(
    "both running allocations on node-03 and node-02's stopped, in the tree",
    async () => {
      const rows = await allocRows(page);
      const run = rows.filter(r => r.status === 'running');
      return run.length === 2 &&
        run.every(r => r.node === 'node-03') &&
        rows.some(r => r.node === 'node-02' && r.status === 'complete')
        ? rows
        : undefined;
    },
    180000,
  );
  const drainMs = Date.now() - tDrain;
  await until(
    'the drain complete',
    async () => !(await nomad('GET', '/v1/nodes')).find(n => n.Name === 'node-02').Drain,
    60000,
  );
  const old = await nomad('GET', `/v1/allocation/${onNode02.ID}`);
  assert(
    old.DesiredTransition?.Migrate === true && old.DesiredStatus === 'stop',
    `node-02's allocation was migrated (DesiredTransition ${JSON.stringify(old.DesiredTransition)}, ${old.DesiredStatus})`,
  );
  await new Promise(r => setTimeout(r, 1500));
  const during = await loop.stop();
  log(
    `figure: drain of node-02 → the tree shows both allocations on node-03 in ${(drainMs / 1000).toFixed(1)} s; requests every 100 ms meanwhile: ${during.sent} sent, ${during.failed} failed${during.errors.length ? ` (${during.errors.join('; ')})` : ''}`,
  );
  log(
    'after the drain:',
    moved.map(r => r.text).join(' | '),
    '·',
    (await jobsRows(page)).filter(t => /^node-0/.test(t)).join(' | '),
  );
  assert(during.sent > 10, 'requests were made during the drain');
  assert(during.failed === 0, `no request failed during the drain (${during.failed}: ${during.errors.join('; ')})`);
  await shot('drained');

  // 4. node-02 eligible again (a drain leaves it ineligible); node-03's agent killed
  await contextMenu(page, nodeRow(page, 'node-02'), 'Toggle Node Scheduling Eligibility');
  await box.waitFor({ timeout: 30000 });
  log('eligibility confirmation:', (await box.innerText()).replace(/\s+/g, ' '));
  await box.locator('.dialog-buttons .monaco-button', { hasText: 'Make Eligible' }).first().click();
  await box.waitFor({ state: 'hidden', timeout: 10000 });
  await until(
    'node-02 eligible',
    async () => (await nomad('GET', '/v1/nodes')).find(n => n.Name === 'node-02').SchedulingEligibility === 'eligible',
    30000,
  );
  await until(
    "node-02's row no longer ineligible",
    async () => !/ineligible/.test(await nodeDescription(page, 'node-02')),
    30000,
  );
  const node03 = cluster.nodes.find(n => n.name === 'node-03');
  const loop2 = requestLoop();
  await new Promise(r => setTimeout(r, 1500));
  const tKill = Date.now();
  await node03.kill();
  log(`node-03's agent killed (${cluster.kind === 'double' ? 'the double: nodeDown, at once' : 'SIGKILL'})`);
  progress.what = 'the tree to show node-03 down';
  const downRow = await until(
    'node-03 down in the tree',
    async () => {
      const t = await nodeDescription(page, 'node-03');
      return /^down\b/.test(t) ? t : undefined;
    },
    180000,
    250,
  );
  const deathToTree = Date.now() - tKill;
  log(`figure: SIGKILL of node-03 → the tree shows it down: ${(deathToTree / 1000).toFixed(1)} s (${downRow})`);
  const lost = await until(
    "node-03's allocations lost in the tree",
    async () => {
      const rows = await allocRows(page);
      return rows.filter(r => r.node === 'node-03' && r.status === 'lost').length === 2 ? rows : undefined;
    },
    60000,
    250,
  );
  log(
    `figure: SIGKILL → lost allocations in the tree: ${((Date.now() - tKill) / 1000).toFixed(1)} s:`,
    lost.map(r => r.text).join(' | '),
  );
  await shot('node-lost');
  const replaced = await until(
    'two replacements running on node-02',
    async () => {
      const rows = await allocRows(page);
      return rows.filter(r => r.node === 'node-02' && r.status === 'running').length === 2 ? rows : undefined;
    },
    120000,
    250,
  );
  log(
    `figure: SIGKILL → replacements running on node-02 in the tree: ${((Date.now() - tKill) / 1000).toFixed(1)} s:`,
    replaced.map(r => r.text).join(' | '),
  );
  // what node-03's client registered stays in Consul while it is down (no client is left to remove it; the
  // containers still answer): the lost two beside the two replacements
  const whileDown = await until(
    "four instances in Consul (node-03's two and the replacements)",
    () => {
      const l = cluster.consul.instances(JOB);
      return l.length === 4 ? l : undefined;
    },
    60000,
  );
  log('Consul catalog with node-03 down:', whileDown.map(i => `${i.Address}:${i.Port}`).join(', '));
  await shot('rescheduled');
  const loss = await loop2.stop();
  log(
    `figure: requests every 100 ms from before the kill to the replacements running: ${loss.sent} sent, ${loss.failed} failed${loss.errors.length ? ` (${loss.errors.join('; ')})` : ''}`,
  );
  assert(loss.sent > 10, 'requests were made during the node loss');

  // 5. node-03 back: the tree recovers by itself
  const tUp = Date.now();
  await node03.start();
  const upRow = await until(
    'node-03 ready again in the tree',
    async () => {
      const t = await nodeDescription(page, 'node-03');
      return /^ready\b/.test(t) ? t : undefined;
    },
    180000,
    250,
  );
  log(`node-03 started → the tree shows it ready: ${((Date.now() - tUp) / 1000).toFixed(1)} s (${upRow})`);
  const settled = await until(
    "node-03's old allocations no longer running",
    async () => {
      const rows = await allocRows(page);
      return rows.filter(r => r.status === 'running').length === 2 &&
        rows.filter(r => r.node === 'node-03').every(r => r.status !== 'running')
        ? rows
        : undefined;
    },
    120000,
  );
  log('after node-03 is back:', settled.map(r => r.text).join(' | '));
  const apiAfter = await nomad('GET', `/v1/job/${JOB}/allocations`);
  log(
    'the cluster says:',
    apiAfter.map(a => `${a.ID.slice(0, 8)} ${a.NodeName} ${a.ClientStatus}/${a.DesiredStatus}`).join(' | '),
  );
  const afterUp = await until(
    "node-03's old instances gone from Consul",
    () => {
      const l = cluster.consul.instances(JOB);
      return l.length === 2 ? l : undefined;
    },
    120000,
  );
  log('Consul catalog after node-03 is back:', afterUp.map(i => `${i.Address}:${i.Port}`).join(', '));
  await shot('recovered');
}
