import type { Locator } from 'playwright-core';
import { eventually } from '../../support/eventually';

// What Playwright Test's web-first assertions do, for jest: wait until the page shows it.

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function shows(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

export async function hasText(locator: Locator, expected: string | RegExp, opts: { contains?: boolean } = {}): Promise<void> {
  await eventually(async () => {
    const actual = normal(await locator.first().innerText({ timeout: 2_000 }));
    const ok = typeof expected === 'string' ? (opts.contains ? actual.includes(normal(expected)) : actual === normal(expected)) : expected.test(actual);
    if (!ok) throw new Error(`expected ${opts.contains ? 'to contain ' : ''}${String(expected)}, got "${actual}"`);
  }, 10_000);
}

export async function hasAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await eventually(async () => {
    const actual = await locator.first().getAttribute(name, { timeout: 2_000 });
    if (actual !== value) throw new Error(`expected ${name}="${value}", got ${actual === null ? 'none' : `"${actual}"`}`);
  }, 10_000);
}
