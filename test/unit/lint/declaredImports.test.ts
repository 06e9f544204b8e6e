// Every package a file of the repository imports is declared in package.json (dependencies or
// devDependencies), a Node built-in, or `vscode` (the host provides it): a package that only happens to
// be installed as another package's dependency can disappear with that package's next release. The
// imports are read by TypeScript's own pre-processor (imports, exports, require() and import() calls),
// so a string that merely looks like an import is not one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import ts from 'typescript';
import { root } from '../support';

const FOLDERS = ['src', 'test', 'bench', 'tools', 'scripts'];
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'out', 'dist']);
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function codeFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) codeFiles(p, out);
    } else if (CODE.test(e.name)) out.push(p);
  }
  return out;
}

/** The package a specifier names (`@scope/name` or `name`); undefined for a relative or absolute path. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || (/^[a-z]+:/i.test(spec) && !spec.startsWith('node:')))
    return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The specifiers a source text imports (static and dynamic imports, re-exports, require()). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(f => f.fileName);
}

const builtins = new Set([...builtinModules, ...builtinModules.map(m => `node:${m}`)]);
function undeclared(specs: string[], declared: Set<string>): string[] {
  return specs
    .map(s => packageOf(s))
    .filter((p): p is string => p !== undefined)
    .filter(p => !builtins.has(p) && !p.startsWith('node:') && p !== 'vscode' && !declared.has(p));
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);

test('the import reader finds every form of import, and an undeclared package is reported', () => {
  const probe = [
    "import a from 'left-pad';",
    "import type { B } from '@scope/pkg/deep/path';",
    "export * from 'reexported';",
    "const c = require('required-pkg');",
    "void import('dynamic-pkg');",
    "import fs from 'node:fs';",
    "import p from 'path';",
    "import v from 'vscode';",
    "import l from './local';",
    'const s = \'import x from "not-an-import"\';',
  ].join('\n');
  assert.deepEqual(undeclared(importsOf(probe), new Set(['reexported'])), [
    'left-pad',
    '@scope/pkg',
    'required-pkg',
    'dynamic-pkg',
  ]);
});

test('every package imported by src/, test/, bench/, tools/, scripts/ and the build files is declared in package.json', () => {
  const files = [
    ...FOLDERS.flatMap(d => codeFiles(path.join(root, d))),
    ...['esbuild.mjs', 'eslint.config.mjs'].map(f => path.join(root, f)),
  ];
  assert.ok(files.length > 300, `only ${files.length} files found`);
  const missing = new Map<string, string[]>();
  for (const f of files) {
    for (const p of undeclared(importsOf(fs.readFileSync(f, 'utf8')), declared)) {
      missing.set(p, [...(missing.get(p) ?? []), path.relative(root, f)]);
    }
  }
  assert.deepEqual(
    [...missing].map(([p, fs]) => `${p} (${fs.slice(0, 3).join(', ')}${fs.length > 3 ? ', …' : ''})`),
    [],
  );
});
