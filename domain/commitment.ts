import type { CooperationAgreement } from './cooperationAgreement';
import type { LifecycleState } from './lifecycleState';
import type { Ore } from './money';
import type { Proposal } from './proposal';
import { approvedUnreservedStages, type FundingTrack, type Stage } from './stages';
import type { TrancheStatus } from './grant';

/** Stages in which a contract or grant may hold money: the outlook asks what it still expects. */
export const runningStages: readonly Stage[] = ['Contracting', 'Implementation', 'GrantActive'];

/** Stages in which a case's money counts in the outlook: approved but not reserved, or running. */
export const committingStages: readonly Stage[] = [...new Set([...approvedUnreservedStages, ...runningStages])];

/** What of a proposal the outlook reads: fixed once the council has it, as only Motivation revises. */
export interface OutlookTerms {
  fundingTrack: FundingTrack;
  outcomes: { measuredAtMonths: number[] }[];
  businessCase?: { requestedFromFund: Ore; expectedSavings: { year: number; amount: Ore }[] };
}

/**
 * Only the responsible department's expected savings can come back: it alone makes the
 * cooperation agreement and confirms what it realised. Another department's savings in the
 * business case are a benefit to the municipality, not a return to the fund.
 */
export function termsOf(p: Proposal): OutlookTerms {
  const bc = p.businessCase;
  const returnable = (bc?.expectedSavings ?? []).filter((s) => s.department === p.responsibleDepartment);
  return {
    fundingTrack: p.fundingTrack,
    outcomes: p.outcomes.map((o) => ({ measuredAtMonths: o.measuredAtMonths })),
    ...(bc ? { businessCase: { requestedFromFund: bc.requestedFromFund, expectedSavings: returnable.map((s) => ({ year: s.year, amount: s.amount })) } } : {}),
  };
}

/** A signed (or proposed) contract as far as the outlook needs it. */
export interface ContractCommitment {
  startDate: string;
  measurementMonths: number[];
  rateCard: { metric: string; pricePerUnitOre: Ore; targetUnits: number; maxPaymentOre: Ore }[];
  totalCapOre: Ore;
  reservedOre?: Ore;
}

export interface ImplementationCommitment {
  paidOre: Ore;
  paidPerMetricOre: Record<string, Ore>;
  /** `returnedOre` once the point's savings are confirmed (0 when none came back). */
  measurements: { months: number; paymentOre?: Ore; returnedOre?: Ore }[];
  /** Set by commitments that keep each point's `returnedOre`: one recorded before has a paid point's savings returned, whatever it lacks. */
  returnsKept?: true;
}

export interface GrantCommitment {
  tranches: { dueDate: string; amountOre: Ore; status: TrancheStatus }[];
}

/**
 * What one case holds of the fund's future, as its workflow knows it: the stage, and
 * for a contract or grant what is paid and still to come. The workflow hands it to the
 * activity that records each change (stage, booking), so the outlook is read from the
 * database and never by asking the workflows.
 */
export interface Commitment {
  stage: Stage;
  contract?: ContractCommitment;
  implementation?: ImplementationCommitment;
  savingsShare?: CooperationAgreement['savingsShare'];
  grant?: GrantCommitment;
}

export function commitmentOf(state: LifecycleState): Commitment {
  const c = state.contracting?.contract;
  const impl = state.implementation;
  return {
    stage: state.stage,
    ...(c
      ? {
          contract: {
            startDate: c.startDate,
            measurementMonths: c.measurementMonths,
            rateCard: c.rateCard.map((r) => ({ metric: r.metric, pricePerUnitOre: r.pricePerUnitOre, targetUnits: r.targetUnits, maxPaymentOre: r.maxPaymentOre })),
            totalCapOre: c.totalCapOre,
            ...(c.reservedOre !== undefined ? { reservedOre: c.reservedOre } : {}),
          },
        }
      : {}),
    ...(impl
      ? {
          implementation: {
            paidOre: impl.paidOre,
            paidPerMetricOre: { ...impl.paidPerMetricOre },
            // Only the points measured: one under way expects its payment still.
            returnsKept: true as const,
            measurements: impl.measurements.flatMap((m) =>
              m.paymentOre === undefined ? [] : [{ months: m.months, paymentOre: m.paymentOre, ...(m.returnedOre === undefined ? {} : { returnedOre: m.returnedOre }) }],
            ),
          },
        }
      : {}),
    ...(state.cooperationAgreement ? { savingsShare: state.cooperationAgreement.savingsShare } : {}),
    ...(state.grant ? { grant: { tranches: state.grant.tranches.map((t) => ({ dueDate: t.dueDate, amountOre: t.amountOre, status: t.status })) } } : {}),
  };
}
