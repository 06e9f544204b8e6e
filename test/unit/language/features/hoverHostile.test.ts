// Hovers of hostile job files (a cloned repository's, or one a cluster hands back through "Show Job
// Definition"): a variable's description, defaults, types, labels, locals (heredocs too), free-form keys
// and values are shown as text or inside code that they cannot leave. Each hover is rendered by a real
// CommonMark renderer (markdown-it, with linkify and raw HTML on: worse than VS Code's hover) and the
// HTML it gives must hold no link, no image and no tag beyond the ones our own Markdown makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../../../src/language/features/hover';
import { rootSchema } from '../../../../src/language/schema';
import { codeBlock, codeSpan, markdownLines, markdownText } from '../../../../src/untrusted/shown';
import { atCursor, CURSOR as C } from '../../support';

type Md = { render(src: string): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => Md;
const renderer = new MarkdownIt({ html: true, linkify: true });

/** Tags our own hover Markdown may produce. */
const ALLOWED_TAGS = new Set(['p', 'pre', 'code', 'strong', 'em', 'ul', 'li', 'br', 'hr']);

function assertInert(markdown: string, what: string): string {
  const html = renderer.render(markdown);
  assert.doesNotMatch(html, /<a[\s>]/i, `${what}: no link in ${html}`);
  assert.doesNotMatch(html, /<img[\s>]/i, `${what}: no image in ${html}`);
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g))
    assert.ok(ALLOWED_TAGS.has(m[1]!.toLowerCase()), `${what}: tag <${m[1]}> in ${html}`);
  return html;
}

function hover(src: string): string {
  const { file, offset } = atCursor(src);
  const h = hoverAt(file, offset, rootSchema());
  assert.ok(h, 'a hover');
  return (h.contents as { value: string }).value;
}

const BEACON = 'http://127.0.0.1:9/beacon.png';
const PAYLOADS = [
  `![](${BEACON})`,
  `[x](command:workbench.action.terminal.new)`,
  `<img src="${BEACON}">`,
  '<b>bold</b><script>alert(1)</script>',
  'https://evil.example/a and www.evil.example',
  '``` then ```` then `',
  '[ref]: command:workbench.action.terminal.new\n\n[ref]',
  '\u202egnp.exe',
];

test('a variable description from the file is text: no image fetched, no link, no HTML', () => {
  for (const p of PAYLOADS) {
    const desc = JSON.stringify(p); // an HCL string with the payload (\n escapes included)
    const src = `variable "image" {\n  description = ${desc}\n}\njob "a" {\n  region = var.im${C}age\n}\n`;
    const md = hover(src);
    const html = assertInert(md, p);
    // shown, not dropped: the payload's words are in the rendered text
    if (p.includes('command:')) assert.match(html, /command:workbench\.action\.terminal\.new/);
    // the label hover (on `variable "image"` itself) says the same
    assertInert(
      hover(src.replace('variable "image"', `variable "ima${C}ge"`).replace(`var.im${C}age`, 'var.image')),
      `label: ${p}`,
    );
  }
});

test('defaults, types and labels stay in code that cannot be left', () => {
  const long = '`'.repeat(7);
  const cases = [
    `variable "v" {\n  default = <<EOT\n\`\`\`\n![](${BEACON})\n${long}\n[x](command:foo)\nEOT\n}\n`,
    `variable "v" {\n  default = "\`\`\` ![](${BEACON}) \`"\n}\n`,
    `variable "v" {\n  type = object({\n\n  a = string # ![](${BEACON})\n  })\n}\n`,
  ];
  for (const c of cases) assertInert(hover(`${c}job "a" {\n  region = var.${C}v\n}\n`), c);
  assertInert(hover(`variable "a\`\`\`b ![](${BEACON})" {}\njob "a" {\n  region = var.${C}x\n}\n`), 'undeclared');
});

test('a heredoc local cannot leave its fence', () => {
  const src = `locals {\n  evil = <<EOT\n\`\`\`\n![](${BEACON})\n<img src="${BEACON}">\n\`\`\`\`\`\`\nEOT\n}\njob "a" {\n  region = local.ev${C}il\n}\n`;
  const md = hover(src);
  const html = assertInert(md, 'heredoc local');
  // one code block holds all of it
  assert.equal((html.match(/<pre>/g) ?? []).length, 1, html);
  assert.match(html, /beacon\.png/);
});

test('free-form keys and enum values from the file are text', () => {
  const src = `job "a" {\n  meta {\n    "[x](command:foo)![](${BEACON})${C}" = "v"\n  }\n}\n`;
  assertInert(hover(src), 'meta key');
});

test('the escaping functions: a fence longer than any backtick run, spans that keep their text', () => {
  for (const text of ['a', '```', 'x ```` y', '`', '` a `', `![](${BEACON})`, 'line1\n\nline2 [x](command:y)']) {
    const block = codeBlock(text, 'hcl');
    const html = assertInert(block, text);
    assert.equal((html.match(/<pre>/g) ?? []).length, 1, html);
    assertInert(codeSpan(text), text);
    assertInert(markdownText(text), text);
    assertInert(markdownLines(text), text);
  }
  // the info string is ours, sanitised
  assert.match(codeBlock('x', 'hcl"><img'), /^```hclimg\n/);
});
