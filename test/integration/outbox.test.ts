import nodemailer, { type Transporter } from 'nodemailer';
import { createActivities, type Activities } from '../../activities';
import { loadConfig, type Config } from '../../config';
import { proposalSchema } from '../../domain/proposal';
import { freePort } from '../../provision/servers';
import { openStore, type Store } from '../../store';
import { outbox, type Claim } from '../../store/outbox';
import { prepareDatabase } from '../../store/seed';
import { outboxDelivery } from '../../worker/outboxDelivery';
import { retention } from '../../worker/retention';
import { housingFirst } from '../fixtures/proposals';
import { testServers, uniqueName } from '../support/servers';
import { startSmtpPeer, type SmtpPeer } from '../support/smtpPeer';

/**
 * The outbox's delivery on FerretDB and a real SMTP peer: several deliverers at
 * once never send one notification twice; a dead deliverer's claim runs out; a
 * notification that keeps failing ends `failed` until someone retries it; a
 * reminder of a task done meanwhile is not sent.
 */
describe('outbox delivery', () => {
  let store: Store;
  let smtp: SmtpPeer;
  let config: Config;
  let acts: Activities;
  let mailer: Transporter;
  const proposalId = 'SIF-2026-821';
  const fast = { pollEvery: 50, lease: 60_000, firstRetry: 50, maxRetryInterval: 100, giveUpAfter: 60_000 };
  const notifyMany = (prefix: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) => acts.notify({ key: `${proposalId}.${prefix}.${i}`, event: 'proposalClosed', proposalId, to: { users: ['sara.secretariat'] } })),
    );
  /** The retention purge each worker makes when it starts (and hourly after). */
  const purgeAsAWorkerStarts = async () => {
    const purging = retention(store, {
      settings: config.dataProtection,
      onError: (err) => {
        throw err;
      },
    });
    purging.start();
    await purging.stop();
  };
  const mailsOf = (prefix: string) => smtp.inbox.filter((m) => m.messageId.includes(`${proposalId}.${prefix}.`));

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    config = loadConfig({ MONGODB_URI: testServers().mongodbUri, MONGODB_DB: uniqueName('outbox'), AUTH_JWT_SECRET: 'unused-here', PUBLIC_URL: 'https://fond.example.dk' });
    store = openStore(config.mongo.uri, config.mongo.db);
    await store.ready();
    await prepareDatabase(config, store);
    await store.proposals.create({ _id: proposalId, workflowId: `proposal-${proposalId}`, content: proposalSchema.parse(housingFirst), stage: 'CouncilDecision', stageSeq: 1 });
    mailer = nodemailer.createTransport(smtp.url);
    acts = createActivities(store, config, mailer);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await store?.conn.dropDatabase();
    await store?.close();
  });

  it('lets only one of many concurrent claims on an entry succeed', async () => {
    await notifyMany('claim', 20);
    const ids = (await store.outbox.find({ _id: { $regex: /\.claim\./ } }, { _id: 1 }).lean()).map((e) => e._id);
    expect(ids).toHaveLength(20);
    const claimants = Array.from({ length: 8 }, () => outbox(store));
    for (const id of ids) {
      const won = (await Promise.all(claimants.map((c) => c.claim(id, 60_000)))).filter(Boolean);
      expect(won).toHaveLength(1);
    }
  });

  it('sends each notification exactly once while four deliverers run at once', async () => {
    await notifyMany('race', 40);
    const deliverers = Array.from({ length: 4 }, () => outboxDelivery(store, { settings: fast, mailFrom: config.mail.from, mailer, batch: 100 }));
    for (let round = 0; round < 3; round++) await Promise.all(deliverers.map((d) => d.deliverDue()));
    expect(mailsOf('race')).toHaveLength(40);
    expect(new Set(mailsOf('race').map((m) => m.messageId)).size).toBe(40);
    const entries = await store.outbox.find({ _id: { $regex: /\.race\./ } }).lean();
    expect(entries.map((e) => `${e.status}:${e.attempts}`)).toEqual(Array(40).fill('sent:1'));
  });

  it("takes over a dead deliverer's claim only when its lease has run out", async () => {
    await notifyMany('lease', 1);
    const id = `${proposalId}.lease.0.sara.secretariat.email`;
    // Claimed, never sent, never released; the lease is long beside the steps below even on a busy machine.
    const dead = await outbox(store).claim(id, 4000);
    expect(dead).toBeDefined();
    const other = outboxDelivery(store, { settings: fast, mailFrom: config.mail.from, mailer });
    await other.deliverDue();
    expect(mailsOf('lease')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 4100));
    await other.deliverDue();
    expect(mailsOf('lease')).toHaveLength(1);
    expect(await store.outbox.findById(id).lean()).toMatchObject({ status: 'sent', claims: 2 });
  });

  it('backs off, ends failed after the limit, and sends once on "retry now"', async () => {
    const port = await freePort(); // nothing listens here
    const down = nodemailer.createTransport(`smtp://127.0.0.1:${port}`);
    // Long enough beside the 50–100 ms pauses for several attempts even when a refused connection is slow to tell.
    const giveUp = { ...fast, giveUpAfter: 3000 };
    const deliverer = outboxDelivery(store, { settings: giveUp, mailFrom: config.mail.from, mailer: down });
    await notifyMany('giveup', 1);
    const id = `${proposalId}.giveup.0.sara.secretariat.email`;
    const started = Date.now();
    while ((await store.outbox.findById(id).lean())!.status === 'pending' && Date.now() - started < 30_000) {
      await deliverer.deliverDue();
      await new Promise((r) => setTimeout(r, 30));
    }
    const failed = (await store.outbox.findById(id).lean())!;
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    await deliverer.deliverDue(); // failed is final until a person retries
    expect((await store.outbox.findById(id).lean())!.attempts).toBe(failed.attempts);

    const late = await startSmtpPeer(port);
    try {
      expect(await outbox(store).retryNow(id, giveUp.lease)).toMatchObject({ status: 'pending', failures: 0 });
      await deliverer.deliverDue();
      await deliverer.deliverDue();
      expect(late.inbox.map((m) => m.messageId)).toEqual([`<${id}@social-investment-fund>`]);
      expect(await store.outbox.findById(id).lean()).toMatchObject({ status: 'sent', attempts: failed.attempts + 1 });
    } finally {
      await late.close();
      down.close();
    }
  });

  it('does not send a reminder of a task completed, or reassigned, after the reminder was written', async () => {
    const at = new Date().toISOString();
    const open = async (key: string, assignee: string) => {
      const id = `${proposalId}.${key}`;
      await acts.openTask({ id, proposalId, kind: 'grantAgreement', title: 't', assignee, role: 'secretariat', dueAt: at, at });
      return id;
    };
    const done = await open('done', 'sara.secretariat');
    const handedOn = await open('handedOn', 'sara.secretariat');
    const stillOpen = await open('stillOpen', 'sara.secretariat');
    for (const taskId of [done, handedOn, stillOpen]) {
      await acts.notify({ key: `${taskId}.reminder`, event: 'taskReminder', proposalId, taskId, to: { users: ['sara.secretariat'] } });
    }
    await acts.completeTask({ taskId: done, proposalId, by: 'sara.secretariat', at, input: {} });
    await acts.assignTask({ taskId: handedOn, proposalId, assignee: 'jonas.secretariat', by: 'jonas.secretariat', seq: 1, at });
    await outboxDelivery(store, { settings: fast, mailFrom: config.mail.from, mailer }).deliverDue();
    const status = async (taskId: string) => (await store.outbox.findById(`${taskId}.reminder.sara.secretariat.email`).lean())!;
    // Why, as a code the pages word in the reader's language.
    expect(await status(done)).toMatchObject({ status: 'skipped', skipReason: { code: 'notificationObsolete', why: 'taskClosed', status: 'completed' } });
    expect(await status(handedOn)).toMatchObject({ status: 'skipped', skipReason: { code: 'notificationObsolete', why: 'taskReassigned' } });
    expect(await status(stillOpen)).toMatchObject({ status: 'sent' });
    expect(smtp.inbox.filter((m) => m.subject.startsWith('Påmindelse'))).toHaveLength(1);
  });

  it('deletes a notification that ended or was given up before its retention period, with its claims; keeps one given up lately and the recent', async () => {
    await notifyMany('aged', 8);
    const ids = (
      await store.outbox
        .find({ _id: { $regex: /\.aged\./ } }, { _id: 1 })
        .sort({ _id: 1 })
        .lean()
    ).map((e) => e._id);
    const [sentLongAgo, skippedLongAgo, failedLongAgo, sentLately, pendingLongAgo, unconfiguredLongAgo, retriedLately, gaveUpLongAgo] = ids;
    const ob = outbox(store);
    const finish = async (id: string, mark: (c: Claim) => Promise<void>) => {
      const c = (await ob.claim(id, 60_000))!;
      await mark(c);
      await ob.release(c);
    };
    const giveUp = (c: Claim) => ob.markFailed(c, { ...fast, giveUpAfter: 0 }, 'mailbox full');
    await finish(sentLongAgo, (c) => ob.markSent(c));
    await finish(skippedLongAgo, (c) => ob.markSkipped(c, { code: 'notificationObsolete', why: 'taskClosed', status: 'completed' }));
    await finish(failedLongAgo, giveUp);
    await finish(sentLately, (c) => ob.markSent(c));
    await finish(retriedLately, giveUp);
    await finish(gaveUpLongAgo, giveUp);
    const longAgo = new Date(Date.now() - config.dataProtection.outboxRetention - 60_000);
    for (const id of [sentLongAgo, skippedLongAgo, failedLongAgo, pendingLongAgo, unconfiguredLongAgo, retriedLately, gaveUpLongAgo]) {
      await store.outbox.updateOne({ _id: id }, { $set: { createdAt: longAgo } });
    }
    // Written long ago, given up long ago, never retried: an address and a body kept for nobody.
    await store.outbox.updateOne({ _id: gaveUpLongAgo }, { $set: { failedAt: longAgo } });
    await store.outbox.updateOne({ _id: sentLongAgo }, { $set: { sentAt: longAgo } });
    // Recorded while no mail server was configured; and one written long ago that failed, an operator retried today, and was sent.
    await store.outbox.updateOne({ _id: unconfiguredLongAgo }, { $set: { status: 'unconfigured' } });
    expect(await ob.retryNow(retriedLately, 60_000)).toMatchObject({ status: 'pending' });
    await finish(retriedLately, (c) => ob.markSent(c));
    expect((await store.outbox.findById(failedLongAgo).lean())!.status).toBe('failed');

    await purgeAsAWorkerStarts();

    const left = (
      await store.outbox
        .find({ _id: { $in: ids } }, { _id: 1 })
        .sort({ _id: 1 })
        .lean()
    ).map((e) => e._id);
    expect(left).toEqual([failedLongAgo, sentLately, pendingLongAgo, retriedLately]);
    expect(await store.outboxClaims.countDocuments({ entryId: { $in: [sentLongAgo, skippedLongAgo, gaveUpLongAgo] } })).toBe(0);
    expect(await store.outboxClaims.countDocuments({ entryId: failedLongAgo })).toBe(1);
  });

  it("deletes a day-old kept answer and a week-old revision's draft that never reached its workflow, and keeps the younger", async () => {
    const dayAgo = new Date(Date.now() - 24 * 60 * 60_000 - 60_000);
    const weekAgo = new Date(Date.now() - 7 * 24 * 60 * 60_000 - 60_000);
    const content = proposalSchema.parse(housingFirst);
    await store.drafts.create([
      { _id: `${proposalId}.draft.old`, proposalId, content, by: 'sara.secretariat' },
      { _id: `${proposalId}.draft.new`, proposalId, content, by: 'sara.secretariat' },
    ]);
    await store.drafts.collection.updateOne({ _id: `${proposalId}.draft.old` as never }, { $set: { createdAt: weekAgo } });
    await store.drafts.collection.updateOne({ _id: `${proposalId}.draft.new` as never }, { $set: { createdAt: dayAgo } });
    const answer = { fingerprint: 'f', status: 200, body: { who: 'sara.friis@example.dk' } };
    await store.idempotency.collection.insertMany([
      { _id: 'old-key' as never, ...answer, createdAt: dayAgo },
      { _id: 'new-key' as never, ...answer, createdAt: new Date() },
    ]);
    await purgeAsAWorkerStarts();
    expect((await store.drafts.find({ proposalId }, { _id: 1 }).lean()).map((d) => d._id)).toEqual([`${proposalId}.draft.new`]);
    expect((await store.idempotency.find({}, { _id: 1 }).lean()).map((d) => d._id)).toEqual(['new-key']);
  });
});
