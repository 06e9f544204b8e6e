// What a folder may set: every nomad.* setting has a verdict, the restricted ones are
// declared to VS Code, and the judgement itself (pure) refuses what an untrusted or cloned folder must
// not do: paths outside the folder, restricted values while untrusted, numbers out of range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  confinePath,
  effectiveValue,
  settingDefault,
  SETTING_DEFAULTS,
  SETTING_RULES,
  type SettingContext,
} from '../../../src/shared/settings';
import { read } from '../support';

const pkg = JSON.parse(read('package.json')) as {
  contributes: {
    configuration:
      | { properties: Record<string, { minimum?: number; maximum?: number; enum?: string[] }> }
      | { properties: Record<string, { minimum?: number; maximum?: number; enum?: string[] }> }[];
  };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const conf = pkg.contributes.configuration;
const props = Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map(c => c.properties)) as Record<
  string,
  { minimum?: number; maximum?: number; enum?: string[] }
>;
const restrictedDeclared = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);

test('every nomad.* setting of package.json has a verdict, and every verdict a setting', () => {
  assert.deepEqual(
    Object.keys(SETTING_RULES).sort(),
    Object.keys(props)
      .filter(k => k.startsWith('nomad.'))
      .sort(),
  );
  for (const [k, r] of Object.entries(SETTING_RULES)) assert.ok(r.why.length > 10, `${k} says why`);
});

test('every setting has one default in code, and it is the default package.json declares', () => {
  const declared = Object.keys(props).filter(k => k.startsWith('nomad.'));
  assert.deepEqual(Object.keys(SETTING_DEFAULTS).sort(), declared.sort());
  for (const k of declared) {
    const d = (props[k] as { default?: unknown }).default;
    assert.notEqual(d, undefined, `${k} declares a default in package.json`);
    assert.deepEqual(SETTING_DEFAULTS[k as keyof typeof SETTING_DEFAULTS], d, k);
  }
});

test('a default handed out is a copy: changing it does not change the next one', () => {
  const files = settingDefault('nomad.plan.variableFiles');
  files.push('x.hcl');
  assert.deepEqual(settingDefault('nomad.plan.variableFiles'), []);
  assert.equal(settingDefault('nomad.run.watchTimeoutMinutes'), 15);
});

test('what is restricted in code is restricted for VS Code too (and the other way round)', () => {
  for (const [k, r] of Object.entries(SETTING_RULES)) {
    const restricted = r.verdict.kind === 'restricted' || r.verdict.kind === 'paths' || r.verdict.kind === 'clusters';
    assert.equal(restrictedDeclared.has(k), restricted, `${k}: ${r.verdict.kind}`);
  }
});

test('numbers and enums: the ranges of package.json are the ones enforced', () => {
  for (const [k, r] of Object.entries(SETTING_RULES)) {
    if (r.verdict.kind === 'number') {
      assert.equal(props[k]!.minimum, r.verdict.min, `${k} minimum`);
      assert.equal(props[k]!.maximum, r.verdict.max, `${k} maximum`);
    }
    if (r.verdict.kind === 'enum') assert.deepEqual(props[k]!.enum, [...r.verdict.values], k);
  }
});

function workspace(): { root: string; outside: string; ctx: (trusted: boolean) => SettingContext; done: () => void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nomad-settings-'));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'secret.hcl');
  fs.mkdirSync(path.join(root, 'vars'), { recursive: true });
  fs.writeFileSync(path.join(root, 'vars', 'dev.hcl'), 'x = 1');
  fs.writeFileSync(outside, 'password = "hunter2"');
  fs.symlinkSync(outside, path.join(root, 'vars', 'link-out.hcl'));
  fs.symlinkSync(path.join(root, 'vars', 'dev.hcl'), path.join(root, 'link-in.hcl'));
  fs.symlinkSync(base, path.join(root, 'up'));
  return {
    root,
    outside,
    ctx: trusted => ({ trusted, folders: [root], realpath: p => fs.realpathSync(p) }),
    done: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

test('confinePath: only files inside the folder, by a relative path, symlinks resolved', () => {
  const w = workspace();
  try {
    const ok = (p: string) => {
      const r = confinePath(p, w.ctx(true));
      assert.ok('path' in r, `${p}: ${JSON.stringify(r)}`);
      return (r as { path: string }).path;
    };
    const no = (p: string) => assert.ok('refused' in confinePath(p, w.ctx(true)), p);
    assert.equal(ok('vars/dev.hcl'), fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl')));
    assert.equal(ok('./vars/../vars/dev.hcl'), fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl')));
    assert.equal(
      ok('link-in.hcl'),
      fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl')),
      'a link to a file inside is that file',
    );
    no(w.outside); // absolute
    no('../secret.hcl'); // .. out of the folder
    no('vars/../../secret.hcl');
    no('vars/link-out.hcl'); // a symlink pointing out
    no('up/secret.hcl'); // a symlinked folder pointing out
    no('~/.ssh/id_rsa');
    no('file:///etc/passwd');
    no('C:\\Windows\\win.ini');
    no('vars/missing.hcl');
  } finally {
    w.done();
  }
});

test("plan.variableFiles: an untrusted folder's list is not read at all; a trusted one keeps only its own files", () => {
  const w = workspace();
  try {
    const inspected = {
      defaultValue: [] as string[],
      globalValue: ['/home/me/vars.hcl'],
      workspaceValue: [w.outside, '../secret.hcl', 'vars/dev.hcl'],
    };
    const untrusted = effectiveValue('nomad.plan.variableFiles', inspected, [], w.ctx(false));
    assert.deepEqual(untrusted.value, ['/home/me/vars.hcl'], "the user's own setting, not the folder's");
    assert.equal(untrusted.origin, 'user');
    const trusted = effectiveValue('nomad.plan.variableFiles', inspected, [], w.ctx(true));
    assert.deepEqual(trusted.value, [fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl'))]);
    assert.equal(trusted.refused.length, 2, trusted.refused.join('\n'));
    // a user's absolute path is the user's business
    assert.deepEqual(effectiveValue('nomad.plan.variableFiles', { globalValue: [w.outside] }, [], w.ctx(false)).value, [
      w.outside,
    ]);
  } finally {
    w.done();
  }
});

test('TLS, token and cluster paths from a workspace: confined; untrusted: ignored', () => {
  const w = workspace();
  try {
    for (const key of ['nomad.tls.caCert', 'nomad.tls.clientKey', 'nomad.consul.tokenFile', 'nomad.consul.caPath']) {
      assert.equal(
        effectiveValue(key, { workspaceValue: w.outside }, '', w.ctx(true)).value,
        '',
        `${key}: absolute from the workspace`,
      );
      assert.equal(
        effectiveValue(key, { workspaceValue: 'vars/dev.hcl' }, '', w.ctx(false)).value,
        '',
        `${key}: untrusted`,
      );
      assert.equal(
        effectiveValue(key, { workspaceValue: 'vars/dev.hcl', globalValue: '/etc/ca.pem' }, '', w.ctx(false)).value,
        '/etc/ca.pem',
      );
      assert.equal(
        effectiveValue(key, { workspaceFolderValue: 'vars/dev.hcl' }, '', w.ctx(true)).value,
        fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl')),
      );
    }
    const clusters = [
      { name: 'a', address: 'https://a:4646', caCert: 'vars/dev.hcl' },
      { name: 'b', address: 'https://b:4646', clientKey: w.outside },
      { name: 'c', address: 'http://c', consul: { tokenFile: '../secret.hcl' } },
    ];
    const v = effectiveValue<typeof clusters>('nomad.clusters', { workspaceValue: clusters }, [], w.ctx(true));
    assert.deepEqual(
      v.value.map(c => c.name),
      ['a'],
      'entries naming files outside the folder are dropped whole',
    );
    assert.equal(v.value[0]!.caCert, fs.realpathSync(path.join(w.root, 'vars', 'dev.hcl')));
    assert.deepEqual(
      effectiveValue('nomad.clusters', { workspaceValue: clusters }, [], w.ctx(false)).value,
      [],
      'untrusted: none',
    );
  } finally {
    w.done();
  }
});

test('restricted values (address, skip-verify, plan first, ANSI stripping…) count from a workspace only when trusted', () => {
  const ctx = (trusted: boolean): SettingContext => ({ trusted, folders: [], realpath: p => p });
  for (const [key, value, fallback] of [
    ['nomad.address', 'http://evil:4646', ''],
    ['nomad.tls.skipVerify', true, false],
    ['nomad.run.planFirst', false, true],
    ['nomad.logs.stripAnsi', false, true],
    ['nomad.languageServer.path', '/tmp/x', ''],
    ['nomad.namespace', 'prod', ''],
    ['nomad.validateOnCluster', true, false],
  ] as const) {
    assert.equal(
      effectiveValue<unknown>(key, { workspaceValue: value }, fallback, ctx(false)).value,
      fallback,
      `${key} untrusted`,
    );
    assert.equal(
      effectiveValue<unknown>(key, { workspaceValue: value }, fallback, ctx(true)).value,
      value,
      `${key} trusted`,
    );
    assert.equal(
      effectiveValue<unknown>(key, { globalValue: value }, fallback, ctx(false)).value,
      value,
      `${key} from the user`,
    );
  }
  // free settings are the folder's to choose
  assert.equal(effectiveValue('nomad.targetVersion', { workspaceValue: '1.7.0' }, '', ctx(false)).value, '1.7.0');
});

test('numbers are clamped from anywhere: watchTimeoutMinutes 0 from an untrusted folder is 1, not "stop at once"', () => {
  const ctx: SettingContext = { trusted: false, folders: [], realpath: p => p };
  const t = (v: unknown) =>
    effectiveValue<number>('nomad.run.watchTimeoutMinutes', { defaultValue: 15, workspaceValue: v as number }, 15, ctx)
      .value;
  assert.equal(t(0), 1);
  assert.equal(t(-5), 1);
  assert.equal(t(1e9), 1440);
  assert.equal(t(Number.NaN), 15);
  assert.equal(t('10'), 15, 'not a number: the default');
  assert.equal(t(2.6), 3);
  assert.equal(effectiveValue<number>('nomad.logs.tailLines', { workspaceValue: 1e12 }, 100, ctx).value, 100_000);
  assert.equal(effectiveValue<string>('nomad.logs.stream', { workspaceValue: 'stdin' }, 'both', ctx).value, 'both');
});
