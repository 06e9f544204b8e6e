// The lint rule `untrusted/shown-only` (tools/eslint/untrusted.mjs) run with the TypeScript type checker
// on two snippets: a bad one, where every marked line hands an unescaped string (or a Visible, or a
// Shown where Markdown is wanted, or a cast) to a surface, and each is refused on its own line; and a good
// one, the same surfaces fed through the gate's functions and our own literals, with nothing refused.
// The snippets are written to a folder of out/ (the build output, inside the repository so that `vscode`'s
// types and src/untrusted resolve) with a tsconfig of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
// a real dynamic import (the rule is an ES module; the test is compiled to CommonJS)
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<{ default: unknown }>;

type LintMessage = { line: number; ruleId: string | null; message: string };
type ESLintCtor = new (o: object) => {
  lintFiles(p: string[]): Promise<{ filePath: string; messages: LintMessage[] }[]>;
};

const HEADER = `import * as vscode from 'vscode';
import type { Hover } from 'vscode-languageserver-types';
import { codeBlock, joinShown, markdownText, md, plain, plainText, visible, visibleText, type Shown } from '../../../src/untrusted/shown';
declare const name: string;
declare const item: vscode.TreeItem;
declare const status: vscode.StatusBarItem;
declare const channel: vscode.OutputChannel;
declare const qp: vscode.QuickPick<vscode.QuickPickItem>;
`;

const BAD = `${HEADER}
export async function bad(): Promise<void> {
  void vscode.window.showErrorMessage(\`Cannot save: the key "\${name}" is set twice.\`); // BAD
  void vscode.window.showInformationMessage('Restart ' + name + '?'); // BAD
  void vscode.window.showWarningMessage(plain\`Delete \${name}?\`, { modal: true, detail: name }, 'Delete'); // BAD
  void vscode.window.showInformationMessage(plain\`Done.\`, name); // BAD
  const { showWarningMessage } = vscode.window;
  void showWarningMessage(name); // BAD
  await vscode.window.showQuickPick([name].map(n => ({ label: visible(n), n }))); // BAD
  const items: vscode.QuickPickItem[] = [{ label: plain\`ok\`, description: name }]; // BAD
  void items;
  await vscode.window.showQuickPick([plainText(name)].map(l => ({ label: l })), { title: name }); // BAD
  await vscode.window.showInputBox({ title: plain\`ok\`, prompt: \`New name for \${name}\` }); // BAD
  const t = new vscode.TreeItem(name); // BAD
  const Item = vscode.TreeItem;
  void new Item(name); // BAD
  t.description = visible(name); // BAD
  item.tooltip = name; // BAD
  status.text = \`$(server) \${name}\`; // BAD
  qp.items = [{ label: name }]; // BAD
  channel.appendLine(name); // BAD
  const m = new vscode.MarkdownString(name); // BAD
  m.appendMarkdown(plainText(name)); // BAD
  m.isTrusted = true; // BAD
  m.appendCodeblock(name, 'hcl'); // BAD
  const hover = { contents: { kind: 'markdown', value: \`**\${name}**\` } }; // BAD
  const marked: Hover = { contents: name }; // BAD
  void hover; void marked;
  const forged = name as Shown; // BAD
  void forged;
  throw new vscode.FileSystemError(\`line 1: an unclosed string in the value of "\${name}".\`); // BAD
}
`;

const GOOD = `${HEADER}
export async function good(): Promise<void> {
  void vscode.window.showErrorMessage(plain\`Cannot save: the key "\${name}" is set twice.\`);
  void vscode.window.showInformationMessage('Open a Nomad job file first.');
  void vscode.window.showWarningMessage(plain\`Delete \${name}?\`, { modal: true, detail: plain\`Only if unchanged.\` }, 'Delete');
  await vscode.window.showQuickPick([name].map(n => ({ label: plainText(n), n })), { title: plain\`Pick \${name}\` });
  const items: vscode.QuickPickItem[] = [{ label: plain\`$(check) ok\`, description: plainText(name) }, { label: 'All' }];
  void items;
  await vscode.window.showInputBox({ title: plain\`Rename \${name}\`, prompt: 'A name', value: name });
  const t = new vscode.TreeItem(plainText(name));
  t.description = joinShown([plain\`v1\`, plainText(name)], plain\` · \`);
  item.tooltip = new vscode.MarkdownString(md\`**\${markdownText(name)}**\`);
  status.text = joinShown([plain\`$(server) \`, plainText(name)]);
  qp.items = [{ label: plainText(name) }];
  channel.appendLine(visibleText\`following \${name}\`);
  const m = new vscode.MarkdownString();
  m.appendMarkdown(codeBlock(name, 'hcl'));
  m.isTrusted = false;
  const hover = { contents: { kind: 'markdown', value: md\`**\${markdownText(name)}**\` } };
  const marked: Hover = { contents: codeBlock(name, 'hcl') };
  void hover; void marked;
  throw new vscode.FileSystemError(plain\`line 1: an unclosed string in the value of "\${name}".\`);
}
`;

async function lint(files: Record<string, string>): Promise<Map<string, LintMessage[]>> {
  const dir = path.join(root, 'out', 'lint-fixture', String(process.pid));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node',
        types: [],
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['*.ts'],
    }),
  );
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ESLint } = require('eslint') as { ESLint: ESLintCtor };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tseslint = require('typescript-eslint') as { parser: unknown };
    const plugin = (await importEsm(path.join(root, 'tools', 'eslint', 'untrusted.mjs'))).default;
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      ignore: false,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: {
            parser: tseslint.parser,
            parserOptions: { project: path.join(dir, 'tsconfig.json'), tsconfigRootDir: dir },
          },
          plugins: { untrusted: plugin },
          rules: { 'untrusted/shown-only': 'error' },
        },
      ],
    });
    const results = await eslint.lintFiles(Object.keys(files).map(f => path.join(dir, f)));
    return new Map(results.map(r => [path.basename(r.filePath), r.messages]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the rule refuses every unescaped string on a surface, each on its own line, and passes the gated ones', async () => {
  const out = await lint({ 'bad.ts': BAD, 'good.ts': GOOD });
  const bad = out.get('bad.ts')!;
  const fatal = bad.filter(m => m.ruleId !== 'untrusted/shown-only');
  assert.deepEqual(fatal, [], 'the snippet parses and type-checks for the rule');
  const expected = BAD.split('\n')
    .map((l, i) => (l.includes('// BAD') ? i + 1 : 0))
    .filter(Boolean);
  const refused = [...new Set(bad.map(m => m.line))].sort((a, b) => a - b);
  assert.deepEqual(refused, expected, `refused lines:\n${bad.map(m => `${m.line}: ${m.message}`).join('\n')}`);
  // the message says what the surface takes
  assert.ok(bad.some(m => /showErrorMessage's message takes Shown/.test(m.message)));
  assert.ok(bad.some(m => /FileSystemError .* takes Shown/.test(m.message)));
  assert.ok(bad.some(m => /takes SafeMarkdown/.test(m.message)));
  assert.ok(bad.some(m => /Only src\/untrusted\/ makes Shown/.test(m.message)));
  const good = out.get('good.ts')!;
  assert.deepEqual(
    good.map(m => `${m.line}: ${m.message}`),
    [],
    'nothing refused in the good snippet',
  );
});
