import { annualReportScheduleId, ensureAnnualReportSchedule } from '../../worker/schedule';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { pageVisitor } from '../support/pageVisitor';
import { eventually } from '../support/eventually';
import { answerOpenTask, draftReport, grantWithFirstTranche } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';

/**
 * The annual report through the API on the dev server: the secretariat writes the
 * text beside the figures, the council decides through a task a member, a return
 * with comments is redrafted and answered, the approved report is sent; and the
 * yearly Schedule that starts it.
 */
describe('the annual report', () => {
  let stack: Stack;
  const year = new Date().getUTCFullYear();
  const lastYear = year - 1;
  const caseId = `annual-report-${year}`;

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

  const answer = (member: string, body: unknown) => answerOpenTask(stack, caseId, 'reportApproval', body, member);

  it('is drafted from the books, written by the secretariat, returned by the council through tasks, redrafted, approved and marked as sent', async () => {
    const sara = await stack.as('sara.secretariat');
    // A grant with its first tranche paid this year: one project in the report.
    const grantId = await grantWithFirstTranche(stack);

    expect((await sara.get(`/api/reports/${year}`)).status).toBe(404);
    expect((await (await stack.as('bo.member')).post(`/api/reports/${year}`)).status).toBe(403);
    // By hand only a closed year of the fund; this year's is drafted as the test can fill its books.
    expect((await sara.post(`/api/reports/${year}`)).body).toMatchObject({ status: 400, errors: [{ field: 'year', code: 'closedFundYear', params: { last: lastYear } }] });
    await draftReport(stack, year);
    await expect(draftReport(stack, year)).rejects.toMatchObject({ refusal: { code: 'reportUnderway' } });

    const draft = await eventually(async () => {
      const r = await sara.get(`/api/reports/${year}`);
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(draft).toMatchObject({ year, version: 1, status: 'drafting', narrative: null, evaluation: null, councilRounds: [] });
    // Its council rounds name each member's answer and comments: every read is on record, under the report's case id.
    const bosPages = await pageVisitor(stack.api.url, 'bo.member');
    for (const path of [`/reports/${year}`, `/reports/${year}/print`]) expect((await bosPages.get(path)).status).toBe(200);
    const reportReads = await stack.store.accessLog.find({ what: 'report', proposalId: caseId }).sort({ at: 1 }).lean();
    expect(reportReads.map((e) => [e.userId, e.route, e.via])).toEqual(
      expect.arrayContaining([
        ['sara.secretariat', 'GET /api/reports/:year', 'api'],
        ['bo.member', 'GET /reports/:year', 'pages'],
        ['bo.member', 'GET /reports/:year/print', 'pages'],
      ]),
    );
    // The data protection officer finds them under the report's case id, linked to the report's page.
    const dpoPages = await pageVisitor(stack.api.url, 'dpo');
    const logPage = await dpoPages.get(`/access-log?case=${caseId}`);
    expect(logPage.status).toBe(200);
    expect(logPage.text).toContain(`<a href="/reports/${year}">${caseId}</a>`);
    expect(logPage.text).not.toContain(`/proposals/${caseId}`);
    expect(draft.report.fundAtYearEnd).toMatchObject({ capital: '40000000.00', reserved: '500000.00' });
    expect(draft.report.perProposal).toEqual([
      expect.objectContaining({ proposalId: grantId, grants: '700000.00', cap: '1200000.00', paidToDate: '700000.00', reservedAtYearEnd: '500000.00' }),
    ]);
    expect(draft.projects).toEqual([{ proposalId: grantId, title: youthAnxietyGroups.title }]);
    expect(draft.missing).toEqual(['overallAssessment', `projects.${grantId}`]);
    await stack.smtp.waitFor('sara.friis@example.dk', new RegExp(`^Årsrapporten er udarbejdet: Afrapportering ${year}$`));

    // The text: the secretariat's alone, bounded, about the report's own projects; the council gets it only once written.
    const text = {
      overallAssessment: 'Et år med de første betalinger.\n- Angstgrupperne er i gang på tre skoler',
      projects: [{ proposalId: grantId, commentary: 'Første rate er udbetalt efter besøg på skolerne.' }],
    };
    expect((await (await stack.as('bo.member')).put(`/api/reports/${year}/narrative`, text)).status).toBe(403);
    const tooLong = await sara.put(`/api/reports/${year}/narrative`, { ...text, overallAssessment: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'overallAssessment', code: 'too_big' })]);
    const stray = await sara.put(`/api/reports/${year}/narrative`, { ...text, projects: [{ proposalId: 'SIF-1999-999', commentary: 'Ikke her' }] });
    expect(stray.status).toBe(422);
    expect(stray.body.errors).toEqual([expect.objectContaining({ field: 'projects.0.proposalId', code: 'projectNotInReport' })]);
    const incomplete = await sara.post(`/api/reports/${year}/submit`, {});
    expect(incomplete.status).toBe(422);
    expect(incomplete.body).toMatchObject({ code: 'reportIncomplete', missing: ['overallAssessment', `projects.${grantId}`] });

    const saved = await sara.put(`/api/reports/${year}/narrative`, text);
    expect(saved.status).toBe(200);
    expect(saved.body.missing).toEqual([]);
    // Two secretaries with the evaluation's form open: the second to save is told of the first's text, not written over it, and replaces it only knowingly.
    const evaluationForm = (pages: Awaited<ReturnType<typeof pageVisitor>>, page: string) => ({
      _csrf: pages.csrfOf(page),
      _evaluationFrom: /name="_evaluationFrom" value="([^"]*)"/.exec(page)![1],
    });
    const [saraPages, jonasPages] = await Promise.all([pageVisitor(stack.api.url, 'sara.secretariat'), pageVisitor(stack.api.url, 'jonas.secretariat')]);
    const [saraForm, jonasForm] = await Promise.all([saraPages, jonasPages].map(async (p) => evaluationForm(p, (await p.get(`/reports/${year}`)).text)));
    expect((await saraPages.post(`/reports/${year}/evaluation`, { ...saraForm, evaluation: 'Rådet har mødtes seks gange.' })).status).toBe(303);
    const refused = await jonasPages.post(`/reports/${year}/evaluation`, { ...jonasForm, evaluation: 'Rådet har mødtes fem gange.' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('En anden har gemt evalueringen af rådets arbejde');
    expect(refused.text).toContain('Rådet har mødtes fem gange.');
    expect((await sara.get(`/api/reports/${year}`)).body.evaluation).toMatchObject({ text: 'Rådet har mødtes seks gange.', by: 'sara.secretariat' });
    expect((await jonasPages.post(`/reports/${year}/evaluation`, { ...evaluationForm(jonasPages, refused.text), evaluation: 'Rådet har mødtes fem gange.' })).status).toBe(303);
    expect((await sara.get(`/api/reports/${year}`)).body.evaluation).toMatchObject({ text: 'Rådet har mødtes fem gange.', by: 'jonas.secretariat' });
    // A removal is told too: a form that still showed the evaluation does not put it back unknowingly.
    const [saraAgain, jonasAgain] = await Promise.all([saraPages, jonasPages].map(async (p) => evaluationForm(p, (await p.get(`/reports/${year}`)).text)));
    expect((await saraPages.post(`/reports/${year}/evaluation`, { ...saraAgain, evaluation: '' })).status).toBe(303);
    expect((await sara.get(`/api/reports/${year}`)).body.evaluation).toBeNull();
    const afterRemoval = await jonasPages.post(`/reports/${year}/evaluation`, { ...jonasAgain, evaluation: 'Rådet har mødtes fem gange.' });
    expect(afterRemoval.status).toBe(409);
    expect(afterRemoval.text).toContain('En anden har fjernet evalueringen af rådets arbejde');
    expect((await sara.get(`/api/reports/${year}`)).body.evaluation).toBeNull();
    // A time no form of ours draws is refused, where it was taken for a form that checks nothing and saved over whatever stood.
    const unreadable = await jonasPages.post(`/reports/${year}/evaluation`, { ...jonasAgain, _evaluationFrom: '1', evaluation: 'Rådet har mødtes fem gange.' });
    expect(unreadable.status).toBe(400);
    expect((await sara.get(`/api/reports/${year}`)).body.evaluation).toBeNull();
    expect((await sara.put(`/api/reports/${year}/evaluation`, { evaluation: 'Rådet har mødtes seks gange og behandlet fire forslag.' })).status).toBe(200);
    expect((await (await stack.as('anne.chair')).post(`/api/reports/${year}/submit`, {})).status).toBe(403);
    expect((await sara.post(`/api/reports/${year}/submit`, { note: 'Til rådets møde' })).body).toMatchObject({ version: 1, status: 'awaitingCouncil' });
    // Its answer names the council's round: on record as a read of the report.
    expect(await stack.store.accessLog.countDocuments({ what: 'report', proposalId: caseId, route: 'POST /api/reports/:year/submit' })).toBe(1);
    // From now on the text is the council's to judge, not the secretariat's to change.
    const late = await sara.put(`/api/reports/${year}/narrative`, text);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'reportNotDrafting', params: { status: 'awaitingCouncil' } });
    // On the page, a text saved after a colleague sent the report is given back to copy: no form is drawn for it any more.
    const sarasPages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const reportPage = await sarasPages.get(`/reports/${year}`);
    const refusedPage = await sarasPages.post(`/reports/${year}/narrative`, {
      _csrf: sarasPages.csrfOf(reportPage.text),
      overallAssessment: 'Et år med nye forslag og færre anbringelser.',
    });
    expect(refusedPage.status).toBe(409);
    expect(refusedPage.text).toContain('Et år med nye forslag og færre anbringelser.');
    // A form larger than the pages take is refused in the reader's words, not the library's.
    const tooLarge = await sarasPages.post(`/reports/${year}/narrative`, { _csrf: sarasPages.csrfOf(reportPage.text), overallAssessment: 'æ'.repeat(150_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toContain('Det sendte er for stort.');
    expect(tooLarge.text).not.toContain('request entity too large');

    // A task a member, in their inbox, with its e-mail; the chair's task is hers as a member.
    const bo = await stack.as('bo.member');
    const inbox = (await bo.get('/api/tasks?assignee=me&status=open')).body.items as { kind: string; proposalId: string; title: string }[];
    expect(inbox).toEqual([expect.objectContaining({ kind: 'reportApproval', proposalId: caseId, title: `Afrapportering ${year}` })]);
    const mail = await stack.smtp.waitFor('bo.lind@example.dk', new RegExp(`^Ny opgave: Afrapportering ${year}$`));
    expect(mail.text).toContain(`/tasks/${encodeURIComponent(`${caseId}.v1.reportApproval.bo.member`)}`);
    expect((await sara.get(`/api/reports/${year}`)).body.councilRounds).toEqual([
      { version: 1, answers: ['anne.chair', 'bo.member', 'cecilie.member'].map((member) => expect.objectContaining({ member, status: 'open', overdue: false })) },
    ]);

    const noComments = await answer('bo.member', { decision: 'return', comments: '  ' });
    expect(noComments.status).toBe(400);
    expect(noComments.body.errors[0]).toMatchObject({ field: 'comments', code: 'sayWhatToChange' });
    expect((await answer('bo.member', { decision: 'return', comments: 'Beskriv effekten for eleverne' })).status).toBe(200);
    expect((await sara.get(`/api/reports/${year}`)).body.status).toBe('awaitingCouncil');
    expect((await answer('cecilie.member', { decision: 'return', comments: 'Hvad betyder prognosen for nye forslag?' })).status).toBe(200);
    await eventually(async () => expect((await sara.get(`/api/reports/${year}`)).body.status).toBe('returned'));
    const chairs = await stack.store.tasks.findById(`${caseId}.v1.reportApproval.anne.chair`).lean();
    expect(chairs).toMatchObject({ status: 'cancelled', cancelReason: { code: 'councilDecided' } });
    expect((await (await stack.as('anne.chair')).post(`/api/tasks/${encodeURIComponent(chairs!._id)}/complete`, { decision: 'approve' })).status).toBe(409);
    await stack.smtp.waitFor('sara.friis@example.dk', new RegExp(`^Årsrapporten er sendt tilbage: Afrapportering ${year}$`));

    // The redraft: a new version of the figures, the text carried over, the council's comments to answer.
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ code: 'reportNotDrafting' });
    // As if sent before versions were kept: the redraft keeps the version it replaces, but not an evaluation saved since it was sent.
    await stack.store.reportVersions.deleteOne({ _id: `${year}.v1` });
    const evaluation = 'Rådet har mødtes seks gange og behandlet fire forslag.';
    for (const text of [`${evaluation} Rettet.`, evaluation]) expect((await sara.put(`/api/reports/${year}/evaluation`, { evaluation: text })).status).toBe(200);
    expect((await sara.post(`/api/reports/${year}/redraft`, {})).body).toMatchObject({ version: 2, status: 'drafting' });
    const redraft = (await sara.get(`/api/reports/${year}`)).body;
    expect(redraft).toMatchObject({ version: 2, status: 'drafting', narrative: { overallAssessment: text.overallAssessment }, missing: ['answersToCouncil'] });
    // The chair's unanswered task says why it closed.
    expect(redraft.councilRounds[0].answers[0]).toMatchObject({ member: 'anne.chair', status: 'cancelled', cancelReason: { code: 'councilDecided' } });
    expect(redraft.councilRounds[0].answers.map((a: { comments?: string }) => a.comments).filter(Boolean)).toEqual([
      'Beskriv effekten for eleverne',
      'Hvad betyder prognosen for nye forslag?',
    ]);
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ code: 'reportIncomplete', missing: ['answersToCouncil'] });
    // Only a draft on record is checked and sent: while the read model still shows the returned report (a redraft under way), its old text is not sent in its place.
    await stack.store.reports.updateOne({ _id: year }, { $set: { status: 'returned' } });
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ status: 409, code: 'reportNotDrafting', params: { status: 'returned' } });
    await stack.store.reports.updateOne({ _id: year }, { $set: { status: 'drafting' } });
    await sara.put(`/api/reports/${year}/narrative`, { ...text, answersToCouncil: 'Effekten for eleverne er beskrevet; prognosen holder med plads til nye forslag.' });
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ version: 2, status: 'awaitingCouncil' });

    expect((await answer('anne.chair', { decision: 'approve', comments: 'Fin rapport' })).status).toBe(200);
    expect((await answer('bo.member', { decision: 'approve' })).status).toBe(200);
    await eventually(async () => expect((await sara.get(`/api/reports/${year}`)).body.status).toBe('approved'));
    await stack.smtp.waitFor('jonas.krogh@example.dk', new RegExp(`^Årsrapporten er godkendt af rådet: Afrapportering ${year}$`));
    expect((await sara.post(`/api/reports/${year}/sent`, { note: 'Sendt til byrådet 1. maj' })).body.status).toBe('sentToCityCouncil');

    const done = (await sara.get(`/api/reports/${year}`)).body;
    expect(done).toMatchObject({ version: 2, status: 'sentToCityCouncil', missing: [] });
    expect(done.history.map((h: { status: string; version: number; by: string }) => `${h.version}:${h.status}:${h.by}`)).toEqual([
      '1:drafted:sara.secretariat',
      '1:awaitingCouncil:sara.secretariat',
      '1:returned:council',
      '2:drafted:sara.secretariat',
      '2:awaitingCouncil:sara.secretariat',
      '2:approved:council',
      '2:sentToCityCouncil:sara.secretariat',
    ]);
    expect(done.markdown).toContain('Første rate er udbetalt efter besøg på skolerne.');
    expect(done.markdown).toContain('## Evaluering af rådets arbejde\nRådet har mødtes seks gange og behandlet fire forslag.');
    // The version the council returned stays as it got it (the minutes of its decision link there): the redraft's answers are not in it.
    const bosPrint = await pageVisitor(stack.api.url, 'bo.member');
    const asReturned = await bosPrint.get(`/reports/${year}/print?version=1`);
    expect(asReturned.status).toBe(200);
    expect(asReturned.text).toContain('Version 1, som rådet fik den');
    expect(asReturned.text).toContain('Et år med de første betalinger.');
    expect(asReturned.text).not.toContain('Effekten for eleverne er beskrevet');
    expect((await bosPrint.get(`/reports/${year}/print?version=2`)).text).toContain('Effekten for eleverne er beskrevet');
    expect((await bosPrint.get(`/reports/${year}/print?version=3`)).status).toBe(404);
    expect((await bosPrint.get(`/reports/${year}/print?version=one`)).status).toBe(404);
    // The API gives the same, for a client following the minutes.
    const returnedVersion = (await sara.get(`/api/reports/${year}?version=1`)).body;
    expect(returnedVersion).toMatchObject({ version: 1, asOf: 'kept', status: 'sentToCityCouncil', missing: [], evaluation: null, evaluationChangedSince: true });
    expect(asReturned.text).toContain('Evalueringen af rådets arbejde blev gemt igen, efter rådet fik denne version');
    expect(returnedVersion.markdown).not.toContain('Effekten for eleverne er beskrevet');
    // Kept as it was sent, the second version holds the evaluation saved before it went to the council.
    expect((await sara.get(`/api/reports/${year}?version=2`)).body).toMatchObject({ version: 2, asOf: 'kept', evaluation: { text: evaluation } });
    expect((await sara.get(`/api/reports/${year}?version=3`)).status).toBe(404);
    // A version never kept (redrafted before this was kept) shows the report as it stands, and says so.
    await stack.store.reportVersions.deleteOne({ _id: `${year}.v1` });
    expect((await bosPrint.get(`/reports/${year}/print?version=1`)).text).toContain('Version 1 blev sendt til rådet, før versionerne blev gemt');
    expect((await sara.get(`/api/reports/${year}?version=1`)).body).toMatchObject({ version: 2, asOf: 'notKept' });
    // Sent is final: no more evaluation, no second report for the year; its workflow has ended.
    expect((await sara.put(`/api/reports/${year}/evaluation`, { evaluation: 'Senere' })).body).toMatchObject({ code: 'reportAlreadySent' });
    await eventually(async () => expect((await stack.client.workflow.getHandle(caseId).describe()).status.name).toBe('COMPLETED'));
    await expect(draftReport(stack, year)).rejects.toMatchObject({ refusal: { code: 'reportUnderway' } });
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

    // A year's run still going (waiting for the secretariat, here) never holds up the Schedule's next one.
    expect((await handle.describe()).policies.overlap).toBe('ALLOW_ALL');
    // A second run for the same year (a report started by hand met by the Schedule's, say) finds the year's report
    // another run's and ends at once. Started as the Schedule starts it, under an id of its own: the Schedule names a
    // run by its time, and a second trigger moments after the first was given the same name.
    const action = (await handle.describe()).action;
    const second = await client.workflow.start('annualReport', { taskQueue: config.temporal.taskQueue, workflowId: `${report.workflowId}-again`, args: action.args });
    expect(await second.result()).toEqual({ year: lastYear, version: 1, status: 'drafting' });
    expect(await client.workflow.getHandle(report.workflowId).describe()).toMatchObject({ status: { name: 'RUNNING' } });
    expect((await stack.store.reports.findById(lastYear).lean())!.workflowId).toBe(report.workflowId);
  });

  it('answers a retry of a start by hand as the start was, once its answer was lost; another start is refused', async () => {
    const sara = await stack.as('sara.secretariat');
    const earlier = lastYear - 1;
    const key = { 'idempotency-key': 'start-earlier-report' };
    const started = await sara.post(`/api/reports/${earlier}`, {}, key);
    expect(started.status).toBe(202);
    await eventually(async () => expect(await stack.store.reports.exists({ _id: earlier })).not.toBeNull());
    // As an outage's 5xx leaves it: the start went through, its answer is not on record.
    await stack.store.idempotency.deleteMany({});
    const retried = await sara.post(`/api/reports/${earlier}`, {}, key);
    expect([retried.status, retried.body.workflowId]).toEqual([202, started.body.workflowId]);
    expect((await sara.post(`/api/reports/${earlier}`, {})).body).toMatchObject({ status: 409, code: 'reportUnderway' });
  });
});
