import type { Browser } from 'playwright-core';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/** Reads through the pages are on record, and the data protection officer finds them on the access log page. */
describe('the access log on the pages, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('browser-access-log'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the data protection officer who opened a case, its task and the fund, by case', async () => {
    const { id } = (await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst)).body as { id: string };
    const sara = await signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });
    // Each page as often as the browser got it: one drawn while the workflow did not answer is opened again, and read again.
    const got = new Map<string, number>();
    sara.on('response', (r) => {
      if (r.request().isNavigationRequest()) got.set(new URL(r.url()).pathname, (got.get(new URL(r.url()).pathname) ?? 0) + 1);
    });
    const reads = (path: string, row: string) => Array.from({ length: got.get(path) ?? 0 }, () => row);
    for (const path of [`/proposals/${id}`, `/proposals/${id}/edit`, `/proposals/${id}/procurement`, `/fund?proposalId=${id}`]) {
      expect((await sara.goto(`${stack.api.url}${path}`))!.status()).toBe(200);
    }
    await (await stack.as('sara.secretariat')).post(`/api/proposals/${id}/submit`);
    const vote = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: id, kind: 'councilVote', assignee: 'bo.member' }).lean();
      if (!t) throw new Error('no vote yet');
      return t;
    });
    const bo = await signInAs(browser, stack.api.url, 'Bo Lind', { cspViolations });
    expect((await bo.goto(`${stack.api.url}/tasks/${vote._id}`))!.status()).toBe(200);
    // Only IT operations and the data protection officer have the log in their menu, or may open it.
    expect(await bo.getByRole('link', { name: 'Adgangslog' }).count()).toBe(0);
    expect((await bo.goto(`${stack.api.url}/access-log`))!.status()).toBe(403);
    // Told who may, not that only the secretariat may.
    await shows(bo.getByText('Det kræver rollen', { exact: false }));
    expect(await bo.getByText('Kun sekretariatet', { exact: false }).count()).toBe(0);

    const dpo = await signInAs(browser, stack.api.url, 'Databeskyttelsesrådgiveren', { cspViolations });
    await dpo.getByRole('link', { name: 'Adgangslog' }).click();
    await hasText(dpo.locator('h1'), 'Adgangslog: hvem læste hvad');
    await dpo.fill('[name="case"]', id);
    await dpo.getByRole('button', { name: 'Vis' }).click();
    await shows(dpo.locator('table.access-log'));
    const rows = dpo.locator('table.access-log tbody tr');
    const seen = await Promise.all((await rows.all()).map(async (r) => (await r.locator('td:not(:first-child)').allInnerTexts()).join(' ').replace(/\s+/g, ' ')));
    expect(seen).toEqual([
      `Bo Lind (bo.member) Opgave ${id} (${vote._id}) Siderne GET /tasks/:id`,
      `Sara Friis (sara.secretariat) Fondens regnskab ${id} Siderne GET /fund`,
      ...reads(`/proposals/${id}/procurement`, `Sara Friis (sara.secretariat) Forslag ${id} Siderne GET /proposals/:id/procurement`),
      `Sara Friis (sara.secretariat) Forslag ${id} Siderne GET /proposals/:id/edit`,
      ...reads(`/proposals/${id}`, `Sara Friis (sara.secretariat) Forslag ${id} Siderne GET /proposals/:id`),
    ]);
    await checkPage(dpo, 'access-log');

    await dpo.selectOption('[name="user"]', 'bo.member');
    await dpo.fill('[name="case"]', '');
    await dpo.getByRole('button', { name: 'Vis' }).click();
    await hasText(dpo.locator('table.access-log caption'), 'Nr. 1–1 af 1, nyeste først');
    // The search lists everyone by name: the log has the officer's reads of the user list too.
    expect(await stack.store.accessLog.countDocuments({ userId: 'dpo', what: 'users', route: 'GET /access-log' })).toBe(3);
    // And each look at the log, the case's after the case it asked about.
    const looks = await stack.store.accessLog.find({ userId: 'dpo', what: 'accessLog', route: 'GET /access-log' }).sort({ at: 1 }).lean();
    expect(looks.map((e) => e.proposalId ?? null)).toEqual([null, id, null]);
    expect(cspViolations).toEqual([]);
  });
});
