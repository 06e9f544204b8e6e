// Open in Nomad/Consul UI: a cluster string is one path segment and stays one. VS Code's Uri
// decodes %2F before opening, browsers resolve "."/".." (encoded too) and read "\" as "/": such names
// get no link at all rather than one that leaves /ui/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segment, uiLink } from '../../../src/nomad/uiLinks';
import { consulUiUrl } from '../../../src/consul/client';

test('ordinary names: each segment encoded, the route kept', () => {
  assert.equal(
    uiLink('http://127.0.0.1:4646', ['ui', 'jobs', segment('web api@default'), segment('g:1')]),
    'http://127.0.0.1:4646/ui/jobs/web%20api%40default/g%3A1',
  );
  assert.equal(
    uiLink('https://h/nomad/', ['ui', 'allocations', segment('0b1c')]),
    'https://h/nomad/ui/allocations/0b1c',
  );
  assert.equal(
    consulUiUrl('http://127.0.0.1:8500/', 'dc1', 'web api'),
    'http://127.0.0.1:8500/ui/dc1/services/web%20api/instances',
  );
  assert.equal(uiLink('http://h', ['ui', 'jobs', segment("it's(*)!")]), 'http://h/ui/jobs/it%27s%28%2A%29%21');
});

test('names that would leave /ui/ get no link: slashes, backslashes, dot segments (plain and encoded)', () => {
  for (const bad of [
    '..',
    '.',
    '%2e%2e',
    '.%2E',
    '%2E',
    'a/../../v1/acl/tokens',
    '../../v1/acl/bootstrap',
    'a\\..\\..',
    '/',
    '',
    'x/y',
    '..%2f..',
  ]) {
    assert.equal(uiLink('http://127.0.0.1:4646', ['ui', 'jobs', segment(bad)]), undefined, JSON.stringify(bad));
    assert.equal(consulUiUrl('http://127.0.0.1:8500', bad, 'web'), undefined, `dc ${JSON.stringify(bad)}`);
    assert.equal(consulUiUrl('http://127.0.0.1:8500', 'dc1', bad), undefined, `service ${JSON.stringify(bad)}`);
  }
  // what a link is, as a browser reads it and after VS Code's Uri decoded it once: always under /ui/
  for (const name of ['a%2F..%2F..%2Fsecret', '%252e%252e', 'x%5C..', '..\u2028', '\u002e\u002e']) {
    const url = uiLink('http://h:1', ['ui', 'jobs', segment(name)]);
    if (url === undefined) continue;
    const once = decodeURIComponent(new URL(url).pathname);
    assert.ok(new URL(url).pathname.startsWith('/ui/jobs/'), url);
    assert.ok(
      new URL(`http://h:1${once.replace(/[?#]/g, encodeURIComponent)}`).pathname.startsWith('/ui/jobs/'),
      `${name}: ${once}`,
    );
  }
});
