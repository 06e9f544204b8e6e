import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import { VariableAccessDenied, VariablesClient, type VariableMeta } from '../nomad/variables';
import { joinShown, plain, plainText } from '../untrusted/shown';
import { BlockingWatcher } from '../nomad/watch';
import { treeId } from '../nomad/tree/ids';

export type VarNode =
  | { kind: 'namespace'; id: string; namespace: string }
  | { kind: 'folder'; id: string; namespace: string; prefix: string }
  | { kind: 'variable'; id: string; namespace: string; path: string; meta: VariableMeta }
  | { kind: 'key'; id: string; namespace: string; path: string; key: string }
  | { kind: 'message'; id: string; text: string; icon: string };

/** Builds the path tree of one namespace's variables: the children of `prefix` ('' = top). Pure. */
export function childrenOf(
  list: readonly VariableMeta[],
  namespace: string,
  prefix: string,
): Array<{ folder: string } | { variable: VariableMeta }> {
  const folders = new Set<string>();
  const vars: VariableMeta[] = [];
  const start = prefix ? `${prefix}/` : '';
  for (const m of list) {
    if (m.Namespace !== namespace || !m.Path.startsWith(start)) continue;
    const rest = m.Path.slice(start.length);
    const slash = rest.indexOf('/');
    if (slash < 0) vars.push(m);
    else folders.add(rest.slice(0, slash));
  }
  return [
    ...[...folders].sort().map(f => ({ folder: start + f })),
    ...vars.sort((a, b) => (a.Path < b.Path ? -1 : 1)).map(v => ({ variable: v })),
  ];
}

/**
 * The Variables view: namespace → path folders → variable → its keys (names only: values appear only
 * in an opened document). Kept current with a blocking query on /v1/vars while connected.
 */
export class VariablesTreeProvider implements vscode.TreeDataProvider<VarNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<VarNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private list: VariableMeta[] | undefined;
  private error: string | undefined;
  private watcher: BlockingWatcher<VariableMeta[] | null> | undefined;
  private readonly keys = new Map<string, string[]>();
  private readonly subs: vscode.Disposable[] = [];
  private generation = 0;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {
    this.subs.push(
      connection.onDidChange(s => {
        if (s.kind === 'connected') this.refresh();
        else if (s.kind !== 'connecting') {
          this.stop();
          this.list = undefined;
          this.emitter.fire(undefined);
        }
      }),
    );
  }

  /** What the view shows now (tests). */
  get variables(): readonly VariableMeta[] {
    return this.list ?? [];
  }

  refresh(): void {
    this.stop();
    this.keys.clear();
    const client = this.connection.client;
    if (!client) return;
    const gen = ++this.generation;
    const ns = this.connection.namespace;
    const vars = new VariablesClient(client);
    // one blocking query on /v1/vars, paced by the shared floor (nomad/pace.ts): a server that answers at
    // once, without an index or with the same one, is asked a few times a minute, not thousands of times
    const watcher = new BlockingWatcher<VariableMeta[] | null>(
      ({ index, wait, signal }) =>
        client.get<VariableMeta[] | null>('/v1/vars', { namespace: ns, signal, ...(index ? { index, wait } : {}) }),
      body => {
        if (gen !== this.generation) return;
        this.list = (body ?? []).map(m => ({ ...m }));
        this.error = undefined;
        this.keys.clear();
        this.emitter.fire(undefined);
      },
      {
        random: Math.random,
        onAnswer: () => {
          if (gen === this.generation && this.error) {
            this.error = undefined;
            this.emitter.fire(undefined);
          }
        },
        onError: (e, info) => {
          if (gen !== this.generation) return;
          this.error = e instanceof Error ? e.message : String(e);
          this.log.warn(
            `variables view: ${this.error}${info.willRetry ? ` (retrying in ${Math.round(info.delayMs / 1000)} s)` : ''}`,
          );
          if (!this.list) this.list = [];
          this.emitter.fire(undefined);
          // refused: say why in the words of the Variables client (which capability the policy lacks)
          if (!info.willRetry) {
            void vars.list(ns).catch((e2: unknown) => {
              if (gen === this.generation && e2 instanceof VariableAccessDenied) {
                this.error = e2.message;
                this.list = [];
                this.emitter.fire(undefined);
              }
            });
          }
        },
      },
    );
    this.watcher = watcher;
    void watcher.start();
  }

  private stop(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    this.generation++;
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(el?: VarNode): Promise<VarNode[]> {
    if (this.connection.state.kind !== 'connected') return [];
    if (!this.list) return [{ kind: 'message', id: 'vars:loading', text: 'Loading…', icon: 'loading~spin' }];
    const list = this.list;
    if (!el) {
      const out: VarNode[] = [];
      if (this.error) out.push({ kind: 'message', id: 'vars:error', text: this.error, icon: 'error' });
      const cur = this.connection.namespace;
      const namespaces = new Set(list.map(m => m.Namespace));
      if (cur !== '*') namespaces.add(cur);
      for (const ns of [...namespaces].sort())
        out.push({ kind: 'namespace', id: treeId('vars-ns', ns), namespace: ns });
      return out;
    }
    if (el.kind === 'namespace' || el.kind === 'folder') {
      const prefix = el.kind === 'folder' ? el.prefix : '';
      const kids = childrenOf(list, el.namespace, prefix).map((c): VarNode =>
        'folder' in c
          ? {
              kind: 'folder',
              id: treeId('vars-folder', el.namespace, c.folder),
              namespace: el.namespace,
              prefix: c.folder,
            }
          : {
              kind: 'variable',
              id: treeId('vars-var', el.namespace, c.variable.Path),
              namespace: el.namespace,
              path: c.variable.Path,
              meta: c.variable,
            },
      );
      if (!kids.length && el.kind === 'namespace')
        return [
          {
            kind: 'message',
            id: treeId('vars-empty', el.namespace),
            text: 'No variables (Create Variable… in the view title)',
            icon: 'info',
          },
        ];
      return kids;
    }
    if (el.kind === 'variable') {
      const k = treeId('vars-keys', el.namespace, el.path, el.meta.ModifyIndex);
      let names = this.keys.get(k);
      if (!names) {
        const client = this.connection.client;
        if (!client) return [];
        try {
          const v = await new VariablesClient(client).read(el.namespace, el.path);
          names = Object.keys(v?.Items ?? {}).sort();
        } catch (e) {
          return [
            {
              kind: 'message',
              id: treeId('vars-key-error', el.id),
              text: e instanceof Error ? e.message : String(e),
              icon: 'error',
            },
          ];
        }
        this.keys.set(k, names);
      }
      return names.map(name => ({
        kind: 'key',
        id: treeId('vars-key', el.namespace, el.path, name),
        namespace: el.namespace,
        path: el.path,
        key: name,
      }));
    }
    return [];
  }

  getTreeItem(el: VarNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (el.kind) {
      case 'message': {
        const t = new vscode.TreeItem(plainText(el.text), C.None);
        t.iconPath = new vscode.ThemeIcon(el.icon);
        t.tooltip = plainText(el.text);
        return t;
      }
      case 'namespace': {
        const t = new vscode.TreeItem(plainText(el.namespace), C.Expanded);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('folder-library');
        t.contextValue = 'varNamespace';
        const n = (this.list ?? []).filter(m => m.Namespace === el.namespace).length;
        t.description = plain`${n} variable${n === 1 ? '' : 's'}`;
        return t;
      }
      case 'folder': {
        const t = new vscode.TreeItem(plainText(el.prefix.split('/').pop()), C.Collapsed);
        t.id = el.id;
        t.iconPath = vscode.ThemeIcon.Folder;
        t.contextValue = 'varFolder';
        t.tooltip = plainText(el.prefix);
        return t;
      }
      case 'variable': {
        const t = new vscode.TreeItem(plainText(el.path.split('/').pop()), C.Collapsed);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('symbol-key');
        t.contextValue = 'variable';
        const when = el.meta.ModifyTime ? new Date(el.meta.ModifyTime / 1e6).toLocaleString() : '';
        t.description = plain`index ${el.meta.ModifyIndex}`;
        t.tooltip = joinShown(
          [
            plainText(el.path),
            plain`namespace ${el.namespace}`,
            plain`modify index ${el.meta.ModifyIndex}`,
            when ? plain`modified ${when}` : undefined,
            plain`(values only in the opened document)`,
          ],
          plain`\n`,
        );
        t.command = { command: 'nomad.openVariable', title: 'Open Variable', arguments: [el] };
        return t;
      }
      case 'key': {
        const t = new vscode.TreeItem(plainText(el.key), C.None);
        t.id = el.id;
        t.iconPath = new vscode.ThemeIcon('symbol-field');
        t.contextValue = 'variableKey';
        return t;
      }
    }
  }

  dispose(): void {
    this.stop();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
