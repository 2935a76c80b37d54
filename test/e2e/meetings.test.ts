import { earlyDraft, housingFirst, type2Diabetes, youthAnxietyGroups } from '../fixtures/proposals';
import { actor, approveThroughAgreement, completeOpen, recommendDirectAward, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { pageVisitor } from '../support/pageVisitor';
import { answerOpenTask, draftReport } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';
import { workflowIdFor } from '../../workflows/input';
import { stateQuery, submitUpdate } from '../../workflows/messages';
import { copenhagenDay } from '../../domain/dates';
import { fromLocalInput } from '../../domain/localTime';

/**
 * Council meetings through the API on the dev server: the secretariat plans a
 * meeting, puts proposals on its agenda, the agenda goes out with links to the
 * decision papers, the members vote by their own tasks, the secretariat records
 * attendance and decisions, and the chair approves the minutes by a task; in both of
 * the council's ways of voting.
 */
describe('council meetings', () => {
  let stack: Stack;
  /** The agenda goes out this long before a meeting: short, so a test sees it. */
  const notice = 4_000;
  /** The secretariat's deadline to record returned minutes again: short, so a test sees it pass. */
  const correction = 2_000;

  beforeAll(async () => {
    stack = await startStack('meetings', {}, (c) => {
      c.council.agendaNotice = notice;
      c.council.minutesCorrection = correction;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submitted = async (input = youthAnxietyGroups) => {
    const sara = await stack.as('sara.secretariat');
    const id = (await sara.post('/api/proposals', input)).body.id as string;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('CouncilDecision'));
    return id;
  };
  const votes = (proposalId: string) => stack.store.tasks.countDocuments({ proposalId, kind: 'councilVote', status: 'open' });
  const plan = async (inMs: number, extra: Record<string, unknown> = {}) => {
    const res = await (await stack.as('sara.secretariat')).post('/api/meetings', { startsAt: new Date(Date.now() + inMs).toISOString(), place: 'Rådhuset, lokale 1', ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; startsAt: string };
  };
  const untilHeld = async (meetingId: string) => {
    const doc = await stack.store.meetings.findById(meetingId).lean();
    const wait = doc!.startsAt.getTime() - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 50));
  };

  /** Where the chair answers her task on the minutes, once it is open. */
  const chairTask = (taskId: string) =>
    eventually(async () => {
      const t = await stack.store.tasks.findById(taskId).lean();
      expect(t).toMatchObject({ assignee: 'anne.chair', role: 'councilChair', status: 'open' });
      return `/api/tasks/${encodeURIComponent(taskId)}/complete`;
    });

  it('asynchronous voting (the default): the votes open at submission, the agenda goes out with the papers, the minutes record what the votes decided and the chair approves them', async () => {
    const sara = await stack.as('sara.secretariat');
    const id = await submitted();
    await eventually(async () => expect(await votes(id)).toBe(3));

    // Only the secretariat plans; a meeting lies ahead and has a place or a link.
    expect((await (await stack.as('bo.member')).post('/api/meetings', { startsAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rådhuset' })).status).toBe(403);
    const past = await sara.post('/api/meetings', { startsAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(422);
    expect(past.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual(['place:placeOrVideo', 'startsAt:meetingAhead']);

    // Far enough ahead that the steps before it fit on a busy machine.
    const meeting = await plan(notice + 20_000);
    expect(meeting.status).toBe('planned');
    expect((await (await stack.as('msb.head')).get(`/api/meetings/${meeting.id}`)).status).toBe(403);
    // The meeting is there, its minutes not yet: they come with its record.
    expect((await sara.get(`/api/meetings/${meeting.id}/minutes`)).body).toMatchObject({ status: 409, code: 'noMinutesYet', params: { status: 'planned' } });

    // A proposal awaiting the council goes on the agenda, once; a draft does not.
    const draft = (await sara.post('/api/proposals', earlyDraft)).body.id as string;
    expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: draft })).body).toMatchObject({ status: 409, code: 'notAwaitingCouncil' });
    expect((await (await stack.as('anne.chair')).post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id })).status).toBe(403);
    const added = await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id });
    expect(added.status).toBe(200);
    expect(added.body.agenda).toEqual([
      expect.objectContaining({ id: 'i1', kind: 'proposal', caseId: id, title: youthAnxietyGroups.title, paper: `/proposals/${id}#papers-title` }),
    ]);
    expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id })).body).toMatchObject({ code: 'alreadyOnAgenda' });
    // Nor before a second meeting while this one is not held: each agenda signals the case's workflow.
    const later = await plan(30 * 86_400_000);
    expect((await sara.post(`/api/meetings/${later.id}/items`, { kind: 'proposal', caseId: id })).body).toMatchObject({
      status: 409,
      code: 'onAnotherAgenda',
      params: { caseId: id, meetingId: meeting.id },
    });
    // A meeting is recorded at or after it, not before.
    expect((await sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair'], items: [{ itemId: 'i1', decision: 'postponed' }] })).body).toMatchObject({
      code: 'meetingNotHeld',
    });

    // The agenda goes out before the meeting through the outbox, with the link to each decision paper.
    const mail = await stack.smtp.waitFor('bo.lind@example.dk', /^Dagsorden: Rådsmøde /);
    expect(mail.text).toContain(`1. ${youthAnxietyGroups.title}: ${stack.config.publicUrl}/proposals/${id}#papers-title`);
    expect(mail.text).toContain('Rådhuset, lokale 1');
    const outbox = await stack.store.outbox.find({ proposalId: meeting.id, event: 'meetingAgenda' }).lean();
    expect(outbox.map((o) => o.userId).sort()).toEqual(['anne.chair', 'bo.member', 'cecilie.member', 'jonas.secretariat', 'sara.secretariat']);
    expect((await sara.get(`/api/meetings/${meeting.id}`)).body.status).toBe('agendaSent');

    // Each member confirms their own vote by their task; Bo is recused.
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'conflictOfInterest' }, 'bo.member')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, 'anne.chair')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, 'cecilie.member')).status).toBe(200);
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId: id, kind: 'councilAttestation', status: 'open' })).toBe(1));

    await untilHeld(meeting.id);
    const record = (decision: string, present = ['anne.chair', 'bo.member']) =>
      sara.post(`/api/meetings/${meeting.id}/record`, { present, items: [{ itemId: 'i1', decision, note: 'Drøftet' }] });
    expect((await record('reject')).body).toMatchObject({ status: 409, code: 'decisionDiffersFromVotes', params: { itemId: 'i1', decision: 'approve' } });
    expect((await record('approve', ['anne.chair', 'mayor'])).body).toMatchObject({ code: 'notOnCouncil', params: { userId: 'mayor' } });
    // With Bo recused, Anne's and Cecilie's votes had to agree: Anne named as having a conflict too, her vote carried a decision that was not the council's.
    const conflicted = await sara.post(`/api/meetings/${meeting.id}/record`, {
      present: ['anne.chair', 'bo.member'],
      items: [{ itemId: 'i1', decision: 'approve', conflicts: ['anne.chair'] }],
    });
    expect(conflicted.body).toMatchObject({ status: 409, code: 'conflictedVoteCarried', params: { itemId: 'i1', members: ['anne.chair'] } });
    const recorded = await record('approve');
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      status: 'recorded',
      minutes: {
        present: ['anne.chair', 'bo.member'],
        absent: ['cecilie.member'],
        items: [{ number: 1, caseId: id, decision: 'approve', conflicts: ['bo.member'], note: 'Drøftet' }],
      },
    });
    expect((await record('approve')).body).toMatchObject({ code: 'meetingNotOpen', params: { status: 'recorded' } });
    // Attendance and conflicts go on the access log wherever the meeting is shown: the answer to its record, and the calendar.
    const cecilie = await stack.as('cecilie.member');
    expect((await cecilie.get('/api/meetings')).body.items.map((m: { id: string }) => m.id)).toContain(meeting.id);
    const reads = await stack.store.accessLog.find({ meetingId: meeting.id }).lean();
    expect(reads.map((e) => [e.userId, e.route])).toEqual(
      expect.arrayContaining([
        ['sara.secretariat', 'POST /api/meetings/:id/record'],
        ['cecilie.member', 'GET /api/meetings'],
      ]),
    );
    // The data protection officer finds them by the meeting as a case, as she finds its tasks' reads.
    const byCase = (await (await stack.as('dpo')).get(`/api/access-log?case=${meeting.id}&pageSize=100`)).body.items as { userId: string; route: string }[];
    expect(byCase.map((e) => [e.userId, e.route])).toEqual(
      expect.arrayContaining([
        ['sara.secretariat', 'POST /api/meetings/:id/record'],
        ['cecilie.member', 'GET /api/meetings'],
      ]),
    );

    // The chair returns the minutes by her task, saying what to correct; the secretariat hears of it and records the meeting again.
    const anne = await stack.as('anne.chair');
    const first = await chairTask(`${meeting.id}.minutesApproval`);
    // Her inbox and the task name the meeting in her language, not in the Danish its workflow titled the task with for the mails.
    const inEnglish = await pageVisitor(stack.api.url, 'anne.chair');
    await inEnglish.get('/language?lang=en&next=/');
    const { startsAt } = (await stack.store.meetings.findById(meeting.id).lean())!;
    const day = startsAt.toLocaleDateString('en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric' });
    for (const page of [await inEnglish.get('/'), await inEnglish.get(`/tasks/${encodeURIComponent(`${meeting.id}.minutesApproval`)}`)]) {
      expect(page.text).toContain(`Council meeting ${day}`);
      expect(page.text).not.toContain('Rådsmøde');
    }
    expect((await (await stack.as('bo.member')).post(first, { decision: 'approve' })).status).toBe(403);
    const unsaid = await anne.post(first, { decision: 'return', comment: '  ' });
    expect(unsaid.status).toBe(400);
    expect(unsaid.body.errors).toEqual([expect.objectContaining({ field: 'comment', code: 'sayWhatToChange' })]);
    const returned = await anne.post(first, { decision: 'return', comment: 'Bo forlod mødet under punkt 1; det skal stå i referatet.' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ status: 'completed', completedBy: 'anne.chair' });
    await eventually(async () =>
      expect((await sara.get(`/api/meetings/${meeting.id}`)).body).toMatchObject({
        status: 'minutesReturned',
        minutesReturns: [{ by: 'anne.chair', comment: 'Bo forlod mødet under punkt 1; det skal stå i referatet.' }],
      }),
    );
    expect((await anne.post(first, { decision: 'approve' })).body).toMatchObject({ status: 409, code: 'taskNotOpen' });
    await stack.smtp.waitFor('sara.friis@example.dk', /^Referatet skal rettes: Rådsmøde /);
    // The secretariat has its deadline to record the meeting again; past it, it is reminded once, and the meeting's page says so.
    const [{ at, correctBy }] = (await sara.get(`/api/meetings/${meeting.id}`)).body.minutesReturns;
    expect(Date.parse(correctBy) - Date.parse(at)).toBeGreaterThanOrEqual(correction);
    // The correction is in the inbox of whoever recorded the meeting, due by that deadline, with what the chair asked and the way to the record.
    const correctionId = `${meeting.id}.minutesCorrection.1`;
    const inbox = (await sara.get('/api/tasks?assignee=me&status=open')).body.items;
    expect(inbox).toEqual(expect.arrayContaining([expect.objectContaining({ id: correctionId, kind: 'minutesCorrection', proposalId: meeting.id, dueAt: correctBy })]));
    const saraPages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const taskPage = (await saraPages.get(`/tasks/${encodeURIComponent(correctionId)}`)).text;
    expect(taskPage).toContain('Bo forlod mødet under punkt 1');
    expect(taskPage).toContain(`href="/meetings/${meeting.id}#record-title"`);
    // Nothing answers it: recording the meeting again closes it.
    expect((await sara.post(`/api/tasks/${encodeURIComponent(correctionId)}/complete`, {})).body).toMatchObject({ status: 409, code: 'closesWhenRecorded' });
    await stack.smtp.waitFor('sara.friis@example.dk', /^Referatet er endnu ikke rettet: Rådsmøde /);
    expect(await stack.store.tasks.findById(correctionId).lean()).toMatchObject({ status: 'open', overdue: true });
    const overdue = (await saraPages.get(`/meetings/${meeting.id}`)).text;
    expect(overdue).toMatch(/Rettes senest.*Fristen er overskredet/s);
    // A form drawn before she returned them (another secretary's, left open) would replace the record without answering her: refused.
    const stale = await sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member'], items: [{ itemId: 'i1', decision: 'approve' }], returnsSeen: 0 });
    expect(stale.body).toMatchObject({ status: 409, code: 'minutesReturnedSinceDrawn', params: { returns: 1 } });
    // A correction keeps the decision the votes gave at the meeting.
    const changed = await sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member'], items: [{ itemId: 'i1', decision: 'postponed' }] });
    expect(changed.body).toMatchObject({ status: 409, code: 'decisionAsRecorded', params: { itemId: 'i1', decision: 'approve' } });
    const corrected = await sara.post(`/api/meetings/${meeting.id}/record`, {
      present: ['anne.chair', 'bo.member'],
      items: [{ itemId: 'i1', decision: 'approve', note: 'Drøftet; Bo forlod mødet under punktet.' }],
      returnsSeen: 1,
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'recorded', minutes: { items: [{ note: 'Drøftet; Bo forlod mødet under punktet.' }] } });
    await eventually(async () => expect(await stack.store.tasks.findById(correctionId).lean()).toMatchObject({ status: 'completed', completedBy: 'sara.secretariat' }));

    // The chair approves the corrected minutes by a new task; then they stand on the proposal's timeline.
    const second = await chairTask(`${meeting.id}.minutesApproval.2`);
    // Her inbox tells it from the first, and so does the mail that tells her of it.
    expect((await inEnglish.get('/')).text).toContain(`<a href="/tasks/${encodeURIComponent(`${meeting.id}.minutesApproval.2`)}">Approval of the minutes (round 2)</a>`);
    await stack.smtp.waitFor('anne.holm@example.dk', /^Ny opgave: Rådsmøde /, 30_000, 'Godkend referatet af rådsmødet, eller send det tilbage til rettelse (runde 2)');
    expect((await anne.post(second, { decision: 'approve', comment: 'Godkendt uden ændringer' })).status).toBe(200);
    const minutes = (await (await stack.as('mayor')).get(`/api/meetings/${meeting.id}/minutes`)).body;
    expect(minutes.approval).toMatchObject({ by: 'anne.chair', comment: 'Godkendt uden ændringer' });
    expect(minutes.items).toEqual([expect.objectContaining({ note: 'Drøftet; Bo forlod mødet under punktet.' })]);
    const timeline = (await sara.get(`/api/proposals/${id}`)).body.timeline as { type: string; details: { meetingId?: string } }[];
    expect(timeline.filter((e) => e.type === 'onAgenda' || e.type === 'minutesApproved')).toEqual([
      expect.objectContaining({ type: 'onAgenda', details: expect.objectContaining({ meetingId: meeting.id }) }),
      expect.objectContaining({ type: 'minutesApproved', details: expect.objectContaining({ meetingId: meeting.id, decision: 'approve' }) }),
    ]);
    await stack.smtp.waitFor('cecilie.dahl@example.dk', /^Referatet er godkendt: Rådsmøde /);
    const meetingHandle = stack.client.workflow.getHandle(`meeting-${meeting.id}`);
    await eventually(async () => expect((await meetingHandle.describe()).status.name).toBe('COMPLETED'));
    await recordHistory(meetingHandle, 'meeting-correction-task');
  });

  it('a proposal returned and sent again before the meeting goes on its agenda again for the new round; the minutes record each round as its votes decided', async () => {
    const sara = await stack.as('sara.secretariat');
    const id = await submitted();
    await eventually(async () => expect(await votes(id)).toBe(3));
    const meeting = await plan(notice + 20_000);
    const addTo = (meetingId: string) => sara.post(`/api/meetings/${meetingId}/items`, { kind: 'proposal', caseId: id });
    expect((await addTo(meeting.id)).status).toBe(200);

    // Two of the three return it; the secretariat sends it again at once, before the meeting.
    for (const member of ['anne.chair', 'cecilie.member']) {
      expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'returnForChanges', comment: 'Uddyb målgruppen' }, member)).status).toBe(200);
    }
    await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('Motivation'));
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    await eventually(async () => expect(await votes(id)).toBe(3));
    const again = await addTo(meeting.id);
    expect(again.status).toBe(200);
    expect(again.body.agenda).toEqual([expect.objectContaining({ id: 'i1', caseId: id, round: 1 }), expect.objectContaining({ id: 'i2', caseId: id, round: 2 })]);
    expect((await addTo(meeting.id)).body).toMatchObject({ code: 'alreadyOnAgenda' });

    // Two of three approve the new round; while its chair's attestation is open it awaits no meeting.
    for (const member of ['anne.chair', 'bo.member']) {
      expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, member)).status).toBe(200);
    }
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId: id, kind: 'councilAttestation', status: 'open' })).toBe(1));
    expect((await addTo((await plan(30 * 86_400_000)).id)).body).toMatchObject({ status: 409, code: 'notAwaitingCouncil' });

    await untilHeld(meeting.id);
    const recorded = await sara.post(`/api/meetings/${meeting.id}/record`, {
      present: ['anne.chair', 'bo.member', 'cecilie.member'],
      items: [
        { itemId: 'i1', decision: 'returnForChanges' },
        { itemId: 'i2', decision: 'approve' },
      ],
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.minutes.items.map((i: { decision: string }) => i.decision)).toEqual(['returnForChanges', 'approve']);
    // The page tells the two items apart.
    const page = await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${meeting.id}`);
    expect(page.text).toContain(`(Forslag ${id}, 2. behandling)`);
    // So do the council's mails of the agenda.
    await eventually(async () => {
      const mails = await stack.store.outbox.find({ proposalId: meeting.id, userId: 'anne.chair', event: { $in: ['meetingAgenda', 'agendaItemAdded'] } }).lean();
      expect(mails.some((m) => m.body.includes('(2. behandling)'))).toBe(true);
    });
  });

  it('meeting voting: the votes open only once the proposal is on an agenda; a meeting held before they decide records the item as postponed', async () => {
    stack.config.council.voting = 'meeting';
    try {
      const sara = await stack.as('sara.secretariat');
      const id = await submitted();
      // The round waits for a meeting: no member is asked to vote yet.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await votes(id)).toBe(0);

      // The agenda goes out 8 s from now: the item is on it however busy the machine.
      const meeting = await plan(notice + 8_000, { place: undefined, videoLink: 'https://video.example.dk/raadet' });
      expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id })).status).toBe(200);
      await eventually(async () => expect(await votes(id)).toBe(3));
      const agenda = await eventually(async () => {
        const entry = await stack.store.outbox.findOne({ proposalId: meeting.id, event: 'meetingAgenda', userId: 'anne.chair' }).lean();
        expect(entry).not.toBeNull();
        return entry!;
      });
      expect(agenda.body).toContain('Videolink: https://video.example.dk/raadet');
      expect(agenda.body).toContain(`/proposals/${id}#papers-title`);

      await untilHeld(meeting.id);
      expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, 'bo.member')).status).toBe(200);
      const early = await sara.post(`/api/meetings/${meeting.id}/record`, {
        present: ['anne.chair', 'bo.member', 'cecilie.member'],
        items: [{ itemId: 'i1', decision: 'approve' }],
      });
      expect(early.body).toMatchObject({ status: 409, code: 'votesOutstanding' });
      const postponed = await sara.post(`/api/meetings/${meeting.id}/record`, {
        present: ['anne.chair', 'bo.member', 'cecilie.member'],
        items: [{ itemId: 'i1', decision: 'postponed' }],
      });
      expect(postponed.body.minutes.items).toEqual([expect.objectContaining({ decision: 'postponed', conflicts: [] })]);
      // The votes stay open for the next meeting.
      expect(await votes(id)).toBe(2);
      // They decide before it: the decision goes on the next agenda for its minutes, as the round it was.
      for (const member of ['anne.chair', 'cecilie.member']) expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'reject' }, member)).status).toBe(200);
      await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('Rejected'));
      const next = await plan(60 * 60_000);
      const added = await sara.post(`/api/meetings/${next.id}/items`, { kind: 'proposal', caseId: id });
      expect(added.body.agenda).toEqual([expect.objectContaining({ kind: 'proposal', caseId: id, round: 1 })]);
    } finally {
      stack.config.council.voting = 'async';
    }
  });

  it('meeting voting: a decision the votes made after its meeting was cancelled goes on another agenda for its minutes, apart from the round now waiting', async () => {
    stack.config.council.voting = 'meeting';
    try {
      const sara = await stack.as('sara.secretariat');
      const id = await submitted(housingFirst);
      const addTo = async (meetingId: string) => (await sara.post(`/api/meetings/${meetingId}/items`, { kind: 'proposal', caseId: id })).body;
      const cancelled = await plan(60 * 60_000);
      await addTo(cancelled.id);
      await eventually(async () => expect(await votes(id)).toBe(3));
      expect((await sara.post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Rådet er ikke beslutningsdygtigt' })).body.status).toBe('cancelled');
      // The votes stay open and return the proposal; revised, it waits before the council again in round 2.
      for (const member of ['anne.chair', 'bo.member'])
        expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'returnForChanges', comment: 'Uddyb målgruppen' }, member)).status).toBe(200);
      await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('Motivation'));
      expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
      await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('CouncilDecision'));

      // The next meeting offers round 1's decision for its minutes, and takes it first: before, it awaited the council no more.
      const next = await plan(notice + 6_000);
      const offered = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${next.id}`)).text;
      expect(offered).toContain(`afgjort, til referatet, 1. behandling`);
      expect((await addTo(next.id)).agenda).toEqual([expect.objectContaining({ id: 'i1', caseId: id, round: 1 })]);
      // Round 2 goes on a meeting of its own, and only that one opens its votes.
      const later = await plan(60 * 60_000);
      expect((await addTo(later.id)).agenda).toEqual([expect.objectContaining({ caseId: id, round: 2 })]);
      await eventually(async () => expect(await votes(id)).toBe(3));
      const { rounds } = await stack.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
      expect(rounds.map((r) => [r.number, r.meetingId])).toEqual([
        [1, cancelled.id],
        [2, later.id],
      ]);

      await untilHeld(next.id);
      const record = (decision: string) =>
        sara.post(`/api/meetings/${next.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [{ itemId: 'i1', decision }] });
      expect((await record('postponed')).body).toMatchObject({ code: 'decisionDiffersFromVotes' });
      expect((await record('returnForChanges')).body.minutes.items).toEqual([expect.objectContaining({ caseId: id, round: 1, decision: 'returnForChanges' })]);
    } finally {
      stack.config.council.voting = 'async';
    }
  });

  it("an annual report the council approved after its meeting was cancelled goes on another agenda for its minutes, which record the members' approval", async () => {
    const sara = await stack.as('sara.secretariat');
    // Last year's: no project of this stack has money in its books, so the text is the assessment alone.
    const year = new Date().getUTCFullYear() - 1;
    const reportCase = `annual-report-${year}`;
    await draftReport(stack, year);
    await eventually(async () => expect((await sara.get(`/api/reports/${year}`)).status).toBe(200));
    expect((await sara.put(`/api/reports/${year}/narrative`, { overallAssessment: 'Et år uden betalinger.', projects: [] })).status).toBe(200);
    expect((await sara.post(`/api/reports/${year}/submit`, {})).body).toMatchObject({ version: 1, status: 'awaitingCouncil' });

    const addTo = async (meetingId: string) => (await sara.post(`/api/meetings/${meetingId}/items`, { kind: 'annualReport', caseId: String(year) })).body;
    const cancelled = await plan(60 * 60_000);
    expect((await addTo(cancelled.id)).agenda).toEqual([expect.objectContaining({ kind: 'annualReport', caseId: String(year), round: 1 })]);
    expect((await sara.post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Rådet er ikke beslutningsdygtigt' })).body.status).toBe('cancelled');
    // The members' tasks stay open, and they approve it all the same.
    for (const member of ['anne.chair', 'bo.member']) expect((await answerOpenTask(stack, reportCase, 'reportApproval', { decision: 'approve' }, member)).status).toBe(200);
    await eventually(async () => expect((await sara.get(`/api/reports/${year}`)).body.status).toBe('approved'));

    const next = await plan(notice + 6_000);
    const offered = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${next.id}`)).text;
    expect(offered).toContain(`Afrapportering ${year} (afgjort, til referatet, 1. behandling)`);
    // Its paper is the version decided, as the council got it.
    expect((await addTo(next.id)).agenda).toEqual([
      expect.objectContaining({ id: 'i1', kind: 'annualReport', caseId: String(year), round: 1, paper: `/reports/${year}/print?version=1` }),
    ]);
    await untilHeld(next.id);
    const recorded = await sara.post(`/api/meetings/${next.id}/record`, { present: ['anne.chair', 'bo.member'], items: [{ itemId: 'i1', decision: 'approve' }] });
    expect(recorded.body.minutes.items).toEqual([expect.objectContaining({ kind: 'annualReport', round: 1, decision: 'approve' })]);
    // Recorded, it awaits no agenda any more.
    expect(await addTo((await plan(60 * 60_000)).id)).toMatchObject({ status: 409, code: 'notAwaitingCouncil' });
  });

  it("offers for minutes and records a case that closed and whose history Temporal no longer keeps: the decision is tallied from the members' tasks", async () => {
    const sara = await stack.as('sara.secretariat');
    const id = await submitted();
    await eventually(async () => expect(await votes(id)).toBe(3));
    const cancelled = await plan(60 * 60_000);
    expect((await sara.post(`/api/meetings/${cancelled.id}/items`, { kind: 'proposal', caseId: id })).status).toBe(200);
    // One member declares a conflict of interest; the other two reject, and the case closes.
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'conflictOfInterest' }, 'cecilie.member')).status).toBe(200);
    for (const member of ['anne.chair', 'bo.member']) expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'reject' }, member)).status).toBe(200);
    await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('Rejected'));
    // Its retention runs out before the meeting is recorded: Temporal deletes the closed history (the dev server takes its time: some seconds, more on a busy machine).
    await stack.client.workflowService.deleteWorkflowExecution({ namespace: stack.config.temporal.namespace, workflowExecution: { workflowId: workflowIdFor(id) } });
    await eventually(async () => expect((await sara.get(`/api/proposals/${id}/ocds`)).status).toBe(410), 180_000);

    // Its meeting is cancelled: the decision the votes made goes on another agenda for its minutes, found from the members' tasks.
    expect((await sara.post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Rådet er ikke beslutningsdygtigt' })).body.status).toBe('cancelled');
    const meeting = await plan(notice + 6_000);
    const added = await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id });
    expect(added.body.agenda).toEqual([expect.objectContaining({ id: 'i1', kind: 'proposal', caseId: id, round: 1 })]);
    await untilHeld(meeting.id);
    const record = (decision: string) =>
      sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [{ itemId: 'i1', decision }] });
    expect((await record('approve')).body).toMatchObject({ status: 409, code: 'decisionDiffersFromVotes', params: { decision: 'reject' } });
    expect((await record('reject')).body.minutes.items).toEqual([expect.objectContaining({ caseId: id, round: 1, decision: 'reject', conflicts: ['cecilie.member'] })]);
  });

  const awardTasks = (proposalId: string) => stack.store.tasks.countDocuments({ proposalId, kind: 'awardDecision', status: 'open' });
  /** The chair approves the minutes by her task; the case's timeline then shows the meeting's items on it. */
  const approveMinutes = async (meetingId: string, proposalId: string) => {
    const task = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: meetingId, kind: 'minutesApproval', status: 'open' }).lean();
      expect(t).not.toBeNull();
      return t!;
    });
    expect((await (await stack.as('anne.chair')).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, { decision: 'approve' })).status).toBe(200);
    const timeline = (await (await stack.as('sara.secretariat')).get(`/api/proposals/${proposalId}`)).body.timeline as { type: string; details: Record<string, unknown> }[];
    return timeline.filter((e) => (e.type === 'onAgenda' || e.type === 'minutesApproved') && e.details.meetingId === meetingId);
  };

  it('an award recommendation decided after its meeting was cancelled goes on another agenda for its minutes, titled as before, though its case closed and Temporal no longer keeps it', async () => {
    const sara = await stack.as('sara.secretariat');
    const id = (await sara.post('/api/proposals', housingFirst)).body.id as string;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await recommendDirectAward(sara, handle, id);
    await eventually(async () => expect(await awardTasks(id)).toBe(3));
    const cancelled = await plan(60 * 60_000);
    expect((await sara.post(`/api/meetings/${cancelled.id}/items`, { kind: 'awardRecommendation', caseId: id })).status).toBe(200);
    expect((await sara.post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Rådet er ikke beslutningsdygtigt' })).body.status).toBe('cancelled');
    // The members decide all the same; then the case is withdrawn, and its retention runs out.
    for (const member of ['anne.chair', 'bo.member']) expect((await answerOpenTask(stack, id, 'awardDecision', { decision: 'approve' }, member)).status).toBe(200);
    await eventually(async () => expect(await awardTasks(id)).toBe(0));
    expect((await sara.post(`/api/proposals/${id}/withdraw`, { reason: 'Leverandøren trak sig' })).status).toBe(200);
    await waitForStage(handle, 'Withdrawn');
    // Closed, its earmark released (the next test's approval needs the fund's money), before Temporal forgets it.
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    await stack.client.workflowService.deleteWorkflowExecution({ namespace: stack.config.temporal.namespace, workflowExecution: { workflowId: workflowIdFor(id) } });
    await eventually(async () => expect((await sara.get(`/api/proposals/${id}/ocds`)).status).toBe(410), 180_000);

    const meeting = await plan(notice + 6_000);
    const added = await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'awardRecommendation', caseId: id });
    expect(added.body.agenda).toEqual([expect.objectContaining({ kind: 'awardRecommendation', caseId: id, round: 1, title: `${housingFirst.title}: Boligsocialt Netværk` })]);
    await untilHeld(meeting.id);
    const recorded = await sara.post(`/api/meetings/${meeting.id}/record`, {
      present: ['anne.chair', 'bo.member', 'cecilie.member'],
      items: [{ itemId: 'i1', decision: 'approve' }],
    });
    expect(recorded.body.minutes.items).toEqual([expect.objectContaining({ caseId: id, kind: 'awardRecommendation', round: 1, decision: 'approve' })]);
  });

  it("asynchronous voting: an award recommendation awaiting the council goes on the agenda, and the minutes record the members' decision on it", async () => {
    const sara = await stack.as('sara.secretariat');
    const id = (await sara.post('/api/proposals', housingFirst)).body.id as string;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    const meeting = await plan(notice + 6_000);
    // Before the secretariat recommends, there is nothing of it before the council.
    expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'awardRecommendation', caseId: id })).body).toMatchObject({ status: 409, code: 'notAwaitingCouncil' });
    await approveThroughAgreement(stack.store, handle, id);
    await recommendDirectAward(sara, handle, id);
    // The members' tasks are open at once, as before meetings.
    await eventually(async () => expect(await awardTasks(id)).toBe(3));
    // Offered once its workflow says it awaits the council; while no worker can say so, the page says the list may lack cases.
    const offeredOnPage = async () => (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${meeting.id}`)).text;
    await stack.stopWorker();
    try {
      const unasked = await offeredOnPage();
      expect(unasked).toContain('data-awaiting-workflow');
      expect(unasked).toContain('listen over sager, der venter på rådet, kan mangle nogle');
      expect(unasked).not.toContain(`value="awardRecommendation:${id}"`);
    } finally {
      await stack.restartWorker();
    }
    await eventually(async () => {
      const asked = await offeredOnPage();
      expect(asked).toContain(`value="awardRecommendation:${id}"`);
      expect(asked).not.toContain('data-awaiting-workflow');
    }, 60_000);

    const added = await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'awardRecommendation', caseId: id });
    expect(added.status).toBe(200);
    expect(added.body.agenda).toEqual([
      expect.objectContaining({
        id: 'i1',
        kind: 'awardRecommendation',
        caseId: id,
        title: `${housingFirst.title}: Boligsocialt Netværk`,
        paper: `/proposals/${id}/procurement#award-recommendations-title`,
      }),
    ]);
    expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'awardRecommendation', caseId: id })).body).toMatchObject({ code: 'alreadyOnAgenda' });
    expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'investorRecommendation', caseId: id })).body).toMatchObject({ code: 'notAwaitingCouncil' });

    // Bo's task page puts the recommendation beside the bids; once he holds no council role (his task not yet moved on), it shows him none of it, as the API shows him no procurement.
    const bosTask = `/tasks/${encodeURIComponent((await stack.store.tasks.findOne({ proposalId: id, kind: 'awardDecision', assignee: 'bo.member' }).lean())!._id)}`;
    const bosPage = async () => (await (await pageVisitor(stack.api.url, 'bo.member')).get(bosTask)).text;
    expect(await bosPage()).toContain('Boligsocialt Netværk');
    await stack.store.users.updateOne({ _id: 'bo.member' }, { $set: { roles: ['department'], department: 'MSB' } });
    try {
      expect(await bosPage()).not.toContain('Boligsocialt Netværk');
    } finally {
      await stack.store.users.updateOne({ _id: 'bo.member' }, { $set: { roles: ['councilMember'] }, $unset: { department: 1 } });
    }

    expect((await answerOpenTask(stack, id, 'awardDecision', { decision: 'conflictOfInterest' }, 'bo.member')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'awardDecision', { decision: 'approve' }, 'anne.chair')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'awardDecision', { decision: 'return', comments: 'Prisen er for høj' }, 'cecilie.member')).status).toBe(200);
    await untilHeld(meeting.id);
    const record = (decision: string) =>
      sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [{ itemId: 'i1', decision }] });
    // One approval and one return of the two who could vote: the council did not agree.
    expect((await record('approve')).body).toMatchObject({ status: 409, code: 'decisionDiffersFromVotes', params: { itemId: 'i1', decision: 'noAgreement' } });
    const recorded = await record('noAgreement');
    expect(recorded.status).toBe(200);
    expect(recorded.body.minutes.items).toEqual([expect.objectContaining({ caseId: id, kind: 'awardRecommendation', decision: 'noAgreement', conflicts: ['bo.member'] })]);
    expect(await approveMinutes(meeting.id, id)).toEqual([
      expect.objectContaining({ type: 'onAgenda' }),
      expect.objectContaining({ type: 'minutesApproved', details: expect.objectContaining({ decision: 'noAgreement' }) }),
    ]);
  });

  it('meeting voting: the decision on an award recommendation opens only when it is put on an agenda, beside the proposal it belongs to', async () => {
    stack.config.council.voting = 'meeting';
    try {
      const sara = await stack.as('sara.secretariat');
      const id = (await sara.post('/api/proposals', type2Diabetes)).body.id as string;
      const handle = stack.client.workflow.getHandle(workflowIdFor(id));
      const meeting = await plan(notice + 6_000);
      await handle.executeUpdate(submitUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat') }] });
      await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('CouncilDecision'));
      expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'proposal', caseId: id })).status).toBe(200);
      for (let i = 0; i < 2; i++) await completeOpen(stack.store, handle, id, 'councilVote', { decision: 'approve' }, 'councilMember');
      await completeOpen(stack.store, handle, id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, 'councilChair');
      await completeOpen(stack.store, handle, id, 'mayoralApproval', { decision: 'approve' }, 'mayor');
      await completeOpen(stack.store, handle, id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' }, 'department');
      await recommendDirectAward(sara, handle, id);

      // The recommendation waits for a meeting: no member is asked yet.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await awardTasks(id)).toBe(0);
      expect((await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'awardRecommendation', caseId: id })).status).toBe(200);
      await eventually(async () => expect(await awardTasks(id)).toBe(3));
      expect((await handle.query(stateQuery)).procurement!.recommendations).toEqual([expect.objectContaining({ number: 1, meetingId: meeting.id })]);

      for (const member of ['anne.chair', 'bo.member']) expect((await answerOpenTask(stack, id, 'awardDecision', { decision: 'approve' }, member)).status).toBe(200);
      await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('Contracting'));
      await untilHeld(meeting.id);
      const recorded = await sara.post(`/api/meetings/${meeting.id}/record`, {
        present: ['anne.chair', 'bo.member', 'cecilie.member'],
        items: [
          { itemId: 'i1', decision: 'approve' },
          { itemId: 'i2', decision: 'approve' },
        ],
      });
      expect(recorded.body.minutes.items).toEqual([
        expect.objectContaining({ kind: 'proposal', decision: 'approve' }),
        expect.objectContaining({ kind: 'awardRecommendation', decision: 'approve', conflicts: [] }),
      ]);
      expect((await approveMinutes(meeting.id, id)).map((e) => `${e.type}:${String(e.details.decision)}`)).toEqual([
        'onAgenda:undefined',
        'onAgenda:undefined',
        'minutesApproved:approve',
        'minutesApproved:approve',
      ]);
    } finally {
      stack.config.council.voting = 'async';
    }
  });

  it('a cancelled meeting is told to those taking part and can no longer be recorded; the dialogue meeting with the Magistrate has its own reminder and no agenda', async () => {
    const sara = await stack.as('sara.secretariat');
    const meeting = await plan(60 * 60_000);
    // An hour ahead, the page offers to plan and cancel it, not to record it.
    const page = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${meeting.id}`)).text;
    expect(page).toContain('Aflys mødet');
    expect(page).not.toContain('Registrér og send referatet til formanden');
    // A report's year is written one way: 02025 would be the same report again, under another id.
    const padded = await sara.post(`/api/meetings/${meeting.id}/items`, { kind: 'annualReport', caseId: '02025' });
    expect(padded.status).toBe(400);
    expect(padded.body.errors).toEqual([expect.objectContaining({ field: 'caseId', code: 'reportYear' })]);
    expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: ' ' })).status).toBe(400);
    expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Formanden er syg' })).body.status).toBe('cancelled');
    const cancelled = await stack.smtp.waitFor('bo.lind@example.dk', /^Aflyst: Rådsmøde /, 30_000, `/meetings/${meeting.id}`);
    expect(cancelled.text).toContain('Formanden er syg');
    expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Igen' })).body).toMatchObject({ code: 'meetingNotOpen' });

    stack.config.council.dialogueReminder = 2_000;
    const dialogue = (await sara.post('/api/meetings', { kind: 'dialogue', startsAt: new Date(Date.now() + 5_000).toISOString(), place: 'Magistratens mødesal' })).body;
    expect((await sara.post(`/api/meetings/${dialogue.id}/items`, { kind: 'annualReport', caseId: '2025' })).body).toMatchObject({ code: 'dialogueHasNoAgenda' });
    const reminder = await stack.smtp.waitFor('borgmester@example.dk', /^Påmindelse: Dialogmøde med Magistraten /);
    expect(reminder.text).toContain('Magistratens mødesal');
    const mayor = await stack.as('mayor');
    const whole = (await mayor.get('/api/meetings')).body;
    const calendar = whole.items as { id: string; kind: string; status: string }[];
    // Paged with its total, none left out silently: a page of one, then the next.
    expect(whole.total).toBe(calendar.length);
    const [first, second] = await Promise.all([1, 2].map(async (n) => (await mayor.get(`/api/meetings?pageSize=1&page=${n}`)).body));
    expect([first.total, first.items.length, second.items.length]).toEqual([whole.total, 1, 1]);
    expect([first.items[0].id, second.items[0].id]).toEqual(calendar.slice(0, 2).map((m) => m.id));
    expect(calendar).toEqual(expect.arrayContaining([expect.objectContaining({ id: dialogue.id, kind: 'dialogue', status: 'agendaSent' })]));
    // Nobody came: begun, it is not cancelled but recorded so, for the chair to approve.
    await untilHeld(dialogue.id);
    expect((await sara.post(`/api/meetings/${dialogue.id}/cancel`, { reason: 'Ingen mødte op' })).body).toMatchObject({ code: 'meetingBegun' });
    expect((await sara.post(`/api/meetings/${dialogue.id}/record`, { present: [], items: [] })).body).toMatchObject({
      status: 'recorded',
      record: { present: [], absent: ['anne.chair', 'bo.member', 'cecilie.member'] },
    });
  });

  it('the chair returns the minutes at most five times, so the meeting stays bounded; then she approves them', async () => {
    const sara = await stack.as('sara.secretariat');
    const anne = await stack.as('anne.chair');
    const meeting = await plan(notice + 2_000);
    await untilHeld(meeting.id);
    // Begun, it is recorded, not cancelled: the page offers the record and no cancellation, and the API refuses one.
    const begun = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${meeting.id}`)).text;
    expect(begun).toContain('Registrér og send referatet til formanden');
    expect(begun).not.toContain('Aflys mødet');
    expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Rådet mødte ikke op' })).body).toMatchObject({
      status: 409,
      code: 'meetingBegun',
      params: { startsAt: meeting.startsAt },
    });
    const record = () => sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [] });
    expect((await record()).status).toBe(200);
    let path = await chairTask(`${meeting.id}.minutesApproval`);
    for (let round = 2; round <= 6; round++) {
      expect((await anne.post(path, { decision: 'return', comment: `Rettelse ${round - 1}` })).status).toBe(200);
      // The calendar's copy may follow the workflow a moment later; a person recording again finds the form only once it has.
      await eventually(async () => expect((await sara.get(`/api/meetings/${meeting.id}`)).body.status).toBe('minutesReturned'));
      expect((await record()).status).toBe(200);
      path = await chairTask(`${meeting.id}.minutesApproval.${round}`);
    }
    expect((await anne.post(path, { decision: 'return', comment: 'Endnu en rettelse' })).body).toMatchObject({ status: 409, code: 'minutesReturnedTooOften', params: { max: 5 } });
    // Her task page offers only the approval now, says why, and shows what she last asked to correct.
    const taskPage = (await (await pageVisitor(stack.api.url, 'anne.chair')).get(`/tasks/${encodeURIComponent(`${meeting.id}.minutesApproval.6`)}`)).text;
    expect(taskPage).toContain('Referatet er sendt tilbage 5 gange, så ofte det kan.');
    expect(taskPage).toContain('Rettelse 5');
    expect(taskPage).toContain('Godkend referatet');
    expect(taskPage).not.toContain('Send referatet tilbage til rettelse');
    expect((await anne.post(path, { decision: 'approve' })).status).toBe(200);
    const done = (await sara.get(`/api/meetings/${meeting.id}`)).body;
    expect(done.status).toBe('minutesApproved');
    expect(done.minutesReturns.map((r: { comment: string }) => r.comment)).toEqual(['Rettelse 1', 'Rettelse 2', 'Rettelse 3', 'Rettelse 4', 'Rettelse 5']);
  });

  it('two secretaries putting one case on two meetings at once: one agenda takes it, and the other meeting may have it once that one is cancelled', async () => {
    const sara = await stack.as('sara.secretariat');
    const jonas = await stack.as('jonas.secretariat');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const id = await submitted();
      const [first, second] = [await plan(40 * 86_400_000 + attempt * 60_000), await plan(50 * 86_400_000 + attempt * 60_000)];
      const answers = await Promise.all([
        sara.post(`/api/meetings/${first.id}/items`, { kind: 'proposal', caseId: id }),
        jonas.post(`/api/meetings/${second.id}/items`, { kind: 'proposal', caseId: id }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const taken = answers[0].status === 200 ? first : second;
      const other = taken === first ? second : first;
      expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ code: 'onAnotherAgenda', params: { caseId: id, meetingId: taken.id } });
      const onAgendas = (await stack.store.meetings.find({}).lean()).filter((d) => d.meeting.agenda.some((i) => i.caseId === id)).map((d) => d.meeting.id);
      expect(onAgendas).toEqual([taken.id]);

      // Cancelled, the meeting lets go of the case: the other meeting may have it now.
      expect((await sara.post(`/api/meetings/${taken.id}/cancel`, { reason: 'Flyttet' })).status).toBe(200);
      expect((await jonas.post(`/api/meetings/${other.id}/items`, { kind: 'proposal', caseId: id })).status).toBe(200);
    }
  });

  it('records a meeting with the council that met, though a new member was seated before the record', async () => {
    const sara = await stack.as('sara.secretariat');
    const admin = await stack.as('hr.admin');
    // Anne was seated before the record of role changes was kept (a database from before it): she is on the council all the same.
    await stack.store.roleChanges.deleteMany({ userId: 'anne.chair' });
    const meeting = await plan(notice + 2_000);
    await untilHeld(meeting.id);
    // The term ends after the meeting: Cecilie leaves the council, Dorte is seated.
    expect((await admin.post('/api/users', { id: 'dorte.member', name: 'Dorte Berg', email: 'dorte.berg@example.dk', roles: ['councilMember'] })).status).toBe(201);
    expect((await admin.put('/api/users/cecilie.member', { roles: [] })).status).toBe(200);
    const recorded = await sara.post(`/api/meetings/${meeting.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [] });
    expect(recorded.status).toBe(200);
    expect(recorded.body.record).toMatchObject({ present: ['anne.chair', 'bo.member', 'cecilie.member'], absent: [] });
    // Dorte was not on the council that met: she is no one to name in its record.
    const later = await plan(notice + 2_000);
    expect((await sara.post(`/api/meetings/${meeting.id}/record`, { present: ['dorte.member'], items: [] })).body.code).toBe('meetingNotOpen');
    await untilHeld(later.id);
    const stranger = await sara.post(`/api/meetings/${later.id}/record`, { present: ['anne.chair', 'bo.member', 'cecilie.member'], items: [] });
    expect(stranger.body).toMatchObject({ status: 409, code: 'notOnCouncil', params: { userId: 'cecilie.member' } });
  });

  it('names a meeting just after midnight by its day in Copenhagen, and lists it from that day, not from the UTC day before', async () => {
    const day = copenhagenDay(new Date(Date.now() + 30 * 86_400_000));
    const meeting = await (await stack.as('sara.secretariat')).post('/api/meetings', { startsAt: fromLocalInput(`${day}T00:30`), place: 'Rådhuset' });
    expect(meeting.status).toBe(201);
    expect(meeting.body.id).toMatch(new RegExp(`^M-${day.replaceAll('-', '')}-`));
    const listed = async (from: string) =>
      ((await (await stack.as('anne.chair')).get(`/api/meetings?from=${from}&pageSize=100`)).body.items as { id: string }[]).some((m) => m.id === meeting.body.id);
    expect(await listed(day)).toBe(true);
    expect(await listed(copenhagenDay(new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000)))).toBe(false);
  });

  it('pages the calendar a hundred meetings at a time, and offers no new item for a meeting long over', async () => {
    await submitted(); // a case awaiting the council, for the form to offer
    const ahead = await plan(60 * 86_400_000);
    // A meeting held two days ago and not yet recorded, and years of meetings ahead, as the read model keeps them.
    const meeting = (id: string, startsAt: Date) => ({
      _id: id,
      workflowId: `meeting-${id}`,
      kind: 'council',
      startsAt,
      status: 'agendaSent',
      seq: 1,
      updatedAt: new Date(),
      meeting: { id, kind: 'council', startsAt: startsAt.toISOString(), status: 'agendaSent', plannedBy: 'sara.secretariat', place: 'Rådhuset', agenda: [] },
    });
    const over = meeting('M-20000101-0000ff', new Date(Date.now() - 2 * 86_400_000));
    const later = Array.from({ length: 100 }, (_, n) => meeting(`M-29990101-${n.toString(16).padStart(6, '0')}`, new Date(Date.now() + (800 + n) * 86_400_000)));
    await stack.store.meetings.insertMany([over, ...later]);
    try {
      const pages = await pageVisitor(stack.api.url, 'sara.secretariat');
      const past = await pages.get(`/meetings/${over._id}`);
      expect(past.status).toBe(200);
      expect(past.text).not.toContain('id="add-title"');
      expect((await pages.get(`/meetings/${ahead.id}`)).text).toContain('id="add-title"');

      const first = await pages.get('/meetings');
      expect(first.text).toContain('href="/meetings?page=2" rel="next"');
      const second = await pages.get('/meetings?page=2');
      expect(second.text).toContain('href="/meetings?page=1" rel="prev"');
      expect(second.text).toContain(`/meetings/${later.at(-1)!._id}`);
      expect(first.text).not.toContain(`/meetings/${later.at(-1)!._id}`);
    } finally {
      await stack.store.meetings.deleteMany({ _id: { $in: [over._id, ...later.map((m) => m._id)] } });
    }
  });
});
