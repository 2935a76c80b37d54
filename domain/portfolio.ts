import type { Ore } from './money';
import type { FundingTrack, Stage, WelfareArea } from './stages';
import type { CaseResults } from './results';

/**
 * One contract or grant in the portfolio: the row a secretariat would otherwise keep
 * in a spreadsheet. `…Ore` fields are whole øre.
 */
export interface PortfolioRow {
  proposalId: string;
  title: string;
  stage: Stage;
  welfareArea: WelfareArea;
  department: string;
  kind: CaseResults['kind'];
  /** The provider under contract, or the grantee. */
  counterpart: string | null;
  /** A contract's verified units so far against each metric's target; empty for a grant. */
  effect: { metric: string; unit: string; achievedUnits: number; targetUnits: number }[];
  /** A grant's tranches by outcome; null for a contract. */
  tranches: { paid: number; withheld: number; total: number } | null;
  /** A contract's cap, or the amount granted. */
  committedOre: Ore;
  paidOre: Ore;
  returnedOre: Ore;
  /** The next measurement point or tranche not yet settled, and its date (YYYY-MM-DD). */
  next: { date: string; months: number | null; tranche: number | null } | null;
}

export interface PortfolioCase {
  proposalId: string;
  title: string;
  stage: Stage;
  welfareArea: WelfareArea;
  fundingTrack: FundingTrack;
  department: string;
}

export function portfolioRow(c: PortfolioCase, r: CaseResults): PortfolioRow {
  const common = { proposalId: c.proposalId, title: c.title, stage: c.stage, welfareArea: c.welfareArea, department: c.department };
  if (r.kind === 'contract') {
    return {
      ...common,
      kind: 'contract',
      counterpart: r.provider,
      effect: r.metrics.map((m) => ({ metric: m.metric, unit: m.unit, achievedUnits: m.achievedUnits, targetUnits: m.targetUnits })),
      tranches: null,
      committedOre: r.capOre,
      paidOre: r.paidOre,
      returnedOre: r.returnedOre,
      next: r.next ? { date: r.next.dueAt.slice(0, 10), months: r.next.months, tranche: null } : null,
    };
  }
  const count = (status: string) => r.tranches.filter((t) => t.status === status).length;
  return {
    ...common,
    kind: 'grant',
    counterpart: r.grantee,
    effect: [],
    tranches: { paid: count('paid'), withheld: count('withheld'), total: r.tranches.length },
    committedOre: r.amountOre,
    paidOre: r.paidOre,
    returnedOre: 0,
    next: r.next ? { date: r.next.dueDate, months: null, tranche: r.next.number } : null,
  };
}

/** What comes due first comes first; cases with nothing ahead follow, by case number. */
export function byNextDue(a: PortfolioRow, b: PortfolioRow): number {
  if (a.next && b.next && a.next.date !== b.next.date) return a.next.date < b.next.date ? -1 : 1;
  if (!a.next !== !b.next) return a.next ? -1 : 1;
  return a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0;
}
