/** A metric's name as two people may write it: case and spacing aside. No zod here: workflow code compares by it. */
export function metricKey(metric: string): string {
  return metric.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether `metric` is one of the `approved` outcome metrics, by that key. */
export const isApprovedMetric = (approved: readonly string[], metric: string): boolean => approved.some((m) => metricKey(m) === metricKey(metric));

/**
 * The refusal of a step whose `rows` price a metric the council did not approve (a bid's
 * outcome prices, a contract's rate card), for every way an Update comes in. None for a
 * case started before its summary carried the approved metrics: those are not checked.
 */
export function unapprovedMetricRefusal(
  approved: readonly string[] | undefined,
  rows: readonly { metric: string }[],
): { code: 'metricNotApproved'; metric: string; approved: string[] } | undefined {
  const stray = approved && rows.find((r) => !isApprovedMetric(approved, r.metric));
  return approved && stray ? { code: 'metricNotApproved', metric: stray.metric, approved: [...approved] } : undefined;
}
