// The template findings as LSP diagnostics: what Nomad's client refuses when it renders (an action or a
// string never closed, a function that does not exist, an unbalanced block) as errors, a denied function
// and a Variable path the workload identity may not read as warnings. Pure.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { toLspRange, type HclFile } from '../hcl';
import { jobFacts } from '../cluster/job';
import { templateFindings, templatesOf } from './cluster';

export const TEMPLATE_SOURCE = 'Nomad (template)';

export function templateDiagnostics(file: HclFile): Diagnostic[] {
  const job = jobFacts(file);
  if (!job) return [];
  const out: Diagnostic[] = [];
  for (const { scan } of templatesOf(file, job)) {
    for (const p of scan.problems) {
      out.push({
        range: toLspRange(file, p),
        severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        source: TEMPLATE_SOURCE,
        code: p.code,
        message: p.message,
      });
    }
  }
  for (const f of templateFindings(file, job, undefined)) {
    out.push({
      range: toLspRange(file, f.range),
      severity: DiagnosticSeverity.Warning,
      source: TEMPLATE_SOURCE,
      code: f.code,
      message: f.message,
    });
  }
  return out;
}
