// Inside the cluster: "Nomad: Open Shell in Task…" from the palette (pick the allocation, keep /bin/sh),
// a command typed in the terminal runs in the task; then a variable opened from the Variables view as an
// HCL document (its keys in the tree, its values only in the editor). Screenshots of both.
import { createRequire } from 'node:module';
import { runCommand, openNomadViews, treeRow, expand, until, assert } from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster } = require('../../harness/cluster.js');
const JOB = 'e2e-shell';
const VAR = 'e2e/app/db';
const S = 1_000_000_000;
let cluster;

// the DOM renderer, so the terminal's text can be read from the page
export const settings = { 'nomad.clusterName': 'local', 'terminal.integrated.fontSize': 13, 'terminal.integrated.gpuAcceleration': 'off' };

async function nomad(method, p, body) {
  const r = await fetch(`${cluster.addr}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const t = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${t}`);
  return t ? JSON.parse(t) : undefined;
}

export async function setup(ctx) {
  cluster = await startCluster();
  ctx.env = { NOMAD_ADDR: cluster.addr };
  await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  await nomad('POST', '/v1/jobs', { Job: {
    ID: JOB, Name: JOB, Type: 'service', Datacenters: ['dc1'],
    TaskGroups: [{ Name: 'web', Count: 1, RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
      Tasks: [{ Name: 'app', Driver: 'raw_exec', Config: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] }, Resources: { CPU: 20, MemoryMB: 16 }, KillTimeout: 2 * S }] }],
  } });
  await until('the task to run', async () => (await nomad('GET', `/v1/job/${JOB}/allocations`)).find(a => a.TaskStates?.app?.State === 'running'), 120000);
  await nomad('PUT', `/v1/var/${VAR}`, { Path: VAR, Items: { user: 'app', password: 'e2e-not-a-real-secret' } });
  return async () => {
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await nomad('DELETE', `/v1/var/${VAR}`).catch(() => undefined);
    await cluster.stop();
  };
}

export async function run({ page, shot, log }) {
  await openNomadViews(page);
  await runCommand(page, 'Nomad: Open Shell in Task…');
  // the allocation picker, then the command (default /bin/sh)
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `${JOB}.web[0]` }).first();
  await row.waitFor({ timeout: 60000 });
  await row.click();
  const input = page.locator('.quick-input-widget input');
  await until('the command input box', async () => (await input.inputValue()) === '/bin/sh', 30000);
  await page.keyboard.press('Enter');
  const term = page.locator('.part.panel .xterm-rows').first();
  const termText = async () => (await term.innerText({ timeout: 5000 }).catch(() => '')).replace(/\u00a0/g, ' ');
  await until('the shell to connect', async () => /Nomad: app @/.test(await termText()), 60000);
  await page.locator('.part.panel .xterm').first().click();
  await page.keyboard.type('echo "hello from $NOMAD_TASK_NAME, $((6*7))"');
  await page.keyboard.press('Enter');
  await until('the command output in the terminal', async () => /hello from app, 42/.test(await termText()), 60000);
  await page.waitForTimeout(500);
  await shot('shell-in-task');
  log('shell: output seen');

  // the Variables view: namespace → e2e → app → db, then open it
  const header = page.locator('.part.sidebar .pane-header', { hasText: 'Variables' }).first();
  await header.waitFor({ timeout: 30000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await expand(treeRow(page, 'Variables', 'e2e'));
  await expand(treeRow(page, 'Variables', 'app'));
  const v = treeRow(page, 'Variables', 'db');
  await v.waitFor({ timeout: 60000 });
  await v.click();
  await page.locator('.part.editor .tab[aria-label^="db.hcl"]').first().waitFor({ timeout: 60000 });
  const text = await until('the variable document', async () => {
    const t = (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    return /password\s*=\s*"e2e-not-a-real-secret"/.test(t) ? t : undefined;
  }, 60000);
  assert(/user\s*=\s*"app"/.test(text), 'both items in the document');
  // a variable row opens the document on click; its keys unfold from the twistie
  await v.locator('.monaco-tl-twistie').click();
  await treeRow(page, 'Variables', 'password').waitFor({ timeout: 30000 });
  const tree = await page.locator('.pane:has(.pane-header[aria-label^="Variables"])').innerText();
  assert(!tree.includes('e2e-not-a-real-secret'), 'no value in the tree');
  await page.waitForTimeout(500);
  await shot('variable-document');
}
