// What a folder may set (issue 22), in a real extension host against the cluster test/extension/run.mjs
// started:
//  - nomad.plan.variableFiles from the workspace's settings: a file outside the folder (an absolute
//    path, "..") is never read, so its content never reaches /v1/jobs/parse; a file inside is;
//  - the stored token is bound to the TLS identity too: a workspace that turns skip-verify on, or names
//    another CA, gets a question before the token goes, exactly as a change of address does.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXT_ID, until, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-settings-varfiles';

describe('settings a folder may not set', function () {
  let api: NomadExtensionApi;
  const created: vscode.Uri[] = [];
  let outsideDir = '';

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.connect();
    outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-outside-'));
  });

  after(async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    for (const k of ['plan.variableFiles', 'address', 'tls.skipVerify', 'tls.caCert', 'clusters'])
      await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    for (const u of created) await vscode.workspace.fs.delete(u, { recursive: true }).then(undefined, () => undefined);
    fs.rmSync(outsideDir, { recursive: true, force: true });
    // an empty .vscode/settings.json left by the Workspace-level updates: remove it
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (folder) {
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      const text = await vscode.workspace.fs.readFile(file).then(
        b => Buffer.from(b).toString('utf8'),
        () => undefined,
      );
      if (text !== undefined && Object.keys(JSON.parse(text || '{}') as object).length === 0) {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
      }
    }
    await api.cluster.connect();
  });

  async function write(rel: string, text: string): Promise<vscode.Uri> {
    const u = ws(rel);
    await vscode.workspace.fs.writeFile(u, Buffer.from(text));
    created.push(u);
    return u;
  }

  it("a workspace's variable files outside its folder are not read (their content never reaches the cluster)", async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    const secret = path.join(outsideDir, 'secret.hcl');
    fs.writeFileSync(secret, 'who = "from-outside-the-folder"\n');
    const job = await write(
      `${JOB}.nomad.hcl`,
      [
        'variable "who" {',
        '  default = "from-the-default"',
        '}',
        `job "${JOB}" {`,
        '  datacenters = ["*"]',
        '  type = "batch"',
        '  meta {',
        '    who = var.who',
        '  }',
        '  group "g" {',
        '    task "t" {',
        '      driver = "raw_exec"',
        '      config {',
        '        command = "/bin/true"',
        '      }',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    await write('settings-vars-inside.hcl', 'who = "from-inside-the-folder"\n');

    const planText = async (): Promise<string> => {
      const before = api.plans.planOf(job)?.vm;
      await vscode.commands.executeCommand('nomad.planJob', job);
      const vm = await until('the plan', () => {
        const v = api.plans.planOf(job)?.vm;
        return v && v !== before ? v : undefined;
      });
      return JSON.stringify(vm);
    };

    // an absolute path and a ".." path: neither is read, the default is planned
    await cfg.update(
      'plan.variableFiles',
      [secret, path.relative(vscode.workspace.workspaceFolders![0]!.uri.fsPath, secret)],
      vscode.ConfigurationTarget.Workspace,
    );
    await vscode.window.showTextDocument(job);
    const refused = await planText();
    assert.ok(!refused.includes('from-outside-the-folder'), 'the outside file was not sent');
    assert.ok(refused.includes('from-the-default'), refused.slice(0, 400));

    // a file inside the folder, by a relative path: read and planned
    await cfg.update('plan.variableFiles', ['settings-vars-inside.hcl'], vscode.ConfigurationTarget.Workspace);
    const inside = await planText();
    assert.ok(inside.includes('from-inside-the-folder'), inside.slice(0, 400));
    await cfg.update('plan.variableFiles', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it("Add Cluster… saves to the user's settings without copying a workspace's clusters there", async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    const originalInput = vscode.window.showInputBox;
    const answers = ['user-added', 'http://127.0.0.1:8', '', ''];
    (vscode.window as { showInputBox: unknown }).showInputBox = async () => answers.shift();
    try {
      await cfg.update(
        'clusters',
        [{ name: 'from-the-folder', address: 'http://127.0.0.1:9' }],
        vscode.ConfigurationTarget.Workspace,
      );
      await vscode.commands.executeCommand('nomad.addCluster');
      const user =
        vscode.workspace.getConfiguration('nomad').inspect<{ name: string }[]>('clusters')?.globalValue ?? [];
      assert.deepStrictEqual(
        user.map(c => c.name),
        ['user-added'],
        JSON.stringify(user),
      );
    } finally {
      (vscode.window as { showInputBox: unknown }).showInputBox = originalInput;
      await api.cluster.switchCluster('default');
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('clusters', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("a workspace's TLS settings (skip-verify, another CA) ask before the stored token goes, as an address change does", async () => {
    const cfg = vscode.workspace.getConfiguration('nomad');
    const original = vscode.window.showWarningMessage;
    const asked: { message: string; detail?: string }[] = [];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (
      message: string,
      options?: vscode.MessageOptions,
    ) => {
      asked.push({ message, ...(options?.detail ? { detail: options.detail } : {}) });
      return 'Connect Without Token';
    };
    // nothing listens there: the question comes before any request, so none is needed
    const address = 'https://127.0.0.1:9';
    try {
      await cfg.update('address', address, vscode.ConfigurationTarget.Workspace);
      await until(
        'the new address is used',
        () => api.cluster.statusBar().tooltip.includes('127.0.0.1:9') || undefined,
      );
      await api.cluster.setToken('tok-settings-test-bound-to-https');
      await until(
        'connected or failing at the https address',
        () => api.cluster.state().kind !== 'connecting' || undefined,
      );
      const before = asked.length;

      await cfg.update('tls.skipVerify', true, vscode.ConfigurationTarget.Workspace);
      const q = await until('a question about the token', () => asked[before]);
      assert.match(q.detail ?? '', /certificate verification OFF/, q.detail);
      assert.match(q.detail ?? '', /set by this workspace's settings/, q.detail);
      assert.match(q.detail ?? '', /meant for https:\/\/127\.0\.0\.1:9\b/, q.detail);

      await cfg.update('tls.skipVerify', undefined, vscode.ConfigurationTarget.Workspace);
      await write('settings-test-ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const n = asked.length;
      await cfg.update('tls.caCert', 'settings-test-ca.pem', vscode.ConfigurationTarget.Workspace);
      const q2 = await until('a question for the other CA', () => asked.slice(n).find(a => /CA /.test(a.detail ?? '')));
      assert.match(q2.detail ?? '', /CA .*settings-test-ca\.pem/, q2.detail);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
      await api.cluster.setToken(undefined);
      for (const k of ['address', 'tls.skipVerify', 'tls.caCert'])
        await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
