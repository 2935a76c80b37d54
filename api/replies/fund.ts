import { z } from 'zod';
import { entryKinds } from '../../domain/ledger';
import { calendarDate, dkkText, page } from './common';

const byProposal = z.record(z.string(), dkkText).describe('DKK per proposal id');

export const fundReply = z.looseObject({
  capital: dkkText,
  reserved: dkkText,
  paid: dkkText,
  granted: dkkText,
  returned: dkkText,
  earmarked: dkkText,
  free: dkkText,
  reservedByProposal: byProposal,
  earmarkedByProposal: byProposal,
});

const outlookYear = z.looseObject({
  year: z.int(),
  outcomePayments: dkkText,
  grants: dkkText,
  savingsReturned: dkkText,
  freeAtYearEnd: dkkText.describe('capital, plus returns, less payments and grants, to the end of the year'),
});
const projection = z.looseObject({ years: z.array(outlookYear), runsDryIn: z.int().nullable().describe('the first year the free balance is below zero') });

export const outlookReply = z.looseObject({
  without: projection,
  with: projection
    .extend({ proposalId: z.string() })
    .optional()
    .describe('?with=<proposal>: the outlook if it were granted too; absent for a case the outlook counts already, or one that has ended'),
});

export const ledgerReply = page(
  z.looseObject({
    seq: z.int().min(1),
    key: z.string(),
    kind: z.enum(entryKinds),
    amount: dkkText,
    proposalId: z.string().nullable(),
    fromReservation: z.boolean().optional(),
    counterpart: z.string().nullable(),
    date: calendarDate,
    reason: z.string(),
    by: z.string(),
    freeAfter: dkkText,
  }),
);
