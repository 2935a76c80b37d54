/**
 * The outbox's delivery rules, pure so they can be tested without a clock: when a
 * failed delivery is tried again, and when the outbox gives up on it.
 */
import { z } from 'zod';

/** What a notification tells of: each is worded by its recipient's language (activities/messages.ts). */
export const notificationEvents = [
  'taskCreated',
  'taskReminder',
  'taskEscalated',
  'taskReleased',
  'taskReassigned',
  'returnedForChanges',
  'councilApprovalVoid',
  'councilCannotDecide',
  'selectionDecided',
  'proposalClosed',
  'grantRefusedByFund',
  'contractRefusedByFund',
  'contractDeclined',
  'annualReportDrafted',
  'annualReportReturned',
  'annualReportApproved',
  'meetingAgenda',
  'agendaItemAdded',
  'dialogueReminder',
  'meetingCancelled',
  'minutesReturned',
  'minutesCorrectionOverdue',
  'minutesApproved',
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

/** What the webhook receiver is sent for each notification; the OpenAPI document's `webhooks` describe it from here. */
export const webhookPayloadSchema = z.strictObject({
  id: z.string().describe('unique per notification; also the X-SIF-Delivery header'),
  event: z.enum(notificationEvents),
  proposalId: z.string().describe("the case's id, or the annual report's workflow id"),
  taskId: z.string().optional(),
  recipients: z.array(z.string()).describe('the user ids the notification is for'),
  link: z.string().describe('the page it is about'),
});
export type WebhookPayload = z.output<typeof webhookPayloadSchema>;

export const outboxStatuses = ['pending', 'sending', 'sent', 'failed', 'skipped', 'unconfigured'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** Where an entry's delivery ends, nothing more to do: kept for `dataProtection.outboxRetention`. A failed one waits for an operator as long. */
export const endedStatuses: readonly OutboxStatus[] = ['sent', 'skipped', 'unconfigured'];

/** What operators may send again now: a delivery not yet made and not under way. */
export const retryableStatuses: readonly OutboxStatus[] = ['pending', 'failed'];

export interface DeliverySettings {
  /** How often the worker looks for due notifications (it is also woken when one is written). */
  pollEvery: number;
  /** How long a claim on one notification lasts; longer than any SMTP or webhook call. */
  lease: number;
  /** The wait after the first failure; it doubles with each further failure… */
  firstRetry: number;
  /** …up to this. */
  maxRetryInterval: number;
  /** After this long without success (from the notification, or from a manual retry) it is `failed`. */
  giveUpAfter: number;
}

/**
 * After `failures` failed attempts in a row (at least 1) at `now`: the next attempt,
 * or `failed` when that would lie beyond the give-up limit counted from `since`.
 */
export function afterFailure(
  s: Pick<DeliverySettings, 'firstRetry' | 'maxRetryInterval' | 'giveUpAfter'>,
  failures: number,
  since: Date,
  now: Date,
): { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' } {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const wait = Math.min(s.firstRetry * 2 ** exponent, s.maxRetryInterval);
  const next = new Date(now.getTime() + wait);
  if (next.getTime() > since.getTime() + s.giveUpAfter) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: next };
}
