import { Router } from 'express';
import { z } from 'zod';
import { accessLogReaders } from '../../domain/accessLog';
import type { AccessLogDoc, Store } from '../../store';
import { accessLog } from '../../store/accessLog';
import { requireRole } from '../auth';
import { parseBody } from '../problem';

export const accessLogQuerySchema = z.strictObject({
  /** The reader's user id. */
  user: z.string().min(1).max(100).optional(),
  /** A case: reads of the proposal, its tasks and its part of the ledger. */
  case: z.string().min(1).max(100).optional(),
  /** ISO instants, both inclusive. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccessLogQuery = z.output<typeof accessLogQuerySchema>;

/** The entries a query asks for, newest first: the API's and the page's one way to read the log. */
export function readAccessLog(store: Store, q: AccessLogQuery) {
  return accessLog(store).list({ ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
}

export const accessLogView = (e: AccessLogDoc) => ({
  at: e.at,
  userId: e.userId,
  what: e.what,
  proposalId: e.proposalId ?? null,
  taskId: e.taskId ?? null,
  via: e.via,
  route: e.route,
});

/** Who read which personal data and when, by person or by case: for IT operations and the data protection officer. */
export function accessLogRoutes(store: Store) {
  const router = Router();
  router.get('/access-log', async (req, res) => {
    requireRole(req, ...accessLogReaders);
    const q = parseBody(accessLogQuerySchema, req.query);
    const { total, items } = await readAccessLog(store, q);
    res.json({ page: q.page, pageSize: q.pageSize, total, items: items.map(accessLogView) });
  });
  return router;
}
