// The gate's composing functions: joinShown and codicon keep our icons and never let a link or icon form
// across a boundary; visibleText escapes only its values; shownError makes an error's message Shown in
// place (the class and fields kept), for the notification the editor shows when a command fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codicon, joinShown, plain, plainText, shownError, visibleText } from '../../../src/untrusted/shown';

const LIVE = /\]\(|\$\(/;

test('joinShown keeps our icons and breaks a link or icon assembled across pieces', () => {
  assert.equal(joinShown([codicon('check'), plain` ${'web'}`]), '$(check) web');
  // a cluster piece ending in `]` or `$` and the next starting with `(`
  const out = joinShown([plainText('[x]'), plainText('(command:foo)')]);
  assert.doesNotMatch(out, LIVE, out);
  assert.doesNotMatch(joinShown([plainText('$'), plainText('(alert)')]), LIVE);
  assert.doesNotMatch(joinShown([plainText('[x]'), plainText('(y)')], plain``), LIVE);
  assert.equal(joinShown([plain`a`, undefined, false, plain`b`], plain` · `), 'a · b');
  // plain: across a literal and a value, both ways
  assert.doesNotMatch(plain`[${'x'}](${'command:y'})`, LIVE);
  assert.doesNotMatch(plain`${'[x]'}(command:y)`, LIVE);
});

test('codicon is only ever an icon name', () => {
  assert.equal(codicon('sync~spin'), '$(sync~spin)');
  assert.equal(codicon('x) [y](command:z'), '');
});

test('visibleText escapes its values, not its literal', () => {
  assert.equal(visibleText`— ${'a\u202eb'} —\t`, '— a\\u202eb —\t');
});

test('shownError: the message becomes Shown, the error stays the same object of the same class', () => {
  class NomadError extends Error {
    status = 403;
  }
  const e = new NomadError('Permission denied for job "[x](command:workbench.action.terminal.new)" \u202e');
  const out = shownError(e);
  assert.equal(out, e);
  assert.ok(out instanceof NomadError);
  assert.equal((out as NomadError).status, 403);
  assert.doesNotMatch(e.message, LIVE);
  assert.match(e.message, /\\u202e/);
  assert.doesNotMatch(String(shownError('$(alert) [a](b)')), LIVE);
  assert.equal(shownError(undefined), undefined);
});
