// A hostile cluster: jobs whose names, groups, tasks and meta hold Markdown links with command: URIs,
// remote images, HTML, bidirectional overrides, zero-width characters, codicon syntax and `//`. The
// extension must show them as text: every tree row is hovered, actions that raise notifications and modals
// are run, and every link and button in every notification is clicked. Then: no command ran (no terminal
// opened, the sentinel file was not written), no request left loopback, no dialog (alert) opened, and every
// name on screen is the registered one with its invisible characters shown (`\u202e`) and every `](` / `$(`
// broken up (a full-width `（`), in the tree as in toasts and quick picks. Against the double,
// or a real agent with NOMAD_ADDR / NOMAD_BIN (raw_exec must be enabled there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  runCommand,
  openNomadViews,
  contextMenu,
  until,
  assert,
  clearToasts,
  outputText,
  nomadCall,
  answerModal,
} from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster } = require('../../harness/cluster.js');
let cluster,
  dir,
  stopped = false;

const SENTINEL = path.join(os.tmpdir(), `nomad-hostile-pwned-${process.pid}`);
const SEND = encodeURIComponent(JSON.stringify({ text: `touch ${SENTINEL}\n` }));
const RUN = `command:workbench.action.terminal.sendSequence?${SEND}`;
const S = 1_000_000_000;

// what each job is called, by the part it attacks
const JOBS = {
  link: {
    id: 'innocent-web',
    group: `web [see details](${RUN})`,
    task: 'server',
    meta: { note: `[click here](${RUN})`, img: '![x](http://hostile.example/pixel.png)' },
  },
  html: {
    id: 'hostile-"><script>alert(1)</script>',
    group: 'g![x](http://hostile.example/group.png)',
    task: 't<img src=x onerror=alert(2)>',
  },
  bidi: { id: 'rtl-\u202egnp.exe', group: 'zero\u200bwidth\u200djoin', task: 'bidi\u2066x\u2069' },
  icon: { id: 'icon-$(alert)-$(sync~spin)', group: 'g', task: 't' },
  slash: { id: 'slash//job', group: 'g', task: 't' },
};

/** @param {{ id: string, group: string, task: string, meta?: Record<string, string> }} job */
function jobSpec({ id, group, task, meta }) {
  return {
    Job: {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['dc1'],
      Meta: meta ?? null,
      TaskGroups: [
        {
          Name: group,
          Count: 1,
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: S },
          ReschedulePolicy: { Attempts: 0, Unlimited: false },
          Tasks: [
            {
              Name: task,
              Driver: 'raw_exec',
              Config: {
                command: '/bin/sh',
                args: [
                  '-c',
                  'echo "hostile \u202e output [x](command:workbench.action.terminal.new)"; exec sleep 3600',
                ],
              },
              Resources: { CPU: 20, MemoryMB: 16 },
              KillTimeout: 2 * S,
            },
          ],
        },
      ],
    },
  };
}

export const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.hover.delay': 100 };

export async function setup(ctx) {
  cluster = await startCluster();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-hostile-'));
  fs.writeFileSync(path.join(dir, 'README.md'), 'A folder for the hostile-cluster scenario.\n');
  ctx.workspace = dir;
  ctx.env = { NOMAD_ADDR: cluster.addr };
  ctx.log(`cluster: ${cluster.label} at ${cluster.addr}`);
  for (const j of Object.values(JOBS)) await nomad('POST', '/v1/jobs', jobSpec(j));
  return async () => {
    for (const j of Object.values(JOBS))
      if (!j.id.includes('//'))
        await nomad('DELETE', `/v1/job/${encodeURIComponent(j.id)}?purge=true`).catch(() => undefined);
    if (!stopped) await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(SENTINEL, { force: true });
  };
}

const nomad = (method, p, body) => nomadCall(cluster.addr, method, p, body, { token: process.env.NOMAD_TOKEN });

/** The extension's own display helpers (the same code the extension runs). */
function display(root) {
  return require(path.join(root, 'out', 'src', 'nomad', 'display.js'));
}

const jobsRows = page => page.locator('.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row');

/** The rendered rows of the Jobs view in list order as [label, description, data-index]. */
async function rowTexts(page) {
  const rows = await jobsRows(page).evaluateAll(rs =>
    rs.map(r => [
      r.querySelector('.label-name')?.textContent ?? '',
      r.querySelector('.label-description')?.textContent ?? '',
      Number(r.getAttribute('data-index')),
    ]),
  );
  return rows.sort((a, b) => a[2] - b[2]);
}

/** The row at a list index (data-index), whatever the order of the DOM. */
const rowAt = (page, index) =>
  page.locator(`.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row[data-index="${index}"]`);

/** A row whose label is exactly `label`. */
function exactRow(page, label) {
  return jobsRows(page)
    .filter({
      has: page
        .locator('.label-name')
        .filter({ hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }),
    })
    .first();
}

async function expandRow(row) {
  await row.waitFor({ timeout: 60000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

/** Nothing an attacker's link could have done happened. */
async function assertNothingRan(page, offLoopback, dialogs, when) {
  const terminals = await page.locator('.part.panel .terminal-wrapper, .part.panel .xterm').count();
  assert(terminals === 0, `${when}: no terminal was opened (${terminals})`);
  assert(!fs.existsSync(SENTINEL), `${when}: the sentinel file was not written`);
  assert(offLoopback.length === 0, `${when}: no request left loopback: ${offLoopback.join(', ')}`);
  assert(dialogs.length === 0, `${when}: no alert/confirm ran: ${dialogs.join(', ')}`);
}

/** Click every link and action button in every notification toast (not the close/collapse controls). */
async function clickEverythingInToasts(page, log) {
  const clicked = [];
  for (let round = 0; round < 5; round++) {
    const targets = page.locator(
      '.notifications-toasts .notification-toast a, .notifications-toasts .notification-toast .notification-list-item-buttons-container .monaco-button',
    );
    const n = await targets.count();
    let any = false;
    for (let i = 0; i < n; i++) {
      const t = targets.nth(i);
      if (!(await t.isVisible().catch(() => false))) continue;
      const label = (
        (await t.innerText().catch(() => '')) ||
        (await t.getAttribute('href').catch(() => '')) ||
        '?'
      ).trim();
      if (clicked.includes(label)) continue;
      clicked.push(label);
      any = true;
      await t.click({ timeout: 5000 }).catch(e => log(`click ${label}: ${e.message}`));
      await page.waitForTimeout(600);
      // a modal a button opened (e.g. Set Token): dismiss it
      if (
        await page
          .locator('.monaco-dialog-box')
          .isVisible()
          .catch(() => false)
      )
        await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      break;
    }
    if (!any) break;
  }
  log('clicked in notifications:', JSON.stringify(clicked));
  return clicked;
}

/** The text of every toast, and the hrefs of any links in them. */
async function toastContent(page) {
  return page.locator('.notifications-toasts .notification-toast').evaluateAll(ts =>
    ts.map(t => ({
      text: (t.querySelector('.notification-list-item-message')?.textContent ?? '').replace(/\u00a0/g, ' '),
      links: [...t.querySelectorAll('.notification-list-item-message a')].map(
        a => a.getAttribute('href') || a.getAttribute('data-href') || a.textContent,
      ),
    })),
  );
}

export async function run({ page, shot, log, root }) {
  const { plainText } = display(root);
  const offLoopback = [];
  const dialogs = [];
  page.context().on('request', r => {
    const u = r.url();
    if (
      !/^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/)/.test(u) &&
      !/^(data|blob|about|chrome|vscode-[a-z-]+|devtools):/.test(u)
    )
      offLoopback.push(u);
  });
  page.on('dialog', d => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  // 1. the tree: every job, group and task shows its registered name with invisible characters shown
  await openNomadViews(page);
  // the Jobs view gets the whole side bar (its list only renders the rows in view)
  for (const pane of ['Services', 'Variables']) {
    const header = page.locator(`.part.sidebar .pane-header[aria-label^="${pane}"]`).first();
    if ((await header.isVisible().catch(() => false)) && (await header.getAttribute('aria-expanded')) === 'true')
      await header.click();
  }
  for (const j of Object.values(JOBS)) await exactRow(page, plainText(j.id)).waitFor({ timeout: 90000 });
  for (const key of ['link', 'html', 'bidi']) {
    const j = JOBS[key];
    await expandRow(exactRow(page, plainText(j.id)));
    await expandRow(exactRow(page, plainText(j.group)));
    // the allocation row right under this group (label "<8 hex> [0]")
    const allocAt = await until(`the allocation of ${key}`, async () => {
      const texts = await rowTexts(page);
      const g = texts.findIndex(([l]) => l === plainText(j.group));
      const a = texts.findIndex(([l], i) => i > g && /^[0-9a-f]{8} \[0\]$/.test(l.trim()));
      return g >= 0 && a === g + 1 ? texts[a][2] : undefined;
    });
    await expandRow(rowAt(page, allocAt));
    await exactRow(page, plainText(j.task)).waitFor({ timeout: 60000 });
  }
  const rows = await rowTexts(page);
  log('tree rows:', JSON.stringify(rows));
  for (const j of Object.values(JOBS))
    assert(
      rows.some(([l]) => l === plainText(j.id)),
      `the job ${JSON.stringify(j.id)} is shown as ${JSON.stringify(plainText(j.id))}`,
    );
  for (const key of ['link', 'html', 'bidi']) {
    assert(
      rows.some(([l]) => l === plainText(JOBS[key].group)),
      `group ${JSON.stringify(JOBS[key].group)} as registered`,
    );
    assert(
      rows.some(([l]) => l === plainText(JOBS[key].task)),
      `task ${JSON.stringify(JOBS[key].task)} as registered`,
    );
  }
  assert(
    rows.some(([l]) => l.includes('\\u202e')) &&
      !rows.some(([l, d]) => /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.test(l + d)),
    'bidi and zero-width characters are shown escaped, never raw',
  );
  assert((await page.locator('.pane:has(.pane-header[aria-label^="Jobs"]) img').count()) === 0, 'no image in the tree');
  await shot('tree');

  // 2. hover every row: the hover is text (no link, no image, no HTML), and fetches nothing
  const indexes = (await rowTexts(page)).map(r => r[2]);
  const n = indexes.length;
  let hovers = 0;
  for (const i of indexes) {
    const row = rowAt(page, i);
    await row.hover();
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible, .custom-hover:visible').first();
    if (
      await hover.waitFor({ timeout: 2500 }).then(
        () => true,
        () => false,
      )
    ) {
      hovers++;
      const links = await hover.locator('a[href], a[data-href]').count();
      const imgs = await hover.locator('img').count();
      assert(links === 0 && imgs === 0, `hover of row ${i}: no link (${links}) and no image (${imgs})`);
      if (i === 1 || (await hover.innerText()).includes('\\u202e')) await shot(`hover-row-${i}`);
    }
    await page.mouse.move(5, 5);
    await page.waitForTimeout(150);
  }
  log(`hovered ${n} rows, ${hovers} showed a hover`);
  assert(hovers >= 3, `the rows have hovers (${hovers})`);
  await assertNothingRan(page, offLoopback, dialogs, 'after hovering');

  // 3. Restart Allocation on the job whose group is a command link: the toast shows the name as text
  await clearToasts(page);
  // the allocation row right under the group whose name is a command link
  const texts = await rowTexts(page);
  const groupAt = texts.findIndex(([l]) => l === plainText(JOBS.link.group));
  const allocAt = texts.findIndex(([l], i) => i > groupAt && /^[0-9a-f]{8} \[0\]$/.test(l.trim()));
  assert(groupAt >= 0 && allocAt === groupAt + 1, `the link group's allocation row (${groupAt}, ${allocAt})`);
  const linkAlloc = rowAt(page, texts[allocAt][2]);
  await contextMenu(page, linkAlloc, 'Restart Allocation…');
  const restartModal = await answerModal(page, 'Restart');
  log('restart modal:', restartModal);
  const restarted = page
    .locator('.notifications-toasts .notification-toast', { hasText: 'Restarted allocation' })
    .first();
  await restarted.waitFor({ timeout: 60000 });
  const afterRestart = await toastContent(page);
  log('toasts:', JSON.stringify(afterRestart));
  const restartToast = afterRestart.find(t => t.text.includes('Restarted allocation'));
  assert(restartToast.links.length === 0, `no link in the toast (${JSON.stringify(restartToast.links)})`);
  // the allocation's name is "<job>.<group>[0]": shown as registered, only the `(` of `](` changed
  assert(
    restartToast.text.includes(plainText(`${JOBS.link.id}.${JOBS.link.group}[0]`)),
    `the toast names the allocation as registered (link broken up): ${restartToast.text}`,
  );
  assert(restartToast.text.includes('[see details]\uff08command:'), restartToast.text);
  await shot('restart-toast');
  await clickEverythingInToasts(page, log);
  await assertNothingRan(page, offLoopback, dialogs, 'after the restart toast');

  // 4. Stop Job on the job whose ID is markup: the modal and the toast carry it as text
  await clearToasts(page);
  await contextMenu(page, exactRow(page, plainText(JOBS.html.id)), 'Stop Job…');
  const stopModal = await answerModal(page, /^Stop$/);
  log('stop modal:', stopModal);
  assert(stopModal.includes(JOBS.html.id), `the modal names the job as registered: ${stopModal}`);
  await page
    .locator('.notifications-toasts .notification-toast', { hasText: 'Stopped' })
    .first()
    .waitFor({ timeout: 60000 });
  const stopToast = (await toastContent(page)).find(t => t.text.startsWith('Stopped'));
  assert(
    stopToast.text.includes(JOBS.html.id) && stopToast.links.length === 0,
    `the toast shows the ID as text: ${JSON.stringify(stopToast)}`,
  );
  await shot('stop-toast');
  await clickEverythingInToasts(page, log);

  // 5. an ID with `//`: a clear error, not "server error (301)"
  await clearToasts(page);
  await contextMenu(page, exactRow(page, plainText(JOBS.slash.id)), 'Show Job Definition');
  const slashToast = page.locator('.notifications-toasts .notification-toast', { hasText: 'cannot address' }).first();
  await slashToast.waitFor({ timeout: 60000 });
  const slashText = (await toastContent(page)).find(t => t.text.includes('cannot address'));
  log('the // toast:', slashText.text);
  assert(/cannot address the job "slash\/\/job": it contains "\/\/"/.test(slashText.text), slashText.text);
  assert(!/301|server error/.test(slashText.text), 'says what went wrong, not a bare status');
  await shot('slash-id-error');
  await clickEverythingInToasts(page, log);

  // 6. a quick pick of job IDs: `$(alert)` in an ID is text, not an icon
  await page.keyboard.press('Escape');
  await runCommand(page, 'Nomad: Follow Logs');
  const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'icon-' }).first();
  await pick.waitFor({ timeout: 30000 });
  const pickText = (await pick.innerText()).replace(/\u00a0/g, ' ');
  assert(pickText.includes('icon-$\uff08alert)-$\uff08sync~spin)'), `the ID reads as text: ${pickText}`);
  assert(
    (await page
      .locator(
        '.quick-input-widget .quick-input-list .codicon-alert, .quick-input-widget .quick-input-list .codicon-sync',
      )
      .count()) === 0,
    'no icon rendered from a job ID',
  );
  await shot('quick-pick');
  // follow the logs of the job with the bidi ID: its output (with U+202E and a command link) is shown as text
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: plainText(JOBS.bidi.id) })
    .first()
    .click();
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'All running allocations' })
    .first()
    .click();
  const shown = await until('the task output in the log channel', async () => {
    const t = await outputText(page);
    return t.includes('hostile \\u202e output') ? t : undefined;
  });
  assert(!/[\u202a-\u202e\u2066-\u2069]/.test(shown), 'no raw bidi character in the output channel');
  assert(
    (await page.locator('.part.panel .output-view a[href^="command:"]').count()) === 0,
    'no command link in the output channel',
  );
  await shot('log-channel');

  await assertNothingRan(page, offLoopback, dialogs, 'at the end');

  // 7. the agent goes away: the status bar says so (not for an agent that is not ours to stop)
  if (process.env.NOMAD_ADDR) {
    log('NOMAD_ADDR: the agent is not stopped, the disconnected status is not shown');
    return;
  }
  await cluster.stop();
  stopped = true;
  const bar = page.locator('.statusbar-item', { hasText: 'disconnected, retrying' }).first();
  await bar.waitFor({ timeout: 90000 });
  log('status bar:', (await bar.innerText()).replace(/\s+/g, ' '));
  await shot('status-disconnected');
}
