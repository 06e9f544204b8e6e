// Runs the extension-host suite in a real VS Code through @vscode/test-electron's standard runTests(),
// whose "VS Code executable" is our shim that drives code-server + Debian chromium (test/harness/).
// The same suite runs unchanged in desktop VS Code wherever test-electron can download it
// (set VSCODE_DESKTOP=1 to let runTests download and use desktop VS Code instead of the shim).
//
// Cluster: a real Nomad agent when NOMAD_ADDR (running) or NOMAD_BIN (started here) is set, else the
// project's Nomad double; plus a second double with ACLs on for the wrong-token test. Their addresses
// reach the extension host as NOMAD_ADDR and NOMAD_TEST_ACL_ADDR / NOMAD_TEST_ACL_TOKEN.
//
// With NOMAD_BIN, a second run follows: the "over mTLS" suite (suite/mtls.test.ts) in a fresh window against
// the tutorial's cluster — a server and two clients from that binary, mutual TLS and ACLs
// (test/contract/tutorialCluster.ts); its counts are added to the first run's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startBackend } = require(path.join(root, 'out', 'test', 'contract', 'backend.js'));
const { NomadDouble } = require(path.join(root, 'out', 'test', 'double', 'index.js'));
const { decoderParseJob } = require(path.join(root, 'out', 'test', 'double', 'decoderParse.js'));

const MTLS = 'over mTLS';

/**
 * One result for run-all from two runs: the tests of `second` added to those of `main` (less the ones
 * `drop` leaves out, e.g. a suite that is pending in the first run and runs in the second), counted
 * again from the tests. A run that wrote nothing counts as one failure.
 */
/** @param {any} main @param {any} second @param {(test: any) => boolean} [drop] */
function addResults(main, second, drop = () => false) {
  const read = f => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const a = read(main),
    b = read(second);
  const tests = [...(a?.tests ?? []).filter(t => !drop(t)), ...(b?.tests ?? [])];
  const count = state => tests.filter(t => t.state === state).length;
  const missing = (a ? 0 : 1) + (b ? 0 : 1);
  fs.writeFileSync(
    main,
    JSON.stringify(
      { passes: count('passed'), failures: count('failed') + missing, pending: count('pending'), tests },
      null,
      2,
    ),
  );
}
const backend = await startBackend({ parseJob: decoderParseJob });
const aclDouble = await NomadDouble.start({ acl: true, parseJob: decoderParseJob });
console.log(`[extension] cluster: ${backend.kind} at ${backend.addr}; ACL double at ${aclDouble.addr}`);
const env = {
  NOMAD_ADDR: backend.addr,
  NOMAD_TEST_BACKEND: backend.kind,
  NOMAD_TEST_ACL_ADDR: aclDouble.addr,
  NOMAD_TEST_ACL_TOKEN: aclDouble.token,
};
if (backend.token) env.NOMAD_TOKEN = backend.token;
Object.assign(process.env, env);

const opts = {
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'test', 'extension', 'suite', 'index.js'),
  launchArgs: [path.join(root, 'test', 'extension', 'workspace'), '--disable-extensions'],
  extensionTestsEnv: env,
};
if (!process.env.VSCODE_DESKTOP) opts.vscodeExecutablePath = path.join(root, 'test', 'harness', 'code-shim.js');
if (process.env.NOMAD_BIN) Object.assign(opts.extensionTestsEnv, { EXT_TEST_GREP: MTLS, EXT_TEST_GREP_INVERT: '1' });
let code = 1;
try {
  code = (await runTests(opts)) ?? 0;
  // then the same workspace in Restricted Mode (workspace trust on, the folder untrusted): only the suite
  // of what an untrusted folder's settings cannot do (test/extension/suite/restricted.test.ts)
  if (!process.env.EXT_TEST_GREP && !process.env.VSCODE_DESKTOP) {
    const main = process.env.TEST_RESULTS_FILE;
    const second = main ? `${main}.restricted.json` : undefined;
    const renv = {
      ...env,
      EXT_RESTRICTED: '1',
      EXT_TEST_GREP: 'restricted mode',
      EXT_TEST_GREP_INVERT: '',
      ...(second ? { TEST_RESULTS_FILE: second } : {}),
    };
    Object.assign(process.env, renv);
    console.log('[extension] again in Restricted Mode (the folder not trusted)');
    const rcode = (await runTests({ ...opts, extensionTestsEnv: renv })) ?? 0;
    if (code === 0) code = rcode;
    // the restricted suite is pending in the first run: count it once, as run in the second
    if (main && second && fs.existsSync(main))
      addResults(main, second, t => t.state === 'pending' && /restricted mode/.test(t.title));
    if (second) fs.rmSync(second, { force: true });
  }
} catch (e) {
  console.error('[extension] runTests failed:', e instanceof Error ? e.message : e);
} finally {
  await backend.stop();
  await aclDouble.stop();
}

if (process.env.NOMAD_BIN) {
  const { startTutorialCluster } = require(path.join(root, 'out', 'test', 'contract', 'tutorialCluster.js'));
  const results = process.env.TEST_RESULTS_FILE;
  const second = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-ext-mtls-')), 'results.json');
  let cluster;
  let code2 = 1;
  try {
    cluster = await startTutorialCluster(process.env.NOMAD_BIN, {
      tls: true,
      acl: true,
      log: l => console.log(`[extension] ${l}`),
    });
    const env2 = {
      EXT_TEST_GREP: MTLS,
      EXT_TEST_GREP_INVERT: '',
      EXT_RESTRICTED: '',
      TEST_RESULTS_FILE: second,
      NOMAD_ADDR: '',
      NOMAD_TOKEN: '',
      NOMAD_TEST_MTLS_ADDR: cluster.addr,
      NOMAD_TEST_MTLS_CA: cluster.tls.caCert,
      NOMAD_TEST_MTLS_CERT: cluster.tls.clientCert,
      NOMAD_TEST_MTLS_KEY: cluster.tls.clientKey,
      NOMAD_TEST_MTLS_TOKEN: cluster.token,
    };
    Object.assign(process.env, env2);
    code2 = (await runTests({ ...opts, extensionTestsEnv: { ...env, ...env2 } })) ?? 0;
  } catch (e) {
    console.error('[extension] the mTLS run failed:', e instanceof Error ? e.message : e);
  } finally {
    await cluster?.stop();
  }
  if (results) addResults(results, second);
  fs.rmSync(path.dirname(second), { recursive: true, force: true });
  if (code2 !== 0) code = code || code2;
}
process.exit(code);
