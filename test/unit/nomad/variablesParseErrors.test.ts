// A Variable item key such as `[x](command:workbench.action.terminal.new)` came back in the
// parse error of a broken Variables document, raw, and the editor's save toast (a FileSystemError's
// message) rendered it as a live `command:` link. parseItems' errors are now Shown (src/untrusted/shown.ts)
// — the type FileSystemError's message must have under the lint rule — so every error names a key as
// text: no `](` (a link) nor `$(` (an icon) survives, invisible characters are escaped, and the key's
// characters are still there to read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatItems, parseItems } from '../../../src/nomad/variables';

const KEYS = [
  '[x](command:workbench.action.terminal.new)',
  '[run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20%2Ftmp%2Fpwned%5Cn%22%7D)',
  '![](http://127.0.0.1:9/beacon.png)',
  '$(alert) key',
  'k\u202e\u200bz',
];

/** Where a renderer that links `[text](target)` and draws `$(icon)` would find one. */
const LIVE = /\]\(|\$\(/;

test('every parse error of a broken document names the key as text (HCL and JSON)', () => {
  for (const key of KEYS) {
    const hcl = formatItems({ [key]: 'v' }, 'hcl');
    assert.deepEqual(parseItems(hcl, 'hcl'), { ok: true, items: { [key]: 'v' } }, 'the document reads back');
    const broken = [
      hcl.replace(/= "v"/, '= "v'), // an unclosed string: the reported case
      hcl.replace(/= "v"/, '= v'), // not a quoted value
      hcl.replace(/= "v"/, '= "v" trailing'), // text after the value
      hcl.replace(/= "v"/, '"v"'), // no "="
      `${hcl}${hcl}`, // the key twice
      hcl.replace(/= "v"/, '= <<EOT\nv'), // a heredoc without its end
    ];
    for (const doc of broken) {
      const r = parseItems(doc, 'hcl');
      assert.equal(r.ok, false, doc);
      if (r.ok) continue;
      assert.doesNotMatch(r.error, LIVE, `no link or icon in: ${r.error}`);
      assert.doesNotMatch(r.error, /[\u202e\u200b]/, 'invisible characters are shown escaped');
    }
    const json = parseItems(JSON.stringify({ [key]: 1 }), 'json');
    assert.equal(json.ok, false);
    if (!json.ok) assert.doesNotMatch(json.error, LIVE, json.error);
  }
  // the text of the key is still readable in the message
  const r = parseItems('"[x](command:workbench.action.terminal.new)" = "v\n', 'hcl');
  assert.equal(r.ok, false);
  if (!r.ok)
    assert.match(
      r.error,
      /line 1: an unclosed string in the value of "\[x\]（command:workbench\.action\.terminal\.new\)"/,
    );
});
