// Node drain and scheduling eligibility, and what a drain will move. Pure: no `vscode` import.
//
// Facts (Nomad 1.6.5, command/agent/node_endpoint.go, nomad/drainer, api/nodes.go):
//   POST /v1/node/:id/drain        {DrainSpec: {Deadline: ns, IgnoreSystemJobs}, MarkEligible, Meta}
//                                  Deadline < 0: stop everything now; 0: no deadline. DrainSpec null
//                                  cancels a drain (MarkEligible: true makes the node eligible again).
//   POST /v1/node/:id/eligibility  {NodeID, Eligibility: "eligible" | "ineligible"}; refused while the
//                                  node drains ("can not set node's scheduling eligibility to eligible
//                                  while it is draining")
//   GET  /v1/node/:id/allocations  the node's allocations
//   A drain moves every non-terminal allocation, except those of `system` jobs when IgnoreSystemJobs.
import type { NomadClient } from './client';
import type { AllocationListStub } from './types';
import { pathSegment } from './display';

export interface DrainOptions {
  /** nanoseconds; < 0 forces (stop everything now), 0 means no deadline */
  deadlineNs: number;
  ignoreSystemJobs: boolean;
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** "1h", "30m", "1h30m", "force" (-1), "none"/"0" (no deadline) → nanoseconds; undefined when not understood. */
export function parseDeadline(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'force' || t === '-1') return -1;
  if (t === 'none' || t === '0' || t === 'no deadline') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let total = 0,
    consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    consumed += m[0].length;
  }
  return consumed === t.length && consumed > 0 && total > 0 ? Math.round(total) : undefined;
}

export function describeDeadline(ns: number): string {
  if (ns < 0) return 'at once (forced)';
  if (ns === 0) return 'with no deadline';
  const s = ns / 1e9;
  return `within ${s >= 3600 ? `${+(s / 3600).toFixed(2)} h` : s >= 60 ? `${+(s / 60).toFixed(2)} min` : `${s} s`}`;
}

const TERMINAL = new Set(['complete', 'failed', 'lost']);

/** The allocations a drain stops (and the scheduler places elsewhere if it can). */
export function allocationsThatMove(
  allocs: readonly AllocationListStub[],
  ignoreSystemJobs: boolean,
): AllocationListStub[] {
  return allocs.filter(a => {
    if (a.DesiredStatus !== 'run' || TERMINAL.has(a.ClientStatus)) return false;
    const type = (a as { JobType?: string }).JobType;
    return !(ignoreSystemJobs && type === 'system');
  });
}

export function drainBody(nodeId: string, o: DrainOptions | null, markEligible = false): Record<string, unknown> {
  return {
    NodeID: nodeId,
    DrainSpec: o ? { Deadline: o.deadlineNs, IgnoreSystemJobs: o.ignoreSystemJobs } : null,
    MarkEligible: markEligible,
    Meta: null,
  };
}

export class NodesClient {
  constructor(private readonly client: NomadClient) {}

  allocations(nodeId: string): Promise<AllocationListStub[]> {
    return this.client
      .get<AllocationListStub[] | null>(`/v1/node/${pathSegment(nodeId)}/allocations`, { namespace: '*' })
      .then(r => r.body ?? []);
  }

  drain(nodeId: string, o: DrainOptions): Promise<unknown> {
    return this.client.write('POST', `/v1/node/${pathSegment(nodeId)}/drain`, drainBody(nodeId, o));
  }

  cancelDrain(nodeId: string, markEligible: boolean): Promise<unknown> {
    return this.client.write('POST', `/v1/node/${pathSegment(nodeId)}/drain`, drainBody(nodeId, null, markEligible));
  }

  setEligibility(nodeId: string, eligible: boolean): Promise<unknown> {
    return this.client.write('POST', `/v1/node/${pathSegment(nodeId)}/eligibility`, {
      NodeID: nodeId,
      Eligibility: eligible ? 'eligible' : 'ineligible',
    });
  }

  node(nodeId: string): Promise<Record<string, unknown>> {
    return this.client.get<Record<string, unknown>>(`/v1/node/${pathSegment(nodeId)}`).then(r => r.body);
  }
}
