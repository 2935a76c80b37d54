import { housingFirst } from '../fixtures/proposals';
import { actor } from '../support/drive';
import { dkk, isoDay } from '../support/units';
import { refusal, refusalCode, sara, soon, type Overrides, type ProposalCase, type WorkflowLogic } from '../support/workflowLogic';
import { contractingActionInput } from '../../domain/contract';
import { contractingUpdate } from '../../workflows/messages';
import { holding, refusingReservations } from '../support/stubActivities';
import { addMonths } from '../../domain/dates';
import { eventually } from '../support/eventually';

const metric = 'Andel i egen bolig';

/** After the award: investor, the outcome contract and its reservation, then payment for achieved effect. */
export function contractAndPayoutTests(logic: () => WorkflowLogic) {
  describe('contracting and implementation (stubbed activities)', () => {
    /** Approved (23 million DKK), directly awarded, in Contracting. */
    async function inContracting(overrides?: Overrides, savingsShare?: unknown): Promise<ProposalCase> {
      const c = await logic().startProposal(housingFirst, { overrides });
      await c.approveThroughAgreement(savingsShare);
      await c.waitForStage('Procurement');
      await c.procure({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '22000000', procedure: 'directAward', rationale: 'Eneste leverandør' });
      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '22000000', reasons: 'Valideret forløb', rationale: 'Videreførelse' });
      await c.councilApproves('awardDecision');
      await c.waitForStage('Contracting');
      return c;
    }

    const terms = (startDate: string, totalCap: string, measurementMonths = [12, 24]) => ({
      action: 'proposeContract',
      startDate,
      measurementMonths,
      rateCard: [{ metric, unit: 'borgere', pricePerUnit: '100000', targetUnits: 90, maxPayment: '6000000' }],
      totalCap,
      payee: 'investor',
    });

    async function investorConfirmed(c: ProposalCase) {
      await c.contract({ action: 'registerInvestorOffer', investor: 'Den Sociale Kapitalfond', amountCommitted: '20000000', conditions: 'Tilbagebetaling fra resultatbetalinger' });
      await c.contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Eneste tilbud', rationale: 'Dækker loftet' });
      await c.councilApproves('investorDecision');
    }

    async function signBoth(c: ProposalCase) {
      await c.complete('contractSigning', { signed: true }, { assignee: 'sara.secretariat' });
      await c.complete('contractSigning', { signed: true }, { assignee: 'msb.head', role: 'department' });
    }

    it('asks the council to decide on the recommended investor, and a returned recommendation is made again', async () => {
      const c = await inContracting();
      expect(await refusal(c.contract({ action: 'registerInvestorOffer', investor: 'X', amountCommitted: '1', conditions: 'Y' }, actor('bo.member', 'councilMember')))).toBe(
        'Forbidden',
      );
      await c.contract({ action: 'registerInvestorOffer', investor: 'Den Sociale Kapitalfond', amountCommitted: '20000000', conditions: 'Fast afkast' });
      await c.contract({ action: 'registerInvestorOffer', investor: 'Nordic Impact Invest', amountCommitted: '23000000', conditions: 'Loft på tilbagebetaling' });
      // No contract before the council has approved an investor.
      expect(await refusal(c.contract(terms('2027-01-01', '20000000')))).toBe('Conflict');
      await c.contract({ action: 'recommendInvestor', offerId: 'offer-2', comparison: 'Nordic giver mest kapital', rationale: 'Størst beløb' });
      expect(await refusal(c.contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'X', rationale: 'Skiftet mening' }))).toBe('Conflict');
      await c.decide('investorDecision', 'anne.chair', 'return', 'Vælg fonden med lavest risiko');
      await c.decide('investorDecision', 'bo.member', 'return', 'Enig');
      await soon(async () => expect((await c.state()).contracting!.recommendations[0].council?.result).toBe('returned'));
      expect(await refusal(c.contract(terms('2027-01-01', '20000000')))).toBe('Conflict');
      await c.contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Fast afkast mod loft', rationale: 'Lavest risiko' });
      await c.decide('investorDecision', 'bo.member', 'approve');
      await c.decide('investorDecision', 'cecilie.member', 'approve');
      await soon(async () =>
        expect((await c.state()).contracting!.recommendations[1]).toMatchObject({
          offerId: 'offer-1',
          council: { result: 'approved', members: ['anne.chair', 'bo.member', 'cecilie.member'] },
        }),
      );
      // The investor is chosen: no more offers.
      expect(await refusal(c.contract({ action: 'registerInvestorOffer', investor: 'Sen Fond', amountCommitted: '1', conditions: 'Y' }))).toBe('Conflict');
    });

    it('keeps a contract paid to the investor within the repayment cap of the offer the council chose', async () => {
      const c = await inContracting();
      await c.contract({
        action: 'registerInvestorOffer',
        investor: 'Nordic Impact Invest',
        amountCommitted: '20000000',
        repaymentCap: '18000000',
        conditions: 'Loft på tilbagebetaling',
      });
      await c.contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Eneste tilbud', rationale: 'Loft på tilbagebetaling' });
      await c.councilApproves('investorDecision');
      expect(await refusalCode(c.contract(terms('2027-01-01', '20000000')))).toBe('capAboveRepaymentCap');
      // Paid to the provider, the investor's repayment is not what the cap bounds.
      await c.contract({ ...terms('2027-01-01', '20000000'), payee: 'provider' });
      expect((await c.state()).contracting!.contract).toMatchObject({ totalCapOre: dkk(20_000_000), payee: 'provider' });
    });

    it('sends the contract back when the fund refuses to reserve its cap, and reserves the next one on signing', async () => {
      // The fund refuses the first reservation of a contract (bookLedger answers with a refusal).
      const c = await inContracting(refusingReservations(1));
      await investorConfirmed(c);
      // The cap stays within what the council and the mayor approved.
      expect(await refusal(c.contract(terms('2027-01-01', '23000000.01')))).toBe('Conflict');
      await c.contract(terms('2027-01-01', '22000000'));
      expect(await refusal(c.contract(terms('2027-01-01', '21000000')))).toBe('Conflict');
      await signBoth(c);
      await soon(() => expect(c.world.notified('contractRefusedByFund').map((n) => n.to.users)).toEqual([['sara.secretariat']]));
      // On the timeline, so the Open Contracting export's date moves on when the refused contract leaves it.
      expect(c.world.events.filter((e) => e.type === 'contracting.refusedByFund').map((e) => e.details)).toEqual([{ attempt: 1 }]);
      expect((await c.state()).stage).toBe('Contracting');
      expect((await c.state()).contracting!.contract).toBeUndefined();
      // The council's earmark still holds the money.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([['earmark', dkk(23_000_000)]]);

      await c.contract(terms('2027-01-01', '15000000'));
      await signBoth(c);
      const state = await c.waitForStage('Implementation');
      expect(c.world.tasksOf('contractSigning').map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      // The reservation takes the whole earmark over; what the cap leaves of it is free again.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(23_000_000)],
        ['reservation', dkk(15_000_000)],
      ]);
      expect(c.world.ledger.at(-1)).toMatchObject({ counterpart: 'Fonden Ny Start', fromEarmarkOre: dkk(23_000_000) });
      expect(c.world.balances()).toMatchObject({ earmarkedOre: 0, reservedOre: dkk(15_000_000), freeOre: dkk(25_000_000) });
      expect(state.contracting!.contract).toMatchObject({
        totalCapOre: dkk(15_000_000),
        reservedOre: dkk(15_000_000),
        signatures: [{ by: 'sara.secretariat' }, { by: 'msb.head' }],
      });
      // A signed contract is no longer withdrawn.
      expect(await refusal(c.withdraw('For sent'))).toBe('Conflict');
    });

    it("refuses a contract paying for a metric the proposal never named, however the Update comes, and takes the council's own spelled otherwise", async () => {
      const c = await inContracting();
      await investorConfirmed(c);
      const paying = (name: string) => ({
        ...terms('2027-01-01', '15000000'),
        rateCard: [{ metric: name, unit: 'samtaler', pricePerUnit: '1000', targetUnits: 10, maxPayment: '10000' }],
      });
      expect(await refusalCode(c.contract(paying('Antal samtaler')))).toBe('metricNotApproved');
      await c.contract(paying(' andel i  EGEN bolig'));
      expect((await c.state()).contracting!.contract!.rateCard.map((r) => r.metric)).toEqual(['andel i  EGEN bolig']);
    });

    it('refuses a withdrawal once both have signed, while the fund reserves the cap: the case goes on to implementation', async () => {
      // The reservation takes its time: the secretariat withdraws meanwhile.
      const booking = holding('bookLedger', (b) => b.kind === 'reservation');
      const c = await inContracting(booking.overrides);
      await investorConfirmed(c);
      await c.contract(terms('2027-01-01', '15000000'));
      try {
        await signBoth(c);
        await soon(() => expect(c.world.called('bookLedger').some((b) => (b as { kind: string }).kind === 'reservation')).toBe(true));
        expect(await refusalCode(c.sendWithdrawal('Ikke længere relevant'))).toBe('contractSigned');
      } finally {
        booking.letGo();
      }
      await c.waitForStage('Implementation');
    });

    it("takes one contract at a time: a colleague's proposed before the first went out for signature is refused, not put in its place", async () => {
      // The council's decision on the investor is still being told: a contract proposed now waits for the signing to begin.
      const told = holding('notify', (n) => n.event === 'selectionDecided' && n.key.includes('.investor.'));
      const c = await inContracting(told.overrides);
      let first: Promise<unknown> | undefined;
      try {
        await investorConfirmed(c);
        // Its record waits behind the notice; the contract is taken once the Update is.
        first = c.contract(terms('2027-01-01', '15000000'));
        await eventually(async () => expect((await c.state()).contracting!.contract).toBeDefined(), 30_000, 100);
        expect(await refusalCode(c.contract({ ...terms('2027-01-01', '20000000'), payee: 'provider' }, actor('jonas.secretariat', 'secretariat')))).toBe('contractOutForSignature');
      } finally {
        told.letGo();
      }
      await first;
      await signBoth(c);
      const state = await c.waitForStage('Implementation');
      expect(state.contracting!.contract).toMatchObject({ totalCapOre: dkk(15_000_000), payee: 'investor', proposedBy: 'sara.secretariat' });
      expect(c.world.bookingsOf(c.proposalId).at(-1)).toEqual(['reservation', dkk(15_000_000)]);
    });

    it('takes a contract a signer declines back to the secretariat, with the other signature, and the next one is signed', async () => {
      // The fund refuses the first reservation asked for: the second contract's.
      const c = await inContracting(refusingReservations(1));
      await investorConfirmed(c);
      await c.contract(terms('2027-01-01', '22000000'));
      await c.complete('contractSigning', { signed: true }, { assignee: 'sara.secretariat' });
      // Her signature shows at once, while the department's is awaited.
      await soon(async () => expect((await c.state()).contracting!.contract!.signatures).toEqual([{ by: 'sara.secretariat', at: expect.any(String) }]));
      const why = 'Takstbladet svarer ikke til forvaltningens opgørelse af målgruppen';
      await c.complete('contractSigning', { signed: false, reason: why }, { assignee: 'msb.head', role: 'department' });
      await soon(() =>
        expect(c.world.notified('contractDeclined')).toEqual([
          expect.objectContaining({ to: { users: ['sara.secretariat'], otherwise: 'secretariat' }, reason: { code: 'contractDeclined', text: why, declines: 1 } }),
        ]),
      );
      const declined = await c.state();
      expect(declined.stage).toBe('Contracting');
      expect(declined.contracting!.contract).toBeUndefined();
      expect(declined.contracting!.declines).toEqual([{ attempt: 1, by: 'msb.head', at: expect.any(String), reason: why }]);
      expect(c.world.events.filter((e) => e.type === 'contracting.contractDeclined').map((e) => [e.by, e.details])).toEqual([['msb.head', { attempt: 1 }]]);
      // Nothing was reserved: the council's earmark still holds the money.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([['earmark', dkk(23_000_000)]]);

      // A refusal by the fund is counted as one, not as the second attempt it was.
      await c.contract(terms('2027-01-01', '21000000'));
      await signBoth(c);
      await soon(() => expect(c.world.notified('contractRefusedByFund')).toHaveLength(1));
      expect((await c.state()).contracting!.refusedByFund).toBe(1);

      // The next contract is signed afresh by both; the first signature left with the declined contract.
      await c.contract(terms('2027-01-01', '20000000'));
      await signBoth(c);
      const signed = await c.waitForStage('Implementation');
      expect(signed.contracting!.contract).toMatchObject({ totalCapOre: dkk(20_000_000), signatures: [{ by: 'sara.secretariat' }, { by: 'msb.head' }] });
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(23_000_000)],
        ['reservation', dkk(20_000_000)],
      ]);
    });

    it('closes the other signature task when a contract is declined before it was signed, and takes no more contracts after 10 declines', async () => {
      const c = await inContracting();
      await investorConfirmed(c);
      for (let i = 1; i <= 10; i++) {
        await c.contract(terms('2027-01-01', '15000000'));
        await c.complete('contractSigning', { signed: false, reason: `Vilkårene holder ikke (${i})` }, { assignee: 'msb.head', role: 'department' });
        await soon(() => expect(c.world.notified('contractDeclined')).toHaveLength(i));
      }
      // The secretariat's own signature task of each declined contract is closed, not left open for ever.
      await soon(() => expect(c.world.tasksOf('contractSigning', 'open')).toEqual([]));
      const closed = c.world.tasksOf('contractSigning', 'cancelled');
      expect(closed.filter((t) => t.assignee === 'sara.secretariat')).toHaveLength(10);
      // Closed without the reason, which the decline's answer and the mail carry.
      expect(closed.map((t) => t.cancelReason)).toEqual(Array(10).fill({ code: 'contractDeclined' }));
      expect(c.world.notified('contractDeclined').at(-1)!.reason).toEqual({ code: 'contractDeclined', text: 'Vilkårene holder ikke (10)', declines: 10 });
      expect(await refusalCode(c.contract(terms('2027-01-01', '10000000')))).toBe('tooManyDeclinedContracts');
      await c.withdraw('Parterne kan ikke blive enige om en kontrakt');
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
    });

    it('keeps a contract proposed while the refusal of the last one is being written', async () => {
      // The refusal's notice takes its time: the secretariat proposes the next contract meanwhile.
      const notice = holding('notify', (n) => n.event === 'contractRefusedByFund');
      const c = await inContracting((world, fakes) => ({ ...refusingReservations(1)(world), ...notice.overrides(world, fakes) }));
      await investorConfirmed(c);
      await c.contract(terms('2027-01-01', '22000000'));
      await signBoth(c);
      await soon(async () => expect((await c.state()).contracting!.contract).toBeUndefined());
      // Its Update is taken at once; its own timeline entry waits for the notice (a case's short steps run one at a time).
      const proposing = await c.handle.startUpdate(contractingUpdate, {
        args: [{ actor: sara, input: contractingActionInput.parse(terms('2027-01-01', '15000000')) }],
        waitForStage: 'ACCEPTED',
      });
      notice.letGo();
      await proposing.result();
      await soon(() => expect(c.world.notified('contractRefusedByFund')).toHaveLength(1));
      // The new contract goes out for signature, as its Update said it would.
      await soon(() => expect(c.world.tasksOf('contractSigning', 'open')).toHaveLength(2));
      expect((await c.state()).contracting!.contract).toMatchObject({ totalCapOre: dkk(15_000_000) });
    });

    it('takes no more contracts once the fund has refused 20, and the case can still be withdrawn', async () => {
      const c = await inContracting(refusingReservations());
      await investorConfirmed(c);
      for (let i = 1; i <= 20; i++) {
        await c.contract(terms('2027-01-01', '15000000'));
        await signBoth(c);
        await soon(() => expect(c.world.notified('contractRefusedByFund')).toHaveLength(i));
      }
      expect(c.world.notified('contractRefusedByFund').at(-1)).toMatchObject({
        reason: { code: 'fundRefusalsExhausted', refusals: 20 },
        to: { users: ['sara.secretariat'], otherwise: 'secretariat' },
      });
      expect(c.world.events.filter((e) => e.type === 'fundRefusalsExhausted').map((e) => e.details)).toEqual([{ refusals: 20 }]);
      expect((await c.state()).contracting!.refusedByFund).toBe(20);
      expect(c.world.notified('contractRefusedByFund').at(-2)!.reason).toBeUndefined();
      await soon(async () => expect((await c.state()).contracting!.contract).toBeUndefined());
      expect(await refusal(c.contract(terms('2027-01-01', '10000000')))).toBe('Conflict');
      expect(c.world.tasksOf('contractSigning')).toHaveLength(40);
      await c.withdraw('Fonden kan ikke dække kontrakten');
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
    });

    it("records for the fund's outlook what the contract still expects at each change, a point that earned nothing too", async () => {
      const c = await inContracting();
      const today = async () => isoDay(await logic().env.currentTimeMs());
      const agree = async () => {
        const { recorded, live } = await c.outlookFlows(housingFirst, await today());
        expect(recorded).toEqual(live);
        return live;
      };
      // Approved, not yet reserved: what it asked for.
      expect((await agree()).flows.reduce((s, f) => s + f.amountOre, 0)).toBe(dkk(23_000_000));
      await investorConfirmed(c);
      await c.contract(terms(await today(), '8000000', [12, 24, 36]));
      await signBoth(c);
      await c.waitForStage('Implementation');
      const signed = await agree();
      expect(signed.flows.filter((f) => f.kind === 'outcomePayment').map((f) => f.amountOre)).toEqual([dkk(2_000_000), dkk(2_000_000), dkk(2_000_000)]);

      // Nothing achieved at 12 months: nothing booked, and two points are left to earn the 6 million.
      await logic().env.sleep('366 days');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 0, evidence: 'Registerdata' }] });
      await c.complete('outcomeVerification', { confirmed: true });
      await c.openTask('savingsConfirmation');
      expect((await agree()).flows.filter((f) => f.kind === 'outcomePayment').map((f) => f.amountOre)).toEqual([dkk(3_000_000), dkk(3_000_000)]);
      await c.complete('savingsConfirmation', { realisedSavings: '0' });
      // Nothing came back either, yet the outlook no longer expects the point's savings.
      await soon(() => expect(c.world.commitments.get(c.proposalId)!.commitment.implementation!.measurements).toEqual([{ months: 12, paymentOre: 0, returnedOre: 0 }]));

      // 35 paid at 24 months: 2.5 million of the metric's 6 million is left for the last point.
      await logic().env.sleep('366 days');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 35, evidence: 'Registerdata' }] });
      await c.complete('outcomeVerification', { confirmed: true });
      await c.openTask('savingsConfirmation');
      expect((await agree()).flows.filter((f) => f.kind === 'outcomePayment').map((f) => f.amountOre)).toEqual([dkk(2_500_000)]);
      await c.complete('savingsConfirmation', { realisedSavings: '0' });

      await logic().env.sleep('366 days');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 0, evidence: 'Registerdata' }] });
      await c.complete('outcomeVerification', { confirmed: true });
      await c.complete('savingsConfirmation', { realisedSavings: '0' });
      await c.complete('contractFinalReport', { summary: 'Forløbet er slut', lessonsLearned: 'Tidlig bolig virker' });
      await c.handle.result();
      expect((await c.outlookFlows(housingFirst, await today())).recorded?.stage).toBe('Closed');
    });

    it('returns to the fund every agreed yearly amount of savings, also of a year between two measurement points', async () => {
      const perYear = [
        { year: 1, amount: '200000' },
        { year: 2, amount: '300000' },
        { year: 3, amount: '500000' },
      ];
      const c = await inContracting(undefined, { kind: 'amounts', perYear });
      await investorConfirmed(c);
      const start = isoDay(await logic().env.currentTimeMs());
      await c.contract(terms(start, '8000000', [18, 36]));
      await signBoth(c);
      await c.waitForStage('Implementation');
      for (const months of [18, 36]) {
        // To the point's day: 18 months are 546 to 550 days, as the months and a 29 February fall.
        await logic().env.sleep(Math.max(0, Date.parse(addMonths(start, months)) - (await logic().env.currentTimeMs())) + 60_000);
        await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 0, evidence: 'Registerdata' }] });
        await c.complete('outcomeVerification', { confirmed: true });
        await c.complete('savingsConfirmation', { realisedSavings: '2000000' });
      }
      // Year 1 is owed at 18 months beside year 2, year 3 at 36: a million in all, as agreed.
      await soon(() =>
        expect(c.world.bookingsOf(c.proposalId).filter(([kind]) => kind === 'savingsReturned')).toEqual([
          ['savingsReturned', dkk(500_000)],
          ['savingsReturned', dkk(500_000)],
        ]),
      );
    });

    it('takes at most 20 investor offers, each an Update in the history', async () => {
      const c = await inContracting();
      const offer = (i: number) => ({ action: 'registerInvestorOffer', investor: `Investor ${i}`, amountCommitted: '20000000', conditions: 'Ingen' });
      for (let i = 1; i <= 20; i++) await c.contract(offer(i));
      expect(await refusal(c.contract(offer(21)))).toBe('Conflict');
      expect((await c.state()).contracting!.offers.map((o) => o.id).at(-1)).toBe('offer-20');
    });

    it("gives each measurement point's tasks to who holds the roles when they open: a new department head, the secretariat as it is then", async () => {
      let head = 'msb.head';
      const c = await inContracting((_world, fakes) => ({ resolveAssignee: async (q) => (q.role === 'department' ? head : fakes.resolveAssignee(q)) }));
      await investorConfirmed(c);
      await c.contract(terms(isoDay(await logic().env.currentTimeMs()), '8000000'));
      await signBoth(c);
      await c.waitForStage('Implementation');

      await logic().env.sleep('366 days');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 10, evidence: 'Registerdata' }] }, { assignee: 'sara.secretariat' });
      // The head changes while the first point is being verified: the savings go to the new one.
      head = 'msb.newhead';
      await c.complete('outcomeVerification', { confirmed: true }, { assignee: 'msb.head' });
      await c.complete('savingsConfirmation', { realisedSavings: '0' }, { assignee: 'msb.newhead' });

      // A year on, Sara has left the secretariat: her part goes to who is in it.
      c.world.secretariat = ['jonas.secretariat'];
      await logic().env.sleep('366 days');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 10, evidence: 'Registerdata' }] }, { assignee: 'jonas.secretariat' });
      await c.complete('outcomeVerification', { confirmed: true }, { assignee: 'msb.newhead' });
      await c.complete('savingsConfirmation', { realisedSavings: '0' }, { assignee: 'msb.newhead' });
      await c.complete('contractFinalReport', { summary: 'Forløbet er slut', lessonsLearned: 'Tidlig bolig virker' }, { assignee: 'jonas.secretariat' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Closed', by: 'jonas.secretariat' });
    });

    it('pays for verified outcomes from the reservation, returns the agreed share of savings, and releases the rest at the end', async () => {
      const c = await inContracting();
      await investorConfirmed(c);
      const start = isoDay(await logic().env.currentTimeMs());
      await c.contract(terms(start, '8000000'));
      await signBoth(c);
      await c.waitForStage('Implementation');
      expect(c.world.tasksOf('outcomeReport')).toEqual([]);

      await logic().env.sleep('366 days');
      // Every metric of the rate card, once.
      expect(await refusal(c.complete('outcomeReport', { results: [{ metric: 'Noget andet', unitsAchieved: 3, evidence: 'x' }] }))).toBe('Conflict');
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 40, evidence: 'Registerdata' }] });
      // The department corrects the units: 35 are paid, at 100,000 DKK each.
      await c.complete('outcomeVerification', { confirmed: false, corrected: [{ metric, units: 35 }], note: 'Fem flyttede ud' });
      await c.complete('savingsConfirmation', { realisedSavings: '2000000' });
      await soon(() => expect(c.world.bookingsOf(c.proposalId)).toContainEqual(['savingsReturned', dkk(600_000)]));

      await logic().env.sleep('366 days');
      // 40 more would earn 4 million; the metric's maximum leaves 2.5 million.
      await c.complete('outcomeReport', { results: [{ metric, unitsAchieved: 40, evidence: 'Registerdata' }] });
      await c.complete('outcomeVerification', { confirmed: true });
      await c.complete('savingsConfirmation', { realisedSavings: '1000000' });
      await c.complete('contractFinalReport', { summary: 'Forløbet er slut', lessonsLearned: 'Tidlig bolig virker' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Closed', by: 'sara.secretariat' });

      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(23_000_000)],
        ['reservation', dkk(8_000_000)],
        ['outcomePayment', dkk(3_500_000)],
        ['savingsReturned', dkk(600_000)],
        ['outcomePayment', dkk(2_500_000)],
        ['savingsReturned', dkk(300_000)],
        ['release', dkk(2_000_000)],
      ]);
      expect(c.world.reservedFor(c.proposalId)).toBe(0);
      const payments = c.world.ledger.filter((e) => e.proposalId === c.proposalId && e.kind === 'outcomePayment');
      expect(payments.map((p) => [p.fromReservation, p.counterpart])).toEqual([
        [true, 'Den Sociale Kapitalfond'],
        [true, 'Den Sociale Kapitalfond'],
      ]);
      const { implementation } = await c.state();
      expect(implementation!.measurements.map((m) => [m.months, m.units, m.corrected, m.paymentOre, m.returnedOre])).toEqual([
        [12, { [metric]: 35 }, true, dkk(3_500_000), dkk(600_000)],
        [24, { [metric]: 40 }, false, dkk(2_500_000), dkk(300_000)],
      ]);
      expect(implementation).toMatchObject({ paidOre: dkk(6_000_000), releasedOre: dkk(2_000_000), reservedOre: 0 });
    });
  });
}
