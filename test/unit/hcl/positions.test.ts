import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeAt, offsetAt, parse, positionAt, toLspRange, walk, type Node } from '../../../src/language/hcl';
import { at, attr, block, parseOk } from './util';

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
  assert.deepEqual(f.errors.map(e => toLspRange(f, e.range).start), [{ line: 1, character: 9 }]);
});

test('CRLF: lines and columns exclude the carriage return', () => {
  const f = parseOk('job "x" {\r\n  count = 1\r\n}\r\n');
  const count = attr(block(f.body, 'job').body, 'count');
  assert.deepEqual(toLspRange(f, count.range), { start: { line: 1, character: 2 }, end: { line: 1, character: 11 } });
  assert.deepEqual(f.lineStarts, [0, 11, 24, 27]);
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
  assert.deepEqual(path.map(n => n.kind), ['File', 'Body', 'Block', 'Body', 'Block', 'Body', 'Attribute', 'Object', 'ObjectItem', 'ScopeTraversal', 'TraverseAttr']);
  const byPos = nodeAt(f, { line: 1, character: 9 });
  assert.equal(byPos[byPos.length - 1].kind, 'BlockLabel');
  // a position between items is in the body
  const between = nodeAt(f, text.indexOf('  }'));
  assert.equal(between[between.length - 1].kind, 'Body');
});

test('walk visits every node in source order and can skip subtrees', () => {
  const f = parseOk('a = [1, f(2)]\nb { c = "${d}" }\n');
  const seen: string[] = [];
  walk(f, { enter: (n: Node) => { seen.push(n.kind); return n.kind !== 'FunctionCall'; } });
  assert.deepEqual(seen, ['File', 'Body', 'Attribute', 'Tuple', 'Literal', 'FunctionCall', 'Block', 'Body', 'Attribute', 'Template', 'TemplateInterpolation', 'ScopeTraversal']);
  let leaves = 0;
  walk(f, { leave: () => { leaves++; } });
  assert.equal(leaves, seen.length + 1);
  assert.equal(at(f, f.body.range), f.text);
});
