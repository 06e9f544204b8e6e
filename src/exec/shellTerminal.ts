import * as vscode from 'vscode';
import { ExecSession, type ExecConnection, type ExecFailure, type ExecTarget } from '../nomad/exec';
import { visible } from '../nomad/display';
import { joinCommandLine } from '../nomad/execArgv';

/** What a finished session left: the exit code, or why it failed. */
export type ShellOutcome =
  { kind: 'exited'; exitCode: number } | { kind: 'failed'; failure: ExecFailure } | { kind: 'closed' };

const RED = '\x1b[31m',
  DIM = '\x1b[2m',
  RESET = '\x1b[0m';

/**
 * A VS Code terminal attached to one exec session (tty on): keystrokes (Ctrl+C and Ctrl+D included)
 * go to the task as bytes, the panel's size follows as tty_size frames, the exit code is printed
 * when the command ends, and closing the terminal closes the socket.
 */
export class ShellTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  private readonly outcomeEmitter = new vscode.EventEmitter<ShellOutcome>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  /** Fires once, when the command exited or the session failed. */
  readonly onDidEnd = this.outcomeEmitter.event;
  private session: ExecSession | undefined;
  private decoder = new TextDecoder('utf-8');
  private size: { columns: number; rows: number } | undefined;
  private _outcome: ShellOutcome | undefined;
  private closed = false;
  /** Everything the task printed, decoded (the integration tests read it; never logged). */
  private transcriptParts: string[] = [];
  private transcriptLength = 0;
  /** When the socket opened (performance.now()), for the latency figures. */
  openedAt: number | undefined;

  constructor(
    private readonly connection: ExecConnection,
    readonly target: ExecTarget,
    readonly label: string,
    private readonly onFailure: (f: ExecFailure) => void = () => undefined,
    private readonly makeSession: (
      c: ExecConnection,
      t: ExecTarget,
      h: ConstructorParameters<typeof ExecSession>[2],
    ) => ExecSession = (c, t, h) => new ExecSession(c, t, h),
  ) {}

  get outcome(): ShellOutcome | undefined {
    return this._outcome;
  }
  get transcript(): string {
    return this.transcriptParts.join('');
  }

  open(initial: vscode.TerminalDimensions | undefined): void {
    if (initial) this.size = { columns: initial.columns, rows: initial.rows };
    this.writeEmitter.fire(
      `${DIM}Nomad: ${visible(this.label)} · ${visible(joinCommandLine(this.target.command))}${RESET}\r\n`,
    );
    this.session = this.makeSession(this.connection, this.target, {
      onOpen: () => {
        this.openedAt = performance.now();
        if (this.size) this.session?.resize(this.size.columns, this.size.rows);
      },
      onOutput: (_kind, data) => this.print(this.decoder.decode(data, { stream: true })),
      onExit: code => this.finish({ kind: 'exited', exitCode: code }),
      onFailure: f => this.finish({ kind: 'failed', failure: f }),
    });
  }

  private print(text: string): void {
    if (!text) return;
    this.transcriptParts.push(text);
    this.transcriptLength += text.length;
    // keep the last ~256 KiB for the tests; the terminal itself keeps its own scrollback
    if (this.transcriptLength > 512 * 1024) {
      const all = this.transcript.slice(-256 * 1024);
      this.transcriptParts = [all];
      this.transcriptLength = all.length;
    }
    this.writeEmitter.fire(text);
  }

  private finish(o: ShellOutcome): void {
    if (this._outcome) return;
    this._outcome = o;
    const rest = this.decoder.decode();
    if (rest) this.print(rest);
    if (this.closed) {
      this.outcomeEmitter.fire(o);
      return;
    }
    if (o.kind === 'exited') {
      this.writeEmitter.fire(
        `\r\n${o.exitCode === 0 ? DIM : RED}[exited with code ${o.exitCode}]${RESET} ${DIM}press any key to close${RESET}\r\n`,
      );
    } else if (o.kind === 'failed') {
      this.writeEmitter.fire(
        `\r\n${RED}${visible(o.failure.message)}${RESET}\r\n${DIM}press any key to close${RESET}\r\n`,
      );
      this.onFailure(o.failure);
    }
    this.outcomeEmitter.fire(o);
  }

  handleInput(data: string): void {
    if (this._outcome) {
      this.close();
      this.closeEmitter.fire(this._outcome.kind === 'exited' ? this._outcome.exitCode : 1);
      return;
    }
    // Enter from VS Code arrives as \r, which a terminal expects; the task's line discipline does the rest
    this.session?.write(data);
  }

  setDimensions(d: vscode.TerminalDimensions): void {
    this.size = { columns: d.columns, rows: d.rows };
    this.session?.resize(d.columns, d.rows);
  }

  /** The terminal was closed (by the user or by us): the socket goes with it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session?.close();
    if (!this._outcome) {
      this._outcome = { kind: 'closed' };
      this.outcomeEmitter.fire(this._outcome);
    }
  }

  /** True once the socket is closed or closing. */
  get socketEnded(): boolean {
    return this.session?.ended ?? false;
  }

  dispose(): void {
    this.close();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
    this.outcomeEmitter.dispose();
  }
}
