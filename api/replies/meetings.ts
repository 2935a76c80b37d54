import { z } from 'zod';
import { agendaItemKinds, itemDecisions } from '../../domain/meeting';
import { instant, page } from './common';

const meetingKind = z.enum(['council', 'dialogue']);
const signed = z.looseObject({ by: z.string(), at: instant });

/** A case on the agenda, with its decision paper's page (api/routes/meetings.ts, meetingView). */
const agendaItemReply = z.looseObject({
  id: z.string().describe('i1, i2, … in the order items were put on the agenda'),
  kind: z.enum(agendaItemKinds),
  caseId: z.string().describe("a proposal's id, or the annual report's year"),
  round: z
    .int()
    .min(1)
    .optional()
    .describe("which of the case's decisions the item is for: a proposal's council round, a recommendation's number, the report's version; none on items from before it was kept"),
  title: z.string(),
  addedBy: z.string(),
  addedAt: instant,
  paper: z.string().describe("the decision paper's page"),
});

const recordedItemReply = z.looseObject({ itemId: z.string(), decision: z.enum(itemDecisions), conflicts: z.array(z.string()), note: z.string().optional() });

/** The minutes (referat), as codes and ids: generated from the record (domain/minutes.ts). */
export const minutesReply = z.looseObject({
  meetingId: z.string(),
  kind: meetingKind,
  startsAt: instant,
  place: z.string().optional(),
  videoLink: z.string().optional(),
  present: z.array(z.string()),
  absent: z.array(z.string()),
  items: z.array(
    z.looseObject({
      number: z.int().min(1),
      kind: z.enum(agendaItemKinds),
      caseId: z.string(),
      round: z.int().min(1).optional(),
      title: z.string(),
      paperPath: z.string(),
      decision: z.enum(itemDecisions),
      conflicts: z.array(z.string()),
      note: z.string().optional(),
    }),
  ),
  recorded: signed,
  approval: signed.extend({ comment: z.string().optional() }).optional(),
});

export const meetingReply = z.looseObject({
  id: z.string(),
  kind: meetingKind,
  startsAt: instant,
  place: z.string().optional(),
  videoLink: z.string().optional(),
  status: z.enum(['planned', 'agendaSent', 'recorded', 'minutesReturned', 'minutesApproved', 'cancelled']),
  plannedBy: z.string(),
  agenda: z.array(agendaItemReply),
  agendaSentAt: instant.optional(),
  record: signed.extend({ present: z.array(z.string()), absent: z.array(z.string()), items: z.array(recordedItemReply) }).optional(),
  minutesApproval: signed.extend({ comment: z.string().optional() }).optional(),
  minutesReturns: z
    .array(signed.extend({ comment: z.string(), correctBy: instant.optional().describe('by when the secretariat is to record the meeting again') }))
    .optional()
    .describe('each time the chair returned the minutes to be corrected, with what to correct'),
  cancellation: signed.extend({ reason: z.string() }).optional(),
  minutes: minutesReply.nullable().describe('once the meeting is recorded'),
});

export const calendarReply = page(meetingReply);
