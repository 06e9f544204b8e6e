// Settings per document over LSP (stdio): the server asks for the `nomad` section with `scopeUri` = the
// document's workspace folder, so two folders with different nomad.lint.* (resource settings) give the same
// job different diagnostics; the answer is cached per folder (a second document of a folder asks nothing),
// and a didChangeConfiguration pulls every folder's settings again and re-checks. Needs dist/server.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, type ConfigurationItem, type LspMessage } from '../lspClient';
import { read, root } from '../support';

interface Published {
  uri: string;
  diagnostics: { code?: string }[];
}

const A = 'file:///tmp/nomad-settings/a';
const B = 'file:///tmp/nomad-settings/b';
const LINT_CODES = ['missing-update', 'service-without-check'];

test(
  'language server over stdio: nomad.lint.* per workspace folder, cached per folder, pulled again on a change',
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
    // folder a: both lints on; folder b: both off (what each folder's .vscode/settings.json would say)
    const perFolder = new Map<string, boolean>([
      [A, true],
      [B, false],
    ]);
    const configuration = (item: ConfigurationItem): unknown => {
      const on = perFolder.get(item.scopeUri ?? '');
      return on === undefined ? {} : { lint: { serviceWithoutCheck: on, updateWithoutHealthChecks: on } };
    };
    const client = new LspClient(server, { cwd: root, configuration });
    const text = read('test/fixtures/jobs/seed-microservice-job-01.nomad');
    const lintCodes = (m: LspMessage): string[] =>
      (m.params as Published).diagnostics
        .map(d => d.code ?? '')
        .filter(c => LINT_CODES.includes(c))
        .sort();
    const diagsOf =
      (uri: string) =>
      (m: LspMessage): boolean =>
        m.method === 'textDocument/publishDiagnostics' && (m.params as Published).uri === uri;
    const scopesAsked = (): string[] =>
      client.configurationAsked.flatMap(p => p.items.filter(i => i.scopeUri !== undefined).map(i => i.scopeUri!));
    const open = (uri: string): void =>
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text } });
    try {
      await client.request('initialize', {
        processId: process.pid,
        rootUri: A,
        capabilities: { workspace: { configuration: true, workspaceFolders: true } },
        workspaceFolders: [
          { uri: A, name: 'a' },
          { uri: B, name: 'b' },
        ],
      });
      client.notify('initialized', {});

      const inA = `${A}/jobs/web.nomad`,
        inB = `${B}/web.nomad`,
        alsoInA = `${A}/api.nomad`;
      open(inA);
      assert.deepEqual(lintCodes(await client.wait(diagsOf(inA), 'diagnostics in folder a')), LINT_CODES);
      open(inB);
      assert.deepEqual(lintCodes(await client.wait(diagsOf(inB), 'diagnostics in folder b')), []);
      assert.deepEqual(scopesAsked().sort(), [A, B], 'asked once per folder, with the folder as scopeUri');

      // a second document of folder a: its settings come from the cache
      open(alsoInA);
      assert.deepEqual(
        lintCodes(await client.wait(diagsOf(alsoInA), 'diagnostics of a second file in folder a')),
        LINT_CODES,
      );
      assert.equal(scopesAsked().length, 2, 'no new request for a folder already asked');

      // the settings change (a on → off, b off → on): every folder is asked again and every document re-checked
      perFolder.set(A, false);
      perFolder.set(B, true);
      client.discard(m => m.method === 'textDocument/publishDiagnostics');
      client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(
        lintCodes(
          await client.wait(m => diagsOf(inA)(m) && lintCodes(m).length === 0, 'folder a re-checked without the lints'),
        ),
        [],
      );
      assert.deepEqual(
        lintCodes(
          await client.wait(m => diagsOf(inB)(m) && lintCodes(m).length > 0, 'folder b re-checked with the lints'),
        ),
        LINT_CODES,
      );
      assert.deepEqual(scopesAsked().slice(2).sort(), [A, B], 'both folders asked again');

      // a file outside every folder is asked for by its own URI
      const outside = 'file:///tmp/elsewhere/job.nomad';
      open(outside);
      assert.deepEqual(lintCodes(await client.wait(diagsOf(outside), 'diagnostics outside the folders')), LINT_CODES);
      assert.ok(scopesAsked().includes(outside), scopesAsked().join(', '));
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);
