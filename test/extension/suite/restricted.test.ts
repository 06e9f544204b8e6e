// Restricted Mode (issue 22): the same workspace opened with workspace trust on and the folder not
// trusted (test/extension/run.mjs runs this suite a second time so, EXT_RESTRICTED=1; in the first,
// trusted run it is skipped). An untrusted folder's settings for restricted keys are not read at all,
// whatever VS Code itself does with them: its nomad.address gets no request, its variable files (even
// one inside the folder) are not sent to the cluster.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXT_ID, until, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-restricted-varfiles';

describe('restricted mode: an untrusted folder', function () {
  let api: NomadExtensionApi;
  const created: vscode.Uri[] = [];

  before(async function () {
    if (process.env.EXT_RESTRICTED !== '1') {
      this.skip();
      return;
    }
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.connect();
  });

  after(async () => {
    if (process.env.EXT_RESTRICTED !== '1') return;
    const cfg = vscode.workspace.getConfiguration('nomad');
    for (const k of ['address', 'plan.variableFiles', 'run.watchTimeoutMinutes'])
      await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    for (const u of created) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (folder) {
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      const text = await vscode.workspace.fs.readFile(file).then(
        b => Buffer.from(b).toString('utf8'),
        () => undefined,
      );
      if (text !== undefined && Object.keys(JSON.parse(text || '{}') as object).length === 0)
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
    }
  });

  it('runs in Restricted Mode, connected to the cluster of the environment', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the folder is not trusted');
    assert.strictEqual(api.cluster.state().kind, 'connected', JSON.stringify(api.cluster.state()));
  });

  it('its nomad.address is not used: the listener there gets no request', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('[]');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const addr = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await vscode.workspace.getConfiguration('nomad').update('address', addr, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('nomad.connect');
      await until('connected again', () => api.cluster.state().kind === 'connected' || undefined);
      assert.ok(api.cluster.statusBar().tooltip.includes(process.env.NOMAD_ADDR!), api.cluster.statusBar().tooltip);
      assert.ok(!api.cluster.statusBar().tooltip.includes(addr), api.cluster.statusBar().tooltip);
      assert.deepStrictEqual(seen, [], "no request went to the folder's address");
    } finally {
      await vscode.workspace
        .getConfiguration('nomad')
        .update('address', undefined, vscode.ConfigurationTarget.Workspace);
      await new Promise<void>(r => server.close(() => r()));
    }
  });

  it('its plan.variableFiles are not read, not even a file inside the folder', async () => {
    const job = ws(`${JOB}.nomad.hcl`);
    await vscode.workspace.fs.writeFile(
      job,
      Buffer.from(
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
      ),
    );
    const vars = ws('restricted-vars.hcl');
    await vscode.workspace.fs.writeFile(vars, Buffer.from('who = "from-the-folder-file"\n'));
    created.push(job, vars);
    await vscode.workspace
      .getConfiguration('nomad')
      .update('plan.variableFiles', ['restricted-vars.hcl'], vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(job);
    await vscode.commands.executeCommand('nomad.planJob', job);
    const vm = JSON.stringify(await until('the plan', () => api.plans.planOf(job)?.vm));
    assert.ok(!vm.includes('from-the-folder-file'), "the folder's variable file was not sent");
    assert.ok(vm.includes('from-the-default'), vm.slice(0, 400));
  });
});
