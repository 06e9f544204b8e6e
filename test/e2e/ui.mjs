// Small helpers for driving the VS Code workbench in code-server (selectors seen in VS Code 1.139).
import { AsyncLocalStorage } from 'node:async_hooks';
/** What the running scenario waits for now (the runner prints it every 30 s). Scenarios may run in two lanes
 *  at once: each lane runs inside laneProgress.run({ what }), and `progress.what` is that lane's. */
export const laneProgress = new AsyncLocalStorage();
const outside = { what: '' };
export const progress = {
  get what() {
    return (laneProgress.getStore() ?? outside).what;
  },
  set what(v) {
    (laneProgress.getStore() ?? outside).what = v;
  },
};

export async function runCommand(page, title) {
  // the palette lists a command only while its `when` holds (e.g. the active editor's language): when the
  // workbench has not yet caught up with the last click or open, the entry is missing; close and try again
  const exact = page
    .locator('.quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', {
        hasText: new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`),
      }),
    })
    .first();
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    // click the entry whose label is exactly the title (Enter would take whatever ranks first)
    const shown = await exact.waitFor({ state: 'visible', timeout: 10000 }).then(
      () => true,
      e => {
        if (attempt >= 3) throw e;
        return false;
      },
    );
    if (shown) {
      await exact.click();
      return;
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
}

export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout: 30000 });
  await page.keyboard.press('Enter');
  // the file's tab must be the active one of the active group (a tab elsewhere does not make it the active
  // editor, and commands whose `when` reads the active editor's language would be missing): when quick open
  // left another group active (seen after a plan view took focus), a click on the file's tab makes it so
  const active = page.locator(`.part.editor .editor-group-container.active .tab.active[aria-label^="${name}"]`).first();
  const tab = page.locator(`.part.editor .tab[aria-label^="${name}"]`).first();
  await tab.waitFor({ timeout: 30000 });
  if (
    !(await active.waitFor({ timeout: 3000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await tab.click();
    await active.waitFor({ timeout: 30000 });
  }
  await page.locator('.part.editor .monaco-editor .view-lines').first().waitFor();
}

/** Computed colour of the first editor token whose text is exactly `text` (else the first containing it). */
export async function tokenColor(page, text) {
  return page.locator('.part.editor .monaco-editor .view-lines span span').evaluateAll((spans, t) => {
    const text = x => x.textContent.replace(/\u00a0/g, ' ');
    const s = spans.find(x => text(x).trim() === t) || spans.find(x => text(x).includes(t));
    return s ? getComputedStyle(s).color : undefined;
  }, text);
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Wait for a notification toast containing `text` (RegExp or string); returns its locator. */
export async function toast(page, text, timeout = 60000) {
  progress.what = `a notification matching ${text} (up to ${Math.round(timeout / 1000)} s)`;
  const loc = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await loc.waitFor({ state: 'visible', timeout });
  return loc;
}

/** Click a button in a toast. */
export async function toastButton(page, toastText, button, timeout = 60000) {
  const t = await toast(page, toastText, timeout);
  await t.locator('.monaco-button', { hasText: button }).first().click();
}

/** The plan webview's document (outer iframe → #active-frame). */
export function webview(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Open the Nomad activity-bar container. */
export async function openNomadViews(page) {
  const header = page.locator('.part.sidebar .pane-header', { hasText: 'Jobs' }).first();
  if (!(await header.isVisible().catch(() => false)))
    await page.locator('.part.activitybar .action-label[aria-label^="Nomad"]').first().click();
  await header.waitFor({ timeout: 30000 });
}

/** Show the file explorer (Ctrl+Shift+E focuses it; clicking its icon would toggle it closed). */
export async function openExplorer(page) {
  await page.keyboard.press('Control+Shift+E');
  await page.locator('.explorer-folders-view').first().waitFor({ timeout: 30000 });
}

/** A tree row of a view pane by its label text. */
export function treeRow(page, pane, label) {
  return page
    .locator(`.pane:has(.pane-header[aria-label^="${pane}"]) .monaco-list-row`, {
      has: page.locator('.label-name', { hasText: label }),
    })
    .first();
}

/** Expand a tree row if it is collapsed. */
export async function expand(row) {
  await row.waitFor({ timeout: 60000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

/** Text of the visible output panel. */
export async function outputText(page) {
  return (
    await page
      .locator('.part.panel .output-view .view-lines')
      .innerText()
      .catch(() => '')
  ).replace(/\u00a0/g, ' ');
}

/** Poll until `fn` returns a truthy value. */
export async function until(what, fn, timeout = 60000, every = 500) {
  const t0 = Date.now();
  progress.what = `${what} (up to ${Math.round(timeout / 1000)} s)`;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise(r => setTimeout(r, every));
  }
}

/** Replace all occurrences in the active editor through the find/replace widget, then save. */
export async function replaceAll(page, find, replace) {
  await page
    .locator('.part.editor .monaco-editor')
    .first()
    .click({ position: { x: 200, y: 40 } });
  await page.keyboard.press('Control+H');
  const findInput = page
    .locator(
      '.editor-widget.find-widget textarea[aria-label="Find"], .editor-widget.find-widget .input[aria-label="Find"]',
    )
    .first();
  await findInput.waitFor();
  await findInput.fill(find);
  const replaceInput = page
    .locator(
      '.editor-widget.find-widget textarea[aria-label="Replace"], .editor-widget.find-widget .input[aria-label="Replace"]',
    )
    .first();
  await replaceInput.fill(replace);
  await page.keyboard.press('Control+Alt+Enter');
  await page.waitForTimeout(300);
  await page
    .locator('.editor-widget.find-widget .codicon-widget-close, .editor-widget.find-widget [aria-label^="Close"]')
    .first()
    .click()
    .catch(() => undefined);
  await page.locator('.part.editor .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
}

/** Dismiss every notification, so a later wait cannot match an old toast. */
export async function clearToasts(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.waitForTimeout(300);
}

/** Right-click `target` and choose `label` from the context menu (retries: menus animate in). */
export async function contextMenu(page, target, label) {
  for (let attempt = 1; ; attempt++) {
    await target.click({ button: 'right' });
    const item = page
      .locator('.context-view .monaco-menu .action-menu-item', {
        has: page.locator('.action-label', { hasText: label }),
      })
      .first();
    await item.waitFor({ state: 'visible', timeout: 10000 });
    await page.waitForTimeout(250);
    await item.hover();
    await item.click();
    const closed = await page
      .locator('.context-view .monaco-menu')
      .first()
      .waitFor({ state: 'hidden', timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (closed) return;
    if (attempt >= 3) throw new Error(`context menu item "${String(label)}" did not run`);
    await page.keyboard.press('Escape');
  }
}

/** A call to the cluster's HTTP API under test (setup and checks, beside the UI): JSON in and out; a non-2xx
 *  answer throws with its status and text. `token` goes in X-Nomad-Token. */
/** @param {string} addr @param {string} method @param {string} p @param {unknown} [body] @param {{ token?: string }} [options] */
export async function nomadCall(addr, method, p, body, { token } = {}) {
  const headers = { 'content-type': 'application/json', ...(token ? { 'x-nomad-token': token } : {}) };
  const r = await fetch(`${addr}${p}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const t = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${t}`);
  return t ? JSON.parse(t) : undefined;
}

/** The modal dialog's text, answered with `button`. */
export async function answerModal(page, button) {
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ timeout: 30000 });
  const text = (await box.innerText()).replace(/\u00a0/g, ' ');
  await box.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
  await box.waitFor({ state: 'hidden', timeout: 10000 });
  return text;
}
