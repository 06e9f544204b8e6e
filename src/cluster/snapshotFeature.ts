// The extension's side of authoring that knows the cluster: while the connection is up, a
// ClusterFactsReader (src/nomad/clusterFacts/) follows the cluster with blocking queries and every snapshot it
// makes goes to the language server: LanguageClientFeature sends it whole once (nomad/clusterSnapshot), then
// as deltas (nomad/clusterSnapshotDelta, ClusterSnapshotStream in src/shared/clusterSnapshot.ts); when the
// connection is down, switched or refused, the model is disposed and the server gets null. One model per
// connection.
import * as vscode from 'vscode';
import type { ClusterConnection } from './connection';
import type { Logger } from '../logger';
import { ClusterFactsReader } from '../nomad/clusterFacts/reader';
import type { ClusterSnapshot } from '../shared/clusterSnapshot';

export class ClusterSnapshotFeature implements vscode.Disposable {
  private model: ClusterFactsReader | undefined;
  private modelFor: unknown;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly send: (snapshot: ClusterSnapshot | null) => void,
    private readonly log: Logger,
  ) {
    this.subscription = connection.onDidChange(() => this.follow());
    this.follow();
  }

  private follow(): void {
    const state = this.connection.state;
    if (state.kind === 'connecting') return;
    const client = this.connection.client;
    if (state.kind === 'connected' && client) {
      if (this.modelFor === client) return;
      this.stop();
      this.modelFor = client;
      const model = new ClusterFactsReader({
        client,
        cluster: state.cluster,
        random: Math.random,
        onSnapshot: s => {
          if (this.model === model)
            this.send(
              s ? { ...s, ...(client.profile.namespace ? { defaultNamespace: client.profile.namespace } : {}) } : null,
            );
        },
        onError: (part, e) =>
          this.log.warn(`reading the cluster's ${part} for the editor: ${e instanceof Error ? e.message : String(e)}`),
      });
      this.model = model;
      void model.start();
      return;
    }
    if (this.model) {
      this.stop();
      this.send(null);
    }
  }

  private stop(): void {
    this.model?.dispose();
    this.model = undefined;
    this.modelFor = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.stop();
  }
}
