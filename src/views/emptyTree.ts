import * as vscode from 'vscode';

/** A tree with no items: VS Code then shows the view's `viewsWelcome` content (the not-connected state). */
export class EmptyClusterTree implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem { return element; }
  getChildren(): never[] { return []; }
}
