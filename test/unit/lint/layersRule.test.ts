// The folder decides what a file may import (tools/eslint/layers.mjs): the rule is run on snippets placed in
// each kind of folder, and the table is held to the folders src/ really has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<Record<string, unknown>>;
type Message = { line: number; ruleId: string | null; message: string };
type LinterCtor = new (o: object) => { verify(code: string, config: object[], file: string): Message[] };

async function lint(file: string, code: string): Promise<Message[]> {
  const { Linter } = (await importEsm('eslint')) as { Linter: LinterCtor };
  const parser = ((await importEsm('typescript-eslint')).default as { parser: unknown }).parser;
  const layers = (await importEsm(path.join(root, 'tools', 'eslint', 'layers.mjs'))).default;
  return new Linter({ configType: 'flat', cwd: root }).verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser }, plugins: { layers }, rules: { 'layers/imports': 'error' } }],
    path.join(root, file),
  );
}

test('a pure layer refuses vscode and the layers above it, on the line of the import', async () => {
  const code =
    "import * as vscode from 'vscode';\nimport { x } from '../nomad/client';\nimport { y } from '../shared/settings';\nimport { z } from './hcl';\nexport const w = [vscode, x, y, z];\n";
  const found = await lint('src/language/probe.ts', code);
  assert.deepEqual(
    found.map(m => m.line),
    [1, 2],
    JSON.stringify(found),
  );
  assert.match(found[1]!.message, /src\/language\/ may not import src\/nomad\//);
});

test('the nomad layer may not import the language layer, nor an editor folder', async () => {
  const found = await lint(
    'src/nomad/probe.ts',
    "import { a } from '../language';\nimport { b } from '../plan/planFeature';\nimport { c } from './display';\nexport const d = [a, b, c];\n",
  );
  assert.deepEqual(
    found.map(m => m.line),
    [1, 2],
    JSON.stringify(found),
  );
});

test('the webview layer refuses Node built-ins and vscode; dynamic import and require are checked too', async () => {
  const found = await lint(
    'src/webview/plan/probe.ts',
    "import fs from 'node:fs';\nimport * as vscode from 'vscode';\nexport const p = import('../../plan/planPanel');\nexport const q = require('path');\nexport const r = [fs, vscode];\n",
  );
  assert.deepEqual(
    found.map(m => m.line),
    [1, 2, 3, 4],
    JSON.stringify(found),
  );
});

test('an editor folder may import any layer and vscode', async () => {
  assert.deepEqual(
    await lint(
      'src/plan/probe.ts',
      "import * as vscode from 'vscode';\nimport { a } from '../language';\nimport { b } from '../nomad/client';\nexport const c = [vscode, a, b];\n",
    ),
    [],
  );
});

test('a folder of src/ that is not in the table is refused', async () => {
  const found = await lint('src/newthing/probe.ts', 'export const a = 1;\n');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /not in the layer table/);
});

test('the table lists exactly the folders src/ has, and CONTRIBUTING.md names each with its layer', async () => {
  type Entry = { may: string[] | '*'; pure?: boolean; browser?: boolean };
  const { LAYERS } = (await importEsm(path.join(root, 'tools', 'eslint', 'layers.mjs'))) as {
    LAYERS: Record<string, Entry>;
  };
  const folders = fs
    .readdirSync(path.join(root, 'src'), { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => e.name)
    .sort();
  assert.deepEqual(
    Object.keys(LAYERS)
      .filter(k => k !== '(root)')
      .sort(),
    folders,
  );
  // the layout table of CONTRIBUTING.md: one row `| \`src/<folder>/\` | <layer> | … |` per folder, no other
  const rows = [
    ...fs.readFileSync(path.join(root, 'CONTRIBUTING.md'), 'utf8').matchAll(/^\| `src\/([\w-]+)\/` \| (\w+) \|/gm),
  ];
  const layerOf = (name: string, e: Entry): string =>
    e.browser ? 'webview' : name === 'server' ? 'server' : e.pure ? 'pure' : 'editor';
  assert.deepEqual(rows.map(r => r[1]).sort(), folders, 'CONTRIBUTING.md lists every folder of src/ once');
  for (const [, folder, layer] of rows)
    assert.equal(
      layer,
      layerOf(folder!, LAYERS[folder!]!),
      `CONTRIBUTING.md: src/${folder}/ is ${layerOf(folder!, LAYERS[folder!]!)}`,
    );
});
