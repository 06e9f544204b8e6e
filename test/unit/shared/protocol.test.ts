// The custom LSP protocol is typed objects, not method strings: both ends (the extension's LanguageClient
// and the server's Connection) take the RequestType / NotificationType object, and the payload types come
// from it. The `@ts-expect-error` lines below are the proof that a wrong payload does not compile: tsc
// (`npm run lint`, which type-checks test/) fails on an expect-error line that has no error, so a
// protocol object that let a wrong payload through would break lint. At run time the test checks the
// wire: the method names and the number of params each message carries are the ones the other side knows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { onRequest } from '../../../src/server/handle';
import {
  Notifications,
  Requests,
  type FileKindResult,
  type ServerStatus,
  type TargetVersionInfo,
} from '../../../src/shared/protocol';

/** Never called: it exists to be type-checked against the real client and server types. */
export function typeChecked(client: LanguageClient, connection: Connection): void {
  // the payload and result types come from the object
  const status: Promise<ServerStatus> = client.sendRequest(Requests.serverStatus);
  const target: Promise<TargetVersionInfo> = client.sendRequest(Requests.targetVersion);
  const kind: Promise<FileKindResult | null> = client.sendRequest(Requests.fileKind, { uri: 'file:///a.nomad' });
  void status;
  void target;
  void kind;
  void client.sendNotification(Notifications.setClusterVersion, { version: '1.6.5' });
  void client.sendNotification(Notifications.setFileKind, { uri: 'file:///a.nomad', kind: null });

  // @ts-expect-error a file kind is { uri }, not a bare string
  void client.sendRequest(Requests.fileKind, 'file:///a.nomad');
  // @ts-expect-error the cluster version is a string or null
  void client.sendNotification(Notifications.setClusterVersion, { version: 165 });
  // @ts-expect-error a kind the protocol does not know
  void client.sendNotification(Notifications.setFileKind, { uri: 'file:///a.nomad', kind: 'jobspec' });
  // @ts-expect-error the result is a FileKindResult, not a string
  const wrongResult: Promise<string> = client.sendRequest(Requests.fileKind, { uri: 'file:///a.nomad' });
  void wrongResult;

  // the server registers its request handlers through onRequest (src/server/handle.ts): the answer's type is the request's
  onRequest(connection, Requests.fileKind, p => {
    const uri: string = p.uri;
    void uri;
    return null;
  });
  // @ts-expect-error the handler must answer a FileKindResult (or null)
  onRequest(connection, Requests.fileKind, () => ({ kind: 'job' }));
  // @ts-expect-error the params of nomad/setFileKind have no `version`
  connection.onNotification(Notifications.setFileKind, p => p.version);
  // @ts-expect-error the server announces a whole TargetVersionInfo
  void connection.sendNotification(Notifications.targetVersionChanged, { version: '1.6.5' });
  // @ts-expect-error serverStatus answers a ServerStatus
  onRequest(connection, Requests.serverStatus, () => ({ version: '0.1.0' }));
  // @ts-expect-error serverStatus has no params
  onRequest(connection, Requests.serverStatus, (p: { uri: string }) => p);
}

test('the custom requests and notifications keep their method names and parameter shapes on the wire', () => {
  assert.equal(typeof typeChecked, 'function');
  const wire = (m: { method: string; numberOfParams: number }): string => `${m.method}/${m.numberOfParams}`;
  assert.deepEqual(Object.fromEntries(Object.entries(Requests).map(([k, v]) => [k, wire(v)])), {
    serverStatus: 'nomad/serverStatus/0',
    fileKind: 'nomad/fileKind/1',
    targetVersion: 'nomad/targetVersion/0',
  });
  assert.deepEqual(Object.fromEntries(Object.entries(Notifications).map(([k, v]) => [k, wire(v)])), {
    setFileKind: 'nomad/setFileKind/1',
    setClusterVersion: 'nomad/setClusterVersion/1',
    targetVersionChanged: 'nomad/targetVersionChanged/1',
  });
});
