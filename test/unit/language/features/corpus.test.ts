// The shared corpus (read from ../shared/corpus, never copied): completion at ~20 positions per file on a
// sample never throws and offers names inside known blocks; formatting is idempotent on every valid
// file and keeps the meaning: decodeJob gives the same Job before and after (files the decoder cannot
// decode fully are compared on the syntax tree's shape).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, walk, type Body, type HclFile, type Range } from '../../../../src/language/hcl';
import { decodeJob } from '../../../../src/language/decode/decoder';
import { completeAt, signatureHelpAt } from '../../../../src/language/features/completion';
import { hoverAt } from '../../../../src/language/features/hover';
import { documentSymbols, foldingRanges } from '../../../../src/language/features/symbols';
import { semanticTokens } from '../../../../src/language/features/semanticTokens';
import { formatDocument, syntaxShape } from '../../../../src/language/features/format';
import { blockPath, schemaRootFor } from '../../../../src/language/features/context';
import { detectKind } from '../../../../src/language';
import { mulberry32 as rng, validCorpus, validCorpusDir } from '../../support';

test('completion, hover and the other features at random positions of corpus files never throw', t => {
  const files = validCorpus();
  if (!files) {
    t.skip(`corpus not found at ${validCorpusDir}`);
    return;
  }
  const random = rng(42);
  const sample = files.filter((_, i) => i % 3 === 0);
  let positions = 0;
  let insideBlocks = 0;
  const empty: string[] = [];
  for (const f of sample) {
    const file = parse(f.text);
    const root = schemaRootFor(detectKind(file, f.name), file);
    documentSymbols(file);
    foldingRanges(file);
    semanticTokens(file, root);
    for (let k = 0; k < 20; k++) {
      const offset = Math.floor(random() * (f.text.length + 1));
      positions++;
      assert.doesNotThrow(() => {
        completeAt(file, offset, root);
        hoverAt(file, offset, root);
        signatureHelpAt(file, offset, root);
      }, `${f.name} @ ${offset}`);
    }
    // a new line at the start of each job/group/task body must offer names
    if (file.syntax !== 'hcl' || file.errors.length > 0) continue;
    const bodies: number[] = [];
    const visit = (body: Body, depth: number): void => {
      for (const i of body.items) {
        if (i.kind !== 'Block' || depth > 3) continue;
        if (['job', 'group', 'task'].includes(i.type) && i.openBrace) bodies.push(i.openBrace.end);
        visit(i.body, depth + 1);
      }
    };
    visit(file.body, 0);
    for (const at of bodies.slice(0, 6)) {
      const text = `${f.text.slice(0, at)}\n${f.text.slice(at)}`;
      const edited = parse(text);
      const items = completeAt(edited, at + 1, root).items;
      const frames = blockPath(edited, at + 1, root);
      insideBlocks++;
      if (items.length === 0) empty.push(`${f.name} @ ${at} in ${frames.map(x => x.type).join('>')}`);
    }
  }
  assert.ok(positions >= 1000, `${positions} positions`);
  assert.ok(insideBlocks > 100, `${insideBlocks} block positions`);
  assert.deepEqual(empty, []);
});

test('formatting is idempotent and meaning-preserving on every valid corpus file', t => {
  const files = validCorpus();
  if (!files) {
    t.skip(`corpus not found at ${validCorpusDir}`);
    return;
  }
  let formatted = 0;
  let decoded = 0;
  const failures: string[] = [];
  for (const f of files) {
    const file = parse(f.text);
    if (file.syntax !== 'hcl') continue; // JSON jobs are not formatted
    const r = formatDocument(f.text, file);
    if (r.text === undefined) {
      failures.push(`${f.name}: refused (${r.refused ?? ''})`);
      continue;
    }
    formatted++;
    const again = formatDocument(r.text);
    if (again.text !== r.text) failures.push(`${f.name}: not idempotent`);
    const after = parse(r.text);
    const before = decodeJob(file);
    if (before.job && before.errors.length === 0) {
      decoded++;
      const b = decodeJob(after);
      if (JSON.stringify(b.job) !== JSON.stringify(before.job)) failures.push(`${f.name}: decoded job differs`);
    } else if (syntaxShape(after) !== syntaxShape(file)) failures.push(`${f.name}: syntax shape differs`);
    if (hasTrailingWhitespaceOutsideHeredocs(after)) failures.push(`${f.name}: trailing whitespace`);
    // line breaks stay as they are (nomad fmt: byte-identity is checked in test/unit/language/parity.test.ts)
    if (r.text.split(/\r\n|\n|\r/).length !== f.text.split(/\r\n|\n|\r/).length)
      failures.push(`${f.name}: line breaks changed`);
  }
  assert.deepEqual(failures, []);
  assert.ok(formatted > 300, `${formatted} files formatted`);
  assert.ok(decoded > 100, `${decoded} files compared on the decoded job`);
});

function hasTrailingWhitespaceOutsideHeredocs(file: HclFile): boolean {
  const heredocs: Range[] = [];
  walk(file.body, {
    enter: n => {
      if (n.kind === 'Heredoc') heredocs.push({ start: n.contentRange.start, end: n.range.end });
    },
  });
  // comments keep their trailing spaces, as do the heredoc markers and the very end of the file (as nomad fmt)
  for (const c of file.comments) heredocs.push(c.range);
  const re = /[ \t]+$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(file.text))) {
    const at = m.index;
    if (at + m[0].length === file.text.length) continue;
    if (!heredocs.some(h => h.start <= at && at <= h.end)) return true;
  }
  return false;
}
