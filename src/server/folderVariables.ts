/**
 * The input variables declared by the job files next to a variables file, for its checks and
 * completion. Job files are read from disk (the server runs on the editor's machine; `file:` URIs only),
 * cached by mtime and size; open documents take precedence over the disk. A variables file named
 * `api.vars.hcl` (or `api.auto.vars.hcl`, `api.varfile` …) is matched with the job files named `api.*`;
 * when there is none, every job file of the folder that declares variables counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, type HclFile } from '../language/hcl';
import {
  collectDeclarations,
  detectFileKind,
  kindFromFileName,
  makeVarsContext,
  type DeclaredVariable,
  type VarsContext,
} from '../language/kinds';

/** Files larger than this are not read (a job file is a few KiB). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** At most this many sibling files are looked at. */
const MAX_FILES = 200;

const JOB_EXT = /\.(nomad|hcl|nomad\.hcl)$/i;

interface CacheEntry {
  mtimeMs: number;
  size: number;
  declarations: DeclaredVariable[] | undefined;
}

/** An open document as the server holds it. */
export interface OpenDocument {
  uri: string;
  file: HclFile;
}

export class FolderVariables {
  private readonly cache = new Map<string, CacheEntry>();

  /** `openDocuments` lists the open documents (parsed) so their unsaved text wins over the disk. */
  constructor(private readonly openDocuments: () => OpenDocument[]) {}

  /** The folder (a path) of a `file:` URI, or undefined. */
  static folderOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return path.dirname(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  }

  /** Declarations for the variables file `uri`; undefined when no job file is found (names go unchecked). */
  contextFor(uri: string): VarsContext | undefined {
    const folder = FolderVariables.folderOf(uri);
    if (!folder) return undefined;
    const self = fileURLToPath(uri);
    const jobs = new Map<string, DeclaredVariable[]>();
    const open = new Map<string, HclFile>();
    for (const d of this.openDocuments()) {
      const p = d.uri.startsWith('file:') ? safePath(d.uri) : undefined;
      if (p && path.dirname(p) === folder && p !== self) open.set(p, d.file);
    }
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder);
    } catch {
      /* unreadable folder: open documents only */
    }
    const candidates = new Set<string>(open.keys());
    for (const n of names.slice(0, MAX_FILES)) {
      if (JOB_EXT.test(n) && kindFromFileName(n) !== 'vars') candidates.add(path.join(folder, n));
    }
    candidates.delete(self);
    for (const p of candidates) {
      const file = open.get(p);
      const decls = file ? declarationsOf(file, p) : this.fromDisk(p);
      if (decls) jobs.set(p, decls);
    }
    if (jobs.size === 0) return undefined;
    // the job files named like the variables file, if any
    const stem = path.basename(self).split('.')[0]!.toLowerCase();
    const named = [...jobs.keys()].filter(p => path.basename(p).split('.')[0]!.toLowerCase() === stem);
    const chosen = named.length > 0 ? named : [...jobs.keys()].filter(p => jobs.get(p)!.length > 0);
    if (chosen.length === 0) return undefined;
    return makeVarsContext(
      chosen.sort().map(p => ({ source: pathToFileURL(p).toString(), declarations: jobs.get(p)! })),
    );
  }

  private fromDisk(p: string): DeclaredVariable[] | undefined {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      this.cache.delete(p);
      return undefined;
    }
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const hit = this.cache.get(p);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.declarations;
    let declarations: DeclaredVariable[] | undefined;
    try {
      declarations = declarationsOf(parse(fs.readFileSync(p, 'utf8')), p);
    } catch {
      declarations = undefined;
    }
    this.cache.set(p, { mtimeMs: st.mtimeMs, size: st.size, declarations });
    return declarations;
  }
}

/** The declarations of a job file, or undefined when the file is not a job. */
function declarationsOf(file: HclFile, p: string): DeclaredVariable[] | undefined {
  if (detectFileKind(file, p) !== 'job') return undefined;
  return collectDeclarations(file, pathToFileURL(p).toString());
}

function safePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
