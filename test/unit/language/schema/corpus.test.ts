// Every block and attribute used by the valid corpus job files is known to the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  attribute,
  childBlock,
  driverConfigSchema,
  rootSchema,
  type BlockSchema,
} from '../../../../src/language/schema';
import { readHcl, stringValue, type MiniBlock } from './mini-hcl';
import { repoRoot } from '../../support';

const corpus = path.join(repoRoot(), '..', 'shared', 'corpus');
const validDir = path.join(corpus, 'valid');
const hasCorpus = fs.existsSync(validDir);

function check(block: MiniBlock, schema: BlockSchema, where: string, problems: string[]): void {
  if (schema.open) return;
  for (const [name, a] of block.attrs) {
    if (attribute(schema, name)) continue;
    const asBlock = schema.blocks.get(name);
    if (asBlock?.attrSyntax) continue;
    problems.push(`${where}:${a.line}: unknown attribute ${name} in ${schema.name || 'file'} (${schema.id})`);
  }
  for (const b of block.blocks) {
    if (b.type === 'dynamic') {
      const target = b.labels[0] ? childBlock(schema, b.labels[0]) : undefined;
      if (!target) {
        problems.push(`${where}:${b.line}: dynamic block of unknown type ${b.labels[0]}`);
        continue;
      }
      const content = b.blocks.find(c => c.type === 'content');
      if (content) check(content, target, where, problems);
      continue;
    }
    let child = childBlock(schema, b.type);
    if (!child) {
      problems.push(`${where}:${b.line}: unknown block ${b.type} in ${schema.name || 'file'} (${schema.id})`);
      continue;
    }
    if (child.driverConfig) {
      const driver = stringValue(block.attrs.get('driver')?.text);
      child = driverConfigSchema(driver ?? 'unknown-driver');
    }
    if (b.labels.length !== child.labels.length) {
      problems.push(
        `${where}:${b.line}: ${b.type} has ${b.labels.length} labels, schema expects ${child.labels.length}`,
      );
    }
    check(b, child, where, problems);
  }
}

void test('the corpus is available', { skip: hasCorpus ? false : `corpus not found at ${validDir}` }, () => {
  assert.ok(fs.readdirSync(validDir).length > 0);
});

void test(
  'schema knows every block and attribute of the valid corpus',
  { skip: hasCorpus ? false : 'corpus absent' },
  () => {
    const problems: string[] = [];
    let files = 0;
    for (const f of fs.readdirSync(validDir).sort()) {
      const src = fs.readFileSync(path.join(validDir, f), 'utf8');
      let tree: MiniBlock;
      try {
        tree = readHcl(src);
      } catch (e) {
        problems.push(`${f}: mini reader failed: ${(e as Error).message}`);
        continue;
      }
      files++;
      check(tree, rootSchema(), f, problems);
    }
    assert.ok(files > 300, `read ${files} corpus files`);
    assert.deepEqual(problems, []);
  },
);

void test(
  'known mistakes in the invalid corpus are caught by schema lookups',
  { skip: hasCorpus ? false : 'corpus absent' },
  () => {
    // Files whose error is an unknown name or a wrong label count: the same walk must find something.
    const dir = path.join(corpus, 'invalid');
    const expectFound = [
      'basic_wrong_key',
      'bad-artifact',
      'tg-scaling-policy-with-label',
      'task-scaling-policy-missing-name',
      'multi-network',
      'bad-ports',
    ];
    for (const f of fs.readdirSync(dir)) {
      if (!expectFound.some(k => f.endsWith(`__${k}.hcl`))) continue;
      const problems: string[] = [];
      try {
        check(readHcl(fs.readFileSync(path.join(dir, f), 'utf8')), rootSchema(), f, problems);
      } catch {
        continue; // a syntax error: also a finding, but not the schema's business
      }
      assert.ok(problems.length > 0, `${f}: expected a schema finding`);
    }
  },
);
