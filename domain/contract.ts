import { z } from 'zod';
import { customIssue } from './issues';
import { eachMetricOnce } from './pricedMetrics';
import { dkk } from './proposal';
import { metricName, optionalText, reasonText, text, typedText } from './freeText';
import { cvrNumber } from './organisation';
import type { CouncilSelection } from './councilSelection';

/** What the secretariat does after the award: investor offers, the choice, the outcome contract. */
export const contractingActionInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('registerInvestorOffer'),
    investor: text(300),
    cvr: cvrNumber.optional(),
    amountCommitted: dkk,
    // An expected return in basis points (700 = 7 %), or a cap on what is repaid, or both.
    expectedReturnBasisPoints: z.int().min(0).max(10000).optional(),
    repaymentCap: dkk.optional(),
    conditions: text(10000),
  }),
  // The secretariat compares the offers and recommends one; the council decides.
  z.strictObject({ action: z.literal('recommendInvestor'), offerId: typedText().min(1).max(100), comparison: text(10000), rationale: text(4000) }),
  z
    .strictObject({
      action: z.literal('proposeContract'),
      startDate: z.iso.date(),
      measurementMonths: z.array(z.int().min(1).max(240)).min(1).max(40),
      rateCard: z
        .array(z.strictObject({ metric: metricName, unit: text(100), pricePerUnit: dkk, targetUnits: z.int().positive(), maxPayment: dkk }))
        .min(1)
        .max(20),
      totalCap: dkk,
      payee: z.enum(['investor', 'provider']),
    })
    .superRefine((c, ctx) => {
      const sorted = [...new Set(c.measurementMonths)].sort((a, b) => a - b);
      if (sorted.join() !== c.measurementMonths.join()) {
        ctx.addIssue(customIssue({ code: 'monthsRising' }, ['measurementMonths']));
      }
      if (c.totalCap <= 0) ctx.addIssue(customIssue({ code: 'moreThanZero' }, ['totalCap']));
      eachMetricOnce(c.rateCard, 'rateCard', ctx);
    }),
]);
export type ContractingAction = z.output<typeof contractingActionInput>;

/** A party signs the contract, or declines it saying why: it goes back to the secretariat, who may propose another. */
export const contractSigningInput = z.discriminatedUnion('signed', [
  z.strictObject({ signed: z.literal(true), note: optionalText(4000).optional() }),
  z.strictObject({ signed: z.literal(false), reason: reasonText }),
]);

export interface InvestorRecommendation {
  number: number;
  offerId: string;
  /** How the offers compare. */
  comparison: string;
  /** Why this one. */
  rationale: string;
  by: string;
  at: string;
  /** The meeting whose agenda first put it before the council (in meeting voting its tasks open then). */
  meetingId?: string;
  council?: CouncilSelection;
}

/** The investor, the contract and its signatures as the workflow tracks them; `…Ore` fields are whole øre. */
export interface ContractingState {
  offers: {
    id: string;
    investor: string;
    /** Its CVR number, when the secretariat gave it. */
    cvr?: string;
    amountCommittedOre: number;
    expectedReturnBasisPoints?: number;
    repaymentCapOre?: number;
    conditions: string;
    by: string;
    at: string;
  }[];
  /** The secretariat's recommendations of an offer and the council's decision on each; the last may await it. */
  recommendations: InvestorRecommendation[];
  /** Contracts the fund refused to reserve the cap of; at `reservationRefusalsPerCase` no more are taken. */
  refusedByFund?: number;
  /** Each decline by a signer, of which attempt at signing, and why; at `contractDeclinesPerCase` contracts declined no more are taken. */
  declines?: { attempt: number; by: string; at: string; reason: string }[];
  /** This case's workflow takes a decline (one that began signing before it could, takes only signatures). */
  declinable?: true;
  contract?: {
    provider: string;
    investor: string;
    startDate: string;
    measurementMonths: number[];
    rateCard: { metric: string; unit: string; pricePerUnitOre: number; targetUnits: number; maxPaymentOre: number }[];
    totalCapOre: number;
    payee: 'investor' | 'provider';
    proposedBy: string;
    signatures: { by: string; at: string }[];
    signedAt?: string;
    reservedOre?: number;
  };
}
