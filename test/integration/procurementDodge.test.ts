import { housingFirst } from '../fixtures/proposals';
import { approveThroughAgreement, waitForStage } from '../support/drive';
import { expectValidOcds } from '../support/ocds';
import { startStack, type Stack } from '../support/stack';
import type { ProposalInput } from '../../domain/proposal';
import { workflowIdFor } from '../../workflows/input';

/**
 * Issue 18.3 on the real dev server and FerretDB: an approved proposal of 6,000,000 DKK
 * cannot be brought under the thresholds by typing a low estimate, and an award above
 * what the procedure covers needs the procedure's written rationale.
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

  it('judges the procedure on the approved 6,000,000 DKK, not the 1,000,000 typed, and refuses the direct award without a rationale', async () => {
    const { id, step, read } = await inProcurement(asking('6000000'));
    const dodge = await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1000000', procedure: 'directAward' });
    expect(dodge.status).toBe(409);
    expect(dodge.body).toMatchObject({ code: 'needsRationale', params: { proposed: 'euTender', chosen: 'directAward', valueOre: 6_000_000_00 } });
    const award = await step({ action: 'directAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', rationale: 'Eneste leverandør' });
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
    const awarded = await step({ action: 'directAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', rationale: 'Eneste leverandør' });
    expect(awarded.status).toBe(200);
    await waitForStage(stack.client.workflow.getHandle(workflowIdFor(id)), 'Contracting');

    const timeline: { type: string; details: Record<string, unknown> }[] = (await read()).body.timeline;
    expect(timeline.find((e) => e.type === 'procurement.decideProcedure')!.details).toMatchObject({
      judgedValueOre: 6_000_000_00,
      approvedOre: 6_000_000_00,
      proposedProcedure: 'euTender',
    });
    expect(timeline.find((e) => e.type === 'procurement.directAward')!.details).toMatchObject({ aboveProcedure: { ceilingOre: 1_644_638_00, rationale } });

    const ocds = (await (await stack.as('mayor')).get(`/api/proposals/${id}/ocds`)).body;
    expectValidOcds(ocds);
    expect(ocds.releases[0].tender).toMatchObject({ procurementMethod: 'direct', procurementMethodRationale: rationale, value: { amount: 6_000_000, currency: 'DKK' } });
  });

  it('refuses an award or a contract above what the procedure covers unless the procedure has a rationale', async () => {
    // 1,500,000 DKK approved and estimated: a direct award, no rationale needed…
    const { step } = await inProcurement(asking('1500000'));
    expect((await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1500000', procedure: 'directAward' })).status).toBe(200);
    // …but not one of 6,000,000 DKK on that procedure.
    const above = await step({ action: 'directAward', supplier: 'Bostøtte Aarhus A/S', price: '6000000', rationale: 'Eneste leverandør' });
    expect(above.status).toBe(409);
    expect(above.body).toMatchObject({ code: 'valueAboveProcedure', params: { procedure: 'directAward', valueOre: 6_000_000_00, ceilingOre: 1_644_638_00 } });
    expect(above.body.detail).toMatch(/needs a written rationale for the procedure/);
    expect((await step({ action: 'directAward', supplier: 'Bostøtte Aarhus A/S', price: '1500000', rationale: 'Eneste leverandør' })).status).toBe(200);
  });
});
