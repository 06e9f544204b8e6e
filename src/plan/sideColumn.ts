import * as vscode from 'vscode';

/** The webview type of plan panels (as tabs report it, possibly with a prefix). */
const PLAN_VIEW_TYPE = 'nomad.plan';

/**
 * The one editor column beside the editor where plans and job definitions open: the column that already
 * shows a plan, else the column right of the active one, else the active one when it is the last of
 * several, else a new column beside it.
 * So Plan, Plan again, and Show Job Definition share one column instead of opening a new one each time.
 */
export function sideColumn(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups.all;
  for (const g of groups) {
    if (g.tabs.some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PLAN_VIEW_TYPE))) return g.viewColumn;
  }
  if (groups.length > 1) {
    const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
    const right = groups.find(g => g.viewColumn === active + 1);
    if (right) return right.viewColumn;
    // the active column is the last one: it already stands beside another
    return active;
  }
  return vscode.ViewColumn.Beside;
}

/** The column that shows `uri` in an editor (the source a plan came from), else the first column. */
export function editorColumn(uri: vscode.Uri): vscode.ViewColumn {
  const shown = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === uri.toString());
  return shown?.viewColumn ?? vscode.ViewColumn.One;
}
