import * as vscode from 'vscode';
import { errorActions, ErrorAction } from '../nomad/errors';
import { plain } from '../nomad/display';
import type { ConnectionState } from '../nomad/connectionState';

export interface ErrorActionHandlers {
  setToken: () => unknown;
  retry: () => unknown;
  openSettings: () => unknown;
  showOutput: () => unknown;
  replan?: () => unknown;
}

const LABELS = {
  [ErrorAction.SetToken]: 'Set ACL Token…',
  [ErrorAction.Retry]: 'Retry',
  [ErrorAction.OpenSettings]: 'Open Settings',
  [ErrorAction.Replan]: 'Re-plan',
  [ErrorAction.ShowOutput]: 'Open Output',
} as const satisfies Record<ErrorAction, string>;

/**
 * One error popup, with buttons only for what the user can do about this kind of error. The error's
 * text may carry the server's words and cluster strings: it is shown through plain`` (no link, no
 * icon, invisible characters shown); `what` is the caller's, built with plain`` when it names cluster
 * objects (plainText is idempotent, so passing it through again is harmless).
 */
export async function showNomadError(
  err: unknown,
  what: string,
  handlers: ErrorActionHandlers,
  only?: string[],
): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  let actions = errorActions(err);
  if (only) actions = only as ErrorAction[];
  actions = actions.filter(a => a !== ErrorAction.Replan || handlers.replan);
  if (!actions.length && /cancel/i.test(message)) return;
  const choice = await vscode.window.showErrorMessage(plain`${what}: ${message}`, ...actions.map(a => LABELS[a]));
  const picked = actions.find(a => LABELS[a] === choice);
  if (picked) await handlers[picked]?.();
}

/** The actions an error about the connection offers: set a token, retry, open the settings or the output. */
export function connectionActions(retry: () => unknown, showOutput: () => unknown): ErrorActionHandlers {
  return {
    setToken: () => vscode.commands.executeCommand('nomad.setToken'),
    retry,
    openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'nomad.'),
    showOutput,
  };
}

/** Tells the user why there is no connection, with what they can do about it (nothing when there is
 *  nothing to say: disconnected, connecting, connected). */
export async function reportConnectionState(s: ConnectionState, handlers: ErrorActionHandlers): Promise<void> {
  if (s.kind === 'error') await showNomadError(s.error, `Nomad (${s.cluster})`, handlers);
  else if (s.kind === 'unauthorized')
    await showNomadError(new Error(s.message), `Nomad (${s.cluster}) refused the ACL token`, handlers, [
      'setToken',
      'openSettings',
    ]);
}
