import { completeTaskUpdate, stateQuery, submitUpdate } from '../../workflows/messages';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';

const secretariat = { userId: 'sara.secretariat', roles: ['secretariat' as const] };
const member = (userId: string) => ({ userId, roles: ['councilMember' as const] });

/**
 * Deadlines of weeks, run in seconds on the time-skipping test server, with the
 * real activities writing to FerretDB and mailing a real SMTP peer.
 */
describe('task deadlines', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('deadlines');
  });
  afterAll(() => t?.stop());

  it('reminds before a council vote is due, then marks it overdue and escalates to the secretariat and the chair', async () => {
    const { env, store, smtp } = t;
    const proposalId = 'SIF-2026-901';
    // The configured defaults: a vote within 14 days, a reminder 3 days before.
    const handle = await t.startProposal(proposalId, housingFirst);
    const started = await env.currentTimeMs();
    await handle.executeUpdate(submitUpdate, { args: [{ actor: secretariat }] });
    const tasks = await eventually(async () => {
      const open = await store.tasks.find({ proposalId, kind: 'councilVote' }).lean();
      expect(open).toHaveLength(3);
      return open;
    });
    const taskOf = (m: string) => tasks.find((t) => t.assignee === m)!._id;
    expect(tasks[0].dueAt.getTime() - started).toBeGreaterThanOrEqual(14 * 86_400_000);

    // The chair votes at once and is never reminded.
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: member('anne.chair'), taskId: taskOf('anne.chair'), input: { decision: 'approve' } }] });

    await env.sleep('11 days');
    await smtp.waitFor('bo.lind@example.dk', /^Påmindelse: Housing First/);
    await smtp.waitFor('cecilie.dahl@example.dk', /^Påmindelse: Housing First/);
    expect(smtp.inbox.filter((m) => m.subject.startsWith('Påmindelse') && m.to.includes('anne.holm'))).toHaveLength(0);
    expect(await store.tasks.countDocuments({ proposalId, overdue: true })).toBe(0);

    await env.sleep('3 days');
    await eventually(async () => {
      const overdue = await store.tasks.find({ proposalId, overdue: true }).lean();
      expect(overdue.map((t) => t.assignee).sort()).toEqual(['bo.member', 'cecilie.member']);
    });
    const escalation = await smtp.waitFor('sara.friis@example.dk', /^Overskredet frist: Housing First/);
    expect(escalation.text).toMatch(/hos (Bo Lind|Cecilie Dahl)/);
    await smtp.waitFor('jonas.krogh@example.dk', /^Overskredet frist/);
    await smtp.waitFor('anne.holm@example.dk', /^Overskredet frist/);
    // Both escalations are out before Bo votes: one still waiting then would not be sent, his task being done.
    await eventually(() => expect(smtp.inbox.filter((m) => /^Overskredet frist/.test(m.subject))).toHaveLength(6));
    const state = await handle.query(stateQuery);
    expect(
      state.tasks
        .filter((t) => t.overdue)
        .map((t) => t.assignee)
        .sort(),
    ).toEqual(['bo.member', 'cecilie.member']);

    // Late is still better than never: an overdue vote counts.
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: member('bo.member'), taskId: taskOf('bo.member'), input: { decision: 'approve' } }] });
    await eventually(async () => expect(await store.tasks.countDocuments({ proposalId, kind: 'councilAttestation', status: 'open' })).toBe(1));
    expect((await store.tasks.findById(taskOf('cecilie.member')).lean())!.status).toBe('cancelled');

    // Each notification went out once, retries or not.
    await smtp.waitFor('anne.holm@example.dk', /^Ny opgave/);
    await eventually(async () => {
      const outbox = await store.outbox.find({ proposalId, channel: 'email' }).lean();
      expect(outbox.filter((n) => n.status !== 'sent')).toEqual([]);
      expect(outbox).toHaveLength(smtp.inbox.length);
    });
    const reminders = smtp.inbox.filter((m) => m.subject.startsWith('Påmindelse'));
    expect(reminders).toHaveLength(2);
    expect(new Set(smtp.inbox.map((m) => m.messageId)).size).toBe(smtp.inbox.length);
  });
});
