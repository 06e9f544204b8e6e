import * as assert from 'assert';
import * as path from 'path';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { EXT_ID, until, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

describe('foundation', () => {
  it('activates on a job file and sets the nomad language', async () => {
    const doc = await vscode.workspace.openTextDocument(ws('web.nomad.hcl'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'nomad');
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} is installed`);
    await until('activation', () => ext.isActive || undefined);
  });

  it('detects *.hcl files whose first line starts a job block', async () => {
    const doc = await vscode.workspace.openTextDocument(ws('legacy.hcl'));
    assert.strictEqual(doc.languageId, 'nomad');
  });

  it('contributes the nomad grammar for the language (colours are checked in the UI layer, test/e2e)', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const grammars = (
      ext.packageJSON as { contributes: { grammars: { language: string; scopeName: string; path: string }[] } }
    ).contributes.grammars;
    const g = grammars.find(x => x.language === 'nomad');
    assert.ok(g, 'a grammar is contributed for nomad');
    const file = path.join(ext.extensionPath, g.path);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { scopeName: string; patterns: unknown[] };
    assert.strictEqual(json.scopeName, g.scopeName);
    assert.ok(json.patterns.length > 0);
  });

  it('expands a snippet', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nomad', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    const snippets = JSON.parse(
      fs.readFileSync(
        path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'snippets', 'nomad.code-snippets'),
        'utf8',
      ),
    ) as Record<string, { prefix: string | string[] }>;
    const name = Object.keys(snippets).find(k => /service/i.test(k) && /job/i.test(k));
    assert.ok(name, 'a service job snippet exists');
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'nomad', name });
    const text = await until('snippet text', () =>
      editor.document.getText().includes('job "') ? editor.document.getText() : undefined,
    );
    assert.match(text, /group "/);
    assert.match(text, /service \{/);
    assert.match(text, /check \{/);
    assert.match(text, /update \{/);
  });

  it('contributes the Nomad views', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.nomad');
    await vscode.commands.executeCommand('nomad.jobs.focus');
    await vscode.commands.executeCommand('nomad.services.focus');
  });

  it('every contributed command is registered and every registered nomad.* command is contributed', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands
      .map(c => c.command)
      .sort();
    // VS Code registers <viewId>.focus (and friends) for every contributed view: those are not ours to list
    const views = Object.values(
      (ext.packageJSON as { contributes: { views: Record<string, { id: string }[]> } }).contributes.views,
    )
      .flat()
      .map(v => v.id);
    const viewCommand = (c: string) => views.some(v => c.startsWith(`${v}.`));
    const registered = (await vscode.commands.getCommands(true))
      .filter(c => c.startsWith('nomad.') && !viewCommand(c))
      .sort();
    assert.deepStrictEqual(registered, contributed);
    // and all of them through the one table (src/extension.ts): a command registered beside it is not in it
    const api = (await ext.activate()) as NomadExtensionApi;
    assert.deepStrictEqual([...api.commandIds].sort(), contributed);
  });

  it('the language server answers', async () => {
    const status = await until(
      'server status',
      () =>
        vscode.commands.executeCommand<{ version: string; openDocuments: number; pid: number } | undefined>(
          'nomad.showLanguageServerStatus',
        ),
      60000,
    );
    assert.match(status.version, /^\d+\.\d+\.\d+/);
    assert.ok(status.openDocuments >= 1, `server holds the open job files (${status.openDocuments})`);
    assert.ok(status.pid > 0);
  });
});
