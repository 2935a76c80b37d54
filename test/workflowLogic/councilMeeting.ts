import { housingFirst } from '../fixtures/proposals';
import { actor } from '../support/drive';
import { claimTaskUpdate, completeTaskUpdate, onAgendaSignal, reassignTaskUpdate } from '../../workflows/messages';
import { addAgendaItemUpdate, cancelMeetingUpdate, meetingQuery, recordMeetingUpdate } from '../../workflows/councilMeeting';
import { fakeConfig } from '../support/stubActivities';
import { refusal, sara, soon, type WorkflowLogic } from '../support/workflowLogic';

const days = (n: number) => n * 86_400_000;

/**
 * Council meetings: the meeting's own workflow (agenda notice on a durable timer,
 * record, the chair's minutes) and a proposal's round in meeting voting, which opens
 * its votes only once it is on an agenda. The real workflow code on the time-skipping
 * server, every activity an in-memory fake.
 */
export function councilMeetingTests(logic: () => WorkflowLogic) {
  describe('council meetings (stubbed activities)', () => {
    it('in meeting voting a round opens its votes only when the proposal is put on an agenda, and a withdrawal ends the wait', async () => {
      const c = await logic().startProposal(housingFirst, { councilVoting: 'meeting' });
      await c.submit();
      await c.waitForStage('CouncilDecision');
      // A day on the clock: still no votes, and the history does not grow while it waits.
      const before = (await c.handle.describe()).historyLength;
      await logic().env.sleep(days(1));
      expect(c.world.tasksOf('councilVote')).toHaveLength(0);
      expect((await c.handle.describe()).historyLength).toBe(before);
      // An item for another round (one decided earlier, on for its minutes) opens nothing.
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300101-000009', round: 2 });
      expect((await c.state()).rounds).toHaveLength(0);
      expect(c.world.tasksOf('councilVote')).toHaveLength(0);
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300101-000001', round: 1 });
      await soon(() => expect(c.world.tasksOf('councilVote', 'open')).toHaveLength(3));
      expect((await c.state()).rounds[0]).toMatchObject({ number: 1, meetingId: 'M-20300101-000001' });

      const waiting = await logic().startProposal(housingFirst, { councilVoting: 'meeting' });
      await waiting.submit();
      await waiting.waitForStage('CouncilDecision');
      await waiting.withdraw('Trukket før mødet');
      expect(await waiting.waitForStage('Withdrawn')).toMatchObject({ stage: 'Withdrawn', rounds: [] });
    });

    it("in meeting voting the council's decision on an award recommendation opens only when the recommendation is put on an agenda", async () => {
      const c = await logic().startProposal(housingFirst, { councilVoting: 'meeting' });
      await c.submit();
      await c.waitForStage('CouncilDecision');
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300101-000011' });
      for (const member of ['anne.chair', 'bo.member']) await c.vote(member, 'approve');
      await c.attest();
      await c.complete('mayoralApproval', { decision: 'approve' });
      await c.complete('cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
      await c.waitForStage('Procurement');
      await c.procure({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '22000000', procedure: 'directAward', rationale: 'Eneste leverandør' });
      await c.procure({ action: 'recommendDirectAward', supplier: 'Fonden Ny Start', price: '22000000', reasons: 'Valideret forløb', rationale: 'Videreførelse' });
      // A day on the clock: no member is asked, and the history does not grow while it waits.
      const before = (await c.handle.describe()).historyLength;
      await logic().env.sleep(days(1));
      expect(c.world.tasksOf('awardDecision')).toHaveLength(0);
      expect((await c.handle.describe()).historyLength).toBe(before);
      // The proposal itself, or an investor recommendation, on an agenda now opens nothing.
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300102-000012' });
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300102-000012', kind: 'investorRecommendation' });
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300102-000012', kind: 'awardRecommendation', round: 2 });
      expect((await c.state()).procurement!.recommendations[0].meetingId).toBeUndefined();
      expect(c.world.tasksOf('awardDecision')).toHaveLength(0);

      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300103-000013', kind: 'awardRecommendation' });
      await soon(() => expect(c.world.tasksOf('awardDecision', 'open')).toHaveLength(3));
      // A second meeting's agenda leaves the first on the recommendation.
      await c.handle.signal(onAgendaSignal, { meetingId: 'M-20300104-000014', kind: 'awardRecommendation' });
      expect((await c.state()).procurement!.recommendations[0]).toMatchObject({ number: 1, meetingId: 'M-20300103-000013' });
      await c.councilApproves('awardDecision');
      await c.waitForStage('Contracting');
    });

    it('sends the agenda its notice period before the meeting, refuses a record before the meeting, and the chair approves the minutes', async () => {
      const m = await logic().startMeeting(days(10));
      const add = (caseId: string, by = sara) => m.handle.executeUpdate(addAgendaItemUpdate, { args: [{ actor: by, item: { kind: 'proposal', caseId, title: 'Housing First' } }] });
      expect(await refusal(add('SIF-2030-001', actor('bo.member', 'councilMember')))).toBe('Forbidden');
      // No proposal of that id runs here: the item is on the agenda all the same.
      expect((await add('SIF-2030-001')).agenda).toEqual([expect.objectContaining({ id: 'i1', caseId: 'SIF-2030-001' })]);
      expect(await refusal(add('SIF-2030-001'))).toBe('Conflict');
      expect(m.world.notified('meetingAgenda')).toHaveLength(0);

      await logic().env.sleep(days(5) + 60_000);
      await soon(() =>
        expect(m.world.notified('meetingAgenda')).toEqual([expect.objectContaining({ proposalId: m.meetingId, to: { roles: ['councilMember', 'councilChair', 'secretariat'] } })]),
      );
      expect((await m.handle.query(meetingQuery)).status).toBe('agendaSent');

      const record = { present: ['anne.chair', 'bo.member'], absent: ['cecilie.member'], items: [{ itemId: 'i1', decision: 'approve' as const, conflicts: [] }] };
      expect(await refusal(m.handle.executeUpdate(recordMeetingUpdate, { args: [{ actor: sara, record }] }))).toBe('Conflict');
      await logic().env.sleep(days(5));
      // Begun, it is recorded, not cancelled.
      expect(await refusal(m.handle.executeUpdate(cancelMeetingUpdate, { args: [{ actor: sara, reason: 'Rådet mødte ikke op' }] }))).toBe('Conflict');
      expect(await m.handle.query(meetingQuery)).toMatchObject({ status: 'agendaSent' });
      expect((await m.handle.executeUpdate(recordMeetingUpdate, { args: [{ actor: sara, record }] })).status).toBe('recorded');
      expect(await refusal(m.handle.executeUpdate(cancelMeetingUpdate, { args: [{ actor: sara, reason: 'For sent' }] }))).toBe('Conflict');

      const task = await soon(() => {
        const open = m.world.tasksOf('minutesApproval', 'open');
        expect(open).toHaveLength(1);
        return open[0];
      });
      const approve = (by: ReturnType<typeof actor>) => m.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: by, taskId: task.id, input: { decision: 'approve' } }] });
      expect(await refusal(approve(actor('anne.chair', 'councilMember')))).toBe('Forbidden');
      const approved = await approve(actor('anne.chair', 'councilChair'));
      expect(approved).toEqual({ meetingStatus: 'minutesApproved', completedAt: expect.any(String) });
      expect(m.world.events.filter((e) => e.type === 'minutesApproved')).toEqual([expect.objectContaining({ proposalId: 'SIF-2030-001', by: 'anne.chair' })]);
      // The Update answers the moment the approval was recorded.
      expect(await m.handle.result()).toMatchObject({ status: 'minutesApproved', minutesApproval: { by: 'anne.chair', at: approved.completedAt } });
    });

    it('gives the secretariat a task for returned minutes, closed by recording the meeting again, and reminds it once past the deadline', async () => {
      const m = await logic().startMeeting(days(10));
      const record = { present: ['anne.chair', 'bo.member', 'cecilie.member'], absent: [], items: [] };
      await logic().env.sleep(days(10) + 60_000);
      await m.handle.executeUpdate(recordMeetingUpdate, { args: [{ actor: sara, record }] });
      const chairTask = (n: number) =>
        soon(() => {
          const open = m.world.tasksOf('minutesApproval', 'open');
          expect(open).toHaveLength(1);
          expect(m.world.tasksOf('minutesApproval')).toHaveLength(n);
          return open[0];
        });
      const anne = actor('anne.chair', 'councilChair');
      const first = await chairTask(1);
      await m.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: anne, taskId: first.id, input: { decision: 'return', comment: 'Bo var her kun til punkt 1' } }] });
      const returned = await soon(async () => {
        const meeting = await m.handle.query(meetingQuery);
        expect(meeting.status).toBe('minutesReturned');
        return meeting.minutesReturns![0];
      });
      const due = fakeConfig.council.minutesCorrection;
      // The deadline runs from the return (counted once it is recorded, a moment after the chair's answer).
      expect(Date.parse(returned.correctBy!) - Date.parse(returned.at)).toBeGreaterThanOrEqual(due);
      expect(Date.parse(returned.correctBy!) - Date.parse(returned.at)).toBeLessThan(due + 60_000);
      expect(m.world.notified('minutesReturned')).toHaveLength(1);
      // The correction is a task too: the recorder's, due by the deadline; nothing answers it, and any of the secretariat may take it.
      const correction = await soon(() => {
        const open = m.world.tasksOf('minutesCorrection', 'open');
        expect(open).toEqual([expect.objectContaining({ assignee: 'sara.secretariat', role: 'secretariat', dueAt: returned.correctBy, overdue: false })]);
        return open;
      });
      expect(await refusal(m.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: sara, taskId: correction[0].id, input: {} }] }))).toBe('Conflict');
      const jonas = actor('jonas.secretariat', 'secretariat');
      await m.handle.executeUpdate(claimTaskUpdate, { args: [{ actor: jonas, taskId: correction[0].id, from: 'sara.secretariat' }] });
      await soon(() => expect(m.world.tasksOf('minutesCorrection', 'open')).toEqual([expect.objectContaining({ assignee: 'jonas.secretariat' })]));
      // Jonas leaves the secretariat: the task goes back to its pool, and the pool hears of it.
      const admin = actor('hr.admin', 'administrator');
      const lost = { code: 'roleLost' as const, userId: 'jonas.secretariat', role: 'secretariat' as const };
      expect(await m.handle.executeUpdate(reassignTaskUpdate, { args: [{ actor: admin, taskId: correction[0].id, from: 'jonas.secretariat', reason: lost }] })).toEqual({
        assignee: null,
      });
      expect(m.world.tasksOf('minutesCorrection', 'open')).toEqual([expect.objectContaining({ assignee: null })]);
      expect(m.world.notified('taskReleased')).toEqual([expect.objectContaining({ taskId: correction[0].id, to: { roles: ['secretariat'] } })]);
      await m.handle.executeUpdate(claimTaskUpdate, { args: [{ actor: jonas, taskId: correction[0].id, from: null }] });

      await logic().env.sleep(due - 60_000);
      expect(m.world.notified('minutesCorrectionOverdue')).toHaveLength(0);
      expect(m.world.tasksOf('minutesCorrection', 'open')).toEqual([expect.objectContaining({ overdue: false })]);
      await logic().env.sleep(2 * 60_000);
      await soon(() => expect(m.world.notified('minutesCorrectionOverdue')).toEqual([expect.objectContaining({ proposalId: m.meetingId, to: { roles: ['secretariat'] } })]));
      expect(m.world.tasksOf('minutesCorrection', 'open')).toEqual([expect.objectContaining({ overdue: true })]);
      // Then it waits for the secretariat without a timer: a month more adds nothing to the history.
      const before = (await m.handle.describe()).historyLength;
      await logic().env.sleep(days(30));
      expect((await m.handle.describe()).historyLength).toBe(before);
      expect(m.world.notified('minutesCorrectionOverdue')).toHaveLength(1);

      // Recorded again in time on the second return: no reminder.
      await m.handle.executeUpdate(recordMeetingUpdate, { args: [{ actor: sara, record }] });
      const second = await chairTask(2);
      // Done by whoever recorded the meeting again (though Jonas held it), before the chair is asked again.
      expect(m.world.tasksOf('minutesCorrection')).toEqual([expect.objectContaining({ status: 'completed', assignee: 'sara.secretariat', completedBy: 'sara.secretariat' })]);
      // Sara has left the secretariat since she recorded the meeting: the next correction goes to one who is in it.
      m.world.secretariat = ['jonas.secretariat'];
      await m.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: anne, taskId: second.id, input: { decision: 'return', comment: 'Stavefejl i punkt 1' } }] });
      await soon(async () => expect((await m.handle.query(meetingQuery)).minutesReturns).toHaveLength(2));
      await soon(() => expect(m.world.tasksOf('minutesCorrection', 'open')).toEqual([expect.objectContaining({ assignee: 'jonas.secretariat' })]));
      await logic().env.sleep(days(1));
      await m.handle.executeUpdate(recordMeetingUpdate, { args: [{ actor: jonas, record }] });
      const third = await chairTask(3);
      await logic().env.sleep(due);
      expect(m.world.notified('minutesCorrectionOverdue')).toHaveLength(1);
      expect(m.world.tasksOf('minutesCorrection', 'completed')).toEqual([
        expect.objectContaining({ id: `${m.meetingId}.minutesCorrection.1`, overdue: true }),
        expect.objectContaining({ id: `${m.meetingId}.minutesCorrection.2`, overdue: false, assignee: 'jonas.secretariat', completedBy: 'jonas.secretariat' }),
      ]);
      await m.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: anne, taskId: third.id, input: { decision: 'approve' } }] });
      expect(await m.handle.result()).toMatchObject({ status: 'minutesApproved' });
    });

    it('a cancelled meeting sends no agenda and tells those taking part', async () => {
      const m = await logic().startMeeting(days(10));
      expect((await m.handle.executeUpdate(cancelMeetingUpdate, { args: [{ actor: sara, reason: 'Formanden er syg' }] })).status).toBe('cancelled');
      expect(await m.handle.result()).toMatchObject({ status: 'cancelled', cancellation: { reason: 'Formanden er syg' } });
      expect(m.world.notified('meetingCancelled')).toHaveLength(1);
      expect(m.world.notified('meetingAgenda')).toHaveLength(0);
    });
  });
}
