// Authoring that knows the cluster, in a real VS Code against the cluster under test (the double, or a
// real agent with NOMAD_BIN): once connected, a job asking for datacenter dc2 gets the cluster's warning
// (labelled with the cluster and the data's age), and completion of `driver` offers the cluster's healthy
// drivers first, as the node list says they are.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, nomad, connectedApi } from './util';

const TEXT = `job "aware" {
  datacenters = ["dc2"]
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
      }
    }
  }
}
`;

interface NodeStub {
  ID: string;
  Drivers: Record<string, { Detected: boolean; Healthy: boolean }>;
}

describe('authoring that knows the cluster', function () {
  let doc: vscode.TextDocument;
  before(async () => {
    await connectedApi();
    doc = await vscode.workspace.openTextDocument({ language: 'nomad', content: TEXT });
    await vscode.window.showTextDocument(doc);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("warns that no node of the cluster is in dc2, with the cluster's name and the data's age", async () => {
    const d = await until(
      'the cluster warning',
      () => vscode.languages.getDiagnostics(doc.uri).find(x => x.source === 'Nomad (cluster)'),
      90_000,
    );
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.range.start.line, 1);
    assert.match(
      d.message,
      /No node of the cluster is in datacenter dc2: it has dc1 \(\d+ nodes?\)\. \(cluster [^,]+, read \d+ (s|min) ago\)/,
    );
  });

  it("completes driver with the cluster's healthy drivers first", async () => {
    const nodes = await nomad<NodeStub[]>('GET', '/v1/nodes');
    const healthy = new Set(
      nodes.flatMap(n =>
        Object.entries(n.Drivers ?? {})
          .filter(([, i]) => i.Healthy)
          .map(([k]) => k),
      ),
    );
    assert.ok(healthy.has('raw_exec'), [...healthy].join(','));
    const pos = new vscode.Position(4, 16);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      pos,
    );
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const ours = list.items.filter(i => /healthy on|not detected|detected on/.test(String(i.detail ?? '')));
    assert.ok(ours.length >= healthy.size, list.items.map(label).join(','));
    const sorted = [...ours].sort((a, b) =>
      String(a.sortText ?? label(a)).localeCompare(String(b.sortText ?? label(b))),
    );
    const firstHealthy = sorted.slice(0, healthy.size).map(label);
    assert.deepStrictEqual([...firstHealthy].sort(), [...healthy].sort());
    assert.match(String(sorted[0]!.detail), /healthy on \d+ nodes?/);
  });
});
