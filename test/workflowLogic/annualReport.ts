import { completeTaskUpdate, claimTaskUpdate, reassignTaskUpdate } from '../../workflows/messages';
import { reportProgressQuery, reportSecretariatUpdate } from '../../workflows/annualReport';
import { actor } from '../support/drive';
import { taskInputSchemas, type TaskInput } from '../../domain/tasks';
import type { Actor } from '../../domain/people';
import { fakeConfig } from '../support/stubActivities';
import { refusal, refusalCode, sara, soon, type WorkflowLogic } from '../support/workflowLogic';

const council = ['anne.chair', 'bo.member', 'cecilie.member'];

/**
 * The year's report to the city council: drafted from the books, sent to the council
 * by the secretariat, approved or returned by a majority of the members through a
 * task each (due date, reminder, escalation), redrafted as a new version, then sent.
 */
export function annualReportTests(logic: () => WorkflowLogic) {
  describe('the annual report (stubbed activities)', () => {
    const statuses = (calls: unknown[]) =>
      calls.map((c) => {
        const s = c as { version: number; status: string; by: string };
        return `${s.version}:${s.status}:${s.by}`;
      });

    it('goes to the council when the secretariat sends it; two of three approve, the third task is cancelled, and it is sent', async () => {
      const r = await logic().startAnnualReport(2031);
      await soon(() => expect(r.world.notified('annualReportDrafted').map((n) => n.to)).toEqual([{ roles: ['secretariat'] }]));
      // Nobody but the secretariat sends it; nothing is redrafted or sent before its time.
      expect(await refusal(r.step('submit', actor('anne.chair', 'councilChair')))).toBe('Forbidden');
      expect(await refusal(r.step('redraft'))).toBe('Conflict');
      expect(await refusal(r.step('markSent'))).toBe('Conflict');
      expect(r.world.tasksOf('reportApproval')).toEqual([]);

      const submitted = await r.step('submit');
      expect(submitted).toMatchObject({ version: 1, status: 'awaitingCouncil', round: { members: council, chair: 'anne.chair', ballots: [] } });
      // The round is open once the Update returns: a task a member, each told of it.
      expect(
        r.world
          .tasksOf('reportApproval', 'open')
          .map((t) => t.assignee)
          .sort(),
      ).toEqual(council);
      expect(r.world.tasksOf('reportApproval').map((t) => t.proposalId)).toEqual(['annual-report-2031', 'annual-report-2031', 'annual-report-2031']);
      expect(
        r.world
          .notified('taskCreated')
          .map((n) => n.to.users![0])
          .sort(),
      ).toEqual(council);
      expect(await refusal(r.step('submit'))).toBe('Conflict');

      // Each answers their own task, with the council member's role; the task is personal.
      const bos = await r.taskOf('bo.member');
      expect(
        await refusal(r.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: actor('cecilie.member', 'councilMember'), taskId: bos.id, input: { decision: 'approve' } }] })),
      ).toBe('Forbidden');
      expect(
        await refusal(r.handle.executeUpdate(completeTaskUpdate, { args: [{ actor: actor('bo.member', 'department'), taskId: bos.id, input: { decision: 'approve' } }] })),
      ).toBe('Forbidden');
      expect(await refusal(r.handle.executeUpdate(claimTaskUpdate, { args: [{ actor: sara, taskId: bos.id, from: 'bo.member' }] }))).toBe('Conflict');

      await r.answer('bo.member', 'approve');
      expect(
        await refusal(
          r.handle.executeUpdate(completeTaskUpdate, {
            args: [{ actor: actor('bo.member', 'councilMember'), taskId: bos.id, input: { decision: 'return', comments: 'Alligevel' } }],
          }),
        ),
      ).toBe('Conflict');
      const anne = await r.taskOf('anne.chair');
      await r.answer('cecilie.member', 'approve', 'Klar til byrådet');
      await soon(() => expect(r.world.notified('annualReportApproved').map((n) => n.to)).toEqual([{ roles: ['secretariat'] }]));
      expect(r.world.tasks.get(anne.id)).toMatchObject({ status: 'cancelled', cancelReason: { code: 'councilDecided' } });
      expect(
        await refusal(
          r.handle.executeUpdate(completeTaskUpdate, {
            args: [{ actor: actor('anne.chair', 'councilMember'), taskId: anne.id, input: { decision: 'return', comments: 'For sent' } }],
          }),
        ),
      ).toBe('Conflict');
      expect(await r.handle.query(reportProgressQuery)).toMatchObject({
        status: 'approved',
        round: { result: 'approved', ballots: [{ memberId: 'bo.member' }, { memberId: 'cecilie.member', comments: 'Klar til byrådet' }] },
      });

      expect(await r.step('markSent')).toMatchObject({ version: 1, status: 'sentToCityCouncil' });
      expect(await r.handle.result()).toMatchObject({ year: 2031, version: 1, status: 'sentToCityCouncil' });
      expect(statuses(r.world.called('recordReportStatus'))).toEqual(['1:awaitingCouncil:sara.secretariat', '1:approved:council', '1:sentToCityCouncil:sara.secretariat']);
    });

    it('a majority returning it sends it back; the secretariat redrafts a new version, which goes to a round of its own', async () => {
      const r = await logic().startAnnualReport(2032);
      await r.drafted();
      await r.step('submit');
      await r.answer('anne.chair', 'return', 'Uddyb resultaterne for Housing First');
      await r.answer('bo.member', 'approve');
      // One return and one approval decide nothing yet.
      expect((await r.handle.query(reportProgressQuery)).status).toBe('awaitingCouncil');
      await r.answer('cecilie.member', 'return', 'Svar på rådets spørgsmål om prognosen');
      await soon(() => expect(r.world.notified('annualReportReturned').map((n) => n.to)).toEqual([{ roles: ['secretariat'] }]));
      expect(await r.handle.query(reportProgressQuery)).toMatchObject({ status: 'returned', round: { result: 'returned' } });
      expect(await refusal(r.step('submit'))).toBe('Conflict');
      expect(await refusal(r.step('markSent'))).toBe('Conflict');

      const redrafted = await r.step('redraft', actor('jonas.secretariat', 'secretariat'));
      expect(redrafted).toMatchObject({ version: 2, status: 'drafting' });
      expect(r.world.called('draftAnnualReport')).toMatchObject([
        { year: 2032, version: 1, by: 'sara.secretariat' },
        { year: 2032, version: 2, by: 'jonas.secretariat' },
      ]);
      // The new version goes to the council only when the secretariat sends it.
      expect(r.world.tasksOf('reportApproval', 'open')).toEqual([]);
      await r.step('submit');
      expect(
        r.world
          .tasksOf('reportApproval', 'open')
          .map((t) => `${t.round}:${t.assignee}`)
          .sort(),
      ).toEqual(council.map((m) => `2:${m}`));
      await r.answer('anne.chair', 'approve');
      await r.answer('cecilie.member', 'approve');
      await r.step('markSent');
      expect(await r.handle.result()).toMatchObject({ version: 2, status: 'sentToCityCouncil' });
      expect(statuses(r.world.called('recordReportStatus'))).toEqual([
        '1:awaitingCouncil:sara.secretariat',
        '1:returned:council',
        '2:awaitingCouncil:sara.secretariat',
        '2:approved:council',
        '2:sentToCityCouncil:sara.secretariat',
      ]);
    });

    it('reminds the members who have not answered, then escalates to the secretariat and the chair; an overdue answer still counts', async () => {
      const { reportApproval, reminderBefore } = fakeConfig.deadlines;
      const r = await logic().startAnnualReport(2034, { council: { members: ['bo.member', 'cecilie.member', 'dorte.member'], chair: 'dorte.member' } });
      await r.drafted();
      await r.step('submit');
      await r.answer('dorte.member', 'approve');

      await logic().env.sleep(reportApproval - reminderBefore + 60_000);
      await soon(() =>
        expect(
          r.world
            .notified('taskReminder')
            .map((n) => n.to.users)
            .sort(),
        ).toEqual([['bo.member'], ['cecilie.member']]),
      );
      expect(r.world.notified('taskEscalated')).toEqual([]);

      await logic().env.sleep(reminderBefore);
      await soon(() => expect(r.world.notified('taskEscalated')).toHaveLength(2));
      expect(r.world.escalations()).toEqual(['bo.member', 'cecilie.member'].map((member) => ({ roles: ['secretariat', 'councilChair'], except: [member] })));
      expect(
        r.world
          .tasksOf('reportApproval')
          .filter((t) => t.overdue)
          .map((t) => t.assignee)
          .sort(),
      ).toEqual(['bo.member', 'cecilie.member']);

      await r.answer('bo.member', 'approve');
      await soon(async () => expect((await r.handle.query(reportProgressQuery)).status).toBe('approved'));
      await r.step('markSent');
      expect(await r.handle.result()).toMatchObject({ version: 1, status: 'sentToCityCouncil' });
    });

    it("gives a departed member's answer to the member who replaced them, whose answer then counts in the round", async () => {
      const r = await logic().startAnnualReport(2035);
      await r.drafted();
      await r.step('submit');
      await r.answer('anne.chair', 'return', 'Uddyb prognosen');
      const bos = await r.taskOf('bo.member');
      const reason = { code: 'roleLost' as const, userId: 'bo.member', role: 'councilMember' as const };
      const reassign = (by: Actor) => r.handle.executeUpdate(reassignTaskUpdate, { args: [{ actor: by, taskId: bos.id, from: 'bo.member', reason }] });
      // Only the administrator moves tasks.
      expect(await refusal(reassign(sara))).toBe('Forbidden');
      r.world.council = { members: ['anne.chair', 'cecilie.member', 'frida.member'], chair: 'anne.chair' };
      const admin = actor('hr.admin', 'administrator');
      expect(await reassign(admin)).toEqual({ assignee: 'frida.member' });
      expect(await refusal(reassign(admin))).toBe('Conflict');
      expect(r.world.called('successorFor')).toEqual([{ role: 'councilMember', leaving: 'bo.member', seated: council }]);
      expect(r.world.tasks.get(bos.id)).toMatchObject({ assignee: 'frida.member', status: 'open' });
      await soon(() => expect(r.world.notified('taskReassigned').map((n) => [n.taskId, n.to.users])).toEqual([[bos.id, ['frida.member']]]));
      // Late, the moved answer is Frida's: the escalation leaves her out, not Bo.
      await logic().env.sleep(fakeConfig.deadlines.reportApproval + 60_000);
      await soon(() => expect(r.world.escalations().map((to) => to.except)).toEqual([['cecilie.member'], ['frida.member']]));

      // Bo may no longer answer; Frida's return, with Anne's, decides the round.
      const fromBo = { actor: actor('bo.member', 'councilMember'), taskId: bos.id, input: taskInputSchemas.reportApproval.parse({ decision: 'approve' }) };
      expect(await refusal(r.handle.executeUpdate(completeTaskUpdate, { args: [fromBo] }))).toBe('Forbidden');
      await r.answer('frida.member', 'return', 'Enig med formanden');
      await soon(() => expect(r.world.notified('annualReportReturned')).toHaveLength(1));
      expect(await r.handle.query(reportProgressQuery)).toMatchObject({
        status: 'returned',
        round: { members: ['anne.chair', 'frida.member', 'cecilie.member'], result: 'returned', ballots: [{ memberId: 'anne.chair' }, { memberId: 'frida.member' }] },
      });
    });

    it('goes on without a member who leaves a round seated during a handover, when nobody outside it can take their answer', async () => {
      const r = await logic().startAnnualReport(2037);
      // Frida is seated before Bo leaves: for a moment the council has four members, and the round seats all four.
      r.world.council = { members: [...council, 'frida.member'], chair: 'anne.chair' };
      await r.drafted();
      await r.step('submit');
      await r.answer('anne.chair', 'approve');
      await r.answer('cecilie.member', 'approve');
      await r.answer('frida.member', 'return', 'Mangler effektmålingen');
      expect((await r.handle.query(reportProgressQuery)).status).toBe('awaitingCouncil'); // two of four are no majority
      const bos = await r.taskOf('bo.member');
      r.world.council = { members: ['anne.chair', 'cecilie.member', 'frida.member'], chair: 'anne.chair' };
      const reason = { code: 'holderDeactivated' as const, userId: 'bo.member' };
      const moved = await r.handle.executeUpdate(reassignTaskUpdate, { args: [{ actor: actor('hr.admin', 'administrator'), taskId: bos.id, from: 'bo.member', reason }] });
      expect(moved).toEqual({ assignee: null });
      expect(r.world.tasks.get(bos.id)).toMatchObject({ status: 'cancelled', cancelReason: reason });
      // Two of the three who remain approved.
      await soon(async () =>
        expect(await r.handle.query(reportProgressQuery)).toMatchObject({ status: 'approved', round: { members: ['anne.chair', 'cecilie.member', 'frida.member'] } }),
      );
    });

    it('sends only the text the sending checked: one saved since (another secretary, in the meantime) keeps the draft, and the sending is refused', async () => {
      // The read model's text was saved again (rev-2) since the API checked it (rev-1).
      const savedLast = 'rev-2';
      const r = await logic().startAnnualReport(2038, {
        overrides: { recordReportStatus: async (s) => (s.textRev && s.textRev !== savedLast ? { textChanged: true as const } : {}) },
      });
      await r.drafted();
      const send = (textRev: string) => r.handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'submit', textRev }] });
      expect(await refusalCode(send('rev-1'))).toBe('reportTextChanged');
      // Still a draft, and no member is asked: the secretariat reads the text and sends it again.
      expect(await r.handle.query(reportProgressQuery)).toMatchObject({ version: 1, status: 'drafting' });
      expect(r.world.tasksOf('reportApproval')).toEqual([]);
      expect(await send(savedLast)).toMatchObject({ version: 1, status: 'awaitingCouncil' });
      expect(statuses(r.world.called('recordReportStatus'))).toEqual(['1:awaitingCouncil:sara.secretariat', '1:awaitingCouncil:sara.secretariat']);
      await soon(() => expect(r.world.tasksOf('reportApproval', 'open')).toHaveLength(3));
    });

    it("ends at once when the year's report is another run's: started by hand, then by the Schedule", async () => {
      // The draft finds the year's report written by the run started by hand (an approved one, here).
      const r = await logic().startAnnualReport(2036, {
        overrides: { draftAnnualReport: async () => ({ workflowId: 'annual-report-by-hand', version: 1, status: 'approved' as const }) },
      });
      expect(await r.handle.result()).toEqual({ year: 2036, version: 1, status: 'approved' });
      // Nobody is told of a draft, and no round opens: the other run has the report.
      expect(r.world.notified('annualReportDrafted')).toEqual([]);
      expect(r.world.tasksOf('reportApproval')).toEqual([]);
    });

    it('keeps its history bounded however often the report goes back and forth: it continues as new while awaiting the redraft', async () => {
      const r = await logic().startAnnualReport(2033);
      const firstRun = (await r.handle.describe()).runId;
      let run = firstRun;
      let sentAgainAfterContinuing = false;
      const rounds = 12;
      for (let v = 1; v <= rounds; v++) {
        await r.drafted(v);
        await r.step('submit');
        await r.answer('bo.member', 'return', `Runde ${v}`);
        // The answer that returns the report, with an Update ID as the API gives it.
        const task = await r.taskOf('cecilie.member');
        const input = taskInputSchemas.reportApproval.parse({ decision: 'return', comments: `Runde ${v}` });
        const closing = {
          args: [{ actor: actor('cecilie.member', 'councilMember'), taskId: task.id, input }] as [{ actor: Actor; taskId: string; input: TaskInput }],
          updateId: `return-${v}`,
        };
        const returned = await r.handle.executeUpdate(completeTaskUpdate, closing);
        await soon(() => expect(r.world.notified('annualReportReturned')).toHaveLength(v));
        expect(await r.step('redraft')).toMatchObject({ version: v + 1, status: 'drafting' });
        const now = (await r.handle.describe()).runId;
        if (now !== run && !sentAgainAfterContinuing) {
          // The workflow continued as new after that answer. Sent again, as a retry after a 503 sends it,
          // it gets its first answer from the new run, not a refusal of a task that run never had.
          expect(await r.handle.executeUpdate(completeTaskUpdate, closing)).toEqual(returned);
          sentAgainAfterContinuing = true;
        }
        run = now;
      }
      expect(sentAgainAfterContinuing).toBe(true);
      await r.step('submit');
      await r.answer('anne.chair', 'approve');
      await r.answer('bo.member', 'approve');
      await r.step('markSent');
      expect(await r.handle.result()).toMatchObject({ year: 2033, version: rounds + 1, status: 'sentToCityCouncil' });
      const last = await r.handle.describe();
      expect(last.runId).not.toBe(firstRun);
      expect(last.historyLength).toBeLessThan(400);
      // Every version drafted once, in order, across the runs.
      expect(r.world.called('draftAnnualReport').map((d) => (d as { version: number }).version)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i + 1));
    });
  });
}
