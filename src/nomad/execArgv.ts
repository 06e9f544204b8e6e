// A command line typed by a person → the argument vector Nomad's exec endpoint takes. Plain POSIX-shell
// word splitting: whitespace separates words; '…' is literal; "…" keeps spaces and honours \" \\ \$ \`;
// a backslash outside quotes escapes the next character. No expansion of any kind (the command is not
// run by a shell unless the person asks for one, e.g. `/bin/sh -c "…"`). Pure.

export type ArgvResult = { ok: true; argv: string[] } | { ok: false; error: string };

export function splitCommandLine(line: string): ArgvResult {
  const argv: string[] = [];
  let cur = '',
    inWord = false,
    i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) {
        argv.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 < n) {
        cur += line[i + 1];
        i += 2;
      } else {
        i++;
      }
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'A single quote is not closed.' };
      cur += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) return { ok: false, error: 'A double quote is not closed.' };
      continue;
    }
    cur += c;
    i++;
  }
  if (inWord) argv.push(cur);
  if (!argv.length) return { ok: false, error: 'Type a command, e.g. /bin/sh.' };
  return { ok: true, argv };
}

/** The vector shown back as one line (for titles and the input box). */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map(a => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
