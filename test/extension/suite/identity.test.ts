// Identity is structural (issue 22): job `coll` with group `x:y` and job `coll:x` with group `y` in the
// real Jobs tree. With ids joined by ':' both group rows had one id: the row under `coll` showed the
// other job's allocation. Against the cluster test/extension/run.mjs started.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, rawExecJob, until, nomad } from './util';
import type { NomadExtensionApi } from '../../../src/extension';
import type { JobsNode } from '../../../src/views/jobsTree';

const suffix = Date.now().toString(36);
const A = `coll-${suffix}`,
  B = `coll-${suffix}:x`;

function jobWithGroup(id: string, group: string): unknown {
  const j = rawExecJob(id, 't', 'sleep 600') as { Job: { TaskGroups: { Name: string }[] } };
  j.Job.TaskGroups[0]!.Name = group;
  return j;
}

describe('tree identity', function () {
  let api: NomadExtensionApi;

  before(async () => {
    api = await vscode.extensions.getExtension<NomadExtensionApi>(EXT_ID)!.activate();
    await api.cluster.connect();
  });
  after(async () => {
    for (const id of [A, B])
      await nomad('DELETE', `/v1/job/${encodeURIComponent(id)}?purge=true`).catch(() => undefined);
  });

  it("job coll with group x:y and job coll:x with group y: each row shows its own job's allocation", async () => {
    await nomad('POST', '/v1/jobs', jobWithGroup(A, 'x:y'));
    await nomad('POST', '/v1/jobs', jobWithGroup(B, 'y'));
    const tree = api.cluster.jobsTree;
    const rows = async (): Promise<Map<string, { group: JobsNode; allocJobs: string[] }>> => {
      const out = new Map<string, { group: JobsNode; allocJobs: string[] }>();
      const top = await tree.getChildren();
      const jobs = (await Promise.all(top.filter(n => n.kind === 'namespace').map(n => tree.getChildren(n))))
        .flat()
        .concat(top.filter(n => n.kind === 'job'));
      for (const j of jobs) {
        const label = String(tree.getTreeItem(j).label);
        if (label !== A && label !== B) continue;
        for (const g of (await tree.getChildren(j)).filter(n => n.kind === 'group')) {
          const allocs = (await tree.getChildren(g)).filter(n => n.kind === 'alloc');
          out.set(`${label} / ${String(tree.getTreeItem(g).label)}`, {
            group: g,
            allocJobs: allocs.map(
              a => api.cluster.model().allocation((a as { allocId: string }).allocId)?.JobID ?? '?',
            ),
          });
        }
      }
      return out.size === 2 && [...out.values()].every(r => r.allocJobs.length > 0) ? out : new Map();
    };
    const both = await until('both jobs with an allocation each', async () => {
      const r = await rows();
      return r.size === 2 ? r : undefined;
    });
    const a = both.get(`${A} / x:y`),
      b = both.get(`${B} / y`);
    assert.ok(a && b, [...both.keys()].join(', '));
    assert.notStrictEqual(tree.getTreeItem(a.group).id, tree.getTreeItem(b.group).id, 'two rows, two ids');
    assert.deepStrictEqual([...new Set(a.allocJobs)], [A], `under ${A}: ${a.allocJobs.join(', ')}`);
    assert.deepStrictEqual([...new Set(b.allocJobs)], [B], `under ${B}: ${b.allocJobs.join(', ')}`);
  });
});
