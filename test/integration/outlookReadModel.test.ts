import { createActivities } from '../../activities';
import { oreFieldsAsDkk } from '../../api/views';
import { commitmentOf, committingStages, runningStages, termsOf } from '../../domain/commitment';
import { addMonths, copenhagenDay } from '../../domain/dates';
import { actualList, contractFlows, grantFlows, projectOutlook, proposalFlows, withActual, type Flow } from '../../domain/outlook';
import type { Proposal } from '../../domain/proposal';
import { workflowIdFor } from '../../workflows/input';
import { stateQuery } from '../../workflows/messages';
import { youthAnxietyGroups, housingFirst } from '../fixtures/proposals';
import { approveThroughAgreement, measure, signContract, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { answerOpenTask } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';
import { isoDay } from '../support/units';

const metric = 'Andel i egen bolig';

/**
 * The fund's outlook is read from the commitments read model, which the workflows'
 * activities keep: on the real dev server and FerretDB it must say what asking every
 * running workflow said, through payouts, withheld tranches, withdrawal and closure,
 * and go on answering when no worker is there to answer a query.
 */
describe("the fund's outlook from the commitments read model", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('outlook-read-model');
  });
  afterAll(() => stack?.stop());

  /** The outlook as it was computed before the read model: each counted case's workflow asked for its state. */
  async function outlookFromWorkflows() {
    const today = copenhagenDay(new Date());
    // Every entry of the books, summed here rather than carried along the chain.
    const entries = await stack.store.ledger.find({}).lean();
    const expected: Flow[] = [];
    for (const doc of await stack.store.proposals.find({ stage: { $in: committingStages } }).lean()) {
      const proposal = termsOf(doc.content as Proposal);
      const state = runningStages.includes(doc.stage as never) ? await stack.client.workflow.getHandle(doc.workflowId).query(stateQuery) : undefined;
      const contract = state?.contracting?.contract;
      if (state?.grant) expected.push(...grantFlows(doc._id, state.grant, today));
      else if (contract?.reservedOre !== undefined) {
        expected.push(...contractFlows(doc._id, proposal, contract, commitmentOf(state!).implementation, state!.cooperationAgreement?.savingsShare, today));
      } else expected.push(...proposalFlows(doc._id, proposal, today));
    }
    const without = projectOutlook({
      startYear: Number(stack.config.fund.startDate.slice(0, 4)),
      years: stack.config.fund.outlookYears,
      openingCapitalOre: entries.filter((e) => e.kind === 'capital').reduce((s, e) => s + e.amountOre, 0),
      actual: actualList(entries.reduce(withActual, {})),
      expected,
    });
    return oreFieldsAsDkk({ without });
  }

  const outlook = async () => {
    const res = await (await stack.as('bo.member')).get('/api/fund/outlook');
    expect(res.status).toBe(200);
    return res.body;
  };
  /** The workflows write their commitments as they go: compared once they have. */
  const agrees = () => eventually(async () => expect(await outlook()).toEqual(await outlookFromWorkflows()));

  /** A direct grant of youth anxiety groups, approved and agreed with these tranches (DKK). */
  async function grantCase(tranches: { dueDate: string; amount: string }[]) {
    const id = (await (await stack.as('sara.secretariat')).post('/api/proposals', youthAnxietyGroups)).body.id as string;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'GrantAgreement');
    const amount = tranches.reduce((s, t) => s + Number(t.amount), 0).toFixed(2);
    const agreement = {
      grantee: 'Foreningen Ung i Aarhus',
      amount,
      tranches: tranches.map((t, i) => ({ ...t, condition: `Betingelse ${i + 1}` })),
      conditions: 'Til gruppeforløbene.',
    };
    expect((await answerOpenTask(stack, id, 'grantAgreement', agreement)).status).toBe(200);
    await waitForStage(handle, 'GrantActive');
    return { id, handle };
  }
  const answered = async (id: string, kind: string, input: unknown) => expect((await answerOpenTask(stack, id, kind, input)).status).toBe(200);
  const day = 86_400_000;

  it('says what the workflows say, through payouts, a withheld tranche, a withdrawal and a closure, and answers without a worker', async () => {
    const sara = await stack.as('sara.secretariat');
    // A grant: two tranches due, one in two years.
    const grant = await grantCase([
      { dueDate: isoDay(Date.now() - day), amount: '400000' },
      { dueDate: isoDay(Date.now() - day), amount: '300000' },
      { dueDate: isoDay(Date.now() + 730 * day), amount: '500000' },
    ]);
    // An approval not yet reserved, which the secretariat will withdraw.
    const approvedId = (await sara.post('/api/proposals', youthAnxietyGroups)).body.id as string;
    const approved = stack.client.workflow.getHandle(workflowIdFor(approvedId));
    await approveThroughAgreement(stack.store, approved, approvedId);
    await waitForStage(approved, 'GrantAgreement');
    // An outcome contract that started 13 months ago: its first point is due at once.
    const started = isoDay(Date.now() - 396 * day);
    const contractId = (await sara.post('/api/proposals', housingFirst)).body.id as string;
    const contract = stack.client.workflow.getHandle(workflowIdFor(contractId));
    await approveThroughAgreement(stack.store, contract, contractId);
    await signContract(stack.store, contract, contractId, {
      supplier: 'Boligsocialt Netværk',
      value: '12000000',
      investor: 'Den Sociale Kapitalfond',
      startDate: started,
      measurementMonths: [12, 24, 36],
      rateCard: [{ metric, unit: 'borgere', pricePerUnit: '100000', targetUnits: 90, maxPayment: '9000000' }],
      totalCap: '9000000',
    });
    await agrees();

    // 4 million paid at 12 months; the 5 million the rate card can still earn is spread over the two points to come.
    await measure(stack.store, contract, contractId, 12, { [metric]: 40 }, '1000000');
    await agrees();
    const thisYear = new Date().getUTCFullYear();
    const byYear = (o: { without: { years: { year: number }[] } }, year: number) => o.without.years.find((y) => y.year === year);
    // The last point falls in a later year than the one before it, and alone in its year.
    expect(byYear(await outlook(), Number(addMonths(started, 36).slice(0, 4)))).toMatchObject({ outcomePayments: '2500000.00' });

    // The grant's first tranche paid, the second withheld: only the third is still expected.
    await answered(grant.id, 'trancheConfirmation', { confirmed: true });
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId: grant.id, kind: 'trancheConfirmation', status: 'open' })).toBe(1));
    await agrees();
    await answered(grant.id, 'trancheConfirmation', { confirmed: false, reason: 'Midtvejsevalueringen mangler' });
    await agrees();
    expect(byYear(await outlook(), thisYear + 2)).toMatchObject({ grants: '500000.00' });

    expect((await sara.post(`/api/proposals/${approvedId}/withdraw`, { reason: 'Ansøgeren har fået andet tilskud' })).status).toBe(200);
    await waitForStage(approved, 'Withdrawn');
    await agrees();

    // A grant of one tranche, paid, then its final report closes it.
    const closing = await grantCase([{ dueDate: isoDay(Date.now() - day), amount: '300000' }]);
    await agrees();
    await answered(closing.id, 'trancheConfirmation', { confirmed: true });
    await answered(closing.id, 'grantFinalReport', { summary: 'Forløbene er gennemført', resultsAchieved: 'Fraværet faldt', documents: [] });
    await waitForStage(closing.handle, 'Closed');
    await agrees();
    expect(await stack.store.commitments.findById(closing.id).lean()).toMatchObject({ stage: 'Closed', counted: false });

    // No worker, so no workflow can answer a query: the outlook answers all the same, from the database.
    const withWorker = await outlook();
    await stack.stopWorker();
    try {
      expect(await outlook()).toEqual(withWorker);
    } finally {
      await stack.restartWorker();
    }
  });

  it('counts a retried booking and its commitment once, and a late older commitment changes nothing', async () => {
    const activities = createActivities(stack.store, stack.config);
    const draftId = (await (await stack.as('sara.secretariat')).post('/api/proposals', youthAnxietyGroups)).body.id as string;
    const booking = {
      key: `${draftId}.test.savings`,
      kind: 'savingsReturned' as const,
      amountOre: 100_000_00,
      proposalId: draftId,
      date: isoDay(Date.now()),
      reason: 'Tilbageført besparelse',
      by: 'msb.head',
      commitment: { seq: 7, commitment: { stage: 'MayoralApproval' as const } },
    };
    const before = await outlook();
    expect(await activities.bookLedger(booking)).toMatchObject({ booked: true });
    const once = await outlook();
    expect(once).not.toEqual(before);
    // Temporal retries an activity whose answer it did not get: the same booking, the same commitment.
    expect(await activities.bookLedger(booking)).toMatchObject({ booked: true });
    expect(await outlook()).toEqual(once);
    expect(await stack.store.ledger.countDocuments({ _id: booking.key })).toBe(1);
    // An attempt scheduled earlier that ends late never moves the record back.
    await activities.recordCommitment({ proposalId: draftId, seq: 6, commitment: { stage: 'Withdrawn' } });
    expect(await stack.store.commitments.findById(draftId).lean()).toMatchObject({ seq: 7, stage: 'MayoralApproval', counted: true });
    expect(await outlook()).toEqual(once);
  });
});
