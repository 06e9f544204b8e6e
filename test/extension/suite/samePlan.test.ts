// "Run exactly the plan you saw" in a real VS Code: a plan shown with every allocation placed goes stale
// when the only node is made ineligible; Run plans again, says the cluster's answer differs, and with
// the question declined nothing is submitted.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, until, nomad, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const JOB = 'ext-stale-plan';

describe('run exactly the plan you saw', function () {
  let api: NomadExtensionApi;
  const uri = ws('stale-plan.nomad.hcl');
  let nodeId = '';

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.switchCluster('default');
    await api.cluster.connect();
    nodeId = (await nomad<Array<{ ID: string }>>('GET', '/v1/nodes'))[0]!.ID;
  });
  after(async () => {
    await nomad('POST', `/v1/node/${nodeId}/eligibility`, { NodeID: nodeId, Eligibility: 'eligible' }).catch(
      () => undefined,
    );
    await nomad('DELETE', `/v1/job/${JOB}?purge=true`).catch(() => undefined);
  });

  it('a node made ineligible after the plan stops Run before anything is submitted', async () => {
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('nomad.planJob', uri);
    const shown = await until('the plan', () => api.plans.planOf(uri)?.vm);
    assert.ok(shown.allPlaced, 'the plan shown places everything');
    await nomad('POST', `/v1/node/${nodeId}/eligibility`, { NodeID: nodeId, Eligibility: 'ineligible' });
    const original = vscode.window.showWarningMessage;
    const asked: string[] = [];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (
      m: string,
      o?: { detail?: string },
    ) => {
      asked.push(`${m}\n${o?.detail ?? ''}`);
      return undefined;
    };
    try {
      await api.plans.runShownPlan(uri);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    // one sentence: the differences are behind a button, not a wall of diff paths in the dialog
    const question = asked.find(a => /would now do something other than the plan shown/.test(a));
    assert.ok(question, asked.join('\n---\n'));
    assert.ok(!/placement|•|=>/.test(question), question);
    const phase = api.plans.planOf(uri)?.phase;
    assert.strictEqual(phase?.phase, 'error', JSON.stringify(phase));
    // "Show What Differs": the new plan, the differences listed above it, nothing submitted
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async () => 'Show What Differs';
    try {
      await api.plans.runShownPlan(uri);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    const notice = api.plans.planOf(uri)?.status.notice;
    assert.ok(
      notice && /Nothing was submitted/.test(notice.text) && (notice.details ?? []).some(d => /placement/.test(d)),
      JSON.stringify(notice),
    );
    assert.ok(!api.plans.planOf(uri)?.vm?.allPlaced, 'the new plan is shown');
    const r = await fetch(`${process.env.NOMAD_ADDR ?? 'http://127.0.0.1:4646'}/v1/job/${JOB}`, {
      headers: process.env.NOMAD_TOKEN ? { 'x-nomad-token': process.env.NOMAD_TOKEN } : {},
    });
    assert.strictEqual(r.status, 404, 'nothing was submitted');
  });
});
