// Flow control between the log worker and the extension host: the worker counts the text it posted that
// the host has not acknowledged yet; past a high mark it stops reading the stream (and TCP holds the
// agent back) until acknowledgements bring it under a low mark. Without it, a host thread busy elsewhere
// would let posted text pile up in its message queue without bound.

export class FlowGate {
  private outstanding = 0;
  private waiters: Array<() => void> = [];
  private released = false;

  constructor(
    private readonly high: number,
    private readonly low = Math.floor(high / 2),
  ) {}

  /** Characters not yet acknowledged. */
  get pending(): number {
    return this.outstanding;
  }

  sent(chars: number): void {
    this.outstanding += chars;
  }

  acked(chars: number): void {
    this.outstanding = Math.max(0, this.outstanding - chars);
    if (this.outstanding <= this.low) this.wake();
  }

  /** undefined when the producer may go on; else a promise that settles when it may. */
  wait(): Promise<void> | undefined {
    if (this.released || this.outstanding <= this.high) return undefined;
    return new Promise(resolve => this.waiters.push(resolve));
  }

  /** Opens the gate for good (the stream is stopping: nothing may wait on acknowledgements now). */
  release(): void {
    this.released = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
