import { completeTaskUpdate, stateQuery, submitUpdate } from '../../workflows/messages';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { activityIn } from '../support/histories';
import { startSmtpPeer } from '../support/smtpPeer';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';

const secretariat = { userId: 'sara.secretariat', roles: ['secretariat' as const] };
const member = (userId: string) => ({ userId, roles: ['councilMember' as const] });

/**
 * A task's deadline runs from when it opens, not from when its mail goes out: with
 * the mail server down, a vote given before any mail was delivered is never
 * reminded, escalated or marked overdue, and the mail that waited goes out once.
 */
describe('task deadlines while the mail server is down', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    // Retries within a second, so the test need not wait for the production backoff.
    t = await startTimeSkippingStack('deadlines-mail-down', (c) => {
      c.notifications = { ...c.notifications, pollEvery: 200, firstRetry: 200, maxRetryInterval: 1000 };
    });
  });
  afterAll(() => t?.stop());

  it('opens all vote tasks at once; a vote given before its mail is never reminded, escalated or overdue', async () => {
    const { env, store } = t;
    const proposalId = 'SIF-2026-911';
    const smtpPort = Number(new URL(t.smtp.url).port);
    await t.smtp.close(); // the mail server is down from here

    const handle = await t.startProposal(proposalId, housingFirst);
    await handle.executeUpdate(submitUpdate, { args: [{ actor: secretariat }] });
    const tasks = await eventually(async () => {
      const open = await store.tasks.find({ proposalId, kind: 'councilVote', status: 'open' }).lean();
      expect(open).toHaveLength(3);
      return open;
    });
    const taskOf = (m: string) => tasks.find((x) => x.assignee === m)!._id;
    // The mails wait in the outbox, tried and failed, while the case goes on.
    await eventually(async () => {
      const created = await store.outbox.find({ proposalId, event: 'taskCreated' }).lean();
      expect(created.map((c) => c.userId).sort()).toEqual(['anne.chair', 'bo.member', 'cecilie.member']);
      for (const c of created) {
        expect(c.status).toBe('pending');
        expect(c.attempts).toBeGreaterThanOrEqual(1);
        expect(c.lastError).toMatch(/ECONNREFUSED/);
      }
    });

    // Each task's deadline is running before the tasks and their notifications are even written (one step, openTasks).
    const events = (await handle.fetchHistory()).events ?? [];
    const firstTimer = events.findIndex((e) => e.timerStartedEventAttributes);
    const firstOpen = events.findIndex((e) => activityIn(e) === 'openTasks');
    expect(firstTimer).toBeGreaterThanOrEqual(0);
    expect(firstTimer).toBeLessThan(firstOpen);

    // Bo votes before his mail has gone out.
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: member('bo.member'), taskId: taskOf('bo.member'), input: { decision: 'approve' } }] });

    await env.sleep('11 days');
    await eventually(async () => {
      const reminders = await store.outbox.find({ proposalId, event: 'taskReminder' }).lean();
      expect(reminders.map((r) => r.userId).sort()).toEqual(['anne.chair', 'cecilie.member']);
    });
    await env.sleep('3 days');
    await eventually(async () => {
      const overdue = await store.tasks.find({ proposalId, overdue: true }).lean();
      expect(overdue.map((x) => x.assignee).sort()).toEqual(['anne.chair', 'cecilie.member']);
      const escalated = await store.outbox.find({ proposalId, event: 'taskEscalated', channel: 'email' }).lean();
      expect([...new Set(escalated.map((e) => e.taskId))].sort()).toEqual([taskOf('anne.chair'), taskOf('cecilie.member')].sort());
    });
    // Cecilie votes after her reminder and escalation were written, before they could be sent.
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: member('cecilie.member'), taskId: taskOf('cecilie.member'), input: { decision: 'returnForChanges' } }] });
    const bo = (await store.tasks.findById(taskOf('bo.member')).lean())!;
    expect(bo).toMatchObject({ status: 'completed', overdue: false });
    expect((await handle.query(stateQuery)).tasks.find((x) => x.id === bo._id)).toMatchObject({ status: 'completed', overdue: false });
    expect(await store.events.countDocuments({ proposalId, type: 'taskOverdue', 'details.taskId': bo._id })).toBe(0);

    // The mail server is back: everything that waited goes out, each mail once.
    const back = await startSmtpPeer(smtpPort);
    try {
      const emails = await eventually(async () => {
        const entries = await store.outbox.find({ proposalId, channel: 'email' }).lean();
        expect(entries.filter((e) => e.status !== 'sent' && e.status !== 'skipped')).toEqual([]);
        return entries;
      });
      // Cecilie's reminder and escalation were not sent: her task was done by then.
      const skipped = emails.filter((e) => e.status === 'skipped');
      expect(skipped.length).toBeGreaterThan(0);
      for (const e of skipped) expect(e).toMatchObject({ taskId: taskOf('cecilie.member'), skipReason: { code: 'notificationObsolete', why: 'taskClosed', status: 'completed' } });
      expect(skipped.map((e) => e.event).sort()).toEqual(['taskEscalated', 'taskEscalated', 'taskEscalated', 'taskReminder']);
      const sent = emails.filter((e) => e.status === 'sent');
      expect(back.inbox).toHaveLength(sent.length);
      expect(new Set(back.inbox.map((m) => m.messageId)).size).toBe(back.inbox.length);
      // Bo and Cecilie had their task mail, and nothing after it.
      expect(back.inbox.filter((m) => m.to.includes('bo.lind')).map((m) => m.subject)).toEqual(['Ny opgave: Housing First for unge hjemløse']);
      expect(back.inbox.filter((m) => m.to.includes('cecilie.dahl')).map((m) => m.subject)).toEqual(['Ny opgave: Housing First for unge hjemløse']);
      // The escalations that went out name only the task still open.
      const escalations = back.inbox.filter((m) => m.subject.startsWith('Overskredet frist'));
      expect(escalations.map((m) => m.to).sort()).toEqual(['"Jonas Krogh" <jonas.krogh@example.dk>', '"Sara Friis" <sara.friis@example.dk>']);
      for (const m of escalations) expect(m.text).toContain('hos Anne Holm');
    } finally {
      await back.close();
    }
  });
});
