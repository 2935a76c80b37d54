import type { Page } from 'playwright-core';

/**
 * Pages drawn while the case's workflow did not answer in time say so, with a link to try
 * again (`data-awaiting-workflow`). A person takes it; a page drawn in answer to a form is
 * not one to ask for again by its address (that would drop what was posted).
 */
const postedPages = new WeakSet<Page>();

/** The notice on such a page. */
export const awaitingNotice = '[data-awaiting-workflow]';

/** Notes, for each page, whether the document it shows was the answer to a POST. */
export function followNavigations(page: Page): void {
  page.on('request', (request) => {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    if (request.method() === 'POST') postedPages.add(page);
    else postedPages.delete(page);
  });
}

/** Whether the page shows a document drawn without its workflow that may be asked for again by its address. */
export async function worthAskingAgain(page: Page): Promise<boolean> {
  return !postedPages.has(page) && (await page.locator(awaitingNotice).count()) > 0;
}
