import { contractingFor, councilRoundsFor, mayReadTask, openCouncilRounds, procurementFor, taskAnswerFor, timelineFor, workflowRoundFor } from '../../domain/accessPolicy';
import type { ContractingState } from '../../domain/contract';
import { mayUseSystem, type Actor } from '../../domain/people';
import type { ProcurementState } from '../../domain/procurement';

const sara: Actor = { userId: 'sara.secretariat', roles: ['secretariat'] };
const anne: Actor = { userId: 'anne.chair', roles: ['councilMember', 'councilChair'] };
const bo: Actor = { userId: 'bo.member', roles: ['councilMember'] };
const mayor: Actor = { userId: 'mayor', roles: ['mayor'] };

const at = '2026-03-01T10:00:00.000Z';
const bid = (n: number) => ({ id: `bid-2.${n}`, bidder: `Bidder ${n}`, priceOre: n * 100, outcomePrices: [], registeredBy: 'sara.secretariat', at });
const procurement = (over: Partial<ProcurementState>): ProcurementState => ({
  round: 2,
  bids: [bid(1), bid(2)],
  evaluations: [{ evaluator: 'sara.secretariat', scores: [{ bidId: 'bid-2.1', criterion: 'Pris', score: 7 }] }],
  recommendations: [],
  complaints: [],
  earlierRounds: [],
  ...over,
});
const tender = { title: 'T', description: 'D', documents: [], awardCriteria: [{ name: 'Pris', weight: 100 }], estimatedValueOre: 1, deadline: at, preparedBy: 'sara.secretariat' };

describe('the access policy', () => {
  it('lets in only an account on record as active that holds a role: one whose standing is missing, the pages refuse as the API does', () => {
    expect(mayUseSystem({ active: true, roles: ['secretariat'] })).toBe(true);
    expect(mayUseSystem({ active: true, roles: [] })).toBe(false);
    expect(mayUseSystem({ active: false, roles: ['secretariat'] })).toBe(false);
    expect(mayUseSystem({ roles: ['secretariat'] })).toBe(false);
  });

  it("lets the holder of a meeting's task read it only while they may read meetings", () => {
    const correction = { assignee: 'jonas.secretariat', kind: 'minutesCorrection', proposalId: 'M-20261201-a1b2c3' };
    expect(mayReadTask({ userId: 'jonas.secretariat', roles: ['secretariat'] }, correction)).toBe(true);
    // Moved to a department: the meeting is no longer his to read, nor its task that he did.
    expect(mayReadTask({ userId: 'jonas.secretariat', roles: ['department'], department: 'MSB' }, correction)).toBe(false);
    // A proposal's task stays its holder's, whatever their roles now.
    expect(mayReadTask({ userId: 'bo.member', roles: ['department'], department: 'MSB' }, { assignee: 'bo.member', kind: 'councilVote', proposalId: 'SIF-2026-001' })).toBe(true);
  });

  it("shows a round's scores to all once it was awarded, even when a complaint annulled the award, and not before", () => {
    const annulled = procurement({
      tender: { ...tender, publishedAt: at, closedAt: at },
      earlierRounds: [{ round: 2, outcome: 'awardAnnulled', reason: 'Klagen gav medhold', by: 'sara.secretariat', at }],
    });
    expect(procurementFor(bo, annulled).evaluations).toHaveLength(1);
    expect(procurementFor(bo, { ...annulled, earlierRounds: [] })).toMatchObject({ evaluations: [], scoresWithheld: true });
  });

  it('publishes no bid while the window is open, not even to the secretariat, which sees only when they came', () => {
    const open = procurement({ tender: { ...tender, publishedAt: at } });
    expect(procurementFor(sara, open)).toMatchObject({ bids: [], bidsSealed: true, bidArrivals: [at, at] });
    expect(procurementFor('public', open)).toMatchObject({ bids: [], bidsSealed: true });
    expect(procurementFor('public', open).bidArrivals).toBeUndefined();
  });

  it("opens a timeline's bids round by round, as each round's window closes, and keeps them sealed when no close is on record", () => {
    const events = [
      { type: 'procurement.registerBid', by: 'sara.secretariat', details: { round: 1, input: { bidder: 'Early' } } },
      { type: 'procurement.bidWindowClosed', by: 'system', details: { round: 1, bids: 1 } },
      { type: 'procurement.registerBid', by: 'sara.secretariat', details: { round: 2, input: { bidder: 'Late' } } },
    ];
    expect(timelineFor(bo, events, []).map((e) => e.details)).toEqual([
      { round: 1, input: { bidder: 'Early' } },
      { round: 1, bids: 1 },
    ]);
    expect(timelineFor(sara, events, [])[2].details).toEqual({ round: 2, withheld: true });
  });

  it("withholds others' answers in a round a workflow answers with until its own tally decides it, whatever tasks are on record", () => {
    const answered = { memberId: 'bo.member', decision: 'return', comments: 'Tallene mangler', at };
    const round = { version: 2, members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'anne.chair', ballots: [answered] };
    expect(workflowRoundFor(sara, round).ballots).toEqual([{ memberId: 'bo.member', at, withheld: true }]);
    expect(workflowRoundFor(bo, round).ballots).toEqual([answered]);
    expect(workflowRoundFor(sara, { ...round, result: 'returned' }).ballots).toEqual([answered]);
  });

  it("opens an earlier round's ballots while the next round is open, and a ballot to its own voter", () => {
    const tasks = [
      { _id: 'v1', kind: 'councilVote', round: 1, status: 'completed', completedBy: 'bo.member', input: { decision: 'reject' } },
      { _id: 'v2', kind: 'councilVote', round: 2, status: 'completed', completedBy: 'bo.member', input: { decision: 'approve' } },
      { _id: 'v3', kind: 'councilVote', round: 2, status: 'open' },
    ];
    const open = openCouncilRounds(tasks);
    expect([...open]).toEqual(['councilVote#2']);
    expect(taskAnswerFor(anne, tasks[0], open).input).toEqual({ decision: 'reject' });
    expect(taskAnswerFor(anne, tasks[1], open)).toMatchObject({ withheld: true });
    expect(taskAnswerFor(anne, tasks[1], open)).not.toHaveProperty('input');
    expect(taskAnswerFor(bo, tasks[1], open).input).toEqual({ decision: 'approve' });

    const round = (number: number) => ({
      number,
      decisionPaperVersion: number,
      members: ['anne.chair', 'bo.member', 'cecilie.member'],
      chair: 'anne.chair',
      openedAt: at,
      ballots: [{ memberId: 'bo.member', kind: 'vote' as const, choice: 'approve' as const, comment: 'Min kommentar', at }],
    });
    const [first, second] = councilRoundsFor(anne, [round(1), round(2)], open);
    expect(first.ballots).toEqual(round(1).ballots);
    expect(second.ballots).toEqual([{ memberId: 'bo.member', at, withheld: true }]);
  });

  it("keeps investors' offers and the secretariat's comparison of them to the secretariat, the council and operations; the others read whom it recommended", () => {
    const offer = (n: number) => ({ id: `offer-${n}`, investor: `Investor ${n}`, amountCommittedOre: n * 100, conditions: 'Afdrag', by: 'sara.secretariat', at });
    const c: ContractingState = {
      offers: [offer(1), offer(2)],
      recommendations: [{ number: 1, offerId: 'offer-2', comparison: 'To tilbud', rationale: 'Lavest afkast', by: 'sara.secretariat', at }],
    };
    expect(contractingFor(bo, c)).toEqual({ ...c, offersWithheld: false });
    expect(contractingFor(mayor, c)).toEqual({
      offers: [],
      recommendations: [{ number: 1, offerId: 'offer-2', investor: 'Investor 2', by: 'sara.secretariat', at }],
      offersWithheld: true,
    });

    const events = [
      { type: 'contracting.registerInvestorOffer', by: 'sara.secretariat', details: { input: { investor: 'Investor 1' } } },
      { type: 'contracting.recommendInvestor', by: 'sara.secretariat', details: { input: { offerId: 'offer-1' } } },
    ];
    expect(timelineFor(anne, events, []).map((e) => e.details)).toEqual(events.map((e) => e.details));
    expect(timelineFor(mayor, events, []).map((e) => e.details)).toEqual([{ withheld: true }, { withheld: true }]);
  });
});
