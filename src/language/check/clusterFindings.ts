/**
 * Nomad's job validation errors come as nested "multierror" text:
 *   Task group g validation failed: 2 errors occurred:
 *   \t* Constraint 1 validation failed: 1 error occurred:
 *   \t* Unknown constraint type "is_awesome"
 *   \t* Task t validation failed: …
 * and parse errors as `input.hcl:L,C-C: message` (or `L,C-L,C`). This module turns both into flat
 * findings with the context each one belongs to. Pure.
 */

export interface ValidationFinding {
  message: string;
  group?: string;
  task?: string;
  /** e.g. { kind: 'Constraint', index: 1 } (1-based, as Nomad numbers them) */
  object?: { kind: string; index?: number; name?: string };
}

const CONTEXT =
  /^(Task group|Task|Service|Check|Constraint|Affinity|Spread|Volume|Network|Template|Artifact|Update|Restart|Reschedule|Migrate|Periodic|Parameterized|Group|Job)\s*(?:"([^"]+)"|([^\s:]+))?\s*(?:validation failed|is invalid)/;
const OCCURRED = /^\d+ errors? occurred:?$/;

export function parseValidationErrors(texts: readonly string[]): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  for (const text of texts) {
    let group: string | undefined, task: string | undefined;
    let object: ValidationFinding['object'];
    for (const raw of text.split('\n')) {
      let line = raw.replace(/^\s*\*\s*/, '').trim();
      if (!line || OCCURRED.test(line)) continue;
      // peel "Context X validation failed: " prefixes (a line can hold several)
      for (;;) {
        const m = CONTEXT.exec(line);
        if (!m) break;
        const kind = m[1]!,
          name = m[2] ?? m[3];
        if (kind === 'Task group' || kind === 'Group') {
          group = name;
          task = undefined;
          object = undefined;
        } else if (kind === 'Task') {
          task = name;
          object = undefined;
        } else if (kind !== 'Job') {
          const index = name && /^\d+$/.test(name) ? Number(name) : undefined;
          object = { kind, ...(index !== undefined ? { index } : name ? { name } : {}) };
        }
        line = line.slice(m[0].length).replace(/^:\s*/, '').trim();
        if (OCCURRED.test(line)) line = '';
      }
      if (!line) continue;
      out.push({
        message: line,
        ...(group ? { group } : {}),
        ...(task ? { task } : {}),
        ...(object ? { object } : {}),
      });
    }
  }
  return out;
}

export interface HclErrorLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** `…input.hcl:3,1-1: Argument or block definition required; …` → 1-based location and message. */
export function parseHclErrorLocation(text: string): HclErrorLocation | undefined {
  const m = /input\.hcl:(\d+),(\d+)-(?:(\d+),)?(\d+):\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const line = Number(m[1]),
    column = Number(m[2]);
  return { line, column, endLine: m[3] ? Number(m[3]) : line, endColumn: Number(m[4]), message: m[5]!.trim() };
}
