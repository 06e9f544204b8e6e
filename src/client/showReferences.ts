// `nomad.showReferences`: the command behind the language server's reference-count code lenses. The
// server sends plain LSP JSON (uri string, { line, character }, [{ uri, range }]); this converts it to
// VS Code objects and opens the references peek view (`editor.action.showReferences`).
import * as vscode from 'vscode';
import type { CommandTable } from '../commands';

interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

export const SHOW_REFERENCES_COMMAND = 'nomad.showReferences';

function position(p: LspPosition): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

/** The command of the reference-count code lenses (registered with the others, src/extension.ts). */
export function showReferencesCommands(): CommandTable {
  return {
    [SHOW_REFERENCES_COMMAND]: async (uri: unknown, at: unknown, locations: unknown) => {
      if (typeof uri !== 'string' || !at || !Array.isArray(locations)) return;
      const locs = (locations as LspLocation[]).map(
        l =>
          new vscode.Location(
            vscode.Uri.parse(l.uri),
            new vscode.Range(position(l.range.start), position(l.range.end)),
          ),
      );
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        position(at as LspPosition),
        locs,
      );
    },
  };
}
