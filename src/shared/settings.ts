// What a folder may set. Every `nomad.*` setting of package.json has a verdict here, written against
// the question "what can a folder I just cloned do with it" (a unit test keeps this table and
// package.json in step, and checks that every restricted setting is in
// `capabilities.untrustedWorkspaces.restrictedConfigurations`). The extension reads settings only
// through `effectiveValue` (src/config.ts), so the verdicts hold in code and not only in VS Code's
// Restricted Mode: an untrusted folder's value for a restricted setting is never read.
// Pure: no `vscode`.

import * as path from 'node:path';

export type SettingOrigin = 'default' | 'user' | 'workspace' | 'folder';

export type Verdict =
  /** harmless whoever sets it: it changes only what the editor shows or checks */
  | { kind: 'free' }
  /** chooses where requests and credentials go, what runs, or turns a confirmation or a safeguard
   *  off: a workspace's value counts only in a trusted workspace */
  | { kind: 'restricted' }
  /** a number: clamped to [min, max] from anywhere (and a non-number is the default) */
  | { kind: 'number'; min: number; max: number; integer: boolean }
  /** one of a few strings: anything else is the default */
  | { kind: 'enum'; values: readonly string[] }
  /** file paths whose contents are read (and sent): restricted, and a workspace's value must name a
   *  file inside its folder (relative, no `..` out, symlinks resolved) */
  | { kind: 'paths' }
  /** a list of clusters: restricted; the file paths in each entry as for `paths` */
  | { kind: 'clusters' };

export interface SettingRule {
  verdict: Verdict;
  why: string;
}

const free = (why: string): SettingRule => ({ verdict: { kind: 'free' }, why });
const restricted = (why: string): SettingRule => ({ verdict: { kind: 'restricted' }, why });
const paths = (why: string): SettingRule => ({ verdict: { kind: 'paths' }, why });
const ENDPOINT = 'chooses which server gets requests (and the ACL token): a cloned folder could send them to its own';
const TLS_FILE =
  'a file read from disk and used as a TLS identity: a folder could point it at any file, and it decides which server is trusted';
const TLS_ID = 'decides which server is trusted (and so who receives the token)';

/** The verdict of every `nomad.*` setting, by its full key. */
export const SETTING_RULES: { readonly [K in SettingKey]: SettingRule } = {
  'nomad.walkthrough.openOnStart': free('opens the walkthrough page; shows nothing from outside'),
  'nomad.languageServer.enable': free('turns editor features off; nothing is run or sent'),
  'nomad.targetVersion': free('which Nomad release the diagnostics judge against'),
  'nomad.languageServer.path': restricted('an executable that is run: a folder could ship its own binary'),
  'nomad.trace.server': {
    verdict: { kind: 'enum', values: ['off', 'messages', 'verbose'] },
    why: 'how much of the language server traffic the output panel shows (local only)',
  },
  'nomad.address': restricted(ENDPOINT),
  'nomad.namespace': restricted(
    'which namespace commands act on (Run, Stop, Variables saves): a folder could redirect them',
  ),
  'nomad.region': restricted('which region requests are forwarded to: a folder could redirect them'),
  'nomad.tls.caCert': paths(TLS_FILE),
  'nomad.tls.caPath': paths(TLS_FILE),
  'nomad.tls.clientCert': paths(TLS_FILE),
  'nomad.tls.clientKey': paths(TLS_FILE),
  'nomad.tls.serverName': restricted(TLS_ID),
  'nomad.tls.skipVerify': restricted('turns certificate verification off: anyone on the path could read the token'),
  'nomad.clusters': {
    verdict: { kind: 'clusters' },
    why: 'addresses and TLS files of named clusters: as nomad.address and nomad.tls.*',
  },
  'nomad.clusterName': restricted('which stored token the default cluster uses'),
  'nomad.consul.address': restricted('chooses which server gets Consul requests (and the Consul token)'),
  'nomad.consul.caCert': paths(TLS_FILE),
  'nomad.consul.caPath': paths(TLS_FILE),
  'nomad.consul.clientCert': paths(TLS_FILE),
  'nomad.consul.clientKey': paths(TLS_FILE),
  'nomad.consul.tlsServerName': restricted(TLS_ID),
  'nomad.consul.skipVerify': restricted('turns Consul certificate verification off'),
  'nomad.consul.tokenFile': paths(
    'a file whose content is sent as the Consul token: a folder could name any file and have it sent',
  ),
  'nomad.plan.variableFiles': paths(
    'files whose content is sent to the cluster (/v1/jobs/parse) and kept in the job submission',
  ),
  'nomad.plan.openIn': {
    verdict: { kind: 'enum', values: ['below', 'beside', 'tab'] },
    why: 'where the plan view opens: any of the three only moves a view',
  },
  'nomad.run.planFirst': restricted('turns the plan you confirm before Run off'),
  'nomad.run.watchTimeoutMinutes': {
    verdict: { kind: 'number', min: 1, max: 24 * 60, integer: true },
    why: 'how long a deployment is watched: 0 would end every watch at once',
  },
  'nomad.logs.tailLines': {
    verdict: { kind: 'number', min: 0, max: 100_000, integer: true },
    why: 'how much history Follow Logs asks for: a huge value would pull whole files',
  },
  'nomad.logs.stream': {
    verdict: { kind: 'enum', values: ['both', 'stdout', 'stderr'] },
    why: 'which stream Follow Logs shows',
  },
  'nomad.logs.stripAnsi': restricted(
    'a safeguard on cluster output (escape sequences removed): a folder may not turn it off',
  ),
  'nomad.lint.serviceWithoutCheck': free('a lint of the open file'),
  'nomad.lint.updateWithoutHealthChecks': free('a lint of the open file'),
  'nomad.validateOnCluster': restricted('sends the open file to the cluster for validation'),
};

/** The type of every `nomad.*` setting as the extension reads it. */
export interface SettingTypes {
  'nomad.walkthrough.openOnStart': boolean;
  'nomad.languageServer.enable': boolean;
  'nomad.targetVersion': string;
  'nomad.languageServer.path': string;
  'nomad.trace.server': 'off' | 'messages' | 'verbose';
  'nomad.address': string;
  'nomad.namespace': string;
  'nomad.region': string;
  'nomad.tls.caCert': string;
  'nomad.tls.caPath': string;
  'nomad.tls.clientCert': string;
  'nomad.tls.clientKey': string;
  'nomad.tls.serverName': string;
  'nomad.tls.skipVerify': boolean;
  /** entries are checked where they are used (src/cluster/clusters.ts): a setting may hold anything */
  'nomad.clusters': unknown[];
  'nomad.clusterName': string;
  'nomad.consul.address': string;
  'nomad.consul.caCert': string;
  'nomad.consul.caPath': string;
  'nomad.consul.clientCert': string;
  'nomad.consul.clientKey': string;
  'nomad.consul.tlsServerName': string;
  'nomad.consul.skipVerify': boolean;
  'nomad.consul.tokenFile': string;
  'nomad.plan.variableFiles': string[];
  'nomad.plan.openIn': 'below' | 'beside' | 'tab';
  'nomad.run.planFirst': boolean;
  'nomad.run.watchTimeoutMinutes': number;
  'nomad.logs.tailLines': number;
  'nomad.logs.stream': 'both' | 'stdout' | 'stderr';
  'nomad.logs.stripAnsi': boolean;
  'nomad.lint.serviceWithoutCheck': boolean;
  'nomad.lint.updateWithoutHealthChecks': boolean;
  'nomad.validateOnCluster': boolean;
}

export type SettingKey = keyof SettingTypes;

/** The default of every `nomad.*` setting: the one place it is written in code (a unit test holds it to
 *  the `default` package.json declares, which VS Code reports first; this is what is used without one). */
export const SETTING_DEFAULTS: { readonly [K in SettingKey]: SettingTypes[K] } = {
  'nomad.walkthrough.openOnStart': false,
  'nomad.languageServer.enable': true,
  'nomad.targetVersion': '',
  'nomad.languageServer.path': '',
  'nomad.trace.server': 'off',
  'nomad.address': '',
  'nomad.namespace': '',
  'nomad.region': '',
  'nomad.tls.caCert': '',
  'nomad.tls.caPath': '',
  'nomad.tls.clientCert': '',
  'nomad.tls.clientKey': '',
  'nomad.tls.serverName': '',
  'nomad.tls.skipVerify': false,
  'nomad.clusters': [],
  'nomad.clusterName': 'default',
  'nomad.consul.address': '',
  'nomad.consul.caCert': '',
  'nomad.consul.caPath': '',
  'nomad.consul.clientCert': '',
  'nomad.consul.clientKey': '',
  'nomad.consul.tlsServerName': '',
  'nomad.consul.skipVerify': false,
  'nomad.consul.tokenFile': '',
  'nomad.plan.variableFiles': [],
  'nomad.plan.openIn': 'below',
  'nomad.run.planFirst': true,
  'nomad.run.watchTimeoutMinutes': 15,
  'nomad.logs.tailLines': 100,
  'nomad.logs.stream': 'both',
  'nomad.logs.stripAnsi': true,
  'nomad.lint.serviceWithoutCheck': true,
  'nomad.lint.updateWithoutHealthChecks': true,
  'nomad.validateOnCluster': true,
};

/** A copy of a setting's default (arrays are copied: a caller may not change the default by accident). */
export function settingDefault<K extends SettingKey>(key: K): SettingTypes[K] {
  const d = SETTING_DEFAULTS[key];
  return (Array.isArray(d) ? [...d] : d) as SettingTypes[K];
}

/** What `inspect()` tells of a setting. */
export interface InspectedSetting<T = unknown> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export interface SettingContext {
  /** is the workspace trusted? */
  trusted: boolean;
  /** the folders of the workspace, as file-system paths (a workspace's paths must lie inside one) */
  folders: readonly string[];
  /** the folder a resource-scoped read is for (relative paths resolve against it; else the first) */
  folder?: string;
  /** resolves symlinks (fs.realpathSync); throws for a file that does not exist */
  realpath: (p: string) => string;
}

export interface Effective<T> {
  value: T;
  origin: SettingOrigin;
  /** values that were not used, and why (to log or show once) */
  refused: string[];
}

function layers<T>(i: InspectedSetting<T> | undefined): [SettingOrigin, T | undefined][] {
  return [
    ['folder', i?.workspaceFolderValue],
    ['workspace', i?.workspaceValue],
    ['user', i?.globalValue],
  ];
}

const fromWorkspace = (o: SettingOrigin): boolean => o === 'workspace' || o === 'folder';

/**
 * A path set by a workspace, made absolute inside its folder, or a reason to refuse it. Absolute paths,
 * `~`, `..` that leaves the folder and symlinks that point out of it are refused; so is a file that
 * does not exist (nothing to resolve).
 */
export function confinePath(
  p: string,
  ctx: Pick<SettingContext, 'folders' | 'folder' | 'realpath'>,
): { path: string } | { refused: string } {
  const raw = p.trim();
  if (raw === '') return { path: '' };
  if (path.isAbsolute(raw) || path.win32.isAbsolute(raw) || raw.startsWith('~') || /^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    return {
      refused: `"${raw}" is not a path inside the workspace folder (a workspace may name only files in its folder, by a relative path)`,
    };
  }
  const base = ctx.folder ?? ctx.folders[0];
  if (base === undefined) return { refused: `"${raw}": there is no workspace folder to resolve it in` };
  const joined = path.resolve(base, raw);
  let real: string;
  try {
    real = ctx.realpath(joined);
  } catch {
    return { refused: `"${raw}" does not exist in the workspace folder` };
  }
  const roots = ctx.folders.map(f => {
    try {
      return ctx.realpath(f);
    } catch {
      return path.resolve(f);
    }
  });
  const inside = roots.some(r => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  if (!inside) return { refused: `"${raw}" leads out of the workspace folder (through ".." or a symbolic link)` };
  return { path: real };
}

const CLUSTER_PATHS = ['caCert', 'caPath', 'clientCert', 'clientKey'] as const;
const CONSUL_PATHS = ['caCert', 'caPath', 'clientCert', 'clientKey', 'tokenFile'] as const;

/** The entries of a workspace's `nomad.clusters` with their paths confined; an entry with a refused
 *  path is dropped whole (a cluster with half its TLS settings would connect differently). */
function confineClusters(v: unknown, ctx: SettingContext, refused: string[]): unknown {
  if (!Array.isArray(v)) return v;
  const out: unknown[] = [];
  for (const entry of v as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const e = { ...(entry as Record<string, unknown>) };
    let ok = true;
    for (const k of CLUSTER_PATHS) {
      if (typeof e[k] !== 'string' || e[k] === '') continue;
      const c = confinePath(e[k] as string, ctx);
      if ('refused' in c) {
        refused.push(`nomad.clusters (${String(e['name'])}).${k}: ${c.refused}`);
        ok = false;
      } else e[k] = c.path;
    }
    const consul = e['consul'];
    if (consul && typeof consul === 'object') {
      const cc = { ...(consul as Record<string, unknown>) };
      for (const k of CONSUL_PATHS) {
        if (typeof cc[k] !== 'string' || cc[k] === '') continue;
        const c = confinePath(cc[k] as string, ctx);
        if ('refused' in c) {
          refused.push(`nomad.clusters (${String(e['name'])}).consul.${k}: ${c.refused}`);
          ok = false;
        } else cc[k] = c.path;
      }
      e['consul'] = cc;
    }
    if (ok) out.push(e);
  }
  return out;
}

function clamp(v: unknown, d: Extract<Verdict, { kind: 'number' }>): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const n = d.integer ? Math.round(v) : v;
  return Math.min(d.max, Math.max(d.min, n));
}

/**
 * The value the extension uses for `key`: the most specific layer (folder, workspace, user) whose value
 * the rule allows, else the default. A value that is not allowed falls through to the next layer.
 */
export function effectiveValue<T>(
  key: string,
  inspected: InspectedSetting<T> | undefined,
  fallback: T,
  ctx: SettingContext,
): Effective<T> {
  const rule = (SETTING_RULES as Readonly<Record<string, SettingRule>>)[key];
  const refused: string[] = [];
  const verdict: Verdict = rule?.verdict ?? { kind: 'restricted' };
  for (const [origin, raw] of layers(inspected)) {
    if (raw === undefined) continue;
    const ws = fromWorkspace(origin);
    if (ws && !ctx.trusted && verdict.kind !== 'free' && verdict.kind !== 'number' && verdict.kind !== 'enum') {
      refused.push(`${key}: the ${origin} value is ignored, as the workspace is not trusted`);
      continue;
    }
    switch (verdict.kind) {
      case 'free':
      case 'restricted':
        return { value: raw, origin, refused };
      case 'number': {
        const n = clamp(raw, verdict);
        if (n === undefined) {
          refused.push(`${key}: ${JSON.stringify(raw)} is not a number`);
          continue;
        }
        if (n !== raw) refused.push(`${key}: ${String(raw)} is out of range, ${n} is used`);
        return { value: n as T, origin, refused };
      }
      case 'enum':
        if (typeof raw === 'string' && verdict.values.includes(raw)) return { value: raw, origin, refused };
        refused.push(`${key}: ${JSON.stringify(raw)} is not one of ${verdict.values.join(', ')}`);
        continue;
      case 'paths': {
        if (!ws) return { value: raw, origin, refused };
        const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
        const kept: string[] = [];
        for (const p of list) {
          if (typeof p !== 'string') continue;
          const c = confinePath(p, ctx);
          if ('refused' in c) refused.push(`${key}: ${c.refused}`);
          else kept.push(c.path);
        }
        // one path: refused means "not set by the workspace" (the user's value, if any, is used)
        if (!Array.isArray(raw)) {
          if (kept.length) return { value: kept[0] as T, origin, refused };
          continue;
        }
        return { value: kept as T, origin, refused };
      }
      case 'clusters':
        return { value: (ws ? confineClusters(raw, ctx, refused) : raw) as T, origin, refused };
    }
  }
  const d = inspected?.defaultValue ?? fallback;
  return { value: d, origin: 'default', refused };
}
