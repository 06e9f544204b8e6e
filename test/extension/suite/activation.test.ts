// Connected at start (issue 23, item 3): with NOMAD_ADDR set (test/extension/run.mjs sets it) and a Nomad
// file open, the extension connects by itself — nothing here calls connect, plans or opens the Nomad
// view — and job files are checked against the cluster's Nomad version from then on. This file runs
// first (mocha takes the files in name order), before any other test connects.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, until, ws } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

describe('connected at start', () => {
  it('a Nomad file open and NOMAD_ADDR set: connected without being asked, and the checks follow the cluster', async () => {
    const api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ws('printer.nomad.hcl')));
    const state = await until(
      'connected by itself',
      () => {
        const s = api.cluster.state();
        return s.kind === 'connected' ? s : undefined;
      },
      30_000,
    );
    assert.strictEqual(state.kind, 'connected');
    const target = await until(
      "the cluster's version as the target",
      () => {
        const t = api.language.target();
        return t?.source === 'cluster' && !t.remembered ? t : undefined;
      },
      30_000,
    );
    const self = (await (
      await fetch(`${process.env.NOMAD_ADDR}/v1/agent/self`, {
        headers: process.env.NOMAD_TOKEN ? { 'x-nomad-token': process.env.NOMAD_TOKEN } : {},
      })
    ).json()) as { config: { Version: { Version: string } } };
    assert.strictEqual(target.version, self.config.Version.Version);
    assert.match(api.cluster.statusBar().text, /\$\(server-environment\) Nomad: /);
  });
});
