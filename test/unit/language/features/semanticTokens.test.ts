// Semantic tokens: declared vs undeclared references, known vs unknown functions, declarations,
// block types vs arguments inside driver config, deprecated names; the LSP integer encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../src/language/hcl';
import { rootSchema } from '../../../../src/language/schema';
import {
  semanticTokenList,
  semanticTokens,
  semanticTokensLegend,
} from '../../../../src/language/features/semanticTokens';

const TEXT = `variable "image" {}
locals {
  tag = "1"
}
job "a" {
  region = "\${var.image}-\${var.nope}-\${local.tag}-\${local.missing}"
  name   = upper(nosuch("x"))
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "x"
        logging {
          type = "journald"
          config {
            tag = "x"
          }
        }
        port_map {
          http = 80
        }
      }
      resources {
        iops = 5
      }
    }
  }
}
`;

function view(): string[] {
  const file = parse(TEXT);
  return semanticTokenList(file, rootSchema()).map(
    t => `${TEXT.slice(t.range.start, t.range.end)}:${t.type}${t.modifiers.length ? `[${t.modifiers.join(',')}]` : ''}`,
  );
}

test('references, functions and declarations', () => {
  const v = view();
  assert.ok(v.includes('image:variable[declaration,readonly]'), v.join(' '));
  assert.ok(v.includes('tag:variable[declaration,readonly]'));
  assert.ok(v.includes('image:variable[readonly]'));
  assert.ok(v.includes('nope:variable[readonly,unresolved]'));
  assert.ok(v.includes('missing:variable[readonly,unresolved]'));
  assert.ok(v.includes('upper:function[defaultLibrary]'));
  assert.ok(v.includes('nosuch:function[unresolved]'));
});

test('driver config: nested blocks are types, arguments are properties; deprecated names flagged', () => {
  const v = view();
  const cfg = v.slice(v.indexOf('image:property'));
  assert.deepEqual(cfg.slice(0, 7), [
    'image:property',
    'logging:type',
    'type:property',
    'config:type',
    'tag:property',
    'port_map:type[deprecated]',
    'http:property',
  ]);
  assert.ok(v.includes('iops:property[deprecated]'));
  assert.ok(!v.includes('driver:property'), 'outside driver config TextMate is enough');
});

test('encoding: relative positions, legend indices', () => {
  const file = parse('variable "x" {}\njob "a" {\n  region = var.x\n}\n');
  const { data } = semanticTokens(file, rootSchema());
  const types = semanticTokensLegend.tokenTypes;
  assert.equal(data.length, 10);
  assert.deepEqual(data.slice(0, 4), [0, 10, 1, types.indexOf('variable')]);
  assert.deepEqual(data.slice(5, 9), [2, 15, 1, types.indexOf('variable')]);
  const mods = semanticTokensLegend.tokenModifiers;
  assert.equal(data[4], (1 << mods.indexOf('declaration')) | (1 << mods.indexOf('readonly')));
});
