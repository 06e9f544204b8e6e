/**
 * The typed protocol shared by the extension, the language server and the webviews.
 * Every custom LSP request/notification and every webview message is a named constant with typed
 * params and result: no untyped payloads cross a process or frame boundary.
 */
import type { DiffPathSegment, PlanViewModel } from '../nomad/plan/viewModel';

/** A custom LSP request: method name plus phantom param/result types. */
export interface RequestType<P, R> { readonly method: string; readonly _p?: P; readonly _r?: R }
function request<P, R>(method: string): RequestType<P, R> { return { method }; }

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

/** A custom LSP notification: method name plus phantom param type. */
export interface NotificationType<P> { readonly method: string; readonly _p?: P }
function notification<P>(method: string): NotificationType<P> { return { method }; }

/** What a Nomad HCL file is (the language server detects it from the content unless the user chose). */
export type NomadFileKind = 'job' | 'agent' | 'volume' | 'acl' | 'namespace' | 'vars' | 'unknown';

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

export const Requests = {
  /** Status of the language server, shown by "Nomad: Show Language Server Status". */
  serverStatus: request<Record<string, never>, ServerStatus>('nomad/serverStatus'),
  /** The kind of an open document (for the status bar). */
  fileKind: request<FileKindParams, FileKindResult>('nomad/fileKind'),
} as const;

export const Notifications = {
  /** Overrides the detected kind of a document (kind null: detect again). The server re-checks it. */
  setFileKind: notification<SetFileKindParams>('nomad/setFileKind'),
} as const;

// ---- plan webview ------------------------------------------------------------------------------------

/** The run button's lifecycle, as the webview shows it. */
export type RunPhase =
  | { phase: 'idle' }
  | { phase: 'submitting' }
  | { phase: 'submitted'; evalId: string; version?: number }
  | { phase: 'conflict'; planIndex: number; currentIndex?: number; message: string }
  | { phase: 'error'; message: string };

/** Messages from the extension to the plan webview. */
export type PlanToWebview =
  | { type: 'plan'; vm: PlanViewModel; fileName: string; namespace: string; cluster: string; plannedAt: string }
  | { type: 'planning'; fileName: string }
  | { type: 'planError'; message: string }
  | { type: 'run'; state: RunPhase };

/** Messages from the plan webview to the extension. */
export type PlanFromWebview =
  | { type: 'ready' }
  | { type: 'run'; jobModifyIndex: number }
  | { type: 'replan' }
  | { type: 'reveal'; path: DiffPathSegment[] }
  | { type: 'copy'; text: string };
