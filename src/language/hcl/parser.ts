// Hand-written HCL2 native-syntax parser: a pull lexer (charCode switch, tokens are (kind, start,
// end) fields, no token objects) driven by a recursive-descent / precedence-climbing parser that
// builds the tree of ./ast.ts. Templates and heredocs are scanned directly from the text by the
// parser; their `${...}` / `%{...}` contents re-enter the lexer.
//
// Error recovery: every loop consumes input or exits; broken items resynchronise at the next line
// (tracking nesting), unclosed brackets inside expressions give up at the end of their last good
// element when the next token is on a new line, and missing `}` of blocks is first reported at the
// block; a second pass uses indentation to decide where the brace was missing (see `heuristics`).
import type {
  Attribute,
  BinaryOperator,
  Block,
  BlockLabel,
  Body,
  BodyItem,
  Comment,
  ErrorCode,
  Expression,
  ForExpr,
  Heredoc,
  HclFile,
  Identifier,
  ObjectCons,
  ObjectItem,
  ParseError,
  TemplateLiteral,
  TemplatePart,
  Tuple,
} from './ast';
import {
  AttributeNode,
  BlockLabelNode,
  BlockNode,
  BodyNode,
  EMPTY,
  LiteralNode,
  TemplateLiteralNode,
  TemplateNode,
} from './nodes';
import { computeLineStarts } from './positions';

// ---- token kinds ----
const EOF = 0;
const NEWLINE = 1;
const IDENT = 2;
const NUMBER = 3;
const OQUOTE = 4;
const HEREDOC = 5;
const LBRACE = 6;
const RBRACE = 7;
const LBRACK = 8;
const RBRACK = 9;
const LPAREN = 10;
const RPAREN = 11;
const COMMA = 12;
const DOT = 13;
const ELLIPSIS = 14;
const EQUAL = 15;
const EQEQ = 16;
const NOTEQ = 17;
const LT = 18;
const GT = 19;
const LE = 20;
const GE = 21;
const AND = 22;
const OR = 23;
const BANG = 24;
const PLUS = 25;
const MINUS = 26;
const STAR = 27;
const SLASH = 28;
const PERCENT = 29;
const QUESTION = 30;
const COLON = 31;
const ARROW = 32;
const TILDE = 33;

const TOKEN_TEXT = [
  'end of file',
  'newline',
  'identifier',
  'number',
  '"',
  'heredoc',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  '.',
  '...',
  '=',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '&&',
  '||',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
  ':',
  '=>',
  '~',
];

// binary operator precedence by token kind (0: not a binary operator)
const PREC = new Uint8Array(34);
PREC[OR] = 1;
PREC[AND] = 2;
PREC[EQEQ] = 3;
PREC[NOTEQ] = 3;
PREC[LT] = 4;
PREC[GT] = 4;
PREC[LE] = 4;
PREC[GE] = 4;
PREC[PLUS] = 5;
PREC[MINUS] = 5;
PREC[STAR] = 6;
PREC[SLASH] = 6;
PREC[PERCENT] = 6;
const OP_TEXT: BinaryOperator[] = [];
OP_TEXT[OR] = '||';
OP_TEXT[AND] = '&&';
OP_TEXT[EQEQ] = '==';
OP_TEXT[NOTEQ] = '!=';
OP_TEXT[LT] = '<';
OP_TEXT[GT] = '>';
OP_TEXT[LE] = '<=';
OP_TEXT[GE] = '>=';
OP_TEXT[PLUS] = '+';
OP_TEXT[MINUS] = '-';
OP_TEXT[STAR] = '*';
OP_TEXT[SLASH] = '/';
OP_TEXT[PERCENT] = '%';

// ASCII identifier classes: 1 = may start an identifier, 2 = may continue one
const ID = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) ID[c] = 3;
  else if ((c >= 48 && c <= 57) || c === 45) ID[c] = 2;
}
const ID_START_RE = /^\p{ID_Start}$/u;
const ID_CONTINUE_RE = /^\p{ID_Continue}$/u;

function isIdStartAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (ID[c] & 1) !== 0;
  return ID_START_RE.test(String.fromCodePoint(s.codePointAt(i)!));
}

const MAX_DEPTH = 200;
const MAX_ERRORS = 500;

const enum Term {
  End,
  Else,
  EndIf,
  EndFor,
}

// Arrays that survive into the tree are made exactly as long as their content. One grown by push has
// room for ~17 elements whatever its length (a 1 MiB job holds ~38,000 such arrays: ~5 MB of slack that
// every young-generation collection during the parse copied). Empty ones share nodes.ts's EMPTY.

function exact<T>(a: T[]): T[] {
  return a.length === 0 ? (EMPTY as unknown as T[]) : a.slice();
}

/** The entries of `stack` from `base` on, at their exact size; the stack is cut back to `base`. */
function takeFrom<T>(stack: T[], base: number): T[] {
  if (stack.length === base) return EMPTY as unknown as T[];
  const out = stack.slice(base);
  stack.length = base;
  return out;
}

// Shared copies of short texts (see Parser.intern): kept between parses, so the names of a file being
// edited are found again on the next parse; a fixed number of slots, the newest text wins a slot.
const INTERN_MAX = 32;
const INTERN_SLOTS = 8192;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

class Parser {
  readonly s: string;
  /** scanning limit (end of text, or of the current heredoc / quoted-string line) */
  len: number;
  pos = 0;
  tok = EOF;
  ts = 0;
  te = 0;
  /** end of the previously consumed token */
  prevEnd = 0;
  /** a newline was skipped before the current token (only in skipNL mode) */
  nlBefore = false;
  /** newlines are insignificant (inside (), [], ${}) */
  skipNL = false;

  readonly errors: ParseError[] = [];
  readonly errorKeys = new Set<string>();
  readonly comments: Comment[] = [];
  /**
   * The items of the bodies being parsed, innermost last. Every body gathers its items here and takes
   * them out at their exact size when it ends, instead of growing an array of its own that becomes
   * garbage once copied (a 1 MiB job has ~10,000 bodies).
   */
  readonly itemStack: BodyItem[] = [];
  commentEnd = 0;
  depth = 0;

  /**
   * Offsets at which lines start, recorded by the lexer as it meets each `\n` (see addLine): the parse
   * reads every character anyway, and a separate scan for line breaks cost a tenth of a large parse.
   * null when the text holds a `\r` (lone `\r` and `\r\n` breaks): then computeLineStarts does it.
   */
  lines: Uint32Array | null;
  nLines = 1;
  /** the last offset recorded in `lines` (offsets are recorded once, in increasing order) */
  lastLine = 0;

  // missing-brace heuristics (second pass only)
  readonly heuristics: boolean;
  readonly blockCols: number[] = [];
  readonly bodyCols: number[] = [];
  implicitClose = false;
  // template strip marker `~}` seen: trim the start of the next literal
  stripNext = false;

  constructor(text: string, heuristics: boolean) {
    this.s = text;
    this.len = text.length;
    this.heuristics = heuristics;
    this.lines = text.indexOf('\r') < 0 ? new Uint32Array(Math.max(64, (text.length >> 4) + 1)) : null;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  // ---------------------------------------------------------------- line starts

  /**
   * Records that a line starts at `at` (just after a `\n`). Backtracking (peek, resetTo) lexes some
   * text twice: offsets not past the last one recorded are already there.
   */
  addLine(at: number): void {
    const lines = this.lines;
    if (lines === null || at <= this.lastLine) return;
    let n = this.nLines;
    let buf = lines;
    if (n === buf.length) {
      buf = new Uint32Array(n * 2);
      buf.set(lines);
      this.lines = buf;
    }
    buf[n++] = at;
    this.nLines = n;
    this.lastLine = at;
  }

  /** records the line breaks of [from, to): text consumed without the lexer (comments, heredocs) */
  addLinesIn(from: number, to: number): void {
    if (this.lines === null) return;
    const s = this.s;
    for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) this.addLine(i + 1);
  }

  /** the line-start table of the whole text (after the parse) */
  lineStarts(): Uint32Array {
    const lines = this.lines;
    if (lines === null) return computeLineStarts(this.s);
    this.addLinesIn(Math.max(this.lastLine, this.pos), this.s.length); // whatever the parse did not lex
    return this.lines!.subarray(0, this.nLines);
  }

  // ---------------------------------------------------------------- errors

  error(code: ErrorCode, message: string, start: number, end: number): void {
    if (this.errors.length >= MAX_ERRORS) return;
    const key = code + '@' + start;
    if (this.errorKeys.has(key)) return;
    this.errorKeys.add(key);
    if (end < start) end = start;
    this.errors.push({ code, message, range: { start, end }, severity: 'error' });
  }

  describeTok(): string {
    switch (this.tok) {
      case EOF:
        return 'end of file';
      case NEWLINE:
        return 'newline';
      case IDENT:
        return `"${this.s.slice(this.ts, this.te)}"`;
      case NUMBER:
        return `number ${this.s.slice(this.ts, this.te)}`;
      case OQUOTE:
        return 'string';
      case HEREDOC:
        return 'heredoc';
      default:
        return `"${TOKEN_TEXT[this.tok]}"`;
    }
  }

  // ---------------------------------------------------------------- lexer

  next(): void {
    const s = this.s;
    const len = this.len;
    let p = this.pos;
    this.prevEnd = this.te;
    this.nlBefore = false;
    for (;;) {
      if (p >= len) {
        this.tok = EOF;
        this.ts = this.te = this.pos = len;
        return;
      }
      const c = s.charCodeAt(p);
      switch (c) {
        case 32:
        case 9:
          p++;
          continue;
        case 13:
          if (p + 1 < len && s.charCodeAt(p + 1) === 10) {
            if (this.skipNL) {
              this.nlBefore = true;
              p += 2;
              continue;
            }
            this.tok = NEWLINE;
            this.ts = p;
            this.te = this.pos = p + 2;
            return;
          }
          p++;
          continue;
        case 10:
          this.addLine(p + 1);
          if (this.skipNL) {
            this.nlBefore = true;
            p++;
            continue;
          }
          this.tok = NEWLINE;
          this.ts = p;
          this.te = this.pos = p + 1;
          return;
        case 35: // #
          p = this.lineComment(p, '#');
          continue;
        case 47: {
          // /
          const d = s.charCodeAt(p + 1);
          if (d === 47 && p + 1 < len) {
            p = this.lineComment(p, '//');
            continue;
          }
          if (d === 42 && p + 1 < len) {
            p = this.blockComment(p);
            continue;
          }
          return this.tok1(SLASH, p, 1);
        }
        case 123:
          return this.tok1(LBRACE, p, 1);
        case 125:
          return this.tok1(RBRACE, p, 1);
        case 91:
          return this.tok1(LBRACK, p, 1);
        case 93:
          return this.tok1(RBRACK, p, 1);
        case 40:
          return this.tok1(LPAREN, p, 1);
        case 41:
          return this.tok1(RPAREN, p, 1);
        case 44:
          return this.tok1(COMMA, p, 1);
        case 34:
          return this.tok1(OQUOTE, p, 1);
        case 43:
          return this.tok1(PLUS, p, 1);
        case 45:
          return this.tok1(MINUS, p, 1);
        case 42:
          return this.tok1(STAR, p, 1);
        case 37:
          return this.tok1(PERCENT, p, 1);
        case 63:
          return this.tok1(QUESTION, p, 1);
        case 58:
          return this.tok1(COLON, p, 1);
        case 126:
          return this.tok1(TILDE, p, 1);
        case 46: // .
          if (s.charCodeAt(p + 1) === 46 && s.charCodeAt(p + 2) === 46 && p + 2 < len) return this.tok1(ELLIPSIS, p, 3);
          return this.tok1(DOT, p, 1);
        case 61: {
          // =
          const d = s.charCodeAt(p + 1);
          if (d === 61 && p + 1 < len) return this.tok1(EQEQ, p, 2);
          if (d === 62 && p + 1 < len) return this.tok1(ARROW, p, 2);
          return this.tok1(EQUAL, p, 1);
        }
        case 33: // !
          if (s.charCodeAt(p + 1) === 61 && p + 1 < len) return this.tok1(NOTEQ, p, 2);
          return this.tok1(BANG, p, 1);
        case 62: // >
          if (s.charCodeAt(p + 1) === 61 && p + 1 < len) return this.tok1(GE, p, 2);
          return this.tok1(GT, p, 1);
        case 60: {
          // <
          const d = s.charCodeAt(p + 1);
          if (d === 61 && p + 1 < len) return this.tok1(LE, p, 2);
          if (d === 60 && p + 2 < len) {
            let q = p + 2;
            if (s.charCodeAt(q) === 45) q++;
            if (q < len && isIdStartAt(s, q)) {
              q = this.scanIdent(q);
              return this.tok1(HEREDOC, p, q - p);
            }
          }
          return this.tok1(LT, p, 1);
        }
        case 38: // &
          if (s.charCodeAt(p + 1) === 38 && p + 1 < len) return this.tok1(AND, p, 2);
          this.error('invalid-character', 'Invalid character "&": did you mean the "&&" operator?', p, p + 1);
          p++;
          continue;
        case 124: // |
          if (s.charCodeAt(p + 1) === 124 && p + 1 < len) return this.tok1(OR, p, 2);
          this.error('invalid-character', 'Invalid character "|": did you mean the "||" operator?', p, p + 1);
          p++;
          continue;
        case 0xfeff:
          p++;
          continue;
        default:
          if (c >= 48 && c <= 57) return this.tok1(NUMBER, p, this.scanNumber(p) - p);
          if (c < 128 ? (ID[c] & 1) !== 0 : isIdStartAt(s, p)) return this.tok1(IDENT, p, this.scanIdent(p) - p);
          {
            const w = c >= 0xd800 && c <= 0xdbff && p + 1 < len ? 2 : 1;
            const ch = s.slice(p, p + w);
            let msg = `Invalid character ${JSON.stringify(ch)}`;
            if (c === 39) msg = 'Invalid character "\'": strings are written with double quotes in HCL';
            else if (c === 59) msg = 'Invalid character ";": HCL has no statement terminator, end the line instead';
            this.error('invalid-character', msg, p, p + w);
            p += w;
          }
          continue;
      }
    }
  }

  /** the current token kind (unnarrowed: reads after `next()` calls) */
  cur(): number {
    return this.tok;
  }

  tok1(kind: number, p: number, n: number): void {
    this.tok = kind;
    this.ts = p;
    this.te = this.pos = p + n;
  }

  scanIdent(p: number): number {
    const s = this.s;
    const len = this.len;
    p++;
    if (s.charCodeAt(p - 1) >= 0xd800 && s.charCodeAt(p - 1) <= 0xdbff) p++;
    while (p < len) {
      const c = s.charCodeAt(p);
      if (c < 128) {
        if (ID[c] === 0) break;
        p++;
      } else {
        const cp = s.codePointAt(p)!;
        if (!ID_CONTINUE_RE.test(String.fromCodePoint(cp))) break;
        p += cp > 0xffff ? 2 : 1;
      }
    }
    return p;
  }

  scanNumber(p: number): number {
    const s = this.s;
    const len = this.len;
    while (p < len && isDigit(s.charCodeAt(p))) p++;
    if (s.charCodeAt(p) === 46 && p + 1 < len && isDigit(s.charCodeAt(p + 1))) {
      p += 2;
      while (p < len && isDigit(s.charCodeAt(p))) p++;
    }
    const e = s.charCodeAt(p);
    if ((e === 101 || e === 69) && p + 1 < len) {
      let q = p + 1;
      const sign = s.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (q < len && isDigit(s.charCodeAt(q))) {
        p = q + 1;
        while (p < len && isDigit(s.charCodeAt(p))) p++;
      }
    }
    return p;
  }

  lineComment(p: number, style: '#' | '//'): number {
    const s = this.s;
    let e = s.indexOf('\n', p);
    if (e < 0 || e > this.len) e = this.len;
    let textEnd = e;
    if (textEnd > p && s.charCodeAt(textEnd - 1) === 13) textEnd--;
    this.addComment(style, p, textEnd);
    return textEnd;
  }

  blockComment(p: number): number {
    let e = this.s.indexOf('*/', p + 2);
    if (e < 0 || e + 2 > this.len) {
      this.error('unterminated-comment', 'Unterminated comment: "/*" has no matching "*/"', p, p + 2);
      e = this.len;
    } else e += 2;
    this.addLinesIn(p, e);
    this.addComment('/*', p, e);
    return e;
  }

  addComment(style: Comment['style'], start: number, end: number): void {
    if (start < this.commentEnd) return; // re-lexed after backtracking
    this.commentEnd = end;
    this.comments.push({ kind: 'Comment', style, text: this.s.slice(start, end), range: { start, end } });
  }

  /** kind of the token after the current one */
  peek(): number {
    const { pos, tok, ts, te, prevEnd, nlBefore } = this;
    this.next();
    const k = this.tok;
    this.pos = pos;
    this.tok = tok;
    this.ts = ts;
    this.te = te;
    this.prevEnd = prevEnd;
    this.nlBefore = nlBefore;
    return k;
  }

  /** re-lex from `offset` (in the caller's newline mode). */
  resetTo(offset: number): void {
    this.pos = offset;
    this.te = offset;
    this.next();
  }

  identText(): string {
    return this.intern(this.ts, this.te);
  }

  /**
   * The text of [start, end), shared with earlier copies of the same short text: a job file repeats a few
   * thousand names and values (`driver`, `"10s"`) tens of thousands of times, and one copy of each,
   * rather than one per use, is what survives into the tree.
   */
  intern(start: number, end: number): string {
    const s = this.s;
    const len = end - start;
    if (len === 0 || len > INTERN_MAX) return s.slice(start, end);
    // a direct-mapped table: a hit costs a comparison and no allocation, a miss (or a collision) a slice
    let h = Math.imul(len, 0x9e3779b1) ^ s.charCodeAt(start);
    h = Math.imul(h, 31) ^ s.charCodeAt(end - 1);
    h = Math.imul(h, 31) ^ s.charCodeAt(start + (len >> 1));
    const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
    const known = interned[slot]!;
    if (known.length === len && s.startsWith(known, start)) return known;
    const text = s.slice(start, end);
    interned[slot] = text;
    return text;
  }

  isKeyword(word: string): boolean {
    return this.tok === IDENT && this.te - this.ts === word.length && this.s.startsWith(word, this.ts);
  }

  colOf(off: number): number {
    const s = this.s;
    let p = off;
    while (p > 0) {
      const c = s.charCodeAt(p - 1);
      if (c === 10 || c === 13) break;
      p--;
    }
    return off - p;
  }

  firstOnLine(off: number): boolean {
    const s = this.s;
    let p = off;
    while (p > 0) {
      const c = s.charCodeAt(p - 1);
      if (c === 10 || c === 13) return true;
      if (!isWs(c) && c !== 0xfeff) return false;
      p--;
    }
    return true;
  }

  // ---------------------------------------------------------------- bodies

  parseFile(): Body {
    this.next();
    const stack = this.itemStack;
    const base = stack.length;
    this.bodyCols.push(-1);
    this.parseBodyItems(stack, true);
    return new BodyNode(takeFrom(stack, base), 0, this.s.length);
  }

  /** parses items until `}` (not consumed) or end of file */
  parseBodyItems(items: BodyItem[], top: boolean): void {
    for (;;) {
      switch (this.tok) {
        case NEWLINE:
          this.next();
          continue;
        case EOF:
          return;
        case RBRACE:
          if (!top) {
            if (this.heuristics && this.firstOnLine(this.ts)) {
              const col = this.colOf(this.ts);
              const bc = this.blockCols;
              if (col < bc[bc.length - 1] && bc.lastIndexOf(col, bc.length - 2) >= 0) this.implicitClose = true;
            }
            return;
          }
          this.error('stray-close-brace', 'Unexpected "}": there is no block to close here', this.ts, this.te);
          this.next();
          continue;
        case IDENT:
          if (!top && this.heuristics && this.firstOnLine(this.ts)) {
            const col = this.colOf(this.ts);
            const cols = this.bodyCols;
            const mine = cols[cols.length - 1];
            if (mine < 0) cols[cols.length - 1] = col;
            else if (col < mine && cols.lastIndexOf(col, cols.length - 2) >= 0) {
              this.implicitClose = true;
              return;
            }
          }
          this.parseItem(items);
          continue;
        case OQUOTE:
          this.parseQuotedItem(items);
          continue;
        default:
          this.error(
            'unexpected-token',
            `Expected an argument or a block, found ${this.describeTok()}`,
            this.ts,
            this.te,
          );
          this.resync();
          continue;
      }
    }
  }

  /** skip to the next line (consuming the newline), or to a `}` closing the current body. */
  resync(): void {
    let depth = 0;
    for (;;) {
      switch (this.tok) {
        case EOF:
          return;
        case NEWLINE:
          if (depth === 0) {
            this.next();
            return;
          }
          break;
        case LBRACE:
        case LBRACK:
        case LPAREN:
          depth++;
          break;
        case RBRACE:
          if (depth === 0) return;
          depth--;
          break;
        case RBRACK:
        case RPAREN:
          if (depth > 0) depth--;
          break;
        case OQUOTE:
          this.parseQuoted();
          continue;
        case HEREDOC:
          this.parseHeredoc();
          continue;
      }
      this.next();
    }
  }

  parseItem(items: BodyItem[]): void {
    const nameStart = this.ts;
    const nameEnd = this.te;
    const name = this.intern(nameStart, nameEnd);
    this.next();
    const t = this.tok;
    if (t === EQUAL) {
      items.push(this.parseAttributeRest(name, nameStart, nameEnd));
      return;
    }
    if (t === IDENT || t === OQUOTE || t === LBRACE) {
      items.push(this.parseBlockRest(name, nameStart, nameEnd));
      return;
    }
    if (t === COLON) {
      this.error('expected-equals', `Use "=" to assign a value: write ${name} = ...`, this.ts, this.te);
      this.next();
      const errs = this.errors.length;
      const expr = this.parseExpression();
      items.push(new AttributeNode(name, nameStart, nameEnd, -1, expr, nameStart, expr.range.end));
      this.endOfItem(errs);
      return;
    }
    this.error(
      'expected-equals',
      `Expected "=" after "${name}" to define an argument, or "{" to open a block, found ${this.describeTok()}`,
      nameStart,
      nameEnd,
    );
    items.push(
      new AttributeNode(
        name,
        nameStart,
        nameEnd,
        -1,
        { kind: 'Invalid', range: { start: nameEnd, end: nameEnd } },
        nameStart,
        nameEnd,
      ),
    );
    this.resync();
  }

  parseAttributeRest(name: string, nameStart: number, nameEnd: number): Attribute {
    const equalsAt = this.ts;
    this.next();
    const errs = this.errors.length;
    const expr = this.parseExpression();
    // strings and literals (most values) know their end without making a range
    const exprEnd = expr instanceof TemplateNode || expr instanceof LiteralNode ? expr.end : expr.range.end;
    const attr = new AttributeNode(
      name,
      nameStart,
      nameEnd,
      equalsAt,
      expr,
      nameStart,
      exprEnd > equalsAt + 1 ? exprEnd : equalsAt + 1,
    );
    this.endOfItem(errs);
    return attr;
  }

  /** after an attribute or a block: expect the end of the line. */
  endOfItem(errs: number): void {
    switch (this.tok) {
      case NEWLINE:
        this.next();
        return;
      case EOF:
      case RBRACE:
        return;
      case COMMA:
        this.error(
          'hcl1-comma',
          'Unexpected ",": in HCL2 the arguments of a block are separated by newlines, not commas (HCL1 syntax). Remove the comma and put each argument on its own line',
          this.ts,
          this.te,
        );
        this.next();
        if (this.cur() === NEWLINE) this.next();
        return;
      case IDENT:
      case OQUOTE:
        if (this.peek() === EQUAL) {
          if (this.errors.length === errs) {
            this.error(
              'hcl1-same-line',
              'Several arguments on one line (HCL1 syntax): in HCL2 each argument must be on its own line; insert a line break before this one',
              this.ts,
              this.te,
            );
          }
          return;
        }
        break;
    }
    if (this.errors.length === errs) {
      this.error(
        'missing-newline',
        `Unexpected ${this.describeTok()}: expected a newline after the definition`,
        this.ts,
        this.te,
      );
    }
    this.resync();
  }

  parseQuotedItem(items: BodyItem[]): void {
    const key = this.parseQuoted();
    const start = key.range.start;
    const name = key.literal ?? this.s.slice(start + 1, Math.max(start + 1, key.range.end - 1));
    const t = this.tok;
    if (t === EQUAL) {
      this.error(
        'hcl1-quoted-key',
        `Argument names must not be quoted (HCL1 syntax): write ${name} = ... instead of "${name}" = ...`,
        key.range.start,
        key.range.end,
      );
      items.push(this.parseAttributeRest(name, start, key.range.end));
      return;
    }
    if (t === IDENT || t === OQUOTE || t === LBRACE) {
      this.error(
        'hcl1-quoted-key',
        `Block types must not be quoted (HCL1 syntax): write ${name} ... { instead of "${name}" ... {`,
        key.range.start,
        key.range.end,
      );
      items.push(this.parseBlockRest(name, start, key.range.end));
      return;
    }
    this.error('unexpected-token', 'Expected an argument or a block, found a string', key.range.start, key.range.end);
    this.resync();
  }

  parseBlockRest(type: string, typeStart: number, typeEnd: number): Block {
    // nearly every block has no label or one: an array is made at its size, not grown
    let first: BlockLabel | undefined;
    let more: BlockLabel[] | undefined;
    for (;;) {
      let label: BlockLabel;
      if (this.tok === IDENT) {
        label = new BlockLabelNode(this.identText(), false, this.ts, this.te);
        this.next();
      } else if (this.tok === OQUOTE) {
        const t = this.parseQuoted();
        let value = t.literal;
        if (value === undefined) {
          this.error(
            'invalid-label',
            'Block labels must be literal strings: interpolation is not allowed here',
            t.start,
            t.end,
          );
          value = this.s.slice(t.start + 1, Math.max(t.start + 1, t.end - 1));
        }
        label = new BlockLabelNode(value, true, t.start, t.end);
      } else break;
      if (first === undefined) first = label;
      else (more ??= [first]).push(label);
    }
    const labels: BlockLabel[] = more ? more.slice() : first ? [first] : (EMPTY as unknown as BlockLabel[]);
    const block = new BlockNode(
      type,
      typeStart,
      typeEnd,
      labels,
      new BodyNode(EMPTY as unknown as BodyItem[], this.prevEnd, this.prevEnd),
      typeStart,
      this.prevEnd,
    );
    if (this.tok !== LBRACE) {
      if (this.tok === EQUAL && labels.length > 0) {
        this.error(
          'unexpected-token',
          `Unexpected "=": a block ("${type}" with labels) is opened with "{"`,
          this.ts,
          this.te,
        );
      } else {
        this.error(
          'unexpected-token',
          `Expected "{" to open the "${type}" block, found ${this.describeTok()}`,
          this.ts,
          this.te,
        );
      }
      this.resync();
      return block;
    }
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.skipDeepBlock(type, block);
      return block;
    }
    const openAt = this.ts;
    block.openAt = openAt;
    this.next();
    // content on the line of "{" makes a single-line block: one argument, then "}" on that line
    const next = this.cur();
    const singleLine = next !== NEWLINE && next !== EOF && next !== RBRACE;
    const errs = this.errors.length;
    const body = block.body;
    body.start = openAt + 1;
    this.blockCols.push(this.colOf(typeStart));
    this.bodyCols.push(-1);
    const stack = this.itemStack;
    const base = stack.length;
    this.parseBodyItems(stack, false);
    const items = takeFrom(stack, base);
    body.items = items;
    if (singleLine && this.errors.length === errs && items.length > 0) this.checkSingleLine(type, items);
    this.blockCols.pop();
    this.bodyCols.pop();
    this.depth--;
    if (this.cur() === RBRACE && !this.implicitClose) {
      block.closeAt = this.ts;
      body.end = this.ts;
      block.end = this.te;
      this.next();
      const t = this.cur();
      if (t === NEWLINE) this.next();
      else if (t !== EOF && t !== RBRACE) {
        this.error(
          'missing-newline',
          `Unexpected ${this.describeTok()} after the closing "}" of the "${type}" block: expected a newline`,
          this.ts,
          this.te,
        );
        this.resync();
      }
    } else {
      this.implicitClose = false;
      const end = items.length > 0 ? items[items.length - 1].range.end : openAt + 1;
      body.end = end;
      block.end = end;
      this.error(
        'missing-close-brace',
        `The "${type}" block opened here is missing its closing "}"`,
        openAt,
        openAt + 1,
      );
    }
    return block;
  }

  /**
   * HCL2's single-line block rule: a block whose first item is on the line of its "{" holds exactly one
   * argument and closes on that line (`config { image = "x" }`). Reported once, at what breaks it.
   */
  checkSingleLine(type: string, items: BodyItem[]): void {
    const first = items[0]!;
    if (first.kind === 'Block') {
      this.error(
        'single-line-block',
        `A block written on one line with its "${type}" block cannot hold another block: put "${first.type}" on a line of its own`,
        first.range.start,
        first.typeRange.end,
      );
      return;
    }
    const closeAt = this.cur() === RBRACE ? this.ts : this.len;
    const nl = this.s.slice(first.range.end, closeAt).search(/[\n\r]/);
    if (nl < 0) return;
    const at = first.range.end + nl;
    this.error(
      'single-line-block',
      `An argument on the same line as the "{" of "${type}" makes it a single-line block, which holds one argument and closes with "}" on that line: move "${first.name}" to the next line, or close the block here`,
      first.range.start,
      at,
    );
  }

  /** one `too-deep` error per file: every block or expression past the limit is skipped the same way */
  private reportedTooDeep = false;

  private reportTooDeep(message: string, start: number, end: number): void {
    if (this.reportedTooDeep) return;
    this.reportedTooDeep = true;
    this.error('too-deep', message, start, end);
  }

  /**
   * A block nested deeper than MAX_DEPTH: its content is skipped up to its matching `}` (strings and
   * heredocs skipped whole), so the blocks around it still close where they do and nothing after it is
   * lost. One error for the file, at the first such block.
   */
  skipDeepBlock(type: string, block: BlockNode): void {
    const openAt = this.ts;
    this.reportTooDeep(
      `Blocks are nested more than ${MAX_DEPTH} deep: the content of this "${type}" block and of any block as deep is not checked`,
      block.range.start,
      openAt + 1,
    );
    block.openAt = openAt;
    block.body.start = openAt + 1;
    let depth = 0;
    for (;;) {
      switch (this.tok) {
        case EOF: {
          const end = this.prevEnd;
          block.body.end = end;
          block.end = end;
          this.error(
            'missing-close-brace',
            `The "${type}" block opened here is missing its closing "}"`,
            openAt,
            openAt + 1,
          );
          return;
        }
        case LBRACE:
          depth++;
          break;
        case RBRACE:
          if (--depth === 0) {
            block.closeAt = this.ts;
            block.body.end = this.ts;
            block.end = this.te;
            this.next();
            if (this.cur() === NEWLINE) this.next();
            return;
          }
          break;
        case OQUOTE:
        case HEREDOC:
          this.skipString();
          continue;
      }
      this.next();
    }
  }

  /** Skips a quoted string or heredoc whole; its interpolations count depth from zero again. */
  private skipString(): void {
    const saved = this.depth;
    this.depth = 0;
    if (this.tok === OQUOTE) this.parseQuoted();
    else this.parseHeredoc();
    this.depth = saved;
  }

  /**
   * An expression nested deeper than MAX_DEPTH: skipped up to the bracket that closes the one it is in
   * (or the end of the line outside brackets), so the expressions around it end where they do.
   */
  tooDeep(): void {
    this.reportTooDeep(
      `Expressions are nested more than ${MAX_DEPTH} deep: this part is not checked`,
      this.ts,
      this.te,
    );
    let depth = 0;
    for (;;) {
      switch (this.tok) {
        case EOF:
          return;
        case NEWLINE:
          if (depth === 0) return;
          break;
        case LBRACE:
        case LBRACK:
        case LPAREN:
          depth++;
          break;
        case RBRACE:
        case RBRACK:
        case RPAREN:
          if (depth === 0) return;
          depth--;
          break;
        case OQUOTE:
        case HEREDOC:
          this.skipString();
          continue;
      }
      this.next();
    }
  }

  // ---------------------------------------------------------------- expressions

  parseExpression(): Expression {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      const r = { start: this.ts, end: this.te };
      this.tooDeep();
      return { kind: 'Invalid', range: r };
    }
    const cond = this.parseBinary(0);
    let result = cond;
    if (this.tok === QUESTION) {
      this.next();
      const t = this.parseExpression();
      let f: Expression;
      if (this.cur() === COLON) {
        this.next();
        f = this.parseExpression();
      } else {
        this.error(
          'unexpected-token',
          `Expected ":" of the conditional expression, found ${this.describeTok()}`,
          this.ts,
          this.te,
        );
        f = { kind: 'Invalid', range: { start: this.ts, end: this.ts } };
      }
      result = {
        kind: 'Conditional',
        cond,
        trueExpr: t,
        falseExpr: f,
        range: { start: cond.range.start, end: Math.max(f.range.end, t.range.end) },
      };
    }
    this.depth--;
    return result;
  }

  parseBinary(minPrec: number): Expression {
    let left = this.parseUnary();
    for (;;) {
      const op = this.tok;
      const p = PREC[op];
      if (p <= minPrec) return left;
      const opRange = { start: this.ts, end: this.te };
      this.next();
      const right = this.parseBinary(p);
      left = {
        kind: 'Binary',
        op: OP_TEXT[op],
        opRange,
        left,
        right,
        range: { start: left.range.start, end: right.range.end },
      };
    }
  }

  parseUnary(): Expression {
    const t = this.tok;
    if (t === MINUS || t === BANG) {
      const start = this.ts;
      this.next();
      if (++this.depth > MAX_DEPTH) {
        this.depth--;
        this.tooDeep();
        return { kind: 'Invalid', range: { start, end: start + 1 } };
      }
      const operand = this.parseUnary();
      this.depth--;
      if (t === MINUS && operand.kind === 'Literal' && typeof operand.value === 'number') {
        return new LiteralNode(-operand.value, start, operand.range.end);
      }
      return { kind: 'Unary', op: t === MINUS ? '-' : '!', operand, range: { start, end: operand.range.end } };
    }
    return this.parsePostfix(this.parseTerm());
  }

  parsePostfix(expr: Expression): Expression {
    const s = this.s;
    for (;;) {
      const t = this.tok;
      if (t === DOT) {
        const dotStart = this.ts;
        const p = this.te;
        const c = s.charCodeAt(p);
        if (isDigit(c) && p < this.len) {
          // legacy index `a.0`
          let q = p + 1;
          while (q < this.len && isDigit(s.charCodeAt(q))) q++;
          const key: Expression = new LiteralNode(Number(s.slice(p, q)), p, q);
          this.pos = q;
          this.te = q;
          this.next();
          expr = this.addIndex(expr, key, true, dotStart, q);
          continue;
        }
        this.next();
        if (this.tok === IDENT) {
          const name = this.identText();
          const nameRange = { start: this.ts, end: this.te };
          this.next();
          if (expr.kind === 'ScopeTraversal') {
            expr.steps.push({ kind: 'TraverseAttr', name, range: { start: dotStart, end: nameRange.end } });
            expr.range = { start: expr.range.start, end: nameRange.end };
          } else {
            expr = {
              kind: 'GetAttr',
              source: expr,
              name,
              nameRange,
              range: { start: expr.range.start, end: nameRange.end },
            };
          }
          continue;
        }
        if (this.tok === STAR) {
          const end = this.te;
          this.next();
          expr = this.addSplat(expr, true, dotStart, end);
          continue;
        }
        this.error(
          'unexpected-token',
          `Expected an attribute name after ".", found ${this.describeTok()}`,
          dotStart,
          dotStart + 1,
        );
        return expr;
      }
      if (t === LBRACK) {
        const open = this.ts;
        const saved = this.skipNL;
        this.skipNL = true;
        this.next();
        if (this.tok === STAR && this.peek() === RBRACK) {
          this.next();
          const end = this.te;
          this.skipNL = saved;
          this.next();
          expr = this.addSplat(expr, false, open, end);
          continue;
        }
        const key = this.parseExpression();
        if (this.tok === RBRACK) {
          const end = this.te;
          this.skipNL = saved;
          this.next();
          expr = this.addIndex(expr, key, false, open, end);
          continue;
        }
        this.error('unclosed-bracket', `Expected "]" to close the index, found ${this.describeTok()}`, open, open + 1);
        this.skipNL = saved;
        this.resetTo(key.range.end);
        return this.addIndex(expr, key, false, open, key.range.end);
      }
      return expr;
    }
  }

  addIndex(expr: Expression, key: Expression, legacy: boolean, start: number, end: number): Expression {
    if (expr.kind === 'ScopeTraversal') {
      expr.steps.push({ kind: 'TraverseIndex', key, legacy, range: { start, end } });
      expr.range = { start: expr.range.start, end };
      return expr;
    }
    return { kind: 'Index', collection: expr, key, range: { start: expr.range.start, end } };
  }

  addSplat(expr: Expression, legacy: boolean, start: number, end: number): Expression {
    if (expr.kind === 'ScopeTraversal') {
      expr.steps.push({ kind: 'TraverseSplat', legacy, range: { start, end } });
      expr.range = { start: expr.range.start, end };
      return expr;
    }
    return { kind: 'Splat', source: expr, legacy, range: { start: expr.range.start, end } };
  }

  parseTerm(): Expression {
    const start = this.ts;
    const end = this.te;
    switch (this.tok) {
      case NUMBER: {
        const value = Number(this.s.slice(start, end));
        this.next();
        return new LiteralNode(value, start, end);
      }
      case IDENT: {
        const name = this.intern(start, end);
        this.next();
        if (this.cur() === LPAREN) return this.parseCall(name, start, end);
        if (name === 'true') return new LiteralNode(true, start, end);
        if (name === 'false') return new LiteralNode(false, start, end);
        if (name === 'null') return new LiteralNode(null, start, end);
        const r = { start, end }; // shared until a step extends `range`
        return { kind: 'ScopeTraversal', root: name, rootRange: r, steps: [], range: r };
      }
      case OQUOTE:
        return this.parseQuoted();
      case HEREDOC:
        return this.parseHeredoc();
      case LBRACK:
        return this.parseTuple();
      case LBRACE:
        return this.parseObject();
      case LPAREN: {
        const saved = this.skipNL;
        this.skipNL = true;
        this.next();
        const inner = this.parseExpression();
        if (this.cur() === RPAREN) {
          const e = this.te;
          this.skipNL = saved;
          this.next();
          return { kind: 'Parens', expr: inner, range: { start, end: e } };
        }
        if (inner.kind !== 'Invalid') {
          this.error('unclosed-paren', `Expected ")" to close this "(", found ${this.describeTok()}`, start, end);
        }
        this.skipNL = saved;
        this.resetTo(inner.range.end);
        return { kind: 'Parens', expr: inner, range: { start, end: inner.range.end } };
      }
      default: {
        const t = this.tok;
        this.error('expected-expression', `Expected an expression, found ${this.describeTok()}`, start, end);
        if (t === NEWLINE || t === EOF || t === RBRACE || t === RBRACK || t === RPAREN || t === COMMA) {
          return { kind: 'Invalid', range: { start, end: start } };
        }
        this.next();
        return { kind: 'Invalid', range: { start, end } };
      }
    }
  }

  /**
   * After an unexpected token in a list closed by `close`: skip to that closer on the same logical
   * line. Returns true when positioned on it; false when a new line, EOF or another closer came first.
   */
  skipInList(close: number): boolean {
    let depth = 0;
    let first = true;
    for (;;) {
      const t = this.tok;
      if (t === EOF) return false;
      if (this.nlBefore && depth === 0 && !first) return false;
      first = false;
      if (t === LBRACE || t === LBRACK || t === LPAREN) depth++;
      else if (t === RBRACE || t === RBRACK || t === RPAREN) {
        if (depth === 0) return t === close;
        depth--;
      } else if (t === OQUOTE) {
        this.parseQuoted();
        continue;
      } else if (t === HEREDOC) {
        this.parseHeredoc();
        continue;
      }
      this.next();
    }
  }

  /**
   * Shared loop of tuples and call arguments; returns the end offset of the construct and leaves
   * the token after it current (lexed in the caller's newline mode `saved`).
   */
  parseList(
    items: Expression[],
    close: number,
    open: number,
    saved: boolean,
    what: string,
    call: { expand: boolean } | undefined,
  ): number {
    let lastEnd = open + 1;
    const code: ErrorCode = close === RPAREN ? 'unclosed-paren' : 'unclosed-bracket';
    for (;;) {
      let t = this.tok;
      if (t === close) break;
      if (t === EOF || t === RBRACE || (t === RBRACK && close !== RBRACK) || (t === RPAREN && close !== RPAREN)) {
        this.error(code, `${what} is not closed: expected "${TOKEN_TEXT[close]}"`, open, open + 1);
        this.skipNL = saved;
        this.resetTo(lastEnd);
        return lastEnd;
      }
      const elemOnNewLine = this.nlBefore;
      const e = this.parseExpression();
      t = this.tok;
      if (elemOnNewLine && (t === EQUAL || t === LBRACE)) {
        // `name =` or `name {` on a line of its own: the list was left open, this is the next item
        this.error(code, `${what} is not closed: expected "${TOKEN_TEXT[close]}"`, open, open + 1);
        this.skipNL = saved;
        this.resetTo(lastEnd);
        return lastEnd;
      }
      items.push(e);
      lastEnd = e.range.end;
      if (call && t === ELLIPSIS) {
        call.expand = true;
        lastEnd = this.te;
        this.next();
        t = this.tok;
      }
      if (t === COMMA) {
        lastEnd = this.te;
        this.next();
        continue;
      }
      if (t === close) break;
      if (this.nlBefore || t === EOF || t === RBRACE || t === RBRACK || t === RPAREN) {
        if (e.kind !== 'Invalid')
          this.error(code, `${what} is not closed: expected "${TOKEN_TEXT[close]}"`, open, open + 1);
        this.skipNL = saved;
        this.resetTo(lastEnd);
        return lastEnd;
      }
      this.error(
        'unexpected-token',
        `Expected "," or "${TOKEN_TEXT[close]}", found ${this.describeTok()}`,
        this.ts,
        this.te,
      );
      if (!this.skipInList(close)) {
        this.skipNL = saved;
        this.resetTo(this.prevEnd);
        return this.prevEnd;
      }
      break;
    }
    const end = this.te;
    this.skipNL = saved;
    this.next();
    return end;
  }

  parseCall(name: string, start: number, nameEnd: number): Expression {
    const open = this.ts;
    const saved = this.skipNL;
    this.skipNL = true;
    this.next();
    const args: Expression[] = [];
    const call = { expand: false };
    const end = this.parseList(args, RPAREN, open, saved, `The call of ${name}()`, call);
    return {
      kind: 'FunctionCall',
      name,
      nameRange: { start, end: nameEnd },
      args: exact(args),
      expandFinal: call.expand,
      range: { start, end },
    };
  }

  isForStart(): boolean {
    if (!this.isKeyword('for')) return false;
    return this.peek() === IDENT;
  }

  parseTuple(): Expression {
    const open = this.ts;
    const saved = this.skipNL;
    this.skipNL = true;
    this.next();
    if (this.isForStart()) return this.parseFor(false, open, saved);
    const items: Expression[] = [];
    const end = this.parseList(items, RBRACK, open, saved, 'The list', undefined);
    const tuple: Tuple = { kind: 'Tuple', items: exact(items), range: { start: open, end } };
    return tuple;
  }

  parseIdent(what: string): Identifier | undefined {
    if (this.tok !== IDENT) {
      this.error('unexpected-token', `Expected ${what}, found ${this.describeTok()}`, this.ts, this.te);
      return undefined;
    }
    const id = { name: this.identText(), range: { start: this.ts, end: this.te } };
    this.next();
    return id;
  }

  parseFor(isObject: boolean, open: number, saved: boolean): Expression {
    const close = isObject ? RBRACE : RBRACK;
    this.next(); // `for`
    const fail = (): Expression => {
      const ok = this.skipInList(close);
      const end = ok ? this.te : this.prevEnd;
      if (!ok)
        this.error(
          isObject ? 'unclosed-brace' : 'unclosed-bracket',
          `The "for" expression is not closed: expected "${TOKEN_TEXT[close]}"`,
          open,
          open + 1,
        );
      this.skipNL = saved;
      if (ok) this.next();
      else this.resetTo(end);
      return { kind: 'Invalid', range: { start: open, end } };
    };
    let keyVar: Identifier | undefined;
    let valueVar = this.parseIdent('an iteration variable name');
    if (!valueVar) return fail();
    if (this.tok === COMMA) {
      this.next();
      keyVar = valueVar;
      valueVar = this.parseIdent('the value variable name');
      if (!valueVar) return fail();
    }
    if (!this.isKeyword('in')) {
      this.error(
        'unexpected-token',
        `Expected "in" in the "for" expression, found ${this.describeTok()}`,
        this.ts,
        this.te,
      );
      return fail();
    }
    this.next();
    const collection = this.parseExpression();
    if (this.tok !== COLON) {
      this.error(
        'unexpected-token',
        `Expected ":" in the "for" expression, found ${this.describeTok()}`,
        this.ts,
        this.te,
      );
      return fail();
    }
    this.next();
    let keyExpr: Expression | undefined;
    if (isObject) {
      keyExpr = this.parseExpression();
      if (this.cur() !== ARROW) {
        this.error(
          'unexpected-token',
          `Expected "=>" in the object "for" expression, found ${this.describeTok()}`,
          this.ts,
          this.te,
        );
        return fail();
      }
      this.next();
    }
    const valueExpr = this.parseExpression();
    let grouping = false;
    if (isObject && this.cur() === ELLIPSIS) {
      grouping = true;
      this.next();
    }
    let cond: Expression | undefined;
    if (this.isKeyword('if')) {
      this.next();
      cond = this.parseExpression();
    }
    if (this.cur() !== close) {
      this.error(
        'unexpected-token',
        `Expected "${TOKEN_TEXT[close]}" to end the "for" expression, found ${this.describeTok()}`,
        this.ts,
        this.te,
      );
      return fail();
    }
    const end = this.te;
    this.skipNL = saved;
    this.next();
    const f: ForExpr = {
      kind: 'For',
      isObject,
      keyVar,
      valueVar,
      collection,
      keyExpr,
      valueExpr,
      grouping,
      cond,
      range: { start: open, end },
    };
    return f;
  }

  parseObject(): Expression {
    const open = this.ts;
    const saved = this.skipNL;
    this.skipNL = false;
    this.next();
    while (this.tok === NEWLINE) this.next();
    if (this.isForStart()) {
      this.skipNL = true;
      return this.parseFor(true, open, saved);
    }
    const items: ObjectItem[] = [];
    let lastEnd = open + 1;
    const unclosed = (): Expression => {
      this.error('unclosed-brace', 'The object is not closed: expected "}"', open, open + 1);
      this.skipNL = saved;
      this.resetTo(lastEnd);
      return { kind: 'Object', items: exact(items), range: { start: open, end: lastEnd } } satisfies ObjectCons;
    };
    for (;;) {
      let t = this.tok;
      if (t === NEWLINE || t === COMMA) {
        this.next();
        continue;
      }
      if (t === RBRACE) break;
      if (t === EOF || t === RBRACK || t === RPAREN) return unclosed();
      const keyStart = this.ts;
      let keyName: string | undefined;
      let key: Expression;
      if (t === IDENT) {
        // a bare key is a name, not a variable (even `true`/`null`)
        const name = this.identText();
        const after = this.peek();
        if (after === EQUAL || after === COLON || after === LBRACE) {
          keyName = name;
          key = {
            kind: 'ScopeTraversal',
            root: name,
            rootRange: { start: this.ts, end: this.te },
            steps: [],
            range: { start: this.ts, end: this.te },
          };
          this.next();
        } else if (after === IDENT || after === OQUOTE) {
          // looks like a block header: the object was probably not closed
          return unclosed();
        } else {
          key = this.parseExpression();
        }
      } else {
        key = this.parseExpression();
        if (key.kind === 'Template') keyName = key.literal;
        else if (key.kind === 'Literal' && typeof key.value === 'number') keyName = String(key.value);
      }
      t = this.tok;
      let separator: '=' | ':' = '=';
      if (t === EQUAL || t === COLON) {
        separator = t === EQUAL ? '=' : ':';
        this.next();
      } else if (t === LBRACE && keyName !== undefined) {
        this.error(
          'expected-equals',
          `Expected "=" after "${keyName}": inside an object value, a nested object is written ${keyName} = { ... } (blocks are not allowed here)`,
          keyStart,
          key.range.end,
        );
      } else {
        if (key.kind !== 'Invalid')
          this.error(
            'expected-equals',
            `Expected "=" or ":" after the object key, found ${this.describeTok()}`,
            this.ts,
            this.te,
          );
        if (t === NEWLINE || t === RBRACE) continue;
        // skip the rest of the line
        while (this.tok !== NEWLINE && this.tok !== EOF && this.tok !== RBRACE) {
          if (this.tok === OQUOTE) this.parseQuoted();
          else if (this.tok === HEREDOC) this.parseHeredoc();
          else this.next();
        }
        continue;
      }
      const value = this.parseExpression();
      items.push({
        kind: 'ObjectItem',
        key,
        keyName,
        separator,
        value,
        range: { start: keyStart, end: value.range.end },
      });
      lastEnd = value.range.end;
      t = this.tok;
      if (t === COMMA || t === NEWLINE) {
        this.next();
        continue;
      }
      if (t === RBRACE) break;
      if (t === EOF) return unclosed();
      if (value.kind !== 'Invalid') {
        this.error(
          'unexpected-token',
          `Expected a newline, "," or "}" after the object item, found ${this.describeTok()}`,
          this.ts,
          this.te,
        );
      }
      while (this.tok !== NEWLINE && this.tok !== EOF && this.tok !== RBRACE) {
        if (this.tok === OQUOTE) this.parseQuoted();
        else if (this.tok === HEREDOC) this.parseHeredoc();
        else this.next();
      }
    }
    const end = this.te;
    this.skipNL = saved;
    this.next();
    return { kind: 'Object', items: exact(items), range: { start: open, end } } satisfies ObjectCons;
  }

  // ---------------------------------------------------------------- templates

  /** current token is `"`; leaves the token after the closing quote current */
  parseQuoted(): TemplateNode {
    const start = this.ts;
    this.stripNext = false;
    const savedLen = this.len;
    // fast path: a plain string
    const s = this.s;
    let p = this.te;
    const len = this.len;
    while (p < len) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        this.te = p + 1;
        this.next();
        return new TemplateNode(null, this.intern(start + 1, p), start, p + 1);
      }
      if (c === 92 || c === 36 || c === 37 || c === 10 || c === 13) break;
      p++;
    }
    // general path: limit the interpolations' lexer to this line
    const parts: TemplatePart[] = [];
    let lineEnd = s.indexOf('\n', start);
    if (lineEnd < 0 || lineEnd > savedLen) lineEnd = savedLen;
    this.len = lineEnd;
    this.pos = start + 1;
    while (this.templateSeq(parts, true, start) !== Term.End) {
      this.error(
        'invalid-directive',
        'This template directive has no matching "%{ if }" or "%{ for }"',
        this.prevEnd,
        this.pos,
      );
    }
    this.len = savedLen;
    // closed by a quote, or not (error reported): then the template ends at the line break
    const end = s.charCodeAt(this.pos) === 34 && this.pos < lineEnd ? this.pos + 1 : this.pos;
    this.pos = this.te = end;
    this.next();
    return new TemplateNode(exact(parts), literalOf(parts), start, end);
  }

  /**
   * Scans template content from `this.pos`, appending parts, until the closing quote (quoted mode),
   * the end limit, or an `%{else}` / `%{endif}` / `%{endfor}` directive which is returned.
   */
  templateSeq(parts: TemplatePart[], quoted: boolean, tmplStart: number): Term {
    const s = this.s;
    let p = this.pos;
    let litStart = p;
    let segStart = p;
    let buf = '';
    const flush = (end: number, trimRight: boolean): void => {
      let value = buf + s.slice(segStart, end);
      buf = '';
      if (this.stripNext) {
        value = value.replace(/^\s+/, '');
        this.stripNext = false;
      }
      if (trimRight) value = value.replace(/\s+$/, '');
      if (end > litStart && value.length > 0) parts.push(new TemplateLiteralNode(value, litStart, end));
    };
    for (;;) {
      const lim = this.len;
      if (p >= lim) {
        flush(p, false);
        if (quoted) this.error('unterminated-string', 'Unterminated string: missing closing "', tmplStart, p);
        this.pos = p;
        return Term.End;
      }
      const c = s.charCodeAt(p);
      if (quoted) {
        if (c === 34) {
          // the closing quote is left for parseQuoted, so that nested directives also stop here
          flush(p, false);
          this.pos = p;
          return Term.End;
        }
        if (c === 10 || c === 13) {
          flush(p, false);
          this.error(
            'unterminated-string',
            'Unterminated string: missing closing " before the end of the line',
            tmplStart,
            p,
          );
          this.pos = p;
          return Term.End;
        }
        if (c === 92) {
          buf += s.slice(segStart, p);
          p = this.escape(p);
          buf += this.escValue;
          segStart = p;
          continue;
        }
      }
      if ((c === 36 || c === 37) && p + 1 < lim) {
        const d = s.charCodeAt(p + 1);
        if (d === 123) {
          const strip = s.charCodeAt(p + 2) === 126 && p + 2 < lim;
          flush(p, strip);
          const start = p;
          this.pos = p + (strip ? 3 : 2);
          if (c === 36) {
            this.parseInterpolation(parts, start, strip);
          } else {
            const term = this.parseDirective(parts, start, quoted, tmplStart);
            if (term !== Term.End) return term;
          }
          p = litStart = segStart = this.pos;
          continue;
        }
        if (d === c && s.charCodeAt(p + 2) === 123 && p + 2 < lim) {
          // `$${` / `%%{`: literal `${` / `%{`
          buf += s.slice(segStart, p + 1);
          p += 2;
          segStart = p;
          continue;
        }
      }
      p++;
    }
  }

  escValue = '';

  /** decodes the escape at `p` (a backslash) into escValue; returns the offset after it */
  escape(p: number): number {
    const s = this.s;
    const c = s.charCodeAt(p + 1);
    if (p + 1 >= this.len) {
      this.escValue = '\\';
      return p + 1;
    }
    switch (c) {
      case 110:
        this.escValue = '\n';
        return p + 2;
      case 116:
        this.escValue = '\t';
        return p + 2;
      case 114:
        this.escValue = '\r';
        return p + 2;
      case 34:
        this.escValue = '"';
        return p + 2;
      case 92:
        this.escValue = '\\';
        return p + 2;
      case 117:
      case 85: {
        // \uNNNN \UNNNNNNNN
        const n = c === 117 ? 4 : 8;
        let v = 0;
        let i = 0;
        for (; i < n && p + 2 + i < this.len; i++) {
          const h = hexVal(s.charCodeAt(p + 2 + i));
          if (h < 0) break;
          v = v * 16 + h;
        }
        if (i === n && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) {
          this.escValue = String.fromCodePoint(v);
          return p + 2 + n;
        }
        this.error(
          'invalid-escape',
          `Invalid escape: \\${c === 117 ? 'u needs 4' : 'U needs 8'} hexadecimal digits of a valid code point`,
          p,
          p + 2 + i,
        );
        this.escValue = s.slice(p, p + 2 + i);
        return p + 2 + i;
      }
      default: {
        const w = c >= 0xd800 && c <= 0xdbff ? 3 : 2;
        this.error(
          'invalid-escape',
          `Invalid escape sequence "${s.slice(p, p + w)}": valid escapes are \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`,
          p,
          p + w,
        );
        this.escValue = s.slice(p + 1, p + w);
        return p + w;
      }
    }
  }

  /** `this.pos` is after `${` or `${~`; leaves `this.pos` after the closing `}` */
  parseInterpolation(parts: TemplatePart[], start: number, stripLeft: boolean): void {
    const saved = this.skipNL;
    this.skipNL = true;
    this.te = this.pos;
    this.next();
    const expr = this.parseExpression();
    const stripRight = this.closeTemplateSeq(
      start,
      'unclosed-interpolation',
      'The interpolation "${" is not closed: expected "}"',
    );
    this.skipNL = saved;
    parts.push({ kind: 'TemplateInterpolation', expr, stripLeft, stripRight, range: { start, end: this.pos } });
  }

  /** expects `~? }` as the current token; sets `this.pos` after it (or at a recovery point) */
  closeTemplateSeq(start: number, code: ErrorCode, message: string): boolean {
    let strip = false;
    if (this.tok === TILDE) {
      strip = true;
      this.next();
    }
    if (this.tok === RBRACE) {
      this.pos = this.te;
      this.stripNext = strip;
      return strip;
    }
    this.error(code, message, start, start + 2);
    // recovery: continue the template at the next `}` (consumed) or the closing quote
    const s = this.s;
    let p = this.ts;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === 125) {
        p++;
        break;
      }
      if (c === 34 || c === 10 || c === 13) break;
      p++;
    }
    this.pos = p;
    return strip;
  }

  /** `this.pos` is after `%{` or `%{~` */
  parseDirective(parts: TemplatePart[], start: number, quoted: boolean, tmplStart: number): Term {
    const saved = this.skipNL;
    this.skipNL = true;
    this.te = this.pos;
    this.next();
    const close = (): void => {
      this.closeTemplateSeq(start, 'unclosed-directive', 'The template directive "%{" is not closed: expected "}"');
      this.skipNL = saved;
    };
    if (this.isKeyword('if')) {
      this.next();
      const cond = this.parseExpression();
      close();
      const then: TemplatePart[] = [];
      let elseParts: TemplatePart[] | undefined;
      let term = this.templateSeq(then, quoted, tmplStart);
      if (term === Term.Else) {
        elseParts = [];
        term = this.templateSeq(elseParts, quoted, tmplStart);
      }
      if (term !== Term.EndIf) {
        this.error('unclosed-directive', 'The "%{ if }" directive has no matching "%{ endif }"', start, start + 2);
      }
      parts.push({ kind: 'TemplateIf', cond, then, else: elseParts, range: { start, end: this.pos } });
      return Term.End;
    }
    if (this.isKeyword('for')) {
      this.next();
      let keyVar: Identifier | undefined;
      let valueVar = this.parseIdent('an iteration variable name');
      if (valueVar && this.tok === COMMA) {
        this.next();
        keyVar = valueVar;
        valueVar = this.parseIdent('the value variable name');
      }
      let collection: Expression = { kind: 'Invalid', range: { start: this.ts, end: this.ts } };
      if (valueVar) {
        if (this.isKeyword('in')) {
          this.next();
          collection = this.parseExpression();
        } else {
          this.error(
            'unexpected-token',
            `Expected "in" in the "%{ for }" directive, found ${this.describeTok()}`,
            this.ts,
            this.te,
          );
        }
      }
      close();
      const body: TemplatePart[] = [];
      const term = this.templateSeq(body, quoted, tmplStart);
      if (term !== Term.EndFor) {
        this.error('unclosed-directive', 'The "%{ for }" directive has no matching "%{ endfor }"', start, start + 2);
      }
      parts.push({
        kind: 'TemplateFor',
        keyVar,
        valueVar: valueVar ?? { name: '', range: { start, end: start } },
        collection,
        body,
        range: { start, end: this.pos },
      });
      return Term.End;
    }
    let term = Term.End;
    if (this.isKeyword('else')) term = Term.Else;
    else if (this.isKeyword('endif')) term = Term.EndIf;
    else if (this.isKeyword('endfor')) term = Term.EndFor;
    if (term === Term.End) {
      this.error(
        'invalid-directive',
        `Unknown template directive ${this.describeTok()}: expected if, else, endif, for or endfor`,
        this.ts,
        this.te,
      );
      if (this.tok === IDENT) this.next();
      close();
      return Term.End;
    }
    this.next();
    close();
    // the caller decides whether this terminator was expected
    return term;
  }

  /** current token is `<<EOT` / `<<-EOT` */
  parseHeredoc(): Heredoc {
    const s = this.s;
    const start = this.ts;
    const flush = s.charCodeAt(start + 2) === 45;
    const marker = s.slice(start + (flush ? 3 : 2), this.te);
    const savedLen = this.len;
    let p = this.te;
    // the introducer must end its line
    while (p < savedLen && isWs(s.charCodeAt(p))) p++;
    if (p < savedLen && s.charCodeAt(p) !== 10 && s.charCodeAt(p) !== 13) {
      this.error(
        'unexpected-token',
        `The heredoc introducer <<${flush ? '-' : ''}${marker} must be followed by a line break`,
        p,
        p + 1,
      );
      while (p < savedLen && s.charCodeAt(p) !== 10) p++;
    }
    if (s.charCodeAt(p) === 13) p++;
    if (s.charCodeAt(p) === 10) p++;
    const contentStart = p;
    // find the closing marker: a line holding only the marker (after optional indentation)
    let contentEnd = -1;
    let closeEnd = savedLen;
    let ls = p;
    const mlen = marker.length;
    while (ls < savedLen) {
      let q = ls;
      while (q < savedLen && isWs(s.charCodeAt(q))) q++;
      let le = s.indexOf('\n', q);
      if (le < 0 || le > savedLen) le = savedLen;
      let lineEnd = le;
      // trailing whitespace after the closing marker is tolerated (as Nomad does)
      while (lineEnd > q && (s.charCodeAt(lineEnd - 1) === 13 || isWs(s.charCodeAt(lineEnd - 1)))) lineEnd--;
      if (lineEnd - q === mlen && s.startsWith(marker, q)) {
        contentEnd = ls;
        closeEnd = lineEnd;
        break;
      }
      ls = le + 1;
    }
    if (contentEnd < 0) {
      this.error(
        'unterminated-heredoc',
        `Unterminated heredoc: no line with the closing marker "${marker}"`,
        start,
        this.te,
      );
      contentEnd = savedLen;
    }
    // the line breaks of the introducer's line and of the content, before any interpolation is lexed
    this.addLinesIn(this.te, closeEnd);
    const parts: TemplatePart[] = [];
    this.stripNext = false;
    this.len = contentEnd;
    this.pos = contentStart;
    while (this.templateSeq(parts, false, start) !== Term.End) {
      this.error(
        'invalid-directive',
        'This template directive has no matching "%{ if }" or "%{ for }"',
        this.prevEnd,
        this.pos,
      );
    }
    this.len = savedLen;
    if (flush) flushHeredoc(s, parts, contentStart);
    this.pos = closeEnd;
    this.te = closeEnd;
    this.next();
    return {
      kind: 'Heredoc',
      marker,
      flush,
      parts: exact(parts),
      literal: literalOf(parts),
      contentRange: { start: contentStart, end: contentEnd },
      range: { start, end: closeEnd },
    };
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function literalOf(parts: TemplatePart[]): string | undefined {
  if (parts.length === 0) return '';
  if (parts.length === 1 && parts[0].kind === 'TemplateLiteral') return parts[0].value;
  let out = '';
  for (const p of parts) {
    if (p.kind !== 'TemplateLiteral') return undefined;
    out += p.value;
  }
  return out;
}

/** `<<-` heredocs: remove the smallest indentation of the non-blank lines from every line. */
function flushHeredoc(s: string, parts: TemplatePart[], contentStart: number): void {
  const lits: TemplateLiteral[] = [];
  const collect = (list: TemplatePart[]): void => {
    for (const p of list) {
      if (p.kind === 'TemplateLiteral') lits.push(p);
      else if (p.kind === 'TemplateIf') {
        collect(p.then);
        if (p.else) collect(p.else);
      } else if (p.kind === 'TemplateFor') collect(p.body);
    }
  };
  collect(parts);
  // line starts inside each literal
  const starts: number[][] = [];
  let min = Infinity;
  for (const lit of lits) {
    const v = lit.value;
    const st = lit.range.start;
    const list: number[] = [];
    if (st === contentStart || s.charCodeAt(st - 1) === 10) list.push(0);
    for (let i = v.indexOf('\n'); i >= 0 && i + 1 < v.length; i = v.indexOf('\n', i + 1)) list.push(i + 1);
    for (const ls of list) {
      let i = ls;
      while (i < v.length && isWs(v.charCodeAt(i))) i++;
      const c = v.charCodeAt(i);
      if (i < v.length && (c === 10 || c === 13)) continue; // blank line
      if (i - ls < min) min = i - ls;
    }
    starts.push(list);
  }
  if (min === Infinity || min === 0) return;
  lits.forEach((lit, k) => {
    const v = lit.value;
    const list = starts[k];
    if (list.length === 0) return;
    let out = '';
    let pos = 0;
    for (const ls of list) {
      let i = ls;
      while (i < v.length && i - ls < min && isWs(v.charCodeAt(i))) i++;
      out += v.slice(pos, ls);
      pos = i;
    }
    lit.value = out + v.slice(pos);
  });
}

export interface ParseOptions {
  /** internal: skip the indentation-based second pass */
  noHeuristics?: boolean;
}

/** Parses HCL2 native syntax. Never throws. */
export function parseNative(text: string, options?: ParseOptions): HclFile {
  let p = new Parser(text, false);
  let body = p.parseFile();
  if (!options?.noHeuristics && p.errors.some(e => e.code === 'missing-close-brace')) {
    // a brace is missing somewhere: reparse, letting indentation decide where the blocks end
    const p2 = new Parser(text, true);
    const body2 = p2.parseFile();
    if (p2.errors.length <= p.errors.length) {
      p = p2;
      body = body2;
    }
  }
  p.errors.sort((a, b) => a.range.start - b.range.start);
  return {
    kind: 'File',
    body,
    comments: p.comments,
    errors: p.errors,
    syntax: 'hcl',
    lineStarts: p.lineStarts(),
    text,
  };
}
