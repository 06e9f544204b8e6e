import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { joinCommandLine, splitCommandLine } from '../../../src/nomad/execArgv';

const ok = (line: string) => {
  const r = splitCommandLine(line);
  assert.ok(r.ok, line);
  return r.argv;
};

describe('exec command line', () => {
  it('splits words on whitespace', () => {
    assert.deepEqual(ok('/bin/sh'), ['/bin/sh']);
    assert.deepEqual(ok('  ls   -la\t/tmp '), ['ls', '-la', '/tmp']);
  });
  it('keeps quoted text together and expands nothing', () => {
    assert.deepEqual(ok(`/bin/sh -c 'echo $HOME; exit 3'`), ['/bin/sh', '-c', 'echo $HOME; exit 3']);
    assert.deepEqual(ok(`echo "a \\"b\\" \\$c" d\\ e ''`), ['echo', 'a "b" $c', 'd e', '']);
    assert.deepEqual(ok(`a"b"'c'`), ['abc']);
  });
  it('refuses unclosed quotes and an empty line', () => {
    assert.equal(splitCommandLine(`echo 'x`).ok, false);
    assert.equal(splitCommandLine(`echo "x`).ok, false);
    assert.equal(splitCommandLine('   ').ok, false);
  });
  it('joins back into a line that splits to the same vector', () => {
    for (const v of [['/bin/sh'], ['/bin/sh', '-c', "it's $x"], ['a b', '', 'c']])
      assert.deepEqual(ok(joinCommandLine(v)), v);
  });
});
