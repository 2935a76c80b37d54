import { idParam, pageNumber } from '../params';
import { z } from 'zod';
import type { Config } from '../../config';
import { outboxStatuses } from '../../domain/outbox';
import { outboxReaders } from '../../domain/accessPolicy';
import type { OutboxDoc, Store } from '../../store';
import { outbox } from '../../store/outbox';
import { requireRole } from '../auth';
import { conflict, notFound } from '../problem';
import { route, type AnyRoute } from '../registry';
import { outboxEntryReply, outboxReply } from '../replies/operations';
import { recordRead } from '../accessLog';

/** Who sees the outbox and may send a notification again: the secretariat and IT operations. */

export const outboxQuerySchema = z.strictObject({
  status: z.enum(outboxStatuses).optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One entry as the API and the page show it: no message body. */
export function outboxView(e: OutboxDoc) {
  return {
    id: e._id,
    channel: e.channel,
    event: e.event,
    status: e.status,
    proposalId: e.proposalId,
    taskId: e.taskId,
    userId: e.userId,
    to: e.to,
    subject: e.subject,
    createdAt: e.createdAt,
    attempts: e.attempts ?? 0,
    nextAttemptAt: e.status === 'pending' ? e.nextAttemptAt : undefined,
    sentAt: e.sentAt,
    lastError: e.lastError,
    skipReason: e.skipReason,
  };
}

/** "Retry now", or why not: the API's and the page's one way to do it. */
export async function retryOutboxEntry(config: Config, store: Store, id: string) {
  const result = await outbox(store).retryNow(id, config.notifications.lease);
  if (result === 'notFound') throw notFound('outboxEntry', id);
  if (result === 'busy') throw conflict({ code: 'notificationBusy' });
  if (result === 'notRetryable') throw conflict({ code: 'notificationNotRetryable' });
  return result;
}

/** The notifications outbox: what is pending, sent, failed; retry one now. */
export function outboxRoutes(config: Config, store: Store): AnyRoute[] {
  return [
    route({
      id: 'listOutbox',
      method: 'get',
      path: '/outbox',
      summary: 'The notifications outbox, newest first, with counts per status: pending, sending, sent, failed, skipped, unconfigured (secretariat, operator)',
      query: outboxQuerySchema,
      replies: { 200: { description: 'a page of entries', schema: outboxReply } },
      errors: [403],
      handle: async (req, res, input) => {
        const actor = requireRole(req, ...outboxReaders);
        const q = input.query();
        const [{ items, total, counts }] = await Promise.all([outbox(store).list(q), recordRead(store, req, actor.userId, { what: 'outbox' })]);
        res.json({ items: items.map(outboxView), total, page: q.page, pageSize: q.pageSize, counts });
      },
    }),
    route({
      id: 'retryOutboxEntry',
      method: 'post',
      path: '/outbox/:id/retry',
      summary: 'Send a pending or failed notification now, with a fresh give-up limit (secretariat, operator); 409 while it is being sent or once sent',
      params: idParam,
      body: z.strictObject({}),
      replies: { 200: { description: 'the entry, due now', schema: outboxEntryReply } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        const actor = requireRole(req, ...outboxReaders);
        input.body();
        // The entry names its recipient, as the outbox's list does.
        const [entry] = await Promise.all([retryOutboxEntry(config, store, input.params().id), recordRead(store, req, actor.userId, { what: 'outbox' })]);
        res.json(outboxView(entry));
      },
    }),
  ];
}
