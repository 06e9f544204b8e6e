// The tutorial's walkthrough, end to end: write → fix → plan → run → see it → call it → read its logs →
// change the version → plan → run → break it → roll back. Against a real agent (NOMAD_ADDR/NOMAD_BIN) or
// the double. Each step saves a screenshot. The update block that the quick fix inserts carries Nomad's
// default timings (a 10-minute progress deadline); the tour shortens them as a user trying things would,
// so the failure and the rollback happen within about a minute and a half.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openFile, openExplorer, contextMenu, runCommand, toast, clearToasts, webview, openNomadViews, treeRow, expand, outputText, until, replaceAll, assert } from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster, exampleWorkspace } = require('../../harness/cluster.js');
const JOB = 'microservice-01';
// the raw_exec variant of the tutorial's job (no Docker engine needed)
const FILE = 'microservice-job-01.raw_exec.nomad';
let cluster, workspace;

export const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 13, 'nomad.clusterName': 'local' };

export async function setup(ctx) {
  cluster = await startCluster();
  workspace = exampleWorkspace();
  ctx.workspace = workspace.ws;
  ctx.env = { NOMAD_ADDR: cluster.addr, ...(cluster.consulAddr ? { CONSUL_HTTP_ADDR: cluster.consulAddr } : {}) };
  ctx.log(`cluster: ${cluster.label} at ${cluster.addr}; workspace ${workspace.ws}`);
  await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  return async () => { await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined); await cluster.stop(); workspace.cleanup(); };
}

async function nomad(method, p, body) {
  const r = await fetch(`${cluster.addr}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const t = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${t}`);
  return t ? JSON.parse(t) : undefined;
}

async function problems(page) {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll(rs => rs.map(r => r.getAttribute('aria-label') || r.textContent));
}

async function planFromEditor(page) {
  await runCommand(page, 'Nomad: Plan Job');
}

async function waitPlan(page, text) {
  const wv = webview(page);
  await wv.locator('h1', { hasText: `Plan: ${JOB}` }).waitFor({ timeout: 90000 });
  if (text) await wv.locator('body', { hasText: text }).waitFor({ timeout: 60000 });
  return wv;
}

export async function run({ page, shot, log }) {
  // 1. the job file as the tutorial wrote it: deprecations and deployment-safety findings
  await openFile(page, FILE);
  await page.keyboard.press('Control+Shift+M');
  const found = await until('diagnostics in the Problems panel', async () => { const p = await problems(page); return p.length >= 3 ? p : undefined; });
  log('problems:', JSON.stringify(found));
  assert(found.some(p => /network/i.test(p)) && found.some(p => /check/i.test(p)) && found.some(p => /update/i.test(p)), 'task network, missing check and missing update are flagged');
  await shot('diagnostics');
  // apply the quick fixes one by one, as a user would: next problem, Ctrl+., the preferred fix
  for (let i = 0; i < 10; i++) {
    const left = (await problems(page)).filter(p => !/info/i.test(p));
    if (!left.length) break;
    const menu = page.locator('.action-widget .monaco-list-row.action').first();
    for (let attempt = 1; ; attempt++) {
      await page.locator('.part.editor .monaco-editor').first().click({ position: { x: 200, y: 20 } });
      await page.keyboard.press('F8');          // cursor to the next problem (opens its peek)
      await page.waitForTimeout(400);
      await page.keyboard.press('Escape');      // close the peek; the cursor stays on the problem
      await page.waitForTimeout(300);
      await page.keyboard.press('Control+.');
      if (await menu.waitFor({ timeout: 6000 }).then(() => true, () => false)) break;
      if (attempt >= 4) throw new Error('the quick fix menu did not open');
      await page.keyboard.press('Escape');
    }
    if (i === 0) await shot('quick-fix-menu');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(800);
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S');
  const text = await until('the fixed file on disk', () => { const t = fs.readFileSync(path.join(workspace.ws, FILE), 'utf8'); return /auto_revert\s*=\s*true/.test(t) && /check\s*\{/.test(t) ? t : undefined; }, 20000);
  assert(!/^\s*mbits\s*=/m.test(text), 'mbits removed');
  assert(/group "Microservices" \{[\s\S]*network \{[\s\S]*port "http"/.test(text), 'the network moved to the group');
  assert(/path\s*=\s*"\/health"/.test(text), 'the check calls /health');
  log('fixed job: update/network/check blocks present, mbits gone');
  await shot('fixed-job');
  // short update timings: healthy within seconds, a failure declared within a minute
  await replaceAll(page, '"10s"', '"3s"');
  await replaceAll(page, '"5m"', '"20s"');
  await replaceAll(page, '"10m"', '"40s"');
  const tuned = await until('the short update timings on disk', () => { const t = fs.readFileSync(path.join(workspace.ws, FILE), 'utf8'); return /progress_deadline\s*=\s*"40s"/.test(t) && /healthy_deadline\s*=\s*"20s"/.test(t) && /min_healthy_time\s*=\s*"3s"/.test(t) ? t : undefined; }, 20000);
  log('update block:', /update \{[^}]*\}/.exec(tuned)?.[0].replace(/\s+/g, ' '));

  // 2. Plan from the file explorer's context menu: a new job; Run: the deployment becomes healthy
  await openExplorer(page);
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first();
  await contextMenu(page, row, 'Plan Job');
  let wv = await waitPlan(page, 'new job');
  await shot('plan-new-job');
  await clearToasts(page);
  let t0 = Date.now();
  await wv.locator('vscode-button#run').click();
  await toast(page, /deployed and healthy/, 240000);
  log(`Run → healthy: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await shot('run-healthy');

  // 3. the Jobs view: job → group → allocation → task, running
  await openNomadViews(page);
  await expand(treeRow(page, 'Jobs', JOB));
  await expand(treeRow(page, 'Jobs', 'Microservices'));
  const alloc = page.locator('.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row', { hasText: 'running' }).filter({ hasNotText: 'Microservices' }).filter({ hasNotText: JOB }).first();
  await expand(alloc);
  await treeRow(page, 'Jobs', 'microservice-01').nth(0).waitFor();
  await until('the task row running', async () => (await page.locator('.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row').allInnerTexts()).some(t => /microservice-01[\s\S]*running/.test(t) && !/service ·/.test(t)));
  await shot('jobs-tree');

  // 4. Services: the instance answers "Hello from microservice-01@1.0.0"
  const services = page.locator('.pane-header', { hasText: 'Services' }).first();
  if ((await services.getAttribute('aria-expanded')) !== 'true') await services.click();
  await expand(treeRow(page, 'Services', 'Nomad services'));
  await expand(treeRow(page, 'Services', JOB));
  const serviceRow = page.locator('.pane:has(.pane-header[aria-label^="Services"]) .monaco-list-row[aria-level="3"]', { has: page.locator('.label-name', { hasText: JOB }) }).first();
  await expand(serviceRow);
  const instance = await until('a service instance', async () => {
    const r = page.locator('.pane:has(.pane-header[aria-label^="Services"]) .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^\s*\d+\.\d+\.\d+\.\d+:\d+\s*$/ }) }).first();
    if (await r.count()) return r;
    await expand(serviceRow);
    return undefined;
  });
  const address = (await instance.locator('.label-name').innerText()).trim();
  const hello = await (await fetch(`http://${address}/`)).text();
  log(`GET http://${address}/ → ${hello}`);
  assert(hello === 'Hello from microservice-01@1.0.0', `the service answers (${hello})`);
  await shot('services');

  // 5. Follow Logs on the task: the "Called to …" line appears in the output panel
  await openNomadViews(page);
  const task = page.locator('.pane:has(.pane-header[aria-label^="Jobs"]) .monaco-list-row[aria-level="4"]').first();
  await contextMenu(page, task, /^Follow Logs$/);
  await until('the log line in the output panel', async () => /Called to microservice-01@1\.0\.0/.test(await outputText(page)), 60000);
  await shot('follow-logs');

  // 6. change the version → Plan shows old => new, forces create/destroy update → Run → healthy
  await openFile(page, FILE);
  await replaceAll(page, '"1.0.0"', '"1.0.1"');
  await until('the saved change', () => fs.readFileSync(path.join(workspace.ws, FILE), 'utf8').includes('APP_VERSION = "1.0.1"'), 10000);
  await planFromEditor(page);
  wv = await waitPlan(page, 'forces create/destroy update');
  await wv.locator('.row', { hasText: 'Env[APP_VERSION]' }).first().waitFor();
  const envRow = await wv.locator('.row', { hasText: 'Env[APP_VERSION]' }).first().innerText();
  assert(/"1\.0\.0"\s*=>\s*"1\.0\.1"/.test(envRow), `old => new (${envRow})`);
  await shot('plan-version-change');
  await clearToasts(page);
  t0 = Date.now();
  await wv.locator('vscode-button#run').click();
  await toast(page, /v1 is deployed and healthy/, 240000);
  log(`Run (1.0.0 → 1.0.1) → healthy: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const v1 = await until('1.0.1 answering', async () => { const j = await nomad('GET', `/v1/job/${JOB}/allocations`); const a = j.find(x => x.ClientStatus === 'running' && x.JobVersion === 1); if (!a) return undefined; const full = await nomad('GET', `/v1/allocation/${a.ID}`); const port = full.AllocatedResources?.Shared?.Ports?.[0]?.Value ?? full.Resources?.Networks?.[0]?.DynamicPorts?.[0]?.Value; const t = await (await fetch(`http://127.0.0.1:${port}/`)).text(); return /1\.0\.1/.test(t) ? t : undefined; }, 60000);
  log(`after the update: ${v1}`);

  // 7. break it (a command that does not exist) → the watcher reports the failure; Nomad rolls back
  // the change is made on disk, as another tool would (the find widget's input has come up disabled here
  // in loaded runs); the editor reloads the unchanged-in-editor file, and Plan reads what it shows
  const jobPath = path.join(workspace.ws, FILE);
  fs.writeFileSync(jobPath, fs.readFileSync(jobPath, 'utf8').replace('"/usr/bin/env"', '"/usr/bin/does-not-exist"'));
  await openFile(page, FILE);
  // the editor reloads the file from disk within a moment: plan until the plan shows the change
  for (let attempt = 1; ; attempt++) {
    await page.waitForTimeout(2000);
    await openFile(page, FILE);                  // the editor has focus (the plan view takes it after a plan)
    await planFromEditor(page);
    wv = webview(page);
    const shown = await wv.locator('body', { hasText: 'does-not-exist' }).waitFor({ timeout: 20000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt >= 4) throw new Error('the plan never showed the changed command');
  }
  wv = await waitPlan(page, 'does-not-exist');
  await clearToasts(page);
  await wv.locator('vscode-button#run').click();
  // The watcher names the failing task's cause while the deployment is still running; Nomad keeps replacing
  // the allocation and declares the deployment failed at its (shortened) progress deadline, then rolls back
  // by itself (auto_revert, inserted by the quick fix).
  const tRun = Date.now();
  const failure = await toast(page, /failed|Failed|does-not-exist|Driver Failure/, 180000);
  log(`first failure report after ${((Date.now() - tRun) / 1000).toFixed(1)} s:`, (await failure.innerText()).replace(/\s+/g, ' '));
  await shot('deployment-failed');
  const outcome = await until('the rollback (a toast with Revert/Watch Rollback, or one that says it rolled back)', async () => {
    const toasts = page.locator('.notifications-toasts .notification-toast');
    for (let i = 0; i < await toasts.count(); i++) {
      const t = toasts.nth(i);
      const button = t.locator('.monaco-button', { hasText: /Revert to version|Watch Rollback/ }).first();
      if (await button.count()) return { button };
      if (/rolled back|rolling back/i.test(await t.innerText())) return { text: await t.innerText() };
    }
    return undefined;
  }, 240000, 1000);
  if (outcome.button) {
    await outcome.button.click();
    await toast(page, /v\d+ is deployed and healthy|healthy/, 300000);
  } else log('Nomad rolled back by itself:', outcome.text.replace(/\s+/g, ' '));
  const back = await until('the job back on 1.0.1', async () => { const j = await nomad('GET', `/v1/job/${JOB}`); return j.Stable && j.TaskGroups[0].Tasks[0].Config.command === '/usr/bin/env' && j.TaskGroups[0].Tasks[0].Env.APP_VERSION === '1.0.1' ? j : undefined; }, 120000);
  log(`healthy again on version ${back.Version} (the spec of version 1)`);
  await shot('rolled-back');
}
