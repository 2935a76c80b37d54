import { WorkflowUpdateStage } from '@temporalio/client';
import { holding } from '../support/stubActivities';
import { housingFirst } from '../fixtures/proposals';
import { actor } from '../support/drive';
import { dkk } from '../support/units';
import { councilChangedSignal, reassignTaskUpdate } from '../../workflows/messages';
import { FakeFund, refusal, refusalCode, soon, sara, type ProposalCase, type WorkflowLogic } from '../support/workflowLogic';
import { maxCouncilRounds } from '../../domain/council';

const five = { members: ['anne.chair', 'bo.member', 'cecilie.member', 'dorte.member', 'emil.member'], chair: 'anne.chair' };

/**
 * Motivation and the council's rounds: the real workflow code on the time-skipping
 * server, every activity an in-memory fake. What is asserted is what the workflow
 * asked for (tasks, stages, notifications) and how it refused (Conflict/Forbidden).
 */
export function councilDecisionTests(logic: () => WorkflowLogic) {
  describe('the council decision (stubbed activities)', () => {
    /** Submitted, with one open vote task per member. */
    async function submitted(options: Parameters<WorkflowLogic['startProposal']>[1] = {}): Promise<ProposalCase> {
      const c = await logic().startProposal(housingFirst, options);
      await c.submit();
      await soon(() => expect(c.world.tasksOf('councilVote', 'open')).toHaveLength(c.world.council.members.length));
      return c;
    }

    /** Who has a vote open, in order of name. */
    const openVoters = (c: ProposalCase) =>
      c.world
        .tasksOf('councilVote', 'open')
        .map((t) => t.assignee)
        .sort();

    const openKinds = (c: ProposalCase) =>
      [...c.world.tasks.values()]
        .filter((t) => t.status === 'open')
        .map((t) => `${t.kind}:${t.assignee}`)
        .sort();

    it('revises only for the secretariat, then submits a decision paper and opens a vote for each member', async () => {
      const c = await logic().startProposal(housingFirst);
      const revise = (by: typeof sara) => c.revise({ ...housingFirst, title: 'Housing First, revideret' }, by);
      expect(await refusal(revise(actor('bo.member', 'councilMember')))).toBe('Forbidden');
      await revise(sara);
      // The workflow adopts the stored draft by its id; its own summary follows the revision.
      expect(c.world.called('adoptDraft')).toMatchObject([
        { proposalId: c.proposalId, draftId: `${c.proposalId}.draft.2` /* the refused one was draft 1 */, revision: 1, by: 'sara.secretariat' },
      ]);
      expect(await refusal(c.submit(actor('bo.member', 'councilMember')))).toBe('Forbidden');
      expect(c.world.decisionPapers).toEqual([]);

      await c.submit();
      expect(c.world.decisionPapers).toEqual([{ proposalId: c.proposalId, round: 1 }]);
      await soon(() => expect(openKinds(c)).toEqual(['councilVote:anne.chair', 'councilVote:bo.member', 'councilVote:cecilie.member']));
      expect(c.world.stageNames()).toEqual(['CouncilDecision']);
      // The votes open side by side, so their notices come in any order.
      await soon(() =>
        expect(
          c.world
            .notified('taskCreated')
            .map((n) => n.to.users![0])
            .sort(),
        ).toEqual(['anne.chair', 'bo.member', 'cecilie.member']),
      );
      // Submitted once; the draft is frozen while the council has it.
      expect(await refusal(c.submit())).toBe('Conflict');
      expect(await refusal(revise(sara))).toBe('Conflict');
    });

    it('applies a revision sent again after the draft continued as new once: the new run answers it as the old one did', async () => {
      const c = await logic().startProposal(housingFirst);
      const firstRun = (await c.handle.describe()).runId;
      const revise = (n: number) => c.revise({ ...housingFirst, title: `Housing First, udkast ${n}` }, sara, `revision-${n}`);
      // Revised until the history is long enough for the workflow to continue as new (motivationHistoryLimit).
      let lastInFirstRun = 0;
      for (let n = 1; ; n++) {
        expect(n).toBeLessThan(300);
        await revise(n);
        if ((await c.handle.describe()).runId !== firstRun) break;
        lastInFirstRun = n;
      }
      expect(lastInFirstRun).toBeGreaterThan(0);
      const adopted = c.world.called('adoptDraft').length;

      // The same Update ID again, as a retry with the same Idempotency-Key sends it: not a second revision.
      await revise(lastInFirstRun);
      expect(c.world.called('adoptDraft')).toHaveLength(adopted);
      // A new one is.
      await revise(1000);
      expect(c.world.called('adoptDraft')).toHaveLength(adopted + 1);
      expect(c.world.called('adoptDraft').at(-1)).toMatchObject({ revision: adopted + 1 });
    });

    it('approves by a majority, cancels the vote no longer needed, and goes to the mayor once the chair attests', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'approve');
      await c.vote('bo.member', 'approve');
      const attestation = await c.openTask('councilAttestation');
      expect(attestation.assignee).toBe('anne.chair');
      const late = c.world.tasksOf('councilVote').find((t) => t.assignee === 'cecilie.member')!;
      expect(late.status).toBe('cancelled');
      // The cancelled vote can no longer be cast.
      expect(await refusal(c.answer(late.id, actor('cecilie.member', 'councilMember'), { decision: 'reject' }))).toBe('Conflict');
      // Nobody may answer for the chair.
      expect(await refusal(c.complete('councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, { by: 'bo.member' }))).toBe(
        'Forbidden',
      );

      await c.attest();
      await c.waitForStage('MayoralApproval');
      expect((await c.openTask('mayoralApproval')).assignee).toBe('mayor');
      const [round] = (await c.state()).rounds;
      expect(round).toMatchObject({ number: 1, result: 'approve', attestation: { by: 'anne.chair', attested: true } });
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'MayoralApproval']);
      // The votes' approval holds its money in the ledger from the moment they passed.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([['earmark', dkk(23_000_000)]]);
      expect(c.world.ledger.at(-1)).toMatchObject({ key: `${c.proposalId}.r1.earmark`, by: 'council' });
    });

    it('refuses a vote by someone else, a second answer to the same task, and a task of another proposal', async () => {
      const c = await submitted();
      const bo = await c.openTask('councilVote', 'bo.member');
      expect(await refusal(c.complete('councilVote', { decision: 'approve' }, { assignee: 'bo.member', by: 'cecilie.member' }))).toBe('Forbidden');
      await c.vote('bo.member', 'approve');
      expect(await refusal(c.answer(bo.id, actor('bo.member', 'councilMember'), { decision: 'reject' }))).toBe('Conflict');
      expect(await refusal(c.answer('proposal-elsewhere.r1.councilVote.bo.member', actor('bo.member', 'councilMember'), { decision: 'approve' }))).toBe('Conflict');
      expect((await c.state()).rounds[0].ballots).toHaveLength(1);
    });

    it('closes as Rejected when a majority rejects; the mayor is never asked', async () => {
      const c = await submitted();
      await c.vote('bo.member', 'reject', 'Effekten er ikke godtgjort');
      await c.vote('cecilie.member', 'reject');
      const closure = await c.handle.result();
      expect(closure).toMatchObject({ stage: 'Rejected', reason: { code: 'councilRejected', comments: ['Effekten er ikke godtgjort'] } });
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'Rejected']);
      expect(c.world.tasksOf('councilVote').find((t) => t.assignee === 'anne.chair')!.status).toBe('cancelled');
      expect(c.world.tasksOf('councilAttestation')).toEqual([]);
      expect(c.world.tasksOf('mayoralApproval')).toEqual([]);
      expect(c.world.notified('proposalClosed').map((n) => n.to.roles)).toEqual([['secretariat']]);
    });

    it("refuses a withdrawal once a majority has rejected, while the round's last vote is cancelled: it closes as Rejected", async () => {
      // Cancelling the vote no longer needed takes its time: the secretariat withdraws meanwhile.
      const cancel = holding('cancelTasks', (r) => r.reason.code === 'councilDecided');
      const c = await submitted({ overrides: cancel.overrides });
      await c.vote('bo.member', 'reject');
      try {
        await c.vote('cecilie.member', 'reject');
        await soon(() => expect(c.world.called('cancelTasks')).toHaveLength(1));
        expect(await refusalCode(c.sendWithdrawal('Ikke længere relevant'))).toBe('alreadyClosed');
      } finally {
        cancel.letGo();
      }
      expect(await c.handle.result()).toMatchObject({ stage: 'Rejected', reason: { code: 'councilRejected' } });
    });

    it('returns the proposal for changes; a resubmission opens a fresh round on a new decision paper', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'returnForChanges', 'Uddyb målgruppen');
      await c.vote('cecilie.member', 'returnForChanges');
      await c.waitForStage('Motivation');
      await soon(() => expect(c.world.notified('returnedForChanges')).toHaveLength(1));
      expect(c.world.stages.at(-1)!.reason).toEqual({ code: 'returnedForChanges', comments: ['Uddyb målgruppen'] });
      expect(openKinds(c)).toEqual([]);

      await c.submit();
      expect(c.world.decisionPapers.map((p) => p.round)).toEqual([1, 2]);
      await soon(() => expect(c.world.tasksOf('councilVote', 'open').map((t) => t.round)).toEqual([2, 2, 2]));
      const rounds = (await c.state()).rounds;
      expect(rounds.map((r) => [r.number, r.decisionPaperVersion, r.result])).toEqual([
        [1, 1, 'returnForChanges'],
        [2, 2, undefined],
      ]);
    });

    it(`hears a proposal ${maxCouncilRounds} times at most: then the secretariat withdraws it, and the rounds carried stay bounded`, async () => {
      const c = await logic().startProposal(housingFirst);
      for (let round = 1; round <= maxCouncilRounds; round++) {
        await c.submit();
        await c.vote('anne.chair', 'returnForChanges');
        await c.vote('bo.member', 'returnForChanges');
        await c.waitForStage('Motivation');
      }
      expect(await refusalCode(c.submit())).toBe('councilRoundsExhausted');
      expect((await c.state()).rounds).toHaveLength(maxCouncilRounds);
      expect(c.world.decisionPapers).toHaveLength(maxCouncilRounds);
      await c.withdraw('Rådet har ikke kunnet godkende forslaget');
      await c.waitForStage('Withdrawn');
    });

    it('refuses a submission checked on a revision that a colleague has revised since, and takes it checked on the new one', async () => {
      const c = await logic().startProposal(housingFirst);
      await c.revise({ ...housingFirst, summary: 'Rettet resumé' });
      expect(await refusalCode(c.submit(sara, 0))).toBe('revisedSinceChecked');
      expect((await c.state()).stage).toBe('Motivation');
      await c.submit(sara, 1);
      await c.waitForStage('CouncilDecision');
    });

    it('goes back to Motivation when all three vote differently (no agreement)', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'approve');
      await c.vote('bo.member', 'reject');
      await c.vote('cecilie.member', 'returnForChanges');
      await c.waitForStage('Motivation');
      expect((await c.state()).rounds[0].result).toBe('noAgreement');
      expect(c.world.tasksOf('councilAttestation')).toEqual([]);
      await soon(() => expect(c.world.notified('returnedForChanges')).toHaveLength(1));
      // Told as no agreement, not as the members' return for changes.
      expect(c.world.stages.at(-1)!.reason).toMatchObject({ code: 'councilNoAgreement' });
    });

    it('with one member recused, needs the other two to agree', async () => {
      const split = await submitted();
      await split.vote('cecilie.member', 'conflictOfInterest', 'Bestyrelsesmedlem hos leverandøren');
      await split.vote('anne.chair', 'approve');
      await split.vote('bo.member', 'reject');
      await split.waitForStage('Motivation');
      expect((await split.state()).rounds[0].result).toBe('noAgreement');

      const agreed = await submitted();
      await agreed.vote('cecilie.member', 'conflictOfInterest');
      await agreed.vote('anne.chair', 'approve');
      // One approval of two eligible is not yet a decision.
      await new Promise((r) => setTimeout(r, 200));
      expect(agreed.world.tasksOf('councilAttestation')).toEqual([]);
      await agreed.vote('bo.member', 'approve');
      expect((await agreed.openTask('councilAttestation')).assignee).toBe('anne.chair');
    });

    it('lets another member attest when the chair is recused, and not the recused chair', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'conflictOfInterest', 'Inhabil');
      await c.vote('bo.member', 'approve');
      await c.vote('cecilie.member', 'approve');
      const attestation = await c.openTask('councilAttestation');
      expect(attestation.assignee).toBe('bo.member');
      expect(await refusal(c.complete('councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, { by: 'anne.chair' }))).toBe(
        'Forbidden',
      );
      await c.attest({ role: 'councilMember' });
      await c.waitForStage('MayoralApproval');
      expect((await c.state()).rounds[0]).toMatchObject({ result: 'approve', chair: 'anne.chair', attestation: { by: 'bo.member', attested: true } });
    });

    it('lets a member still seated attest for the recused chair, not one who voted and left the council since', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'conflictOfInterest', 'Inhabil');
      await c.vote('bo.member', 'approve');
      // Bo leaves the council after his vote; Frida takes his seat.
      c.world.council = { members: ['anne.chair', 'cecilie.member', 'frida.member'], chair: 'anne.chair' };
      await c.vote('cecilie.member', 'approve');
      expect((await c.openTask('councilAttestation')).assignee).toBe('cecilie.member');
      await c.attest({ role: 'councilMember' });
      await c.waitForStage('MayoralApproval');
    });

    it('lets the chair, whose vote the others made needless, declare a conflict when asked to attest: a member who voted attests instead', async () => {
      const c = await submitted();
      await c.vote('bo.member', 'approve');
      await c.vote('cecilie.member', 'approve');
      expect((await c.openTask('councilAttestation')).assignee).toBe('anne.chair');
      await c.complete('councilAttestation', { attested: false, reason: 'Min søster leder leverandøren', conflictOfInterest: true });
      await soon(() => expect(c.world.tasksOf('councilAttestation', 'open').map((t) => t.assignee)).toEqual(['bo.member']));
      await c.attest({ role: 'councilMember' });
      await c.waitForStage('MayoralApproval');
      expect((await c.state()).rounds[0]).toMatchObject({
        result: 'approve',
        attestation: { by: 'bo.member', attested: true },
        attestationConflicts: [{ by: 'anne.chair', reason: 'Min søster leder leverandøren' }],
      });
    });

    /** The chair declares a conflict when asked to attest, then each member asked after her, in this order; the proposal goes back. */
    async function everyAskedIsConflicted(c: ProposalCase, after: string[]) {
      const conflicted = { attested: false, reason: 'Inhabil', conflictOfInterest: true };
      await c.complete('councilAttestation', conflicted);
      for (const member of after) {
        await soon(() => expect(c.world.tasksOf('councilAttestation', 'open').map((t) => t.assignee)).toEqual([member]));
        await c.complete('councilAttestation', conflicted, { role: 'councilMember' });
      }
      await c.waitForStage('Motivation');
    }

    it('sends the proposal back, its attestation declined, when every member asked declares a conflict', async () => {
      const c = await submitted();
      await c.vote('bo.member', 'approve');
      await c.vote('cecilie.member', 'approve');
      await everyAskedIsConflicted(c, ['bo.member', 'cecilie.member']);
      expect((await c.state()).rounds[0]).toMatchObject({ result: 'attestationDeclined', attestation: { by: 'cecilie.member', attested: false } });
    });

    it('asks no member who has left the council to attest: the one who took the seat is asked, and then nobody', async () => {
      const c = await submitted();
      await c.vote('bo.member', 'approve');
      // Bo leaves after his vote; Frida takes his seat.
      c.world.council = { members: ['anne.chair', 'cecilie.member', 'frida.member'], chair: 'anne.chair' };
      await c.vote('cecilie.member', 'approve');
      await everyAskedIsConflicted(c, ['cecilie.member', 'frida.member']);
      expect((await c.state()).rounds[0]).toMatchObject({
        result: 'attestationDeclined',
        attestationConflicts: [{ by: 'anne.chair' }, { by: 'cecilie.member' }, { by: 'frida.member' }],
      });
    });

    it('sends the proposal back when the chair declines to attest, and a resubmission starts over', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'approve');
      await c.vote('bo.member', 'approve');
      await c.complete('councilAttestation', { attested: false, reason: 'Udbudsretten er ikke vurderet' });
      await c.waitForStage('Motivation');
      const [round] = (await c.state()).rounds;
      expect(round).toMatchObject({ result: 'attestationDeclined', attestation: { by: 'anne.chair', attested: false } });
      expect(c.world.tasksOf('mayoralApproval')).toEqual([]);
      await soon(() => expect(c.world.notified('returnedForChanges')).toHaveLength(1));
      expect(c.world.stages.at(-1)!.reason).toMatchObject({ code: 'attestationDeclined', text: 'Udbudsretten er ikke vurderet' });

      await c.submit();
      await soon(() => expect(c.world.tasksOf('councilVote', 'open')).toHaveLength(3));
      expect(c.world.decisionPapers.map((p) => p.round)).toEqual([1, 2]);
    });

    it('tells the secretariat the council cannot decide when two of three are recused', async () => {
      const c = await submitted();
      await c.vote('anne.chair', 'conflictOfInterest');
      await c.vote('bo.member', 'conflictOfInterest');
      await c.waitForStage('Motivation');
      expect((await c.state()).rounds[0].result).toBe('cannotDecide');
      await soon(() => expect(c.world.notified('councilCannotDecide').map((n) => n.to.roles)).toEqual([['secretariat']]));
      expect(c.world.tasksOf('councilVote').find((t) => t.assignee === 'cecilie.member')!.status).toBe('cancelled');
      expect(c.world.tasksOf('councilAttestation')).toEqual([]);
    });

    it('cannot approve what the fund cannot cover today: back to Motivation before any attestation', async () => {
      // 40 million free, but 17.5 million already promised to other approved proposals: 22.5 left, 23 asked.
      const c = await submitted({ committedOre: dkk(17_500_000) });
      await c.vote('anne.chair', 'approve');
      await c.vote('bo.member', 'approve');
      await c.waitForStage('Motivation');
      expect((await c.state()).rounds[0].result).toBe('fundCannotCover');
      expect(c.world.called('earmarkApproval')).toMatchObject([{ proposalId: c.proposalId, amountOre: dkk(23_000_000) }]);
      expect(c.world.bookingsOf(c.proposalId)).toEqual([]);
      expect(c.world.stages.at(-1)!.reason).toMatchObject({ code: 'fundCannotCover', availableOre: dkk(22_500_000), requestedOre: dkk(23_000_000) });
      expect(c.world.tasksOf('councilAttestation')).toEqual([]);
      await soon(() => expect(c.world.notified('returnedForChanges')).toHaveLength(1));
    });

    it('earmarks the approval when the votes pass: of two proposals over money only one can have, the second is returned', async () => {
      // 30 of the fund's 40 million each, on the same books: the fund can cover one, not both.
      const fund = new FakeFund();
      const thirtyMillion = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '40000000', requestedFromFund: '30000000' } };
      const first = await logic().startProposal(thirtyMillion, { fund });
      const second = await logic().startProposal(thirtyMillion, { fund });
      for (const c of [first, second]) await c.submit();

      await first.vote('anne.chair', 'approve');
      await first.vote('bo.member', 'approve');
      await first.openTask('councilAttestation');
      // The approval holds its money before the chair has attested.
      expect(fund.balances()).toMatchObject({ capitalOre: dkk(40_000_000), earmarkedOre: dkk(30_000_000), freeOre: dkk(10_000_000) });

      await second.vote('anne.chair', 'approve');
      await second.vote('bo.member', 'approve');
      await second.waitForStage('Motivation');
      expect((await second.state()).rounds[0].result).toBe('fundCannotCover');
      expect(second.world.stages.at(-1)!.reason).toMatchObject({ code: 'fundCannotCover', availableOre: dkk(10_000_000), requestedOre: dkk(30_000_000) });
      expect(second.world.tasksOf('councilAttestation')).toEqual([]);
      expect(fund.ledger.filter((e) => e.kind === 'earmark').map((e) => e.proposalId)).toEqual([first.proposalId]);

      // Without the chair's attestation there is no approval: the earmark is given back, and the other can have the money.
      await first.complete('councilAttestation', { attested: false, reason: 'Udbudsretlig tvivl' });
      await first.waitForStage('Motivation');
      expect((await first.state()).rounds[0].result).toBe('attestationDeclined');
      expect(first.world.bookingsOf(first.proposalId)).toEqual([
        ['earmark', dkk(30_000_000)],
        ['earmarkRelease', dkk(30_000_000)],
      ]);
      expect(fund.ledger.at(-1)).toMatchObject({ key: `${first.proposalId}.r1.earmark.release`, by: 'anne.chair' });
      expect(fund.balances()).toMatchObject({ earmarkedOre: 0, freeOre: dkk(40_000_000) });

      await second.submit();
      await second.vote('anne.chair', 'approve');
      await second.vote('bo.member', 'approve');
      expect((await second.openTask('councilAttestation')).round).toBe(2);
      expect(second.world.bookingsOf(second.proposalId)).toEqual([['earmark', dkk(30_000_000)]]);
      expect(fund.ledger.at(-1)).toMatchObject({ key: `${second.proposalId}.r2.earmark` });
      expect(fund.balances()).toMatchObject({ earmarkedOre: dkk(30_000_000), freeOre: dkk(10_000_000) });
    });

    describe('a council other than three members with one chair', () => {
      /** Submitted to a council that is not complete: the secretary's task opens instead of the votes. */
      async function waiting(council: { members: string[]; chair: string }) {
        const c = await logic().startProposal(housingFirst, { council });
        await c.submit();
        const task = await c.openTask('councilComposition');
        return { c, task };
      }
      const councilChanged = (c: ProposalCase) => c.handle.signal(councilChangedSignal);

      it('of five does not vote: the secretary who submitted gets a task, the round waits until the council is three', async () => {
        const { c, task } = await waiting(five);
        expect(task).toMatchObject({ assignee: 'sara.secretariat', role: 'secretariat', round: 1 });
        expect(c.world.notified('taskCreated').map((n) => [n.taskId, n.to.users])).toEqual([[task.id, ['sara.secretariat']]]);
        expect(c.world.events.filter((e) => e.type === 'councilIncomplete').map((e) => e.details)).toEqual([
          { round: 1, members: [...five.members].sort(), chairs: ['anne.chair'] },
        ]);
        expect(c.world.tasksOf('councilVote')).toEqual([]);
        expect((await c.state()).stage).toBe('CouncilDecision');
        // Nothing to answer: it closes by itself.
        expect(await refusal(c.answer(task.id, sara, {}))).toBe('Conflict');

        // A change that leaves the council incomplete: it looks again, and goes on waiting with the same task.
        c.world.council = { members: five.members.slice(0, 4), chair: 'anne.chair' };
        await councilChanged(c);
        await soon(() => expect(c.world.called('councilComposition')).toHaveLength(3)); // at submission, after the task was written, now
        expect(c.world.tasksOf('councilComposition')).toHaveLength(1);
        expect(c.world.tasksOf('councilVote')).toEqual([]);

        c.world.council = { members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'anne.chair' };
        await councilChanged(c);
        await soon(() => expect(openVoters(c)).toEqual(['anne.chair', 'bo.member', 'cecilie.member']));
        expect(c.world.tasks.get(task.id)).toMatchObject({ status: 'cancelled', cancelReason: { code: 'councilComplete' } });
        expect((await c.state()).rounds.map((r) => [r.number, r.members])).toEqual([[1, ['anne.chair', 'bo.member', 'cecilie.member']]]);
        await c.vote('anne.chair', 'approve');
        await c.vote('cecilie.member', 'approve');
        await c.attest();
        await c.waitForStage('MayoralApproval');
      });

      it('gives the waiting round’s task to the secretariat of the day when the secretary who submitted has left it', async () => {
        const c = await logic().startProposal(housingFirst, { council: five });
        c.world.secretariat = ['jonas.secretariat'];
        await c.submit();
        expect(await c.openTask('councilComposition')).toMatchObject({ assignee: 'jonas.secretariat', role: 'secretariat' });
      });

      it('of two, or of three whose chair is not a member, waits likewise', async () => {
        for (const council of [
          { members: ['anne.chair', 'bo.member'], chair: 'anne.chair' },
          { members: ['bo.member', 'cecilie.member', 'dorte.member'], chair: 'anne.chair' },
        ]) {
          const { c } = await waiting(council);
          expect(c.world.tasksOf('councilVote')).toEqual([]);
          await c.withdraw('Rådet er ikke besat');
          await c.waitForStage('Withdrawn');
          expect(c.world.tasksOf('councilComposition')[0]).toMatchObject({ status: 'cancelled' });
        }
      });

      it('seated anew for each round: a resubmission asks the council as it is then', async () => {
        const c = await submitted();
        await c.vote('anne.chair', 'returnForChanges');
        await c.vote('bo.member', 'returnForChanges');
        await c.waitForStage('Motivation');
        c.world.council = { members: ['anne.chair', 'bo.member', 'frida.member'], chair: 'anne.chair' };
        await c.submit();
        await soon(() => expect(openVoters(c)).toEqual(['anne.chair', 'bo.member', 'frida.member']));
        expect((await c.state()).rounds.map((r) => r.members)).toEqual([
          ['anne.chair', 'bo.member', 'cecilie.member'],
          ['anne.chair', 'bo.member', 'frida.member'],
        ]);
      });
    });

    describe('the role a task needs, held when it is answered', () => {
      const admin = actor('hr.admin', 'administrator');
      const reassign = (c: ProposalCase, taskId: string, from: string, by = admin) =>
        c.handle.executeUpdate(reassignTaskUpdate, { args: [{ actor: by, taskId, from, reason: { code: 'roleLost', userId: from, role: 'councilMember' } }] });

      it('refuses a vote from a member who no longer holds the council role, though the task is still theirs', async () => {
        const c = await submitted();
        const bo = await c.openTask('councilVote', 'bo.member');
        expect(bo).toMatchObject({ role: 'councilMember' });
        const formerMember = { userId: 'bo.member', roles: [] };
        expect(await refusal(c.answer(bo.id, formerMember, { decision: 'approve' }))).toBe('Forbidden');
        expect((await c.state()).rounds[0].ballots).toEqual([]);
      });

      it("gives a departed member's vote to the member who replaced them, with a notice and a timeline entry", async () => {
        const c = await submitted();
        const bo = await c.openTask('councilVote', 'bo.member');
        // Only the administrator moves tasks; the secretariat does not.
        expect(await refusal(reassign(c, bo.id, 'bo.member', sara))).toBe('Forbidden');
        c.world.council = { members: ['anne.chair', 'cecilie.member', 'frida.member'], chair: 'anne.chair' };
        expect(await reassign(c, bo.id, 'bo.member')).toEqual({ assignee: 'frida.member' });
        // Moved once: a second request for the same holder finds it gone.
        expect(await refusal(reassign(c, bo.id, 'bo.member'))).toBe('Conflict');
        expect(c.world.tasks.get(bo.id)).toMatchObject({ assignee: 'frida.member', status: 'open' });
        expect(c.world.called('successorFor')).toEqual([{ role: 'councilMember', leaving: 'bo.member', seated: ['anne.chair', 'bo.member', 'cecilie.member'] }]);
        expect(c.world.called('assignTask')).toMatchObject([
          { taskId: bo.id, assignee: 'frida.member', from: 'bo.member', by: 'hr.admin', reason: { code: 'roleLost', userId: 'bo.member', role: 'councilMember' } },
        ]);
        await soon(() => expect(c.world.notified('taskReassigned').map((n) => [n.taskId, n.to.users])).toEqual([[bo.id, ['frida.member']]]));
        expect((await c.state()).rounds[0].members).toEqual(['anne.chair', 'frida.member', 'cecilie.member']);

        expect(await refusal(c.answer(bo.id, actor('bo.member', 'councilMember'), { decision: 'reject' }))).toBe('Forbidden');
        await c.vote('frida.member', 'approve');
        await c.vote('anne.chair', 'approve');
        await c.attest();
        await c.waitForStage('MayoralApproval');
        expect((await c.state()).rounds[0].ballots.map((b) => b.memberId)).toEqual(['frida.member', 'anne.chair']);
      });

      it('gives two members who leave at once a seat each: the later move looks again once the earlier has seated its successor', async () => {
        // Bo's successor is being looked up when Cecilie's move comes: both are looked up with the round as it sat.
        const lookup = holding('successorFor', (q) => q.leaving === 'bo.member');
        const c = await submitted({ overrides: lookup.overrides });
        const bo = await c.openTask('councilVote', 'bo.member');
        const cecilie = await c.openTask('councilVote', 'cecilie.member');
        c.world.council = { members: ['anne.chair', 'frida.member', 'gustav.member'], chair: 'anne.chair' };
        const boMoved = reassign(c, bo.id, 'bo.member');
        let cecilieMoved: Promise<unknown>;
        try {
          await soon(() => expect(c.world.calls.some((x) => x.name === 'successorFor')).toBe(true));
          const accepted = await c.handle.startUpdate(reassignTaskUpdate, {
            args: [{ actor: admin, taskId: cecilie.id, from: 'cecilie.member', reason: { code: 'roleLost', userId: 'cecilie.member', role: 'councilMember' } }],
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          });
          cecilieMoved = accepted.result();
        } finally {
          lookup.letGo();
        }
        expect([await boMoved, await cecilieMoved!]).toEqual([{ assignee: 'frida.member' }, { assignee: 'gustav.member' }]);
        expect((await c.state()).rounds[0].members).toEqual(['anne.chair', 'frida.member', 'gustav.member']);
        await c.vote('frida.member', 'approve');
        await c.vote('gustav.member', 'approve');
        await c.attest();
        await c.waitForStage('MayoralApproval');
      });

      it("records the attestation, and a decline's release of the earmark, as given by the new chair who took the task over", async () => {
        const c = await submitted();
        await c.vote('anne.chair', 'approve');
        await c.vote('bo.member', 'approve');
        const attestation = await c.openTask('councilAttestation');
        expect(attestation.assignee).toBe('anne.chair');
        c.world.council = { members: ['frida.member', 'bo.member', 'cecilie.member'], chair: 'frida.member' };
        await c.handle.executeUpdate(reassignTaskUpdate, {
          args: [{ actor: admin, taskId: attestation.id, from: 'anne.chair', reason: { code: 'roleLost', userId: 'anne.chair', role: 'councilChair' } }],
        });
        await c.answer(attestation.id, actor('frida.member', 'councilChair'), { attested: false, reason: 'Udbudsretten er ikke vurderet' });
        await c.waitForStage('Motivation');
        expect((await c.state()).rounds[0].attestation).toMatchObject({ by: 'frida.member', attested: false });
        expect(c.world.called('releaseEarmark')).toEqual([expect.objectContaining({ by: 'frida.member' })]);
      });

      it('never gives the attestation to a member who declared a conflict in the round, though they became chair since', async () => {
        const c = await submitted();
        await c.vote('bo.member', 'conflictOfInterest');
        await c.vote('anne.chair', 'approve');
        await c.vote('cecilie.member', 'approve');
        const attestation = await c.openTask('councilAttestation');
        expect(attestation.assignee).toBe('anne.chair');
        c.world.council = { members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'bo.member' };
        const move = c.handle.executeUpdate(reassignTaskUpdate, {
          args: [{ actor: admin, taskId: attestation.id, from: 'anne.chair', reason: { code: 'roleLost', userId: 'anne.chair', role: 'councilChair' } }],
        });
        expect(await refusal(move)).toBe('Conflict');
        expect(c.world.called('successorFor')).toEqual([{ role: 'councilChair', leaving: 'anne.chair', recused: ['bo.member'] }]);
        expect(c.world.tasks.get(attestation.id)).toMatchObject({ assignee: 'anne.chair', status: 'open' });
      });

      it('asks the chair as the council has it when the votes pass, not as it was when the round opened', async () => {
        const c = await submitted();
        await c.vote('anne.chair', 'approve');
        c.world.council = { members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'cecilie.member' };
        await c.vote('bo.member', 'approve');
        const attestation = await c.openTask('councilAttestation');
        expect(attestation).toMatchObject({ assignee: 'cecilie.member', role: 'councilChair' });
        // The former chair, still a member, may not attest.
        expect(await refusal(c.answer(attestation.id, actor('anne.chair', 'councilMember'), { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }))).toBe(
          'Forbidden',
        );
        await c.attest();
        await c.waitForStage('MayoralApproval');
      });
    });
  });
}
