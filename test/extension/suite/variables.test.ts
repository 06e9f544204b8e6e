// Nomad Variables in a real VS Code against the cluster under test: the view lists a variable the test
// writes (keys, never values, in the tree), it opens as a document, a save writes with check-and-set,
// and a save on a version changed meanwhile overwrites nothing and opens the comparison.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, nomad, connectedApi } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import type { VarNode } from '../../../src/variables/variablesTree';

describe('variables', function () {
  const path = `ext-vars-${Date.now().toString(36)}/db`;
  let api: NomadExtensionApi;

  before(async () => {
    api = await connectedApi();
    await nomad('PUT', `/v1/var/${path}?cas=0`, {
      Namespace: 'default',
      Path: path,
      Items: { user: 'admin', password: 'pw-SECRET-1' },
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nomad('DELETE', `/v1/var/${path}`).catch(() => undefined);
  });

  it('shows the variable in the view, with its keys and no value', async () => {
    const tree = api.variables.tree;
    const ns = await until('the default namespace', async () =>
      (await tree.getChildren()).find(n => n.kind === 'namespace' && n.namespace === 'default'),
    );
    const top = path.split('/')[0]!;
    const folder = await until('the folder', async () =>
      (await tree.getChildren(ns)).find(n => n.kind === 'folder' && n.prefix === top),
    );
    const v = (await tree.getChildren(folder)).find(
      (n): n is Extract<VarNode, { kind: 'variable' }> => n.kind === 'variable' && n.path === path,
    );
    assert.ok(v, 'the variable node');
    const keys = await tree.getChildren(v);
    assert.deepStrictEqual(
      keys.map(k => tree.getTreeItem(k).label),
      ['password', 'user'],
    );
    for (const n of [v, ...keys]) {
      const item = tree.getTreeItem(n);
      assert.ok(
        !JSON.stringify([item.label, item.description, item.tooltip]).includes('pw-SECRET-1'),
        'no value in the tree',
      );
    }
  });

  it('opens as HCL, saves with check-and-set, and a stale save overwrites nothing', async () => {
    const uri = (await vscode.commands.executeCommand<vscode.Uri>('nomad.openVariable', {
      namespace: 'default',
      path,
    }))!;
    const doc = await until('the document', () =>
      vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString()),
    );
    assert.match(doc.getText(), /password = "pw-SECRET-1"/);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit(e =>
      e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'password = "pw-2"\nuser     = "admin"\n'),
    );
    assert.ok(await doc.save(), 'the save went through');
    const stored = await nomad<{ Items: Record<string, string>; ModifyIndex: number }>('GET', `/v1/var/${path}`);
    assert.deepStrictEqual(stored.Items, { password: 'pw-2', user: 'admin' });
    assert.strictEqual(api.variables.fs.openedIndex(uri), stored.ModifyIndex);

    // someone else writes; our next save is on a stale index
    await nomad('PUT', `/v1/var/${path}?cas=${stored.ModifyIndex}`, {
      Namespace: 'default',
      Path: path,
      Items: { password: 'theirs' },
    });
    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async () => undefined;
    try {
      await editor.edit(e => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'password = "mine"\n'));
      const before = api.variables.conflicts.length;
      await doc.save();
      await until('the conflict to be reported', () => api.variables.conflicts.length > before || undefined);
      assert.deepStrictEqual(
        (await nomad<{ Items: Record<string, string> }>('GET', `/v1/var/${path}`)).Items,
        { password: 'theirs' },
        'nothing was overwritten',
      );
      await until('the comparison editor', () =>
        vscode.window.tabGroups.all
          .flatMap(g => g.tabs)
          .find(t => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uri.toString()),
      );
      assert.ok(doc.isDirty, "the user's version is still in the editor");
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
  });
});
