// The merged schema: which releases have each field (read from the api module at every release tag
// 1.6.5 … 2.0.5, patch releases included, by tools/schema-gen/generate.sh), the schema of one release,
// and version parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attribute,
  childBlock,
  compareVersions,
  generatedSchema,
  memberRange,
  newestRelease,
  parseVersion,
  releaseFor,
  ReleaseGate,
  resolveTarget,
  rootSchema,
  schemaReleases,
  targetInfo,
  versionRules,
  type BlockSchema,
} from '../../../../src/language/schema';

function at(root: BlockSchema, ...names: string[]): BlockSchema | undefined {
  let s: BlockSchema | undefined = root;
  for (const n of names) s = s && childBlock(s, n);
  return s;
}

void test('the releases read: every release tag from 1.6.5 to the newest, patches included, oldest first', () => {
  const releases = schemaReleases();
  const expected = [
    ...[5, 6, 7, 8, 9, 10].map(p => `1.6.${p}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7].map(p => `1.7.${p}`),
    ...[0, 1, 2, 3, 4].map(p => `1.8.${p}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7].map(p => `1.9.${p}`),
    ...[0, 1, 2, 3, 4, 5].map(p => `1.10.${p}`),
    ...[0, 1, 2, 3].map(p => `1.11.${p}`),
    ...[0, 1, 2, 3, 4, 5].map(p => `2.0.${p}`),
  ];
  assert.deepEqual(
    releases.map(r => r.version),
    expected,
  );
  assert.equal(newestRelease().version, '2.0.5');
  // the tag commits, as `git rev-parse v1.6.5^{commit}` … gives them
  const commit = (v: string) => releases.find(r => r.version === v)?.commit;
  assert.equal(commit('1.6.5'), 'a7cfff372cd52b02232a02bd3ffb5e5d35f88a0f');
  assert.equal(commit('1.7.0'), 'e4150e9703f3be6ee2339f0e45ff0801186e022b');
  assert.equal(commit('2.0.5'), '5c8612bba6eb8e44cc3fc434125cb1b13463c309');
});

/** [owner type, member, since, until] as the api structs of each release have them. */
const RANGES: [string, string, string | undefined, string | undefined][] = [
  ['Job', 'ui', '1.8.0', undefined],
  ['Job', 'consul_token', undefined, '1.10.0'],
  ['Job', 'vault_token', undefined, '1.10.0'],
  ['Job', 'group', undefined, undefined],
  ['TaskGroup', 'max_run_duration', '2.0.3', undefined],
  ['TaskGroup', 'disconnect', '1.8.0', undefined],
  ['TaskGroup', 'prevent_reschedule_on_lost', '1.7.2', undefined],
  ['Task', 'action', '1.7.0', undefined],
  ['Task', 'consul', '1.7.0', undefined],
  ['Task', 'schedule', '1.8.0', undefined],
  ['Task', 'secret', '1.11.0', undefined],
  ['Task', 'identity', undefined, undefined],
  ['WorkloadIdentity', 'name', '1.7.0', undefined],
  ['WorkloadIdentity', 'aud', '1.7.0', undefined],
  ['WorkloadIdentity', 'ttl', '1.7.0', undefined],
  ['WorkloadIdentity', 'filepath', '1.9.0', undefined],
  ['WorkloadIdentity', 'extra_claims', '2.0.3', undefined],
  ['WorkloadIdentity', 'env', undefined, undefined],
  ['ServiceCheck', 'failures_before_warning', '1.7.3', undefined],
  ['ServiceCheck', 'notes', '1.8.1', undefined],
  ['ConsulProxy', 'transparent_proxy', '1.8.0', undefined],
  ['NetworkResource', 'cni', '1.8.2', undefined],
  ['Resources', 'secrets', '1.8.3', undefined],
  ['VolumeRequest', 'sticky', '1.10.0', undefined],
  ['Vault', 'role', '1.7.0', undefined],
  ['Vault', 'allow_token_expiration', '1.7.3', undefined],
  ['Vault', 'policies', undefined, undefined],
  ['Service', 'identity', '1.7.0', undefined],
  ['Service', 'kind', '1.10.3', undefined],
  ['Template', 'once', '1.10.2', undefined],
  ['ChangeScript', 'run_on_first_render', '2.0.5', undefined],
];

void test('since / until of the fields that came and went after 1.6.5', () => {
  for (const [owner, name, since, until] of RANGES) {
    const r = memberRange(owner, name);
    assert.ok(r, `${owner}.${name} is in the merged schema`);
    assert.equal(r.since, since, `${owner}.${name} since`);
    assert.equal(r.until, until, `${owner}.${name} until`);
  }
  assert.equal(memberRange('Job', 'no_such_thing'), undefined);
});

void test('deprecations and older shapes come from the api source', () => {
  assert.equal(memberRange('TaskGroup', 'max_client_disconnect')?.deprecatedSince, '1.8.0');
  assert.equal(memberRange('TaskGroup', 'stop_after_client_disconnect')?.deprecatedSince, '1.8.0');
  // one `identity` block (Task.Identity) until 1.7.0, then a list (Task.Identities)
  const identity = generatedSchema().types.Task!.blocks.find(b => b.name === 'identity')!;
  assert.equal(identity.multiple, true);
  assert.deepEqual(
    identity.changes?.filter(c => c.field === 'multiple'),
    [{ until: '1.7.0', field: 'multiple', value: false }],
  );
  assert.deepEqual(
    identity.changes?.filter(c => c.field === 'apiField'),
    [{ until: '1.7.0', field: 'apiField', value: 'Identity' }],
  );
});

void test('every since / until names a release that was read', () => {
  const minors = new Set(schemaReleases().map(r => r.version));
  const bad: string[] = [];
  for (const [id, t] of Object.entries(generatedSchema().types)) {
    for (const m of [...t.attributes, ...t.blocks]) {
      for (const v of [m.since, m.until, m.deprecatedSince, ...(m.changes ?? []).map(c => c.until)]) {
        if (v !== undefined && !minors.has(v)) bad.push(`${id}.${m.name}: ${v}`);
      }
      if (m.since !== undefined && m.until !== undefined)
        assert.ok(compareVersions(m.since, m.until) < 0, `${id}.${m.name}`);
    }
  }
  assert.deepEqual(bad, []);
});

void test('the schema of one release has only what that release has, shaped as it was', () => {
  const old = rootSchema('1.6.5');
  const now = rootSchema();
  assert.equal(at(old, 'job', 'ui'), undefined);
  assert.ok(at(now, 'job', 'ui'));
  assert.equal(at(now, 'job', 'ui')?.since, '1.8.0');
  assert.ok(attribute(at(old, 'job')!, 'consul_token'));
  assert.equal(attribute(at(now, 'job')!, 'consul_token'), undefined);
  assert.equal(at(old, 'job', 'group', 'task', 'action'), undefined);
  assert.equal(at(old, 'job', 'group', 'task', 'identity')?.multiple, false);
  assert.equal(at(rootSchema('1.7.0'), 'job', 'group', 'task', 'identity')?.multiple, true);
  assert.equal(attribute(at(old, 'job', 'group', 'task', 'identity')!, 'name'), undefined);
  assert.ok(attribute(at(now, 'job', 'group', 'task', 'identity')!, 'name'));
  assert.equal(attribute(at(rootSchema('1.9.2'), 'job', 'group')!, 'max_run_duration'), undefined);
  assert.equal(
    attribute(at(rootSchema('2.0.2'), 'job', 'group')!, 'max_run_duration'),
    undefined,
    'a patch release: 2.0.2 has no max_run_duration',
  );
  assert.ok(attribute(at(rootSchema('2.0.3'), 'job', 'group')!, 'max_run_duration'));
  assert.equal(attribute(at(now, 'job', 'group')!, 'max_run_duration')?.since, '2.0.3');
  assert.equal(attribute(at(rootSchema('1.10.1'), 'job', 'group', 'task', 'template')!, 'once'), undefined);
  assert.ok(attribute(at(rootSchema('1.10.2'), 'job', 'group', 'task', 'template')!, 'once'));
  // one schema object per release read; a version between releases gets the release before it
  assert.equal(rootSchema('1.6.5'), old);
  assert.equal(rootSchema('2.0.5'), now);
  assert.equal(rootSchema('2.0.9'), now);
  assert.notEqual(rootSchema('1.6.9'), old);
});

void test('versions: parsing, ordering and the release that serves a version', () => {
  assert.deepEqual(parseVersion('1.6.5'), { major: 1, minor: 6, patch: 5 });
  assert.deepEqual(parseVersion('v1.7.0-beta.1'), { major: 1, minor: 7, patch: 0 });
  assert.deepEqual(parseVersion('1.8.3+ent'), { major: 1, minor: 8, patch: 3 });
  assert.deepEqual(parseVersion('1.9'), { major: 1, minor: 9, patch: 0 });
  for (const bad of ['', 'latest', '1', 'x.y.z', '1.6.5 extra', undefined, null])
    assert.equal(parseVersion(bad), undefined, String(bad));
  assert.ok(compareVersions('1.9', '1.10') < 0);
  assert.ok(compareVersions('2.0', '1.11') > 0);
  assert.equal(compareVersions('1.7.3', '1.7.3'), 0);
  assert.equal(releaseFor('1.6.9').version, '1.6.9');
  assert.equal(releaseFor('2.0.2').version, '2.0.2');
  assert.equal(releaseFor('1.8.3+ent').version, '1.8.3');
  assert.equal(releaseFor('1.5.3').version, '1.6.5', 'older than any release read: the oldest');
  assert.equal(releaseFor('1.12.0').version, '1.11.3', 'no 1.12: the release before it');
  assert.equal(releaseFor('1.7.9').version, '1.7.7', 'no 1.7.9: the release before it');
  assert.equal(releaseFor('3.1.0').version, '2.0.5');
  assert.equal(releaseFor('nonsense').version, '2.0.5');
  assert.equal(releaseFor(undefined).version, '2.0.5');
});

void test('the target: the cluster, else the setting, else nothing (the newest release)', () => {
  assert.deepEqual(resolveTarget('1.6.5', '1.9.0'), { version: '1.6.5', source: 'cluster' });
  assert.deepEqual(resolveTarget(null, 'v1.9'), { version: '1.9.0', source: 'setting' });
  assert.deepEqual(resolveTarget('garbage', '1.8.1'), { version: '1.8.1', source: 'setting' });
  assert.equal(resolveTarget(null, ''), undefined);
  assert.equal(resolveTarget(undefined, 'latest'), undefined);
});

void test('hand-recorded rules name the release that accepts them and the Nomad source read', () => {
  const byId = new Map(versionRules.map(r => [r.id, r]));
  assert.equal(byId.get('memory-max-unlimited')?.acceptedSince, '1.7.3');
  assert.equal(byId.get('vault-policies-required')?.acceptedSince, '1.7.0');
  for (const r of versionRules) assert.match(r.source, /nomad\/structs\/structs\.go/);
});

test('targetInfo: what the language server announces as the target, and the schema release it uses', () => {
  const newest = newestRelease().version;
  assert.deepEqual(targetInfo('1.6.5', '1.9.0'), {
    version: '1.6.5',
    source: 'cluster',
    schemaRelease: '1.6.5',
    newest,
  });
  assert.deepEqual(targetInfo(null, 'v1.9'), { version: '1.9.0', source: 'setting', schemaRelease: '1.9.0', newest });
  // a version no release tag has is described by the newest release read before it
  assert.deepEqual(targetInfo('1.7.99', null), {
    version: '1.7.99',
    source: 'cluster',
    schemaRelease: releaseFor('1.7.99').version,
    newest,
  });
  assert.notEqual(releaseFor('1.7.99').version, '1.7.99');
  assert.deepEqual(targetInfo('not a version', ''), {
    version: newest,
    source: 'default',
    schemaRelease: newest,
    newest,
  });
});

test('ReleaseGate: since is inclusive, until exclusive, minors compare as .0, no target has everything', () => {
  const gate = new ReleaseGate({ version: '1.8.2', source: 'setting' });
  assert.equal(gate.full, '1.8.2');
  assert.ok(gate.has({ since: '1.8.2' }) && gate.has({ since: '1.8' }) && !gate.has({ since: '1.8.3' }));
  assert.ok(gate.has({ until: '1.8.3' }) && !gate.has({ until: '1.8.2' }) && !gate.has({ until: '1.8' }));
  assert.ok(gate.tooOld({ since: '1.9' }) && !gate.tooNew({ since: '1.9' }));
  assert.ok(gate.tooNew({ until: '1.8' }) && !gate.tooOld({ until: '1.8' }));
  const none = new ReleaseGate(undefined);
  assert.equal(none.full, undefined);
  assert.ok(none.has({ since: '9.0', until: '1.0' }));
  assert.equal(new ReleaseGate({ version: 'x', source: 'setting' }, '2.0').full, '2.0.0');
});
