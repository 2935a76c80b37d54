import { z } from 'zod';
import type { PortfolioRow } from '../domain/portfolio';
import type { CaseResults } from '../domain/results';
import { stages, welfareAreas } from '../domain/stages';
import { oreFieldsAsDkk } from './views';

// The results as the API shows them (money as DKK strings), described by these
// schemas: the OpenAPI document's response schemas are generated from them, and the
// tests hold the responses to them.

const dkk = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe('DKK, two decimals');
const date = z.iso.date();
const at = z.string().describe('ISO date-time');

const measurementStatus = z.enum(['upcoming', 'awaitingReport', 'awaitingVerification', 'awaitingSavings', 'settled']);

const measurement = z.strictObject({
  months: z.int().describe('months after the contract start'),
  dueAt: at,
  status: measurementStatus,
  reported: z.strictObject({ by: z.string(), at, results: z.array(z.strictObject({ metric: z.string(), units: z.int(), evidence: z.string() })) }).optional(),
  verified: z
    .strictObject({
      by: z.string(),
      at,
      confirmed: z.boolean(),
      note: z.string().optional(),
      corrections: z.array(z.strictObject({ metric: z.string(), reportedUnits: z.int(), units: z.int() })),
    })
    .optional()
    .describe("the department's verification; a correction names each changed metric, what was reported and what counts"),
  metrics: z
    .array(z.strictObject({ metric: z.string(), units: z.int(), cumulativeUnits: z.int(), earned: dkk, paid: dkk, capped: z.boolean() }))
    .optional()
    .describe('per rate-card metric once verified: units in the period, units so far, what the rate card earned and what was paid within the caps'),
  payment: dkk.optional(),
  paidOn: date.optional(),
  savings: z.strictObject({ by: z.string(), at, realised: dkk, returned: dkk, returnedOn: date.optional(), note: z.string().optional() }).optional(),
});

export const contractResultsSchema = z.strictObject({
  kind: z.literal('contract'),
  provider: z.string().nullable(),
  payee: z.enum(['investor', 'provider']),
  startDate: date,
  cap: dkk,
  paid: dkk,
  capLeft: dkk.describe('the cap less what was paid'),
  reserved: dkk.describe('what the fund still holds for the contract'),
  released: dkk,
  realisedSavings: dkk,
  returned: dkk.describe("the fund's share of the realised savings, as booked"),
  metrics: z.array(z.strictObject({ metric: z.string(), unit: z.string(), targetUnits: z.int(), pricePerUnit: dkk, maxPayment: dkk, achievedUnits: z.int(), paid: dkk })),
  measurements: z.array(measurement),
  next: z.strictObject({ months: z.int(), dueAt: at, status: measurementStatus }).nullable(),
  finalReport: z.strictObject({ by: z.string(), at, summary: z.string(), lessonsLearned: z.string() }).nullable(),
  release: z.strictObject({ on: date, by: z.string(), amount: dkk }).nullable(),
});

const trancheStatus = z.enum(['scheduled', 'due', 'paid', 'withheld', 'released']);

export const grantResultsSchema = z.strictObject({
  kind: z.literal('grant'),
  grantee: z.string(),
  amount: dkk,
  conditions: z.string(),
  agreedBy: z.string(),
  agreedAt: at,
  paid: dkk,
  withheld: dkk,
  reserved: dkk.describe('what the fund still holds for the grant'),
  tranches: z.array(
    z.strictObject({
      number: z.int(),
      dueDate: date,
      amount: dkk,
      condition: z.string(),
      status: trancheStatus,
      decidedBy: z.string().optional(),
      decidedAt: at.optional(),
      reason: z.string().optional(),
      note: z.string().optional(),
      paidOn: date.optional(),
    }),
  ),
  next: z.strictObject({ number: z.int(), dueDate: date, status: trancheStatus }).nullable(),
  finalReport: z.strictObject({ by: z.string(), at, summary: z.string(), resultsAchieved: z.string(), documents: z.array(z.string()) }).nullable(),
});

export const caseResultsSchema = z
  .discriminatedUnion('kind', [contractResultsSchema, grantResultsSchema])
  .describe("A signed contract's or an agreed grant's results, from the case's records and the fund's ledger");

export const portfolioRowSchema = z.strictObject({
  proposalId: z.string(),
  title: z.string(),
  stage: z.enum(stages),
  welfareArea: z.enum(welfareAreas),
  department: z.string(),
  kind: z.enum(['contract', 'grant']),
  counterpart: z.string().nullable().describe('the provider under contract, or the grantee'),
  effect: z.array(z.strictObject({ metric: z.string(), unit: z.string(), achievedUnits: z.int(), targetUnits: z.int() })).describe("a contract's verified units so far per metric"),
  tranches: z.strictObject({ paid: z.int(), withheld: z.int(), total: z.int() }).nullable(),
  committed: dkk.describe("a contract's cap, or the amount granted"),
  paid: dkk,
  returned: dkk,
  next: z.strictObject({ date, months: z.int().nullable(), tranche: z.int().nullable() }).nullable().describe('the next measurement point or tranche'),
});

export const portfolioSchema = z.strictObject({ generatedAt: at, items: z.array(portfolioRowSchema) });

export const resultsView = (r: CaseResults) => oreFieldsAsDkk(r) as z.output<typeof caseResultsSchema>;
export const portfolioRowView = (r: PortfolioRow) => oreFieldsAsDkk(r) as z.output<typeof portfolioRowSchema>;
