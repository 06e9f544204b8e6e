// Completion at many cursor positions: block and attribute names per block (from the schema, driver
// config from the driver's schema), snippets, enum values after `=`, port labels, var./local., functions
// and signature help; half-typed files with missing braces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsertTextFormat } from 'vscode-languageserver-types';
import { completeAt, signatureHelpAt } from '../../../../src/language/features/completion';
import { rootSchema, agentSchema } from '../../../../src/language/schema';
import { atCursor, labels, newText, CURSOR as C } from '../../support';

function complete(src: string, trigger?: string): ReturnType<typeof completeAt>['items'] {
  const { file, offset } = atCursor(src);
  return completeAt(file, offset, rootSchema(), trigger ? { triggerCharacter: trigger } : {}).items;
}

const inTask = (driver: string, body: string): string =>
  `job "a" {\n  group "g" {\n    network {\n      port "http" {}\n      port "db" { static = 5432 }\n    }\n    task "t" {\n      driver = "${driver}"\n${body}\n    }\n  }\n}\n`;

test('top level: job, variable, variables, locals as block snippets', () => {
  const items = complete(C);
  assert.deepEqual(labels(items).sort(), ['job', 'locals', 'variable', 'variables']);
  assert.equal(newText(items, 'job'), 'job "${1:name}" {\n\t$0\n}');
  assert.equal(newText(items, 'locals'), 'locals {\n\t$0\n}');
  assert.ok(items.every(i => i.insertTextFormat === InsertTextFormat.Snippet));
  // a second job is not offered, variables are repeatable
  const again = complete(`job "a" {}\n${C}`);
  assert.ok(!labels(again).includes('job'));
  assert.ok(labels(again).includes('variable'));
});

test('inside job: attributes and blocks, set attributes left out, quotes for strings', () => {
  const items = complete(`job "a" {\n  datacenters = ["dc1"]\n  group "x" {}\n  ${C}\n}\n`);
  const l = labels(items);
  for (const n of ['type', 'region', 'namespace', 'priority', 'group', 'update', 'constraint', 'meta', 'periodic'])
    assert.ok(l.includes(n), n);
  assert.ok(!l.includes('datacenters'), 'already set');
  assert.ok(l.includes('group'), 'repeatable block still offered');
  assert.equal(newText(items, 'region'), 'region = "${1:global}"');
  assert.equal(newText(items, 'type'), 'type = "${1|service,batch,system,sysbatch|}"');
  assert.equal(newText(items, 'priority'), 'priority = ${1:50}');
  assert.equal(newText(items, 'all_at_once'), 'all_at_once = ${1|false,true|}');
  assert.equal(newText(items, 'datacenters'), undefined);
  assert.equal(newText(items, 'group'), 'group "${1:name}" {\n\t$0\n}');
  const update = complete(`job "a" {\n  update {}\n  ${C}\n}\n`);
  assert.ok(!labels(update).includes('update'), 'a single update block');
  const hover = items.find(i => i.label === 'type')!.documentation as { value: string };
  assert.match(hover.value, /scheduler/);
});

test('a prefix being typed: the replaced range covers the word', () => {
  const { file, offset } = atCursor(`job "a" {\n  pri${C}\n}\n`);
  const items = completeAt(file, offset, rootSchema()).items;
  const p = items.find(i => i.label === 'priority')!;
  const edit = p.textEdit as { range: { start: { line: number; character: number }; end: { character: number } } };
  assert.deepEqual([edit.range.start.line, edit.range.start.character, edit.range.end.character], [1, 2, 5]);
});

test('inside group, task, service, check, network, update', () => {
  const group = labels(complete(`job "a" {\n  group "g" {\n    ${C}\n  }\n}\n`));
  for (const n of ['count', 'task', 'network', 'service', 'volume', 'restart', 'ephemeral_disk', 'scaling'])
    assert.ok(group.includes(n), `group ${n}`);
  const task = labels(complete(`job "a" {\n  group "g" {\n    task "t" {\n      ${C}\n    }\n  }\n}\n`));
  for (const n of ['driver', 'config', 'resources', 'template', 'artifact', 'env', 'user', 'lifecycle', 'kill_timeout'])
    assert.ok(task.includes(n), `task ${n}`);
  const service = labels(complete(`job "a" {\n  group "g" {\n    service {\n      ${C}\n    }\n  }\n}\n`));
  for (const n of ['name', 'port', 'tags', 'provider', 'check', 'connect'])
    assert.ok(service.includes(n), `service ${n}`);
  const check = labels(
    complete(
      `job "a" {\n  group "g" {\n    service {\n      check {\n        type = "http"\n        ${C}\n      }\n    }\n  }\n}\n`,
    ),
  );
  for (const n of ['path', 'interval', 'timeout', 'port', 'check_restart']) assert.ok(check.includes(n), `check ${n}`);
  assert.ok(!check.includes('type'));
  const network = labels(complete(`job "a" {\n  group "g" {\n    network {\n      ${C}\n    }\n  }\n}\n`));
  for (const n of ['mode', 'port', 'dns', 'hostname']) assert.ok(network.includes(n), `network ${n}`);
  const update = complete(`job "a" {\n  update {\n    ${C}\n  }\n}\n`);
  for (const n of ['max_parallel', 'health_check', 'min_healthy_time', 'healthy_deadline', 'auto_revert', 'canary'])
    assert.ok(labels(update).includes(n), `update ${n}`);
  assert.equal(newText(update, 'min_healthy_time'), 'min_healthy_time = "${1:10s}"');
});

test('driver config: docker and raw_exec schemas, nested blocks', () => {
  const docker = labels(complete(inTask('docker', `      config {\n        image = "x"\n        ${C}\n      }`)));
  for (const n of ['ports', 'command', 'args', 'volumes', 'logging', 'mount', 'auth'])
    assert.ok(docker.includes(n), `docker ${n}`);
  assert.ok(!docker.includes('image'), 'image already set');
  const raw = labels(complete(inTask('raw_exec', `      config {\n        ${C}\n      }`)));
  assert.deepEqual(raw.sort(), ['args', 'command']);
  const logging = labels(
    complete(inTask('docker', `      config {\n        logging {\n          ${C}\n        }\n      }`)),
  );
  assert.ok(logging.includes('type') && logging.includes('config'), logging.join(','));
  // an unknown driver: anything goes, nothing to propose
  assert.deepEqual(complete(inTask('my-plugin', `      config {\n        ${C}\n      }`)), []);
});

test('after = : enum values (quoted), booleans, functions', () => {
  const type = complete(`job "a" {\n  type = ${C}\n}\n`);
  assert.deepEqual(labels(type).slice(0, 4), ['"service"', '"batch"', '"system"', '"sysbatch"']);
  assert.equal(newText(type, '"batch"'), '"batch"');
  assert.ok(labels(type).includes('upper'), 'functions');
  const right = complete(`job "a" {\n  type =${C}\n}\n`, '=');
  assert.equal(newText(right, '"batch"'), ' "batch"', 'a space after a bare =');
  const hc = labels(complete(`job "a" {\n  update {\n    health_check = ${C}\n  }\n}\n`, ' '));
  assert.ok(['"checks"', '"task_states"', '"manual"'].every(v => hc.includes(v)));
  const cm = labels(complete(inTask('docker', `      template {\n        change_mode = "${C}"\n      }`)));
  assert.deepEqual(cm.sort(), ['noop', 'restart', 'script', 'signal']);
  const provider = labels(
    complete(`job "a" {\n  group "g" {\n    service {\n      provider = "${C}"\n    }\n  }\n}\n`, '"'),
  );
  assert.deepEqual(provider.sort(), ['consul', 'nomad']);
  const bool = labels(complete(`job "a" {\n  all_at_once = ${C}\n}\n`));
  assert.ok(bool.includes('true') && bool.includes('false'));
  const drivers = labels(complete(inTask('', '').replace('driver = ""', `driver = "${C}"`)));
  for (const d of ['docker', 'exec', 'raw_exec', 'java', 'qemu', 'podman']) assert.ok(drivers.includes(d), d);
  // an unterminated string
  const half = complete(`job "a" {\n  type = "ba${C}\n}\n`);
  assert.ok(labels(half).includes('batch'));
  // a space typed after a complete value proposes nothing
  assert.deepEqual(complete(`job "a" {\n  count = 3 ${C}\n}\n`, ' '), []);
});

test('port labels: ports = ["…"], service and check port, NOMAD_PORT_ in templates and env', () => {
  const ports = complete(inTask('docker', `      config {\n        ports = ["${C}"]\n      }`));
  assert.deepEqual(labels(ports), ['http', 'db']);
  assert.match(ports[1]!.detail!, /static 5432/);
  const bare = complete(inTask('docker', `      config {\n        ports = [${C}]\n      }`));
  assert.ok(labels(bare).includes('"http"'));
  const service = labels(
    complete(
      `job "a" {\n  group "g" {\n    network {\n      port "web" {}\n    }\n    service {\n      port = "${C}"\n      check {\n        port = "x"\n      }\n    }\n  }\n}\n`,
    ),
  );
  assert.deepEqual(service, ['web']);
  const check = labels(
    complete(
      `job "a" {\n  group "g" {\n    network {\n      port "web" {}\n    }\n    service {\n      check {\n        port = "${C}"\n      }\n    }\n  }\n}\n`,
    ),
  );
  assert.deepEqual(check, ['web']);
  const tpl = labels(
    complete(
      inTask('docker', `      template {\n        data = <<EOH\nport={{ env "NOMAD_PORT_${C}" }}\nEOH\n      }`),
    ),
  );
  assert.deepEqual(tpl, ['http', 'db']);
  const env = labels(complete(inTask('docker', `      env {\n        ADDR = "\${NOMAD_ADDR_h${C}}"\n      }`)));
  assert.deepEqual(env, ['http', 'db']);
  // labels of another group are not offered
  const other = labels(
    complete(
      `job "a" {\n  group "one" {\n    network {\n      port "a" {}\n    }\n  }\n  group "two" {\n    network {\n      port "b" {}\n    }\n    service {\n      port = "${C}"\n    }\n  }\n}\n`,
    ),
  );
  assert.deepEqual(other, ['b']);
});

test('var. and local. list the declarations, also inside interpolations', () => {
  const decls =
    'variable "image" {\n  type = string\n  default = "redis"\n  description = "The image"\n}\nvariable "n" {}\nvariables {\n  legacy = 1\n}\nlocals {\n  name = "x"\n  port = 80\n}\n';
  const vars = complete(`${decls}job "a" {\n  region = var.${C}\n}\n`, '.');
  assert.deepEqual(labels(vars), ['image', 'n', 'legacy']);
  assert.equal(vars[0]!.detail, 'string = "redis"');
  const locs = complete(`${decls}job "a" {\n  name = "\${local.${C}}"\n}\n`, '.');
  assert.deepEqual(labels(locs), ['name', 'port']);
  const prefix = complete(`${decls}job "a" {\n  region = var.im${C}\n}\n`);
  assert.deepEqual(labels(prefix), ['image', 'n', 'legacy']);
  const edit = prefix[0]!.textEdit as { range: { start: { character: number }; end: { character: number } } };
  assert.deepEqual([edit.range.start.character, edit.range.end.character], [15, 17]);
  // `var`/`local` are offered as expression starts when something is declared
  const expr = labels(complete(`${decls}job "a" {\n  region = ${C}\n}\n`));
  assert.ok(expr.includes('var') && expr.includes('local'));
  // a dot after something else proposes nothing
  assert.deepEqual(complete(`job "a" {\n  region = foo.${C}\n}\n`, '.'), []);
});

test('half-typed files: missing braces, a name without =, a header being typed', () => {
  const missing = labels(complete(`job "a" {\n  group "g" {\n    task "t" {\n      dri${C}\n  }\n}\n`));
  assert.ok(missing.includes('driver') && missing.includes('config'), 'task names in an unclosed task');
  const eof = labels(
    complete(`job "a" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        ${C}`),
  );
  assert.ok(eof.includes('image'), 'docker config at the end of an unclosed file');
  const broken = labels(complete(`job "a" {\n  group "g" {\n    count = \n    ${C}\n  }\n}\n`));
  assert.ok(broken.includes('task'), 'after a broken attribute');
  const header = complete(`job "a" {\n  group "${C}`, '"');
  assert.deepEqual(header, []);
  const afterBrace = complete(`job "a" {\n  group "g" {}${C}\n}\n`);
  assert.deepEqual(afterBrace, []);
  // indentation typed with spaces does not pop up names; the key position of an object proposes nothing
  assert.deepEqual(complete(`job "a" {\n  ${C}\n}\n`, ' '), []);
  assert.deepEqual(complete(`job "a" {\n  meta = {\n    ${C}\n  }\n}\n`), []);
  assert.ok(
    labels(complete(`job "a" {\n  meta = {\n    a = ${C}\n  }\n}\n`)).includes('upper'),
    'object values are expressions',
  );
});

test('schema root is a parameter: agent configuration completion', () => {
  const { file, offset } = atCursor(`client {\n  ${C}\n}\n`);
  const items = labels(completeAt(file, offset, agentSchema()).items);
  assert.ok(items.includes('enabled'), items.join(','));
  const none = atCursor(`a = ${C}`);
  assert.ok(
    completeAt(none.file, none.offset, undefined).items.every(i => i.kind === 3),
    'only functions without a schema',
  );
});

test('signature help: active parameter, variadics, nested calls', () => {
  const sig = (src: string) => {
    const { file, offset } = atCursor(src);
    return signatureHelpAt(file, offset, rootSchema());
  };
  const s = sig(`job "a" {\n  region = cidrsubnet("10.0.0.0/8", 4, ${C})\n}\n`)!;
  assert.equal(s.signatures[0]!.label, 'cidrsubnet(prefix: string, newbits: number, netnum: number) → string');
  assert.equal(s.activeParameter, 2);
  const [from, to] = s.signatures[0]!.parameters![2]!.label as [number, number];
  assert.equal(s.signatures[0]!.label.slice(from, to), 'netnum: number');
  assert.equal(sig(`job "a" {\n  region = upper(lower(${C}))\n}\n`)!.signatures[0]!.label.startsWith('lower('), true);
  assert.equal(
    sig(`job "a" {\n  region = upper(lower("x"), ${C})\n}\n`)!.signatures[0]!.label.startsWith('upper('),
    true,
  );
  assert.equal(
    sig(`job "a" {\n  region = concat(["a"], ["b"], ${C})\n}\n`)!.activeParameter,
    0,
    'variadic stays on its parameter',
  );
  assert.equal(sig(`job "a" {\n  region = "upper(${C}"\n}\n`), undefined, 'inside a string');
  assert.equal(sig(`job "a" {\n  region = "\${upper(${C})}"\n}\n`)!.signatures[0]!.label.startsWith('upper('), true);
  assert.equal(sig(`job "a" {\n  region = nosuch(${C})\n}\n`), undefined);
});
