// The double's /v1/jobs/parse and /v1/validate go through a pluggable `parseJob`. The project's own
// HCL → Job JSON decoder (src/language/) plugs in here when it exists. Until then the fallback accepts
// Job JSON (`{"Job": {...}}` or a bare Job) and the fixture jobs whose real parse was captured.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ParseResult = { job: any } | { error: string };
export type ParseJob = (hcl: string, variables: string) => ParseResult | Promise<ParseResult>;

let known: Map<string, Array<{ vars: string; job: any }>> | undefined;

function capturedParses() {
  if (known) return known;
  known = new Map();
  // out/test/double → test/fixtures/nomad/captured (fixtures are read from the source tree)
  const dirs = [
    path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'nomad', 'captured'),
    path.resolve(__dirname, '..', 'fixtures', 'nomad', 'captured'),
  ];
  const dir = dirs.find(d => fs.existsSync(d));
  if (!dir) return known;
  for (const f of fs.readdirSync(dir)) {
    if (!/^parse-.*\.json$/.test(f)) continue;
    try {
      const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (c.status !== 200 || !c.request?.body?.JobHCL) continue;
      const list = known.get(c.request.body.JobHCL.trim()) ?? [];
      list.push({ vars: (c.request.body.Variables ?? '').trim(), job: c.body });
      known.set(c.request.body.JobHCL.trim(), list);
    } catch {
      /* skip */
    }
  }
  return known;
}

export const fallbackParseJob: ParseJob = (hcl, variables) => {
  const text = hcl.trim();
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text);
      const job = o.Job ?? o;
      if (!job.ID && !job.Name) return { error: 'input.json: job ID is required' };
      return { job };
    } catch (e) {
      return { error: `input.json: ${(e as Error).message}` };
    }
  }
  const hits = capturedParses().get(text);
  const hit = hits?.find(h => h.vars === variables.trim()) ?? (variables.trim() ? undefined : hits?.[0]);
  if (hit) return { job: structuredClone(hit.job) };
  return {
    error: 'input.hcl: the Nomad double has no HCL decoder configured (pass `parseJob`), and this is not a JSON job',
  };
};
