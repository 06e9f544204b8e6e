import * as vscode from 'vscode';
import type { NomadClient } from '../nomad/client';
import type { Job } from '../nomad/types';
import { buildPlanViewModel, type PlanContext, type PlanViewModel } from '../nomad/plan/viewModel';
import { plain } from '../nomad/display';
import { planDifferences, type PlanDifference } from '../nomad/plan/samePlan';

export type GuardResult =
  { run: true; vm: PlanViewModel } | { run: false; vm?: PlanViewModel; differences: PlanDifference[] };

/** Answers for the question (tests set it to answer without a dialog). */
export const samePlanPrompt = {
  /** One sentence; what differs is behind "Show What Differs" (the new plan, with the differences listed
   *  above it), never a wall of diff paths in the dialog. */
  ask: async (jobId: string, d: readonly PlanDifference[]): Promise<'run' | 'show' | undefined> => {
    const runNew = 'Run the New Plan',
      show = 'Show What Differs';
    const pick = await vscode.window.showWarningMessage(
      plain`Planned again, the cluster would now do something other than the plan shown for ${jobId}${d.length > 1 ? ` (${d.length} differences)` : ''}.`,
      {
        modal: true,
        detail: plain`Nothing was submitted.`,
      },
      show,
      runNew,
    );
    return pick === runNew ? 'run' : pick === show ? 'show' : undefined;
  },
};

/**
 * At Run: plan the same job again, silently. The same plan → run. A different one → ask: run the new
 * plan, or show it (nothing submitted), or cancel. `vm` is the plan to run (or to show).
 */
export async function guardSamePlan(
  client: NomadClient,
  job: Job,
  shown: PlanViewModel,
  fileName: string,
  context: PlanContext,
): Promise<GuardResult> {
  const ns = job.Namespace ? { namespace: String(job.Namespace) } : {};
  const plan = await client.planJob(job, true, ns);
  const vm = buildPlanViewModel(String(job.ID ?? ''), plan, fileName, context);
  const differences = planDifferences(shown, vm);
  if (!differences.length) return { run: true, vm };
  const pick = await samePlanPrompt.ask(String(job.ID ?? ''), differences);
  if (pick === 'run') return { run: true, vm };
  return { run: false, differences, ...(pick === 'show' ? { vm } : {}) };
}
