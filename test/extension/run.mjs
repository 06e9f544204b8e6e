// Runs the extension-host suite in a real VS Code through @vscode/test-electron's standard runTests(),
// whose "VS Code executable" is our shim that drives code-server + Debian chromium (test/harness/).
// The same suite runs unchanged in desktop VS Code wherever test-electron can download it
// (set VSCODE_DESKTOP=1 to let runTests download and use desktop VS Code instead of the shim).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const opts = {
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'test', 'extension', 'suite', 'index.js'),
  launchArgs: [path.join(root, 'test', 'extension', 'workspace'), '--disable-extensions'],
};
if (!process.env.VSCODE_DESKTOP) opts.vscodeExecutablePath = path.join(root, 'test', 'harness', 'code-shim.js');
try {
  const code = await runTests(opts);
  process.exit(code ?? 0);
} catch (e) {
  console.error('[extension] runTests failed:', e instanceof Error ? e.message : e);
  process.exit(1);
}
