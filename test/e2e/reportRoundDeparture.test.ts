import { pageVisitor } from '../support/pageVisitor';
import { eventually } from '../support/eventually';
import { draftReport } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';

/**
 * A council member who leaves while the annual report is before the council, seated in a
 * round of four during a handover: nobody outside the round can take the answer, so the
 * task closes unanswered, and the report's page says why, by name.
 */
describe('a member who leaves during a round of the annual report', () => {
  let stack: Stack;
  const year = new Date().getUTCFullYear();
  const caseId = `annual-report-${year}`;

  beforeAll(async () => {
    stack = await startStack('report-departure');
  });
  afterAll(() => stack?.stop());

  it("is shown on the report's page as closed unanswered, with the reason in the reader's words", async () => {
    const [sara, admin] = await Promise.all(['sara.secretariat', 'hr.admin'].map((u) => stack.as(u)));
    await draftReport(stack, year);
    const draft = await eventually(async () => {
      const r = await sara.get(`/api/reports/${year}`);
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(draft.projects).toEqual([]);
    expect((await sara.put(`/api/reports/${year}/narrative`, { overallAssessment: 'Et år uden udbetalinger.', projects: [] })).status).toBe(200);
    expect((await sara.put(`/api/reports/${year}/evaluation`, { evaluation: 'Rådet har mødtes fire gange.' })).status).toBe(200);

    // Dorte joins before Bo leaves: the round seats all four.
    expect((await admin.post('/api/users', { id: 'dorte.member', name: 'Dorte Berg', email: 'dorte.berg@example.dk', roles: ['councilMember'] })).status).toBe(201);
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ version: 1, status: 'awaitingCouncil' });
    const bos = await eventually(async () => {
      const tasks = await stack.store.tasks.find({ proposalId: caseId, kind: 'reportApproval', status: 'open' }).lean();
      expect(tasks.map((t) => t.assignee).sort()).toEqual(['anne.chair', 'bo.member', 'cecilie.member', 'dorte.member']);
      return tasks.find((t) => t.assignee === 'bo.member')!;
    });

    // Bo leaves the council before answering: nobody outside the round can take his answer.
    expect((await admin.put('/api/users/bo.member', { roles: [] })).status).toBe(200);
    const reason = { code: 'roleLost', userId: 'bo.member', role: 'councilMember' };
    await eventually(async () => expect(await stack.store.tasks.findById(bos._id).lean()).toMatchObject({ status: 'cancelled', cancelReason: reason }));
    const rounds = (await sara.get(`/api/reports/${year}`)).body.councilRounds;
    expect(rounds[0].answers.find((a: { member: string }) => a.member === 'bo.member')).toMatchObject({ status: 'cancelled', cancelReason: reason });

    // The page names him as it shows people, and says why his answer will not come.
    const page = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/reports/${year}`)).text;
    expect(page).toContain('Lukket uden svar: Bo Lind har ikke længere rollen rådsmedlem');
    expect(page).not.toContain('bo.member har ikke');
  });
});
