// The webviews' DOM takes text only: eslint.config.mjs refuses, in src/webview/, every way a string can be
// parsed as HTML (innerHTML, outerHTML, insertAdjacentHTML, createContextualFragment, document.write,
// DOMParser). Here the rules of that block of the project's own config are run on a snippet that uses each
// (all refused, on their lines) and on one that sets textContent (nothing refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<Record<string, unknown>>;

type Entry = { files?: string[]; rules?: Record<string, unknown> };
type Message = { line: number; ruleId: string | null };
type LinterCtor = new (o: object) => { verify(code: string, config: object[], file: string): Message[] };

const BAD = `
export function show(el: HTMLElement, range: Range, s: string): void {
  el.innerHTML = s; // BAD
  el.outerHTML = s; // BAD
  el.insertAdjacentHTML('beforeend', s); // BAD
  el.append(range.createContextualFragment(s)); // BAD
  document.write(s); // BAD
  new DOMParser().parseFromString(s, 'text/html'); // BAD
}
`;
const GOOD = `
export function show(el: HTMLElement, s: string): void {
  el.textContent = s;
  const row = document.createElement('div');
  row.append(document.createTextNode(s));
  el.append(row);
}
`;

test('in src/webview, every way of parsing a string as HTML is refused, and textContent is not', async () => {
  const config = (await importEsm(path.join(root, 'eslint.config.mjs'))).default as Entry[];
  const webview = config.filter(
    e => e.files?.includes('src/webview/**/*.ts') && e.rules && 'no-restricted-properties' in e.rules,
  );
  assert.equal(webview.length, 1, 'one block of the config holds the webview rules');
  const { Linter } = (await importEsm('eslint')) as { Linter: LinterCtor };
  const parser = ((await importEsm('typescript-eslint')).default as { parser: unknown }).parser;
  const run = (code: string) =>
    new Linter({ configType: 'flat' }).verify(
      code,
      [{ files: ['**/*.ts'], languageOptions: { parser }, rules: webview[0]!.rules }],
      'src/webview/plan/probe.ts',
    );
  const bad = run(BAD);
  const expected = BAD.split('\n').flatMap((l, i) => (l.includes('// BAD') ? [i + 1] : []));
  assert.equal(expected.length, 6);
  assert.deepEqual(
    [...new Set(bad.map(m => m.line))].sort((a, b) => a - b),
    expected,
    JSON.stringify(bad),
  );
  assert.ok(
    bad.every(m => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-globals'),
    JSON.stringify(bad),
  );
  assert.deepEqual(run(GOOD), []);
});
