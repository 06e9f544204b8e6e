// Hostile cluster, round three (issue 22): the payloads of the last round in the surfaces it did not name.
//   - a Variable item key `[x](command:…sendSequence…)`, opened from the Variables view, a line broken (an
//     unclosed string) and saved: the editor's save error toast names the key as text (the HIGH finding);
//   - quick picks whose items come from the cluster: allocations and tasks (Open Shell in Task…), jobs and
//     versions (Show Job History…), nodes (Drain Node…): `$(icon)` and `[x](…)` are text;
//   - Show Job Definition of a job whose submitted HCL holds a `variable` with a description that is an
//     image, a command link and HTML, and a heredoc `local` that tries to leave its code fence: the language
//     server's hover renders text and code, not links or images.
// Images point at a loopback HTTPS "beacon" that counts every request; a positive control (an image the
// page itself loads) proves the beacon would see a fetch. At the end: 0 beacon hits from payloads, 0 links
// and 0 images rendered on every surface, no terminal opened and no sentinel file written (a sendSequence
// payload would write it). Against the double, or a real agent with NOMAD_ADDR / NOMAD_BIN.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  runCommand,
  openNomadViews,
  treeRow,
  expand,
  until,
  assert,
  clearToasts,
  nomadCall,
  contextMenu,
  progress,
  replaceAll,
} from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster } = require('../../harness/cluster.js');
let cluster, beacon, dir;
const S = 1_000_000_000;

const SENTINEL = path.join(os.tmpdir(), `nomad-surfaces-pwned-${process.pid}`);
const RUN = `command:workbench.action.terminal.sendSequence?${encodeURIComponent(JSON.stringify({ text: `touch ${SENTINEL}\n` }))}`;
const LINK = `[x](${RUN})`;
const VAR = 'hostile/items';
const JOB = 'surface-$(alert)-[x](command:workbench.action.terminal.new)';
const GROUP = `g $(zap) [run](${RUN})`;
const TASKS = ['t1-$(sync~spin)', 't2-[x](command:workbench.action.terminal.new)'];
const HOVER_JOB = 'surface-hover';

/** A loopback HTTPS server that counts requests by path (a self-signed certificate; the browser context
 *  of the e2e runner accepts it, as it does for the README's pictures). */
async function startBeacon() {
  const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-beacon-'));
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      path.join(certDir, 'key.pem'),
      '-out',
      path.join(certDir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl for the beacon: ${r.stderr || r.error}`);
  const hits = [];
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  const server = https.createServer(
    { key: fs.readFileSync(path.join(certDir, 'key.pem')), cert: fs.readFileSync(path.join(certDir, 'cert.pem')) },
    (req, res) => {
      hits.push(req.url);
      res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(png);
    },
  );
  await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const url = `https://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return {
    url,
    hits,
    payloadHits: () => hits.filter(h => !h.startsWith('/control')),
    close: () =>
      new Promise(res => {
        server.close(() => res());
        fs.rmSync(certDir, { recursive: true, force: true });
      }),
  };
}

const img = name => `![](${beacon.url}/${name}.png)`;
const html = name => `<img src="${beacon.url}/${name}-html.png">`;

/** The submitted HCL of the hover job: what a cluster hands back through Show Job Definition. */
function hoverSource() {
  const desc = `${img('description')} ${LINK} ${html('description')} \`\`\` <b>bold</b>`;
  return [
    'variable "image" {',
    '  type        = string',
    '  default     = "busybox"',
    `  description = ${JSON.stringify(desc)}`,
    '}',
    'locals {',
    '  evil = <<EOT',
    '```',
    img('local'),
    html('local'),
    `[y](${RUN})`,
    '````````',
    'EOT',
    '}',
    `job "${HOVER_JOB}" {`,
    '  datacenters = ["dc1"]',
    '  meta {',
    '    note = local.evil',
    '  }',
    '  group "g" {',
    '    task "t" {',
    '      driver = "raw_exec"',
    '      config {',
    '        command = "/bin/sh"',
    '        args    = ["-c", "echo ${var.image}; exec sleep 3600"]',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function taskSpec(name) {
  return {
    Name: name,
    Driver: 'raw_exec',
    Config: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] },
    Resources: { CPU: 20, MemoryMB: 16 },
    KillTimeout: 2 * S,
  };
}

export const settings = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.hover.delay': 100,
  'editor.hover.delay': 100,
};

const nomad = (method, p, body) => nomadCall(cluster.addr, method, p, body, { token: process.env.NOMAD_TOKEN });

export async function setup(ctx) {
  cluster = await startCluster();
  beacon = await startBeacon();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-surfaces-'));
  fs.writeFileSync(path.join(dir, 'README.md'), 'A folder for the hostile-surfaces scenario.\n');
  ctx.workspace = dir;
  ctx.env = { NOMAD_ADDR: cluster.addr };
  ctx.log(`cluster: ${cluster.label} at ${cluster.addr}; beacon ${beacon.url}`);
  await nomad('POST', '/v1/jobs', {
    Job: {
      ID: JOB,
      Name: JOB,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: GROUP,
          Count: 1,
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: S },
          ReschedulePolicy: { Attempts: 0, Unlimited: false },
          Tasks: TASKS.map(taskSpec),
        },
      ],
    },
  });
  await nomad('POST', '/v1/jobs', {
    Job: {
      ID: HOVER_JOB,
      Name: HOVER_JOB,
      Type: 'service',
      Datacenters: ['dc1'],
      Meta: { note: 'x' },
      TaskGroups: [{ Name: 'g', Count: 1, Tasks: [taskSpec('t')] }],
    },
    Submission: { Source: hoverSource(), Format: 'hcl2', VariableFlags: {}, Variables: '' },
  });
  await nomad('PUT', `/v1/var/${VAR}`, { Path: VAR, Items: { [LINK]: 'v', 'k$(alert)': 'w' } });
  await until(
    'both tasks of the hostile job to run',
    async () => {
      const allocs = await nomad('GET', `/v1/job/${encodeURIComponent(JOB)}/allocations`);
      return allocs.find(a => TASKS.every(t => a.TaskStates?.[t]?.State === 'running'));
    },
    120000,
  );
  return async () => {
    for (const id of [JOB, HOVER_JOB])
      await nomad('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => undefined);
    await nomad('DELETE', `/v1/var/${VAR}`).catch(() => undefined);
    await cluster.stop();
    await beacon.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(SENTINEL, { force: true });
  };
}

/** The extension's own escaping (the same code the extension runs). */
function shown(root) {
  return require(path.join(root, 'out', 'src', 'nomad', 'display.js'));
}

/** Links and images rendered inside `scope` (a locator). */
async function rendered(scope) {
  return scope.evaluateAll(els =>
    els.reduce(
      (n, el) => ({
        links: n.links + el.querySelectorAll('a[href], a[data-href]').length,
        images: n.images + el.querySelectorAll('img').length,
        icons: n.icons + el.querySelectorAll('.codicon-alert, .codicon-zap, .codicon-sync').length,
      }),
      { links: 0, images: 0, icons: 0 },
    ),
  );
}

async function assertNothingRan(page, dialogs, when) {
  const terminals = await page.locator('.part.panel .terminal-wrapper, .part.panel .xterm').count();
  assert(terminals === 0, `${when}: no terminal was opened (${terminals})`);
  assert(!fs.existsSync(SENTINEL), `${when}: the sentinel file was not written`);
  assert(
    beacon.payloadHits().length === 0,
    `${when}: no payload image was fetched: ${beacon.payloadHits().join(', ')}`,
  );
  assert(dialogs.length === 0, `${when}: no alert/confirm ran: ${dialogs.join(', ')}`);
}

/** The rows of the open quick pick: their text, and what rendered in them. */
async function quickPickRows(page, what, expectText) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await until(
    `${what}: rows in the quick pick`,
    async () =>
      (await rows.count()) > 0 &&
      (!expectText || (await rows.allInnerTexts()).some(t => t.replace(/\u00a0/g, ' ').includes(expectText))),
    30000,
  );
  const texts = (await rows.allInnerTexts()).map(t =>
    t
      .replace(/\u00a0/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  const r = await rendered(page.locator('.quick-input-widget .quick-input-list'));
  return { texts, ...r };
}

export async function run({ page, shot, log, root }) {
  const { plainText } = shown(root);
  const dialogs = [];
  page.on('dialog', d => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const counted = { links: 0, images: 0, icons: 0, surfaces: [] };
  const count = (surface, r) => {
    counted.links += r.links;
    counted.images += r.images;
    counted.icons += r.icons;
    counted.surfaces.push(`${surface}: ${r.links}/${r.images}/${r.icons}`);
  };

  // 0. the positive control: an image the page loads itself reaches the beacon (so 0 hits later means 0 fetches)
  await page.evaluate(
    u =>
      new Promise(res => {
        const i = new Image();
        i.onload = i.onerror = () => res();
        i.src = u;
      }),
    `${beacon.url}/control.png`,
  );
  await until('the beacon to see the control image', async () => beacon.hits.includes('/control.png'), 20000);
  log('beacon control seen:', JSON.stringify(beacon.hits));

  await openNomadViews(page);

  // 1. the Variables view: the keys are text in the tree; open the variable, break a line, save
  const header = page.locator('.part.sidebar .pane-header', { hasText: 'Variables' }).first();
  await header.waitFor({ timeout: 30000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await expand(treeRow(page, 'Variables', 'hostile'));
  const v = treeRow(page, 'Variables', 'items');
  await v.waitFor({ timeout: 60000 });
  await v.locator('.monaco-tl-twistie').click();
  await treeRow(page, 'Variables', 'sendSequence').waitFor({ timeout: 30000 });
  const varPane = page.locator('.pane:has(.pane-header[aria-label^="Variables"])');
  const keyLabels = (await varPane.locator('.monaco-list-row .label-name').allInnerTexts()).map(t =>
    t.replace(/\u00a0/g, ' ').trim(),
  );
  count('variables tree', await rendered(varPane));
  await v.click();
  await page.locator('.part.editor .tab[aria-label^="items.hcl"]').first().waitFor({ timeout: 60000 });
  await until(
    'the variable document',
    async () =>
      (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText())
        .replace(/\u00a0/g, ' ')
        .includes('= "v"'),
    60000,
  );
  await clearToasts(page);
  await replaceAll(page, '= "v"', '= "v'); // an unclosed string on the hostile key's line, then Ctrl+S
  const saveToast = page.locator('.notifications-toasts .notification-toast', { hasText: 'unclosed string' }).first();
  await saveToast.waitFor({ timeout: 60000 });
  const saveText = (await saveToast.locator('.notification-list-item-message').innerText()).replace(/\u00a0/g, ' ');
  log('save toast:', saveText);
  const toastRendered = await rendered(
    page.locator('.notifications-toasts .notification-toast .notification-list-item-message'),
  );
  count('save error toast', toastRendered);
  assert(toastRendered.links === 0, `no link in the save toast (${toastRendered.links}): ${saveText}`);
  assert(saveText.includes(plainText(LINK)), `the toast names the key as text, its "](" broken up: ${saveText}`);
  await shot('variables-save-error');
  await assertNothingRan(page, dialogs, 'after the save error');
  // the keys in the tree: as text, `](` and `$(` broken up like everywhere else
  for (const k of [LINK, 'k$(alert)'])
    assert(keyLabels.includes(plainText(k)), `the key ${k} in the tree as ${plainText(k)}: ${keyLabels.join(' | ')}`);
  // put the document back (nothing is saved: the parse failed)
  await page.keyboard.press('Control+Z');
  await clearToasts(page);

  // 2. quick picks: allocations (label = job.group[0], detail = task states), then its tasks
  await runCommand(page, 'Nomad: Open Shell in Task…');
  const allocs = await quickPickRows(page, 'allocation picker', 'surface-');
  log('allocation picker:', JSON.stringify(allocs));
  count('allocation picker', allocs);
  assert(
    allocs.icons === 0 && allocs.links === 0,
    `no icon (${allocs.icons}) or link (${allocs.links}) rendered from cluster strings in the allocation picker`,
  );
  assert(
    allocs.texts.some(t => t.includes(plainText(`${JOB}.${GROUP}[0]`))),
    `the allocation reads as registered, links and icons broken up: ${allocs.texts.join(' | ')}`,
  );
  await shot('pick-allocation');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'surface-' }).first().click();
  const tasks = await quickPickRows(page, 'task picker', 't1-');
  log('task picker:', JSON.stringify(tasks));
  count('task picker', tasks);
  assert(tasks.icons === 0, `no icon rendered from a task name (${tasks.icons})`);
  for (const t of TASKS)
    assert(
      tasks.texts.some(x => x.includes(plainText(t))),
      `task ${t} as text: ${tasks.texts.join(' | ')}`,
    );
  await shot('pick-task');
  await page.keyboard.press('Escape');

  // jobs, then versions (Show Job History…)
  await runCommand(page, 'Nomad: Show Job History…');
  const jobs = await quickPickRows(page, 'history job picker', 'surface-$');
  log('job picker:', JSON.stringify(jobs));
  count('history job picker', jobs);
  assert(jobs.icons === 0, `no icon rendered from a job ID (${jobs.icons})`);
  assert(
    jobs.texts.some(t => t.includes(plainText(JOB))),
    `the job ID as text: ${jobs.texts.join(' | ')}`,
  );
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: plainText(JOB) })
    .first()
    .click();
  const versions = await quickPickRows(page, 'history version picker', 'v0');
  count('history version picker', versions);
  await shot('pick-history');
  await page.keyboard.press('Escape');
  // nodes (Drain Node…): cancelled at the picker, nothing drained
  await runCommand(page, 'Nomad: Drain Node…');
  // the node list comes from the cluster: the picker is the one titled so (not the palette still closing)
  await page
    .locator('.quick-input-widget .quick-input-title', { hasText: 'which node' })
    .first()
    .waitFor({ timeout: 30000 });
  const nodes = await quickPickRows(page, 'node picker');
  assert(
    !nodes.texts.some(t => t.startsWith('Nomad: ')),
    `the node picker's rows, not the palette's: ${nodes.texts.join(' | ')}`,
  );
  log('node picker:', JSON.stringify(nodes));
  count('node picker', nodes);
  await page.keyboard.press('Escape');
  await assertNothingRan(page, dialogs, 'after the quick picks');

  // 3. Show Job Definition of the job whose submitted HCL is hostile; hover its variable and its local
  await page.keyboard.press('Escape');
  const jobRow = page
    .locator('.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row', {
      has: page.locator('.label-name', { hasText: HOVER_JOB }),
    })
    .first();
  await jobRow.waitFor({ timeout: 60000 });
  await contextMenu(page, jobRow, 'Show Job Definition');
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  await until(
    'the submitted HCL in an editor',
    async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').includes('variable "image"'),
    60000,
  );
  // the language server checks it (the status bar names the file kind once it answered)
  await page
    .locator('.statusbar-item', { hasText: 'Nomad: Job' })
    .first()
    .waitFor({ timeout: 60000 })
    .catch(() => log('no file-kind item seen'));
  for (const [find, what] of [
    ['var.image', 'variable'],
    ['image" {', 'variable label'],
    ['local.evil', 'heredoc local'],
  ]) {
    const hoverText = await hoverAt(page, editor, find, what);
    const hover = page.locator('.monaco-editor .monaco-hover:visible').first();
    const r = await rendered(hover);
    count(`hover of ${what}`, r);
    log(`hover of ${what}:`, JSON.stringify(hoverText.slice(0, 300)), JSON.stringify(r));
    assert(
      r.links === 0 && r.images === 0,
      `the hover of the ${what} renders no link (${r.links}) and no image (${r.images})`,
    );
    if (what === 'variable')
      assert(
        /command:workbench\.action\.terminal\.sendSequence/.test(hoverText) && hoverText.includes('description.png'),
        `the description is shown as text: ${hoverText}`,
      );
    if (what === 'heredoc local')
      assert(
        hoverText.includes('local.png') && hoverText.includes('````````'),
        `the heredoc is shown inside its fence: ${hoverText}`,
      );
    await shot(`hover-${what.replace(/\s+/g, '-')}`);
    await page.keyboard.press('Escape');
  }
  // hovers render asynchronously: give an image the time it would need to be fetched, then count
  await page.waitForTimeout(1500);
  await assertNothingRan(page, dialogs, 'after the hovers');

  log('rendered links/images/icons by surface:', counted.surfaces.join('; '));
  assert(
    counted.links === 0 && counted.images === 0 && counted.icons === 0,
    `0 links, 0 images, 0 icons from payloads (${counted.links}, ${counted.images}, ${counted.icons})`,
  );
  log(
    `surfaces checked: ${counted.surfaces.length}; beacon hits from payloads: ${beacon.payloadHits().length}; control hits: ${beacon.hits.length - beacon.payloadHits().length}`,
  );
}

/** Put the cursor inside the first `text` of the editor and show the hover there (Ctrl+K Ctrl+I). */
async function hoverAt(page, editor, text, what) {
  progress.what = `the hover of the ${what}`;
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  // the find widget of this editor (another editor keeps a hidden, disabled one)
  const findInput = editor
    .locator(
      '.editor-widget.find-widget textarea[aria-label="Find"], .editor-widget.find-widget .input[aria-label="Find"]',
    )
    .first();
  await findInput.waitFor();
  await findInput.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // the match is selected: step to its second character so the cursor is inside the word
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  const hover = page.locator('.monaco-editor .monaco-hover:visible').first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const ok = await until(
      `the ${what} hover`,
      async () => {
        if (!(await hover.isVisible().catch(() => false))) return false;
        return (await hover.innerText()).trim().length > 0;
      },
      10000,
    ).then(
      () => true,
      () => false,
    );
    if (ok) break;
    assert(attempt < 4, `the hover of the ${what} never showed`);
    await page.waitForTimeout(1000);
  }
  await page.waitForTimeout(500);
  return (await hover.innerText()).replace(/\u00a0/g, ' ');
}
