// Variable item keys that break naive code (issue 22): keys a plain object loses or mistakes for its
// own (`__proto__`, `constructor`…), the empty key, one near Nomad's 64 KiB limit, keys the document
// syntax must quote, and keys with line separators and invisible characters. Shared by the unit tests
// of the document formats and the contract tests against the double and the real agent.
export const HOSTILE_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'a=b',
  '"quoted"',
  "it's",
  'line\nbreak',
  'cr\rhere',
  '= x',
  '#not-a-comment',
  '// nor this',
  'tab\tkey',
  'ls\u2028ps\u2029',
  'zw\u200bj\u200d',
  'bidi\u202e',
  '${tmpl}',
  '<<EOT',
];

/** A key that, with a short value, fills most of Nomad's 64 KiB per variable. */
export const LONG_KEY = 'k'.repeat(64 * 1024 - 200);
