import { basisPointsOf, type Ore } from './money';
import type { Proposal } from './proposal';
import type { Refusal } from './refusals';

/** The ceiling on direct financing (direkte finansiering) in settings: a share of the fund's capital, or an amount. */
export type DirectFinancingCeiling = { kind: 'share'; basisPoints: number } | { kind: 'amount'; ore: Ore };

export function ceilingOre(ceiling: DirectFinancingCeiling, capitalOre: Ore): Ore {
  return ceiling.kind === 'amount' ? ceiling.ore : basisPointsOf(capitalOre, ceiling.basisPoints);
}

/** A direct-financing proposal asking more than the ceiling goes to the council no further; the refusal says the ceiling. */
export function aboveDirectFinancingCeiling(p: Proposal, ceiling: DirectFinancingCeiling, capitalOre: Ore): Refusal | undefined {
  if (p.fundingTrack !== 'directFinancing' || !p.businessCase) return undefined;
  const limitOre = ceilingOre(ceiling, capitalOre);
  const requestedOre = p.businessCase.requestedFromFund;
  return requestedOre > limitOre ? { code: 'directFinancingAboveCeiling', ceilingOre: limitOre, requestedOre } : undefined;
}
