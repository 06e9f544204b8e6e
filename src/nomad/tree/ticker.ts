/**
 * A timer that runs only while something is on screen: ages in the Jobs view ("3m") are computed when a
 * row is drawn, so the rows that show them are redrawn every `everyMs` while the view is visible, once
 * at once when it becomes visible again, and never while it is hidden. Pure: no `vscode`; timers injected.
 */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemTimers: IntervalTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: h => clearInterval(h as ReturnType<typeof setInterval>),
};

export class VisibleTicker {
  private handle: unknown;
  private disposed = false;

  constructor(
    private readonly tick: () => void,
    readonly everyMs = 30_000,
    private readonly timers: IntervalTimers = systemTimers,
  ) {}

  get running(): boolean {
    return this.handle !== undefined;
  }

  setVisible(visible: boolean): void {
    if (this.disposed) return;
    if (visible && this.handle === undefined) {
      this.handle = this.timers.setInterval(() => this.tick(), this.everyMs);
      this.tick();
    } else if (!visible && this.handle !== undefined) {
      this.timers.clearInterval(this.handle);
      this.handle = undefined;
    }
  }

  dispose(): void {
    this.setVisible(false);
    this.disposed = true;
  }
}
