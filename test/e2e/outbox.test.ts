import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { signWebhook } from '../../activities/notifications';
import { freePort } from '../../provision/servers';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startSmtpPeer, type SmtpPeer } from '../support/smtpPeer';
import { startStack, type Stack } from '../support/stack';

/**
 * Notifications never hold a case: with the mail server and the webhook receiver
 * down, a submitted proposal opens all three council votes at once, the outbox
 * shows the notifications pending, and when both are back each is delivered once.
 */
describe('the outbox while SMTP and the webhook receiver are down', () => {
  let stack: Stack;
  let smtpPort: number;
  let hookPort: number;
  const secret = randomBytes(16).toString('hex');
  const hits: { body: string; signature: string; delivery: string }[] = [];

  beforeAll(async () => {
    [smtpPort, hookPort] = [await freePort(), await freePort()]; // nothing listens on either yet
    stack = await startStack(
      'outbox',
      { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`, WEBHOOK_SECRET: secret },
      // Backoff of seconds, not the production minutes and hours.
      (c) => void (c.notifications = { ...c.notifications, pollEvery: 200, firstRetry: 1000, maxRetryInterval: 2000 }),
    );
  });
  afterAll(() => stack?.stop());

  it('opens every vote at once, shows the outbox pending, and delivers each notification once when both are back', async () => {
    const [sara, jonas, ops, bo] = await Promise.all(['sara.secretariat', 'jonas.secretariat', 'ops', 'bo.member'].map((u) => stack.as(u)));
    const created = await sara.post('/api/proposals', housingFirst);
    const id: string = created.body.id;
    const submitted = await sara.post(`/api/proposals/${id}/submit`);
    expect(submitted.status).toBe(200);

    // All three council votes open without waiting for any mail.
    const votes = await eventually(async () => {
      const list = await sara.get(`/api/tasks?assignee=anyone&proposalId=${id}&status=open`);
      const open = list.body.items.filter((t: { kind: string }) => t.kind === 'councilVote');
      expect(open).toHaveLength(3);
      return open as { id: string; assignee: string }[];
    }, 20_000);
    expect(votes.map((v) => v.assignee).sort()).toEqual(['anne.chair', 'bo.member', 'cecilie.member']);

    // The outbox shows them pending, tried and failed, to the secretariat and operators only.
    const pending = await eventually(async () => {
      const res = await jonas.get('/api/outbox?status=pending&pageSize=200');
      expect(res.status).toBe(200);
      const mine = res.body.items.filter((e: { proposalId: string }) => e.proposalId === id);
      const created = mine.filter((e: { event: string }) => e.event === 'taskCreated');
      expect(created.map((e: { channel: string; userId?: string }) => `${e.channel}:${e.userId ?? ''}`).sort()).toEqual([
        'email:anne.chair',
        'email:bo.member',
        'email:cecilie.member',
        'webhook:',
        'webhook:',
        'webhook:',
      ]);
      for (const e of mine) expect(e.attempts).toBeGreaterThanOrEqual(1);
      expect(mine.find((e: { channel: string }) => e.channel === 'email').lastError).toMatch(/ECONNREFUSED/);
      expect(mine.find((e: { channel: string }) => e.channel === 'webhook').lastError).toMatch(/fetch failed|ECONNREFUSED/);
      return mine as { id: string; channel: string; attempts: number }[];
    });
    expect(pending[0]).not.toHaveProperty('body');
    expect((await ops.get('/api/outbox?status=pending')).status).toBe(200);
    expect((await bo.get('/api/outbox')).status).toBe(403);
    expect((await bo.post(`/api/outbox/${encodeURIComponent(pending[0].id)}/retry`)).status).toBe(403);
    expect((await jonas.get('/api/outbox?status=nonsense')).status).toBe(400);
    const missing = await jonas.post('/api/outbox/no-such-entry/retry');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'notFound', params: { what: 'outboxEntry', id: 'no-such-entry' } });

    // The page lists them, and "retry now" makes one due at once (still failing: the server is down).
    const page = await pageVisitor(stack.api.url, 'jonas.secretariat');
    // An e-mail the worker is trying again at this moment is listed as sending, and a retry of it is refused as busy: a person looks again.
    const oneId = await eventually(async () => {
      const list = await page.get('/outbox?status=pending');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Ny opgave: Housing First for unge hjemløse');
      const email = pending.find((e) => e.channel === 'email' && list.text.includes(`action="/outbox/${encodeURIComponent(e.id)}/retry"`));
      expect(email).toBeDefined();
      const retried = await page.post(`/outbox/${encodeURIComponent(email!.id)}/retry`, { _csrf: page.csrfOf(list.text), status: 'pending' });
      expect(retried).toMatchObject({ status: 303, location: '/outbox?status=pending&retried=1' });
      return email!.id;
    });
    expect((await page.post(`/outbox/${encodeURIComponent(oneId)}/retry`, { _csrf: 'forged', status: 'pending' })).status).toBe(403);
    expect((await (await pageVisitor(stack.api.url, 'bo.member')).get('/outbox')).status).toBe(403);

    // Both come back: every pending notification goes out, once.
    let smtp: SmtpPeer | undefined;
    let hook: Server | undefined;
    try {
      smtp = await startSmtpPeer(smtpPort);
      hook = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          hits.push({ body, signature: String(req.headers['x-sif-signature']), delivery: String(req.headers['x-sif-delivery']) });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => hook!.listen(hookPort, '127.0.0.1', () => r()));

      const sent = await eventually(async () => {
        const res = await jonas.get('/api/outbox?pageSize=200');
        const all = res.body.items as { id: string; channel: string; status: string }[];
        expect(all.filter((e) => e.status !== 'sent')).toEqual([]);
        return all;
      }, 30_000);
      await new Promise((r) => setTimeout(r, 1500)); // a few more polls: nothing is sent again
      const emails = sent.filter((e) => e.channel === 'email');
      const webhooks = sent.filter((e) => e.channel === 'webhook');
      expect(emails.length).toBeGreaterThanOrEqual(3);
      expect(smtp.inbox.map((m) => m.messageId).sort()).toEqual(emails.map((e) => `<${e.id}@social-investment-fund>`).sort());
      expect(hits.map((h) => h.delivery).sort()).toEqual(webhooks.map((e) => e.id).sort());
      for (const h of hits) expect(h.signature).toBe(signWebhook(h.body, secret));
      // As the README tells a receiver to check it, and as the document's `webhooks` describe the payload.
      for (const h of hits) expect(verifiedAsReadmeSays(h.body, h.signature, secret)).toBe(true);
      expect(verifiedAsReadmeSays(hits[0].body.replace('"event"', '"event" '), hits[0].signature, secret)).toBe(false);
      const described = await webhookSchemaOf(stack);
      for (const h of hits) expect([JSON.parse(h.body), described(JSON.parse(h.body)), described.errors ?? null]).toEqual([expect.anything(), true, null]);
      for (const member of ['anne.holm', 'bo.lind', 'cecilie.dahl']) {
        expect(smtp.inbox.filter((m) => m.to.includes(member) && m.subject.startsWith('Ny opgave'))).toHaveLength(1);
      }
      const counts = (await ops.get('/api/outbox')).body.counts;
      expect(counts).toMatchObject({ pending: 0, sending: 0, failed: 0 });
      // Sent is final: no retry.
      const final = await jonas.post(`/api/outbox/${encodeURIComponent(oneId)}/retry`);
      expect(final.status).toBe(409);
      expect(final.body.code).toBe('notificationNotRetryable');
    } finally {
      await smtp?.close();
      await new Promise((r) => (hook ? hook.close(() => r(undefined)) : r(undefined)));
    }
  });

  it("words why a notification was not sent in the reader's language, and marks a subject in the language it was written in", async () => {
    const base = { event: 'taskReminder', channel: 'email' as const, userId: 'bo.member', to: 'bo.lind@example.dk', body: 'x', attempts: 0, createdAt: new Date() };
    await stack.store.outbox.create([
      {
        ...base,
        _id: 'words.skipped',
        subject: 'Påmindelse: Housing First',
        status: 'skipped',
        skipReason: { code: 'notificationObsolete', why: 'taskClosed', status: 'completed' },
      },
      { ...base, _id: 'words.english', subject: 'New task: Housing First', status: 'failed', language: 'en', lastError: 'mailbox full' },
    ]);
    try {
      const page = await pageVisitor(stack.api.url, 'jonas.secretariat');
      const skipped = await page.get('/outbox?status=skipped');
      expect(skipped.text).toContain('opgaven er besvaret');
      expect(skipped.text).not.toContain('the task is');
      const failed = await page.get('/outbox?status=failed');
      expect(failed.text).toContain('<span class="muted" lang="en">New task: Housing First</span>');
    } finally {
      await stack.store.outbox.deleteMany({ _id: { $in: ['words.skipped', 'words.english'] } });
    }
  });
});

/** The README's verification example: HMAC-SHA256 of the raw body, compared in constant time. */
function verifiedAsReadmeSays(rawBody: string, header: string, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The webhook payload's schema, from the API's own document. */
async function webhookSchemaOf(stack: Stack) {
  const doc = (await stack.request('GET', '/api/openapi.json')).body;
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(doc, 'openapi');
  return ajv.getSchema('openapi#/components/schemas/WebhookNotification')!;
}
