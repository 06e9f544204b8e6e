// The packaged extension's details page in code-server's Extensions view: the README renders with its
// pictures (the screenshots ship inside the .vsix, so the relative links resolve offline).
import { runCommand, until, assert } from '../ui.mjs';

export const settings = { 'workbench.colorTheme': 'Default Dark Modern' };

export async function run({ page, shot, log }) {
  await runCommand(page, 'Extensions: Show Installed Extensions');
  const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Nomad' }).first();
  await item.waitFor({ timeout: 60000 });
  await item.click();
  // the details editor renders the README in a webview
  const editor = page.locator('.extension-editor').first();
  await editor.waitFor({ timeout: 60000 });
  const readme = page.frameLocator('.extension-editor iframe.webview.ready').frameLocator('#active-frame');
  await readme.locator('h1, h2', { hasText: /Nomad for VS Code|What it does/ }).first().waitFor({ timeout: 60000 });
  const images = await until('the README pictures loaded', async () => {
    const imgs = await readme.locator('img').evaluateAll(list => list.map(i => ({ src: i.getAttribute('src'), w: i.naturalWidth, done: i.complete })));
    const shots = imgs.filter(i => /screenshots/.test(i.src || ''));
    return shots.length && shots.every(i => i.done) ? shots : undefined;
  }, 60000, 500);
  log('README images:', JSON.stringify(images.map(i => ({ src: i.src?.replace(/^.*\/media\//, 'media/'), w: i.w }))));
  assert(images.length >= 4, `the README shows its screenshots (found ${images.length})`);
  const broken = images.filter(i => !i.w);
  assert(!broken.length, `every screenshot loads (broken: ${broken.map(i => i.src).join(', ')})`);
  // scroll the first picture into view for the screenshot
  await readme.locator('img').first().scrollIntoViewIfNeeded().catch(() => undefined);
  await shot('extension-details-readme');
}
