import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  computeLineStarts,
  nodeAt,
  offsetAt,
  parse,
  positionAt,
  toLspRange,
  walk,
  type Node,
} from '../../../../src/language/hcl';
import { textAt, attr, block, parseOk, corpusDir, mulberry32, read } from '../../support';

test('UTF-16 positions: astral characters count as two code units', () => {
  const text = 'a = "😀😀" # 🎉\nb = "😀" c\n';
  const f = parse(text);
  const b = attr(f.body, 'b');
  assert.deepEqual(toLspRange(f, b.nameRange), { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
  const a = attr(f.body, 'a');
  assert.deepEqual(toLspRange(f, a.expr.range), { start: { line: 0, character: 4 }, end: { line: 0, character: 10 } });
  assert.equal(a.expr.kind === 'Template' && a.expr.literal, '😀😀');
  assert.deepEqual(positionAt(f, f.comments[0].range.end), { line: 0, character: 15 });
  // the error after the string is at UTF-16 column 10
  assert.deepEqual(
    f.errors.map(e => toLspRange(f, e.range).start),
    [{ line: 1, character: 9 }],
  );
});

test('CRLF: lines and columns exclude the carriage return', () => {
  const f = parseOk('job "x" {\r\n  count = 1\r\n}\r\n');
  const count = attr(block(f.body, 'job').body, 'count');
  assert.deepEqual(toLspRange(f, count.range), { start: { line: 1, character: 2 }, end: { line: 1, character: 11 } });
  assert.deepEqual(Array.from(f.lineStarts), [0, 11, 24, 27]);
  assert.equal(offsetAt(f, { line: 1, character: 99 }), 22); // clamped before \r\n
  assert.deepEqual(positionAt(f, block(f.body, 'job').closeBrace!.start), { line: 2, character: 0 });
});

test('tabs count as one character, BOM is skipped but keeps its offset', () => {
  const f = parseOk('\uFEFFa {\n\tb = 1\n}\n');
  const b = attr(block(f.body, 'a').body, 'b');
  assert.deepEqual(toLspRange(f, b.nameRange).start, { line: 1, character: 1 });
  assert.equal(block(f.body, 'a').typeRange.start, 1);
});

test('offsetAt and positionAt round-trip', () => {
  const text = 'a = 1\r\nbb = "😀"\n\nccc = 3';
  const f = parse(text);
  for (let off = 0; off <= text.length; off++) {
    const pos = positionAt(f, off);
    // offsets inside a \r\n pair map to the end of the line
    if (text[off - 1] === '\r' && text[off] === '\n') continue;
    assert.equal(offsetAt(f, pos), off, `offset ${off}`);
  }
  assert.deepEqual(positionAt(f, -5), { line: 0, character: 0 });
  assert.deepEqual(positionAt(f, 1e9), positionAt(f, text.length));
});

test('nodeAt returns the path to the innermost node', () => {
  const text = 'job "x" {\n  group "g" {\n    meta = { k = var.a.b }\n  }\n}\n';
  const f = parseOk(text);
  const path = nodeAt(f, text.indexOf('a.b') + 2);
  assert.deepEqual(
    path.map(n => n.kind),
    [
      'File',
      'Body',
      'Block',
      'Body',
      'Block',
      'Body',
      'Attribute',
      'Object',
      'ObjectItem',
      'ScopeTraversal',
      'TraverseAttr',
    ],
  );
  const byPos = nodeAt(f, { line: 1, character: 9 });
  assert.equal(byPos[byPos.length - 1].kind, 'BlockLabel');
  // a position between items is in the body
  const between = nodeAt(f, text.indexOf('  }'));
  assert.equal(between[between.length - 1].kind, 'Body');
});

test('walk visits every node in source order and can skip subtrees', () => {
  const f = parseOk('a = [1, f(2)]\nb { c = "${d}" }\n');
  const seen: string[] = [];
  walk(f, {
    enter: (n: Node) => {
      seen.push(n.kind);
      return n.kind !== 'FunctionCall';
    },
  });
  assert.deepEqual(seen, [
    'File',
    'Body',
    'Attribute',
    'Tuple',
    'Literal',
    'FunctionCall',
    'Block',
    'Body',
    'Attribute',
    'Template',
    'TemplateInterpolation',
    'ScopeTraversal',
  ]);
  let leaves = 0;
  walk(f, {
    leave: () => {
      leaves++;
    },
  });
  assert.equal(leaves, seen.length + 1);
  assert.equal(textAt(f, f.body.range), f.text);
});

test('line starts: LF-only and mixed line breaks (lone CR, CRLF, LF) agree with a per-character reference', () => {
  const reference = (text: string): number[] => {
    const out = [0];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\r' && text[i + 1] === '\n') {
        out.push(i + 2);
        i++;
      } else if (text[i] === '\n' || text[i] === '\r') out.push(i + 1);
    }
    return out;
  };
  for (const text of [
    '',
    'a',
    '\n',
    'a\nb\n\nc',
    '\r',
    'a\rb\r\nc\n\rd\r',
    '\r\n\r\n',
    'x\n'.repeat(1000) + 'tail',
    'é\n😀\r\nz',
  ]) {
    assert.deepEqual(Array.from(computeLineStarts(text)), reference(text), JSON.stringify(text.slice(0, 20)));
  }
});

test('the line starts the lexer records are those of a scan of the text (corpus files, mutated, and fragments)', () => {
  // the parser notes each line break as it lexes; comments, heredocs, strings, broken input and
  // backtracking must neither lose nor repeat one
  const PIECES = [
    '\n',
    '"',
    '${',
    '}',
    '{',
    '%{',
    '<<EOT\n',
    '<<-EOT\n',
    'EOT\n',
    '/*',
    '*/',
    '#',
    '//',
    '\\',
    '(',
    ')',
    '[',
    ']',
    ' ',
    'a',
    '=',
    'é',
    '\n\n',
    'x = <<EOF\nfoo\n${a\n}\nEOF\n',
    '~}',
    '"\\\n',
    '\r',
    '\r\n',
    '\uFEFF',
  ];
  const rnd = mulberry32(0x11e5);
  const texts: string[] = [];
  const dir = path.join(corpusDir, 'valid');
  const sources = [
    read('test/fixtures/jobs/seed-microservice-job-01.nomad'),
    read('test/fixtures/nomad/parse/rich.nomad'),
  ];
  if (fs.existsSync(dir))
    for (const f of fs.readdirSync(dir).sort().slice(0, 60)) sources.push(fs.readFileSync(path.join(dir, f), 'utf8'));
  for (const t of sources) {
    texts.push(t);
    for (let k = 0; k < 10; k++) {
      let u = t;
      for (let j = 0, m = 1 + Math.floor(rnd() * 4); j < m; j++) {
        const at = Math.floor(rnd() * (u.length + 1));
        const r = rnd();
        if (r < 0.5) u = u.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)]! + u.slice(at);
        else if (r < 0.8) u = u.slice(0, at) + u.slice(at + 1 + Math.floor(rnd() * 20));
        else u = u.slice(0, at);
      }
      texts.push(u);
    }
  }
  for (let k = 0; k < 3000; k++) {
    let u = '';
    for (let j = 0, m = Math.floor(rnd() * 30); j < m; j++) u += PIECES[Math.floor(rnd() * PIECES.length)]!;
    texts.push(u);
  }
  let withBreaks = 0;
  for (const text of texts) {
    const got = Array.from(parse(text).lineStarts);
    assert.deepEqual(got, Array.from(computeLineStarts(text)), JSON.stringify(text.slice(0, 60)));
    if (got.length > 1) withBreaks++;
  }
  assert.ok(withBreaks > texts.length / 2);
});
