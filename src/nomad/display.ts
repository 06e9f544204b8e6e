// Cluster strings are untrusted data. Everything that comes from a cluster (names, ids, meta, event
// messages, error texts) goes through one of these before it reaches the screen:
//   - visible():  invisible, bidirectional-control and other control characters become visible escapes
//                 (`\u202e`, `\n`, `\x00`), as the Nomad CLI prints them. Use for plain-text surfaces:
//                 tree labels, descriptions, plain tooltips, quick picks, output channels, webview text.
//   - plainText(): visible(), and `](` / `$(` broken up (a full-width `（`), for surfaces that give
//                 those meaning: notifications and modals (`[x](command:…)` links), quick picks, status
//                 bar text and input box titles (`$(icon)`). The `plain` template tag applies it to
//                 every interpolated value of a message and keeps the message's own literal text.
//   - visibleLines(): visible() for multi-line text (task logs): newlines and tabs are kept.
//   - markdownText(): visible() and escaped for a MarkdownString (never trusted, never supportHtml).
//   - pathSegment(): one URL path segment built from a cluster string.
// Pure: no `vscode` import.

const HEX = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');

/** Characters that are shown escaped: C0/C1 controls (except none), bidi controls, zero-width and other
 *  invisible format characters, line/paragraph separators, BOM, and lone surrogates. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\udb40[\udc00-\udcff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Printable ASCII, line breaks and tabs only: nothing to escape (a fast test; task output is mostly this). */
const ONLY_PLAIN_ASCII = /^[\n\r\t\u0020-\u007e]*$/;

/** Whether `s` holds a character INVISIBLE could match, besides line breaks and tabs: a charCode loop
 *  (for text beyond ASCII it is several times faster than a regular expression over it). Surrogates are
 *  candidates (a lone one, or a tag character), so emoji take the slow path. */
function mayNeedEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) { if (c !== 10 && c !== 13 && c !== 9) return true; continue; }
    if (c < 0x7f) continue;
    if (c <= 0xa0 || c === 0xad || c === 0x34f || c === 0x61c || c === 0x115f || c === 0x1160 || c === 0x17b4 || c === 0x17b5
      || (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f)
      || c === 0x3164 || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfe00 && c <= 0xfe0f) || c === 0xfeff || c === 0xffa0 || (c >= 0xfff0 && c <= 0xfffb)) return true;
  }
  return false;
}

/** Like visible(), for text whose line breaks (\n, \r) and tabs are meant (task output, log lines): those are kept. */
export function visibleLines(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  if (ONLY_PLAIN_ASCII.test(s) || !mayNeedEscape(s)) return s;
  return s.replace(INVISIBLE, ch => (ch === '\n' || ch === '\r' || ch === '\t' ? ch : escapeChar(ch)));
}

/** True when `s` holds a character that visible() would escape. */
export function hasInvisible(s: string): boolean {
  INVISIBLE.lastIndex = 0;
  const r = INVISIBLE.test(s);
  INVISIBLE.lastIndex = 0;
  return r;
}

/** Makes invisible and bidirectional characters visible; a backslash is left alone. */
export function visible(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  return s.replace(INVISIBLE, escapeChar);
}

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  if (ch.length === 2) return `\\U${HEX(ch.codePointAt(0) ?? 0, 8)}`;
  const cp = ch.charCodeAt(0);
  return cp < 0x100 ? `\\x${HEX(cp, 2)}` : `\\u${HEX(cp, 4)}`;
}

/** A `(` that would complete a link (`[text](url)`) or an icon (`$(name)`) after `]` or `$`. */
const OPENER = /([\]$])\(/g;
const FULLWIDTH_PAREN = '\uff08';

/** For text on surfaces that give a few characters meaning: notifications and modal dialogs turn
 *  `[text](command:…)` into a live link, quick picks, status bar items and input box titles turn
 *  `$(name)` into an icon. visible(), and then the `(` of every `](` and `$(` becomes a full-width
 *  `（`, so nothing can become a link, a `command:` URI or an icon. Everything else is kept as the
 *  cluster sent it (`web[0]`, `http://…`, `<b>` read the same), so the text stays comparable with
 *  the name the user registered. Not for Markdown: use markdownText() for a MarkdownString. */
export function plainText(value: unknown): string {
  return visible(value).replace(OPENER, `$1${FULLWIDTH_PAREN}`);
}

/** A template tag for messages that carry cluster strings: the literal parts are ours and are kept
 *  (`$(check)` icons included); every interpolated value goes through plainText(), and a value that
 *  starts with `(` right after a literal `]` or `$` (or ends with `]`/`$` before a literal `(`) is
 *  broken up too, so no link or icon can be assembled across a boundary.
 *    showInformationMessage(plain`Restarted ${alloc.Name}.`) */
export function plain(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    let v = plainText(values[i]);
    let next = strings[i + 1] ?? '';
    if (v.startsWith('(') && /[\]$]$/.test(out)) v = FULLWIDTH_PAREN + v.slice(1);
    if (next.startsWith('(') && /[\]$]$/.test(v)) next = FULLWIDTH_PAREN + next.slice(1);
    out += v + next;
  }
  return out;
}

/** Escapes for a MarkdownString (which must also not be trusted nor allow HTML): every Markdown
 *  punctuation character is backslash-escaped, `<`/`>`/`&` become entities. */
export function markdownText(value: unknown): string {
  return visible(value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~:"'])/g, '\\$1');
}

/** One URL path segment from a cluster string: every reserved character percent-encoded, so `a//b`,
 *  `..` and `?` stay inside the segment. */
export function pathSegment(value: string): string {
  const enc = encodeURIComponent(value);
  // `.` and `..` alone would be normalised away by URL handling: encode the dots.
  if (enc === '.' || enc === '..') return enc.replace(/\./g, '%2E');
  return enc;
}

/** A short id (the first 8 characters, as Nomad's CLI shows), made visible. */
export function shortId(id: string | undefined): string {
  return visible((id ?? '').slice(0, 8));
}
