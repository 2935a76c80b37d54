import { housingFirst } from '../fixtures/proposals';
import { actor } from '../support/drive';
import { day, dkk } from '../support/units';
import { holding, type Overrides } from '../support/stubActivities';
import { refusal, refusalCode, sara, soon, type ProposalCase, type WorkflowLogic } from '../support/workflowLogic';
import { WorkflowUpdateStage } from '@temporalio/client';
import { procurementActionInput } from '../../domain/procurementInput';
import { procurementUpdate } from '../../workflows/messages';

const jonas = actor('jonas.secretariat', 'secretariat');
const criteria = [
  { name: 'Pris', weight: 40 },
  { name: 'Kvalitet', weight: 60 },
];

/** Procurement of the outcome-based track: procedure, tender, bid window, four eyes, the recommendation the council decides, award, standstill, complaints. */
export function procurementTests(logic: () => WorkflowLogic) {
  describe('procurement (stubbed activities)', () => {
    async function inProcurement(overrides?: Overrides): Promise<ProposalCase> {
      const c = await logic().startProposal(housingFirst, { overrides });
      await c.approveThroughAgreement();
      await c.waitForStage('Procurement');
      return c;
    }

    const decide = (procedure: string, rationale?: string) => ({
      action: 'decideProcedure',
      serviceKind: 'social',
      estimatedValue: '23000000',
      procedure,
      ...(rationale ? { rationale } : {}),
    });
    const tender = (deadlineMs: number) => ({
      action: 'prepareTender',
      title: 'Housing First-indsats',
      description: 'Bostøtte efter ICM-metoden.',
      awardCriteria: criteria,
      estimatedValue: '23000000',
      deadline: new Date(deadlineMs).toISOString(),
    });
    const scores = (perBid: Record<string, number[]>) => ({
      action: 'evaluate',
      scores: Object.entries(perBid).flatMap(([bidId, s]) => criteria.map((c, i) => ({ bidId, criterion: c.name, score: s[i] }))),
    });

    it("awards directly, against the thresholds only with a rationale and on the council's approval, and goes on to contracting", async () => {
      const c = await inProcurement();
      expect(await refusal(c.procure(decide('directAward'), actor('bo.member', 'councilMember')))).toBe('Forbidden');
      // 23 million is above the light-regime threshold: the thresholds propose an EU tender.
      expect(await refusal(c.procure(decide('directAward')))).toBe('Conflict');
      await c.procure(decide('directAward', 'Eneste leverandør med et valideret forløb'));
      expect(await refusal(c.procure(tender((await logic().env.currentTimeMs()) + 40 * day)))).toBe('Conflict');
      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '22000000', reasons: 'Valideret forløb', rationale: 'Videreførelse' });
      // While the council decides, no other recommendation, and no award yet.
      expect(await refusal(c.procure({ action: 'recommendDirectAward', supplier: 'Andre ApS', price: '1', reasons: 'R', rationale: 'R' }))).toBe('Conflict');
      expect((await c.state()).procurement!.award).toBeUndefined();
      // The council's decision is a task for each member, answered by the members only.
      await soon(() =>
        expect(
          c.world
            .tasksOf('awardDecision', 'open')
            .map((t) => t.assignee)
            .sort(),
        ).toEqual(['anne.chair', 'bo.member', 'cecilie.member']),
      );
      await c.councilApproves('awardDecision');
      const state = await c.waitForStage('Contracting');
      expect(state.procurement).toMatchObject({
        proposedProcedure: 'euTender',
        procedure: 'directAward',
        award: { supplier: 'Fonden Ny Start', stands: true, recommendation: 1 },
        recommendations: [
          {
            number: 1,
            council: {
              result: 'approved',
              answers: [
                { memberId: 'anne.chair', decision: 'approve' },
                { memberId: 'bo.member', decision: 'approve' },
              ],
            },
          },
        ],
      });
      expect(c.world.tasksOf('awardDecision', 'cancelled').map((t) => t.assignee)).toEqual(['cecilie.member']);
      expect(c.world.called('recordEvent').map((e) => (e as { type: string }).type)).toEqual([
        'created',
        'procurement.decideProcedure',
        'procurement.recommendDirectAward',
        'procurement.councilDecision',
        'procurement.directAward',
      ]);
    });

    it("returns a recommendation with the council's comments to the secretariat, who recommends again", async () => {
      const c = await inProcurement();
      await c.procure(decide('directAward', 'Eneste leverandør med et valideret forløb'));
      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '22000000', reasons: 'Valideret forløb', rationale: 'Videreførelse' });
      // A recused member does not vote; the other two must then agree.
      await c.decide('awardDecision', 'cecilie.member', 'conflictOfInterest');
      await c.decide('awardDecision', 'anne.chair', 'return', 'Prisen skal begrundes nærmere');
      expect((await c.state()).procurement!.recommendations[0].council?.result).toBeUndefined();
      await c.decide('awardDecision', 'bo.member', 'return', 'Og leverancen');
      await soon(async () => expect((await c.state()).procurement!.recommendations[0].council?.result).toBe('returned'));
      const told = c.world.called('notify').find((n) => (n as { event: string }).event === 'selectionDecided') as { to: unknown; reason: unknown };
      expect(told).toMatchObject({
        to: { users: ['sara.secretariat'] },
        reason: { code: 'selectionReturned', subject: 'award', comments: ['Prisen skal begrundes nærmere', 'Og leverancen'] },
      });
      expect((await c.state()).stage).toBe('Procurement');

      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '21000000', reasons: 'Prisen er forhandlet ned', rationale: 'Videreførelse' });
      await c.councilApproves('awardDecision');
      const state = await c.waitForStage('Contracting');
      expect(state.procurement!.award).toMatchObject({ priceOre: dkk(21_000_000), recommendation: 2 });
    });

    it("refuses to cancel the tender while the council's approval is being recorded, and the award stands", async () => {
      // The decision's timeline entry takes its time: the secretariat acts meanwhile.
      const decision = holding('recordEvent', (e) => e.type === 'procurement.councilDecision');
      const c = await inProcurement(decision.overrides);
      await c.procure(decide('directAward', 'Eneste leverandør med et valideret forløb'));
      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '22000000', reasons: 'Valideret forløb', rationale: 'Videreførelse' });
      await c.councilApproves('awardDecision');
      try {
        await soon(() => expect(c.world.called('recordEvent').some((e) => (e as { type: string }).type === 'procurement.councilDecision')).toBe(true));
        expect(await refusalCode(c.procure({ action: 'cancelTender', reason: 'Markedet kan ikke levere' }))).toBe('recommendationWithCouncil');
        expect(await refusalCode(c.procure({ action: 'recommendDirectAward', supplier: 'Andre ApS', price: '1', reasons: 'R', rationale: 'R' }))).toBe('recommendationWithCouncil');
      } finally {
        decision.letGo();
      }
      const state = await c.waitForStage('Contracting');
      expect(state.procurement!.award).toMatchObject({ supplier: 'Fonden Ny Start', stands: true });
    });

    it("bounds a round's redrafts of its tender and each evaluator's corrections, each an Update in the case's history", async () => {
      const c = await inProcurement();
      await c.procure(decide('euTender'));
      const now = await logic().env.currentTimeMs();
      for (let i = 0; i < 20; i++) await c.procure(tender(now + (40 + i) * day));
      expect(await refusal(c.procure(tender(now + 70 * day)))).toBe('Conflict');
      expect((await c.state()).procurement!.tender).toMatchObject({ drafts: 20, deadline: new Date(now + 59 * day).toISOString() });
      await c.procure({ action: 'publishTender' });
      await c.procure({ action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', price: '21500000' }, jonas);
      await logic().env.sleep(60 * day);
      for (let i = 0; i < 20; i++) await c.procure(scores({ 'bid-1.1': [i % 10, 5] }), jonas);
      expect(await refusal(c.procure(scores({ 'bid-1.1': [9, 9] }), jonas))).toBe('Conflict');
      // Another evaluator's count is their own.
      await c.procure(scores({ 'bid-1.1': [7, 7] }));
      expect((await c.state()).procurement!.evaluations.map((e) => [e.evaluator, e.times, e.scores[0].score])).toEqual([
        ['jonas.secretariat', 20, 9],
        ['sara.secretariat', 1, 7],
      ]);
    });

    it('closes the bid window by its timer, needs a second evaluator, and lets the award stand only after the standstill and an upheld complaint', async () => {
      const c = await inProcurement();
      await c.procure(decide('euTender'));
      const now = await logic().env.currentTimeMs();
      // The tender period is at least the configured 30 days.
      expect(await refusal(c.procure(tender(now + 20 * day)))).toBe('Conflict');
      await c.procure(tender(now + 40 * day));
      expect(await refusal(c.procure({ action: 'registerBid', bidder: 'For tidligt ApS', price: '1' }))).toBe('Conflict');
      await c.procure({ action: 'publishTender' });
      // A bid prices the effects the council approved, however the Update comes: another metric is refused, the council's own taken in any spelling.
      const pricing = (metric: string) => ({ action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', price: '21500000', outcomePrices: [{ metric, pricePerUnit: '150000' }] });
      expect(await refusalCode(c.procure(pricing('Antal samtaler'), jonas))).toBe('metricNotApproved');
      await c.procure(pricing('ANDEL I EGEN BOLIG'), jonas);
      await c.procure({ action: 'registerBid', bidder: 'Fonden Ny Start', price: '22800000' }, jonas);
      expect((await c.state()).procurement!.bids.map((b) => b.outcomePrices.map((o) => o.metric))).toEqual([['ANDEL I EGEN BOLIG'], []]);
      // Evaluation waits for the deadline.
      expect(await refusal(c.procure(scores({ 'bid-1.1': [5, 5], 'bid-1.2': [5, 5] })))).toBe('Conflict');

      await logic().env.sleep(41 * day);
      expect(await refusal(c.procure({ action: 'registerBid', bidder: 'Sent A/S', price: '1000' }, jonas))).toBe('Conflict');
      expect((await c.state()).procurement!.tender!.closedAt).toBeDefined();
      await c.procure(scores({ 'bid-1.1': [8, 6], 'bid-1.2': [6, 9] }));
      // The one who prepared the tender never evaluates alone.
      expect(await refusal(c.procure({ action: 'recommendAward', bidId: 'bid-1.2', reasons: 'Bedst' }))).toBe('Conflict');
      await c.procure(scores({ 'bid-1.1': [8, 6], 'bid-1.2': [6, 9] }), jonas);
      // bid-1.2 ranks first (40×6 + 60×9 = 780 against 680): another needs a rationale.
      expect(await refusal(c.procure({ action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Billigst' }))).toBe('Conflict');
      await c.procure({ action: 'recommendAward', bidId: 'bid-1.2', reasons: 'Bedste kvalitet' });
      expect((await c.state()).procurement!.ranking!.map((r) => r.bidId)).toEqual(['bid-1.2', 'bid-1.1']);
      // The standstill begins with the council's approval, not the recommendation.
      await logic().env.sleep(11 * day);
      expect((await c.state()).procurement!.award).toBeUndefined();
      await c.councilApproves('awardDecision');
      await soon(async () => expect((await c.state()).procurement!.award).toMatchObject({ bidId: 'bid-1.2', stands: false }));

      // An upheld complaint in the standstill annuls the award; the secretariat recommends again, and the council decides again.
      await c.procure({ action: 'recordComplaint', complainant: 'Bostøtte Aarhus A/S', summary: 'Kvalitet vurderet forkert' });
      await c.procure({ action: 'resolveComplaint', number: 1, upheld: true, note: 'Klagen tages til følge' });
      let state = await c.state();
      expect(state.procurement!.award).toBeUndefined();
      expect(state.procurement!.earlierRounds).toMatchObject([{ outcome: 'awardAnnulled' }]);
      await c.procure({ action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Efter klagen', rationale: 'Efter klagen' });
      await c.councilApproves('awardDecision');
      await soon(async () => expect((await c.state()).procurement!.award).toMatchObject({ bidId: 'bid-1.1' }));
      await logic().env.sleep(5 * day);
      expect((await c.state()).stage).toBe('Procurement');
      // A complaint made in the standstill holds the award past its end; one made after it is not taken, and holds nothing.
      await c.procure({ action: 'recordComplaint', complainant: 'Fonden Ny Start', summary: 'Prisen er urealistisk lav' });
      await logic().env.sleep(6 * day);
      expect((await c.state()).stage).toBe('Procurement');
      expect(await refusalCode(c.procure({ action: 'recordComplaint', complainant: 'Andre ApS', summary: 'For sent' }))).toBe('complaintOutsideStandstill');
      // Lodged in the standstill (the fund was told then), a complaint recorded after its end holds the award too; none is lodged ahead of now.
      const endsAt = Date.parse((await c.state()).procurement!.award!.standstillEndsAt!);
      const later = (await logic().env.currentTimeMs()) + day;
      expect(await refusalCode(c.procure({ action: 'recordComplaint', complainant: 'Andre ApS', summary: 'Fremtid', lodgedAt: new Date(later).toISOString() }))).toBe(
        'complaintLodgedAhead',
      );
      await c.procure({ action: 'recordComplaint', complainant: 'Andre ApS', summary: 'Indgivet i tide', lodgedAt: new Date(endsAt - 3_600_000).toISOString() });
      await c.procure({ action: 'resolveComplaint', number: 2, upheld: false, note: 'Klagen afvises' });
      expect((await c.state()).stage).toBe('Procurement');
      await c.procure({ action: 'resolveComplaint', number: 3, upheld: false, note: 'Klagen afvises' });
      state = await c.waitForStage('Contracting');
      expect(state.procurement!.complaints.map((k) => [k.number, Date.parse(k.lodgedAt!) < endsAt])).toEqual([
        [1, true],
        [2, true],
        [3, true],
      ]);
      expect(state.procurement!.award).toMatchObject({ supplier: 'Bostøtte Aarhus A/S', stands: true });
    });

    /** A tender's award in its standstill, two complaints against it recorded, the first upheld: the award is annulled, the second still open. */
    async function annulledWithAComplaintOpen(): Promise<ProposalCase> {
      const c = await inProcurement();
      await c.procure(decide('euTender'));
      await c.procure(tender((await logic().env.currentTimeMs()) + 31 * day));
      await c.procure({ action: 'publishTender' });
      await c.procure({ action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', price: '21500000' }, jonas);
      await c.procure({ action: 'registerBid', bidder: 'Fonden Ny Start', price: '22800000' }, jonas);
      await logic().env.sleep(32 * day);
      await c.procure(scores({ 'bid-1.1': [8, 6], 'bid-1.2': [6, 9] }));
      await c.procure(scores({ 'bid-1.1': [8, 6], 'bid-1.2': [6, 9] }), jonas);
      await c.procure({ action: 'recommendAward', bidId: 'bid-1.2', reasons: 'Bedste kvalitet' });
      await c.councilApproves('awardDecision');
      await soon(async () => expect((await c.state()).procurement!.award).toMatchObject({ recommendation: 1, stands: false }));
      await c.procure({ action: 'recordComplaint', complainant: 'Bostøtte Aarhus A/S', summary: 'Kvalitet vurderet forkert' });
      await c.procure({ action: 'recordComplaint', complainant: 'Andre ApS', summary: 'Ikke inviteret' });
      await c.procure({ action: 'resolveComplaint', number: 1, upheld: true, note: 'Klagen tages til følge' });
      expect((await c.state()).procurement!.award).toBeUndefined();
      return c;
    }

    it('closes a cancelled tender though a complaint against the annulled award is still open, where the case waited on it for good', async () => {
      const c = await annulledWithAComplaintOpen();
      await c.procure({ action: 'cancelTender', reason: 'Markedet kan ikke levere' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Cancelled', reason: { code: 'tenderCancelled' } });
    });

    it('lets a complaint against an annulled award neither hold nor annul the next award, and records how it ended', async () => {
      const c = await annulledWithAComplaintOpen();
      // The council decides the next recommendation at once: the case no longer waits on the open complaint first.
      await c.procure({ action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Efter klagen', rationale: 'Efter klagen' });
      await c.councilApproves('awardDecision');
      await soon(async () => expect((await c.state()).procurement!.award).toMatchObject({ recommendation: 2, stands: false }));
      await c.procure({ action: 'resolveComplaint', number: 2, upheld: true, note: 'Gjaldt den første tildeling' });
      let state = await c.state();
      expect(state.procurement!.award).toMatchObject({ recommendation: 2 });
      expect(state.procurement!.earlierRounds).toHaveLength(1);
      await logic().env.sleep(11 * day);
      state = await c.waitForStage('Contracting');
      expect(state.procurement!.award).toMatchObject({ supplier: 'Bostøtte Aarhus A/S', stands: true });
      expect(state.procurement!.complaints.map((k) => [k.number, k.award, k.resolution?.upheld])).toEqual([
        [1, 1, true],
        [2, 1, true],
      ]);
    });

    it('refuses a withdrawal sent right behind a cancelled tender, though both reach the workflow in one task: it closes as Cancelled', async () => {
      // The move to procurement takes its time: what the secretariat sends meanwhile waits, and comes in one workflow task.
      const move = holding('recordStage', (s) => s.stage === 'Procurement');
      const c = await logic().startProposal(housingFirst, { overrides: move.overrides });
      await c.approveThroughAgreement();
      let withdrawal: Promise<string | undefined>;
      try {
        await soon(() => expect(c.world.called('recordStage').some((s) => (s as { stage: string }).stage === 'Procurement')).toBe(true));
        const cancelling = c.handle.startUpdate(procurementUpdate, {
          args: [{ actor: sara, input: procurementActionInput.parse({ action: 'cancelTender', reason: 'Markedet kan ikke levere' }) }],
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        });
        // The cancellation reaches the server first; both come to the workflow when its task next completes (the held step's heartbeat, 8 s on).
        await new Promise((resolve) => setTimeout(resolve, 2000));
        withdrawal = refusalCode(c.sendWithdrawal('Ikke længere relevant'));
        await cancelling;
      } finally {
        move.letGo();
      }
      expect(await withdrawal).toBe('alreadyClosed');
      expect(await c.handle.result()).toMatchObject({ stage: 'Cancelled', reason: { code: 'tenderCancelled' } });
    });

    it('takes no procurement step while a withdrawal closes the case', async () => {
      // The earmark's release takes its time: the secretariat cancels the tender meanwhile.
      const release = holding('releaseEarmark');
      const c = await inProcurement(release.overrides);
      try {
        await c.sendWithdrawal('Ikke længere relevant');
        await soon(() => expect(c.world.called('releaseEarmark')).toHaveLength(1));
        expect(await refusalCode(c.procure({ action: 'cancelTender', reason: 'Markedet kan ikke levere' }))).toBe('alreadyClosed');
        expect(await refusalCode(c.sendWithdrawal('Igen'))).toBe('alreadyWithdrawing');
      } finally {
        release.letGo();
      }
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
      expect(c.world.events.map((e) => e.type)).not.toContain('procurement.cancelTender');
    });

    it('re-tenders a round without bids, then cancels, which closes the proposal as Cancelled', async () => {
      const c = await inProcurement();
      await c.procure(decide('euTender'));
      await c.procure(tender((await logic().env.currentTimeMs()) + 31 * day));
      await c.procure({ action: 'publishTender' });
      // Not while bids may still come in.
      expect(await refusal(c.procure({ action: 'retender', reason: 'Ingen bud' }))).toBe('Conflict');
      await logic().env.sleep(32 * day);
      await c.procure({ action: 'retender', reason: 'Ingen bud' });
      await c.procure(tender((await logic().env.currentTimeMs()) + 31 * day));
      const state = await c.state();
      expect(state.procurement).toMatchObject({ round: 2, earlierRounds: [{ round: 1, outcome: 'retendered' }] });
      await c.procure({ action: 'cancelTender', reason: 'Markedet kan ikke levere' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Cancelled', reason: { code: 'tenderCancelled', text: 'Markedet kan ikke levere' }, by: 'sara.secretariat' });
      expect(c.world.stageNames().slice(-2)).toEqual(['Procurement', 'Cancelled']);
      // Cancelled before any contract: the council's earmark goes back.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(23_000_000)],
        ['earmarkRelease', dkk(23_000_000)],
      ]);
    });

    it('takes no re-tender before a procedure is decided, and one ending of a round at a time', async () => {
      const c = await inProcurement();
      const before = (await c.handle.describe()).historyLength;
      // Before this, each was accepted and recorded, and the first stayed pending to re-tender a direct award later.
      expect(await refusalCode(c.procure({ action: 'retender', reason: 'Ingen bud' }))).toBe('noProcedureToRepeat');
      expect((await c.handle.describe()).historyLength - before).toBeLessThan(4);
      await c.procure(decide('directAward', 'Kun én leverandør kan levere ICM'));
      expect((await c.state()).procurement).toMatchObject({ round: 1, earlierRounds: [] });
      expect(c.world.events.map((e) => e.type)).not.toContain('procurement.retender');
    });

    it('refuses procurement steps before the proposal reaches procurement', async () => {
      const c = await logic().startProposal(housingFirst);
      // The handler is there from the start; its validator refuses the step by stage.
      expect(await refusal(c.procure(decide('euTender')))).toBe('Conflict');
      await c.submit();
      expect(await refusal(c.procure(decide('euTender')))).toBe('Conflict');
      expect((await c.state()).procurement).toBeUndefined();
    });
  });
}
