// Inside the cluster: "Nomad: Open Shell in Task…" from the palette (pick the allocation, keep /bin/sh),
// a command typed in the terminal runs in the task; then a variable opened from the Variables view as an
// HCL document (its keys in the tree, its values only in the editor). Then the cluster around the job:
// "Nomad: Show Event Stream" filtered to the job's Job events; the job changed by someone else, its history
// shows version 0 with what reverting changes, "Revert to v0…" confirms and the events show the revert;
// the node drained from its row in the Jobs view, with the confirmation that lists what it moves.
// A screenshot of each.
import { createRequire } from 'node:module';
import {
  runCommand,
  openNomadViews,
  treeRow,
  expand,
  until,
  assert,
  progress,
  toast,
  outputText,
  contextMenu,
  nomadCall,
  answerModal,
} from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster } = require('../../harness/cluster.js');
const JOB = 'e2e-shell';
const VAR = 'e2e/app/db';
const S = 1_000_000_000;
let cluster;

// the DOM renderer, so the terminal's text can be read from the page
export const settings = {
  'nomad.clusterName': 'local',
  'terminal.integrated.fontSize': 13,
  'terminal.integrated.gpuAcceleration': 'off',
};

const nomad = (method, p, body) => nomadCall(cluster.addr, method, p, body);

export async function setup(ctx) {
  cluster = await startCluster();
  ctx.env = { NOMAD_ADDR: cluster.addr };
  await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  await nomad('POST', '/v1/jobs', {
    Job: {
      ID: JOB,
      Name: JOB,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'web',
          Count: 1,
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
          Tasks: [
            {
              Name: 'app',
              Driver: 'raw_exec',
              Config: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] },
              Resources: { CPU: 20, MemoryMB: 16 },
              KillTimeout: 2 * S,
            },
          ],
        },
      ],
    },
  });
  await until(
    'the task to run',
    async () => (await nomad('GET', `/v1/job/${JOB}/allocations`)).find(a => a.TaskStates?.app?.State === 'running'),
    120000,
  );
  await nomad('PUT', `/v1/var/${VAR}`, { Path: VAR, Items: { user: 'app', password: 'e2e-not-a-real-secret' } });
  return async () => {
    const nodes = await nomad('GET', '/v1/nodes').catch(() => []);
    for (const n of nodes)
      await nomad('POST', `/v1/node/${n.ID}/drain`, {
        NodeID: n.ID,
        DrainSpec: null,
        MarkEligible: true,
        Meta: null,
      }).catch(() => undefined);
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await nomad('DELETE', `/v1/var/${VAR}`).catch(() => undefined);
    await cluster.stop();
  };
}

export async function run({ page, shot, log }) {
  await openNomadViews(page);
  // the allocation picker, then the command (default /bin/sh); a quick pick closes when the workbench takes
  // focus while the views load (seen once in a loaded run), so the command is given again if no picker shows
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `${JOB}.web[0]` }).first();
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Nomad: Open Shell in Task…');
    progress.what = `the allocation picker (attempt ${attempt})`;
    if (
      await row.waitFor({ timeout: 20000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    assert(attempt < 3, 'the allocation picker never showed the running allocation');
    await page.keyboard.press('Escape');
  }
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
  const text = await until(
    'the variable document',
    async () => {
      const t = (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText()).replace(
        /\u00a0/g,
        ' ',
      );
      return /password\s*=\s*"e2e-not-a-real-secret"/.test(t) ? t : undefined;
    },
    60000,
  );
  assert(/user\s*=\s*"app"/.test(text), 'both items in the document');
  // a variable row opens the document on click; its keys unfold from the twistie
  await v.locator('.monaco-tl-twistie').click();
  await treeRow(page, 'Variables', 'password').waitFor({ timeout: 30000 });
  const tree = await page.locator('.pane:has(.pane-header[aria-label^="Variables"])').innerText();
  assert(!tree.includes('e2e-not-a-real-secret'), 'no value in the tree');
  await page.waitForTimeout(500);
  await shot('variable-document');

  await clusterFeatures(page, shot, log);
}

/** In the quick pick titled `title`, the row whose label is `label` (typed into the filter first). */
async function pick(page, title, label, type = label) {
  progress.what = `the picker "${title}"`;
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ timeout: 30000 });
  const input = page.locator('.quick-input-widget input');
  await input.fill(type);
  const row = page
    .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) })
    .first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
}

/** Answer an input box with `text`. */
async function answerInput(page, title, text) {
  progress.what = `the input box "${title}"`;
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ timeout: 30000 });
  await page.locator('.quick-input-widget input').fill(text);
  await page.keyboard.press('Enter');
}

async function clusterFeatures(page, shot, log) {
  // events: Job topic, the job's key, no text
  await runCommand(page, 'Nomad: Show Event Stream');
  await pick(page, 'which topics', 'Job');
  await page.keyboard.press('Enter');
  await answerInput(page, 'only this key', JOB);
  await answerInput(page, 'only lines containing', '');
  await until('the event stream header', async () => (await outputText(page)).includes(`(Job · key ${JOB})`), 30000);

  // someone else changes the job: version 1
  const job = await nomad('GET', `/v1/job/${JOB}`);
  await nomad('POST', '/v1/jobs', { Job: { ...job, Meta: { owner: 'someone-else' } } });
  await until('version 1', async () => (await nomad('GET', `/v1/job/${JOB}/versions`)).Versions.length === 2, 30000);
  await until(
    'the registration in the event stream',
    async () => new RegExp(`Job JobRegistered ${JOB}`).test(await outputText(page)),
    30000,
  );

  // history: version 0 beside the current one, then revert to it
  await runCommand(page, 'Nomad: Show Job History…');
  await pick(page, 'history of which job', JOB);
  await pick(page, `History of ${JOB}`, 'v0');
  await page.locator('.part.editor .tab[aria-label^="v0.diff"]').first().waitFor({ timeout: 30000 });
  const hist = await until(
    'the history document',
    async () => {
      const t = (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText()).replace(
        /\u00a0/g,
        ' ',
      );
      return /What reverting to version 0 changes/.test(t) ? t : undefined;
    },
    30000,
  );
  assert(
    /version 0/.test(hist) && /Current version: 1/.test(hist) && /Meta/.test(hist),
    `the history shows the change: ${hist.slice(0, 400)}`,
  );
  const offer = await toast(page, 'version 0 is shown beside the current version 1', 30000);
  await page.waitForTimeout(300);
  await shot('job-history');
  await offer.locator('.monaco-button', { hasText: 'Revert to v0' }).first().click();
  const revertText = await answerModal(page, 'Revert');
  assert(
    /Revert e2e-shell to version 0\?/.test(revertText) && /EnforcePriorVersion/.test(revertText),
    `revert confirmation: ${revertText}`,
  );
  await until(
    'version 2 (the revert)',
    async () => (await nomad('GET', `/v1/job/${JOB}/versions`)).Versions.some(v => v.Version === 2 && !v.Meta?.owner),
    30000,
  );
  await until(
    'two registrations in the event stream',
    async () => ((await outputText(page)).match(new RegExp(`Job JobRegistered ${JOB}`, 'g')) ?? []).length >= 2,
    30000,
  );
  await page.waitForTimeout(300);
  await shot('event-stream');
  log('history: reverted to v0; events: both registrations shown');

  // nodes: drain from the node's row, with the confirmation of what moves
  const [node] = await nomad('GET', '/v1/nodes');
  await expand(treeRow(page, 'Jobs', 'Nodes'));
  const nodeRow = treeRow(page, 'Jobs', node.Name);
  await nodeRow.waitFor({ timeout: 30000 });
  await contextMenu(page, nodeRow, 'Drain Node…');
  await answerInput(page, 'deadline', '30m');
  await pick(page, 'system jobs', 'Leave system jobs running', 'Leave');
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ timeout: 30000 });
  const drainText = (await box.innerText()).replace(/\u00a0/g, ' ');
  assert(
    drainText.includes(`Drain node ${node.Name} within 30 min?`) &&
      /allocations? will be stopped here/.test(drainText) &&
      drainText.includes(`${JOB}.web[0]`),
    `drain confirmation: ${drainText}`,
  );
  await shot('node-drain-confirmation');
  await answerModal(page, 'Drain');
  await toast(page, `Draining ${node.Name} within 30 min`, 30000);
  // the drain ends as soon as the one allocation has moved (DrainStrategy gone, LastDrain complete) — on a
  // real agent and on the double alike; the first read may still see it draining
  const drained = await until(
    'the node to drain',
    async () => {
      const n = await nomad('GET', `/v1/node/${node.ID}`);
      return n.DrainStrategy || n.LastDrain?.Status === 'complete' ? n : undefined;
    },
    30000,
  );
  assert(drained.SchedulingEligibility === 'ineligible', 'the drained node is ineligible');
  if (drained.DrainStrategy)
    assert(
      drained.DrainStrategy.Deadline === 30 * 60 * S && drained.DrainStrategy.IgnoreSystemJobs === true,
      `the node's drain: ${JSON.stringify(drained.DrainStrategy)}`,
    );
  await until(
    'the node row to show the drain',
    async () => /draining|ineligible/.test(await nodeRow.innerText()),
    30000,
  );
  await page.waitForTimeout(300);
  await shot('node-draining');
  log(`node: drained (${drained.DrainStrategy ? 'deadline 30m, system jobs ignored' : 'already complete'})`);
}
