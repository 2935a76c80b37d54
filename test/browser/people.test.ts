import type { Browser } from 'playwright-core';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * The council has four members when Sara submits: her inbox holds the task to have it
 * seated, which asks nothing she could answer, and IT operations see on their own page
 * who gave whom which role.
 */
describe('the council’s composition and the record of role changes, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('people-pages'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the secretary the waiting round, and operators who changed whose roles', async () => {
    const admin = await stack.as('hr.admin');
    expect((await admin.post('/api/users', { id: 'dorte.member', name: 'Dorte Berg', email: 'dorte.berg@example.dk', roles: ['councilMember'] })).status).toBe(201);
    expect((await admin.put('/api/users/mayor', { email: 'borgmester.ny@example.dk' })).status).toBe(200);
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', housingFirst)).body.id;
    await sara.post(`/api/proposals/${id}/submit`);
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId: id, kind: 'councilComposition', status: 'open' })).toBe(1));

    const page = await signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });
    await page.getByRole('link', { name: 'Rådet er ikke fuldtalligt' }).first().click();
    await hasText(page.locator('h1'), `Rådet er ikke fuldtalligt: ${housingFirst.title}`);
    await shows(page.getByText('Bed administratoren (IT og HR) om at tildele eller fjerne rollerne', { exact: false }));
    await shows(page.getByText('Der er intet at svare her. Opgaven lukker af sig selv, når rådet er fuldtalligt.'));
    expect(await page.locator('.task-answer form').count()).toBe(0);
    await checkPage(page, 'council-composition-task');
    await page.getByRole('link', { name: 'Se hele sagen' }).click();
    await shows(page.getByText('Rådet er ikke fuldtalligt: 4 aktive medlemmer og 1 formand,', { exact: false }));
    // Operators' menu, not the secretariat's.
    expect(await page.getByRole('link', { name: 'Rolleændringer' }).count()).toBe(0);

    const ops = await signInAs(browser, stack.api.url, 'IT-drift', { cspViolations });
    await ops.getByRole('link', { name: 'Rolleændringer' }).click();
    await hasText(ops.locator('h1'), 'Ændringer af roller');
    const row = ops.locator('tr', { hasText: 'Dorte Berg' });
    await hasText(row.locator('td').nth(2), 'Hanne Rask (IT og HR)');
    await hasText(row.locator('td').nth(3), 'Oprettet');
    await hasText(row.locator('td').nth(4), 'rådsmedlem');
    const mayor = ops.locator('tr', { hasText: 'Borgmesteren' });
    await hasText(mayor.first().locator('td').nth(4), 'borgmester; e-mailadresse ændret');
    expect(await ops.getByText('borgmester.ny@example.dk').count()).toBe(0);
    await hasText(mayor.last().locator('td').nth(2), 'Konfigurationen (people.json)');
    await checkPage(ops, 'role-changes');
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
