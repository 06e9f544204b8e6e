// Version checks: what the target Nomad version does not have. The schema check (./schemaCheck.ts) walks the job
// against the schema of the target release (rootSchema(target)); a name that release lacks reaches
// `unknown`, and this gate says why when another release has it ("`max_run_duration` in `group` needs
// Nomad 2.0.3 or later; this cluster runs 2.0.2"). Releases are exact: the schema was read at every
// release tag, patch releases included. The gate comes before any deprecation of the name: what the
// target does not have is an error for that target, whatever newer releases say about it.
// Rules that changed without a change of the api structs (versionRules) are checked by their own
// small walk over the job's tasks.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Block, Body, HclFile, Range } from '../hcl';
import {
  deprecationFor,
  memberName,
  memberRange,
  multipleSince,
  newestRelease,
  releaseFor,
  ReleaseGate,
  versionRules,
  type BlockSchema,
  type TargetVersion,
  type VersionRule,
} from '../schema';
import { deprecationCode, report, type Reporter } from './report';
import { Codes } from './types';

/** The target when none is given: the newest release the schema knows. */
export function defaultTarget(): TargetVersion {
  return { version: newestRelease().version, source: 'default' };
}

export class VersionGate {
  /** the target as a full version ("2.0.2"): what since / until are compared with */
  readonly full: string;
  private readonly gate: ReleaseGate;

  constructor(readonly target: TargetVersion) {
    // a target that is not a version is checked as the newest release known
    this.gate = new ReleaseGate(target, newestRelease().version);
    this.full = this.gate.full!;
  }

  /** the minor of the release whose schema the checker uses ("1.6"), for callers that name releases by minor */
  get minor(): string {
    return releaseFor(this.full).minor;
  }

  /** The version the checker should walk with (the argument of rootSchema). */
  get version(): string {
    return this.target.version;
  }

  /**
   * `name` is not in `schema` (as the target release has it). When another release has it, reports why
   * and answers true; false leaves the "unknown" report to the caller.
   */
  unknown(r: Reporter, name: string, range: Range, schema: BlockSchema): boolean {
    const m = memberRange(schema.id, name);
    if (!m) return false;
    // job-level names stand alone (`ui`); nested ones say where they are (`name` in `identity`)
    const what = memberName(name, schema);
    if (this.gate.tooOld(m)) {
      report(r, range, DiagnosticSeverity.Error, Codes.needsNewerNomad, `${this.gate.needs(what, m.since!)}.`);
      return true;
    }
    if (this.gate.tooNew(m)) {
      // a removal we have advice for keeps its own code and quick fix ("Remove it")
      const dep = deprecationFor(schema.id, name);
      const advice = dep?.removed && dep.advice ? ` ${dep.advice}` : '';
      const code = dep?.removed ? deprecationCode(dep) : Codes.removedFromNomad;
      report(
        r,
        range,
        DiagnosticSeverity.Error,
        code,
        `${this.gate.removedIn(what, m.until!)}.${advice}`,
        dep?.removed && dep.fix === 'remove-attribute'
          ? { fix: 'remove-attribute', at: range.start, deprecation: true }
          : undefined,
      );
      return true;
    }
    return false;
  }

  /**
   * A second `name` block where the target allows one but a newer release allows several: reports why and
   * answers true; false leaves the "only one" report to the caller.
   */
  second(r: Reporter, name: string, range: Range, schema: BlockSchema, firstLine: number): boolean {
    const since = multipleSince(schema.id, name);
    if (since === undefined || !this.gate.before(since)) return false;
    const where = schema.name && schema.id !== 'Job' ? ` in \`${schema.name}\`` : '';
    report(
      r,
      range,
      DiagnosticSeverity.Error,
      Codes.needsNewerNomad,
      `${this.gate.needs(`A second \`${name}\` block${where} (the first is on line ${firstLine})`, since)}.`,
    );
    return true;
  }

  /** Rules of versionRules the target does not accept yet, for every job of the file. */
  checkRules(r: Reporter, file: HclFile): void {
    const pending = versionRules.filter(rule => this.gate.before(rule.acceptedSince));
    if (pending.length === 0) return;
    for (const item of file.body.items) {
      if (item.kind === 'Block' && item.type === 'job') this.jobRules(r, item, pending);
    }
  }

  private jobRules(r: Reporter, job: Block, rules: readonly VersionRule[]): void {
    const memory = rules.find(x => x.id === 'memory-max-unlimited');
    const vault = rules.find(x => x.id === 'vault-policies-required');
    const jobVault = blocksOf(job.body, 'vault')[0];
    // a task directly under the job is a group of its own
    const groups: { vault: Block | undefined; tasks: Block[] }[] = [];
    for (const g of blocksOf(job.body, 'group'))
      groups.push({ vault: blocksOf(g.body, 'vault')[0], tasks: blocksOf(g.body, 'task') });
    for (const t of blocksOf(job.body, 'task')) groups.push({ vault: undefined, tasks: [t] });
    let jobVaultUsed = false;
    for (const g of groups) {
      let groupVaultUsed = false;
      for (const t of g.tasks) {
        if (memory) {
          for (const res of blocksOf(t.body, 'resources')) {
            const a = attributeOf(res.body, 'memory_max');
            if (a && a.expr.kind === 'Literal' && a.expr.value === -1) this.refused(r, a.nameRange, memory);
          }
        }
        const own = blocksOf(t.body, 'vault')[0];
        if (own) {
          if (vault) this.vaultPolicies(r, own, vault);
        } else if (g.vault) groupVaultUsed = true;
        else jobVaultUsed = true;
      }
      // jobspec2 copies a group's vault block into its tasks without one: only then is it validated
      if (vault && g.vault && groupVaultUsed) this.vaultPolicies(r, g.vault, vault);
    }
    if (vault && jobVault && jobVaultUsed) this.vaultPolicies(r, jobVault, vault);
  }

  private vaultPolicies(r: Reporter, block: Block, rule: VersionRule): void {
    const p = attributeOf(block.body, 'policies');
    if (!p) this.refused(r, block.typeRange, rule);
    else if (p.expr.kind === 'Tuple' && p.expr.items.length === 0) this.refused(r, p.nameRange, rule);
  }

  private refused(r: Reporter, range: Range, rule: VersionRule): void {
    report(
      r,
      range,
      DiagnosticSeverity.Error,
      Codes.needsNewerNomad,
      `${this.gate.needs(capitalise(rule.summary), rule.acceptedSince)}.`,
    );
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function blocksOf(body: Body, type: string): Block[] {
  const out: Block[] = [];
  for (const item of body.items) if (item.kind === 'Block' && item.type === type) out.push(item);
  return out;
}

function attributeOf(body: Body, name: string) {
  for (const item of body.items) if (item.kind === 'Attribute' && item.name === name) return item;
  return undefined;
}
