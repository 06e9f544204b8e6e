// The plan webview's messages, both ways (src/plan/planPanel.ts <-> src/webview/plan/main.ts). Pure types.
import type { DiffPathSegment, PlanViewModel } from './viewModel';

/** The run button's lifecycle, as the webview shows it. */
export type RunPhase =
  | { phase: 'idle' }
  | { phase: 'submitting' }
  | { phase: 'submitted'; evalId: string; version?: number }
  /** the deployment runs: its progress, and the first task failure as soon as one is seen */
  | { phase: 'deploying'; evalId: string; version?: number; progress: string; failure?: string; retry?: string }
  /** watching ended: how (successful, failed, …) in words, cluster strings included as text */
  | {
      phase: 'done';
      outcome: 'successful' | 'failed' | 'placement-failed' | 'no-deployment' | 'timeout' | 'cancelled';
      message: string;
      detail?: string;
    }
  | { phase: 'conflict'; planIndex: number; currentIndex?: number; message: string }
  | { phase: 'error'; message: string };

/** What is true of the plan shown, now (besides the run's phase). */
export interface PlanStatus {
  /** the plan was submitted: the version it became, when known */
  applied?: { version?: number; evalId: string };
  /** the file changed since this plan */
  stale: boolean;
  /** one sentence above the plan (why it was planned again), its details behind a button */
  notice?: { text: string; details?: string[] };
}

/** Messages from the extension to the plan webview. */
export type PlanToWebview =
  | { type: 'status'; status: PlanStatus }
  | { type: 'plan'; vm: PlanViewModel; fileName: string; namespace: string; cluster: string; plannedAt: string }
  | { type: 'planning'; fileName: string }
  | { type: 'planError'; message: string }
  | { type: 'run'; state: RunPhase };

/** Messages from the plan webview to the extension. */
export type PlanFromWebview =
  | { type: 'ready' }
  | { type: 'run'; jobModifyIndex: number }
  | { type: 'replan' }
  | { type: 'stopWatching' }
  | { type: 'reveal'; path: DiffPathSegment[] }
  | { type: 'copy'; text: string };
