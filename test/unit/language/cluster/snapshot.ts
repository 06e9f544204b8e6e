// A snapshot builder for the language tests: nodes as a cluster reports them (every field set).
import type { ClusterSnapshot, SnapshotNode } from '../../../../src/shared/clusterSnapshot';

export function node(name: string, o: Partial<SnapshotNode> = {}): SnapshotNode {
  return {
    id: `id-${name}`,
    name,
    datacenter: 'dc1',
    nodePool: 'default',
    nodeClass: '',
    status: 'ready',
    eligible: true,
    drain: false,
    drivers: { raw_exec: { detected: true, healthy: true }, exec: { detected: true, healthy: true } },
    attributes: {
      'kernel.name': 'linux',
      'cpu.arch': 'amd64',
      'nomad.version': '1.6.5',
      'os.version': '12',
      'driver.docker.version': '24.0.7',
    },
    meta: { rack: 'r1' },
    hostVolumes: {},
    resources: { cpuMHz: 4000, memoryMB: 8192, diskMB: 51200 },
    ...o,
  };
}

export function snapshot(nodes: SnapshotNode[], o: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: 'dev',
    readAt: Date.now() - 12_000,
    nodes,
    nodePools: ['all', 'default', ...new Set(nodes.map(n => n.nodePool).filter(p => p !== 'default'))],
    namespaces: ['default'],
    csiVolumes: [],
    variables: [],
    services: [],
    ...o,
  };
}
