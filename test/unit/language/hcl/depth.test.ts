// The nesting limit (issue 15, item 11): 10,000 balanced nested blocks used to give one "missing its
// closing }" per enclosing block and a tree that ended at the limit, so folding stopped near line 201.
// Now: one too-deep diagnostic, the blocks around the deep part close where they do, what follows the
// deep part is parsed, and folding covers the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type Block } from '../../../../src/language/hcl';
import { analyzeText } from '../../../../src/language';
import { foldingRanges } from '../../../../src/language/features/symbols';

function nested(n: number): string {
  let s = 'job "x" {\n';
  for (let i = 0; i < n; i++) s += `a${i} {\n`;
  for (let i = 0; i < n; i++) s += '}\n';
  return `${s}  after = 1\n}\n`;
}

test('10,000 balanced nested blocks: one diagnostic, the outer blocks close, what follows is parsed', () => {
  const text = nested(10_000);
  const file = parse(text);
  assert.deepEqual(
    file.errors.map(e => e.code),
    ['too-deep'],
  );
  const job = file.body.items[0] as Block;
  assert.equal(text.slice(job.range.end - 1, job.range.end), '}');
  assert.equal(job.range.end, text.length - 1, 'the job block ends at its own closing brace');
  assert.ok(
    job.body.items.some(i => i.kind === 'Attribute' && i.name === 'after'),
    'the argument after the deep blocks is parsed',
  );
  const syntax = analyzeText(text).diagnostics.filter(d => d.code === 'too-deep' || d.code === 'missing-close-brace');
  assert.equal(syntax.length, 1);
  const folds = foldingRanges(file);
  const lastLine = text.split('\n').length - 2;
  assert.ok(
    folds.some(f => f.startLine === 0 && f.endLine === lastLine - 1),
    'the job block folds to its end',
  );
  assert.ok(folds.length >= 200);
});

test('an unbalanced deep file still reports its one missing brace after the too-deep error', () => {
  const text = nested(1000).replace(/\}\n$/, '');
  const codes = parse(text)
    .errors.map(e => e.code)
    .sort();
  assert.deepEqual(codes, ['missing-close-brace', 'too-deep']);
});

test('deeply nested expressions: one diagnostic and the next argument survives', () => {
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
    ['{ a = ', ' }'],
    ['-', ''],
  ]) {
    const text = `job "x" {\n  a = ${open.repeat(5000)}1${close.repeat(5000)}\n  b = 2\n}\n`;
    const file = parse(text);
    assert.deepEqual(
      file.errors.map(e => e.code),
      ['too-deep'],
      open,
    );
    const job = file.body.items[0] as Block;
    assert.deepEqual(
      job.body.items.map(i => (i.kind === 'Attribute' ? i.name : i.type)),
      ['a', 'b'],
      open,
    );
  }
});

test('deeply nested JSON: one diagnostic and the next member survives', () => {
  const text = `{"job": {"x": {"a": ${'['.repeat(5000)}"s]"${']'.repeat(5000)}, "b": 2}}, "c": 3}`;
  const file = parse(text);
  assert.equal(file.syntax, 'json');
  assert.equal(file.errors.length, 1);
  assert.match(file.errors[0]!.message, /nested more than \d+ deep/);
  assert.deepEqual(file.body.items.map(i => (i.kind === 'Attribute' ? i.name : i.type)).sort(), ['c', 'job']);
});

test('strings inside the skipped part may hold braces', () => {
  let s = 'job "x" {\n';
  for (let i = 0; i < 300; i++) s += 'a {\n';
  s += '  v = "}}}${x}"\n  h = <<EOT\n}\n}\nEOT\n';
  for (let i = 0; i < 300; i++) s += '}\n';
  s += '  after = 1\n}\n';
  const file = parse(s);
  assert.deepEqual(
    file.errors.map(e => e.code),
    ['too-deep'],
  );
  const job = file.body.items[0] as Block;
  assert.ok(job.body.items.some(i => i.kind === 'Attribute' && i.name === 'after'));
});
