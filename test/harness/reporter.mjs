// A quiet reporter for `node --test`: one line per test file, failures in full (with what the failing
// file printed), skips counted with their reasons, no ANSI. At the end it writes the counts and the skip
// reasons as JSON to $TEST_SUMMARY_FILE for test/run-all.mjs.
//   node --test --test-reporter=./test/harness/reporter.mjs --test-reporter-destination=stdout …
import fs from 'node:fs';
import path from 'node:path';

import { createRequire } from 'node:module';
const { stripAnsi } = createRequire(import.meta.url)('./ansi.cjs');
const rel = f => (f ? path.relative(process.cwd(), f).replace(/^out\/test\//, '') : '(no file)');

function errorText(err) {
  if (!err) return '';
  // node:test wraps the test's error in an ERR_TEST_FAILURE whose cause is the real one
  const e = err.cause ?? err;
  const head = e?.stack || e?.message || String(e);
  const extra =
    e && typeof e === 'object' && 'actual' in e && 'expected' in e && !/\n\s*[+-] /.test(head)
      ? `\n  actual:   ${JSON.stringify(e.actual)?.slice(0, 400)}\n  expected: ${JSON.stringify(e.expected)?.slice(0, 400)}`
      : '';
  return stripAnsi(head + extra)
    .split('\n')
    .filter(
      l =>
        !/node:internal|node_modules\/|^\s*at (async )?(Test|Suite|TestContext|process\.processTicksAndRejections)/.test(
          l,
        ),
    )
    .slice(0, 30)
    .join('\n');
}

export default async function* quietReporter(source) {
  const files = new Map();
  const fileOf = f => {
    let e = files.get(f);
    if (!e) files.set(f, (e = { pass: 0, fail: 0, skip: 0, todo: 0, ms: 0, out: [] }));
    return e;
  };
  const failures = [];
  const skipReasons = new Map();
  for await (const ev of source) {
    const d = ev.data ?? {};
    if (ev.type === 'test:stdout' || ev.type === 'test:stderr') {
      fileOf(d.file).out.push(stripAnsi(d.message));
      continue;
    }
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    const f = fileOf(d.file);
    const isSuite = d.details?.type === 'suite';
    if (ev.type === 'test:fail') {
      const cause = d.details?.error?.failureType;
      // a suite (or file) that failed only because a test inside it failed is not counted again
      if (cause === 'subtestsFailed') continue;
      f.fail++;
      failures.push({ raw: d.file, file: rel(d.file), name: d.name, error: errorText(d.details?.error) });
      continue;
    }
    if (isSuite) continue;
    if (d.skip !== undefined && d.skip !== false) {
      f.skip++;
      const reason = typeof d.skip === 'string' && d.skip ? d.skip : 'skipped without a reason';
      skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
    } else if (d.todo !== undefined && d.todo !== false) f.todo++;
    else f.pass++;
    if (d.nesting === 0) f.ms += d.details?.duration_ms ?? 0;
  }
  const totals = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for (const [file, e] of [...files].sort((a, b) => rel(a[0]).localeCompare(rel(b[0])))) {
    if (!e.pass && !e.fail && !e.skip && !e.todo) continue;
    for (const k of Object.keys(totals)) totals[k] += e[k];
    const parts = [`${e.pass} passed`];
    if (e.fail) parts.push(`${e.fail} FAILED`);
    if (e.skip) parts.push(`${e.skip} skipped`);
    if (e.todo) parts.push(`${e.todo} todo`);
    yield `  ${e.fail ? '✗' : '✓'} ${rel(file).padEnd(48)} ${parts.join(', ')}${e.ms ? `  (${(e.ms / 1000).toFixed(1)} s)` : ''}\n`;
  }
  for (const f of failures) {
    yield `\n  ✗ FAILED ${f.file} › ${f.name}\n${f.error.replace(/^/gm, '      ')}\n`;
    const out = (files.get(f.raw)?.out ?? []).join('').trim();
    if (out)
      yield `      --- what ${f.file} printed ---\n${out.split('\n').slice(-40).join('\n').replace(/^/gm, '      ')}\n`;
  }
  for (const [reason, n] of skipReasons) yield `  ${n} skipped: ${reason}\n`;
  if (process.env.TEST_SUMMARY_FILE) {
    fs.writeFileSync(
      process.env.TEST_SUMMARY_FILE,
      JSON.stringify({ ...totals, files: files.size, skipReasons: Object.fromEntries(skipReasons) }),
    );
  }
}
