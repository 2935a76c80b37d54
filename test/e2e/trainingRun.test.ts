import { resolve } from 'node:path';
import { housingFirst } from '../fixtures/proposals';
import { approveThroughAgreement, completeOpen, councilApproves, measure, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { workflowIdFor } from '../../workflows/input';

/**
 * A training installation (config/settings.training.json) on the real dev server, no
 * time skipping: an outcome-based case through a tender, its bid window and standstill,
 * the contract and its measurement, to Closed. The tender period and the standstill are
 * cut from the file's minutes to seconds here, the way any period in the file can be, so
 * the test stays short; everything else is the file's.
 */
describe('a training run on the dev server', () => {
  const tenderPeriod = 4_000;
  const standstill = 2_000;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('training', { SIF_SETTINGS: resolve(__dirname, '../../config/settings.training.json') }, (config) => {
      config.procurement.minimumTenderMs = tenderPeriod;
      config.procurement.standstill = standstill;
    });
  });
  afterAll(() => stack?.stop());

  it('runs a tendered outcome-based case to Closed in wall-clock seconds', async () => {
    expect(stack.config.deadlines.councilVote).toBe(10 * 60_000);
    const started = Date.now();
    const sara = await stack.as('sara.secretariat');
    const jonas = await stack.as('jonas.secretariat');
    const proposal = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '3500000', requestedFromFund: '3000000' } };
    const id: string = (await sara.post('/api/proposals', proposal)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'Procurement');

    const step = async (who: typeof sara, input: Record<string, unknown>) => {
      const res = await who.post(`/api/proposals/${id}/procurement`, input);
      expect([input.action, res.status, res.body.code]).toEqual([input.action, 200, undefined]);
      return res.body;
    };
    await step(sara, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '3000000', procedure: 'nationalTender' });
    const tooEarly = await sara.post(`/api/proposals/${id}/procurement`, {
      action: 'prepareTender',
      title: 'Træningsudbud',
      description: 'Et udbud på en træningsinstallation',
      awardCriteria: [{ name: 'Kvalitet', weight: 100 }],
      estimatedValue: '3000000',
      deadline: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(tooEarly.body).toMatchObject({ code: 'deadlineTooEarly', params: { minimumMs: tenderPeriod } });
    expect(tooEarly.body.detail).toMatch(/at least 4 seconds after publication/);
    await step(sara, {
      action: 'prepareTender',
      title: 'Træningsudbud',
      description: 'Et udbud på en træningsinstallation',
      awardCriteria: [{ name: 'Kvalitet', weight: 100 }],
      estimatedValue: '3000000',
      // Room for the publication to come after a prepare step on a busy machine: the deadline must lie a tender period after it.
      deadline: new Date(Date.now() + tenderPeriod + 8_000).toISOString(),
    });
    await step(sara, { action: 'publishTender' });
    await step(jonas, { action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', price: '2900000' });
    await eventually(async () => expect((await sara.get(`/api/proposals/${id}`)).body.procurement.tender.closedAt).toBeDefined(), 30_000);
    await step(jonas, { action: 'evaluate', scores: [{ bidId: 'bid-1.1', criterion: 'Kvalitet', score: 8 }] });
    await step(sara, { action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Eneste tilbud' });
    await councilApproves(stack.store, handle, id, 'awardDecision');
    await waitForStage(handle, 'Contracting');

    const contract = (input: Record<string, unknown>) => sara.post(`/api/proposals/${id}/contracting`, input);
    expect(
      (await contract({ action: 'registerInvestorOffer', investor: 'Aarhus Impact A/S', amountCommitted: '2900000', conditions: 'Tilbagebetaling af resultatbetalinger' })).status,
    ).toBe(200);
    expect((await contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Ét investortilbud', rationale: 'Eneste investortilbud' })).status).toBe(200);
    // The offer's terms and the comparison are the secretariat's and the council's; the mayor reads whom it recommended.
    const contractingAs = async (userId: string) => (await (await stack.as(userId)).get(`/api/proposals/${id}`)).body;
    const member = await contractingAs('bo.member');
    expect(member.contracting).toMatchObject({
      offers: [{ investor: 'Aarhus Impact A/S', amountCommitted: '2900000.00' }],
      recommendations: [{ comparison: 'Ét investortilbud' }],
      offersWithheld: false,
    });
    const mayor = await contractingAs('mayor');
    expect(mayor.contracting).toMatchObject({ offers: [], recommendations: [{ offerId: 'offer-1', investor: 'Aarhus Impact A/S' }], offersWithheld: true });
    for (const hidden of ['investortilbud', 'Tilbagebetaling af resultatbetalinger']) expect(JSON.stringify(mayor)).not.toContain(hidden);
    await councilApproves(stack.store, handle, id, 'investorDecision');
    // A start date in the past: its measurement points come due at once, so the contract runs in minutes.
    const proposed = await contract({
      action: 'proposeContract',
      startDate: '2024-01-01',
      measurementMonths: [12],
      rateCard: [{ metric: 'Andel i egen bolig', unit: '%', pricePerUnit: '20000', targetUnits: 75, maxPayment: '1500000' }],
      totalCap: '2900000',
      payee: 'investor',
    });
    expect(proposed.status).toBe(200);
    await completeOpen(stack.store, handle, id, 'contractSigning', { signed: true }, 'secretariat');
    await completeOpen(stack.store, handle, id, 'contractSigning', { signed: true }, 'department');
    await waitForStage(handle, 'Implementation');
    await measure(stack.store, handle, id, 12, { 'Andel i egen bolig': 60 }, '300000');
    await completeOpen(stack.store, handle, id, 'contractFinalReport', { summary: 'Træningen gik igennem', lessonsLearned: 'Alle trin på minutter' }, 'secretariat');
    expect(await handle.result()).toMatchObject({ stage: 'Closed', reason: { code: 'contractEnded' } });
    expect(Date.now() - started).toBeLessThan(2 * 60_000);
  });
});
