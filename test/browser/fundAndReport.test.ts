import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { answerOpenTask, draftReport, grantWithFirstTranche } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, person, screenshot, screenshotDir, signInAs } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';
import { pdfText } from './support/pdf';

/**
 * The fund and the annual report in a real browser on the whole system: a grant
 * reserves its money and pays its first tranche through the API, then the fund page
 * shows the balances, the outlook (chart and table) and the ledger. The secretariat
 * writes the report's text and the evaluation of the council on the report page and
 * sends it to the council; a member returns it from the task in his e-mail; the
 * secretariat redrafts and answers; the council approves; the secretariat, reading
 * in English, marks it as sent; the print page becomes a PDF whose text is checked.
 */
describe('the fund and the annual report, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  const year = new Date().getUTCFullYear();
  const caseId = `annual-report-${year}`;
  const title = youthAnxietyGroups.title;
  let proposalId = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('fund-report'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(page: Page, name: string) {
    await hasText(page.locator('h1'), /Log ind|Sign in/);
    await page.getByRole('button', { name: new RegExp(name) }).click();
  }

  /** Opens the link in the newest e-mail to `to` whose subject matches, signed in as `name`. */
  async function fromMail(to: string, subject: RegExp, name: string, path: RegExp) {
    const mail = await stack.smtp.waitFor(to, subject);
    const link = new RegExp(`(http\\S+${path.source})`).exec(mail.text)?.[1];
    expect(link).toBeDefined();
    const { page } = await person(browser, cspViolations);
    await page.goto(link!);
    await signIn(page, name);
    await page.waitForURL(link!);
    return { page, link: link! };
  }

  it('books a grant and its first tranche, and drafts the annual report, through the real system', async () => {
    proposalId = await grantWithFirstTranche(stack);
    const sara = await stack.as('sara.secretariat');
    await draftReport(stack, year);
    await eventually(async () => expect((await sara.get(`/api/reports/${year}`)).body.status).toBe('drafting'));
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
    await shows(page.getByRole('img', { name: '10-årsprognose: fondens midler ved årets udgang', exact: true }));
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

    await shows(page.getByRole('link', { name: `Afrapportering ${year}` }));
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

    // A council member reads the draft, but writing it is the secretariat's.
    await page.getByRole('link', { name: `Afrapportering ${year}` }).click();
    await hasText(page.locator('h1'), `Afrapportering ${year}`);
    await hasText(page.locator('dl.meta'), 'Status Under udarbejdelse i sekretariatet', { contains: true });
    expect(await page.getByRole('button', { name: 'Gem teksten' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send til rådet' }).count()).toBe(0);
  });

  it("lets the secretariat write the report's text and the evaluation of the council beside the figures, and send it to the council", async () => {
    const { page, link } = await fromMail('sara.friis@example.dk', new RegExp(`^Årsrapporten er udarbejdet: Afrapportering ${year}$`), 'Sara Friis', /\/reports\/\d+/);
    expect(link).toBe(`${stack.config.publicUrl}/reports/${year}`);
    await hasText(page.locator('h1'), `Afrapportering ${year}`);
    // The figures from the books: the grant against its 1.2 million, and what it still holds.
    await hasText(page.locator('#doc-project-figures tbody tr').first(), `${proposalId} ${title} 700.000,00 kr. 700.000,00 kr. 1.200.000,00 kr. 0,00 kr. 0,00 kr. 500.000,00 kr.`);
    await hasText(page.locator('.missing'), `den samlede vurdering`, { contains: true });
    await hasText(page.locator('.missing'), `en kommentar til ${proposalId}`, { contains: true });

    // Sending it before the text is written is refused in plain words.
    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await hasText(page.getByRole('alert'), /^Skriv den samlede vurdering, en kommentar til hvert projekt/);
    await checkPage(page, 'report-incomplete');

    // A text past its bound is named at its field.
    await page.getByLabel('Samlet vurdering af året').fill('x'.repeat(10_001));
    await page.getByRole('button', { name: 'Gem teksten' }).click();
    await hasAttribute(page.locator('#f-overallAssessment'), 'aria-invalid', 'true');
    await hasText(page.locator('.error-summary a'), 'Samlet vurdering af året: ', { contains: true });

    const overall = 'Fondens første år med udbetalinger.\n\n- Angstgrupperne er i gang på tre skoler\n- Ingen projekter er standset';
    await page.getByLabel('Samlet vurdering af året').fill(overall);
    await page.getByRole('button', { name: 'Gem teksten' }).click();
    await shows(page.getByText('Teksten er gemt.'));
    // Sent with a project's commentary still missing: refused, and the page still shows the text that was saved, to go on from.
    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await hasText(page.getByRole('alert'), /^Skriv .*en kommentar til hvert projekt/);
    expect(await page.getByLabel('Samlet vurdering af året').inputValue()).toBe(overall);
    await page.getByLabel(`Kommentar til ${proposalId} ${title}`).fill('Første rate er udbetalt efter besøg på skolerne.');
    await page.getByRole('button', { name: 'Gem teksten' }).click();
    await shows(page.getByText('Teksten er gemt.'));
    // The draft shows the text as the city council will read it: a bullet is a bullet, nothing is markup.
    await shows(page.locator('#doc-overall + .prose li', { hasText: 'Angstgrupperne er i gang på tre skoler' }));
    await hasText(page.locator('section[aria-labelledby="doc-projects"]'), 'Første rate er udbetalt efter besøg på skolerne.', { contains: true });
    expect(await page.locator('.missing').count()).toBe(0);

    await page.getByLabel('Evaluering', { exact: true }).fill('Rådet har mødtes seks gange og behandlet fire forslag. Det anbefales videreført.');
    await page.getByRole('button', { name: 'Gem evalueringen' }).click();
    await shows(page.getByText('Evalueringen er gemt.'));
    await hasText(page.locator('section[aria-labelledby="doc-evaluation"]'), 'Rådet har mødtes seks gange', { contains: true });
    await page.evaluate('document.getElementById("write-title").scrollIntoView()');
    await checkPage(page, 'report-drafting', 'report');

    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await shows(page.getByText('Rapporten er sendt til rådet. Medlemmerne har fået hver sin opgave.'));
    await hasText(page.locator('dl.meta'), 'Status Hos rådet til godkendelse', { contains: true });
    await hasText(page.locator('section[aria-labelledby="rounds-title"] tbody'), /Bo Lind Afventer svar, frist/);
    expect(await page.getByRole('button', { name: 'Gem teksten' }).count()).toBe(0);
  });

  it("takes a council member from the e-mail's link to the task beside the draft: returning needs comments", async () => {
    const { page } = await fromMail('bo.lind@example.dk', new RegExp(`^Ny opgave: Afrapportering ${year}$`), 'Bo Lind', /\/tasks\/\S+/);
    await hasText(page.locator('h1'), `Godkendelse af afrapporteringen: Afrapportering ${year}`);
    await shows(page.locator('.breadcrumb').getByRole('link', { name: `Afrapportering ${year}` }));
    await hasText(page.locator('section[aria-labelledby="doc-overall"]'), 'Fondens første år med udbetalinger.', { contains: true });
    await checkPage(page, 'report-task');

    await page.getByRole('button', { name: 'Send tilbage med bemærkninger' }).click();
    await hasText(page.locator('#f-comments-error'), 'Skriv, hvad der skal ændres');
    await page.getByRole('textbox', { name: 'Bemærkninger' }).last().fill('Beskriv effekten for eleverne.');
    await page.getByRole('button', { name: 'Send tilbage med bemærkninger' }).click();
    await shows(page.getByText('Tak. Dit svar er registreret.'));

    // A second member returns it too (through the API): the report goes back, the chair's task is no longer needed.
    expect((await answerOpenTask(stack, caseId, 'reportApproval', { decision: 'return', comments: 'Hvad betyder prognosen for nye forslag?' }, 'cecilie.member')).status).toBe(200);
    await eventually(async () => expect((await stack.store.reports.findById(year).lean())!.status).toBe('returned'));
    await page
      .locator('.breadcrumb')
      .getByRole('link', { name: `Afrapportering ${year}` })
      .click();
    await hasText(page.locator('dl.meta'), 'Status Sendt tilbage af rådet med bemærkninger', { contains: true });
    await hasText(page.locator('section[aria-labelledby="rounds-title"] tbody'), /Anne Holm Ikke nødvendigt: rådet havde afgjort/);
  });

  it("lets the secretariat redraft, answer the council's comments and send it again; the council approves", async () => {
    const page = await signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });
    await page.goto(`${stack.api.url}/reports/${year}`);
    await page.getByRole('button', { name: 'Lav et nyt udkast' }).click();
    await shows(page.getByText('Et nyt udkast er udarbejdet.', { exact: false }));
    await hasText(page.locator('dl.meta'), 'Version 2', { contains: true });
    // The text came along; the council's comments stand above the field that answers them.
    expect(await page.getByLabel('Samlet vurdering af året').inputValue()).toMatch(/^Fondens første år med udbetalinger\.\n\n- Angstgrupperne/);
    await hasText(page.locator('.council-comments'), 'Rådets bemærkninger til version 1 Beskriv effekten for eleverne. Hvad betyder prognosen for nye forslag?');
    await hasText(page.locator('.missing'), 'svarene på rådets bemærkninger', { contains: true });
    await page.getByLabel('Svar på rådets bemærkninger').fill('Effekten for eleverne er beskrevet under projektet; prognosen giver plads til nye forslag.');
    await page.getByRole('button', { name: 'Gem teksten' }).click();
    await shows(page.getByText('Teksten er gemt.'));
    await checkPage(page, 'report-redraft');
    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await shows(page.getByText('Rapporten er sendt til rådet.', { exact: false }));

    for (const member of ['anne.chair', 'bo.member']) {
      expect((await answerOpenTask(stack, caseId, 'reportApproval', { decision: 'approve' }, member)).status).toBe(200);
    }
    await eventually(async () => expect((await stack.store.reports.findById(year).lean())!.status).toBe('approved'));
  });

  it('lets the secretariat, reading in English, mark the approved report as sent', async () => {
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/fund`);
    await page.getByRole('link', { name: 'English' }).click();
    await signIn(page, 'Sara Friis');
    await page.waitForURL(`${stack.api.url}/fund`);
    await hasAttribute(page.locator('html'), 'lang', 'en');
    await shows(page.getByRole('img', { name: "10-year outlook: the fund's money at each year end", exact: true }));
    await hasText(page.locator('dl.figures'), 'DKK 38,800,000.00', { contains: true });
    await checkPage(page, 'fund-en');

    await page.getByRole('link', { name: `Annual report ${year}` }).click();
    await hasText(page.locator('h1'), `Annual report ${year}`);
    await hasText(page.locator('dl.meta'), 'Status Approved by the council', { contains: true });
    await page.getByRole('textbox', { name: 'Note' }).fill('Sendt til byrådet');
    await checkPage(page, 'report-send-en');
    await page.getByRole('button', { name: 'Mark as sent to the city council' }).click();
    await shows(page.getByText('The report is marked as sent to the city council.'));
    await hasText(page.locator('dl.meta'), 'Status Sent to the city council', { contains: true });
    expect((await stack.store.reports.findById(year).lean())!.status).toBe('sentToCityCouncil');
  });

  it('prints the report for the city council: the PDF holds the text, each project against its cap, the outlook and the evaluation, and no page furniture', async () => {
    const page = await signInAs(browser, stack.api.url, 'Bo Lind', { cspViolations });
    await page.goto(`${stack.api.url}/reports/${year}`);
    await page.getByRole('link', { name: 'Udskriv eller gem som PDF' }).click();
    await page.waitForURL(`${stack.api.url}/reports/${year}/print`);
    await hasText(page.locator('h1'), `Den Sociale Investeringsfond: afrapportering til byrådet ${year}`);
    await shows(page.getByRole('img', { name: '10-årsprognose: fondens midler ved årets udgang', exact: true }));
    await checkPage(page, 'report-print');

    const file = join(screenshotDir, `annual-report-${year}.pdf`);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    const pdf = await pdfText(file);
    expect(pdf.title).toBe(`Afrapportering ${year} – Den Sociale Investeringsfond`);
    const text = pdf.pages.join('\n').replace(/\s+/g, ' ');
    for (const expected of [
      `Den Sociale Investeringsfond: afrapportering til byrådet ${year}`,
      'Godkendt af Rådet for Sociale Investeringer',
      'Sendt til byrådet',
      'Sekretariatets samlede vurdering',
      'Fondens første år med udbetalinger.',
      'Angstgrupperne er i gang på tre skoler',
      `${proposalId} ${title}`,
      '1.200.000,00 kr.',
      '700.000,00 kr.',
      'Første rate er udbetalt efter besøg på skolerne.',
      'Fondens økonomi ved årets udgang',
      '38.800.000,00 kr.',
      '10-årsprognose',
      'Fonden holder hele perioden.',
      'Svar på rådets bemærkninger',
      'prognosen giver plads til nye forslag',
      'Evaluering af rådets arbejde',
      'Rådet har mødtes seks gange og behandlet fire forslag.',
    ]) {
      expect(text).toContain(expected);
    }
    // On paper the document stands alone: no menu, no sign-out, no link back.
    for (const furniture of ['Mine opgaver', 'Log ud', 'Tilbage til rapporten', 'Gå til indhold']) expect(text).not.toContain(furniture);
    // The README's picture: the page as the print stylesheet lays it out.
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'report-paper', { docs: 'report-print' });
  });

  it("lets the secretariat draft a year's report before the schedule does", async () => {
    const page = await signInAs(browser, stack.api.url, 'Jonas Krogh', { cspViolations });
    await page.goto(`${stack.api.url}/fund`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Udarbejd udkastet' }) });
    await form.getByLabel('For året').fill('tyve');
    await form.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await hasAttribute(page.locator('#f-year'), 'aria-invalid', 'true');

    // This year has not closed, so its report is not started by hand; last year's is drafted and the secretariat told.
    await page.getByLabel('For året').fill(String(year));
    await page.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await hasText(page.locator('#f-year-error'), 'Skal være et afsluttet år i fondens levetid', { contains: true });
    await page.getByLabel('For året').fill(String(year - 1));
    await page.getByRole('button', { name: 'Udarbejd udkastet' }).click();
    await shows(page.getByText(`Afrapporteringen for ${year - 1} udarbejdes.`, { exact: false }));
    await checkPage(page, 'fund-report-started');
    await stack.smtp.waitFor('jonas.krogh@example.dk', new RegExp(`^Årsrapporten er udarbejdet: Afrapportering ${year - 1}$`));
    expect((await stack.store.reports.findById(year - 1).lean())!).toMatchObject({ status: 'drafting', version: 1 });
  });

  it('shows IT operations the outbox: every notification so far sent, each once', async () => {
    const page = await signInAs(browser, stack.api.url, 'IT-drift', { cspViolations });
    await page.getByRole('link', { name: 'Udbakke' }).click();
    await hasText(page.locator('h1'), 'Udbakke: underretninger');
    await eventually(async () => expect(await stack.store.outbox.countDocuments({ status: { $nin: ['sent'] } })).toBe(0));
    await page.getByRole('link', { name: /^Sendt \(\d+\)$/ }).click();
    await shows(page.getByRole('cell', { name: /Årsrapporten er godkendt af rådet/ }).first());
    await hasAttribute(page.getByRole('link', { name: /^Sendt/ }), 'aria-current', 'page');
    await checkPage(page, 'outbox');
    expect(new Set(stack.smtp.inbox.map((m) => m.messageId)).size).toBe(stack.smtp.inbox.length);
    expect(stack.smtp.inbox).toHaveLength(await stack.store.outbox.countDocuments({ channel: 'email', status: 'sent' }));
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
