#!/usr/bin/env node
// npm run package: the production bundle, then dist/nomad-vscode.vsix (or --out <file>).
// The .vsix's README (the extension's details page) is README.user.md, written for users: what the extension
// does, how to install and connect it, its settings and commands. README.md is the repository's (how to
// develop it) and is not shipped.
// Pictures: VS Code's details page shows one only from an absolute https URL (a relative path or a data: URI
// is dropped), and the package has no repository to link them to. README.user.md's pictures stand between
// `<!-- pictures -->` and `<!-- /pictures -->`: with NOMAD_VSCODE_IMAGES_URL=<https base> they are linked there
// (vsce --baseImagesUrl), e.g. to the raw files of a public repository; without it they are left out, so the
// page never shows a broken picture. The screenshots themselves never ship (.vscodeignore): the page cannot
// show them from inside the .vsix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};
const fail = message => {
  console.error(`package: ${message}`);
  process.exit(2);
};
const images = process.env.NOMAD_VSCODE_IMAGES_URL;
// --out <file>: where the .vsix goes (the e2e layer packages its own copy, with its pictures' links, elsewhere)
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'dist', 'nomad-vscode.vsix');
if (images && !/^https:\/\//.test(images))
  fail('NOMAD_VSCODE_IMAGES_URL must be an https URL (the details page drops anything else)');

/** README.user.md as the details page gets it: its picture blocks kept (their links made absolute by vsce) or dropped. */
function userReadme(text, withPictures) {
  const blocks = /^<!-- pictures -->\n([\s\S]*?)^<!-- \/pictures -->\n/gm;
  const readme = text.replace(blocks, (_, inner) => (withPictures ? inner : '')).replace(/\n{3,}/g, '\n\n');
  if (/<!-- \/?pictures -->/.test(readme))
    fail('README.user.md: a `<!-- pictures -->` block is not closed by `<!-- /pictures -->` on a line of its own');
  const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img\b[^>]*>/g)];
  if (!withPictures && pictures.length)
    fail(`README.user.md: a picture outside a pictures block would be broken on the details page: ${pictures[0][0]}`);
  // a link (not a picture) to a file of the repository would be broken too: the package has no repository
  for (const m of readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
    if (!/^(https:\/\/|#|mailto:)/.test(m[1]))
      fail(
        `README.user.md: the link ${m[0]} must be an absolute https URL (the package has no repository to resolve it against)`,
      );
  }
  return readme;
}

// the README that ships, written to out/ (vsce reads it from inside the project), not dist/: vsce runs the
// `vscode:prepublish` script (node esbuild.mjs --production, which empties dist/) before it packs
const readmePath = path.join('out', 'vsix', 'README.md');
fs.mkdirSync(path.join(root, 'out', 'vsix'), { recursive: true });
fs.writeFileSync(
  path.join(root, readmePath),
  userReadme(fs.readFileSync(path.join(root, 'README.user.md'), 'utf8'), Boolean(images)),
);
run(process.execPath, [
  path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--readme-path',
  readmePath,
  ...(images ? ['--baseImagesUrl', images] : ['--no-rewrite-relative-links']),
  '--out',
  out,
]);
