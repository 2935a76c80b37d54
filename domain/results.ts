import type { ContractingAction } from './contract';
import { addMonths, copenhagenDay } from './dates';
import type { GrantAgreement } from './grant';
import type { EntryKind } from './ledger';
import type { Ore } from './money';
import { outcomePayment, type RateLine } from './payout';
import { steps } from './steps';
import type { TaskInput } from './tasks';

// What a contract or a grant has achieved, read back from what the case left on
// record: the tasks people answered and the fund's ledger. Nothing here asks the
// workflow, so a case page, the portfolio and its export read the same figures
// whether or not a worker is up. `…Ore` fields are whole øre.

/** The contract as proposed and signed: the terms of its `proposeContract` step (money in øre). */
export type ContractTerms = Omit<Extract<ContractingAction, { action: 'proposeContract' }>, 'action'>;

/** A task of the case as the read model holds it, under its step (domain/steps.ts). */
export interface StepTask {
  step: string;
  status: string;
  completedBy?: string;
  completedAt?: string;
  input?: unknown;
}

/** A ledger entry of the case, under its step. */
export interface StepEntry {
  step: string;
  kind: EntryKind;
  amountOre: Ore;
  /** The booking date, YYYY-MM-DD. */
  date: string;
  by: string;
  counterpart?: string;
  /** A payment drawn from the case's reservation (domain/ledger.ts). */
  fromReservation?: boolean;
}

export type MeasurementStatus = 'upcoming' | 'awaitingReport' | 'awaitingVerification' | 'awaitingSavings' | 'settled';

export interface MeasurementResult {
  months: number;
  dueAt: string;
  status: MeasurementStatus;
  reported?: { by: string; at: string; results: { metric: string; units: number; evidence: string }[] };
  /** The department's verification; a correction names each changed metric with what was reported. */
  verified?: { by: string; at: string; confirmed: boolean; note?: string; corrections: { metric: string; reportedUnits: number; units: number }[] };
  /** Per rate-card metric, once verified: the units of the period, all units so far, what the rate card earned and what was paid. */
  metrics?: { metric: string; units: number; cumulativeUnits: number; earnedOre: Ore; paidOre: Ore; capped: boolean }[];
  paymentOre?: Ore;
  /** The day the payment was booked; absent for a point that earned nothing. */
  paidOn?: string;
  savings?: { by: string; at: string; realisedOre: Ore; returnedOre: Ore; returnedOn?: string; note?: string };
}

export interface MetricResult {
  metric: string;
  unit: string;
  targetUnits: number;
  pricePerUnitOre: Ore;
  maxPaymentOre: Ore;
  achievedUnits: number;
  paidOre: Ore;
}

export interface ContractResults {
  kind: 'contract';
  provider: string | null;
  payee: 'investor' | 'provider';
  startDate: string;
  capOre: Ore;
  paidOre: Ore;
  /** The cap less what was paid: what verified effect could still earn. */
  capLeftOre: Ore;
  /** What the fund still holds for the contract. */
  reservedOre: Ore;
  releasedOre: Ore;
  realisedSavingsOre: Ore;
  returnedOre: Ore;
  metrics: MetricResult[];
  measurements: MeasurementResult[];
  next: { months: number; dueAt: string; status: MeasurementStatus } | null;
  finalReport: { by: string; at: string; summary: string; lessonsLearned: string } | null;
  release: { on: string; by: string; amountOre: Ore } | null;
}

export type TrancheResultStatus = 'scheduled' | 'due' | 'paid' | 'withheld' | 'released';

export interface TrancheResult {
  number: number;
  dueDate: string;
  amountOre: Ore;
  condition: string;
  status: TrancheResultStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** Why it was withheld, or the secretariat's note on paying it. */
  reason?: string;
  note?: string;
  paidOn?: string;
}

export interface GrantResults {
  kind: 'grant';
  grantee: string;
  amountOre: Ore;
  conditions: string;
  agreedBy: string;
  agreedAt: string;
  paidOre: Ore;
  withheldOre: Ore;
  /** What the fund still holds for the grant. */
  reservedOre: Ore;
  tranches: TrancheResult[];
  next: { number: number; dueDate: string; status: TrancheResultStatus } | null;
  finalReport: { by: string; at: string; summary: string; resultsAchieved: string; documents: string[] } | null;
}

export type CaseResults = ContractResults | GrantResults;

const completed = (t: StepTask | undefined): (StepTask & { completedBy: string; completedAt: string }) | undefined =>
  t?.status === 'completed' && t.completedBy && t.completedAt ? (t as StepTask & { completedBy: string; completedAt: string }) : undefined;
const sum = (entries: StepEntry[], kind: EntryKind) => entries.filter((e) => e.kind === kind).reduce((s, e) => s + e.amountOre, 0);

/**
 * A signed contract's course: each measurement point as reported and verified, what
 * each metric earned under the rate card (the payout rule replayed over the verified
 * units, as the workflow applied it), and the money as the ledger booked it.
 * Undefined until the contract is signed and its cap reserved.
 */
export function contractResults(terms: ContractTerms, tasks: StepTask[], entries: StepEntry[], now: Date): ContractResults | undefined {
  // The signed contract's: one the fund could not hold was proposed and signed again.
  const reservation = entries.filter((e) => e.kind === 'reservation').at(-1);
  if (!reservation) return undefined;
  const task = new Map(tasks.map((t) => [t.step, t]));
  const entry = new Map(entries.map((e) => [e.step, e]));
  const rateCard: RateLine[] = terms.rateCard.map((r) => ({ metric: r.metric, pricePerUnitOre: r.pricePerUnit, maxPaymentOre: r.maxPayment }));
  const paid = { perMetricOre: {} as Record<string, Ore>, totalOre: 0 };
  const cumulative: Record<string, number> = {};

  const measurements = terms.measurementMonths.map((months): MeasurementResult => {
    const dueAt = addMonths(terms.startDate, months);
    const report = completed(task.get(steps.outcomeReport(months)));
    const verification = completed(task.get(steps.outcomeVerification(months)));
    const savings = completed(task.get(steps.savingsConfirmation(months)));
    const point: MeasurementResult = { months, dueAt, status: 'upcoming' };
    if (task.has(steps.outcomeReport(months)) || Date.parse(dueAt) <= now.getTime()) point.status = 'awaitingReport';
    if (report) {
      const { results } = report.input as TaskInput<'outcomeReport'>;
      point.reported = { by: report.completedBy, at: report.completedAt, results: results.map((r) => ({ metric: r.metric, units: r.unitsAchieved, evidence: r.evidence })) };
      point.status = 'awaitingVerification';
    }
    if (report && verification) {
      const units = Object.fromEntries(point.reported!.results.map((r) => [r.metric, r.units]));
      const v = verification.input as TaskInput<'outcomeVerification'>;
      const corrections = v.confirmed ? [] : v.corrected.map((c) => ({ metric: c.metric, reportedUnits: units[c.metric] ?? 0, units: c.units }));
      for (const c of corrections) units[c.metric] = c.units;
      point.verified = { by: verification.completedBy, at: verification.completedAt, confirmed: v.confirmed, ...(v.note ? { note: v.note } : {}), corrections };
      const earned = outcomePayment(rateCard, units, paid, terms.totalCap, terms.totalCap - paid.totalOre);
      point.metrics = earned.lines.map((l) => {
        cumulative[l.metric] = (cumulative[l.metric] ?? 0) + l.units;
        paid.perMetricOre[l.metric] = (paid.perMetricOre[l.metric] ?? 0) + l.amountOre;
        return { metric: l.metric, units: l.units, cumulativeUnits: cumulative[l.metric], earnedOre: l.earnedOre, paidOre: l.amountOre, capped: l.capped };
      });
      paid.totalOre += earned.totalOre;
      const booked = entry.get(steps.outcomePayment(months));
      point.paymentOre = booked?.amountOre ?? earned.totalOre;
      if (booked) point.paidOn = booked.date;
      point.status = 'awaitingSavings';
    }
    if (point.verified && savings) {
      const s = savings.input as TaskInput<'savingsConfirmation'>;
      const returned = entry.get(steps.savingsReturned(months));
      point.savings = {
        by: savings.completedBy,
        at: savings.completedAt,
        realisedOre: s.realisedSavings,
        returnedOre: returned?.amountOre ?? 0,
        ...(returned ? { returnedOn: returned.date } : {}),
        ...(s.note ? { note: s.note } : {}),
      };
      point.status = 'settled';
    }
    return point;
  });

  const paidOre = sum(entries, 'outcomePayment');
  const releasedOre = sum(entries, 'release');
  const final = completed(task.get(steps.contractFinalReport));
  const release = entry.get(steps.contractRelease);
  const next = measurements.find((m) => m.status !== 'settled');
  return {
    kind: 'contract',
    provider: reservation.counterpart ?? null,
    payee: terms.payee,
    startDate: terms.startDate,
    capOre: terms.totalCap,
    paidOre,
    capLeftOre: Math.max(0, terms.totalCap - paidOre),
    reservedOre: Math.max(0, reservation.amountOre - paidOre - releasedOre),
    releasedOre,
    realisedSavingsOre: measurements.reduce((s, m) => s + (m.savings?.realisedOre ?? 0), 0),
    returnedOre: sum(entries, 'savingsReturned'),
    metrics: terms.rateCard.map((r) => ({
      metric: r.metric,
      unit: r.unit,
      targetUnits: r.targetUnits,
      pricePerUnitOre: r.pricePerUnit,
      maxPaymentOre: r.maxPayment,
      achievedUnits: cumulative[r.metric] ?? 0,
      paidOre: paid.perMetricOre[r.metric] ?? 0,
    })),
    measurements,
    next: next ? { months: next.months, dueAt: next.dueAt, status: next.status } : null,
    finalReport: final ? { by: final.completedBy, at: final.completedAt, ...(final.input as TaskInput<'contractFinalReport'>) } : null,
    release: release ? { on: release.date, by: release.by, amountOre: release.amountOre } : null,
  };
}

/**
 * A grant's course: the agreement the fund reserved, each tranche paid, withheld,
 * due or still ahead, and the final report. Undefined until a grant is reserved.
 */
export function grantResults(tasks: StepTask[], entries: StepEntry[], now: Date): GrantResults | undefined {
  const task = new Map(tasks.map((t) => [t.step, t]));
  const entry = new Map(entries.map((e) => [e.step, e]));
  // The agreement the fund took: an earlier one it could not reserve was set again.
  const agreed = tasks
    .filter((t) => /^grantAgreement(\.\d+)?$/.test(t.step) && entry.get(steps.grantReservation(t.step))?.kind === 'reservation')
    .map(completed)
    .at(-1);
  if (!agreed) return undefined;
  const g = agreed.input as GrantAgreement;
  const reservation = entry.get(steps.grantReservation(agreed.step))!;
  const today = copenhagenDay(now);
  // A release that is no tranche's: the rest of the reservation went back on withdrawal or after a stop.
  const releasedWhole = entries.some((e) => e.kind === 'release' && !/^tranche\.\d+\.release$/.test(e.step));

  const tranches = g.tranches.map((t, i): TrancheResult => {
    const number = i + 1;
    const step = steps.trancheConfirmation(number);
    const decided = completed(task.get(step));
    const result: TrancheResult = { number, dueDate: t.dueDate, amountOre: t.amount, condition: t.condition, status: 'scheduled' };
    if (decided) {
      const c = decided.input as TaskInput<'trancheConfirmation'>;
      Object.assign(result, { decidedBy: decided.completedBy, decidedAt: decided.completedAt, status: c.confirmed ? 'paid' : 'withheld' });
      if (c.confirmed && c.note) result.note = c.note;
      if (!c.confirmed) result.reason = c.reason;
      const payment = entry.get(steps.tranchePayment(number));
      if (payment) result.paidOn = payment.date;
    } else if (releasedWhole) result.status = 'released';
    else if (task.has(step) || t.dueDate <= today) result.status = 'due';
    return result;
  });

  const final = completed(task.get(steps.grantFinalReport));
  const next = tranches.find((t) => t.status === 'due' || t.status === 'scheduled');
  return {
    kind: 'grant',
    grantee: g.grantee,
    amountOre: g.amount,
    conditions: g.conditions,
    agreedBy: agreed.completedBy,
    agreedAt: agreed.completedAt,
    paidOre: sum(entries, 'directGrant'),
    withheldOre: tranches.filter((t) => t.status === 'withheld').reduce((s, t) => s + t.amountOre, 0),
    // A tranche paid leaves the reservation with its payment (before, with a release of its own).
    reservedOre: Math.max(
      0,
      reservation.amountOre -
        sum(entries, 'release') -
        sum(
          entries.filter((e) => e.fromReservation),
          'directGrant',
        ),
    ),
    tranches,
    next: next ? { number: next.number, dueDate: next.dueDate, status: next.status } : null,
    finalReport: final ? { by: final.completedBy, at: final.completedAt, ...(final.input as TaskInput<'grantFinalReport'>) } : null,
  };
}
