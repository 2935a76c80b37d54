import { z } from 'zod';
import { customIssue, issue } from './issues';
import { link, optionalText, reasonText, filledText } from './freeText';
import { agendaItemKinds, itemDecisions, maxAgendaItems, maxMinutesReturns, type AgendaItemKind } from './meeting';

// Apart from domain/meeting.ts: workflow code reads the rules and must not load zod.

const userId = z
  .string()
  .regex(/^[a-z0-9._-]+$/)
  .max(100);

/**
 * The secretariat plans a meeting: when, and where or by which video link (one of the
 * two at least). It lies ahead of the moment it is planned (the clock read then, not
 * when the schema was made); more than two years ahead is a typing error.
 */
export const planMeetingInput = z
  .strictObject({
    kind: z.enum(['council', 'dialogue']).default('council'),
    startsAt: z.iso.datetime({ offset: true }),
    place: optionalText(200).optional(),
    videoLink: link.optional(),
  })
  .superRefine((m, ctx) => {
    const at = Date.parse(m.startsAt);
    const now = Date.now();
    if (at < now || at > now + 2 * 366 * 86_400_000) ctx.addIssue(customIssue({ code: 'meetingAhead' }, ['startsAt'], m.startsAt));
    if (!m.place && !m.videoLink) ctx.addIssue(customIssue({ code: 'placeOrVideo' }, ['place'], m.place));
  })
  .transform((m) => ({ ...m, startsAt: new Date(m.startsAt).toISOString() }));
export type PlanMeeting = z.output<typeof planMeetingInput>;

/**
 * A case to put on the agenda: a proposal's id, or the year of the annual report. The year
 * is written one way only: 02025 would be the same report under another id, on a second agenda.
 */
export const agendaItemInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('annualReport'),
    caseId: z
      .string()
      .trim()
      .regex(/^\d{4}$/, issue('reportYear')),
  }),
  z.strictObject({
    kind: z.enum(agendaItemKinds.filter((k) => k !== 'annualReport') as [Exclude<AgendaItemKind, 'annualReport'>, ...Exclude<AgendaItemKind, 'annualReport'>[]]),
    caseId: filledText().trim().min(1).max(100),
  }),
]);

/** What the secretariat records at or after the meeting: who attended, and each item's decision. */
export const meetingRecordInput = z.strictObject({
  present: z.array(userId).max(20),
  items: z
    .array(
      z.strictObject({
        itemId: z.string().regex(/^i\d{1,3}$/),
        decision: z.enum(itemDecisions),
        conflicts: z.array(userId).max(10).default([]),
        note: optionalText(4000).optional(),
      }),
    )
    .max(maxAgendaItems),
  /** How often the chair had returned the minutes when this record was drawn (0: the first record); a record drawn before her latest return is refused. Absent: not checked. */
  returnsSeen: z.int().min(0).max(maxMinutesReturns).optional(),
});
export type MeetingRecordInput = z.output<typeof meetingRecordInput>;

export const cancelMeetingInput = z.strictObject({ reason: reasonText });
