// The snippets file: shape of every entry, tab stops that resolve to sound HCL, and (when the project's
// HCL parser is present) a syntax-error-free parse of every snippet with its defaults filled in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support';

const root = repoRoot();
const snippetsPath = path.join(root, 'snippets', 'nomad.code-snippets');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}
const snippets = JSON.parse(fs.readFileSync(snippetsPath, 'utf8')) as Record<string, Snippet>;
const entries = Object.entries(snippets);
const bodyText = (s: Snippet): string => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const prefixes = (s: Snippet): string[] => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]);

// ------------------------------------------------------------------------------------------------
// A small reader of VS Code's snippet syntax: `$1`, `${1}`, `${1:default}` (nestable), `${1|a,b|}`,
// `$0`, and the escapes `\$`, `\}`, `\\` (plus `\,` `\|` inside choices). Mirrors take the default of
// the tab stop that defines one.
type Node =
  | string
  | { stop: number; kind: 'mirror' }
  | { stop: number; kind: 'placeholder'; children: Node[] }
  | { stop: number; kind: 'choice'; options: string[] };

function parseSnippet(src: string): Node[] {
  let i = 0;
  function readUntil(closers: string): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = (): void => {
      if (text) {
        out.push(text);
        text = '';
      }
    };
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\' && i + 1 < src.length && '$}\\'.includes(src[i + 1]!)) {
        text += src[i + 1];
        i += 2;
        continue;
      }
      if (closers.includes(c)) return (flush(), out);
      if (c === '$') {
        const simple = /^\$(\d+)/.exec(src.slice(i));
        if (simple) {
          flush();
          out.push({ stop: Number(simple[1]), kind: 'mirror' });
          i += simple[0].length;
          continue;
        }
        const open = /^\$\{(\d+)([:|}])/.exec(src.slice(i));
        if (open) {
          flush();
          const stop = Number(open[1]);
          i += open[0].length;
          if (open[2] === '}') {
            out.push({ stop, kind: 'mirror' });
            continue;
          }
          if (open[2] === ':') {
            const children = readUntil('}');
            assert.equal(src[i], '}', `placeholder \${${stop}:…} is not closed`);
            i++;
            out.push({ stop, kind: 'placeholder', children });
            continue;
          }
          // choice: options up to `|}`
          const options: string[] = [];
          let opt = '';
          while (i < src.length && !(src[i] === '|' && src[i + 1] === '}')) {
            if (src[i] === '\\' && i + 1 < src.length) {
              opt += src[i + 1];
              i += 2;
              continue;
            }
            if (src[i] === ',') {
              options.push(opt);
              opt = '';
              i++;
              continue;
            }
            opt += src[i];
            i++;
          }
          assert.ok(i < src.length, `choice \${${stop}|…|} is not closed`);
          options.push(opt);
          i += 2;
          out.push({ stop, kind: 'choice', options });
          continue;
        }
        assert.ok(
          !/^\$\{?[A-Za-z_]/.test(src.slice(i)),
          `unescaped \`$\` starts a snippet variable at …${src.slice(i, i + 20)}`,
        );
      }
      text += c;
      i++;
    }
    flush();
    return out;
  }
  const nodes = readUntil('');
  return nodes;
}

function resolveSnippet(src: string): { text: string; stops: Set<number>; defined: Set<number> } {
  const nodes = parseSnippet(src);
  const defaults = new Map<number, Node[] | string>();
  const stops = new Set<number>();
  const collect = (ns: Node[]): void => {
    for (const n of ns) {
      if (typeof n === 'string') continue;
      stops.add(n.stop);
      if (n.kind === 'placeholder') {
        if (!defaults.has(n.stop)) defaults.set(n.stop, n.children);
        collect(n.children);
      }
      if (n.kind === 'choice' && !defaults.has(n.stop)) defaults.set(n.stop, n.options[0] ?? '');
    }
  };
  collect(nodes);
  const render = (ns: Node[], depth = 0): string => {
    assert.ok(depth < 20, 'tab stops refer to each other in a cycle');
    return ns
      .map(n => {
        if (typeof n === 'string') return n;
        if (n.kind === 'choice') return n.options[0] ?? '';
        if (n.kind === 'placeholder') return render(n.children, depth + 1);
        const d = defaults.get(n.stop);
        return d === undefined ? '' : typeof d === 'string' ? d : render(d, depth + 1);
      })
      .join('');
  };
  return { text: render(nodes), stops, defined: new Set(defaults.keys()) };
}

// ------------------------------------------------------------------------------------------------
// A structural check of HCL text that does not need the parser: brackets balance and nest, quoted
// strings close on their line, interpolations close, heredocs reach their end marker.
function checkBalanced(text: string): string | undefined {
  const stack: string[] = []; // '{' '[' '(' '"' or 'i' (a template interpolation inside a string)
  const lines = text.split('\n');
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const top = stack[stack.length - 1];
      if (top === '"') {
        if (c === '\\') {
          i++;
          continue;
        }
        if ((c === '$' || c === '%') && line[i + 1] === c && line[i + 2] === '{') {
          i += 2;
          continue;
        }
        if ((c === '$' || c === '%') && line[i + 1] === '{') {
          stack.push('i');
          i++;
          continue;
        }
        if (c === '"') stack.pop();
        continue;
      }
      if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
      if (c === '"') {
        stack.push('"');
        continue;
      }
      const heredoc = /^<<-?([A-Za-z_][\w-]*)\s*$/.exec(line.slice(i));
      if (heredoc) {
        let end = ln + 1;
        while (end < lines.length && lines[end]!.trim() !== heredoc[1]) end++;
        if (end >= lines.length) return `line ${ln + 1}: heredoc ${heredoc[1]} never ends`;
        ln = end;
        break;
      }
      if ('{[('.includes(c)) {
        stack.push(c);
        continue;
      }
      if (c in pairs) {
        if (c === '}' && top === 'i') {
          stack.pop();
          continue;
        }
        if (top !== pairs[c]) return `line ${ln + 1}: \`${c}\` does not match ${top ? '`' + top + '`' : 'anything'}`;
        stack.pop();
      }
    }
    if (stack[stack.length - 1] === '"') return `line ${ln + 1}: string not closed`;
  }
  return stack.length ? `unclosed ${stack.join(' ')}` : undefined;
}

// ------------------------------------------------------------------------------------------------
void test('the snippets file is a non-empty JSON object', () => {
  assert.ok(entries.length >= 20, `only ${entries.length} snippets`);
});

void test('every snippet has a prefix, a body and a description', () => {
  for (const [name, s] of entries) {
    assert.ok(
      prefixes(s).length > 0 && prefixes(s).every(p => typeof p === 'string' && /^[a-z][\w-]*$/.test(p)),
      `${name}: prefix`,
    );
    assert.ok(bodyText(s).trim().length > 0, `${name}: body`);
    assert.ok(typeof s.description === 'string' && s.description.length > 10, `${name}: description`);
  }
});

void test('prefixes are unique across snippets', () => {
  const seen = new Map<string, string>();
  for (const [name, s] of entries) {
    for (const p of prefixes(s)) {
      assert.ok(!seen.has(p), `prefix ${p} used by ${seen.get(p)} and ${name}`);
      seen.set(p, name);
    }
  }
});

void test('the memorable prefixes exist', () => {
  const all = new Set(entries.flatMap(([, s]) => prefixes(s)));
  for (const p of [
    'job',
    'job-batch',
    'job-system',
    'job-periodic',
    'job-parameterized',
    'task-docker',
    'task-raw-exec',
    'task-exec',
    'group',
    'service',
    'update',
    'template',
    'artifact',
    'constraint',
    'affinity',
    'spread',
    'variable',
    'locals',
    'network',
    'restart',
    'volume',
    'volume_mount',
    'lifecycle',
  ]) {
    assert.ok(all.has(p), `no snippet with prefix ${p}`);
  }
});

void test('bodies indent with tabs so VS Code adapts them to the editor settings', () => {
  for (const [name, s] of entries) {
    for (const line of bodyText(s).split('\n'))
      assert.ok(!/^ +\S/.test(line), `${name}: space-indented line ${JSON.stringify(line)}`);
  }
});

void test('every tab stop used as a mirror has a default somewhere, and the stops are numbered without gaps', () => {
  for (const [name, s] of entries) {
    const { stops, defined } = resolveSnippet(bodyText(s));
    for (const n of stops) assert.ok(n === 0 || defined.has(n), `${name}: $${n} has no default`);
    const numbered = [...stops].filter(n => n > 0).sort((a, b) => a - b);
    numbered.forEach((n, i) => assert.equal(n, i + 1, `${name}: tab stops ${numbered.join(',')} have a gap`));
  }
});

void test('every body with defaults filled in has balanced brackets, strings and heredocs', () => {
  for (const [name, s] of entries) {
    const { text } = resolveSnippet(bodyText(s));
    assert.equal(checkBalanced(text), undefined, `${name}:\n${text}`);
  }
});

void test('the resolver fills placeholders, mirrors, choices and escapes', () => {
  const { text } = resolveSnippet('a "${1:x}" ${2|p,q|} $1 "\\${${3:attr.k}}" ${4:\\${N\\}} $0');
  assert.equal(text, 'a "x" p x "${attr.k}" ${N} ');
  assert.equal(checkBalanced('x = "a${b}c"\ny = [1, (2)]\nz = <<EOT\n{ "\nEOT\n'), undefined);
  assert.notEqual(checkBalanced('x = [1, 2'), undefined);
  assert.notEqual(checkBalanced('x = "abc\n'), undefined);
});

void test('job snippets are modern Nomad jobs', () => {
  const jobs = entries.filter(([, s]) => prefixes(s).some(p => p === 'job' || p.startsWith('job-')));
  assert.ok(jobs.length >= 5);
  for (const [name, s] of jobs) {
    const { text } = resolveSnippet(bodyText(s));
    assert.match(text, /^job "[^"]+" \{/, name);
    assert.match(text, /\bdatacenters\s*=\s*\[/, name);
    assert.match(text, /\btype\s*=\s*"(service|batch|system)"/, name);
    assert.match(text, /\bgroup "[^"]+" \{/, name);
    assert.match(text, /\btask "[^"]+" \{/, name);
  }
  const service = resolveSnippet(bodyText(snippets['Job: service']!)).text;
  for (const re of [
    /network \{\s*port "http" \{\s*to = \d+/,
    /ports = \["http"\]/,
    /max_parallel\s*= 1/,
    /health_check\s*= "checks"/,
    /min_healthy_time\s*=/,
    /healthy_deadline\s*=/,
    /progress_deadline\s*=/,
    /auto_revert\s*= true/,
    /canary\s*= \d/,
    /service \{[^]*check \{[^]*type\s*= "http"/,
  ]) {
    assert.match(service, re);
  }
  assert.match(
    resolveSnippet(bodyText(snippets['Job: periodic batch']!)).text,
    /periodic \{\s*crons\s*= \[[^]*prohibit_overlap = true/,
  );
  const param = resolveSnippet(bodyText(snippets['Job: parameterized batch']!)).text;
  assert.match(param, /parameterized \{[^]*payload[^]*meta_required/);
  assert.match(param, /dispatch_payload \{\s*file\s*=/);
});

void test('every snippet parses without syntax errors (when the HCL parser is present)', async t => {
  const src = path.join(root, 'src', 'language', 'hcl', 'index.ts');
  const compiled = path.join(root, 'out', 'src', 'language', 'hcl', 'index.js');
  if (!fs.existsSync(src) || !fs.existsSync(compiled)) {
    t.skip('src/language/hcl/index.ts is not there yet (or not built): parser check skipped');
    return;
  }
  type ParseFn = (text: string) => { errors: { severity?: string; message: string }[] };
  const mod = (await import(compiled)) as { parse?: ParseFn };
  const parse: ParseFn | undefined = mod.parse;
  if (typeof parse !== 'function') {
    t.skip('src/language/hcl/index.ts does not export parse(text) yet: parser check skipped');
    return;
  }
  for (const [name, s] of entries) {
    const { text } = resolveSnippet(bodyText(s));
    const errors: { severity?: string; message: string }[] = parse(text).errors.filter(
      e => e.severity === undefined || e.severity === 'error',
    );
    assert.deepEqual(
      errors.map(e => e.message),
      [],
      `${name}:\n${text}`,
    );
  }
});
