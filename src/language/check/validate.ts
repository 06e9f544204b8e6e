// What Nomad refuses when a job is registered (its `Validate` methods and the job admission hooks),
// judged from the file: every rule here is a refusal of a real Nomad, reported as an error on the block
// or argument it is about. Rules only fire on what the file states: a value that is an expression (a
// variable, a function call), a `dynamic` block standing for blocks of the kind counted, or a block
// still open (being typed) makes the rule stay silent rather than guess. Defaults are Nomad's (job type
// service, group count 1 or its scaling minimum, network mode host, service provider consul, the
// reschedule policy of the job type). Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { staticValue, type Attribute, type Block, type Body, type Range } from '../hcl';
import { parseGoDuration } from './duration';
import { report, type Reporter } from './report';
import { ruleById, ruleHolds } from './ruleInventory';
import { parseVersion } from '../schema/versions';
import { Codes, type DiagnosticCode } from './types';

type Static = string | number | boolean | null | Static[] | { [key: string]: Static };

/**
 * The one empty list `all` answers when a body has no block of a type (nothing may add to it). Not
 * frozen: a frozen array has a map of its own, and the for-of loops over `all` that met it fell back to
 * the generic iterator, which allocated a result object per step (a quarter of the validator's garbage).
 */
const NO_BLOCKS: readonly Block[] = [];

/** Bodies up to this many items are searched in place; larger ones (a job's body) get lookup maps. */
const SCAN_LIMIT = 24;

/**
 * The items of one body, looked up by name. A View is made for nearly every body of a job (often
 * several times), so a small body is searched in place instead of being copied into Maps: on a 1 MiB
 * job the Maps, Sets and iterators of the earlier View were most of what the validator allocated.
 * Same answers: the last argument of a name wins, blocks keep their order, `dynamic` blocks stand for
 * their label and are not blocks of their own.
 */
export class View {
  private maps: { attrs: Map<string, Attribute>; blocks: Map<string, Block[]>; dynamic: Set<string> } | undefined;

  constructor(readonly body: Body) {}

  private lookup(): { attrs: Map<string, Attribute>; blocks: Map<string, Block[]>; dynamic: Set<string> } | undefined {
    if (this.maps || this.body.items.length <= SCAN_LIMIT) return this.maps;
    const attrs = new Map<string, Attribute>();
    const blocks = new Map<string, Block[]>();
    const dynamic = new Set<string>();
    for (const item of this.body.items) {
      if (item.kind === 'Attribute') attrs.set(item.name, item);
      else if (item.type === 'dynamic') {
        const l = item.labels[0]?.value;
        if (l !== undefined) dynamic.add(l);
      } else {
        let list = blocks.get(item.type);
        if (!list) blocks.set(item.type, (list = []));
        list.push(item);
      }
    }
    return (this.maps = { attrs, blocks, dynamic });
  }

  /** the argument `name` (the last one when the body repeats it) */
  attr(name: string): Attribute | undefined {
    const m = this.lookup();
    if (m) return m.attrs.get(name);
    const items = this.body.items;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (item.kind === 'Attribute' && item.name === name) return item;
    }
    return undefined;
  }

  /** whether some `dynamic "<type>"` block stands for blocks of this type */
  isDynamic(type: string): boolean {
    const m = this.lookup();
    if (m) return m.dynamic.has(type);
    const items = this.body.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Block' && item.type === 'dynamic' && item.labels[0]?.value === type) return true;
    }
    return false;
  }

  /** the blocks of a type, in order (not to be changed: often the shared empty list) */
  all(type: string): readonly Block[] {
    const m = this.lookup();
    if (m) return m.blocks.get(type) ?? NO_BLOCKS;
    if (type === 'dynamic') return NO_BLOCKS;
    let out: Block[] | undefined;
    const items = this.body.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Block' && item.type === type) (out ??= []).push(item);
    }
    return out ?? NO_BLOCKS;
  }

  /** how many blocks of a type (what `all(type).length` answers, without making the list) */
  count(type: string): number {
    const m = this.lookup();
    if (m) return m.blocks.get(type)?.length ?? 0;
    if (type === 'dynamic') return 0;
    let n = 0;
    const items = this.body.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Block' && item.type === type) n++;
    }
    return n;
  }

  one(type: string): Block | undefined {
    const m = this.lookup();
    if (m) return m.blocks.get(type)?.[0];
    if (type === 'dynamic') return undefined;
    const items = this.body.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'Block' && item.type === type) return item;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.attr(name) !== undefined;
  }

  /** the value of an argument when the file states it (undefined: absent or an expression) */
  value(name: string): Static | undefined {
    const a = this.attr(name);
    return a ? (staticValue(a.expr) as Static | undefined) : undefined;
  }

  /** absent → `absent`; present but not static → undefined */
  valueOr<T extends Static>(name: string, absent: T): Static | undefined {
    const a = this.attr(name);
    return a ? (staticValue(a.expr) as Static | undefined) : absent;
  }

  str(name: string): string | undefined {
    const v = this.value(name);
    return typeof v === 'string' ? v : undefined;
  }

  num(name: string): number | undefined {
    const v = this.value(name);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.value(name);
    return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
  }

  /** a duration in ns: absent → 0 */
  duration(name: string): number | undefined {
    if (!this.has(name)) return 0;
    const v = this.value(name);
    if (typeof v === 'number') return v;
    if (typeof v !== 'string') return undefined;
    const d = parseGoDuration(v);
    return d.ok ? d.ns : undefined;
  }

  nameRange(name: string): Range | undefined {
    return this.attr(name)?.nameRange;
  }
}

export const closed = (b: Block): boolean => b.closeBrace !== undefined;

/** `${…}` interpolations replaced the way Nomad does before checking a service name */
function stripInterpolations(s: string): string {
  return s.replace(/\$\{[^}]*\}/g, 'ENV-VAR');
}

const PORT_BLOCKS = ['port', 'reserved_ports', 'dynamic_ports'] as const;
/** the check types of each service provider */
const NOMAD_CHECKS: readonly string[] = ['tcp', 'http'];
const CONSUL_CHECKS: readonly string[] = ['grpc', 'tcp', 'http', 'script'];
/** the port labels of no network (shared: the sets of port labels are only read) */
const NO_PORTS: ReadonlySet<string> = new Set<string>();

/** the numbers each cron field takes (cronexpr's value patterns, without names) */
const CRON_FIELDS: readonly { name: string; value: RegExp }[] = [
  { name: 'second', value: /^(?:0?[0-9]|[1-5][0-9])$/ },
  { name: 'minute', value: /^(?:0?[0-9]|[1-5][0-9])$/ },
  { name: 'hour', value: /^(?:0?[0-9]|1[0-9]|2[0-3])$/ },
  { name: 'day-of-month', value: /^(?:0?[1-9]|[12][0-9]|3[01])$/ },
  { name: 'month', value: /^(?:0?[1-9]|1[012])$/ },
  { name: 'day-of-week', value: /^(?:0?[0-7])$/ },
];

/**
 * The first field of a cron spec whose numbers Nomad's cron parser (hashicorp/cronexpr) refuses, or
 * undefined. Only entries made of digits are judged (`5`, `1-5`, `*​/15`, `0-30/5`); a field with
 * names, L, W or # is left alone, and so is the year.
 */
export function cronFieldError(fields: readonly string[]): string | undefined {
  const n = Math.min(fields.length, 7);
  const names = n === 7 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  for (let i = 0; i < names.length && i < n; i++) {
    const f = fields[i]!;
    const { name, value } = names[i]!;
    const entries = f.split(',').filter(Boolean);
    for (const e of entries) {
      if (/\/0+$/.test(e) && /^(?:\*|\d+(?:-\d+)?)\/\d+$/.test(e))
        return `the ${name} field "${f}" has an interval of 0`;
      if (e === '*' || e === '?' || /^\*\/\d+$/.test(e)) continue;
      const m = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(e);
      if (!m) {
        if (/^[\d,/*?-]+$/.test(e)) return `the ${name} field "${f}" has a syntax error`;
        break;
      }
      for (const x of [m[1], m[2]])
        if (x !== undefined && !value.test(x)) return `${x} is out of range in the ${name} field ("${f}")`;
    }
  }
  return undefined;
}

const RFC1123 = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/i;
const SECOND = 1e9;

export class JobValidator {
  private jobType: string | undefined = 'service';
  private jobName = '';

  /** the target release ("1.6.5"); a rule of the inventory with a release range is judged by it */
  private readonly version: string;

  constructor(
    private readonly r: Reporter,
    target?: string,
  ) {
    const v = parseVersion(target);
    this.version = v ? `${v.major}.${v.minor}.${v.patch}` : '99.0.0';
  }

  /** whether the target release has the rule (./ruleInventory.ts) */
  private holds(id: string): boolean {
    return ruleHolds(ruleById(id), this.version);
  }

  /** the network modes Connect accepts in the target release: Nomad 1.11 added `cni/*` */
  private connectMode(mode: string, allowHost: boolean): boolean {
    if (mode === 'bridge' || (allowHost && mode === 'host')) return true;
    return mode.startsWith('cni/') && this.holds('connect.network-mode-111');
  }

  private error(range: Range, message: string, code: DiagnosticCode = Codes.nomadRefuses): void {
    report(this.r, range, DiagnosticSeverity.Error, code, message);
  }

  validate(job: Block): void {
    const j = new View(job.body);
    this.jobType = j.valueOr('type', 'service') as string | undefined;
    if (this.jobType !== undefined && typeof this.jobType !== 'string') this.jobType = undefined;
    const name = j.has('name') ? j.str('name') : job.labels[0]?.value;
    this.jobName = name ?? '';
    const nameKnown = name !== undefined && !/\$\{/.test(name);

    const groups = j.all('group');
    const loneTasks = j.all('task');
    if (closed(job) && groups.length === 0 && loneTasks.length === 0 && !j.isDynamic('group') && !j.isDynamic('task')) {
      this.error(
        job.typeRange,
        `Job "${job.labels[0]?.value ?? ''}" has no group: Nomad refuses a job without one. Add \`group "<name>" { task "<name>" { … } }\`.`,
        Codes.missingGroup,
      );
    }
    const batchLike = this.jobType === 'batch' || this.jobType === 'sysbatch';
    const typeKnown = this.jobType !== undefined;
    for (const p of j.all('periodic')) {
      const pv = new View(p.body);
      if (typeKnown && !batchLike && pv.bool('enabled') !== false) {
        this.error(
          p.typeRange,
          `A periodic job must be of type "batch" or "sysbatch"; this one is "${this.jobType}": Nomad refuses it.`,
        );
      }
      this.checkCron(pv);
    }
    for (const p of j.all('parameterized')) {
      if (typeKnown && !batchLike)
        this.error(
          p.typeRange,
          `A parameterized job must be of type "batch" or "sysbatch"; this one is "${this.jobType}": Nomad refuses it.`,
        );
    }
    if (this.jobType === 'system') {
      for (const t of ['affinity', 'spread'])
        for (const b of j.all(t))
          this.error(b.typeRange, `A system job cannot have a \`${t}\` block: Nomad refuses it.`);
    }
    for (let i = 0; i < groups.length; i++) this.group(groups[i]!, j, nameKnown); // (indexed: see lints.ts's lintJob)
    // a task at the job level becomes a group of its own (named after it) with no network
    for (const t of loneTasks) this.task(t, new View(t.body), undefined, new Set(), true, nameKnown);
  }

  /** cron specs Nomad's parser refuses: fewer than 5 fields, or a number out of its field's range */
  private checkCron(p: View): void {
    const specs: { value: string; range: Range }[] = [];
    const cron = p.attr('cron') ?? p.attr('crons');
    if (!cron) return;
    const v = staticValue(cron.expr);
    const values =
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    for (const value of values) specs.push({ value, range: cron.expr.range });
    for (const s of specs) {
      const spec = s.value.trim();
      if (spec.startsWith('@') || /\$\{/.test(spec)) continue;
      const fields = spec.split(/\s+/).filter(Boolean).length;
      if (fields < 5)
        this.error(
          s.range,
          `"${s.value}" is not a cron expression Nomad accepts: it has ${fields} field${fields === 1 ? '' : 's'}, at least 5 are needed (minute hour day-of-month month day-of-week).`,
        );
      else {
        // (fields beyond the 7th are ignored by Nomad's cron parser)
        const bad = cronFieldError(spec.split(/\s+/).filter(Boolean));
        if (bad) this.error(s.range, `"${s.value}" is not a cron expression Nomad accepts: ${bad}.`);
      }
    }
  }

  private group(g: Block, j: View, jobNameKnown: boolean): void {
    const gv = new View(g.body);
    const gname = g.labels[0]?.value ?? '';
    const tasks = gv.all('task');
    const networks = gv.all('network');
    const networksKnown = !gv.isDynamic('network');
    const services = gv.all('service');

    // connect: what the admission hook checks, and whether it adds a task to the group
    let injectsTask = false;
    for (const s of services) {
      const sv = new View(s.body);
      const connect = sv.one('connect');
      if (!connect) continue;
      const cv = new View(connect.body);
      const sidecar = cv.one('sidecar_service');
      const gateway = cv.one('gateway');
      const native = cv.bool('native') === true;
      const kinds = (sidecar ? 1 : 0) + (gateway ? 1 : 0) + (native ? 1 : 0);
      if (
        kinds === 0 &&
        cv.valueOr('native', false) !== undefined &&
        !cv.isDynamic('sidecar_service') &&
        !cv.isDynamic('gateway') &&
        closed(connect)
      ) {
        this.error(
          connect.typeRange,
          'A `connect` block needs one of `sidecar_service`, `gateway` or `native = true`: Nomad refuses it otherwise.',
        );
        continue;
      }
      if (kinds > 1) {
        this.error(
          connect.typeRange,
          'A `connect` block is either a sidecar, a gateway or native, not several of them: Nomad refuses it.',
        );
        continue;
      }
      if (sidecar || gateway) {
        injectsTask = true;
        if (!networksKnown) continue;
        const what = sidecar ? 'A Connect sidecar' : 'A Connect gateway';
        if (networks.length !== 1) {
          this.error(
            (sidecar ?? gateway)!.typeRange,
            `${what} needs exactly one \`network\` block in its group; group "${gname}" has ${networks.length}: Nomad refuses it.`,
          );
          continue;
        }
        // the admission hook looks at the mode before Nomad fills in its default: absent is ""
        const mode = new View(networks[0]!.body).valueOr('mode', '');
        if (typeof mode === 'string') {
          const uses = mode === '' ? 'sets no mode' : `uses "${mode}"`;
          if (sidecar && !this.connectMode(mode, false))
            this.error(
              sidecar.typeRange,
              `A Connect sidecar needs the group network in mode "bridge" (group "${gname}" ${uses}): Nomad refuses it.`,
            );
          if (gateway && !this.connectMode(mode, true))
            this.error(
              gateway.typeRange,
              `A Connect gateway needs the group network's \`mode\` set to "bridge" or "host" (group "${gname}" ${uses}): Nomad refuses it.`,
            );
        }
        if (sidecar) {
          const sname = sv.str('name');
          if (sname !== undefined && sname !== sname.toLowerCase())
            this.error(
              sv.attr('name')!.expr.range,
              `The name of a Connect service must be lowercase ("${sname}"): Nomad refuses it.`,
            );
          else if (gname !== gname.toLowerCase())
            this.error(
              g.labels[0]!.range,
              `A group with a Connect sidecar must have a lowercase name ("${gname}"): Nomad refuses it.`,
            );
        }
      } else if (native) {
        const taskName = sv.str('task');
        if (!sv.has('task') && tasks.length !== 1 && !gv.isDynamic('task')) {
          this.error(
            connect.typeRange,
            `A Connect native service must name its task (\`task = "<name>"\`) when its group does not have exactly one task: Nomad refuses it.`,
          );
        } else if (
          taskName !== undefined &&
          !tasks.some(t => t.labels[0]?.value === taskName) &&
          !gv.isDynamic('task')
        ) {
          this.error(
            sv.attr('task')!.expr.range,
            `No task "${taskName}" in group "${gname}" for this Connect native service: Nomad refuses it.`,
          );
        }
      }
    }
    // exposed checks need one bridge network
    for (const s of services) {
      for (const c of new View(s.body).all('check')) {
        if (new View(c.body).bool('expose') !== true || !networksKnown) continue;
        const mode = networks.length === 1 ? new View(networks[0]!.body).valueOr('mode', 'host') : undefined;
        if (networks.length !== 1)
          this.error(
            c.typeRange,
            `A check with \`expose = true\` needs exactly one \`network\` block in its group, in mode "bridge": Nomad refuses it.`,
          );
        else if (typeof mode === 'string' && !this.connectMode(mode, false))
          this.error(
            c.typeRange,
            `A check with \`expose = true\` needs the group network in mode "bridge" (not "${mode}"): Nomad refuses it.`,
          );
      }
    }

    if (closed(g) && tasks.length === 0 && !gv.isDynamic('task') && !injectsTask) {
      this.error(
        g.typeRange,
        `Group "${gname}" has no task: Nomad refuses a group without one. Add \`task "<name>" { driver = "…" }\`.`,
        Codes.missingTask,
      );
    }

    // count, scaling
    const scaling = gv.one('scaling');
    const sv = scaling ? new View(scaling.body) : undefined;
    const min = sv?.num('min');
    const count = gv.has('count') ? gv.num('count') : sv?.has('min') ? min : 1;
    if (count !== undefined && count < 0 && gv.has('count'))
      this.error(gv.nameRange('count')!, 'A group count cannot be negative: Nomad refuses it.');
    if (sv && min !== undefined && min < 0 && sv.has('min'))
      this.error(
        sv.nameRange('min')!,
        `The scaling minimum (${min}) cannot be negative: Nomad refuses it ("minimum count must be specified and non-negative").`,
      );
    if (sv && count !== undefined) {
      const max = sv.num('max');
      if (max !== undefined && count > max)
        this.error(
          gv.nameRange('count') ?? scaling!.typeRange,
          `The group count (${count}) is greater than the scaling maximum (${max}): Nomad refuses it.`,
        );
      if (min !== undefined && count < min && sv.has('min'))
        this.error(
          gv.nameRange('count') ?? scaling!.typeRange,
          `The group count (${count}) is less than the scaling minimum (${min}): Nomad refuses it.`,
        );
      if (min !== undefined && max !== undefined && min > max)
        this.error(
          sv.nameRange('min')!,
          `The scaling minimum (${min}) is greater than its maximum (${max}): Nomad refuses it.`,
        );
    }
    if (this.jobType === 'system' && count !== undefined && count > 1 && gv.has('count')) {
      this.error(
        gv.nameRange('count')!,
        `A system job runs one allocation per node: a count above 1 (${count}) is refused by Nomad.`,
      );
    }

    // job type rules
    const batchLike = this.jobType === 'batch' || this.jobType === 'sysbatch';
    if (this.jobType !== undefined && this.jobType !== 'service') {
      for (const m of gv.all('migrate'))
        this.error(
          m.typeRange,
          `A \`migrate\` block is only for service jobs; this job is "${this.jobType}": Nomad refuses it.`,
        );
      if (gv.all('migrate').length === 0)
        for (const m of j.all('migrate'))
          if (m.body.items.length > 0)
            this.error(
              m.typeRange,
              `A \`migrate\` block is only for service jobs; this job is "${this.jobType}": Nomad refuses it.`,
            );
    }
    if (batchLike) {
      for (const u of gv.all('update'))
        this.error(
          u.typeRange,
          `A \`update\` block is only for service and system jobs; this job is "${this.jobType}": Nomad refuses it.`,
        );
      // a job-level update reaches every group, even an empty one
      if (gv.all('update').length === 0)
        for (const u of j.all('update'))
          this.error(
            u.typeRange,
            `A \`update\` block is only for service and system jobs; this job is "${this.jobType}": Nomad refuses it.`,
          );
    }
    if (this.jobType === 'system') {
      // (the reschedule rule is "System jobs …" up to 1.10.5, "System or sysbatch jobs …" from 1.11.0)
      for (const t of ['affinity', 'spread', 'reschedule'])
        for (const b of gv.all(t))
          if (t !== 'reschedule' || this.holds('group.system-reschedule') || this.holds('group.sysbatch-reschedule'))
            this.error(b.typeRange, `A system job cannot have a \`${t}\` block: Nomad refuses it.`);
    }
    this.reschedule(gv, j);
    this.volumes(gv, j, gname, count);

    // tasks
    let leaders = 0;
    for (const t of tasks) {
      const tv = new View(t.body);
      if (tv.bool('leader') === true && ++leaders > 1)
        this.error(tv.nameRange('leader')!, 'Only one task of a group may be the leader: Nomad refuses more.');
    }
    const groupPorts = this.portLabels(networks);
    const group = g.labels[0]?.value;
    for (const s of services) this.service(s, group, undefined, jobNameKnown, undefined);
    for (const t of tasks) this.task(t, gv, group, groupPorts, networksKnown, jobNameKnown);
  }

  private reschedule(gv: View, j: View): void {
    if (this.jobType === undefined || this.jobType === 'system') return;
    const gr = gv.one('reschedule');
    const jr = j.one('reschedule');
    if (!gr && !jr) return;
    const pick = (name: string): Static | undefined | null => {
      for (const b of [gr, jr]) {
        if (!b) continue;
        const v = new View(b.body);
        if (v.has(name)) return v.value(name);
      }
      return null;
    };
    const batch = this.jobType === 'batch' || this.jobType === 'sysbatch';
    const a = pick('attempts');
    const u = pick('unlimited');
    if (a === undefined || u === undefined) return;
    const attempts = a === null ? (batch ? 1 : 0) : typeof a === 'number' ? a : Number(a);
    const unlimited = u === null ? !batch : u === true || u === 'true';
    if (Number.isNaN(attempts) || !(attempts > 0 && unlimited)) return;
    const at =
      gr && new View(gr.body).has('attempts') ? new View(gr.body).nameRange('attempts')! : (gr ?? jr)!.typeRange;
    this.error(
      at,
      u === null
        ? `\`attempts = ${attempts}\` with \`unlimited\` left at its default for a ${this.jobType} job (true) is ambiguous: Nomad refuses it. Set \`unlimited = false\`.`
        : `\`attempts = ${attempts}\` with \`unlimited = true\` is ambiguous: Nomad refuses it. Remove one of them.`,
    );
  }

  private volumes(gv: View, j: View, gname: string, count: number | undefined): void {
    let canaries: number | undefined = 0;
    const upd = gv.one('update') ?? j.one('update');
    if (upd) {
      const uv = new View(upd.body);
      canaries = uv.has('canary') ? uv.num('canary') : 0;
    }
    for (const v of gv.all('volume')) {
      const vv = new View(v.body);
      const type = vv.str('type');
      const name = v.labels[0]?.value ?? '';
      if (!vv.has('type')) continue;
      if (type === undefined) continue;
      if (vv.bool('per_alloc') === true) {
        if (this.jobType === 'system' || this.jobType === 'sysbatch')
          this.error(
            vv.nameRange('per_alloc')!,
            `A \`per_alloc\` volume cannot be used in a ${this.jobType} job: Nomad refuses it.`,
          );
        if (canaries !== undefined && canaries > 0)
          this.error(
            vv.nameRange('per_alloc')!,
            `Volume "${name}" is \`per_alloc\` while the group's update uses canaries: Nomad refuses it.`,
          );
      }
      if (type === 'csi' && closed(v)) {
        if (!vv.has('attachment_mode'))
          this.error(
            v.typeRange,
            `CSI volume "${name}" needs \`attachment_mode\` ("file-system" or "block-device"): Nomad refuses it without.`,
          );
        if (!vv.has('access_mode'))
          this.error(
            v.typeRange,
            `CSI volume "${name}" needs \`access_mode\` (e.g. "single-node-writer"): Nomad refuses it without.`,
          );
        const access = vv.str('access_mode');
        const ro = vv.bool('read_only');
        if ((access === 'single-node-reader-only' || access === 'multi-node-reader-only') && ro === false) {
          this.error(
            vv.nameRange('access_mode')!,
            `A ${access} volume must be mounted read-only (\`read_only = true\`): Nomad refuses it.`,
          );
        } else if (
          (access === 'single-node-reader-only' || access === 'multi-node-reader-only') &&
          !vv.has('read_only')
        ) {
          this.error(
            vv.nameRange('access_mode')!,
            `A ${access} volume must be mounted read-only (\`read_only = true\`): Nomad refuses it.`,
          );
        }
        if (
          (access === 'single-node-writer' || access === 'single-node-reader-only') &&
          count !== undefined &&
          count > 1 &&
          vv.bool('per_alloc') !== true &&
          vv.valueOr('per_alloc', false) !== undefined
        ) {
          this.error(
            vv.nameRange('access_mode')!,
            `Volume "${name}" (${access}) can serve one allocation, and group "${gname}" runs ${count}: Nomad refuses it (use \`per_alloc = true\`).`,
          );
        }
      } else if (type === 'host') {
        if (this.holds('volume.host-attachment-mode') && vv.has('attachment_mode'))
          this.error(
            vv.nameRange('attachment_mode')!,
            'A host volume cannot have `attachment_mode`: Nomad refuses it.',
          );
        if (this.holds('volume.host-access-mode') && vv.has('access_mode'))
          this.error(vv.nameRange('access_mode')!, 'A host volume cannot have `access_mode`: Nomad refuses it.');
        // from 1.10 a host volume takes the single-node access modes (dynamic host volumes are per node)
        const access = vv.str('access_mode');
        if (
          this.holds('volume.host-access-mode-110') &&
          access !== undefined &&
          access !== '' &&
          ![
            'single-node-reader-only',
            'single-node-writer',
            'single-node-single-writer',
            'single-node-multi-writer',
          ].includes(access)
        ) {
          this.error(
            vv.attr('access_mode')!.expr.range,
            `A host volume cannot be mounted with the access mode "${access}" (only the single-node modes): Nomad refuses it.`,
            Codes.nomadRefusesInRelease,
          );
        }
        if (vv.one('mount_options'))
          this.error(
            vv.one('mount_options')!.typeRange,
            'A host volume cannot have `mount_options`: Nomad refuses it.',
          );
      }
    }
  }

  /** the port labels a set of network blocks defines (undefined: not known) */
  private portLabels(networks: readonly Block[]): ReadonlySet<string> | undefined {
    if (networks.length === 0) return NO_PORTS; // (every task with resources asks, nearly all have no network)
    const out = new Set<string>();
    for (const n of networks) {
      const nv = new View(n.body);
      if (nv.isDynamic('port')) return undefined;
      for (const type of PORT_BLOCKS) {
        const ports = nv.all(type);
        for (let i = 0; i < ports.length; i++) out.add(ports[i]!.labels[0]?.value ?? '');
      }
    }
    return out;
  }

  /** `group`: the name of the task's group (undefined for a task at the job level, or a group without a label) */
  private task(
    t: Block,
    gv: View,
    group: string | undefined,
    groupPorts: ReadonlySet<string> | undefined,
    networksKnown: boolean,
    jobNameKnown: boolean,
  ): void {
    const tv = new View(t.body);
    const tname = t.labels[0]?.value ?? '';
    if (closed(t) && !tv.has('driver')) {
      this.error(
        t.typeRange,
        `Task "${tname}" has no driver: Nomad refuses it. Add \`driver = "docker"\` (or exec, raw_exec, java …).`,
        Codes.missingAttribute,
      );
    }
    if (/[/\\]/.test(tname)) this.error(t.labels[0]!.range, 'A task name cannot contain slashes: Nomad refuses it.');
    // task scaling blocks: a type must match the label
    for (const s of tv.all('scaling')) {
      const label = (s.labels[0]?.value ?? '').toLowerCase();
      const want = label === 'cpu' ? 'vertical_cpu' : label === 'mem' ? 'vertical_mem' : undefined;
      const type = new View(s.body).str('type');
      if (want && type !== undefined && type !== want)
        this.error(
          new View(s.body).attr('type')!.expr.range,
          `A scaling "${label}" block has type "${want}", not "${type}": Nomad refuses it.`,
        );
    }
    // resources below Nomad's minimum (when stated: Nomad's defaults are above it)
    const res = tv.one('resources');
    if (res) {
      const rv = new View(res.body);
      const cpu = rv.num('cpu');
      const memory = rv.num('memory');
      const cores = rv.num('cores');
      if (memory !== undefined && memory < 10)
        this.error(rv.attr('memory')!.expr.range, `The minimum memory is 10 MB; ${memory} is refused by Nomad.`);
      if (cpu !== undefined && cpu < 1 && !rv.has('cores'))
        this.error(rv.attr('cpu')!.expr.range, `The minimum cpu is 1 MHz; ${cpu} is refused by Nomad.`);
      if (cpu !== undefined && cpu > 0 && cores !== undefined && cores > 0)
        this.error(rv.nameRange('cores')!, 'A task asks for `cpu` or `cores`, not both: Nomad refuses it.');
    }
    // templates
    for (const tpl of tv.all('template')) {
      if (!closed(tpl)) continue;
      const v = new View(tpl.body);
      // (an empty string is as good as absent to Nomad's Template.Validate)
      const empty = (name: string): boolean => !v.has(name) || v.str(name) === '';
      if (empty('source') && empty('data'))
        this.error(tpl.typeRange, 'A template needs `source` or `data` (not empty): Nomad refuses it without.');
      if (empty('destination'))
        this.error(tpl.typeRange, 'A template needs `destination` (not empty): Nomad refuses it without.');
    }
    // task-level ports: the group network's labels and those of the task's own (deprecated) network
    let ports = groupPorts;
    if (ports && networksKnown) {
      const res = tv.one('resources');
      if (res) {
        const own = this.portLabels(new View(res.body).all('network'));
        if (own) {
          if (own.size > 0) {
            const both = new Set(ports);
            for (const p of own) both.add(p);
            ports = both;
          }
        } else ports = undefined;
      }
    } else ports = undefined;
    if (gv.count('network') > 1) ports = undefined; // Nomad looks at the first network only; stay out of it
    for (const s of tv.all('service')) this.service(s, group, tname, jobNameKnown, ports);
  }

  /** Service.Validate and the task-level port checks; `ports` undefined: labels not known */
  private service(
    s: Block,
    group: string | undefined,
    task: string | undefined,
    jobNameKnown: boolean,
    ports: ReadonlySet<string> | undefined,
  ): void {
    const sv = new View(s.body);
    const provider = sv.valueOr('provider', 'consul');
    // the name: stated, or Nomad's default <job>-<group>-<task> (group services: <job>-<group>)
    if (sv.has('name')) {
      const name = sv.str('name');
      if (name !== undefined && !RFC1123.test(stripInterpolations(name))) {
        this.error(
          sv.attr('name')!.expr.range,
          `"${name}" is not a valid service name: Nomad wants letters, digits and dashes (RFC 1123), at most 63 characters, not starting or ending with a dash.`,
        );
      }
    } else if (jobNameKnown) {
      if (group !== undefined) {
        const name = task !== undefined ? `${this.jobName}-${group}-${task}` : `${this.jobName}-${group}`;
        if (!RFC1123.test(stripInterpolations(name))) {
          this.error(
            s.typeRange,
            `This service has no name, so Nomad names it "${name}", which is not a valid service name (RFC 1123: letters, digits and dashes): Nomad refuses it. Give it a \`name\`.`,
          );
        }
      }
    }
    const servicePort = sv.has('port') ? sv.str('port') : '';
    const addressMode = sv.str('address_mode');
    if (task !== undefined && sv.one('connect'))
      this.error(
        sv.one('connect')!.typeRange,
        'Only a group-level service can have a `connect` block: Nomad refuses it in a task.',
      );
    if (provider === 'nomad' && sv.one('connect'))
      this.error(
        sv.one('connect')!.typeRange,
        'A service with `provider = "nomad"` cannot use Connect: Nomad refuses it.',
      );
    const portRefs: { label: string; range: Range }[] = [];
    if (task !== undefined && servicePort && !(addressMode === 'driver' && /^\d+$/.test(servicePort))) {
      portRefs.push({ label: servicePort, range: sv.attr('port')!.expr.range });
    }
    let names: Set<string> | undefined; // (made for the first named check of a task service)
    for (const c of sv.all('check')) {
      const cv = new View(c.body);
      if (!closed(c)) continue;
      const cname = cv.str('name');
      if (task !== undefined && cname !== undefined) {
        if (names?.has(cname))
          this.error(
            cv.attr('name')!.expr.range,
            `Another check of this service is named "${cname}": Nomad refuses duplicates.`,
          );
        (names ??= new Set()).add(cname);
      }
      const typeV = cv.valueOr('type', '');
      if (typeof typeV !== 'string') continue;
      const type = typeV.toLowerCase();
      const allowed = provider === 'nomad' ? NOMAD_CHECKS : provider === 'consul' ? CONSUL_CHECKS : undefined;
      if (!allowed) continue;
      if (!allowed.includes(type)) {
        this.error(
          cv.attr('type')?.expr.range ?? c.typeRange,
          type === ''
            ? `A check needs a \`type\` (${allowed.join(', ')}): Nomad refuses it without.`
            : `"${typeV}" is not a check type for ${provider} services (${allowed.join(', ')}): Nomad refuses it.`,
        );
        continue;
      }
      if (type === 'http' && !cv.has('path')) {
        this.error(c.typeRange, 'An http check needs a `path`: Nomad refuses it without.');
        continue;
      }
      const path = cv.str('path');
      if (type === 'http' && path !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(path)) {
        this.error(
          cv.attr('path')!.expr.range,
          'The path of an http check must be relative (no scheme): Nomad refuses it.',
        );
        continue;
      }
      if (type === 'script' && provider === 'consul' && !cv.has('command')) {
        this.error(c.typeRange, 'A script check needs a `command`: Nomad refuses it without.');
        continue;
      }
      const interval = cv.duration('interval');
      if (interval !== undefined && interval < SECOND) {
        this.error(
          cv.nameRange('interval') ?? c.typeRange,
          interval === 0
            ? 'A check needs an `interval` (at least 1s): Nomad refuses it without.'
            : 'A check interval must be at least 1s: Nomad refuses it.',
        );
        continue;
      }
      const timeout = cv.duration('timeout');
      if (timeout !== undefined && timeout < SECOND) {
        this.error(
          cv.nameRange('timeout') ?? c.typeRange,
          timeout === 0
            ? 'A check needs a `timeout` (at least 1s): Nomad refuses it without.'
            : 'A check timeout must be at least 1s: Nomad refuses it.',
        );
        continue;
      }
      const needsPort = type === 'grpc' || type === 'http' || type === 'tcp';
      if (!needsPort) continue;
      const checkPort = cv.has('port') ? cv.str('port') : '';
      if (checkPort === undefined || servicePort === undefined) continue;
      if (checkPort === '' && servicePort === '') {
        this.error(
          c.typeRange,
          `A ${type} check needs a port, and neither the check nor its service sets one: Nomad refuses it.`,
        );
        continue;
      }
      if (task !== undefined) {
        const eff = checkPort || servicePort;
        const caddr = cv.str('address_mode');
        if (/^\d+$/.test(eff)) {
          if (caddr !== 'driver' && cv.valueOr('address_mode', '') !== undefined)
            this.error(
              cv.attr('port')?.expr.range ?? c.typeRange,
              `A check cannot use the numeric port ${eff} unless \`address_mode = "driver"\`: Nomad refuses it.`,
            );
        } else if (checkPort) portRefs.push({ label: checkPort, range: cv.attr('port')!.expr.range });
      }
    }
    if (ports) {
      for (const ref of portRefs) {
        if (/\$\{/.test(ref.label) || ports.has(ref.label)) continue;
        this.error(
          ref.range,
          ports.size
            ? `No network of this group defines the port "${ref.label}" (it has ${[...ports].map(p => `"${p}"`).join(', ')}): Nomad refuses it.`
            : `No network of this group defines the port "${ref.label}": Nomad refuses it. Add \`network { port "${ref.label}" {} }\` to the group.`,
        );
      }
    }
  }
}

/** Nomad's register-time refusals for the job blocks of a file. */
export function validateJobs(r: Reporter, items: readonly (Attribute | Block)[], target?: string): void {
  for (const item of items) {
    if (item.kind !== 'Block' || item.type !== 'job') continue;
    new JobValidator(r, target).validate(item);
  }
}
