// Helpers shared by the extension-host tests.
import * as assert from 'assert';
import * as vscode from 'vscode';

import type { NomadExtensionApi } from '../../../src/extension';

export const EXT_ID = 'nomad-tools.nomad-vscode';

/** A file of the test workspace. */
export function ws(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, file);
}

/** Poll `probe` until it returns something other than undefined/false; a deadline, never a timed assertion. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | PromiseLike<T | undefined | false>,
  timeoutMs = 60000,
): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** A Nomad HTTP call straight to the cluster under test (NOMAD_ADDR), outside the extension. */
export async function nomad<T>(method: string, path: string, body?: unknown): Promise<T> {
  const addr = process.env.NOMAD_ADDR ?? 'http://127.0.0.1:4646';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (process.env.NOMAD_TOKEN) headers['x-nomad-token'] = process.env.NOMAD_TOKEN;
  const r = await fetch(`${addr}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The extension, activated and connected to the default cluster (the cluster under test). */
export async function connectedApi(): Promise<NomadExtensionApi> {
  const api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
  await api.cluster.switchCluster('default');
  await api.cluster.connect();
  return api;
}

const S = 1_000_000_000;

/** A one-allocation raw_exec service job running `script` in /bin/sh as task `task` of group "g" (the
 *  register body for POST /v1/jobs). */
export function rawExecJob(id: string, task: string, script: string): unknown {
  return {
    Job: {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'g',
          Count: 1,
          Update: {
            MaxParallel: 1,
            HealthCheck: 'task_states',
            MinHealthyTime: 1 * S,
            HealthyDeadline: 60 * S,
            ProgressDeadline: 120 * S,
          },
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * S, Delay: 1 * S },
          Tasks: [
            {
              Name: task,
              Driver: 'raw_exec',
              Config: { command: '/bin/sh', args: ['-c', script] },
              Resources: { CPU: 20, MemoryMB: 16 },
              KillTimeout: 2 * S,
            },
          ],
        },
      ],
    },
  };
}
