import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeFilter, formatEvent, matches, NO_FILTER, topicQuery } from '../../../src/nomad/eventFormat';
import type { StreamEvent } from '../../../src/nomad/types';

const alloc: StreamEvent = {
  Topic: 'Allocation',
  Type: 'AllocationUpdated',
  Key: 'a1',
  Namespace: 'prod',
  FilterKeys: ['web', 'd1'],
  Index: 42,
  Payload: { Allocation: { Name: 'web.g[0]', ClientStatus: 'running', DesiredStatus: 'run' } },
};
const job: StreamEvent = {
  Topic: 'Job',
  Type: 'JobRegistered',
  Key: 'web\u202e',
  Namespace: 'default',
  Index: 43,
  Payload: { Job: { Status: 'pending', Version: 2 } },
};

describe('event stream lines', () => {
  it('formats index, topic, type, key, namespace and a status summary', () => {
    assert.equal(
      formatEvent(alloc),
      '#42 Allocation AllocationUpdated a1 [prod] — web.g[0] · client running · desired run',
    );
  });
  it('makes invisible characters visible', () => {
    assert.equal(formatEvent(job), '#43 Job JobRegistered web\\u202e — pending · v2');
  });
  it('builds the topic query: Topic:Key pairs, * for all', () => {
    assert.deepEqual(topicQuery(NO_FILTER), ['*:*']);
    assert.deepEqual(topicQuery({ topics: ['Job', 'Allocation'], key: 'web', text: '' }), [
      'Job:web',
      'Allocation:web',
    ]);
  });
  it('filters by topic, key (or filter key) and text', () => {
    assert.ok(matches(alloc, NO_FILTER));
    assert.ok(!matches(alloc, { topics: ['Job'], key: '', text: '' }));
    assert.ok(matches(alloc, { topics: [], key: 'web', text: '' }), 'a filter key matches');
    assert.ok(!matches(alloc, { topics: [], key: 'other', text: '' }));
    assert.ok(matches(alloc, { topics: [], key: '', text: 'RUNNING' }));
    assert.ok(!matches(alloc, { topics: [], key: '', text: 'failed' }));
    assert.equal(describeFilter({ topics: ['Job'], key: 'web', text: 'x' }), 'Job · key web · text "x"');
  });
});
