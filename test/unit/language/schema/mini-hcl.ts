// A deliberately small reader of HCL structure for the schema tests: it finds blocks (type,
// labels, body) and attribute names, and skips over expressions without understanding them.
// The real parser lives in src/language/hcl; this one only has to be good enough for the corpus.

export interface MiniBlock {
  type: string;
  labels: string[];
  line: number;
  attrs: Map<string, { line: number; text: string }>;
  blocks: MiniBlock[];
}

export function readHcl(src: string): MiniBlock {
  let i = 0;
  let line = 1;
  const n = src.length;

  const at = (k = 0): string => src[i + k] ?? '';
  const advance = (): void => {
    if (src[i] === '\n') line++;
    i++;
  };

  function skipSpaceAndComments(stopAtNewline: boolean): void {
    while (i < n) {
      const c = at();
      if (c === '\n' && stopAtNewline) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        advance();
        continue;
      }
      if (c === '#' || (c === '/' && at(1) === '/')) {
        while (i < n && at() !== '\n') advance();
        continue;
      }
      if (c === '/' && at(1) === '*') {
        advance();
        advance();
        while (i < n && !(at() === '*' && at(1) === '/')) advance();
        advance();
        advance();
        continue;
      }
      return;
    }
  }

  function readIdent(): string {
    const start = i;
    while (i < n && /[A-Za-z0-9_\-.]/.test(at())) advance();
    return src.slice(start, i);
  }

  function skipString(): string {
    advance(); // opening quote
    let out = '';
    while (i < n && at() !== '"') {
      if (at() === '\\') {
        advance();
        out += at();
        advance();
        continue;
      }
      if ((at() === '$' || at() === '%') && at(1) === '{') {
        advance();
        advance();
        skipBalanced('}');
        out += '${…}';
        continue;
      }
      out += at();
      advance();
    }
    advance();
    return out;
  }

  function skipHeredoc(): void {
    advance();
    advance();
    if (at() === '-') advance();
    const marker = readIdent();
    while (i < n) {
      while (i < n && at() !== '\n') advance();
      advance();
      const lineStart = i;
      while (i < n && (at() === ' ' || at() === '\t')) advance();
      if (src.startsWith(marker, i) && !/[A-Za-z0-9_]/.test(src[i + marker.length] ?? '')) {
        i += marker.length;
        return;
      }
      i = lineStart;
    }
  }

  // skip until the matching close bracket (the opener was already consumed)
  function skipBalanced(close: string): void {
    while (i < n) {
      skipSpaceAndComments(false);
      const c = at();
      if (c === close) {
        advance();
        return;
      }
      if (c === '"') {
        skipString();
        continue;
      }
      if (c === '<' && at(1) === '<' && /[-A-Za-z_]/.test(at(2))) {
        skipHeredoc();
        continue;
      }
      if (c === '{') {
        advance();
        skipBalanced('}');
        continue;
      }
      if (c === '[') {
        advance();
        skipBalanced(']');
        continue;
      }
      if (c === '(') {
        advance();
        skipBalanced(')');
        continue;
      }
      advance();
    }
  }

  // an attribute value: up to the end of the line at bracket depth 0
  function skipExpression(): string {
    const start = i;
    while (i < n) {
      skipSpaceAndComments(true);
      const c = at();
      if (c === '\n' || c === '}' || c === '') break;
      if (c === '"') {
        skipString();
        continue;
      }
      if (c === '<' && at(1) === '<' && /[-A-Za-z_]/.test(at(2))) {
        skipHeredoc();
        continue;
      }
      if (c === '{') {
        advance();
        skipBalanced('}');
        continue;
      }
      if (c === '[') {
        advance();
        skipBalanced(']');
        continue;
      }
      if (c === '(') {
        advance();
        skipBalanced(')');
        continue;
      }
      advance();
    }
    return src.slice(start, i).trim();
  }

  function readBody(block: MiniBlock, closing: boolean): void {
    while (i < n) {
      skipSpaceAndComments(false);
      if (i >= n) break;
      if (at() === '}') {
        if (closing) {
          advance();
          return;
        }
        throw new Error(`unexpected } at line ${line}`);
      }
      const startLine = line;
      // HCL1 (agent files) also allows quoted keys: "/opt/app/etc" = "/etc"
      const name = at() === '"' ? skipString() : readIdent();
      if (!name) throw new Error(`unexpected ${JSON.stringify(at())} at line ${line}`);
      skipSpaceAndComments(true);
      if (at() === '=' && at(1) !== '=') {
        advance();
        skipSpaceAndComments(true);
        block.attrs.set(name, { line: startLine, text: skipExpression() });
        continue;
      }
      const labels: string[] = [];
      while (i < n && at() !== '{') {
        if (at() === '"') labels.push(skipString());
        else {
          const l = readIdent();
          if (!l) throw new Error(`bad block header at line ${line}`);
          labels.push(l);
        }
        skipSpaceAndComments(false);
      }
      advance(); // {
      const child: MiniBlock = { type: name, labels, line: startLine, attrs: new Map(), blocks: [] };
      readBody(child, true);
      block.blocks.push(child);
    }
    if (closing) throw new Error('unterminated block');
  }

  const file: MiniBlock = { type: '', labels: [], line: 1, attrs: new Map(), blocks: [] };
  readBody(file, false);
  return file;
}

/** The literal string value of an attribute (`driver = "docker"`), if it is one. */
export function stringValue(text: string | undefined): string | undefined {
  const m = text === undefined ? null : /^"([^"$%]*)"$/.exec(text);
  return m ? m[1] : undefined;
}
