// Formatting in the canonical style of `nomad fmt` (HCL's hclwrite rules): 2-space indentation by
// bracket nesting, one space around `=`, the `=` of consecutive single-line attributes aligned (a blank
// line, a comment-only line, a block or a multi-line value ends the run), trailing comments aligned in
// runs, the spacing rules between tokens (`f(a, b)`, `[1, 2]`, `{ a = 1 }`, `a.b[0]`, `"${x}"`), no
// trailing whitespace after code. As nomad fmt: line breaks stay as they are (blank lines at the end
// are kept, a missing final newline is not added), and so do the trailing spaces of comments, of a
// heredoc's closing marker and at the very end of the file. Heredoc bodies, string contents and comments are kept as
// they are. Only whitespace between tokens changes; the result is re-parsed and its syntax tree
// compared with the original, and files with syntax errors are refused (no edits).
// Pure: no `vscode` import.
import type { TextEdit } from 'vscode-languageserver-types';
import { parse, type HclFile, type Node } from '../hcl';
import { forEachChild } from '../hcl';

type T =
  | 'ident'
  | 'number'
  | 'oquote'
  | 'qlit'
  | 'cquote'
  | 'heredoc'
  | 'interp'
  | 'control'
  | 'seqend'
  | 'obrace'
  | 'cbrace'
  | 'obrack'
  | 'cbrack'
  | 'oparen'
  | 'cparen'
  | 'comma'
  | 'dot'
  | 'ellipsis'
  | 'equal'
  | 'colon'
  | 'question'
  | 'arrow'
  | 'bang'
  | 'minus'
  | 'op'
  | 'comment'
  | 'lcomment'
  | 'newline';

interface Tok {
  t: T;
  s: number;
  e: number;
  /** the identifier `in` */ inKw?: true;
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_REST = /[\p{ID_Continue}-]/u;
// ASCII identifier classes: 1 = may start an identifier, 2 = may only continue one
const ASCII_ID = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) ASCII_ID[c] = 1;
  else if ((c >= 48 && c <= 57) || c === 45) ASCII_ID[c] = 2;
}

function identStart(src: string, i: number, c: number): boolean {
  if (c < 128) return ASCII_ID[c] === 1;
  return ID_START.test(String.fromCodePoint(src.codePointAt(i)!));
}

function identEnd(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c < 128) {
      if (ASCII_ID[c] === 0) break;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(src.codePointAt(i)!);
    if (!ID_REST.test(ch)) break;
    i += ch.length;
  }
  return i;
}

const NUMBER_RE = /\d+(\.\d+)?([eE][+-]?\d+)?/y;
const ASCII_RE = /^[\x20-\x7e]*$/;

/** Tokens of a syntactically valid native HCL file; undefined when something is not understood. */
function tokenize(src: string, from: number): Tok[] | undefined {
  const out: Tok[] = [];
  const n = src.length;
  type Mode = { quoted: true } | { quoted: false; depth: number };
  const modes: Mode[] = [{ quoted: false, depth: 0 }];
  let i = from;
  const push = (t: T, s: number, e: number): void => {
    out.push({ t, s, e });
  };
  while (i < n) {
    const mode = modes[modes.length - 1]!;
    const c = src.charCodeAt(i);
    if (mode.quoted) {
      const s = i;
      for (;;) {
        if (i >= n) return undefined;
        const d = src.charCodeAt(i);
        if (d === 10 || d === 13) return undefined;
        if (d === 92) {
          i += 2;
          continue;
        }
        if (d === 34) break;
        if ((d === 36 || d === 37) && src.charCodeAt(i + 1) === 123) break;
        if ((d === 36 || d === 37) && src.charCodeAt(i + 1) === d && src.charCodeAt(i + 2) === 123) {
          i += 3;
          continue;
        }
        i++;
      }
      if (i > s) push('qlit', s, i);
      const d = src.charCodeAt(i);
      if (d === 34) {
        push('cquote', i, i + 1);
        i++;
        modes.pop();
        continue;
      }
      const len = src.charCodeAt(i + 2) === 126 ? 3 : 2;
      push(d === 36 ? 'interp' : 'control', i, i + len);
      i += len;
      modes.push({ quoted: false, depth: 0 });
      continue;
    }
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 10) {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    if (c === 13) {
      const e = src.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      push('newline', i, e);
      i = e;
      continue;
    }
    if (c === 35 || (c === 47 && src.charCodeAt(i + 1) === 47)) {
      let e = i;
      while (e < n && src.charCodeAt(e) !== 10 && src.charCodeAt(e) !== 13) e++;
      // a comment keeps its trailing spaces, as nomad fmt does
      push('lcomment', i, e);
      i = e;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const e = src.indexOf('*/', i + 2);
      if (e < 0) return undefined;
      push('comment', i, e + 2);
      i = e + 2;
      continue;
    }
    if (c === 34) {
      push('oquote', i, i + 1);
      i++;
      modes.push({ quoted: true });
      continue;
    }
    if (c === 60 && src.charCodeAt(i + 1) === 60) {
      const m = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*(\r\n|\n|\r)/uy;
      m.lastIndex = i;
      const h = m.exec(src);
      if (!h) return undefined;
      // the closing marker: a line holding only the marker (leading whitespace allowed)
      let p = i + h[0].length;
      let end = -1;
      while (p <= n) {
        let le = p;
        while (le < n && src.charCodeAt(le) !== 10 && src.charCodeAt(le) !== 13) le++;
        if (src.slice(p, le).trim() === h[2]) {
          end = le; // spaces after the marker stay, as nomad fmt keeps them
          break;
        }
        if (le >= n) break;
        p = src.charCodeAt(le) === 13 && src.charCodeAt(le + 1) === 10 ? le + 2 : le + 1;
      }
      if (end < 0) return undefined;
      push('heredoc', i, end);
      i = end;
      continue;
    }
    if (identStart(src, i, c)) {
      const e = identEnd(src, i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1));
      push('ident', i, e);
      if (e - i === 2 && c === 105 && src.charCodeAt(i + 1) === 110) out[out.length - 1]!.inKw = true;
      i = e;
      continue;
    }
    if (c >= 48 && c <= 57) {
      NUMBER_RE.lastIndex = i;
      const r = NUMBER_RE.exec(src)!;
      push('number', i, i + r[0].length);
      i += r[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (src.startsWith('...', i)) {
      push('ellipsis', i, i + 3);
      i += 3;
      continue;
    }
    if (two === '=>') {
      push('arrow', i, i + 2);
      i += 2;
      continue;
    }
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '&&' || two === '||') {
      push('op', i, i + 2);
      i += 2;
      continue;
    }
    if (two === '~}' && modes.length > 1 && mode.depth === 0) {
      push('seqend', i, i + 2);
      i += 2;
      modes.pop();
      continue;
    }
    switch (c) {
      case 123:
        push('obrace', i, i + 1);
        mode.depth++;
        break;
      case 125:
        if (mode.depth === 0) {
          if (modes.length === 1) return undefined;
          push('seqend', i, i + 1);
          modes.pop();
        } else {
          push('cbrace', i, i + 1);
          mode.depth--;
        }
        break;
      case 91:
        push('obrack', i, i + 1);
        break;
      case 93:
        push('cbrack', i, i + 1);
        break;
      case 40:
        push('oparen', i, i + 1);
        break;
      case 41:
        push('cparen', i, i + 1);
        break;
      case 44:
        push('comma', i, i + 1);
        break;
      case 46:
        push('dot', i, i + 1);
        break;
      case 61:
        push('equal', i, i + 1);
        break;
      case 58:
        push('colon', i, i + 1);
        break;
      case 63:
        push('question', i, i + 1);
        break;
      case 33:
        push('bang', i, i + 1);
        break;
      case 45:
        push('minus', i, i + 1);
        break;
      case 43:
      case 42:
      case 47:
      case 37:
      case 60:
      case 62:
        push('op', i, i + 1);
        break;
      default:
        return undefined;
    }
    i++;
  }
  if (modes.length !== 1) return undefined;
  return out;
}

function bracketChange(t: T): number {
  switch (t) {
    case 'obrace':
    case 'obrack':
    case 'oparen':
    case 'interp':
    case 'control':
      return 1;
    case 'cbrace':
    case 'cbrack':
    case 'cparen':
    case 'seqend':
      return -1;
    default:
      return 0;
  }
}

const NEGATION_BEFORE: ReadonlySet<T> = new Set<T>([
  'oparen',
  'obrace',
  'obrack',
  'equal',
  'colon',
  'comma',
  'question',
  'op',
  'minus',
  'bang',
  'interp',
  'control',
]);

/** Whether one space separates `subject` from `after` (hclwrite's rules, in their order). */
function spaceAfter(subject: Tok, before: Tok | undefined, after: Tok | undefined): boolean {
  if (!after) return false;
  const s = subject.t;
  const a = after.t;
  if (s === 'ident' && a === 'oparen') return false;
  if (s === 'dot' || a === 'dot') return false;
  if (a === 'comma' || a === 'ellipsis') return false;
  if (s === 'comma') return true;
  if (s === 'qlit' || s === 'oquote' || s === 'heredoc' || a === 'qlit' || a === 'cquote') return false;
  if (s === 'ident' && subject.inKw === true && before?.t === 'ident') return true;
  if (a === 'obrack' && (s === 'ident' || s === 'number' || bracketChange(s) < 0)) return false;
  if (s === 'bang') return false;
  if (s === 'minus') return !(before === undefined || NEGATION_BEFORE.has(before.t));
  if (s === 'obrace' || a === 'cbrace') return !(s === 'obrace' && a === 'cbrace');
  if ((s === 'interp' || s === 'control') && a === 'obrace') return true;
  if (s === 'cbrace' && a === 'seqend') return true;
  if (s === 'seqend' && (a === 'interp' || a === 'control')) return false;
  if (bracketChange(s) > 0) return false;
  if (bracketChange(a) < 0) return false;
  return true;
}

let segmenter: { segment(s: string): Iterable<unknown> } | undefined;
function columns(s: string): number {
  if (ASCII_RE.test(s)) return s.length;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(s)) {
    void _;
    n++;
  }
  return n;
}

interface Line {
  toks: Tok[];
  /** spaces before each token (index 0: the indentation) */
  sp: number[];
  /** index in toks where the assign cell starts (the `=`), or -1 */
  assign: number;
  /** index of a trailing line comment cell, or -1 */
  comment: number;
  eol: string;
}

/** The formatted text of a native HCL file, or undefined when it cannot be formatted safely. */
export function formatText(text: string): string | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const toks = tokenize(text, bom.length);
  if (!toks) return undefined;
  // lines
  const lines: Line[] = [];
  let cur: Tok[] = [];
  for (const t of toks) {
    if (t.t === 'newline') {
      lines.push({ toks: cur, sp: [], assign: -1, comment: -1, eol: text.slice(t.s, t.e) });
      cur = [];
    } else cur.push(t);
  }
  lines.push({ toks: cur, sp: [], assign: -1, comment: -1, eol: '' });
  for (const l of lines) {
    const k = l.toks;
    if (k.length > 1 && k[k.length - 1]!.t === 'lcomment') l.comment = k.length - 1;
    const leadEnd = l.comment >= 0 ? l.comment : k.length;
    for (let i = 1; i < leadEnd; i++) {
      if (k[i]!.t !== 'equal') continue;
      let net = 0;
      for (let j = i; j < leadEnd; j++) net += bracketChange(k[j]!.t);
      if (net === 0) l.assign = i;
      break;
    }
  }
  // indentation
  const indents: number[] = [];
  for (const l of lines) {
    if (l.toks.length === 0) continue;
    let net = 0;
    const end = l.comment >= 0 ? l.comment : l.toks.length;
    for (let i = 0; i < end; i++) net += bracketChange(l.toks[i]!.t);
    if (net > 0) {
      l.sp[0] = 2 * indents.length;
      indents.push(net);
    } else if (net < 0) {
      let closed = -net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1]!;
        if (closed > top) {
          closed -= top;
          indents.pop();
        } else if (closed < top) {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        } else {
          indents.pop();
          closed = 0;
        }
      }
      l.sp[0] = 2 * indents.length;
    } else l.sp[0] = 2 * indents.length;
  }
  // spaces within cells
  for (const l of lines) {
    const k = l.toks;
    const cells: [number, number][] = [];
    const leadEnd = l.assign >= 0 ? l.assign : l.comment >= 0 ? l.comment : k.length;
    cells.push([0, leadEnd]);
    if (l.assign >= 0) cells.push([l.assign, l.comment >= 0 ? l.comment : k.length]);
    if (l.comment >= 0) cells.push([l.comment, k.length]);
    for (const [from, to] of cells) {
      for (let i = from; i < to; i++) {
        if (i + 1 < to) l.sp[i + 1] = spaceAfter(k[i]!, i > from ? k[i - 1] : undefined, k[i + 1]) ? 1 : 0;
      }
      if (from > 0) l.sp[from] = 1;
    }
  }
  // alignment of `=` and of trailing comments in runs of consecutive lines
  const leadCols = (l: Line, upTo: number): number => {
    let c = 0;
    for (let i = 0; i < upTo; i++) {
      const t = l.toks[i]!;
      c +=
        (l.sp[i] ?? 0) +
        (t.t === 'ident' || t.t === 'equal' || t.t === 'number' ? t.e - t.s : columns(text.slice(t.s, t.e)));
    }
    return c;
  };
  const align = (cell: (l: Line) => number, width: (l: Line) => number): void => {
    let start = -1;
    let max = 0;
    const close = (end: number): void => {
      for (let j = start; j < end; j++) {
        const l = lines[j]!;
        l.sp[cell(l)] = max - width(l) + 1;
      }
      start = -1;
      max = 0;
    };
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (cell(l) < 0) {
        if (start >= 0) close(i);
        continue;
      }
      if (start < 0) start = i;
      max = Math.max(max, width(l));
    }
    if (start >= 0) close(lines.length);
  };
  align(
    l => l.assign,
    l => leadCols(l, l.assign),
  );
  align(
    l => l.comment,
    l => leadCols(l, l.comment),
  );
  // emit
  const out: string[] = [bom];
  const rendered: string[] = [];
  for (const l of lines) {
    let s = '';
    for (let i = 0; i < l.toks.length; i++) {
      const t = l.toks[i]!;
      s += ' '.repeat(l.sp[i] ?? 0) + text.slice(t.s, t.e);
    }
    rendered.push(s);
  }
  // as `nomad fmt` (hclwrite): line breaks stay as they are, so blank lines at the end stay and a file
  // without a final newline gets none
  for (let i = 0; i < rendered.length; i++) {
    out.push(rendered[i]!);
    out.push(lines[i]!.eol);
  }
  // spaces at the very end of the file (after the last line break or token) stay too
  let tail = text.length;
  while (tail > 0 && (text.charCodeAt(tail - 1) === 32 || text.charCodeAt(tail - 1) === 9)) tail--;
  const lastToks = lines[lines.length - 1]!.toks;
  const lastEnd = lastToks.length ? lastToks[lastToks.length - 1]!.e : 0;
  if (lastEnd <= tail) out.push(text.slice(tail));
  return out.join('');
}

// ---- syntax shape (meaning check) -----------------------------------------------------------------------

/**
 * A range-free rendering of a syntax tree: equal for two texts that differ only in layout. Used to
 * refuse a formatting that would change anything else, and by tests.
 */
export function syntaxShape(file: HclFile): string {
  const parts: string[] = [];
  const visit = (n: Node): void => {
    parts.push('(', n.kind, nodeKey(n));
    forEachChild(n, visit);
    parts.push(')');
  };
  visit(file.body);
  for (const c of file.comments) parts.push('#', JSON.stringify(c.text.replace(/[ \t]+$/, '')));
  return parts.join('');
}

/** The layout-independent facts of one node (its kind aside). */
function nodeKey(n: Node): string {
  const parts: string[] = [];
  {
    switch (n.kind) {
      case 'Attribute':
        parts.push(' ', n.name);
        break;
      case 'Block':
        parts.push(' ', n.type, ...n.labels.map(l => ` ${JSON.stringify(l.value)}`));
        break;
      case 'Literal':
        parts.push(' ', JSON.stringify(n.value));
        break;
      case 'TemplateLiteral':
        parts.push(' ', JSON.stringify(n.value));
        break;
      case 'TemplateInterpolation':
        parts.push(n.stripLeft ? ' ~l' : '', n.stripRight ? ' ~r' : '');
        break;
      case 'Heredoc':
        parts.push(' ', n.marker, n.flush ? ' -' : '');
        break;
      case 'FunctionCall':
        parts.push(' ', n.name, n.expandFinal ? ' ...' : '');
        break;
      case 'ScopeTraversal':
        parts.push(' ', n.root);
        break;
      case 'TraverseAttr':
        parts.push(' ', n.name);
        break;
      case 'TraverseIndex':
        parts.push(n.legacy ? ' legacy' : '');
        break;
      case 'TraverseSplat':
        parts.push(n.legacy ? ' legacy' : '');
        break;
      case 'GetAttr':
        parts.push(' ', n.name);
        break;
      case 'Splat':
        parts.push(n.legacy ? ' legacy' : '');
        break;
      case 'ObjectItem':
        parts.push(' ', n.separator, ' ', JSON.stringify(n.keyName ?? null));
        break;
      case 'For':
        parts.push(n.isObject ? ' obj' : '', ' ', n.keyVar?.name ?? '', ' ', n.valueVar.name, n.grouping ? ' ...' : '');
        break;
      case 'TemplateFor':
        parts.push(' ', n.keyVar?.name ?? '', ' ', n.valueVar.name);
        break;
      case 'TemplateIf':
        parts.push(n.else ? ' else' : '');
        break;
      case 'Binary':
        parts.push(' ', n.op);
        break;
      case 'Unary':
        parts.push(' ', n.op);
        break;
      default:
        break;
    }
  }
  return parts.join('');
}

function childrenOf(n: Node): Node[] {
  const out: Node[] = [];
  forEachChild(n, c => {
    out.push(c);
  });
  return out;
}

/** Whether two syntax trees are equal apart from layout (the comparison syntaxShape makes, without the big string). */
export function sameSyntax(a: HclFile, b: HclFile): boolean {
  if (a.comments.length !== b.comments.length) return false;
  for (let i = 0; i < a.comments.length; i++) {
    if (a.comments[i]!.text.replace(/[ \t]+$/, '') !== b.comments[i]!.text.replace(/[ \t]+$/, '')) return false;
  }
  const same = (x: Node, y: Node): boolean => {
    if (x.kind !== y.kind) return false;
    if (
      x.kind !== 'Body' &&
      x.kind !== 'Tuple' &&
      x.kind !== 'Object' &&
      x.kind !== 'Template' &&
      nodeKey(x) !== nodeKey(y)
    )
      return false;
    const cx = childrenOf(x);
    const cy = childrenOf(y);
    if (cx.length !== cy.length) return false;
    for (let i = 0; i < cx.length; i++) if (!same(cx[i]!, cy[i]!)) return false;
    return true;
  };
  return same(a.body, b.body);
}

export interface FormatResult {
  /** the formatted text; undefined when the file was refused */
  text: string | undefined;
  /** why it was refused */
  refused?: string;
}

/** Formats a document; refuses files with syntax errors, JSON files and anything whose tree would change. */
export function formatDocument(text: string, file: HclFile = parse(text)): FormatResult {
  if (file.syntax !== 'hcl') return { text: undefined, refused: 'JSON job files are not formatted.' };
  if (file.errors.length > 0) return { text: undefined, refused: 'The file has syntax errors.' };
  const out = formatText(text);
  if (out === undefined) return { text: undefined, refused: 'The file could not be tokenized.' };
  if (out === text) return { text };
  const again = parse(out);
  if (again.errors.length > 0 || !sameSyntax(again, file))
    return { text: undefined, refused: 'Formatting would change the syntax tree.' };
  return { text: out };
}

function splitLines(text: string): { content: string; start: number }[] {
  const out: { content: string; start: number }[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out.push({ content: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  out.push({ content: text.slice(start), start });
  return out;
}

/**
 * Minimal line edits turning `text` into `formatted` (the formatter keeps line breaks, except at the
 * end of the file). With `lines`, only edits touching lines [from, to] are kept (range formatting).
 */
export function diffEdits(text: string, formatted: string, lines?: { from: number; to: number }): TextEdit[] {
  if (text === formatted) return [];
  const a = splitLines(text);
  const b = splitLines(formatted);
  const edits: TextEdit[] = [];
  const n = Math.min(a.length, b.length);
  // lines both texts have, with the same line break after them
  let common = n - 1;
  if (a.length === b.length) {
    const tailA = text.slice(a[a.length - 1]!.start);
    const tailB = formatted.slice(b[b.length - 1]!.start);
    if (tailA === tailB) common = n;
  }
  const inRange = (i: number): boolean => !lines || (i >= lines.from && i <= lines.to);
  for (let i = 0; i < common; i++) {
    if (a[i]!.content !== b[i]!.content && inRange(i)) {
      edits.push({
        range: { start: { line: i, character: 0 }, end: { line: i, character: a[i]!.content.length } },
        newText: b[i]!.content,
      });
    }
  }
  if (common < a.length) {
    const i = Math.max(0, common);
    const oldTail = text.slice(a[i]!.start);
    const newTail = formatted.slice(b[i] ? b[i]!.start : formatted.length);
    if (oldTail !== newTail && (!lines || lines.to >= i - 1)) {
      const endLine = a.length - 1;
      edits.push({
        range: { start: { line: i, character: 0 }, end: { line: endLine, character: a[endLine]!.content.length } },
        newText: newTail,
      });
    }
  }
  return edits;
}

/** Edits formatting a whole document ([] when refused or already formatted). */
export function formattingEdits(text: string, file?: HclFile): TextEdit[] {
  const r = formatDocument(text, file);
  return r.text === undefined ? [] : diffEdits(text, r.text);
}

/** Edits formatting the lines [fromLine, toLine] of a document (the whole file is checked). */
export function rangeFormattingEdits(text: string, fromLine: number, toLine: number, file?: HclFile): TextEdit[] {
  const r = formatDocument(text, file);
  return r.text === undefined ? [] : diffEdits(text, r.text, { from: fromLine, to: toLine });
}
