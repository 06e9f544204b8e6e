#!/usr/bin/env node
// npm run package: the production bundle, then dist/nomad-vscode.vsix (or --out <file>).
// The README's pictures ship in the .vsix, but VS Code's extension details page shows a picture only from an
// absolute https URL. NOMAD_VSCODE_IMAGES_URL=<https base> links them there (vsce --baseImagesUrl), e.g. the
// raw-file URL of the public repository once there is one; without it the links stay relative.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`); process.exit(r.status || 1); }
};
const images = process.env.NOMAD_VSCODE_IMAGES_URL;
// --out <file>: where the .vsix goes (the e2e layer packages its own copy, with its pictures' links, elsewhere)
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'dist', 'nomad-vscode.vsix');
if (images && !/^https:\/\//.test(images)) { console.error('package: NOMAD_VSCODE_IMAGES_URL must be an https URL (the details page drops anything else)'); process.exit(2); }
// vsce runs the `vscode:prepublish` script (node esbuild.mjs --production) before it packs
run(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository',
  ...(images ? ['--baseImagesUrl', images] : ['--no-rewrite-relative-links']), '--out', out]);
