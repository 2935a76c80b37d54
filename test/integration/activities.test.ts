import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { createActivities, type Activities } from '../../activities';
import { signWebhook } from '../../activities/notifications';
import { openStore, type Store } from '../../store';
import { outbox } from '../../store/outbox';
import { outboxDelivery, type OutboxDelivery } from '../../worker/outboxDelivery';
import { prepareDatabase } from '../../store/seed';
import { loadConfig, type Config } from '../../config';
import { freePort } from '../../provision/servers';
import { proposalSchema } from '../../domain/proposal';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { testServers, uniqueName } from '../support/servers';
import { startSmtpPeer, type SmtpPeer } from '../support/smtpPeer';

/**
 * Activities are retried by Temporal: each must leave the same trace however often
 * it runs. Checked against FerretDB, a real SMTP peer and a real webhook receiver.
 */
describe('activities under retry', () => {
  let store: Store;
  let smtp: SmtpPeer;
  let acts: Activities;
  let delivery: OutboxDelivery;
  let config: Config;
  const webhookHits: { body: string; signature: string }[] = [];
  const webhook = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      webhookHits.push({ body, signature: String(req.headers['x-sif-signature']) });
      res.writeHead(204).end();
    });
  });
  const webhookSecret = randomBytes(16).toString('hex');
  const proposalId = 'SIF-2026-801';

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    const webhookPort = await freePort();
    await new Promise<void>((r) => webhook.listen(webhookPort, '127.0.0.1', () => r()));
    config = loadConfig({
      MONGODB_URI: testServers().mongodbUri,
      MONGODB_DB: uniqueName('activities'),
      AUTH_JWT_SECRET: 'unused-here',
      PUBLIC_URL: 'https://fond.example.dk',
      WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/hook`,
      WEBHOOK_SECRET: webhookSecret,
    });
    store = openStore(config.mongo.uri, config.mongo.db);
    await store.ready();
    await prepareDatabase(config, store);
    await store.proposals.create({ _id: proposalId, workflowId: `proposal-${proposalId}`, content: proposalSchema.parse(housingFirst), stage: 'Motivation', stageSeq: 0 });
    const mailer = nodemailer.createTransport(smtp.url);
    acts = createActivities(store, config, mailer);
    delivery = outboxDelivery(store, { settings: config.notifications, mailFrom: config.mail.from, mailer, webhook: config.webhook });
  });

  afterAll(async () => {
    await smtp?.close();
    webhook.close();
    await store?.conn.dropDatabase();
    await store?.close();
  });

  it('sends a notification once, however often the step is retried, by e-mail and signed webhook', async () => {
    const request = { key: `${proposalId}.closed`, event: 'proposalClosed' as const, proposalId, to: { roles: ['secretariat' as const] } };
    await acts.notify(request);
    await acts.notify(request);
    await acts.notify(request);
    expect(await store.outbox.countDocuments({ proposalId, status: 'pending' })).toBe(3); // recorded, not yet sent
    await delivery.deliverDue();
    await delivery.deliverDue();
    await acts.notify(request); // a retry after delivery
    await delivery.deliverDue();
    const mails = smtp.inbox.filter((m) => m.messageId.includes(`${proposalId}.closed`));
    expect(mails.map((m) => m.to).sort()).toEqual(['"Jonas Krogh" <jonas.krogh@example.dk>', '"Sara Friis" <sara.friis@example.dk>']);
    expect(webhookHits).toHaveLength(1);
    const [hit] = webhookHits;
    expect(hit.signature).toBe(signWebhook(hit.body, webhookSecret));
    expect(JSON.parse(hit.body)).toMatchObject({ event: 'proposalClosed', proposalId, recipients: ['jonas.secretariat', 'sara.secretariat'] });
    const outbox = await store.outbox.find({ proposalId }).lean();
    expect(outbox.map((o) => `${o.channel}:${o.status}`).sort()).toEqual(['email:sent', 'email:sent', 'webhook:sent']);
  });

  it('tells nobody who is no longer active, though named: a former chair or secretary gets no more of the case', async () => {
    await store.users.updateOne({ _id: 'jonas.secretariat' }, { $set: { active: false } });
    try {
      await acts.notify({ key: `${proposalId}.named`, event: 'proposalClosed', proposalId, to: { users: ['jonas.secretariat', 'sara.secretariat'] } });
      const entries = await store.outbox.find({ _id: { $regex: `^${proposalId}\\.named\\.` } }).lean();
      expect(entries.filter((e) => e.channel === 'email').map((e) => e.userId)).toEqual(['sara.secretariat']);
      expect(JSON.parse(entries.find((e) => e.channel === 'webhook')!.body).recipients).toEqual(['sara.secretariat']);
    } finally {
      await store.users.updateOne({ _id: 'jonas.secretariat' }, { $set: { active: true } });
    }
  });

  it("tells a role's holders as they are when the notice is written, but the one it is about: an escalation reaches the chair of the day", async () => {
    const escalate = (key: string, except: string) =>
      acts.notify({ key: `${proposalId}.${key}`, event: 'proposalClosed', proposalId, to: { roles: ['secretariat', 'councilChair'], except: [except] } });
    const recipients = async (key: string) => (await store.outbox.find({ _id: { $regex: `^${proposalId}\\.${key}\\.` }, channel: 'email' }).lean()).map((e) => e.userId).sort();
    await escalate('late-bo', 'bo.member');
    expect(await recipients('late-bo')).toEqual(['anne.chair', 'jonas.secretariat', 'sara.secretariat']);
    await escalate('late-anne', 'anne.chair');
    expect(await recipients('late-anne')).toEqual(['jonas.secretariat', 'sara.secretariat']);
    // Cecilie takes over the chair: the next escalation is hers, not Anne's.
    await store.users.updateOne({ _id: 'anne.chair' }, { $set: { roles: ['councilMember'] } });
    await store.users.updateOne({ _id: 'cecilie.member' }, { $set: { roles: ['councilMember', 'councilChair'] } });
    try {
      await escalate('late-bo-again', 'bo.member');
      expect(await recipients('late-bo-again')).toEqual(['cecilie.member', 'jonas.secretariat', 'sara.secretariat']);
    } finally {
      await store.users.updateOne({ _id: 'anne.chair' }, { $set: { roles: ['councilMember', 'councilChair'] } });
      await store.users.updateOne({ _id: 'cecilie.member' }, { $set: { roles: ['councilMember'] } });
    }
  });

  it('tells the named secretary while she acts in the secretariat, and the secretariat once she does not', async () => {
    const tell = (key: string) => acts.notify({ key: `${proposalId}.${key}`, event: 'proposalClosed', proposalId, to: { users: ['sara.secretariat'], otherwise: 'secretariat' } });
    const recipients = async (key: string) => (await store.outbox.find({ _id: { $regex: `^${proposalId}\\.${key}\\.` }, channel: 'email' }).lean()).map((e) => e.userId).sort();
    await tell('sara-here');
    expect(await recipients('sara-here')).toEqual(['sara.secretariat']);
    await store.users.updateOne({ _id: 'sara.secretariat' }, { $set: { roles: ['department'], department: 'MSB' } });
    try {
      await tell('sara-moved');
      expect(await recipients('sara-moved')).toEqual(['jonas.secretariat']);
    } finally {
      await store.users.updateOne({ _id: 'sara.secretariat' }, { $set: { roles: ['secretariat'] }, $unset: { department: 1 } });
    }
  });

  it('records a notification at once while the mail server is down, and delivers it once when it is back', async () => {
    const port = await freePort(); // nothing listens here yet
    const config = loadConfig({
      MONGODB_URI: testServers().mongodbUri,
      MONGODB_DB: store.conn.name,
      AUTH_JWT_SECRET: 'unused-here',
      PUBLIC_URL: 'https://fond.example.dk',
    });
    const downMailer = nodemailer.createTransport(`smtp://127.0.0.1:${port}`);
    const downActs = createActivities(store, config, downMailer);
    const downDelivery = outboxDelivery(store, { settings: config.notifications, mailFrom: config.mail.from, mailer: downMailer });
    const request = { key: `${proposalId}.down`, event: 'returnedForChanges' as const, proposalId, to: { users: ['sara.secretariat'] } };
    await downActs.notify(request); // the workflow's step: a write, whatever SMTP does
    const id = `${proposalId}.down.sara.secretariat.email`;
    expect(await store.outbox.findById(id).lean()).toMatchObject({ status: 'pending', attempts: 0, subject: 'Sendt tilbage til sekretariatet: Housing First for unge hjemløse' });
    const before = Date.now();
    // A round ends at its first failure: the notices written before this one are tried first, one a round.
    await eventually(
      async () => {
        await downDelivery.deliverDue();
        expect((await store.outbox.findById(id).lean())!.attempts).toBe(1);
      },
      15_000,
      0,
    );
    const pending = await store.outbox.findById(id).lean();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, failures: 1 });
    expect(pending!.lastError).toMatch(/ECONNREFUSED/);
    // The configured first retry (1 minute), not a tight loop.
    expect(pending!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + config.notifications.firstRetry);
    await downDelivery.deliverDue(); // not due yet: no attempt
    expect((await store.outbox.findById(id).lean())!.attempts).toBe(1);

    const late = await startSmtpPeer(port);
    try {
      await downActs.notify(request); // Temporal's retry of the same step writes nothing new
      expect(await outbox(store).retryNow(id, config.notifications.lease)).toMatchObject({ status: 'pending', failures: 0 });
      await downDelivery.deliverDue();
      const mail = await late.waitFor('sara.friis@example.dk', /^Sendt tilbage/);
      expect(mail.text).toContain(`https://fond.example.dk/proposals/${proposalId}`);
      expect(mail.messageId).toBe(`<${id}@social-investment-fund>`);
      expect(await store.outbox.findById(id).lean()).toMatchObject({ status: 'sent', attempts: 2 });
      await downDelivery.deliverDue();
      expect(late.inbox).toHaveLength(1);
      expect(await outbox(store).retryNow(id, config.notifications.lease)).toBe('notRetryable');
    } finally {
      await late.close();
      downMailer.close();
    }
  });

  it('delivers webhooks while the mail server holds the connection without answering, and tries one mail a round', async () => {
    // A server that takes the connection and says nothing: nodemailer waits for its greeting.
    const held: Socket[] = [];
    const silent = createNetServer((socket) => held.push(socket));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', () => r()));
    const silentMailer = nodemailer.createTransport(`smtp://127.0.0.1:${port}`);
    const stalled = outboxDelivery(store, { settings: config.notifications, mailFrom: config.mail.from, mailer: silentMailer, webhook: config.webhook });
    try {
      // Each notice is a mail, then a webhook, in that order in the outbox.
      for (const n of [1, 2]) await acts.notify({ key: `${proposalId}.stall.${n}`, event: 'proposalClosed', proposalId, to: { users: ['sara.secretariat'] } });
      const entries = () =>
        store.outbox
          .find({ _id: { $regex: /\.stall\./ } })
          .sort({ _id: 1 })
          .lean();
      const round = stalled.deliverDue();
      await eventually(async () => expect((await entries()).filter((e) => e.channel === 'webhook').map((e) => e.status)).toEqual(['sent', 'sent']), 15_000);
      expect(webhookHits.filter((h) => h.body.includes('.stall.'))).toHaveLength(2);
      // Meanwhile the first mail still waits for the server.
      expect(
        (await entries())
          .filter((e) => e.channel === 'email')
          .map((e) => `${e.status}:${e.attempts}`)
          .sort(),
      ).toEqual(['pending:0', expect.stringMatching(/^sending:/)]);
      for (const socket of held) socket.destroy();
      await round;
      // The failure ended the mail lane's round: the second mail was not tried against a server that had just failed.
      expect(
        (await entries())
          .filter((e) => e.channel === 'email')
          .map((e) => `${e.status}:${e.attempts}`)
          .sort(),
      ).toEqual(['pending:0', 'pending:1']);
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
      silentMailer.close();
      await store.outbox.deleteMany({ _id: { $regex: /\.stall\./ } });
    }
  });

  it('delivers webhooks however many mails wait ahead of them for a mail server that is down', async () => {
    await store.outbox.updateMany({ status: 'pending' }, { $set: { status: 'skipped' } }); // only this test's notices wait
    const port = await freePort(); // nothing listens here
    const downMailer = nodemailer.createTransport(`smtp://127.0.0.1:${port}`);
    // Notices written while no webhook was configured: mails only, more than a round takes.
    const mailOnly = createActivities(store, { ...config, webhook: undefined }, downMailer);
    for (const n of [1, 2, 3]) await mailOnly.notify({ key: `${proposalId}.backlog.${n}`, event: 'proposalClosed', proposalId, to: { users: ['sara.secretariat'] } });
    await acts.notify({ key: `${proposalId}.backlog.4`, event: 'proposalClosed', proposalId, to: { users: ['sara.secretariat'] } });
    try {
      await outboxDelivery(store, { settings: config.notifications, mailFrom: config.mail.from, mailer: downMailer, webhook: config.webhook, batch: 2 }).deliverDue();
      expect(await store.outbox.findById(`${proposalId}.backlog.4.webhook`).lean()).toMatchObject({ status: 'sent' });
    } finally {
      downMailer.close();
      await store.outbox.deleteMany({ _id: { $regex: /\.backlog\./ } });
    }
  });

  it('never moves the read model back to an older stage, nor a draft back to an older revision', async () => {
    const at = new Date().toISOString();
    await acts.recordStage({ proposalId, stage: 'MayoralApproval', seq: 2, at });
    await acts.recordStage({ proposalId, stage: 'CouncilDecision', seq: 1, at }); // late
    await acts.recordStage({ proposalId, stage: 'MayoralApproval', seq: 2, at }); // twice
    const doc = await store.proposals.findById(proposalId).lean();
    expect(doc).toMatchObject({ stage: 'MayoralApproval', stageSeq: 2 });
    expect(await store.events.countDocuments({ proposalId, type: 'stageChanged' })).toBe(2);

    const proposal = proposalSchema.parse(housingFirst);
    for (const n of [1, 2]) await store.drafts.create({ _id: `${proposalId}.draft.${n}`, proposalId, content: { ...proposal, title: `Revision ${n}` }, by: 'sara.secretariat' });
    await acts.adoptDraft({ proposalId, draftId: `${proposalId}.draft.2`, revision: 2, by: 'sara.secretariat', at });
    await acts.adoptDraft({ proposalId, draftId: `${proposalId}.draft.1`, revision: 1, by: 'sara.secretariat', at });
    await acts.adoptDraft({ proposalId, draftId: `${proposalId}.draft.2`, revision: 2, by: 'sara.secretariat', at }); // a retry
    expect(await store.drafts.countDocuments({ proposalId })).toBe(0);
    expect(((await store.proposals.findById(proposalId).lean())!.content as { title: string }).title).toBe('Revision 2');
  });

  it('completes a task once: a retry does not rewrite who did it or what they chose', async () => {
    const at = new Date().toISOString();
    const task = {
      id: `${proposalId}.r1.councilVote.bo.member`,
      proposalId,
      kind: 'councilVote' as const,
      title: 't',
      assignee: 'bo.member',
      role: 'councilMember' as const,
      dueAt: at,
      round: 1,
      at,
    };
    await acts.openTask(task);
    await acts.openTask(task);
    expect(await store.tasks.countDocuments({ proposalId })).toBe(1);
    await acts.completeTask({ taskId: task.id, proposalId, by: 'bo.member', at, input: { decision: 'approve' } });
    await acts.completeTask({ taskId: task.id, proposalId, by: 'bo.member', at: new Date(Date.now() + 1000).toISOString(), input: { decision: 'reject' } });
    const stored = await store.tasks.findById(task.id).lean();
    expect(stored).toMatchObject({ status: 'completed', completedBy: 'bo.member', input: { decision: 'approve' } });
    expect(await store.events.countDocuments({ proposalId, type: 'taskCompleted' })).toBe(1);
    await acts.cancelTasks({ taskIds: [task.id], reason: { code: 'councilDecided' }, at });
    expect((await store.tasks.findById(task.id).lean())!.status).toBe('completed');
  });

  it('writes one decision paper per round, however often it is generated', async () => {
    const at = new Date().toISOString();
    await acts.generateDecisionPaper({ proposalId, round: 1, at });
    await acts.generateDecisionPaper({ proposalId, round: 1, at });
    await eventually(async () => expect(await store.decisionPapers.countDocuments({ proposalId })).toBe(1));
  });
});
