import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { outboxStatuses } from '../../domain/outbox';
import { outboxReaders } from '../../domain/accessPolicy';
import type { OutboxDoc, Store } from '../../store';
import { outbox } from '../../store/outbox';
import { requireRole } from '../auth';
import { conflict, notFound, parseBody } from '../problem';
import { recordRead } from '../accessLog';

/** Who sees the outbox and may send a notification again: the secretariat and IT operations. */

export const outboxQuerySchema = z.strictObject({
  status: z.enum(outboxStatuses).optional(),
  page: z.coerce.number().int().min(1).default(1),
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
export function outboxRoutes(config: Config, store: Store) {
  const router = Router();

  router.get('/outbox', async (req, res) => {
    const actor = requireRole(req, ...outboxReaders);
    const q = parseBody(outboxQuerySchema, req.query);
    const [{ items, total, counts }] = await Promise.all([outbox(store).list(q), recordRead(store, req, actor.userId, { what: 'outbox' })]);
    res.json({ items: items.map(outboxView), total, page: q.page, pageSize: q.pageSize, counts });
  });

  router.post('/outbox/:id/retry', async (req, res) => {
    requireRole(req, ...outboxReaders);
    parseBody(z.strictObject({}), req.body ?? {});
    res.json(outboxView(await retryOutboxEntry(config, store, String(req.params.id))));
  });

  return router;
}
