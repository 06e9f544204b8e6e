// The `data` of a `template` block as the Go template it is (text/template with consul-template's
// functions): a scanner of its actions (`{{ … }}`, or the block's left_delimiter / right_delimiter),
// their tokens, the functions called with their arguments, and what Nomad's client would refuse when it
// renders: an action never closed, a string never closed, a function that does not exist, an `end`
// without its block or a block without its `end`. HCL's own `${ … }` interpolations are HCL's (evaluated
// before the template) and skipped. Offsets are the file's. Pure.
import type { Expression, HclFile } from '../hcl';
import { isKeyword, templateFunction } from './functions';

export type TokenKind =
  | 'ident'
  | 'field'
  | 'var'
  | 'string'
  | 'number'
  | 'char'
  | 'bool'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'assign'
  | 'comma'
  | 'other';

export interface TplToken {
  kind: TokenKind;
  text: string;
  /** a string's value (escapes resolved) */
  value?: string;
  start: number;
  end: number;
}

export interface TplAction {
  /** the left delimiter's start, the right delimiter's end (or the data's end when never closed) */
  start: number;
  end: number;
  /** just after the left delimiter (and its trim marker) */
  innerStart: number;
  innerEnd: number;
  tokens: TplToken[];
  closed: boolean;
  comment: boolean;
}

export interface TplCall {
  name: string;
  start: number;
  end: number;
  /** the tokens of its arguments at its own level */
  args: TplToken[];
}

export interface TplProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
  code:
    | 'template-unclosed-action'
    | 'template-unclosed-string'
    | 'template-unknown-function'
    | 'template-denied-function'
    | 'template-unbalanced';
}

export interface TemplateScan {
  actions: TplAction[];
  calls: TplCall[];
  problems: TplProblem[];
  /** the data's content range in the file */
  start: number;
  end: number;
}

/** The decoded text of a string or heredoc, with each character's offset in the file. */
export interface Source {
  text: string;
  at: number[];
}

const ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** The template text of a `data` expression: a heredoc's content as written, a quoted string with its
 *  escapes resolved. undefined for anything else (a `file(…)` call, a variable). */
export function templateSource(file: HclFile, e: Expression): Source | undefined {
  if (e.kind === 'Heredoc') {
    const { start, end } = e.contentRange;
    const text = file.text.slice(start, end);
    return { text, at: Array.from({ length: text.length + 1 }, (_, i) => start + i) };
  }
  if (e.kind !== 'Template') return undefined;
  const raw = file.text.slice(e.range.start, e.range.end);
  if (!raw.startsWith('"')) return undefined;
  const base = e.range.start + 1;
  const body = raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const n = body[i + 1]!;
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        at.push(base + i);
        i += 5;
        continue;
      }
      text += ESC[n] ?? n;
      at.push(base + i);
      i++;
      continue;
    }
    text += c;
    at.push(base + i);
  }
  at.push(base + body.length);
  return { text, at };
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?i?)/y;

/** Skips an HCL interpolation `${ … }` starting at i (at the `$`); returns the index after its `}`. */
function skipInterpolation(t: string, i: number): number {
  let depth = 0;
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '{') depth++;
    else if (t[j] === '}' && --depth === 0) return j + 1;
  }
  return t.length;
}

const OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);

export function scanTemplate(
  src: Source,
  delims: { left: string; right: string } = { left: '{{', right: '}}' },
): TemplateScan {
  const t = src.text;
  const off = (i: number) => src.at[Math.min(i, src.at.length - 1)]!;
  const { left, right } = delims;
  const actions: TplAction[] = [];
  const calls: TplCall[] = [];
  const problems: TplProblem[] = [];
  const problem = (
    s: number,
    e: number,
    code: TplProblem['code'],
    message: string,
    severity: TplProblem['severity'] = 'error',
  ) => problems.push({ start: off(s), end: off(e), code, message, severity });
  const stack: Array<{ word: string; start: number; end: number }> = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf(left, i);
    const interp = t.indexOf('${', i);
    if (open < 0) break;
    if (interp >= 0 && interp < open && t[interp - 1] !== '$') {
      i = skipInterpolation(t, interp);
      continue;
    }
    let j = open + left.length;
    if (t.startsWith('- ', j) || (t[j] === '-' && /\s/.test(t[j + 1] ?? ''))) j += 1;
    const innerStart = j;
    // a comment: {{/* … */}}
    const ws = /\s*/y;
    ws.lastIndex = j;
    const afterWs = ws.exec(t) ? ws.lastIndex : j;
    if (t.startsWith('/*', afterWs)) {
      const close = t.indexOf('*/', afterWs + 2);
      const end = close < 0 ? -1 : t.indexOf(right, close + 2);
      if (close < 0 || end < 0) {
        problem(open, open + left.length, 'template-unclosed-action', `This comment is never closed with */${right}.`);
        actions.push({
          start: off(open),
          end: off(t.length),
          innerStart: off(innerStart),
          innerEnd: off(t.length),
          tokens: [],
          closed: false,
          comment: true,
        });
        break;
      }
      actions.push({
        start: off(open),
        end: off(end + right.length),
        innerStart: off(innerStart),
        innerEnd: off(end),
        tokens: [],
        closed: true,
        comment: true,
      });
      i = end + right.length;
      continue;
    }
    // the tokens up to the right delimiter
    const tokens: TplToken[] = [];
    let k = j;
    let closed = false,
      innerEnd = t.length,
      end = t.length;
    let broken = false;
    while (k < t.length) {
      const c = t[k]!;
      if (t.startsWith(right, k) || (c === ' ' && t.startsWith('-' + right, k + 1))) {
        innerEnd = k;
        end = t.startsWith(right, k) ? k + right.length : k + 2 + right.length;
        closed = true;
        break;
      }
      if (/\s/.test(c)) {
        k++;
        continue;
      }
      const tok = (kind: TokenKind, len: number, value?: string) => {
        tokens.push({
          kind,
          text: t.slice(k, k + len),
          ...(value !== undefined ? { value } : {}),
          start: off(k),
          end: off(k + len),
        });
        k += len;
      };
      if (c === '"') {
        let m = k + 1,
          v = '';
        while (m < t.length && t[m] !== '"' && t[m] !== '\n') {
          if (t[m] === '\\' && m + 1 < t.length) {
            v += ESC[t[m + 1]!] ?? t[m + 1];
            m += 2;
          } else v += t[m++];
        }
        if (t[m] !== '"') {
          problem(k, m, 'template-unclosed-string', 'This string is never closed.');
          broken = true;
          k = m;
          break;
        }
        tok('string', m + 1 - k, v);
        continue;
      }
      if (c === '`') {
        const m = t.indexOf('`', k + 1);
        if (m < 0) {
          problem(k, k + 1, 'template-unclosed-string', 'This raw string is never closed with `.');
          broken = true;
          k = t.length;
          break;
        }
        tok('string', m + 1 - k, t.slice(k + 1, m));
        continue;
      }
      if (c === "'") {
        const m = /'(?:\\.|[^'\\\n])*'/y;
        m.lastIndex = k;
        if (m.exec(t)) {
          tok('char', m.lastIndex - k);
          continue;
        }
        problem(k, k + 1, 'template-unclosed-string', 'This character constant is never closed.');
        broken = true;
        break;
      }
      if (c === '|') {
        tok('pipe', 1);
        continue;
      }
      if (c === '(') {
        tok('lparen', 1);
        continue;
      }
      if (c === ')') {
        tok('rparen', 1);
        continue;
      }
      if (c === ',') {
        tok('comma', 1);
        continue;
      }
      if (t.startsWith(':=', k)) {
        tok('assign', 2);
        continue;
      }
      if (c === '=') {
        tok('assign', 1);
        continue;
      }
      if (c === '$') {
        const m = /\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
        m.lastIndex = k;
        m.exec(t);
        tok('var', m.lastIndex - k);
        continue;
      }
      if (c === '.') {
        const m = /\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?/y;
        m.lastIndex = k;
        m.exec(t);
        tok('field', m.lastIndex - k);
        continue;
      }
      IDENT.lastIndex = k;
      if (IDENT.exec(t)) {
        const len = IDENT.lastIndex - k;
        const word = t.slice(k, k + len);
        // a field after an identifier or a paren ("(index . 0).Name") stays part of it
        tok(word === 'true' || word === 'false' ? 'bool' : 'ident', len);
        continue;
      }
      NUMBER.lastIndex = k;
      if (/[\d+\-.]/.test(c) && NUMBER.exec(t) && NUMBER.lastIndex > k) {
        tok('number', NUMBER.lastIndex - k);
        continue;
      }
      tok('other', 1);
    }
    if (!closed && !broken)
      problem(open, open + left.length, 'template-unclosed-action', `This ${left} is never closed with ${right}.`);
    actions.push({
      start: off(open),
      end: off(end),
      innerStart: off(innerStart),
      innerEnd: off(innerEnd),
      tokens,
      closed,
      comment: false,
    });
    if (broken) break;
    if (closed) judge(tokens, calls, problems, stack);
    i = closed ? end : t.length;
  }
  for (const open of stack)
    problems.push({
      start: open.start,
      end: open.end,
      code: 'template-unbalanced',
      severity: 'error',
      message: `This {{${open.word}}} is never closed with {{end}}.`,
    });
  return { actions, calls, problems, start: off(0), end: off(t.length) };
}

/** The functions an action calls, and the words that open and close blocks. */
function judge(
  tokens: TplToken[],
  calls: TplCall[],
  problems: TplProblem[],
  stack: Array<{ word: string; start: number; end: number }>,
): void {
  const first = tokens[0];
  if (first?.kind === 'ident') {
    if (OPENERS.has(first.text)) stack.push({ word: first.text, start: first.start, end: first.end });
    else if (first.text === 'end') {
      if (!stack.pop())
        problems.push({
          start: first.start,
          end: first.end,
          code: 'template-unbalanced',
          severity: 'error',
          message: 'This {{end}} closes no {{if}}, {{range}}, {{with}}, {{define}} or {{block}}.',
        });
    }
  }
  for (let n = 0; n < tokens.length; n++) {
    const tk = tokens[n]!;
    if (tk.kind !== 'ident' || isKeyword(tk.text)) continue;
    // an identifier right after `template`/`define`/`block` would be a name, but those take strings: a call
    const f = templateFunction(tk.text);
    if (!f) {
      problems.push({
        start: tk.start,
        end: tk.end,
        code: 'template-unknown-function',
        severity: 'error',
        message: `The template has no function ${tk.text}: Nomad's client refuses to render it ("function ${tk.text} not defined").`,
      });
      continue;
    }
    if (f.denied)
      problems.push({
        start: tk.start,
        end: tk.end,
        code: 'template-denied-function',
        severity: 'warning',
        message: `${tk.text} is denied by a Nomad client's default template function_denylist: it fails unless the client allows it.`,
      });
    // its arguments: the tokens after it, up to a pipe or the closing paren of its level
    const args: TplToken[] = [];
    let depth = 0;
    for (let m = n + 1; m < tokens.length; m++) {
      const a = tokens[m]!;
      if (a.kind === 'lparen') depth++;
      else if (a.kind === 'rparen') {
        if (depth === 0) break;
        depth--;
      } else if (a.kind === 'pipe' && depth === 0) break;
      if (depth === 0 && a.kind !== 'rparen') args.push(a);
    }
    calls.push({ name: tk.text, start: tk.start, end: tk.end, args });
  }
}

/** The delimiters of a template block (its left_delimiter / right_delimiter when literal); undefined
 *  when one is an expression (the data is then not scanned). */
export function delimitersOf(
  get: (name: string) => Expression | undefined,
): { left: string; right: string } | undefined {
  const lit = (name: string, dflt: string): string | undefined => {
    const e = get(name);
    if (!e) return dflt;
    return e.kind === 'Template' || e.kind === 'Heredoc' ? e.literal || undefined : undefined;
  };
  const left = lit('left_delimiter', '{{'),
    right = lit('right_delimiter', '}}');
  return left && right ? { left, right } : undefined;
}
