import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { followNavigations, worthAskingAgain } from './awaiting';

/** Debian's Chromium; tests never download a browser of their own. */
export const chromiumPath = '/usr/bin/chromium';
const root = resolve(__dirname, '../../..');
export const screenshotDir = join(root, 'test-artifacts/screenshots');
const docsDir = join(root, 'docs/screenshots');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Headless Chromium with a fresh profile (Playwright makes a new user data dir per launch). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install it with \`apt-get update && apt-get install -y chromium\` (see README, Tests)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A person at their own browser: a context of its own (cookies), 1280x800, recording CSP
 * violations. A page they open that was drawn without its case's workflow (busy on a busy
 * machine) they open again, as its "try again" link asks, for up to a minute.
 */
export async function person(browser: Browser, cspViolations: string[] = []): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  followNavigations(page);
  const open = page.goto.bind(page);
  page.goto = async (url, options) => {
    let response = await open(url, options);
    for (const until = Date.now() + 60_000; Date.now() < until && (await worthAskingAgain(page));) {
      await page.waitForTimeout(500);
      response = await open(url, options);
    }
    return response;
  };
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => cspViolations.push(`${page.url()}: page error: ${err.message}`));
  return { context, page, cspViolations };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (WCAG 2.0/2.1 A and AA, and best practice); returns serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (no inline script) does not stand in the way.
  await page.evaluate(axeSource);
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };
  // A string, run in the page: the test itself is compiled without the DOM's types.
  const violations: AxeViolation[] = await page.evaluate(
    `axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The visible window as a PNG under test-artifacts/screenshots/. With
 * UPDATE_SCREENSHOTS=1 the README's pictures in docs/screenshots/ are replaced too;
 * an ordinary test run leaves committed files alone.
 */
export async function screenshot(page: Page, name: string, opts: { docs?: string } = {}): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  // A tall page (the API's docs) is drawn in many tiles: on a busy machine that took past Playwright's 30 s.
  await page.screenshot({ path: join(screenshotDir, `${name}-full.png`), fullPage: true, timeout: 120_000 });
  if (opts.docs && process.env.UPDATE_SCREENSHOTS) {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(file, join(docsDir, `${opts.docs}.png`));
  }
  return file;
}

/** axe-core finds no serious or critical violation, and a screenshot is kept (`docs`: also the README's picture of that name). */
export async function checkPage(page: Page, name: string, docs?: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, name, { docs });
}

/** A person at their own browser, signed in locally as the seeded user named on the button, on their inbox. */
export async function signInAs(browser: Browser, baseUrl: string, name: string, opts: { cspViolations?: string[]; lang?: 'da' | 'en' } = {}): Promise<Page> {
  const { page } = await person(browser, opts.cspViolations);
  await page.goto(`${baseUrl}/sign-in`);
  if (opts.lang === 'en') await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.waitForURL(`${baseUrl}/`);
  return page;
}
