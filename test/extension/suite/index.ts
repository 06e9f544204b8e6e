// Entry point loaded by VS Code's extension host (extensionTestsPath): runs every *.test.js beside it
// with mocha and writes a JSON summary to TEST_RESULTS_FILE for test/run-all.mjs.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false });
  const only = process.env.EXT_TEST_GREP;
  if (only) {
    mocha.grep(only);
    if (process.env.EXT_TEST_GREP_INVERT) mocha.invert();
  }
  for (const f of fs
    .readdirSync(__dirname)
    .filter(f => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  const records: TestRecord[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      const out = process.env.TEST_RESULTS_FILE;
      const passes = records.filter(r => r.state === 'passed').length;
      const pending = records.filter(r => r.state === 'pending').length;
      if (out) fs.writeFileSync(out, JSON.stringify({ passes, failures, pending, tests: records }, null, 2));
      for (const r of records)
        console.log(
          `${r.state.padEnd(7)} ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}${r.error ? ' -- ' + r.error : ''}`,
        );
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', t => records.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) =>
      records.push({
        title: t.fullTitle(),
        state: 'failed',
        error: (err.stack ?? err.message)
          .split('\n')
          .filter(l => !/node_modules|node:internal/.test(l))
          .slice(0, 12)
          .join('\n'),
      }),
    );
    runner.on('pending', t => records.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
