// A lint over src/: a message that reaches a notification, a modal, a quick pick, an input box, the status
// bar, a tree item or a Markdown tooltip is never built by interpolating values by hand. Values go through
// src/untrusted/shown.ts: the plain`` tag (or plainText/shortId) where links and icons are rendered,
// visible()/markdownText() where the surface is plain text or Markdown. It reads the sources as text (a
// small template-literal scanner, no TypeScript parser), so it can miss a message assembled elsewhere and
// passed in a variable; what it sees, it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support';

/** Where a template literal starting at `start` (a backtick) ends, and the source of each `${…}` in it. */
export function scanTemplate(src: string, start: number): { end: number; exprs: string[] } {
  const exprs: string[] = [];
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') return { end: i + 1, exprs };
    if (c === '$' && src[i + 1] === '{') {
      const from = i + 2;
      i = skipExpression(src, from);
      exprs.push(src.slice(from, i).trim());
      i++; // the closing brace
      continue;
    }
    i++;
  }
  return { end: src.length, exprs };
}

function skipExpression(src: string, i: number): number {
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '`') {
      i = scanTemplate(src, i).end;
      continue;
    }
    if (c === '"' || c === "'") {
      const q = c;
      i++;
      while (i < src.length && src[i] !== q) i += src[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return i;
}

interface Rule {
  name: string;
  re: RegExp;
  allowed: RegExp;
}
// Where links/icons render, an interpolation must be plainText(…)/shortId(…) or the whole literal tagged
// plain``; plain-text surfaces accept visible(…) too; a MarkdownString needs markdownText(…).
const LINKY = /^(plainText|shortId)\(/;
const PLAIN_SURFACE = /^(plainText|shortId|visible|markdownText)\(/;
const RULES: Rule[] = [
  { name: 'notification', re: /\bshow(?:Information|Warning|Error)Message\(\s*(`)/g, allowed: LINKY },
  { name: 'status bar message', re: /\bsetStatusBarMessage\(\s*(`)/g, allowed: LINKY },
  {
    name: 'quick pick / input box / progress text',
    re: /\b(?:title|placeHolder|prompt|detail)\s*:\s*(`)/g,
    allowed: LINKY,
  },
  { name: 'quick pick item', re: /\b(?:label|description)\s*:\s*(`)/g, allowed: LINKY },
  { name: 'status bar item', re: /\.text\s*=\s*(`)/g, allowed: LINKY },
  { name: 'tooltip', re: /\.tooltip\s*=\s*(`)/g, allowed: PLAIN_SURFACE },
  { name: 'tree item', re: /new vscode\.TreeItem\(\s*(`)/g, allowed: PLAIN_SURFACE },
  { name: 'tree item text', re: /\.(?:description|label)\s*=\s*(`)/g, allowed: PLAIN_SURFACE },
  { name: 'Markdown', re: /new vscode\.MarkdownString\(\s*(`)/g, allowed: /^markdownText\(/ },
  { name: 'Markdown', re: /\.append(?:Markdown)\(\s*(`)/g, allowed: /^markdownText\(/ },
];

/** A string literal is ours; a helper call is fine; a choice (`c ? x : y`) is fine when both branches are,
 *  a template branch when its own interpolations are. */
function exprOk(e: string, allowed: RegExp): boolean {
  const t = e.trim();
  if (allowed.test(t) || /^'[^']*'$/.test(t) || /^"[^"]*"$/.test(t)) return true;
  if (t.startsWith('`')) {
    const { end, exprs } = scanTemplate(t, 0);
    return end === t.length && exprs.every(x => exprOk(x, allowed));
  }
  const q = /^[\w.!=' ]+\?\s*/.exec(t);
  if (!q) return false;
  const rest = t.slice(q[0].length);
  let first: string;
  if (rest.startsWith('`')) first = rest.slice(0, scanTemplate(rest, 0).end);
  else if (/^'[^']*'/.test(rest)) first = /^'[^']*'/.exec(rest)![0];
  else {
    const m = /^[\w.]+\([^()]*\)/.exec(rest);
    if (!m) return false;
    first = m[0];
  }
  const after = /^\s*:\s*/.exec(rest.slice(first.length));
  if (!after) return false;
  return exprOk(first, allowed) && exprOk(rest.slice(first.length + after[0].length), allowed);
}

/** Violations in one source text: `name: line: the literal`. */
export function violationsIn(src: string, file = 'src'): string[] {
  const out: string[] = [];
  // only code that talks to VS Code shows anything (pure modules build data: the plan view model's
  // labels reach the webview as text)
  if (!/from 'vscode'/.test(src)) return out;
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(src))) {
      const tick = m.index + m[0].length - 1;
      const { end, exprs } = scanTemplate(src, tick);
      const bad = exprs.filter(e => !exprOk(e, rule.allowed));
      if (bad.length) {
        const line = src.slice(0, tick).split('\n').length;
        out.push(
          `${file}:${line}: ${rule.name} interpolates ${bad.map(b => `\${${b}}`).join(', ')} without a display helper: ${src.slice(tick, Math.min(end, tick + 120))}`,
        );
      }
    }
  }
  if (/\bisTrusted\s*[:=]\s*true|\bsupportHtml\s*[:=]\s*true|enableCommandUris\s*[:=]\s*true/.test(src))
    out.push(`${file}: a MarkdownString or webview is trusted (isTrusted/supportHtml/enableCommandUris)`);
  return out;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

test('the scanner finds what it should (and a tagged or helper-wrapped message passes)', () => {
  const violations = (s: string) => violationsIn(`import * as vscode from 'vscode';\n${s}`);
  assert.equal(violations('vscode.window.showInformationMessage(`Stopped ${job.id}.`)').length, 1);
  assert.equal(violations('vscode.window.showInformationMessage(plain`Stopped ${job.id}.`)').length, 0);
  assert.equal(
    violations('vscode.window.showWarningMessage(`Stop ${plainText(job.id)} (${shortId(e)})?`, { modal: true })')
      .length,
    0,
  );
  assert.equal(violations('x.showErrorMessage(`a ${`nested ${y}`} b`)').length, 1);
  assert.equal(violations("showQuickPick(items.map(i => ({ label: `${i.name}`, description: 'x' })))").length, 1);
  assert.equal(violations('showQuickPick(items, { title: `Open ${n.name}` })').length, 1);
  assert.equal(violations('item.tooltip = `${a}`;').length, 1);
  assert.equal(violations("new vscode.TreeItem(`${visible(a.ID)} ${'x'}`)").length, 0);
  assert.equal(violations('new vscode.TreeItem(`${a.ID}`)').length, 1);
  assert.equal(violations('new vscode.MarkdownString(`**${markdownText(j.ID)}**`)').length, 0);
  assert.equal(violations('new vscode.MarkdownString(`**${visible(j.ID)}**`)').length, 1);
  assert.equal(violations('md.isTrusted = true;').length, 1);
  assert.equal(violations("x.text = `Nomad: ${r.overridden ? ' (set)' : ''}`;").length, 0);
  assert.equal(violations("x.text = `Nomad: ${r.overridden ? name : ''}`;").length, 1);
  assert.equal(violations('x.text = `Nomad: ${visible(name)}`;').length, 1, 'visible() does not stop an icon');
  assert.equal(violations('x.tooltip = `Nomad: ${visible(name)}`;').length, 0);
  assert.equal(
    violations("x.tooltip = `${a === 'n' ? 'N' : 'C'}: ${visible(n)}${ns ? `\\n${visible(ns)}` : ''}`;").length,
    0,
  );
  assert.equal(violations("x.tooltip = `${ns ? `\\n${ns}` : ''}`;").length, 1);
  assert.equal(violations("vscode.window.showInformationMessage('No jobs.')").length, 0);
});

test('src/: no UI text interpolates a value without a display helper', () => {
  const root = path.join(repoRoot(), 'src');
  // the language server and its client-side pieces render no cluster strings in these surfaces
  const files = sources(root).filter(
    f =>
      !f.includes(`${path.sep}language${path.sep}`) &&
      !f.includes(`${path.sep}server${path.sep}`) &&
      !f.includes(`${path.sep}webview${path.sep}`),
  );
  assert.ok(files.length > 10, 'the sources were found');
  const found = files.flatMap(f => violationsIn(fs.readFileSync(f, 'utf8'), path.relative(repoRoot(), f)));
  assert.deepEqual(found, [], `\n${found.join('\n')}`);
});
