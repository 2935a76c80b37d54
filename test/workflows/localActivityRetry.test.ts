import { Context } from '@temporalio/activity';
import { annualReportWorkflowId } from '../../domain/annualReport';
import { annualReport, reportDeadlines } from '../../workflows/annualReport';
import { completeTaskUpdate, submitUpdate, withdrawUpdate } from '../../workflows/messages';
import { housingFirst } from '../fixtures/proposals';
import { actor, approveAndSendReport } from '../support/drive';
import { eventually } from '../support/eventually';
import { activityIn, recordHistory } from '../support/histories';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';

/**
 * A case's short steps run as local activities in the worker. One whose answer is
 * lost after it wrote (a timeout, a worker that died) is run again under the same
 * keys; one the worker cannot finish in bounded time goes on as the server's
 * activity. Either way each task is opened once, each completion recorded once,
 * and each person mailed once.
 */
describe('a short step run again', () => {
  let t: TimeSkippingStack;
  /** The proposals whose steps fail: the first run after writing, or every local run. */
  const failAfterWriting = new Set<string>();
  const failLocally = new Set<string>();
  const attempts: { activity: string; proposalId: string; local: boolean; attempt: number }[] = [];

  beforeAll(async () => {
    t = await startTimeSkippingStack(
      'local-retry',
      () => {},
      (real) => {
        /** The real step, then a failure on its first run (as if its answer were lost) or on every local run. */
        const flaky =
          <A extends { proposalId: string }>(activity: string, step: (a: A) => Promise<void>) =>
          async (a: A) => {
            const { isLocal, attempt } = Context.current().info;
            attempts.push({ activity, proposalId: a.proposalId, local: isLocal, attempt });
            if (failLocally.has(a.proposalId) && isLocal) throw new Error('the database did not answer in time');
            await step(a);
            if (failAfterWriting.has(a.proposalId) && attempt === 1) throw new Error('the answer was lost after the write');
          };
        return {
          openTasks: async (ts) => {
            await flaky('openTasks', () => real.openTasks(ts))({ proposalId: ts[0].proposalId });
          },
          completeTask: flaky('completeTask', real.completeTask),
        };
      },
    );
  });
  afterAll(() => t?.stop());

  /** Submits a proposal and waits for its council's votes: each task opened, and each member mailed, once. */
  async function submitted(proposalId: string) {
    const handle = await t.startProposal(proposalId, housingFirst);
    await handle.executeUpdate(submitUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat') }] });
    const tasks = await eventually(async () => {
      const open = await t.store.tasks.find({ proposalId, kind: 'councilVote' }).lean();
      expect(open).toHaveLength(3);
      return open;
    });
    // The step writes the tasks first, then their notices: looked at once the step is done.
    await eventually(async () => {
      const created = await t.store.outbox.find({ proposalId, event: 'taskCreated', channel: 'email' }).lean();
      expect(created.map((c) => c.userId).sort()).toEqual(['anne.chair', 'bo.member', 'cecilie.member']);
    });
    const opened = await t.store.events.find({ proposalId, type: 'taskOpened' }).lean();
    expect(opened.map((e) => (e.details as { taskId: string }).taskId).sort()).toEqual(tasks.map((x) => x._id).sort());
    // The mails that went out: one to each member, whatever the retries.
    await eventually(async () => {
      for (const address of ['anne.holm', 'bo.lind', 'cecilie.dahl']) {
        expect([address, t.smtp.inbox.filter((m) => m.to.includes(address) && m.text.includes(proposalId)).length]).toEqual([address, 1]);
      }
    });
    return { handle, tasks };
  }

  it('opens each vote and records each completion once when a step is run again after it wrote', async () => {
    const proposalId = 'SIF-2026-951';
    failAfterWriting.add(proposalId);
    const { handle, tasks } = await submitted(proposalId);
    const bo = tasks.find((x) => x.assignee === 'bo.member')!;
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: actor('bo.member', 'councilMember'), taskId: bo._id, input: { decision: 'approve' } }] });
    expect(await t.store.tasks.findById(bo._id).lean()).toMatchObject({ status: 'completed', completedBy: 'bo.member' });
    expect(await t.store.events.countDocuments({ proposalId, type: 'taskCompleted' })).toBe(1);

    // Run twice each: the stage's step in the worker, the Update's as the server's activity,
    // so the vote is written only once the Update is accepted. One history entry each.
    const ran = attempts.filter((a) => a.proposalId === proposalId).map((a) => [a.activity, a.local, a.attempt]);
    expect(ran).toEqual([
      ['openTasks', true, 1],
      ['openTasks', true, 2],
      ['completeTask', false, 1],
      ['completeTask', false, 2],
    ]);
    const events = (await handle.fetchHistory()).events ?? [];
    const steps = events.filter((e) => activityIn(e) === 'openTasks' || activityIn(e) === 'completeTask');
    expect(steps.map((e) => [activityIn(e), e.markerRecordedEventAttributes ? 'marker' : 'scheduled'])).toEqual([
      ['openTasks', 'marker'],
      ['completeTask', 'scheduled'],
    ]);
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toBeGreaterThan(-1);
    expect(events.indexOf(steps[1])).toBeGreaterThan(accepted);
  });

  it("goes on as the server's activity when the worker cannot finish the step in time, and still opens each vote once", async () => {
    const proposalId = 'SIF-2026-952';
    failLocally.add(proposalId);
    const { handle } = await submitted(proposalId);
    const ran = attempts.filter((a) => a.proposalId === proposalId && a.activity === 'openTasks');
    expect(ran.filter((a) => a.local).map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(ran.at(-1)).toMatchObject({ local: false });
    // The local attempts leave one marker (failed), the server's activity its own events.
    const steps = ((await handle.fetchHistory()).events ?? []).filter((e) => activityIn(e) === 'openTasks');
    expect(steps.map((e) => (e.markerRecordedEventAttributes ? 'marker' : 'scheduled'))).toEqual(['marker', 'scheduled']);
  });

  it("writes nothing for a withdrawal before the withdrawal is on record: the closing steps wait for its own, the server's", async () => {
    const proposalId = 'SIF-2026-953';
    const handle = await t.startProposal(proposalId, housingFirst);
    // Its first workflow task under way (the creation written): the withdrawal comes in a task of its own.
    await eventually(async () => expect(await t.store.events.countDocuments({ proposalId, type: 'created' })).toBe(1));
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat'), reason: 'Ikke længere relevant' }] });
    expect(await handle.result()).toMatchObject({ stage: 'Withdrawn' });

    const events = (await handle.fetchHistory()).events ?? [];
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    // Everything the workflow task that accepted it recorded, and after.
    const acceptedIn = accepted - [...events.slice(0, accepted)].reverse().findIndex((e) => e.workflowTaskCompletedEventAttributes) - 1;
    const onRecord = events.findIndex((e, i) => i > accepted && e.activityTaskCompletedEventAttributes);
    // Local activities' markers (a patch's marker names no activity).
    const closing = events.flatMap((e, i) => (i > acceptedIn && e.markerRecordedEventAttributes && activityIn(e) ? [{ step: activityIn(e), at: i }] : []));
    expect(closing.map((c) => c.step)).toEqual(expect.arrayContaining(['releaseEarmark', 'recordStage', 'notify']));
    expect(onRecord).toBeGreaterThan(accepted);
    expect(closing.filter((c) => c.at < onRecord)).toEqual([]);
    expect(await t.store.events.countDocuments({ proposalId, type: 'withdrawalReceived', by: 'sara.secretariat' })).toBe(1);
  });

  it("writes an annual report's sending and its mark as sent only once each is on record, and the round's tasks after", async () => {
    const year = 2025;
    const report = await t.env.client.workflow.start(annualReport, {
      taskQueue: t.taskQueue,
      workflowId: annualReportWorkflowId(year),
      args: [{ year, requestedBy: 'sara.secretariat', deadlines: reportDeadlines(t.config.deadlines) }],
    });
    await eventually(async () => expect((await t.store.reports.findById(year).lean())?.status).toBe('drafting'));
    await approveAndSendReport(t.store, report, year);
    expect((await t.store.reports.findById(year).lean())!.status).toBe('sentToCityCouncil');

    await recordHistory(report, 'annual-report-status-after-update');
    const events = (await report.fetchHistory()).events ?? [];
    const kind = (e: (typeof events)[number]) => (e.markerRecordedEventAttributes ? 'marker' : 'scheduled');
    const statuses = events.filter((e) => activityIn(e) === 'recordReportStatus');
    // Sent to the council and marked as sent: the secretariat's Updates, the server's steps. Approved: the council's deciding answer, whose own step (the server's) came first.
    expect(statuses.map(kind)).toEqual(['scheduled', 'marker', 'scheduled']);
    const sentToCouncil = events.findIndex((e, i) => i > events.indexOf(statuses[0]) && e.activityTaskCompletedEventAttributes);
    const opened = events.filter((e) => activityIn(e) === 'openTask');
    expect(opened.length).toBeGreaterThan(0);
    for (const task of opened) expect(events.indexOf(task)).toBeGreaterThan(sentToCouncil);
  });
});
