import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { workflowIdFor } from '../../workflows/input';
import { housingFirst, type2Diabetes } from '../fixtures/proposals';
import { answerThroughApi, approveThroughAgreement, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { startTimeSkippingServer } from '../support/timeSkipping';
import { day, isoDay } from '../support/units';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';

/**
 * Procurement and contracting as the secretariat does them in a real browser: the
 * whole system runs on Temporal's time-skipping server, so the bid window and the
 * standstill, durable timers of weeks, pass in seconds. Sara decides the procedure
 * (a choice against the thresholds is refused in plain words), prepares and
 * publishes the tender and registers two bids; once the window has closed she
 * scores them (a score out of range is refused at its field), and the recommendation
 * waits for a second evaluator; Jonas, reading in English, scores too and recommends
 * the first-ranked bid to the council; Bo decides on it from his task page (the bids,
 * the ranking, the recommendation), the council approves it and the standstill begins;
 * after it Sara registers an investor offer and recommends it, and once the council
 * has approved it, proposes the outcome contract.
 */
describe('the procurement page, in Chromium', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  let proposalId = '';
  let sara: Page;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    [stack, browser] = await Promise.all([startStack('procurement-pages', { TEMPORAL_ADDRESS: env.address }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await env?.teardown();
  });

  const pageUrl = () => `${stack.api.url}/proposals/${proposalId}/procurement`;
  const api = async () => (await (await stack.as('sara.secretariat')).get(`/api/proposals/${proposalId}`)).body;

  const signedIn = (name: string, lang: 'da' | 'en' = 'da') => signInAs(browser, stack.api.url, name, { cspViolations, lang });

  /** Types into each named field, as a person fills in a form. */
  async function fillIn(page: Page, fields: Record<string, string>) {
    for (const [name, value] of Object.entries(fields)) await page.fill(`[name="${name}"]`, value);
  }

  /** One evaluator's scores, bid by bid and criterion by criterion, as the form's fields. */
  const scoreFields = (given: string[]) => Object.fromEntries(given.map((score, n) => [`evaluate.scores.${n}`, score]));

  /** Skips the server's clock ahead and waits until the workflow has acted on it. */
  async function skip(ms: number, until: (body: Awaited<ReturnType<typeof api>>) => boolean) {
    await env.sleep(ms);
    await eventually(async () => expect(until(await api())).toBe(true));
  }

  it('takes an approved outcome-based proposal to Procurement through the API', async () => {
    const res = await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst);
    proposalId = res.body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(proposalId));
    await approveThroughAgreement(stack.store, handle, proposalId);
    await waitForStage(handle, 'Procurement');
  });

  it('lets the secretariat decide the procedure, prepare and publish the tender, and register bids', async () => {
    sara = await signedIn('Sara Friis');
    await sara.goto(`${stack.api.url}/proposals/${proposalId}`);
    await sara.getByRole('link', { name: 'Udbud og kontrakt' }).click();
    await hasText(sara.locator('h1'), `Udbud og kontrakt: ${housingFirst.title}`);
    // The thresholds propose an EU tender for 23 million; the form starts there.
    await hasAttribute(sara.locator('[name="decideProcedure.estimatedValue"]'), 'value', '23000000,00');
    expect(await sara.getByRole('radio', { name: 'EU-udbud' }).isChecked()).toBe(true);
    await checkPage(sara, 'procurement-procedure');

    // Another procedure without a rationale: the workflow refuses, in plain words.
    await sara.getByRole('radio', { name: 'Nationalt annonceret udbud' }).check();
    await sara.getByRole('button', { name: 'Vælg udbudsformen' }).click();
    await hasText(
      sara.locator('.notice-error'),
      'Udbudsformen vurderes på 23.000.000,00 kr., det største af det anslåede og det godkendte beløb, og tærskelværdierne foreslår EU-udbud. Vælger du Nationalt annonceret udbud, skal du begrunde det.',
    );
    await sara.getByRole('radio', { name: 'EU-udbud' }).check();
    await sara.getByRole('button', { name: 'Vælg udbudsformen' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));

    await fillIn(sara, {
      'prepareTender.description': 'Bostøtte efter ICM-metoden til 120 unge over fire år.',
      'prepareTender.deadline': `${isoDay(Date.now() + 40 * day)}T12:00`,
      'prepareTender.awardCriteria.0.name': 'Pris',
      'prepareTender.awardCriteria.0.weight': '30',
      'prepareTender.awardCriteria.1.name': 'Kvalitet',
      'prepareTender.awardCriteria.1.weight': '50',
      'prepareTender.awardCriteria.2.name': 'Erfaring',
      'prepareTender.awardCriteria.2.weight': '20',
      'prepareTender.documents.0.title': 'Udbudsbetingelser',
      'prepareTender.documents.0.url': 'https://udbud.example.dk/hf/betingelser.pdf',
    });
    await sara.getByRole('button', { name: 'Gem udbuddet' }).click();
    await shows(sara.getByRole('table', { name: 'Tildelingskriterier og vægte' }));
    await checkPage(sara, 'procurement-tender');
    await sara.getByRole('button', { name: 'Offentliggør udbuddet' }).click();
    await shows(sara.getByText(/Tilbudsperioden løber til/));

    const bids: [string, string][] = [
      ['Fonden Ny Start', '22.800.000'],
      ['Boligsocialt Netværk', '21.500.000,50'],
    ];
    for (const [n, [bidder, price]] of bids.entries()) {
      await sara.fill('[name="registerBid.bidder"]', bidder);
      await sara.fill('[name="registerBid.price"]', price);
      if (bidder === 'Fonden Ny Start') {
        await sara.fill('[name="registerBid.outcomePrices.0.metric"]', 'Andel i egen bolig');
        await sara.fill('[name="registerBid.outcomePrices.0.pricePerUnit"]', '95.000');
      } else {
        // A CVR number mistyped is named at its field, and the bid waits for it.
        await sara.fill('[name="registerBid.cvr"]', '3725 123');
        await sara.getByRole('button', { name: 'Registrér tilbuddet' }).click();
        await hasText(sara.locator('#f-registerBid-cvr-error'), 'Et CVR-nummer er otte cifre, fx "55133018"', { contains: true });
        await hasAttribute(sara.locator('#f-registerBid-cvr'), 'value', '3725 123');
        await shows(sara.getByRole('table', { name: `Modtagne tilbud, forseglede (${n})` }));
        await sara.fill('[name="registerBid.cvr"]', '3725 1234');
      }
      await sara.getByRole('button', { name: 'Registrér tilbuddet' }).click();
      // Sealed until the deadline: the secretariat sees that a bid came and when, not who or at what price.
      await shows(sara.getByRole('table', { name: `Modtagne tilbud, forseglede (${n + 1})` }));
    }
    expect(await sara.getByText(bids[1][0]).count()).toBe(0);
    await checkPage(sara, 'procurement-bids');
    // No scoring while the window is open.
    expect(await sara.getByRole('button', { name: 'Gem pointene' }).count()).toBe(0);
  });

  it('takes scores after the bid window closes, with errors at the field, and holds the award for a second evaluator', async () => {
    await skip(41 * day, (p) => !!p.procurement.tender.closedAt);
    await sara.goto(pageUrl());
    await hasText(sara.getByRole('table', { name: 'Modtagne tilbud (2)' }), '21.500.000,50 kr.', { contains: true });
    await hasText(sara.getByRole('table', { name: 'Modtagne tilbud (2)' }), 'Boligsocialt Netværk, CVR 37251234', { contains: true });
    expect((await api()).procurement.bids).toMatchObject([{ bidder: 'Fonden Ny Start' }, { bidder: 'Boligsocialt Netværk', cvr: '37251234' }]);
    expect((await api()).procurement.bids[0].cvr).toBeUndefined();
    // Rows are bids, columns Pris, Kvalitet, Erfaring: the n-th cell is bid n ÷ 3, criterion n mod 3.
    const saraScores = ['7', '11', '8', '9', '6', '7'];
    await fillIn(sara, scoreFields(saraScores));
    await sara.getByRole('button', { name: 'Gem pointene' }).click();
    await shows(sara.locator('.error-summary'));
    await hasText(sara.locator('.error-summary'), 'Point til Fonden Ny Start for Kvalitet: Højst 10', { contains: true });
    await hasText(sara.locator('#f-evaluate-scores-1-error'), 'Højst 10');
    await hasAttribute(sara.locator('#f-evaluate-scores-1'), 'aria-invalid', 'true');
    // What was typed stays.
    await hasAttribute(sara.locator('#f-evaluate-scores-0'), 'value', '7');
    await checkPage(sara, 'procurement-scores-error');

    await sara.fill('[name="evaluate.scores.1"]', '9');
    await sara.getByRole('button', { name: 'Gem pointene' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    await shows(sara.getByText(/Sara Friis forberedte udbuddet og må ikke være den eneste/));
    expect(await sara.getByRole('button', { name: 'Send indstillingen til rådet' }).count()).toBe(0);
    await hasText(sara.getByRole('table', { name: 'Rangering efter pointene indtil nu' }).getByRole('row').nth(1), /^1 Fonden Ny Start 7 9 8 820,00$/);
    await checkPage(sara, 'procurement-four-eyes');
  });

  it('lets a second evaluator, reading in English, score and recommend the award to the council', async () => {
    const jonas = await signedIn('Jonas Krogh');
    await jonas.getByRole('link', { name: 'English' }).click();
    await jonas.goto(pageUrl());
    await hasText(jonas.locator('h1'), `Procurement and contract: ${housingFirst.title}`);
    const jonasScores = ['8', '8', '8', '9', '7', '6'];
    await fillIn(jonas, scoreFields(jonasScores));
    await jonas.getByRole('button', { name: 'Save the scores' }).click();
    await shows(jonas.getByText('The step has been recorded.'));
    // The mean of both evaluators per criterion, times its weight: 30 × 7.5 + 50 × 8.5 + 20 × 8.
    await hasText(jonas.getByRole('table', { name: 'Ranking by the scores so far' }).getByRole('row').nth(1), /^1 Fonden Ny Start 7.5 8.5 8 810.00$/);
    expect(await jonas.getByRole('radio', { name: /^1\. Fonden Ny Start/ }).isChecked()).toBe(true);
    await jonas.fill('[name="recommendAward.reasons"]', 'Bedste kvalitet og erfaring med ICM; prisen ligger inden for budgettet.');
    await checkPage(jonas, 'procurement-award-en');
    await jonas.getByRole('button', { name: 'Send the recommendation to the council' }).click();
    await shows(jonas.getByText("The council decides on the secretariat's recommendation."));
    await shows(jonas.getByRole('table', { name: 'Recommendations to the council' }).getByText('With the council'));
    const body = await api();
    expect(body.procurement.award).toBeUndefined();
    expect(body.procurement.recommendations).toMatchObject([{ number: 1, bidId: 'bid-1.1', supplier: 'Fonden Ny Start', price: '22800000.00', by: 'jonas.secretariat' }]);
  });

  it("lets a council member decide on the recommendation from the task page, beside the bids and the ranking, and the award follows the council's approval", async () => {
    const bo = await signedIn('Bo Lind');
    const task = await eventually(async () => (await stack.store.tasks.findOne({ proposalId, kind: 'awardDecision', assignee: 'bo.member', status: 'open' }).lean())!);
    await bo.goto(`${stack.api.url}/tasks/${encodeURIComponent(task._id)}`);
    await hasText(bo.locator('h1'), `Rådets valg af serviceleverandør: ${housingFirst.title}`);
    await hasText(bo.locator('#context-title'), 'Sekretariatets indstilling');
    await hasText(bo.locator('#context-title + dl'), 'Fonden Ny Start', { contains: true });
    await hasText(bo.locator('#context-title + dl'), '22.800.000,00 kr.', { contains: true });
    await shows(bo.getByText('Bedste kvalitet og erfaring med ICM; prisen ligger inden for budgettet.'));
    await hasText(bo.getByRole('table', { name: 'Modtagne tilbud (2)' }), '21.500.000,50 kr.', { contains: true });
    // The ranking's totals go with the recommendation; the evaluators' scores stay the secretariat's until the award.
    await hasText(bo.getByRole('table', { name: 'Rangeringen ved tildelingen' }).getByRole('row').nth(1), /^1 Fonden Ny Start 810,00$/);
    await shows(bo.getByText('Bedømmernes point vises, når kontrakten er tildelt.'));
    // Returning it needs comments, said at the field.
    await bo.getByLabel('Send den tilbage til sekretariatet med bemærkninger').check();
    await bo.getByRole('button', { name: 'Afgiv din stemme' }).click();
    await hasText(bo.locator('#f-comments-error'), 'Skal udfyldes');
    await hasText(bo.locator('.error-summary a'), 'Bemærkninger: Skal udfyldes');
    await checkPage(bo, 'task-award-decision');
    await bo.getByLabel('Godkend indstillingen').check();
    await bo.getByRole('button', { name: 'Afgiv din stemme' }).click();
    await shows(bo.getByText('Tak. Dit svar er registreret.'));
    await shows(bo.getByText('indstillingen godkendt'));
    expect((await api()).procurement.award).toBeUndefined();

    const anne = await eventually(async () => (await stack.store.tasks.findOne({ proposalId, kind: 'awardDecision', assignee: 'anne.chair', status: 'open' }).lean())!);
    expect((await (await stack.as('anne.chair')).post(`/api/tasks/${encodeURIComponent(anne._id)}/complete`, { decision: 'approve' })).status).toBe(200);
    await eventually(async () =>
      expect((await api()).procurement.award).toMatchObject({ supplier: 'Fonden Ny Start', price: '22800000.00', by: 'jonas.secretariat', stands: false }),
    );
    await sara.goto(pageUrl());
    await shows(sara.getByText(/I standstill-perioden til/));
    await shows(sara.getByRole('table', { name: 'Indstillinger til rådet' }).getByText('Godkendt'));
  });

  it('holds the award while a complaint is open, and lets it stand once the complaint is dismissed', async () => {
    await sara.goto(pageUrl());
    await fillIn(sara, { 'recordComplaint.complainant': 'Boligsocialt Netværk', 'recordComplaint.summary': 'Kvalitetspointene er ikke begrundet.' });
    await sara.getByRole('button', { name: 'Registrér klagen' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    expect((await api()).procurement.complaints).toMatchObject([{ number: 1, complainant: 'Boligsocialt Netværk' }]);

    // No outcome chosen: the form says so at the choice, and nothing is decided.
    await sara.fill('[name="resolveComplaint.note"]', 'Pointene er begrundet i evalueringsnotatet.');
    await sara.getByRole('button', { name: 'Afgør klagen' }).click();
    await shows(sara.locator('#f-resolveComplaint-upheld-error'));
    await hasText(sara.locator('.error-summary a'), /^Udfald: /);
    await checkPage(sara, 'procurement-complaint-errors');
    expect((await api()).procurement.complaints[0].resolution).toBeUndefined();

    await sara.getByLabel('Klagen afvises; tildelingen står ved magt').check();
    await sara.getByRole('button', { name: 'Afgør klagen' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    expect((await api()).procurement.complaints[0].resolution).toMatchObject({ upheld: false, by: 'sara.secretariat' });
    expect((await api()).procurement.award).toMatchObject({ supplier: 'Fonden Ny Start' });
  });

  it('moves on to contracting after the standstill, where the secretariat registers an investor offer and recommends it to the council', async () => {
    await skip(11 * day, (p) => p.stage === 'Contracting');
    await sara.goto(pageUrl());
    await shows(sara.getByText('Tildelingen står fast'));
    await fillIn(sara, {
      'registerInvestorOffer.investor': 'Aarhus Social Impact Fund',
      'registerInvestorOffer.cvr': '41234567',
      'registerInvestorOffer.amountCommitted': '23.000.000',
      'registerInvestorOffer.expectedReturn': '6,5',
      'registerInvestorOffer.conditions': 'Tilbagebetaling af resultatbetalinger med afkast.',
    });
    await sara.getByRole('button', { name: 'Registrér tilbuddet' }).click();
    await hasText(sara.getByRole('table', { name: 'Investortilbud (1)' }), '6,50 %', { contains: true });
    await hasText(sara.getByRole('table', { name: 'Investortilbud (1)' }), 'Aarhus Social Impact Fund, CVR 41234567', { contains: true });
    await checkPage(sara, 'contracting-offer');

    expect(await sara.getByRole('radio', { name: /Aarhus Social Impact Fund/ }).isChecked()).toBe(true);
    await sara.fill('[name="recommendInvestor.comparison"]', 'Ét tilbud: 23 mio. kr. til 6,5 % afkast.');
    await sara.fill('[name="recommendInvestor.rationale"]', 'Eneste tilbud, og det dækker hele loftet.');
    await sara.getByRole('button', { name: 'Send indstillingen til rådet' }).click();
    await shows(sara.getByText('Rådet tager stilling til sekretariatets indstilling af investor.'));
    await shows(sara.getByRole('table', { name: 'Indstillinger til rådet' }).getByText('Hos rådet'));
    await checkPage(sara, 'contracting-selected');

    const body = await api();
    expect(body.stage).toBe('Contracting');
    expect(body.contracting).toMatchObject({
      offers: [{ id: 'offer-1', cvr: '41234567', expectedReturnBasisPoints: 650, amountCommitted: '23000000.00' }],
      recommendations: [{ number: 1, offerId: 'offer-1', by: 'sara.secretariat' }],
    });
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId, kind: 'investorDecision', status: 'open' })).toBe(3));

    // The case's timeline tells each step by name, who took it and when.
    await sara.goto(`${stack.api.url}/proposals/${proposalId}`);
    const timeline = sara.locator('table.timeline');
    for (const step of [
      'Udbudsform fastlagt',
      'Udbuddet offentliggjort',
      'Tilbudsfristen udløb',
      'Leverandør indstillet til rådet',
      'Kontrakten tildelt efter rådets godkendelse',
      'Investor indstillet til rådet',
    ]) {
      await shows(timeline.getByRole('cell', { name: step, exact: true }));
    }
    await hasText(timeline.getByRole('row', { name: /Leverandør indstillet til rådet/ }), 'Jonas Krogh', { contains: true });
    // A step the council took as a body names it in words, not by the workflow's code.
    await hasText(
      timeline
        .getByRole('row', { name: /Kontrakten tildelt efter rådets godkendelse/ })
        .getByRole('cell')
        .nth(1),
      'Rådet',
    );
    await shows(timeline.getByRole('cell', { name: 'Rådets beslutning om indstillingen: rådet godkendte indstillingen af serviceleverandør', exact: true }));
    await hasAttribute(sara.getByRole('link', { name: 'Udbudsbetingelser' }), 'href', 'https://udbud.example.dk/hf/betingelser.pdf');
  });

  it('takes the outcome contract once the council has approved the investor', async () => {
    for (let i = 0; i < 2; i++) await answerThroughApi(stack, proposalId, 'investorDecision', { decision: 'approve' });
    await eventually(async () => expect((await api()).contracting.recommendations[0].council.result).toBe('approved'));

    await sara.goto(pageUrl());
    await hasAttribute(sara.locator('[name="proposeContract.totalCap"]'), 'value', '22800000,00');
    await fillIn(sara, {
      'proposeContract.startDate': '2027-02-01',
      'proposeContract.measurementMonths': '24, 12',
      'proposeContract.rateCard.0.metric': 'Antal samtaler',
      'proposeContract.rateCard.0.unit': 'borger',
      'proposeContract.rateCard.0.pricePerUnit': '95.000',
      'proposeContract.rateCard.0.targetUnits': '90',
      'proposeContract.rateCard.0.maxPayment': '8.550.000',
    });
    await sara.getByRole('button', { name: 'Foreslå kontrakten' }).click();
    await hasText(sara.locator('#f-proposeContract-measurementMonths-error'), 'Måneder efter start, stigende og hver kun én gang');

    await sara.fill('[name="proposeContract.measurementMonths"]', '12, 24, 36');
    await sara.getByRole('button', { name: 'Foreslå kontrakten' }).click();
    // The rate card pays for the outcomes the council approved, which the error names.
    await hasText(sara.locator('#f-proposeContract-rateCard-0-metric-error'), 'Skal være et af de effektmål, rådet godkendte: Andel i egen bolig; Andel i uddannelse eller job');
    await sara.fill('[name="proposeContract.rateCard.0.metric"]', 'Andel i egen bolig');
    await sara.getByRole('button', { name: 'Foreslå kontrakten' }).click();
    await shows(sara.getByText('Kontrakten afventer underskrifter fra sekretariatet og magistratsafdelingen.'));
    await shows(sara.getByRole('table', { name: 'Takstblad: betaling pr. opnået enhed' }));
    await checkPage(sara, 'contracting-contract');
    expect((await api()).contracting.contract).toMatchObject({
      provider: 'Fonden Ny Start',
      investor: 'Aarhus Social Impact Fund',
      measurementMonths: [12, 24, 36],
      totalCap: '22800000.00',
    });
  });

  /** Another outcome-based proposal, approved and waiting in Procurement, with Sara on its page. */
  async function diabetesInProcurement(): Promise<string> {
    const id: string = (await (await stack.as('sara.secretariat')).post('/api/proposals', type2Diabetes)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'Procurement');
    await sara.goto(`${stack.api.url}/proposals/${id}/procurement`);
    return id;
  }
  const stateOf = async (id: string) => (await (await stack.as('sara.secretariat')).get(`/api/proposals/${id}`)).body;

  it('ends a round to tender again, and cancels a tender with a reason', async () => {
    const id = await diabetesInProcurement();
    await sara.getByRole('radio', { name: 'Nationalt annonceret udbud' }).check();
    await sara.fill('[name="decideProcedure.rationale"]', 'Kun danske klinikker kan levere forløbene.');
    await sara.getByRole('button', { name: 'Vælg udbudsformen' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));

    await sara.locator('summary', { hasText: 'Udbyd igen' }).click();
    await sara.fill('[name="retender.reason"]', 'Udbudsmaterialet skal skrives om.');
    await sara.getByRole('button', { name: 'Udbyd igen', exact: true }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    expect((await stateOf(id)).procurement).toMatchObject({
      round: 2,
      earlierRounds: [{ round: 1, outcome: 'retendered', reason: 'Udbudsmaterialet skal skrives om.', by: 'sara.secretariat' }],
    });

    // Cancelling needs a reason; with one, the case closes without a contract.
    await sara.locator('summary', { hasText: 'Annullér udbuddet' }).click();
    await sara.getByRole('button', { name: 'Annullér udbuddet', exact: true }).click();
    await shows(sara.locator('#f-cancelTender-reason-error'));
    await checkPage(sara, 'procurement-cancel-errors');
    await sara.fill('[name="cancelTender.reason"]', 'Regionen tilbyder forløbene selv fra næste år.');
    await sara.getByRole('button', { name: 'Annullér udbuddet', exact: true }).click();
    await eventually(async () => expect((await stateOf(id)).stage).toBe('Cancelled'));
  });

  it('recommends a direct award to the council when the procedure is a direct award', async () => {
    const id = await diabetesInProcurement();
    await sara.getByRole('radio', { name: 'Direkte tildeling' }).check();
    await sara.fill('[name="decideProcedure.rationale"]', 'Kun én klinik i kommunen har godkendelse til forløbene.');
    await sara.getByRole('button', { name: 'Vælg udbudsformen' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    await sara.fill('[name="recommendDirectAward.supplier"]', 'Steno Diabetes Center Aarhus');
    await sara.fill('[name="recommendDirectAward.cvr"]', '30060946');
    await sara.fill('[name="recommendDirectAward.price"]', '12.900.000,00');
    await sara.fill('[name="recommendDirectAward.reasons"]', 'Forløbene er afprøvet i regionen.');
    await sara.fill('[name="recommendDirectAward.rationale"]', 'Eneste godkendte leverandør.');
    await checkPage(sara, 'procurement-direct-award');
    await sara.getByRole('button', { name: 'Send indstillingen til rådet' }).click();
    await shows(sara.getByText('Skridtet er registreret.'));
    expect((await stateOf(id)).procurement.recommendations).toMatchObject([
      { supplier: 'Steno Diabetes Center Aarhus', cvr: '30060946', price: '12900000.00', by: 'sara.secretariat' },
    ]);
    for (let i = 0; i < 2; i++) await answerThroughApi(stack, id, 'awardDecision', { decision: 'approve' });
    await eventually(async () => expect((await stateOf(id)).procurement.award).toMatchObject({ supplier: 'Steno Diabetes Center Aarhus', cvr: '30060946', stands: true }));
    await sara.goto(`${stack.api.url}/proposals/${id}/procurement`);
    await hasText(sara.locator('#award-title + dl'), 'Steno Diabetes Center Aarhus, CVR 30060946', { contains: true });
    // In the procurement data the supplier is named by its CVR number.
    const ocds = await eventually(async () => {
      const res = await (await stack.as('sara.secretariat')).get(`/api/proposals/${id}/ocds`);
      expect(res.status).toBe(200); // a 503 while the workflow is busy is asked again
      return res.body;
    });
    expect(ocds.releases[0].awards).toMatchObject([{ suppliers: [{ id: 'DK-CVR-30060946', name: 'Steno Diabetes Center Aarhus' }] }]);
  });

  it('shows the council a read-only view, and nobody else', async () => {
    const bo = await signedIn('Bo Lind');
    await bo.goto(pageUrl());
    await shows(bo.getByRole('heading', { name: 'Investortilbud' }));
    expect(await bo.getByRole('heading', { name: 'Næste skridt' }).count()).toBe(0);
    const lene = await signedIn('Lene Vang');
    const res = await lene.goto(pageUrl());
    expect(res!.status()).toBe(403);
    // With her session's own token, so that it is the role that is refused, not the form.
    const csrf = (await lene.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    const post = await lene.request.post(pageUrl(), { form: { _csrf: csrf, step: 'recommendInvestor', 'recommendInvestor.offerId': 'offer-1' }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    expect(await post.text()).toContain('Kun sekretariatet kan gøre dette.');
    expect(cspViolations).toEqual([]);
  });
});
