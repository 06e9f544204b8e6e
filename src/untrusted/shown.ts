// SECURITY-CRITICAL: the one gate between untrusted text and the screen.
//
// Everything a cluster sends (names, ids, meta, env, event messages, error texts), everything in a job
// file (a cloned repository's, or one a cluster hands back through "Show Job Definition") and every
// value a user did not write in this session is hostile input. The editor gives some characters meaning
// on some surfaces: `[text](command:…)` is a live link in notifications, modals and Markdown, `$(name)`
// an icon in quick picks, status bar items and input box titles, `![](https://…)` an image that is
// fetched, `<img>` HTML. This folder is called `untrusted/` because it is where such text stops being
// dangerous: review every change here as a security change.
//
// The types make the rule hold by construction. A string is not enough for a surface; a surface takes
//   - Shown:        safe on every plain-text surface, also those that render links and icons
//                   (notifications, modals, quick picks, input boxes, status bar, tree items, errors
//                   that the editor shows in a toast). Made only by the `plain` tag, plainText(),
//                   plainLines(), shortId(), codicon() and joinShown().
//   - Visible:      invisible and bidirectional characters escaped, nothing else changed: for surfaces
//                   that give no character a meaning (output channels, task logs). Made by visible(),
//                   visibleLines() and the `visibleText` tag; every Shown is also Visible.
//   - SafeMarkdown: Markdown source whose every untrusted part is escaped text or sits in a code fence
//                   it cannot leave. Made only by the `md` tag, markdownText(), markdownLines(),
//                   codeBlock()/codeSpan(), joinMarkdown() and bundledMarkdown() (the schema's own
//                   descriptions, shipped with the extension: never for text read at run time).
// Our own literals: the tags keep their literal parts, and the lint rule lets a string literal type pass
// (`'Open a Nomad file first.'` is compile-time text of ours); `string` never does.
// The brands are unique symbols declared here and nowhere else: no other module can make one except
// through these functions (a cast `as Shown` outside this folder is refused by the lint rule
// `untrusted/shown-only`, tools/eslint/untrusted.mjs, which also checks that every showXMessage,
// QuickPickItem, TreeItem, status bar item, input box, MarkdownString, LSP Markdown hover and
// FileSystemError is given one of these types).
// Pure: no `vscode` import (the language server uses it too).

declare const visibleBrand: unique symbol;
declare const shownBrand: unique symbol;
declare const markdownBrand: unique symbol;

/** Text with invisible and bidirectional characters made visible; safe where no character has a meaning. */
export type Visible = string & { readonly [visibleBrand]: true };
/** Text safe on every plain-text surface: Visible, and no `[…](…)` link nor `$(…)` icon can form. */
export type Shown = Visible & { readonly [shownBrand]: true };
/** Markdown source safe to render untrusted (no link, image, HTML or `command:` from untrusted parts). */
export type SafeMarkdown = string & { readonly [markdownBrand]: true };

const asVisible = (s: string): Visible => s as Visible;
const asShown = (s: string): Shown => s as Shown;
const asMarkdown = (s: string): SafeMarkdown => s as SafeMarkdown;

const HEX = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');

/** Characters that are shown escaped: C0/C1 controls, bidi controls, zero-width and other invisible
 *  format characters, line/paragraph separators, BOM, variation selectors, tag characters and lone
 *  surrogates. */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\udb40[\udc00-\udcff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Printable ASCII, line breaks and tabs only: nothing to escape (a fast test; task output is mostly this). */
const ONLY_PLAIN_ASCII = /^[\n\r\t\u0020-\u007e]*$/;

/** Whether `s` holds a character INVISIBLE could match, besides line breaks and tabs: a charCode loop
 *  (for text beyond ASCII it is several times faster than a regular expression over it). Surrogates are
 *  candidates (a lone one, or a tag character), so emoji take the slow path. */
function mayNeedEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 10 && c !== 13 && c !== 9) return true;
      continue;
    }
    if (c < 0x7f) continue;
    if (
      c <= 0xa0 ||
      c === 0xad ||
      c === 0x34f ||
      c === 0x61c ||
      c === 0x115f ||
      c === 0x1160 ||
      c === 0x17b4 ||
      c === 0x17b5 ||
      (c >= 0x180b && c <= 0x180f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) ||
      c === 0x3164 ||
      (c >= 0xd800 && c <= 0xdfff) ||
      (c >= 0xfe00 && c <= 0xfe0f) ||
      c === 0xfeff ||
      c === 0xffa0 ||
      (c >= 0xfff0 && c <= 0xfffb)
    )
      return true;
  }
  return false;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  if (ch.length === 2) return `\\U${HEX(ch.codePointAt(0) ?? 0, 8)}`;
  const cp = ch.charCodeAt(0);
  return cp < 0x100 ? `\\x${HEX(cp, 2)}` : `\\u${HEX(cp, 4)}`;
}

/** Like visible(), for text whose line breaks (\n, \r) and tabs are meant (task output, log lines): those are kept. */
export function visibleLines(value: unknown): Visible {
  const s = str(value);
  if (ONLY_PLAIN_ASCII.test(s) || !mayNeedEscape(s)) return asVisible(s);
  return asVisible(s.replace(INVISIBLE, ch => (ch === '\n' || ch === '\r' || ch === '\t' ? ch : escapeChar(ch))));
}

/** True when `s` holds a character that visible() would escape. */
export function hasInvisible(s: string): boolean {
  INVISIBLE.lastIndex = 0;
  const r = INVISIBLE.test(s);
  INVISIBLE.lastIndex = 0;
  return r;
}

/** Makes invisible and bidirectional characters visible (`\u202e`, `\n`, `\x00`, as the Nomad CLI
 *  prints them); a backslash is left alone. For surfaces that give no character a meaning. */
export function visible(value: unknown): Visible {
  return asVisible(str(value).replace(INVISIBLE, escapeChar));
}

/** A template tag for lines on surfaces that give no character a meaning (output channels): the
 *  literal parts are ours, every value goes through visible(). */
export function visibleText(strings: TemplateStringsArray, ...values: unknown[]): Visible {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += visible(values[i]) + (strings[i + 1] ?? '');
  return asVisible(out);
}

/** A `(` that would complete a link (`[text](url)`) or an icon (`$(name)`) after `]` or `$`. */
const OPENER = /([\]$])\(/g;
const FULLWIDTH_PAREN = '\uff08';

/** For text on surfaces that give a few characters meaning: notifications and modal dialogs turn
 *  `[text](command:…)` into a live link, quick picks, status bar items and input box titles turn
 *  `$(name)` into an icon. visible(), and then the `(` of every `](` and `$(` becomes a full-width
 *  `（`, so nothing can become a link, a `command:` URI or an icon. Everything else is kept as the
 *  cluster sent it (`web[0]`, `http://…`, `<b>` read the same), so the text stays comparable with
 *  the name the user registered. Idempotent. Not for Markdown: use markdownText() for a MarkdownString. */
export function plainText(value: unknown): Shown {
  return asShown(visible(value).replace(OPENER, `$1${FULLWIDTH_PAREN}`));
}

/** plainText() for multi-line text (a modal's detail, a list of reasons): line breaks and tabs are kept. */
export function plainLines(value: unknown): Shown {
  return asShown(visibleLines(value).replace(OPENER, `$1${FULLWIDTH_PAREN}`));
}

/** Appends `next` to `out`, breaking a `](` / `$(` that would form across the boundary. */
function joinTwo(out: string, next: string): string {
  if (next.startsWith('(') && /[\]$]$/.test(out)) return out + FULLWIDTH_PAREN + next.slice(1);
  return out + next;
}

/** A template tag for text shown to the user: the literal parts are ours and are kept (`$(check)`
 *  icons included); every interpolated value goes through plainText(), and no link or icon can be
 *  assembled across a boundary (a value starting with `(` after a literal `]`/`$`, ending in
 *  `]`/`$` before a literal `(`, or following a literal `](` / `$(`: a value is never a link target
 *  nor an icon name; for an icon of ours use codicon()).
 *    notify.info(plain`Restarted ${alloc.Name}.`)
 *  A value that is already Shown is escaped again, which changes nothing but our own icons in it: to
 *  compose Shown pieces that carry icons, use joinShown(). */
export function plain(strings: TemplateStringsArray, ...values: unknown[]): Shown {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    // a literal `](` or `$(` right before a value would make the value a link target or an icon name
    if (/[\]$]\($/.test(out)) out = out.slice(0, -1) + FULLWIDTH_PAREN;
    out = joinTwo(out, plainText(values[i]));
    out = joinTwo(out, strings[i + 1] ?? '');
  }
  return asShown(out);
}

/** Shown pieces joined (by a Shown separator), with the boundaries kept safe. */
export function joinShown(parts: readonly (Shown | undefined | false)[], separator: Shown = asShown('')): Shown {
  let out = '';
  let first = true;
  for (const p of parts) {
    if (p === undefined || p === false) continue;
    if (!first) out = joinTwo(out, separator);
    out = joinTwo(out, p);
    first = false;
  }
  return asShown(out);
}

/** One of our codicons, `$(name)`, as Shown (for composing with joinShown()); a name that is not a
 *  codicon name (letters, digits, `-`, an optional `~spin`) gives nothing. */
export function codicon(name: string): Shown {
  return asShown(/^[a-z0-9-]+(~[a-z]+)?$/.test(name) ? `$(${name})` : '');
}

// --- Markdown ----------------------------------------------------------------------------------------

/** Escapes for Markdown (a MarkdownString, which is also never trusted nor allowed HTML, or an LSP
 *  hover): every Markdown punctuation character is backslash-escaped, `<`/`>`/`&` become entities, so
 *  no link, image, autolink, HTML or emphasis can form. Line breaks are kept as escapes (visible()). */
export function markdownText(value: unknown): SafeMarkdown {
  return asMarkdown(escapeMarkdown(visible(value)));
}

/** markdownText() for multi-line text: each line escaped, the lines kept as Markdown line breaks. */
export function markdownLines(value: unknown): SafeMarkdown {
  return asMarkdown(
    visibleLines(value)
      .split(/\r\n|\r|\n/)
      .map(escapeMarkdown)
      .join('  \n'),
  );
}

function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~:])/g, '\\$1');
}

/** The longest run of `ch` in `s`. */
function longestRun(s: string, ch: string): number {
  let best = 0,
    run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ch) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** A fenced code block that its content cannot leave: the fence is one backtick longer than any run of
 *  backticks in the text (and at least three), the info string is ours and sanitised, and invisible
 *  characters other than line breaks and tabs are shown escaped. Inside a fence Markdown renders
 *  nothing: no link, image or HTML. */
export function codeBlock(value: unknown, language = ''): SafeMarkdown {
  const text = visibleLines(value).replace(/\r\n?/g, '\n');
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  const lang = language.replace(/[^A-Za-z0-9_+-]/g, '');
  return asMarkdown(`${fence}${lang}\n${text}\n${fence}`);
}

/** An inline code span its content cannot leave (one line: line breaks shown as `\n`). */
export function codeSpan(value: unknown): SafeMarkdown {
  const text = visible(value);
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  // a space on both sides keeps a leading or trailing backtick (or space) inside; CommonMark strips one of each
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return asMarkdown(`${ticks}${pad}${text}${pad}${ticks}`);
}

/** Markdown that ships with the extension (the schema's descriptions, written by us and bundled as
 *  data): SafeMarkdown as it is. Never for text read from a document, a setting or a cluster. */
export function bundledMarkdown(ours: string): SafeMarkdown {
  return asMarkdown(ours);
}

/** A template tag for Markdown: the literal parts are our Markdown and are kept; every value must
 *  already be SafeMarkdown (markdownText(), codeSpan(), codeBlock(), or another md``), so the types
 *  say where each untrusted part was escaped.
 *    md`**${markdownText(name)}** ${codeSpan(value)}` */
export function md(strings: TemplateStringsArray, ...values: SafeMarkdown[]): SafeMarkdown {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += values[i] + (strings[i + 1] ?? '');
  return asMarkdown(out);
}

/** Markdown pieces joined by one of our own separators. */
export function joinMarkdown(
  parts: readonly (SafeMarkdown | undefined | false)[],
  separator: '\n\n' | '\n' | '  \n' | ' ' | '' | ', ' | ' · ' | '\n\n---\n\n',
): SafeMarkdown {
  return asMarkdown(parts.filter((p): p is SafeMarkdown => typeof p === 'string').join(separator));
}

// --- errors the editor shows ----------------------------------------------------------------------

/** An error leaving a command handler is shown by the editor in a notification, whose message renders
 *  `[text](command:…)` links: its message is made Shown in place (the error keeps its class and other
 *  fields, so callers that await the command still see what failed). */
export function shownError(e: unknown): unknown {
  if (e instanceof Error) {
    try {
      e.message = plainLines(e.message);
    } catch {
      return new Error(plainLines(e.message));
    }
    return e;
  }
  return typeof e === 'string' ? plainLines(e) : e;
}

// --- short ids and URL paths -------------------------------------------------------------------------

/** A short id (the first 8 characters, as Nomad's CLI shows), made safe to show. */
export function shortId(id: string | undefined): Shown {
  return plainText((id ?? '').slice(0, 8));
}

/** One URL path segment from a cluster string: every reserved character percent-encoded, so `a//b`,
 *  `..` and `?` stay inside the segment. */
export function pathSegment(value: string): string {
  const enc = encodeURIComponent(value);
  // `.` and `..` alone would be normalised away by URL handling: encode the dots.
  if (enc === '.' || enc === '..') return enc.replace(/\./g, '%2E');
  return enc;
}
