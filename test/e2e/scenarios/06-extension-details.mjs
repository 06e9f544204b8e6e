// The packaged extension's details page in code-server's Extensions view: the README renders with its
// pictures. The details page loads images only from https: and data:, so the packaged README carries them
// inlined (scripts/package-readme.mjs): they show offline too.
import { runCommand, until, assert } from '../ui.mjs';

export const settings = { 'workbench.colorTheme': 'Default Dark Modern' };

export async function run({ page, shot, log }) {
  // no gallery here (tests stay on loopback): the Extensions view lists what is installed
  await runCommand(page, 'View: Show Extensions');
  const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Nomad' }).first();
  await item.waitFor({ timeout: 60000 });
  await item.click();
  // the details editor renders the README in a webview
  const editor = page.locator('.extension-editor').first();
  await editor.waitFor({ timeout: 60000 });
  // webviews are laid over the editor from elsewhere in the DOM: take the one that holds the README
  const readme = await until('the README webview', async () => {
    const frames = page.locator('iframe.webview.ready');
    for (let i = 0; i < await frames.count(); i++) {
      const f = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if (await f.locator('h1', { hasText: 'Nomad for VS Code' }).count().catch(() => 0)) return f;
    }
    return undefined;
  }, 60000, 500);
  const images = await until('the README pictures loaded', async () => {
    const imgs = await readme.locator('img').evaluateAll(list => list.map(i => ({ src: i.getAttribute('src'), w: i.naturalWidth, done: i.complete })));
    const shots = imgs.filter(i => /^data:image\//.test(i.src || ''));
    return shots.length && shots.every(i => i.done) ? shots : undefined;
  }, 60000, 500);
  log('README images:', JSON.stringify(images.map(i => ({ src: `${i.src?.slice(0, 22)}… (${i.src?.length} chars)`, w: i.w }))));
  assert(images.length >= 4, `the README shows its screenshots (found ${images.length})`);
  await readme.locator('img').first().evaluate(i => i.scrollIntoView({ block: 'center' })).catch(() => undefined);
  const broken = images.filter(i => !i.w);
  assert(!broken.length, `every screenshot loads (broken: ${broken.map(i => i.src).join(', ')})`);
  await shot('extension-details-readme');
  await walkthrough({ page, shot, log });
}

export async function walkthrough({ page, shot, log }) {
  // "Nomad: Get Started" opens the walkthrough with its steps
  await runCommand(page, 'Nomad: Get Started');
  const pane = page.locator('.gettingStartedContainer').first();
  await pane.waitFor({ timeout: 60000 });
  await pane.locator(':text("Get started with Nomad")').first().waitFor({ timeout: 30000 });
  const steps = await pane.locator('.getting-started-step .step-title').allInnerTexts();
  log('walkthrough steps:', JSON.stringify(steps));
  assert(steps.some(t => /Plan it/.test(t)) && steps.some(t => /Run it/.test(t)), `the walkthrough lists its steps (${steps.join(' | ')})`);
  await shot('walkthrough');
}
