#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): runTests
// spawns it with desktop-style arguments; we translate them into a code-server + chromium run.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
let dev, tests, folder;
for (const a of process.argv.slice(2)) {
  const m = /^--([^=]+)=(.*)$/.exec(a);
  if (m && m[1] === 'extensionDevelopmentPath') dev = dev || m[2];
  else if (m && m[1] === 'extensionTestsPath') tests = m[2];
  else if (!a.startsWith('-')) folder = a;
}
const r = spawnSync(process.execPath, [path.join(__dirname, 'run-tests.js'), dev, tests, folder], { stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
