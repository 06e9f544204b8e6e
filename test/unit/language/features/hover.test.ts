// Hover on every kind of thing: string, number, bool, duration, list and map attributes, enum values,
// blocks, functions, var.x, local.x, driver config attributes and the driver value itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../../../src/language/features/hover';
import { rootSchema } from '../../../../src/language/schema';
import { atCursor, CURSOR as C } from '../../support';

function hover(src: string): string | undefined {
  const { file, offset } = atCursor(src);
  const h = hoverAt(file, offset, rootSchema());
  if (!h) return undefined;
  return (h.contents as { value: string }).value;
}

const job = (body: string): string => `job "a" {\n${body}\n}\n`;
const task = (body: string, driver = 'docker'): string =>
  job(`  group "g" {\n    task "t" {\n      driver = "${driver}"\n${body}\n    }\n  }`);

test('attributes of each type: the type, the description, defaults and values', () => {
  const str = hover(job(`  reg${C}ion = "global"`))!;
  assert.match(str, /\*\*region\*\* · `string`/);
  assert.match(str, /Default: `"global"`/);
  const num = hover(job(`  prio${C}rity = 50`))!;
  assert.match(num, /`number`/);
  assert.match(num, /Default: `50`/);
  const bool = hover(job(`  all_at_${C}once = true`))!;
  assert.match(bool, /`bool`/);
  const dur = hover(job(`  update {\n    min_healthy${C}_time = "10s"\n  }`))!;
  assert.match(dur, /`duration`/);
  assert.match(dur, /duration string/);
  const list = hover(job(`  datacen${C}ters = ["dc1"]`))!;
  assert.match(list, /`list\(string\)`/);
  const enumAttr = hover(job(`  ty${C}pe = "batch"`))!;
  assert.match(enumAttr, /Values: `"service"` · `"batch"` · `"system"` · `"sysbatch"`/);
  const required = hover(task(`      resources {\n        cp${C}u = 100\n      }`))!;
  assert.match(required, /cpu/);
  const map = hover(job(`  me${C}ta = {\n    a = "b"\n  }`))!;
  assert.match(map, /meta/);
  assert.match(map, /Also accepted as an argument/);
});

test('enum values and the driver value', () => {
  const v = hover(job(`  type = "bat${C}ch"`))!;
  assert.match(v, /`"batch"` · value of \*\*type\*\*/);
  assert.match(v, /Other values: `"service"`/);
  const d = hover(task('').replace('driver = "docker"', `driver = "doc${C}ker"`))!;
  assert.match(d, /The `docker` task driver/);
  assert.match(d, /`image`/);
});

test('blocks: header, description, repeatability; labels hover the block too', () => {
  const g = hover(job(`  gro${C}up "web" {}`))!;
  assert.match(g, /group "<name>" \{ … \}/);
  assert.match(g, /May appear more than once/);
  const label = hover(job(`  group "w${C}eb" {}`))!;
  assert.match(label, /group "<name>"/);
  const u = hover(job(`  upd${C}ate {}`))!;
  assert.match(u, /update \{ … \}/);
  assert.doesNotMatch(u, /more than once/);
});

test('driver config attributes and nested blocks', () => {
  const image = hover(task(`      config {\n        ima${C}ge = "redis"\n      }`))!;
  assert.match(image, /\*\*image\*\* · `string` · required · in `config`/);
  const cmd = hover(task(`      config {\n        comm${C}and = "/bin/sh"\n      }`, 'raw_exec'))!;
  assert.match(cmd, /\*\*command\*\*/);
  const logging = hover(
    task(`      config {\n        logg${C}ing {\n          type = "journald"\n        }\n      }`),
  )!;
  assert.match(logging, /logging \{ … \}/);
});

test('functions: signature and description; unknown functions say so', () => {
  const f = hover(job(`  region = up${C}per("x")`))!;
  assert.match(f, /upper\(str: string\) → string/);
  const unknown = hover(job(`  region = nosu${C}ch("x")`))!;
  assert.match(unknown, /not a function Nomad knows/);
  const fs = hover(job(`  region = fi${C}le("x")`))!;
  assert.match(fs, /local file system/);
});

test('var.x shows its declaration; local.x its expression; undeclared ones say so', () => {
  const decls =
    'variable "image" {\n  type        = string\n  default     = "redis:7"\n  description = "Which image to run."\n}\nlocals {\n  port = 8000 + 80\n}\n';
  const v = hover(`${decls}${job(`  region = var.im${C}age`)}`)!;
  assert.match(v, /variable "image"/);
  assert.match(v, /Which image to run\\\./);
  assert.match(v, /Type: `string`/);
  assert.match(v, /Default: `"redis:7"`/);
  const l = hover(`${decls}${job(`  region = "\${local.po${C}rt}"`)}`)!;
  assert.match(l, /local\.port = 8000 \+ 80/);
  const decl = hover(`${decls.replace('variable "image"', `variable "ima${C}ge"`)}job "a" {}\n`)!;
  assert.match(decl, /Which image to run/);
  const missing = hover(job(`  region = var.no${C}pe`))!;
  assert.match(missing, /not declared/);
  const noDefault = hover(`variable "n" {}\n${job(`  region = var.${C}n`)}`)!;
  assert.match(noDefault, /No default/);
});

test('nothing to say: whitespace, unknown names, comments', () => {
  assert.equal(hover(job(`  ${C}\n`)), undefined);
  assert.equal(hover(job(`  nosu${C}ch = 1`)), undefined);
  assert.equal(hover(`# a comm${C}ent\njob "a" {}\n`), undefined);
});
