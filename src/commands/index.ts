import * as vscode from 'vscode';
import { shownError } from '../untrusted/shown';

/** One table of commands: id → handler. A test checks it against package.json's contributes.commands. */
export type CommandTable = Record<string, (...args: never[]) => unknown>;

/** Registers every command of the table. An error a handler throws or rejects with is shown by the editor
 *  (a notification that renders links): its message goes through the gate first (shownError). */
export function registerCommands(table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, (...a: unknown[]) => {
    let r: unknown;
    try { r = (handler as (...a: unknown[]) => unknown)(...a); } catch (e) { throw shownError(e); }
    return r instanceof Promise ? r.catch((e: unknown) => { throw shownError(e); }) : r;
  }));
}
