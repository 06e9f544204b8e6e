// The escaping functions live in src/untrusted/shown.ts (the security-critical gate between untrusted
// text and the screen); this path re-exports them so existing imports keep working.
export {
  visible,
  visibleLines,
  visibleText,
  hasInvisible,
  codicon,
  plainText,
  plainLines,
  plain,
  joinShown,
  markdownText,
  markdownLines,
  bundledMarkdown,
  codeBlock,
  codeSpan,
  md,
  joinMarkdown,
  shortId,
  pathSegment,
} from '../untrusted/shown';
export type { Shown, Visible, SafeMarkdown } from '../untrusted/shown';
