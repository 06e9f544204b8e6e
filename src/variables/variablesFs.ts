import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../logger';
import {
  formatItems,
  parseItems,
  validateVariablePath,
  VariableAccessDenied,
  VariableError,
  VariablesClient,
  type Variable,
  type VariableFormat,
} from '../nomad/variables';
import { plain, plainText, visible } from '../untrusted/shown';

export const VAR_SCHEME = 'nomad-var';

/** What a nomad-var: URI names: `nomad-var://<cluster>/<namespace>/<path>.<hcl|json>`, or a folder. */
export type VarLocation =
  | { kind: 'variable'; cluster: string; namespace: string; path: string; format: VariableFormat }
  | { kind: 'folder'; cluster: string; namespace: string; prefix: string };

export function parseVarUri(uri: vscode.Uri): VarLocation | undefined {
  if (uri.scheme !== VAR_SCHEME) return undefined;
  const parts = uri.path.split('/').filter(Boolean).map(decodeURIComponent);
  const namespace = parts.shift();
  if (!namespace) return undefined;
  const last = parts[parts.length - 1];
  const m = last ? /^(.*)\.(hcl|json)$/.exec(last) : null;
  if (m && m[1]) {
    parts[parts.length - 1] = m[1];
    return {
      kind: 'variable',
      cluster: uri.authority,
      namespace,
      path: parts.join('/'),
      format: m[2] as VariableFormat,
    };
  }
  return { kind: 'folder', cluster: uri.authority, namespace, prefix: parts.join('/') };
}

export function varUri(cluster: string, namespace: string, path: string, format: VariableFormat): vscode.Uri {
  const segs = [namespace, ...path.split('/')].map(encodeURIComponent);
  segs[segs.length - 1] += `.${format}`;
  return vscode.Uri.from({ scheme: VAR_SCHEME, authority: cluster, path: `/${segs.join('/')}` });
}

/** A save that found another version on the cluster. */
export interface VarConflict {
  uri: vscode.Uri;
  namespace: string;
  path: string;
  openedIndex: number;
  theirs: Variable | undefined;
  mine: Record<string, string>;
}

/**
 * Variables as files. Reading remembers the ModifyIndex of the version read; a save writes with
 * `?cas=<that index>`, so a variable changed on the cluster since is never overwritten: the save
 * fails, nothing is written, and `onConflict` hands both versions to the UI. Values stay in the
 * documents: errors, logs and notifications name paths and keys only.
 */
export class VariablesFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly conflictEmitter = new vscode.EventEmitter<VarConflict>();
  readonly onConflict = this.conflictEmitter.event;
  private readonly writtenEmitter = new vscode.EventEmitter<{ namespace: string; path: string; deleted: boolean }>();
  /** Fires after a confirmed write or delete (the tree refreshes). */
  readonly onDidWrite = this.writtenEmitter.event;
  /** uri (without format) → the ModifyIndex of the version the editor holds; 0 = a new variable */
  private readonly opened = new Map<string, number>();
  /** What stat() reports for a document the editor holds: the version it read or wrote, so VS Code's own
   *  "modified since" check does not refuse a save before check-and-set can (our conflict view is the
   *  one that explains and offers the choice). */
  private readonly shownStat = new Map<string, { mtime: number; ctime: number; size: number }>();
  /** Save → confirmed-write times in ms (the figure the issue asks for; never values). */
  readonly saveTimes: number[] = [];

  constructor(
    private readonly connection: ClusterConnection,
    private readonly log: Logger,
  ) {}

  private key(l: { namespace: string; path: string; cluster: string }): string {
    return JSON.stringify([l.cluster, l.namespace, l.path]);
  }

  /** A new variable: the document opens with a template and saves with cas=0 (create only). */
  markNew(cluster: string, namespace: string, path: string): void {
    this.opened.set(this.key({ cluster, namespace, path }), 0);
  }

  /** After the user chose to save their version over the cluster's: the next save checks that index. */
  rebase(uri: vscode.Uri, index: number): void {
    const l = parseVarUri(uri);
    if (l?.kind === 'variable') this.opened.set(this.key(l), index);
  }

  /** The index the editor's version was read at (tests and the conflict UI). */
  openedIndex(uri: vscode.Uri): number | undefined {
    const l = parseVarUri(uri);
    return l?.kind === 'variable' ? this.opened.get(this.key(l)) : undefined;
  }

  private async vars(l: VarLocation): Promise<VariablesClient> {
    await this.connection.ensureConnected();
    const c = this.connection.client;
    if (!c) throw vscode.FileSystemError.Unavailable('Not connected to a Nomad cluster.');
    const current = this.connection.currentCluster();
    if (l.cluster !== current)
      throw vscode.FileSystemError.Unavailable(
        plain`This variable belongs to the cluster "${l.cluster}"; the connected cluster is "${current}". Switch clusters to open it.`,
      );
    return new VariablesClient(c);
  }

  private fsError(e: unknown): Error {
    if (e instanceof vscode.FileSystemError) return e;
    if (e instanceof VariableAccessDenied) return vscode.FileSystemError.NoPermissions(plainText(e.message));
    if (e instanceof VariableError) return new vscode.FileSystemError(plain`Nomad refused it: ${e.message}`);
    return vscode.FileSystemError.Unavailable(e instanceof Error ? plain`${e.message}` : 'Nomad could not be reached.');
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const l = parseVarUri(uri);
    if (!l) throw vscode.FileSystemError.FileNotFound(uri);
    if (l.kind === 'folder') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    if (this.opened.get(this.key(l)) === 0) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: 0 };
    const shown = this.shownStat.get(uri.toString());
    if (shown) return { type: vscode.FileType.File, ...shown };
    let v: Variable | undefined;
    try {
      v = await (await this.vars(l)).read(l.namespace, l.path);
    } catch (e) {
      throw this.fsError(e);
    }
    if (!v) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: vscode.FileType.File,
      ctime: Math.floor(v.CreateTime / 1e6),
      mtime: Math.floor(v.ModifyTime / 1e6),
      size: Buffer.byteLength(formatItems(v.Items, l.format)),
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const l = parseVarUri(uri);
    if (!l || l.kind !== 'folder') throw vscode.FileSystemError.FileNotADirectory(uri);
    const prefix = l.prefix ? `${l.prefix}/` : '';
    let list;
    try {
      list = await (await this.vars(l)).list(l.namespace, prefix);
    } catch (e) {
      throw this.fsError(e);
    }
    const out = new Map<string, vscode.FileType>();
    for (const m of list) {
      const rest = m.Path.slice(prefix.length).split('/');
      if (rest.length === 1) out.set(`${rest[0]!}.hcl`, vscode.FileType.File);
      else out.set(rest[0]!, vscode.FileType.Directory);
    }
    return [...out.entries()];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const l = parseVarUri(uri);
    if (!l || l.kind !== 'variable') throw vscode.FileSystemError.FileNotFound(uri);
    const k = this.key(l);
    if (this.opened.get(k) === 0) {
      return Buffer.from(
        l.format === 'json'
          ? '{\n  "key": "value"\n}\n'
          : formatItems(
              { key: 'value' },
              'hcl',
              `New variable ${l.path} in ${l.namespace}: one "key = value" per item.\nSaving creates it (only if nobody created it meanwhile).`,
            ),
      );
    }
    let v: Variable | undefined;
    try {
      v = await (await this.vars(l)).read(l.namespace, l.path);
    } catch (e) {
      throw this.fsError(e);
    }
    if (!v) throw vscode.FileSystemError.FileNotFound(uri);
    this.opened.set(k, v.ModifyIndex);
    const bytes = Buffer.from(
      formatItems(
        v.Items,
        l.format,
        l.format === 'hcl'
          ? `${l.path} (namespace ${l.namespace}, modify index ${v.ModifyIndex}). Saved with check-and-set.`
          : undefined,
      ),
    );
    this.shownStat.set(uri.toString(), {
      ctime: Math.floor(v.CreateTime / 1e6),
      mtime: Math.floor(v.ModifyTime / 1e6),
      size: bytes.length,
    });
    return bytes;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const l = parseVarUri(uri);
    if (!l || l.kind !== 'variable') throw vscode.FileSystemError.NoPermissions('Only variables can be written here.');
    const pathErr = validateVariablePath(l.path);
    if (pathErr) throw new vscode.FileSystemError(plainText(pathErr));
    const parsed = parseItems(Buffer.from(content).toString('utf8'), l.format);
    if (!parsed.ok) throw new vscode.FileSystemError(parsed.error);
    if (!Object.keys(parsed.items).length)
      throw new vscode.FileSystemError(
        'A variable needs at least one item (Nomad refuses empty ones). To remove it, use Delete Variable.',
      );
    const k = this.key(l);
    const cas = this.opened.get(k);
    if (cas === undefined)
      throw new vscode.FileSystemError(
        'Open the variable from the Variables view before saving: its version is needed for check-and-set.',
      );
    const client = await this.vars(l).catch((e: unknown) => {
      throw this.fsError(e);
    });
    const t0 = performance.now();
    let r;
    try {
      r = await client.write(l.namespace, l.path, parsed.items, cas);
    } catch (e) {
      throw this.fsError(e);
    }
    if (!r.ok) {
      const theirs = r.conflict;
      this.log.info(
        `variable ${visible(l.path)} (${visible(l.namespace)}): save refused, the cluster has index ${theirs?.ModifyIndex ?? '?'} (opened at ${cas})`,
      );
      this.conflictEmitter.fire({
        uri,
        namespace: l.namespace,
        path: l.path,
        openedIndex: cas,
        theirs,
        mine: parsed.items,
      });
      throw new vscode.FileSystemError(
        cas === 0
          ? plain`The variable "${l.path}" was created on the cluster meanwhile. Nothing was overwritten: compare the two versions and choose.`
          : plain`The variable "${l.path}" changed on the cluster since you opened it (index ${cas} → ${theirs?.ModifyIndex ?? '?'}). Nothing was overwritten: compare the two versions and choose.`,
      );
    }
    const ms = performance.now() - t0;
    this.saveTimes.push(ms);
    this.opened.set(k, r.variable.ModifyIndex);
    this.shownStat.set(uri.toString(), {
      ctime: Math.floor(r.variable.CreateTime / 1e6),
      mtime: Math.max(Math.floor(r.variable.ModifyTime / 1e6), (this.shownStat.get(uri.toString())?.mtime ?? 0) + 1),
      size: content.byteLength,
    });
    this.log.info(
      r.alreadyWritten
        ? `variable ${visible(l.path)} (${visible(l.namespace)}): the cluster already holds exactly this version at index ${r.variable.ModifyIndex} (an earlier save's answer was lost); nothing written twice`
        : `variable ${visible(l.path)} (${visible(l.namespace)}) saved at index ${r.variable.ModifyIndex} in ${ms.toFixed(1)} ms`,
    );
    this.changeEmitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.writtenEmitter.fire({ namespace: l.namespace, path: l.path, deleted: false });
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const l = parseVarUri(uri);
    if (!l || l.kind !== 'variable')
      throw vscode.FileSystemError.NoPermissions('Only variables can be deleted, one at a time.');
    const client = await this.vars(l).catch((e: unknown) => {
      throw this.fsError(e);
    });
    const k = this.key(l);
    let cas = this.opened.get(k);
    try {
      if (cas === undefined || cas === 0) cas = (await client.read(l.namespace, l.path))?.ModifyIndex;
      if (cas === undefined) throw vscode.FileSystemError.FileNotFound(uri);
      const r = await client.delete(l.namespace, l.path, cas);
      if (!r.ok)
        throw new vscode.FileSystemError(
          plain`The variable "${l.path}" changed on the cluster (index ${cas} → ${r.conflict?.ModifyIndex ?? '?'}); it was not deleted.`,
        );
    } catch (e) {
      throw this.fsError(e);
    }
    this.opened.delete(k);
    this.shownStat.delete(uri.toString());
    this.changeEmitter.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    this.writtenEmitter.fire({ namespace: l.namespace, path: l.path, deleted: true });
  }

  /** Delete with check-and-set at a given index (the version the tree showed). */
  async deleteAt(
    namespace: string,
    path: string,
    index: number,
  ): Promise<{ ok: true } | { ok: false; theirs: number | undefined }> {
    const cluster = this.connection.currentCluster();
    const client = await this.vars({ kind: 'variable', cluster, namespace, path, format: 'hcl' });
    const r = await client.delete(namespace, path, index);
    if (!r.ok) return { ok: false, theirs: r.conflict?.ModifyIndex };
    this.opened.delete(this.key({ cluster, namespace, path }));
    for (const u of [...this.shownStat.keys()]) {
      const x = parseVarUri(vscode.Uri.parse(u));
      if (x?.kind === 'variable' && x.cluster === cluster && x.namespace === namespace && x.path === path)
        this.shownStat.delete(u);
    }
    this.writtenEmitter.fire({ namespace, path, deleted: true });
    return { ok: true };
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(
      'Variables have no folders: a folder exists while a variable path goes through it.',
    );
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions(
      'Variables cannot be renamed; create one at the new path and delete the old one.',
    );
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.conflictEmitter.dispose();
    this.writtenEmitter.dispose();
  }
}
