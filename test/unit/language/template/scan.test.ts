// The template scanner: what Nomad's client refuses when it renders a template's data, in a heredoc and
// in a quoted string (escaped quotes), with the block's own delimiters; HCL interpolations skipped; the
// workload identity's paths; completion of functions, Variable paths, item keys and services.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { templateDiagnostics, templateCompletions } from '../../../../src/language/cluster';
import { workloadPaths } from '../../../../src/language/template/cluster';
import { atCursor } from '../../support';
import { node, snapshot } from '../cluster/snapshot';

const heredoc = (data: string, extra = '') =>
  `job "web" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      template {\n${extra}        data = <<EOT\n${data}\nEOT\n        destination = "local/x"\n      }\n    }\n  }\n}\n`;
const quoted = (data: string) =>
  `job "web" {\n  group "g" {\n    task "t" {\n      template {\n        data = "${data}"\n        destination = "local/x"\n      }\n    }\n  }\n}\n`;
const problems = (text: string) =>
  templateDiagnostics(parse(text)).map(
    d => `${d.code} ${parse(text).text.slice(offsetOf(text, d.range.start), offsetOf(text, d.range.end))}`,
  );
function offsetOf(text: string, p: { line: number; character: number }): number {
  const lines = text.split('\n');
  return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}

describe('template scanner', () => {
  it('a sound template: nothing', () => {
    assert.deepEqual(
      problems(
        heredoc(
          '{{ with nomadVar "nomad/jobs/web" }}user={{ .user | toUpper }}{{ end }}\n{{- range $i, $s := nomadService "db" -}}\n{{ $s.Address }}:{{ $s.Port }}{{ end }}\n{{/* a comment */}}{{ env "NOMAD_ALLOC_ID" }}{{ sprig_upper "x" }}',
        ),
      ),
      [],
    );
  });
  it('an action never closed', () => {
    assert.deepEqual(problems(heredoc('a {{ env "X" ')), ['template-unclosed-action {{']);
  });
  it('an unknown function, a denied one', () => {
    assert.deepEqual(problems(heredoc('{{ nomadVars "x" }}{{ plugin "ls" }}')), [
      'template-unknown-function nomadVars',
      'template-denied-function plugin',
    ]);
  });
  it('unbalanced blocks', () => {
    assert.deepEqual(problems(heredoc('{{ if true }}x')), ['template-unbalanced if']);
    assert.deepEqual(problems(heredoc('x{{ end }}')), ['template-unbalanced end']);
  });
  it('a string never closed', () => {
    assert.deepEqual(problems(heredoc('{{ env "X }}')), ['template-unclosed-string "X }}']);
  });
  it("a quoted HCL string: its escaped quotes are the template's", () => {
    assert.deepEqual(problems(quoted('{{ env \\"NOMAD_TASK_NAME\\" }}')), []);
    assert.deepEqual(problems(quoted('{{ bogus \\"x\\" }}')), ['template-unknown-function bogus']);
  });
  it("HCL interpolations are skipped; the block's delimiters are used", () => {
    assert.deepEqual(problems(heredoc('${ {a = 1} } {{ env "X" }}')), []);
    assert.deepEqual(
      problems(
        heredoc('[[ bogus ]] {{ not a template', '        left_delimiter = "[["\n        right_delimiter = "]]"\n'),
      ),
      ['template-unknown-function bogus'],
    );
  });
  it("the workload identity: the job's own paths read, another needs a policy", () => {
    assert.deepEqual(workloadPaths('web', 'g', 't'), [
      'nomad/jobs',
      'nomad/jobs/web',
      'nomad/jobs/web/g',
      'nomad/jobs/web/g/t',
    ]);
    for (const p of workloadPaths('web', 'g', 't'))
      assert.deepEqual(problems(heredoc(`{{ with nomadVar "${p}" }}{{ end }}`)), [], p);
    assert.deepEqual(problems(heredoc('{{ with nomadVar "nomad/jobs/other" }}{{ end }}')), [
      'template-variable-identity "nomad/jobs/other"',
    ]);
    assert.deepEqual(problems(heredoc('{{ with nomadVar "nomad/jobs/web@team" }}{{ end }}')), [
      'template-variable-identity "nomad/jobs/web@team"',
    ]);
  });
});

describe('template completion', () => {
  const s = snapshot([node('a')], {
    variables: [
      { namespace: 'default', path: 'nomad/jobs/web', keys: ['password', 'user'] },
      { namespace: 'team', path: 'nomad/jobs/x' },
    ],
    services: [{ namespace: 'default', name: 'db' }],
  });
  const labels = (src: string) => {
    const { file, offset } = atCursor(src);
    return (templateCompletions(file, offset, s) ?? []).map(i => i.label);
  };
  it('functions and keywords where a function goes', () => {
    const l = labels(heredoc('{{ nomad‸ }}'));
    for (const f of [
      'nomadVar',
      'nomadVarList',
      'nomadVarExists',
      'nomadService',
      'nomadServices',
      'env',
      'key',
      'keyOrDefault',
      'secret',
      'service',
      'services',
      'range',
      'with',
      'if',
      'end',
    ])
      assert.ok(l.includes(f), f);
  });
  it("Variable paths of the job's namespace, their keys inside `with`, service names", () => {
    assert.deepEqual(labels(heredoc('{{ with nomadVar "nomad/‸" }}{{ end }}')), ['nomad/jobs/web']);
    assert.deepEqual(labels(heredoc('{{ with nomadVar "nomad/jobs/web" }}{{ .‸ }}{{ end }}')), ['.password', '.user']);
    assert.deepEqual(labels(heredoc('{{ range nomadService "‸" }}{{ end }}')), ['db']);
  });
  it('outside an action: nothing of ours', () => {
    const { file, offset } = atCursor(heredoc('text ‸ {{ env "X" }}'));
    assert.equal(templateCompletions(file, offset, s), undefined);
  });
});
