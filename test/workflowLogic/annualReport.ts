import { reportDecisionUpdate, reportProgressQuery, reportSecretariatUpdate } from '../../workflows/annualReport';
import { actor } from '../support/drive';
import { refusal, sara, soon, type WorkflowLogic } from '../support/workflowLogic';

const anne = actor('anne.chair', 'councilChair');

/** The year's report to the city council: drafted, approved by the chair or returned and redrafted, then sent. */
export function annualReportTests(logic: () => WorkflowLogic) {
  describe('the annual report (stubbed activities)', () => {
    const statuses = (calls: unknown[]) =>
      calls.map((c) => {
        const s = c as { version: number; status: string };
        return `${s.version}:${s.status}`;
      });

    it('goes to the chair, is returned with comments, redrafted as a new version, approved and sent', async () => {
      const { handle, world } = await logic().startAnnualReport(2031);
      await soon(() => expect(world.notified('annualReportReady').map((n) => n.to.users)).toEqual([['anne.chair']]));
      expect(await refusal(handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: sara, decision: 'approve' }] }))).toBe('Forbidden');
      // A returned report needs comments; only a returned report is redrafted, only an approved one sent.
      expect(await refusal(handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: anne, decision: 'return', comments: '  ' }] }))).toBe('Conflict');
      expect(await refusal(handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'redraft' }] }))).toBe('Conflict');
      expect(await refusal(handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'markSent' }] }))).toBe('Conflict');

      await handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: anne, decision: 'return', comments: 'Uddyb resultaterne' }] });
      await soon(() => expect(world.notified('annualReportReturned').map((n) => n.to.roles)).toEqual([['secretariat']]));
      expect(await refusal(handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: anne, step: 'redraft' }] }))).toBe('Forbidden');
      const redrafted = await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: actor('jonas.secretariat', 'secretariat'), step: 'redraft' }] });
      expect(redrafted).toMatchObject({ version: 2, status: 'awaitingChair' });
      expect(world.called('draftAnnualReport')).toMatchObject([
        { year: 2031, version: 1, by: 'sara.secretariat' },
        { year: 2031, version: 2, by: 'jonas.secretariat' },
      ]);

      await handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: anne, decision: 'approve' }] });
      const sent = await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'markSent', note: 'Til byrådets møde' }] });
      expect(sent).toMatchObject({ version: 2, status: 'sentToCityCouncil' });
      expect(await handle.result()).toMatchObject({ year: 2031, version: 2, status: 'sentToCityCouncil' });
      expect(statuses(world.called('recordReportStatus'))).toEqual(['1:draft', '1:returned', '2:draft', '2:approved', '2:sentToCityCouncil']);
      expect(await handle.query(reportProgressQuery)).toMatchObject({ status: 'sentToCityCouncil' });
    });

    it('keeps its history bounded however often the report goes back and forth: it continues as new while awaiting the redraft', async () => {
      const { handle, world } = await logic().startAnnualReport(2033);
      const firstRun = (await handle.describe()).runId;
      const rounds = 25;
      for (let v = 1; v <= rounds; v++) {
        await soon(() => expect(world.notified('annualReportReady')).toHaveLength(v));
        await handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: anne, decision: 'return', comments: `Runde ${v}` }] });
        const redrafted = await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'redraft' }] });
        expect(redrafted).toMatchObject({ version: v + 1, status: 'awaitingChair' });
      }
      await handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: anne, decision: 'approve' }] });
      await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'markSent' }] });
      expect(await handle.result()).toMatchObject({ year: 2033, version: rounds + 1, status: 'sentToCityCouncil' });
      const last = await handle.describe();
      expect(last.runId).not.toBe(firstRun);
      expect(last.historyLength).toBeLessThan(400);
      // Every version drafted once, in order, across the runs.
      expect(world.called('draftAnnualReport').map((d) => (d as { version: number }).version)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i + 1));
    });

    it('asks the chair the council has when the draft is ready', async () => {
      const { handle, world } = await logic().startAnnualReport(2032, { council: { members: ['bo.member', 'cecilie.member', 'dorte.member'], chair: 'dorte.member' } });
      await soon(() => expect(world.notified('annualReportReady').map((n) => n.to.users)).toEqual([['dorte.member']]));
      await handle.executeUpdate(reportDecisionUpdate, { args: [{ actor: actor('dorte.member', 'councilChair'), decision: 'approve' }] });
      await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'markSent' }] });
      expect(await handle.result()).toMatchObject({ version: 1, status: 'sentToCityCouncil' });
    });
  });
}
