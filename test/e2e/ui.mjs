// Small helpers for driving the VS Code workbench in code-server (selectors seen in VS Code 1.139).
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator(`.part.editor .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 30000 });
  await page.locator('.part.editor .monaco-editor .view-lines').first().waitFor();
}

/** Computed colour of the first editor token whose text is exactly `text` (else the first containing it). */
export async function tokenColor(page, text) {
  return page.locator('.part.editor .monaco-editor .view-lines span span').evaluateAll((spans, t) => {
    const s = spans.find(x => x.textContent.trim() === t) || spans.find(x => x.textContent.includes(t));
    return s ? getComputedStyle(s).color : undefined;
  }, text);
}

export function assert(cond, message) { if (!cond) throw new Error(message); }
