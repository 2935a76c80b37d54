import { pageNumber } from '../params';
import { caseFilter, typedText } from '../../domain/freeText';
import type { Request } from 'express';
import { z } from 'zod';
import { accessLogReaders } from '../../domain/accessLog';
import type { AccessLogDoc, Store } from '../../store';
import { accessLog } from '../../store/accessLog';
import { recordRead } from '../accessLog';
import { requireRole } from '../auth';
import { route, type AnyRoute } from '../registry';
import { accessLogReply } from '../replies/operations';

export const accessLogQuerySchema = z.strictObject({
  /** The reader's user id. */
  user: typedText().min(1).max(100).optional(),
  /** A case: reads of the proposal, its tasks and its part of the ledger. */
  case: caseFilter().min(1).optional(),
  /** ISO instants, both inclusive. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccessLogQuery = z.output<typeof accessLogQuerySchema>;

/**
 * Who read whom is personal data as well: a look at the log is on it, of the case it asks
 * about. Recorded after the read, so a look never finds itself, and before the answer.
 */
export const recordLookup = (store: Store, req: Request, userId: string, q: AccessLogQuery) => recordRead(store, req, userId, { what: 'accessLog', proposalId: q.case });

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
  meetingId: e.meetingId ?? null,
  via: e.via,
  route: e.route,
});

/** Who read which personal data and when, by person or by case: for IT operations and the data protection officer. */
export function accessLogRoutes(store: Store): AnyRoute[] {
  return [
    route({
      id: 'listAccessLog',
      method: 'get',
      path: '/access-log',
      summary:
        'Who read which personal data and when (a proposal, a task, the ledger, the user list, the outbox, a council meeting, a decrypted workflow history; through the API, the pages or the codec endpoint), newest first, by reader (`user`) or case (`case`); never the content (operator, dataProtectionOfficer)',
      query: accessLogQuerySchema,
      replies: { 200: { description: 'a page of entries', schema: accessLogReply } },
      errors: [403, 422],
      handle: async (req, res, input) => {
        const reader = requireRole(req, ...accessLogReaders);
        const q = input.query();
        const { total, items } = await readAccessLog(store, q);
        await recordLookup(store, req, reader.userId, q);
        res.json({ page: q.page, pageSize: q.pageSize, total, items: items.map(accessLogView) });
      },
    }),
  ];
}
