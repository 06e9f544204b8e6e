// A plan view says what is true now, and Run submits only the plan of the file as it is: a plan that ran
// says "applied as version N" and is not submitted again; an edit after the plan makes it stale, and Run
// then plans the edited file and shows it (nothing submitted); closing the plan view does not end the
// deployment watch of its Run; with nomad.run.planFirst off, a failed plan submits nothing.
// Against the cluster test/extension/run.mjs started (the double, or a real agent).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { connectedApi, until, nomad, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-edges';
const versions = async () =>
  (
    await nomad<{ Versions: unknown[] }>('GET', `/v1/job/${JOB}/versions`).then(
      v => v.Versions,
      () => [],
    )
  ).length;

describe('a plan says what is true now', function () {
  let api: NomadExtensionApi;
  const uri = ws('edges.nomad.hcl');

  let original: Uint8Array;
  const restore = async () => {
    await vscode.workspace.fs.writeFile(uri, original);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  };

  before(async () => {
    original = await vscode.workspace.fs.readFile(uri);
    api = await connectedApi();
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('nomad')
      .update('run.planFirst', undefined, vscode.ConfigurationTarget.Global);
    await restore();
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  });

  it('a plan that ran says "applied as version 0", and Run does not submit it again', async () => {
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('nomad.planJob', uri);
    await until('the plan', () => api.plans.planOf(uri)?.vm);
    await api.plans.runShownPlan(uri);
    const applied = await until('applied', () => api.plans.planOf(uri)?.status.applied);
    assert.strictEqual(applied.version, 0);
    assert.strictEqual(await versions(), 1);
    await api.plans.runShownPlan(uri);
    assert.match(JSON.stringify(api.plans.planOf(uri)?.phase), /already applied as version 0/);
    assert.strictEqual(await versions(), 1, 'the applied plan was not submitted again');
    const outcome = await api.plans.lastWatch(uri);
    assert.strictEqual(outcome?.outcome, 'successful', JSON.stringify(outcome));
  });

  it('an edit after the plan makes it stale; Run plans the edited file and shows it, submitting nothing', async () => {
    await vscode.commands.executeCommand('nomad.planJob', uri);
    const shown = await until('a plan of the running job', () => {
      const p = api.plans.planOf(uri);
      return p?.vm && !p.status.applied ? p.vm : undefined;
    });
    assert.strictEqual(shown.change, 'none');
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = doc.getText().indexOf('"hello"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 7)), '"edited"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until('the plan marked stale', () => api.plans.planOf(uri)?.status.stale);
    await api.plans.runShownPlan(uri);
    const now = await until('the plan of the edited file', () => {
      const p = api.plans.planOf(uri);
      return p?.vm?.change === 'update' ? p : undefined;
    });
    assert.match(now.status.notice?.text ?? '', /file changed since the plan you saw/);
    assert.strictEqual(now.status.stale, false);
    assert.ok(JSON.stringify(now.vm!.root).includes('edited'), 'the new plan shows the edit');
    assert.strictEqual(await versions(), 1, 'nothing was submitted');
  });

  it('closing the plan view does not end the watch of its Run', async () => {
    await api.plans.runShownPlan(uri);
    const p = await until('submitted', () => api.plans.planOf(uri)?.status.applied);
    assert.strictEqual(p.version, 1);
    const watching = api.plans.lastWatch(uri);
    assert.ok(watching, 'a watch');
    api.plans.planOf(uri)!.panel.dispose();
    const outcome = await watching;
    assert.strictEqual(outcome?.outcome, 'successful', `the watch went on to its end: ${JSON.stringify(outcome)}`);
    assert.strictEqual(api.plans.planOf(uri), undefined, 'the view is closed');
  });

  it('with nomad.run.planFirst off, Run of a file whose plan fails submits nothing', async () => {
    await vscode.workspace.getConfiguration('nomad').update('run.planFirst', false, vscode.ConfigurationTarget.Global);
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.positionAt(doc.getText().indexOf('datacenters')), 'count_of_nothing = [\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const before = await versions();
    await vscode.commands.executeCommand('nomad.runJob', uri);
    assert.strictEqual(api.plans.planOf(uri)?.vm, undefined, 'no plan to submit');
    assert.strictEqual(await versions(), before, 'nothing was submitted');
  });

  it('Stop Watching ends the watch only: the deployment goes on in the cluster', async () => {
    const id = `ext-stopwatch-${Date.now().toString(36)}`;
    const file = ws(`${id}.nomad.hcl`);
    const hcl = (await vscode.workspace.fs.readFile(uri))
      .toString()
      .replace(/ext-edges/g, id)
      .replace('min_healthy_time = "1s"', 'min_healthy_time = "5m"')
      .replace('healthy_deadline = "1m"', 'healthy_deadline = "10m"')
      .replace('progress_deadline = "2m"', 'progress_deadline = "15m"');
    await vscode.workspace.fs.writeFile(file, Buffer.from(hcl));
    try {
      await vscode.commands.executeCommand('nomad.planJob', file);
      await until('the plan', () => api.plans.planOf(file)?.vm);
      await api.plans.runShownPlan(file);
      await until('deploying', () => api.plans.planOf(file)?.phase?.phase === 'deploying');
      // the watch can say "deploying" before the cluster has made the deployment: stop it once there is one
      await until(
        'the deployment',
        async () => (await nomad<{ ID?: string } | null>('GET', `/v1/job/${id}/deployment`))?.ID,
      );
      const watching = api.plans.lastWatch(file)!;
      await vscode.commands.executeCommand('nomad.stopWatchingDeployment', { jobId: id });
      const outcome = await watching;
      assert.strictEqual(outcome?.outcome, 'cancelled', JSON.stringify(outcome));
      assert.match(
        JSON.stringify(api.plans.planOf(file)?.phase),
        /Stopped watching the deployment \(it goes on in the cluster\)/,
      );
      const dep = await nomad<{ Status: string }>('GET', `/v1/job/${id}/deployment`);
      assert.strictEqual(dep.Status, 'running', 'the deployment goes on');
    } finally {
      await nomad('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });
});
