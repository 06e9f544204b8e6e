// Run plans the variables files as they are: a file named in nomad.plan.variableFiles that changed since
// the plan is read again at Run, and the plan of the job with the files as they are now is shown, with
// nothing submitted. Against the cluster test/extension/run.mjs started (the double, or a real agent).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { connectedApi, until, nomad, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-plan-vars';
const JOB_TEXT = `variable "greeting" {
  type = string
}

job "${JOB}" {
  datacenters = ["dc1"]
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "exec sleep 3600"]
      }
      env {
        GREETING = var.greeting
      }
      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
`;

describe('Run and the variables files', function () {
  let api: NomadExtensionApi;
  const job = ws('plan-vars.nomad.hcl');
  const vars = ws('plan-vars.vars.hcl');
  const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text));

  before(async () => {
    api = await connectedApi();
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await write(job, JOB_TEXT);
    await write(vars, 'greeting = "first"\n');
    await vscode.workspace
      .getConfiguration('nomad', job)
      .update('plan.variableFiles', ['plan-vars.vars.hcl'], vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('nomad', job)
      .update('plan.variableFiles', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const u of [job, vars]) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    // the setting's update left .vscode/settings.json behind: an empty one goes again (the folder is the repository's)
    const settings = ws('.vscode/settings.json');
    const left = await vscode.workspace.fs.readFile(settings).then(
      b => Buffer.from(b).toString('utf8'),
      () => undefined,
    );
    if (left !== undefined && Object.keys(JSON.parse(left) as object).length === 0)
      await vscode.workspace.fs.delete(ws('.vscode'), { recursive: true });
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  });

  it('a variables file changed since the plan: Run plans it as it is and shows that, submitting nothing', async () => {
    await vscode.window.showTextDocument(job);
    await vscode.commands.executeCommand('nomad.planJob', job);
    const first = await until('the plan', () => api.plans.planOf(job)?.vm);
    assert.strictEqual(first.change, 'new');
    assert.ok(JSON.stringify(first.root).includes('first'), 'the plan shows the value of the file');
    await write(vars, 'greeting = "second"\n');
    await api.plans.runShownPlan(job);
    const now = await until('the plan with the file as it is now', () => {
      const p = api.plans.planOf(job);
      return p?.vm && JSON.stringify(p.vm.root).includes('second') ? p : undefined;
    });
    assert.match(now.status.notice?.text ?? '', /variables file .*changed since the plan you saw/);
    await assert.rejects(nomad('GET', `/v1/job/${JOB}`), /404/, 'nothing was submitted');
  });
});
