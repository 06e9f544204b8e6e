/**
 * Settings per document, as vscode-eslint pulls them: the `nomad` section is asked for with `workspace/configuration`
 * and `scopeUri` = the document's workspace folder (or the document itself when it lies in none), so the settings
 * package.json declares with `"scope": "resource"` (nomad.lint.*) are honoured folder by folder. The answers are
 * cached per folder until the settings change (`clear()` on didChangeConfiguration). Nothing here is per file.
 */
import type { AnalysisOptions } from '../language';

/** Asks the client for the `nomad` section as it applies to `scopeUri`. */
export type PullSettings = (scopeUri: string) => Promise<unknown>;

export class DocumentSettings {
  /** workspace folder URIs, each ending in '/', longest first */
  private folders: string[] = [];
  private readonly cache = new Map<string, AnalysisOptions | Promise<AnalysisOptions>>();

  /** `pull` undefined: the client cannot answer workspace/configuration (every document has the global settings). */
  constructor(private pull?: PullSettings) {}

  /** Pulls per document from now on (the client said it can answer workspace/configuration). */
  enable(pull: PullSettings): void {
    this.pull = pull;
    this.clear();
  }

  get enabled(): boolean {
    return this.pull !== undefined;
  }

  setFolders(uris: readonly string[]): void {
    this.folders = uris.map(u => (u.endsWith('/') ? u : `${u}/`)).sort((a, b) => b.length - a.length);
    this.clear();
  }

  addFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.map(u => (u.endsWith('/') ? u : `${u}/`)));
    this.setFolders([...this.folders.filter(f => !gone.has(f)), ...added]);
  }

  /** The scope a document's settings are pulled and cached for: its workspace folder, else the document. */
  scopeOf(uri: string): string {
    const folder = this.folders.find(f => uri.startsWith(f));
    return folder === undefined ? uri : folder.slice(0, -1);
  }

  /**
   * The document's settings: at once when its folder's are cached, else a promise of them (undefined: settings
   * are not pulled per document). A failed pull gives the defaults and is not cached.
   */
  forDocument(uri: string): AnalysisOptions | Promise<AnalysisOptions> | undefined {
    const pull = this.pull;
    if (!pull) return undefined;
    const scope = this.scopeOf(uri);
    const hit = this.cache.get(scope);
    if (hit !== undefined) return hit;
    const pending = pull(scope).then(
      (nomad): AnalysisOptions => {
        const options = optionsFromSettings(nomad);
        if (this.cache.get(scope) === pending) this.cache.set(scope, options);
        return options;
      },
      (): AnalysisOptions => {
        if (this.cache.get(scope) === pending) this.cache.delete(scope);
        return optionsFromSettings(undefined);
      },
    );
    this.cache.set(scope, pending);
    return pending;
  }

  /** Forgets every folder's settings (they changed): the next analysis of each document pulls them again. */
  clear(): void {
    this.cache.clear();
  }
}

/** Reads the lint settings from `initializationOptions` / `workspace/configuration` shapes. */
export function optionsFromSettings(settings: unknown): AnalysisOptions {
  const s = (settings ?? {}) as { lint?: { serviceWithoutCheck?: unknown; updateWithoutHealthChecks?: unknown } };
  const lint = s.lint ?? {};
  return {
    lints: {
      serviceWithoutCheck: lint.serviceWithoutCheck !== false,
      updateWithoutHealth: lint.updateWithoutHealthChecks !== false,
    },
  };
}
