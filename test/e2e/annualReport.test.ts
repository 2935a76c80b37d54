import { annualReportScheduleId, ensureAnnualReportSchedule } from '../../worker/schedule';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

/** The annual report through the API on the dev server, and the yearly Schedule that starts it. */
describe('the annual report', () => {
  let stack: Stack;
  const lastYear = new Date().getUTCFullYear() - 1;
  beforeAll(async () => {
    // A fund that began three years ago: the year before last is closed, and last year is the Schedule's.
    stack = await startStack('annual-report', {}, (c) => void (c.fund.startDate = `${lastYear - 2}-01-01`));
  });
  afterAll(async () => {
    await stack?.client.schedule
      .getHandle(annualReportScheduleId)
      .delete()
      .catch(() => undefined);
    await stack?.stop();
  });

  it('is drafted, returned with comments, redrafted, approved by the chair and marked as sent', async () => {
    const sara = await stack.as('sara.secretariat');
    const anne = await stack.as('anne.chair');
    const year = lastYear - 1;
    expect((await sara.get(`/api/reports/${year}`)).status).toBe(404);
    expect((await (await stack.as('bo.member')).post(`/api/reports/${year}`)).status).toBe(403);
    const started = await sara.post(`/api/reports/${year}`);
    expect(started.status).toBe(202);
    expect((await sara.post(`/api/reports/${year}`)).status).toBe(409);

    const draft = await eventually(async () => {
      const r = await sara.get(`/api/reports/${year}`);
      expect(r.status).toBe(200);
      // Shown as awaiting the chair only once the chair can act on it.
      expect(r.body.status).toBe('draft');
      return r.body;
    });
    expect(draft).toMatchObject({ year, version: 1, status: 'draft' });
    expect(draft.report.fundAtYearEnd).toMatchObject({ capital: '40000000.00', free: '40000000.00' });
    expect(draft.report.outlook.years).toHaveLength(10);
    expect(draft.markdown).toContain(`# Den Sociale Investeringsfond: afrapportering ${year}`);
    await stack.smtp.waitFor('anne.holm@example.dk', /^Årsrapporten er klar til godkendelse/);

    expect((await sara.post(`/api/reports/${year}/decision`, { decision: 'approve' })).status).toBe(403);
    const noComment = await anne.post(`/api/reports/${year}/decision`, { decision: 'return' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.errors[0].field).toBe('comments');
    expect((await anne.post(`/api/reports/${year}/decision`, { decision: 'return', comments: 'Tilføj effekterne for Housing First' })).body.status).toBe('returned');
    expect((await sara.post(`/api/reports/${year}/sent`, {})).status).toBe(409);
    expect((await sara.post(`/api/reports/${year}/redraft`, { note: 'Effekter tilføjet' })).body).toMatchObject({ version: 2, status: 'awaitingChair' });
    expect((await anne.post(`/api/reports/${year}/decision`, { decision: 'approve' })).body.status).toBe('approved');
    expect((await sara.post(`/api/reports/${year}/sent`, { note: 'Sendt til byrådet 1. maj' })).body.status).toBe('sentToCityCouncil');

    const done = (await sara.get(`/api/reports/${year}`)).body;
    expect(done).toMatchObject({ version: 2, status: 'sentToCityCouncil' });
    expect(done.history.map((h: { status: string; version: number }) => `${h.version}:${h.status}`)).toEqual([
      '1:draft',
      '1:returned',
      '2:draft',
      '2:approved',
      '2:sentToCityCouncil',
    ]);
    // Its workflow has ended; the year still has its one report.
    await eventually(async () => expect((await stack.client.workflow.getHandle(`annual-report-${year}`).describe()).status.name).toBe('COMPLETED'));
    expect((await sara.post(`/api/reports/${year}`)).status).toBe(409);
  });

  it('is started every year by a Schedule on the configured date, for the year just closed', async () => {
    const { config, client } = stack;
    await ensureAnnualReportSchedule(client, config, config.temporal.taskQueue);
    await ensureAnnualReportSchedule(client, config, config.temporal.taskQueue); // every start does this: no error the second time
    const handle = client.schedule.getHandle(annualReportScheduleId);
    const described = await handle.describe();
    expect(described.spec.calendars).toEqual([
      expect.objectContaining({ month: [{ start: 'APRIL', end: 'APRIL', step: 1 }], dayOfMonth: [{ start: 30, end: 30, step: 1 }], hour: [{ start: 8, end: 8, step: 1 }] }),
    ]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'annualReport' });

    await handle.trigger();
    const report = await eventually(async () => {
      const doc = await stack.store.reports.findById(lastYear).lean();
      expect(doc).not.toBeNull();
      return doc!;
    }, 60_000);
    expect(report.workflowId).toMatch(/^annual-report-scheduled/);
    // The schedule's run has an id of its own; drafting the same year by hand is still refused.
    expect((await (await stack.as('sara.secretariat')).post(`/api/reports/${lastYear}`)).status).toBe(409);
  });
});
