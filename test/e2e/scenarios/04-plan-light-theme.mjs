// The plan webview in a light theme: the tutorial's version change (APP_VERSION 1.0.0 => 1.0.1) planned
// against a cluster where 1.0.0 already runs. (The tour shows the dark theme.)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openFile, runCommand, webview, assert, nomadCall } from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster, exampleWorkspace } = require('../../harness/cluster.js');
const JOB = 'microservice-01',
  FILE = 'microservice-job-01.raw_exec.nomad';
let cluster, workspace;

export const settings = {
  'workbench.colorTheme': 'Default Light Modern',
  'editor.fontSize': 13,
  'nomad.clusterName': 'local',
};
export const colorScheme = 'light';

const nomad = (method, p, body) => nomadCall(cluster.addr, method, p, body);

export async function setup(ctx) {
  cluster = await startCluster();
  workspace = exampleWorkspace();
  ctx.workspace = workspace.ws;
  ctx.env = { NOMAD_ADDR: cluster.addr };
  await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  // 1.0.0 runs already (registered as the CLI would), then the file says 1.0.1
  const file = path.join(workspace.ws, FILE);
  const vars = fs.readFileSync(path.join(workspace.ws, 'app.vars.hcl'), 'utf8');
  const job = await nomad('POST', '/v1/jobs/parse', {
    JobHCL: fs.readFileSync(file, 'utf8'),
    Variables: vars,
    Canonicalize: true,
  });
  await nomad('POST', '/v1/jobs', { Job: job });
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('APP_VERSION = "1.0.0"', 'APP_VERSION = "1.0.1"'));
  return async () => {
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await cluster.stop();
    workspace.cleanup();
  };
}

export async function run({ page, shot }) {
  await openFile(page, FILE);
  await runCommand(page, 'Nomad: Plan Job');
  const wv = webview(page);
  await wv.locator('h1', { hasText: `Plan: ${JOB}` }).waitFor({ timeout: 90000 });
  const row = wv.locator('.row', { hasText: 'Env[APP_VERSION]' }).first();
  await row.waitFor({ timeout: 60000 });
  assert(/"1\.0\.0"\s*=>\s*"1\.0\.1"/.test(await row.innerText()), 'old => new');
  const bg = await page.locator('.part.editor').evaluate(el => getComputedStyle(el).backgroundColor);
  const m = /(\d+), (\d+), (\d+)/.exec(bg);
  assert(m && (0.299 * +m[1] + 0.587 * +m[2] + 0.114 * +m[3]) / 255 > 0.5, `a light workbench (${bg})`);
  await page.waitForTimeout(1000);
  await shot('plan-version-change-light');
}
