import type { z } from 'zod';
import { customIssue } from './issues';
import { isApprovedMetric, metricKey } from './metrics';

import type { Stage } from './stages';

/**
 * The stage a part's steps run in: only there are a step's prices judged against the
 * approved outcomes. Sent in another, the step is the workflow's to refuse for its stage.
 */
export const stepStages = { procurement: 'Procurement', contracting: 'Contracting' } as const satisfies Record<string, Stage>;

type Priced = readonly { metric: string }[];
/** Any procurement or contracting step: only a bid and a contract price outcome metrics. */
type Step = { action: string; rateCard?: Priced; outcomePrices?: Priced };

/** The rows of a step that put a price on an outcome metric, and the field listing them: a bid's outcome prices, a contract's rate card. */
function pricedRows(step: Step): { field: string; rows: Priced } | undefined {
  if (step.action === 'proposeContract' && step.rateCard) return { field: 'rateCard', rows: step.rateCard };
  if (step.action === 'registerBid' && step.outcomePrices) return { field: 'outcomePrices', rows: step.outcomePrices };
  return undefined;
}

/** Units are reported, verified and paid by the metric's name: one priced twice would be paid twice for the same units. */
export function eachMetricOnce(rows: Priced, field: string, ctx: z.RefinementCtx) {
  const names = rows.map((r) => metricKey(r.metric));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) ctx.addIssue(customIssue({ code: 'metricOnce' }, [field, i, 'metric']));
  });
}

/**
 * The fund pays for the effects the council approved (seed: "kun betales for opgaven,
 * hvis en aftalt effekt er opnået"): each metric a bid prices or a contract's rate card
 * pays is one of the proposal's outcome metrics, by name (case and spacing aside). A rule
 * against the case, not the body alone, so the API's route and the page check it where
 * the proposal is read.
 */
export function unapprovedMetricIssues(step: Step, outcomes: readonly { metric: string }[]) {
  const priced = pricedRows(step);
  if (!priced) return [];
  const approved = outcomes.map((o) => o.metric);
  return priced.rows.flatMap((r, i) => (isApprovedMetric(approved, r.metric) ? [] : [customIssue({ code: 'metricNotApproved', approved }, [priced.field, i, 'metric'], r.metric)]));
}
