import type { Block, Body, HclFile, Range } from '../hcl';

/** Nomad's diff names objects after API fields ("Config", "Resources", "Service"): the HCL block name. */
const OBJECT_BLOCK: Record<string, string> = {
  Config: 'config',
  Resources: 'resources',
  Service: 'service',
  Services: 'service',
  Template: 'template',
  Update: 'update',
  Network: 'network',
  Networks: 'network',
  Check: 'check',
  Checks: 'check',
  Constraint: 'constraint',
  Affinity: 'affinity',
  Spread: 'spread',
  RestartPolicy: 'restart',
  ReschedulePolicy: 'reschedule',
  Migrate: 'migrate',
  Env: 'env',
  Meta: 'meta',
  Artifact: 'artifact',
  LogConfig: 'logs',
  EphemeralDisk: 'ephemeral_disk',
  Lifecycle: 'lifecycle',
  Volume: 'volume',
  VolumeMount: 'volume_mount',
  Vault: 'vault',
  Periodic: 'periodic',
  ParameterizedJob: 'parameterized',
  Scaling: 'scaling',
  Disconnect: 'disconnect',
  Identity: 'identity',
  Consul: 'consul',
  Port: 'port',
  'Static Port': 'port',
  'Dynamic Port': 'port',
};

/** "MinHealthyTime" / "min_healthy_time" / "Env[FOO]" → candidate attribute names in HCL. */
function attributeNames(field: string): string[] {
  const bracket = /\[([^\]]+)\]/.exec(field);
  const base = field.replace(/\[.*$/, '');
  const snake = base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const names = [base, snake, base.toLowerCase()];
  if (bracket) names.unshift(bracket[1]!);
  return names;
}

function blocks(body: Body, type: string): Block[] {
  return body.items.filter((i): i is Block => i.kind === 'Block' && i.type === type);
}

/**
 * The source range a plan-diff row refers to: the group and task blocks by name, then nested objects by
 * their block name, then the field's attribute. Falls back to the innermost block found.
 */
/** A step of a plan diff's path (the same shape as the plan view model's DiffPathSegment). */
export type DiffPathSegment =
  | { kind: 'group'; name: string }
  | { kind: 'task'; name: string }
  | { kind: 'object'; name: string }
  | { kind: 'field'; name: string };

export function rangeOfDiffPath(file: HclFile, path: readonly DiffPathSegment[]): Range | undefined {
  const job = blocks(file.body, 'job')[0];
  if (!job) return undefined;
  let body = job.body;
  let best: Range = job.typeRange;
  for (const seg of path) {
    let next: Block | undefined;
    if (seg.kind === 'group') next = blocks(body, 'group').find(b => b.labels[0]?.value === seg.name);
    else if (seg.kind === 'task') next = blocks(body, 'task').find(b => b.labels[0]?.value === seg.name);
    else if (seg.kind === 'object') {
      const type = OBJECT_BLOCK[seg.name] ?? seg.name.toLowerCase();
      next = blocks(body, type)[0];
      if (!next) {
        const attr = body.items.find(i => i.kind === 'Attribute' && i.name === type);
        if (attr) return attr.range;
      }
    } else {
      const names = attributeNames(seg.name);
      for (const n of names) {
        const a = body.items.find(i => i.kind === 'Attribute' && i.name === n);
        if (a) return a.range;
        const b = body.items.find(i => i.kind === 'Block' && i.type === n);
        if (b) return b.kind === 'Block' ? b.typeRange : b.range;
      }
      return best;
    }
    if (!next) return best;
    best = next.typeRange;
    body = next.body;
  }
  return best;
}
