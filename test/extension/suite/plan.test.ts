// Plan → Run with check-index → a stale index is refused and re-planned; and Nomad's own validation
// shown as "Nomad (cluster)" diagnostics. Against the cluster test/extension/run.mjs started.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, until, nomad, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-plan-printer';

describe('plan and run', function () {
  let api: NomadExtensionApi;
  const uri = ws('printer.nomad.hcl');

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
    await api.cluster.connect();
  });
  after(async () => {
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  });

  it("Plan opens the webview with the cluster's diff of a new job", async () => {
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('nomad.planJob', uri);
    const plan = await until('the plan', () => api.plans.planOf(uri)?.vm);
    assert.ok(
      api.plans.planOf(uri)!.panel.visible || api.plans.planOf(uri)!.panel.active !== undefined,
      'a plan panel exists',
    );
    assert.strictEqual(plan.change, 'new');
    assert.strictEqual(plan.jobModifyIndex, 0);
    assert.strictEqual(plan.root?.label, `Job: "${JOB}"`);
    assert.strictEqual(plan.root?.marker, '+');
    const group = plan.root!.children.find(r => r.kind === 'group')!;
    assert.strictEqual(group.note, '(1 create)');
    assert.match(plan.cliLine, /^nomad job run -check-index 0 printer\.nomad\.hcl$/);
    assert.ok(plan.allPlaced);
  });

  it('Run registers the job with check-index 0', async () => {
    await api.plans.runShownPlan(uri);
    // submitted: the watch of its deployment may already have begun (or ended)
    const phase = api.plans.planOf(uri)?.phase?.phase;
    assert.ok(
      phase === 'submitted' || phase === 'deploying' || phase === 'done',
      JSON.stringify(api.plans.planOf(uri)?.phase),
    );
    const job = await nomad<{ ID: string; Version: number; JobModifyIndex: number }>('GET', `/v1/job/${JOB}`);
    assert.strictEqual(job.Version, 0);
    // the submitted HCL is kept with the version
    const sub = await nomad<{ Source: string }>('GET', `/v1/job/${JOB}/submission?version=0`);
    assert.match(sub.Source, /job "ext-plan-printer"/);
  });

  it('a job changed elsewhere after the plan is refused, and Re-plan shows the new index', async () => {
    await vscode.commands.executeCommand('nomad.planJob', uri);
    const before = await until('a plan of the registered job', () => {
      const p = api.plans.planOf(uri)?.vm;
      return p && p.jobModifyIndex > 0 ? p : undefined;
    });
    // someone else changes the job
    const current = await nomad<Record<string, unknown>>('GET', `/v1/job/${JOB}`);
    await nomad('POST', '/v1/jobs', { Job: { ...current, Meta: { changedBy: 'someone else' } } });
    const changed = await nomad<{ JobModifyIndex: number }>('GET', `/v1/job/${JOB}`);
    assert.ok(changed.JobModifyIndex > before.jobModifyIndex);
    const original = vscode.window.showWarningMessage;
    let warned = '';
    // planned again at Run, the cluster's answer differs (the other change shows in the diff): run it anyway,
    // so that check-index is what refuses it
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (m: string) => {
      if (/would now do something other than the plan shown/.test(m)) return 'Run the New Plan';
      warned = m;
      return 'Re-plan';
    };
    try {
      await api.plans.runShownPlan(uri);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    assert.match(warned, /changed since your plan/);
    const after = await until('the re-plan at the new index', () => {
      const p = api.plans.planOf(uri)?.vm;
      return p && p.jobModifyIndex === changed.JobModifyIndex ? p : undefined;
    });
    assert.strictEqual(after.change, 'update', 'the re-plan shows the other change as a difference');
    const job = await nomad<{ Meta: Record<string, string> }>('GET', `/v1/job/${JOB}`);
    assert.deepStrictEqual(job.Meta, { changedBy: 'someone else' }, 'nothing was overwritten');
  });
});

describe('validation by the cluster', () => {
  it('shows what only Nomad checks, on the right lines, labelled as coming from the cluster', async () => {
    const api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.connect();
    const doc = await vscode.workspace.openTextDocument(ws('server-checks.nomad.hcl'));
    await vscode.window.showTextDocument(doc);
    const diags = await api.validation.check(doc);
    const constraint = diags.find(d => /Unknown constraint type "is_awesome"/.test(d.message));
    const memory = diags.find(d => /minimum MemoryMB value is 10; got 5/.test(d.message));
    assert.ok(constraint && memory, JSON.stringify(diags.map(d => d.message)));
    assert.strictEqual(constraint.source, 'Nomad (cluster)');
    assert.match(doc.lineAt(constraint.range.start.line).text, /operator/);
    assert.match(doc.lineAt(memory.range.start.line).text, /memory\s*=\s*5/);
    const shown = await until('the cluster diagnostics in the editor', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter(x => x.source === 'Nomad (cluster)');
      return d.length >= 2 ? d : undefined;
    });
    assert.ok(shown.length >= 2);
    // an edit hides them until the next check
    const editor = vscode.window.activeTextEditor!;
    await editor.edit(e => e.insert(new vscode.Position(0, 0), '# edited\n'));
    try {
      await until(
        'cluster diagnostics cleared on edit',
        () => vscode.languages.getDiagnostics(doc.uri).every(x => x.source !== 'Nomad (cluster)') || undefined,
        10000,
      );
    } finally {
      // undo the edit in this document itself (a revert command acts on whatever editor is active, and the
      // file must not be left changed for the next suites nor in the repository)
      await editor.edit(e => e.delete(new vscode.Range(0, 0, 1, 0)));
      if (doc.isDirty) await doc.save();
    }
  });
});
