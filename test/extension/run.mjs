// Runs the extension-host suite in a real VS Code through @vscode/test-electron's standard runTests(),
// whose "VS Code executable" is our shim that drives code-server + Debian chromium (test/harness/).
// The same suite runs unchanged in desktop VS Code wherever test-electron can download it
// (set VSCODE_DESKTOP=1 to let runTests download and use desktop VS Code instead of the shim).
//
// Cluster: a real Nomad agent when NOMAD_ADDR (running) or NOMAD_BIN (started here) is set, else the
// project's Nomad double; plus a second double with ACLs on for the wrong-token test. Their addresses
// reach the extension host as NOMAD_ADDR and NOMAD_TEST_ACL_ADDR / NOMAD_TEST_ACL_TOKEN.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startBackend } = require(path.join(root, 'out', 'test', 'contract', 'backend.js'));
const { NomadDouble } = require(path.join(root, 'out', 'test', 'double', 'index.js'));
const { decoderParseJob } = require(path.join(root, 'out', 'test', 'double', 'decoderParse.js'));

const backend = await startBackend({ parseJob: decoderParseJob });
const aclDouble = await NomadDouble.start({ acl: true, parseJob: decoderParseJob });
console.log(`[extension] cluster: ${backend.kind} at ${backend.addr}; ACL double at ${aclDouble.addr}`);
const env = { NOMAD_ADDR: backend.addr, NOMAD_TEST_BACKEND: backend.kind, NOMAD_TEST_ACL_ADDR: aclDouble.addr, NOMAD_TEST_ACL_TOKEN: aclDouble.token };
if (backend.token) env.NOMAD_TOKEN = backend.token;
Object.assign(process.env, env);

const opts = {
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'test', 'extension', 'suite', 'index.js'),
  launchArgs: [path.join(root, 'test', 'extension', 'workspace'), '--disable-extensions'],
  extensionTestsEnv: env,
};
if (!process.env.VSCODE_DESKTOP) opts.vscodeExecutablePath = path.join(root, 'test', 'harness', 'code-shim.js');
let code = 1;
try {
  code = (await runTests(opts)) ?? 0;
} catch (e) {
  console.error('[extension] runTests failed:', e instanceof Error ? e.message : e);
} finally {
  await backend.stop();
  await aclDouble.stop();
}
process.exit(code);
