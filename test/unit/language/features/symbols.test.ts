// Document symbols (hierarchical outline) and folding ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { parse } from '../../../../src/language/hcl';
import { documentSymbols, foldingRanges } from '../../../../src/language/features/symbols';
import { SAMPLE } from '../../support';

function tree(syms: DocumentSymbol[], depth = 0): string[] {
  return syms.flatMap(s => [
    `${'  '.repeat(depth)}${s.name} (${s.detail ?? ''})`,
    ...tree(s.children ?? [], depth + 1),
  ]);
}

test('a multi-group job: job → groups → tasks → services → checks, networks, ports, variables, locals', () => {
  const syms = documentSymbols(parse(SAMPLE));
  assert.deepEqual(
    tree(syms),
    [
      'image (variable · Container image of the web task.)',
      'count (variable)',
      'locals (locals)',
      '  name (local)',
      '  labels (local)',
      'shop (job · service)',
      '  web (group · count )'.replace('count )', 'count )'),
      '    network (network)',
      '      http (port · to 8080)',
      '      metrics (port)',
      '    local.name (service · port http)'.replace('local.name', 'service'),
      '      check (check · http)',
      '    nginx (task · docker)',
      '  worker (group)',
      '    run (task · raw_exec)',
    ].map(s => s.replace('group · count )', 'group)')),
  );
  const job = syms.find(s => s.name === 'shop')!;
  assert.equal(job.kind, SymbolKind.Module);
  assert.equal(job.children![0]!.kind, SymbolKind.Namespace);
  assert.equal(job.selectionRange.start.line, 15);
  assert.equal(job.selectionRange.start.character, 4, 'the label');
  assert.equal(job.range.end.line, 72);
});

test('service and check names come from their name attribute', () => {
  const syms = documentSymbols(
    parse(
      'job "a" {\n  group "g" {\n    service {\n      name = "api"\n      check {\n        name = "alive"\n      }\n    }\n  }\n}\n',
    ),
  );
  assert.deepEqual(tree(syms), ['a (job)', '  g (group)', '    api (service)', '      alive (check)']);
});

test('broken files still give an outline', () => {
  const syms = documentSymbols(parse('job "a" {\n  group "g" {\n    task "t" {\n      driver = \n'));
  assert.deepEqual(tree(syms), ['a (job)', '  g (group)', '    t (task)']);
});

test('folding: blocks, heredocs, multi-line lists and objects, comments', () => {
  const text = [
    '# one', // 0
    '# two', // 1
    'job "a" {', // 2
    '  /* block', // 3
    '     comment */', // 4
    '  group "g" {', // 5
    '    task "t" {', // 6
    '      template {', // 7
    '        data = <<EOH', // 8
    'line 1', // 9
    'line 2', // 10
    'EOH', // 11
    '      }', // 12
    '      config {', // 13
    '        args = [', // 14
    '          "a",', // 15
    '          "b",', // 16
    '        ]', // 17
    '      }', // 18
    '    }', // 19
    '  }', // 20
    '}', // 21
    '',
  ].join('\n');
  const ranges = foldingRanges(parse(text)).map(r => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
  assert.deepEqual(
    ranges.sort(),
    [
      `0-1 ${FoldingRangeKind.Comment}`,
      '13-17',
      '14-16',
      '2-20',
      `3-4 ${FoldingRangeKind.Comment}`,
      '5-19',
      '6-18',
      '7-11',
      '8-10',
    ].sort(),
  );
});
