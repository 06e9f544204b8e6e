/**
 * The typed protocol shared by the extension and the language server.
 * Every custom LSP request/notification is a named `RequestType`/`NotificationType` object with typed
 * params and result; both sides pass the object itself (never its method string), so a payload change
 * breaks the build on both sides. (The plan webview's messages are in nomad/plan/messages.ts.)
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * Node flags the extension starts the language server with: a larger young generation, since analysing
 * a large job is mostly short-lived allocation (a 1 MiB job: ~15 % faster from open to diagnostics).
 * The benches start dist/server.js with the same flags, so they measure what VS Code runs.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=32'];

export interface ServerStatus {
  /** version of the language server (package.json version) */
  version: string;
  /** documents the server currently holds */
  openDocuments: number;
  /** seconds since the server started */
  uptimeSeconds: number;
  /** process id (useful to check a restart really happened) */
  pid: number;
  /** resident memory in bytes */
  rssBytes: number;
}

/** What a Nomad HCL file is (the language server detects it from the content unless the user chose). */
export type NomadFileKind =
  'job' | 'agent' | 'volume' | 'acl' | 'namespace' | 'nodepool' | 'quota' | 'variable' | 'vars' | 'unknown';

export interface FileKindParams {
  uri: string;
}

export interface FileKindResult {
  /** the kind the server uses for the document */
  kind: NomadFileKind;
  /** the kind detected from the content */
  detected: NomadFileKind;
  /** true when `kind` comes from nomad/setFileKind rather than detection */
  overridden: boolean;
}

export interface SetFileKindParams {
  uri: string;
  /** null: back to detection */
  kind: NomadFileKind | null;
}

/** `nomad/setClusterVersion`: the version of the connected cluster, from `/v1/agent/self`. */
export interface SetClusterVersionParams {
  /** config.Version.Version of the agent (e.g. "1.6.5"); null: not connected, or the version is unknown */
  version: string | null;
  /** the version the cluster reported when last connected (it is not connected now, or did not say) */
  remembered?: boolean;
}

/** The Nomad version the language server checks against, and why. */
export interface TargetVersionInfo {
  /** e.g. "1.6.5" */
  version: string;
  /** the connected cluster's, the `nomad.targetVersion` setting, or the newest release the schema knows */
  source: 'cluster' | 'setting' | 'default';
  /** source 'cluster': the version it reported when last connected (not connected now) */
  remembered?: boolean;
  /** the release whose schema is used ("2.0.3"): the newest release read that is not newer than `version` */
  schemaRelease: string;
  /** the newest release the schema knows */
  newest: string;
}

export const Requests = {
  /** Status of the language server, shown by "Nomad: Show Language Server Status". */
  serverStatus: new RequestType0<ServerStatus, void>('nomad/serverStatus'),
  /** The kind of an open document (for the status bar). */
  fileKind: new RequestType<FileKindParams, FileKindResult | null, void>('nomad/fileKind'),
  /** The target Nomad version in use (for the status bar). */
  targetVersion: new RequestType0<TargetVersionInfo, void>('nomad/targetVersion'),
} as const;

export const Notifications = {
  /** Overrides the detected kind of a document (kind null: detect again). The server re-checks it. */
  setFileKind: new NotificationType<SetFileKindParams>('nomad/setFileKind'),
  /** Client → server: the connected cluster's version changed. The server re-checks every open document. */
  setClusterVersion: new NotificationType<SetClusterVersionParams>('nomad/setClusterVersion'),
  /** Server → client: the target version in use changed (cluster, setting, or back to the newest known). */
  targetVersionChanged: new NotificationType<TargetVersionInfo>('nomad/targetVersionChanged'),
} as const;
