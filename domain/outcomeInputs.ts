import { z } from 'zod';
import { optionalText, text } from './freeText';
import { dkk } from './proposal';

// Apart from the payout rules (payout.ts): workflow code uses those and must not load zod (test/unit/workflowSandbox.test.ts).

/** Units of an outcome in one period: people, months, places. Ten million is more than a city holds; beyond it is a typing slip. */
const units = z.int().min(0).max(10_000_000);

/**
 * Outcome data for one measurement point, per metric of the rate card. Named as the rate
 * card names them, which the workflow holds it to, not checked as new names are
 * (`metricName`): a contract signed before that check is reported on as it stands.
 */
export const outcomeReportInput = z.strictObject({
  results: z
    .array(z.strictObject({ metric: text(300), unitsAchieved: units, evidence: text(4000) }))
    .min(1)
    .max(20),
});

/** The verifier confirms the reported units, or corrects them with a note. */
export const outcomeVerificationInput = z.discriminatedUnion('confirmed', [
  z.strictObject({ confirmed: z.literal(true), note: optionalText(4000).optional() }),
  z.strictObject({
    confirmed: z.literal(false),
    corrected: z
      .array(z.strictObject({ metric: text(300), units }))
      .min(1)
      .max(20),
    note: text(4000),
  }),
]);

/** The department's realised savings in the period. */
export const savingsConfirmationInput = z.strictObject({ realisedSavings: dkk, note: optionalText(4000).optional() });

export const contractFinalReportInput = z.strictObject({ summary: text(10000), lessonsLearned: text(10000) });
