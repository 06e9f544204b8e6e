import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expression } from '../../../../src/language/hcl';
import { textAt, expr, narrow } from '../../support';

/** compact rendering of an expression tree to check structure */
function show(e: Expression): string {
  switch (e.kind) {
    case 'Literal':
      return JSON.stringify(e.value);
    case 'ScopeTraversal':
      return (
        e.root +
        e.steps
          .map(s =>
            s.kind === 'TraverseAttr'
              ? '.' + s.name
              : s.kind === 'TraverseSplat'
                ? s.legacy
                  ? '.*'
                  : '[*]'
                : `[${show(s.key)}]`,
          )
          .join('')
      );
    case 'Binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Unary':
      return `(${e.op}${show(e.operand)})`;
    case 'Conditional':
      return `(${show(e.cond)} ? ${show(e.trueExpr)} : ${show(e.falseExpr)})`;
    case 'Parens':
      return `(${show(e.expr)})`;
    case 'Tuple':
      return `[${e.items.map(show).join(', ')}]`;
    case 'Object':
      return `{${e.items.map(i => `${i.keyName ?? show(i.key)}${i.separator}${show(i.value)}`).join(', ')}}`;
    case 'FunctionCall':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'Template':
    case 'Heredoc':
      return e.literal !== undefined ? JSON.stringify(e.literal) : 'tmpl';
    case 'Index':
      return `${show(e.collection)}[${show(e.key)}]`;
    case 'GetAttr':
      return `${show(e.source)}.${e.name}`;
    case 'Splat':
      return `${show(e.source)}${e.legacy ? '.*' : '[*]'}`;
    default:
      return e.kind;
  }
}

test('literals: numbers with fractions and exponents, booleans, null', () => {
  const cases: [string, unknown][] = [
    ['0', 0],
    ['42', 42],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['1e+2', 100],
    ['true', true],
    ['false', false],
    ['null', null],
    ['-7', -7],
  ];
  for (const [src, v] of cases) {
    const { file, e } = expr(src);
    const lit = narrow(e, 'Literal');
    assert.equal(lit.value, v, src);
    assert.equal(textAt(file, lit.range), src);
  }
});

test('binary operator precedence follows HCL', () => {
  assert.equal(show(expr('a || b && c == d < e + f * g').e), '(a || (b && (c == (d < (e + (f * g))))))');
  assert.equal(show(expr('a * b + c > d != e && f || g').e), '((((((a * b) + c) > d) != e) && f) || g)');
  assert.equal(show(expr('1 - 2 - 3').e), '((1 - 2) - 3)');
  assert.equal(show(expr('a / b % c').e), '((a / b) % c)');
  assert.equal(show(expr('a >= 1 && b <= 2').e), '((a >= 1) && (b <= 2))');
});

test('unary, parentheses and conditionals', () => {
  assert.equal(show(expr('!a && -b > 0').e), '((!a) && ((-b) > 0))');
  assert.equal(show(expr('(a + b) * c').e), '(((a + b)) * c)');
  assert.equal(show(expr('a ? b : c ? d : e').e), '(a ? b : (c ? d : e))');
  const { file, e } = expr('x == 1 ? "one" : "many"');
  const c = narrow(e, 'Conditional');
  assert.equal(textAt(file, c.range), 'x == 1 ? "one" : "many"');
  assert.equal(textAt(file, c.falseExpr.range), '"many"');
  const b = narrow(c.cond, 'Binary');
  assert.equal(textAt(file, b.opRange), '==');
});

test('tuples with trailing comma and newlines', () => {
  const { file, e } = expr('[\n  1,\n  "two",\n  [3],\n]');
  const t = narrow(e, 'Tuple');
  assert.equal(show(t), '[1, "two", [3]]');
  assert.equal(textAt(file, t.items[1].range), '"two"');
  assert.equal(show(expr('[]').e), '[]');
});

test('objects: = and :, comma or newline separators, quoted and computed keys', () => {
  const { file, e } = expr('{\n  a = 1\n  "b": 2, c = 3\n  (k) = 4\n  5 = "five"\n}');
  const o = narrow(e, 'Object');
  assert.equal(show(o), '{a=1, b:2, c=3, (k)=4, 5="five"}');
  assert.equal(o.items[3].keyName, undefined);
  assert.equal(textAt(file, o.items[1].range), '"b": 2');
  assert.equal(textAt(file, o.items[0].key.range), 'a');
  assert.equal(show(expr('{ a = 1, b = 2 }').e), '{a=1, b=2}');
  assert.equal(show(expr('{}').e), '{}');
});

test('function calls, nested, with trailing ... expansion and newlines', () => {
  const { file, e } = expr('format("%s-%s", lower(a), b...)');
  const c = narrow(e, 'FunctionCall');
  assert.equal(show(c), 'format("%s-%s", lower(a), b...)');
  assert.equal(c.expandFinal, true);
  assert.equal(textAt(file, c.nameRange), 'format');
  assert.equal(textAt(file, c.range), 'format("%s-%s", lower(a), b...)');
  assert.equal(show(expr('f(\n  1,\n  2\n)').e), 'f(1, 2)');
  assert.equal(show(expr('f()').e), 'f()');
});

test('traversals: attributes, indexes, splats, legacy index', () => {
  const { file, e } = expr('var.x.y[0]["k"]');
  const t = narrow(e, 'ScopeTraversal');
  assert.equal(show(t), 'var.x.y[0]["k"]');
  assert.equal(textAt(file, t.rootRange), 'var');
  assert.deepEqual(
    t.steps.map(s => textAt(file, s.range)),
    ['.x', '.y', '[0]', '["k"]'],
  );
  assert.equal(textAt(file, t.range), 'var.x.y[0]["k"]');
  assert.equal(show(expr('a[*].b').e), 'a[*].b');
  assert.equal(show(expr('a.*.b').e), 'a.*.b');
  const legacy = narrow(expr('a.0.1').e, 'ScopeTraversal');
  assert.deepEqual(
    legacy.steps.map(s => s.kind === 'TraverseIndex' && s.legacy),
    [true, true],
  );
  assert.equal(show(legacy), 'a[0][1]');
  assert.equal(show(expr('a[b.c]').e), 'a[b.c]');
  assert.equal(show(expr('NOMAD_META_x').e), 'NOMAD_META_x');
  assert.equal(show(expr('my-var.attr').e), 'my-var.attr');
});

test('postfix on non-variables: Index, GetAttr, Splat', () => {
  assert.equal(show(expr('f(x)[0]').e), 'f(x)[0]');
  assert.equal(show(expr('f(x).id').e), 'f(x).id');
  assert.equal(show(expr('[1, 2][*]').e), '[1, 2][*]');
  const { file, e } = expr('(a).b');
  const g = narrow(e, 'GetAttr');
  assert.equal(textAt(file, g.nameRange), 'b');
  assert.equal(textAt(file, g.range), '(a).b');
});

test('for expressions: tuple and object forms, conditions, grouping', () => {
  const { file, e } = expr('[for k, v in var.m : upper(v) if k != "x"]');
  const f = narrow(e, 'For');
  assert.equal(f.isObject, false);
  assert.equal(f.keyVar?.name, 'k');
  assert.equal(f.valueVar.name, 'v');
  assert.equal(textAt(file, f.valueVar.range), 'v');
  assert.equal(show(f.collection), 'var.m');
  assert.equal(show(f.valueExpr), 'upper(v)');
  assert.equal(show(f.cond!), '(k != "x")');
  assert.equal(textAt(file, f.range), '[for k, v in var.m : upper(v) if k != "x"]');
  const o = narrow(expr('{for s in var.list : s.name => s...}').e, 'For');
  assert.equal(o.isObject, true);
  assert.equal(o.keyVar, undefined);
  assert.equal(show(o.keyExpr!), 's.name');
  assert.equal(o.grouping, true);
  const ml = narrow(expr('{\n  for k, v in m :\n  k => v\n}').e, 'For');
  assert.equal(show(ml.valueExpr), 'v');
  // `for` as an ordinary name is not a for expression
  assert.equal(show(expr('[for]').e), '[for]');
  assert.equal(show(expr('{ for = 1 }').e), '{for=1}');
});
