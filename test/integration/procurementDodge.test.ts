import { housingFirst } from '../fixtures/proposals';
import { answerThroughApi, approveThroughAgreement, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { expectValidOcds } from '../support/ocds';
import { startStack, type Stack } from '../support/stack';
import type { ProposalInput } from '../../domain/proposal';
import { workflowIdFor } from '../../workflows/input';

/**
 * Issue 18.3 on the real dev server and FerretDB: an approved proposal of 6,000,000 DKK
 * cannot be brought under the thresholds by typing a low estimate, and an award above
 * what the procedure covers needs the procedure's written rationale and the council's
 * approval of the recommendation (issue 18.2).
 */
describe('a procurement that cannot be dodged', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('procurement-dodge');
  });
  afterAll(() => stack?.stop());

  const asking = (requested: string): ProposalInput => ({
    ...housingFirst,
    title: `Housing First, ${requested} kr.`,
    businessCase: { ...housingFirst.businessCase!, totalCost: '7000000', requestedFromFund: requested },
  });

  async function inProcurement(proposal: ProposalInput) {
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', proposal)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'Procurement');
    return { id, step: (input: unknown) => sara.post(`/api/proposals/${id}/procurement`, input), read: () => sara.get(`/api/proposals/${id}`) };
  }

  it("judges the procedure on the approved 6,000,000 DKK, not the 1,000,000 typed, refuses the direct award without a rationale, and lets it stand only on the council's approval", async () => {
    const { id, step, read } = await inProcurement(asking('6000000'));
    const dodge = await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1000000', procedure: 'directAward' });
    expect(dodge.status).toBe(409);
    expect(dodge.body).toMatchObject({ code: 'needsRationale', params: { proposed: 'euTender', chosen: 'directAward', valueOre: 6_000_000_00 } });
    const award = await step({ action: 'recommendDirectAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', reasons: 'ICM-team', rationale: 'Eneste leverandør' });
    expect(award.status).toBe(409);
    expect(award.body.code).toBe('notDirectAward');
    expect((await read()).body.procurement.procedure).toBeUndefined();

    // With a written rationale it proceeds, and the judged value and the rationale are on record.
    const rationale = 'Eneste udbyder med godkendt ICM-team; et udbud ville forsinke indsatsen et år.';
    const decided = await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1000000', procedure: 'directAward', rationale });
    expect(decided.status).toBe(200);
    expect(decided.body.procurement).toMatchObject({
      estimatedValue: '1000000.00',
      approved: '6000000.00',
      judgedValue: '6000000.00',
      proposedProcedure: 'euTender',
      procedure: 'directAward',
      rationale,
    });
    const recommend = () =>
      step({ action: 'recommendDirectAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', reasons: 'Godkendt ICM-team', rationale: 'Eneste leverandør' });
    expect((await recommend()).status).toBe(200);

    // The rationale alone does not make the award: without the council's decision there is none, and no contracting.
    const sara = await stack.as('sara.secretariat');
    const early = await sara.post(`/api/proposals/${id}/contracting`, { action: 'registerInvestorOffer', investor: 'X A/S', amountCommitted: '1', conditions: 'Y' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'wrongStage', params: { stage: 'Procurement', expected: 'Contracting' } });
    expect((await read()).body.procurement.award).toBeUndefined();
    expect((await recommend()).body.code).toBe('recommendationWithCouncil');
    // Two members return it; the secretariat recommends again, and two approve.
    await answerThroughApi(stack, id, 'awardDecision', { decision: 'return', comments: 'Begrund afvigelsen fra EU-udbud nærmere' });
    await answerThroughApi(stack, id, 'awardDecision', { decision: 'return', comments: 'Enig' });
    await eventually(async () => expect((await read()).body.procurement.recommendations[0].council.result).toBe('returned'));
    expect((await read()).body.procurement.award).toBeUndefined();
    expect((await recommend()).status).toBe(200);
    await answerThroughApi(stack, id, 'awardDecision', { decision: 'approve' });
    await answerThroughApi(stack, id, 'awardDecision', { decision: 'approve' });
    await waitForStage(stack.client.workflow.getHandle(workflowIdFor(id)), 'Contracting');

    const timeline: { type: string; details: Record<string, unknown> }[] = (await read()).body.timeline;
    expect(timeline.find((e) => e.type === 'procurement.decideProcedure')!.details).toMatchObject({
      judgedValueOre: 6_000_000_00,
      approvedOre: 6_000_000_00,
      proposedProcedure: 'euTender',
    });
    expect(timeline.filter((e) => e.type === 'procurement.recommendDirectAward').map((e) => e.details)).toEqual([
      expect.objectContaining({ recommendation: 1, aboveProcedure: { ceilingOre: 1_644_638_00, rationale } }),
      expect.objectContaining({ recommendation: 2, aboveProcedure: { ceilingOre: 1_644_638_00, rationale } }),
    ]);
    expect(timeline.filter((e) => e.type === 'procurement.councilDecision').map((e) => e.details.result)).toEqual(['returned', 'approved']);
    // The award past the procedure's ceiling stands on the rationale and the council's approval of recommendation 2.
    expect(timeline.find((e) => e.type === 'procurement.directAward')!.details).toMatchObject({ recommendation: 2, aboveProcedure: { ceilingOre: 1_644_638_00, rationale } });

    const ocds = (await (await stack.as('mayor')).get(`/api/proposals/${id}/ocds`)).body;
    expectValidOcds(ocds);
    expect(ocds.releases[0].tender).toMatchObject({ procurementMethod: 'direct', procurementMethodRationale: rationale, value: { amount: 6_000_000, currency: 'DKK' } });
    expect(ocds.releases[0].awards[0].description).toMatch(/^Rådet for Sociale Investeringer godkendte indstilling nr\. 2 /);
  });

  it('refuses to recommend an award above what the procedure covers unless the procedure has a rationale', async () => {
    // 1,500,000 DKK approved and estimated: a direct award, no rationale needed…
    const { step } = await inProcurement(asking('1500000'));
    expect((await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1500000', procedure: 'directAward' })).status).toBe(200);
    // …but not one of 6,000,000 DKK on that procedure.
    const above = await step({ action: 'recommendDirectAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', reasons: 'ICM-team', rationale: 'Eneste leverandør' });
    expect(above.status).toBe(409);
    expect(above.body).toMatchObject({ code: 'valueAboveProcedure', params: { procedure: 'directAward', valueOre: 6_000_000_00, ceilingOre: 1_644_638_00 } });
    expect(above.body.detail).toMatch(/needs a written rationale for the procedure, approved by the council/);
    expect((await step({ action: 'recommendDirectAward', supplier: 'Bostøtte Aarhus A/S', price: '1500000', reasons: 'ICM-team', rationale: 'Eneste leverandør' })).status).toBe(
      200,
    );
  });
});
