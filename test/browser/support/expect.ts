import type { Locator, Page } from 'playwright-core';
import { eventually } from '../../support/eventually';
import { awaitingNotice, worthAskingAgain } from './awaiting';

// What Playwright Test's web-first assertions do, for jest: wait until the page shows it.

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();

/** How long a test keeps asking again for a page drawn without its workflow: a busy machine's workflow may not answer for a while. */
const awaitingForMs = 60_000;

/** A person takes the "try again" link of a page drawn without its workflow (`person`'s page opens it until it is whole); whether they did. */
async function askedAgain(page: Page): Promise<boolean> {
  await page.waitForLoadState();
  if (!(await worthAskingAgain(page))) return false;
  await page.goto(page.url());
  return true;
}

/** Waits until the whole page (not one drawn without its workflow) shows the locator. */
export async function shows(locator: Locator, timeout = 10_000): Promise<void> {
  const page = locator.page();
  const until = Date.now() + awaitingForMs;
  for (;;) {
    await locator.first().or(page.locator(awaitingNotice)).first().waitFor({ state: 'visible', timeout });
    if (Date.now() > until || !(await askedAgain(page))) break;
  }
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Retries `check` on the whole page for 10 s, and for as long as the page comes drawn without its workflow. */
async function onceShown(locator: Locator, check: () => Promise<void>): Promise<void> {
  const until = Date.now() + awaitingForMs;
  for (;;) {
    let awaiting = false;
    try {
      return await eventually(async () => {
        if (await askedAgain(locator.page())) {
          awaiting = true;
          throw new Error('the page was drawn without its workflow: asked again');
        }
        await check();
      }, 10_000);
    } catch (err) {
      if (!awaiting || Date.now() > until) throw err;
    }
  }
}

export async function hasText(locator: Locator, expected: string | RegExp, opts: { contains?: boolean } = {}): Promise<void> {
  await onceShown(locator, async () => {
    const actual = normal(await locator.first().innerText({ timeout: 2_000 }));
    const ok = typeof expected === 'string' ? (opts.contains ? actual.includes(normal(expected)) : actual === normal(expected)) : expected.test(actual);
    if (!ok) throw new Error(`expected ${opts.contains ? 'to contain ' : ''}${String(expected)}, got "${actual}"`);
  });
}

export async function hasAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await onceShown(locator, async () => {
    const actual = await locator.first().getAttribute(name, { timeout: 2_000 });
    if (actual !== value) throw new Error(`expected ${name}="${value}", got ${actual === null ? 'none' : `"${actual}"`}`);
  });
}
