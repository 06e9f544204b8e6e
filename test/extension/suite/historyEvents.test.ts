// Job history and the event stream in a real VS Code against the cluster under test: a job with two
// versions shows the change between them; the event stream shows the job's events, pauses at an index
// and resumes from the next one without losing what happened while paused.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until, nomad, connectedApi } from './util';
import type { NomadExtensionApi } from '../../../src/extension';

const S = 1_000_000_000;
const job = (id: string, count: number) => ({
  Job: {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    Meta: { rev: String(count) },
    TaskGroups: [
      {
        Name: 'g',
        Count: count,
        Update: {
          MaxParallel: 1,
          HealthCheck: 'task_states',
          MinHealthyTime: 1 * S,
          HealthyDeadline: 60 * S,
          ProgressDeadline: 120 * S,
        },
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Config: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] },
            Resources: { CPU: 20, MemoryMB: 16 },
            KillTimeout: 2 * S,
          },
        ],
      },
    ],
  },
});

describe('job history and event stream', function () {
  const id = `ext-hist-${Date.now().toString(36)}`;
  let api: NomadExtensionApi;

  before(async () => {
    api = await connectedApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('nomad.stopEventStream');
    await nomad('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
  });

  it('the event stream shows a job registration, pauses and resumes from the next index', async () => {
    await vscode.commands.executeCommand('nomad.showEventStream', { topics: ['Job'], key: id, text: '' });
    // the stream is open on the server before the job is registered (an event from before is not replayed)
    await until(
      'live and open',
      () => (api.events.snapshot().state === 'live' && api.events.snapshot().open) || undefined,
    );
    await nomad('POST', '/v1/jobs', job(id, 1));
    await until('the registration event', () =>
      api.events.snapshot().lines.find(l => l.includes(`Job JobRegistered ${id}`)),
    );
    await vscode.commands.executeCommand('nomad.pauseEventStream');
    const paused = api.events.snapshot();
    assert.strictEqual(paused.state, 'paused');
    const shownBefore = paused.lines.filter(l => l.includes('JobRegistered')).length;
    await nomad('POST', '/v1/jobs', job(id, 2));
    await vscode.commands.executeCommand('nomad.resumeEventStream');
    await until(
      'the registration made while paused',
      () => api.events.snapshot().lines.filter(l => l.includes('JobRegistered')).length > shownBefore || undefined,
    );
    assert.ok(api.events.snapshot().lastIndex > paused.lastIndex);
  });

  it('shows the versions of the job with the change between them', async () => {
    await until(
      'two versions',
      async () =>
        (await nomad<{ Versions: unknown[] }>('GET', `/v1/job/${id}/versions`)).Versions.length >= 2 || undefined,
    );
    const uri = await vscode.commands.executeCommand<vscode.Uri>(
      'nomad.showJobHistory',
      { id, namespace: 'default' },
      0,
    );
    assert.ok(uri, 'a history document');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /version 0/);
    assert.match(doc.getText(), /What reverting to version 0 changes/);
    assert.match(doc.getText(), /~ TaskGroups\[g\]\.Count: 2 => 1/);
    assert.match(doc.getText(), /~ Meta\.rev: "2" => "1"/);
  });
});
