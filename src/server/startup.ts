/**
 * Start-up and exit reporting of the language server process. Imported first by ./main.ts, so its
 * handlers are in place before any other module of the server is evaluated: a failure while loading
 * (a missing bundle part, a bad schema file), an exception nobody caught, or an exit with a non-zero
 * code all leave one line on stderr saying what happened and in which phase. The editor shows the
 * server's stderr in its output channel; stdout may be the LSP channel and is never written here.
 */

export type Phase = 'loading' | 'waiting for initialize' | 'running' | 'shutting down';

let phase: Phase = 'loading';
let stdinEnded = false;
let parentPid: number | undefined;
let exitNotified = false;

export function setPhase(p: Phase): void {
  phase = p;
}

export function currentPhase(): Phase {
  return phase;
}

/** The client sent `exit` (the protocol ends the process with code 1 when no `shutdown` came first). */
export function exitNotification(): void {
  exitNotified = true;
}

/** The editor's process id (initialize's processId), used to say why we exit when it is gone. */
export function setParentPid(pid: number | null | undefined): void {
  if (typeof pid === 'number' && pid > 0) parentPid = pid;
}

function write(line: string): void {
  try {
    process.stderr.write(`[nomad-language-server] ${line}\n`);
  } catch {
    // stderr is gone too: nothing left to tell
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

function parentAlive(): boolean | undefined {
  if (parentPid === undefined) return undefined;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why the process is exiting with `code`, in words (the guess is marked as such). */
export function exitReason(code: number): string {
  const parent = parentAlive();
  if (parent === false) return `the editor process ${parentPid} is gone`;
  if (exitNotified) return 'the client sent "exit" without "shutdown" before it (the protocol\'s code for that is 1)';
  if (stdinEnded) return 'the client closed its end of the connection (stdin ended)';
  if (phase === 'loading') return 'a failure while loading the server (see the error above)';
  return `no cause recorded (exit code ${code})`;
}

export function installStartupReporting(): void {
  const args = process.argv.slice(2);
  if (args.includes('--stdio'))
    process.stdin.once('end', () => {
      stdinEnded = true;
    });
  process.on('uncaughtException', e => {
    // as Node would without this handler, the process ends (the editor restarts it), but with the cause
    write(`uncaught exception while ${phase}: ${describe(e)}`);
    process.exit(1);
  });
  process.on('unhandledRejection', e => {
    write(`unhandled promise rejection while ${phase}: ${describe(e)}`);
  });
  process.on('exit', code => {
    if (code !== 0) write(`exiting with code ${code} while ${phase}: ${exitReason(code)}`);
  });
}

installStartupReporting();
