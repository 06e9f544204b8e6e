// Definition, references, rename and reference-count lenses for variables and locals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type Range } from '../../../../src/language/hcl';
import {
  definitionAt,
  prepareRenameAt,
  referenceLenses,
  referencesAt,
  renameAt,
} from '../../../../src/language/features/references';
import { applyTextEdits } from '../../../../src/language/features/codeActions';
import { SAMPLE } from '../../support';

const file = parse(SAMPLE);
const text = (r: Range | undefined): string | undefined => (r ? SAMPLE.slice(r.start, r.end) : undefined);
const nth = (needle: string, n = 0): number => {
  let i = -1;
  for (let k = 0; k <= n; k++) i = SAMPLE.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not found`);
  return i;
};

test('definition: var.x → the variable label, local.x → the locals attribute', () => {
  const d = definitionAt(file, nth('var.image') + 6)!;
  assert.equal(text(d), 'image');
  assert.equal(d.start, nth('variable "image"') + 10);
  const l = definitionAt(file, nth('local.name') + 7)!;
  assert.equal(text(l), 'name');
  assert.equal(d.start < l.start, true);
  const inTemplate = definitionAt(file, nth('${var.count}') + 8)!;
  assert.equal(inTemplate.start, nth('variable "count"') + 10);
  assert.equal(definitionAt(file, nth('datacenters')), undefined);
});

test('references: from a use and from the declaration, with or without the declaration', () => {
  const fromUse = referencesAt(file, nth('var.count') + 5, false);
  assert.deepEqual(fromUse.map(text), ['count', 'count']);
  const fromDecl = referencesAt(file, nth('variable "count"') + 11, true);
  assert.equal(fromDecl.length, 3);
  assert.equal(fromDecl[0]!.start, nth('variable "count"') + 10);
  assert.deepEqual(referencesAt(file, nth('labels = {') + 1, false), []);
});

test('rename a variable and a local everywhere; bad and taken names are refused', () => {
  const off = nth('var.count') + 5;
  assert.deepEqual(prepareRenameAt(file, off)?.placeholder, 'count');
  const renamed = applyTextEdits(SAMPLE, renameAt(file, off, 'replicas'));
  assert.ok(renamed.includes('variable "replicas"'));
  assert.ok(renamed.includes('count = var.replicas'));
  assert.ok(renamed.includes('web-${var.replicas}'));
  assert.ok(!renamed.includes('var.count'));
  const loc = applyTextEdits(SAMPLE, renameAt(file, nth('local.name') + 7, 'service_name'));
  assert.match(loc, /\n  service_name +\= "web-/);
  assert.ok(loc.includes('name = local.service_name'));
  assert.throws(() => renameAt(file, off, '1abc'), /not a valid name/);
  assert.throws(() => renameAt(file, off, 'image'), /already exists/);
  assert.equal(prepareRenameAt(file, nth('datacenters')), undefined);
});

test('code lenses: reference counts on variables and locals with a plain-JSON command', () => {
  const lenses = referenceLenses(file, 'file:///x.nomad');
  assert.deepEqual(
    lenses.map(l => `${l.range.start.line}:${l.command!.title}`),
    ['0:1 reference', '6:2 references', '11:1 reference', '12:0 references'],
  );
  const cmd = lenses[1]!.command!;
  assert.equal(cmd.command, 'nomad.showReferences');
  const [uri, pos, locs] = cmd.arguments as [
    string,
    { line: number; character: number },
    { uri: string; range: unknown }[],
  ];
  assert.equal(uri, 'file:///x.nomad');
  assert.deepEqual(pos, { line: 6, character: 10 });
  assert.equal(locs.length, 2);
  assert.doesNotThrow(() => JSON.stringify(cmd));
});
