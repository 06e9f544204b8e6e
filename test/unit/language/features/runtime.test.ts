// Inside `${…}` of a job file, in quoted strings and heredocs: completion of what Nomad fills in at run time
// (`node.`, `attr.`, `meta.`, the NOMAD_ variables, with the job's own port labels) beside var./local. and
// the functions, and hover on those names. Nothing of it outside `${`, nor in other kinds of files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, Hover } from 'vscode-languageserver-types';
import { completeAt } from '../../../../src/language/features/completion';
import { hoverAt } from '../../../../src/language/features/hover';
import {
  agentSchema,
  nodeAttributes,
  nodeVariables,
  rootSchema,
  runtimeEnvironment,
} from '../../../../src/language/schema';
import { atCursor, labels, CURSOR as C } from '../../support';

function complete(src: string, trigger?: string, root = rootSchema()): CompletionItem[] {
  const { file, offset } = atCursor(src);
  return completeAt(file, offset, root, trigger ? { triggerCharacter: trigger } : {}).items;
}

function hoverText(src: string): string | undefined {
  const { file, offset } = atCursor(src);
  const h: Hover | undefined = hoverAt(file, offset, rootSchema());
  return h ? (h.contents as { value: string }).value : undefined;
}

/** The text the item's edit produces in `src` (cursor marker removed). */
function applied(src: string, item: CompletionItem): string {
  const { text, file } = atCursor(src);
  const e = item.textEdit as {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  };
  const off = (p: { line: number; character: number }) => file.lineStarts[p.line]! + p.character;
  return text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
}

const job = (taskBody: string, top = ''): string =>
  `${top}job "a" {\n  group "g" {\n    network {\n      port "http" {}\n      port "db" { static = 5432 }\n    }\n    task "t" {\n      driver = "docker"\n${taskBody}\n    }\n  }\n}\n`;

test("`${node.` in a quoted string: the node's names, replacing what follows the dot", () => {
  const src = job(`      env {\n        HOST = "\${node.un${C}}"\n      }`);
  const items = complete(src);
  assert.deepEqual(
    labels(items),
    nodeVariables.map(v => v.name),
  );
  const name = items.find(i => i.label === 'unique.name')!;
  assert.match(applied(src, name), /HOST = "\$\{node\.unique\.name\}"/);
  assert.match((name.documentation as { value: string }).value, /client node's name/);
  // on the `.` trigger too
  assert.deepEqual(
    labels(complete(job(`      env {\n        HOST = "\${node.${C}}"\n      }`), '.')),
    nodeVariables.map(v => v.name),
  );
});

test('`${attr.` in a heredoc: the fingerprinted attributes, dotted names replaced whole, drivers spelled out', () => {
  const src = job(
    `      template {\n        destination = "local/a"\n        data = <<EOF\narch is \${attr.cpu.ar${C}}\nEOF\n      }`,
  );
  const items = complete(src);
  const l = labels(items);
  for (const n of [
    'cpu.arch',
    'kernel.name',
    'unique.network.ip-address',
    'os.name',
    'driver.docker',
    'driver.raw_exec',
    'platform.aws.instance-type',
  ])
    assert.ok(l.includes(n), n);
  assert.ok(!l.includes('driver.'), 'the prefix itself is not offered');
  assert.ok(!l.some(x => x === 'abs' || x === 'node'), 'only attributes after attr.');
  assert.match(
    applied(
      src,
      items.find(i => i.label === 'cpu.arch')!,
    ),
    /arch is \$\{attr\.cpu\.arch\}\n/,
  );
  // in a constraint's attribute too (where the scheduler resolves it)
  const c = complete(`job "a" {\n  constraint {\n    attribute = "\${attr.${C}}"\n    value     = "linux"\n  }\n}\n`);
  assert.ok(labels(c).includes('kernel.name'));
});

test("at the start of `${`: node, attr, meta, the NOMAD_ variables with this group's port labels, var., local. and functions", () => {
  const src = job(`      env {\n        A = "\${${C}}"\n      }`, 'variable "v" {}\nlocals {\n  l = 1\n}\n');
  const l = labels(complete(src));
  for (const n of [
    'node',
    'attr',
    'meta',
    'NOMAD_ALLOC_DIR',
    'NOMAD_TASK_DIR',
    'NOMAD_ALLOC_INDEX',
    'NOMAD_PORT_http',
    'NOMAD_HOST_PORT_db',
    'NOMAD_ADDR_http',
    'NOMAD_META_<meta key>',
    'var',
    'local',
    'upper',
  ])
    assert.ok(l.includes(n), n);
  assert.ok(!l.includes('NOMAD_PORT_<port label>'), 'ports are spelled out when the group has some');
  // typing NOMAD_: the same variables, the word replaced
  const typed = job(`      config {\n        image = "x"\n        args  = ["\${NOMAD_TA${C}}"]\n      }`);
  const items = complete(typed);
  const dir = items.find(i => i.label === 'NOMAD_TASK_DIR')!;
  assert.match(applied(typed, dir), /args {2}= \["\$\{NOMAD_TASK_DIR\}"\]/);
  // a prefix is a snippet with a place for its label
  const meta = items.find(i => i.label === 'NOMAD_META_<meta key>')!;
  assert.equal((meta.textEdit as { newText: string }).newText, 'NOMAD_META_${1:meta_key}');
});

test('var. and local. inside strings and heredocs', () => {
  const top = 'variable "image" {}\nvariable "tag" {}\nlocals {\n  port = 8080\n}\n';
  assert.deepEqual(labels(complete(job(`      env {\n        A = "\${var.${C}}"\n      }`, top), '.')).sort(), [
    'image',
    'tag',
  ]);
  assert.deepEqual(
    labels(
      complete(
        job(
          `      template {\n        destination = "local/a"\n        data = <<EOF\nport \${local.${C}}\nEOF\n      }`,
          top,
        ),
        '.',
      ),
    ),
    ['port'],
  );
});

test('`${meta.`: nothing to guess (client meta lives in the agents), and no functions either', () => {
  assert.deepEqual(complete(job(`      env {\n        A = "\${meta.${C}}"\n      }`)), []);
});

test('not outside `${`, not after `$${` (an escape), and not in other kinds of files', () => {
  const plain = labels(complete(job(`      env {\n        A = "node.${C}"\n      }`)));
  assert.ok(!plain.includes('unique.name'));
  const escaped = labels(complete(job(`      env {\n        A = "$\${node.${C}}"\n      }`)));
  assert.ok(!escaped.includes('unique.name'));
  const agent = labels(complete(`client {\n  meta {\n    a = "\${node.${C}}"\n  }\n}\n`, undefined, agentSchema()));
  assert.ok(!agent.includes('unique.name'));
});

test('hover on runtime names inside strings: ours, with the name and an example where known', () => {
  const attr = hoverText(job(`      env {\n        A = "\${attr.cpu.a${C}rch}"\n      }`))!;
  assert.match(attr, /^`\$\{attr\.cpu\.arch\}` · node attribute/);
  assert.match(attr, /For example `amd64`/);
  const port = hoverText(job(`      env {\n        A = "\${NOMAD_PORT_h${C}ttp}"\n      }`))!;
  assert.match(port, /`\$\{NOMAD_PORT_http\}` · runtime environment/);
  assert.match(port, /followed by a port label/);
  assert.match(hoverText(job(`      env {\n        A = "\${node.unique.na${C}me}"\n      }`))!, /the client node/);
  assert.match(
    hoverText(job(`      env {\n        A = "\${meta.ra${C}ck}"\n      }`))!,
    /The value of `rack` in the client node's meta/,
  );
  assert.match(
    hoverText(job(`      env {\n        A = "\${attr.no.such${C}.thing}"\n      }`))!,
    /Not one of the attributes/,
  );
  // a NOMAD_ name outside a string is no runtime name (and var./local. keep their own hover)
  assert.doesNotMatch(
    hoverText(job(`      env {\n        A = NOMAD_A${C}LLOC_DIR\n      }`)) ?? '',
    /runtime environment/,
  );
});

test('the runtime name lists: unique names, each with a description of its own', () => {
  for (const list of [nodeVariables, nodeAttributes, runtimeEnvironment]) {
    const names = list.map(n => n.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of list) assert.ok(n.description.length > 10 && /[.)]$/.test(n.description), n.name);
  }
  const descriptions = [...nodeVariables, ...nodeAttributes, ...runtimeEnvironment].map(n => n.description);
  assert.equal(new Set(descriptions).size, descriptions.length, 'no description repeated');
});
