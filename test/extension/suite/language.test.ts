// The language server through the real editor: completion, hover and format on save.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, ws } from './util';

describe('language features in the editor', () => {
  it('completes attributes and blocks inside a group', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'nomad',
      content: 'job "x" {\n  group "g" {\n    \n  }\n}\n',
    });
    await vscode.window.showTextDocument(doc);
    const list = await until('completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(2, 4),
      );
      return l && l.items.length ? l : undefined;
    });
    const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const want of ['task', 'count', 'network', 'update', 'service'])
      assert.ok(labels.includes(want), `${want} in ${labels.slice(0, 40).join(', ')}`);
    assert.ok(!labels.includes('datacenters'), 'job-level attributes are not offered in a group');
  });

  it('offers enum values after =', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nomad', content: 'job "x" {\n  type = \n}\n' });
    await vscode.window.showTextDocument(doc);
    const list = await until('enum completion', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(1, 9),
      );
      return l && l.items.length ? l : undefined;
    });
    const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
    for (const want of ['service', 'batch', 'system', 'sysbatch'])
      assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
  });

  it('shows hover docs for an attribute', async () => {
    const doc = await vscode.workspace.openTextDocument(ws('web.nomad.hcl'));
    await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split('\n')
      .findIndex(l => l.includes('datacenters'));
    const hovers = await until('hover', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(line, 4),
      );
      return h && h.length ? h : undefined;
    });
    const text = hovers
      .flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n');
    assert.match(text, /datacenters/);
    assert.match(text, /list\(string\)|list of/i);
  });

  it('formats on save in nomad fmt style (aligned =)', async () => {
    await vscode.workspace
      .getConfiguration('editor', { languageId: 'nomad' })
      .update('formatOnSave', true, vscode.ConfigurationTarget.Global, true);
    try {
      const doc = await vscode.workspace.openTextDocument(ws('unformatted.nomad.hcl'));
      const editor = await vscode.window.showTextDocument(doc);
      const original = doc.getText();
      await editor.edit(e => e.insert(new vscode.Position(doc.lineCount - 1, 0), ''));
      await editor.edit(e => e.replace(new vscode.Range(0, 0, 0, 0), ' '));
      await doc.save();
      const saved = await until(
        'formatted text',
        () => (/command = "\/bin\/true"\n\s+args\s{4}= \["a"\]/.test(doc.getText()) ? doc.getText() : undefined),
        20000,
      );
      assert.match(saved, /^job "fmt" \{/, 'the stray space is gone');
      // restore the fixture
      await editor.edit(e => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await vscode.workspace
        .getConfiguration('editor', { languageId: 'nomad' })
        .update('formatOnSave', false, vscode.ConfigurationTarget.Global, true);
      await doc.save();
    } finally {
      await vscode.workspace
        .getConfiguration('editor', { languageId: 'nomad' })
        .update('formatOnSave', undefined, vscode.ConfigurationTarget.Global, true);
    }
  });
});
