// The TextMate grammar, loaded the way VS Code loads it (vscode-textmate + vscode-oniguruma): every
// regex compiles, every include resolves, and every known-valid corpus file tokenises to the end with
// the grammar back at its root state and no quoted string left open at the end of a line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support';

const root = repoRoot();
const grammarPath = path.join(root, 'syntaxes', 'nomad.tmLanguage.json');
const corpusDir = path.resolve(root, '..', 'shared', 'corpus', 'valid');

interface RawRule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: RawRule[];
  captures?: Record<string, RawRule>;
  beginCaptures?: Record<string, RawRule>;
  endCaptures?: Record<string, RawRule>;
  repository?: Record<string, RawRule>;
}
interface RawGrammar extends RawRule {
  scopeName: string;
  repository: Record<string, RawRule>;
}
const raw = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as RawGrammar;

function* walkRules(rule: RawRule): Generator<RawRule> {
  yield rule;
  for (const p of rule.patterns ?? []) yield* walkRules(p);
  for (const caps of [rule.captures, rule.beginCaptures, rule.endCaptures])
    for (const c of Object.values(caps ?? {})) yield* walkRules(c);
}
const allRules = [...walkRules(raw), ...Object.values(raw.repository).flatMap(r => [...walkRules(r)])];

type TM = typeof import('vscode-textmate');
type Onig = typeof import('vscode-oniguruma');
interface Loaded {
  tm: TM;
  onig: Onig;
  grammar: import('vscode-textmate').IGrammar;
}
let loading: Promise<Loaded | string> | undefined;

// vscode-textmate and vscode-oniguruma come with vscode-tmgrammar-test; skip cleanly without them
function load(): Promise<Loaded | string> {
  loading ??= (async () => {
    let tm: TM, onig: Onig;
    try {
      // CommonJS/UMD builds: depending on how they are loaded the API is the namespace or its default
      const tmNs = (await import('vscode-textmate')) as TM & { default?: TM };
      const onigNs = (await import('vscode-oniguruma')) as Onig & { default?: Onig };
      tm = typeof tmNs.Registry === 'function' ? tmNs : tmNs.default!;
      onig = typeof onigNs.loadWASM === 'function' ? onigNs : onigNs.default!;
    } catch {
      return 'vscode-textmate / vscode-oniguruma are not in node_modules';
    }
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
        createOnigString: (s: string) => new onig.OnigString(s),
      }),
      loadGrammar: async (scope: string) =>
        scope === 'source.nomad' ? tm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    const grammar = await registry.loadGrammar('source.nomad');
    assert.ok(grammar, 'the grammar did not load');
    return { tm, onig, grammar };
  })();
  return loading;
}

interface Tokenised {
  lines: string[];
  tokens: import('vscode-textmate').IToken[][];
  endDepth: number;
  openStringLines: number[];
}
function tokenise(l: Loaded, text: string): Tokenised {
  const lines = text.split(/\r\n|\r|\n/);
  let state = l.tm.INITIAL;
  const tokens: import('vscode-textmate').IToken[][] = [];
  const openStringLines: number[] = [];
  lines.forEach((line, i) => {
    const r = l.grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    tokens.push(r.tokens);
    const last = r.tokens[r.tokens.length - 1];
    // a line that ends inside a quoted string (and not inside an interpolation, which may span lines)
    if (
      last &&
      last.scopes.some(s => s.startsWith('string.quoted.double')) &&
      !last.scopes.some(s => s.startsWith('meta.interpolation')) &&
      !last.scopes.includes('punctuation.definition.string.end.nomad')
    )
      openStringLines.push(i + 1);
  });
  return { lines, tokens, endDepth: state.depth, openStringLines };
}

function scopesAt(t: Tokenised, line: number, column: number): string[] {
  const tok = t.tokens[line]!.find(k => k.startIndex <= column && column < k.endIndex);
  return tok ? tok.scopes : [];
}

void test('the grammar JSON names source.nomad and every include resolves', () => {
  assert.equal(raw.scopeName, 'source.nomad');
  for (const r of allRules) {
    if (r.include && r.include.startsWith('#'))
      assert.ok(raw.repository[r.include.slice(1)], `include ${r.include} has no repository entry`);
    if (r.include && !r.include.startsWith('#'))
      assert.ok(['$self', '$base'].includes(r.include), `external include ${r.include}`);
    if (r.begin) assert.ok(r.end, `begin ${r.begin} has no end`);
  }
});

void test('every regex compiles in oniguruma', async t => {
  const l = await load();
  if (typeof l === 'string') return t.skip(l);
  let n = 0;
  for (const r of allRules) {
    for (const re of [r.match, r.begin, r.end]) {
      if (!re || /\\[1-9]/.test(re)) continue; // end patterns with back-references are completed by the begin match
      assert.doesNotThrow(() => new l.onig.OnigScanner([re]), `does not compile: ${re}`);
      n++;
    }
  }
  assert.ok(n > 40, `only ${n} regexes found`);
});

void test('the grammar test files and a sample return to the root state', async t => {
  const l = await load();
  if (typeof l === 'string') return t.skip(l);
  const dir = path.join(root, 'test', 'grammar');
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.nomad'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const r = tokenise(l, fs.readFileSync(path.join(dir, f), 'utf8'));
    assert.equal(r.endDepth, 1, `${f} ends inside a nested rule`);
  }
  const sample = tokenise(l, 'job "x" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n');
  assert.ok(scopesAt(sample, 0, 0).includes('entity.name.type.nomad.block'));
  assert.ok(scopesAt(sample, 1, 2).includes('entity.name.type.nomad.block'));
  assert.ok(scopesAt(sample, 2, 4).includes('entity.name.type.nomad.block'));
  assert.ok(scopesAt(sample, 3, 6).includes('variable.other.readwrite.nomad'));
});

void test('a missing quote or brace never swallows what follows the line', async t => {
  const l = await load();
  if (typeof l === 'string') return t.skip(l);
  const r = tokenise(l, 'job "x" {\n  a = "open\n  group "g" {\n  }\n}\n');
  assert.ok(
    scopesAt(r, 2, 2).includes('entity.name.type.nomad.block'),
    'the line after an unterminated string is code again',
  );
  assert.equal(r.endDepth, 1);
});

void test('every valid corpus file tokenises to the end and back to the root state', async t => {
  const l = await load();
  if (typeof l === 'string') return t.skip(l);
  if (!fs.existsSync(corpusDir))
    return t.skip(
      `needs the job corpus outside this repository (../shared/corpus/valid next to the checkout): not found at ${corpusDir}`,
    );
  const files = fs
    .readdirSync(corpusDir)
    .filter(f => /\.(nomad|hcl)$/.test(f))
    .sort();
  assert.ok(files.length > 0, 'empty corpus');
  let blockLines = 0;
  const knownBlock =
    /^(\s*)(job|group|task|service|check|network|update|resources|config|template|constraint|restart|artifact)\b(\s+"[^"]*")?\s*\{\s*$/;
  for (const f of files) {
    const r = tokenise(l, fs.readFileSync(path.join(corpusDir, f), 'utf8'));
    assert.equal(r.endDepth, 1, `${f}: the grammar state does not return to the root at the end of the file`);
    assert.deepEqual(r.openStringLines, [], `${f}: lines that end inside a quoted string`);
    r.lines.forEach((line, i) => {
      const m = knownBlock.exec(line);
      if (!m) return;
      const first = scopesAt(r, i, 0);
      // a job file quoted inside a heredoc or a comment is text, not a block
      if (first.some(s => s.startsWith('string') || s.startsWith('comment') || s.startsWith('meta.heredoc'))) return;
      const scopes = scopesAt(r, i, m[1]!.length);
      assert.ok(
        scopes.includes('entity.name.type.nomad.block'),
        `${f}:${i + 1}: \`${m[2]}\` has scopes ${scopes.join(' ')}`,
      );
      blockLines++;
    });
  }
  assert.ok(blockLines > 100, `only ${blockLines} block headers checked`);
});
