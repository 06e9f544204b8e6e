// Version boundaries of the jobspec, built from the generated schema alone: for every member (attribute or
// block) that arrived after the oldest release read, a job that uses it, the release just before its first
// one and that first release; for every member that went away, its last release and the release that
// dropped it. Used by versionBoundaries.test.ts (which judges each job at both releases) and by
// bench/versions/run.ts (which prints the figure).
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeText } from '../../../../src/language';
import {
  generatedSchema,
  multipleSince,
  releaseBefore,
  rootSchema,
  schemaReleases,
  type AttributeSchema,
  type BlockSchema,
} from '../../../../src/language/schema';

export interface Boundary {
  /** `TaskGroup.max_run_duration` */
  member: string;
  /** added / removed, or `repeatable`: a block that newer releases allow more than once */
  kind: 'added' | 'removed' | 'repeatable';
  /** the release that refuses the job (the one before `since`, or `until`) */
  refusedAt: string;
  /** the release that accepts it (`since`, or the last release before `until`) */
  acceptedAt: string;
  /** the release the message must name: `since` for an addition, `until` for a removal */
  named: string;
  /** a job that uses the member, every block on a line of its own */
  text: string;
  /** 0-based line of the member, and of each block around it (outermost first) */
  line: number;
  ancestorLines: number[];
}

interface Step {
  name: string;
  schema: BlockSchema;
}

/** The shortest chain of blocks from `job` to a block of generated type `owner`, as release `release` has them. */
function pathTo(owner: string, release: string): Step[] | undefined {
  const job = rootSchema(release).blocks.get('job');
  if (!job) return undefined;
  const queue: Step[][] = [[{ name: 'job', schema: job }]];
  const seen = new Set<string>([job.id]);
  while (queue.length > 0) {
    const path = queue.shift()!;
    const last = path[path.length - 1]!.schema;
    if (last.id === owner) return path;
    for (const [name, child] of last.blocks) {
      if (child.driverConfig || child.open || seen.has(child.id)) continue;
      seen.add(child.id);
      queue.push([...path, { name, schema: child }]);
    }
  }
  return undefined;
}

function valueFor(a: AttributeSchema): string {
  if (a.enum && a.enum.length > 0) return JSON.stringify(a.enum.find(v => v !== '') ?? a.enum[0]);
  switch (a.type) {
    case 'duration':
      return '"1h"';
    case 'number':
      return '1';
    case 'bool':
      return 'true';
    case 'list(string)':
    case 'list(any)':
      return '["x"]';
    case 'list(number)':
      return '[1]';
    case 'list(map(string))':
      return '[{ a = "b" }]';
    case 'list(map(number))':
      return '[{ a = 1 }]';
    case 'map(string)':
    case 'map(any)':
    case 'object':
      return '{ a = "b" }';
    case 'map(number)':
      return '{ a = 1 }';
    default:
      return '"x"';
  }
}

const labelsOf = (b: BlockSchema): string => b.labels.map((_, i) => `"l${i}" `).join('');

/** The job text with `member` of the last block of `path`, and the lines of the member and its blocks. */
/** Members Nomad takes only in a job of another type than the default (service): the job says so, so
 *  the only error the boundary can meet is the version's (max_run_duration: batch and sysbatch only). */
const JOB_TYPE_FOR: Readonly<Record<string, string>> = { max_run_duration: 'batch' };

/** Members whose placeholder value Nomad refuses on its own (a register rule of that release: ruleInventory.ts):
 *  the value to write, the lines the block needs beside it, or a new block's body (`{k}`: its index). */
const EXAMPLES: Readonly<Record<string, { value?: string; siblings?: readonly string[]; body?: readonly string[] }>> = {
  'ConsulTransparentProxy.exclude_inbound_ports': { value: '["9000"]' },
  'ConsulTransparentProxy.exclude_outbound_cidrs': { value: '["10.0.0.0/8"]' },
  'ConsulTransparentProxy.exclude_uids': { value: '["1000"]' },
  'ConsulTransparentProxy.uid': { value: '"1000"' },
  'NUMAResource.devices': { value: '[]' },
  'Service.kind': { value: '"api-gateway"' },
  'WorkloadIdentity.change_signal': { value: '"SIGHUP"', siblings: ['change_mode = "signal"'] },
  'WorkloadIdentity.filepath': { siblings: ['file = true'] },
  'WorkloadIdentity.ttl': { siblings: ['name = "api"', 'aud  = ["api"]'] },
  'Service.identity': { body: ['aud = ["consul.io"]'] },
  'Task.identity': { body: ['name = "id{k}"', 'aud  = ["api"]'] },
  'Task.secret': { body: ['provider = "nomad"', 'path     = "app/db"'] },
};

function jobWith(
  path: Step[],
  member: { name: string; block?: BlockSchema; attr?: AttributeSchema },
  twice = false,
  owner = '',
): { text: string; line: number; ancestorLines: number[] } {
  const example = EXAMPLES[`${owner}.${member.name}`];
  const lines: string[] = [];
  const ancestorLines: number[] = [];
  path.forEach((s, depth) => {
    ancestorLines.push(lines.length);
    lines.push(`${'  '.repeat(depth)}${s.name} ${labelsOf(s.schema)}{`);
    const type = JOB_TYPE_FOR[member.name];
    if (depth === 0 && type) lines.push(`  type = ${JSON.stringify(type)}`);
  });
  const pad = '  '.repeat(path.length);
  let line = lines.length;
  if (member.block) {
    // a new block with what it cannot do without (`action` needs `command`); `twice`: the line is the second's
    const required = [...member.block.attributes.values()].filter(
      a => a.required || member.block!.requiredAttributes.includes(a.name),
    );
    for (let k = 0; k < (twice ? 2 : 1); k++) {
      line = lines.length;
      const body =
        example?.body?.map(l => l.replace('{k}', String(k))) ?? required.map(a => `${a.name} = ${valueFor(a)}`);
      lines.push(`${pad}${member.name} ${labelsOf(member.block)}{`, ...body.map(l => `${pad}  ${l}`), `${pad}}`);
    }
  } else {
    for (const l of example?.siblings ?? []) lines.push(`${pad}${l}`);
    line = lines.length;
    lines.push(`${pad}${member.name} = ${example?.value ?? valueFor(member.attr!)}`);
  }
  for (let depth = path.length - 1; depth >= 0; depth--) lines.push(`${'  '.repeat(depth)}}`);
  return { text: lines.join('\n') + '\n', line, ancestorLines };
}

/**
 * A job that uses member `name` of generated type `owner`, written as release `release` has it (undefined
 * when that release cannot reach the type or lacks the member).
 */
export function jobUsing(
  owner: string,
  name: string,
  release: string,
  twice = false,
): { text: string; line: number; ancestorLines: number[] } | undefined {
  const path = pathTo(owner, release);
  const parent = path?.[path.length - 1]!.schema;
  const block = parent?.blocks.get(name);
  const attr = parent?.attributes.get(name);
  if (!path || (!block && !attr)) return undefined;
  return jobWith(path, { name, ...(block ? { block } : {}), ...(attr ? { attr } : {}) }, twice, owner);
}

/** Every addition after the oldest release read and every removal, each with a job that uses it. */
export function versionBoundaries(): { boundaries: Boundary[]; unreachable: string[] } {
  const oldest = schemaReleases()[0]!.version;
  const boundaries: Boundary[] = [];
  const unreachable: string[] = [];
  for (const [owner, t] of Object.entries(generatedSchema().types)) {
    for (const m of [
      ...t.attributes.map(a => ({ ...a, isBlock: false })),
      ...t.blocks.map(b => ({ ...b, isBlock: true })),
    ]) {
      const cases: { kind: Boundary['kind']; refusedAt: string; acceptedAt: string; named: string }[] = [];
      if (m.since !== undefined && m.since !== oldest) {
        const before = releaseBefore(m.since);
        if (before) cases.push({ kind: 'added', refusedAt: before.version, acceptedAt: m.since, named: m.since });
      }
      if (m.until !== undefined) {
        const last = releaseBefore(m.until);
        if (last) cases.push({ kind: 'removed', refusedAt: m.until, acceptedAt: last.version, named: m.until });
      }
      const repeatable = m.isBlock ? multipleSince(owner, m.name) : undefined;
      if (repeatable !== undefined) {
        const before = releaseBefore(repeatable);
        if (before)
          cases.push({ kind: 'repeatable', refusedAt: before.version, acceptedAt: repeatable, named: repeatable });
      }
      for (const c of cases) {
        // the job is written as the accepting release has it; the refusing one reads the same text
        const job = jobUsing(owner, m.name, c.acceptedAt, c.kind === 'repeatable');
        if (!job) {
          unreachable.push(`${owner}.${m.name} (${c.kind} ${c.named})`);
          continue;
        }
        boundaries.push({ member: `${owner}.${m.name}`, ...c, ...job });
      }
    }
  }
  boundaries.sort((a, b) => a.member.localeCompare(b.member) || a.kind.localeCompare(b.kind));
  return { boundaries, unreachable };
}

export const VERSION_CODES: ReadonlySet<string> = new Set([
  'needs-newer-nomad',
  'removed-from-nomad',
  'vault-token-removed',
  'consul-token-removed',
  'unknown-attribute',
  'unknown-block',
]);

function errorsAt(text: string, version: string): Diagnostic[] {
  return analyzeText(text, { targetVersion: { version, source: 'cluster' } }).diagnostics.filter(d => d.severity === 1);
}

/** The error at release `version` that names the boundary's release on the member's (or a surrounding block's) line. */
export function namingError(b: Boundary, version: string): Diagnostic | undefined {
  const lines = new Set([b.line, ...b.ancestorLines]);
  const wanted =
    b.kind === 'removed'
      ? `was removed in Nomad ${b.named}`
      : `needs Nomad ${b.named} or later; this cluster runs ${version}.`;
  return errorsAt(b.text, version).find(
    d => VERSION_CODES.has(String(d.code)) && lines.has(d.range.start.line) && d.message.includes(wanted),
  );
}

/** What is wrong with a boundary: no error naming the release where it is refused, any at the release that accepts it. */
export function judgeBoundary(b: Boundary): string[] {
  const problems: string[] = [];
  if (!namingError(b, b.refusedAt)) {
    const got = errorsAt(b.text, b.refusedAt)
      .filter(d => VERSION_CODES.has(String(d.code)))
      .map(d => d.message);
    problems.push(
      `${b.member} at ${b.refusedAt}: no error naming ${b.named} (${got.join(' | ') || 'no version error'})`,
    );
  }
  // at the accepting release: no version error at all, and no error of any kind on the member's line
  const accepted = errorsAt(b.text, b.acceptedAt).filter(
    d => VERSION_CODES.has(String(d.code)) || d.range.start.line === b.line,
  );
  if (accepted.length > 0)
    problems.push(
      `${b.member} at ${b.acceptedAt}: ${accepted.map(d => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`,
    );
  return problems;
}
