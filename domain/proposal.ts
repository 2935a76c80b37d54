import { z } from 'zod';
import { fundingTracks, welfareAreas } from './stages';
import { customIssue } from './issues';
import { link, metricName, text } from './freeText';
import { formatDkk, parseDkk } from './money';

/**
 * Below a hundred billion DKK, far beyond any case: a hundred such amounts (the longest
 * list an input holds) still add up to whole øre a JavaScript number holds exactly, and
 * so do 900 of them across cases. Larger amounts let a case's savings add up past
 * that, and its decision paper could then never be written.
 */
const maxAmountOre = 9_999_999_999_999;

/**
 * DKK as the API speaks it ("1234567.89", at most two decimals), whole øre inside.
 * Decoding a string rejects anything that is not an exact amount. A JSON number is
 * taken as JSON parsing left it: every amount with two decimals comes through exactly,
 * but a literal with more digits than a double holds is rounded before the API sees it.
 */
export const dkk = z.codec(
  z.union([
    // What parseDkk takes, less what is negative, said so a client's validator can check it too.
    z
      .string()
      .max(30)
      .meta({ pattern: '^\\s*(?:0{0,3}\\d{1,11}(?:\\.\\d{1,2})?|-0{1,14}(?:\\.0{1,2})?)\\s*$', examples: ['23000000.00', '1200000'] }),
    z.number().meta({ minimum: 0, maximum: 99999999999.99, multipleOf: 0.01 }),
  ]),
  z.int().nonnegative(),
  {
    decode: (value, ctx) => {
      const ore = parseDkk(value);
      if (ore === undefined || ore < 0 || ore > maxAmountOre) {
        ctx.issues.push(customIssue({ code: 'dkkAmount' }, [], value));
        return z.NEVER;
      }
      return ore;
    },
    encode: (ore) => formatDkk(ore),
  },
);

export const targetGroupSchema = z.strictObject({
  description: text(4000),
  estimatedSize: z.int().positive(), // citizens
  inclusionCriteria: z.array(text(1000)).min(1).max(30),
});

/**
 * A baseline or target as a person writes it: at most four decimals, within a trillion either
 * way, so the proposal's form shows it as the plain number it takes back (1e21 and 1e-7 it could not).
 */
const outcomeValue = z.number().min(-1e12).max(1e12).multipleOf(0.0001);

export const outcomeSchema = z.strictObject({
  metric: metricName,
  unit: text(100),
  baseline: outcomeValue,
  target: outcomeValue,
  howMeasured: text(2000),
  measuredAtMonths: z.array(z.int().positive().max(240)).min(1).max(40), // months after start
});

export const evidenceSchema = z.strictObject({
  kind: z.enum(['research', 'benchmark', 'evaluation']),
  citation: text(1000),
  url: link.optional(),
});

export const motivationSchema = z.strictObject({
  rationale: text(10000),
  evidence: z.array(evidenceSchema).max(50),
});

export const savingsSchema = z.strictObject({
  department: text(100),
  year: z.int().min(1).max(30), // year of the initiative, 1 = the first
  amount: dkk,
});

export const businessCaseSchema = z.strictObject({
  totalCost: dkk,
  requestedFromFund: dkk,
  /** Required on the outcome-based track; direct financing's effects need not fall on the municipality. */
  expectedSavings: z.array(savingsSchema).max(100).default([]),
  /** Direct financing: why the initiative would not happen within an existing budget. */
  whyNotInExistingBudget: text(4000).optional(),
});

/**
 * A proposal as the secretariat drafts it. The identifying part is required from
 * the first draft; the rest may be filled in over time and is checked as a whole
 * at submission (see completeness.ts).
 */
export const proposalSchema = z.strictObject({
  title: text(200),
  summary: text(4000),
  welfareArea: z.enum(welfareAreas),
  fundingTrack: z.enum(fundingTracks),
  responsibleDepartment: text(100),
  targetGroup: targetGroupSchema.optional(),
  outcomes: z.array(outcomeSchema).max(20).default([]),
  motivation: motivationSchema.optional(),
  businessCase: businessCaseSchema.optional(),
});

/** The proposal with money in whole øre, as workflows, activities and the database hold it. */
export type Proposal = z.output<typeof proposalSchema>;
/** The proposal as the API takes and shows it, with money in DKK. */
export type ProposalInput = z.input<typeof proposalSchema>;

export function requestedOre(proposal: Proposal): number {
  return proposal.businessCase?.requestedFromFund ?? 0;
}

/** What the workflow decides on and operators search by; the rest of a proposal stays in the database. */
export function proposalSummary(proposal: Proposal) {
  return {
    title: proposal.title,
    welfareArea: proposal.welfareArea,
    fundingTrack: proposal.fundingTrack,
    responsibleDepartment: proposal.responsibleDepartment,
    requestedOre: requestedOre(proposal),
    outcomeMetrics: proposal.outcomes.map((o) => o.metric),
  };
}
