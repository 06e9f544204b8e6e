#!/usr/bin/env node
// The README that goes into the .vsix: the repository's README with its local pictures inlined as data:
// URIs. VS Code's extension details page renders the README in a webview whose policy loads images only
// from https: and data: — a picture shipped in the .vsix under a relative link does not show there, and
// an https link to a repository host does not show offline. Inlined, the pictures show everywhere.
//   node scripts/package-readme.mjs [out]   (default dist/README.md)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.argv[2] || 'dist/README.md');
const types = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
let inlined = 0;
const text = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (all, alt, src) => {
  if (/^[a-z]+:/i.test(src)) return all;                       // already absolute
  const file = path.resolve(root, src);
  const type = types[path.extname(file).toLowerCase()];
  if (!type || !file.startsWith(root + path.sep) || !fs.existsSync(file)) throw new Error(`README picture not found or not an image: ${src}`);
  inlined++;
  return `![${alt}](data:${type};base64,${fs.readFileSync(file).toString('base64')})`;
});
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, text);
console.log(`[package] ${path.relative(root, out)}: ${inlined} pictures inlined`);
