// The double's /v1/jobs/parse through the project's own decoder (HCL syntax tree → API Job JSON), the
// same code the extension uses to map plan rows to lines. Errors are worded the way the agent words
// them (`input.hcl:L,C-C: …`) so the extension's error mapping sees the same shapes.
import { parse, staticValue, positionAt } from '../../src/language/hcl';
import { decodeJob, type Value } from '../../src/language/decode/decoder';
import { fallbackParseJob, type ParseJob } from './parse';

export const decoderParseJob: ParseJob = (hcl, variables) => {
  if (hcl.trim().startsWith('{')) return fallbackParseJob(hcl, variables);
  const file = parse(hcl);
  const err = file.errors.find(e => e.severity === 'error');
  if (err) {
    const s = positionAt(file, err.range.start),
      e = positionAt(file, err.range.end);
    return { error: `input.hcl:${s.line + 1},${s.character + 1}-${e.character + 1}: ${err.message}` };
  }
  const vars: Record<string, Value> = {};
  if (variables.trim()) {
    const vf = parse(variables);
    for (const item of vf.body.items) {
      if (item.kind !== 'Attribute') continue;
      const v = staticValue(item.expr);
      if (v !== undefined) vars[item.name] = v as Value;
    }
  }
  const decoded = decodeJob(file, { variables: vars });
  if (!decoded.job) return { error: 'input.hcl: no job block found' };
  return { job: decoded.job };
};
