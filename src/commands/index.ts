import * as vscode from 'vscode';
import { shownError } from '../untrusted/shown';

/** Commands: id → handler. Each feature contributes its own (a `commands()` method or function); the
 *  composition root (src/extension.ts) joins them into the one table with commandTable and registers it
 *  with registerCommands, the only place a command is registered. A test checks the table against
 *  package.json's contributes.commands. */
export type CommandTable = Record<string, (...args: never[]) => unknown>;

/** The one table of the features' entries. Two features with one id is a mistake of ours: it throws
 *  (a spread would keep the last quietly). */
export function commandTable(...parts: readonly CommandTable[]): CommandTable {
  const table: CommandTable = {};
  for (const part of parts) {
    for (const [id, handler] of Object.entries(part)) {
      if (Object.prototype.hasOwnProperty.call(table, id)) throw new Error(`the command ${id} is contributed twice`);
      table[id] = handler;
    }
  }
  return table;
}

/** Registers every command of the table. An error a handler throws or rejects with is shown by the editor
 *  (a notification that renders links): its message goes through the gate first (shownError). */
export function registerCommands(table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...a: unknown[]) => {
      let r: unknown;
      try {
        r = (handler as (...a: unknown[]) => unknown)(...a);
      } catch (e) {
        throw shownError(e);
      }
      return r instanceof Promise
        ? r.catch((e: unknown) => {
            throw shownError(e);
          })
        : r;
    }),
  );
}
