// Nomad's rule for the path of a Variable (nomad/structs/variables.go): 1 to 128 of letters, digits,
// "-", "_", "~" and "/", no empty part, and under "nomad/" only "nomad/jobs…" and
// "nomad/job-templates/<name>". One rule for the language server's variable specification files and
// the Variables view. No imports: the extension's Variables code reads it without the language layer.

const PATH_CHARS = /^[a-zA-Z0-9\-_~/]{1,128}$/;

/** Why Nomad refuses `p` as a variable path (a clause, lower case, no full stop), or undefined. */
export function variablePathProblem(p: string): string | undefined {
  if (p === '') return 'a variable needs a path';
  if (!PATH_CHARS.test(p)) return 'a path is 1 to 128 letters, digits, "-", "_", "~" and "/"';
  const parts = p.split('/');
  if (parts.includes('')) return 'a path has no empty part (no leading, trailing or doubled "/")';
  if (parts[0] !== 'nomad' || parts[1] === 'jobs') return undefined;
  if (parts.length === 1) return '"nomad" itself is reserved: use "nomad/jobs/…" or "nomad/job-templates/<name>"';
  if (parts[1] === 'job-templates')
    return parts.length === 3
      ? undefined
      : 'under "nomad/job-templates" a variable sits exactly one level down: "nomad/job-templates/<name>"';
  return 'under "nomad/" only "nomad/jobs/…" and "nomad/job-templates/<name>" may be written';
}
