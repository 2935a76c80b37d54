import type { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { contractingActionInput } from '../../domain/contract';
import { ocdsReleasePackage } from '../../domain/ocds';
import { procurementActionInput } from '../../domain/procurementInput';
import { isRefusal, refusalText, type Refusal } from '../../domain/refusals';
import type { Proposal } from '../../domain/proposal';
import { expectValidOcds } from '../support/ocds';
import { ocdsRecordOf } from '../../store/ocdsRecord';
import { contractingUpdate, procurementUpdate, stateQuery, withdrawUpdate } from '../../workflows/messages';
import { housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { actor, approveThroughAgreement, completeOpen, councilApproves, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';
import { day } from '../support/units';

const sara = actor('sara.secretariat', 'secretariat');
const jonas = actor('jonas.secretariat', 'secretariat');

/** Procurement of an outcome-based initiative, with bid windows and standstill skipped through in seconds. */
describe('procurement', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('procurement');
  });
  afterAll(() => t?.stop());

  /** One step as the API takes it: the body is decoded with the same schema first. */
  const step = (handle: WorkflowHandle, who: typeof sara, body: unknown) =>
    handle.executeUpdate(procurementUpdate, { args: [{ actor: who, input: procurementActionInput.parse(body) }] });
  const refused = async (promise: Promise<unknown>, message: RegExp) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.message).toMatch(message);
    // The client decodes the refusal's code and parameters from the failure's details; the message is its English.
    const refusal = cause.details?.[0];
    expect(isRefusal(refusal)).toBe(true);
    expect(refusalText(refusal as Refusal)).toBe(cause.message);
  };
  const criteria = [
    { name: 'Pris', weight: 30 },
    { name: 'Kvalitet', weight: 50 },
    { name: 'Erfaring', weight: 20 },
  ];
  const tender = (deadlineMs: number) => ({
    action: 'prepareTender',
    title: 'Housing First-indsats for unge hjemløse',
    description: 'Bostøtte efter ICM-metoden til 120 unge over fire år.',
    documents: [{ title: 'Udbudsbetingelser', url: 'https://udbud.example.dk/hf/betingelser.pdf' }],
    awardCriteria: criteria,
    estimatedValue: '23000000',
    deadline: new Date(deadlineMs).toISOString(),
  });
  const scores = (bidIds: string[], perBid: number[][]) => ({
    action: 'evaluate',
    scores: bidIds.flatMap((bidId, i) => criteria.map((c, j) => ({ bidId, criterion: c.name, score: perBid[i][j] }))),
  });

  /** The OCDS release of a proposal as GET /api/proposals/:id/ocds builds it, checked against the codelists. */
  async function ocds(id: string) {
    const handle = t.env.client.workflow.getHandle(`proposal-${id}`);
    const doc = await t.store.proposals.findById(id).lean();
    const pkg = ocdsReleasePackage(id, doc!.content as Proposal, await handle.query(stateQuery), await ocdsRecordOf(t.store, id), {
      ...t.config.ocds,
      packageUri: `https://fond.example.dk/api/proposals/${id}/ocds`,
    });
    return expectValidOcds(JSON.parse(JSON.stringify(pkg)));
  }

  async function inProcurement(id: string, proposal = housingFirst) {
    const handle = await t.startProposal(id, proposal);
    await approveThroughAgreement(t.store, handle, id);
    await waitForStage(handle, 'Procurement');
    return handle;
  }

  it('runs a light-regime tender: three bids, four-eyes evaluation, a complaint in standstill, then the award stands', async () => {
    const handle = await inProcurement('SIF-2026-601');
    const decide = { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '23000000' };
    await refused(step(handle, sara, { ...decide, procedure: 'nationalTender' }), /thresholds propose euTender; choosing nationalTender needs a written rationale/);
    await refused(step(handle, actor('bo.member', 'councilMember'), { ...decide, procedure: 'euTender' }), /run by the secretariat/);
    await step(handle, sara, { ...decide, procedure: 'euTender' });

    const now = await t.env.currentTimeMs();
    await refused(step(handle, sara, tender(now + 20 * day)), /at least 30 days after publication/);
    expect(procurementActionInput.safeParse({ ...tender(now + 40 * day), awardCriteria: criteria.slice(0, 2) }).error?.issues[0].message).toBe(
      'the weights must sum to 100, not 80',
    );
    await step(handle, sara, tender(now + 40 * day));
    // Jonas saves it once more: Sara prepared it all the same, and may not evaluate it alone (below).
    await step(handle, jonas, tender(now + 40 * day));
    await refused(step(handle, sara, { action: 'registerBid', bidder: 'For tidligt ApS', price: '1' }), /not published/);
    await step(handle, sara, { action: 'publishTender' });
    for (const [bidder, price] of [
      ['Bostøtte Aarhus A/S', '21500000'],
      ['Fonden Ny Start', '22800000'],
      ['Social Impact Partners ApS', '19900000'],
    ]) {
      await step(handle, jonas, { action: 'registerBid', bidder, price, outcomePrices: [{ metric: 'Andel i egen bolig', pricePerUnit: '150000' }] });
    }
    await refused(step(handle, sara, scores(['bid-1.1'], [[5, 5, 5]])), /after the deadline/);

    await t.env.sleep(41 * day);
    await refused(step(handle, jonas, { action: 'registerBid', bidder: 'Sent A/S', price: '1000' }), /the bid is too late/);
    const bids = ['bid-1.1', 'bid-1.2', 'bid-1.3'];
    await refused(
      step(
        handle,
        sara,
        scores(bids.slice(0, 2), [
          [5, 5, 5],
          [5, 5, 5],
        ]),
      ),
      /score every bid on every award criterion/,
    );
    await step(
      handle,
      sara,
      scores(bids, [
        [7, 8, 6],
        [5, 9, 9],
        [10, 4, 5],
      ]),
    );
    await refused(step(handle, sara, { action: 'recommendAward', bidId: 'bid-1.2', reasons: 'Bedste kvalitet' }), /cannot be its only evaluator/);
    await step(
      handle,
      jonas,
      scores(bids, [
        [7, 7, 6],
        [5, 8, 8],
        [10, 5, 5],
      ]),
    );
    // bid-1.2: 30×5 + 50×8.5 + 20×8.5 = 745; bid-1.1: 30×7 + 50×7.5 + 20×6 = 705; bid-1.3: 30×10 + 50×4.5 + 20×5 = 625
    await refused(step(handle, sara, { action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Billigere' }), /bid-1.2 ranks first/);
    await step(handle, sara, { action: 'recommendAward', bidId: 'bid-1.2', reasons: 'Højest rangeret: bedste kvalitet og erfaring' });
    let state = await handle.query(stateQuery);
    expect(state.procurement!.ranking).toEqual([
      { bidId: 'bid-1.2', total: 74_500, rank: 1 },
      { bidId: 'bid-1.1', total: 70_500, rank: 2 },
      { bidId: 'bid-1.3', total: 62_500, rank: 3 },
    ]);
    // The council decides on the written recommendation; until it approves there is no award and no standstill.
    expect(state.procurement!.award).toBeUndefined();
    await refused(step(handle, sara, { action: 'cancelTender', reason: 'Fortrudt' }), /with the council/);
    await completeOpen(t.store, handle, 'SIF-2026-601', 'awardDecision', { decision: 'approve', comments: 'Godt begrundet' }, 'councilMember');
    await completeOpen(t.store, handle, 'SIF-2026-601', 'awardDecision', { decision: 'approve' }, 'councilMember');
    state = await eventually(async () => {
      const s = await handle.query(stateQuery);
      if (!s.procurement!.award) throw new Error('not awarded yet');
      return s;
    });
    expect(state.procurement!.award).toMatchObject({ supplier: 'Fonden Ny Start', priceOre: 2_280_000_000, stands: false, recommendation: 1 });
    const council = state.procurement!.recommendations[0].council!;
    expect(council.result).toBe('approved');
    expect(council.answers.map((x) => [x.decision, x.comments])).toEqual(
      expect.arrayContaining([
        ['approve', 'Godt begrundet'],
        ['approve', undefined],
      ]),
    );
    expect(await t.store.tasks.countDocuments({ proposalId: 'SIF-2026-601', kind: 'awardDecision', status: 'cancelled' })).toBe(1);

    await t.env.sleep(3 * day);
    await step(handle, sara, { action: 'recordComplaint', complainant: 'Bostøtte Aarhus A/S', summary: 'Kvalitet er vurderet forkert' });
    await t.env.sleep(12 * day); // past the standstill: the open complaint holds the award
    state = await handle.query(stateQuery);
    expect(state.stage).toBe('Procurement');
    expect(state.procurement!.award!.stands).toBe(false);
    await step(handle, jonas, { action: 'resolveComplaint', number: 1, upheld: false, note: 'Klagenævnet gav ikke klageren medhold' });
    state = await waitForStage(handle, 'Contracting');
    expect(state.procurement!.award!.stands).toBe(true);
    const release = await ocds('SIF-2026-601');
    expect(release.tag).toEqual(['planning', 'tender', 'award']);
    expect(release.ocid).toBe('ocds-sifaar-SIF-2026-601');
    expect(release.planning.budget.amount).toEqual({ amount: 23000000, currency: 'DKK' });
    expect(release.tender).toMatchObject({ status: 'complete', procurementMethod: 'open', awardCriteria: 'ratedCriteria', numberOfTenderers: 3, value: { amount: 23000000 } });
    expect(release.tender.awardCriteriaDetails).toBe('Pris: 30 %; Kvalitet: 50 %; Erfaring: 20 %');
    expect(release.awards).toEqual([
      expect.objectContaining({
        status: 'active',
        value: { amount: 22800000, currency: 'DKK' },
        suppliers: [expect.objectContaining({ name: 'Fonden Ny Start' })],
        description: expect.stringMatching(/^Rådet for Sociale Investeringer godkendte indstilling nr\. 1 \d{4}-\d{2}-\d{2}\.$/),
      }),
    ]);
    const events = await t.store.events
      .find({ proposalId: 'SIF-2026-601', type: /^procurement\./ })
      .sort({ at: 1, _id: 1 })
      .lean();
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'procurement.decideProcedure',
        'procurement.bidWindowClosed',
        'procurement.recommendAward',
        'procurement.councilDecision',
        'procurement.award',
        'procurement.recordComplaint',
        'procurement.resolveComplaint',
      ]),
    );
    expect(events.find((e) => e.type === 'procurement.councilDecision')).toMatchObject({
      by: 'council',
      details: { recommendation: 1, result: 'approved', reason: { code: 'selectionApproved', subject: 'award', comments: ['Godt begrundet'] } },
    });
  });

  it('has the council return a recommended investor with comments and approve the next, and signs an outcome contract whose cap is reserved', async () => {
    const id = 'SIF-2026-601'; // awarded above
    const handle = t.env.client.workflow.getHandle(`proposal-${id}`);
    const contract = (step: typeof contractingActionInput._input) =>
      handle.executeUpdate(contractingUpdate, { args: [{ actor: sara, input: contractingActionInput.parse(step) }] });
    const terms = {
      action: 'proposeContract' as const,
      startDate: '2027-04-01',
      measurementMonths: [12, 18, 24, 36, 48],
      rateCard: [
        { metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '150000', targetUnits: 90, maxPayment: '13500000' },
        { metric: 'Andel i uddannelse eller job', unit: 'borgere', pricePerUnit: '180000', targetUnits: 48, maxPayment: '8640000' },
      ],
      payee: 'investor' as const,
    };
    const offer = { action: 'registerInvestorOffer' as const, amountCommitted: '20000000', conditions: 'Tilbagebetaling fra resultatbetalinger' };
    await contract({ ...offer, investor: 'Den Sociale Kapitalfond', expectedReturnBasisPoints: 500 });
    await contract({ ...offer, investor: 'Nordic Impact Invest', repaymentCap: '24000000' });
    await refused(contract({ ...terms, totalCap: '22000000' }), /has not approved an investor/);
    await contract({
      action: 'recommendInvestor',
      offerId: 'offer-2',
      comparison: 'Nordic har loft på 24 mio. kr., Kapitalfonden 5 % afkast',
      rationale: 'Lavest loft på tilbagebetaling',
    });
    await completeOpen(t.store, handle, id, 'investorDecision', { decision: 'return', comments: 'Vælg fonden med lavest risiko' }, 'councilMember');
    await completeOpen(t.store, handle, id, 'investorDecision', { decision: 'return', comments: 'Enig' }, 'councilMember');
    // The secretary who recommended is told why, and recommends again.
    const told = await eventually(async () => {
      const entry = await t.store.outbox.findOne({ proposalId: id, event: 'selectionDecided', subject: /investor/ }).lean();
      if (!entry) throw new Error('the secretary is not told yet');
      return entry;
    });
    expect(told.subject).toBe('Rådet sendte indstillingen af investor tilbage: Housing First for unge hjemløse');
    expect(told.body).toContain('Vælg fonden med lavest risiko');
    await eventually(() => contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Kapitalfonden har fast afkast på 5 %', rationale: 'Lavest risiko' }));
    await councilApproves(t.store, handle, id, 'investorDecision');

    await refused(contract({ ...terms, totalCap: '23000000.01' }), /may not exceed the 23000000 DKK the council and the mayor approved/);
    await contract({ ...terms, totalCap: '22000000' });
    await completeOpen(t.store, handle, id, 'contractSigning', { signed: true }, 'secretariat');
    await completeOpen(t.store, handle, id, 'contractSigning', { signed: true }, 'department');
    const state = await waitForStage(handle, 'Implementation');
    expect(state.contracting!.contract).toMatchObject({
      provider: 'Fonden Ny Start',
      investor: 'Den Sociale Kapitalfond',
      totalCapOre: 2_200_000_000,
      reservedOre: 2_200_000_000,
      signatures: [{ by: 'sara.secretariat' }, { by: 'msb.head' }],
    });
    expect(state.contracting!.recommendations.map((r) => [r.offerId, r.council?.result])).toEqual([
      ['offer-2', 'returned'],
      ['offer-1', 'approved'],
    ]);
    const reservation = await t.store.ledger.findOne({ proposalId: id, kind: 'reservation' }).lean();
    expect(reservation).toMatchObject({ amountOre: 2_200_000_000, counterpart: 'Fonden Ny Start' });
    const release = await ocds(id);
    expect(release.tag).toEqual(['planning', 'tender', 'award', 'contract']);
    expect(release.contracts).toEqual([
      expect.objectContaining({
        status: 'active',
        value: { amount: 22000000, currency: 'DKK' },
        period: { startDate: '2027-04-01T00:00:00.000Z', endDate: '2031-04-01T00:00:00.000Z' },
        dateSigned: expect.any(String),
      }),
    ]);
    expect(release.contracts[0].milestones.map((m: { dueDate: string }) => m.dueDate.slice(0, 10))).toEqual(['2028-04-01', '2028-10-01', '2029-04-01', '2030-04-01', '2031-04-01']);
    const roles = Object.fromEntries(release.parties.map((p: { name: string; roles: string[] }) => [p.name, p.roles]));
    expect(roles).toMatchObject({
      'Aarhus Kommune': ['buyer', 'procuringEntity'],
      'Den Sociale Investeringsfond': ['funder', 'payer'],
      'Fonden Ny Start': ['tenderer', 'supplier'],
      'Bostøtte Aarhus A/S': ['tenderer'],
      'Den Sociale Kapitalfond': ['funder', 'payee'],
    });
    // Once the contract is signed the proposal can no longer be withdrawn.
    await refused(handle.executeUpdate(withdrawUpdate, { args: [{ actor: sara, reason: 'for sent' }] }), /only before a contract/);
  });

  it('re-tenders when no bid came in, then cancels, which ends the proposal', async () => {
    // Within what the fund has left after the first award (the council checks).
    const handle = await inProcurement('SIF-2026-602', { ...housingFirst, businessCase: { ...housingFirst.businessCase!, requestedFromFund: '10000000' } });
    await step(handle, sara, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '23000000', procedure: 'euTender' });
    let now = await t.env.currentTimeMs();
    await step(handle, sara, tender(now + 31 * day));
    await step(handle, sara, { action: 'publishTender' });
    await refused(step(handle, sara, { action: 'retender', reason: 'for tidligt' }), /bid window is still open/);
    await t.env.sleep(32 * day);
    await step(handle, sara, { action: 'retender', reason: 'Ingen bud indkom' });
    now = await t.env.currentTimeMs();
    await step(handle, jonas, tender(now + 45 * day));
    await step(handle, jonas, { action: 'publishTender' });
    await step(handle, sara, { action: 'registerBid', bidder: 'Eneste Byder ApS', price: '26000000' });
    await t.env.sleep(46 * day);
    await step(handle, sara, { action: 'cancelTender', reason: 'Eneste bud oversteg budgettet' });
    expect(await handle.result()).toMatchObject({ stage: 'Cancelled', reason: { code: 'tenderCancelled', text: 'Eneste bud oversteg budgettet' }, by: 'sara.secretariat' });
    const state = await handle.query(stateQuery);
    expect(state.procurement!.round).toBe(2);
    const release = await ocds('SIF-2026-602');
    // Cancelled after its one bid came in: the tender was unsuccessful.
    expect(release.tender).toMatchObject({ status: 'unsuccessful', numberOfTenderers: 1 });
    expect(release.tag).toEqual(['planning', 'tender', 'tenderCancellation']);
    expect(release.awards).toEqual([]);
    expect(state.procurement!.earlierRounds).toEqual([expect.objectContaining({ round: 1, outcome: 'retendered', reason: 'Ingen bud indkom' })]);
  });

  it("awards directly below the threshold, with no tender, on the council's approval", async () => {
    const handle = await inProcurement('SIF-2026-603', { ...youthAnxietyGroups, fundingTrack: 'outcomeBased' });
    await refused(step(handle, sara, tender((await t.env.currentTimeMs()) + 40 * day)), /needs a tendering procedure/);
    await step(handle, sara, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1200000', procedure: 'directAward' });
    await refused(step(handle, sara, { action: 'retender', reason: 'x' }), /direct award has no tender/);
    await step(handle, sara, {
      action: 'recommendDirectAward',
      supplier: 'Foreningen Ung i Aarhus',
      price: '1200000',
      reasons: 'Erfaring med Cool Kids-forløb i skolerne',
      rationale: 'Under tærskelværdien; eneste udbyder af Cool Kids i kommunen',
    });
    await councilApproves(t.store, handle, 'SIF-2026-603', 'awardDecision');
    const state = await waitForStage(handle, 'Contracting');
    expect(state.procurement).toMatchObject({ proposedProcedure: 'directAward', procedure: 'directAward', award: { supplier: 'Foreningen Ung i Aarhus', stands: true } });
    const release = await ocds('SIF-2026-603');
    expect(release.tender).toMatchObject({
      status: 'complete',
      procurementMethod: 'direct',
      procurementMethodDetails: 'Direkte tildeling under tærskelværdien',
      numberOfTenderers: 0,
    });
    expect(release.awards).toEqual([expect.objectContaining({ status: 'active', description: expect.stringMatching(/Under tærskelværdien/) })]);
  });
});
