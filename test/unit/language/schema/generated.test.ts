// The committed generator output matches the committed generator. CI does not run Go here: the
// generator's inputs and its output are pinned by hashes in generated-hashes.json. After changing
// tools/schema-gen, re-run it (tools/schema-gen/generate.sh, which reads the api module of every release)
// and update the hashes (node out/test/unit/language/schema/generated.test.js --update).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support';

const root = repoRoot();
const files = [
  'tools/schema-gen/main.go',
  'tools/schema-gen/merge.go',
  'tools/schema-gen/generate.sh',
  'tools/schema-gen/go.mod',
  'tools/schema-gen/go.sum',
  'src/language/schema/jobspec.generated.json',
];
const hashFile = path.join(root, 'test/unit/language/schema/generated-hashes.json');

function hashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    // line endings normalised so a checkout with CRLF does not fail
    const text = fs.readFileSync(path.join(root, f), 'utf8').replace(/\r\n/g, '\n');
    out[f] = crypto.createHash('sha256').update(text).digest('hex');
  }
  return out;
}

if (process.argv.includes('--update')) {
  fs.writeFileSync(hashFile, JSON.stringify(hashes(), null, 2) + '\n');
  console.log('updated', hashFile);
} else {
  void test('generator inputs and output match the recorded hashes', () => {
    const recorded = JSON.parse(fs.readFileSync(hashFile, 'utf8')) as Record<string, string>;
    assert.deepEqual(
      hashes(),
      recorded,
      'tools/schema-gen or jobspec.generated.json changed: re-run the generator and update generated-hashes.json',
    );
  });

  void test('the generated JSON holds every release from the one generate.sh starts at, patches included, oldest first', () => {
    const script = fs.readFileSync(path.join(root, 'tools/schema-gen/generate.sh'), 'utf8');
    const from = /^NOMAD_FROM=\$\{NOMAD_FROM:-([0-9.]+)\}/m.exec(script);
    assert.ok(from, 'generate.sh names the release it starts at');
    const json = JSON.parse(fs.readFileSync(path.join(root, 'src/language/schema/jobspec.generated.json'), 'utf8')) as {
      releases: { version: string; minor: string; tag?: string; commit?: string }[];
    };
    assert.equal(json.releases[0]!.version, from[1]);
    for (const r of json.releases) {
      assert.equal(r.minor, r.version.split('.').slice(0, 2).join('.'));
      assert.equal(r.tag, `v${r.version}`);
      assert.match(r.commit ?? '', /^[0-9a-f]{40}$/);
    }
    // no release skipped: within a minor the patches follow each other; a new minor starts at .0
    for (let i = 1; i < json.releases.length; i++) {
      const [a, b] = [json.releases[i - 1]!.version, json.releases[i]!.version].map(v => v.split('.').map(Number)) as [
        number[],
        number[],
      ];
      const next =
        a[0] === b[0] && a[1] === b[1]
          ? b[2] === a[2]! + 1
          : b[2] === 0 && ((b[0] === a[0] && b[1] === a[1]! + 1) || (b[0] === a[0]! + 1 && b[1] === 0));
      assert.ok(next, `${json.releases[i - 1]!.version} then ${json.releases[i]!.version}`);
    }
  });

  void test('the generator never depends on the main nomad module', () => {
    for (const f of ['tools/schema-gen/go.mod', 'tools/schema-gen/go.sum']) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      assert.doesNotMatch(text, /github\.com\/hashicorp\/nomad (v|$)/m, f);
    }
  });
}
