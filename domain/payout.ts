import { basisPointsOf, type Ore } from './money';
import type { CooperationAgreement } from './cooperationAgreement';

export interface RateLine {
  metric: string;
  pricePerUnitOre: Ore;
  maxPaymentOre: Ore;
}

/**
 * What a measurement point earns: units × price per metric, each capped by what is
 * left of its maximum, the whole by what is left of the contract's cap and of the
 * reservation. When a total cap binds, the rate card's order decides who is cut.
 */
export function outcomePayment(
  rateCard: RateLine[],
  units: Record<string, number>,
  paid: { perMetricOre: Record<string, Ore>; totalOre: Ore },
  totalCapOre: Ore,
  remainingReservedOre: Ore,
) {
  let room = Math.max(0, Math.min(totalCapOre - paid.totalOre, remainingReservedOre));
  const lines = rateCard.map((r) => {
    const atPrice = (units[r.metric] ?? 0) * r.pricePerUnitOre;
    // What the units earn at the price, shown beside what is paid. Units and prices are bounded, but not their product:
    // beyond the largest whole number of øre a number holds exactly, it is shown as that.
    const earned = Math.min(atPrice, Number.MAX_SAFE_INTEGER);
    const metricRoom = Math.max(0, r.maxPaymentOre - (paid.perMetricOre[r.metric] ?? 0));
    const amountOre = Math.min(earned, metricRoom, room);
    room -= amountOre;
    return { metric: r.metric, units: units[r.metric] ?? 0, earnedOre: earned, amountOre, capped: amountOre < atPrice };
  });
  return { lines, totalOre: lines.reduce((s, l) => s + l.amountOre, 0) };
}

/**
 * The fund's share of savings realised in a period of contract year `year`, as the
 * cooperation agreement says: a percentage, or the year's agreed amount (less what
 * earlier periods of that year returned), never more than was realised.
 */
export function savingsShare(agreement: CooperationAgreement['savingsShare'], year: number, realisedOre: Ore, returnedThisYearOre: Ore = 0): Ore {
  if (agreement.kind === 'percentage') return basisPointsOf(realisedOre, agreement.basisPoints);
  const agreed = agreement.perYear.filter((y) => y.year === year).reduce((s, y) => s + y.amount, 0);
  return Math.max(0, Math.min(agreed - returnedThisYearOre, realisedOre));
}

/**
 * The fund's share of savings realised since the last measurement point, at a point in
 * contract year `year`: a percentage, or every agreed amount of the years up to this one
 * less all the contract has returned so far, never more than was realised. Points need
 * not fall in every year (months 18 and 36): a year between two points is owed at the next.
 */
export function savingsShareThrough(agreement: CooperationAgreement['savingsShare'], year: number, realisedOre: Ore, returnedSoFarOre: Ore): Ore {
  if (agreement.kind === 'percentage') return savingsShare(agreement, year, realisedOre);
  const agreed = agreement.perYear.filter((y) => y.year <= year).reduce((s, y) => s + y.amount, 0);
  return Math.max(0, Math.min(agreed - returnedSoFarOre, realisedOre));
}

/** A measurement point as the workflow tracks it; `…Ore` fields are whole øre. */
export interface MeasurementState {
  months: number;
  dueAt: string;
  units?: Record<string, number>;
  corrected?: boolean;
  paymentOre?: number;
  realisedSavingsOre?: number;
  returnedOre?: number;
}

export interface ImplementationState {
  measurements: MeasurementState[];
  paidOre: number;
  paidPerMetricOre: Record<string, number>;
  reservedOre: number;
  returnedOre: number;
  returnedPerYearOre: Record<string, number>;
  finalReport?: { by: string; at: string; summary: string; lessonsLearned: string };
  releasedOre?: number;
}
