import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import type { CommandTable } from '../commands';
import {
  formatItems,
  validateVariablePath,
  VariableAccessDenied,
  VariablesClient,
  type VariableFormat,
} from '../nomad/variables';
import { plain, plainText, type Shown } from '../untrusted/shown';
import { VariablesFileSystem, VAR_SCHEME, varUri, type VarConflict } from './variablesFs';
import { VariablesTreeProvider, type VarNode } from './variablesTree';

const THEIRS_SCHEME = 'nomad-var-cluster';

/** A variable named directly (palette, tests): namespace and path. */
export interface VariableRef {
  namespace: string;
  path: string;
}

/** The Variables view, the nomad-var: file system, and the commands on them. */
export class VariablesFeature implements vscode.Disposable {
  readonly fs: VariablesFileSystem;
  readonly tree: VariablesTreeProvider;
  private readonly subs: vscode.Disposable[] = [];
  /** The cluster's side of the last conflict per document, for the read-only left side of the diff. */
  private readonly theirs = new Map<string, string>();
  private readonly theirsEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Conflicts seen (tests). */
  readonly conflicts: VarConflict[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    log: Logger,
  ) {
    this.fs = new VariablesFileSystem(connection, log);
    this.tree = new VariablesTreeProvider(connection, log);
    const view = vscode.window.createTreeView('nomad.variables', {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.subs.push(
      this.fs,
      this.tree,
      view,
      this.theirsEmitter,
      vscode.workspace.registerFileSystemProvider(VAR_SCHEME, this.fs, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(THEIRS_SCHEME, {
        onDidChange: this.theirsEmitter.event,
        provideTextDocumentContent: uri => this.theirs.get(uri.toString()) ?? '',
      }),
      this.fs.onConflict(c => void this.onConflict(c)),
      this.fs.onDidWrite(() => this.tree.refresh()),
      view.onDidChangeVisibility(e => {
        if (e.visible && connection.state.kind === 'disconnected') void connection.connect();
      }),
    );
  }

  commands(): CommandTable {
    return {
      'nomad.openVariable': (n?: VarNode | VariableRef) => this.open(n, 'hcl'),
      'nomad.openVariableAsJson': (n?: VarNode | VariableRef) => this.open(n, 'json'),
      'nomad.createVariable': (n?: VarNode, path?: string) => this.create(n, path),
      'nomad.deleteVariable': (n?: VarNode | VariableRef) => this.delete(n),
      'nomad.copyVariablePath': (n?: VarNode) => this.copyPath(n),
      'nomad.refreshVariables': () => this.tree.refresh(),
    };
  }

  private cluster(): string {
    return this.connection.currentCluster();
  }

  private async ref(n: VarNode | VariableRef | undefined, title: Shown): Promise<VariableRef | undefined> {
    if (n && 'kind' in n) {
      if (n.kind === 'variable' || n.kind === 'key') return { namespace: n.namespace, path: n.path };
      return undefined;
    }
    if (n && 'path' in n) return n;
    await this.connection.ensureConnected();
    const c = this.connection.client;
    if (!c) {
      await this.connection.reportState();
      return undefined;
    }
    let list;
    try {
      list = await new VariablesClient(c).list(this.connection.namespace);
    } catch (e) {
      void vscode.window.showErrorMessage(plain`${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (!list.length) {
      void vscode.window.showInformationMessage('There are no variables here yet: use "Nomad: Create Variable…".');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map(m => ({ label: plainText(m.Path), description: plain`${m.Namespace} · index ${m.ModifyIndex}`, m })),
      { title, matchOnDescription: true },
    );
    return pick ? { namespace: pick.m.Namespace, path: pick.m.Path } : undefined;
  }

  /** Opens the variable as an editable document; returns its URI. */
  async open(n: VarNode | VariableRef | undefined, format: VariableFormat): Promise<vscode.Uri | undefined> {
    const r = await this.ref(n, plain`Nomad: open which variable?`);
    if (!r) return undefined;
    const uri = varUri(this.cluster(), r.namespace, r.path, format);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri;
  }

  /** Asks for a path (under the folder chosen), opens a new document that saves with cas=0. */
  async create(n?: VarNode, path?: string): Promise<vscode.Uri | undefined> {
    const namespace =
      n && 'namespace' in n ? n.namespace : this.connection.namespace === '*' ? 'default' : this.connection.namespace;
    const prefix = n?.kind === 'folder' ? `${n.prefix}/` : n?.kind === 'variable' ? n.path.replace(/[^/]*$/, '') : '';
    const p =
      path ??
      (await vscode.window.showInputBox({
        title: plain`New variable in namespace ${namespace}`,
        prompt: "Its path, e.g. app/db or nomad/jobs/<job> (read by that job's tasks)",
        value: prefix,
        valueSelection: [prefix.length, prefix.length],
        validateInput: v => validateVariablePath(v.trim()),
      }));
    if (!p || validateVariablePath(p.trim())) return undefined;
    const c = this.connection.client;
    if (c) {
      const existing = await new VariablesClient(c).read(namespace, p.trim()).catch(() => undefined);
      if (existing) {
        const pick = await vscode.window.showWarningMessage(
          plain`A variable "${p.trim()}" already exists in ${namespace}.`,
          'Open It',
        );
        return pick ? this.open({ namespace, path: p.trim() }, 'hcl') : undefined;
      }
    }
    this.fs.markNew(this.cluster(), namespace, p.trim());
    const uri = varUri(this.cluster(), namespace, p.trim(), 'hcl');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    return uri;
  }

  async delete(n?: VarNode | VariableRef): Promise<boolean> {
    const r = await this.ref(n, plain`Nomad: delete which variable?`);
    if (!r) return false;
    const c = this.connection.client;
    if (!c) return false;
    // the version the user is looking at: the tree's, else the cluster's now
    let index = n && 'kind' in n && n.kind === 'variable' ? n.meta.ModifyIndex : undefined;
    try {
      if (index === undefined) index = (await new VariablesClient(c).read(r.namespace, r.path))?.ModifyIndex;
    } catch (e) {
      void vscode.window.showErrorMessage(plain`${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    if (index === undefined) {
      void vscode.window.showWarningMessage(plain`There is no variable "${r.path}" in ${r.namespace}.`);
      return false;
    }
    const ok = await vscode.window.showWarningMessage(
      plain`Delete the variable "${r.path}" from namespace ${r.namespace}?`,
      {
        modal: true,
        detail: plain`Only if it is still at modify index ${index} (check-and-set): a newer version is not deleted.`,
      },
      'Delete',
    );
    if (ok !== 'Delete') return false;
    try {
      const res = await this.fs.deleteAt(r.namespace, r.path, index);
      if (!res.ok) {
        void vscode.window.showWarningMessage(
          plain`"${r.path}" changed on the cluster (index ${index} → ${res.theirs ?? '?'}); it was not deleted.`,
        );
        return false;
      }
    } catch (e) {
      void vscode.window.showErrorMessage(
        plain`${e instanceof VariableAccessDenied ? e.message : `Could not delete "${r.path}": ${e instanceof Error ? e.message : String(e)}`}`,
      );
      return false;
    }
    void vscode.window.setStatusBarMessage(plain`Deleted variable ${r.path}`, 4000);
    return true;
  }

  private async copyPath(n?: VarNode): Promise<void> {
    const p = n?.kind === 'variable' || n?.kind === 'key' ? n.path : n?.kind === 'folder' ? n.prefix : undefined;
    if (p === undefined) return;
    await vscode.env.clipboard.writeText(p);
    void vscode.window.setStatusBarMessage(plain`Copied ${p}`, 3000);
  }

  /** A save was refused: show the cluster's version beside the user's and let them choose. */
  private async onConflict(c: VarConflict): Promise<void> {
    this.conflicts.push(c);
    const format: VariableFormat = c.uri.path.endsWith('.json') ? 'json' : 'hcl';
    const left = vscode.Uri.from({
      scheme: THEIRS_SCHEME,
      path: c.uri.path,
      query: `index=${c.theirs?.ModifyIndex ?? 0}`,
    });
    this.theirs.set(left.toString(), c.theirs ? formatItems(c.theirs.Items, format) : '');
    this.theirsEmitter.fire(left);
    const title = plain`${c.path.split('/').pop() ?? c.path}: the cluster's (index ${c.theirs?.ModifyIndex ?? '?'}) ↔ yours (unsaved)`;
    await vscode.commands.executeCommand('vscode.diff', left, c.uri, title, { preview: false });
    const mine = 'Save Mine Over Theirs',
      take = 'Take Theirs';
    const pick = await vscode.window.showWarningMessage(
      plain`"${c.path}" changed on the cluster since you opened it. Nothing was overwritten.`,
      { detail: 'Save Mine writes your version only if the cluster still has the version now shown on the left.' },
      mine,
      take,
    );
    if (pick === mine) {
      this.fs.rebase(c.uri, c.theirs?.ModifyIndex ?? 0);
      const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === c.uri.toString());
      await doc?.save();
    } else if (pick === take) {
      const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === c.uri.toString());
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
