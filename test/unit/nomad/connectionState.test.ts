// The connection's states (nomad/connectionState.ts): what a failure makes of it, the context keys a
// state sets, and what the status bar says (cluster strings as text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeStatus,
  failureState,
  stateContextKeys,
  type ConnectionState,
} from '../../../src/nomad/connectionState';
import { NomadError } from '../../../src/nomad/errors';

test('a failure: refused is unauthorized, unreachable is an error retried by itself, anything else an error', () => {
  const refused = new NomadError({ kind: 'unauthorized', message: 'Permission denied' });
  assert.deepEqual(failureState('prod', refused), {
    kind: 'unauthorized',
    cluster: 'prod',
    message: 'Permission denied',
  });
  const down = new NomadError({ kind: 'connectionRefused', message: 'Connection refused' });
  assert.deepEqual(failureState('prod', down), {
    kind: 'error',
    cluster: 'prod',
    message: 'Connection refused',
    error: down,
    retrying: true,
  });
  const tls = new NomadError({ kind: 'tls', message: 'bad certificate' });
  assert.deepEqual(failureState('prod', tls), {
    kind: 'error',
    cluster: 'prod',
    message: 'bad certificate',
    error: tls,
  });
  assert.deepEqual(failureState('prod', 'boom'), { kind: 'error', cluster: 'prod', message: 'boom', error: 'boom' });
});

test('context keys: exactly one of connected / unauthorized / connectionError, or none', () => {
  const states: ConnectionState[] = [
    { kind: 'disconnected' },
    { kind: 'connecting', cluster: 'c' },
    { kind: 'connected', cluster: 'c', leader: 'l' },
    { kind: 'unauthorized', cluster: 'c', message: 'm' },
    { kind: 'error', cluster: 'c', message: 'm', error: 'm' },
  ];
  assert.deepEqual(
    states.map(s =>
      Object.entries(stateContextKeys(s))
        .filter(([, v]) => v)
        .map(([k]) => k),
    ),
    [[], [], ['nomad.connected'], ['nomad.unauthorized'], ['nomad.connectionError']],
  );
});

test('the status bar: cluster, namespace, region, and the state in words', () => {
  const base = { name: 'prod', namespace: 'web', region: 'eu', address: 'https://nomad:4646' };
  const c = describeStatus({ ...base, state: { kind: 'connected', cluster: 'prod', leader: '10.0.0.1:4647' } });
  assert.equal(c.text, '$(server-environment) Nomad: prod · web · eu');
  assert.equal(
    c.tooltip,
    'Connected to https://nomad:4646 (leader 10.0.0.1:4647). Click to switch cluster or namespace.',
  );
  assert.equal(c.warning, false);
  const all = describeStatus({
    ...base,
    namespace: '*',
    region: undefined,
    state: { kind: 'connecting', cluster: 'prod' },
  });
  assert.equal(all.text, '$(sync~spin) Nomad: prod · all namespaces — connecting…');
  const retrying = describeStatus({
    ...base,
    retry: { delayMs: 4000, attempt: 3 },
    state: { kind: 'error', cluster: 'prod', message: 'Connection refused', error: 'x', retrying: true },
  });
  assert.equal(retrying.text, '$(debug-disconnect) Nomad: prod · web · eu — disconnected, retrying');
  assert.match(retrying.tooltip, /Reconnecting by itself\. Next attempt in 4 s \(attempt 3\)\./);
  assert.equal(retrying.warning, true);
  const off = describeStatus({ ...base, state: { kind: 'disconnected' } });
  assert.equal(off.tooltip, 'Not connected. Click to choose a cluster.');
});

test('the status bar shows a namespace from the cluster as text: no icon, invisible characters escaped', () => {
  const s = describeStatus({
    name: 'prod',
    namespace: '$(zap)\u202eweb',
    address: 'http://x',
    state: { kind: 'connected', cluster: 'prod', leader: 'l' },
  });
  assert.ok(!s.text.slice('$(server-environment)'.length).includes('$(zap)'), s.text);
  assert.ok(!s.text.includes('\u202e'), s.text);
});
