// JSON-syntax job files (`{"Job": {...}}` as the Nomad API takes them, or HCL's JSON syntax).
// Without a schema, JSON cannot tell blocks from attributes, so the tree is kept literal: each
// member of the top-level object becomes an Attribute of the file body, whose expression is the
// JSON value as Object / Tuple / Template (strings; `literal` set, no interpolation parsing) /
// Literal. The parser is lenient about comments (`//`, `#`, `/* */`, recorded like in HCL files)
// and trailing commas; everything else that is not JSON is an error with code `json-syntax`.
import type { Attribute, BodyItem, Comment, Expression, HclFile, ObjectItem, ParseError } from './ast';
import { computeLineStarts } from './positions';

const MAX_DEPTH = 500;
const SIMPLE_ESCAPES: Partial<Record<number, string>> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};

class JsonParser {
  pos = 0;
  depth = 0;
  readonly errors: ParseError[] = [];
  readonly comments: Comment[] = [];
  constructor(readonly s: string) {
    if (s.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  error(message: string, start: number, end: number): void {
    if (this.errors.length >= 200) return;
    const last = this.errors[this.errors.length - 1];
    if (last && last.range.start === start) return;
    this.errors.push({ code: 'json-syntax', message, range: { start, end: Math.max(start, end) }, severity: 'error' });
  }

  /** skips whitespace and comments; returns the next char code (NaN at the end) */
  ws(): number {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) {
        this.pos++;
        continue;
      }
      if (c === 35 || (c === 47 && s.charCodeAt(this.pos + 1) === 47)) {
        const st = this.pos;
        let e = s.indexOf('\n', st);
        if (e < 0) e = s.length;
        if (e > st && s.charCodeAt(e - 1) === 13) e--;
        this.comments.push({
          kind: 'Comment',
          style: c === 35 ? '#' : '//',
          text: s.slice(st, e),
          range: { start: st, end: e },
        });
        this.pos = e;
        continue;
      }
      if (c === 47 && s.charCodeAt(this.pos + 1) === 42) {
        const st = this.pos;
        let e = s.indexOf('*/', st + 2);
        if (e < 0) {
          this.error('Unterminated comment', st, st + 2);
          e = s.length;
        } else e += 2;
        this.comments.push({ kind: 'Comment', style: '/*', text: s.slice(st, e), range: { start: st, end: e } });
        this.pos = e;
        continue;
      }
      return c;
    }
  }

  value(): Expression {
    const c = this.ws();
    const start = this.pos;
    const s = this.s;
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      if (!this.reportedTooDeep) {
        this.reportedTooDeep = true;
        this.error(`Values are nested more than ${MAX_DEPTH} deep: this part is not checked`, start, start + 1);
      }
      this.skipValue();
      return { kind: 'Invalid', range: { start, end: this.pos } };
    }
    try {
      if (c === 123) return this.object();
      if (c === 91) {
        this.pos++;
        const items: Expression[] = [];
        for (;;) {
          const d = this.ws();
          if (d === 93) {
            this.pos++;
            break;
          }
          if (this.pos >= s.length) {
            this.error('Unclosed array: expected "]"', start, start + 1);
            break;
          }
          if (d === 44) {
            this.pos++;
            continue;
          }
          const before = this.pos;
          items.push(this.value());
          const e = this.ws();
          if (e === 44) {
            this.pos++;
            continue;
          }
          if (e === 93) {
            this.pos++;
            break;
          }
          this.error('Expected "," or "]"', this.pos, this.pos + 1);
          if (this.pos === before) this.pos++;
          if (e === 125) break;
        }
        return { kind: 'Tuple', items, range: { start, end: this.pos } };
      }
      if (c === 34) {
        const value = this.string();
        const end = this.pos;
        return {
          kind: 'Template',
          parts: end - start > 2 ? [{ kind: 'TemplateLiteral', value, range: { start: start + 1, end: end - 1 } }] : [],
          literal: value,
          range: { start, end },
        };
      }
      if (c === 45 || (c >= 48 && c <= 57)) {
        let p = this.pos + 1;
        while (p < s.length) {
          const d = s.charCodeAt(p);
          if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) p++;
          else break;
        }
        const v = Number(s.slice(start, p));
        this.pos = p;
        if (Number.isNaN(v)) this.error('Invalid number', start, p);
        return { kind: 'Literal', value: Number.isNaN(v) ? 0 : v, range: { start, end: p } };
      }
      for (const [word, v] of [
        ['true', true],
        ['false', false],
        ['null', null],
      ] as const) {
        if (s.startsWith(word, start)) {
          this.pos += word.length;
          return { kind: 'Literal', value: v, range: { start, end: this.pos } };
        }
      }
      this.error(
        this.pos >= s.length ? 'Expected a value, found the end of the file' : 'Expected a JSON value',
        start,
        start + 1,
      );
      if (this.pos < s.length && c !== 125 && c !== 93 && c !== 44 && c !== 58) this.pos++;
      return { kind: 'Invalid', range: { start, end: this.pos } };
    } finally {
      this.depth--;
    }
  }

  /** one too-deep error per file */
  private reportedTooDeep = false;

  /**
   * Skips one value without building it: a bracketed one up to its matching bracket (strings skipped
   * whole), anything else up to the next `,`, `}` or `]`. The values around it then end where they do.
   */
  skipValue(): void {
    const s = this.s;
    const n = s.length;
    let p = this.pos;
    let depth = 0;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        p++;
        while (p < n) {
          const d = s.charCodeAt(p);
          if (d === 92) p += 2;
          else {
            p++;
            if (d === 34) break;
          }
        }
        if (depth === 0) break;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) break;
        if (--depth === 0) {
          p++;
          break;
        }
      } else if (c === 44 && depth === 0) break;
      p++;
    }
    this.pos = Math.min(p, n);
  }

  /** pos at `"`; returns the decoded value and leaves pos after the closing quote */
  string(): string {
    const s = this.s;
    const start = this.pos;
    let p = start + 1;
    let out = '';
    let seg = p;
    for (;;) {
      if (p >= s.length) {
        this.error('Unterminated string', start, p);
        break;
      }
      const c = s.charCodeAt(p);
      if (c === 34) break;
      if (c === 10 || c === 13) {
        this.error('Unterminated string', start, p);
        this.pos = p;
        return out + s.slice(seg, p);
      }
      if (c === 92) {
        out += s.slice(seg, p);
        const d = s.charCodeAt(p + 1);
        if (SIMPLE_ESCAPES[d] !== undefined) {
          out += SIMPLE_ESCAPES[d];
          p += 2;
        } else if (d === 117 && /^[0-9a-fA-F]{4}$/.test(s.slice(p + 2, p + 6))) {
          out += String.fromCharCode(parseInt(s.slice(p + 2, p + 6), 16));
          p += 6;
        } else {
          this.error('Invalid escape sequence', p, p + 2);
          p += 1;
        }
        seg = p;
        continue;
      }
      p++;
    }
    out += s.slice(seg, p);
    this.pos = p < s.length ? p + 1 : p;
    return out;
  }

  members(
    onItem: (key: string, keyExpr: Expression, value: Expression, start: number, colon: number) => void,
    open: number,
  ): void {
    const s = this.s;
    this.pos++;
    for (;;) {
      const c = this.ws();
      if (c === 125) {
        this.pos++;
        return;
      }
      if (this.pos >= s.length) {
        this.error('Unclosed object: expected "}"', open, open + 1);
        return;
      }
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c !== 34) {
        this.error('Expected a quoted property name', this.pos, this.pos + 1);
        // skip to the next separator
        while (this.pos < s.length && !',}\n'.includes(s[this.pos])) this.pos++;
        continue;
      }
      const ks = this.pos;
      const key = this.string();
      const keyExpr: Expression = {
        kind: 'Template',
        parts:
          this.pos - ks > 2
            ? [{ kind: 'TemplateLiteral', value: key, range: { start: ks + 1, end: this.pos - 1 } }]
            : [],
        literal: key,
        range: { start: ks, end: this.pos },
      };
      let colon = -1;
      if (this.ws() === 58) {
        colon = this.pos;
        this.pos++;
      } else this.error('Expected ":" after the property name', this.pos, this.pos + 1);
      const value = this.value();
      onItem(key, keyExpr, value, ks, colon);
      const e = this.ws();
      if (e === 44) {
        this.pos++;
        continue;
      }
      if (e === 125) {
        this.pos++;
        return;
      }
      if (this.pos >= s.length) {
        this.error('Unclosed object: expected "}"', open, open + 1);
        return;
      }
      this.error('Expected "," or "}"', this.pos, this.pos + 1);
      if (e === 93) this.pos++;
    }
  }

  object(): Expression {
    const start = this.pos;
    const items: ObjectItem[] = [];
    this.members((keyName, key, value, ks) => {
      items.push({
        kind: 'ObjectItem',
        key,
        keyName,
        separator: ':',
        value,
        range: { start: ks, end: value.range.end },
      });
    }, start);
    return { kind: 'Object', items, range: { start, end: this.pos } };
  }
}

/** Parses a JSON job file into the common tree shape (see the header comment). Never throws. */
export function parseJSON(text: string): HclFile {
  const p = new JsonParser(text);
  const items: BodyItem[] = [];
  const c = p.ws();
  if (c === 123) {
    p.members((name, key, expr, ks, colon) => {
      const attr: Attribute = {
        kind: 'Attribute',
        name,
        nameRange: key.range,
        equals: colon >= 0 ? { start: colon, end: colon + 1 } : undefined,
        expr,
        range: { start: ks, end: expr.range.end },
      };
      items.push(attr);
    }, p.pos);
  } else if (p.pos < text.length) {
    p.error('A JSON job file must contain an object', p.pos, p.pos + 1);
  }
  p.ws();
  if (p.pos < text.length) p.error('Unexpected content after the top-level object', p.pos, text.length);
  return {
    kind: 'File',
    body: { kind: 'Body', items, range: { start: 0, end: text.length } },
    comments: p.comments,
    errors: p.errors,
    syntax: 'json',
    lineStarts: computeLineStarts(text),
    text,
  };
}
