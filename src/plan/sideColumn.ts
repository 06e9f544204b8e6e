import * as vscode from 'vscode';
import { readSetting } from '../config';

/** The webview type of plan panels (as tabs report it, possibly with a prefix). */
const PLAN_VIEW_TYPE = 'nomad.plan';

/**
 * The one editor column beside the editor where job definitions (and plans, with nomad.plan.openIn =
 * "beside") open: the column that already shows a plan, else the column right of the active one, else
 * the active one when it is the last of several, else a new column beside it.
 * So Plan, Plan again, and Show Job Definition share one column instead of opening a new one each time.
 */
export function sideColumn(): vscode.ViewColumn {
  const shown = planColumn();
  if (shown !== undefined) return shown;
  const groups = vscode.window.tabGroups.all;
  if (groups.length > 1) {
    const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
    const right = groups.find(g => g.viewColumn === active + 1);
    if (right) return right.viewColumn;
    // the active column is the last one: it already stands beside another
    return active;
  }
  return vscode.ViewColumn.Beside;
}

/** The column of the group that already shows a plan. */
function planColumn(): vscode.ViewColumn | undefined {
  for (const g of vscode.window.tabGroups.all) {
    if (g.tabs.some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PLAN_VIEW_TYPE)))
      return g.viewColumn;
  }
  return undefined;
}

export type PlanOpenIn = 'below' | 'beside' | 'tab';

/**
 * Where a new plan view opens, by nomad.plan.openIn: "below" the editor (default: the editor keeps its
 * width, and a plan's long rows have the window's), "beside" it (a column to its right, which halves the
 * editor), or as a "tab" in the editor's own group. A group that already shows a plan is reused.
 */
export function planPlacement(): { column: vscode.ViewColumn; below: boolean } {
  const openIn = readSetting('nomad.plan.openIn');
  const shown = planColumn();
  if (shown !== undefined) return { column: shown, below: false };
  if (openIn === 'beside') return { column: sideColumn(), below: false };
  const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
  return { column: active, below: openIn === 'below' };
}

/** Move a plan panel just opened in the editor's group into a new group below it, and give the
 *  editor back its focus. */
export async function moveBelow(panel: vscode.WebviewPanel, source: vscode.Uri): Promise<void> {
  panel.reveal(panel.viewColumn, false);
  await vscode.commands.executeCommand('workbench.action.moveEditorToBelowGroup');
  const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === source.toString());
  if (editor)
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
}

/** The column that shows `uri` in an editor (the source a plan came from), else the first column. */
export function editorColumn(uri: vscode.Uri): vscode.ViewColumn {
  const shown = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === uri.toString());
  return shown?.viewColumn ?? vscode.ViewColumn.One;
}
