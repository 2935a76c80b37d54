import { z } from 'zod';
import { customIssue } from './issues';
import { eachMetricOnce } from './pricedMetrics';
import { link, metricName, optionalText, reasonText as reason, text, typedText } from './freeText';
import { cvrNumber } from './organisation';
import { procedures, serviceKinds } from './procurement';
import { dkk } from './proposal';

// Apart from the procurement rules (procurement.ts): workflow code uses those and must not load zod (test/unit/workflowSandbox.test.ts).

export const awardCriterionSchema = z.strictObject({
  name: text(200),
  weight: z.int().min(1).max(100), // percent
});

const documents = z
  .array(z.strictObject({ title: text(300), url: link }))
  .max(50)
  .default([]);

const tenderShape = z.strictObject({
  title: text(300),
  description: text(20000),
  documents,
  awardCriteria: z.array(awardCriterionSchema).min(1).max(12),
  estimatedValue: dkk,
  deadline: z.iso.datetime({ offset: true }),
});

function checkCriteria(t: { awardCriteria: { name: string; weight: number }[] }, ctx: z.RefinementCtx) {
  const sum = t.awardCriteria.reduce((s, c) => s + c.weight, 0);
  if (sum !== 100) ctx.addIssue(customIssue({ code: 'weightsSum', sum }, ['awardCriteria']));
  const names = t.awardCriteria.map((c) => c.name.toLowerCase());
  if (new Set(names).size !== names.length) ctx.addIssue(customIssue({ code: 'criterionOnce' }, ['awardCriteria']));
}

export const tenderInput = tenderShape.superRefine(checkCriteria);

const bidShape = z.strictObject({
  bidder: text(300),
  cvr: cvrNumber.optional(),
  price: dkk,
  outcomePrices: z
    .array(z.strictObject({ metric: metricName, pricePerUnit: dkk }))
    .max(20)
    .default([]),
  documents,
});

/** Scores 0–10 per criterion, per bid, from one evaluator. */
const scores = z
  .array(z.strictObject({ bidId: typedText().min(1).max(100), criterion: typedText().min(1).max(200), score: z.int().min(0).max(10) }))
  .min(1)
  .max(1200);

/** What the secretariat does during procurement, one Update each. */
export const procurementActionInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('decideProcedure'),
    serviceKind: z.enum(serviceKinds),
    estimatedValue: dkk,
    procedure: z.enum(procedures),
    rationale: optionalText(4000).optional(),
  }),
  tenderShape.extend({ action: z.literal('prepareTender') }).superRefine(checkCriteria),
  z.strictObject({ action: z.literal('publishTender') }),
  bidShape.extend({ action: z.literal('registerBid') }).superRefine((b, ctx) => eachMetricOnce(b.outcomePrices, 'outcomePrices', ctx)),
  z.strictObject({ action: z.literal('evaluate'), scores }),
  // The written recommendation (indstilling) the council decides on; the award follows its approval.
  z.strictObject({
    action: z.literal('recommendAward'),
    bidId: typedText().min(1).max(100),
    reasons: text(4000),
    rationale: optionalText(4000).optional(),
  }),
  z.strictObject({ action: z.literal('recommendDirectAward'), supplier: text(300), cvr: cvrNumber.optional(), price: dkk, reasons: text(4000), rationale: reason }),
  // When the complaints board received it, or the fund was told of it (lodged); recorded later, it still holds the award. Left out: now.
  z.strictObject({ action: z.literal('recordComplaint'), complainant: text(300), summary: reason, lodgedAt: z.iso.datetime({ offset: true }).optional() }),
  z.strictObject({ action: z.literal('resolveComplaint'), number: z.int().min(1), upheld: z.boolean(), note: reason }),
  z.strictObject({ action: z.literal('retender'), reason }),
  z.strictObject({ action: z.literal('cancelTender'), reason }),
]);
export type ProcurementAction = z.output<typeof procurementActionInput>;
