// The packaged .vsix installs into code-server; a job file opens as `nomad` and the grammar colours it.
import { openFile, tokenColor, assert } from '../ui.mjs';

export const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 14 };

export async function run({ page, shot, log }) {
  await openFile(page, 'web.nomad.hcl');
  const status = page.locator('.part.statusbar [id="status.editor.mode"]');
  await status.waitFor({ timeout: 30000 });
  const mode = (await status.innerText()).trim();
  assert(/nomad/i.test(mode), `language mode in the status bar is Nomad (got "${mode}")`);
  await page.waitForTimeout(1500); // let tokenization settle
  const plain = await tokenColor(page, '=');
  const colours = {};
  for (const t of ['job', 'group', 'datacenters', '"dc1"', '200', 'true', 'small service job'])
    colours[t] = await tokenColor(page, t);
  log('token colours', JSON.stringify({ plain, ...colours }));
  assert(colours.job && colours.job !== plain, `"job" is coloured (got ${colours.job}, plain ${plain})`);
  assert(colours.datacenters && colours.datacenters !== colours.job, 'attribute names differ from block types');
  assert(colours['200'] && colours['200'] !== plain, 'numbers are coloured');
  const comment = colours['small service job'];
  assert(comment && comment !== plain && comment !== colours.job, 'comments are coloured');
  await shot('job-file-highlighted');
}
