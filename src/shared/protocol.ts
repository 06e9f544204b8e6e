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

export const Requests = {
  /** Status of the language server, shown by "Nomad: Show Language Server Status". */
  serverStatus: request<Record<string, never>, ServerStatus>('nomad/serverStatus'),
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
