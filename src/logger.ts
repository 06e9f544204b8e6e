import * as vscode from 'vscode';
import { visibleLines, type Visible } from './untrusted/shown';

/** The extension's one log: a LogOutputChannel behind a tiny facade that never logs secrets. Lines
 *  often carry cluster strings (names, server errors): bidirectional, zero-width and control characters
 *  are written as visible escapes, so a line reads as it is. */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Nomad') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Register a value (a token) that must never appear in the log. */
  redact(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  private clean(message: string): Visible {
    let m = message;
    for (const s of this.secrets) m = m.split(s).join('<redacted>');
    return visibleLines(m);
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  error(message: string, err?: unknown): void {
    const detail = err instanceof Error ? `: ${err.message}` : err !== undefined ? `: ${String(err)}` : '';
    this.channel.error(this.clean(message + detail));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
