import { openStore, type Store } from '../../store';
import { insertOnce, LockNotTaken, longestCallMs, serialised, updateOneSerialised } from '../../store/serialised';
import { taskActivities } from '../../activities/tasks';
import { timelineActivities } from '../../activities/timeline';
import { annualReportActivities } from '../../activities/annualReport';
import { saveCouncilEvaluation, saveReportNarrative } from '../../store/reports';
import { keepCount, trimFiling } from '../../store/accessLog';
import type { Config } from '../../config';
import { testServers, uniqueName } from '../support/servers';

/**
 * The store's writes under concurrency, on the embedded FerretDB: there an update is a
 * read and a write of the whole document, so every conditional update the code relies
 * on goes through the document's lock, and every write-once through the unique `_id`.
 */
describe('store writes under concurrency', () => {
  let store: Store;
  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('concurrency'));
    await store.ready();
  });
  afterAll(async () => {
    await store?.conn.dropDatabase();
    await store?.close();
  });

  const shuffled = <T>(xs: T[]) =>
    xs
      .map((x) => [Math.random(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
  const timeline = () => timelineActivities(store);
  const tasks = () => taskActivities(store, timeline(), async () => undefined); // notices are not what this test is about
  const openTask = (id: string) =>
    tasks().openTask({
      id,
      proposalId: 'SIF-2026-900',
      kind: 'grantAgreement',
      role: 'secretariat',
      title: 't',
      assignee: 'sara.secretariat',
      dueAt: '2026-05-01T00:00:00Z',
      at: '2026-03-01T00:00:00Z',
    });

  it('lets exactly one of 20 concurrent conditional updates win', async () => {
    await store.tasks.create({ _id: 'cas', proposalId: 'P', kind: 'councilVote', assignee: 'a', dueAt: new Date(), status: 'open', overdue: false });
    const won = await Promise.all(
      Array.from({ length: 20 }, (_, i) => updateOneSerialised(store, store.tasks, { _id: 'cas', status: 'open' }, { $set: { status: 'completed', completedBy: `u${i}` } })),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await store.tasks.findById('cas').lean())!.completedBy).toBe(`u${won.indexOf(true)}`);
  });

  it('loses none of 30 concurrent increments', async () => {
    await store.outbox.create({ _id: 'inc', channel: 'email', event: 'taskCreated', body: 'b', status: 'pending', createdAt: new Date(), attempts: 0 });
    await Promise.all(Array.from({ length: 30 }, () => updateOneSerialised(store, store.outbox, { _id: 'inc' }, { $inc: { attempts: 1 } })));
    expect((await store.outbox.findById('inc').lean())!.attempts).toBe(30);
  });

  it('completes a task once, by whoever won, while its overdue mark and a cancellation land at the same moment, and keeps the mark if it came first', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `SIF-2026-900.task${round}`;
      await openTask(id);
      await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => tasks().completeTask({ taskId: id, proposalId: 'SIF-2026-900', by: `u${i}`, at: '2026-03-02T00:00:00Z', input: { i } })),
        tasks().markTaskOverdue({ taskId: id, at: '2026-03-02T00:00:00Z' }),
        tasks().cancelTasks({ taskIds: [id], reason: { code: 'councilDecided' }, at: '2026-03-02T00:00:00Z' }),
      ]);
      const task = (await store.tasks.findById(id).lean())!;
      // The mark applies only while the task is open; once applied, a completion does not overwrite it.
      const marked = (await store.events.exists({ _id: `${id}.overdue` })) !== null;
      expect(task.overdue).toBe(marked);
      expect(['completed', 'cancelled']).toContain(task.status);
      if (task.status === 'completed') expect(task.input).toEqual({ i: Number(task.completedBy!.slice(1)) });
    }
  });

  it('ends with the newest assignment however 20 claims and releases interleave', async () => {
    const id = 'SIF-2026-900.pooled';
    await openTask(id);
    await Promise.all(
      shuffled(Array.from({ length: 20 }, (_, i) => i + 1)).map((seq) =>
        tasks().assignTask({ taskId: id, proposalId: 'SIF-2026-900', assignee: seq % 2 ? `u${seq}` : null, by: 'x', seq, at: '2026-03-02T00:00:00Z' }),
      ),
    );
    expect(await store.tasks.findById(id).lean()).toMatchObject({ assignments: 20, assignee: null });
  });

  it('never moves the read model back to an older stage or revision', async () => {
    await store.proposals.create({ _id: 'SIF-2026-901', workflowId: 'w', content: { title: 'r0' }, stage: 'Motivation', stageSeq: 0, revision: 0 });
    const stages = ['CouncilDecision', 'MayoralApproval', 'CooperationAgreement', 'AwaitingProcurement', 'Procurement'] as const;
    await Promise.all([
      ...shuffled(stages.map((stage, i) => () => timeline().recordStage({ proposalId: 'SIF-2026-901', stage, seq: i + 1, at: '2026-03-02T00:00:00Z' }))).map((f) => f()),
      ...shuffled([1, 2, 3, 4, 5]).map(async (revision) => {
        const draftId = `SIF-2026-901.draft.${revision}`;
        await store.drafts.create({ _id: draftId, proposalId: 'SIF-2026-901', content: { title: `r${revision}` }, by: 'sara' });
        await timeline().adoptDraft({ proposalId: 'SIF-2026-901', draftId, revision, by: 'sara', at: '2026-03-02T00:00:00Z' });
      }),
    ]);
    expect(await store.proposals.findById('SIF-2026-901').lean()).toMatchObject({ stage: 'Procurement', stageSeq: 5, revision: 5, content: { title: 'r5' } });
  });

  it('records a report status once however often the step runs at once', async () => {
    await store.reports.create({ _id: 2030, workflowId: 'w', version: 1, status: 'awaitingCouncil', report: {}, history: [], updatedAt: new Date() });
    const reports = annualReportActivities(store, {} as Config);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => reports.recordReportStatus({ year: 2030, version: 1, status: 'approved', by: `chair${i}`, at: '2026-03-02T00:00:00Z' })),
    );
    const report = (await store.reports.findById(2030).lean())!;
    expect(report.status).toBe('approved');
    expect(report.history).toHaveLength(1);
    // An attempt of the earlier step landing late (it outlived its timeout) moves nothing back.
    await reports.recordReportStatus({ year: 2030, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-01T00:00:00Z' });
    expect((await store.reports.findById(2030).lean())!).toMatchObject({ status: 'approved', history: [expect.objectContaining({ status: 'approved' })] });
  });

  it("takes the secretariat's text only while the report is drafted: saves racing its dispatch to the council never undo it", async () => {
    await store.reports.create({ _id: 2031, workflowId: 'w', version: 1, status: 'drafting', report: {}, history: [], updatedAt: new Date() });
    const reports = annualReportActivities(store, {} as Config);
    const text = (i: number) => ({ overallAssessment: `Udkast ${i}`, projects: [], answersToCouncil: '' });
    const saves = Array.from({ length: 12 }, (_, i) => () => saveReportNarrative(store, 2031, text(i), `sara${i}`));
    const dispatch = () => reports.recordReportStatus({ year: 2031, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-02T00:00:00Z' });
    const results = await Promise.all(shuffled([...saves, dispatch]).map((f) => f()));
    const written = results.filter((r) => r && 'found' in r && r.found && r.written).length;

    const report = (await store.reports.findById(2031).lean())!;
    // The status a save read under the lock is the status it wrote beside: a save never brings 'drafting' back.
    expect(report).toMatchObject({ status: 'awaitingCouncil', history: [expect.objectContaining({ status: 'awaitingCouncil' })] });
    if (written > 0) expect(report.narrative?.text.overallAssessment).toMatch(/^Udkast \d+$/);
    expect(await saveReportNarrative(store, 2031, text(99), 'sara')).toEqual({ found: true, status: 'awaitingCouncil', written: false });
    expect((await store.reports.findById(2031).lean())!.narrative?.text.overallAssessment).not.toBe('Udkast 99');
    // The evaluation is the secretariat's until the report is sent.
    expect(await saveCouncilEvaluation(store, 2031, 'Rådets arbejde', 'sara')).toMatchObject({ written: true });
    expect(await saveReportNarrative(store, 1999, text(1), 'sara')).toEqual({ found: false });
  });

  it('sends to the council only the text its sending checked: a save after the check keeps the draft, whichever comes first', async () => {
    const reports = annualReportActivities(store, {} as Config);
    const text = (i: number) => ({ overallAssessment: `Udkast ${i}`, projects: [], answersToCouncil: '' });
    for (let year = 2040; year < 2050; year++) {
      await store.reports.create({ _id: year, workflowId: 'w', version: 1, status: 'drafting', report: {}, history: [], updatedAt: new Date() });
      await saveReportNarrative(store, year, text(0), 'sara');
      // The text the sending checked, then another secretary's save racing the sending.
      const checked = (await store.reports.findById(year).lean())!.narrative!;
      let sending: { textChanged?: true } | undefined;
      await Promise.all(
        shuffled([
          async () => {
            sending = await reports.recordReportStatus({ year, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-02T00:00:00Z', textRev: checked.rev });
          },
          () => saveReportNarrative(store, year, text(1), 'jonas'),
        ]).map((f) => f()),
      );
      const report = (await store.reports.findById(year).lean())!;
      if (report.status === 'awaitingCouncil') {
        // The council has the text that was checked.
        expect(report.narrative!.text.overallAssessment).toBe('Udkast 0');
        expect(sending).toEqual({});
      } else {
        // The save came first: still a draft, with the new text, and the sending is told.
        expect(report).toMatchObject({ status: 'drafting', history: [], narrative: { text: { overallAssessment: 'Udkast 1' } } });
        expect(sending).toEqual({ textChanged: true });
      }
    }
    // A sending retried after it moved the report is told nothing new.
    const year = 2049;
    const rev = (await store.reports.findById(year).lean())!.narrative!.rev;
    await reports.recordReportStatus({ year, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-02T00:00:00Z', textRev: rev });
    expect(await reports.recordReportStatus({ year, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-02T00:00:00Z', textRev: rev })).toEqual({});
    expect((await store.reports.findById(year).lean())!).toMatchObject({ status: 'awaitingCouncil', history: [expect.objectContaining({ status: 'awaitingCouncil' })] });
  });

  it("writes the report's text over none that was saved after the writer's form was drawn: of two drawn alike and saved at once, one lands", async () => {
    await store.reports.create({ _id: 2032, workflowId: 'w', version: 1, status: 'drafting', report: {}, history: [], updatedAt: new Date() });
    const text = (who: string) => ({ overallAssessment: `${who}s udkast`, projects: [], answersToCouncil: '' });
    // Both forms showed no text yet.
    const results = await Promise.all(['Sara', 'Jonas'].map((who) => saveReportNarrative(store, 2032, text(who), who, null)));
    expect(results.filter((r) => r.found && r.written)).toHaveLength(1);
    const first = (await store.reports.findById(2032).lean())!.narrative!;
    const loser = results.find((r) => r.found && !r.written)!;
    expect(loser).toMatchObject({ found: true, status: 'drafting', written: false, savedSince: first.at });
    // Told, the other saves again from the text now saved: it replaces it knowingly.
    const other = first.by === 'Sara' ? 'Jonas' : 'Sara';
    expect(await saveReportNarrative(store, 2032, text(other), other, first.at)).toMatchObject({ written: true });
    expect((await store.reports.findById(2032).lean())!.narrative).toMatchObject({ by: other, text: { overallAssessment: `${other}s udkast` } });
  });

  it("writes the evaluation of the council's work over none a colleague saved after the writer's form was drawn, and takes it as it stands for no change", async () => {
    await store.reports.create({ _id: 2034, workflowId: 'w', version: 1, status: 'approved', report: {}, history: [], updatedAt: new Date() });
    const results = await Promise.all(['Sara', 'Jonas'].map((who) => saveCouncilEvaluation(store, 2034, `${who}s evaluering`, who, null)));
    expect(results.filter((r) => r.found && r.written)).toHaveLength(1);
    const first = (await store.reports.findById(2034).lean())!.evaluation!;
    expect(results.find((r) => r.found && !r.written)).toMatchObject({ found: true, status: 'approved', written: false, savedSince: first.at });
    // The same text again, from a form drawn before it, changes nothing; told, the other replaces it knowingly.
    expect(await saveCouncilEvaluation(store, 2034, first.text, 'Jonas', null)).toMatchObject({ written: true });
    expect((await store.reports.findById(2034).lean())!.evaluation).toEqual(first);
    const other = first.by === 'Sara' ? 'Jonas' : 'Sara';
    expect(await saveCouncilEvaluation(store, 2034, `${other}s evaluering`, other, first.at)).toMatchObject({ written: true });
    const second = (await store.reports.findById(2034).lean())!.evaluation!;
    expect(second).toMatchObject({ by: other, text: `${other}s evaluering` });
    // A removal is a save: a form drawn with the evaluation does not put it back unknowingly.
    expect(await saveCouncilEvaluation(store, 2034, '', first.by, second.at)).toMatchObject({ written: true });
    const removal = (await store.reports.findById(2034).lean())!.evaluation!;
    expect(removal).toMatchObject({ by: first.by, text: '' });
    expect(await saveCouncilEvaluation(store, 2034, 'Tilbage igen', other, second.at)).toMatchObject({ written: false, savedSince: removal.at, removed: true });
    expect(await saveCouncilEvaluation(store, 2034, 'Tilbage igen', other, removal.at)).toMatchObject({ written: true });
  });

  it('takes a save of the text as it stands for no change: the sending that checked it still goes to the council', async () => {
    const reports = annualReportActivities(store, {} as Config);
    await store.reports.create({ _id: 2033, workflowId: 'w', version: 1, status: 'drafting', report: {}, history: [], updatedAt: new Date() });
    const text = { overallAssessment: 'Udkast', projects: [{ proposalId: 'SIF-2026-001', commentary: 'I gang' }], answersToCouncil: '' };
    await saveReportNarrative(store, 2033, text, 'sara', null);
    const checked = (await store.reports.findById(2033).lean())!.narrative!;
    // Jonas saves his form, drawn from that text, without changing it (its fields in another order); so does a form drawn before any text.
    expect(
      await saveReportNarrative(
        store,
        2033,
        { answersToCouncil: '', projects: [{ proposalId: 'SIF-2026-001', commentary: 'I gang' }], overallAssessment: 'Udkast' },
        'jonas',
        checked.at,
      ),
    ).toEqual({
      found: true,
      status: 'drafting',
      written: true,
    });
    expect(await saveReportNarrative(store, 2033, text, 'jonas', null)).toMatchObject({ written: true });
    expect((await store.reports.findById(2033).lean())!.narrative).toEqual(checked);
    expect(await reports.recordReportStatus({ year: 2033, version: 1, status: 'awaitingCouncil', by: 'sara', at: '2026-03-02T00:00:00Z', textRev: checked.rev })).toEqual({});
    expect((await store.reports.findById(2033).lean())!.status).toBe('awaitingCouncil');
  });

  it("keeps no access-log hour's count that a purge trimmed at the same moment: every trim stands, and no count from before it", async () => {
    const lost: string[] = [];
    for (let day = 1; day <= 28; day++) {
      const hours = Array.from({ length: 24 }, (_, h) => `2026-01-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}`);
      await store.accessLogDays.insertMany(hours.map((_id) => ({ _id })));
      // As a lister read them (untrimmed) and a purge cuts into each, each hour's two writes side by side.
      await Promise.all(hours.flatMap((_id) => [keepCount(store, { _id }, 5), trimFiling(store, _id)]));
      const filings = await store.accessLogDays.find({ _id: { $in: hours } }).lean();
      lost.push(...filings.filter((d) => !d.trimmed || d.total !== undefined).map((d) => d._id));
    }
    expect(lost).toEqual([]);
  });

  it('writes a write-once document once, and every concurrent writer succeeds', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => insertOnce(store.events, 'once', { proposalId: 'P', type: 'created', at: new Date(), by: `u${i}` })));
    expect(await store.events.countDocuments({ _id: 'once' })).toBe(1);
  });

  it('gives up waiting for a lock held past its wait, and leaves the holder its lock', async () => {
    await store.locks.create({ _id: 'tasks:held', token: 'holder', at: new Date() });
    const started = Date.now();
    let ran = false;
    const waited = serialised(store, 'tasks:held', async () => (ran = true), 30_000, 300);
    await expect(waited).rejects.toBeInstanceOf(LockNotTaken);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ran).toBe(false);
    expect(await store.locks.findById('tasks:held').lean()).toMatchObject({ token: 'holder' });
    await store.locks.deleteOne({ _id: 'tasks:held' });
  });

  it('breaks a lock left by a crashed writer once its lease has passed, never while its last write may still land', async () => {
    // Taken 35 s ago: a worker's write under it may still be on its way (it waits 30 s for a call once sent, after taking the lock).
    await store.locks.create({ _id: 'tasks:slow', token: 'slow', at: new Date(Date.now() - longestCallMs - 5_000) });
    await expect(serialised(store, 'tasks:slow', async () => 'too soon', undefined, 300)).rejects.toBeInstanceOf(LockNotTaken);
    await store.locks.deleteOne({ _id: 'tasks:slow' });
    await store.locks.create({ _id: 'tasks:crashed', token: 'gone', at: new Date(Date.now() - 60_000) });
    expect(await serialised(store, 'tasks:crashed', async () => 'done')).toBe('done');
    expect(await store.locks.countDocuments()).toBe(0);
  });
});
