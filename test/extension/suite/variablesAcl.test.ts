// Nomad Variables with a token whose ACL policy allows less than everything, in a real VS Code against the
// runner's ACL-enabled double (NOMAD_TEST_ACL_ADDR, management token NOMAD_TEST_ACL_TOKEN): a policy that
// may read and list "app/*" only (and read jobs, so the extension connects). The view lists what it may
// list; a save, a create and a delete under "app/" and an open outside it are refused, and what the user
// is shown names the variable's path and the capability the policy lacks (Nomad's own 403 says only
// "Permission denied"; test/contract/variablesAcl.test.ts shows the 1.6.5 agent and the double agree).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, connectedApi } from './util';
import { varUri } from '../../../src/variables/variablesFs';
import type { NomadExtensionApi } from '../../../src/extension';
import type { VarNode } from '../../../src/variables/variablesTree';

const RULES = `namespace "default" {
  policy = "read"
  variables {
    path "app/*" {
      capabilities = ["read", "list"]
    }
  }
}
`;

describe('variables under an ACL policy', function () {
  const addr = process.env.NOMAD_TEST_ACL_ADDR!,
    management = process.env.NOMAD_TEST_ACL_TOKEN!;
  const CLUSTER = 'acl-vars';
  let api: NomadExtensionApi;

  async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${addr}${path}`, {
      method,
      headers: { 'x-nomad-token': management, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const stored = async (path: string) =>
    (await admin<{ Items: Record<string, string>; ModifyIndex: number }>('GET', `/v1/var/${path}`)).Items;

  before(async () => {
    assert.ok(addr && management, 'the runner starts an ACL-enabled double');
    await admin('POST', '/v1/acl/policy/app-read', { Name: 'app-read', Description: 'read app/*', Rules: RULES });
    const reader = (
      await admin<{ SecretID: string }>('POST', '/v1/acl/token', {
        Name: 'app-reader',
        Type: 'client',
        Policies: ['app-read'],
      })
    ).SecretID;
    await admin('PUT', '/v1/var/app/db?cas=0', {
      Namespace: 'default',
      Path: 'app/db',
      Items: { user: 'admin', password: 'pw-SECRET-9' },
    });
    await admin('PUT', '/v1/var/team/secret?cas=0', {
      Namespace: 'default',
      Path: 'team/secret',
      Items: { pw: 'pw-TEAM-9' },
    });
    api = await connectedApi();
    await vscode.workspace
      .getConfiguration('nomad')
      .update('clusters', [{ name: CLUSTER, address: addr }], vscode.ConfigurationTarget.Global);
    await api.cluster.switchCluster(CLUSTER);
    await api.cluster.setToken(reader);
    assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
  });

  after(async () => {
    for (const d of vscode.workspace.textDocuments.filter(x => x.uri.scheme === 'nomad-var' && x.isDirty)) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.cluster.setToken(undefined);
    await api.cluster.switchCluster('default');
    await vscode.workspace.getConfiguration('nomad').update('clusters', undefined, vscode.ConfigurationTarget.Global);
    for (const p of ['app/db', 'app/new', 'team/secret']) await admin('DELETE', `/v1/var/${p}`).catch(() => undefined);
  });

  /** The message names the path and the capability, and carries no value. */
  function namesPathAndCapability(message: string, path: string, capability: string): void {
    assert.ok(message.includes(`"${path}"`), `names the path ${path}: ${message}`);
    assert.ok(message.includes(`"${capability}" capability`), `names the capability ${capability}: ${message}`);
    assert.ok(!/pw-SECRET-9|pw-TEAM-9/.test(message), 'no value in the message');
  }

  it('the view lists only what the policy may list', async () => {
    const tree = api.variables.tree;
    const ns = await until('the default namespace', async () =>
      (await tree.getChildren()).find(n => n.kind === 'namespace' && n.namespace === 'default'),
    );
    const top = await until('the app folder', async () => {
      const k = await tree.getChildren(ns);
      return k.some(n => n.kind === 'folder' && n.prefix === 'app') ? k : undefined;
    });
    assert.deepStrictEqual(
      top.filter(n => n.kind === 'folder').map(n => (n as Extract<VarNode, { kind: 'folder' }>).prefix),
      ['app'],
      'team/ is not listed',
    );
  });

  it('a save of a variable it may only read names the path and the "write" capability, and writes nothing', async () => {
    const uri = (await vscode.commands.executeCommand<vscode.Uri>('nomad.openVariable', {
      namespace: 'default',
      path: 'app/db',
    }))!;
    const doc = await until('the document', () =>
      vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString()),
    );
    assert.match(doc.getText(), /user += "admin"/, 'read is allowed');
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit(e =>
      e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'password = "pw-2"\nuser     = "admin"\n'),
    );
    assert.strictEqual(await doc.save(), false, 'the save did not go through');
    assert.deepStrictEqual(await stored('app/db'), { user: 'admin', password: 'pw-SECRET-9' }, 'nothing was written');
    // what VS Code shows for the failed save is the file system's error: the same call, caught here
    const err = await api.variables.fs.writeFile(uri, Buffer.from(doc.getText())).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof vscode.FileSystemError, String(err));
    assert.strictEqual(err.code, 'NoPermissions');
    namesPathAndCapability(err.message, 'app/db', 'write');
  });

  it('creating a variable under app/ names the path and the "write" capability', async () => {
    const uri = (await vscode.commands.executeCommand<vscode.Uri>('nomad.createVariable', undefined, 'app/new'))!;
    assert.ok(uri, 'a new document');
    const err = await api.variables.fs.writeFile(uri, Buffer.from('key = "v"\n')).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof vscode.FileSystemError, String(err));
    namesPathAndCapability(err.message, 'app/new', 'write');
    await assert.rejects(admin('GET', '/v1/var/app/new'), /404/, 'nothing was created');
  });

  it('deleting names the path and the "destroy" capability, and deletes nothing', async () => {
    const w = vscode.window as unknown as Record<'showWarningMessage' | 'showErrorMessage', unknown>;
    const saved = { showWarningMessage: w.showWarningMessage, showErrorMessage: w.showErrorMessage };
    const errors: string[] = [];
    w.showWarningMessage = async () => 'Delete';
    w.showErrorMessage = async (m: string) => {
      errors.push(m);
      return undefined;
    };
    try {
      assert.strictEqual(
        await vscode.commands.executeCommand('nomad.deleteVariable', { namespace: 'default', path: 'app/db' }),
        false,
      );
    } finally {
      Object.assign(w, saved);
    }
    assert.strictEqual(errors.length, 1, JSON.stringify(errors));
    namesPathAndCapability(errors[0]!, 'app/db', 'destroy');
    assert.deepStrictEqual(await stored('app/db'), { user: 'admin', password: 'pw-SECRET-9' }, 'still there');
  });

  it('opening a variable outside app/ names the path and the "read" capability', async () => {
    const err = await vscode.workspace.openTextDocument(varUri(CLUSTER, 'default', 'team/secret', 'hcl')).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error, String(err));
    namesPathAndCapability(err.message, 'team/secret', 'read');
  });
});
