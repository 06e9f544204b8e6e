#!/usr/bin/env node
// Runs an extension's integration tests inside code-server's Node extension host: the web workbench gets
// extensionDevelopmentPath + extensionTestsPath through the URL `payload` query (honoured only with the
// smoke-test driver on) and reports the runner's exit code through window.codeAutomationExit().
// usage: node run-tests.js <extDevPath> <testsIndexJs> <workspace>
// env: TEST_RESULTS_FILE (json written by the suite), TEST_TIMEOUT_MS, and anything the suite reads.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const { RUNS, startCodeServer, launchChromium, keepLog, stripAnsi } = require('./lib');
const hostLog = [];

async function main() {
  const [extDev, testsPath, workspace] = process.argv.slice(2).map(p => path.resolve(p));
  const timeoutMs = +(process.env.TEST_TIMEOUT_MS || 300000);
  const resultsFile =
    process.env.TEST_RESULTS_FILE || path.join(fs.mkdtempSync(path.join(RUNS, 'results-')), 'results.json');
  // EXT_RESTRICTED=1: workspace trust on and the folder not trusted (Restricted Mode), without a prompt
  const restricted = process.env.EXT_RESTRICTED === '1';
  const cs = await startCodeServer({
    workspace,
    tag: 'ext-test',
    env: { TEST_RESULTS_FILE: resultsFile },
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    ...(restricted
      ? {
          workspaceTrust: true,
          settings: {
            'security.workspace.trust.enabled': true,
            'security.workspace.trust.startupPrompt': 'never',
            'security.workspace.trust.banner': 'never',
            'security.workspace.trust.emptyWindow': false,
          },
        }
      : {}),
  });
  console.log(`[harness] code-server up on ${cs.url} in ${cs.serverReadyMs} ms`);
  const browser = await launchChromium();
  let exitCode = 2;
  try {
    const page = browser.context.pages()[0] || (await browser.context.newPage());
    let onExit;
    const exited = new Promise(r => (onExit = r));
    // The extension host's console goes to a log file; the console shows only the suite's own result lines
    // (mocha's pass/fail list) and, when the run fails, the host log's tail: a passing layer prints no
    // stack traces of VS Code's own (e.g. an aborted save participant).
    const resultLine = /^(passed|failed|pending) /;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const s = stripAnsi(util.format(...args));
      hostLog.push(`[exthost:${type}] ${s}`);
      if (resultLine.test(s)) console.log(`  ${s}`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      onExit({ code, logs });
    });
    page.on('pageerror', e => console.log('[page error]', e.message));
    const remote = p => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extDev)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ]);
    const tNav = Date.now();
    await page.goto(`${cs.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const r = await Promise.race([
      exited,
      new Promise(res => setTimeout(() => res({ code: 'TIMEOUT', logs: [] }), timeoutMs)),
    ]);
    console.log(`[harness] codeAutomationExit(${r.code}) after ${Date.now() - tNav} ms`);
    if (r.code === 'TIMEOUT')
      await page.screenshot({ path: path.join(path.dirname(resultsFile), 'timeout.png') }).catch(() => {});
    exitCode = r.code === 'TIMEOUT' ? 124 : r.code;
  } finally {
    await browser.close();
    await cs.stop();
  }
  const hostLogFile = path.join(RUNS, 'extension-host.log');
  fs.writeFileSync(hostLogFile, hostLog.join('\n') + '\n');
  if (exitCode !== 0) {
    console.log(
      `[harness] the extension host's log (last 60 lines; whole: ${keepLog(hostLogFile, 'extension-host.log')}):`,
    );
    console.log(hostLog.slice(-60).join('\n'));
    if (!fs.existsSync(resultsFile))
      console.log(
        `[harness] no results file; code-server log kept: ${keepLog(cs.logFile, 'extension-code-server.log')}`,
      );
  }
  process.exit(exitCode);
}
main().catch(e => {
  console.error(e);
  process.exit(3);
});
