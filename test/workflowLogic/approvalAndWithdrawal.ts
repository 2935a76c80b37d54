import { housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { actor } from '../support/drive';
import { fakeConfig, holding, type Overrides } from '../support/stubActivities';
import { dkk } from '../support/units';
import { refusal, refusalCode, soon, type WorkflowLogic } from '../support/workflowLogic';

/** After the council: the mayor, the cooperation agreement, the hand-over to each track; withdrawal; deadlines. */
export function approvalAndWithdrawalTests(logic: () => WorkflowLogic) {
  describe('mayoral approval, cooperation agreement and withdrawal (stubbed activities)', () => {
    async function approvedByCouncil(proposal = housingFirst, overrides?: Overrides) {
      const c = await logic().startProposal(proposal, { overrides });
      await c.submit();
      await c.vote('anne.chair', 'approve');
      await c.vote('bo.member', 'approve');
      await c.attest();
      await c.waitForStage('MayoralApproval');
      return c;
    }

    it("dates the council's earmark by the day in Copenhagen: half past midnight on 1 January is the new year there, though not yet in UTC", async () => {
      const now = await logic().env.currentTimeMs();
      const year = new Date(now).getUTCFullYear();
      const newYearsEve = [Date.UTC(year, 11, 31, 23, 30), Date.UTC(year + 1, 11, 31, 23, 30)].find((t) => t > now + 60_000)!;
      await logic().env.sleep(newYearsEve - now);
      const c = await approvedByCouncil();
      const earmark = c.world.ledger.find((e) => e.proposalId === c.proposalId && e.kind === 'earmark');
      expect(earmark?.date).toBe(`${new Date(newYearsEve).getUTCFullYear() + 1}-01-01`);
    });

    it('closes as Refused when the mayor refuses, with the reason on record', async () => {
      const c = await approvedByCouncil();
      // Only the mayor answers the mayor's task.
      expect(await refusal(c.complete('mayoralApproval', { decision: 'approve' }, { by: 'anne.chair', role: 'councilChair' }))).toBe('Forbidden');
      await c.complete('mayoralApproval', { decision: 'refuse', reason: 'Ikke i budgetrammen' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Refused', reason: { code: 'mayorRefused', text: 'Ikke i budgetrammen' }, by: 'mayor' });
      expect((await c.state()).mayoralDecision).toMatchObject({ by: 'mayor', decision: 'refuse', reason: 'Ikke i budgetrammen' });
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'MayoralApproval', 'Refused']);
      expect(c.world.tasksOf('cooperationAgreement')).toEqual([]);
      // The council's earmark goes back to free capital.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(23_000_000)],
        ['earmarkRelease', dkk(23_000_000)],
      ]);
      expect(c.world.balances()).toMatchObject({ earmarkedOre: 0, freeOre: fakeConfig.fund.openingCapital });
    });

    it("refuses a withdrawal while the mayor's refusal is closing the case: it closes as Refused, not Withdrawn", async () => {
      // The earmark's release takes its time: the secretariat withdraws meanwhile.
      const release = holding('releaseEarmark');
      const c = await approvedByCouncil(housingFirst, release.overrides);
      await c.complete('mayoralApproval', { decision: 'refuse', reason: 'Ikke i budgetrammen' });
      try {
        await soon(() => expect(c.world.called('releaseEarmark')).toHaveLength(1));
        expect(await refusalCode(c.sendWithdrawal('Ikke længere relevant'))).toBe('alreadyClosed');
      } finally {
        release.letGo();
      }
      expect(await c.handle.result()).toMatchObject({ stage: 'Refused', reason: { code: 'mayorRefused' } });
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'MayoralApproval', 'Refused']);
    });

    it("refuses a withdrawal while the mayor's refusal itself is being recorded: it closes as Refused", async () => {
      // The mayor's answer takes its time to be recorded: the secretariat withdraws meanwhile.
      const answer = holding('completeTask', (r) => r.by === 'mayor');
      const c = await approvedByCouncil(housingFirst, answer.overrides);
      const refused = c.complete('mayoralApproval', { decision: 'refuse', reason: 'Ikke i budgetrammen' });
      try {
        await soon(() => expect(c.world.called('completeTask').some((t) => (t as { by: string }).by === 'mayor')).toBe(true));
        expect(await refusalCode(c.sendWithdrawal('Ikke længere relevant'))).toBe('answerBeingRecorded');
      } finally {
        answer.letGo();
      }
      await refused;
      expect(await c.handle.result()).toMatchObject({ stage: 'Refused', reason: { code: 'mayorRefused' } });
    });

    it('on the outcome-based track: the responsible department agrees the savings share, then procurement starts', async () => {
      const c = await approvedByCouncil(housingFirst);
      await c.complete('mayoralApproval', { decision: 'approve', comment: 'God sag' });
      await c.waitForStage('CooperationAgreement');
      expect((await c.openTask('cooperationAgreement')).assignee).toBe('msb.head');
      expect(c.world.called('resolveAssignee')).toEqual([{ role: 'councilChair' }, { role: 'mayor' }, { role: 'department', department: 'MSB' }]);
      await c.complete('cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 2500 }, conditions: 'Efter revision' });
      await c.waitForStage('Procurement');
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'MayoralApproval', 'CooperationAgreement', 'AwaitingProcurement', 'Procurement']);
      expect((await c.state()).cooperationAgreement).toMatchObject({ savingsShare: { kind: 'percentage', basisPoints: 2500 }, by: 'msb.head' });
      expect(c.world.called('procurementSettings')).toHaveLength(1);
      expect(c.world.tasksOf('grantAgreement')).toEqual([]);
    });

    it('on the direct-financing track: the grant agreement goes to the secretary who started the case', async () => {
      const c = await approvedByCouncil(youthAnxietyGroups);
      await c.complete('mayoralApproval', { decision: 'approve' });
      expect((await c.openTask('cooperationAgreement')).assignee).toBe('mbu.head');
      await c.complete('cooperationAgreement', { savingsShare: { kind: 'amounts', perYear: [{ year: 2, amount: '100000' }] }, conditions: 'Efter revision' });
      await c.waitForStage('GrantAgreement');
      expect(c.world.stageNames()).toEqual(['CouncilDecision', 'MayoralApproval', 'CooperationAgreement', 'AwaitingGrant', 'GrantAgreement']);
      expect((await c.openTask('grantAgreement')).assignee).toBe('sara.secretariat');
      expect(c.world.called('procurementSettings')).toEqual([]);
    });

    describe('withdrawal', () => {
      it('needs the secretariat and a reason', async () => {
        const c = await logic().startProposal(housingFirst);
        expect(await refusal(c.withdraw('Ikke længere relevant', actor('bo.member', 'councilMember')))).toBe('Forbidden');
        expect(await refusal(c.withdraw('   '))).toBe('Conflict');
        await c.withdraw('Ikke længere relevant');
        expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn', reason: { code: 'withdrawn', text: 'Ikke længere relevant' }, by: 'sara.secretariat' });
        expect(c.world.stageNames()).toEqual(['Withdrawn']);
      });

      it('refuses a revision or a submission while the withdrawal is closing the case: what was withdrawn stays as it was', async () => {
        // Closing takes its time: the earmark's release (nothing to give back here) is held.
        const release = holding('releaseEarmark');
        const c = await logic().startProposal(housingFirst, { overrides: release.overrides });
        const withdrawn = c.sendWithdrawal('Ikke længere relevant');
        try {
          await soon(() => expect(c.world.called('releaseEarmark')).toHaveLength(1));
          expect(await refusalCode(c.revise({ ...housingFirst, title: 'Housing First, ny version' }))).toBe('alreadyClosed');
          expect(await refusalCode(c.submit())).toBe('alreadyClosed');
        } finally {
          release.letGo();
        }
        await withdrawn;
        expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
        expect(c.world.called('adoptDraft')).toEqual([]);
      });

      it('during the council cancels the open votes, and a vote cast afterwards is refused', async () => {
        const c = await logic().startProposal(housingFirst);
        await c.submit();
        // All three votes open first: a withdrawal while they are being opened stops before the next one.
        await soon(() => expect(c.world.tasksOf('councilVote', 'open')).toHaveLength(3));
        await c.vote('anne.chair', 'approve');
        const bo = await c.openTask('councilVote', 'bo.member');
        // The round the council has before it, which an agenda item names, until the case closes: then it awaits no agenda.
        expect((await c.state()).councilRound).toBe(1);
        await c.withdraw('Forslaget trækkes');
        expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
        expect((await c.state()).councilRound).toBeUndefined();
        expect(
          c.world
            .tasksOf('councilVote')
            .map((t) => [t.assignee, t.status])
            .sort(),
        ).toEqual([
          ['anne.chair', 'completed'],
          ['bo.member', 'cancelled'],
          ['cecilie.member', 'cancelled'],
        ]);
        expect(c.world.tasksOf('councilAttestation')).toEqual([]);
        await soon(() => expect(c.world.notified('proposalClosed')).toHaveLength(1));
        // The workflow has ended: nothing can answer the cancelled vote any more.
        await expect(c.answer(bo.id, actor('bo.member', 'councilMember'), { decision: 'approve' })).rejects.toThrow();
      });

      it('while the mayor decides, and during procurement, giving the earmark back', async () => {
        const atMayor = await approvedByCouncil();
        await atMayor.withdraw('Politisk prioriteret anderledes');
        expect(await atMayor.handle.result()).toMatchObject({ stage: 'Withdrawn' });
        expect(atMayor.world.tasksOf('mayoralApproval').map((t) => t.status)).toEqual(['cancelled']);

        const inProcurement = await logic().startProposal(housingFirst);
        await inProcurement.approveThroughAgreement();
        await inProcurement.waitForStage('Procurement');
        await inProcurement.withdraw('Ingen leverandører');
        expect(await inProcurement.handle.result()).toMatchObject({ stage: 'Withdrawn' });
        expect(inProcurement.world.stageNames().slice(-2)).toEqual(['Procurement', 'Withdrawn']);
        for (const c of [atMayor, inProcurement]) {
          expect(c.world.bookingsOf(c.proposalId)).toEqual([
            ['earmark', dkk(23_000_000)],
            ['earmarkRelease', dkk(23_000_000)],
          ]);
          expect(c.world.earmarkedFor(c.proposalId)).toBe(0);
        }
      });
    });

    it('reminds before a task is due, then marks it overdue and escalates; a council vote also to the chair', async () => {
      const { env } = logic();
      const { councilVote, reminderBefore } = fakeConfig.deadlines;
      const c = await logic().startProposal(housingFirst);
      await c.submit();
      await soon(() => expect(c.world.notified('taskCreated')).toHaveLength(3));
      await c.vote('anne.chair', 'approve');

      await env.sleep(councilVote - reminderBefore + 60_000);
      await soon(() =>
        expect(
          c.world
            .notified('taskReminder')
            .map((n) => n.to.users)
            .sort(),
        ).toEqual([['bo.member'], ['cecilie.member']]),
      );
      expect(c.world.notified('taskEscalated')).toEqual([]);

      await env.sleep(reminderBefore);
      await soon(() =>
        expect(
          c.world
            .tasksOf('councilVote')
            .filter((t) => t.overdue)
            .map((t) => t.assignee)
            .sort(),
        ).toEqual(['bo.member', 'cecilie.member']),
      );
      await soon(() => expect(c.world.notified('taskEscalated')).toHaveLength(2));
      // The chair as the roles are when the notice is written (activities/notifications.ts), not the late member.
      expect(c.world.escalations()).toEqual(['bo.member', 'cecilie.member'].map((member) => ({ roles: ['secretariat', 'councilChair'], except: [member] })));

      // An overdue vote still counts.
      await c.vote('bo.member', 'approve');
      expect((await c.openTask('councilAttestation')).assignee).toBe('anne.chair');
    });

    it('neither reminds nor escalates a task answered while the notice of it is still being sent', async () => {
      const { councilVote } = fakeConfig.deadlines;
      let noticeMayGo!: () => void;
      const voted = new Promise<void>((resolve) => (noticeMayGo = resolve));
      // The chair sees the task in the read model and votes before the e-mail about it has gone.
      const c = await logic().startProposal(housingFirst, {
        overrides: (_world, fakes) => ({
          async notify(n) {
            if (n.event === 'taskCreated' && n.taskId?.endsWith('councilVote.anne.chair')) await voted;
            return fakes.notify(n);
          },
        }),
      });
      await c.submit();
      const chairs = await c.vote('anne.chair', 'approve');
      noticeMayGo();
      await soon(() => expect(c.world.notified('taskCreated')).toHaveLength(3));

      await logic().env.sleep(councilVote + 60_000);
      await soon(() => expect(c.world.notified('taskEscalated')).toHaveLength(2));
      expect(c.world.notifications.filter((n) => n.taskId === chairs.id).map((n) => n.event)).toEqual(['taskCreated']);
      expect(c.world.tasks.get(chairs.id)).toMatchObject({ status: 'completed', overdue: false });
      expect(c.world.called('markTaskOverdue')).not.toContainEqual(expect.objectContaining({ taskId: chairs.id }));
    });
  });
}
