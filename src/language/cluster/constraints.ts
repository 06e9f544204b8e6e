// Nomad's constraint operators, judged against a node of the snapshot as the scheduler's feasibility
// check does (Nomad 1.6.5 scheduler/feasible.go: resolveTarget, checkConstraint, checkOrder,
// checkVersionMatch, checkSetContainsAll/Any): `${node.unique.id}`, `${node.datacenter}`,
// `${node.unique.name}`, `${node.class}`, `${node.pool}`, `${attr.…}`, `${meta.…}`, else a literal.
//   =, ==, is     both sides found and equal           !=, not   not equal (a missing side counts)
//   <, <=, >, >=  integers, else floats, else lexical  is_set / is_not_set   the left side found or not
//   version       hashicorp/go-version constraints     semver    Nomad's semver constraints
//   regexp        RE2 match                            set_contains(_all) / set_contains_any: comma lists
//   distinct_hosts, distinct_property: not a node's property (they spread allocations): always true
// `undefined` is "we cannot tell" (an operator we do not know, a regexp JavaScript cannot run the way RE2
// does, a node whose attributes were not read): such a constraint is never reported. Pure.
import type { SnapshotNode } from '../../shared/clusterSnapshot';
import { goRegexpError, goVersionConstraintError, semverConstraintError } from '../check/goSyntax';

/** The value a target names on a node; `found` false when the node does not have it. undefined: unknown. */
export function resolveTarget(target: string, node: SnapshotNode): { value: string; found: boolean } | undefined {
  if (!target.startsWith('${')) return { value: target, found: true };
  switch (target) {
    case '${node.unique.id}':
      return { value: node.id, found: true };
    case '${node.datacenter}':
      return { value: node.datacenter, found: true };
    case '${node.unique.name}':
      return { value: node.name, found: true };
    case '${node.class}':
      return { value: node.nodeClass, found: true };
    case '${node.pool}':
      return { value: node.nodePool, found: true };
  }
  const inner = (prefix: string) => target.slice(prefix.length).replace(/\}$/, '');
  if (target.startsWith('${attr.')) {
    if (!node.attributes) return undefined;
    const k = inner('${attr.');
    return Object.hasOwn(node.attributes, k)
      ? { value: node.attributes[k]!, found: true }
      : { value: '', found: false };
  }
  if (target.startsWith('${meta.')) {
    if (!node.meta) return undefined;
    const k = inner('${meta.');
    return Object.hasOwn(node.meta, k) ? { value: node.meta[k]!, found: true } : { value: '', found: false };
  }
  return { value: '', found: false };
}

// ---- versions (hashicorp/go-version, and Nomad's semver constraints on top of it) ----------------------

interface Version {
  segments: number[];
  given: number;
  pre: string;
}

const VERSION_RE =
  /^v?([0-9]+(?:\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(?:-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(?:\+(?:[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?$/;
const SEMVER_RE =
  /^v?([0-9]+(?:\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(?:-([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(?:\+(?:[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?$/;

function parseVersion(s: string, re = VERSION_RE): Version | undefined {
  const m = re.exec(s);
  if (!m) return undefined;
  const parts = m[1]!.split('.').map(Number);
  if (parts.some(n => !Number.isSafeInteger(n))) return undefined;
  const given = parts.length;
  while (parts.length < 3) parts.push(0);
  return { segments: parts, given, pre: m[2] ?? m[3] ?? '' };
}

function comparePre(a: string, b: string): number {
  const x = a.split('.'),
    y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i],
      q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p),
      qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d) return Math.sign(d);
      continue;
    }
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (!a.pre && !b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  return comparePre(a.pre, b.pre);
}

/** go-version: a pre-release only meets a constraint with a pre-release of the same base segments. */
function prereleaseOk(v: Version, c: Version): boolean {
  if (c.pre && v.pre) return v.segments.join('.') === c.segments.join('.');
  if (!c.pre && v.pre) return false;
  return true;
}

function checkVersion(lVal: string, rVal: string, semver: boolean): boolean | undefined {
  if (semver ? semverConstraintError(rVal) : goVersionConstraintError(rVal)) return false;
  const v = parseVersion(lVal);
  if (!v) return false;
  for (const single of rVal.split(',')) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<|)\s*(\S+)\s*$/.exec(single);
    if (!m) return undefined;
    const c = parseVersion(m[2]!, semver ? SEMVER_RE : VERSION_RE);
    if (!c) return false;
    const op = m[1]!;
    const cmp = compare(v, c);
    let ok: boolean;
    if (semver) {
      ok =
        op === '' || op === '='
          ? cmp === 0
          : op === '!='
            ? cmp !== 0
            : op === '>'
              ? cmp > 0
              : op === '<'
                ? cmp < 0
                : op === '>='
                  ? cmp >= 0
                  : cmp <= 0;
    } else if (op === '' || op === '=') ok = cmp === 0;
    else if (op === '!=') ok = cmp !== 0;
    else if (!prereleaseOk(v, c)) ok = false;
    else if (op === '~>') {
      ok =
        !(c.pre && !v.pre) &&
        cmp >= 0 &&
        c.segments.slice(0, Math.max(1, c.given - 1)).every((s, i) => v.segments[i] === s);
    } else ok = op === '>' ? cmp > 0 : op === '<' ? cmp < 0 : op === '>=' ? cmp >= 0 : cmp <= 0;
    if (!ok) return false;
  }
  return true;
}

// ---- regexp: RE2 as far as JavaScript runs it the same way ---------------------------------------------

const regexps = new Map<string, RegExp | null>();
function goRegexp(src: string): RegExp | null {
  let re = regexps.get(src);
  if (re !== undefined) return re;
  re = null;
  if (!goRegexpError(src)) {
    let flags = 'u';
    let body = src;
    const f = /^\(\?([imsU]+)\)/.exec(body);
    if (f && !f[1]!.includes('U')) {
      body = body.slice(f[0].length);
      if (f[1]!.includes('i')) flags += 'i';
      if (f[1]!.includes('m')) flags += 'm';
      if (f[1]!.includes('s')) flags += 's';
    }
    // what RE2 has and JavaScript spells otherwise, or not at all: not judged
    if (!/\(\?[imsU-]|\\[AzCpPQE]|\[\[:|\\x\{/.test(body)) {
      try {
        re = new RegExp(body.replace(/\(\?P</g, '(?<'), flags);
      } catch {
        re = null;
      }
    }
  }
  if (regexps.size > 500) regexps.clear();
  regexps.set(src, re);
  return re;
}

// ---- the operators ---------------------------------------------------------------------------------

const order = (op: string, l: string, r: string): boolean => {
  const asInt = (s: string) => (/^[+-]?\d+$/.test(s) ? BigInt(s) : undefined);
  const li = asInt(l),
    ri = asInt(r);
  const cmp = (a: number | bigint | string, b: typeof a) => (a < b ? -1 : a > b ? 1 : 0);
  let c: number;
  const fl = Number(l),
    fr = Number(r);
  if (li !== undefined && ri !== undefined) c = cmp(li, ri);
  else if (
    l.trim() !== '' &&
    r.trim() !== '' &&
    !Number.isNaN(fl) &&
    !Number.isNaN(fr) &&
    /^[\s+\-.\deEinfINF]+$/.test(l + r)
  )
    c = cmp(fl, fr);
  else c = cmp(l, r);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
};

const set = (s: string) => new Set(s.split(',').map(x => x.trim()));

/** Whether `node` satisfies the constraint; undefined when we cannot tell. */
export function nodeSatisfies(
  node: SnapshotNode,
  operator: string,
  attribute: string | undefined,
  value: string | undefined,
): boolean | undefined {
  const op = operator || '=';
  if (op === 'distinct_hosts' || op === 'distinct_property') return true;
  const l = resolveTarget(attribute ?? '', node);
  const r = resolveTarget(value ?? '', node);
  if (!l || !r) return undefined;
  const both = l.found && r.found;
  switch (op) {
    case '=':
    case '==':
    case 'is':
      return both && l.value === r.value;
    case '!=':
    case 'not':
      return !(l.found === r.found && l.value === r.value);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return both && order(op, l.value, r.value);
    case 'is_set':
      return l.found;
    case 'is_not_set':
      return !l.found;
    case 'version':
    case 'semver': {
      if (!both) return false;
      return checkVersion(l.value, r.value, op === 'semver');
    }
    case 'regexp': {
      if (!both) return false;
      if (goRegexpError(r.value)) return false;
      const re = goRegexp(r.value);
      return re ? re.test(l.value) : undefined;
    }
    case 'set_contains':
    case 'set_contains_all': {
      if (!both) return false;
      const have = set(l.value);
      return [...set(r.value)].every(x => have.has(x));
    }
    case 'set_contains_any': {
      if (!both) return false;
      const have = set(l.value);
      return [...set(r.value)].some(x => have.has(x));
    }
    default:
      return undefined;
  }
}

/** The words of a constraint as `nomad plan` shows it ("${attr.kernel.name} = windows"). */
export function constraintText(operator: string, attribute: string | undefined, value: string | undefined): string {
  return [attribute ?? '', operator || '=', value ?? ''].filter(Boolean).join(' ');
}
