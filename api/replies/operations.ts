import { z } from 'zod';
import { readChannels, readKinds } from '../../domain/accessLog';
import { outboxStatuses } from '../../domain/outbox';
import { instant, page } from './common';

export const outboxEntryReply = z.looseObject({
  id: z.string(),
  channel: z.enum(['email', 'webhook']),
  event: z.string(),
  status: z.enum(outboxStatuses),
  proposalId: z.string().optional(),
  taskId: z.string().optional(),
  userId: z.string().optional(),
  to: z.string().optional(),
  subject: z.string().optional(),
  createdAt: instant,
  attempts: z.int().min(0),
  nextAttemptAt: instant.optional(),
  sentAt: instant.optional(),
  lastError: z.string().optional(),
  skipReason: z
    .looseObject({ code: z.literal('notificationObsolete'), why: z.enum(['taskGone', 'taskClosed', 'taskReassigned']) })
    .optional()
    .describe('why it was not sent, as a code'),
});
export const outboxReply = page(outboxEntryReply).extend({ counts: z.partialRecord(z.enum(outboxStatuses), z.int().min(0)) });

export const accessLogReply = page(
  z.looseObject({
    at: instant,
    userId: z.string(),
    what: z.enum(readKinds),
    proposalId: z.string().nullable(),
    taskId: z.string().nullable(),
    meetingId: z.string().nullable(),
    via: z.enum(readChannels),
    route: z.string(),
  }),
);

const healthPart = z.looseObject({ status: z.enum(['ok', 'down', 'warn']), critical: z.boolean(), detail: z.record(z.string(), z.unknown()).optional() });
export const healthReply = z.looseObject({
  status: z.enum(['ok', 'unavailable']),
  parts: z.looseObject({ database: healthPart, temporal: healthPart, workers: healthPart, outbox: healthPart, annualReportSchedule: healthPart }),
});
export const readyReply = z.looseObject({ status: z.enum(['ok', 'unavailable']), parts: z.looseObject({ database: healthPart }) });
export const liveReply = z.looseObject({ status: z.literal('ok') });
