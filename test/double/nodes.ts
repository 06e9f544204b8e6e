// The Nomad double's node drain and scheduling eligibility (/v1/node/:id/drain, /eligibility,
// /allocations), shaped like Nomad 1.6.5. Test-only code.
// A drain marks the node draining and ineligible (its DrainStrategy as Nomad stores it); the double's
// drainer (nomad.ts) then marks its allocations for migration (DesiredTransition.Migrate), the scheduler
// stops each where a replacement fits on another node, and once nothing meant to run is left on the node
// the drain completes (Drain false, LastDrain complete, still ineligible), as Nomad 1.6.5 does.
import type * as http from 'node:http';

export interface NodesHost {
  nodeId: string;
  allocStubs(): any[];
  write(): number;
  current(): number;
  /** publish a Node event with the node's stub */
  published(type: string): void;
  /** the node's drain or eligibility changed: the drainer and the scheduler look again */
  changed?(): void;
  json(res: http.ServerResponse, body: unknown, index?: number): void;
  body(req: http.IncomingMessage): Promise<any>;
  error(status: number, message: string): Error;
}

export class NodeStateDouble {
  private drain: { Deadline: number; IgnoreSystemJobs: boolean; ForceDeadline: string; StartedAt: string } | null =
    null;
  private eligibility: 'eligible' | 'ineligible' = 'eligible';
  private lastDrain: unknown = null;

  /** the node's Events (the full node's list, oldest first), as Nomad 1.6.5 words them */
  readonly events: Array<{
    CreateIndex: number;
    Details: null;
    Message: string;
    Subsystem: string;
    Timestamp: string;
  }> = [];
  event(message: string, subsystem: 'Cluster' | 'Drain', index: number, timestamp = new Date().toISOString()): void {
    this.events.push({
      CreateIndex: index,
      Details: null,
      Message: message,
      Subsystem: subsystem,
      Timestamp: timestamp,
    });
    // Nomad keeps the last 10
    if (this.events.length > 10) this.events.splice(0, this.events.length - 10);
  }

  draining(): boolean {
    return this.drain !== null;
  }
  eligible(): boolean {
    return this.eligibility === 'eligible';
  }
  /** the drain's strategy while it runs */
  strategy() {
    return this.drain;
  }
  /** Nothing meant to run is left on the node: the drain is over (the node stays ineligible). */
  complete(): void {
    if (!this.drain) return;
    this.drain = null;
    this.lastDrain = {
      ...(this.lastDrain as object),
      UpdatedAt: seconds(new Date().toISOString()),
      Status: 'complete',
    };
  }

  /** Fields that override the double's node stub. */
  fields(): Record<string, unknown> {
    return {
      Drain: this.drain !== null,
      DrainStrategy: this.drain ? { ...this.drain } : null,
      SchedulingEligibility: this.eligibility,
      LastDrain: this.lastDrain,
    };
  }

  async handle(
    host: NodesHost,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: string,
    method: string,
  ): Promise<boolean> {
    const m = /^\/v1\/node\/([^/]+)\/(drain|eligibility|allocations)$/.exec(p);
    if (!m) return false;
    const id = decodeURIComponent(m[1]!);
    if (id !== host.nodeId) throw host.error(m[2] === 'allocations' ? 404 : 500, 'node not found');
    if (m[2] === 'allocations') {
      host.json(
        res,
        host.allocStubs().filter(a => a.NodeID === id),
        host.current(),
      );
      return true;
    }
    if (method !== 'POST' && method !== 'PUT') throw host.error(405, 'Invalid method');
    const b = await host.body(req);
    const now = new Date().toISOString();
    if (m[2] === 'eligibility') {
      const e = b.Eligibility;
      if (e !== 'eligible' && e !== 'ineligible')
        throw host.error(500, `invalid scheduling eligibility ${JSON.stringify(e ?? '')}`);
      if (e === 'eligible' && this.drain)
        throw host.error(500, "can not set node's scheduling eligibility to eligible while it is draining");
      this.eligibility = e;
      const i = host.write();
      this.event(
        e === 'eligible' ? 'Node marked as eligible for scheduling' : 'Node marked as ineligible for scheduling',
        'Cluster',
        i,
      );
      // Nomad 1.6.5 publishes an eligibility change as a NodeDrain event (nomad/state/events.go)
      host.published('NodeDrain');
      host.changed?.();
      host.json(res, { EvalCreateIndex: 0, EvalIDs: null, Index: i, NodeModifyIndex: i }, i);
      return true;
    }
    const spec = b.DrainSpec;
    // (no event when a node that is not draining is told to stop draining)
    const message = spec
      ? this.drain
        ? 'Node drain strategy updated'
        : 'Node drain strategy set'
      : this.drain
        ? 'Node drain disabled'
        : undefined;
    if (spec) {
      const deadline = Number(spec.Deadline ?? 0);
      const force =
        deadline < 0
          ? now
          : deadline > 0
            ? new Date(Date.now() + deadline / 1e6).toISOString()
            : '0001-01-01T00:00:00Z';
      this.drain = {
        Deadline: deadline < 0 ? -1 : deadline,
        IgnoreSystemJobs: !!spec.IgnoreSystemJobs,
        ForceDeadline: force,
        StartedAt: now,
      };
      this.eligibility = 'ineligible';
      // LastDrain's times are whole seconds in Nomad 1.6.5 (the strategy's StartedAt is not)
      this.lastDrain = {
        StartedAt: seconds(now),
        UpdatedAt: seconds(now),
        Status: 'draining',
        Meta: b.Meta ?? null,
        AccessorID: '',
      };
    } else {
      if (this.drain) this.lastDrain = { ...(this.lastDrain as object), UpdatedAt: seconds(now), Status: 'canceled' };
      this.drain = null;
      if (b.MarkEligible) this.eligibility = 'eligible';
    }
    const i = host.write();
    if (message) this.event(message, 'Drain', i);
    host.published('NodeDrain');
    host.changed?.();
    host.json(res, { EvalCreateIndex: 0, EvalIDs: null, Index: i, NodeModifyIndex: i }, i);
    return true;
  }
}

const seconds = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');
