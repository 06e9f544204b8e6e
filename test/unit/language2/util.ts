// Helpers of the editor-feature tests: the repository root, the shared corpus, inputs with a cursor
// marker (‸) and short views of completion items.
import path from 'node:path';
import fs from 'node:fs';
import type { CompletionItem } from 'vscode-languageserver-types';
import { parse, type HclFile } from '../../../src/language/hcl';
import { mulberry32 } from '../support';

/** out/test/unit/language2 -> repository root */
export const root = path.resolve(__dirname, '..', '..', '..', '..');
export const corpusDir = path.resolve(root, '..', 'shared', 'corpus');
export const validCorpusDir = path.join(corpusDir, 'valid');

export const CURSOR = '‸';

/** Parses `src` without its cursor marker; returns the file and the cursor offset. */
export function at(src: string): { file: HclFile; offset: number; text: string } {
  const offset = src.indexOf(CURSOR);
  if (offset < 0) throw new Error('no cursor marker in input');
  const text = src.slice(0, offset) + src.slice(offset + CURSOR.length);
  return { file: parse(text), offset, text };
}

export function labels(items: CompletionItem[]): string[] {
  return items.map(i => i.label);
}

export function newText(items: CompletionItem[], label: string): string | undefined {
  const it = items.find(i => i.label === label);
  const e = it?.textEdit;
  return e && 'newText' in e ? e.newText : it?.insertText;
}

/** The valid corpus files (name, text), or undefined when the corpus is absent. */
export function validCorpus(): { name: string; text: string }[] | undefined {
  if (!fs.existsSync(validCorpusDir)) return undefined;
  return fs.readdirSync(validCorpusDir).sort().map(name => ({ name, text: fs.readFileSync(path.join(validCorpusDir, name), 'utf8') }));
}


/** A multi-group job used by several tests. */
export const SAMPLE = `variable "image" {
  type        = string
  default     = "nginx:1.25"
  description = "Container image of the web task."
}

variable "count" {
  type = number
}

locals {
  name   = "web-\${var.count}"
  labels = { team = "web" }
}

job "shop" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = var.count

    network {
      port "http" {
        to = 8080
      }
      port "metrics" {}
    }

    service {
      name = local.name
      port = "http"

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]

        logging {
          type = "journald"
          config {
            tag = "web"
          }
        }
      }

      env {
        PORT = "\${NOMAD_PORT_http}"
      }
    }
  }

  group "worker" {
    task "run" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", upper("echo hi")]
      }
    }
  }
}
`;

/** A deterministic PRNG for seeded tests (mulberry32). */
export const rng = mulberry32;
