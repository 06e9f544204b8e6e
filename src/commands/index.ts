import * as vscode from 'vscode';

/** One table of commands: id → handler. A test checks it against package.json's contributes.commands. */
export type CommandTable = Record<string, (...args: never[]) => unknown>;

export function registerCommands(table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler as (...a: unknown[]) => unknown));
}
