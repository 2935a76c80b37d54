import type { Browser, Page } from 'playwright-core';
import { caseResultsSchema, portfolioSchema } from '../../api/resultsView';
import { workflowIdFor } from '../../workflows/input';
import { housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { answerThroughApi, approveThroughAgreement, awardDirectly, councilApprovesThroughApi, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { day, isoDay } from '../support/units';
import { copenhagenDay } from '../../domain/dates';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * What a contract and a grant achieve, read back on the whole system: Housing First
 * through five measurement points (one corrected by the department, one capped by its
 * metric's maximum) to its final report and release, and a grant through a paid and a
 * withheld tranche with one still ahead. The API answers the results in DKK as its
 * schema documents them; the pages show them to a council member as charts with the
 * same numbers in tables, on the case, on the department's verification and on the
 * final report; the portfolio lists both, as a page, as JSON and as CSV.
 */
describe('results and the portfolio, through the API and in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  let contractId = '';
  let grantId = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('results'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const answer = (proposalId: string, kind: string, input: unknown) => answerThroughApi(stack, proposalId, kind, input);

  async function openTaskPage(page: Page, proposalId: string, kind: string) {
    const task = await eventually(async () => (await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean()) ?? Promise.reject(new Error(`no open ${kind}`)));
    await page.goto(`${stack.api.url}/tasks/${encodeURIComponent(task._id)}`);
  }

  const units = (bolig: number, job: number) => ({
    results: [
      { metric: 'Andel i egen bolig', unitsAchieved: bolig, evidence: 'Registerdata fra boliganvisningen' },
      { metric: 'Andel i uddannelse eller job', unitsAchieved: job, evidence: 'DREAM-registeret' },
    ],
  });

  it('takes Housing First through four measurement points, and answers its results in DKK as documented', async () => {
    const sara = await stack.as('sara.secretariat');
    contractId = (await sara.post('/api/proposals', housingFirst)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(contractId));
    await approveThroughAgreement(stack.store, handle, contractId); // 30 % of realised savings return to the fund
    await awardDirectly(stack, sara, handle, contractId);
    const step = async (part: 'contracting', input: unknown) => expect((await sara.post(`/api/proposals/${contractId}/${part}`, input)).status).toBe(200);
    await step('contracting', {
      action: 'registerInvestorOffer',
      investor: 'Social Kapital A/S',
      amountCommitted: '12000000',
      conditions: 'Tilbagebetaling af resultatbetalinger',
    });
    await step('contracting', { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Eneste tilbud', rationale: 'Dækker loftet' });
    await councilApprovesThroughApi(stack, contractId, 'investorDecision');
    // Started 61 months ago: every point is due at once, one after another.
    await eventually(() =>
      step('contracting', {
        action: 'proposeContract',
        startDate: isoDay(Date.now() - 61 * 30.5 * day),
        measurementMonths: [12, 24, 36, 48, 60],
        rateCard: [
          { metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '100000', targetUnits: 40, maxPayment: '8000000' },
          { metric: 'Andel i uddannelse eller job', unit: 'borgere', pricePerUnit: '50000', targetUnits: 30, maxPayment: '1500000' },
        ],
        totalCap: '12000000',
        payee: 'investor',
      }),
    );
    await answer(contractId, 'contractSigning', { signed: true });
    await answer(contractId, 'contractSigning', { signed: true });
    await waitForStage(handle, 'Implementation');

    const point = async (bolig: number, job: number, savings: string, correctedJob?: number) => {
      await answer(contractId, 'outcomeReport', units(bolig, job));
      await answer(
        contractId,
        'outcomeVerification',
        correctedJob === undefined
          ? { confirmed: true }
          : { confirmed: false, corrected: [{ metric: 'Andel i uddannelse eller job', units: correctedJob }], note: 'Én borger var i job før forløbet' },
      );
      await answer(contractId, 'savingsConfirmation', { realisedSavings: savings });
    };
    await point(8, 3, '500000');
    await point(10, 5, '1000000', 4);
    await point(12, 8, '1500000');
    await point(9, 7, '2000000');
    await answer(contractId, 'outcomeReport', units(6, 10));

    const { body } = await eventually(async () => {
      const res = await (await stack.as('mayor')).get(`/api/proposals/${contractId}`);
      if (res.body.results?.measurements[3].savings?.returned !== '600000.00') throw new Error('the fourth point is not settled yet');
      return res;
    });
    const results = caseResultsSchema.parse(body.results);
    expect(results).toMatchObject({
      kind: 'contract',
      provider: 'Boligsocialt Netværk',
      payee: 'investor',
      cap: '12000000.00',
      paid: '5000000.00',
      capLeft: '7000000.00',
      reserved: '7000000.00',
      realisedSavings: '5000000.00',
      returned: '1500000.00',
      next: { months: 60, status: 'awaitingVerification' },
      finalReport: null,
      release: null,
    });
    if (results.kind !== 'contract') throw new Error('a contract');
    expect(results.measurements.map((m) => [m.months, m.status, m.payment ?? null, m.savings?.returned ?? null])).toEqual([
      [12, 'settled', '950000.00', '150000.00'],
      [24, 'settled', '1200000.00', '300000.00'],
      [36, 'settled', '1600000.00', '450000.00'],
      [48, 'settled', '1250000.00', '600000.00'],
      [60, 'awaitingVerification', null, null],
    ]);
    expect(results.measurements[1].verified).toMatchObject({
      by: 'msb.head',
      confirmed: false,
      note: 'Én borger var i job før forløbet',
      corrections: [{ metric: 'Andel i uddannelse eller job', reportedUnits: 5, units: 4 }],
    });
    expect(results.measurements[4].reported).toMatchObject({ by: 'sara.secretariat', results: [{ units: 6 }, { units: 10 }] });
    expect(results.metrics.map((m) => [m.metric, m.achievedUnits, m.targetUnits, m.paid])).toEqual([
      ['Andel i egen bolig', 39, 40, '3900000.00'],
      ['Andel i uddannelse eller job', 22, 30, '1100000.00'],
    ]);
    // The contract's step on the timeline shows its money as it was sent: DKK, not øre.
    const proposed = body.timeline.find((e: { type: string }) => e.type === 'contracting.proposeContract');
    expect(proposed.details.input).toMatchObject({ totalCap: '12000000.00', rateCard: [{ pricePerUnit: '100000.00', maxPayment: '8000000.00' }, { maxPayment: '1500000.00' }] });
    const awarded = body.timeline.find((e: { type: string }) => e.type === 'procurement.recommendDirectAward');
    expect(awarded.details.input.price).toBe('12000000.00');
  });

  it('shows the department the results so far beside the point it verifies, and the secretariat the whole course beside the final report', async () => {
    const lene = await signedIn('Lene Vang');
    await openTaskPage(lene, contractId, 'outcomeVerification');
    await hasText(lene.locator('#context-title'), 'Målepunktet efter 60 måneder');
    const results = lene.locator('section.results');
    await hasText(results.locator('#results-title'), 'Resultater');
    // A chart per metric and one of the payments, each an image with a name; the tables hold their numbers.
    expect(await results.locator('svg.results-chart').count()).toBe(3);
    await shows(lene.getByRole('img', { name: 'Andel i egen bolig: opnået i alt mod målet', exact: true }));
    await hasText(results.locator('table.data').first().locator('tbody tr').nth(3), '48 mdr.', { contains: true });
    await hasText(results.locator('table.data').first().locator('tbody tr').nth(3), '9 39 40 98 % 900.000,00 kr.', { contains: true });
    await hasText(results.locator('table.data').first().locator('tbody tr').nth(4), 'afventer verifikation', { contains: true });
    await hasText(results.locator('table.data', { hasText: 'Hvem indberettede' }).locator('tbody tr').nth(1), 'Andel i uddannelse eller job: 5 → 4', { contains: true });
    await checkPage(lene, 'task-verification-results');
    await lene.getByRole('button', { name: 'Bekræft tallene' }).click();
    await shows(lene.getByText('Tak. Dit svar er registreret.'));
    await answer(contractId, 'savingsConfirmation', { realisedSavings: '2500000' });

    const sara = await signedIn('Sara Friis');
    await openTaskPage(sara, contractId, 'contractFinalReport');
    await hasText(sara.locator('#results-title + dl'), 'Udbetalt 6.000.000,00 kr. (50 % af loftet)', { contains: true });
    await hasText(sara.locator('#results-title + dl'), 'Tilbageført til fonden 2.250.000,00 kr.', { contains: true });
    // The last point earned 500,000 for jobs, of which the metric's maximum left 400,000.
    await hasText(sara.locator('section.results table.data').nth(1).locator('tbody tr').nth(4), '10 32 30 107 % 400.000,00 kr. loftet nået', { contains: true });
    await sara.fill('[name="summary"]', '39 unge kom i egen bolig, 32 i uddannelse eller job.');
    await sara.fill('[name="lessonsLearned"]', 'Jobmålet blev nået; boligmålet manglede én.');
    await checkPage(sara, 'task-contract-final-results');
    await sara.getByRole('button', { name: 'Indsend slutrapporten' }).click();
    await shows(sara.getByText('Tak. Dit svar er registreret.'));
    await waitForStage(stack.client.workflow.getHandle(workflowIdFor(contractId)), 'Closed');
  });

  it('answers the closed contract with its final report and the release of what effect did not earn', async () => {
    const { body } = await eventually(async () => {
      const res = await (await stack.as('bo.member')).get(`/api/proposals/${contractId}`);
      if (!res.body.results?.release) throw new Error('not released yet');
      return res;
    });
    const results = caseResultsSchema.parse(body.results);
    if (results.kind !== 'contract') throw new Error('a contract');
    expect(results).toMatchObject({
      paid: '6000000.00',
      capLeft: '6000000.00',
      reserved: '0.00',
      released: '6000000.00',
      returned: '2250000.00',
      next: null,
      finalReport: { by: 'sara.secretariat', summary: '39 unge kom i egen bolig, 32 i uddannelse eller job.' },
      release: { by: 'sara.secretariat', amount: '6000000.00' },
    });
    expect(results.measurements[4]).toMatchObject({
      status: 'settled',
      payment: '1000000.00',
      metrics: [
        { metric: 'Andel i egen bolig', units: 6, cumulativeUnits: 45, paid: '600000.00', capped: false },
        { metric: 'Andel i uddannelse eller job', units: 10, cumulativeUnits: 32, earned: '500000.00', paid: '400000.00', capped: true },
      ],
    });
    // The ledger paid what the results say, point by point.
    const payments = await stack.store.ledger.find({ proposalId: contractId, kind: 'outcomePayment' }).sort({ seq: 1 }).lean();
    expect(payments.map((e) => e.amountOre / 100)).toEqual([950_000, 1_200_000, 1_600_000, 1_250_000, 1_000_000]);
  });

  it('takes a grant through a paid and a withheld tranche with one ahead, and answers its results', async () => {
    const sara = await stack.as('sara.secretariat');
    grantId = (await sara.post('/api/proposals', youthAnxietyGroups)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(grantId));
    await approveThroughAgreement(stack.store, handle, grantId);
    await waitForStage(handle, 'GrantAgreement');
    const ahead = isoDay(Date.now() + 200 * day);
    await answer(grantId, 'grantAgreement', {
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      tranches: [
        { dueDate: isoDay(Date.now() - day), amount: '700000.00', condition: 'Forløbene er startet på tre skoler' },
        { dueDate: isoDay(Date.now()), amount: '300000.00', condition: 'Midtvejsevaluering er modtaget' },
        { dueDate: ahead, amount: '200000.00', condition: 'Slutevaluering er modtaget' },
      ],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    });
    await answer(grantId, 'trancheConfirmation', { confirmed: true, note: 'Besøgt skolerne' });
    await answer(grantId, 'trancheConfirmation', { confirmed: false, reason: 'Evalueringen er ikke modtaget' });

    const { body } = await eventually(async () => {
      const res = await (await stack.as('mayor')).get(`/api/proposals/${grantId}`);
      if (res.body.results?.tranches[1].status !== 'withheld') throw new Error('the second tranche is not decided yet');
      return res;
    });
    expect(caseResultsSchema.parse(body.results)).toMatchObject({
      kind: 'grant',
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      paid: '700000.00',
      withheld: '300000.00',
      reserved: '200000.00',
      tranches: [
        { number: 1, status: 'paid', decidedBy: 'sara.secretariat', note: 'Besøgt skolerne', paidOn: copenhagenDay(new Date()) },
        { number: 2, status: 'withheld', reason: 'Evalueringen er ikke modtaget' },
        { number: 3, status: 'scheduled', dueDate: ahead },
      ],
      next: { number: 3, dueDate: ahead, status: 'scheduled' },
      finalReport: null,
    });
  });

  it('lists both in the portfolio, next due first, as JSON and as CSV for a spreadsheet, for those who run the fund', async () => {
    const { status, body } = await (await stack.as('mayor')).get('/api/portfolio');
    expect(status).toBe(200);
    const { items } = portfolioSchema.parse(body);
    expect(items.map((r) => [r.proposalId, r.kind, r.stage, r.counterpart, r.committed, r.paid, r.returned, r.next?.tranche ?? null])).toEqual([
      [grantId, 'grant', 'GrantActive', 'Foreningen Ung i Aarhus', '1200000.00', '700000.00', '0.00', 3],
      [contractId, 'contract', 'Closed', 'Boligsocialt Netværk', '12000000.00', '6000000.00', '2250000.00', null],
    ]);
    expect(items[1].effect).toEqual([
      { metric: 'Andel i egen bolig', unit: 'borgere', achievedUnits: 45, targetUnits: 40 },
      { metric: 'Andel i uddannelse eller job', unit: 'borgere', achievedUnits: 32, targetUnits: 30 },
    ]);
    expect(items[0].tranches).toEqual({ paid: 1, withheld: 1, total: 3 });

    const csv = await fetch(`${stack.api.url}/api/portfolio.csv`, { headers: { authorization: `Bearer ${(await stack.as('anne.chair')).token}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?portefoelje-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs for æøå
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0].split(';')).toEqual([
      'Sag',
      'Titel',
      'Type',
      'Fase',
      'Velfærdsområde',
      'Afdeling',
      'Leverandør eller modtager',
      'Effekt indtil nu',
      'Rater',
      'Loft eller tilsagn',
      'Udbetalt',
      'Udbetalt af loft eller tilsagn (%)',
      'Tilbageført besparelse',
      'Næste forfald',
      'Næste dato',
    ]);
    expect(lines[1]).toBe(
      `${grantId};Tidlig indsats for unge med angst;Direkte tilskud;Tilskud udbetales;Psykisk sundhed;MBU;Foreningen Ung i Aarhus;;1 af 3 udbetalt, 1 tilbageholdt;1200000,00;700000,00;58,3;0,00;rate 3;${isoDay(Date.now() + 200 * day)}`,
    );
    expect(lines[2]).toBe(
      `${contractId};Housing First for unge hjemløse;Resultatkontrakt;Afsluttet;Hjemløshed;MSB;Boligsocialt Netværk;"Andel i egen bolig: 45 af 40 borgere; Andel i uddannelse eller job: 32 af 30 borgere";;12000000,00;6000000,00;50,0;2250000,00;;`,
    );
    expect(lines[3]).toBe('');

    // A department head and IT operations have their own cases' pages, not the fund's portfolio.
    for (const who of ['msb.head', 'ops']) {
      const refused = await (await stack.as(who)).get('/api/portfolio');
      expect([refused.status, refused.body.code]).toEqual([403, 'needsRole']);
    }
  });

  it("shows a council member the contract's and the grant's results, and the portfolio with its CSV", async () => {
    const bo = await signedIn('Bo Lind');
    await bo.goto(`${stack.api.url}/proposals/${contractId}`);
    const results = bo.locator('section.results');
    await hasText(results.locator('#results-title + dl'), 'Loft over resultatbetalinger 12.000.000,00 kr.', { contains: true });
    await hasText(results.locator('#results-title + dl'), 'Frigivet til fonden 6.000.000,00 kr.', { contains: true });
    await hasText(results.locator('#results-title + dl'), 'Næste målepunkt Alle målepunkter er afregnet', { contains: true });
    await shows(bo.getByRole('img', { name: 'Resultatbetalinger og tilbageførte besparelser mod kontraktens loft', exact: true }));
    expect(await bo.locator('#payments-chart-desc').textContent()).toContain('Betalt i alt 6.000.000,00 kr. af loftet på 12.000.000,00 kr.');
    await hasText(
      results.locator('table.data', { hasText: 'Betalinger og besparelser' }).locator('tbody tr').nth(4),
      '1.000.000,00 kr. 6.000.000,00 kr. 6.000.000,00 kr. 2.500.000,00 kr. 750.000,00 kr.',
      {
        contains: true,
      },
    );
    await shows(results.getByText('Jobmålet blev nået; boligmålet manglede én.'));
    await bo.evaluate('document.getElementById("results-title").scrollIntoView()');
    await checkPage(bo, 'proposal-results', 'results');

    await bo.goto(`${stack.api.url}/proposals/${grantId}`);
    const tranches = bo.locator('section.results table.data tbody tr');
    await hasText(tranches.nth(0), 'udbetalt', { contains: true });
    await hasText(tranches.nth(1), 'tilbageholdt Sara Friis', { contains: true });
    await hasText(tranches.nth(1), 'Evalueringen er ikke modtaget', { contains: true });
    await hasText(tranches.nth(2), 'planlagt', { contains: true });
    await checkPage(bo, 'proposal-grant-results');

    await bo.getByRole('link', { name: 'Portefølje' }).click();
    await hasText(bo.locator('h1'), 'Porteføljen');
    const rows = bo.locator('table.portfolio tbody tr');
    await hasText(rows.nth(0), grantId, { contains: true });
    await hasText(rows.nth(0), '1 af 3 udbetalt, 1 tilbageholdt', { contains: true });
    await hasText(rows.nth(1), 'Andel i uddannelse eller job: 32 af 30 borgere (107 %)', { contains: true });
    await hasText(rows.nth(1), '6.000.000,00 kr. 50 % heraf', { contains: true });
    await checkPage(bo, 'portfolio', 'portfolio');
    const download = await bo.context().request.get(`${stack.api.url}/portfolio.csv`);
    expect(download.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await download.text()).split('\r\n')[2]).toContain(';Resultatkontrakt;Afsluttet;');

    // In English the export speaks English, with commas and decimal points.
    await bo.getByRole('link', { name: 'English' }).click();
    await hasText(bo.locator('h1'), 'The portfolio');
    const english = await bo.context().request.get(`${stack.api.url}/portfolio.csv`);
    expect((await english.text()).split('\r\n')[2]).toContain(',Outcome contract,Closed,Homelessness,MSB,Boligsocialt Netværk,');
    await checkPage(bo, 'portfolio-en');

    // A department head finds no portfolio in the menu, and a refusal at its address.
    const lene = await signedIn('Lene Vang');
    expect(await lene.getByRole('link', { name: 'Portefølje' }).count()).toBe(0);
    const refused = await lene.goto(`${stack.api.url}/portfolio`);
    expect(refused?.status()).toBe(403);
  });

  it('answers the results from the read model and the ledger while no worker can be asked', async () => {
    await stack.stopWorker();
    const { body } = await (await stack.as('mayor', { retryUnavailable: false })).get(`/api/proposals/${contractId}`);
    expect(body.live).toBe(false);
    expect(body.results).toMatchObject({ paid: '6000000.00', released: '6000000.00' });
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });

  const signedIn = (name: string) => signInAs(browser, stack.api.url, name, { cspViolations });
});
