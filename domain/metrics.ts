/** A metric's name as two people may write it: case and spacing aside. No zod here: workflow code compares by it. */
export function metricKey(metric: string): string {
  return metric.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether `metric` is one of the `approved` outcome metrics, by that key. */
export const isApprovedMetric = (approved: readonly string[], metric: string): boolean => approved.some((m) => metricKey(m) === metricKey(metric));
