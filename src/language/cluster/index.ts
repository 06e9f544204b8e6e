// What the language knows of the connected cluster (a ClusterSnapshot from src/shared/clusterSnapshot.ts):
// the checks, completion and hover built on it, and the template language of `template` blocks. The
// language server holds the last snapshot it was sent and passes it here; null or undefined: nothing.
export { clusterDiagnostics, clusterFindings, ClusterCodes, CLUSTER_SOURCE } from './checks';
export { clusterCompletions, clusterHover } from './features';
export { templateDiagnostics, TEMPLATE_SOURCE } from '../template/diagnostics';
export { templateCompletions, inTemplateAction } from '../template/complete';
export { withClusterItems, withClusterHover } from './features';
export { ClusterSnapshotHolder } from './state';
