// The plan webview under attack: a job whose name is markup renders as text, no script runs, and the
// webview's Content-Security-Policy allows neither inline script/style nor eval.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openFile, runCommand, webview, assert } from '../ui.mjs';

const require = createRequire(import.meta.url);
const { startCluster } = require('../../harness/cluster.js');
const PAYLOAD = '<img src=x onerror=alert(1)>';
let cluster, dir;

export const settings = { 'workbench.colorTheme': 'Default Dark Modern' };

export async function setup(ctx) {
  cluster = await startCluster();
  dir = require('../../harness/lib.js').tempDir('xss-'); // removed at exit, whatever happens
  fs.writeFileSync(
    path.join(dir, 'xss.nomad.hcl'),
    `job "xss-test" {
  name        = "${PAYLOAD}"
  datacenters = ["dc1"]
  meta {
    note = "<script>alert(2)</script>"
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
    }
  }
}
`,
  );
  ctx.workspace = dir;
  ctx.env = { NOMAD_ADDR: cluster.addr };
  return async () => {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

export async function run({ page, shot, log }) {
  let dialogs = 0;
  page.on('dialog', d => {
    dialogs++;
    void d.dismiss();
  });
  await openFile(page, 'xss.nomad.hcl');
  await runCommand(page, 'Nomad: Plan Job');
  const wv = webview(page);
  await wv.locator('h1', { hasText: 'Plan: xss-test' }).waitFor({ timeout: 90000 });
  const nameRow = wv.locator('.row', { hasText: 'Name' }).filter({ hasText: 'onerror' }).first();
  await nameRow.waitFor({ timeout: 30000 });
  const shown = await nameRow.innerText();
  log('name row:', shown);
  assert(shown.includes(PAYLOAD), 'the markup is shown as text');
  const imgs = await wv.locator('img').count();
  const scripts = await wv.locator('script').evaluateAll(ss =>
    ss.map(x => ({
      src: x.getAttribute('src') || '',
      nonce: x.nonce || x.getAttribute('nonce') || '',
      inline: (x.textContent || '').slice(0, 80),
    })),
  );
  log('scripts in the webview document:', JSON.stringify(scripts));
  const ours = scripts.filter(x => /plan\.js/.test(x.src));
  assert(imgs === 0, `no <img> element was created (${imgs})`);
  assert(ours.length === 1 && ours[0].nonce, 'our bundle is loaded by nonce');
  assert(!scripts.some(x => /onerror|alert/.test(x.inline)), 'no script carries the payload');
  const csp = await wv.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  log('CSP:', csp);
  assert(csp && /default-src 'none'/.test(csp) && /script-src 'nonce-/.test(csp), 'a strict CSP with a nonce');
  assert(!/unsafe-inline|unsafe-eval/.test(csp), 'no unsafe-inline or unsafe-eval');
  await page.waitForTimeout(1000);
  assert(dialogs === 0, 'no alert ran');
  await shot('xss-as-text');
}
