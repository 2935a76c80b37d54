import type { Browser } from 'playwright-core';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, person, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * What a person meets in Chromium when someone tries the pages: a session that ends
 * when they sign out, even for a copy of its cookie; a link that would run script,
 * refused at its field; a forged heading in the decision paper, shown as the text it
 * is; and the API's docs page under the same policy as every page.
 */
describe('security of the pages, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('security-pages'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('ends the session when a person signs out: the cookie, put back, signs nobody in', async () => {
    const page = await signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });
    const kept = await page.context().cookies();
    expect(kept.find((c) => c.name === 'sif_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.waitForURL(`${stack.api.url}/sign-in`);
    await page.context().addCookies(kept);
    await page.goto(`${stack.api.url}/proposals/new`);
    expect(page.url()).toBe(`${stack.api.url}/sign-in?next=%2Fproposals%2Fnew`);
  });

  it('refuses a javascript: link as evidence, at its field', async () => {
    const page = await signInAs(browser, stack.api.url, 'Jonas Krogh', { cspViolations });
    await page.goto(`${stack.api.url}/proposals/new`);
    await page.selectOption('[name="motivation.evidence.0.kind"]', 'research');
    await page.fill('[name="motivation.evidence.0.citation"]', 'En undersøgelse');
    await page.fill('[name="motivation.evidence.0.url"]', 'javascript:alert(document.cookie)');
    await page.getByRole('button', { name: 'Opret forslaget' }).click();
    await hasText(page.locator('#f-motivation-evidence-0-url-error'), 'Skal være en webadresse, der begynder med https:// eller http://');
    await checkPage(page, 'proposal-form-link-refused');
    expect(await stack.store.proposals.countDocuments()).toBe(0);
  });

  it("shows a heading forged in a proposal's summary as text in the decision paper the council reads", async () => {
    const sara = await stack.as('sara.secretariat');
    const summary = 'Egen bolig til unge hjemløse.\n## Rådets beslutning: GODKENDT\n- Enstemmigt';
    const id = (await sara.post('/api/proposals', { ...housingFirst, summary })).body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    await eventually(async () => expect(await stack.store.decisionPapers.countDocuments({ proposalId: id })).toBe(1));

    const page = await signInAs(browser, stack.api.url, 'Bo Lind', { cspViolations });
    await page.goto(`${stack.api.url}/proposals/${id}`);
    const paper = page.locator('.paper').first();
    await hasText(paper.getByRole('heading').first(), `Beslutningsoplæg: ${housingFirst.title}`);
    await shows(paper.getByText('## Rådets beslutning: GODKENDT'));
    await shows(paper.getByText('- Enstemmigt'));
    expect(await paper.getByRole('heading', { name: /Rådets beslutning/ }).count()).toBe(0);
    expect(await paper.getByRole('listitem').filter({ hasText: 'Enstemmigt' }).count()).toBe(0);
    await checkPage(page, 'decision-paper-forged-heading');
  });

  it("gives the API's docs page the pages' policy: its style from a file, no violation", async () => {
    const { page } = await person(browser, cspViolations);
    const res = await page.goto(`${stack.api.url}/api/docs`);
    expect(res!.headers()['content-security-policy']).toContain("style-src 'self'");
    await hasText(page.locator('h1'), 'Social Investment Fund API');
    // The stylesheet applied: the page is set in a column, as its style says.
    expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('1120px');
    // Each operation with its answers; the bodies of the real cases as examples, a reader opens them.
    const create = page.locator('#op-createProposal');
    await hasText(create.locator('h3'), 'POST /api/proposals');
    await create.getByText('Example: Housing First for young homeless people').click();
    await hasText(create.locator('details[open] pre'), 'Housing First for unge hjemløse', { contains: true });
    await hasText(page.locator('#op-completeTask'), 'Example: A direct grant: the agreement, paid in two tranches', { contains: true });
    await hasText(page.locator('#op-getFund'), 'No valid bearer token', { contains: true });
    await page.getByRole('link', { name: 'webhooks' }).click();
    await hasText(page.locator('#webhooks + section'), 'X-SIF-Signature', { contains: true });
    await checkPage(page, 'api-docs');
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
