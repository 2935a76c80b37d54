import type { CouncilSelection } from './councilSelection';
import type { Ore } from './money';

/**
 * Procurement (udbud) of an outcome-based initiative. The thresholds are
 * configuration; these rules only compare against them.
 */
export const serviceKinds = ['social', 'other'] as const; // social = the light regime (light-regime-ydelser)
export type ServiceKind = (typeof serviceKinds)[number];

export const procedures = ['euTender', 'nationalTender', 'directAward'] as const;
export type Procedure = (typeof procedures)[number];

export interface Thresholds {
  /** Social and other specific services (the light regime), e.g. 5,581,350 DKK for 2024–2025. */
  lightRegimeOre: Ore;
  /** Other municipal service contracts, e.g. 1,644,638 DKK for 2024–2025. */
  servicesOre: Ore;
}

/** The dated thresholds (tærskelværdier) in force on `date` (YYYY-MM-DD): the newest that has begun. */
export function thresholdsOn(dated: { from: string; lightRegime: Ore; services: Ore }[], date: string): Thresholds {
  const current = [...dated].sort((a, b) => b.from.localeCompare(a.from)).find((t) => t.from <= date) ?? dated[0];
  return { lightRegimeOre: current.lightRegime, servicesOre: current.services };
}

/**
 * The value a procedure is judged on: the larger of the estimate and the amount the
 * council and the mayor approved, so a low estimate cannot bring a case under a threshold.
 */
export function judgedValue(estimatedOre: Ore, approvedOre: Ore): Ore {
  return Math.max(estimatedOre, approvedOre);
}

/**
 * What procurement law asks for: above the light-regime threshold an EU-announced
 * tender; between the two thresholds a national announcement; below, a direct award.
 * Other services are EU-tendered above their own threshold and awarded directly below it.
 */
export function proposedProcedure(kind: ServiceKind, estimatedValueOre: Ore, t: Thresholds): Procedure {
  if (kind === 'social') {
    if (estimatedValueOre > t.lightRegimeOre) return 'euTender';
    if (estimatedValueOre > t.servicesOre) return 'nationalTender';
    return 'directAward';
  }
  return estimatedValueOre > t.servicesOre ? 'euTender' : 'directAward';
}

/** The largest value a procedure covers: past it the thresholds ask for a stricter one. None for an EU tender. */
export function procedureCeiling(kind: ServiceKind, procedure: Procedure, t: Thresholds): Ore | undefined {
  if (procedure === 'euTender') return undefined;
  return procedure === 'nationalTender' && kind === 'social' ? t.lightRegimeOre : t.servicesOre;
}

/**
 * An award or contract worth more than the procedure used covers (`ceilingOre`) is a
 * deviation from the thresholds; it stands only on a written rationale for the procedure
 * that the council approved. A recommendation carries the rationale to the council, so it
 * is refused without one (`councilApproved` false); the award stands only on the council's approval.
 * The ceiling it lies past, or undefined when the value is within it or the deviation is justified.
 */
export function unjustifiedDeviation(p: Pick<ProcurementState, 'ceilingOre' | 'rationale'>, valueOre: Ore, councilApproved: boolean): Ore | undefined {
  return aboveCeiling(p, valueOre) && !deviationJustified(p, councilApproved) ? p.ceilingOre : undefined;
}

export function aboveCeiling(p: Pick<ProcurementState, 'ceilingOre'>, valueOre: Ore): boolean {
  return p.ceilingOre !== undefined && valueOre > p.ceilingOre;
}

/** Before the council decides, only whether the rationale exists can be asked (`councilApproved` true then). */
export function deviationJustified(p: Pick<ProcurementState, 'rationale'>, councilApproved: boolean): boolean {
  return !!p.rationale && councilApproved;
}

/** The earliest deadline the law allows for a tender published at `publishedAt`. */
export function earliestDeadline(publishedAtMs: number, minimumTenderMs: number): number {
  return publishedAtMs + minimumTenderMs;
}

export interface Evaluation {
  evaluator: string;
  scores: { bidId: string; criterion: string; score: number }[];
  /** How often the evaluator has scored this round (each correction counts). */
  times?: number;
}

/**
 * Weighted totals and ranking, computed, never typed in: per criterion the mean of
 * the evaluators' scores times its weight, summed. Totals are in hundredths of a
 * point (0–1000 × 100) so that no float decides an award; ties keep bid order.
 */
export function rankBids(bidIds: string[], criteria: { name: string; weight: number }[], evaluations: Evaluation[]) {
  const totals = bidIds.map((bidId, order) => {
    let weighted = 0; // Σ weight × Σscores / n, kept exact as a fraction over the evaluator count
    for (const c of criteria) {
      const given = evaluations.flatMap((e) => e.scores.filter((s) => s.bidId === bidId && s.criterion === c.name).map((s) => s.score));
      if (given.length === 0) throw new Error(`bid ${bidId} has no score for ${c.name}`);
      weighted += Math.round((c.weight * given.reduce((a, b) => a + b, 0) * 100) / given.length);
    }
    return { bidId, total: weighted, order };
  });
  return totals.sort((a, b) => b.total - a.total || a.order - b.order).map(({ bidId, total }, i) => ({ bidId, total, rank: i + 1 }));
}

/**
 * Four eyes: whoever prepared the tender may evaluate, but never alone. Each who saved a
 * draft of it prepared it: a colleague saving it last does not make the first a stranger
 * to it. The refusal's code when not.
 */
export function fourEyesProblem(tender: Pick<ProcurementState['tender'] & {}, 'preparedBy' | 'preparers'>, evaluators: string[]): 'noEvaluation' | 'fourEyes' | undefined {
  const distinct = [...new Set(evaluators)];
  if (distinct.length === 0) return 'noEvaluation';
  if (distinct.length === 1 && preparersOf(tender).includes(distinct[0])) return 'fourEyes';
  return undefined;
}

/** Who prepared the tender: each who saved a draft, or (a tender drafted before they were kept) the last. */
export const preparersOf = (tender: Pick<ProcurementState['tender'] & {}, 'preparedBy' | 'preparers'>): string[] => tender.preparers ?? [tender.preparedBy];

/** Procurement as the workflow tracks it; `…Ore` fields are whole øre. */
export interface ProcurementState {
  round: number;
  serviceKind?: ServiceKind;
  estimatedValueOre?: number;
  /** What the council and the mayor approved, and the larger of it and the estimate, which the procedure is judged on. */
  approvedOre?: number;
  judgedValueOre?: number;
  /** The largest award or contract the chosen procedure covers; none for an EU tender. */
  ceilingOre?: number;
  proposedProcedure?: Procedure;
  procedure?: Procedure;
  rationale?: string;
  decidedBy?: string;
  tender?: {
    title: string;
    description: string;
    documents: { title: string; url: string }[];
    awardCriteria: { name: string; weight: number }[];
    estimatedValueOre: number;
    deadline: string;
    /** Who saved its latest draft. */
    preparedBy: string;
    /** Each who saved a draft of it, first first (absent where drafted before they were kept). */
    preparers?: string[];
    /** How often the tender was prepared this round (each redraft counts). */
    drafts?: number;
    publishedAt?: string;
    closedAt?: string;
  };
  /** `cvr`: the bidder's CVR number, when the secretariat gave it. */
  bids: { id: string; bidder: string; cvr?: string; priceOre: number; outcomePrices: { metric: string; pricePerUnitOre: number }[]; registeredBy: string; at: string }[];
  evaluations: Evaluation[];
  ranking?: { bidId: string; total: number; rank: number }[];
  /** The secretariat's written recommendations (indstillinger), numbered across rounds, and the council's decision on each; the last may await it. */
  recommendations: AwardRecommendation[];
  /** The award notice, once the council approved a recommendation: `by` recommended it, `at` is the council's decision. */
  award?: {
    bidId?: string;
    supplier: string;
    cvr?: string;
    priceOre: number;
    by: string;
    at: string;
    rationale?: string;
    recommendation: number;
    standstillEndsAt?: string;
    stands: boolean;
  };
  complaints: Complaint[];
  earlierRounds: { round: number; outcome: 'retendered' | 'awardAnnulled'; reason: string; by: string; at: string }[];
}

/**
 * `lodgedAt`: when the complaint reached the complaints board or the fund (left out when
 * recorded, the moment of recording). `award`: the recommendation whose award it is against
 * (absent where recorded before complaints named it).
 */
export interface Complaint {
  number: number;
  complainant: string;
  summary: string;
  lodgedAt?: string;
  award?: number;
  by: string;
  at: string;
  resolution?: { upheld: boolean; note: string; by: string; at: string };
}

/**
 * Whether a complaint holds the award now in its standstill: one not yet resolved, against
 * this award. A complaint against an award since annulled (another complaint upheld) holds no
 * later one, and upheld it annuls nothing more; it stays open until the secretariat records
 * how it ended.
 */
export const holdsAward = (p: Pick<ProcurementState, 'award'>, c: Complaint) => !c.resolution && !!p.award && (c.award === undefined || c.award === p.award.recommendation);

/** The secretariat recommends a bid of the ranking (or, for a direct award, a supplier) to the council. */
export interface AwardRecommendation {
  number: number;
  round: number;
  bidId?: string;
  supplier: string;
  cvr?: string;
  priceOre: number;
  /** Why this bidder: the recommendation's written reasons. */
  reasons: string;
  /** Why not the first-ranked bid, or why a direct award. */
  rationale?: string;
  by: string;
  at: string;
  /** The meeting whose agenda first put it before the council (in meeting voting its tasks open then). */
  meetingId?: string;
  council?: CouncilSelection;
}

export interface ProcurementSettings {
  thresholds: Thresholds;
  /** The minimum tender period (from publication to the deadline), any unit in settings. */
  minimumTenderMs: number;
  standstillMs: number;
}
