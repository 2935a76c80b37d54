import { z } from 'zod';
import { text } from './freeText';
import { dkk } from './proposal';

/** The cooperation agreement (samarbejdsaftale): the share of realised savings that returns to the fund, and on what conditions. */
/** Basis points keep a percentage whole: 2500 = 25 %. */
export const cooperationAgreementInput = z.strictObject({
  savingsShare: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('percentage'), basisPoints: z.int().min(1).max(10000) }),
    z.strictObject({
      kind: z.literal('amounts'),
      perYear: z
        .array(z.strictObject({ year: z.int().min(1).max(30), amount: dkk }))
        .min(1)
        .max(30),
    }),
  ]),
  conditions: text(10000, 'conditionsRequired'),
});
export type CooperationAgreement = z.output<typeof cooperationAgreementInput>;
