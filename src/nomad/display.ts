// Cluster strings are untrusted data. Everything that comes from a cluster (names, ids, meta, event
// messages, error texts) goes through one of these before it reaches the screen:
//   - visible():  invisible, bidirectional-control and other control characters become visible escapes
//                 (`\u202e`, `\n`, `\x00`), as the Nomad CLI prints them. Use for plain-text surfaces:
//                 tree labels, descriptions, plain tooltips, quick picks, output channels, webview text.
//   - plainText(): visible() and then neutralised for surfaces that render Markdown/links: VS Code's
//                 notifications turn `[x](command:…)` into live links, so brackets, parentheses and
//                 URI schemes are broken up with a zero-width-free escape that still reads the same.
//   - markdownText(): visible() and escaped for a MarkdownString (never trusted, never supportHtml).
//   - pathSegment(): one URL path segment built from a cluster string.
// Pure: no `vscode` import.

const HEX = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');

/** Characters that are shown escaped: C0/C1 controls (except none), bidi controls, zero-width and other
 *  invisible format characters, line/paragraph separators, BOM, and lone surrogates. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\udb40[\udc00-\udcff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

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
  return s.replace(INVISIBLE, ch => {
    const named = NAMED[ch];
    if (named) return named;
    if (ch.length === 2) {
      const cp = ch.codePointAt(0) ?? 0;
      return `\\U${HEX(cp, 8)}`;
    }
    const cp = ch.charCodeAt(0);
    return cp < 0x100 ? `\\x${HEX(cp, 2)}` : `\\u${HEX(cp, 4)}`;
  });
}

/** For text that a surface may render as Markdown (notifications, status bar tooltips given as strings):
 *  visible(), and then the characters that start links, images, HTML or emphasis are replaced by
 *  full-width look-alikes, so nothing can become a link, an image or a `command:` URI. The text still
 *  reads the same to a person. */
export function plainText(value: unknown): string {
  return visible(value)
    .replace(/\[/g, '［').replace(/\]/g, '］')
    .replace(/\(/g, '（').replace(/\)/g, '）')
    .replace(/</g, '‹').replace(/>/g, '›')
    .replace(/`/g, 'ˋ')
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/|[a-z])/gi, '$1\u2236');
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
