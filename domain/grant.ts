import { z } from 'zod';
import { customIssue } from './issues';
import { dkk } from './proposal';
import { link, optionalText, text } from './freeText';

/**
 * The grant agreement (tilsagn) of the direct-financing track: an amount paid in
 * tranches on their dates, each once the secretariat confirms its condition.
 */
export const grantAgreementInput = z
  .strictObject({
    grantee: text(300),
    amount: dkk,
    tranches: z
      .array(z.strictObject({ dueDate: z.iso.date(), amount: dkk, condition: text(2000) }))
      .min(1)
      .max(24),
    conditions: text(10000),
  })
  .superRefine((g, ctx) => {
    const sum = g.tranches.reduce((s, t) => s + t.amount, 0);
    if (sum !== g.amount) ctx.addIssue(customIssue({ code: 'tranchesSum' }, ['tranches']));
    if (g.amount <= 0) ctx.addIssue(customIssue({ code: 'moreThanZero' }, ['amount']));
    g.tranches.forEach((t, i) => {
      // A tranche of nothing is no payment: the ledger books none, and the grant would wait on it for ever.
      if (t.amount <= 0) ctx.addIssue(customIssue({ code: 'moreThanZero' }, ['tranches', i, 'amount']));
      if (i > 0 && t.dueDate < g.tranches[i - 1].dueDate) {
        ctx.addIssue(customIssue({ code: 'tranchesOrder' }, ['tranches', i, 'dueDate']));
      }
    });
  });
export type GrantAgreement = z.output<typeof grantAgreementInput>;

export const trancheConfirmationInput = z.discriminatedUnion('confirmed', [
  z.strictObject({ confirmed: z.literal(true), note: optionalText(4000).optional() }),
  // The condition was not met: the tranche is withheld and its money released.
  z.strictObject({ confirmed: z.literal(false), reason: text(4000) }),
]);

export const grantFinalReportInput = z.strictObject({
  summary: text(10000),
  resultsAchieved: text(10000),
  documents: z.array(link).max(20).default([]),
});

export type TrancheStatus = 'scheduled' | 'due' | 'paid' | 'withheld' | 'released';

/** The grant as the workflow tracks it; `…Ore` fields are whole øre. */
export interface GrantState {
  grantee: string;
  amountOre: number;
  conditions: string;
  agreedBy: string;
  agreedAt: string;
  reservedOre: number;
  tranches: { dueDate: string; amountOre: number; condition: string; status: TrancheStatus; decidedBy?: string; decidedAt?: string; reason?: string }[];
  finalReport?: { by: string; at: string; summary: string; resultsAchieved: string; documents: string[] };
}
