// More of what Nomad refuses at register time, judged from the file: the rules of its `Validate` methods
// on update, migrate, restart and reschedule policies, ephemeral disks and logs, resources, kill
// timeouts, constraints, affinities and spreads, templates, artifacts, volume mounts, networks and the
// job endpoint's checks (priority). Every rule reports through its id in the rule inventory
// (./ruleInventory.ts), which says in which Nomad releases it holds: a rule the target release does not
// have stays silent. Values are Nomad's effective ones: a group block merged field by field over the
// job's, then Nomad's defaults for the job type (as its api Canonicalize does). A value the file does
// not state (an expression, a `dynamic` block) keeps its rule silent. Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { staticValue, type Attribute, type Block, type Body, type Range } from '../hcl';
import { compareVersions, parseVersion } from '../schema/versions';
import { goRegexpError, goVersionConstraintError, semverConstraintError } from './goSyntax';
import { report, type Reporter } from './report';
import { ruleById, ruleHolds, type RuleId } from './ruleInventory';
import { Codes, type DiagnosticCode } from './types';
import { closed, View } from './validate';

/** the first Nomad release built with Go 1.22, whose RE2 also reads `(?<name>…)` */
const GO122_SINCE = '1.8.0';
const S = 1e9;

/** one View per body (a body is looked at by several rules; its View's lookup maps are made once) */
const VIEWS = new WeakMap<Body, View>();
function viewOf(body: Body): View {
  let v = VIEWS.get(body);
  if (!v) VIEWS.set(body, (v = new View(body)));
  return v;
}
const M = 60 * S;
const H = 60 * M;

/** A duration as Go's time.Duration String() writes it ("15m0s", "1h0m0s", "500ms", "0s"). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < S) {
    const [unit, div] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFloat(u / div)}${unit}`;
  } else {
    const h = Math.floor(u / H);
    u -= h * H;
    const m = Math.floor(u / M);
    u -= m * M;
    const sec = trimFloat(u / S);
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** One field of a policy as Nomad sees it: the group's value, else the job's, else the default. */
interface Field<T> {
  value: T | undefined;
  /** where the file states it (undefined: Nomad's default) */
  at: Range | undefined;
  /** false: stated but not known (an expression) */
  known: boolean;
}

type Kind = 'num' | 'dur' | 'bool' | 'str';

function read(view: View, name: string, kind: Kind): number | boolean | string | undefined {
  switch (kind) {
    case 'num':
      return view.num(name);
    case 'dur':
      return view.duration(name);
    case 'bool':
      return view.bool(name);
    case 'str':
      return view.str(name);
  }
}

/** a field from the first of `blocks` that states it, else `dflt` */
function field<T extends number | boolean | string = number>(
  blocks: (Block | undefined)[],
  name: string,
  kind: Kind,
  dflt: T | undefined,
): Field<T> {
  for (const b of blocks) {
    if (!b) continue;
    const v = viewOf(b.body);
    const a = v.attr(name);
    if (!a) continue;
    const value = read(v, name, kind) as T | undefined;
    return { value, at: a.nameRange, known: value !== undefined };
  }
  return { value: dflt, at: undefined, known: true };
}

const known = (...fs: Field<unknown>[]): boolean => fs.every(f => f.known);

const RESTART_DEFAULTS = {
  service: { attempts: 2, delay: 15 * S, interval: 30 * M, mode: 'fail' },
  batch: { attempts: 3, delay: 15 * S, interval: 24 * H, mode: 'fail' },
} as const;

const RESCHEDULE_DEFAULTS: Record<
  string,
  { attempts: number; interval: number; delay: number; fn: string; max: number; unlimited: boolean }
> = {
  service: { attempts: 0, interval: 0, delay: 30 * S, fn: 'exponential', max: H, unlimited: true },
  batch: { attempts: 1, interval: 24 * H, delay: 5 * S, fn: 'constant', max: 0, unlimited: false },
  // (the api has no defaults for sysbatch: every field zero, so a policy that states no attempts is off)
  sysbatch: { attempts: 0, interval: 0, delay: 0, fn: '', max: 0, unlimited: false },
};

const UPDATE_DEFAULTS = {
  maxParallel: 1,
  stagger: 30 * S,
  minHealthy: 10 * S,
  healthy: 5 * M,
  progress: 10 * M,
  canary: 0,
};

const CONSTRAINT_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '==',
  'is',
  '!=',
  'not',
  '<',
  '<=',
  '>',
  '>=',
  'distinct_hosts',
  'distinct_property',
  'regexp',
  'version',
  'semver',
  'set_contains',
  'set_contains_all',
  'set_contains_any',
  'is_set',
  'is_not_set',
]);
const NEED_RTARGET: ReadonlySet<string> = new Set(['=', '==', 'is', '!=', 'not', '<', '<=', '>', '>=']);
const SET_CONTAINS: ReadonlySet<string> = new Set(['set_contains', 'set_contains_all', 'set_contains_any']);

/** a constraint or affinity as jobspec2 decodes it: the shorthand attributes set the operator */
const UNKNOWN = Symbol('unknown');

interface Decoded {
  operand: string;
  /** UNKNOWN: stated, not known before Nomad evaluates it (never empty) */
  ltarget: string | typeof UNKNOWN;
  rtarget: string | typeof UNKNOWN;
  /** the argument that states the operator / its value (for the range) */
  opAt: Range;
  valueAt: Range;
  attrAt: Range | undefined;
}

export class RegisterRules {
  private readonly version: string;
  private readonly seen = new Set<string>();
  private jobType: string | undefined = 'service';

  constructor(
    private readonly r: Reporter,
    target: string | undefined,
  ) {
    const v = parseVersion(target);
    this.version = v ? `${v.major}.${v.minor}.${v.patch}` : '99.0.0';
  }

  /** reports a rule when the target release has it (once per place and message) */
  private fail(id: RuleId, range: Range, message: string): void {
    const rule = ruleById(id);
    if (!ruleHolds(rule, this.version)) return;
    const key = `${range.start}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // a rule of some releases only says so in its code (the target decides it, like a field's release)
    const code =
      (rule.code as DiagnosticCode | undefined) ??
      (rule.since !== '1.6.5' || rule.last ? Codes.nomadRefusesInRelease : Codes.nomadRefuses);
    report(this.r, range, DiagnosticSeverity.Error, code, message);
  }

  private holds(id: RuleId): boolean {
    return ruleHolds(ruleById(id), this.version);
  }

  validate(job: Block): void {
    const j = viewOf(job.body);
    const type = j.valueOr('type', 'service');
    this.jobType = typeof type === 'string' ? type : undefined;
    this.priority(j);
    this.placement(j, 'job');
    this.jobShape(job, j);
    for (const g of j.all('group')) this.group(g, j);
    // a task at the job level is a group of its own, named after it (job-level blocks reach it too)
    for (const t of j.all('task')) this.group({ ...t, type: 'group', body: { ...t.body, items: [t] } }, j);
  }

  private priority(j: View): void {
    const p = j.num('priority');
    if (p === undefined || !j.has('priority')) return;
    if (p < 1 || p > 100)
      this.fail(
        'job.priority-range',
        j.attr('priority')!.expr.range,
        `The job priority must be between 1 and 100 (Nomad's default limit; a server's \`job_max_priority\` can raise it); ${p} is refused: "job priority must be between [1, 100]".`,
      );
  }

  /** the job's ID, datacenters, periodic and parameterized blocks */
  private jobShape(job: Block, j: View): void {
    const label = job.labels[0];
    const id = j.has('id') ? j.str('id') : label?.value;
    const idAt = j.attr('id')?.expr.range ?? label?.range;
    if (id !== undefined && idAt && id.includes(' '))
      this.fail('job.id-space', idAt, `A job ID cannot contain a space ("${id}"): Nomad refuses it. Use dashes.`);
    const ui = j.one('ui');
    if (ui) {
      const uv = viewOf(ui.body);
      const desc = uv.str('description');
      const bytes = desc === undefined ? 0 : new TextEncoder().encode(desc).length;
      if (bytes > 1000)
        this.fail(
          'job.ui-description',
          uv.attr('description')!.expr.range,
          `The UI description has ${bytes} characters (bytes); Nomad refuses more than 1000.`,
        );
    }
    const dcs = j.attr('datacenters');
    if (dcs && dcs.expr.kind === 'Tuple') {
      for (const item of dcs.expr.items)
        if (staticValue(item) === '')
          this.fail(
            'job.datacenter-empty',
            item.range,
            'A datacenter name cannot be empty: Nomad refuses "" in `datacenters`.',
          );
    }
    for (const p of j.all('periodic')) {
      const pv = viewOf(p.body);
      if (pv.bool('enabled') === false || (!pv.has('enabled') && pv.valueOr('enabled', true) === undefined)) continue;
      const cron = pv.attr('cron'),
        crons = pv.attr('crons');
      const cronsList = crons ? staticValue(crons.expr) : undefined;
      if (cron && crons && Array.isArray(cronsList) && cronsList.length > 0 && pv.str('cron') !== '')
        this.fail(
          'periodic.cron-or-crons',
          crons.nameRange,
          'A periodic block takes `cron` or `crons`, not both: Nomad refuses it ("Only cron or crons may be used").',
        );
      else if (closed(p) && !cron && (!crons || (Array.isArray(cronsList) && cronsList.length === 0)))
        this.fail(
          'periodic.needs-spec',
          crons?.expr.range ?? p.typeRange,
          'A periodic block needs a schedule (`crons = ["…"]`): Nomad refuses it without ("Must specify a spec").',
        );
    }
    for (const p of j.all('parameterized')) {
      const pv = viewOf(p.body);
      const req = pv.value('meta_required'),
        opt = pv.value('meta_optional');
      if (!Array.isArray(req) || !Array.isArray(opt)) continue;
      const both = opt.filter(k => typeof k === 'string' && req.includes(k));
      if (both.length)
        this.fail(
          'parameterized.meta-disjoint',
          pv.attr('meta_optional')!.expr.range,
          `${both.map(k => `"${String(k)}"`).join(', ')} ${both.length === 1 ? 'is' : 'are'} both required and optional: Nomad refuses meta keys in both lists.`,
        );
    }
  }

  // ---- constraints, affinities, spreads ------------------------------------------------------------

  /**
   * The text Nomad's parser keeps for a string of runtime interpolations (`"${node.class}"`: jobspec2
   * leaves variables it does not know intact), or undefined for anything else (var., local., functions).
   */
  private keptText(a: Attribute | undefined): string | undefined {
    if (!a) return undefined;
    const raw = this.r.file.text.slice(a.expr.range.start, a.expr.range.end);
    const m = /^"((?:[^"\\$]|\$\$\{|\$\{(?!(?:var|local)\.)[A-Za-z_][\w.-]*\}|\$(?!\{))*)"$/.exec(raw);
    return m ? m[1]!.replace(/\$\$\{/g, '${') : undefined;
  }

  private decode(b: Block, affinity: boolean): Decoded | undefined {
    const v = viewOf(b.body);
    /** the text of an argument: null when absent, UNKNOWN when not static (`${attr.x}` is Nomad's to fill) */
    const str = (name: string): string | null | typeof UNKNOWN => {
      const a = v.attr(name);
      if (!a) return null;
      const x = staticValue(a.expr);
      if (typeof x === 'string') return x;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      return UNKNOWN;
    };
    const operator = str('operator');
    if (operator === UNKNOWN) return undefined;
    let operand = operator ?? '';
    let rtarget: string | typeof UNKNOWN = str('value') ?? '';
    const attribute = str('attribute');
    let ltarget: string | typeof UNKNOWN = attribute ?? '';
    let opAt = v.attr('operator')?.expr.range ?? b.typeRange;
    let valueAt = v.attr('value')?.expr.range ?? opAt;
    const shorthands = affinity
      ? ['version', 'semver', 'regexp', 'set_contains_any', 'set_contains_all', 'set_contains']
      : ['version', 'semver', 'regexp', 'set_contains'];
    for (const name of shorthands) {
      const x = str(name);
      if (x === UNKNOWN) return undefined; // (whether it is empty decides the operator)
      if (x) {
        operand = name;
        rtarget = x;
        opAt = valueAt = v.attr(name)!.expr.range;
      }
    }
    if (!affinity) {
      const dh = v.attr('distinct_hosts');
      if (dh) {
        const x = staticValue(dh.expr);
        if (typeof x !== 'boolean' && x !== 'true' && x !== 'false') return undefined;
        operand = 'distinct_hosts';
        rtarget = String(x === true || x === 'true');
        opAt = dh.nameRange;
      }
      const dp = str('distinct_property');
      if (dp) {
        operand = 'distinct_property';
        ltarget = dp;
        opAt = v.attr('distinct_property')!.nameRange;
      }
    }
    if (operand === '') operand = '=';
    return { operand, ltarget, rtarget, opAt, valueAt, attrAt: v.attr('attribute')?.nameRange };
  }

  private placement(v: View, level: 'job' | 'group' | 'task'): void {
    if (v.isDynamic('constraint') || v.isDynamic('affinity')) return;
    for (const c of v.all('constraint')) {
      if (!closed(c)) continue;
      const d = this.decode(c, false);
      if (!d) continue;
      this.operandRules(d, c, false);
      const attr = viewOf(c.body).str('attribute') ?? this.keptText(viewOf(c.body).attr('attribute'));
      if (attr !== undefined && attr.startsWith('${') && !attr.endsWith('}'))
        this.fail(
          'constraint.attribute-closing-brace',
          viewOf(c.body).attr('attribute')!.expr.range,
          `The attribute "${attr}" is missing its closing brace: this Nomad release refuses it.`,
        );
      else if (
        attr !== undefined &&
        attr.startsWith('${') &&
        !['${node.unique.id}', '${node.datacenter}', '${node.unique.name}', '${node.class}', '${node.pool}'].includes(
          attr,
        ) &&
        !['${attr.', '${device.', '${meta.'].some(p => attr.startsWith(p))
      ) {
        this.fail(
          'constraint.attribute-unsupported',
          viewOf(c.body).attr('attribute')!.expr.range,
          `"${attr}" is not an attribute a constraint can read (\${node.unique.id}, \${node.datacenter}, \${node.unique.name}, \${node.class}, \${node.pool}, or \${attr.…}, \${meta.…}, \${device.…}): this Nomad release refuses it.`,
        );
      }
      if (attr !== undefined && attr.startsWith('$') && !attr.startsWith('${'))
        this.fail(
          'constraint.attribute-opening-brace',
          viewOf(c.body).attr('attribute')!.expr.range,
          `The attribute "${attr}" is missing its opening brace (write \`\${…}\`): this Nomad release refuses it.`,
        );
      if (level === 'task' && (d.operand === 'distinct_hosts' || d.operand === 'distinct_property')) {
        this.fail(
          'constraint.task-level-distinct',
          d.opAt,
          `A task cannot have a \`${d.operand}\` constraint (only a job or a group can): Nomad refuses it ("Constraint has disallowed Operand at task level: ${d.operand}").`,
        );
      }
    }
    if (this.jobType === 'system') {
      // (validate.ts reports the job's and groups' affinities of a system job; a task's are reported here)
      if (level === 'task')
        for (const a of v.all('affinity'))
          this.fail(
            'task.system-affinity',
            a.typeRange,
            'A system job cannot have an `affinity` block, in a task neither: Nomad refuses it.',
          );
      return;
    }
    for (const a of v.all('affinity')) {
      if (!closed(a)) continue;
      const d = this.decode(a, true);
      if (!d) continue;
      this.operandRules(d, a, true);
      const av = viewOf(a.body);
      if (!av.has('weight')) continue;
      const w = av.num('weight');
      if (w === undefined) continue;
      const at = av.attr('weight')!.expr.range;
      // jobspec2 keeps the weight as an int8: 150 wraps around to -106
      const w8 = ((((Math.trunc(w) + 128) % 256) + 256) % 256) - 128;
      if (w8 === 0)
        this.fail(
          'affinity.weight-zero',
          at,
          `An affinity weight cannot be zero${w !== 0 ? ` (${w} becomes 0 as Nomad's 8-bit weight)` : ''}: Nomad refuses it ("Affinity weight cannot be zero"). Use -100 to 100, not 0.`,
        );
      else if (w > 100 || w < -100)
        this.fail(
          'affinity.weight-range',
          at,
          `An affinity weight must be within -100 and 100; ${w} is refused by Nomad ("Affinity weight must be within the range [-100,100]").`,
        );
    }
    if (v.isDynamic('spread')) return;
    for (const s of v.all('spread')) this.spread(s);
  }

  private operandRules(d: Decoded, b: Block, affinity: boolean): void {
    const what = affinity ? 'affinity' : 'constraint';
    const id = (x: string): RuleId => `${what}.${x}` as RuleId;
    if (
      !CONSTRAINT_OPERATORS.has(d.operand) ||
      (affinity && ['distinct_hosts', 'distinct_property', 'is_set', 'is_not_set'].includes(d.operand))
    ) {
      if (affinity)
        this.fail(
          'affinity.unknown-operator',
          d.opAt,
          `"${d.operand}" is not an affinity operator: Nomad refuses it ("Unknown affinity operator").`,
        );
      return; // (an unknown constraint operator is an enum error of the schema check)
    }
    if (SET_CONTAINS.has(d.operand) && d.rtarget === '')
      this.fail(
        id('set-contains-needs-value'),
        d.opAt,
        `A \`${d.operand}\` ${what} needs a \`value\`: Nomad refuses it without.`,
      );
    const rt = d.rtarget;
    if (rt === UNKNOWN) {
      /* the value's rules need its text */
    } else if (d.operand === 'regexp') {
      const err = goRegexpError(rt, { angleNames: compareVersions(this.version, GO122_SINCE) >= 0 });
      if (err)
        this.fail(
          id('regexp'),
          d.valueAt,
          `This regular expression does not compile in Go (RE2 syntax): ${err}. Nomad refuses it ("Regular expression failed to compile").`,
        );
    } else if (d.operand === 'version') {
      const err = goVersionConstraintError(rt);
      if (err)
        this.fail(
          id('version'),
          d.valueAt,
          `"${rt}" is not a version constraint (such as ">= 1.2, < 2.0"): Nomad refuses it ("Version ${what} is invalid: ${err}").`,
        );
    } else if (d.operand === 'semver') {
      const err = semverConstraintError(rt);
      if (err)
        this.fail(
          id('semver'),
          d.valueAt,
          `"${rt}" is not a semver constraint (such as ">= 1.2.0-beta"; no \`~>\`): Nomad refuses it ("Semver ${what} is invalid: ${err}").`,
        );
    }
    if (!affinity && d.operand === 'distinct_property' && rt !== UNKNOWN && rt !== '') {
      if (!/^\d+$/.test(rt))
        this.fail(
          'constraint.distinct-property-count',
          d.valueAt,
          `The count of a \`distinct_property\` constraint must be a whole number; "${rt}" is refused by Nomad ("Failed to convert RTarget to uint64").`,
        );
      else if (Number(rt) < 1)
        this.fail(
          'constraint.distinct-property-min',
          d.valueAt,
          `The count of a \`distinct_property\` constraint must be 1 or more: Nomad refuses ${rt}.`,
        );
    }
    if (!affinity && (d.operand === 'is_set' || d.operand === 'is_not_set') && d.rtarget !== '') {
      this.fail(
        'constraint.is-set-value',
        d.valueAt,
        `A \`${d.operand}\` constraint takes no \`value\`: Nomad refuses it ("Operator does not support an RTarget").`,
      );
    }
    if (NEED_RTARGET.has(d.operand) && d.rtarget === '')
      this.fail(
        id('needs-value'),
        d.opAt,
        `The operator "${d.operand}" needs a \`value\`: Nomad refuses this ${what} without one.`,
      );
    const needsL = affinity || d.operand !== 'distinct_hosts';
    if (needsL && d.ltarget === '') {
      // (constraints: the message changed in 1.11.2, one rule per wording)
      this.fail(
        affinity || this.holds('constraint.needs-attribute')
          ? id('needs-attribute')
          : 'constraint.needs-attribute-operator',
        d.attrAt ?? b.typeRange,
        `This ${what} needs an \`attribute\` (such as "\${attr.kernel.name}"): Nomad refuses it without.`,
      );
    }
  }

  private spread(s: Block): void {
    if (!closed(s)) return;
    const v = viewOf(s.body);
    if (v.isDynamic('target')) return;
    const attr = v.attr('attribute');
    if (!attr)
      this.fail(
        'spread.missing-attribute',
        s.typeRange,
        'A spread needs an `attribute` (such as "${node.datacenter}"): Nomad refuses it without.',
      );
    if (v.has('weight')) {
      const w = v.num('weight');
      if (w !== undefined) {
        const w8 = ((((Math.trunc(w) + 128) % 256) + 256) % 256) - 128;
        if (w8 <= 0 || w8 > 100)
          this.fail(
            'spread.weight-range',
            v.attr('weight')!.expr.range,
            `A spread weight must be from 1 to 100; ${w} is refused by Nomad ("Spread block must have a positive weight from 0 to 100").`,
          );
      }
    }
    const values = new Set<string>();
    let sum = 0;
    let sumKnown = true;
    let lastPercent: Range | undefined;
    for (const t of v.all('target')) {
      const tv = viewOf(t.body);
      const value = tv.has('value') ? tv.str('value') : (t.labels[0]?.value ?? '');
      if (value !== undefined) {
        if (values.has(value))
          this.fail(
            'spread.duplicate-target',
            t.labels[0]?.range ?? t.typeRange,
            `Another target of this spread has the value "${value}": Nomad refuses duplicates.`,
          );
        values.add(value);
      }
      const p = tv.has('percent') ? tv.num('percent') : 0;
      if (p === undefined) {
        sumKnown = false;
        continue;
      }
      if (p > 100 && p <= 255)
        this.fail(
          'spread.target-percent',
          tv.attr('percent')!.expr.range,
          `A spread target's percent must be between 0 and 100; ${p} is refused by Nomad.`,
        );
      sum += p;
      if (tv.has('percent')) lastPercent = tv.attr('percent')!.expr.range;
    }
    if (sumKnown && sum > 100 && lastPercent)
      this.fail(
        'spread.targets-sum',
        lastPercent,
        `The targets of this spread add up to ${sum} %, more than 100 %: Nomad refuses it ("Sum of spread target percentages must not be greater than 100%; got ${sum}%").`,
      );
  }

  // ---- groups -------------------------------------------------------------------------------------

  private group(g: Block, j: View): void {
    const gv = viewOf(g.body);
    const type = this.jobType;
    this.placement(gv, 'group');
    this.disconnect(gv, j);
    this.groupExtras(g, gv);
    const update = this.update(gv, j);
    if (type === 'service') this.migrate(gv, j);
    if (type !== undefined) this.restart(gv, type);
    if (type !== undefined && type !== 'system') this.reschedule(gv, j, type);
    // ephemeral disk
    const disk = gv.one('ephemeral_disk');
    let diskSize: number | undefined = 300;
    let diskAt: Range | undefined;
    if (disk) {
      const dv = viewOf(disk.body);
      if (dv.has('size')) {
        diskSize = dv.num('size');
        diskAt = dv.attr('size')!.expr.range;
        if (diskSize !== undefined && diskSize < 10)
          this.fail(
            'disk.min-size',
            diskAt,
            `The ephemeral disk must be at least 10 MB; ${diskSize} is refused by Nomad ("minimum DiskMB value is 10; got ${diskSize}").`,
          );
      }
    }
    if (gv.isDynamic('ephemeral_disk')) diskSize = undefined;
    this.networks(gv);
    this.services(g, gv);
    this.connect(g, gv);
    this.csiWriters(gv);
    // the volumes Nomad keeps: a volume of another type than host or csi is dropped by its api conversion
    let volumes: Set<string> | undefined = gv.isDynamic('volume') ? undefined : new Set();
    for (const v of gv.all('volume')) {
      const type = viewOf(v.body).valueOr('type', '');
      if (typeof type !== 'string') {
        volumes = undefined;
        break;
      }
      if (type === 'host' || type === 'csi') volumes?.add(v.labels[0]?.value ?? '');
    }
    if (gv.isDynamic('task')) return;
    for (const s of gv.all('service')) {
      this.checkRestarts(s);
      this.checks(s);
    }
    for (const t of gv.all('task')) this.task(t, update, diskSize, diskAt, volumes);
  }

  private groupExtras(g: Block, gv: View): void {
    const sd = gv.attr('shutdown_delay');
    if (sd) {
      const d = gv.duration('shutdown_delay');
      if (d !== undefined && d < 0)
        this.fail(
          'group.shutdown-delay-negative',
          sd.expr.range,
          'A group `shutdown_delay` cannot be negative: Nomad refuses it ("ShutdownDelay must be a positive value").',
        );
    }
    const mrd = gv.attr('max_run_duration');
    if (mrd) {
      const d = gv.duration('max_run_duration');
      if (d !== undefined && d <= 0)
        this.fail(
          'group.max-run-duration-positive',
          mrd.expr.range,
          '`max_run_duration` must be greater than zero: Nomad refuses it.',
        );
      if (this.jobType !== undefined && this.jobType !== 'batch' && this.jobType !== 'sysbatch')
        this.fail(
          'group.max-run-duration-type',
          mrd.nameRange,
          `\`max_run_duration\` is only for batch and sysbatch jobs; this job is "${this.jobType}": Nomad refuses it.`,
        );
    }
    if (this.jobType === 'sysbatch')
      for (const r of gv.all('reschedule'))
        this.fail(
          'group.sysbatch-reschedule',
          r.typeRange,
          'A sysbatch job cannot have a `reschedule` block: this Nomad release refuses it ("System or sysbatch jobs should not have a reschedule policy").',
        );
    const dc = gv.one('disconnect');
    if (!dc || gv.isDynamic('disconnect')) return;
    const dv = viewOf(dc.body);
    const neg = (name: string): boolean => {
      const d = dv.attr(name) ? dv.duration(name) : undefined;
      return d !== undefined && d < 0;
    };
    if (neg('lost_after'))
      this.fail(
        'disconnect.lost-after-negative',
        dv.attr('lost_after')!.expr.range,
        '`lost_after` cannot be a negative duration: Nomad refuses it.',
      );
    if (neg('stop_on_client_after'))
      this.fail(
        'disconnect.stop-after-negative',
        dv.attr('stop_on_client_after')!.expr.range,
        '`stop_on_client_after` cannot be a negative duration: Nomad refuses it.',
      );
    const lost = dv.attr('lost_after') ? dv.duration('lost_after') : 0;
    if (dv.has('stop_on_client_after') && lost !== undefined && lost > 0)
      this.fail(
        'disconnect.lost-and-stop',
        dv.attr('stop_on_client_after')!.nameRange,
        'A `disconnect` block takes `lost_after` or `stop_on_client_after`, not both: Nomad refuses it.',
      );
    if (
      dv.has('stop_on_client_after') &&
      this.jobType !== undefined &&
      this.jobType !== 'service' &&
      this.jobType !== 'batch'
    )
      this.fail(
        'disconnect.stop-after-type',
        dv.attr('stop_on_client_after')!.nameRange,
        `\`stop_on_client_after\` is only for service and batch jobs; this job is "${this.jobType}": Nomad refuses it.`,
      );
    const rec = dv.str('reconcile');
    if (rec !== undefined && !['best_score', 'keep_original', 'keep_replacement', 'longest_running'].includes(rec))
      this.fail(
        'disconnect.reconcile',
        dv.attr('reconcile')!.expr.range,
        `"${rec}" is not a reconcile option (best_score, keep_original, keep_replacement, longest_running): Nomad refuses it.`,
      );
    // the old arguments beside the block (1.8 and 1.9)
    if (gv.has('max_client_disconnect') && lost !== undefined && lost > 0)
      this.fail(
        'disconnect.old-max-client-disconnect',
        gv.attr('max_client_disconnect')!.nameRange,
        'A group cannot set both `max_client_disconnect` and `disconnect { lost_after }`: Nomad refuses it ("using both lost_after and max_client_disconnect is not allowed").',
      );
    if (gv.has('stop_after_client_disconnect') && dv.has('stop_on_client_after'))
      this.fail(
        'disconnect.old-stop-after',
        gv.attr('stop_after_client_disconnect')!.nameRange,
        'A group cannot set both `stop_after_client_disconnect` and `disconnect { stop_on_client_after }`: Nomad refuses it.',
      );
    if (gv.bool('prevent_reschedule_on_lost') === true && dv.has('replace'))
      this.fail(
        'disconnect.old-prevent-reschedule',
        gv.attr('prevent_reschedule_on_lost')!.nameRange,
        'A group cannot set both `prevent_reschedule_on_lost` and `disconnect { replace }`: Nomad refuses it.',
      );
    void g;
  }

  /** TaskGroup.validateServices: one provider for all the group's services, no two alike */
  private services(g: Block, gv: View): void {
    if (gv.isDynamic('service') || gv.isDynamic('task')) return;
    const all: { s: Block; task: string }[] = gv.all('service').map(s => ({ s, task: 'group' }));
    for (const t of gv.all('task')) {
      const tv = viewOf(t.body);
      if (tv.isDynamic('service')) return;
      for (const s of tv.all('service')) all.push({ s, task: t.labels[0]?.value ?? '' });
    }
    const providers: (string | undefined)[] = all.map(({ s }) => {
      const v = viewOf(s.body).valueOr('provider', 'consul');
      return typeof v === 'string' ? (v === '' ? 'consul' : v) : undefined;
    });
    if (providers.some(p => p === undefined)) return;
    const counts = new Map<string, number>();
    for (const p of providers) counts.set(p!, (counts.get(p!) ?? 0) + 1);
    if (counts.size > 1) {
      let major = providers[0]!;
      for (const [p, n] of counts) if (n > counts.get(major)!) major = p;
      all.forEach(({ s }, i) => {
        if (providers[i] === major) return;
        const sv = viewOf(s.body);
        this.fail(
          'group.one-provider',
          sv.attr('provider')?.nameRange ?? s.typeRange,
          `This service uses the provider "${providers[i]}" and other services of group "${g.labels[0]?.value ?? ''}" use "${major}": Nomad refuses a group whose services use several providers.`,
        );
      });
    }
    // the same name, task and port twice
    const seen = new Set<string>();
    for (const { s, task } of all) {
      const sv = viewOf(s.body);
      const name = sv.attr('name') ? sv.str('name') : undefined;
      const port = sv.has('port') ? sv.str('port') : '';
      if (name === undefined || port === undefined || /\$\{/.test(name)) continue;
      const key = `${task}\0${name}\0${port}`;
      if (seen.has(key))
        this.fail(
          'group.services-unique',
          sv.attr('name')!.expr.range,
          `Another service ${task === 'group' ? 'of this group' : `of task "${task}"`} is named "${name}"${port ? ` on port "${port}"` : ''}: Nomad refuses services that are not unique.`,
        );
      seen.add(key);
    }
    const taskNames = new Set(tasks0(gv));
    for (const s of gv.all('service')) {
      const sv = viewOf(s.body);
      const native = sv.one('connect') && viewOf(sv.one('connect')!.body).bool('native') === true;
      if (native && (!sv.has('port') || sv.str('port') === ''))
        this.fail(
          'service.native-needs-port',
          viewOf(sv.one('connect')!.body).attr('native')!.nameRange,
          'A Connect native service needs a `port` (Consul refuses it without): this Nomad release refuses it.',
        );
      if (sv.str('address_mode') === 'driver')
        this.fail(
          'service.group-address-mode-driver',
          sv.attr('address_mode')!.expr.range,
          '`address_mode = "driver"` is for task services only: Nomad refuses it in a group service.',
        );
      if (sv.isDynamic('check')) continue;
      for (const c of sv.all('check')) {
        const cv = viewOf(c.body);
        const ct = cv.str('task');
        if (ct !== undefined && ct !== '' && !gv.isDynamic('task') && !taskNames.has(ct))
          this.fail(
            'check.group-unknown-task',
            cv.attr('task')!.expr.range,
            `No task "${ct}" in group "${g.labels[0]?.value ?? ''}" for this check: Nomad refuses it.`,
          );
        const type = cv.str('type');
        if (type === 'script' && !sv.has('task') && !cv.has('task'))
          this.fail(
            'check.group-script-task',
            cv.attr('type')!.expr.range,
            'A script check of a group service must say which task runs it (`task = "<name>"` on the check or its service): Nomad refuses it without.',
          );
      }
    }
    // a group without a network skips the Connect admission hook, which would name the one task of a
    // Connect native service: Service.Validate then finds it without one
    const tasks = gv.all('task');
    if (gv.count('network') > 0 || gv.isDynamic('network')) return;
    for (const s of gv.all('service')) {
      const sv = viewOf(s.body);
      const c = sv.one('connect');
      if (!c || sv.has('task') || tasks.length !== 1) continue;
      if (viewOf(c.body).bool('native') === true)
        this.fail(
          'service.native-needs-task',
          c.typeRange,
          `A Connect native service in a group without a \`network\` must name its task (\`task = "${tasks[0]!.labels[0]?.value ?? ''}"\`): Nomad refuses it without ("Service is Connect Native and requires setting the task").`,
        );
    }
  }

  /** a multi-node-single-writer CSI volume, writable, for more than one allocation; and what any volume needs */
  private csiWriters(gv: View): void {
    if (gv.isDynamic('volume')) return;
    for (const v of gv.all('volume')) {
      const vv = viewOf(v.body);
      const type = vv.str('type');
      if (!closed(v) || (type !== 'host' && type !== 'csi')) continue;
      if (!vv.has('source') || vv.str('source') === '')
        this.fail(
          'volume.empty-source',
          vv.attr('source')?.expr.range ?? v.typeRange,
          `Volume "${v.labels[0]?.value ?? ''}" needs a \`source\` (the ${type === 'csi' ? 'CSI volume' : 'host volume'} it claims): Nomad refuses it without.`,
        );
      if (vv.bool('per_alloc') === true && vv.bool('sticky') === true)
        this.fail(
          'volume.per-alloc-sticky',
          vv.attr('sticky')!.nameRange,
          `Volume "${v.labels[0]?.value ?? ''}" cannot be both \`per_alloc\` and \`sticky\`: Nomad refuses it.`,
        );
      if (type === 'csi' && vv.str('attachment_mode') === 'block-device' && vv.one('mount_options'))
        this.fail(
          'volume.block-device-mount-options',
          vv.one('mount_options')!.typeRange,
          'A block-device CSI volume cannot have `mount_options`: Nomad refuses it.',
        );
    }
    const scaling = gv.one('scaling');
    const count = gv.has('count')
      ? gv.num('count')
      : scaling && viewOf(scaling.body).has('min')
        ? viewOf(scaling.body).num('min')
        : 1;
    if (count === undefined || count <= 1) return;
    for (const v of gv.all('volume')) {
      const vv = viewOf(v.body);
      if (vv.str('type') !== 'csi' || vv.str('access_mode') !== 'multi-node-single-writer') continue;
      const ro = vv.valueOr('read_only', false),
        pa = vv.valueOr('per_alloc', false);
      if ((ro === false || ro === 'false') && (pa === false || pa === 'false')) {
        this.fail(
          'volume.multi-node-single-writer',
          vv.attr('access_mode')!.expr.range,
          `Volume "${v.labels[0]?.value ?? ''}" (multi-node-single-writer) allows one writer, and this group runs ${count} allocations: Nomad refuses it (set \`read_only = true\` or \`per_alloc = true\`).`,
        );
      }
    }
  }

  /** max_client_disconnect & co. (the pair is a range of releases) */
  private disconnect(gv: View, j: View): void {
    const mcd = gv.attr('max_client_disconnect');
    const sacd = gv.attr('stop_after_client_disconnect');
    if (mcd && sacd) {
      this.fail(
        'group.disconnect-pair',
        mcd.nameRange,
        'A group cannot set both `max_client_disconnect` and `stop_after_client_disconnect`: this Nomad release refuses the pair ("Task group cannot be configured with both max_client_disconnect and stop_after_client_disconnect").',
      );
    }
    const neg = (a: Attribute | undefined): boolean => {
      if (!a) return false;
      const v = staticValue(a.expr);
      return typeof v === 'string' && /^\s*-/.test(v) && v.trim() !== '-0';
    };
    if (neg(mcd))
      this.fail(
        'group.max-client-disconnect-negative',
        mcd!.expr.range,
        '`max_client_disconnect` cannot be negative: Nomad refuses it.',
      );
    // (1.7.2 to 1.9.7) max_client_disconnect with prevent_reschedule_on_lost needs reschedules off
    if (
      mcd &&
      gv.bool('prevent_reschedule_on_lost') === true &&
      this.jobType !== undefined &&
      this.holds('group.mcd-prevent-reschedule')
    ) {
      const attempts = field(
        [gv.one('reschedule'), j.one('reschedule')],
        'attempts',
        'num',
        RESCHEDULE_DEFAULTS[this.jobType]?.attempts ?? 0,
      );
      if (attempts.known && attempts.value !== undefined && attempts.value > 0)
        this.fail(
          'group.mcd-prevent-reschedule',
          gv.attr('prevent_reschedule_on_lost')!.nameRange,
          `\`max_client_disconnect\` with \`prevent_reschedule_on_lost = true\` needs reschedule attempts at 0 (this group's are ${attempts.value}${attempts.at ? '' : ', the default'}): this Nomad release refuses it.`,
        );
    }
    if (sacd) {
      if (this.jobType !== undefined && this.jobType !== 'service' && this.jobType !== 'batch') {
        this.fail(
          'job.stop-after-client-disconnect-type',
          sacd.nameRange,
          `\`stop_after_client_disconnect\` is only for service and batch jobs; this job is "${this.jobType}": Nomad refuses it.`,
        );
      }
      if (neg(sacd))
        this.fail(
          'job.stop-after-client-disconnect-negative',
          sacd.expr.range,
          '`stop_after_client_disconnect` must be a positive duration: Nomad refuses a negative one.',
        );
    }
    void j;
  }

  /** UpdateStrategy.Validate on the group's update (merged over the job's); answers its progress deadline */
  private update(gv: View, j: View): { progress: number | undefined } | undefined {
    const gu = gv.one('update');
    const ju = j.one('update');
    if (!gu && !ju) return undefined;
    if (gv.isDynamic('update') || j.isDynamic('update')) return { progress: undefined };
    if (this.jobType !== 'service' && this.jobType !== 'system') return undefined; // (refused as a whole by validate.ts)
    // a job-level update that is empty (all zero) is not inherited
    if (!gu && ju && ju.body.items.length === 0) return undefined;
    const chain = [gu, ju];
    const maxParallel = field(chain, 'max_parallel', 'num', UPDATE_DEFAULTS.maxParallel);
    const canary = field(chain, 'canary', 'num', UPDATE_DEFAULTS.canary);
    const autoPromote = field<boolean>(chain, 'auto_promote', 'bool', false);
    const minHealthy = field(chain, 'min_healthy_time', 'dur', UPDATE_DEFAULTS.minHealthy);
    const healthy = field(chain, 'healthy_deadline', 'dur', UPDATE_DEFAULTS.healthy);
    const progress = field(chain, 'progress_deadline', 'dur', UPDATE_DEFAULTS.progress);
    const stagger = field(chain, 'stagger', 'dur', UPDATE_DEFAULTS.stagger);
    const where = (f: Field<unknown>): Range => f.at ?? (gu ?? ju)!.typeRange;
    if (maxParallel.value !== undefined && maxParallel.value < 0)
      this.fail(
        'update.max-parallel-negative',
        where(maxParallel),
        `\`max_parallel\` cannot be negative: Nomad refuses it ("Max parallel can not be less than zero: ${maxParallel.value} < 0").`,
      );
    if (canary.value !== undefined && canary.value < 0)
      this.fail(
        'update.canary-negative',
        where(canary),
        `\`canary\` cannot be negative: Nomad refuses it ("Canary count can not be less than zero: ${canary.value} < 0").`,
      );
    if (known(canary, autoPromote) && canary.value === 0 && autoPromote.value === true)
      this.fail(
        'update.auto-promote-without-canary',
        where(autoPromote),
        '`auto_promote` needs canaries (`canary` of 1 or more): Nomad refuses it ("Auto Promote requires a Canary count greater than zero").',
      );
    const mh = minHealthy.value,
      hd = healthy.value,
      pd = progress.value;
    if (mh !== undefined && mh < 0)
      this.fail(
        'update.min-healthy-time-negative',
        where(minHealthy),
        `\`min_healthy_time\` cannot be negative: Nomad refuses it ("Minimum healthy time may not be less than zero: ${formatGoDuration(mh)}").`,
      );
    if (hd !== undefined && hd <= 0)
      this.fail(
        'update.healthy-deadline-positive',
        where(healthy),
        `\`healthy_deadline\` must be greater than zero: Nomad refuses it ("Healthy deadline must be greater than zero: ${formatGoDuration(hd)}").`,
      );
    if (pd !== undefined && pd < 0)
      this.fail(
        'update.progress-deadline-negative',
        where(progress),
        `\`progress_deadline\` cannot be negative: Nomad refuses it ("Progress deadline must be zero or greater: ${formatGoDuration(pd)}").`,
      );
    if (mh !== undefined && hd !== undefined && mh >= hd) {
      this.fail(
        'update.min-healthy-below-healthy-deadline',
        minHealthy.at ?? where(healthy),
        `Minimum healthy time must be less than healthy deadline: ${formatGoDuration(mh)} > ${formatGoDuration(hd)} (Nomad refuses it).`,
      );
    }
    if (hd !== undefined && pd !== undefined && pd !== 0 && hd >= pd) {
      this.fail(
        'update.healthy-deadline-below-progress-deadline',
        healthy.at ?? where(progress),
        `Healthy deadline must be less than progress deadline: ${formatGoDuration(hd)} > ${formatGoDuration(pd)} (Nomad refuses it; a \`progress_deadline\` of 0 turns the limit off).`,
      );
    }
    if (stagger.value !== undefined && stagger.value <= 0 && stagger.at)
      this.fail(
        'update.stagger-positive',
        stagger.at,
        `\`stagger\` must be greater than zero: Nomad refuses it ("Stagger must be greater than zero: ${formatGoDuration(stagger.value)}").`,
      );
    return { progress: progress.known ? pd : undefined };
  }

  private migrate(gv: View, j: View): void {
    const gm = gv.one('migrate');
    const jm = j.one('migrate');
    if (!gm && !jm) return;
    if (gv.isDynamic('migrate') || j.isDynamic('migrate')) return;
    const chain = [gm, jm];
    const maxParallel = field(chain, 'max_parallel', 'num', 1);
    const minHealthy = field(chain, 'min_healthy_time', 'dur', 10 * S);
    const healthy = field(chain, 'healthy_deadline', 'dur', 5 * M);
    const where = (f: Field<unknown>): Range => f.at ?? (gm ?? jm)!.typeRange;
    if (maxParallel.value !== undefined && maxParallel.value < 0)
      this.fail(
        'migrate.max-parallel-negative',
        where(maxParallel),
        `\`max_parallel\` of a migrate block cannot be negative: Nomad refuses it ("MaxParallel must be >= 0 but found ${maxParallel.value}").`,
      );
    const mh = minHealthy.value,
      hd = healthy.value;
    if (mh !== undefined && mh < 0)
      this.fail(
        'migrate.min-healthy-time-negative',
        where(minHealthy),
        '`min_healthy_time` of a migrate block cannot be negative: Nomad refuses it.',
      );
    if (hd !== undefined && hd < 0)
      this.fail(
        'migrate.healthy-deadline-negative',
        where(healthy),
        '`healthy_deadline` of a migrate block cannot be negative: Nomad refuses it.',
      );
    if (mh !== undefined && hd !== undefined && mh > hd)
      this.fail(
        'migrate.min-healthy-below-healthy-deadline',
        minHealthy.at ?? where(healthy),
        `The migrate block's \`min_healthy_time\` (${formatGoDuration(mh)}) is longer than its \`healthy_deadline\` (${formatGoDuration(hd)}): Nomad refuses it ("MinHealthyTime must be less than HealthyDeadline").`,
      );
  }

  private restart(gv: View, type: string): void {
    const rb = gv.one('restart');
    if (!rb || gv.isDynamic('restart')) return;
    const d = type === 'service' || type === 'system' ? RESTART_DEFAULTS.service : RESTART_DEFAULTS.batch;
    const chain = [rb];
    const attempts = field<number>(chain, 'attempts', 'num', d.attempts);
    const delay = field<number>(chain, 'delay', 'dur', d.delay);
    const interval = field<number>(chain, 'interval', 'dur', d.interval);
    const mode = field<string>(chain, 'mode', 'str', d.mode);
    const where = (f: Field<unknown>): Range => f.at ?? rb.typeRange;
    if (known(attempts, mode) && attempts.value === 0 && mode.value !== 'fail' && mode.value === 'delay') {
      this.fail(
        'restart.attempts-zero-ambiguous',
        where(attempts),
        `A restart policy in mode "delay" with 0 attempts is ambiguous: Nomad refuses it ("Restart policy \\"delay\\" with 0 attempts is ambiguous"). Use \`mode = "fail"\` or give it attempts.`,
      );
    }
    const iv = interval.value;
    if (iv !== undefined && iv < 5 * S)
      this.fail(
        'restart.interval-min',
        where(interval),
        `A restart \`interval\` must be at least 5s; Nomad refuses ${formatGoDuration(iv)} ("Interval can not be less than 5s").`,
      );
    const a = attempts.value,
      dl = delay.value;
    if (a !== undefined && dl !== undefined && iv !== undefined && a * dl > iv) {
      const at = interval.at ?? attempts.at ?? delay.at ?? rb.typeRange;
      this.fail(
        'restart.interval-holds-attempts',
        at,
        `Nomad can't restart the TaskGroup ${a} times in an interval of ${formatGoDuration(iv)} with a delay of ${formatGoDuration(dl)}: the interval must hold \`attempts × delay\` (${formatGoDuration(a * dl)}).`,
      );
    }
  }

  /** ReschedulePolicy.Validate, with its own conditions: a disabled policy is not looked at */
  private reschedule(gv: View, j: View, type: string): void {
    const gr = gv.one('reschedule');
    const jr = j.one('reschedule');
    if (!gr && !jr) return;
    if (gv.isDynamic('reschedule') || j.isDynamic('reschedule')) return;
    const d = RESCHEDULE_DEFAULTS[type];
    if (!d) return;
    const chain = [gr, jr];
    const attempts = field(chain, 'attempts', 'num', d.attempts);
    const interval = field(chain, 'interval', 'dur', d.interval);
    const delay = field(chain, 'delay', 'dur', d.delay);
    const fn = field<string>(chain, 'delay_function', 'str', d.fn);
    const maxDelay = field(chain, 'max_delay', 'dur', d.max);
    const unlimited = field(chain, 'unlimited', 'bool', d.unlimited);
    if (!known(attempts, interval, delay, fn, maxDelay, unlimited)) return;
    const A = attempts.value!,
      I = interval.value!,
      D = delay.value!,
      F = fn.value!,
      X = maxDelay.value!,
      U = unlimited.value!;
    if (!(A > 0 || U)) return; // disabled: Nomad does not look further
    const where = (f: Field<unknown>): Range => f.at ?? (gr ?? jr)!.typeRange;
    if (A > 0 && I <= 0)
      this.fail(
        'reschedule.interval-with-attempts',
        where(interval),
        '`attempts` above 0 need an `interval`: Nomad refuses a reschedule policy without ("Interval must be a non zero value if Attempts > 0").',
      );
    let pre = true;
    if (D < 5 * S) {
      this.fail(
        'reschedule.delay-min',
        where(delay),
        `A reschedule \`delay\` must be at least 5s; Nomad refuses ${formatGoDuration(D)}.`,
      );
      pre = false;
    }
    if (!['constant', 'exponential', 'fibonacci'].includes(F)) {
      this.fail(
        'reschedule.delay-function',
        where(fn),
        `"${F}" is not a delay function: Nomad refuses it (constant, exponential or fibonacci).`,
      );
      pre = false;
    }
    if (F !== 'constant') {
      if (X < 5 * S) {
        this.fail(
          'reschedule.max-delay-min',
          where(maxDelay),
          `With \`delay_function = "${F}"\`, \`max_delay\` must be at least 5s; Nomad refuses ${formatGoDuration(X)}.`,
        );
        pre = false;
      }
      if (X < D) {
        this.fail(
          'reschedule.max-delay-below-delay',
          where(maxDelay),
          `\`max_delay\` (${formatGoDuration(X)}) cannot be less than \`delay\` (${formatGoDuration(D)}): Nomad refuses it.`,
        );
        pre = false;
      }
    }
    if (U) return;
    if (I < 15 * S)
      this.fail(
        'reschedule.interval-min',
        where(interval),
        `A reschedule \`interval\` must be at least 15s when attempts are limited; Nomad refuses ${formatGoDuration(I)}.`,
      );
    if (!pre) return;
    const fit = viableAttempts(A, I, D, F, X);
    if (!fit.ok) {
      const at = interval.at ?? attempts.at ?? delay.at ?? (gr ?? jr)!.typeRange;
      this.fail(
        'reschedule.attempts-fit-interval',
        at,
        `Nomad can only make ${fit.possible} reschedule attempts in ${formatGoDuration(I)} with a delay of ${formatGoDuration(D)} (${F}): set the interval to at least ${formatGoDuration(Math.round(fit.recommended / S) * S)} to hold ${A} attempts. Nomad refuses it.`,
      );
    }
  }

  private networks(gv: View): void {
    // CNI args (1.8.2): no key twice across the group's networks, no ';' in a key or value
    if (!gv.isDynamic('network')) {
      const keys = new Set<string>();
      for (const n of gv.all('network')) {
        const cni = viewOf(n.body).one('cni');
        const args = cni ? viewOf(cni.body).attr('args') : undefined;
        const m = args ? staticValue(args.expr) : undefined;
        if (!args || !m || typeof m !== 'object' || Array.isArray(m)) continue;
        for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
          if (keys.has(k))
            this.fail(
              'cni.duplicate-arg',
              args.expr.range,
              `The CNI arg "${k}" is set by another network of this group too: Nomad refuses it.`,
            );
          keys.add(k);
          if (k.includes(';'))
            this.fail(
              'cni.arg-key-semicolon',
              args.expr.range,
              `A CNI arg key cannot contain ";" ("${k}"): Nomad refuses it.`,
            );
          if (typeof v === 'string' && v.includes(';'))
            this.fail(
              'cni.arg-value-semicolon',
              args.expr.range,
              `A CNI arg value cannot contain ";" ("${v}"): Nomad refuses it.`,
            );
        }
      }
    }
    if (gv.isDynamic('network')) return;
    const labels = new Map<string, Range>();
    const statics = new Map<string, string>();
    for (const n of gv.all('network')) {
      const nv = viewOf(n.body);
      if (nv.isDynamic('port')) return;
      const hostname = nv.str('hostname');
      if (hostname !== undefined && hostname !== '' && !/\$\{/.test(hostname) && !isDnsName(hostname))
        this.fail(
          'network.hostname',
          nv.attr('hostname')!.expr.range,
          `"${hostname}" is not a valid DNS name for the group network's \`hostname\`: Nomad refuses it.`,
        );
      for (const p of [...nv.all('port'), ...nv.all('reserved_ports'), ...nv.all('dynamic_ports')]) {
        const label = p.labels[0]?.value ?? '';
        const pv = viewOf(p.body);
        if (labels.has(label))
          this.fail(
            'network.port-label-unique',
            p.labels[0]?.range ?? p.typeRange,
            `Another port is already labelled "${label}": Nomad refuses it ("Port label ${label} already in use").`,
          );
        labels.set(label, p.typeRange);
        const stat = pv.has('static') ? pv.num('static') : 0;
        if (stat !== undefined && stat > 0) {
          if (stat > 65535)
            this.fail(
              'network.static-port-max',
              pv.attr('static')!.expr.range,
              `Port "${label}" (${stat}) cannot be greater than 65535: Nomad refuses it.`,
            );
          else {
            const key = `${pv.str('host_network') ?? ''}:${stat}`;
            if (statics.has(key))
              this.fail(
                'network.static-port-unique',
                pv.attr('static')!.expr.range,
                `Static port ${stat} is already reserved by port "${statics.get(key)}": Nomad refuses it.`,
              );
            else statics.set(key, label);
          }
        }
        const mode = nv.valueOr('mode', 'host');
        if (pv.bool('ignore_collision') === true && typeof mode === 'string' && mode !== '' && mode !== 'host')
          this.fail(
            'network.ignore-collision-mode',
            pv.attr('ignore_collision')!.nameRange,
            `Port "${label}" cannot ignore collisions in network mode "${mode}" (only in host mode): Nomad refuses it.`,
          );
        const to = pv.has('to') ? pv.num('to') : 0;
        if (to !== undefined && to < -1)
          this.fail(
            'network.to-negative',
            pv.attr('to')!.expr.range,
            `Port "${label}" cannot be mapped to the negative value ${to}: Nomad refuses it.`,
          );
        else if (to !== undefined && to > 65535)
          this.fail(
            'network.to-max',
            pv.attr('to')!.expr.range,
            `Port "${label}" cannot be mapped to a port (${to}) greater than 65535: Nomad refuses it.`,
          );
      }
    }
  }

  // ---- tasks --------------------------------------------------------------------------------------

  private task(
    t: Block,
    update: { progress: number | undefined } | undefined,
    diskSize: number | undefined,
    diskAt: Range | undefined,
    volumes: Set<string> | undefined,
  ): void {
    const tv = viewOf(t.body);
    this.placement(tv, 'task');
    if (t.labels[0]?.value === 'alloc')
      this.fail(
        'task.name-alloc',
        t.labels[0].range,
        'A task cannot be named "alloc" (it is the name of the allocation\'s shared directory): Nomad refuses it.',
      );
    // (a lifecycle block without a hook is dropped by Nomad's api before validation: not an error)
    const dp = tv.one('dispatch_payload');
    if (dp) {
      const f = viewOf(dp.body).str('file');
      if (f !== undefined && escapesAlloc('task/local/', f))
        this.fail(
          'dispatch-payload.escapes',
          viewOf(dp.body).attr('file')!.expr.range,
          `The dispatch payload file "${f}" is outside the allocation's directory: Nomad refuses it.`,
        );
    }
    this.taskServices(t, tv);
    this.taskExtras(tv);
    this.taskConnect(tv);
    this.taskLater(tv);
    // kill_timeout and shutdown_delay
    const kt = tv.has('kill_timeout') ? tv.duration('kill_timeout') : 5 * S;
    const ktAt = tv.attr('kill_timeout');
    if (kt !== undefined && kt < 0 && ktAt)
      this.fail(
        'task.kill-timeout-negative',
        ktAt.expr.range,
        '`kill_timeout` cannot be negative: Nomad refuses it ("KillTimeout must be a positive value").',
      );
    else if (
      kt !== undefined &&
      this.jobType === 'service' &&
      update &&
      update.progress !== undefined &&
      update.progress > 0 &&
      kt > update.progress
    ) {
      this.fail(
        'task.kill-timeout-progress-deadline',
        ktAt?.expr.range ?? t.typeRange,
        `This task's \`kill_timeout\` (${formatGoDuration(kt)}) is longer than its group's progress deadline (${formatGoDuration(update.progress)}): Nomad refuses it ("KillTimout longer than the group's ProgressDeadline").`,
      );
    }
    const sd = tv.attr('shutdown_delay');
    if (sd) {
      const v = tv.duration('shutdown_delay');
      if (v !== undefined && v < 0)
        this.fail(
          'task.shutdown-delay-negative',
          sd.expr.range,
          '`shutdown_delay` cannot be negative: Nomad refuses it.',
        );
    }
    // resources
    const res = tv.one('resources');
    let memory = 300;
    let memoryKnown = true;
    if (res && !tv.isDynamic('resources')) {
      const rv = viewOf(res.body);
      if (rv.has('memory')) {
        const m = rv.num('memory');
        if (m === undefined) memoryKnown = false;
        else memory = m;
      }
      if (rv.has('memory_max')) {
        const mm = rv.num('memory_max');
        // (-1 is "no limit" from 1.7.3 on; before, the version gate reports it: ./versionCheck.ts)
        if (mm !== undefined && mm !== 0 && mm !== -1 && memoryKnown && mm < memory)
          this.fail(
            'resources.memory-max-below-memory',
            rv.attr('memory_max')!.expr.range,
            `\`memory_max\` (${mm} MB) is below \`memory\` (${memory} MB${rv.has('memory') ? '' : ', the default'}): Nomad refuses it ("MemoryMaxMB value (${mm}) should be larger than MemoryMB value (${memory})").`,
          );
      }
      const cores = rv.attr('cores') ? rv.num('cores') : undefined;
      if (cores !== undefined && cores < 0)
        this.fail(
          'resources.cores-negative',
          rv.attr('cores')!.expr.range,
          `\`cores\` cannot be negative: Nomad refuses ${cores}.`,
        );
      const secrets = rv.attr('secrets') ? rv.num('secrets') : undefined;
      if (secrets !== undefined && secrets < 0)
        this.fail(
          'resources.secrets-negative',
          rv.attr('secrets')!.expr.range,
          `\`secrets\` cannot be negative: Nomad refuses ${secrets}.`,
        );
      else if (secrets !== undefined && memoryKnown && secrets > memory)
        this.fail(
          'resources.secrets-above-memory',
          rv.attr('secrets')!.expr.range,
          `\`secrets\` (${secrets} MB) cannot be more than \`memory\` (${memory} MB${rv.has('memory') ? '' : ', the default'}): Nomad refuses it.`,
        );
      // (a task's `disk` never reaches Resources.Validate: the api conversion leaves DiskMB out)
    }
    // logs
    const logs = tv.one('logs');
    let files = 10,
      size = 10;
    let logsKnown = true;
    let logsAt: Range | undefined;
    if (logs && !tv.isDynamic('logs')) {
      const lv = viewOf(logs.body);
      if (lv.has('max_files')) {
        const f = lv.num('max_files');
        if (f === undefined) logsKnown = false;
        else {
          files = f;
          logsAt = lv.attr('max_files')!.expr.range;
        }
      }
      if (lv.has('max_file_size')) {
        const f = lv.num('max_file_size');
        if (f === undefined) logsKnown = false;
        else {
          size = f;
          logsAt = lv.attr('max_file_size')!.expr.range;
        }
      }
      if (lv.has('max_files') && logsKnown && files < 1)
        this.fail(
          'logs.max-files-min',
          lv.attr('max_files')!.expr.range,
          `A task keeps at least 1 log file; Nomad refuses \`max_files = ${files}\`.`,
        );
      if (lv.has('max_file_size') && logsKnown && size < 1)
        this.fail(
          'logs.max-file-size-min',
          lv.attr('max_file_size')!.expr.range,
          `The smallest log file size is 1 MB; Nomad refuses \`max_file_size = ${size}\`.`,
        );
    } else if (tv.isDynamic('logs')) logsKnown = false;
    if (logsKnown && diskSize !== undefined && diskSize >= 10 && diskSize <= files * size) {
      this.fail(
        'logs.fit-disk',
        logsAt ?? diskAt ?? logs?.typeRange ?? t.typeRange,
        `The logs of task "${t.labels[0]?.value ?? ''}" may take ${files * size} MB (${files} files × ${size} MB), which must be less than the group's ephemeral disk (${diskSize} MB): Nomad refuses it.`,
      );
    }
    // templates
    if (!tv.isDynamic('template')) {
      const dests = new Map<string, number>();
      tv.all('template').forEach((tpl, i) => {
        const v = viewOf(tpl.body);
        const dest = v.str('destination');
        if (dest !== undefined && !/\$\{/.test(dest) && escapesAlloc('task', dest))
          this.fail(
            'template.destination-escapes',
            v.attr('destination')!.expr.range,
            `The template destination "${dest}" is outside the allocation's directory: Nomad refuses it.`,
          );
        if (dest !== undefined && closed(tpl)) {
          if (dests.has(dest))
            this.fail(
              'template.same-destination',
              v.attr('destination')!.expr.range,
              `Template ${i + 1} has the same destination as template ${dests.get(dest)} ("${dest}"): Nomad refuses it.`,
            );
          else dests.set(dest, i + 1);
        }
        this.template(v);
      });
    }
    // volume mounts
    if (volumes && !tv.isDynamic('volume_mount')) {
      for (const vm of tv.all('volume_mount')) {
        const v = viewOf(vm.body);
        if (!v.has('volume')) continue;
        const name = v.str('volume');
        if (name === undefined) continue;
        if (name === '') {
          this.fail(
            this.holds('volume-mount.empty-volume') ? 'volume-mount.empty-volume' : 'volume-mount.empty-volume-18',
            v.attr('volume')!.expr.range,
            'A `volume_mount` must name a volume of its group: Nomad refuses an empty name.',
          );
          continue;
        }
        if (!volumes.has(name)) {
          const known = [...volumes].filter(Boolean);
          this.fail(
            'volume-mount.undefined-volume',
            v.attr('volume')!.expr.range,
            `No \`volume "${name}"\` in this group${known.length ? ` (it has ${known.map(k => `"${k}"`).join(', ')})` : ''}: Nomad refuses a volume_mount of an undefined volume.`,
          );
        }
      }
    }
    // artifacts
    if (!tv.isDynamic('artifact')) for (const a of tv.all('artifact')) this.artifact(a);
    // check_restart: Nomad looks at it on checks (a service's own is merged into each of its checks)
    for (const s of tv.all('service')) {
      this.checkRestarts(s);
      this.checks(s);
    }
  }

  /** the Connect admission hooks (job_endpoint_hook_connect.go, _expose_check.go) on a group's services */
  private connect(g: Block, gv: View): void {
    if (gv.isDynamic('service')) return;
    const gname = g.labels[0]?.value ?? '';
    const networks = gv.isDynamic('network') ? undefined : gv.all('network');
    const mode = networks?.length === 1 ? viewOf(networks[0]!.body).valueOr('mode', '') : undefined;
    const listeners = new Map<string, string>();
    for (const s of gv.all('service')) {
      const sv = viewOf(s.body);
      const name = sv.str('name') ?? '';
      const c = sv.one('connect');
      const cv = c ? viewOf(c.body) : undefined;
      const sidecar = cv?.one('sidecar_service');
      // a mesh gateway's service port is its WAN address: the hook wants it stated
      const mesh = cv?.one('gateway') ? viewOf(cv.one('gateway')!.body).one('mesh') : undefined;
      if (
        mesh &&
        !cv!.one('sidecar_service') &&
        cv!.bool('native') !== true &&
        (mode === 'bridge' || mode === 'host') &&
        (!sv.has('port') || sv.str('port') === '')
      ) {
        this.fail(
          'connect.mesh-gateway-port',
          sv.attr('port')?.expr.range ?? mesh.typeRange,
          'A mesh gateway service needs a `port` (its WAN address, usually from a host network): Nomad refuses it without ("service.port must be set for mesh gateway service").',
        );
      }
      if (cv?.one('gateway') && !cv.isDynamic('gateway')) this.gateway(cv.one('gateway')!);
      // upstreams of all the group's sidecars listen on distinct addresses
      const proxy = sidecar ? viewOf(sidecar.body).one('proxy') : undefined;
      if (proxy && !viewOf(proxy.body).isDynamic('upstreams')) {
        for (const u of viewOf(proxy.body).all('upstreams')) {
          const uv = viewOf(u.body);
          const addr = uv.has('local_bind_address') ? uv.str('local_bind_address') : '';
          const port = uv.has('local_bind_port') ? uv.num('local_bind_port') : 0;
          if (addr === undefined || port === undefined || /\$\{/.test(name)) continue;
          const socket = uv.has('local_bind_socket_path') ? uv.str('local_bind_socket_path') : '';
          if (socket === undefined) continue;
          const key = socket !== '' ? socket : `${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
          const other = listeners.get(key);
          if (other !== undefined)
            this.fail(
              'connect.upstreams-same-address',
              uv.attr('local_bind_port')?.expr.range ?? u.typeRange,
              `Another upstream ${other === name ? 'of this service' : `(of service "${other}")`} in group "${gname}" listens on ${key} too: Nomad refuses two upstreams on the same address.`,
            );
          else listeners.set(key, name);
        }
      }
      if (sv.isDynamic('check')) continue;
      for (const ck of sv.all('check')) {
        const kv = viewOf(ck.body);
        // an exposed check's local port: a static port of the network, or a number (a dynamic port has none yet)
        const ktype = (kv.str('type') ?? '').toLowerCase();
        if (
          kv.bool('expose') === true &&
          sidecar &&
          mode === 'bridge' &&
          (ktype === 'http' || ktype === 'grpc') &&
          (kv.str('path') ?? '').startsWith('/') &&
          !viewOf(networks![0]!.body).isDynamic('port')
        ) {
          const label = sv.has('port') ? sv.str('port') : '';
          const ports = viewOf(networks![0]!.body).all('port');
          const p = ports.find(b => b.labels[0]?.value === label);
          const stat = p ? (viewOf(p.body).has('static') ? viewOf(p.body).num('static') : 0) : undefined;
          const known = label !== undefined && !/\$\{/.test(label) && (p === undefined || stat !== undefined);
          if (known && !(stat !== undefined && stat > 0) && !(/^\d+$/.test(label!) && Number(label) > 0)) {
            this.fail(
              'expose.local-port',
              kv.attr('expose')!.nameRange,
              `An exposed check needs the service's port inside the network namespace: \`port\` is ${label ? `"${label}", ${p ? 'a dynamic port (no number before placement)' : 'not a port of the network'}` : 'not set'}. Use a static port or the number the task listens on (such as "9090"): Nomad refuses it otherwise.`,
            );
          }
        }
        if (kv.bool('expose') === true && !sidecar && !cv?.isDynamic('sidecar_service'))
          this.fail(
            'expose.needs-sidecar',
            kv.attr('expose')!.nameRange,
            'A check with `expose = true` belongs to a service with a Connect sidecar (`connect { sidecar_service {} }`): Nomad refuses it otherwise.',
          );
        if (kv.str('address_mode') === 'driver' && (kv.str('task') ?? '') !== '')
          this.fail(
            'check.group-address-mode-driver',
            kv.attr('address_mode')!.expr.range,
            '`address_mode = "driver"` is for checks of task services only: Nomad refuses it in a check of a group service that names a task.',
          );
      }
    }
    this.transparentProxy(gv, networks);
    // a task of kind "connect-proxy:<service>" is the sidecar of a group service with a sidecar_service
    for (const t of gv.all('task')) {
      const tv = viewOf(t.body);
      const kind = tv.str('kind');
      if (kind === undefined || !kind.startsWith('connect-proxy:')) continue;
      const target = kind.slice('connect-proxy:'.length);
      const sidecars = gv.all('service').filter(s => {
        const c = viewOf(s.body).one('connect');
        return c && viewOf(c.body).one('sidecar_service');
      });
      const names = sidecars.map(s => viewOf(s.body).str('name'));
      if (names.some(n => n === undefined || /\$\{/.test(n))) continue;
      if (!names.includes(target)) {
        this.fail(
          names.length ? 'connect.proxy-task-service-not-found' : 'connect.proxy-task-no-services',
          tv.attr('kind')!.expr.range,
          names.length
            ? `No Connect service "${target}" with a sidecar in this group (it has ${names.map(n => `"${n}"`).join(', ')}): Nomad refuses a Connect proxy task for it.`
            : `No service of this group has a Connect sidecar, so a task of kind "${kind}" proxies nothing: Nomad refuses it.`,
        );
      }
    }
  }

  /** ConsulGateway.Validate and what it asks of its proxy, ingress and terminating blocks */
  private gateway(gw: Block): void {
    const gv = viewOf(gw.body);
    if (['proxy', 'ingress', 'terminating', 'mesh'].some(k => gv.isDynamic(k))) return;
    const proxy = gv.one('proxy');
    if (proxy) {
      const pv = viewOf(proxy.body);
      const dns = pv.str('envoy_dns_discovery_type');
      if (dns !== undefined && !['', 'STRICT_DNS', 'LOGICAL_DNS'].includes(dns))
        this.fail(
          'gateway.dns-discovery-type',
          pv.attr('envoy_dns_discovery_type')!.expr.range,
          `"${dns}" is not an Envoy DNS discovery type: Nomad refuses it (STRICT_DNS or LOGICAL_DNS).`,
        );
      if (!pv.isDynamic('envoy_gateway_bind_addresses')) {
        for (const b of pv.all('envoy_gateway_bind_addresses')) {
          const bv = viewOf(b.body);
          const addr = bv.has('address') ? bv.str('address') : '';
          const port = bv.has('port') ? bv.num('port') : 0;
          if (addr === '')
            this.fail(
              'gateway.bind-address',
              bv.attr('address')?.expr.range ?? b.typeRange,
              `Gateway bind address "${b.labels[0]?.value ?? ''}" needs an \`address\`: Nomad refuses it without.`,
            );
          else if (addr !== undefined && port !== undefined && port <= 0 && port !== -1)
            this.fail(
              'gateway.bind-port',
              bv.attr('port')?.expr.range ?? b.typeRange,
              `Gateway bind address "${b.labels[0]?.value ?? ''}" needs a port above 0: Nomad refuses ${port}.`,
            );
        }
      }
    }
    const ingress = gv.one('ingress'),
      terminating = gv.one('terminating'),
      mesh = gv.one('mesh');
    const kinds = [ingress, terminating, mesh].filter(Boolean).length;
    if (ingress && !viewOf(ingress.body).isDynamic('listener')) {
      const iv = viewOf(ingress.body);
      const listeners = iv.all('listener');
      if (listeners.length === 0 && closed(ingress))
        this.fail(
          'gateway.ingress-listener',
          ingress.typeRange,
          'An ingress gateway needs at least one `listener`: Nomad refuses it without.',
        );
      for (const l of listeners) {
        const lv = viewOf(l.body);
        const port = lv.has('port') ? lv.num('port') : 0;
        const protocol = lv.has('protocol') ? lv.str('protocol') : 'tcp';
        if (port !== undefined && port <= 0) {
          this.fail(
            'gateway.listener-port',
            lv.attr('port')?.expr.range ?? l.typeRange,
            `An ingress listener needs a port above 0: Nomad refuses ${port}.`,
          );
          continue;
        }
        if (protocol !== undefined && !['tcp', 'http', 'http2', 'grpc'].includes(protocol)) {
          this.fail(
            'gateway.listener-protocol',
            lv.attr('protocol')!.expr.range,
            `"${protocol}" is not an ingress listener protocol (tcp, http, http2, grpc): Nomad refuses it.`,
          );
          continue;
        }
        if (lv.isDynamic('service')) continue;
        const services = lv.all('service');
        if (services.length === 0 && closed(l)) {
          this.fail(
            'gateway.listener-services',
            l.typeRange,
            'An ingress listener needs at least one `service`: Nomad refuses it without.',
          );
          continue;
        }
        for (const sb of services) {
          const sv = viewOf(sb.body);
          const name = sv.has('name') ? sv.str('name') : '';
          const hosts = sv.value('hosts');
          const hasHosts = sv.has('hosts') && (!Array.isArray(hosts) || hosts.length > 0);
          if (name === '')
            this.fail(
              'gateway.ingress-service-name',
              sv.attr('name')?.expr.range ?? sb.typeRange,
              'A service of an ingress listener needs a `name`: Nomad refuses it without.',
            );
          else if (protocol === 'tcp' && name === '*')
            this.fail(
              'gateway.ingress-tcp-wildcard',
              sv.attr('name')!.expr.range,
              'A tcp listener cannot take the wildcard service "*": Nomad refuses it (use http, http2 or grpc).',
            );
          else if (protocol === 'tcp' && hasHosts && Array.isArray(hosts))
            this.fail(
              'gateway.ingress-tcp-hosts',
              sv.attr('hosts')!.nameRange,
              'A service of a tcp listener cannot have `hosts`: Nomad refuses it.',
            );
          else if (protocol !== undefined && protocol !== 'tcp' && name === '*' && hasHosts && Array.isArray(hosts))
            this.fail(
              'gateway.ingress-wildcard-hosts',
              sv.attr('hosts')!.nameRange,
              'The wildcard service "*" cannot also have `hosts`: Nomad refuses it.',
            );
        }
      }
    }
    if (terminating && !viewOf(terminating.body).isDynamic('service')) {
      const services = viewOf(terminating.body).all('service');
      if (services.length === 0 && closed(terminating))
        this.fail(
          'gateway.terminating-service',
          terminating.typeRange,
          'A terminating gateway needs at least one `service`: Nomad refuses it without.',
        );
      for (const sb of services) {
        const sv = viewOf(sb.body);
        const set = (k: string): boolean | undefined => {
          if (!sv.has(k)) return false;
          const x = sv.str(k);
          return x === undefined ? undefined : x !== '';
        };
        const name = sv.has('name') ? sv.str('name') : '';
        const ca = set('ca_file'),
          cert = set('cert_file'),
          key = set('key_file'),
          sni = set('sni');
        if (name === '') {
          this.fail(
            'gateway.linked-service-name',
            sv.attr('name')?.expr.range ?? sb.typeRange,
            'A service of a terminating gateway needs a `name`: Nomad refuses it without.',
          );
          continue;
        }
        if ([ca, cert, key, sni].includes(undefined)) continue;
        if ((cert || key) && !ca)
          this.fail(
            'gateway.linked-service-tls-ca',
            sv.attr(cert ? 'cert_file' : 'key_file')!.nameRange,
            'A linked service with a certificate or key needs a `ca_file`: Nomad refuses it without.',
          );
        else if (cert !== key)
          this.fail(
            'gateway.linked-service-cert-key',
            sv.attr(cert ? 'cert_file' : 'key_file')!.nameRange,
            'A linked service takes `cert_file` and `key_file` together: Nomad refuses one without the other.',
          );
        else if (sni && !ca)
          this.fail(
            'gateway.linked-service-sni-ca',
            sv.attr('sni')!.nameRange,
            'A linked service with an `sni` needs a `ca_file`: Nomad refuses it without.',
          );
      }
    }
    if (kinds !== 1 && closed(gw))
      this.fail(
        'gateway.one-kind',
        gw.typeRange,
        kinds === 0
          ? 'A gateway needs one of `ingress`, `terminating` or `mesh`: Nomad refuses it without.'
          : 'A gateway is ingress, terminating or mesh, not several of them: Nomad refuses it.',
      );
  }

  /** rules of later releases on a task: actions (1.7), workload identities (1.7), secrets (1.11) */
  private taskLater(tv: View): void {
    if (!tv.isDynamic('action')) {
      const seen = new Set<string>();
      for (const a of tv.all('action')) {
        const av = viewOf(a.body);
        const name = a.labels[0]?.value ?? '';
        if (closed(a) && (!av.has('command') || av.str('command') === ''))
          this.fail(
            'action.command',
            av.attr('command')?.expr.range ?? a.typeRange,
            `Action "${name}" needs a \`command\`: Nomad refuses it without.`,
          );
        if (!/^[^\x00\s]{1,128}$/u.test(name) || [...name].length > 128)
          this.fail(
            'action.name',
            a.labels[0]?.range ?? a.typeRange,
            `"${name}" is not an action name Nomad accepts (1 to 128 characters, no spaces).`,
          );
        if (seen.has(name))
          this.fail(
            'action.duplicate',
            a.labels[0]?.range ?? a.typeRange,
            `Another action of this task is named "${name}": Nomad refuses it.`,
          );
        seen.add(name);
      }
    }
    if (!tv.isDynamic('identity')) {
      // Nomad keeps the last default identity (no name, or "default") and leaves the others in the list
      const defaults = tv.all('identity').filter(id => {
        const v = viewOf(id.body);
        const n = v.has('name') ? v.str('name') : '';
        return n === '' || n === 'default';
      });
      for (const d of defaults.slice(1))
        this.fail(
          'identity.duplicate-default',
          d.typeRange,
          'This task has another default identity (an `identity` block without a name, or named "default"): Nomad refuses two.',
        );
      for (const id of tv.all('identity')) {
        const iv = viewOf(id.body);
        const name = iv.has('name') ? iv.str('name') : '';
        if (name === undefined) continue;
        const isDefault = name === '' || name === 'default';
        if (!isDefault && !/^[a-zA-Z0-9-_]{1,128}$/.test(name))
          this.fail(
            'identity.name',
            iv.attr('name')!.expr.range,
            `"${name}" is not an identity name Nomad accepts (letters, digits, - and _; at most 128).`,
          );
        const aud = iv.value('aud');
        if (!isDefault && Array.isArray(aud) && aud.some(x => x === ''))
          this.fail(
            'identity.empty-audience',
            iv.attr('aud')!.expr.range,
            'An empty string is not an audience: Nomad refuses it in `aud`.',
          );
        const mode = iv.has('change_mode') ? iv.str('change_mode') : '';
        const signal = iv.has('change_signal') ? iv.str('change_signal') : '';
        if (mode !== undefined && signal !== undefined) {
          if ((mode === '' || mode === 'noop' || mode === 'restart') && signal !== '')
            this.fail(
              'identity.signal-needs-signal-mode',
              iv.attr('change_signal')!.nameRange,
              `\`change_signal\` is only for \`change_mode = "signal"\`${mode ? `, not "${mode}"` : ''}: Nomad refuses it.`,
            );
          else if (mode === 'signal' && signal === '')
            this.fail(
              'identity.signal-mode-needs-signal',
              iv.attr('change_mode')!.expr.range,
              'An identity with `change_mode = "signal"` needs a `change_signal`: Nomad refuses it without.',
            );
          else if (!['', 'noop', 'restart', 'signal'].includes(mode))
            this.fail(
              'identity.change-mode',
              iv.attr('change_mode')!.expr.range,
              `"${mode}" is not an identity change_mode (noop, restart or signal): Nomad refuses it.`,
            );
        }
        const ttl = iv.has('ttl') ? iv.duration('ttl') : 0;
        if (ttl !== undefined && ttl < 0)
          this.fail('identity.ttl-negative', iv.attr('ttl')!.expr.range, '`ttl` cannot be negative: Nomad refuses it.');
        else if (ttl !== undefined && ttl > 0 && isDefault)
          this.fail(
            'identity.default-ttl',
            iv.attr('ttl')!.nameRange,
            'The default identity (no `name`, or "default") cannot have a `ttl`: Nomad refuses it.',
          );
        const filepath = iv.has('filepath') ? iv.str('filepath') : '';
        if (filepath && iv.bool('file') !== true && iv.valueOr('file', false) !== undefined)
          this.fail(
            'identity.filepath-needs-file',
            iv.attr('filepath')!.nameRange,
            '`filepath` needs `file = true`: Nomad refuses it otherwise.',
          );
      }
    }
    if (!tv.isDynamic('secret')) {
      const seen = new Set<string>();
      for (const sb of tv.all('secret')) {
        const sv = viewOf(sb.body);
        const name = sb.labels[0]?.value ?? '';
        const at = sb.labels[0]?.range ?? sb.typeRange;
        if (name === '') this.fail('secret.name-empty', at, 'A secret needs a name: Nomad refuses `secret ""`.');
        else if (!/^[a-zA-Z0-9_]{1,128}$/.test(name))
          this.fail(
            'secret.name',
            at,
            `"${name}" is not a secret name Nomad accepts (letters, digits and _; at most 128).`,
          );
        if (seen.has(name))
          this.fail('secret.duplicate', at, `Another secret of this task is named "${name}": Nomad refuses it.`);
        seen.add(name);
        const provider = sv.has('provider') ? sv.str('provider') : '';
        if (provider === '' && closed(sb))
          this.fail(
            'secret.provider',
            sv.attr('provider')?.expr.range ?? sb.typeRange,
            `Secret "${name}" needs a \`provider\` (nomad, vault or a plugin): Nomad refuses it without.`,
          );
        if (closed(sb) && (!sv.has('path') || sv.str('path') === ''))
          this.fail(
            'secret.path',
            sv.attr('path')?.expr.range ?? sb.typeRange,
            `Secret "${name}" needs a \`path\`: Nomad refuses it without.`,
          );
        const env = sv.one('env'),
          config = sv.one('config');
        if ((provider === 'nomad' || provider === 'vault') && env && env.body.items.length > 0)
          this.fail('secret.env', env.typeRange, `The ${provider} provider takes no \`env\` block: Nomad refuses it.`);
        if (
          provider !== undefined &&
          provider !== '' &&
          provider !== 'nomad' &&
          provider !== 'vault' &&
          config &&
          config.body.items.length > 0
        )
          this.fail(
            'secret.config',
            config.typeRange,
            `A plugin provider ("${provider}") takes no \`config\` block: Nomad refuses it.`,
          );
      }
    }
  }

  /** transparent proxies (1.8): their own fields, and what the group's networks and services allow */
  private transparentProxy(gv: View, networks: readonly Block[] | undefined): void {
    const services = gv.all('service');
    let tproxy: Block | undefined;
    const connectCount = services.filter(s => viewOf(s.body).one('connect')).length;
    for (const s of services) {
      const c = viewOf(s.body).one('connect');
      const sc = c ? viewOf(c.body).one('sidecar_service') : undefined;
      const proxy = sc ? viewOf(sc.body).one('proxy') : undefined;
      const tp = proxy ? viewOf(proxy.body).one('transparent_proxy') : undefined;
      if (!tp) continue;
      tproxy ??= tp;
      const tv = viewOf(tp.body);
      const list = (name: string): string[] | undefined => {
        const v = tv.value(name);
        return Array.isArray(v) && v.every(x => typeof x === 'string') ? (v as string[]) : undefined;
      };
      if (networks && tv.bool('no_dns') !== true && tv.valueOr('no_dns', false) !== undefined) {
        const dns = networks
          .map(n => viewOf(n.body).one('dns'))
          .find(
            d =>
              d &&
              d.body.items.some(
                i =>
                  i.kind === 'Attribute' &&
                  (() => {
                    const v = staticValue(i.expr);
                    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '';
                  })(),
              ),
          );
        if (dns)
          this.fail(
            'tproxy.dns',
            tp.typeRange,
            'A transparent proxy cannot be used with a network `dns` block unless `no_dns = true`: Nomad refuses it.',
          );
      }
      const inbound = list('exclude_inbound_ports');
      if (inbound && networks && !networks.some(n => viewOf(n.body).isDynamic('port'))) {
        const statics = new Set(
          networks.flatMap(n =>
            viewOf(n.body)
              .all('port')
              .filter(p => viewOf(p.body).has('static'))
              .map(p => p.labels[0]?.value ?? ''),
          ),
        );
        for (const port of inbound)
          if (!(/^\d+$/.test(port) && Number(port) <= 65535) && !statics.has(port))
            this.fail(
              'tproxy.inbound-port',
              tv.attr('exclude_inbound_ports')!.expr.range,
              `"${port}" in \`exclude_inbound_ports\` is neither a port number nor the label of a static port of the group's network: Nomad refuses it.`,
            );
      }
      for (const cidr of list('exclude_outbound_cidrs') ?? [])
        if (!isGoPrefix(cidr))
          this.fail(
            'tproxy.outbound-cidr',
            tv.attr('exclude_outbound_cidrs')!.expr.range,
            `"${cidr}" is not a network prefix (such as "10.0.0.0/8"): Nomad refuses it in \`exclude_outbound_cidrs\`.`,
          );
      const uid = tv.str('uid');
      const isUid = (u: string): boolean => /^\d+$/.test(u) && Number(u) <= 65535;
      if (uid !== undefined && uid !== '' && !isUid(uid))
        this.fail(
          'tproxy.uid',
          tv.attr('uid')!.expr.range,
          `"${uid}" is not a user ID (a number up to 65535): Nomad refuses it.`,
        );
      for (const u of list('exclude_uids') ?? [])
        if (!isUid(u))
          this.fail(
            'tproxy.exclude-uid',
            tv.attr('exclude_uids')!.expr.range,
            `"${u}" in \`exclude_uids\` is not a user ID (a number up to 65535): Nomad refuses it.`,
          );
    }
    if (tproxy && connectCount > 1 && !gv.isDynamic('service'))
      this.fail(
        'tproxy.one-connect',
        tproxy.typeRange,
        'A transparent proxy needs its group to have one `connect` block only; this group has several: Nomad refuses it.',
      );
  }

  /** Task.Validate on a Connect proxy task, and the checks of a task's services */
  private taskConnect(tv: View): void {
    const kind = tv.str('kind');
    if (kind !== undefined && kind.startsWith('connect-proxy:')) {
      for (const s of tv.all('service'))
        this.fail(
          'connect.proxy-task-service',
          s.typeRange,
          'A Connect proxy task (`kind = "connect-proxy:…"`) cannot have a `service` block: Nomad refuses it.',
        );
      if (tv.bool('leader') === true)
        this.fail(
          'connect.proxy-task-leader',
          tv.attr('leader')!.expr.range,
          'A Connect proxy task cannot be the leader: Nomad refuses `leader = true` on it.',
        );
    }
    if (tv.isDynamic('service')) return;
    for (const s of tv.all('service')) {
      const sv = viewOf(s.body);
      if (sv.isDynamic('check')) continue;
      for (const ck of sv.all('check')) {
        const kv = viewOf(ck.body);
        if (kv.bool('expose') === true)
          this.fail(
            'expose.task-service',
            kv.attr('expose')!.nameRange,
            "Only checks of group services can be exposed through a Connect sidecar; this check is in a task's service: Nomad refuses it.",
          );
        const type = kv.str('type');
        if (type !== 'http' && type !== 'tcp' && type !== 'grpc') continue;
        const portAttr = kv.attr('port') ?? sv.attr('port');
        const port = kv.has('port') ? kv.str('port') : sv.str('port');
        if (!portAttr || port === undefined || kv.str('address_mode') !== 'driver' || !/^[+-]?\d+$/.test(port))
          continue;
        if (Number(port) <= 0)
          this.fail(
            'check.driver-port-positive',
            portAttr.expr.range,
            `A check with \`address_mode = "driver"\` and a numeric port needs a port above 0; ${Number(port)} is refused by Nomad.`,
          );
      }
    }
    // a device request: its constraints cannot spread allocations
    const res = tv.one('resources');
    if (res && !tv.isDynamic('resources')) {
      const numa = viewOf(res.body).one('numa');
      if (numa) {
        const nv = viewOf(numa.body);
        const aff = nv.str('affinity');
        if (aff !== undefined && !['', 'none', 'prefer', 'require'].includes(aff))
          this.fail(
            'numa.affinity',
            nv.attr('affinity')!.expr.range,
            `"${aff}" is not a NUMA affinity (none, prefer or require): Nomad refuses it.`,
          );
        const devs = nv.value('devices');
        if (Array.isArray(devs) && !viewOf(res.body).isDynamic('device')) {
          const requested = new Set(
            viewOf(res.body)
              .all('device')
              .map(d => d.labels[0]?.value ?? ''),
          );
          for (const d of devs)
            if (typeof d === 'string' && !requested.has(d))
              this.fail(
                'numa.device',
                nv.attr('devices')!.expr.range,
                `NUMA device "${d}" is not a device this task asks for (\`device "${d}" {}\` in its resources): Nomad refuses it.`,
              );
        }
      }
      for (const d of viewOf(res.body).all('device')) {
        for (const c of viewOf(d.body).all('constraint')) {
          const dc = this.decode(c, false);
          if (dc && (dc.operand === 'distinct_hosts' || dc.operand === 'distinct_property'))
            this.fail(
              'device.constraint-operand',
              dc.opAt,
              `A device's constraint cannot use \`${dc.operand}\` (it places allocations, not devices): Nomad refuses it.`,
            );
        }
      }
    }
  }

  /** validateServices(task): what a task's own services may not do */
  private taskServices(t: Block, tv: View): void {
    if (tv.isDynamic('service')) return;
    const tname = t.labels[0]?.value ?? '';
    for (const s of tv.all('service')) {
      const sv = viewOf(s.body);
      if (sv.str('address_mode') === 'alloc_ipv6')
        this.fail(
          'service.task-address-mode-alloc-ipv6',
          sv.attr('address_mode')!.expr.range,
          '`address_mode = "alloc_ipv6"` is for group services only: this Nomad release refuses it in a task\'s service.',
        );
      for (const c of sv.all('check')) {
        const cv = viewOf(c.body);
        if (cv.str('address_mode') === 'alloc_ipv6')
          this.fail(
            'check.task-address-mode-alloc-ipv6',
            cv.attr('address_mode')!.expr.range,
            '`address_mode = "alloc_ipv6"` is for checks of group services only: this Nomad release refuses it in a task\'s service.',
          );
      }
      if (sv.str('address_mode') === 'alloc')
        this.fail(
          'service.task-address-mode-alloc',
          sv.attr('address_mode')!.expr.range,
          '`address_mode = "alloc"` is for group services only: Nomad refuses it in a task\'s service.',
        );
      const task = sv.str('task');
      if (task !== undefined && task !== '' && task !== tname)
        this.fail(
          'service.task-other-task',
          sv.attr('task')!.expr.range,
          `A service of task "${tname}" can only name that task, not "${task}": Nomad refuses it.`,
        );
      for (const c of sv.all('check')) {
        const cv = viewOf(c.body);
        if (cv.str('address_mode') === 'alloc')
          this.fail(
            'check.task-address-mode-alloc',
            cv.attr('address_mode')!.expr.range,
            '`address_mode = "alloc"` is for checks of group services only: Nomad refuses it in a task\'s service.',
          );
        // (a check's `task` in a task's service: Nomad sets it to that task itself, whatever the file says)
      }
    }
  }

  private taskExtras(tv: View): void {
    // vault
    const vault = tv.one('vault');
    if (vault && !tv.isDynamic('vault')) {
      const vv = viewOf(vault.body);
      const pol = vv.value('policies');
      if (Array.isArray(pol) && pol.includes('root'))
        this.fail(
          'vault.root-policy',
          vv.attr('policies')!.expr.range,
          'A task cannot ask Vault for the "root" policy: Nomad refuses it.',
        );
      if (vv.str('change_mode') === 'signal' && vv.has('change_signal') && vv.str('change_signal') === '')
        this.fail(
          'vault.signal-empty',
          vv.attr('change_signal')!.expr.range,
          'A vault block with `change_mode = "signal"` needs a `change_signal` that is not empty: Nomad refuses it.',
        );
    }
    // volume mounts' propagation mode
    if (!tv.isDynamic('volume_mount')) {
      for (const vm of tv.all('volume_mount')) {
        const v = viewOf(vm.body);
        const label = v.str('selinux_label');
        if (label !== undefined && !['', 'z', 'Z'].includes(label))
          this.fail(
            'volume-mount.selinux-label',
            v.attr('selinux_label')!.expr.range,
            `"${label}" is not an SELinux label for a volume mount ("z": shared, "Z": private): Nomad refuses it.`,
          );
        const mode = v.str('propagation_mode');
        if (mode !== undefined && !['', 'private', 'host-to-task', 'bidirectional'].includes(mode)) {
          this.fail(
            this.holds('volume-mount.propagation-mode')
              ? 'volume-mount.propagation-mode'
              : 'volume-mount.propagation-mode-18',
            v.attr('propagation_mode')!.expr.range,
            `"${mode}" is not a propagation mode (private, host-to-task, bidirectional): Nomad refuses it.`,
          );
        }
      }
    }
    // a CSI plugin task
    const csi = tv.one('csi_plugin');
    if (csi && closed(csi)) {
      const cv = viewOf(csi.body);
      if ((cv.has('id') && cv.str('id') === '') || !cv.has('id'))
        this.fail(
          'csi-plugin.id',
          cv.attr('id')?.expr.range ?? csi.typeRange,
          'A `csi_plugin` block needs an `id`: Nomad refuses it without.',
        );
      const type = cv.has('type') ? cv.str('type') : '';
      if (type !== undefined && !['node', 'controller', 'monolith'].includes(type))
        this.fail(
          'csi-plugin.type',
          cv.attr('type')?.expr.range ?? csi.typeRange,
          `A csi_plugin's \`type\` is "node", "controller" or "monolith"${type ? `, not "${type}"` : ''}: Nomad refuses it.`,
        );
      const stage = cv.str('stage_publish_base_dir'),
        mount = cv.str('mount_dir');
      if (stage && mount && stage.startsWith(mount))
        this.fail(
          'csi-plugin.stage-under-mount',
          cv.attr('stage_publish_base_dir')!.expr.range,
          `\`stage_publish_base_dir\` ("${stage}") cannot be inside \`mount_dir\` ("${mount}"): Nomad refuses it.`,
        );
    }
    // templates: signals with env templates, change scripts
    if (!tv.isDynamic('template')) {
      for (const tpl of tv.all('template')) {
        const v = viewOf(tpl.body);
        const mode = v.str('change_mode');
        if (mode === 'signal' && v.bool('env') === true)
          this.fail(
            'template.env-signal',
            v.attr('change_mode')!.expr.range,
            'A template with `env = true` cannot use `change_mode = "signal"`: Nomad refuses it.',
          );
        if (mode === 'script') {
          const cs = v.one('change_script');
          if (!cs && !v.isDynamic('change_script'))
            this.fail(
              'template.script-needs-change-script',
              v.attr('change_mode')!.expr.range,
              'A template with `change_mode = "script"` needs a `change_script { command = … }` block: Nomad refuses it without.',
            );
          else if (cs && closed(cs)) {
            const cv = viewOf(cs.body);
            if (!cv.has('command') || cv.str('command') === '')
              this.fail(
                'template.change-script-command',
                cv.attr('command')?.expr.range ?? cs.typeRange,
                'A `change_script` needs a `command`: Nomad refuses it without.',
              );
          }
        }
      }
    }
  }

  /** ServiceCheck.validateCommon / validateNomad / validateConsul: what a check's provider allows */
  private checks(s: Block): void {
    const sv = viewOf(s.body);
    const provider = sv.valueOr('provider', 'consul');
    if (typeof provider !== 'string' || sv.isDynamic('check')) return;
    const address = sv.str('address');
    const addrMode = sv.str('address_mode');
    if (address && addrMode && ['host', 'driver', 'alloc'].includes(addrMode))
      this.fail(
        'service.address-needs-auto',
        sv.attr('address_mode')!.expr.range,
        `A service with an \`address\` must use \`address_mode = "auto"\`, not "${addrMode}": Nomad refuses it.`,
      );
    // a service's own identity (1.7): Consul services keep it (Nomad names it), others must name it
    const sid = sv.one('identity');
    if (sid && closed(sid) && !sv.isDynamic('identity')) {
      const iv = viewOf(sid.body);
      const aud = iv.has('aud') ? iv.value('aud') : [];
      if (provider === '' || provider === 'consul') {
        if (Array.isArray(aud) && aud.length === 0)
          this.fail(
            'service.identity-aud',
            iv.attr('aud')?.expr.range ?? sid.typeRange,
            'A service identity needs at least one audience (`aud = ["consul.io"]`): Nomad refuses it without.',
          );
      } else if (!iv.has('name') || iv.str('name') === '') {
        this.fail(
          'service.identity-name',
          iv.attr('name')?.expr.range ?? sid.typeRange,
          `The identity of a service with \`provider = "${provider}"\` needs a \`name\` (Nomad names only the identities of Consul services): Nomad refuses it without.`,
        );
      }
    }
    const kind = sv.str('kind');
    if (
      kind !== undefined &&
      !['', 'api-gateway', 'ingress-gateway', 'mesh-gateway', 'terminating-gateway'].includes(kind)
    )
      this.fail(
        'service.kind',
        sv.attr('kind')!.expr.range,
        `"${kind}" is not a Consul service kind a job can set (api-gateway, ingress-gateway, mesh-gateway, terminating-gateway, or none): this Nomad release refuses it.`,
      );
    const sidecar = sv.one('connect') ? viewOf(sv.one('connect')!.body).one('sidecar_service') : undefined;
    const ownRestart = sv.one('check_restart');
    const serviceOnUpdate = sv.has('on_update') ? sv.str('on_update') : 'require_healthy';
    for (const c of sv.all('check')) {
      const cv = viewOf(c.body);
      // the check's effective on_update (its own, else its service's) and check_restart (merged with the service's)
      const onUpdate = cv.has('on_update') ? cv.str('on_update') : serviceOnUpdate;
      const restart = cv.one('check_restart') ?? ownRestart;
      const ignoreWarnings =
        [cv.one('check_restart'), ownRestart]
          .map(b => (b ? viewOf(b.body).valueOr('ignore_warnings', null) : null))
          .find(x => x !== null) ?? false;
      const onUpdateAt = cv.attr('on_update')?.expr.range ?? sv.attr('on_update')?.expr.range ?? c.typeRange;
      if (cv.str('address_mode') === 'auto')
        this.fail(
          'check.address-mode-auto',
          cv.attr('address_mode')!.expr.range,
          '`address_mode = "auto"` is for services, not checks (host, driver or alloc): Nomad refuses it.',
        );
      else if (restart && onUpdate === 'ignore')
        this.fail(
          'check.on-update-check-restart',
          onUpdateAt,
          'A check with `on_update = "ignore"` cannot have a `check_restart`: Nomad refuses it.',
        );
      else if (restart && onUpdate === 'ignore_warnings' && (ignoreWarnings === false || ignoreWarnings === 'false'))
        this.fail(
          'check.on-update-ignore-warnings',
          onUpdateAt,
          'A check with `on_update = "ignore_warnings"` and a `check_restart` needs `ignore_warnings = true` in it: Nomad refuses it otherwise.',
        );
      if (provider === 'nomad' && restart && (ignoreWarnings === true || ignoreWarnings === 'true'))
        this.fail(
          'check.nomad-ignore-warnings',
          c.typeRange,
          '`ignore_warnings` in a check_restart is for Consul service checks only: Nomad refuses it with `provider = "nomad"`.',
        );
      const ctype = (cv.str('type') ?? '').toLowerCase();
      if (provider === 'consul' && cv.bool('expose') === true && ctype !== '' && ctype !== 'http' && ctype !== 'grpc')
        this.fail(
          'check.expose-type',
          cv.attr('expose')!.nameRange,
          `Only http and grpc checks can be exposed; this one is "${ctype}": Nomad refuses it.`,
        );
      if (provider === 'consul' && sidecar && ctype === 'tcp')
        this.fail(
          'check.connect-tcp',
          cv.attr('type')!.expr.range,
          'A tcp check cannot be used on a service with a Connect sidecar: Nomad refuses it.',
        );
      const path = ctype === 'http' ? cv.str('path') : undefined;
      if (path && goUrlParseFails(path))
        this.fail(
          'check.http-path-valid',
          cv.attr('path')!.expr.range,
          `"${path}" is not a URL path Nomad can read (a bad %-escape, a control character or a colon before the first slash): Nomad refuses the check.`,
        );
      const st = cv.str('initial_status');
      if (st !== undefined && !['', 'passing', 'warning', 'critical'].includes(st))
        this.fail(
          'check.initial-status',
          cv.attr('initial_status')!.expr.range,
          `"${st}" is not an initial check status (passing, warning or critical): Nomad refuses it.`,
        );
      const type = (cv.str('type') ?? '').toLowerCase();
      if (provider === 'nomad') {
        const consulOnly = (name: string, id: RuleId, set: boolean): void => {
          if (set)
            this.fail(
              id,
              cv.attr(name)!.nameRange,
              `\`${name}\` is for Consul service checks only; this service uses \`provider = "nomad"\`: Nomad refuses it.`,
            );
        };
        consulOnly('expose', 'check.nomad-expose', cv.bool('expose') === true);
        consulOnly(
          'success_before_passing',
          'check.nomad-success-before-passing',
          (cv.num('success_before_passing') ?? 0) !== 0,
        );
        consulOnly(
          'failures_before_critical',
          'check.nomad-failures-before-critical',
          (cv.num('failures_before_critical') ?? 0) !== 0,
        );
        consulOnly('tls_server_name', 'check.nomad-tls-server-name', (cv.str('tls_server_name') ?? '') !== '');
        if (this.holds('check.nomad-tls-skip-verify'))
          consulOnly('tls_skip_verify', 'check.nomad-tls-skip-verify', cv.bool('tls_skip_verify') === true);
        if (cv.str('on_update') === 'ignore_warnings')
          this.fail(
            'check.nomad-on-update',
            cv.attr('on_update')!.expr.range,
            '`on_update = "ignore_warnings"` is for Consul service checks only: Nomad refuses it with `provider = "nomad"`.',
          );
        consulOnly(
          'failures_before_warning',
          'check.nomad-failures-before-warning',
          (cv.num('failures_before_warning') ?? 0) !== 0,
        );
        if (cv.str('address_mode') === 'driver')
          this.fail(
            'check.nomad-address-mode',
            cv.attr('address_mode')!.expr.range,
            '`address_mode = "driver"` is for Consul service checks only: Nomad refuses it with `provider = "nomad"`.',
          );
        const method = cv.str('method');
        if (
          type === 'http' &&
          method !== undefined &&
          method !== '' &&
          !['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'].includes(method)
        )
          this.fail(
            'check.nomad-method',
            cv.attr('method')!.expr.range,
            `"${method}" is not an HTTP method a Nomad http check can use: Nomad refuses it.`,
          );
      } else if (provider === 'consul') {
        // (a negative count is turned into 0 by Nomad's api before validation: not an error)
        const notes = cv.str('notes');
        if (notes !== undefined && [...notes].length > 255)
          this.fail(
            'check.notes-length',
            cv.attr('notes')!.expr.range,
            `Check notes may have 255 characters; these have ${[...notes].length}: Nomad refuses them.`,
          );
        for (const [name, id] of [
          ['success_before_passing', 'check.success-before-passing-type'],
          ['failures_before_critical', 'check.failures-before-critical-type'],
          ['failures_before_warning', 'check.failures-before-warning-type'],
        ] as const) {
          const n = cv.attr(name) ? cv.num(name) : 0;
          if (n !== undefined && n > 0 && type !== '' && !['tcp', 'http', 'grpc'].includes(type))
            this.fail(
              id,
              cv.attr(name)!.nameRange,
              `\`${name}\` is for tcp, http and grpc checks; this one is "${type}": Nomad refuses it.`,
            );
        }
      }
    }
  }

  private checkRestarts(s: Block): void {
    const sv = viewOf(s.body);
    const checks = sv.all('check');
    if (checks.length === 0 || sv.isDynamic('check')) return;
    const blocks: Block[] = [];
    const own = sv.one('check_restart');
    if (own) blocks.push(own);
    for (const c of checks) {
      const cr = viewOf(c.body).one('check_restart');
      if (cr) blocks.push(cr);
    }
    for (const cr of blocks) {
      const v = viewOf(cr.body);
      const limit = v.num('limit');
      if (v.has('limit') && limit !== undefined && limit < 0)
        this.fail(
          'check-restart.limit-negative',
          v.attr('limit')!.expr.range,
          `\`limit\` of check_restart cannot be negative: Nomad refuses ${limit}.`,
        );
      const grace = v.attr('grace') ? v.duration('grace') : 0;
      if (grace !== undefined && grace < 0)
        this.fail(
          'check-restart.grace-negative',
          v.attr('grace')!.expr.range,
          '`grace` of check_restart cannot be negative: Nomad refuses it.',
        );
    }
  }

  private template(v: View): void {
    const splay = v.attr('splay');
    if (splay) {
      const d = v.duration('splay');
      if (d !== undefined && d < 0)
        this.fail(
          'template.splay-negative',
          splay.expr.range,
          'A template `splay` cannot be negative: Nomad refuses it ("Must specify positive splay value").',
        );
    }
    const perms = v.attr('perms');
    if (perms) {
      const p = v.str('perms');
      if (p !== undefined && !/^[+-]?(0[oO]?)?[0-7]+$/.test(p) && !/^[+-]?0[oO]?$/.test(p))
        this.fail(
          'template.perms-octal',
          perms.expr.range,
          `"${p}" is not an octal file mode (such as "0644"): Nomad refuses it.`,
        );
    }
    // (absent, Nomad's api fills in SIGHUP: only an empty signal is refused)
    if (v.str('change_mode') === 'signal' && v.has('change_signal') && v.str('change_signal') === '')
      this.fail(
        'template.signal-needs-change-signal',
        v.attr('change_signal')!.expr.range,
        'A template with `change_mode = "signal"` needs a `change_signal` that is not empty: Nomad refuses it ("Must specify signal value when change mode is signal").',
      );
    const wait = v.one('wait');
    if (wait) {
      const wv = viewOf(wait.body);
      const min = wv.attr('min') ? wv.duration('min') : undefined;
      const max = wv.attr('max') ? wv.duration('max') : undefined;
      if (min !== undefined && max !== undefined && min > max)
        this.fail(
          'template.wait-min-max',
          wv.attr('min')!.expr.range,
          `The template wait \`min\` (${formatGoDuration(min)}) is greater than its \`max\` (${formatGoDuration(max)}): Nomad refuses it.`,
        );
    }
  }

  private artifact(a: Block): void {
    const v = viewOf(a.body);
    if (closed(a) && (!v.has('source') || v.str('source') === ''))
      this.fail(
        'artifact.source',
        v.attr('source')?.expr.range ?? a.typeRange,
        'An artifact needs a `source` (the URL or path go-getter fetches): Nomad refuses it without.',
      );
    const dest = v.str('destination');
    if (dest !== undefined && !/\$\{/.test(dest) && escapesAlloc('task', dest))
      this.fail(
        'artifact.destination-escapes',
        v.attr('destination')!.expr.range,
        `The artifact destination "${dest}" is outside the allocation's directory: Nomad refuses it.`,
      );
    const options = v.attr('options');
    const ov = options ? staticValue(options.expr) : undefined;
    const ob = v.one('options');
    let checksum: string | undefined;
    let at: Range | undefined;
    if (
      ov &&
      typeof ov === 'object' &&
      !Array.isArray(ov) &&
      typeof (ov as Record<string, unknown>).checksum === 'string'
    ) {
      checksum = (ov as Record<string, string>).checksum;
      at = options!.expr.range;
    }
    if (ob) {
      const bv = viewOf(ob.body);
      if (bv.has('checksum')) {
        checksum = bv.str('checksum');
        at = bv.attr('checksum')!.expr.range;
      }
    }
    if (checksum === undefined || !at || /\$\{/.test(checksum)) return;
    const m = /^([^:]*):(.*)$/.exec(checksum);
    if (checksum === '') {
      this.fail('artifact.checksum-empty', at, 'An artifact checksum cannot be empty: Nomad refuses it.');
      return;
    }
    if (!m) {
      this.fail(
        'artifact.checksum-format',
        at,
        `An artifact checksum is written "type:value" (such as "sha256:…"); Nomad refuses "${checksum}".`,
      );
      return;
    }
    const kind = m[1]!,
      value = m[2]!;
    const lengths: Record<string, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };
    if (!(kind in lengths)) {
      this.fail(
        'artifact.checksum-type',
        at,
        `"${kind}" is not a checksum type Nomad knows (md5, sha1, sha256, sha512): Nomad refuses it.`,
      );
      return;
    }
    if (!/^[0-9a-fA-F]*$/.test(value) || value.length % 2 !== 0) {
      this.fail('artifact.checksum-hex', at, `The ${kind} checksum is not hexadecimal: Nomad refuses it.`);
      return;
    }
    if (value.length / 2 !== lengths[kind])
      this.fail(
        'artifact.checksum-length',
        at,
        `A ${kind} checksum has ${lengths[kind]! * 2} hex digits; this one has ${value.length}: Nomad refuses it.`,
      );
  }
}

/** ReschedulePolicy.viableAttempts: can `attempts` fit in `interval` with this delay progression */
function viableAttempts(
  attempts: number,
  interval: number,
  delay: number,
  fn: string,
  max: number,
): { ok: boolean; possible: number; recommended: number } {
  let possible = 0;
  let recommended = 0;
  let ok = true;
  if (fn === 'constant') {
    recommended = attempts * delay;
    if (interval < recommended) {
      possible = Math.floor(interval / delay);
      ok = false;
    }
  } else if (fn === 'exponential') {
    for (let i = 0; i < attempts && i < 64; i++) {
      let next = Math.pow(2, i) * delay;
      if (next > max) {
        next = max;
        recommended += next;
      } else recommended = next;
      if (recommended < interval) possible++;
    }
    if (possible < attempts) ok = false;
  } else if (fn === 'fibonacci') {
    const slots = [delay, delay];
    let reached = false;
    for (let i = 2; i < attempts; i++) {
      let next: number;
      if (reached) next = slots[i - 1]! + max;
      else {
        next = slots[i - 1]! + slots[i - 2]!;
        if (next > max) {
          next = max;
          reached = true;
        }
      }
      slots.push(next);
    }
    recommended = slots[slots.length - 1]!;
    if (interval < recommended) {
      ok = false;
      const i = slots.findIndex(x => x > interval);
      possible = i < 0 ? 0 : i;
    }
  }
  return { ok, possible, recommended };
}

const tasks0 = (gv: View): string[] => gv.all('task').map(t => t.labels[0]?.value ?? '');

/** escapingfs.PathEscapesAllocViaRelative: `path` under `<alloc>/<prefix>` leads out of the allocation directory */
function escapesAlloc(prefix: string, path: string): boolean {
  const parts: string[] = [];
  for (const seg of `${prefix}/${path}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else parts.push(seg);
  }
  return false;
}

/** Go's url.Parse refuses the text (a check's path): a control character, a `%` not followed by two hex
 * digits (outside the query), a leading colon, or a colon in the first segment of a path without a scheme */
export function goUrlParseFails(u: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(u)) return true;
  const hash = u.indexOf('#');
  const beforeFrag = hash < 0 ? u : u.slice(0, hash);
  const frag = hash < 0 ? '' : u.slice(hash + 1);
  const q = beforeFrag.indexOf('?');
  const rest = q < 0 ? beforeFrag : beforeFrag.slice(0, q);
  const badEscape = (x: string): boolean => /%(?![0-9a-fA-F]{2})/.test(x);
  if (badEscape(rest) || badEscape(frag)) return true;
  if (rest.startsWith(':')) return true;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(rest)) return false; // a scheme: the relative-path rule speaks
  if (rest.startsWith('//')) return false;
  const first = rest.split('/')[0] ?? '';
  return first.includes(':');
}

/** Go's netip.ParsePrefix accepts the text (an IPv4 or IPv6 address, a slash and a length in range) */
export function isGoPrefix(p: string): boolean {
  const m = /^([^/]+)\/(\d+)$/.exec(p);
  if (!m || (m[2]!.length > 1 && m[2]!.startsWith('0'))) return false;
  const bits = Number(m[2]);
  const addr = m[1]!;
  if (/^\d+(\.\d+){3}$/.test(addr))
    return bits <= 32 && addr.split('.').every(o => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
  if (addr.includes(':') && !addr.includes('%'))
    return bits <= 128 && /^[0-9a-fA-F:.]+$/.test(addr) && (addr.match(/::/g) ?? []).length <= 1;
  return false;
}

/** miekg/dns IsDomainName's limits: no empty label, labels of at most 63 bytes, at most 255 in all */
function isDnsName(s: string): boolean {
  if (s === '.') return true;
  const bytes = (x: string): number => new TextEncoder().encode(x).length;
  if (bytes(s) > 254 || s.startsWith('.')) return false;
  return s
    .replace(/\.$/, '')
    .split('.')
    .every(l => l.length > 0 && bytes(l) <= 63);
}

/** The rules of this module for the job blocks of a file, judged against a target release ("1.6.5"). */
export function checkRegisterRules(
  r: Reporter,
  items: readonly (Attribute | Block)[],
  target: string | undefined,
): void {
  for (const item of items) {
    if (item.kind !== 'Block' || item.type !== 'job') continue;
    new RegisterRules(r, target).validate(item);
  }
}
