// The packaged extension's details page in code-server's Extensions view renders the users' README
// (README.user.md) with its pictures, and the "Get started with Nomad" walkthrough opens with its steps.
// The README's pictures: VS Code's details page keeps an <img> only when its src is an absolute https URL
// (a relative path or a data: URI is dropped by its sanitizer: seen in code-server 4.139.1 over http and
// https; the page's webview has no local resource roots). The pictures are not in the .vsix; the runner
// packages with their links made absolute (NOMAD_VSCODE_IMAGES_URL) to a loopback https server, as a public
// repository would serve them, and this scenario checks that each one is shown.
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
  const readme = await until(
    'the README webview',
    async () => {
      const frames = page.locator('iframe.webview.ready');
      for (let i = 0; i < (await frames.count()); i++) {
        const f = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
        if (
          await f
            .locator('h1', { hasText: 'Nomad for VS Code' })
            .count()
            .catch(() => 0)
        )
          return f;
      }
      return undefined;
    },
    60000,
    500,
  );
  await readme.locator('p', { hasText: 'Author, plan, run and watch' }).first().waitFor({ timeout: 30000 });
  const sections = await readme.locator('h2').allInnerTexts();
  log('README sections:', JSON.stringify(sections));
  // the README that ships is the users' one (README.user.md), not the repository's with its development commands
  assert(
    sections.some(t => /What it does/.test(t)) &&
      sections.some(t => /Connect to a cluster/.test(t)) &&
      !sections.some(t => /The two commands/.test(t)),
    `the users' README renders (${sections.join(' | ')})`,
  );
  const imgs = await readme
    .locator('img')
    .evaluateAll(list => list.map(i => ({ alt: i.alt, src: i.getAttribute('src'), w: i.naturalWidth })));
  log('README pictures on the details page:', JSON.stringify(imgs));
  assert(imgs.length >= 5, `the README's pictures are on the page (${imgs.length})`);
  // every picture has its absolute link and loaded (naturalWidth > 0 once decoded); none without a src
  // (the runner could not make its certificate: the pictures' links stayed relative and were dropped)
  const loaded = await until(
    'every README picture to load',
    async () => {
      const now = await readme
        .locator('img')
        .evaluateAll(list => list.map(i => ({ alt: i.alt, src: i.getAttribute('src'), w: i.naturalWidth })));
      return now.every(i => i.src && i.w > 0) ? now : undefined;
    },
    30000,
  );
  log('loaded:', JSON.stringify(loaded.map(i => `${i.alt}: ${i.w} px wide`)));
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
  assert(
    steps.some(t => /Plan it/.test(t)) && steps.some(t => /Run it/.test(t)),
    `the walkthrough lists its steps (${steps.join(' | ')})`,
  );
  await shot('walkthrough');
}
