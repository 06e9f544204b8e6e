// The mutation test of issue 24: one mistake per rule case (test/unit/language/check/ruleCases.ts) made in
// copies of the shared-corpus files a real Nomad accepts, and the same place written right (the case's
// passing lines), each copy judged by a real Nomad 1.6.5 (parse + validate, as the parity layer asks it)
// and by us. Deterministic: the same corpus and cases give the same mutants, so the captured verdicts
// (test/fixtures/nomad/mutants/verdicts.json) are checked in CI without an agent.
//
// A case's lines go into the job's body, the first group's or the first task's, right after the line
// of the block's opening brace. A file whose body already states what the lines state (an argument of
// the same name, a block that may appear once) is not used for that case, except that lines made of one
// such block of arguments are merged into the block the file has (`resources { memory_max = 200 }` into
// its `resources`), when none of the arguments is there yet.
import fs from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../../src/language';
import { parse, staticValue, type Block, type Body } from '../../src/language/hcl';
import { RULE_CASES, type RuleCase } from '../unit/language/check/ruleCases';
import { accepted, sha256, type Verdict } from './nomad';

export interface Mutant {
  /** `<rule>#<hash of the case>:<fail|pass>:<corpus file>` */
  id: string;
  rule: string;
  variant: 'fail' | 'pass';
  /** the corpus file it was made from (`valid/…`) */
  file: string;
  text: string;
  /** 0-based line of the mistake (fail variants) */
  line: number | undefined;
}

/** Nomad's verdict on one mutant, as stored in the fixture. */
export interface MutantVerdict {
  id: string;
  rule: string;
  variant: 'fail' | 'pass';
  file: string;
  sha256: string;
  line: number | null;
  accepted: boolean;
  /** Nomad's reason when it refuses (one line, clipped) */
  reason: string;
}

export const MUTANT_TARGET = { version: '1.6.5', source: 'setting' } as const;
/** files per case: failing and passing variants */
const PER_CASE = { fail: 5, pass: 3 } as const;
/** blocks a body may hold several of (other block types may appear once) */
const REPEATABLE: ReadonlySet<string> = new Set([
  'constraint',
  'affinity',
  'spread',
  'service',
  'template',
  'artifact',
  'volume_mount',
  'task',
  'volume',
  'check',
  'target',
]);

const blocksOf = (body: Body, type: string): Block[] =>
  body.items.filter((i): i is Block => i.kind === 'Block' && i.type === type);

function jobType(job: Block): string | undefined {
  const a = job.body.items.find(i => i.kind === 'Attribute' && i.name === 'type');
  if (!a || a.kind !== 'Attribute') return 'service';
  const v = staticValue(a.expr);
  return typeof v === 'string' ? v : undefined;
}

/** the body the case's lines go into, or undefined when the file has none usable */
function targetBlock(job: Block, at: RuleCase['at']): Block | undefined {
  if (at === 'job') return job;
  const g = blocksOf(job.body, 'group')[0];
  if (!g || at === 'group') return g;
  return blocksOf(g.body, 'task')[0];
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

const lineOf = (starts: number[], offset: number): number => {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** the case's lines put into `text`, or undefined when this file cannot take them */
export function mutate(
  text: string,
  c: RuleCase,
  variant: 'fail' | 'pass',
): { text: string; line: number | undefined } | undefined {
  if (c.whole) return undefined;
  const file = parse(text);
  if (file.errors.length) return undefined;
  const jobs = file.body.items.filter((i): i is Block => i.kind === 'Block' && i.type === 'job');
  if (jobs.length !== 1) return undefined;
  const job = jobs[0]!;
  if ((c.types ?? ['service']).indexOf(jobType(job) ?? '') < 0) return undefined;
  let into = targetBlock(job, c.at);
  if (!into?.openBrace || !into.closeBrace) return undefined;
  const snippet = parse(c[variant]);
  if (snippet.errors.length) return undefined;
  let lines = c[variant].split('\n');
  const has = (body: Body, name: string): boolean =>
    body.items.some(i =>
      i.kind === 'Attribute'
        ? i.name === name
        : i.type === name || (i.type === 'dynamic' && i.labels[0]?.value === name),
    );
  const labelled = (body: Body, b: Block): boolean =>
    body.items.some(
      i =>
        i.kind === 'Block' &&
        i.type === b.type &&
        i.labels.map(l => l.value).join('\0') === b.labels.map(l => l.value).join('\0'),
    );
  const lone =
    snippet.body.items.length === 1 && snippet.body.items[0]!.kind === 'Block'
      ? (snippet.body.items[0] as Block)
      : undefined;
  const existing = lone && !REPEATABLE.has(lone.type) ? blocksOf(into.body, lone.type) : [];
  if (lone && existing.length === 1 && lone.body.items.every(i => i.kind === 'Attribute')) {
    // merge the block's arguments into the file's block of that type
    const target = existing[0]!;
    if (lone.body.items.some(i => i.kind === 'Attribute' && has(target.body, i.name))) return undefined;
    if (!target.openBrace || !target.closeBrace) return undefined;
    into = target;
    lines = lines.slice(1, -1).map(l => l.replace(/^ {2}/, ''));
  } else {
    for (const item of snippet.body.items) {
      if (item.kind === 'Attribute' && has(into.body, item.name)) return undefined;
      if (item.kind === 'Block' && (REPEATABLE.has(item.type) ? labelled(into.body, item) : has(into.body, item.type)))
        return undefined;
    }
  }
  const starts = lineStarts(text);
  const openLine = lineOf(starts, into.openBrace!.start);
  if (lineOf(starts, into.closeBrace!.start) <= openLine) return undefined; // a block on one line
  const insertAt = starts[openLine + 1];
  if (insertAt === undefined) return undefined;
  const indent = (/^\s*/.exec(text.slice(starts[openLine]!, insertAt))?.[0] ?? '').replace(/\n/g, '') + '  ';
  const marked = lines.findIndex(l => /#!\s*$/.test(l));
  const body = lines.map(l => (l ? indent + l.replace(/\s*#!\s*$/, '') : l)).join('\n') + '\n';
  return {
    text: text.slice(0, insertAt) + body + text.slice(insertAt),
    line: marked < 0 ? undefined : openLine + 1 + marked,
  };
}

function spread(name: string, n: number): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return n ? h % n : 0;
}

/** Every mutant of the corpus files Nomad accepts (`accepted`: their paths relative to `corpus`). */
export function makeMutants(
  corpus: string,
  acceptedFiles: readonly string[],
  cases: readonly RuleCase[] = RULE_CASES,
): Mutant[] {
  const files = [...acceptedFiles].sort();
  const texts = new Map<string, string>();
  const textOf = (f: string): string => {
    let t = texts.get(f);
    if (t === undefined) texts.set(f, (t = fs.readFileSync(path.join(corpus, f), 'utf8')));
    return t;
  };
  const out: Mutant[] = [];
  for (const c of cases) {
    if (c.whole || (c.target && c.target !== MUTANT_TARGET.version)) continue;
    // a case is named by its content, so adding or moving cases leaves the others' mutants as they are
    const key = `${c.rule}#${sha256(`${c.at}\0${c.fail}\0${c.pass}`).slice(0, 8)}`;
    for (const variant of ['fail', 'pass'] as const) {
      const start = spread(`${key}:${variant}`, files.length);
      let made = 0;
      for (let k = 0; k < files.length && made < PER_CASE[variant]; k++) {
        const file = files[(start + k) % files.length]!;
        const m = mutate(textOf(file), c, variant);
        if (!m) continue;
        out.push({ id: `${key}:${variant}:${file}`, rule: c.rule, variant, file, text: m.text, line: m.line });
        made++;
      }
    }
  }
  return out;
}

/** The corpus files a captured parity verdict says Nomad accepts (and that are asked about, not skipped). */
export function acceptedCorpusFiles(parityFixtures: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(parityFixtures).filter(f => f.endsWith('.json'))) {
    const v = JSON.parse(fs.readFileSync(path.join(parityFixtures, name), 'utf8')) as Verdict;
    if (!v.skipped && accepted(v) && v.file.startsWith('valid/')) out.push(v.file);
  }
  return out.sort();
}

export function verdictOf(m: Mutant, v: Verdict): MutantVerdict {
  const reason = accepted(v)
    ? ''
    : (v.parse?.status !== 200 ? (v.parse?.error ?? '') : (v.validate?.error ?? '')).replace(/\s+/g, ' ').slice(0, 300);
  return {
    id: m.id,
    rule: m.rule,
    variant: m.variant,
    file: m.file,
    sha256: sha256(m.text),
    line: m.line ?? null,
    accepted: accepted(v),
    reason,
  };
}

// ---- comparing -----------------------------------------------------------------------------------------

export interface RuleFigures {
  rule: string;
  /** mutants Nomad refuses */
  refused: number;
  /** … that get an error on the mistake's line */
  atLine: number;
  /** … that get an error elsewhere only */
  elsewhere: number;
  missed: string[];
  /** mutants Nomad accepts */
  accepted: number;
  falseErrors: string[];
}

export interface MutationReport {
  mutants: number;
  refused: number;
  atLine: number;
  accepted: number;
  falseErrors: number;
  stale: string[];
  rules: RuleFigures[];
}

/** Our verdicts on the mutants beside Nomad's (captured or live). */
export function compareMutants(mutants: readonly Mutant[], verdicts: readonly MutantVerdict[]): MutationReport {
  const byId = new Map(verdicts.map(v => [v.id, v]));
  const rules = new Map<string, RuleFigures>();
  const report: MutationReport = {
    mutants: 0,
    refused: 0,
    atLine: 0,
    accepted: 0,
    falseErrors: 0,
    stale: [],
    rules: [],
  };
  for (const m of mutants) {
    const v = byId.get(m.id);
    if (!v || v.sha256 !== sha256(m.text)) {
      report.stale.push(m.id);
      continue;
    }
    report.mutants++;
    let f = rules.get(m.rule);
    if (!f)
      rules.set(
        m.rule,
        (f = { rule: m.rule, refused: 0, atLine: 0, elsewhere: 0, missed: [], accepted: 0, falseErrors: [] }),
      );
    const errors = analyzeText(m.text, { targetVersion: MUTANT_TARGET }).diagnostics.filter(d => d.severity === 1);
    if (v.accepted) {
      f.accepted++;
      report.accepted++;
      if (errors.length) {
        f.falseErrors.push(
          `${m.id}: ${errors
            .map(e => `${e.range.start.line + 1}: ${e.message}`)
            .join(' | ')
            .slice(0, 300)}`,
        );
        report.falseErrors++;
      }
      continue;
    }
    f.refused++;
    report.refused++;
    // the mistake's line for a failing variant; any error for a passing variant Nomad refuses for another reason
    const line = m.variant === 'fail' ? m.line : undefined;
    if (errors.some(e => line === undefined || e.range.start.line === line)) {
      f.atLine++;
      report.atLine++;
    } else if (errors.length) {
      f.elsewhere++;
      f.missed.push(
        `${m.id} (line ${line! + 1}): Nomad: ${v.reason.slice(0, 160)}; ours elsewhere: ${errors
          .map(e => `${e.range.start.line + 1}: ${e.message}`)
          .join(' | ')
          .slice(0, 200)}`,
      );
    } else f.missed.push(`${m.id} (line ${(line ?? 0) + 1}): Nomad: ${v.reason.slice(0, 200)}`);
  }
  report.rules = [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  return report;
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

/** The per-rule table and the totals, as the tests and the capture print them. */
export function describeMutants(r: MutationReport, detail = true): string {
  const lines = [
    `mutants ${r.mutants} (${r.stale.length} stale); Nomad refuses ${r.refused}, accepts ${r.accepted}`,
    `refusals reported on the mistake's line: ${r.atLine} of ${r.refused} (${pct(r.atLine, r.refused)})`,
    `errors on mutants Nomad accepts: ${r.falseErrors} of ${r.accepted}`,
    'rule | Nomad refuses | at the line | elsewhere | missed | Nomad accepts | false errors',
  ];
  for (const f of r.rules)
    lines.push(
      `${f.rule} | ${f.refused} | ${f.atLine} | ${f.elsewhere} | ${f.missed.length - f.elsewhere} | ${f.accepted} | ${f.falseErrors.length}`,
    );
  if (detail) {
    for (const f of r.rules) for (const m of f.missed) lines.push(`  MISSED ${m}`);
    for (const f of r.rules) for (const e of f.falseErrors) lines.push(`  FALSE ERROR ${e}`);
  }
  return lines.join('\n');
}
