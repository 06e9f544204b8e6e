// The standalone language server over stdio, as an editor uses it: capabilities, then completion,
// signature help, hover, document symbols, folding, formatting, definition, references, rename,
// semantic tokens and code lenses on an open document, including right after an edit.
// Needs dist/server.js (the test runner builds it; `node esbuild.mjs` while developing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient } from '../lspClient';
import { root, SAMPLE } from '../support';

/** LSP position of the `n`-th occurrence of `needle` in `text`, plus `delta` characters. */
function pos(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

test('language server over stdio: the editor features', { timeout: 60_000 }, async () => {
  const server = path.join(root, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), `${server} missing: build with node esbuild.mjs`);
  const client = new LspClient(server, { cwd: root });
  try {
    const init = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    const caps = (init.result as { capabilities: Record<string, unknown> }).capabilities;
    for (const c of [
      'completionProvider',
      'hoverProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'documentFormattingProvider',
      'documentRangeFormattingProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'semanticTokensProvider',
      'codeLensProvider',
      'signatureHelpProvider',
      'codeActionProvider',
    ])
      assert.ok(caps[c], c);
    assert.deepEqual((caps.completionProvider as { triggerCharacters: string[] }).triggerCharacters, [
      '.',
      '"',
      '=',
      ' ',
      '{',
    ]);
    client.notify('initialized', {});

    const uri = 'file:///tmp/shop.nomad';
    const doc = { uri };
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nomad', version: 1, text: SAMPLE } });

    // completion inside the docker config, after var., in ports = ["…"]
    const inConfig = await client.request('textDocument/completion', {
      textDocument: doc,
      position: pos(SAMPLE, '        ports = ["http"]', 8),
    });
    const configItems = (inConfig.result as { items: { label: string }[] }).items.map(i => i.label);
    assert.ok(
      configItems.includes('command') && configItems.includes('volumes') && !configItems.includes('logging'),
      configItems.join(','),
    );
    const afterVar = await client.request('textDocument/completion', {
      textDocument: doc,
      position: pos(SAMPLE, 'var.image', 4),
      context: { triggerKind: 2, triggerCharacter: '.' },
    });
    assert.deepEqual(
      (afterVar.result as { items: { label: string }[] }).items.map(i => i.label),
      ['image', 'count'],
    );
    const ports = await client.request('textDocument/completion', {
      textDocument: doc,
      position: pos(SAMPLE, 'ports = ["http"]', 10),
    });
    assert.deepEqual(
      (ports.result as { items: { label: string }[] }).items.map(i => i.label),
      ['http', 'metrics'],
    );

    // signature help and hover
    const sig = await client.request('textDocument/signatureHelp', {
      textDocument: doc,
      position: pos(SAMPLE, 'upper("echo', 6),
    });
    assert.match((sig.result as { signatures: { label: string }[] }).signatures[0]!.label, /^upper\(str: string\)/);
    const hover = await client.request('textDocument/hover', {
      textDocument: doc,
      position: pos(SAMPLE, 'driver = "docker"', 2),
    });
    assert.match((hover.result as { contents: { value: string } }).contents.value, /\*\*driver\*\*/);
    const hoverVar = await client.request('textDocument/hover', {
      textDocument: doc,
      position: pos(SAMPLE, 'var.image', 5),
    });
    assert.match(
      (hoverVar.result as { contents: { value: string } }).contents.value,
      /Container image of the web task/,
    );

    // outline and folding
    const syms = await client.request('textDocument/documentSymbol', { textDocument: doc });
    const names = (syms.result as { name: string }[]).map(s => s.name);
    assert.deepEqual(names, ['image', 'count', 'locals', 'shop']);
    const folds = await client.request('textDocument/foldingRange', { textDocument: doc });
    assert.ok((folds.result as unknown[]).length > 10);

    // definition, references, rename
    const def = await client.request('textDocument/definition', {
      textDocument: doc,
      position: pos(SAMPLE, 'var.count', 5),
    });
    assert.deepEqual(def.result, {
      uri,
      range: { start: pos(SAMPLE, 'variable "count"', 10), end: pos(SAMPLE, 'variable "count"', 15) },
    });
    const refs = await client.request('textDocument/references', {
      textDocument: doc,
      position: pos(SAMPLE, 'variable "count"', 11),
      context: { includeDeclaration: false },
    });
    assert.equal((refs.result as unknown[]).length, 2);
    const rename = await client.request('textDocument/rename', {
      textDocument: doc,
      position: pos(SAMPLE, 'var.count', 5),
      newName: 'replicas',
    });
    assert.equal((rename.result as { changes: Record<string, unknown[]> }).changes[uri]!.length, 3);
    const badRename = await client.request('textDocument/rename', {
      textDocument: doc,
      position: pos(SAMPLE, 'var.count', 5),
      newName: 'no spaces',
    });
    assert.match(badRename.error!.message, /not a valid name/);

    // semantic tokens and lenses
    const tokens = await client.request('textDocument/semanticTokens/full', { textDocument: doc });
    assert.equal((tokens.result as { data: number[] }).data.length % 5, 0);
    assert.ok((tokens.result as { data: number[] }).data.length > 20);
    const lenses = await client.request('textDocument/codeLens', { textDocument: doc });
    const titles = (lenses.result as { command: { title: string; command: string } }[]).map(l => l.command.title);
    assert.deepEqual(titles, ['1 reference', '2 references', '1 reference', '0 references']);

    // formatting: already formatted → no edits; after an edit → the edit is undone; broken → no edits
    const none = await client.request('textDocument/formatting', {
      textDocument: doc,
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(none.result, []);
    const messy = SAMPLE.replace('  datacenters = ["dc1"]', 'datacenters=["dc1"]');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: messy }] });
    const fix = await client.request('textDocument/formatting', {
      textDocument: doc,
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(fix.result, [
      {
        range: { start: { line: 16, character: 0 }, end: { line: 16, character: 19 } },
        newText: '  datacenters = ["dc1"]',
      },
    ]);
    const broken = `${SAMPLE}job {\n`;
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: broken }] });
    const refused = await client.request('textDocument/formatting', {
      textDocument: doc,
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(refused.result, []);
    // completion right after the change still sees the new text
    const half = `${SAMPLE.slice(0, SAMPLE.lastIndexOf('}'))}  group "new" {\n    `;
    client.notify('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: half }] });
    const c = await client.request('textDocument/completion', {
      textDocument: doc,
      position: pos(half, 'group "new" {\n    ', 18),
    });
    assert.ok((c.result as { items: { label: string }[] }).items.some(i => i.label === 'task'));

    assert.equal(await client.close(), 0);
  } finally {
    client.kill();
  }
});

test(
  'language server over stdio: runtime names inside `${…}` (completion on `{` and `.`, hover)',
  { timeout: 60_000 },
  async () => {
    const server = path.join(root, 'dist', 'server.js');
    const client = new LspClient(server, { cwd: root });
    const text =
      'job "a" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      env {\n        HOST = "${}"\n        ARCH = "${attr.cpu.arch}"\n      }\n    }\n  }\n}\n';
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      const doc = { uri: 'file:///tmp/runtime.nomad' };
      client.notify('textDocument/didOpen', { textDocument: { ...doc, languageId: 'nomad', version: 1, text } });
      const labelsOf = (m: { result?: unknown }): string[] =>
        ((m.result as { items: { label: string }[] }).items ?? []).map(i => i.label);
      const open = await client.request('textDocument/completion', {
        textDocument: doc,
        position: pos(text, 'HOST = "${', 10),
        context: { triggerKind: 2, triggerCharacter: '{' },
      });
      for (const n of ['node', 'attr', 'meta', 'NOMAD_ALLOC_DIR']) assert.ok(labelsOf(open).includes(n), n);
      const afterDot = await client.request('textDocument/completion', {
        textDocument: doc,
        position: pos(text, 'attr.', 5),
        context: { triggerKind: 2, triggerCharacter: '.' },
      });
      assert.ok(labelsOf(afterDot).includes('cpu.arch') && labelsOf(afterDot).includes('kernel.name'));
      const hover = await client.request('textDocument/hover', {
        textDocument: doc,
        position: pos(text, 'cpu.arch', 2),
      });
      assert.match(
        (hover.result as { contents: { value: string } }).contents.value,
        /^`\$\{attr\.cpu\.arch\}` · node attribute/,
      );
      // `{` anywhere else opens nothing
      const brace = await client.request('textDocument/completion', {
        textDocument: doc,
        position: pos(text, 'env {', 5),
        context: { triggerKind: 2, triggerCharacter: '{' },
      });
      assert.deepEqual(labelsOf(brace), []);
      assert.equal(await client.close(), 0);
    } finally {
      client.kill();
    }
  },
);
