import { addMonths } from './dates';
import { runningStages, type Commitment, type ContractCommitment, type GrantCommitment, type ImplementationCommitment, type OutlookTerms } from './commitment';
import type { CooperationAgreement } from './cooperationAgreement';
import { savingsShareThrough } from './payout';
import type { Ore } from './money';

/** One expected movement of the fund's money in a calendar year. */
export interface Flow {
  year: number;
  kind: 'outcomePayment' | 'directGrant' | 'savingsReturned';
  amountOre: Ore;
  proposalId: string;
}

export interface OutlookYear {
  year: number;
  outcomePaymentsOre: Ore;
  grantsOre: Ore;
  savingsReturnedOre: Ore;
  /** Capital, plus returns, less payments and grants, to the end of the year. */
  freeAtYearEndOre: Ore;
}

const yearOf = (iso: string) => Number(iso.slice(0, 4));
/** The year money due on a day moves: that day's, or this year's for one overdue (a year gone by shows only what was booked). */
const comingYear = (dueIso: string, todayIso: string) => Math.max(yearOf(dueIso), yearOf(todayIso));

/** Spreads an amount over calendar years in whole øre; the first years take the remainder. */
function spread(amountOre: Ore, years: number[], kind: Flow['kind'], proposalId: string): Flow[] {
  if (amountOre <= 0 || years.length === 0) return [];
  const base = Math.floor(amountOre / years.length);
  let rest = amountOre - base * years.length;
  return years.map((year) => {
    const extra = rest > 0 ? 1 : 0;
    rest -= extra;
    return { year, kind, amountOre: base + extra, proposalId };
  });
}

/** A signed contract: what its rate card can still earn, spread over the points to come, and the savings share still expected. */
export function contractFlows(
  proposalId: string,
  proposal: OutlookTerms,
  contract: ContractCommitment,
  implementation: ImplementationCommitment | undefined,
  agreement: CooperationAgreement['savingsShare'] | undefined,
  todayIso: string,
): Flow[] {
  const paidPerMetric = implementation?.paidPerMetricOre ?? {};
  const paid = implementation?.paidOre ?? 0;
  const earnable = contract.rateCard.reduce((sum, r) => sum + Math.max(0, Math.min(r.targetUnits * r.pricePerUnitOre, r.maxPaymentOre) - (paidPerMetric[r.metric] ?? 0)), 0);
  const measured = new Set(implementation?.measurements.filter((m) => m.paymentOre !== undefined).map((m) => m.months));
  const pointsLeft = contract.measurementMonths.filter((m) => !measured.has(m)).map((m) => comingYear(addMonths(contract.startDate, m), todayIso));
  const payments = spread(Math.min(contract.totalCapOre - paid, earnable), pointsLeft, 'outcomePayment', proposalId);
  return [...payments, ...(agreement ? savingsFlows(proposalId, proposal, contract, implementation, agreement, todayIso) : [])];
}

/**
 * The savings share a contract will still return, as its workflow returns it: at each
 * measurement point to come, of the savings the business case expects since the point
 * before, by the agreement's rule, so a yearly amount not yet returned is owed at the
 * next point (`savingsShareThrough`). Nothing comes back after the last point.
 */
function savingsFlows(
  proposalId: string,
  proposal: OutlookTerms,
  contract: ContractCommitment,
  implementation: ImplementationCommitment | undefined,
  agreement: CooperationAgreement['savingsShare'],
  todayIso: string,
): Flow[] {
  const expected = proposal.businessCase?.expectedSavings ?? [];
  const measured = implementation?.measurements ?? [];
  const done = new Map(measured.flatMap((m) => (m.returnedOre === undefined ? [] : [[m.months, m.returnedOre] as const])));
  // A commitment recorded before points kept what they returned says nothing of it: its points paid are taken as having
  // returned what was expected of them (its last one's may yet come, and is not counted: the outlook errs on the fund's side).
  const legacy = implementation !== undefined && !implementation.returnsKept;
  let returned = [...done.values()].reduce((s, x) => s + x, 0);
  const flows: Flow[] = [];
  let since = 0;
  for (const months of contract.measurementMonths) {
    if (!done.has(months)) {
      const share = savingsShareThrough(agreement, Math.ceil(months / 12), expectedBetween(expected, since, months), returned);
      returned += share;
      const returnedBefore = legacy && measured.some((m) => m.months === months);
      if (share > 0 && !returnedBefore) flows.push({ year: comingYear(addMonths(contract.startDate, months), todayIso), kind: 'savingsReturned', amountOre: share, proposalId });
    }
    since = months;
  }
  return flows;
}

/** Savings expected in months (from, to] of the contract, each initiative year's amount spread evenly over its twelve months. */
function expectedBetween(expected: { year: number; amount: Ore }[], from: number, to: number): Ore {
  const sum = expected.reduce((total, s) => total + (s.amount * Math.max(0, Math.min(to, 12 * s.year) - Math.max(from, 12 * (s.year - 1)))) / 12, 0);
  return Math.floor(sum);
}

/** A grant's tranches not yet decided, in the years they fall due. */
export function grantFlows(proposalId: string, grant: GrantCommitment, todayIso: string): Flow[] {
  return grant.tranches
    .filter((t) => t.status === 'scheduled' || t.status === 'due')
    .map((t) => ({ year: comingYear(t.dueDate, todayIso), kind: 'directGrant' as const, amountOre: t.amountOre, proposalId }));
}

/** A proposal approved (or under decision) without a contract yet: what it asks, spread from now over its measurement horizon. */
export function proposalFlows(proposalId: string, proposal: OutlookTerms, todayIso: string): Flow[] {
  const months = Math.max(12, ...proposal.outcomes.flatMap((o) => o.measuredAtMonths));
  const from = yearOf(todayIso);
  const to = yearOf(addMonths(todayIso.slice(0, 10), months));
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const kind = proposal.fundingTrack === 'directFinancing' ? 'directGrant' : 'outcomePayment';
  return spread(proposal.businessCase?.requestedFromFund ?? 0, years, kind, proposalId);
}

/** The ledger's kinds of money that left the fund or came back, which the outlook shows year by year. */
export const movementKinds = ['outcomePayment', 'directGrant', 'savingsReturned'] as const;

/** What was paid, granted and returned in each calendar year (the key), as the ledger's chain carries it forward. */
export type ActualByYear = Record<string, { paidOre: Ore; grantedOre: Ore; returnedOre: Ore }>;

/** The yearly totals after one more entry: a payment, grant or return adds to its year; any other kind changes nothing. */
export function withActual(byYear: ActualByYear, e: { kind: string; amountOre: Ore; date: Date }): ActualByYear {
  const field = ({ outcomePayment: 'paidOre', directGrant: 'grantedOre', savingsReturned: 'returnedOre' } as const)[e.kind as (typeof movementKinds)[number]];
  if (!field) return byYear;
  const year = String(e.date.getUTCFullYear());
  const was = byYear[year] ?? { paidOre: 0, grantedOre: 0, returnedOre: 0 };
  return { ...byYear, [year]: { ...was, [field]: was[field] + e.amountOre } };
}

export const actualList = (byYear: ActualByYear) => Object.entries(byYear).map(([year, a]) => ({ year: Number(year), ...a }));

/**
 * What one case is expected to pay or return: a running grant its tranches, a signed
 * contract what its rate card can still earn and the savings share, and an approval
 * without either what it asked for.
 */
export function caseFlows(proposalId: string, terms: OutlookTerms, c: Commitment, todayIso: string): Flow[] {
  if (runningStages.includes(c.stage)) {
    if (c.grant) return grantFlows(proposalId, c.grant, todayIso);
    if (c.contract?.reservedOre !== undefined) return contractFlows(proposalId, terms, c.contract, c.implementation, c.savingsShare, todayIso);
  }
  return proposalFlows(proposalId, terms, todayIso);
}

/**
 * Year by year from the fund's start, at least ten years: what was paid, granted and
 * returned (from the ledger), what is expected, and the free balance at each year's
 * end. The first year it would go below zero is when the fund runs dry.
 */
export function projectOutlook(o: {
  startYear: number;
  years: number;
  openingCapitalOre: Ore;
  actual: { year: number; paidOre: Ore; grantedOre: Ore; returnedOre: Ore }[];
  expected: Flow[];
}) {
  const lastFlowYear = Math.max(o.startYear + o.years - 1, ...o.expected.map((f) => f.year));
  let free = o.openingCapitalOre;
  const years: OutlookYear[] = [];
  for (let year = o.startYear; year <= lastFlowYear; year++) {
    const a = o.actual.filter((x) => x.year === year);
    const e = o.expected.filter((f) => f.year === year);
    const sum = (kind: Flow['kind']) => e.filter((f) => f.kind === kind).reduce((s, f) => s + f.amountOre, 0);
    const outcomePaymentsOre = a.reduce((s, x) => s + x.paidOre, 0) + sum('outcomePayment');
    const grantsOre = a.reduce((s, x) => s + x.grantedOre, 0) + sum('directGrant');
    const savingsReturnedOre = a.reduce((s, x) => s + x.returnedOre, 0) + sum('savingsReturned');
    free += savingsReturnedOre - outcomePaymentsOre - grantsOre;
    years.push({ year, outcomePaymentsOre, grantsOre, savingsReturnedOre, freeAtYearEndOre: free });
  }
  const dry = years.find((y) => y.freeAtYearEndOre < 0);
  return { years, runsDryIn: dry ? dry.year : null };
}
