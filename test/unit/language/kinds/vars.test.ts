// Variables files: names checked against the `variable` blocks of the job files next to them (read from a
// temporary folder as the language server does), values against the declared types, completion of the
// declared names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeText } from '../../../../src/language';
import { parse } from '../../../../src/language/hcl';
import { completeVarsFile, hoverVarsFile } from '../../../../src/language/kinds/varsFeatures';
import {
  collectDeclarations,
  makeVarsContext,
  typeFromExpression,
  typeToString,
  valueTypeProblem,
} from '../../../../src/language/kinds';
import { FolderVariables } from '../../../../src/server/folderVariables';

const JOB = `
variable "image" {
  type        = string
  description = "Docker image of the API"
}
variable "count" {
  type    = number
  default = 1
}
variable "ports" {
  type = list(number)
}
variable "labels" {
  type = map(string)
}
variable "db" {
  type = object({ host = string, port = optional(number) })
}
variable "anything" {}
job "api" {
  group "g" {
    count = var.count
    task "t" {
      driver = "docker"
      config { image = var.image }
    }
  }
}
`;

function tempFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-vars-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const uri = (dir: string, name: string): string => pathToFileURL(path.join(dir, name)).toString();

void test('undeclared names (with "did you mean") and type mismatches are warnings', t => {
  const dir = tempFolder({
    'api.nomad.hcl': JOB,
    'other.nomad': 'variable "other_only" {}\njob "o" {}\n',
    'notes.hcl': 'x = 1\n',
  });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const varsText =
    'imgae = "nginx"\ncount = "three"\nports = [80, "x"]\nlabels = { a = "b" }\ndb = { host = "h" }\nanything = [1, { a = 2 }]\nother_only = 1\n';
  const folder = new FolderVariables(() => []);
  const vars = folder.contextFor(uri(dir, 'api.vars.hcl'));
  assert.ok(vars);
  assert.deepEqual(vars.sources, [uri(dir, 'api.nomad.hcl')]); // the job file named like the variables file
  const a = analyzeText(varsText, { fileName: uri(dir, 'api.vars.hcl'), vars });
  assert.equal(a.kind, 'vars');
  assert.deepEqual(
    a.diagnostics.map(d => `${d.range.start.line + 1} ${d.severity} ${String(d.code)}`),
    ['1 2 undeclared-variable', '2 2 variable-type', '3 2 variable-type', '7 2 undeclared-variable'],
  );
  assert.match(a.diagnostics[0]!.message, /Did you mean "image"\?/);
  assert.match(
    a.diagnostics[1]!.message,
    /declared as number in api\.nomad\.hcl: expected a number, found the string "three"/,
  );
});

void test('without a job file named like it, every job file of the folder counts', t => {
  const dir = tempFolder({
    'api.nomad.hcl': JOB,
    'worker.nomad': 'variable "queue" { type = string }\njob "w" {}\n',
    'agent.hcl': 'data_dir = "/d"\n',
  });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const folder = new FolderVariables(() => []);
  const vars = folder.contextFor(uri(dir, 'prod.vars.hcl'));
  assert.ok(vars);
  assert.equal(vars.sources.length, 2);
  const a = analyzeText('queue = "jobs"\nimage = "x"\nnope = 1\n', { fileName: 'prod.vars.hcl', vars });
  assert.deepEqual(
    a.diagnostics.map(d => String(d.code)),
    ['undeclared-variable'],
  );
});

void test('open documents win over the disk, and the disk cache follows mtime', t => {
  const dir = tempFolder({ 'api.nomad.hcl': 'variable "a" {}\njob "x" {}\n' });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let open: { uri: string; file: ReturnType<typeof parse> }[] = [];
  const folder = new FolderVariables(() => open);
  const u = uri(dir, 'api.vars.hcl');
  assert.deepEqual([...folder.contextFor(u)!.variables.keys()], ['a']);
  open = [{ uri: uri(dir, 'api.nomad.hcl'), file: parse('variable "b" {}\njob "x" {}\n') }];
  assert.deepEqual([...folder.contextFor(u)!.variables.keys()], ['b']);
  open = [];
  const p = path.join(dir, 'api.nomad.hcl');
  fs.writeFileSync(p, 'variable "c" {}\nvariable "d" {}\njob "x" {}\n');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(p, later, later);
  assert.deepEqual([...folder.contextFor(u)!.variables.keys()], ['c', 'd']);
  // no job file at all: nothing known, names are not flagged
  const empty = tempFolder({});
  t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
  assert.equal(folder.contextFor(uri(empty, 'x.vars.hcl')), undefined);
  assert.deepEqual(analyzeText('whatever = 1\n', { fileName: 'x.vars.hcl' }).diagnostics, []);
});

void test('a variables file holds constant arguments only', () => {
  const a = analyzeText('a = var.b\nb = upper("x")\njob "x" {}\n', { kind: 'vars' });
  assert.deepEqual(
    a.diagnostics.map(d => String(d.code)),
    ['invalid-value', 'invalid-value', 'block-in-vars-file'],
  );
});

void test('type constraints and HCL2 conversions', () => {
  const t = (src: string): ReturnType<typeof typeFromExpression> => {
    const f = parse(`x = ${src}\n`);
    const item = f.body.items[0]!;
    return typeFromExpression(item.kind === 'Attribute' ? item.expr : (undefined as never));
  };
  const v = (src: string) => {
    const f = parse(`x = ${src}\n`);
    const i = f.body.items[0]!;
    return i.kind === 'Attribute' ? i.expr : (undefined as never);
  };
  assert.equal(typeToString(t('list(map(string))')), 'list(map(string))');
  assert.equal(
    typeToString(t('object({ a = string, b = optional(number) })')),
    'object({a = string, b = optional(number)})',
  );
  assert.equal(valueTypeProblem(v('5'), t('string')), undefined);
  assert.equal(valueTypeProblem(v('"5"'), t('number')), undefined);
  assert.equal(valueTypeProblem(v('"true"'), t('bool')), undefined);
  assert.equal(valueTypeProblem(v('null'), t('number')), undefined);
  assert.match(valueTypeProblem(v('[1]'), t('string'))!, /expected a string/);
  assert.match(valueTypeProblem(v('{ b = 1 }'), t('object({ a = string })'))!, /"a" is required/);
  assert.match(valueTypeProblem(v('[1, 2]'), t('tuple([number])'))!, /expected 1 elements/);
});

void test('completion and hover offer the declared names', () => {
  const vars = makeVarsContext([
    { source: 'file:///w/api.nomad.hcl', declarations: collectDeclarations(parse(JOB), 'file:///w/api.nomad.hcl') },
  ]);
  const text = 'image = "x"\nco';
  const file = parse(text);
  const list = completeVarsFile(file, text.length, vars);
  const labels = list.items.map(i => i.label);
  assert.deepEqual(labels.sort(), ['anything', 'count', 'db', 'image', 'labels', 'ports']);
  const count = list.items.find(i => i.label === 'count')!;
  assert.deepEqual(count.textEdit && 'range' in count.textEdit ? count.textEdit.newText : '', 'count = ${1:0}');
  assert.ok(list.items.find(i => i.label === 'image')!.sortText!.startsWith('1')); // already set: sorted last
  assert.deepEqual(completeVarsFile(file, 9, vars).items, []); // inside a value
  const h = hoverVarsFile(file, 2, vars);
  assert.match(
    (h?.contents as { value: string }).value,
    /variable "image"[^]*Docker image of the API[^]*api\\\.nomad\\\.hcl/,
  );
});
