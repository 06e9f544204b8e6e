// When the language server analyses a document: at once when it is opened (in the open's own handler),
// after the typing debounce when it is edited (the open once also fired onDidChangeContent, which
// pushed the first answer back by the debounce). Driven by mocked timers, so the test asserts an order, not a duration.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from '../../../src/server/analyzer';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake takes the LSP params of every handler
type Handler = (p: any) => unknown;

/** Just enough of a Connection for TextDocuments and the analyzer: handlers kept, diagnostics recorded. */
function fakeConnection() {
  const h: Record<string, Handler> = {};
  const published: { uri: string; version?: number; count: number }[] = [];
  const on = (name: string) => (fn: Handler) => {
    h[name] = fn;
    return { dispose() {} };
  };
  const conn = {
    onDidOpenTextDocument: on('open'),
    onDidChangeTextDocument: on('change'),
    onDidCloseTextDocument: on('close'),
    onWillSaveTextDocument: on('willSave'),
    onWillSaveTextDocumentWaitUntil: on('willSaveWait'),
    onDidSaveTextDocument: on('save'),
    onCodeAction: on('codeAction'),
    onNotification: on('notification'),
    onRequest: on('request'),
    sendDiagnostics: (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
      published.push({ uri: p.uri, version: p.version, count: p.diagnostics.length });
      return Promise.resolve();
    },
    console: {
      error: (m: string) => {
        throw new Error(m);
      },
    },
  };
  return { conn, h, published };
}

test('open: diagnostics without the typing debounce; edits: after it', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { conn, h, published } = fakeConnection();
    const documents = new TextDocuments(TextDocument);
    const analyzer = new DocumentAnalyzer(conn as never, documents);
    analyzer.listen();
    documents.listen(conn as never);
    const uri = 'file:///w/a.nomad';
    h.open!({ textDocument: { uri, languageId: 'nomad', version: 1, text: 'job "a" {\n  bogus = 1\n}\n' } });
    assert.deepEqual(
      published.map(p => p.version),
      [1],
      'published from the open itself, before any queued request runs',
    );
    mock.timers.tick(200);
    assert.deepEqual(
      published.map(p => p.version),
      [1],
      'and only once',
    );
    assert.ok(published[0]!.count > 0);

    h.change!({ textDocument: { uri, version: 2 }, contentChanges: [{ text: 'job "a" {\n}\n' }] });
    mock.timers.tick(10);
    assert.deepEqual(
      published.map(p => p.version),
      [1],
      'an edit waits for the debounce',
    );
    mock.timers.tick(200);
    assert.deepEqual(
      published.map(p => p.version),
      [1, 2],
    );
  } finally {
    mock.timers.reset();
  }
});
