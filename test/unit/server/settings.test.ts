// The per-folder settings cache of the language server (src/server/settings.ts), without a connection: which
// scope a document's settings are asked for, that one folder is asked once, that a change (clear) and a folder
// change ask again, and that a failed answer gives the defaults without being kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentSettings, optionsFromSettings } from '../../../src/server/settings';

const ON = { lint: { serviceWithoutCheck: true, updateWithoutHealthChecks: true } };
const OFF = { lint: { serviceWithoutCheck: false, updateWithoutHealthChecks: false } };

test('a document is asked for by its innermost workspace folder, else by itself', () => {
  const s = new DocumentSettings(async () => ({}));
  s.setFolders(['file:///w/app', 'file:///w/app/sub/', 'file:///w/other']);
  assert.equal(s.scopeOf('file:///w/app/job.nomad'), 'file:///w/app');
  assert.equal(s.scopeOf('file:///w/app/sub/deep/job.nomad'), 'file:///w/app/sub');
  // a sibling whose name starts like a folder's is not inside it
  assert.equal(s.scopeOf('file:///w/application/job.nomad'), 'file:///w/application/job.nomad');
  assert.equal(s.scopeOf('untitled:Untitled-1'), 'untitled:Untitled-1');
});

test('one request per folder; clear() and a folder change ask again; a failure is not kept', async () => {
  const asked: string[] = [];
  let fail = false;
  const s = new DocumentSettings(async scope => {
    asked.push(scope);
    if (fail) throw new Error('no answer');
    return scope.endsWith('/b') ? OFF : ON;
  });
  s.setFolders(['file:///w/a', 'file:///w/b']);
  assert.deepEqual(await s.forDocument('file:///w/a/1.nomad'), optionsFromSettings(ON));
  assert.deepEqual(await s.forDocument('file:///w/b/1.nomad'), optionsFromSettings(OFF));
  // cached: answered at once, without a request
  assert.deepEqual(s.forDocument('file:///w/a/2.nomad'), optionsFromSettings(ON));
  assert.deepEqual(asked, ['file:///w/a', 'file:///w/b']);

  s.clear();
  await s.forDocument('file:///w/a/1.nomad');
  assert.deepEqual(asked, ['file:///w/a', 'file:///w/b', 'file:///w/a']);
  s.addFolders(['file:///w/a/nested'], ['file:///w/b']);
  await s.forDocument('file:///w/a/nested/x.nomad');
  await s.forDocument('file:///w/b/1.nomad');
  assert.deepEqual(asked.slice(3), ['file:///w/a/nested', 'file:///w/b/1.nomad']);

  fail = true;
  s.clear();
  assert.deepEqual(await s.forDocument('file:///w/a/1.nomad'), optionsFromSettings(undefined));
  fail = false;
  assert.deepEqual(
    await s.forDocument('file:///w/a/1.nomad'),
    optionsFromSettings(ON),
    'asked again after the failure',
  );
  assert.equal(asked.filter(a => a === 'file:///w/a').length, 4);
});

test('without a way to pull (the client cannot answer workspace/configuration), no per-document settings', () => {
  const s = new DocumentSettings();
  assert.equal(s.enabled, false);
  assert.equal(s.forDocument('file:///w/a/1.nomad'), undefined);
  s.enable(async () => ON);
  assert.equal(s.enabled, true);
  assert.ok(s.forDocument('file:///w/a/1.nomad') instanceof Promise);
});
