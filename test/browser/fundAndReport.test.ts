import type { Browser, Page } from 'playwright-core';
import { workflowIdFor } from '../../workflows/input';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { approveThroughAgreement, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { isoDay } from '../support/units';
import { checkPage, launchChromium, person, signInAs } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';

/**
 * The fund and the annual report in a real browser on the whole system: a grant
 * reserves its money and pays its first tranche through the API, then the fund page
 * shows the balances, the outlook (chart and table) and the ledger; the chair opens
 * the report from her e-mail, returns it without comments (refused at the field) and
 * approves it; the secretariat, reading in English, marks it as sent.
 */
describe('the fund and the annual report, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  const year = new Date().getUTCFullYear();
  // A report is drafted for a closed year: last year's, in a fund that began the year before.
  const reportYear = year - 1;
  let proposalId = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('fund-report', {}, (c) => void (c.fund.startDate = `${year - 2}-01-01`)), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(page: Page, name: string) {
    await hasText(page.locator('h1'), /Log ind|Sign in/);
    await page.getByRole('button', { name: new RegExp(name) }).click();
  }

  /** Answers the open task of a kind through the API, as whoever holds it. */
  async function answer(kind: string, input: unknown) {
    const task = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
      if (!t?.assignee) throw new Error(`no open ${kind} task held by anyone yet`);
      return t;
    });
    const res = await (await stack.as(task.assignee!)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
    expect(res.status).toBe(200);
  }

  it('books a grant and its first tranche, and drafts the annual report, through the real system', async () => {
    const sara = await stack.as('sara.secretariat');
    proposalId = (await sara.post('/api/proposals', youthAnxietyGroups)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(proposalId));
    await approveThroughAgreement(stack.store, handle, proposalId);
    await waitForStage(handle, 'GrantAgreement');
    await answer('grantAgreement', {
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      tranches: [
        { dueDate: isoDay(Date.now()), amount: '700000.00', condition: 'Forløbene er startet på tre skoler' },
        { dueDate: `${year + 2}-06-01`, amount: '500000.00', condition: 'Midtvejsevaluering er modtaget' },
      ],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    });
    await answer('trancheConfirmation', { confirmed: true, note: 'Besøgt skolerne' });
    await eventually(async () => expect(await stack.store.ledger.countDocuments({ kind: 'directGrant', proposalId })).toBe(1));

    expect((await sara.post(`/api/reports/${reportYear}`)).status).toBe(202);
    await eventually(async () => expect((await sara.get(`/api/reports/${reportYear}`)).body.status).toBe('draft'));
  });

  it('shows the balances, the outlook as a chart and a table, the ledger page by page, and the reports', async () => {
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/fund`);
    await signIn(page, 'Bo Lind');
    await page.waitForURL(`${stack.api.url}/fund`);
    await hasText(page.locator('h1'), 'Fonden');
    await hasText(page.locator('dl.figures'), 'Reserveret 500.000,00 kr.', { contains: true });
    await hasText(page.locator('dl.figures'), 'Udbetalt 700.000,00 kr.', { contains: true });
    await hasText(page.locator('dl.figures'), 'Fri kapital til nye forslag 38.800.000,00 kr.', { contains: true });

    // The chart is one image with a name and a description; the table holds its numbers.
    const chart = page.locator('svg.outlook-chart');
    await hasAttribute(chart, 'role', 'img');
    await shows(page.getByRole('img', { name: '10-årsprognose: fri kapital ved årets udgang', exact: true }));
    expect(await chart.locator('desc').textContent()).toContain('Fonden holder hele perioden.');
    expect(await chart.locator('circle').count()).toBeGreaterThanOrEqual(10);
    const outlook = page.locator('#outlook-table');
    expect(await outlook.locator('tbody tr').count()).toBeGreaterThanOrEqual(10);
    await hasText(outlook.locator('tr', { hasText: String(year) }).first(), `${year} 0,00 kr. 700.000,00 kr. 0,00 kr. 39.300.000,00 kr.`);
    await hasText(outlook.locator('tr', { hasText: String(year + 2) }).first(), '500.000,00 kr.', { contains: true });
    await shows(page.getByText('Fonden holder hele perioden.'));

    // The ledger, newest first, with links to the proposal.
    const ledger = page.locator('table.ledger');
    const total = await stack.store.ledger.countDocuments();
    await hasText(ledger.locator('caption'), `Posteringer 1–${total} af ${total}, nyeste først`);
    await hasText(ledger.locator('tbody tr').first(), 'Direkte tilskud', { contains: true });
    await hasText(ledger.locator('tbody tr').first(), '700.000,00 kr.', { contains: true });
    await hasText(ledger.locator('tbody tr').last(), 'Fondens startkapital', { contains: true });
    await shows(ledger.getByRole('link', { name: proposalId }));

    await shows(page.getByRole('link', { name: `Afrapportering ${reportYear}` }));
    // The README's picture shows the chart: the outlook's heading at the top of the window.
    await page.evaluate('document.getElementById("outlook-title").scrollIntoView()');
    await checkPage(page, 'fund-outlook', 'fund');

    // Two entries a page: the older ones are a link away, and back.
    await page.goto(`${stack.api.url}/fund?pageSize=2`);
    await hasText(ledger.locator('caption'), `Posteringer 1–2 af ${total}, nyeste først`);
    await page.getByRole('link', { name: 'Ældre posteringer' }).click();
    await hasText(ledger.locator('caption'), `Posteringer 3–${Math.min(4, total)} af ${total}, nyeste først`);
    expect(page.url()).toContain('page=2');
    await checkPage(page, 'fund-ledger-page-2');
    await page.getByRole('link', { name: 'Nyere posteringer' }).click();
    await hasText(ledger.locator('caption'), `Posteringer 1–2 af ${total}, nyeste først`);

    // A council member reads the report, but the decision is the chair's.
    await page.getByRole('link', { name: `Afrapportering ${reportYear}` }).click();
    await hasText(page.locator('h1'), `Afrapportering ${reportYear}`);
    expect(await page.getByRole('button', { name: 'Send beslutningen' }).count()).toBe(0);
  });

  it("takes the chair from the e-mail's link to the report: returning needs comments, then she approves", async () => {
    const mail = await stack.smtp.waitFor('anne.holm@example.dk', new RegExp(`^Årsrapporten er klar til godkendelse: Afrapportering ${reportYear}$`));
    const link = /(http\S+\/reports\/\d+)/.exec(mail.text)?.[1];
    expect(link).toBe(`${stack.config.publicUrl}/reports/${reportYear}`);

    const { page } = await person(browser, cspViolations);
    await page.goto(link!);
    await signIn(page, 'Anne Holm');
    await page.waitForURL(link!);
    await hasText(page.locator('h1'), `Afrapportering ${reportYear}`);
    await hasText(page.locator('dl.meta'), 'Status Afventer formandens godkendelse', { contains: true });
    await hasText(page.locator('.paper h3'), `Den Sociale Investeringsfond: afrapportering ${reportYear}`);
    await shows(page.getByText('Direkte tilskud: 0,00 kr.')); // the grant pays this year, not in the report's
    await checkPage(page, 'report-awaiting-chair');

    await page.getByLabel('Send rapporten tilbage til sekretariatet med bemærkninger').check();
    await page.getByRole('button', { name: 'Send beslutningen' }).click();
    await hasText(page.locator('#f-comments-error'), 'Skal udfyldes');
    await hasAttribute(page.locator('#f-comments'), 'aria-invalid', 'true');
    await shows(page.locator('.error-summary'));
    await checkPage(page, 'report-return-errors');
    expect((await stack.store.reports.findById(reportYear).lean())!.status).toBe('draft');

    // A second tab, left open on the form, is answered in plain words once the report has moved on.
    const stale = await page.context().newPage();
    await stale.goto(link!);

    await page.getByLabel('Godkend rapporten').check();
    await page.getByRole('textbox', { name: 'Bemærkninger' }).fill('Klar til byrådet');
    await page.getByRole('button', { name: 'Send beslutningen' }).click();
    await shows(page.getByText('Tak. Din beslutning er registreret.'));
    await hasText(page.locator('dl.meta'), 'Status Godkendt af formanden', { contains: true });
    await hasText(page.locator('table.timeline tbody tr').last(), 'Anne Holm Godkendt 1 Klar til byrådet', { contains: true });
    expect((await stack.store.reports.findById(reportYear).lean())!.status).toBe('approved');
    await checkPage(page, 'report-approved');

    await stale.getByLabel('Godkend rapporten').check();
    await stale.getByRole('button', { name: 'Send beslutningen' }).click();
    await hasText(stale.getByRole('alert'), 'Det kan ikke lade sig gøre nu. Rapportens status er: Godkendt af formanden.');
    await checkPage(stale, 'report-stale');
  });

  it('lets the secretariat, reading in English, mark the approved report as sent', async () => {
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/fund`);
    await page.getByRole('link', { name: 'English' }).click();
    await signIn(page, 'Sara Friis');
    await page.waitForURL(`${stack.api.url}/fund`);
    await hasAttribute(page.locator('html'), 'lang', 'en');
    await shows(page.getByRole('img', { name: '10-year outlook: free capital at each year end', exact: true }));
    await hasText(page.locator('dl.figures'), 'DKK 38,800,000.00', { contains: true });
    await checkPage(page, 'fund-en');

    await page.getByRole('link', { name: `Annual report ${reportYear}` }).click();
    await hasText(page.locator('h1'), `Annual report ${reportYear}`);
    await hasText(page.locator('dl.meta'), 'Status Approved by the chair', { contains: true });
    await page.getByRole('textbox', { name: 'Note' }).fill('Sendt til byrådet');
    await checkPage(page, 'report-send-en');
    await page.getByRole('button', { name: 'Mark as sent to the city council' }).click();
    await shows(page.getByText('The report is marked as sent to the city council.'));
    await hasText(page.locator('dl.meta'), 'Status Sent to the city council', { contains: true });
    expect((await stack.store.reports.findById(reportYear).lean())!.status).toBe('sentToCityCouncil');
  });

  it("lets the secretariat draft a year's report before the schedule does", async () => {
    const page = await signInAs(browser, stack.api.url, 'Jonas Krogh', { cspViolations });
    await page.goto(`${stack.api.url}/fund`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Udarbejd udkastet' }) });
    await form.getByLabel('For året').fill('tyve');
    await form.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await hasAttribute(page.locator('#f-year'), 'aria-invalid', 'true');

    // This year has not closed; last year's report is already done; the year before is drafted and reaches the chair.
    await page.getByLabel('For året').fill(String(year));
    await page.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await hasText(page.locator('#f-year-error'), `Skal være et afsluttet år i fondens levetid, ${year - 2}–${year - 1}`);
    await page.getByLabel('For året').fill(String(reportYear));
    await page.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await shows(page.getByText(`Afrapporteringen for ${reportYear} er allerede i gang eller udarbejdet.`));
    await page.getByLabel('For året').fill(String(year - 2));
    await page.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await shows(page.getByText(`Afrapporteringen for ${year - 2} udarbejdes.`, { exact: false }));
    await checkPage(page, 'fund-report-started');
    await stack.smtp.waitFor('anne.holm@example.dk', new RegExp(`^Årsrapporten er klar til godkendelse: Afrapportering ${year - 2}$`));
    expect((await stack.store.reports.findById(year - 2).lean())!).toMatchObject({ status: 'draft', version: 1 });
  });

  it('shows IT operations the outbox: every notification so far sent, each once', async () => {
    const page = await signInAs(browser, stack.api.url, 'IT-drift', { cspViolations });
    await page.getByRole('link', { name: 'Udbakke' }).click();
    await hasText(page.locator('h1'), 'Udbakke: underretninger');
    await eventually(async () => expect(await stack.store.outbox.countDocuments({ status: { $nin: ['sent'] } })).toBe(0));
    await page.getByRole('link', { name: /^Sendt \(\d+\)$/ }).click();
    await shows(page.getByRole('cell', { name: /Årsrapporten er klar til godkendelse/ }).first());
    await hasAttribute(page.getByRole('link', { name: /^Sendt/ }), 'aria-current', 'page');
    await checkPage(page, 'outbox');
    expect(new Set(stack.smtp.inbox.map((m) => m.messageId)).size).toBe(stack.smtp.inbox.length);
    expect(stack.smtp.inbox).toHaveLength(await stack.store.outbox.countDocuments({ channel: 'email', status: 'sent' }));
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
