import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse, positionAt } from '../../../../src/language/hcl';
import { corpusSubdir } from '../../support';

const valid = corpusSubdir('valid');
const invalid = corpusSubdir('invalid');

// Invalid-corpus files whose mistake is a syntax error (the others are schema errors that a valid
// HCL2 parse must not flag). None of the current fixtures is broken at the syntax level.
const SYNTAX_BROKEN = new Set<string>([]);

test(
  'every valid corpus file parses with zero syntax errors',
  { skip: valid ? false : 'corpus ../shared/corpus/valid not found' },
  () => {
    const files = fs.readdirSync(valid!).sort();
    assert.ok(files.length > 0);
    const failures: string[] = [];
    for (const name of files) {
      const text = fs.readFileSync(path.join(valid!, name), 'utf8');
      const f = parse(text);
      for (const e of f.errors) {
        const p = positionAt(f, e.range.start);
        failures.push(`${name}:${p.line + 1}:${p.character + 1} ${e.code} ${e.message}`);
      }
      assert.ok(f.body.items.length > 0, `${name} has items`);
    }
    assert.deepEqual(failures, []);
  },
);

test(
  'invalid corpus files: syntax errors only where the syntax is broken',
  { skip: invalid ? false : 'corpus ../shared/corpus/invalid not found' },
  () => {
    for (const name of fs.readdirSync(invalid!).sort()) {
      const f = parse(fs.readFileSync(path.join(invalid!, name), 'utf8'));
      if (SYNTAX_BROKEN.has(name)) assert.ok(f.errors.length > 0, `${name} should have a syntax error`);
      else
        assert.deepEqual(
          f.errors.map(e => e.message),
          [],
          `${name} has schema errors only`,
        );
    }
  },
);

test(
  'a corpus job with a deleted closing brace: one error, later blocks still parsed',
  { skip: valid ? false : 'corpus not found' },
  () => {
    // take the first valid job with several groups, remove the closing brace of its first task
    for (const name of fs.readdirSync(valid!).sort()) {
      const text = fs.readFileSync(path.join(valid!, name), 'utf8');
      const f = parse(text);
      const job = f.body.items.find(i => i.kind === 'Block' && i.type === 'job');
      if (!job || job.kind !== 'Block') continue;
      const groups = job.body.items.filter(i => i.kind === 'Block' && i.type === 'group');
      if (groups.length < 2 || groups[0].kind !== 'Block') continue;
      const task = groups[0].body.items.find(i => i.kind === 'Block' && i.type === 'task');
      if (!task || task.kind !== 'Block' || !task.closeBrace) continue;
      const broken = text.slice(0, task.closeBrace.start) + text.slice(task.closeBrace.end);
      const g = parse(broken);
      assert.deepEqual(
        g.errors.map(e => e.code),
        ['missing-close-brace'],
        name,
      );
      const job2 = g.body.items.find(i => i.kind === 'Block' && i.type === 'job');
      assert.ok(job2 && job2.kind === 'Block');
      const groups2 = job2.body.items.filter(i => i.kind === 'Block' && i.type === 'group');
      assert.equal(groups2.length, groups.length, name);
      return;
    }
    assert.fail('no suitable corpus job found');
  },
);
