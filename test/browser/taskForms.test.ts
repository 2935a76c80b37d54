import type { Browser, Page } from 'playwright-core';
import { workflowIdFor } from '../../workflows/input';
import { stateQuery } from '../../workflows/messages';
import { housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { answerThroughApi, approveThroughAgreement, awardDirectly, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { startStack, type Stack } from '../support/stack';
import { day, dkk, isoDay } from '../support/units';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';

/**
 * The tasks after the council, answered on their pages in a real browser on the
 * whole system: a direct grant from its agreement through two tranches to the final
 * report, and an outcome contract from the chair's confirmation of the investor
 * (read in English) through both signatures and a measurement point already due to
 * the final report. Each page shows what the answer rests on, is checked with
 * axe-core and photographed, and each answer moves the workflow on.
 */
describe('the task forms after the council, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('task-forms'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const signedIn = (name: string, lang: 'da' | 'en' = 'da') => signInAs(browser, stack.api.url, name, { cspViolations, lang });

  /** Opens the open task of a kind held by the user, once the workflow has opened it. */
  async function openTask(page: Page, proposalId: string, kind: string, assignee: string) {
    const task = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId, kind, assignee, status: 'open' }).lean();
      if (!t) throw new Error(`no open ${kind} task for ${assignee} yet`);
      return t;
    });
    await page.goto(`${stack.api.url}/tasks/${encodeURIComponent(task._id)}`);
    return task;
  }

  async function submit(page: Page, button: string, done = 'Tak. Dit svar er registreret.') {
    await page.getByRole('button', { name: button, exact: true }).click();
    await shows(page.getByText(done));
  }

  const stateOf = (proposalId: string) => stack.client.workflow.getHandle(workflowIdFor(proposalId)).query(stateQuery);
  const stageIs = (proposalId: string, stage: string) => eventually(async () => expect((await stateOf(proposalId)).stage).toBe(stage));

  it('takes a direct grant from its agreement through its tranches to the final report', async () => {
    const id: string = (await (await stack.as('sara.secretariat')).post('/api/proposals', youthAnxietyGroups)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'GrantAgreement');
    const sara = await signedIn('Sara Friis');

    await openTask(sara, id, 'grantAgreement', 'sara.secretariat');
    await hasText(sara.locator('h1'), 'Tilsagn om direkte finansiering: Tidlig indsats for unge med angst', { contains: true });
    await hasText(sara.locator('#context-title + dl'), '1.200.000,00 kr.', { contains: true });
    expect(await sara.locator('[name="amount"]').inputValue()).toBe('1200000,00');
    await sara.fill('[name="grantee"]', 'Foreningen Ung i Aarhus');
    await sara.fill('[name="tranches.0.dueDate"]', isoDay(Date.now() - day));
    await sara.fill('[name="tranches.0.amount"]', '700.000');
    await sara.fill('[name="tranches.0.condition"]', 'Forløbene er startet på tre skoler');
    await sara.fill('[name="tranches.1.dueDate"]', isoDay(Date.now()));
    await sara.fill('[name="tranches.1.amount"]', '400.000');
    await sara.fill('[name="tranches.1.condition"]', 'Midtvejsevaluering er modtaget');
    await sara.fill('[name="conditions"]', 'Tilskuddet bruges alene til gruppeforløbene.');
    await sara.getByRole('button', { name: 'Giv tilsagnet' }).click();

    // The tranches do not add up: said at the list of tranches, and linked from the summary.
    await hasText(sara.locator('#f-tranches-error'), 'Raterne skal tilsammen give beløbet');
    await hasAttribute(sara.locator('.error-summary a'), 'href', '#f-tranches');
    await hasText(sara.locator('.error-summary a'), 'Rater: Raterne skal tilsammen give beløbet', { contains: true });
    expect(await sara.locator('[name="tranches.1.condition"]').inputValue()).toBe('Midtvejsevaluering er modtaget');
    await checkPage(sara, 'task-grant-agreement-errors');
    await sara.fill('[name="tranches.1.amount"]', '500.000,00');
    await submit(sara, 'Giv tilsagnet');
    await shows(sara.getByText('tilsagn på 1.200.000,00 kr. til Foreningen Ung i Aarhus i 2 rater'));
    await stageIs(id, 'GrantActive');

    await openTask(sara, id, 'trancheConfirmation', 'sara.secretariat');
    await hasText(sara.locator('#context-title'), 'Rate 1 af 2');
    await hasText(sara.locator('#context-title + dl'), '700.000,00 kr.', { contains: true });
    await shows(sara.getByText('Forløbene er startet på tre skoler').first());
    await checkPage(sara, 'task-tranche');
    await sara.getByRole('textbox', { name: 'Note' }).fill('Besøgt skolerne');
    await submit(sara, 'Bekræft og udbetal raten');

    await openTask(sara, id, 'trancheConfirmation', 'sara.secretariat');
    await hasText(sara.locator('#context-title'), 'Rate 2 af 2');
    await sara.getByRole('textbox', { name: 'Begrundelse' }).fill('Evalueringen er ikke modtaget');
    await submit(sara, 'Tilbagehold raten');
    await shows(sara.getByText('raten tilbageholdt'));

    await openTask(sara, id, 'grantFinalReport', 'sara.secretariat');
    await hasText(sara.locator('table.data tbody'), 'udbetalt', { contains: true });
    await hasText(sara.locator('table.data tbody'), 'tilbageholdt', { contains: true });
    await sara.fill('[name="summary"]', 'Gruppeforløb på tre skoler.');
    await sara.fill('[name="resultsAchieved"]', 'Fraværet faldt fra 18 til 12 dage.');
    await sara.fill('[name="documents"]', 'https://example.dk/slutrapport.pdf');
    await checkPage(sara, 'task-grant-final-report');
    await submit(sara, 'Indsend slutrapporten');
    await stageIs(id, 'Closed');

    const grant = (await stateOf(id)).grant!;
    expect(grant.tranches.map((r) => [r.amountOre, r.status])).toEqual([
      [dkk(700_000), 'paid'],
      [dkk(500_000), 'withheld'],
    ]);
    expect(grant.finalReport).toMatchObject({ by: 'sara.secretariat', documents: ['https://example.dk/slutrapport.pdf'] });
    // The case lists the report's attachment among its documents.
    await sara.goto(`${stack.api.url}/proposals/${id}`);
    await hasAttribute(sara.getByRole('link', { name: 'https://example.dk/slutrapport.pdf' }), 'href', 'https://example.dk/slutrapport.pdf');
  });

  it('takes an outcome contract from the investor through signatures and a measurement point to the final report', async () => {
    const api = await stack.as('sara.secretariat');
    const id: string = (await api.post('/api/proposals', housingFirst)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id); // 30 % of realised savings return to the fund
    await awardDirectly(stack, api, handle, id);
    const step = async (part: 'contracting', input: unknown) => expect((await api.post(`/api/proposals/${id}/${part}`, input)).status).toBe(200);
    await step('contracting', {
      action: 'registerInvestorOffer',
      investor: 'Social Kapital A/S',
      amountCommitted: '12000000',
      expectedReturnBasisPoints: 500,
      conditions: 'Tilbagebetaling af resultatbetalinger',
    });
    await step('contracting', { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Ét tilbud, med fast afkast', rationale: 'Eneste tilbud, og med lavest afkastkrav' });

    // A member of the council reads the recommendation in English and decides on it.
    const anne = await signedIn('Anne Holm', 'en');
    await openTask(anne, id, 'investorDecision', 'anne.chair');
    await hasAttribute(anne.locator('html'), 'lang', 'en');
    await hasText(anne.locator('h1'), "The council's choice of investor: Housing First for unge hjemløse");
    await hasText(anne.locator('#context-title'), "The secretariat's recommendation");
    await hasText(anne.locator('#context-title + dl'), 'DKK 12,000,000.00', { contains: true });
    await hasText(anne.locator('#context-title + dl'), '5.00 %', { contains: true });
    await shows(anne.getByText('Ét tilbud, med fast afkast'));
    await shows(anne.getByText('Eneste tilbud, og med lavest afkastkrav'));
    await checkPage(anne, 'task-investor-en');
    // Returning it needs comments.
    await anne.getByLabel('Return it to the secretariat with comments').check();
    await anne.getByRole('button', { name: 'Cast your vote' }).click();
    await hasText(anne.locator('#f-comments-error'), 'Required');
    await anne.getByLabel('Approve the recommendation').check();
    await submit(anne, 'Cast your vote', 'Thank you. Your answer has been recorded.');
    await shows(anne.getByText('recommendation approved'));
    await answerThroughApi(stack, id, 'investorDecision', { decision: 'approve' });

    const rateCard = [
      { metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '100000', targetUnits: 40, maxPayment: '8000000' },
      { metric: 'Andel i uddannelse eller job', unit: 'borgere', pricePerUnit: '50000', targetUnits: 30, maxPayment: '4000000' },
    ];
    // Started 13 months ago: the 12-month measurement point is due at once.
    const proposeContract = () =>
      eventually(async () =>
        expect(
          (
            await api.post(`/api/proposals/${id}/contracting`, {
              action: 'proposeContract',
              startDate: isoDay(Date.now() - 396 * day),
              measurementMonths: [12],
              rateCard,
              totalCap: '12000000',
              payee: 'investor',
            })
          ).status,
        ).toBe(200),
      );
    await proposeContract();

    const sara = await signedIn('Sara Friis');
    await openTask(sara, id, 'contractSigning', 'sara.secretariat');
    await hasText(sara.locator('#context-title + dl'), 'Boligsocialt Netværk', { contains: true });
    await hasText(sara.locator('#context-title + dl'), '12.000.000,00 kr.', { contains: true });
    await hasText(sara.locator('table.data tbody'), 'Andel i uddannelse eller job', { contains: true });
    await sara.getByRole('button', { name: 'Underskriv kontrakten' }).click();
    await hasText(sara.locator('#f-signed-error'), 'Sæt kryds for at underskrive kontrakten');
    await hasAttribute(sara.locator('#f-signed'), 'aria-invalid', 'true');
    await checkPage(sara, 'task-contract-signing-errors');
    await sara.getByLabel('Jeg underskriver kontrakten på de viste vilkår').check();
    await submit(sara, 'Underskriv kontrakten');

    // The department declines the contract, saying why: it goes back to the secretariat, Sara's signature with it.
    const lene = await signedIn('Lene Vang');
    await openTask(lene, id, 'contractSigning', 'msb.head');
    await hasText(lene.locator('#context-title'), 'Kontraktens vilkår');
    await shows(lene.getByText('Underskrevet af: Sara Friis'));
    await checkPage(lene, 'task-contract-signing');
    await lene.getByRole('button', { name: 'Afvis kontrakten' }).click();
    await hasText(lene.locator('#f-reason-error'), 'Angiv en begrundelse');
    const why = 'Målepunktet ligger før forvaltningens egen opgørelse';
    await lene.getByLabel('Hvorfor du ikke underskriver').fill(why);
    await submit(lene, 'Afvis kontrakten');
    await shows(lene.getByText('kontrakten afvist'));
    // Whoever proposed it is mailed the reason.
    const mail = await eventually(async () => {
      const entry = await stack.store.outbox.findOne({ proposalId: id, event: 'contractDeclined' }).lean();
      expect(entry).toMatchObject({ userId: 'sara.secretariat' });
      return entry!;
    });
    expect(mail.body).toContain(why);
    await sara.goto(`${stack.api.url}/proposals/${id}/procurement`);
    await hasText(sara.locator('#declines-title + ul'), `Afvist af Lene Vang`, { contains: true });
    await hasText(sara.locator('#declines-title + ul'), why, { contains: true });

    // The next contract is signed by both.
    await proposeContract();
    // Through the API too, a decline must say why.
    const saraTask = await openTask(sara, id, 'contractSigning', 'sara.secretariat');
    const unexplained = await api.post(`/api/tasks/${encodeURIComponent(saraTask._id)}/complete`, { signed: false });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    for (const [page, assignee] of [
      [sara, 'sara.secretariat'],
      [lene, 'msb.head'],
    ] as const) {
      await openTask(page, id, 'contractSigning', assignee);
      await page.getByLabel('Jeg underskriver kontrakten på de viste vilkår').check();
      await submit(page, 'Underskriv kontrakten');
    }
    await stageIs(id, 'Implementation');

    await openTask(sara, id, 'outcomeReport', 'sara.secretariat');
    await hasText(sara.locator('#context-title'), 'Målepunktet efter 12 måneder');
    await hasText(sara.locator('.task-answer fieldset legend').first(), 'Andel i egen bolig');
    await sara.getByRole('textbox', { name: 'Opnåede enheder (borgere)' }).first().fill('30');
    await sara.fill('[name="results.0.evidence"]', 'Registerdata fra boligsocialt team');
    await sara.fill('[name="results.1.unitsAchieved"]', '12');
    await sara.fill('[name="results.1.evidence"]', 'Jobcentrets registreringer');
    await checkPage(sara, 'task-outcome-report');
    await submit(sara, 'Indsend effektdata');

    // The department sees what was reported, and corrects one figure.
    await openTask(lene, id, 'outcomeVerification', 'msb.head');
    await hasText(lene.locator('table.data').first(), 'Jobcentrets registreringer', { contains: true });
    expect(await lene.locator('[name="corrected.1.units"]').inputValue()).toBe('12');
    await checkPage(lene, 'task-outcome-verification');
    await lene.fill('[name="corrected.1.units"]', '10');
    await lene.fill('[name="correctionNote"]', 'To borgere var i job før forløbet');
    await submit(lene, 'Ret tallene');
    await shows(lene.getByText('tallene rettet: Andel i egen bolig 30; Andel i uddannelse eller job 10'));

    await openTask(lene, id, 'savingsConfirmation', 'msb.head');
    await hasText(lene.locator('#context-title + dl'), '30,00 % af de realiserede besparelser', { contains: true });
    await checkPage(lene, 'task-savings');
    await lene.fill('[name="realisedSavings"]', '2.000.000');
    await submit(lene, 'Bekræft besparelserne');

    await openTask(sara, id, 'contractFinalReport', 'sara.secretariat');
    await hasText(sara.locator('#results-title + dl'), 'Udbetalt 3.500.000,00 kr.', { contains: true });
    await shows(sara.getByText('realiserede besparelser: 2.000.000,00 kr.'));
    await sara.fill('[name="summary"]', 'Borgerne kom i egen bolig.');
    await sara.fill('[name="lessonsLearned"]', 'Registerdata kom sent; aftal leverance tidligere.');
    await checkPage(sara, 'task-contract-final-report');
    await submit(sara, 'Indsend slutrapporten');
    await stageIs(id, 'Closed');

    const done = await stateOf(id);
    expect(done.implementation!.measurements).toEqual([
      expect.objectContaining({
        months: 12,
        units: { 'Andel i egen bolig': 30, 'Andel i uddannelse eller job': 10 },
        corrected: true,
        paymentOre: dkk(3_500_000),
        realisedSavingsOre: dkk(2_000_000),
        returnedOre: dkk(600_000),
      }),
    ]);
    expect(done.implementation!.finalReport).toMatchObject({ by: 'sara.secretariat', lessonsLearned: 'Registerdata kom sent; aftal leverance tidligere.' });
    await recordHistory(stack.client.workflow.getHandle(workflowIdFor(id)), 'outcome-contract-declined-then-signed');
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
