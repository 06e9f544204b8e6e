// The double's ACL rules for variables (test/double/acl.ts), checked against what Nomad 1.6.5's acl package
// does: an exact path rule wins over globs, the closest glob wins among globs, "read" brings "list",
// "deny" alone replaces a rule, rules for one path add up across policies, a namespace policy grants no
// variable capability, and a policy with an unknown capability is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AclDouble, globMatch, parsePolicy, type ParsedPolicy } from '../../double/acl';

function policy(rules: string): ParsedPolicy {
  const p = parsePolicy(rules);
  assert.ok(!('error' in p), JSON.stringify(p));
  return p;
}

const acl = new AclDouble(() => 'management');
const who = (...rules: string[]) => ({
  management: false as const,
  token: {
    AccessorID: 'a',
    SecretID: 's',
    Name: 'n',
    Type: 'client' as const,
    Policies: [],
    CreateTime: '',
    CreateIndex: 1,
    ModifyIndex: 1,
  },
  policies: rules.map(policy),
});

describe('double: ACL rules for variables', () => {
  it('go-glob: * stands for any run of characters, slashes included', () => {
    assert.ok(globMatch('app/*', 'app/db'));
    assert.ok(globMatch('app/*', 'app/a/b'));
    assert.ok(globMatch('*', 'anything/at/all'));
    assert.ok(globMatch('a*/*c', 'ab/xc'));
    assert.ok(!globMatch('app/*', 'apps/db'));
    assert.ok(!globMatch('app/db', 'app/db2'));
  });

  it('read brings list; write is not implied', () => {
    const id = who('namespace "default" {\n variables {\n path "app/*" { capabilities = ["read"] }\n }\n}');
    assert.ok(acl.allowVariable(id, 'default', 'app/db', 'read'));
    assert.ok(acl.allowVariable(id, 'default', 'app/db', 'list'));
    assert.ok(!acl.allowVariable(id, 'default', 'app/db', 'write'));
    assert.ok(!acl.allowVariable(id, 'default', 'app/db', 'destroy'));
    assert.ok(!acl.allowVariable(id, 'default', 'team/x', 'read'), 'outside the rule');
    assert.ok(!acl.allowVariable(id, 'other', 'app/db', 'read'), 'another namespace');
  });

  it('an exact rule wins over a glob, the closest glob over a wider one', () => {
    const id = who(`namespace "default" {
  variables {
    path "*" { capabilities = ["write", "read"] }
    path "app/*" { capabilities = ["read"] }
    path "app/open" { capabilities = ["write"] }
  }
}`);
    assert.ok(acl.allowVariable(id, 'default', 'team/x', 'write'), '"*" applies where nothing closer does');
    assert.ok(!acl.allowVariable(id, 'default', 'app/db', 'write'), '"app/*" is closer than "*"');
    assert.ok(acl.allowVariable(id, 'default', 'app/open', 'write'));
    assert.ok(!acl.allowVariable(id, 'default', 'app/open', 'read'), 'the exact rule alone counts');
  });

  it('deny replaces its rule; the same path in two policies adds up', () => {
    const denied = who('namespace "default" {\n variables {\n path "app/*" { capabilities = ["read", "deny"] }\n }\n}');
    assert.ok(!acl.allowVariable(denied, 'default', 'app/db', 'read'));
    const two = who(
      'namespace "default" {\n variables {\n path "app/*" { capabilities = ["read"] }\n }\n}',
      'namespace "default" {\n variables {\n path "app/*" { capabilities = ["write"] }\n }\n}',
    );
    assert.ok(acl.allowVariable(two, 'default', 'app/db', 'read'));
    assert.ok(acl.allowVariable(two, 'default', 'app/db', 'write'));
  });

  it('a namespace policy grants jobs, not variables; the management token may do anything', () => {
    const id = who('namespace "default" {\n policy = "write"\n}');
    assert.ok(!acl.allowVariable(id, 'default', 'app/db', 'read'));
    assert.ok(acl.allowRequest(id, 'POST', '/v1/jobs', 'default'));
    assert.ok(!acl.allowRequest(id, 'GET', '/v1/nodes', 'default'), 'no node rule');
    assert.ok(acl.allowVariable({ management: true }, 'any', 'thing', 'destroy'));
  });

  it('refuses an unknown capability and a variables block without paths', () => {
    assert.match(
      JSON.stringify(parsePolicy('namespace "default" {\n variables {\n path "x" { capabilities = ["fly"] }\n }\n}')),
      /Invalid variable capability 'fly' in namespace default/,
    );
    assert.match(
      JSON.stringify(parsePolicy('namespace "default" {\n variables {\n }\n}')),
      /no variable paths in namespace default/,
    );
  });
});
