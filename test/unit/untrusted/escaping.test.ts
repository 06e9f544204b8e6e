import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 as seededRandom } from '../support';
import {
  hasInvisible,
  markdownText,
  pathSegment,
  plain,
  plainText,
  shortId,
  visible,
  visibleLines,
} from '../../../src/untrusted/shown';

// VS Code's notification renderer turns `[label](href)` into a link when href starts with one of these
// (vs/base/common/linkedText.ts); quick picks and the status bar turn `$(name)` into an icon.
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const ICON = /(?<!\\)\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/;

const HOSTILE = [
  'web [see details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
  '[x](https://attacker.example/?leak=1 "title")',
  '![x](http://attacker.example/pixel.png)',
  'hostile-"><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'job\u202egnp.exe',
  'zero\u200bwidth\u200d\ufeffjoin',
  'ctl\u0000\u0007\u001b[31m\u007f\u0085',
  '$(alert) fake icon $(sync~spin)',
  'a//b?c#d%e/../f',
];

test('visible(): bidi, zero-width and control characters are shown as escapes, the rest unchanged', () => {
  assert.equal(visible('job\u202egnp.exe'), 'job\\u202egnp.exe');
  assert.equal(visible('a\u2066b\u2069c\u061c'), 'a\\u2066b\\u2069c\\u061c');
  assert.equal(visible('zero\u200bwidth\u200d\ufeff'), 'zero\\u200bwidth\\u200d\\ufeff');
  assert.equal(visible('a\nb\tc\rd'), 'a\\nb\\tc\\rd');
  assert.equal(visible('\u0000\u0007\u001b\u007f\u0085'), '\\x00\\x07\\x1b\\x7f\\x85');
  assert.equal(visible('tag\udb40\udc41'), 'tag\\U000e0041');
  assert.equal(visible('lone\ud800x'), 'lone\\ud800x');
  assert.equal(visible('emoji 🚀 ok, ünïcödé, 日本'), 'emoji 🚀 ok, ünïcödé, 日本');
  assert.equal(visible(undefined), '');
  assert.equal(visible(42), '42');
  for (const h of HOSTILE)
    assert.equal(hasInvisible(visible(h)), false, `nothing invisible is left in ${JSON.stringify(h)}`);
  assert.equal(hasInvisible('plain'), false);
  assert.equal(hasInvisible('a\u202e'), true);
});

test('visibleLines(): keeps newlines and tabs, escapes the rest, leaves a literal backslash-n alone', () => {
  assert.equal(visibleLines('a\r\nb\tc\n\u202ed'), 'a\r\nb\tc\n\\u202ed');
  assert.equal(visibleLines('plain ascii\r\n'), 'plain ascii\r\n');
  assert.equal(visibleLines('{"msg":"x\\ny"}'), '{"msg":"x\\ny"}');
  assert.equal(visibleLines('bell\u0007'), 'bell\\x07');
});

test('plainText(): no notification link and no icon can survive; everything else reads the same', () => {
  for (const h of HOSTILE) {
    const p = plainText(h);
    NOTIFICATION_LINK.lastIndex = 0;
    assert.equal(NOTIFICATION_LINK.test(p), false, `no link in ${p}`);
    assert.equal(ICON.test(p), false, `no icon in ${p}`);
    assert.equal(hasInvisible(p), false);
    // only the `(` of `](` / `$(` changes: removing that substitution gives visible() back
    assert.equal(p.replace(/\uff08/g, '('), visible(h));
  }
  assert.equal(plainText('innocent-web.web[0]'), 'innocent-web.web[0]');
  assert.equal(plainText('see http://x/ (a) <b>'), 'see http://x/ (a) <b>');
  assert.equal(plainText('[a](command:x)'), '[a]\uff08command:x)');
});

test('plain``: literal text is kept (our icons too), values are neutralised, links cannot be assembled across boundaries', () => {
  const group = 'web [see details](command:workbench.action.terminal.sendSequence)';
  assert.equal(
    plain`$(check) Restarted ${group}.`,
    '$(check) Restarted web [see details]\uff08command:workbench.action.terminal.sendSequence).',
  );
  // our literal text is ours, but a value is never a link's target nor an icon's name
  assert.equal(
    plain`[${'x'}](${'command:y'})`.includes(']('),
    false,
    'a value after a literal `](` is not a link target',
  );
  assert.equal(
    plain`see [the docs](https://example.org).`,
    'see [the docs](https://example.org).',
    'a link wholly ours is kept',
  );
  const joined = plain`see [${'x'}]${'(command:evil)'}`;
  NOTIFICATION_LINK.lastIndex = 0;
  assert.equal(NOTIFICATION_LINK.test(joined), false, joined);
  const joined2 = plain`${'[x]'}(command:evil)`;
  NOTIFICATION_LINK.lastIndex = 0;
  assert.equal(NOTIFICATION_LINK.test(joined2), false, joined2);
  assert.equal(ICON.test(plain`${'$'}(alert)`), false);
  assert.equal(plain`job ${'a\u202eb'} v${3}`, 'job a\\u202eb v3');
});

test('markdownText(): no link, image, HTML or autolink survives a Markdown renderer', () => {
  for (const h of HOSTILE) {
    const m = markdownText(h);
    assert.doesNotMatch(m, /(?<!\\)\[[^\]]*(?<!\\)\]\(/, `no link/image syntax in ${m}`);
    assert.doesNotMatch(m, /</, `no raw HTML in ${m}`);
    assert.doesNotMatch(m, /(?<!\\)[a-z]+:\/\//i, `no autolink in ${m}`);
    assert.equal(hasInvisible(m), false);
  }
  assert.equal(markdownText('a<b>&'), 'a&lt;b&gt;&amp;');
  assert.equal(markdownText('[x](y)'), '\\[x\\]\\(y\\)');
});

test('pathSegment(): one segment whatever the id holds', () => {
  for (const id of ['a//b', 'a?b', 'a#b', '50%', 'a/../b', ' sp ace', 'ü/日', 'a\u202eb', '.x', '...']) {
    const seg = pathSegment(id);
    assert.doesNotMatch(seg, /[/?#]/, `${id} → ${seg}`);
    assert.equal(decodeURIComponent(seg), id);
    // a URL parser keeps it as one segment and does not normalise it away
    const u = new URL(`http://h/v1/job/${seg}/plan`);
    assert.equal(u.pathname, `/v1/job/${seg}/plan`);
  }
  // `.` and `..` alone are dot segments even percent-encoded (WHATWG URL, Go's path cleaning): the client
  // refuses them (test/unit/nomad/paths.test.ts); pathSegment still encodes every dot
  assert.equal(pathSegment('..'), '%2E%2E');
  assert.equal(pathSegment('.'), '%2E');
});

test('shortId(): the first 8 characters, made visible', () => {
  assert.equal(shortId('43c70dbd-1111-2222'), '43c70dbd');
  assert.equal(shortId('\u202eabcdefghij'), '\\u202eabcdefg');
  assert.equal(shortId(undefined), '');
});

test('visibleLines(): the same as visible() between line breaks and tabs, on seeded random text (fast paths included)', () => {
  const random = seededRandom(15);
  const pool = [
    'a',
    'ü',
    '日',
    '🚀',
    '\n',
    '\t',
    '\r',
    '\u202e',
    '\u2066',
    '\u200b',
    '\ufeff',
    '\u0007',
    '\u0085',
    '\udb40\udc41',
    '\ud800',
    '\udc00',
    '$(',
    '](',
    ' ',
  ];
  for (let k = 0; k < 3000; k++) {
    let x = '';
    const n = Math.floor(random() * 24);
    for (let i = 0; i < n; i++) x += pool[Math.floor(random() * pool.length)];
    assert.equal(
      visibleLines(x),
      x.replace(/[^\n\r\t]+/g, m => visible(m)),
      JSON.stringify(x),
    );
  }
});
